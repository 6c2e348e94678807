// SPDX-License-Identifier: MIT
/*
 * The MOO loader against the shared SingleStepTests 80286 set: counts and
 * fields of known tests (test 0 of 00.MOO.gz is the example the upstream
 * README prints), an exception record, and corrupt images, which must be
 * refused without reading out of bounds.
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

#include "conformance/moo.h"

#define SST_DIR "../shared/conformance/sst-80286"

static int load_or_skip(struct moo_file *f, const char *name)
{
	char path[256], err[256];

	snprintf(path, sizeof(path), "%s/%s", SST_DIR, name);
	if (access(path, R_OK)) {
		print_message("%s is missing: skipped\n", path);
		return -1;
	}
	assert_int_equal(moo_load(f, path, err, sizeof(err)), 0);
	return 0;
}

static uint32_t ram_addr(const struct moo_state *s, uint32_t i, uint8_t *v)
{
	uint32_t a;

	moo_ram_entry(s, i, &a, v);
	return a;
}

static void test_first_test_of_add(void **state)
{
	static const uint16_t init_regs[MOO_REG_COUNT] = {
		715,   26659, 49548, 64181, 65535, 41175, 65535,
		43996, 39769, 65535, 35262, 34633, 38072, 6291,
	};
	static const uint8_t hash[MOO_HASH_LEN] = {
		0x62, 0x6b, 0xe5, 0x08, 0x4b, 0x33, 0x10, 0x80, 0xeb, 0x08,
		0x25, 0x6c, 0x12, 0xa6, 0x2d, 0x24, 0xaf, 0xdf, 0x2a, 0x03,
	};
	static const uint8_t bytes[] = { 0x00, 0x5f, 0x0e, 0xf4 };
	const struct moo_test *t;
	struct moo_file f;
	uint8_t v;
	int i;

	(void)state;
	if (load_or_skip(&f, "00.MOO.gz"))
		skip();
	assert_int_equal(f.version, 1);
	assert_string_equal(f.cpu, "C286");
	assert_int_equal(f.test_count, 500);
	for (i = 0; i < 500; i++)
		assert_int_equal(f.tests[i].index, i);

	t = &f.tests[0];
	assert_int_equal(t->name_len, strlen("add [bx+0Eh],bl"));
	assert_memory_equal(t->name, "add [bx+0Eh],bl", t->name_len);
	assert_int_equal(t->byte_count, sizeof(bytes));
	assert_memory_equal(t->bytes, bytes, sizeof(bytes));

	assert_int_equal(t->init.reg_mask, 0x3FFF);
	for (i = 0; i < MOO_REG_COUNT; i++)
		assert_int_equal(t->init.reg[i], init_regs[i]);
	assert_int_equal(t->init.ram_count, 11);
	assert_int_equal(ram_addr(&t->init, 0, &v), 1086632);
	assert_int_equal(v, 0);
	assert_int_equal(ram_addr(&t->init, 1, &v), 1086633);
	assert_int_equal(v, 95);
	assert_int_equal(ram_addr(&t->init, 10, &v), 1075233);
	assert_int_equal(v, 222);

	assert_int_equal(t->fina.reg_mask, (1u << MOO_IP) | (1u << MOO_FLAGS));
	assert_int_equal(t->fina.reg[MOO_IP], 38076);
	assert_int_equal(t->fina.reg[MOO_FLAGS], 19);
	assert_int_equal(t->fina.ram_count, 1);
	assert_int_equal(ram_addr(&t->fina, 0, &v), 1075233);
	assert_int_equal(v, 1);

	assert_false(t->has_exception);
	assert_true(t->has_hash);
	assert_memory_equal(t->hash, hash, MOO_HASH_LEN);
	moo_free(&f);
}

/* C6 /7 (c6 fd) is #UD on the 286: the record says where FLAGS went. */
static void test_exception_record(void **state)
{
	const struct moo_test *t;
	struct moo_file f;

	(void)state;
	if (load_or_skip(&f, "C6.MOO.gz"))
		skip();
	t = &f.tests[0];
	assert_int_equal(t->byte_count, 3);
	assert_int_equal(t->bytes[0], 0xc6);
	assert_int_equal(t->bytes[1], 0xfd);
	assert_true(t->has_exception);
	assert_int_equal(t->exception_vector, 6);
	assert_int_equal(t->exception_flags_addr, 0x0233f0);
	assert_int_equal(t->fina.ram_count, 6);
	moo_free(&f);
}

static void test_group_file_and_total(void **state)
{
	static const char *const names[] = { "80.3.MOO.gz", "F7.7.MOO.gz",
					     "FF.6.MOO.gz" };
	struct moo_file f;
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (load_or_skip(&f, names[i]))
			skip();
		assert_int_equal(f.test_count, 500);
		assert_true(f.tests[499].byte_count > 0);
		assert_true(f.tests[499].init.ram_count > 0);
		moo_free(&f);
	}
}

/* A small valid image: header and one TEST with every chunk kind. */
static size_t build_image(uint8_t *p)
{
	static const uint8_t img[] = {
		'M',  'O',  'O',  ' ',	12,   0,    0,	 0, /* header length */
		1,    0,    0,	  0,	1,    0,    0,	 0,   'C', '2', '8',
		'6',  'T',  'E',  'S',	'T',  91,   0,	 0,   0, /* TEST, 91 bytes */
		7,    0,    0,	  0, /* index */
		'N',  'A',  'M',  'E',	6,    0,    0,	 0,   2,   0,	0,
		0,    'h',  'i',  'B',	'Y',  'T',  'S', 5,   0,   0,	0,
		1,    0,    0,	  0,	0xf4, 'I',  'N', 'I', 'T', 31,	0,
		0,    0,    'R',  'E',	'G',  'S',  6,	 0,   0,   0,	0x10,
		0x10, 0x34, 0x12, 0x78, 0x56, /* cs, ip */
		'R',  'A',  'M',  ' ',	9,    0,    0,	 0,   1,   0,	0,
		0,    0x00, 0x00, 0x01, 0x00, 0xf4, 'F', 'I', 'N', 'A', 0,
		0,    0,    0,	  'E',	'X',  'C',  'P', 5,   0,   0,	0,
		13,   0x10, 0x20, 0x30, 0,
	};

	memcpy(p, img, sizeof(img));
	return sizeof(img);
}

static void test_small_image(void **state)
{
	uint8_t *buf = malloc(256);
	struct moo_file f;
	char err[128];
	uint32_t a;
	uint8_t v;
	size_t n;

	(void)state;
	assert_non_null(buf);
	n = build_image(buf);
	assert_int_equal(moo_parse(&f, buf, n, err, sizeof(err)), 0);
	assert_int_equal(f.test_count, 1);
	assert_int_equal(f.tests[0].index, 7);
	assert_int_equal(f.tests[0].init.reg[MOO_CS], 0x1234);
	assert_int_equal(f.tests[0].init.reg[MOO_IP], 0x5678);
	moo_ram_entry(&f.tests[0].init, 0, &a, &v);
	assert_int_equal(a, 0x10000);
	assert_int_equal(v, 0xf4);
	assert_true(f.tests[0].has_exception);
	assert_int_equal(f.tests[0].exception_vector, 13);
	assert_int_equal(f.tests[0].exception_flags_addr, 0x302010);
	moo_free(&f);
}

/* Every truncation of a valid image is refused, none read past it. */
static void test_truncated_images(void **state)
{
	uint8_t img[256];
	struct moo_file f;
	char err[128];
	size_t n, len;

	(void)state;
	n = build_image(img);
	for (len = 0; len < n; len++) {
		uint8_t *buf = malloc(len ? len : 1);

		assert_non_null(buf);
		memcpy(buf, img, len);
		assert_int_equal(moo_parse(&f, buf, len, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
		moo_free(&f);
	}
}

/* A length field that points past the end, and a count too large. */
static void test_lying_lengths(void **state)
{
	uint8_t img[256];
	struct moo_file f;
	char err[128];
	uint8_t *buf;
	size_t n;

	(void)state;
	n = build_image(img);

	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, img, n);
	buf[40] = 0xff; /* NAME's inner length */
	assert_int_equal(moo_parse(&f, buf, n, err, sizeof(err)), -1);
	moo_free(&f);

	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, img, n);
	buf[12 + 3] = 0x7f; /* test count */
	assert_int_equal(moo_parse(&f, buf, n, err, sizeof(err)), -1);
	moo_free(&f);
}

static void test_missing_file(void **state)
{
	struct moo_file f;
	char err[128] = "";

	(void)state;
	assert_int_equal(
		moo_load(&f, "/nonexistent/00.MOO.gz", err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_test_of_add),
		cmocka_unit_test(test_exception_record),
		cmocka_unit_test(test_group_file_and_total),
		cmocka_unit_test(test_small_image),
		cmocka_unit_test(test_truncated_images),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
