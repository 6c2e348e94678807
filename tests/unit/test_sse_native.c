// SPDX-License-Identifier: MIT
/*
 * The host CPU is the oracle for the interpreter's MMX and SSE-SSE4.2
 * instructions.
 *
 * The guest runs in 64-bit mode (identity-mapped by a 2 MiB page), so
 * that the very same instruction bytes, REX prefixes included, mean the
 * same on the host.  Every case is one instruction with random operands
 * (floating-point specials: NaNs, infinities, denormals, signed zeros;
 * integer edges; small alphabets for the string instructions) under a
 * random MXCSR rounding mode, FZ and DAZ, with every exception masked.
 * It runs on the host between a prologue that loads XMM0-15, MM0-7, the
 * general registers, RFLAGS and MXCSR from a struct and an epilogue that
 * stores them back, and in the interpreter (cpu_step); the 128-bit
 * registers, the MMX registers, the general registers, the arithmetic
 * flags, MXCSR and a 64-byte memory operand must agree bit for bit.
 * RBX and RDI point at the memory operand on both sides.  The faults
 * are in test_sse_faults.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "long_mode_harness.h"

#define ITERS 300 /* random cases per instruction form */
#define MAX_PRINTED 20

#define G_BUF LM_BUF
#define BUF_LEN 64

/* --- both sides' registers ---------------------------------------------- */

struct xstate {
	uint64_t xmm[16][2];
	uint64_t mm[8];
	uint64_t gpr[16];
	uint64_t flags;
	uint32_t mxcsr;
	uint32_t host_csr;
};

_Static_assert(offsetof(struct xstate, mm) == 256, "runner layout");
_Static_assert(offsetof(struct xstate, gpr) == 320, "runner layout");
_Static_assert(offsetof(struct xstate, flags) == 448, "runner layout");
_Static_assert(offsetof(struct xstate, mxcsr) == 456, "runner layout");

#define XLOAD(k) "movdqu " #k "*16(%rdi), %xmm" #k "\n"
#define XSTORE(k) "movdqu %xmm" #k ", " #k "*16(%rdi)\n"
#define MLOAD(k) "movq 256+" #k "*8(%rdi), %mm" #k "\n"
#define MSTORE(k) "movq %mm" #k ", 256+" #k "*8(%rdi)\n"

__asm__(".pushsection .text\n"
	".globl popek_sse_head\n.hidden popek_sse_head\n"
	".globl popek_sse_tail\n.hidden popek_sse_tail\n"
	".globl popek_sse_end\n.hidden popek_sse_end\n"
	"popek_sse_head:\n"
	"push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"
	"push %rdi\n"
	"stmxcsr 460(%rdi)\n"
	"ldmxcsr 456(%rdi)\n"
	XLOAD(0) XLOAD(1) XLOAD(2) XLOAD(3) XLOAD(4) XLOAD(5) XLOAD(6)
	XLOAD(7) XLOAD(8) XLOAD(9) XLOAD(10) XLOAD(11) XLOAD(12) XLOAD(13)
	XLOAD(14) XLOAD(15)
	MLOAD(0) MLOAD(1) MLOAD(2) MLOAD(3) MLOAD(4) MLOAD(5) MLOAD(6)
	MLOAD(7)
	"pushq 448(%rdi)\npopfq\n"
	"mov 320(%rdi), %rax\nmov 328(%rdi), %rcx\nmov 336(%rdi), %rdx\n"
	"mov 344(%rdi), %rbx\nmov 360(%rdi), %rbp\nmov 368(%rdi), %rsi\n"
	"mov 384(%rdi), %r8\nmov 392(%rdi), %r9\nmov 400(%rdi), %r10\n"
	"mov 408(%rdi), %r11\nmov 416(%rdi), %r12\nmov 424(%rdi), %r13\n"
	"mov 432(%rdi), %r14\nmov 440(%rdi), %r15\n"
	"mov 376(%rdi), %rdi\n"
	"popek_sse_tail:\n"
	"pushfq\npush %rdi\nmov 16(%rsp), %rdi\n"
	"popq 376(%rdi)\npopq 448(%rdi)\n"
	"mov %rax, 320(%rdi)\nmov %rcx, 328(%rdi)\nmov %rdx, 336(%rdi)\n"
	"mov %rbx, 344(%rdi)\nmov %rbp, 360(%rdi)\nmov %rsi, 368(%rdi)\n"
	"mov %r8, 384(%rdi)\nmov %r9, 392(%rdi)\nmov %r10, 400(%rdi)\n"
	"mov %r11, 408(%rdi)\nmov %r12, 416(%rdi)\nmov %r13, 424(%rdi)\n"
	"mov %r14, 432(%rdi)\nmov %r15, 440(%rdi)\n"
	XSTORE(0) XSTORE(1) XSTORE(2) XSTORE(3) XSTORE(4) XSTORE(5) XSTORE(6)
	XSTORE(7) XSTORE(8) XSTORE(9) XSTORE(10) XSTORE(11) XSTORE(12)
	XSTORE(13) XSTORE(14) XSTORE(15)
	MSTORE(0) MSTORE(1) MSTORE(2) MSTORE(3) MSTORE(4) MSTORE(5)
	MSTORE(6) MSTORE(7)
	"stmxcsr 456(%rdi)\n"
	"ldmxcsr 460(%rdi)\n"
	"emms\n"
	"pop %rdi\n"
	"pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\n"
	"ret\n"
	"popek_sse_end:\n"
	".popsection\n");

extern const uint8_t popek_sse_head[] __attribute__((visibility("hidden")));
extern const uint8_t popek_sse_tail[] __attribute__((visibility("hidden")));
extern const uint8_t popek_sse_end[] __attribute__((visibility("hidden")));

typedef void (*host_fn)(struct xstate *x);

/* --- random numbers ------------------------------------------------------ */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545F4914F6CDD1Dull;
}

static unsigned below(struct rng *g, unsigned n)
{
	return (unsigned)((rnd(g) >> 33) % n);
}

static const uint32_t f32_special[] = {
	0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000,
	0xffc00001, 0x7f800001, 0xff8abcde, 0x00000001, 0x007fffff,
	0x80400000, 0x00800000, 0x7f7fffff, 0x3f800000, 0xbf800000,
	0x4effffff, 0x4f000000, 0xcf000000, 0x3f000000, 0x40400000,
	0x3fc00000, 0x40200000, 0x5f000000, 0xdf000001,
};

static const uint64_t f64_special[] = {
	0x0000000000000000ull, 0x8000000000000000ull, 0x7ff0000000000000ull,
	0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000001ull,
	0x7ff0000000000001ull, 0xfff4000000000000ull, 0x0000000000000001ull,
	0x000fffffffffffffull, 0x8008000000000000ull, 0x0010000000000000ull,
	0x7fefffffffffffffull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
	0x41dfffffffc00000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull,
	0x3fe0000000000000ull, 0x4004000000000000ull, 0x3ff8000000000000ull,
	0x43e0000000000000ull, 0xc3e0000000000001ull, 0x36a0000000000000ull,
};

static uint32_t rnd_f32(struct rng *g)
{
	uint32_t sign = (uint32_t)(rnd(g) & 1) << 31;

	switch (below(g, 4)) {
	case 0:
		return f32_special[below(g, sizeof(f32_special) / 4)];
	case 1: /* near 1 */
		return sign | (uint32_t)(127 - 20 + below(g, 40)) << 23 |
		       (uint32_t)(rnd(g) & 0x7fffff);
	case 2: /* tiny: products and quotients underflow */
		return sign | (uint32_t)below(g, 40) << 23 |
		       (uint32_t)(rnd(g) & 0x7fffff);
	default: /* integers, and halves: conversions and rounding */
		return sign | (uint32_t)(127 + below(g, 33)) << 23 |
		       ((uint32_t)(rnd(g) & 0x7fffff) & ~0xffffu);
	}
}

static uint64_t rnd_f64(struct rng *g)
{
	uint64_t sign = (rnd(g) & 1) << 63;

	switch (below(g, 4)) {
	case 0:
		return f64_special[below(g, sizeof(f64_special) / 8)];
	case 1:
		return sign | (uint64_t)(1023 - 30 + below(g, 60)) << 52 |
		       (rnd(g) & 0xfffffffffffffull);
	case 2:
		return sign | (uint64_t)below(g, 60) << 52 |
		       (rnd(g) & 0xfffffffffffffull);
	default:
		return sign | (uint64_t)(1023 + below(g, 65)) << 52 |
		       ((rnd(g) & 0xfffffffffffffull) & ~0xffffffffull);
	}
}

static uint64_t rnd_int64(struct rng *g)
{
	static const uint64_t edge[] = { 0,
					 1,
					 0xffffffffffffffffull,
					 0x7f7f7f7f7f7f7f7full,
					 0x8080808080808080ull,
					 0x7fff80007fff8000ull,
					 0x000000007fffffffull,
					 0x8000000080000000ull,
					 0x00ff00ff00ff00ffull };

	if (below(g, 3) == 0)
		return edge[below(g, sizeof(edge) / 8)];
	return rnd(g);
}

/* 16 bytes of one flavour. */
static void rnd_vec(struct rng *g, uint64_t v[2])
{
	switch (below(g, 5)) {
	case 0:
		v[0] = rnd(g);
		v[1] = rnd(g);
		break;
	case 1:
		for (int k = 0; k < 2; k++)
			v[k] = rnd_f32(g) | (uint64_t)rnd_f32(g) << 32;
		break;
	case 2:
		v[0] = rnd_f64(g);
		v[1] = rnd_f64(g);
		break;
	case 3: /* a small alphabet, with zeros: string compares */
		for (int k = 0; k < 2; k++) {
			v[k] = 0;
			for (int b = 0; b < 8; b++)
				v[k] |= (uint64_t)("\0abcab\1c"[below(g, 8)])
					<< (8 * b);
		}
		break;
	default:
		v[0] = rnd_int64(g);
		v[1] = rnd_int64(g);
		break;
	}
}

/* --- instruction forms --------------------------------------------------- */

enum {
	RX = 1 << 0, /* ModRM.reg is an xmm register */
	RMM = 1 << 1, /* ... an mm register */
	RG = 1 << 2, /* ... a general register */
	MX = 1 << 3, /* ModRM.rm register is xmm */
	MMM = 1 << 4, /* ... mm */
	MG = 1 << 5, /* ... general */
	MEM = 1 << 6, /* a memory form exists */
	NOREG = 1 << 7, /* no register form */
	AL = 1 << 8, /* the memory operand is 16-byte aligned */
	IMM = 1 << 9,
	W = 1 << 10, /* REX.W changes it: try both */
	GRP = 1 << 11, /* ModRM.reg is the fixed value grp */
	NOREX = 1 << 12, /* no REX prefix */
};

#define XX (RX | MX | MEM | AL)
#define XU (RX | MX | MEM)
#define MM (RMM | MMM | MEM)

struct form {
	const char *name;
	uint16_t pfx; /* one or two prefix bytes, high byte first */
	uint8_t map; /* 0: 0F, 1: 0F 38, 2: 0F 3A */
	uint8_t op;
	uint16_t fl;
	uint8_t grp;
	const char *family;
};

#define F(n, p, m, o, f, fam) { n, p, m, o, f, 0, fam }
#define G(n, p, o, g, f, fam) { n, p, 0, o, (f) | GRP, g, fam }

static const struct form forms[] = {
	/* moves */
	F("movups", 0, 0, 0x10, XU, "move"), F("movupd", 0x66, 0, 0x10, XU, "move"),
	F("movss", 0xf3, 0, 0x10, XU, "move"), F("movsd", 0xf2, 0, 0x10, XU, "move"),
	F("movups st", 0, 0, 0x11, XU, "move"),
	F("movupd st", 0x66, 0, 0x11, XU, "move"),
	F("movss st", 0xf3, 0, 0x11, XU, "move"),
	F("movsd st", 0xf2, 0, 0x11, XU, "move"),
	F("movlps/movhlps", 0, 0, 0x12, XU, "move"),
	F("movlpd", 0x66, 0, 0x12, RX | MEM | NOREG, "move"),
	F("movsldup", 0xf3, 0, 0x12, XX, "move"),
	F("movddup", 0xf2, 0, 0x12, XU, "move"),
	F("movlps st", 0, 0, 0x13, RX | MEM | NOREG, "move"),
	F("movlpd st", 0x66, 0, 0x13, RX | MEM | NOREG, "move"),
	F("movhps/movlhps", 0, 0, 0x16, XU, "move"),
	F("movhpd", 0x66, 0, 0x16, RX | MEM | NOREG, "move"),
	F("movshdup", 0xf3, 0, 0x16, XX, "move"),
	F("movhps st", 0, 0, 0x17, RX | MEM | NOREG, "move"),
	F("movhpd st", 0x66, 0, 0x17, RX | MEM | NOREG, "move"),
	F("movaps", 0, 0, 0x28, XX, "move"), F("movapd", 0x66, 0, 0x28, XX, "move"),
	F("movaps st", 0, 0, 0x29, XX, "move"),
	F("movapd st", 0x66, 0, 0x29, XX, "move"),
	F("movntps", 0, 0, 0x2b, RX | MEM | NOREG | AL, "move"),
	F("movntpd", 0x66, 0, 0x2b, RX | MEM | NOREG | AL, "move"),
	F("movmskps", 0, 0, 0x50, RG | MX, "move"),
	F("movmskpd", 0x66, 0, 0x50, RG | MX, "move"),
	F("movd/q mm,r/m", 0, 0, 0x6e, RMM | MG | MEM | W, "move"),
	F("movd/q xmm,r/m", 0x66, 0, 0x6e, RX | MG | MEM | W, "move"),
	F("movq mm", 0, 0, 0x6f, MM, "move"), F("movdqa", 0x66, 0, 0x6f, XX, "move"),
	F("movdqu", 0xf3, 0, 0x6f, XU, "move"),
	F("movd/q r/m,mm", 0, 0, 0x7e, RMM | MG | MEM | W, "move"),
	F("movd/q r/m,xmm", 0x66, 0, 0x7e, RX | MG | MEM | W, "move"),
	F("movq xmm,xmm/m64", 0xf3, 0, 0x7e, XU, "move"),
	F("movq mm st", 0, 0, 0x7f, MM, "move"),
	F("movdqa st", 0x66, 0, 0x7f, XX, "move"),
	F("movdqu st", 0xf3, 0, 0x7f, XU, "move"),
	F("movnti", 0, 0, 0xc3, RG | MEM | NOREG | W, "move"),
	F("movq xmm/m64,xmm", 0x66, 0, 0xd6, XU, "move"),
	F("movq2dq", 0xf3, 0, 0xd6, RX | MMM, "move"),
	F("movdq2q", 0xf2, 0, 0xd6, RMM | MX, "move"),
	F("pmovmskb mm", 0, 0, 0xd7, RG | MMM, "move"),
	F("pmovmskb xmm", 0x66, 0, 0xd7, RG | MX, "move"),
	F("movntq", 0, 0, 0xe7, RMM | MEM | NOREG, "move"),
	F("movntdq", 0x66, 0, 0xe7, RX | MEM | NOREG | AL, "move"),
	F("lddqu", 0xf2, 0, 0xf0, RX | MEM | NOREG, "move"),
	F("maskmovq", 0, 0, 0xf7, RMM | MMM, "move"),
	F("maskmovdqu", 0x66, 0, 0xf7, RX | MX, "move"),
	F("movntdqa", 0x66, 1, 0x2a, RX | MEM | NOREG | AL, "move"),
	G("stmxcsr", 0, 0xae, 3, MEM | NOREG, "move"),
	/* floating-point arithmetic */
#define FP4(n, o)                                              \
	F(n "ps", 0, 0, o, XX, "fp"), F(n "pd", 0x66, 0, o, XX, "fp"), \
		F(n "ss", 0xf3, 0, o, XU, "fp"),                   \
		F(n "sd", 0xf2, 0, o, XU, "fp")
	FP4("sqrt", 0x51), FP4("add", 0x58), FP4("mul", 0x59),
	FP4("sub", 0x5c), FP4("min", 0x5d), FP4("div", 0x5e),
	FP4("max", 0x5f),
	F("rsqrtps", 0, 0, 0x52, XX, "fp"), F("rsqrtss", 0xf3, 0, 0x52, XU, "fp"),
	F("rcpps", 0, 0, 0x53, XX, "fp"), F("rcpss", 0xf3, 0, 0x53, XU, "fp"),
	F("andps", 0, 0, 0x54, XX, "fp"), F("andpd", 0x66, 0, 0x54, XX, "fp"),
	F("andnps", 0, 0, 0x55, XX, "fp"), F("andnpd", 0x66, 0, 0x55, XX, "fp"),
	F("orps", 0, 0, 0x56, XX, "fp"), F("orpd", 0x66, 0, 0x56, XX, "fp"),
	F("xorps", 0, 0, 0x57, XX, "fp"), F("xorpd", 0x66, 0, 0x57, XX, "fp"),
	F("unpcklps", 0, 0, 0x14, XX, "fp"), F("unpcklpd", 0x66, 0, 0x14, XX, "fp"),
	F("unpckhps", 0, 0, 0x15, XX, "fp"), F("unpckhpd", 0x66, 0, 0x15, XX, "fp"),
	F("shufps", 0, 0, 0xc6, XX | IMM, "fp"),
	F("shufpd", 0x66, 0, 0xc6, XX | IMM, "fp"),
	F("haddpd", 0x66, 0, 0x7c, XX, "fp"), F("haddps", 0xf2, 0, 0x7c, XX, "fp"),
	F("hsubpd", 0x66, 0, 0x7d, XX, "fp"), F("hsubps", 0xf2, 0, 0x7d, XX, "fp"),
	F("addsubpd", 0x66, 0, 0xd0, XX, "fp"),
	F("addsubps", 0xf2, 0, 0xd0, XX, "fp"),
	F("roundps", 0x66, 2, 0x08, XX | IMM, "fp"),
	F("roundpd", 0x66, 2, 0x09, XX | IMM, "fp"),
	F("roundss", 0x66, 2, 0x0a, XU | IMM, "fp"),
	F("roundsd", 0x66, 2, 0x0b, XU | IMM, "fp"),
	F("blendps", 0x66, 2, 0x0c, XX | IMM, "fp"),
	F("blendpd", 0x66, 2, 0x0d, XX | IMM, "fp"),
	F("blendvps", 0x66, 1, 0x14, XX, "fp"),
	F("blendvpd", 0x66, 1, 0x15, XX, "fp"),
	F("dpps", 0x66, 2, 0x40, XX | IMM, "fp"),
	F("dppd", 0x66, 2, 0x41, XX | IMM, "fp"),
	F("extractps", 0x66, 2, 0x17, RX | MG | MEM | IMM | W, "fp"),
	F("insertps", 0x66, 2, 0x21, XU | IMM, "fp"),
	/* comparisons */
	F("cmpps", 0, 0, 0xc2, XX | IMM, "cmp"),
	F("cmppd", 0x66, 0, 0xc2, XX | IMM, "cmp"),
	F("cmpss", 0xf3, 0, 0xc2, XU | IMM, "cmp"),
	F("cmpsd", 0xf2, 0, 0xc2, XU | IMM, "cmp"),
	F("ucomiss", 0, 0, 0x2e, XU, "cmp"), F("ucomisd", 0x66, 0, 0x2e, XU, "cmp"),
	F("comiss", 0, 0, 0x2f, XU, "cmp"), F("comisd", 0x66, 0, 0x2f, XU, "cmp"),
	/* conversions */
	F("cvtpi2ps", 0, 0, 0x2a, RX | MMM | MEM, "cvt"),
	F("cvtpi2pd", 0x66, 0, 0x2a, RX | MMM | MEM, "cvt"),
	F("cvtsi2ss", 0xf3, 0, 0x2a, RX | MG | MEM | W, "cvt"),
	F("cvtsi2sd", 0xf2, 0, 0x2a, RX | MG | MEM | W, "cvt"),
	F("cvttps2pi", 0, 0, 0x2c, RMM | MX | MEM, "cvt"),
	F("cvttpd2pi", 0x66, 0, 0x2c, RMM | MX | MEM | AL, "cvt"),
	F("cvttss2si", 0xf3, 0, 0x2c, RG | MX | MEM | W, "cvt"),
	F("cvttsd2si", 0xf2, 0, 0x2c, RG | MX | MEM | W, "cvt"),
	F("cvtps2pi", 0, 0, 0x2d, RMM | MX | MEM, "cvt"),
	F("cvtpd2pi", 0x66, 0, 0x2d, RMM | MX | MEM | AL, "cvt"),
	F("cvtss2si", 0xf3, 0, 0x2d, RG | MX | MEM | W, "cvt"),
	F("cvtsd2si", 0xf2, 0, 0x2d, RG | MX | MEM | W, "cvt"),
	F("cvtps2pd", 0, 0, 0x5a, XU, "cvt"), F("cvtpd2ps", 0x66, 0, 0x5a, XX, "cvt"),
	F("cvtss2sd", 0xf3, 0, 0x5a, XU, "cvt"),
	F("cvtsd2ss", 0xf2, 0, 0x5a, XU, "cvt"),
	F("cvtdq2ps", 0, 0, 0x5b, XX, "cvt"), F("cvtps2dq", 0x66, 0, 0x5b, XX, "cvt"),
	F("cvttps2dq", 0xf3, 0, 0x5b, XX, "cvt"),
	F("cvttpd2dq", 0x66, 0, 0xe6, XX, "cvt"),
	F("cvtdq2pd", 0xf3, 0, 0xe6, XU, "cvt"),
	F("cvtpd2dq", 0xf2, 0, 0xe6, XX, "cvt"),
	/* packed integer: MMX and SSE2 forms */
#define PI2(n, o) F(n " mm", 0, 0, o, MM, "int"), F(n, 0x66, 0, o, XX, "int")
	PI2("punpcklbw", 0x60), PI2("punpcklwd", 0x61), PI2("punpckldq", 0x62),
	PI2("packsswb", 0x63), PI2("pcmpgtb", 0x64), PI2("pcmpgtw", 0x65),
	PI2("pcmpgtd", 0x66), PI2("packuswb", 0x67), PI2("punpckhbw", 0x68),
	PI2("punpckhwd", 0x69), PI2("punpckhdq", 0x6a), PI2("packssdw", 0x6b),
	F("punpcklqdq", 0x66, 0, 0x6c, XX, "int"),
	F("punpckhqdq", 0x66, 0, 0x6d, XX, "int"),
	PI2("pcmpeqb", 0x74), PI2("pcmpeqw", 0x75), PI2("pcmpeqd", 0x76),
	PI2("psrlw", 0xd1), PI2("psrld", 0xd2), PI2("psrlq", 0xd3),
	PI2("paddq", 0xd4), PI2("pmullw", 0xd5), PI2("psubusb", 0xd8),
	PI2("psubusw", 0xd9), PI2("pminub", 0xda), PI2("pand", 0xdb),
	PI2("paddusb", 0xdc), PI2("paddusw", 0xdd), PI2("pmaxub", 0xde),
	PI2("pandn", 0xdf), PI2("pavgb", 0xe0), PI2("psraw", 0xe1),
	PI2("psrad", 0xe2), PI2("pavgw", 0xe3), PI2("pmulhuw", 0xe4),
	PI2("pmulhw", 0xe5), PI2("psubsb", 0xe8), PI2("psubsw", 0xe9),
	PI2("pminsw", 0xea), PI2("por", 0xeb), PI2("paddsb", 0xec),
	PI2("paddsw", 0xed), PI2("pmaxsw", 0xee), PI2("pxor", 0xef),
	PI2("psllw", 0xf1), PI2("pslld", 0xf2), PI2("psllq", 0xf3),
	PI2("pmuludq", 0xf4), PI2("pmaddwd", 0xf5), PI2("psadbw", 0xf6),
	PI2("psubb", 0xf8), PI2("psubw", 0xf9), PI2("psubd", 0xfa),
	PI2("psubq", 0xfb), PI2("paddb", 0xfc), PI2("paddw", 0xfd),
	PI2("paddd", 0xfe),
	F("pshufw", 0, 0, 0x70, MM | IMM, "int"),
	F("pshufd", 0x66, 0, 0x70, XX | IMM, "int"),
	F("pshufhw", 0xf3, 0, 0x70, XX | IMM, "int"),
	F("pshuflw", 0xf2, 0, 0x70, XX | IMM, "int"),
	F("pinsrw mm", 0, 0, 0xc4, RMM | MG | MEM | IMM, "int"),
	F("pinsrw", 0x66, 0, 0xc4, RX | MG | MEM | IMM, "int"),
	F("pextrw mm", 0, 0, 0xc5, RG | MMM | IMM, "int"),
	F("pextrw", 0x66, 0, 0xc5, RG | MX | IMM, "int"),
	G("psrlw imm mm", 0, 0x71, 2, MMM | IMM, "int"),
	G("psrlw imm", 0x66, 0x71, 2, MX | IMM, "int"),
	G("psraw imm mm", 0, 0x71, 4, MMM | IMM, "int"),
	G("psraw imm", 0x66, 0x71, 4, MX | IMM, "int"),
	G("psllw imm mm", 0, 0x71, 6, MMM | IMM, "int"),
	G("psllw imm", 0x66, 0x71, 6, MX | IMM, "int"),
	G("psrld imm mm", 0, 0x72, 2, MMM | IMM, "int"),
	G("psrld imm", 0x66, 0x72, 2, MX | IMM, "int"),
	G("psrad imm mm", 0, 0x72, 4, MMM | IMM, "int"),
	G("psrad imm", 0x66, 0x72, 4, MX | IMM, "int"),
	G("pslld imm mm", 0, 0x72, 6, MMM | IMM, "int"),
	G("pslld imm", 0x66, 0x72, 6, MX | IMM, "int"),
	G("psrlq imm mm", 0, 0x73, 2, MMM | IMM, "int"),
	G("psrlq imm", 0x66, 0x73, 2, MX | IMM, "int"),
	G("psrldq", 0x66, 0x73, 3, MX | IMM, "int"),
	G("psllq imm mm", 0, 0x73, 6, MMM | IMM, "int"),
	G("psllq imm", 0x66, 0x73, 6, MX | IMM, "int"),
	G("pslldq", 0x66, 0x73, 7, MX | IMM, "int"),
	/* SSSE3 */
#define SS2(n, o) F(n " mm", 0, 1, o, MM, "ssse3"), F(n, 0x66, 1, o, XX, "ssse3")
	SS2("pshufb", 0x00), SS2("phaddw", 0x01), SS2("phaddd", 0x02),
	SS2("phaddsw", 0x03), SS2("pmaddubsw", 0x04), SS2("phsubw", 0x05),
	SS2("phsubd", 0x06), SS2("phsubsw", 0x07), SS2("psignb", 0x08),
	SS2("psignw", 0x09), SS2("psignd", 0x0a), SS2("pmulhrsw", 0x0b),
	SS2("pabsb", 0x1c), SS2("pabsw", 0x1d), SS2("pabsd", 0x1e),
	F("palignr mm", 0, 2, 0x0f, MM | IMM, "ssse3"),
	F("palignr", 0x66, 2, 0x0f, XX | IMM, "ssse3"),
	/* SSE4.1 integer */
#define S41(n, o) F(n, 0x66, 1, o, XX, "sse41")
	S41("pblendvb", 0x10), S41("ptest", 0x17), S41("pmuldq", 0x28),
	S41("pcmpeqq", 0x29), S41("packusdw", 0x2b), S41("pminsb", 0x38),
	S41("pminsd", 0x39), S41("pminuw", 0x3a), S41("pminud", 0x3b),
	S41("pmaxsb", 0x3c), S41("pmaxsd", 0x3d), S41("pmaxuw", 0x3e),
	S41("pmaxud", 0x3f), S41("pmulld", 0x40), S41("phminposuw", 0x41),
#define S41M(n, o) F(n, 0x66, 1, o, XU, "sse41")
	S41M("pmovsxbw", 0x20), S41M("pmovsxbd", 0x21), S41M("pmovsxbq", 0x22),
	S41M("pmovsxwd", 0x23), S41M("pmovsxwq", 0x24), S41M("pmovsxdq", 0x25),
	S41M("pmovzxbw", 0x30), S41M("pmovzxbd", 0x31), S41M("pmovzxbq", 0x32),
	S41M("pmovzxwd", 0x33), S41M("pmovzxwq", 0x34), S41M("pmovzxdq", 0x35),
	F("pblendw", 0x66, 2, 0x0e, XX | IMM, "sse41"),
	F("pextrb", 0x66, 2, 0x14, RX | MG | MEM | IMM, "sse41"),
	F("pextrw r/m", 0x66, 2, 0x15, RX | MG | MEM | IMM, "sse41"),
	F("pextrd/q", 0x66, 2, 0x16, RX | MG | MEM | IMM | W, "sse41"),
	F("pinsrb", 0x66, 2, 0x20, RX | MG | MEM | IMM, "sse41"),
	F("pinsrd/q", 0x66, 2, 0x22, RX | MG | MEM | IMM | W, "sse41"),
	F("mpsadbw", 0x66, 2, 0x42, XX | IMM, "sse41"),
	/* SSE4.2 */
	F("pcmpgtq", 0x66, 1, 0x37, XX, "sse42"),
	F("pcmpestrm", 0x66, 2, 0x60, XU | IMM | W, "sse42"),
	F("pcmpestri", 0x66, 2, 0x61, XU | IMM | W, "sse42"),
	F("pcmpistrm", 0x66, 2, 0x62, XU | IMM, "sse42"),
	F("pcmpistri", 0x66, 2, 0x63, XU | IMM, "sse42"),
	F("crc32 r/m8", 0xf2, 1, 0xf0, RG | MG | MEM | W, "sse42"),
	F("crc32 r/m32", 0xf2, 1, 0xf1, RG | MG | MEM | W, "sse42"),
	F("crc32 r/m16", 0x66f2, 1, 0xf1, RG | MG | MEM, "sse42"),
	F("popcnt", 0xf3, 0, 0xb8, RG | MG | MEM | W, "sse42"),
	F("popcnt r16", 0x66f3, 0, 0xb8, RG | MG | MEM, "sse42"),
};

/* --- the two machines ---------------------------------------------------- */

struct ctx {
	struct harness *h;
	struct cpu_state base; /* 64-bit mode, SSE enabled */
	uint8_t *page;
	size_t page_size, head_len, tail_len;
	uint8_t *hbuf; /* the host's memory operand, 16-byte aligned */
	unsigned printed;
};

static int setup(void **state)
{
	struct ctx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	x->h = harness_create();
	if (!x->h)
		return -1;
	x->page_size = (size_t)sysconf(_SC_PAGESIZE);
	x->page = mmap(NULL, x->page_size, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->page == MAP_FAILED)
		return -1;
	x->head_len = (size_t)(popek_sse_tail - popek_sse_head);
	x->tail_len = (size_t)(popek_sse_end - popek_sse_tail);
	memcpy(x->page, popek_sse_head, x->head_len);
	x->hbuf = aligned_alloc(64, BUF_LEN);
	if (!x->hbuf)
		return -1;
	lm_harness_init(x->h, &x->base);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *x = *state;

	munmap(x->page, x->page_size);
	free(x->hbuf);
	harness_destroy(x->h);
	free(x);
	return 0;
}

static void host_run(struct ctx *x, const uint8_t *code, size_t len,
		     struct xstate *st)
{
	host_fn fn;
	void *p = x->page;

	memcpy(x->page + x->head_len, code, len);
	memcpy(x->page + x->head_len + len, popek_sse_tail, x->tail_len);
	memcpy(&fn, &p, sizeof(fn));
	fn(st);
}

/* The interpreter's view: MMi is st[(i - TOP) & 7]. */
static unsigned top_of(const struct cpu_state *s)
{
	return (s->fpu.fsw >> 11) & 7;
}

static void guest_load(struct ctx *x, const struct xstate *in, unsigned top,
		       struct cpu_state *s)
{
	*s = x->base;
	memcpy(s->fpu.xmm, in->xmm, sizeof(in->xmm));
	s->fpu.fsw = (uint16_t)(top << 11);
	s->fpu.ftw = 0x55;
	for (unsigned k = 0; k < 8; k++) {
		s->fpu.st[(k - top) & 7].mantissa = in->mm[k];
		s->fpu.st[(k - top) & 7].sign_exp = (uint16_t)(0x3fff + k);
	}
	memcpy(s->gpr, in->gpr, sizeof(in->gpr));
	s->gpr[R_SP] = HARNESS_STACK_TOP;
	s->gpr[R_BX] = G_BUF;
	s->gpr[R_DI] = G_BUF;
	s->rflags = in->flags;
	s->fpu.mxcsr = in->mxcsr;
}

struct outcome {
	struct xstate st;
	uint8_t mem[BUF_LEN];
	int vector; /* -1: no exception */
	uint16_t ftw, top;
};

static void guest_run(struct ctx *x, const uint8_t *code, size_t len,
		      const struct xstate *in, const uint8_t *mem,
		      unsigned top, struct outcome *o)
{
	struct cpu_state s;

	harness_write(x->h, G_BUF, mem, BUF_LEN);
	guest_load(x, in, top, &s);
	harness_step(x->h, code, len, &s);
	o->vector = s.rip == HARNESS_CODE + len ? -1
						: harness_handler_vector(s.rip);
	if (o->vector < 0 && s.rip != HARNESS_CODE + len)
		o->vector = 255;
	memcpy(o->st.xmm, s.fpu.xmm, sizeof(o->st.xmm));
	for (unsigned k = 0; k < 8; k++)
		o->st.mm[k] = s.fpu.st[(k - top_of(&s)) & 7].mantissa;
	memcpy(o->st.gpr, s.gpr, sizeof(s.gpr));
	o->st.flags = s.rflags;
	o->st.mxcsr = s.fpu.mxcsr;
	o->ftw = s.fpu.ftw;
	o->top = (uint16_t)top_of(&s);
	harness_read(x->h, G_BUF, o->mem, BUF_LEN);
}

/* --- building one case ---------------------------------------------------- */

static const uint8_t gprs[] = { 0, 1, 2, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

static size_t encode(struct rng *g, const struct form *f, uint8_t *b,
		     bool *mem_form)
{
	size_t n = 0;
	unsigned reg, rm;
	bool w = (f->fl & W) && (rnd(g) & 1);
	bool mem;
	uint8_t rex;

	if (f->fl & NOREG)
		mem = true;
	else if (f->fl & MEM)
		mem = below(g, 3) == 0;
	else
		mem = false;
	*mem_form = mem;

	if (f->fl & GRP)
		reg = f->grp;
	else if (f->fl & RX)
		reg = below(g, 16);
	else if (f->fl & RMM)
		reg = below(g, 8) | (below(g, 4) == 0 ? 8 : 0); /* REX.R is ignored */
	else
		reg = gprs[below(g, sizeof(gprs))];
	if (mem)
		rm = 3; /* [rbx + disp8] */
	else if (f->fl & MX)
		rm = below(g, 16);
	else if (f->fl & MMM)
		rm = below(g, 8) | (below(g, 4) == 0 ? 8 : 0);
	else
		rm = gprs[below(g, sizeof(gprs))];

	if (f->pfx > 0xff)
		b[n++] = (uint8_t)(f->pfx >> 8);
	if (f->pfx)
		b[n++] = (uint8_t)f->pfx;
	rex = (uint8_t)(0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) |
			(rm & 8 ? 1 : 0));
	if (rex != 0x40 || below(g, 4) == 0)
		b[n++] = rex;
	b[n++] = 0x0f;
	if (f->map == 1)
		b[n++] = 0x38;
	else if (f->map == 2)
		b[n++] = 0x3a;
	b[n++] = f->op;
	if (mem) {
		unsigned disp = (f->fl & AL) ? 16 * below(g, 3) : below(g, 40);

		b[n++] = (uint8_t)(0x40 | (reg & 7) << 3 | 3);
		b[n++] = (uint8_t)disp;
	} else {
		b[n++] = (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7));
	}
	if (f->fl & IMM) {
		unsigned imm = (unsigned)rnd(g) & 0xff;

		/* Shift counts: mostly within the element. */
		if ((f->fl & GRP) && below(g, 4))
			imm &= 0x3f;
		b[n++] = (uint8_t)imm;
	}
	return n;
}

static void random_state(struct rng *g, struct xstate *in, uint8_t *mem)
{
	memset(in, 0, sizeof(*in));
	for (int k = 0; k < 16; k++)
		rnd_vec(g, in->xmm[k]);
	for (int k = 0; k < 8; k++) {
		uint64_t v[2];

		rnd_vec(g, v);
		in->mm[k] = v[0];
	}
	for (int k = 0; k < 16; k++)
		in->gpr[k] = rnd_int64(g);
	/* String lengths in RAX/RDX: mostly small, either sign. */
	if (rnd(g) & 1)
		in->gpr[R_AX] = (uint64_t)(int64_t)((int)below(g, 41) - 20);
	if (rnd(g) & 1)
		in->gpr[R_DX] = (uint64_t)(int64_t)((int)below(g, 41) - 20);
	in->flags = 0x202 | (rnd(g) & (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF |
				       FLAG_SF | FLAG_OF));
	/* Rounding, FZ, DAZ and some sticky flags; every exception masked. */
	in->mxcsr = 0x1f80 | (uint32_t)(below(g, 4) << 13) |
		    (below(g, 3) == 0 ? 0x8000u : 0) |
		    (below(g, 3) == 0 ? 0x0040u : 0) |
		    (below(g, 4) == 0 ? (uint32_t)(rnd(g) & 0x3f) : 0);
	for (int k = 0; k < BUF_LEN; k += 16) {
		uint64_t v[2];

		rnd_vec(g, v);
		memcpy(mem + k, v, 16);
	}
}

static void print_case(struct ctx *x, const struct form *f,
		       const uint8_t *code, size_t len, const char *what,
		       unsigned k, uint64_t got_hi, uint64_t got,
		       uint64_t want_hi, uint64_t want)
{
	char hex[64];
	size_t p = 0;

	if (x->printed++ >= MAX_PRINTED)
		return;
	for (size_t i = 0; i < len && p + 4 < sizeof(hex); i++)
		p += (size_t)snprintf(hex + p, sizeof(hex) - p, "%02x ",
				      code[i]);
	print_message("  %s [%s]: %s%u got %016llx:%016llx want "
		      "%016llx:%016llx\n",
		      f->name, hex, what, k, (unsigned long long)got_hi,
		      (unsigned long long)got, (unsigned long long)want_hi,
		      (unsigned long long)want);
}

/* One case; returns the number of mismatching items. */
static unsigned run_case(struct ctx *x, struct rng *g, const struct form *f)
{
	uint8_t code[16], mem[BUF_LEN];
	struct xstate in, host;
	struct outcome o;
	bool mem_form, mmx;
	size_t len = encode(g, f, code, &mem_form);
	unsigned top = below(g, 8), bad = 0;
	uint64_t hb = (uint64_t)(uintptr_t)x->hbuf;

	random_state(g, &in, mem);
	host = in;
	host.gpr[R_BX] = hb;
	host.gpr[R_DI] = hb;
	memcpy(x->hbuf, mem, BUF_LEN);
	host_run(x, code, len, &host);
	guest_run(x, code, len, &in, mem, top, &o);

	if (o.vector >= 0) {
		print_case(x, f, code, len, "exception ", (unsigned)o.vector, 0,
			   0, 0, 0);
		return 1;
	}
	for (unsigned k = 0; k < 16; k++)
		if (memcmp(o.st.xmm[k], host.xmm[k], 16)) {
			print_case(x, f, code, len, "xmm", k, o.st.xmm[k][1],
				   o.st.xmm[k][0], host.xmm[k][1],
				   host.xmm[k][0]);
			bad++;
		}
	for (unsigned k = 0; k < 8; k++)
		if (o.st.mm[k] != host.mm[k]) {
			print_case(x, f, code, len, "mm", k, 0, o.st.mm[k], 0,
				   host.mm[k]);
			bad++;
		}
	host.gpr[R_BX] = G_BUF + (host.gpr[R_BX] - hb);
	host.gpr[R_DI] = G_BUF + (host.gpr[R_DI] - hb);
	for (unsigned k = 0; k < 16; k++)
		if (k != R_SP && o.st.gpr[k] != host.gpr[k]) {
			print_case(x, f, code, len, "gpr", k, 0, o.st.gpr[k], 0,
				   host.gpr[k]);
			bad++;
		}
	if ((o.st.flags ^ host.flags) & FLAGS_ARITH) {
		print_case(x, f, code, len, "rflags", 0, 0,
			   o.st.flags & FLAGS_ARITH, 0,
			   host.flags & FLAGS_ARITH);
		bad++;
	}
	if (o.st.mxcsr != host.mxcsr) {
		print_case(x, f, code, len, "mxcsr", 0, in.mxcsr, o.st.mxcsr,
			   in.mxcsr, host.mxcsr);
		bad++;
	}
	for (unsigned k = 0; k < BUF_LEN; k += 8) {
		uint64_t a, b;

		memcpy(&a, o.mem + k, 8);
		memcpy(&b, x->hbuf + k, 8);
		if (a != b) {
			print_case(x, f, code, len, "mem+", k, 0, a, 0, b);
			bad++;
		}
	}
	/* An MMX access leaves TOP 0 and every register valid (SDM Vol. 1
	 * §9.5.1); an SSE-only one leaves the x87 state alone. */
	/* CVTPI2PS xmm, m64 is no MMX access (SDM Vol. 2 "CVTPI2PS"). */
	mmx = (f->fl & RMM) || ((f->fl & MMM) && !mem_form);
	if (mmx && (o.top != 0 || o.ftw != 0xff)) {
		print_case(x, f, code, len, "x87 top/ftw", 0, 0, o.top, 0,
			   o.ftw);
		bad++;
	}
	if (!mmx && (o.top != top || o.ftw != 0x55)) {
		print_case(x, f, code, len, "x87 top/ftw kept", 0, 0, o.top,
			   top, o.ftw);
		bad++;
	}
	return bad;
}

static void test_family(void **state, const char *family, uint64_t seed)
{
	struct ctx *x = *state;
	struct rng g = { seed };
	unsigned cases = 0, bad = 0, nforms = 0;

	x->printed = 0;
	for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		if (strcmp(forms[k].family, family))
			continue;
		nforms++;
		for (int it = 0; it < ITERS; it++) {
			cases++;
			if (run_case(x, &g, &forms[k]))
				bad++;
		}
	}
	print_message("%s: %u forms, %u cases, %u mismatching\n", family,
		      nforms, cases, bad);
	assert_true(nforms > 0);
	assert_int_equal(bad, 0);
}

static void test_moves(void **s)
{
	test_family(s, "move", 1);
}

static void test_fp(void **s)
{
	test_family(s, "fp", 2);
}

static void test_cmp(void **s)
{
	test_family(s, "cmp", 3);
}

static void test_cvt(void **s)
{
	test_family(s, "cvt", 4);
}

static void test_int(void **s)
{
	test_family(s, "int", 5);
}

static void test_ssse3(void **s)
{
	test_family(s, "ssse3", 6);
}

static void test_sse41(void **s)
{
	test_family(s, "sse41", 7);
}

static void test_sse42(void **s)
{
	test_family(s, "sse42", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_fp),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_cvt),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_ssse3),
		cmocka_unit_test(test_sse41),
		cmocka_unit_test(test_sse42),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
