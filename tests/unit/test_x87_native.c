// SPDX-License-Identifier: MIT
/*
 * The host CPU's x87 is the oracle for the interpreter's.
 *
 * A case is one x87 instruction and a complete FPU state: the control
 * word, the status word with TOP and no exception pending, the tags and
 * all eight registers (random values of every class: normals over the
 * whole exponent range and near each other, denormals, pseudo-denormals,
 * zeros and infinities of both signs, quiet and signalling NaNs, the
 * indefinite, unnormals, pseudo-NaNs), a memory operand at [ESI] and the
 * arithmetic flags.  The host runs it as FXRSTOR; the instruction;
 * FXSAVE (neither FXRSTOR nor FXSAVE waits, so an unmasked exception the
 * instruction raises stays pending and is cleared by FNINIT before
 * returning), the interpreter as one cpu_step() in flat 32-bit protected
 * mode.  The same bytes mean the same in both: [ESI] is ModRM 00 xxx 110
 * in 32-bit code and [RSI] in 64-bit code.  Compared bit for bit: the
 * status word (C0-C3, TOP, exception flags, ES, B), the tags, the eight
 * registers, the 128 bytes at [ESI], ZF/PF/CF/OF/SF/AF and AX.
 *
 * The transcendentals are compared within a stated bound in units in the
 * last place instead (see test_transcendentals).  The instruction and
 * data pointers (FIP, FDP, FOP) are not compared: the host runs in
 * 64-bit mode at another address.
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

#include "cpu_harness.h"

#define MEM_ADDR 0x20000u /* the operand at [ESI] in the guest */
#define MEM_LEN 128
#define MAX_PRINTED 8

struct fp80 {
	uint64_t m;
	uint16_t se;
};

struct fpstate {
	uint16_t fcw, fsw;
	uint8_t ftw; /* abridged: bit p = physical register p not empty */
	struct fp80 st[8]; /* ST(i) */
};

struct xcase {
	uint8_t code[16];
	int len;
	struct fpstate in;
	uint8_t mem[MEM_LEN];
	uint32_t flags; /* arithmetic flags in */
};

struct xout {
	struct fpstate fp;
	uint8_t mem[MEM_LEN];
	uint32_t flags;
	uint16_t ax;
	int vector; /* interpreter: the exception raised, or -1 */
};

struct ctx {
	uint8_t *code; /* host runner, RWX */
	struct harness *h;
	struct cpu_state base;
	uint64_t rng;
};

#define ARITH_FLAGS 0x8d5u /* CF PF AF ZF SF OF */

/* --- random numbers ------------------------------------------------------ */

static uint64_t rnd(struct ctx *x)
{
	/* xorshift64* */
	x->rng ^= x->rng >> 12;
	x->rng ^= x->rng << 25;
	x->rng ^= x->rng >> 27;
	return x->rng * 0x2545f4914f6cdd1dull;
}

static unsigned rndn(struct ctx *x, unsigned n)
{
	return (unsigned)(rnd(x) % n);
}

static struct fp80 mk(int sign, unsigned exp, uint64_t m)
{
	struct fp80 v = { m, (uint16_t)((sign ? 0x8000 : 0) | (exp & 0x7fff)) };
	return v;
}

/* A mantissa with few significant bits, or random, or all ones. */
static uint64_t rnd_mant(struct ctx *x)
{
	switch (rndn(x, 6)) {
	case 0:
		return 0x8000000000000000ull | (rnd(x) & 0xff00000000000000ull);
	case 1:
		return ~0ull;
	case 2:
		return 0x8000000000000000ull | (rnd(x) & 0xffffff0000000000ull);
	case 3:
		return 0x8000000000000000ull | (rnd(x) & 0xfffffffffffff800ull);
	default:
		return 0x8000000000000000ull | rnd(x);
	}
}

static struct fp80 rnd_value(struct ctx *x)
{
	int s = (int)rndn(x, 2);

	switch (rndn(x, 24)) {
	case 0:
		return mk(s, 0, 0);
	case 1:
		return mk(s, 0, rnd(x) >> (1 + rndn(x, 63))); /* denormal */
	case 2:
		return mk(s, 0, 0x8000000000000000ull | rnd(x)); /* pseudo */
	case 3:
		return mk(s, 0x7fff, 0x8000000000000000ull);
	case 4:
		return mk(s, 0x7fff, 0xc000000000000000ull | (rnd(x) >> 2));
	case 5:
		return mk(s, 0x7fff, 0x8000000000000000ull |
					     ((rnd(x) >> 2) | 1)); /* SNaN */
	case 6:
		return mk(1, 0x7fff, 0xc000000000000000ull);
	case 7:
		return mk(s, 1 + rndn(x, 0x7ffe), rnd(x) >> 1); /* unnormal */
	case 8:
		return mk(s, 1 + rndn(x, 3), rnd_mant(x));
	case 9:
		return mk(s, 0x7ffe - rndn(x, 3), rnd_mant(x));
	case 10:
	case 11: { /* small integers and halves */
		uint64_t v = rndn(x, 64) + 1;
		int lz = __builtin_clzll(v);

		return mk(s, 0x3fff + 62 - (unsigned)lz + rndn(x, 3) - 1,
			  v << lz);
	}
	case 12:
		return mk(s, 1 + rndn(x, 0x7ffe), rnd_mant(x));
	default:
		return mk(s, 0x3fff - 80 + rndn(x, 160), rnd_mant(x));
	}
}

/* A second operand near the first: same or close exponent. */
static struct fp80 rnd_near(struct ctx *x, struct fp80 a)
{
	struct fp80 b = a;
	unsigned e = a.se & 0x7fff;

	switch (rndn(x, 4)) {
	case 0:
		break;
	case 1:
		b.se ^= 0x8000;
		break;
	case 2:
		b.m ^= 1ull << rndn(x, 63);
		break;
	default:
		if (e > 70 && e < 0x7fff - 70)
			b.se = (uint16_t)((b.se & 0x8000) | (e + rndn(x, 140) - 70));
		b.m = rnd_mant(x);
		break;
	}
	return b;
}

static const uint16_t pc_rc[] = { 0x000, 0x200, 0x300 };

/* ES and B as FXRSTOR leaves them: set when an unmasked flag is. */
static void summary(struct fpstate *s)
{
	s->fsw &= 0x7f7f;
	if (s->fsw & ~s->fcw & 0x3f)
		s->fsw |= 0x8080;
}

static void rnd_state(struct ctx *x, struct fpstate *s, int need)
{
	unsigned top = rndn(x, 8);

	s->fcw = (uint16_t)(0x0040 | pc_rc[rndn(x, 3)] | (rndn(x, 4) << 10));
	s->fcw |= rndn(x, 4) ? 0x3f : (uint16_t)(rnd(x) & 0x3f);
	s->fsw = (uint16_t)(top << 11);
	s->ftw = (uint8_t)rnd(x);
	for (int k = 0; k < 8; k++)
		s->st[k] = rnd_value(x);
	if (rndn(x, 3) == 0)
		s->st[1] = rnd_near(x, s->st[0]);
	/* ST(0)..ST(need-1) valid most of the time. */
	for (int k = 0; k < need; k++)
		if (rndn(x, 20))
			s->ftw |= (uint8_t)(1u << ((top + (unsigned)k) & 7));
}

/* --- the two runners ----------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int k = 0; k < 8; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int k = 7; k >= 0; k--)
		v = v << 8 | p[k];
	return v;
}

static int host_init(struct ctx *x)
{
	x->code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return x->code == MAP_FAILED ? -1 : 0;
}

typedef uint64_t (*host_fn)(uint8_t *img, uint8_t *mem, uint64_t flags);

static void run_host(struct ctx *x, const struct xcase *c, struct xout *o)
{
	static const uint8_t pre[] = {
		0x52, 0x9d, /* push rdx; popfq */
		0x0f, 0xae, 0x0f, /* fxrstor [rdi] */
		0xb8, 0, 0, 0, 0, /* mov eax, 0 (flags intact) */
	};
	static const uint8_t post[] = {
		0x0f, 0xae, 0x07, /* fxsave [rdi] */
		0x48, 0x89, 0x87, 0xd0, 0x01, 0x00, 0x00, /* mov [rdi+464], rax */
		0x9c, 0x58, /* pushfq; pop rax */
		0xdb, 0xe3, /* fninit */
		0xc3,
	};
	uint8_t img[512] __attribute__((aligned(16)));
	uint8_t mem[MEM_LEN + 16];
	uint8_t *p = x->code;
	uint64_t fl;

	memcpy(p, pre, sizeof(pre));
	p += sizeof(pre);
	memset(p, 0x90, 16);
	memcpy(p, c->code, (size_t)c->len);
	p += 16;
	memcpy(p, post, sizeof(post));
	__builtin___clear_cache((char *)x->code, (char *)p + sizeof(post));

	memset(img, 0, sizeof(img));
	put16(img, c->in.fcw);
	put16(img + 2, c->in.fsw);
	img[4] = c->in.ftw;
	put64(img + 24, 0x0000ffff00001f80ull); /* MXCSR, MXCSR_MASK */
	for (int k = 0; k < 8; k++) {
		put64(img + 32 + 16 * k, c->in.st[k].m);
		put16(img + 40 + 16 * k, c->in.st[k].se);
	}
	memcpy(mem, c->mem, MEM_LEN);
	fl = ((host_fn)(void *)x->code)(img, mem, 0x2 | c->flags);
	o->fp.fcw = (uint16_t)(img[0] | img[1] << 8);
	o->fp.fsw = (uint16_t)(img[2] | img[3] << 8);
	o->fp.ftw = img[4];
	for (int k = 0; k < 8; k++) {
		o->fp.st[k].m = get64(img + 32 + 16 * k);
		o->fp.st[k].se = (uint16_t)(img[40 + 16 * k] |
					    img[41 + 16 * k] << 8);
	}
	memcpy(o->mem, mem, MEM_LEN);
	o->flags = (uint32_t)fl & ARITH_FLAGS;
	o->ax = (uint16_t)get64(img + 464);
	o->vector = -1;
}

static void run_interp(struct ctx *x, const struct xcase *c, struct xout *o)
{
	struct cpu_state s = x->base;
	enum cpu_stop stop;

	s.cr0 |= CR0_NE;
	s.gpr[R_SI] = MEM_ADDR;
	s.rflags = 0x2 | c->flags;
	s.fpu.fcw = c->in.fcw;
	s.fpu.fsw = c->in.fsw;
	s.fpu.ftw = c->in.ftw;
	for (int k = 0; k < 8; k++) {
		s.fpu.st[k].mantissa = c->in.st[k].m;
		s.fpu.st[k].sign_exp = c->in.st[k].se;
	}
	harness_write(x->h, MEM_ADDR, c->mem, MEM_LEN);
	stop = harness_step(x->h, c->code, (size_t)c->len, &s);
	o->vector = -1;
	if (stop != CPU_STOP_BUDGET || s.rip != HARNESS_CODE + (unsigned)c->len)
		o->vector = harness_handler_vector(s.rip);
	if (o->vector < 0 && s.rip != HARNESS_CODE + (unsigned)c->len)
		o->vector = 99;
	o->fp.fcw = s.fpu.fcw;
	o->fp.fsw = s.fpu.fsw;
	o->fp.ftw = s.fpu.ftw;
	for (int k = 0; k < 8; k++) {
		o->fp.st[k].m = s.fpu.st[k].mantissa;
		o->fp.st[k].se = s.fpu.st[k].sign_exp;
	}
	harness_read(x->h, MEM_ADDR, o->mem, MEM_LEN);
	o->flags = (uint32_t)s.rflags & ARITH_FLAGS;
	o->ax = (uint16_t)s.gpr[R_AX];
}

/* --- comparing ----------------------------------------------------------- */

/* What a check compares. */
enum {
	CMP_ST = 1, /* the registers, bit for bit */
	CMP_MEM = 2,
	CMP_FLAGS = 4,
	CMP_AX = 8,
	CMP_ALL = 15,
};

struct tally {
	const char *name;
	unsigned cases, bad, printed;
	unsigned by_code[8][256]; /* mismatches by escape and ModRM */
};

static void print_fp(const char *tag, const struct fpstate *s)
{
	print_message("    %s fcw %04x fsw %04x ftw %02x\n", tag, s->fcw, s->fsw,
		      s->ftw);
	for (int k = 0; k < 8; k++)
		print_message("      st%d %04x %016llx\n", k, s->st[k].se,
			      (unsigned long long)s->st[k].m);
}

static bool same(const struct xcase *c, const struct xout *a,
		 const struct xout *b, int what)
{
	if (b->vector >= 0)
		return false;
	if (a->fp.fsw != b->fp.fsw || a->fp.ftw != b->fp.ftw ||
	    a->fp.fcw != b->fp.fcw)
		return false;
	if (what & CMP_ST)
		for (int k = 0; k < 8; k++)
			if (a->fp.st[k].m != b->fp.st[k].m ||
			    a->fp.st[k].se != b->fp.st[k].se)
				return false;
	if ((what & CMP_MEM) && memcmp(a->mem, b->mem, MEM_LEN))
		return false;
	if ((what & CMP_FLAGS) && a->flags != b->flags)
		return false;
	if ((what & CMP_AX) && a->ax != b->ax)
		return false;
	(void)c;
	return true;
}

static void report(struct tally *t, const struct xcase *c,
		   const struct xout *host, const struct xout *emu)
{
	t->bad++;
	t->by_code[c->code[0] & 7][c->code[1]]++;
	if (t->printed++ >= MAX_PRINTED)
		return;
	print_message("  %s: mismatch, code", t->name);
	for (int k = 0; k < c->len; k++)
		print_message(" %02x", c->code[k]);
	print_message(" (interp vector %d) mem %016llx %04x flags in %03x "
		      "host %03x interp %03x ax %04x/%04x\n",
		      emu->vector, (unsigned long long)get64(c->mem),
		      c->mem[8] | c->mem[9] << 8, c->flags, host->flags,
		      emu->flags, host->ax, emu->ax);
	print_fp("in    ", &c->in);
	print_message("    host   fcw %04x fsw %04x ftw %02x / interp fcw %04x "
		      "fsw %04x ftw %02x\n", host->fp.fcw, host->fp.fsw,
		      host->fp.ftw, emu->fp.fcw, emu->fp.fsw, emu->fp.ftw);
	for (int k = 0; k < 8; k++)
		if (host->fp.st[k].m != emu->fp.st[k].m ||
		    host->fp.st[k].se != emu->fp.st[k].se)
			print_message("      st%d host %04x %016llx interp %04x "
				      "%016llx\n", k, host->fp.st[k].se,
				      (unsigned long long)host->fp.st[k].m,
				      emu->fp.st[k].se,
				      (unsigned long long)emu->fp.st[k].m);
	if (memcmp(host->mem, emu->mem, 16))
		print_message("    mem host %016llx %04x interp %016llx %04x\n",
			      (unsigned long long)get64(host->mem),
			      host->mem[8] | host->mem[9] << 8,
			      (unsigned long long)get64(emu->mem),
			      emu->mem[8] | emu->mem[9] << 8);
}

static void check(struct ctx *x, struct tally *t, const struct xcase *c,
		  int what)
{
	struct xout host, emu;

	run_host(x, c, &host);
	run_interp(x, c, &emu);
	t->cases++;
	if (!same(c, &host, &emu, what))
		report(t, c, &host, &emu);
}

static void finish(struct tally *t)
{
	print_message("%s: %u cases, %u mismatches\n", t->name, t->cases,
		      t->bad);
	for (int e = 0; e < 8 && t->bad; e++)
		for (int m = 0; m < 256; m++)
			if (t->by_code[e][m])
				print_message("  %02x %02x: %u\n", 0xd8 + e, m,
					      t->by_code[e][m]);
	assert_int_equal(t->bad, 0);
}

static void set_code(struct xcase *c, int n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (int k = 0; k < n; k++)
		c->code[k] = (uint8_t)va_arg(ap, int);
	va_end(ap);
	c->len = n;
}

/* Random memory bytes with the interesting encodings of each format. */
static void rnd_mem(struct ctx *x, struct xcase *c, int fmt_len, bool fp)
{
	for (int k = 0; k < MEM_LEN; k += 8)
		put64(c->mem + k, rnd(x));
	if (fmt_len == 10) {
		struct fp80 v = rnd_value(x);

		put64(c->mem, v.m);
		put16(c->mem + 8, v.se);
		return;
	}
	if (!fp) {
		switch (rndn(x, 4)) {
		case 0:
			memset(c->mem, 0, (size_t)fmt_len);
			c->mem[fmt_len - 1] = 0x80;
			break;
		case 1:
			memset(c->mem + 1, 0, (size_t)fmt_len - 1);
			c->mem[0] = (uint8_t)rndn(x, 20);
			if (rndn(x, 2))
				memset(c->mem + 1, 0xff, (size_t)fmt_len - 1);
			break;
		}
		return;
	}
	if (fmt_len == 4) {
		uint32_t v = (uint32_t)rnd(x);

		switch (rndn(x, 6)) {
		case 0:
			v &= 0x807fffffu; /* zero or denormal */
			break;
		case 1:
			v |= 0x7f800000u; /* inf or NaN */
			if (rndn(x, 2))
				v &= 0xff800000u;
			break;
		case 2:
			v &= 0x807fffffu;
			v >>= rndn(x, 23);
			break;
		}
		memcpy(c->mem, &v, 4);
	} else {
		uint64_t v = rnd(x);

		switch (rndn(x, 6)) {
		case 0:
			v &= 0x800fffffffffffffull;
			break;
		case 1:
			v |= 0x7ff0000000000000ull;
			if (rndn(x, 2))
				v &= 0xfff0000000000000ull;
			break;
		case 2:
			v &= 0x800fffffffffffffull;
			v >>= rndn(x, 52);
			break;
		}
		memcpy(c->mem, &v, 8);
	}
}

#define ITERS 3000

/* --- the groups of instructions ------------------------------------------ */

static void test_arith_reg(void **state)
{
	struct ctx *x = *state;
	static const uint8_t esc[3] = { 0xd8, 0xdc, 0xde };
	static struct tally t = { .name = "arith st(i)" };
	struct xcase c;

	for (int n = 0; n < ITERS * 16; n++) {
		memset(&c, 0, sizeof(c));
		set_code(&c, 2, esc[rndn(x, 3)], 0xc0 + rndn(x, 64));
		if (c.code[0] == 0xde && c.code[1] >= 0xd8 && c.code[1] < 0xe0)
			c.code[1] = 0xd9; /* FCOMPP */
		rnd_state(x, &c.in, 8);
		check(x, &t, &c, CMP_ALL);
	}
	finish(&t);
}

static void test_arith_mem(void **state)
{
	struct ctx *x = *state;
	static const uint8_t esc[4] = { 0xd8, 0xda, 0xdc, 0xde };
	static const int len[4] = { 4, 4, 8, 2 };
	static struct tally t = { .name = "arith m" };
	struct xcase c;

	for (int n = 0; n < ITERS * 8; n++) {
		unsigned e = rndn(x, 4);

		memset(&c, 0, sizeof(c));
		set_code(&c, 2, esc[e], (rndn(x, 8) << 3) | 6);
		rnd_state(x, &c.in, 1);
		rnd_mem(x, &c, len[e], !(e & 1));
		check(x, &t, &c, CMP_ALL);
	}
	finish(&t);
}

static void test_load_store(void **state)
{
	struct ctx *x = *state;
	/* escape, reg, operand length, floating point */
	static const struct {
		uint8_t esc, reg, len;
		bool fp;
	} forms[] = {
		{ 0xd9, 0, 4, true }, { 0xd9, 2, 4, true }, { 0xd9, 3, 4, true },
		{ 0xdd, 0, 8, true }, { 0xdd, 2, 8, true }, { 0xdd, 3, 8, true },
		{ 0xdb, 5, 10, true }, { 0xdb, 7, 10, true },
		{ 0xdb, 0, 4, false }, { 0xdb, 1, 4, false },
		{ 0xdb, 2, 4, false }, { 0xdb, 3, 4, false },
		{ 0xdf, 0, 2, false }, { 0xdf, 1, 2, false },
		{ 0xdf, 2, 2, false }, { 0xdf, 3, 2, false },
		{ 0xdf, 5, 8, false }, { 0xdf, 7, 8, false },
		{ 0xdd, 1, 8, false }, { 0xdf, 6, 10, false },
		{ 0xdf, 4, 10, false },
	};
	static struct tally t = { .name = "load/store" };
	struct xcase c;

	for (int n = 0; n < ITERS * 10; n++) {
		unsigned f = rndn(x, sizeof(forms) / sizeof(forms[0]));

		memset(&c, 0, sizeof(c));
		set_code(&c, 2, forms[f].esc, (forms[f].reg << 3) | 6);
		rnd_state(x, &c.in, 1);
		rnd_mem(x, &c, forms[f].len, forms[f].fp);
		if (forms[f].esc == 0xdf && forms[f].reg == 4) {
			/* FBLD of valid digits (others are undefined). */
			for (int k = 0; k < 9; k++)
				c.mem[k] = (uint8_t)(rndn(x, 10) << 4 |
						     rndn(x, 10));
			c.mem[9] &= 0x80;
		}
		check(x, &t, &c, CMP_ALL);
	}
	finish(&t);
}

/* D9 and DD/DF register forms: FLD/FXCH/FST/FSTP ST(i), FCHS ... FCOS. */
static void test_misc_reg(void **state)
{
	struct ctx *x = *state;
	static struct tally t = { .name = "d9/dd/df/da/db st(i)" };
	struct xcase c;

	for (int n = 0; n < ITERS * 16; n++) {
		uint8_t op, modrm;

		memset(&c, 0, sizeof(c));
		switch (rndn(x, 5)) {
		case 0:
			op = 0xd9;
			modrm = (uint8_t)(0xc0 + rndn(x, 32));
			if (modrm > 0xd0 && modrm < 0xd8)
				modrm = 0xd0; /* D1-D7 are #UD */
			break;
		case 1: {
			static const uint8_t d9[] = {
				0xd0, 0xe0, 0xe1, 0xe4, 0xe5, 0xe8, 0xe9,
				0xea, 0xeb, 0xec, 0xed, 0xee, 0xf4, 0xf5,
				0xf6, 0xf7, 0xf8, 0xfa, 0xfc, 0xfd,
			};
			op = 0xd9;
			modrm = d9[rndn(x, sizeof(d9))];
			break;
		}
		case 2:
			op = 0xdd;
			modrm = (uint8_t)(0xc0 + rndn(x, 48));
			break;
		case 3:
			op = 0xdf;
			modrm = (uint8_t)(rndn(x, 4) ? 0xe8 + rndn(x, 16)
						     : 0xc0 + rndn(x, 32));
			if (rndn(x, 8) == 0)
				modrm = 0xe0;
			break;
		default:
			op = rndn(x, 2) ? 0xda : 0xdb;
			modrm = (uint8_t)(0xc0 + rndn(x, 32));
			if (op == 0xdb && rndn(x, 2))
				modrm = (uint8_t)(0xe8 + rndn(x, 16));
			if (op == 0xda && rndn(x, 8) == 0)
				modrm = 0xe9;
			if (op == 0xdb && rndn(x, 8) == 0)
				modrm = (uint8_t)(0xe0 + rndn(x, 5));
			break;
		}
		set_code(&c, 2, op, modrm);
		rnd_state(x, &c.in, 8);
		if (rndn(x, 3) == 0)
			c.in.fsw |= (uint16_t)(rnd(x) & 0x477f & ~0x80);
		c.flags = (uint32_t)rnd(x) & ARITH_FLAGS;
		if (c.in.fsw & ~c.in.fcw & 0x3f)
			c.in.fsw &= (uint16_t)~0x3f; /* nothing pending */
		summary(&c.in);
		check(x, &t, &c, CMP_ALL);
	}
	finish(&t);
}

/* FLDCW, FNSTCW, FNSTSW, FNSTENV, FLDENV, FNSAVE, FRSTOR. */
static void test_control(void **state)
{
	struct ctx *x = *state;
	static struct tally t = { .name = "control" };
	struct xcase c;

	for (int n = 0; n < ITERS; n++) {
		static const uint8_t reg[][2] = {
			{ 0xd9, 5 }, { 0xd9, 7 }, { 0xdd, 7 }, { 0xd9, 6 },
			{ 0xd9, 4 }, { 0xdd, 6 }, { 0xdd, 4 },
		};
		unsigned f = rndn(x, sizeof(reg) / sizeof(reg[0]));
		int what = CMP_ALL;

		memset(&c, 0, sizeof(c));
		set_code(&c, 2, reg[f][0], (reg[f][1] << 3) | 6);
		rnd_state(x, &c.in, 8);
		c.in.fsw |= (uint16_t)(rnd(x) & 0x473f);
		c.in.fcw |= 0x3f;
		summary(&c.in);
		rnd_mem(x, &c, 10, false);
		c.mem[0] = (uint8_t)rnd(x);
		c.mem[1] = (uint8_t)(rnd(x) & 0x1f);
		if (reg[f][1] == 4) {
			/* FLDENV/FRSTOR of an environment with nothing
			 * pending and no reserved control bits. */
			c.mem[0] |= 0x3f;
			c.mem[4] = (uint8_t)(rnd(x) & 0x3f);
			c.mem[5] = (uint8_t)(rnd(x) & 0x47);
			for (int k = 6; k < 12; k++)
				c.mem[k] = 0xff;
			c.mem[8] = (uint8_t)rnd(x);
			c.mem[9] = (uint8_t)rnd(x);
		}
		if (reg[f][1] == 6)
			what = CMP_ST; /* the stored pointers differ */
		check(x, &t, &c, what);
	}
	finish(&t);
}

/* --- transcendentals within an ulp bound --------------------------------- */

#define TRANS_ULPS 1 /* the bound on |interp - host| */

/* A finite value's position on the number line, in ulps of the 64-bit
 * significand (denormals continue into the normals). */
static __int128 ulp_key(struct fp80 v)
{
	unsigned e = v.se & 0x7fff;
	__int128 mag = e ? ((__int128)(e - 1) << 63) + (__int128)v.m : v.m;

	return (v.se & 0x8000) ? -mag : mag;
}

static bool near(struct fp80 a, struct fp80 b, unsigned *worst)
{
	__int128 d;

	if (a.m == b.m && a.se == b.se)
		return true;
	/* Only finite non-zero numbers may differ, and only a little. */
	if ((a.se & 0x7fff) == 0x7fff || (b.se & 0x7fff) == 0x7fff ||
	    !(a.m | b.m))
		return false;
	d = ulp_key(a) - ulp_key(b);
	if (d < 0)
		d = -d;
	if (d > TRANS_ULPS)
		return false;
	if ((unsigned)d > *worst)
		*worst = (unsigned)d;
	return true;
}

/* An operand in the function's usual domain, or a special value. */
static struct fp80 trans_operand(struct ctx *x, int lo_exp, int hi_exp,
				 bool neg_ok)
{
	struct fp80 v;

	if (rndn(x, 10) == 0)
		return rnd_value(x);
	v = mk(neg_ok ? (int)rndn(x, 2) : 0,
	       (unsigned)(0x3fff + lo_exp + (int)rndn(x, (unsigned)(hi_exp - lo_exp + 1))),
	       0x8000000000000000ull | rnd(x));
	return v;
}

static void test_transcendentals(void **state)
{
	struct ctx *x = *state;
	static const struct {
		uint8_t modrm;
		const char *name;
		int lo, hi; /* ST(0)'s exponent range */
		bool neg;
	} fns[] = {
		{ 0xf0, "f2xm1", -70, -1, true },
		{ 0xf1, "fyl2x", -16000, 16000, false },
		{ 0xf9, "fyl2xp1", -70, -3, true },
		{ 0xf3, "fpatan", -100, 100, true },
		{ 0xfe, "fsin", -70, 62, true },
		{ 0xff, "fcos", -70, 62, true },
		{ 0xfb, "fsincos", -70, 62, true },
		{ 0xf2, "fptan", -70, 62, true },
	};
	static struct tally t = { .name = "transcendentals" };
	unsigned worst = 0;

	for (int n = 0; n < ITERS * 8; n++) {
		unsigned f = rndn(x, sizeof(fns) / sizeof(fns[0]));
		struct xcase c;
		struct xout host, emu;
		bool ok;

		memset(&c, 0, sizeof(c));
		set_code(&c, 2, 0xd9, fns[f].modrm);
		rnd_state(x, &c.in, 2);
		c.in.fcw = (uint16_t)((c.in.fcw & ~0x300) | 0x300);
		c.in.st[0] = trans_operand(x, fns[f].lo, fns[f].hi,
					   fns[f].neg);
		if (rndn(x, 2))
			c.in.st[1] = trans_operand(x, -20, 20, true);
		if (f == 0 && rndn(x, 4) == 0)
			c.in.st[0] = mk((int)rndn(x, 2), 0x3ffe,
					0x8000000000000000ull | rnd(x));
		run_host(x, &c, &host);
		run_interp(x, &c, &emu);
		t.cases++;
		/* Exact: the stack, tags, C2, C3, C0 and IE, DE, ZE, SF;
		 * within TRANS_ULPS: the registers (PE, UE, C1 then follow
		 * the rounding and are not compared). */
		ok = emu.vector < 0 && host.fp.ftw == emu.fp.ftw &&
		     ((host.fp.fsw ^ emu.fp.fsw) & 0x7d47) == 0;
		for (int k = 0; k < 8 && ok; k++)
			ok = near(host.fp.st[k], emu.fp.st[k], &worst);
		if (!ok) {
			t.name = fns[f].name;
			report(&t, &c, &host, &emu);
			t.name = "transcendentals";
		}
	}
	print_message("transcendentals: largest difference %u ulp\n", worst);
	finish(&t);
}

static int group_setup(void **state)
{
	struct ctx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	if (host_init(x)) {
		free(x);
		return -1;
	}
	x->h = harness_create();
	if (!x->h) {
		munmap(x->code, 4096);
		free(x);
		return -1;
	}
	harness_state_pm32(x->h, &x->base);
	/* Fixed, so make check is repeatable; X87_SEED explores others. */
	x->rng = 0x9e3779b97f4a7c15ull;
	if (getenv("X87_SEED"))
		x->rng ^= strtoull(getenv("X87_SEED"), NULL, 0) * 0x2545f4914f6cdd1dull;
	*state = x;
	return 0;
}

static int group_teardown(void **state)
{
	struct ctx *x = *state;

	harness_destroy(x->h);
	munmap(x->code, 4096);
	free(x);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arith_reg),
		cmocka_unit_test(test_arith_mem),
		cmocka_unit_test(test_load_store),
		cmocka_unit_test(test_misc_reg),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_transcendentals),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
