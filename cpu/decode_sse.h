/* SPDX-License-Identifier: MIT */
/*
 * The MMX and SSE-SSE4.2 opcodes of the two- and three-byte maps (SDM
 * Vol. 2 App. A, Tables ).  Included by decode.c, after struct
 * opdesc and the D_ flags: an entry with D_SIMD holds four forms picked
 * by the mandatory prefix (none, 66h, F3h, F2h; §2.1.2), a NULL handler
 * being #UD.
 */
#ifndef POPEK_CPU_DECODE_SSE_H
#define POPEK_CPU_DECODE_SSE_H

#include "cpu/sse.h"

#define SIMD4(fl, a, b, c, d)                                        \
	{ .flags = (fl) | D_SIMD | D_MODRM,                          \
	  .group = (const struct opdesc[4]){ a, b, c, d } }

/* Prefix masks: which of none, 66h, F3h, F2h have the form. */
#define P_NO 1
#define P_66 2
#define P_F3 4
#define P_F2 8
#define P_MMX (P_NO | P_66) /* MMX register form and its SSE2 form */
#define P_ALL 15

#define PFORM(f, s, pm, k) OP(((pm) >> (k)) & 1 ? (f) : NULL, 0, s)
/* One handler for the prefixes in pm. */
#define PM(f, fl, s, pm)                                                  \
	SIMD4(fl, PFORM(f, s, pm, 0), PFORM(f, s, pm, 1), PFORM(f, s, pm, 2), \
	      PFORM(f, s, pm, 3))
#define NOFORM OP(NULL, 0, 0)
#define PINT(op) PM(op_pint, 0, op, P_MMX)
#define PINT66(op) PM(op_pint, 0, op, P_66)

/* 0F 71, 72, 73: shifts by an immediate (register operands only). */
static const struct opdesc grp12[8] = {
	[2] = PM(op_pshift_imm, 0, PI_PSRLW, P_MMX),
	[4] = PM(op_pshift_imm, 0, PI_PSRAW, P_MMX),
	[6] = PM(op_pshift_imm, 0, PI_PSLLW, P_MMX),
};

static const struct opdesc grp13[8] = {
	[2] = PM(op_pshift_imm, 0, PI_PSRLD, P_MMX),
	[4] = PM(op_pshift_imm, 0, PI_PSRAD, P_MMX),
	[6] = PM(op_pshift_imm, 0, PI_PSLLD, P_MMX),
};

static const struct opdesc grp14[8] = {
	[2] = PM(op_pshift_imm, 0, PI_PSRLQ, P_MMX),
	[3] = PM(op_pshift_imm, 0, PI_PSRLDQ, P_66),
	[6] = PM(op_pshift_imm, 0, PI_PSLLQ, P_MMX),
	[7] = PM(op_pshift_imm, 0, PI_PSLLDQ, P_66),
};

/* 0F AE /5, /6, /7 with mod == 3: LFENCE, MFENCE, SFENCE. */
static const struct opdesc fence_forms[8] = {
	OP(op_sse_fence, 0, 0), OP(op_sse_fence, 0, 0), OP(op_sse_fence, 0, 0),
	OP(op_sse_fence, 0, 0), OP(op_sse_fence, 0, 0), OP(op_sse_fence, 0, 0),
	OP(op_sse_fence, 0, 0), OP(op_sse_fence, 0, 0),
};

#define SSE_TWO_BYTE                                                       \
	[0x10] = PM(op_movups_load, 0, 0, P_ALL),                          \
	[0x11] = PM(op_movups_store, 0, 0, P_ALL),                         \
	[0x12] = SIMD4(0, OP(op_movlps_load, 0, 0),                        \
		       OP(op_movlps_load, D_MEM_ONLY, 0),                  \
		       OP(op_movdup, 0, 0), OP(op_movdup, 0, 0)),          \
	[0x13] = PM(op_movlps_store, D_MEM_ONLY, 0, P_MMX),                \
	[0x14] = PM(op_unpck_fp, 0, 0, P_MMX),                             \
	[0x15] = PM(op_unpck_fp, 0, 1, P_MMX),                             \
	[0x16] = SIMD4(0, OP(op_movhps_load, 0, 0),                        \
		       OP(op_movhps_load, D_MEM_ONLY, 0),                  \
		       OP(op_movdup, 0, 0), NOFORM),                       \
	[0x17] = PM(op_movhps_store, D_MEM_ONLY, 0, P_MMX),                \
	[0x28] = PM(op_movaps_load, 0, 0, P_MMX),                          \
	[0x29] = PM(op_movaps_store, 0, 0, P_MMX),                         \
	[0x2a] = PM(op_cvt_2a, 0, 0, P_ALL),                               \
	[0x2b] = PM(op_movaps_store, D_MEM_ONLY, 0, P_MMX),                \
	[0x2c] = PM(op_cvt_2c, 0, 0, P_ALL),                               \
	[0x2d] = PM(op_cvt_2c, 0, 0, P_ALL),                               \
	[0x2e] = PM(op_sse_comi, 0, 0, P_MMX),                             \
	[0x2f] = PM(op_sse_comi, 0, 1, P_MMX),                             \
	[0x50] = PM(op_movmskps, D_NO_MEM, 0, P_MMX),                      \
	[0x51] = PM(op_sse_arith, 0, FA_SQRT, P_ALL),                      \
	[0x52] = PM(op_sse_arith, 0, FA_RSQRT, P_NO | P_F3),               \
	[0x53] = PM(op_sse_arith, 0, FA_RCP, P_NO | P_F3),                 \
	[0x54] = PM(op_sse_logic, 0, 0, P_MMX),                            \
	[0x55] = PM(op_sse_logic, 0, 1, P_MMX),                            \
	[0x56] = PM(op_sse_logic, 0, 2, P_MMX),                            \
	[0x57] = PM(op_sse_logic, 0, 3, P_MMX),                            \
	[0x58] = PM(op_sse_arith, 0, FA_ADD, P_ALL),                       \
	[0x59] = PM(op_sse_arith, 0, FA_MUL, P_ALL),                       \
	[0x5a] = PM(op_cvt_5a, 0, 0, P_ALL),                               \
	[0x5b] = PM(op_cvt_5b, 0, 0, P_NO | P_66 | P_F3),                  \
	[0x5c] = PM(op_sse_arith, 0, FA_SUB, P_ALL),                       \
	[0x5d] = PM(op_sse_arith, 0, FA_MIN, P_ALL),                       \
	[0x5e] = PM(op_sse_arith, 0, FA_DIV, P_ALL),                       \
	[0x5f] = PM(op_sse_arith, 0, FA_MAX, P_ALL),                       \
	[0x60] = PINT(PI_PUNPCKLBW), [0x61] = PINT(PI_PUNPCKLWD),          \
	[0x62] = PINT(PI_PUNPCKLDQ), [0x63] = PINT(PI_PACKSSWB),           \
	[0x64] = PINT(PI_PCMPGTB), [0x65] = PINT(PI_PCMPGTW),              \
	[0x66] = PINT(PI_PCMPGTD), [0x67] = PINT(PI_PACKUSWB),             \
	[0x68] = PINT(PI_PUNPCKHBW), [0x69] = PINT(PI_PUNPCKHWD),          \
	[0x6a] = PINT(PI_PUNPCKHDQ), [0x6b] = PINT(PI_PACKSSDW),           \
	[0x6c] = PINT66(PI_PUNPCKLQDQ), [0x6d] = PINT66(PI_PUNPCKHQDQ),    \
	[0x6e] = PM(op_movd_load, 0, 0, P_MMX),                            \
	[0x6f] = PM(op_movdq_load, 0, 0, P_MMX | P_F3),                    \
	[0x70] = PM(op_pshuf, D_IMM8, 0, P_ALL),                           \
	[0x71] = GRP(D_IMM8 | D_NO_MEM, grp12),                            \
	[0x72] = GRP(D_IMM8 | D_NO_MEM, grp13),                            \
	[0x73] = GRP(D_IMM8 | D_NO_MEM, grp14),                            \
	[0x74] = PINT(PI_PCMPEQB), [0x75] = PINT(PI_PCMPEQW),              \
	[0x76] = PINT(PI_PCMPEQD),                                         \
	[0x77] = OP(op_emms, D_NP, 0),                                        \
	[0x7c] = PM(op_sse_horiz, 0, 1, P_66 | P_F2),                      \
	[0x7d] = PM(op_sse_horiz, 0, 2, P_66 | P_F2),                      \
	[0x7e] = PM(op_movd_store, 0, 0, P_MMX | P_F3),                    \
	[0x7f] = PM(op_movdq_store, 0, 0, P_MMX | P_F3),                   \
	[0xb8] = PM(op_popcnt, 0, 0, P_F3),                                \
	[0xc2] = PM(op_sse_cmp, D_IMM8, 0, P_ALL),                         \
	[0xc3] = OP(op_movnti, D_MODRM | D_MEM_ONLY | D_NP, 0),                   \
	[0xc4] = PM(op_pinsrw, D_IMM8, 0, P_MMX),                          \
	[0xc5] = PM(op_pextrw, D_IMM8 | D_NO_MEM, 0, P_MMX),               \
	[0xc6] = PM(op_shufp, D_IMM8, 0, P_MMX),                           \
	[0xd0] = PM(op_sse_horiz, 0, 0, P_66 | P_F2),                      \
	[0xd1] = PINT(PI_PSRLW), [0xd2] = PINT(PI_PSRLD),                  \
	[0xd3] = PINT(PI_PSRLQ), [0xd4] = PINT(PI_PADDQ),                  \
	[0xd5] = PINT(PI_PMULLW),                                          \
	[0xd6] = SIMD4(0, NOFORM, OP(op_movq_d6, 0, 0),                    \
		       OP(op_movq_d6, D_NO_MEM, 0),                        \
		       OP(op_movq_d6, D_NO_MEM, 0)),                       \
	[0xd7] = PM(op_pmovmskb, D_NO_MEM, 0, P_MMX),                      \
	[0xd8] = PINT(PI_PSUBUSB), [0xd9] = PINT(PI_PSUBUSW),              \
	[0xda] = PINT(PI_PMINUB), [0xdb] = PINT(PI_PAND),                  \
	[0xdc] = PINT(PI_PADDUSB), [0xdd] = PINT(PI_PADDUSW),              \
	[0xde] = PINT(PI_PMAXUB), [0xdf] = PINT(PI_PANDN),                 \
	[0xe0] = PINT(PI_PAVGB), [0xe1] = PINT(PI_PSRAW),                  \
	[0xe2] = PINT(PI_PSRAD), [0xe3] = PINT(PI_PAVGW),                  \
	[0xe4] = PINT(PI_PMULHUW), [0xe5] = PINT(PI_PMULHW),               \
	[0xe6] = PM(op_cvt_e6, 0, 0, P_66 | P_F3 | P_F2),                  \
	[0xe7] = PM(op_movnt_store, D_MEM_ONLY, 0, P_MMX),                 \
	[0xe8] = PINT(PI_PSUBSB), [0xe9] = PINT(PI_PSUBSW),                \
	[0xea] = PINT(PI_PMINSW), [0xeb] = PINT(PI_POR),                   \
	[0xec] = PINT(PI_PADDSB), [0xed] = PINT(PI_PADDSW),                \
	[0xee] = PINT(PI_PMAXSW), [0xef] = PINT(PI_PXOR),                  \
	[0xf0] = PM(op_lddqu, D_MEM_ONLY, 0, P_F2),                        \
	[0xf1] = PINT(PI_PSLLW), [0xf2] = PINT(PI_PSLLD),                  \
	[0xf3] = PINT(PI_PSLLQ), [0xf4] = PINT(PI_PMULUDQ),                \
	[0xf5] = PINT(PI_PMADDWD), [0xf6] = PINT(PI_PSADBW),               \
	[0xf7] = PM(op_maskmov, D_NO_MEM, 0, P_MMX),                       \
	[0xf8] = PINT(PI_PSUBB), [0xf9] = PINT(PI_PSUBW),                  \
	[0xfa] = PINT(PI_PSUBD), [0xfb] = PINT(PI_PSUBQ),                  \
	[0xfc] = PINT(PI_PADDB), [0xfd] = PINT(PI_PADDW),                  \
	[0xfe] = PINT(PI_PADDD)

/* 0F 38: SSSE3 (MMX and XMM forms), SSE4.1, SSE4.2. */
#define SSE_MAP_0F38                                                       \
	[0x00] = PINT(PI_PSHUFB), [0x01] = PINT(PI_PHADDW),                \
	[0x02] = PINT(PI_PHADDD), [0x03] = PINT(PI_PHADDSW),               \
	[0x04] = PINT(PI_PMADDUBSW), [0x05] = PINT(PI_PHSUBW),             \
	[0x06] = PINT(PI_PHSUBD), [0x07] = PINT(PI_PHSUBSW),               \
	[0x08] = PINT(PI_PSIGNB), [0x09] = PINT(PI_PSIGNW),                \
	[0x0a] = PINT(PI_PSIGND), [0x0b] = PINT(PI_PMULHRSW),              \
	[0x10] = PM(op_pblend, 0, 0, P_66),                                \
	[0x14] = PM(op_pblend, 0, 0, P_66),                                \
	[0x15] = PM(op_pblend, 0, 0, P_66),                                \
	[0x17] = PM(op_ptest, 0, 0, P_66),                                 \
	[0x1c] = PINT(PI_PABSB), [0x1d] = PINT(PI_PABSW),                  \
	[0x1e] = PINT(PI_PABSD),                                           \
	[0x20] = PM(op_pmovx, 0, 0, P_66), [0x21] = PM(op_pmovx, 0, 0, P_66), \
	[0x22] = PM(op_pmovx, 0, 0, P_66), [0x23] = PM(op_pmovx, 0, 0, P_66), \
	[0x24] = PM(op_pmovx, 0, 0, P_66), [0x25] = PM(op_pmovx, 0, 0, P_66), \
	[0x28] = PINT66(PI_PMULDQ), [0x29] = PINT66(PI_PCMPEQQ),           \
	[0x2a] = PM(op_movntdqa, D_MEM_ONLY, 0, P_66),                     \
	[0x2b] = PINT66(PI_PACKUSDW),                                      \
	[0x30] = PM(op_pmovx, 0, 0, P_66), [0x31] = PM(op_pmovx, 0, 0, P_66), \
	[0x32] = PM(op_pmovx, 0, 0, P_66), [0x33] = PM(op_pmovx, 0, 0, P_66), \
	[0x34] = PM(op_pmovx, 0, 0, P_66), [0x35] = PM(op_pmovx, 0, 0, P_66), \
	[0x37] = PINT66(PI_PCMPGTQ),                                       \
	[0x38] = PINT66(PI_PMINSB), [0x39] = PINT66(PI_PMINSD),            \
	[0x3a] = PINT66(PI_PMINUW), [0x3b] = PINT66(PI_PMINUD),            \
	[0x3c] = PINT66(PI_PMAXSB), [0x3d] = PINT66(PI_PMAXSD),            \
	[0x3e] = PINT66(PI_PMAXUW), [0x3f] = PINT66(PI_PMAXUD),            \
	[0x40] = PINT66(PI_PMULLD), [0x41] = PINT66(PI_PHMINPOSUW),        \
	[0xf0] = SIMD4(0, NOFORM, NOFORM, NOFORM,                          \
		       OP(op_crc32, D_RM_BYTE, 0)),                        \
	[0xf1] = SIMD4(0, NOFORM, NOFORM, NOFORM, OP(op_crc32, 0, 0))

/* 0F 3A: every form has an imm8. */
#define SSE_MAP_0F3A                                                       \
	[0x08] = PM(op_sse_round, D_IMM8, 0, P_66),                        \
	[0x09] = PM(op_sse_round, D_IMM8, 0, P_66),                        \
	[0x0a] = PM(op_sse_round, D_IMM8, 0, P_66),                        \
	[0x0b] = PM(op_sse_round, D_IMM8, 0, P_66),                        \
	[0x0c] = PM(op_pblend, D_IMM8, 0, P_66),                           \
	[0x0d] = PM(op_pblend, D_IMM8, 0, P_66),                           \
	[0x0e] = PM(op_pblend, D_IMM8, 0, P_66),                           \
	[0x0f] = PM(op_palignr, D_IMM8, 0, P_MMX),                         \
	[0x14] = PM(op_pextr, D_IMM8, 0, P_66),                            \
	[0x15] = PM(op_pextr, D_IMM8, 0, P_66),                            \
	[0x16] = PM(op_pextr, D_IMM8, 0, P_66),                            \
	[0x17] = PM(op_pextr, D_IMM8, 0, P_66),                            \
	[0x20] = PM(op_pinsr, D_IMM8, 0, P_66),                            \
	[0x21] = PM(op_insertps, D_IMM8, 0, P_66),                         \
	[0x22] = PM(op_pinsr, D_IMM8, 0, P_66),                            \
	[0x40] = PM(op_sse_dp, D_IMM8, 0, P_66),                           \
	[0x41] = PM(op_sse_dp, D_IMM8, 0, P_66),                           \
	[0x42] = PM(op_mpsadbw, D_IMM8, 0, P_66),                          \
	[0x60] = PM(op_pcmpstr, D_IMM8, 0, P_66),                          \
	[0x61] = PM(op_pcmpstr, D_IMM8, 0, P_66),                          \
	[0x62] = PM(op_pcmpstr, D_IMM8, 0, P_66),                          \
	[0x63] = PM(op_pcmpstr, D_IMM8, 0, P_66)

#endif
