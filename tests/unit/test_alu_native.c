// SPDX-License-Identifier: MIT
/*
 * The host CPU is the oracle for the interpreter's integer instructions.
 *
 * Every case is one instruction with register operands.  It runs on the
 * host (the same bytes, between a prologue that loads EAX..EDI and EFLAGS
 * from a struct and an epilogue that stores them back) and in the
 * interpreter (flat 32-bit protected mode, one cpu_step()), and the two
 * results are compared: the low 32 bits of the seven general registers
 * other than ESP, and the arithmetic flags minus those the SDM leaves
 * undefined for that instruction.
 *
 * The host runs in 64-bit mode, where the register-to-register encodings
 * we use mean the same as in 32-bit code (no REX prefix, so AH..BH stay
 * reachable).  Where they do not, a case carries separate host bytes:
 * INC/DEC 40+r (REX in 64-bit mode) run natively as FF /0 and FF /1, and
 * 82 /n as 80 /n.  DAA, DAS, AAA, AAS, AAM and AAD do not exist in 64-bit
 * mode, so they run natively in Linux's 32-bit user code segment (0x23),
 * reached by a far call from a trampoline mapped below 4 GiB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alu_oracle.h"

/* --- ADD OR ADC SBB AND SUB XOR CMP ---------------------------------------- */

static const char *const alu_names[8] = { "add", "or",	"adc", "sbb",
					  "and", "sub", "xor", "cmp" };

enum bin_form {
	BIN_RM_R, /* 00+8n /r, 01+8n /r */
	BIN_R_RM, /* 02+8n /r, 03+8n /r */
	BIN_ACC_IMM, /* 04+8n ib, 05+8n iz */
	BIN_GRP_IMM, /* 80 /n ib, 81 /n iz */
	BIN_GRP_IMM8S, /* 83 /n ib */
	BIN_GRP_82, /* 82 /n ib: 80's alias, gone in 64-bit mode */
	BIN_FORMS,
};

static const char *const bin_form_names[BIN_FORMS] = {
	"r/m, r",	    "r, r/m",	      "acc, imm",
	"r/m, imm (80/81)", "r/m, imm8 (83)", "r/m8, imm8 (82)",
};

static bool bin_form_valid(enum bin_form f, int size)
{
	if (f == BIN_GRP_IMM8S)
		return size != 8;
	if (f == BIN_GRP_82)
		return size == 8;
	return true;
}

static bool alu_is_logic(unsigned op)
{
	return op == 1 || op == 4 || op == 6;
}

/*
 * One ALU instruction with destination value a and source value b (for
 * the immediate forms b is the immediate, sign-extended where 83 says so).
 */
static void gen_binary(struct alu_case *c, struct rng *g, unsigned op, int size,
		       enum bin_form f, uint32_t a, uint32_t b)
{
	unsigned dst = pick_reg(g, size), src = pick_reg(g, size);
	int isz = size == 8 ? 1 : size / 8;
	uint8_t w = size == 8 ? 0 : 1;

	case_init(c, g, "%s%d %s", alu_names[op], size, bin_form_names[f]);
	if (alu_is_logic(op))
		c->undef_flags = FLAG_AF; /* SDM Vol. 2: AND, OR, XOR */
	emit_osz(c, size);
	switch (f) {
	case BIN_RM_R:
		emit(c, (uint8_t)(op * 8 + w));
		emit(c, modrm_reg(src, dst));
		reg_put(&c->in, src, size, b);
		reg_put(&c->in, dst, size, a);
		break;
	case BIN_R_RM:
		emit(c, (uint8_t)(op * 8 + 2 + w));
		emit(c, modrm_reg(dst, src));
		reg_put(&c->in, src, size, b);
		reg_put(&c->in, dst, size, a);
		break;
	case BIN_ACC_IMM:
		emit(c, (uint8_t)(op * 8 + 4 + w));
		emit_imm(c, b, isz);
		reg_put(&c->in, R_AX, size, a);
		break;
	case BIN_GRP_IMM:
		emit(c, (uint8_t)(0x80 + w));
		emit(c, modrm_reg(op, dst));
		emit_imm(c, b, isz);
		reg_put(&c->in, dst, size, a);
		break;
	case BIN_GRP_IMM8S:
		emit(c, 0x83);
		emit(c, modrm_reg(op, dst));
		emit_imm(c, b, 1);
		reg_put(&c->in, dst, size, a);
		break;
	case BIN_GRP_82:
		emit(c, 0x82);
		emit(c, modrm_reg(op, dst));
		emit_imm(c, b, 1);
		reg_put(&c->in, dst, size, a);
		memcpy(c->host, c->code, c->code_len);
		c->host_len = c->code_len;
		c->host[0] = 0x80;
		break;
	default:
		break;
	}
}

/* The edges against each other (with CF clear and set), then random. */
static void run_binary_form(struct alu_ctx *x, struct rng *g, unsigned op,
			    int size, enum bin_form f)
{
	struct alu_case c;
	int n = f == BIN_RM_R ? ITERS : ALT_ITERS;

	if (f == BIN_RM_R) {
		for (unsigned i = 0; i < 2 * N_EDGES * N_EDGES; i++) {
			unsigned e = i % (N_EDGES * N_EDGES);

			gen_binary(&c, g, op, size, f,
				   edge_value(e % N_EDGES, size),
				   edge_value(e / N_EDGES, size));
			c.in.flags &= ~(uint64_t)FLAG_CF;
			if (i >= N_EDGES * N_EDGES)
				c.in.flags |= FLAG_CF;
			check_case(x, &c);
		}
	}
	for (int i = 0; i < n; i++) {
		gen_binary(&c, g, op, size, f, rand_value(g, size),
			   rand_value(g, size));
		check_case(x, &c);
	}
}

static void test_alu_binary(void **state)
{
	static const int sizes[3] = { 8, 16, 32 };
	struct alu_ctx *x = *state;
	struct rng g;

	ctx_begin(x);
	rng_seed(&g, 1);
	for (unsigned op = 0; op < 8; op++)
		for (int si = 0; si < 3; si++)
			for (int f = 0; f < BIN_FORMS; f++)
				if (bin_form_valid(f, sizes[si]))
					run_binary_form(x, &g, op, sizes[si],
							f);
	ctx_end(x, "add/or/adc/sbb/and/sub/xor/cmp");
}

/* --- TEST ----------------------------------------------------------------- */

static void test_alu_test(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;
	static const int sizes[3] = { 8, 16, 32 };

	ctx_begin(x);
	rng_seed(&g, 2);
	for (int si = 0; si < 3; si++) {
		int size = sizes[si];
		uint8_t w = size == 8 ? 0 : 1;
		int isz = size / 8;

		for (int f = 0; f < 3; f++) {
			for (int i = 0; i < ITERS; i++) {
				unsigned d = pick_reg(&g, size);
				unsigned s = pick_reg(&g, size);
				uint32_t a = rand_value(&g, size);
				uint32_t b = rand_value(&g, size);

				case_init(&c, &g, "test%d %s", size,
					  f == 0 ? "r/m, r (84/85)" :
					  f == 1 ? "acc, imm (a8/a9)" :
						   "r/m, imm (f6/f7 /0)");
				c.undef_flags = FLAG_AF;
				emit_osz(&c, size);
				if (f == 0) {
					emit(&c, 0x84 + w);
					emit(&c, modrm_reg(s, d));
					reg_put(&c.in, s, size, b);
					reg_put(&c.in, d, size, a);
				} else if (f == 1) {
					emit(&c, 0xA8 + w);
					emit_imm(&c, b, isz);
					reg_put(&c.in, R_AX, size, a);
				} else {
					emit(&c, 0xF6 + w);
					emit(&c, modrm_reg(0, d));
					emit_imm(&c, b, isz);
					reg_put(&c.in, d, size, a);
				}
				check_case(x, &c);
			}
		}
	}
	ctx_end(x, "test");
}

/* --- INC DEC NEG NOT ------------------------------------------------------- */

static void test_inc_dec_neg_not(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;
	static const int sizes[3] = { 8, 16, 32 };
	/* ModRM reg field and opcode group: FE/FF /0 /1, F6/F7 /2 /3 */
	static const struct {
		const char *name;
		uint8_t op8, reg;
	} ops[4] = {
		{ "inc", 0xFE, 0 },
		{ "dec", 0xFE, 1 },
		{ "not", 0xF6, 2 },
		{ "neg", 0xF6, 3 },
	};

	ctx_begin(x);
	rng_seed(&g, 3);
	for (int k = 0; k < 4; k++) {
		for (int si = 0; si < 3; si++) {
			int size = sizes[si];

			for (int i = 0; i < ITERS + N_EDGES; i++) {
				unsigned d = pick_reg(&g, size);
				uint32_t a = i < N_EDGES ? edge_value(i, size) :
							   rand_value(&g, size);

				case_init(&c, &g, "%s%d r/m", ops[k].name,
					  size);
				emit_osz(&c, size);
				emit(&c, ops[k].op8 + (size == 8 ? 0 : 1));
				emit(&c, modrm_reg(ops[k].reg, d));
				reg_put(&c.in, d, size, a);
				check_case(x, &c);
			}
		}
		/* 40+r and 48+r: one byte in 32-bit code, REX on the host. */
		if (k >= 2)
			continue;
		for (int si = 1; si < 3; si++) {
			int size = sizes[si];

			for (int i = 0; i < ALT_ITERS; i++) {
				unsigned d = pick_reg(&g, size);

				case_init(&c, &g, "%s%d r (%02x+r)",
					  ops[k].name, size, 0x40 + 8 * k);
				emit_osz(&c, size);
				emit(&c, (uint8_t)(0x40 + 8 * k + d));
				memset(c.host, 0, sizeof(c.host));
				c.host_len = 0;
				if (size == 16)
					c.host[c.host_len++] = 0x66;
				c.host[c.host_len++] = 0xFF;
				c.host[c.host_len++] = modrm_reg(k, d);
				reg_put(&c.in, d, size, rand_value(&g, size));
				check_case(x, &c);
			}
		}
	}
	ctx_end(x, "inc/dec/not/neg");
}

/* --- shifts and rotates ---------------------------------------------------- */

static const char *const grp2_names[8] = { "rol", "ror", "rcl", "rcr",
					   "shl", "shr", "sal", "sar" };

/*
 * Flags the SDM leaves undefined after a group-2 instruction with the
 * given count (before masking): none when the masked count is 0 (nothing
 * changes); rotates: OF unless the count is 1; shifts: AF, OF unless the
 * count is 1, and CF for SHL/SHR when the count reaches the operand size.
 */
static uint32_t grp2_undef(unsigned op, int size, unsigned count)
{
	unsigned n = count & 31;
	uint32_t u = 0;

	if (!n)
		return 0;
	if (n != 1)
		u |= FLAG_OF;
	if (op >= 4) {
		u |= FLAG_AF;
		if (op != 7 && n >= (unsigned)size)
			u |= FLAG_CF;
	}
	return u;
}

enum grp2_form {
	GRP2_CL, /* D2/D3 */
	GRP2_ONE, /* D0/D1 */
	GRP2_IMM, /* C0/C1 ib */
};

static void gen_grp2(struct alu_case *c, struct rng *g, unsigned op, int size,
		     enum grp2_form f, unsigned count, uint32_t a)
{
	uint8_t w = size == 8 ? 0 : 1;
	unsigned d;

	/* Keep the count in CL apart from the operand. */
	do
		d = pick_reg(g, size);
	while (f == GRP2_CL && d == R_CX);
	case_init(c, g, "%s%d r/m, %s", grp2_names[op], size,
		  f == GRP2_CL	? "cl" :
		  f == GRP2_ONE ? "1" :
				  "imm8");
	emit_osz(c, size);
	switch (f) {
	case GRP2_CL:
		emit(c, 0xD2 + w);
		emit(c, modrm_reg(op, d));
		c->in.r[R_CX] = (c->in.r[R_CX] & ~0xFFu) | (count & 0xFF);
		break;
	case GRP2_ONE:
		count = 1;
		emit(c, 0xD0 + w);
		emit(c, modrm_reg(op, d));
		break;
	case GRP2_IMM:
		emit(c, 0xC0 + w);
		emit(c, modrm_reg(op, d));
		emit(c, (uint8_t)count);
		break;
	}
	reg_put(&c->in, d, size, a);
	c->undef_flags = grp2_undef(op, size, count);
}

static void run_grp2(struct alu_ctx *x, const unsigned *ops, int nops,
		     uint64_t seed)
{
	struct alu_case c;
	struct rng g;
	static const int sizes[3] = { 8, 16, 32 };

	rng_seed(&g, seed);
	for (int k = 0; k < nops; k++) {
		unsigned op = ops[k];

		for (int si = 0; si < 3; si++) {
			int size = sizes[si];

			for (unsigned count = 0; count <= 40; count++)
				for (int i = 0; i < SHIFT_ITERS + N_EDGES;
				     i++) {
					uint32_t a =
						i < N_EDGES ?
							edge_value(i, size) :
							rand_value(&g, size);

					gen_grp2(&c, &g, op, size, GRP2_CL,
						 count, a);
					check_case(x, &c);
				}
			for (int i = 0; i < ALT_ITERS; i++) {
				gen_grp2(&c, &g, op, size, GRP2_ONE, 1,
					 rand_value(&g, size));
				check_case(x, &c);
				gen_grp2(&c, &g, op, size, GRP2_IMM,
					 i & 1 ? rng_below(&g, 256) :
						 rng_below(&g, 41),
					 rand_value(&g, size));
				check_case(x, &c);
			}
		}
	}
}

static void test_shifts(void **state)
{
	static const unsigned ops[3] = { 4, 5, 7 };
	struct alu_ctx *x = *state;

	ctx_begin(x);
	run_grp2(x, ops, 3, 4);
	ctx_end(x, "shl/shr/sar");
}

static void test_rotates(void **state)
{
	static const unsigned ops[4] = { 0, 1, 2, 3 };
	struct alu_ctx *x = *state;

	ctx_begin(x);
	run_grp2(x, ops, 4, 5);
	ctx_end(x, "rol/ror/rcl/rcr");
}

/* --- SHLD SHRD ------------------------------------------------------------- */

static void test_shld_shrd(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;

	ctx_begin(x);
	rng_seed(&g, 6);
	for (int right = 0; right < 2; right++) {
		for (int size = 16; size <= 32; size += 16) {
			for (int f = 0; f < 2; f++) {
				int total = f == 0 ? 41 * (SHIFT_ITERS + 2) :
						     ALT_ITERS * 2;

				for (int i = 0; i < total; i++) {
					unsigned count =
						f == 0 ? (unsigned)i % 41 :
							 rng_below(&g,
								   i & 1 ? 256 :
									   41);
					unsigned n = count & 31;
					unsigned d, s;

					do
						d = pick_reg(&g, size);
					while (f == 0 && d == R_CX);
					s = pick_reg(&g, size);
					case_init(&c, &g, "%s%d r/m, r, %s",
						  right ? "shrd" : "shld", size,
						  f == 0 ? "cl" : "imm8");
					emit_osz(&c, size);
					emit(&c, 0x0F);
					emit(&c,
					     (uint8_t)((right ? 0xAC : 0xA4) +
						       (f == 0 ? 1 : 0)));
					emit(&c, modrm_reg(s, d));
					if (f == 1)
						emit(&c, (uint8_t)count);
					else
						c.in.r[R_CX] = (c.in.r[R_CX] &
								~0xFFu) |
							       count;
					reg_put(&c.in, s, size,
						rand_value(&g, size));
					reg_put(&c.in, d, size,
						rand_value(&g, size));
					/* the source may be ECX itself */
					if (f == 0)
						n = c.in.r[R_CX] & 31;
					if (n) {
						c.undef_flags = FLAG_AF;
						if (n > 1)
							c.undef_flags |=
								FLAG_OF;
					}
					/* SDM: count > operand size leaves
					 * the result and flags undefined. */
					if (n > (unsigned)size) {
						c.undef_flags = FLAGS_ARITH;
						mask_reg(&c, d, size);
					}
					check_case(x, &c);
				}
			}
		}
	}
	ctx_end(x, "shld/shrd");
}

/* --- MUL IMUL ---------------------------------------------------------------- */

#define MUL_UNDEF (FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF)

static void test_mul_imul(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;
	static const int sizes[3] = { 8, 16, 32 };

	ctx_begin(x);
	rng_seed(&g, 7);
	/* One operand: F6/F7 /4 MUL, /5 IMUL. */
	for (unsigned sub = 4; sub <= 5; sub++)
		for (int si = 0; si < 3; si++) {
			int size = sizes[si];

			for (int i = 0; i < ITERS + N_EDGES * N_EDGES; i++) {
				unsigned s = pick_reg(&g, size);
				uint32_t a, b;

				if (i < N_EDGES * N_EDGES) {
					a = edge_value(i % N_EDGES, size);
					b = edge_value(i / N_EDGES, size);
				} else {
					a = rand_value(&g, size);
					b = rand_value(&g, size);
				}
				case_init(&c, &g, "%s%d r/m",
					  sub == 4 ? "mul" : "imul", size);
				c.undef_flags = MUL_UNDEF;
				emit_osz(&c, size);
				emit(&c, size == 8 ? 0xF6 : 0xF7);
				emit(&c, modrm_reg(sub, s));
				reg_put(&c.in, R_AX, size, a);
				reg_put(&c.in, s, size, b);
				check_case(x, &c);
			}
		}
	/* Two operands 0F AF, three operands 69 iz and 6B ib. */
	for (int f = 0; f < 3; f++)
		for (int size = 16; size <= 32; size += 16)
			for (int i = 0; i < ITERS; i++) {
				unsigned d = pick_reg(&g, size);
				unsigned s = pick_reg(&g, size);
				uint32_t a = rand_value(&g, size);
				uint32_t b = rand_value(&g, size);

				case_init(&c, &g, "imul%d %s", size,
					  f == 0 ? "r, r/m (0f af)" :
					  f == 1 ? "r, r/m, imm (69)" :
						   "r, r/m, imm8 (6b)");
				c.undef_flags = MUL_UNDEF;
				emit_osz(&c, size);
				if (f == 0) {
					emit(&c, 0x0F);
					emit(&c, 0xAF);
				} else {
					emit(&c, f == 1 ? 0x69 : 0x6B);
				}
				emit(&c, modrm_reg(d, s));
				if (f == 1)
					emit_imm(&c, b, size / 8);
				else if (f == 2)
					emit_imm(&c, b, 1);
				reg_put(&c.in, s, size, a);
				if (f == 0)
					reg_put(&c.in, d, size, b);
				check_case(x, &c);
			}
	ctx_end(x, "mul/imul");
}

/* --- DIV IDIV ---------------------------------------------------------------- */

static int64_t sext(uint64_t v, int bits)
{
	uint64_t m = 1ull << (bits - 1);

	v &= (bits == 64) ? ~0ull : (1ull << bits) - 1;
	return (int64_t)((v ^ m) - m);
}

/*
 * Would DIV (signed = false) or IDIV of the dividend in AX, DX:AX or
 * EDX:EAX by the given register raise #DE?  (SDM Vol. 2A, DIV and IDIV.)
 */
static bool div_faults(const struct xregs *r, unsigned src, int size,
		       bool is_signed)
{
	uint64_t lo = reg_get(r, R_AX, size == 8 ? 16 : size);
	uint64_t hi = size == 8 ? 0 : reg_get(r, R_DX, size);
	uint64_t dividend = size == 8 ? lo : (hi << size) | lo;
	uint64_t divisor = reg_get(r, src, size);

	if (!divisor)
		return true;
	if (!is_signed)
		return dividend / divisor > size_mask(size);
	{
		__int128 n = sext(dividend, 2 * size);
		__int128 d = sext(divisor, size);
		__int128 q = n / d;
		__int128 lim = (__int128)1 << (size - 1);

		return q >= lim || q < -lim;
	}
}

static void gen_dividend(struct rng *g, struct xregs *r, int size,
			 bool is_signed, uint32_t divisor)
{
	uint32_t lo = rand_value(g, size);
	uint32_t hi;

	switch (rng_below(g, 4)) {
	case 0: /* anything; mostly faults, filtered by the caller */
		hi = rand_value(g, size);
		break;
	case 1: /* the sign (or zero) extension of the low half */
		hi = (is_signed && (lo & sign_bit(size))) ? size_mask(size) : 0;
		break;
	default: /* below the divisor: the quotient fits unsigned */
		hi = divisor ? rng_u32(g) % divisor : 0;
		if (is_signed && rng_below(g, 2))
			hi = (hi >> 1) | (rng_below(g, 2) ? sign_bit(size) : 0);
		break;
	}
	hi &= size_mask(size);
	if (size == 8) {
		reg_put(r, R_AX, 16, (hi << 8) | lo);
	} else {
		reg_put(r, R_AX, size, lo);
		reg_put(r, R_DX, size, hi);
	}
}

static void test_div_idiv(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;
	static const int sizes[3] = { 8, 16, 32 };

	ctx_begin(x);
	rng_seed(&g, 8);
	for (unsigned sub = 6; sub <= 7; sub++)
		for (int si = 0; si < 3; si++) {
			int size = sizes[si];
			bool is_signed = sub == 7;

			for (int i = 0; i < ITERS; i++) {
				unsigned s = pick_reg(&g, size);
				int tries = 0;

				do {
					uint32_t div = rand_value(&g, size);

					case_init(&c, &g, "%s%d r/m",
						  is_signed ? "idiv" : "div",
						  size);
					reg_put(&c.in, s, size, div);
					gen_dividend(&g, &c.in, size, is_signed,
						     div);
					/* the dividend may have overwritten
					 * the divisor register: re-check */
					if (!div_faults(&c.in, s, size,
							is_signed))
						break;
					x->skipped++;
				} while (++tries < 50);
				if (tries == 50)
					continue;
				c.undef_flags = FLAGS_ARITH;
				emit_osz(&c, size);
				emit(&c, size == 8 ? 0xF6 : 0xF7);
				emit(&c, modrm_reg(sub, s));
				check_case(x, &c);
			}
		}
	ctx_end(x, "div/idiv");
}

/*
 * #DE from the interpreter: the fault is delivered through the vector 0
 * entry the harness installed, with the faulting instruction's address
 * pushed and the registers untouched (SDM Vol. 3A §6.15, Interrupt 0).
 */
struct de_case {
	const char *name;
	uint8_t code[4]; /* as in 32-bit code; 16-bit code flips 0x66 */
	size_t len;
	uint32_t eax, ecx, edx;
};

static const struct de_case de_cases[] = {
	{ "div cl, cl = 0", { 0xF6, 0xF1 }, 2, 0x1234, 0, 0 },
	{ "div cl, quotient 0x102", { 0xF6, 0xF1 }, 2, 0x1234, 0x12, 0 },
	{ "idiv cl, 0x8000 / -1", { 0xF6, 0xF9 }, 2, 0x8000, 0xFF, 0 },
	{ "idiv cl, 128 / 1", { 0xF6, 0xF9 }, 2, 0x0080, 0x01, 0 },
	{ "div cx, cx = 0", { 0x66, 0xF7, 0xF1 }, 3, 0x1234, 0, 0x5678 },
	{ "idiv cx, 0x80000000 / -1",
	  { 0x66, 0xF7, 0xF9 },
	  3,
	  0,
	  0xFFFF,
	  0x8000 },
	{ "div ecx, edx = ecx", { 0xF7, 0xF1 }, 2, 0, 5, 5 },
	{ "idiv ecx, 2^63 / -1", { 0xF7, 0xF9 }, 2, 0, 0xFFFFFFFF, 0x80000000 },
	{ "idiv ecx, -2^31 * 2 / 1", { 0xF7, 0xF9 }, 2, 0, 1, 0xFFFFFFFF },
	{ "aam 0", { 0xD4, 0x00 }, 2, 0x1234, 0, 0 },
};

static uint32_t rd32(struct harness *h, uint32_t addr, int bytes)
{
	uint8_t b[4] = { 0 };

	harness_read(h, addr, b, (size_t)bytes);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static unsigned check_de(struct alu_ctx *x, const struct de_case *d, bool real)
{
	struct harness *h = x->hn;
	struct cpu_state s;
	uint8_t code[8];
	size_t len = 0;
	enum cpu_stop stop;
	uint32_t arith = FLAG_CF | FLAG_ZF | FLAG_OF;
	uint32_t in_flags = FLAG_FIXED1 | FLAG_IF | arith;
	int frame = real ? 2 : 4;
	unsigned bad = 0;
	uint32_t sp, ret_ip, ret_cs, ret_fl;
	const char *mode = real ? "real mode" : "protected mode";

	/* 66 selects the other operand size in either mode */
	if (d->code[0] == 0x66) {
		if (!real)
			code[len++] = 0x66;
		memcpy(code + len, d->code + 1, d->len - 1);
		len += d->len - 1;
	} else {
		if (real && (d->code[0] == 0xF7))
			code[len++] = 0x66;
		memcpy(code + len, d->code, d->len);
		len += d->len;
	}

	if (real)
		harness_state_real(h, &s);
	else
		harness_state_pm32(h, &s);
	s.gpr[R_AX] = d->eax;
	s.gpr[R_CX] = d->ecx;
	s.gpr[R_DX] = d->edx;
	s.rflags = in_flags;
	stop = harness_step(h, code, len, &s);
	/* cpu_step may deliver the fault in the step that raised it, or
	 * leave it for the next one; allow one more step for the latter. */
	if (stop == CPU_STOP_BUDGET && s.rip == HARNESS_CODE) {
		stop = cpu_step(h->m->cpu);
		cpu_state_get(h->m->cpu, &s);
	}

	if (s.rip != HARNESS_HANDLER(0) || stop != CPU_STOP_BUDGET) {
		int v = harness_handler_vector(s.rip);

		print_message("  %s (%s): expected #DE at %#x, got EIP %#llx "
			      "(%s%d), stop %s\n",
			      d->name, mode, HARNESS_HANDLER(0),
			      (unsigned long long)s.rip,
			      v >= 0 ? "vector " : "no vector, ", v,
			      stop_name(stop));
		return 1;
	}
	sp = (uint32_t)s.gpr[R_SP] & (real ? 0xFFFF : 0xFFFFFFFF);
	if (sp != HARNESS_STACK_TOP - 3 * (uint32_t)frame) {
		print_message("  %s (%s): ESP %#x after #DE, expected %#x\n",
			      d->name, mode, sp, HARNESS_STACK_TOP - 3 * frame);
		return 1;
	}
	ret_ip = rd32(h, sp, frame);
	ret_cs = rd32(h, sp + (uint32_t)frame, 2);
	ret_fl = rd32(h, sp + 2 * (uint32_t)frame, frame);
	if (ret_ip != HARNESS_CODE) {
		print_message("  %s (%s): pushed EIP %#x, expected the "
			      "faulting instruction %#x\n",
			      d->name, mode, ret_ip, HARNESS_CODE);
		bad++;
	}
	if (ret_cs != (real ? 0 : HARNESS_SEL_CODE) ||
	    s.seg[SEG_CS].sel != (real ? 0 : HARNESS_SEL_CODE)) {
		print_message("  %s (%s): pushed CS %#x, new CS %#x\n", d->name,
			      mode, ret_cs, s.seg[SEG_CS].sel);
		bad++;
	}
	if ((ret_fl & (FLAGS_ARITH | FLAG_IF)) != (in_flags & ~FLAG_FIXED1)) {
		print_message("  %s (%s): pushed FLAGS %#x, expected the "
			      "flags before the instruction %#x\n",
			      d->name, mode, ret_fl, in_flags);
		bad++;
	}
	if (s.rflags & FLAG_IF) {
		print_message("  %s (%s): IF still set in the handler\n",
			      d->name, mode);
		bad++;
	}
	if ((uint32_t)s.gpr[R_AX] != d->eax ||
	    (uint32_t)s.gpr[R_CX] != d->ecx ||
	    (uint32_t)s.gpr[R_DX] != d->edx) {
		print_message("  %s (%s): registers changed by a faulting "
			      "instruction: eax %#x ecx %#x edx %#x\n",
			      d->name, mode, (uint32_t)s.gpr[R_AX],
			      (uint32_t)s.gpr[R_CX], (uint32_t)s.gpr[R_DX]);
		bad++;
	}
	return bad;
}

static void test_divide_error_real(void **state)
{
	struct alu_ctx *x = *state;
	unsigned bad = 0;

	for (size_t i = 0; i < sizeof(de_cases) / sizeof(de_cases[0]); i++)
		bad += check_de(x, &de_cases[i], true) ? 1 : 0;
	if (bad)
		fail_msg("%u of %zu #DE cases wrong in real mode", bad,
			 sizeof(de_cases) / sizeof(de_cases[0]));
}

static void test_divide_error_protected(void **state)
{
	struct alu_ctx *x = *state;
	unsigned bad = 0;

	for (size_t i = 0; i < sizeof(de_cases) / sizeof(de_cases[0]); i++)
		bad += check_de(x, &de_cases[i], false) ? 1 : 0;
	if (bad)
		fail_msg("%u of %zu #DE cases wrong in protected mode", bad,
			 sizeof(de_cases) / sizeof(de_cases[0]));
}

/* --- DAA DAS AAA AAS AAM AAD ------------------------------------------------ */

static void gen_bcd(struct alu_case *c, struct rng *g, const char *name,
		    uint8_t op, int imm, uint32_t ax, uint32_t undef)
{
	case_init(c, g, "%s%s", name, imm >= 0 && imm != 10 ? " imm" : "");
	emit(c, op);
	if (imm >= 0)
		emit(c, (uint8_t)imm);
	reg_put(&c->in, R_AX, 16, ax);
	c->undef_flags = undef;
	c->compat = true;
}

static void test_bcd(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;
	static const struct {
		const char *name;
		uint8_t op;
		uint32_t undef;
	} adj[4] = {
		/* SDM Vol. 2A: DAA, DAS: OF undefined; AAA, AAS: OF SF ZF
		 * PF undefined */
		{ "daa", 0x27, FLAG_OF },
		{ "das", 0x2F, FLAG_OF },
		{ "aaa", 0x37, FLAG_OF | FLAG_SF | FLAG_ZF | FLAG_PF },
		{ "aas", 0x3F, FLAG_OF | FLAG_SF | FLAG_ZF | FLAG_PF },
	};
	/* AAM, AAD: CF OF AF undefined */
	const uint32_t aam_undef = FLAG_CF | FLAG_OF | FLAG_AF;

	if (!x->host.compat_ok)
		skip();
	ctx_begin(x);
	rng_seed(&g, 9);
	/* Every AL with every CF and AF; a few AH values. */
	for (int k = 0; k < 4; k++)
		for (unsigned al = 0; al < 256; al++)
			for (unsigned f = 0; f < 4; f++)
				for (int hi = 0; hi < 3; hi++) {
					uint32_t ah =
						hi == 0 ? 0 :
						hi == 1 ? 0xFF :
							  rng_below(&g, 256);

					gen_bcd(&c, &g, adj[k].name, adj[k].op,
						-1, ah << 8 | al, adj[k].undef);
					c.in.flags &=
						~(uint64_t)(FLAG_CF | FLAG_AF);
					if (f & 1)
						c.in.flags |= FLAG_CF;
					if (f & 2)
						c.in.flags |= FLAG_AF;
					check_case(x, &c);
				}
	/* AAM base 10 on every AL; AAD base 10 on every eighth AX. */
	for (unsigned al = 0; al < 256; al++) {
		gen_bcd(&c, &g, "aam", 0xD4, 10, al | rng_below(&g, 256) << 8,
			aam_undef);
		check_case(x, &c);
	}
	for (unsigned ax = 0; ax < 0x10000; ax += 8) {
		gen_bcd(&c, &g, "aad", 0xD5, 10, ax | rng_below(&g, 8),
			aam_undef);
		check_case(x, &c);
	}
	/* Other bases, including 1 and 255; 0 is #DE, tested above. */
	for (unsigned imm = 1; imm < 256; imm++)
		for (int i = 0; i < 16; i++) {
			gen_bcd(&c, &g, "aam", 0xD4, (int)imm,
				rng_below(&g, 0x10000), aam_undef);
			check_case(x, &c);
			gen_bcd(&c, &g, "aad", 0xD5, (int)imm,
				rng_below(&g, 0x10000), aam_undef);
			check_case(x, &c);
		}
	ctx_end(x, "daa/das/aaa/aas/aam/aad");
}

/* --- BT BTS BTR BTC, BSF BSR ----------------------------------------------- */

static void test_bit_test(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;
	static const char *const names[4] = { "bt", "bts", "btr", "btc" };
	static const uint8_t reg_ops[4] = { 0xA3, 0xAB, 0xB3, 0xBB };

	ctx_begin(x);
	rng_seed(&g, 10);
	for (int k = 0; k < 4; k++)
		for (int size = 16; size <= 32; size += 16)
			for (int f = 0; f < 2; f++)
				for (int i = 0; i < ITERS; i++) {
					unsigned d = pick_reg(&g, size);
					unsigned s = pick_reg(&g, size);
					uint32_t bit = rng_u32(&g);

					if (i & 1)
						bit &= 0x3F;
					case_init(&c, &g, "%s%d r/m, %s",
						  names[k], size,
						  f ? "imm8 (0f ba)" : "r");
					/* SDM: OF SF AF PF undefined, ZF
					 * unaffected */
					c.undef_flags = FLAG_OF | FLAG_SF |
							FLAG_AF | FLAG_PF;
					emit_osz(&c, size);
					emit(&c, 0x0F);
					if (f) {
						emit(&c, 0xBA);
						emit(&c, modrm_reg(4 + k, d));
						emit(&c, (uint8_t)bit);
					} else {
						emit(&c, reg_ops[k]);
						emit(&c, modrm_reg(s, d));
						reg_put(&c.in, s, size, bit);
					}
					reg_put(&c.in, d, size,
						rand_value(&g, size));
					check_case(x, &c);
				}
	ctx_end(x, "bt/bts/btr/btc");
}

static void test_bsf_bsr(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;

	ctx_begin(x);
	rng_seed(&g, 11);
	for (int rev = 0; rev < 2; rev++)
		for (int size = 16; size <= 32; size += 16)
			for (int i = 0; i < ITERS; i++) {
				unsigned d = pick_reg(&g, size);
				unsigned s = pick_reg(&g, size);
				uint32_t v;

				/* sparse and dense bit patterns, and 0 */
				switch (rng_below(&g, 5)) {
				case 0:
					v = 0;
					break;
				case 1:
					v = 1u << rng_below(&g, 32);
					break;
				case 2:
					v = rng_u32(&g) & rng_u32(&g) &
					    rng_u32(&g);
					break;
				default:
					v = rand_value(&g, size);
					break;
				}
				v &= size_mask(size);
				case_init(&c, &g, "%s%d r, r/m",
					  rev ? "bsr" : "bsf", size);
				c.undef_flags = FLAGS_ARITH & ~FLAG_ZF;
				emit_osz(&c, size);
				emit(&c, 0x0F);
				emit(&c, rev ? 0xBD : 0xBC);
				emit(&c, modrm_reg(d, s));
				reg_put(&c.in, s, size, v);
				/* SDM: the destination is undefined when the
				 * source is 0 */
				if (!reg_get(&c.in, s, size))
					mask_reg(&c, d, size);
				check_case(x, &c);
			}
	ctx_end(x, "bsf/bsr");
}

/* --- BSWAP XADD CMPXCHG ---------------------------------------------------- */

static void test_bswap_xadd_cmpxchg(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;
	static const int sizes[3] = { 8, 16, 32 };

	ctx_begin(x);
	rng_seed(&g, 12);
	for (int i = 0; i < ITERS; i++) {
		unsigned r = pick_reg(&g, 32);

		case_init(&c, &g, "bswap r32");
		emit(&c, 0x0F);
		emit(&c, (uint8_t)(0xC8 + r));
		check_case(x, &c);
	}
	for (int si = 0; si < 3; si++) {
		int size = sizes[si];
		uint8_t w = size == 8 ? 0 : 1;

		for (int i = 0; i < ITERS; i++) {
			unsigned d = pick_reg(&g, size);
			unsigned s = pick_reg(&g, size);

			case_init(&c, &g, "xadd%d r/m, r", size);
			emit_osz(&c, size);
			emit(&c, 0x0F);
			emit(&c, 0xC0 + w);
			emit(&c, modrm_reg(s, d));
			reg_put(&c.in, s, size, rand_value(&g, size));
			reg_put(&c.in, d, size, rand_value(&g, size));
			check_case(x, &c);
		}
		for (int i = 0; i < ITERS; i++) {
			unsigned d = pick_reg(&g, size);
			unsigned s = pick_reg(&g, size);
			uint32_t acc = rand_value(&g, size);

			case_init(&c, &g, "cmpxchg%d r/m, r", size);
			emit_osz(&c, size);
			emit(&c, 0x0F);
			emit(&c, 0xB0 + w);
			emit(&c, modrm_reg(s, d));
			reg_put(&c.in, s, size, rand_value(&g, size));
			reg_put(&c.in, d, size, rand_value(&g, size));
			reg_put(&c.in, R_AX, size, acc);
			/* half the time, make the comparison succeed */
			if (i & 1)
				reg_put(&c.in, d, size, acc);
			check_case(x, &c);
		}
	}
	ctx_end(x, "bswap/xadd/cmpxchg");
}

/* --- conditions and conversions -------------------------------------------- */

static void test_conditions_and_conversions(void **state)
{
	struct alu_ctx *x = *state;
	struct alu_case c;
	struct rng g;
	static const struct {
		const char *name;
		uint8_t op;
	} one[5] = {
		{ "cbw/cwde", 0x98 }, { "cwd/cdq", 0x99 }, { "cmc", 0xF5 },
		{ "clc", 0xF8 },      { "stc", 0xF9 },
	};

	ctx_begin(x);
	rng_seed(&g, 13);
	for (unsigned cc = 0; cc < 16; cc++)
		for (int i = 0; i < 256; i++) {
			unsigned d = pick_reg(&g, 8);
			unsigned s;

			case_init(&c, &g, "setcc %x r/m8", cc);
			emit(&c, 0x0F);
			emit(&c, (uint8_t)(0x90 + cc));
			emit(&c, modrm_reg(0, d));
			check_case(x, &c);
			for (int size = 16; size <= 32; size += 16) {
				d = pick_reg(&g, size);
				s = pick_reg(&g, size);
				case_init(&c, &g, "cmovcc %x r%d, r/m", cc,
					  size);
				emit_osz(&c, size);
				emit(&c, 0x0F);
				emit(&c, (uint8_t)(0x40 + cc));
				emit(&c, modrm_reg(d, s));
				check_case(x, &c);
			}
		}
	for (int k = 0; k < 5; k++)
		for (int size = 16; size <= 32; size += 16)
			for (int i = 0; i < 256; i++) {
				case_init(&c, &g, "%s%s", one[k].name,
					  k < 2 ? (size == 16 ? " 16" : " 32") :
						  "");
				if (k < 2)
					emit_osz(&c, size);
				emit(&c, one[k].op);
				reg_put(&c.in, R_AX, 32, rand_value(&g, 32));
				check_case(x, &c);
			}
	for (int k = 0; k < 4; k++)
		for (int size = 16; size <= 32; size += 16)
			for (int i = 0; i < 512; i++) {
				unsigned d = pick_reg(&g, size);
				unsigned s = pick_reg(&g, k & 1 ? 16 : 8);

				case_init(&c, &g, "%s r%d, r/m%d",
					  k < 2 ? "movzx" : "movsx", size,
					  k & 1 ? 16 : 8);
				emit_osz(&c, size);
				emit(&c, 0x0F);
				emit(&c,
				     (uint8_t)(0xB6 + (k & 1) + (k >> 1) * 8));
				emit(&c, modrm_reg(d, s));
				check_case(x, &c);
			}
	ctx_end(x, "setcc/cmovcc/cbw/cwd/cmc/clc/stc/movzx/movsx");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu_binary),
		cmocka_unit_test(test_alu_test),
		cmocka_unit_test(test_inc_dec_neg_not),
		cmocka_unit_test(test_shifts),
		cmocka_unit_test(test_rotates),
		cmocka_unit_test(test_shld_shrd),
		cmocka_unit_test(test_mul_imul),
		cmocka_unit_test(test_div_idiv),
		cmocka_unit_test(test_divide_error_real),
		cmocka_unit_test(test_divide_error_protected),
		cmocka_unit_test(test_bcd),
		cmocka_unit_test(test_bit_test),
		cmocka_unit_test(test_bsf_bsr),
		cmocka_unit_test(test_bswap_xadd_cmpxchg),
		cmocka_unit_test(test_conditions_and_conversions),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
