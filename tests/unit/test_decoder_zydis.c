// SPDX-License-Identifier: MIT
/*
 * Instruction lengths from popek's decoder against Zydis.
 *
 * Every one-byte opcode and every 0F xx, 0F 38 xx and 0F 3A xx opcode, in
 * 16- and 32-bit code, followed by every ModRM byte and random SIB,
 * displacement and immediate bytes, and again behind random prefixes
 * (66 67 F2 F3, segment overrides, LOCK).  popek implements the 386/486
 * integer set plus CMOVcc, CPUID, RDTSC, BSWAP, CMPXCHG and XADD, MMX and
 * SSE to SSE4.2 (with CLFLUSH), and no VEX, so:
 *
 *  - Zydis decodes it, and it is in that set (by Zydis's ISA set): popek
 *    must give the same length.
 *  - Zydis decodes it, outside that set: skipped; counted and reported,
 *    with how popek answered, but never a failure.
 *  - Zydis rejects it: popek must reject it too (-1).  This covers LOCK
 *    on an instruction that does not accept it or without a memory
 *    destination (#UD, SDM Vol. 2A, LOCK), ModRM forms that are #UD (LEA
 *    or LES with a register operand, MOV to CS, CR1), and lengths beyond
 *    15 bytes.  Two opcode families are exempt, since popek may decode
 *    them to raise the right fault later: the x87 escapes D8-DF, and MOV
 *    to or from the 386/486 test registers (0F 24, 0F 26), which Zydis
 *    does not know.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <Zydis/Zydis.h>

#include "cpu/cpu.h"

#define BUF_LEN 20 /* longer than any instruction: lengths are never cut */
#define RANDOM_CASES 64 /* per opcode and mode, behind random prefixes */
#ifndef MAX_DETAILS
#define MAX_DETAILS 50
#endif
#ifndef MAX_DETAILS_PER_OPCODE
#define MAX_DETAILS_PER_OPCODE 3
#endif

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *g)
{
	/* xorshift64* */
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545F4914F6CDD1Dull;
}

static unsigned rng_below(struct rng *g, unsigned n)
{
	return (unsigned)(rng_next(g) >> 33) % n;
}

static const uint8_t prefixes[] = { 0x66, 0x67, 0xF2, 0xF3, 0x26, 0x2E,
				    0x36, 0x3E, 0x64, 0x65, 0xF0 };

/* What one skipped ISA set came to. */
struct skip_tally {
	ZydisISASet set;
	unsigned cases, popek_invalid, popek_same, popek_other;
};

struct dec_ctx {
	int bits;
	ZydisDecoder dec;

	unsigned cases, compared, failures, details;
	unsigned skipped_exempt; /* Zydis-invalid x87 / MOV TRn */
	unsigned fail_by_opcode[4][256]; /* [map][opcode]: -, 0F, 0F 38, 0F 3A */
	unsigned cases_by_opcode[4][256];
	unsigned details_by_opcode[4][256];
	struct skip_tally skips[ZYDIS_ISA_SET_MAX_VALUE + 1];
};

/* MMX and SSE-SSE4.2 as cpu/sse*.c implement them; FISTTP (SSE3's x87
 * instruction) belongs to the x87 escapes. */
static bool in_popek_simd(const ZydisDecodedInstruction *in)
{
	switch (in->meta.isa_ext) {
	case ZYDIS_ISA_EXT_MMX:
	case ZYDIS_ISA_EXT_SSE:
	case ZYDIS_ISA_EXT_SSE2:
	case ZYDIS_ISA_EXT_SSE3:
	case ZYDIS_ISA_EXT_SSSE3:
	case ZYDIS_ISA_EXT_SSE4:
	case ZYDIS_ISA_EXT_CLFSH:
		return in->meta.isa_set != ZYDIS_ISA_SET_SSE3X87;
	default:
		return false;
	}
}

/* The 386/486 integer set, plus what popek adds to it. */
static bool in_popek_set(const ZydisDecodedInstruction *in)
{
	if (in_popek_simd(in))
		return true;
	if (in->meta.isa_ext != ZYDIS_ISA_EXT_BASE)
		return false;
	switch (in->meta.isa_set) {
	case ZYDIS_ISA_SET_I86:
	case ZYDIS_ISA_SET_I186:
	case ZYDIS_ISA_SET_I286REAL:
	case ZYDIS_ISA_SET_I286PROTECTED:
	case ZYDIS_ISA_SET_I386:
	case ZYDIS_ISA_SET_I486REAL: /* BSWAP CMPXCHG XADD CPUID INVD ... */
	case ZYDIS_ISA_SET_CMOV:
	case ZYDIS_ISA_SET_LAHF: /* LAHF/SAHF: 8086 in legacy modes */
		return true;
	case ZYDIS_ISA_SET_I486:
		/* Zydis files RSM here; SMM is not part of popek. */
		return in->mnemonic != ZYDIS_MNEMONIC_RSM;
	case ZYDIS_ISA_SET_PENTIUMREAL:
		return in->mnemonic == ZYDIS_MNEMONIC_RDTSC;
	default:
		return false;
	}
}

static const char *zydis_status_name(ZyanStatus st)
{
	switch (st) {
	case ZYDIS_STATUS_NO_MORE_DATA:
		return "no more data";
	case ZYDIS_STATUS_DECODING_ERROR:
		return "invalid";
	case ZYDIS_STATUS_INSTRUCTION_TOO_LONG:
		return "too long";
	case ZYDIS_STATUS_BAD_REGISTER:
		return "bad register";
	case ZYDIS_STATUS_ILLEGAL_LOCK:
		return "illegal LOCK";
	case ZYDIS_STATUS_ILLEGAL_LEGACY_PFX:
		return "illegal legacy prefix";
	case ZYDIS_STATUS_ILLEGAL_REX:
		return "illegal REX";
	case ZYDIS_STATUS_INVALID_MAP:
		return "invalid map";
	case ZYDIS_STATUS_MALFORMED_EVEX:
		return "malformed EVEX";
	default:
		return "error";
	}
}

static int ctx_init(struct dec_ctx *x, int bits)
{
	/*
	 * Read old encodings as a 486 does, not as their later meanings:
	 * F3 0F BC/BD are REP BSF/BSR, not TZCNT/LZCNT, and 0F 1A/1B,
	 * 0F 1C and 0F 1E are hint NOPs, not MPX, CLDEMOTE or CET
	 * instructions whose register checks would make Zydis reject them.
	 */
	static const ZydisDecoderMode newer[] = {
		ZYDIS_DECODER_MODE_MPX,	     ZYDIS_DECODER_MODE_CET,
		ZYDIS_DECODER_MODE_TZCNT,    ZYDIS_DECODER_MODE_LZCNT,
		ZYDIS_DECODER_MODE_CLDEMOTE,
	};
	ZyanStatus st;

	memset(x, 0, sizeof(*x));
	x->bits = bits;
	if (bits == 16)
		st = ZydisDecoderInit(&x->dec, ZYDIS_MACHINE_MODE_LEGACY_16,
				      ZYDIS_STACK_WIDTH_16);
	else
		st = ZydisDecoderInit(&x->dec, ZYDIS_MACHINE_MODE_LEGACY_32,
				      ZYDIS_STACK_WIDTH_32);
	if (!ZYAN_SUCCESS(st))
		return -1;
	for (size_t i = 0; i < sizeof(newer) / sizeof(newer[0]); i++)
		if (!ZYAN_SUCCESS(ZydisDecoderEnableMode(&x->dec, newer[i],
							 ZYAN_FALSE)))
			return -1;
	return 0;
}

/* Skip the legacy prefixes: where the opcode starts. */
static size_t opcode_offset(const uint8_t *b, size_t n)
{
	size_t i = 0;

	while (i < n && memchr(prefixes, b[i], sizeof(prefixes)))
		i++;
	return i;
}

/* Zydis rejects these, but popek may decode them; see the top comment. */
static bool exempt_when_invalid(const uint8_t *b, size_t n)
{
	size_t i = opcode_offset(b, n);

	if (i >= n)
		return false;
	if (b[i] >= 0xD8 && b[i] <= 0xDF)
		return true;
	return b[i] == 0x0F && i + 1 < n &&
	       (b[i + 1] == 0x24 || b[i + 1] == 0x26);
}

static void print_bytes(char *out, size_t out_len, const uint8_t *b, size_t n)
{
	size_t pos = 0;

	out[0] = 0;
	for (size_t i = 0; i < n && pos + 4 < out_len; i++)
		pos += (size_t)snprintf(out + pos, out_len - pos, "%02X ",
					b[i]);
}

/* Compare one byte string; map/opcode say which tally it belongs to. */
static void check_bytes(struct dec_ctx *x, const uint8_t *b, int map,
			uint8_t opcode)
{
	ZydisDecodedInstruction in;
	ZyanStatus st;
	int zlen = -1, plen;
	bool ok;

	x->cases++;
	st = ZydisDecoderDecodeInstruction(&x->dec, ZYAN_NULL, b, BUF_LEN, &in);
	plen = cpu_decode_length(b, BUF_LEN, x->bits);
	if (ZYAN_SUCCESS(st)) {
		zlen = in.length;
		if (!in_popek_set(&in)) {
			struct skip_tally *t = &x->skips[in.meta.isa_set];

			t->set = in.meta.isa_set;
			t->cases++;
			if (plen < 0)
				t->popek_invalid++;
			else if (plen == zlen)
				t->popek_same++;
			else
				t->popek_other++;
			return;
		}
	} else if (exempt_when_invalid(b, BUF_LEN)) {
		x->skipped_exempt++;
		return;
	}

	x->compared++;
	x->cases_by_opcode[map][opcode]++;
	ok = plen == zlen;
	if (ok)
		return;
	x->failures++;
	x->fail_by_opcode[map][opcode]++;
	if (x->details < MAX_DETAILS &&
	    x->details_by_opcode[map][opcode] < MAX_DETAILS_PER_OPCODE) {
		char hex[3 * BUF_LEN + 1];
		int longest = zlen > plen ? zlen : plen;
		size_t show = longest > 0 ? (size_t)longest : 8;

		x->details++;
		x->details_by_opcode[map][opcode]++;
		print_bytes(hex, sizeof(hex), b, show);
		if (ZYAN_SUCCESS(st))
			print_message("  %d-bit [%s] Zydis: %s, length %d; "
				      "popek: %d\n",
				      x->bits, hex,
				      ZydisMnemonicGetString(in.mnemonic), zlen,
				      plen);
		else
			print_message("  %d-bit [%s] Zydis: %s (#UD); "
				      "popek: length %d\n",
				      x->bits, hex, zydis_status_name(st),
				      plen);
	}
}

/* Fill b with random bytes after prefix bytes, the map escape and op. */
static void fill_case(struct rng *g, uint8_t *b, const uint8_t *pfx,
		      size_t npfx, int map, uint8_t op, int modrm)
{
	size_t n = 0;

	for (size_t i = 0; i < npfx; i++)
		b[n++] = pfx[i];
	if (map)
		b[n++] = 0x0F;
	if (map >= 2)
		b[n++] = map == 2 ? 0x38 : 0x3A;
	b[n++] = op;
	for (size_t i = n; i < BUF_LEN; i++)
		b[i] = (uint8_t)rng_next(g);
	if (modrm >= 0 && n < BUF_LEN)
		b[n] = (uint8_t)modrm;
}

static void report(struct dec_ctx *x, const char *what)
{
	unsigned skipped = 0;

	for (size_t i = 0; i <= ZYDIS_ISA_SET_MAX_VALUE; i++)
		skipped += x->skips[i].cases;
	print_message("%s, %d-bit: %u cases, %u compared, %u mismatches; "
		      "%u skipped outside popek's set, %u Zydis-invalid "
		      "x87/MOV TRn exempt\n",
		      what, x->bits, x->cases, x->compared, x->failures,
		      skipped, x->skipped_exempt);
	print_message("  skipped by Zydis ISA set (popek: -1 / same length / "
		      "other length):\n");
	for (size_t i = 0; i <= ZYDIS_ISA_SET_MAX_VALUE; i++) {
		const struct skip_tally *t = &x->skips[i];

		if (!t->cases)
			continue;
		print_message("    %-16s %7u  (%u / %u / %u)\n",
			      ZydisISASetGetString(t->set), t->cases,
			      t->popek_invalid, t->popek_same, t->popek_other);
	}
	if (!x->failures)
		return;
	print_message("  mismatches by opcode:");
	for (int map = 0, col = 0; map < 4; map++)
		for (int op = 0; op < 256; op++) {
			if (!x->fail_by_opcode[map][op])
				continue;
			if (col++ % 6 == 0)
				print_message("\n   ");
			print_message(" %s%02X:%u/%u",
				      map == 3	 ? "0F 3A "
				      : map == 2 ? "0F 38 "
				      : map	 ? "0F "
						 : "",
				      op,
				      x->fail_by_opcode[map][op],
				      x->cases_by_opcode[map][op]);
		}
	print_message("\n");
}

/* Every opcode with every ModRM byte, bare and behind 66, 67, 66 67. */
static void run_modrm_sweep(struct dec_ctx *x, uint64_t seed)
{
	static const uint8_t pfx[3][2] = { { 0x66 }, { 0x67 }, { 0x66, 0x67 } };
	static const size_t npfx[4] = { 0, 1, 1, 2 };
	struct rng g = { seed };
	uint8_t b[BUF_LEN];

	for (int map = 0; map < 4; map++)
		for (int op = 0; op < 256; op++)
			for (int p = 0; p < 4; p++)
				for (int modrm = 0; modrm < 256; modrm++) {
					fill_case(&g, b, p ? pfx[p - 1] : NULL,
						  npfx[p], map, (uint8_t)op,
						  modrm);
					check_bytes(x, b, map, (uint8_t)op);
				}
}

/* Every opcode behind random prefixes, with random ModRM and the rest. */
static void run_random_prefixes(struct dec_ctx *x, uint64_t seed)
{
	struct rng g = { seed };
	uint8_t pfx[16];
	uint8_t b[BUF_LEN];

	for (int map = 0; map < 4; map++)
		for (int op = 0; op < 256; op++)
			for (int i = 0; i < RANDOM_CASES; i++) {
				size_t n = rng_below(&g, 5);
				int modrm = (int)rng_below(&g, 256);

				/* now and then, far too many */
				if (rng_below(&g, 16) == 0)
					n = 5 + rng_below(&g, 10);
				for (size_t k = 0; k < n; k++)
					pfx[k] = prefixes[rng_below(
						&g, sizeof(prefixes))];
				/* a quarter with a register operand */
				if (rng_below(&g, 4) == 0)
					modrm |= 0xC0;
				fill_case(&g, b, pfx, n, map, (uint8_t)op,
					  modrm);
				check_bytes(x, b, map, (uint8_t)op);
			}
}

static void run_mode(int bits)
{
	static struct dec_ctx x; /* large tallies: keep them off the stack */

	assert_int_equal(ctx_init(&x, bits), 0);
	run_modrm_sweep(&x, 0x5EED0000u + (unsigned)bits);
	run_random_prefixes(&x, 0xF00D0000u + (unsigned)bits);
	report(&x, "decoder vs Zydis");
	if (x.failures)
		fail_msg("%u of %u %d-bit instruction lengths differ from "
			 "Zydis",
			 x.failures, x.compared, bits);
}

static void test_lengths_32(void **state)
{
	(void)state;
	run_mode(32);
}

static void test_lengths_16(void **state)
{
	(void)state;
	run_mode(16);
}

/*
 * A few encodings spelled out, so a failure here reads without Zydis:
 * the expected lengths follow the SDM (Vol. 2A §2.1, Vol. 2B LOCK).
 */
static void test_known_lengths(void **state)
{
	static const struct {
		int bits;
		uint8_t b[12];
		int len;
	} k[] = {
		{ 32, { 0x01, 0xC8 }, 2 }, /* add eax, ecx */
		{ 32, { 0x81, 0x84, 0x24, 1, 2, 3, 4, 5, 6, 7, 8 }, 11 },
		{ 32, { 0x66, 0x81, 0x05, 1, 2, 3, 4, 5, 6 }, 9 },
		{ 32, { 0x67, 0x8B, 0x46, 0x10 }, 4 }, /* mov eax,[bp+10] */
		{ 16, { 0x8B, 0x06, 0x34, 0x12 }, 4 }, /* mov ax,[1234] */
		{ 16, { 0x67, 0x8B, 0x04, 0x25, 1, 2, 3, 4 }, 8 },
		{ 16, { 0x66, 0xB8, 1, 2, 3, 4 }, 6 }, /* mov eax, imm32 */
		{ 32, { 0x0F, 0x20, 0x05 }, 3 }, /* mov ebp, cr0: mod ignored */
		{ 32, { 0xF0, 0x01, 0x00 }, 3 }, /* lock add [eax], eax */
		{ 32, { 0xF0, 0x01, 0xC0 }, -1 }, /* lock add eax, eax */
		{ 32, { 0xF0, 0x39, 0x00 }, -1 }, /* lock cmp: not lockable */
		{ 32, { 0xF0, 0x0F, 0xA3, 0x00 }, -1 }, /* lock bt */
		{ 32, { 0xF0, 0x0F, 0xAB, 0x00 }, 4 }, /* lock bts */
		{ 32, { 0xF0, 0x87, 0x00 }, 3 }, /* lock xchg */
		{ 32, { 0xF0, 0x0F, 0xB1, 0x08 }, 4 }, /* lock cmpxchg */
		{ 32, { 0x8D, 0xC0 }, -1 }, /* lea eax, eax */
		{ 32, { 0x8E, 0xC8 }, -1 }, /* mov cs, eax */
		{ 32, { 0x0F, 0xA2 }, 2 }, /* cpuid */
		{ 32, { 0x0F, 0x31 }, 2 }, /* rdtsc */
		{ 32, { 0x0F, 0x4C, 0xC1 }, 3 }, /* cmovl eax, ecx */
		{ 32, { 0xC8, 1, 2, 3 }, 4 }, /* enter */
		{ 32, { 0x9A, 1, 2, 3, 4, 5, 6 }, 7 }, /* call far ptr16:32 */
		{ 16, { 0x9A, 1, 2, 3, 4 }, 5 }, /* call far ptr16:16 */
		{ 32, { 0xA1, 1, 2, 3, 4 }, 5 }, /* mov eax, moffs32 */
		{ 32, { 0x67, 0xA1, 1, 2 }, 4 }, /* mov eax, moffs16 */
		{ 32, { 0xF6, 0x05, 1, 2, 3, 4, 5 }, 7 }, /* test [d32], ib */
		{ 32, { 0xF6, 0x15, 1, 2, 3, 4 }, 6 }, /* not byte [d32] */
		{ 32,
		  { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		    0x66 },
		  -1 }, /* nothing but prefixes */
	};
	unsigned bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		uint8_t buf[BUF_LEN];
		int got;
		char hex[3 * 12 + 1];

		memset(buf, 0x90, sizeof(buf));
		memcpy(buf, k[i].b, sizeof(k[i].b));
		/* the prefix-only case must run past 15 bytes */
		if (k[i].len < 0 && k[i].b[0] == 0x66)
			memset(buf, 0x66, sizeof(buf));
		got = cpu_decode_length(buf, BUF_LEN, k[i].bits);
		if (got == k[i].len)
			continue;
		bad++;
		print_bytes(hex, sizeof(hex), k[i].b,
			    k[i].len > 0 ? (size_t)k[i].len : 4);
		print_message("  %d-bit [%s] expected %d, popek %d\n",
			      k[i].bits, hex, k[i].len, got);
	}
	if (bad)
		fail_msg("%u known encodings decoded to the wrong length", bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_lengths),
		cmocka_unit_test(test_lengths_32),
		cmocka_unit_test(test_lengths_16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
