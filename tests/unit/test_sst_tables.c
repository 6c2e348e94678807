// SPDX-License-Identifier: MIT
/*
 * The tables around the SingleStepTests runner: the JSON reader, the
 * form names and flag masks of metadata.json, the revocation list and the
 * expected-differences table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conformance/json.h"
#include "conformance/sst_expect.h"
#include "conformance/sst_insn.h"
#include "conformance/sst_meta.h"
#include "conformance/sst_revoked.h"
#include "conformance/sst_runner.h"

#define SST_DIR "../shared/conformance/sst-80286"

static struct json_value *parse(const char *s)
{
	char err[128];

	return json_parse(s, strlen(s), err, sizeof(err));
}

static void test_json_values(void **state)
{
	struct json_value *v;
	const struct json_value *c;

	(void)state;
	v = parse(" {\"a\": [1, -2.5e1, true, false, null], "
		  "\"s\": \"x\\\"\\u00e9\\ud83d\\ude00\\n\", \"o\": {}} ");
	assert_non_null(v);
	assert_int_equal(v->type, JSON_OBJECT);
	c = json_get(v, "a");
	assert_non_null(c);
	assert_int_equal(c->type, JSON_ARRAY);
	assert_true(c->child->number == 1);
	assert_true(c->child->next->number == -25);
	assert_int_equal(c->child->next->next->type, JSON_TRUE);
	assert_int_equal(c->child->next->next->next->type, JSON_FALSE);
	assert_int_equal(c->child->next->next->next->next->type, JSON_NULL);
	c = json_get(v, "s");
	assert_string_equal(c->string, "x\"\xc3\xa9\xf0\x9f\x98\x80\n");
	c = json_get(v, "o");
	assert_int_equal(c->type, JSON_OBJECT);
	assert_null(c->child);
	assert_null(json_get(v, "missing"));
	json_free(v);
}

static void test_json_errors(void **state)
{
	static const char *const bad[] = {
		"",	 "{",	     "{\"a\" 1}",   "[1,]",
		"[1 2]", "\"abc",    "\"\\x\"",	    "tru",
		"01x",	 "{} {}",    "\"\\ud800\"", "[\"\\u12\"]",
		"-",	 "{\"a\":}", "\"a\\",
	};
	char deep[200];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_value *v = parse(bad[i]);

		if (v)
			fail_msg("accepted bad JSON '%s'", bad[i]);
	}
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	assert_null(parse(deep));
}

/* A test record with just the instruction bytes, for form naming. */
static void fake_test(struct moo_test *t, const uint8_t *bytes, uint32_t n)
{
	memset(t, 0, sizeof(*t));
	t->bytes = bytes;
	t->byte_count = n;
}

static void test_meta_forms(void **state)
{
	static const uint8_t c6_7[] = { 0x26, 0xf0, 0xc6, 0xfd, 0xf4 };
	static const uint8_t c6_0[] = { 0xc6, 0x07, 0x12, 0xf4 };
	static const uint8_t or_rm[] = { 0x08, 0x00, 0xf4 };
	struct sst_form form;
	struct sst_meta m;
	struct moo_test t;
	char err[256], name[SST_FORM_NAME_LEN];

	(void)state;
	assert_int_equal(
		sst_form_from_path("a/b/80.3.MOO.gz", name, sizeof(name)), 0);
	assert_string_equal(name, "80.3");
	assert_int_equal(sst_form_from_path("c6.MOO.gz", name, sizeof(name)),
			 0);
	assert_string_equal(name, "C6");
	assert_int_equal(sst_form_from_path("notes.txt", name, sizeof(name)),
			 -1);

	if (access(SST_DIR "/metadata.json", R_OK))
		skip();
	assert_int_equal(sst_meta_load(&m, SST_DIR "/metadata.json", err,
				       sizeof(err)),
			 0);
	fake_test(&t, c6_7, sizeof(c6_7));
	sst_meta_form(&m, "C6", &t, &form);
	assert_string_equal(form.name, "C6.7");
	assert_string_equal(form.status, "undefined");
	fake_test(&t, c6_0, sizeof(c6_0));
	sst_meta_form(&m, "C6", &t, &form);
	assert_string_equal(form.name, "C6.0");
	assert_string_equal(form.status, "normal");
	fake_test(&t, or_rm, sizeof(or_rm));
	sst_meta_form(&m, "08", &t, &form);
	assert_string_equal(form.name, "08");
	assert_int_equal(form.flags_mask, 0xFFEF);
	sst_meta_form(&m, "D3.4", &t, &form);
	assert_string_equal(form.name, "D3.4");
	assert_int_equal(form.flags_mask, 63470);
	sst_meta_form(&m, "00", &t, &form);
	assert_int_equal(form.flags_mask, 0xFFFF);
	sst_meta_free(&m);
}

static char *write_temp(const char *text)
{
	static char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/popek-sst-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void test_revocation_list(void **state)
{
	static const uint8_t h[MOO_HASH_LEN] = {
		0x62, 0x6b, 0xe5, 0x08, 0x4b, 0x33, 0x10, 0x80, 0xeb, 0x08,
		0x25, 0x6c, 0x12, 0xa6, 0x2d, 0x24, 0xaf, 0xdf, 0x2a, 0x03,
	};
	uint8_t other[MOO_HASH_LEN] = { 0 };
	struct sst_revoked r;
	char err[256];
	char *path;

	(void)state;
	path = write_temp("# comment\n\n626BE5084B331080EB08256C12A62D24"
			  "AFDF2A03\n  ffffffffffffffffffffffffffffffffff"
			  "ffffff  \n");
	assert_int_equal(sst_revoked_load(&r, path, err, sizeof(err)), 0);
	assert_int_equal(r.count, 2);
	assert_true(sst_revoked_has(&r, h));
	assert_false(sst_revoked_has(&r, other));
	sst_revoked_free(&r);
	unlink(path);

	path = write_temp("626be5\n");
	assert_int_equal(sst_revoked_load(&r, path, err, sizeof(err)), -1);
	unlink(path);

	assert_int_equal(
		sst_revoked_load(&r, "/nonexistent/list", err, sizeof(err)), 0);
	assert_int_equal(r.count, 0);
}

static void test_expect_table(void **state)
{
	static const uint8_t plain[] = { 0xd6, 0xf4 };
	static const uint8_t locked[] = { 0x2e, 0xf0, 0x00, 0xc0, 0xf4 };
	struct sst_result res;
	struct moo_test t, tl;
	struct sst_expect e;
	char err[256];
	char *path;

	(void)state;
	fake_test(&t, plain, sizeof(plain));
	fake_test(&tl, locked, sizeof(locked));
	path = write_temp("# Expected\n\n| a | b |\n|---|---|\n| x | y |\n\n"
			  "| form | difference | reason | SDM section |\n"
			  "|------|------------|--------|-------------|\n"
			  "| D6 | `ud` | SALC | Vol. 2 |\n"
			  "| 0F.1 | `flags 0x0010` | AF | Vol. 1 |\n"
			  "| 07 | `vector 12` | #SS | Vol. 3 |\n"
			  "| 8F.1 | skip-undefined | undefined | Vol. 2 |\n"
			  "| * | `ud-lock` | LOCK | Vol. 2 |\n");
	assert_int_equal(sst_expect_load(&e, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(e.count, 5);
	assert_int_equal(sst_expect_skip(&e, "8f.1"), 3);
	assert_int_equal(sst_expect_skip(&e, "8F.2"), -1);

	memset(&res, 0, sizeof(res));
	res.halted = true;
	res.sentinel_vector = 6;
	assert_int_equal(sst_expect_match(&e, "d6", &t, &res), 0);
	assert_int_equal(sst_expect_match(&e, "00", &t, &res), -1);
	assert_int_equal(sst_expect_match(&e, "00", &tl, &res), 4);
	res.sentinel_vector = 13;
	assert_int_equal(sst_expect_match(&e, "D6", &t, &res), -1);
	assert_int_equal(sst_expect_match(&e, "07", &t, &res), -1);
	res.sentinel_vector = 12;
	assert_int_equal(sst_expect_match(&e, "07", &t, &res), 2);
	res.halted = false;
	assert_int_equal(sst_expect_match(&e, "07", &t, &res), -1);

	memset(&res, 0, sizeof(res));
	res.halted = true;
	res.sentinel_vector = -1;
	res.reg_diff = 1u << MOO_FLAGS;
	res.flags_compared = 0x0FFF;
	res.expected[MOO_FLAGS] = 0x0002;
	res.got[MOO_FLAGS] = 0x0012;
	assert_int_equal(sst_expect_match(&e, "0F.1", &t, &res), 1);
	res.got[MOO_FLAGS] = 0x0013;
	assert_int_equal(sst_expect_match(&e, "0F.1", &t, &res), -1);
	res.got[MOO_FLAGS] = 0x0012;
	res.reg_diff |= 1u << MOO_AX;
	assert_int_equal(sst_expect_match(&e, "0F.1", &t, &res), -1);
	sst_expect_free(&e);

	path = write_temp("| form | difference | reason | SDM |\n|-|-|-|-|\n"
			  "| D6 | `sometimes` | x | y |\n");
	assert_int_equal(sst_expect_load(&e, path, err, sizeof(err)), -1);
	unlink(path);
	path = write_temp("| form | difference | reason | SDM |\n|-|-|-|-|\n"
			  "| D6 | `ud` | | y |\n");
	assert_int_equal(sst_expect_load(&e, path, err, sizeof(err)), -1);
	unlink(path);
	path = write_temp("| form | difference | reason | SDM |\n|-|-|-|-|\n"
			  "| D6 | `ud` | x | y |\n| d6 | ud | x | y |\n");
	assert_int_equal(sst_expect_load(&e, path, err, sizeof(err)), -1);
	unlink(path);
}

static void test_insn_shapes(void **state)
{
	static const uint8_t lock_add_mem[] = { 0xf0, 0x00, 0x07, 0xf4 };
	static const uint8_t lock_add_reg[] = { 0xf0, 0x00, 0xc0, 0xf4 };
	static const uint8_t lock_cmp_mem[] = { 0x26, 0xf0, 0x38, 0x07, 0xf4 };
	static const uint8_t lock_neg_mem[] = { 0xf0, 0xf7, 0x1f, 0xf4 };
	static const uint8_t lock_mov[] = { 0xf0, 0x88, 0x07, 0xf4 };
	static const uint8_t bp_si[] = { 0x01, 0x02, 0xf4 };
	static const uint8_t bp_si_es[] = { 0x26, 0x01, 0x02, 0xf4 };
	static const uint8_t bx_si_ss[] = { 0x36, 0x01, 0x00, 0xf4 };
	static const uint8_t disp16[] = { 0x01, 0x06, 0x34, 0x12, 0xf4 };
	static const uint8_t bp_disp8[] = { 0x01, 0x46, 0x10, 0xf4 };
	static const uint8_t pop_es[] = { 0x07, 0xf4 };
	static const uint8_t call_far_mem[] = { 0xff, 0x1f, 0xf4 };
	static const uint8_t inc_mem[] = { 0xff, 0x07, 0xf4 };
	struct moo_test t;

	(void)state;
	fake_test(&t, lock_add_mem, sizeof(lock_add_mem));
	assert_true(sst_insn_has_lock(&t));
	assert_true(sst_insn_lock_allowed(&t));
	assert_int_equal(sst_insn_length(&t), 3);
	fake_test(&t, lock_add_reg, sizeof(lock_add_reg));
	assert_false(sst_insn_lock_allowed(&t));
	fake_test(&t, lock_cmp_mem, sizeof(lock_cmp_mem));
	assert_int_equal(sst_insn_prefix_count(&t), 2);
	assert_false(sst_insn_lock_allowed(&t));
	fake_test(&t, lock_neg_mem, sizeof(lock_neg_mem));
	assert_true(sst_insn_lock_allowed(&t));
	fake_test(&t, lock_mov, sizeof(lock_mov));
	assert_false(sst_insn_lock_allowed(&t));

	fake_test(&t, bp_si, sizeof(bp_si));
	assert_true(sst_insn_may_use_ss(&t));
	fake_test(&t, bp_si_es, sizeof(bp_si_es));
	assert_false(sst_insn_may_use_ss(&t));
	fake_test(&t, bx_si_ss, sizeof(bx_si_ss));
	assert_true(sst_insn_may_use_ss(&t));
	fake_test(&t, disp16, sizeof(disp16));
	assert_false(sst_insn_may_use_ss(&t));
	fake_test(&t, bp_disp8, sizeof(bp_disp8));
	assert_true(sst_insn_may_use_ss(&t));
	fake_test(&t, pop_es, sizeof(pop_es));
	assert_true(sst_insn_may_use_ss(&t));
	fake_test(&t, call_far_mem, sizeof(call_far_mem));
	assert_true(sst_insn_may_use_ss(&t));
	fake_test(&t, inc_mem, sizeof(inc_mem));
	assert_false(sst_insn_may_use_ss(&t));
}

/* The kinds that look at the 286's recorded exception. */
static void test_expect_exception_kinds(void **state)
{
	static const uint8_t bp_si[] = { 0x01, 0x02, 0xf4 };
	static const uint8_t bx_si[] = { 0x01, 0x00, 0xf4 };
	static const uint8_t long11[] = { 0x2e, 0x36, 0x2e, 0x3e, 0x3e, 0x81,
					  0x84, 0xdf, 0x1d, 0x93, 0x76, 0xf4 };
	struct sst_result res;
	struct sst_expect e;
	struct moo_test t;
	char err[256];
	char *path;

	(void)state;
	path = write_temp("| form | difference | reason | SDM |\n|-|-|-|-|\n"
			  "| * | ss-fault | a | b |\n"
			  "| * | long-insn | a | b |\n"
			  "| 8C | no-ud | a | b |\n"
			  "| A5 | fault-regs cx si di | a | b |\n"
			  "| * | ip-wrap | a | b |\n");
	assert_int_equal(sst_expect_load(&e, path, err, sizeof(err)), 0);
	unlink(path);

	memset(&res, 0, sizeof(res));
	res.halted = true;
	res.sentinel_vector = 12;
	fake_test(&t, bp_si, sizeof(bp_si));
	t.has_exception = true;
	t.exception_vector = 13;
	assert_int_equal(sst_expect_match(&e, "01", &t, &res), 0);
	fake_test(&t, bx_si, sizeof(bx_si));
	t.has_exception = true;
	t.exception_vector = 13;
	assert_int_equal(sst_expect_match(&e, "01", &t, &res), -1);

	res.sentinel_vector = -1;
	res.reg_diff = (1u << MOO_CS) | (1u << MOO_IP);
	fake_test(&t, long11, sizeof(long11));
	t.has_exception = true;
	t.exception_vector = 13;
	assert_int_equal(sst_expect_match(&e, "81.0", &t, &res), 1);
	t.exception_vector = 6;
	assert_int_equal(sst_expect_match(&e, "81.0", &t, &res), -1);
	assert_int_equal(sst_expect_match(&e, "8C", &t, &res), 2);

	res.reg_diff = (1u << MOO_SI) | (1u << MOO_CX);
	fake_test(&t, bx_si, sizeof(bx_si));
	t.has_exception = true;
	t.exception_vector = 13;
	assert_int_equal(sst_expect_match(&e, "A5", &t, &res), 3);
	res.reg_diff |= 1u << MOO_AX;
	assert_int_equal(sst_expect_match(&e, "A5", &t, &res), -1);
	res.reg_diff = 1u << MOO_SI;
	res.ram_diff_count = 1;
	assert_int_equal(sst_expect_match(&e, "A5", &t, &res), -1);
	res.ram_diff_count = 0;
	t.has_exception = false;
	assert_int_equal(sst_expect_match(&e, "A5", &t, &res), -1);

	res.reg_diff = 1u << MOO_IP;
	res.expected[MOO_IP] = 0;
	res.got[MOO_IP] = 0x10000;
	assert_int_equal(sst_expect_match(&e, "C3", &t, &res), 4);
	res.got[MOO_IP] = 0x10001;
	assert_int_equal(sst_expect_match(&e, "C3", &t, &res), -1);
	sst_expect_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_meta_forms),
		cmocka_unit_test(test_revocation_list),
		cmocka_unit_test(test_expect_table),
		cmocka_unit_test(test_insn_shapes),
		cmocka_unit_test(test_expect_exception_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
