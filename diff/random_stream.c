// SPDX-License-Identifier: MIT
/*
 * Random but valid instruction sequences for `popek diff --random`.
 * Each instruction comes from a template (opcode bytes, ModRM form,
 * immediate size); registers are drawn so that the base register of
 * memory operands (BX/EBX/RBX) and the stack pointer are never written,
 * and memory operands are [BX+disp8] (16-bit) or [rBX+disp8] (32/64),
 * inside a data page of random bytes.  An exception goes to a handler
 * that is a single HLT, which ends the case on both engines.
 *
 * Memory map of a case (physical = linear; real mode: see below):
 *   0x1000-0x3fff  4-level page tables (64-bit: the first 2 MiB, one
 *                  2 MiB page)
 *   0x4000         GDT: null, code32 (08), data (10), code64 (18),
 *                  user data (20), user code64 (28), 64-bit TSS (30)
 *   0x4800         the TSS (RSP0 = the stack top)
 *   0x5000         IDT: 256 gates; vector v goes to 0x6000 + 2v
 *   0x6000-0x61ff  NOP; HLT per vector (the NOP: single-stepping under
 *                  KVM runs a handler's first instruction with the
 *                  delivery, see lockstep.c finish_event)
 *   0x7ff0         the stack top
 *   0x8000         the code, then HLT
 *   0xeff0         the user stack top (64-bit CPL 3 cases)
 *   0x10000        the data page (random); BX points into it
 *
 * 64-bit user-mode cases (RANDOM_USER) run at CPL 3 with every page a
 * user page; the HLT that ends them faults (#GP), and the #GP handler
 * (at CPL 0, on the TSS's RSP0 stack) ends the case.
 */
#include <string.h>

#include "accel/accel.h"
#include "diff/diff.h"
#include "machine/machine.h"

#define CASE_GDT 0x4000u
#define CASE_IDT 0x5000u
#define CASE_HANDLERS 0x6000u
#define CASE_STACK 0x7ff0u
#define CASE_CODE 0x8000u
#define CASE_DATA 0x10000u
#define CASE_TSS 0x4800u
#define CASE_USER_STACK 0xeff0u

/* ModRM forms. */
enum form {
	FORM_NONE, /* opcode only */
	FORM_RM, /* ModRM: register or memory operand */
	FORM_R, /* ModRM, register operand only */
	FORM_M, /* ModRM, memory operand only */
	FORM_OPREG, /* register in the opcode's low three bits */
};

/* Template attributes. */
#define A_BYTE 0x01 /* byte registers */
#define A_OSZ 0x02 /* a 66h prefix may be added */
#define A_REXW 0x04 /* REX.W may be added (64-bit mode) */
#define A_NO64 0x08 /* invalid in 64-bit mode */
#define A_XMM 0x10 /* ModRM reg and rm are XMM registers */
#define A_X87 0x20 /* ModRM rm (mod 3) is ST(i) */
#define A_SSE 0x40 /* needs CR4.OSFXSR (set in every case) */
#define A_GPR_RM 0x80 /* with A_XMM: the rm register is general */
#define A_GPR_REG 0x400 /* with A_XMM: the reg register is general */
#define A_SIMD_FP 0x800 /* SSE floating point: MXCSR matters */
#define A_RDIGIT 0x100 /* reg field is a /digit, drawn at random 0-7 */
#define A_NOT32 0x200 /* not in 16/32-bit modes */

struct tmpl {
	const char *family;
	uint8_t prefix; /* mandatory prefix (66, F2, F3) or 0 */
	uint8_t op[3];
	uint8_t oplen;
	int8_t digit; /* /digit, -1 when the reg field is a register */
	uint8_t form;
	uint8_t imm; /* 0, 1, 2, 4, or 9: 2 or 4 by operand size */
	uint16_t attr;
};

#define IMMZ 9

static const struct tmpl templates[] = {
	/* Integer ALU: add or adc sbb and sub xor cmp. */
	{ "alu", 0, { 0x00 }, 1, -1, FORM_RM, 0, A_BYTE },
	{ "alu", 0, { 0x01 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "alu", 0, { 0x03 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "alu", 0, { 0x11 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "alu", 0, { 0x19 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "alu", 0, { 0x21 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "alu", 0, { 0x29 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "alu", 0, { 0x31 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "alu", 0, { 0x39 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "alu", 0, { 0x0a }, 1, -1, FORM_RM, 0, A_BYTE },
	{ "alu", 0, { 0x80 }, 1, 0, FORM_RM, 1, A_BYTE | A_RDIGIT },
	{ "alu", 0, { 0x81 }, 1, 0, FORM_RM, IMMZ, A_OSZ | A_REXW | A_RDIGIT },
	{ "alu", 0, { 0x83 }, 1, 0, FORM_RM, 1, A_OSZ | A_REXW | A_RDIGIT },
	{ "alu", 0, { 0x05 }, 1, -1, FORM_NONE, IMMZ, A_OSZ | A_REXW },
	{ "alu", 0, { 0x84 }, 1, -1, FORM_RM, 0, A_BYTE },
	{ "alu", 0, { 0x85 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "unary", 0, { 0xf7 }, 1, 2, FORM_RM, 0, A_OSZ | A_REXW },
	{ "unary", 0, { 0xf7 }, 1, 3, FORM_RM, 0, A_OSZ | A_REXW },
	{ "unary", 0, { 0xfe }, 1, 0, FORM_RM, 0, A_BYTE },
	{ "unary", 0, { 0xff }, 1, 1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "muldiv", 0, { 0xf7 }, 1, 4, FORM_RM, 0, A_OSZ | A_REXW },
	{ "muldiv", 0, { 0xf7 }, 1, 5, FORM_RM, 0, A_OSZ | A_REXW },
	{ "muldiv", 0, { 0xf6 }, 1, 6, FORM_RM, 0, A_BYTE },
	{ "muldiv", 0, { 0xf7 }, 1, 7, FORM_RM, 0, A_OSZ | A_REXW },
	{ "muldiv", 0, { 0x0f, 0xaf }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "muldiv", 0, { 0x6b }, 1, -1, FORM_RM, 1, A_OSZ | A_REXW },
	{ "muldiv", 0, { 0x69 }, 1, -1, FORM_RM, IMMZ, A_OSZ | A_REXW },
	/* Shifts and rotates: /0-/5, /7. */
	{ "shift", 0, { 0xc1 }, 1, 0, FORM_RM, 1, A_OSZ | A_REXW | A_RDIGIT },
	{ "shift", 0, { 0xd3 }, 1, 0, FORM_RM, 0, A_OSZ | A_REXW | A_RDIGIT },
	{ "shift", 0, { 0xd0 }, 1, 0, FORM_RM, 0, A_BYTE | A_RDIGIT },
	{ "shift", 0, { 0xd1 }, 1, 0, FORM_RM, 0, A_OSZ | A_REXW | A_RDIGIT },
	{ "shift", 0, { 0x0f, 0xa4 }, 2, -1, FORM_RM, 1, A_OSZ | A_REXW },
	{ "shift", 0, { 0x0f, 0xad }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	/* Bits. */
	{ "bit", 0, { 0x0f, 0xa3 }, 2, -1, FORM_R, 0, A_OSZ | A_REXW },
	{ "bit", 0, { 0x0f, 0xbb }, 2, -1, FORM_R, 0, A_OSZ | A_REXW },
	{ "bit", 0, { 0x0f, 0xba }, 2, 4, FORM_RM, 1, A_OSZ | A_REXW | A_RDIGIT },
	{ "bit", 0, { 0x0f, 0xbc }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "bit", 0, { 0x0f, 0xbd }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "bit", 0xf3, { 0x0f, 0xb8 }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	/* Moves, conditionals, exchanges. */
	{ "move", 0, { 0x89 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x8a }, 1, -1, FORM_RM, 0, A_BYTE },
	{ "move", 0, { 0x0f, 0xb6 }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x0f, 0xbf }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x0f, 0x44 }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x0f, 0x4f }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x0f, 0x92 }, 2, 0, FORM_RM, 0, A_BYTE },
	{ "move", 0, { 0x0f, 0x9e }, 2, 0, FORM_RM, 0, A_BYTE },
	{ "move", 0, { 0x87 }, 1, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x0f, 0xc1 }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x0f, 0xb1 }, 2, -1, FORM_RM, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x0f, 0xc8 }, 2, -1, FORM_OPREG, 0, A_REXW },
	{ "move", 0, { 0x8d }, 1, -1, FORM_M, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x98 }, 1, -1, FORM_NONE, 0, A_OSZ | A_REXW },
	{ "move", 0, { 0x99 }, 1, -1, FORM_NONE, 0, A_OSZ | A_REXW },
	{ "flags", 0, { 0xf5 }, 1, -1, FORM_NONE, 0, 0 },
	{ "flags", 0, { 0xf9 }, 1, -1, FORM_NONE, 0, 0 },
	{ "flags", 0, { 0x9f }, 1, -1, FORM_NONE, 0, 0 },
	{ "flags", 0, { 0x9e }, 1, -1, FORM_NONE, 0, 0 },
	{ "stack", 0, { 0x50 }, 1, -1, FORM_OPREG, 0, 0 },
	/* BCD (not in 64-bit mode). */
	{ "bcd", 0, { 0x27 }, 1, -1, FORM_NONE, 0, A_NO64 },
	{ "bcd", 0, { 0x2f }, 1, -1, FORM_NONE, 0, A_NO64 },
	{ "bcd", 0, { 0x37 }, 1, -1, FORM_NONE, 0, A_NO64 },
	{ "bcd", 0, { 0x3f }, 1, -1, FORM_NONE, 0, A_NO64 },
	{ "bcd", 0, { 0xd5 }, 1, -1, FORM_NONE, 1, A_NO64 },
	/* x87: loads from memory, arithmetic with memory and ST(i). */
	{ "x87", 0, { 0xd9 }, 1, 0, FORM_M, 0, 0 },
	{ "x87", 0, { 0xdd }, 1, 0, FORM_M, 0, 0 },
	{ "x87", 0, { 0xdb }, 1, 5, FORM_M, 0, 0 },
	{ "x87", 0, { 0xdb }, 1, 0, FORM_M, 0, 0 },
	{ "x87", 0, { 0xd8 }, 1, 0, FORM_RM, 0, A_X87 | A_RDIGIT },
	{ "x87", 0, { 0xdc }, 1, 0, FORM_M, 0, A_RDIGIT },
	{ "x87", 0, { 0xd9, 0xe0 }, 2, -1, FORM_NONE, 0, 0 },
	{ "x87", 0, { 0xd9, 0xfa }, 2, -1, FORM_NONE, 0, 0 },
	{ "x87", 0, { 0xd9, 0xfc }, 2, -1, FORM_NONE, 0, 0 },
	{ "x87", 0, { 0xd9, 0xeb }, 2, -1, FORM_NONE, 0, 0 },
	{ "x87", 0, { 0xdd }, 1, 3, FORM_M, 0, 0 },
	{ "x87", 0, { 0xdf, 0xe0 }, 2, -1, FORM_NONE, 0, 0 },
	/* SSE, SSE2, SSSE3, SSE4.1: register forms and unaligned loads. */
	{ "sse", 0, { 0x0f, 0x58 }, 2, -1, FORM_R, 0, A_XMM | A_SSE | A_SIMD_FP },
	{ "sse", 0, { 0x0f, 0x59 }, 2, -1, FORM_R, 0, A_XMM | A_SSE | A_SIMD_FP },
	{ "sse", 0, { 0x0f, 0x5e }, 2, -1, FORM_R, 0, A_XMM | A_SSE | A_SIMD_FP },
	{ "sse", 0, { 0x0f, 0x51 }, 2, -1, FORM_R, 0, A_XMM | A_SSE | A_SIMD_FP },
	{ "sse", 0xf2, { 0x0f, 0x58 }, 2, -1, FORM_R, 0, A_XMM | A_SSE | A_SIMD_FP },
	{ "sse", 0xf2, { 0x0f, 0x5c }, 2, -1, FORM_R, 0, A_XMM | A_SSE | A_SIMD_FP },
	{ "sse", 0, { 0x0f, 0x2e }, 2, -1, FORM_R, 0, A_XMM | A_SSE | A_SIMD_FP },
	{ "sse", 0x66, { 0x0f, 0x2f }, 2, -1, FORM_R, 0, A_XMM | A_SSE | A_SIMD_FP },
	{ "sse", 0xf3, { 0x0f, 0x6f }, 2, -1, FORM_RM, 0, A_XMM | A_SSE },
	{ "sse", 0, { 0x0f, 0x10 }, 2, -1, FORM_RM, 0, A_XMM | A_SSE },
	{ "sse", 0x66, { 0x0f, 0xfe }, 2, -1, FORM_R, 0, A_XMM | A_SSE },
	{ "sse", 0x66, { 0x0f, 0xef }, 2, -1, FORM_R, 0, A_XMM | A_SSE },
	{ "sse", 0x66, { 0x0f, 0xf4 }, 2, -1, FORM_R, 0, A_XMM | A_SSE },
	{ "sse", 0x66, { 0x0f, 0x74 }, 2, -1, FORM_R, 0, A_XMM | A_SSE },
	{ "sse", 0x66, { 0x0f, 0x70 }, 2, -1, FORM_R, 1, A_XMM | A_SSE },
	{ "sse", 0, { 0x0f, 0xc6 }, 2, -1, FORM_R, 1, A_XMM | A_SSE },
	{ "sse", 0x66, { 0x0f, 0x38, 0x00 }, 3, -1, FORM_R, 0, A_XMM | A_SSE },
	{ "sse", 0x66, { 0x0f, 0x3a, 0x0f }, 3, -1, FORM_R, 1, A_XMM | A_SSE },
	{ "sse", 0x66, { 0x0f, 0x38, 0x17 }, 3, -1, FORM_R, 0, A_XMM | A_SSE },
	{ "sse", 0xf3, { 0x0f, 0x2c }, 2, -1, FORM_R, 0,
	  A_XMM | A_SSE | A_GPR_REG | A_SIMD_FP },
	{ "sse", 0x66, { 0x0f, 0x7e }, 2, -1, FORM_R, 0,
	  A_XMM | A_SSE | A_GPR_RM },
};

#define TEMPLATE_COUNT (sizeof(templates) / sizeof(templates[0]))

const char *random_families(void)
{
	return "alu unary muldiv shift bit move flags stack bcd x87 sse";
}

/* xorshift64*: small, fast, and the same everywhere. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* General registers an instruction may name: never BX or SP. */
static unsigned gpr(uint64_t *rng, bool byte, bool rex_ok, bool *rex_bit)
{
	static const uint8_t regs[] = { 0, 1, 2, 5, 6, 7 };
	static const uint8_t byte_regs[] = { 0, 1, 2, 5, 6 };
	unsigned r = byte ? byte_regs[next(rng) % 5] : regs[next(rng) % 6];

	*rex_bit = rex_ok && (next(rng) & 3) == 0;
	return r;
}

static void emit_imm(struct random_insn *o, uint64_t *rng, unsigned n)
{
	uint64_t v = next(rng);

	for (unsigned k = 0; k < n; k++)
		o->bytes[o->len++] = (uint8_t)(v >> (8 * k));
}

static bool usable(const struct tmpl *t, int mode, unsigned flags)
{
	if ((flags & RANDOM_NO_SIMD_FP) && (t->attr & A_SIMD_FP))
		return false;
	/* BSWAP of a 16-bit register is undefined (SDM Vol. 2A BSWAP). */
	bool bswap16 = t->op[0] == 0x0f && t->op[1] == 0xc8 && mode == 16;

	return !((t->attr & A_NO64) && mode == 64) &&
	       !((t->attr & A_NOT32) && mode != 64) && !bswap16;
}

static void generate_one(struct random_insn *o, int mode, unsigned flags,
			 uint64_t *rng)
{
	const struct tmpl *t;
	bool osz, rexw, rex_r = false, rex_b = false, mem;
	unsigned reg, rm, modrm_reg;
	uint8_t rex;

	do
		t = &templates[next(rng) % TEMPLATE_COUNT];
	while (!usable(t, mode, flags));
	memset(o, 0, sizeof(*o));
	o->family = t->family;
	osz = (t->attr & A_OSZ) && (next(rng) & 3) == 0;
	rexw = mode == 64 && (t->attr & A_REXW) && (next(rng) & 1);
	mem = t->form == FORM_M || (t->form == FORM_RM && (next(rng) & 1));
	reg = (t->attr & A_XMM) && !(t->attr & A_GPR_REG) ?
		      next(rng) % 8 :
		      gpr(rng, t->attr & A_BYTE, mode == 64, &rex_r);
	if ((t->attr & A_XMM) && !(t->attr & A_GPR_REG))
		rex_r = mode == 64 && (next(rng) & 3) == 0;
	if ((t->attr & A_XMM) && !(t->attr & A_GPR_RM))
		rm = next(rng) % 8, rex_b = mode == 64 && !mem &&
					    (next(rng) & 3) == 0;
	else
		rm = gpr(rng, t->attr & A_BYTE, mode == 64 && !mem, &rex_b);
	if (t->attr & A_X87)
		rm = next(rng) % 8, rex_b = false;
	/* Byte registers 4-7 with a REX prefix are SPL..DIL: avoid REX. */
	if ((t->attr & A_BYTE) && (reg >= 4 || rm >= 4))
		rex_r = rex_b = false;
	modrm_reg = t->digit >= 0 ? (unsigned)t->digit : reg;
	if (t->attr & A_RDIGIT) {
		modrm_reg = next(rng) % 8;
		/* Shifts: /6 is not documented; ALU groups take all. */
		if (t->op[0] >= 0xc0 && t->op[0] <= 0xd3 && modrm_reg == 6)
			modrm_reg = 4;
		if (t->op[0] == 0x0f && modrm_reg < 4)
			modrm_reg += 4; /* 0F BA /4-/7 */
		rex_r = false;
	}
	if (t->form == FORM_NONE || t->form == FORM_OPREG)
		rex_r = false;
	if (osz)
		o->bytes[o->len++] = 0x66;
	if (t->prefix)
		o->bytes[o->len++] = t->prefix;
	rex = (uint8_t)(0x40 | (rexw ? 8 : 0) | (rex_r ? 4 : 0) |
			(rex_b && !mem ? 1 : 0));
	if (mode == 64 && rex != 0x40)
		o->bytes[o->len++] = rex;
	for (unsigned k = 0; k < t->oplen; k++)
		o->bytes[o->len++] = t->op[k];
	if (t->form == FORM_OPREG)
		o->bytes[o->len - 1] = (uint8_t)(o->bytes[o->len - 1] + rm);
	if (t->form == FORM_RM || t->form == FORM_R || t->form == FORM_M) {
		if (mem) {
			/* [BX+disp8] in 16-bit code, [rBX+disp8] otherwise. */
			o->bytes[o->len++] = (uint8_t)(0x40 | (modrm_reg & 7) << 3 |
						       (mode == 16 ? 7 : 3));
			o->bytes[o->len++] = (uint8_t)(next(rng) % 0x70);
		} else {
			o->bytes[o->len++] = (uint8_t)(0xc0 |
						       (modrm_reg & 7) << 3 |
						       (rm & 7));
		}
	}
	/* iz: 16 or 32 bits by operand size; REX.W makes it 32 (sign
	 * extended), whatever 66h says (SDM Vol. 2A §2.2.1.2). */
	if (t->imm == IMMZ)
		emit_imm(o, rng, !rexw && (mode == 16) != osz ? 2 : 4);
	else
		emit_imm(o, rng, t->imm);
}

void random_case_generate(struct random_case *c, int mode, uint64_t seed,
			  unsigned n, unsigned flags)
{
	uint64_t rng = seed * 0x9e3779b97f4a7c15ull + 1;

	memset(c, 0, sizeof(*c));
	c->mode = mode;
	c->user = mode == 64 && (flags & RANDOM_USER);
	c->seed = seed;
	c->n = n > RANDOM_MAX_INSNS ? RANDOM_MAX_INSNS : n;
	for (unsigned k = 0; k < c->n; k++)
		generate_one(&c->insn[k], mode, flags, &rng);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Descriptor tables and the handlers (SDM Vol. 3A §3.4.5, §6.11, §6.14.1). */
static void lay_tables(uint8_t *ram, int mode, bool user)
{
	static const uint64_t gdt[] = {
		0,
		0x00cf9b000000ffffull, /* 08: code, 32-bit, accessed */
		0x00cf93000000ffffull, /* 10: data, accessed */
		0x00af9b000000ffffull, /* 18: code, 64-bit */
		0x00cff3000000ffffull, /* 20: data, DPL 3 */
		0x00affb000000ffffull, /* 28: code, 64-bit, DPL 3 */
		/* 30: 64-bit TSS, busy, at CASE_TSS (SDM Vol. 3A §8.2.3) */
		0x00008b0000000067ull | (uint64_t)CASE_TSS << 16,
		0,
	};
	/* The page-table entries: U/S set for user-mode cases. */
	uint64_t us = user ? 4 : 0;

	memcpy(ram + CASE_GDT, gdt, sizeof(gdt));
	put64(ram + CASE_TSS + 4, CASE_STACK); /* RSP0 */
	for (unsigned v = 0; v < 256; v++) {
		uint32_t h = CASE_HANDLERS + 2 * v;

		ram[h] = 0x90;
		ram[h + 1] = 0xf4;
		if (mode == 16) {
			/* IVT at 0: 0600:2v. */
			put32(ram + 4 * v,
			      (uint32_t)(CASE_HANDLERS >> 4) << 16 | 2 * v);
		} else if (mode == 32) {
			put32(ram + CASE_IDT + 8 * v, 0x00080000u | (h & 0xffff));
			put32(ram + CASE_IDT + 8 * v + 4,
			      (h & 0xffff0000u) | 0x8e00u);
		} else {
			put32(ram + CASE_IDT + 16 * v, 0x00180000u | (h & 0xffff));
			put32(ram + CASE_IDT + 16 * v + 4,
			      (h & 0xffff0000u) | 0x8e00u);
			put64(ram + CASE_IDT + 16 * v + 8, 0);
		}
	}
	/* Identity map of the first 2 MiB for long mode. */
	/* Accessed and dirty already set: the engines may set them at
	 * different moments (KVM's own #DB push, see lockstep.c). */
	put64(ram + 0x1000, 0x2000 | 0x23 | us);
	put64(ram + 0x2000, 0x3000 | 0x23 | us);
	put64(ram + 0x3000, 0xe3 | us);
}

static void seg_flat(struct segment *s, uint16_t sel, uint16_t attr)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffffu;
	s->attr = attr;
}

int random_case_load(struct machine *m, const struct random_case *c,
		     const struct cpu_state *base)
{
	uint64_t rng = c->seed ^ 0x5bd1e995u;
	struct cpu_state s;
	uint8_t *ram = m->ram;
	uint64_t at = CASE_CODE;

	if (m->ram_size < 0x200000)
		return -1;
	memset(ram, 0, m->ram_size);
	lay_tables(ram, c->mode, c->user);
	for (unsigned k = 0; k < 4096; k += 8)
		put64(ram + CASE_DATA + k, next(&rng));
	for (unsigned k = 0; k < c->n; k++) {
		memcpy(ram + at, c->insn[k].bytes, c->insn[k].len);
		at += c->insn[k].len;
	}
	ram[at] = 0xf4;
	machine_ram_written(m, 0, m->ram_size);

	if (base)
		s = *base;
	else
		m->accel->state_get(m, &s);
	memset(s.gpr, 0, sizeof(s.gpr));
	for (int r = 0; r < GPR_COUNT; r++)
		s.gpr[r] = c->mode == 64 ? next(&rng) : next(&rng) & 0xffffffffu;
	if (c->mode == 16)
		for (int r = 0; r < GPR_COUNT; r++)
			s.gpr[r] &= 0xffffffffu;
	s.gpr[R_SP] = CASE_STACK;
	s.gpr[R_BX] = c->mode == 16 ? (next(&rng) % 0x700) :
				      CASE_DATA + next(&rng) % 0x700;
	s.rflags = FLAG_FIXED1 | (next(&rng) & (FLAGS_ARITH & ~FLAG_AF)) |
		   (next(&rng) & FLAG_AF);
	s.rip = CASE_CODE;
	s.cr0 = CR0_ET | CR0_NE | CR0_MP;
	s.cr4 = CR4_OSFXSR | CR4_OSXMMEXCPT;
	s.cr2 = s.cr3 = 0;
	s.efer = 0;
	s.gdtr.base = CASE_GDT;
	s.gdtr.limit = 0x3f;
	s.halted = s.interrupt_shadow = false;
	if (c->mode == 16) {
		for (int seg = 0; seg < SEG_COUNT; seg++) {
			s.seg[seg].sel = 0;
			s.seg[seg].base = 0;
			s.seg[seg].limit = 0xffff;
			s.seg[seg].attr = (uint16_t)(seg == SEG_CS ? 0x9b : 0x93);
		}
		/* DS and ES at the data page. */
		s.seg[SEG_DS].sel = s.seg[SEG_ES].sel = CASE_DATA >> 4;
		s.seg[SEG_DS].base = s.seg[SEG_ES].base = CASE_DATA;
		s.idtr.base = 0;
		s.idtr.limit = 0x3ff;
	} else {
		s.cr0 |= CR0_PE;
		for (int seg = 0; seg < SEG_COUNT; seg++)
			seg_flat(&s.seg[seg], 0x10, 0xc093);
		seg_flat(&s.seg[SEG_CS], 0x08, 0xc09b);
		s.idtr.base = CASE_IDT;
		s.idtr.limit = c->mode == 64 ? 0xfff : 0x7ff;
	}
	if (c->mode == 64) {
		s.cr0 |= CR0_PG;
		s.cr3 = 0x1000;
		s.cr4 |= CR4_PAE;
		s.efer = EFER_LME | EFER_LMA;
		seg_flat(&s.seg[SEG_CS], 0x18, 0xa09b);
		s.tr.sel = 0x30;
		s.tr.base = CASE_TSS;
		s.tr.limit = 0x67;
		s.tr.attr = 0x8b;
	}
	if (c->mode == 64 && c->user) {
		for (int seg = 0; seg < SEG_COUNT; seg++)
			seg_flat(&s.seg[seg], 0x23, 0xc0f3);
		seg_flat(&s.seg[SEG_CS], 0x2b, 0xa0fb);
		s.gpr[R_SP] = CASE_USER_STACK;
	}
	/* x87 after FNINIT, MXCSR at its reset value, random XMM. */
	memset(&s.fpu, 0, sizeof(s.fpu));
	s.fpu.fcw = 0x37f;
	s.fpu.mxcsr = 0x1f80;
	s.fpu.xcr0 = 1;
	for (int x = 0; x < 16; x++) {
		s.fpu.xmm[x][0] = next(&rng);
		s.fpu.xmm[x][1] = next(&rng);
	}
	m->accel->state_set(m, &s);
	return m->exit_kind == MACHINE_RUNNING ? 0 : -1;
}

void random_machine_options(void *machine_options)
{
	struct machine_options *o = machine_options;

	machine_options_init(o);
	o->bare = true;
	o->ram_mib = 2;
	o->debugcon.kind = CHARDEV_NONE;
	o->serial.kind = CHARDEV_NONE;
}
