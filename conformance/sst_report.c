// SPDX-License-Identifier: MIT
/*
 * The -verbose report of a failing test: the instruction, how popek's run
 * ended, then each register and RAM byte as initial | expected | popek,
 * with the differing ones marked.
 */
#include "conformance/sst_report.h"

#include <inttypes.h>
#include <string.h>

/* FLAGS as letters, upper case where set: "O..T.Z..C". */
static void flags_letters(uint64_t f, char out[10])
{
	static const char name[] = "ODITSZAPC";
	static const uint16_t bit[] = { 0x800, 0x400, 0x200, 0x100, 0x80,
					0x40,  0x10,  0x4,   0x1 };
	unsigned i;

	for (i = 0; i < 9; i++)
		out[i] = f & bit[i] ? name[i] : '.';
	out[9] = '\0';
}

static void print_value(FILE *out, uint64_t v)
{
	if (v >> 16)
		fprintf(out, " %-9" PRIx64, v);
	else
		fprintf(out, " %04" PRIx64 "     ", v);
}

static void report_registers(FILE *out, const struct moo_test *t,
			     const struct sst_result *res)
{
	char fl[3][10];
	int i;

	fprintf(out, "  reg     initial   expected  popek\n");
	for (i = 0; i < MOO_REG_COUNT; i++) {
		bool differs = res->reg_diff & (1u << i);

		fprintf(out, "  %-6s", moo_reg_name(i));
		print_value(out, t->init.reg[i]);
		print_value(out, res->expected[i]);
		print_value(out, res->got[i]);
		if (differs)
			fprintf(out, " *");
		if (res->seg_base_diff & (1u << i))
			fprintf(out, " (base is not selector * 16)");
		if (i == MOO_FLAGS) {
			flags_letters(t->init.reg[i], fl[0]);
			flags_letters(res->expected[i], fl[1]);
			flags_letters(res->got[i], fl[2]);
			fprintf(out, "  %s %s %s, compared %04x", fl[0], fl[1],
				fl[2], res->flags_compared);
		}
		fputc('\n', out);
	}
}

static bool find_ram(const struct moo_state *s, uint32_t addr, uint8_t *v)
{
	uint32_t i, a;
	uint8_t b;

	for (i = 0; i < s->ram_count; i++) {
		moo_ram_entry(s, i, &a, &b);
		if (a == addr) {
			*v = b;
			return true;
		}
	}
	return false;
}

static void report_byte(FILE *out, const struct moo_test *t,
			const struct sst_result *res,
			const struct sst_runner *r, uint32_t addr)
{
	uint8_t init = 0, expected, got = sst_runner_ram(r, addr);
	uint8_t mask = 0xFF;
	bool has_init = find_ram(&t->init, addr, &init);
	uint32_t flags_lo, flags_hi;
	bool pushed = sst_pushed_flags(t, &flags_lo, &flags_hi);
	const char *note = "";

	if (!find_ram(&t->fina, addr, &expected))
		expected = init;
	if (pushed && addr == flags_lo) {
		mask = (uint8_t)res->flags_compared;
		note = " (pushed FLAGS, low)";
	} else if (pushed && addr == flags_hi) {
		mask = (uint8_t)(res->flags_compared >> 8);
		note = " (pushed FLAGS, high)";
	}
	fprintf(out, "          %06x   ", addr);
	if (has_init)
		fprintf(out, "%02x        ", init);
	else
		fprintf(out, "--        ");
	fprintf(out, "%02x        %02x%s%s\n", expected, got,
		(expected ^ got) & mask ? " *" : "", note);
}

static void report_ram(FILE *out, const struct moo_test *t,
		       const struct sst_result *res, const struct sst_runner *r)
{
	uint32_t i, addr;
	uint8_t v;

	fprintf(out, "  ram     address  initial   expected  popek\n");
	for (i = 0; i < t->init.ram_count; i++) {
		moo_ram_entry(&t->init, i, &addr, &v);
		report_byte(out, t, res, r, addr);
	}
	for (i = 0; i < t->fina.ram_count; i++) {
		moo_ram_entry(&t->fina, i, &addr, &v);
		if (!find_ram(&t->init, addr, &v))
			report_byte(out, t, res, r, addr);
	}
}

void sst_report_test(FILE *out, const char *file, const struct moo_test *t,
		     const struct sst_form *form, const struct sst_result *res,
		     const struct sst_runner *r)
{
	uint32_t i;

	fprintf(out, "== %s -index %u  form %s (%s)  %.*s\n", file, t->index,
		form->name, form->status, (int)t->name_len,
		t->name ? t->name : "");
	fprintf(out, "  bytes:");
	for (i = 0; i < t->byte_count; i++)
		fprintf(out, " %02x", t->bytes[i]);
	fputc('\n', out);
	if (t->has_exception)
		fprintf(out, "  286: exception %u, FLAGS pushed at %06x\n",
			t->exception_vector, t->exception_flags_addr);
	fprintf(out, "  popek: ");
	if (res->halted)
		fprintf(out, "HLT after %u steps", res->steps);
	else
		fprintf(out, "%s", res->message);
	if (res->sentinel_vector >= 0)
		fprintf(out, ", delivered vector %d (its sentinel HLT)",
			res->sentinel_vector);
	if (res->halted && res->message[0])
		fprintf(out, ", %s", res->message);
	fputc('\n', out);
	report_registers(out, t, res);
	report_ram(out, t, res, r);
	if (res->ram_diff_count)
		fprintf(out, "  %u RAM byte(s) differ\n", res->ram_diff_count);
}
