// SPDX-License-Identifier: MIT
/*
 * The decoder: prefixes, opcode tables, ModRM/SIB, displacement and
 * immediates (SDM Vol. 2 ch. 2 and App. A), into a struct insn that
 * carries its handler.  It runs once per instruction per block.
 */
#include "cpu/ops.h"

enum {
	D_MODRM = 1 << 0,
	D_BYTE = 1 << 1, /* 8-bit operand */
	D_IMM8 = 1 << 2, /* imm8, zero-extended */
	D_IMM8S = 1 << 3, /* imm8, sign-extended */
	D_IMM16 = 1 << 4,
	D_IMMZ = 1 << 5, /* imm16 or imm32 by operand size */
	D_MOFFS = 1 << 6, /* offset of address size */
	D_FAR = 1 << 7, /* offset of operand size, then selector */
	D_ENTER = 1 << 8, /* imm16 then imm8 */
	D_END = 1 << 9, /* ends a block */
	D_LOCK = 1 << 10, /* LOCK allowed when the destination is memory */
	D_GROUP = 1 << 11, /* handler chosen by ModRM.reg */
	D_ONE = 1 << 12, /* shift count 1 */
	D_REG_IN_OP = 1 << 13, /* register in the low three opcode bits */
	D_MEM_ONLY = 1 << 14, /* mod == 3 is #UD */
	D_REG_ONLY = 1 << 15, /* ModRM.mod is ignored: always a register */
	D_STACK64 = 1 << 16, /* 64-bit mode: 64-bit operand unless 66h */
	D_FORCE64 = 1 << 17, /* 64-bit mode: always 64-bit (near branches) */
	D_INV64 = 1 << 18, /* #UD in 64-bit mode */
	D_IMMV = 1 << 19, /* imm of the operand size, 8 bytes with REX.W */
	D_RM_BYTE = 1 << 20, /* r/m is a byte operand (MOVZX/MOVSX r, r/m8) */
	D_ONLY64 = 1 << 21, /* #UD outside 64-bit mode */
	D_SIMD = 1 << 22, /* group[4]: the form by mandatory prefix */
	D_NO_MEM = 1 << 23, /* mod != 3 is #UD */
	D_NP = 1 << 24, /* 66h, F2h, F3h are #UD (SDM Vol. 2 §3.1.1.1 "NP") */
	D_NO_REP = 1 << 25, /* F2h, F3h are #UD (they select other opcodes) */
};

struct opdesc {
	insn_fn fn;
	uint32_t flags;
	uint8_t sub;
	uint8_t bad_reg; /* ModRM.reg values that are #UD */
	const struct opdesc *group; /* eight entries, by ModRM.reg */
	const struct opdesc *reg_forms; /* mod == 3: eight, by ModRM.rm */
};

#define OP(f, fl, s) { .fn = (f), .flags = (fl), .sub = (s) }
#define OPR(f, fl, s, bad) \
	{ .fn = (f), .flags = (fl), .sub = (s), .bad_reg = (bad) }
#define GRP(fl, g) { .flags = (fl) | D_GROUP | D_MODRM, .group = (g) }

/* 80-83: ALU r/m, imm */
static const struct opdesc grp1[8] = {
	OP(op_alu_rm_imm, D_LOCK, ALU_ADD), OP(op_alu_rm_imm, D_LOCK, ALU_OR),
	OP(op_alu_rm_imm, D_LOCK, ALU_ADC), OP(op_alu_rm_imm, D_LOCK, ALU_SBB),
	OP(op_alu_rm_imm, D_LOCK, ALU_AND), OP(op_alu_rm_imm, D_LOCK, ALU_SUB),
	OP(op_alu_rm_imm, D_LOCK, ALU_XOR), OP(op_alu_rm_imm, 0, ALU_CMP),
};

/* C0/C1/D0/D1: shifts by an immediate (or 1); /6 is an alias of /4. */
static const struct opdesc grp2[8] = {
	OP(op_shift_rm, 0, 0), OP(op_shift_rm, 0, 1), OP(op_shift_rm, 0, 2),
	OP(op_shift_rm, 0, 3), OP(op_shift_rm, 0, 4), OP(op_shift_rm, 0, 5),
	OP(op_shift_rm, 0, 4), OP(op_shift_rm, 0, 7),
};

static const struct opdesc grp2_cl[8] = {
	OP(op_shift_rm_cl, 0, 0), OP(op_shift_rm_cl, 0, 1),
	OP(op_shift_rm_cl, 0, 2), OP(op_shift_rm_cl, 0, 3),
	OP(op_shift_rm_cl, 0, 4), OP(op_shift_rm_cl, 0, 5),
	OP(op_shift_rm_cl, 0, 4), OP(op_shift_rm_cl, 0, 7),
};

static const struct opdesc grp3[8] = {
	OP(op_test_rm_imm, D_IMMZ, 0), OP(op_test_rm_imm, D_IMMZ, 0),
	OP(op_not, D_LOCK, 0), OP(op_neg, D_LOCK, 0),
	OP(op_mul, 0, 0), OP(op_imul1, 0, 0),
	OP(op_div, 0, 0), OP(op_idiv, 0, 0),
};

static const struct opdesc grp4[8] = {
	OP(op_incdec_rm, D_LOCK, 0), OP(op_incdec_rm, D_LOCK, 1),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
};

static const struct opdesc grp5[8] = {
	OP(op_incdec_rm, D_LOCK, 0), OP(op_incdec_rm, D_LOCK, 1),
	OP(op_call_rm, D_END | D_FORCE64, 0),
	OP(op_callf_m, D_END | D_MEM_ONLY, 0),
	OP(op_jmp_rm, D_END | D_FORCE64, 0),
	OP(op_jmpf_m, D_END | D_MEM_ONLY, 0), OP(op_push_rm, D_STACK64, 0),
	OP(op_ud, D_END, 0),
};

static const struct opdesc grp8f[8] = {
	OP(op_pop_rm, 0, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
};

static const struct opdesc grp11[8] = {
	OP(op_mov_rm_imm, D_IMMZ, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
};

/* 0F 00 and 0F 01: system tables; decided by the handler. */
static const struct opdesc grp6[8] = {
	OP(op_grp6, D_END, 0), OP(op_grp6, D_END, 1), OP(op_grp6, D_END, 2),
	OP(op_grp6, D_END, 3), OP(op_grp6, D_END, 4), OP(op_grp6, D_END, 5),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
};

/* 0F 01 /7 with mod == 3: SWAPGS (64-bit mode only), RDTSCP. */
static const struct opdesc grp7_7_reg[8] = {
	OP(op_swapgs, D_END | D_ONLY64, 0), OP(op_rdtscp, 0, 0),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
};

static const struct opdesc grp7[8] = {
	OP(op_grp7, D_END | D_MEM_ONLY, 0), OP(op_grp7, D_END | D_MEM_ONLY, 1),
	OP(op_grp7, D_END | D_MEM_ONLY, 2), OP(op_grp7, D_END | D_MEM_ONLY, 3),
	OP(op_grp7, D_END, 4), OP(op_ud, D_END, 0),
	OP(op_grp7, D_END, 6),
	{ .fn = op_grp7, .flags = D_END, .sub = 7, .reg_forms = grp7_7_reg },
};

static const struct opdesc grp8[8] = {
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
	OP(op_ud, D_END, 0), OP(op_bt_rm_imm, 0, 0),
	OP(op_bt_rm_imm, D_LOCK, 1), OP(op_bt_rm_imm, D_LOCK, 2),
	OP(op_bt_rm_imm, D_LOCK, 3),
};

/* 0F C7 /6 with mod == 3: RDRAND r16/32/64 (the memory form is #UD). */
static const struct opdesc grp9_6_reg[8] = {
	OP(op_rdrand, D_NO_REP, 0), OP(op_rdrand, D_NO_REP, 0),
	OP(op_rdrand, D_NO_REP, 0), OP(op_rdrand, D_NO_REP, 0),
	OP(op_rdrand, D_NO_REP, 0), OP(op_rdrand, D_NO_REP, 0),
	OP(op_rdrand, D_NO_REP, 0), OP(op_rdrand, D_NO_REP, 0),
};

static const struct opdesc grp9[8] = {
	OP(op_ud, D_END, 0), OP(op_cmpxchg8b, D_LOCK | D_MEM_ONLY, 0),
	OP(op_ud, D_END, 0), OP(op_ud, D_END, 0), OP(op_ud, D_END, 0),
	OP(op_ud, D_END, 0),
	{ .fn = op_ud, .flags = D_END, .reg_forms = grp9_6_reg },
	OP(op_ud, D_END, 0),
};

#define ALU_ROW(base, op, lock)                                          \
	[base + 0] = OP(op_alu_rm_r, D_MODRM | D_BYTE | (lock), op),    \
	[base + 1] = OP(op_alu_rm_r, D_MODRM | (lock), op),             \
	[base + 2] = OP(op_alu_r_rm, D_MODRM | D_BYTE, op),             \
	[base + 3] = OP(op_alu_r_rm, D_MODRM, op),                      \
	[base + 4] = OP(op_alu_a_imm, D_BYTE | D_IMM8, op),             \
	[base + 5] = OP(op_alu_a_imm, D_IMMZ, op)

#define EIGHT(idx, f, fl, s)                                             \
	[idx + 0] = OP(f, fl, s), [idx + 1] = OP(f, fl, s),              \
	[idx + 2] = OP(f, fl, s), [idx + 3] = OP(f, fl, s),              \
	[idx + 4] = OP(f, fl, s), [idx + 5] = OP(f, fl, s),              \
	[idx + 6] = OP(f, fl, s), [idx + 7] = OP(f, fl, s)

#define CC_ROW(idx, f, fl)                                               \
	[idx + 0x0] = OP(f, fl, 0x0), [idx + 0x1] = OP(f, fl, 0x1),      \
	[idx + 0x2] = OP(f, fl, 0x2), [idx + 0x3] = OP(f, fl, 0x3),      \
	[idx + 0x4] = OP(f, fl, 0x4), [idx + 0x5] = OP(f, fl, 0x5),      \
	[idx + 0x6] = OP(f, fl, 0x6), [idx + 0x7] = OP(f, fl, 0x7),      \
	[idx + 0x8] = OP(f, fl, 0x8), [idx + 0x9] = OP(f, fl, 0x9),      \
	[idx + 0xa] = OP(f, fl, 0xa), [idx + 0xb] = OP(f, fl, 0xb),      \
	[idx + 0xc] = OP(f, fl, 0xc), [idx + 0xd] = OP(f, fl, 0xd),      \
	[idx + 0xe] = OP(f, fl, 0xe), [idx + 0xf] = OP(f, fl, 0xf)

/* Prefix bytes are handled before the table; their slots stay empty. */
static const struct opdesc one_byte[256] = {
	ALU_ROW(0x00, ALU_ADD, D_LOCK),
	ALU_ROW(0x08, ALU_OR, D_LOCK),
	ALU_ROW(0x10, ALU_ADC, D_LOCK),
	ALU_ROW(0x18, ALU_SBB, D_LOCK),
	ALU_ROW(0x20, ALU_AND, D_LOCK),
	ALU_ROW(0x28, ALU_SUB, D_LOCK),
	ALU_ROW(0x30, ALU_XOR, D_LOCK),
	ALU_ROW(0x38, ALU_CMP, 0), /* CMP cannot be locked */
	[0x06] = OP(op_push_sreg, D_INV64, SEG_ES),
	[0x07] = OP(op_pop_sreg, D_END | D_INV64, SEG_ES),
	[0x0e] = OP(op_push_sreg, D_INV64, SEG_CS),
	[0x16] = OP(op_push_sreg, D_INV64, SEG_SS),
	[0x17] = OP(op_pop_sreg, D_END | D_INV64, SEG_SS),
	[0x1e] = OP(op_push_sreg, D_INV64, SEG_DS),
	[0x1f] = OP(op_pop_sreg, D_END | D_INV64, SEG_DS),
	[0x27] = OP(op_daa, D_INV64, 0),
	[0x2f] = OP(op_das, D_INV64, 0),
	[0x37] = OP(op_aaa, D_INV64, 0),
	[0x3f] = OP(op_aas, D_INV64, 0),
	EIGHT(0x40, op_inc_r, D_REG_IN_OP, 0),
	EIGHT(0x48, op_dec_r, D_REG_IN_OP, 0),
	EIGHT(0x50, op_push_r, D_REG_IN_OP | D_STACK64, 0),
	EIGHT(0x58, op_pop_r, D_REG_IN_OP | D_STACK64, 0),
	[0x60] = OP(op_pusha, D_INV64, 0),
	[0x61] = OP(op_popa, D_INV64, 0),
	[0x62] = OP(op_bound, D_MODRM | D_MEM_ONLY | D_END | D_INV64, 0),
	[0x63] = OP(op_arpl, D_MODRM | D_END, 0),
	[0x68] = OP(op_push_imm, D_IMMZ | D_STACK64, 0),
	[0x69] = OP(op_imul_r_rm_imm, D_MODRM | D_IMMZ, 0),
	[0x6a] = OP(op_push_imm, D_IMM8S | D_STACK64, 0),
	[0x6b] = OP(op_imul_r_rm_imm, D_MODRM | D_IMM8S, 0),
	[0x6c] = OP(op_ins, D_BYTE | D_END, 0),
	[0x6d] = OP(op_ins, D_END, 0),
	[0x6e] = OP(op_outs, D_BYTE | D_END, 0),
	[0x6f] = OP(op_outs, D_END, 0),
	CC_ROW(0x70, op_jcc, D_IMM8S | D_END | D_FORCE64),
	[0x80] = GRP(D_BYTE | D_IMM8, grp1),
	[0x81] = GRP(D_IMMZ, grp1),
	[0x82] = GRP(D_BYTE | D_IMM8 | D_INV64, grp1),
	[0x83] = GRP(D_IMM8S, grp1),
	[0x84] = OP(op_test_rm_r, D_MODRM | D_BYTE, 0),
	[0x85] = OP(op_test_rm_r, D_MODRM, 0),
	[0x86] = OP(op_xchg_rm_r, D_MODRM | D_BYTE | D_LOCK, 0),
	[0x87] = OP(op_xchg_rm_r, D_MODRM | D_LOCK, 0),
	[0x88] = OP(op_mov_rm_r, D_MODRM | D_BYTE, 0),
	[0x89] = OP(op_mov_rm_r, D_MODRM, 0),
	[0x8a] = OP(op_mov_r_rm, D_MODRM | D_BYTE, 0),
	[0x8b] = OP(op_mov_r_rm, D_MODRM, 0),
	[0x8c] = OPR(op_mov_rm_sreg, D_MODRM, 0, 0xc0),
	[0x8d] = OP(op_lea, D_MODRM | D_MEM_ONLY, 0),
	[0x8e] = OPR(op_mov_sreg_rm, D_MODRM | D_END, 0, 0xc2), /* not CS */
	[0x8f] = GRP(D_STACK64, grp8f),
	[0x90] = OP(op_nop, 0, 0),
	[0x91] = OP(op_xchg_a_r, D_REG_IN_OP, 0),
	[0x92] = OP(op_xchg_a_r, D_REG_IN_OP, 0),
	[0x93] = OP(op_xchg_a_r, D_REG_IN_OP, 0),
	[0x94] = OP(op_xchg_a_r, D_REG_IN_OP, 0),
	[0x95] = OP(op_xchg_a_r, D_REG_IN_OP, 0),
	[0x96] = OP(op_xchg_a_r, D_REG_IN_OP, 0),
	[0x97] = OP(op_xchg_a_r, D_REG_IN_OP, 0),
	[0x98] = OP(op_cbw, 0, 0),
	[0x99] = OP(op_cwd, 0, 0),
	[0x9a] = OP(op_callf_ptr, D_FAR | D_END | D_INV64, 0),
	[0x9b] = OP(op_wait, 0, 0),
	[0x9c] = OP(op_pushf, D_STACK64, 0),
	[0x9d] = OP(op_popf, D_END | D_STACK64, 0),
	[0x9e] = OP(op_sahf, 0, 0),
	[0x9f] = OP(op_lahf, 0, 0),
	[0xa0] = OP(op_mov_a_moffs, D_BYTE | D_MOFFS, 0),
	[0xa1] = OP(op_mov_a_moffs, D_MOFFS, 0),
	[0xa2] = OP(op_mov_moffs_a, D_BYTE | D_MOFFS, 0),
	[0xa3] = OP(op_mov_moffs_a, D_MOFFS, 0),
	[0xa4] = OP(op_movs, D_BYTE, 0),
	[0xa5] = OP(op_movs, 0, 0),
	[0xa6] = OP(op_cmps, D_BYTE, 0),
	[0xa7] = OP(op_cmps, 0, 0),
	[0xa8] = OP(op_test_a_imm, D_BYTE | D_IMM8, 0),
	[0xa9] = OP(op_test_a_imm, D_IMMZ, 0),
	[0xaa] = OP(op_stos, D_BYTE, 0),
	[0xab] = OP(op_stos, 0, 0),
	[0xac] = OP(op_lods, D_BYTE, 0),
	[0xad] = OP(op_lods, 0, 0),
	[0xae] = OP(op_scas, D_BYTE, 0),
	[0xaf] = OP(op_scas, 0, 0),
	EIGHT(0xb0, op_mov_r_imm, D_REG_IN_OP | D_BYTE | D_IMM8, 0),
	EIGHT(0xb8, op_mov_r_imm, D_REG_IN_OP | D_IMMV, 0),
	[0xc0] = GRP(D_BYTE | D_IMM8, grp2),
	[0xc1] = GRP(D_IMM8, grp2),
	[0xc2] = OP(op_ret_near, D_IMM16 | D_END | D_FORCE64, 0),
	[0xc3] = OP(op_ret_near, D_END | D_FORCE64, 0),
	[0xc4] = OP(op_lseg, D_MODRM | D_MEM_ONLY | D_END | D_INV64, SEG_ES),
	[0xc5] = OP(op_lseg, D_MODRM | D_MEM_ONLY | D_END | D_INV64, SEG_DS),
	[0xc6] = GRP(D_BYTE | D_IMM8, grp11),
	[0xc7] = GRP(0, grp11),
	[0xc8] = OP(op_enter, D_ENTER | D_STACK64, 0),
	[0xc9] = OP(op_leave, D_STACK64, 0),
	[0xca] = OP(op_retf, D_IMM16 | D_END, 0),
	[0xcb] = OP(op_retf, D_END, 0),
	[0xcc] = OP(op_int3, D_END, 0),
	[0xcd] = OP(op_int, D_IMM8 | D_END, 0),
	[0xce] = OP(op_into, D_END | D_INV64, 0),
	[0xcf] = OP(op_iret, D_END, 0),
	[0xd0] = GRP(D_BYTE | D_ONE, grp2),
	[0xd1] = GRP(D_ONE, grp2),
	[0xd2] = GRP(D_BYTE, grp2_cl),
	[0xd3] = GRP(0, grp2_cl),
	[0xd4] = OP(op_aam, D_IMM8 | D_INV64, 0),
	[0xd5] = OP(op_aad, D_IMM8 | D_INV64, 0),
	[0xd6] = OP(op_salc, D_INV64, 0),
	[0xd7] = OP(op_xlat, 0, 0),
	EIGHT(0xd8, op_fpu_escape, D_MODRM, 0),
	[0xe0] = OP(op_loop, D_IMM8S | D_END | D_FORCE64, 0),
	[0xe1] = OP(op_loop, D_IMM8S | D_END | D_FORCE64, 1),
	[0xe2] = OP(op_loop, D_IMM8S | D_END | D_FORCE64, 2),
	[0xe3] = OP(op_jcxz, D_IMM8S | D_END | D_FORCE64, 0),
	[0xe4] = OP(op_in_imm, D_BYTE | D_IMM8 | D_END, 0),
	[0xe5] = OP(op_in_imm, D_IMM8 | D_END, 0),
	[0xe6] = OP(op_out_imm, D_BYTE | D_IMM8 | D_END, 0),
	[0xe7] = OP(op_out_imm, D_IMM8 | D_END, 0),
	[0xe8] = OP(op_call_rel, D_IMMZ | D_END | D_FORCE64, 0),
	[0xe9] = OP(op_jmp_rel, D_IMMZ | D_END | D_FORCE64, 0),
	[0xea] = OP(op_jmpf_ptr, D_FAR | D_END | D_INV64, 0),
	[0xeb] = OP(op_jmp_rel, D_IMM8S | D_END | D_FORCE64, 0),
	[0xec] = OP(op_in_dx, D_BYTE | D_END, 0),
	[0xed] = OP(op_in_dx, D_END, 0),
	[0xee] = OP(op_out_dx, D_BYTE | D_END, 0),
	[0xef] = OP(op_out_dx, D_END, 0),
	[0xf1] = OP(op_int1, D_END, 0),
	[0xf4] = OP(op_hlt, D_END, 0),
	[0xf5] = OP(op_cmc, 0, 0),
	[0xf6] = GRP(D_BYTE, grp3),
	[0xf7] = GRP(0, grp3),
	[0xf8] = OP(op_clc, 0, 0),
	[0xf9] = OP(op_stc, 0, 0),
	[0xfa] = OP(op_cli, D_END, 0),
	[0xfb] = OP(op_sti, D_END, 0),
	[0xfc] = OP(op_cld, 0, 0),
	[0xfd] = OP(op_std, 0, 0),
	[0xfe] = GRP(D_BYTE, grp4),
	[0xff] = GRP(0, grp5),
};

#include "cpu/decode_sse.h"

/* 0F AE: FXSAVE, FXRSTOR, LDMXCSR, STMXCSR, CLFLUSH (memory forms);
 * LFENCE, MFENCE, SFENCE (register forms). */
static const struct opdesc grp15[8] = {
	OP(op_fxsave, D_MEM_ONLY, 0), OP(op_fxrstor, D_MEM_ONLY | D_END, 0),
	OP(op_ldmxcsr, D_MEM_ONLY, 0), OP(op_stmxcsr, D_MEM_ONLY, 0),
	OP(op_ud, D_END, 0),
	{ .fn = NULL, .flags = 0, .reg_forms = fence_forms },
	{ .fn = NULL, .flags = 0, .reg_forms = fence_forms },
	{ .fn = op_clflush, .flags = 0, .reg_forms = fence_forms },
};

static const struct opdesc two_byte[256] = {
	[0x00] = GRP(0, grp6),
	[0x01] = GRP(0, grp7),
	[0x02] = OP(op_lar, D_MODRM, 0),
	[0x03] = OP(op_lsl, D_MODRM, 0),
	[0x05] = OP(op_syscall, D_END, 0),
	[0x06] = OP(op_clts, D_END, 0),
	[0x07] = OP(op_sysret, D_END, 0),
	[0x08] = OP(op_nop, D_END, 0), /* INVD: no caches to drop */
	[0x09] = OP(op_nop, D_END, 0), /* WBINVD */
	EIGHT(0x18, op_nop, D_MODRM, 0), /* hint NOPs, NOP r/m */
	/* CR1 and CR5-CR7 do not exist (SDM Vol. 2 "MOV--Move to/from
	 * Control Registers"). */
	[0x20] = OPR(op_mov_r_cr, D_MODRM | D_REG_ONLY | D_END, 0, 0xe2),
	[0x21] = OP(op_mov_r_dr, D_MODRM | D_REG_ONLY | D_END, 0),
	[0x22] = OPR(op_mov_cr_r, D_MODRM | D_REG_ONLY | D_END, 0, 0xe2),
	[0x23] = OP(op_mov_dr_r, D_MODRM | D_REG_ONLY | D_END, 0),
	[0x30] = OP(op_wrmsr, D_END, 0),
	[0x31] = OP(op_rdtsc, 0, 0),
	[0x32] = OP(op_rdmsr, 0, 0),
	[0x34] = OP(op_sysenter, D_END, 0),
	[0x35] = OP(op_sysexit, D_END, 0),
	CC_ROW(0x40, op_cmovcc, D_MODRM),
	CC_ROW(0x80, op_jcc, D_IMMZ | D_END | D_FORCE64),
	CC_ROW(0x90, op_setcc, D_MODRM | D_BYTE),
	[0xa0] = OP(op_push_sreg, D_STACK64, SEG_FS),
	[0xa1] = OP(op_pop_sreg, D_END | D_STACK64, SEG_FS),
	[0xa2] = OP(op_cpuid, 0, 0),
	[0xa3] = OP(op_bt_rm_r, D_MODRM, 0),
	[0xa4] = OP(op_shxd_imm, D_MODRM | D_IMM8, 0),
	[0xa5] = OP(op_shxd_cl, D_MODRM, 0),
	[0xa8] = OP(op_push_sreg, D_STACK64, SEG_GS),
	[0xa9] = OP(op_pop_sreg, D_END | D_STACK64, SEG_GS),
	[0xab] = OP(op_bt_rm_r, D_MODRM | D_LOCK, 1),
	[0xac] = OP(op_shxd_imm, D_MODRM | D_IMM8, 1),
	[0xad] = OP(op_shxd_cl, D_MODRM, 1),
	[0xae] = GRP(D_NP, grp15),
	[0xaf] = OP(op_imul_r_rm, D_MODRM, 0),
	[0xb0] = OP(op_cmpxchg, D_MODRM | D_BYTE | D_LOCK, 0),
	[0xb1] = OP(op_cmpxchg, D_MODRM | D_LOCK, 0),
	[0xb2] = OP(op_lseg, D_MODRM | D_MEM_ONLY | D_END, SEG_SS),
	[0xb3] = OP(op_bt_rm_r, D_MODRM | D_LOCK, 2),
	[0xb4] = OP(op_lseg, D_MODRM | D_MEM_ONLY | D_END, SEG_FS),
	[0xb5] = OP(op_lseg, D_MODRM | D_MEM_ONLY | D_END, SEG_GS),
	[0xb6] = OP(op_movzx, D_MODRM | D_RM_BYTE, 1),
	[0xb7] = OP(op_movzx, D_MODRM, 2),
	[0xba] = GRP(D_IMM8, grp8),
	[0xbb] = OP(op_bt_rm_r, D_MODRM | D_LOCK, 3),
	[0xbc] = OP(op_bsf, D_MODRM, 0),
	[0xbd] = OP(op_bsr, D_MODRM, 0),
	[0xbe] = OP(op_movsx, D_MODRM | D_RM_BYTE, 1),
	[0xbf] = OP(op_movsx, D_MODRM, 2),
	[0xc0] = OP(op_xadd, D_MODRM | D_BYTE | D_LOCK, 0),
	[0xc1] = OP(op_xadd, D_MODRM | D_LOCK, 0),
	[0xc7] = GRP(0, grp9),
	EIGHT(0xc8, op_bswap, D_REG_IN_OP, 0),
	SSE_TWO_BYTE,
};

static const struct opdesc invalid = OP(op_ud, D_END, 0);

/* 63 /r in 64-bit mode: MOVSXD r, r/m32 (ARPL elsewhere). */
static const struct opdesc movsxd_desc = OP(op_movsx, D_MODRM, 4);

/*
 * Three-byte opcodes 0F 38 xx and 0F 3A xx (SDM Vol. 2 App. A.3): the
 * SSSE3/SSE4 instructions fill them; 0F 3A forms carry an imm8.
 */
static const struct opdesc three_byte_38[256] = {
	SSE_MAP_0F38,
};

static const struct opdesc three_byte_3a[256] = {
	SSE_MAP_0F3A,
};

/* 16-bit addressing forms (SDM Vol. 2 Table 2-1): base, index. */
static const uint8_t ea16_base[8] = { R_BX, R_BX, R_BP, R_BP,
				      R_SI, R_DI, R_BP, R_BX };
static const int8_t ea16_index[8] = { R_SI, R_DI, R_SI, R_DI,
				      -1, -1, -1, -1 };

struct byte_reader {
	const uint8_t *p;
	size_t n, pos;
	bool short_read;
};

static uint32_t take(struct byte_reader *r, int size)
{
	uint32_t v = 0;

	if (r->pos + (size_t)size > r->n) {
		r->short_read = true;
		r->pos = r->n;
		return 0;
	}
	for (int k = 0; k < size; k++)
		v |= (uint32_t)r->p[r->pos + (size_t)k] << (8 * k);
	r->pos += (size_t)size;
	return v;
}

/* What the prefixes and the mode say before the opcode is known. */
struct prefixes {
	int mode; /* 0: 16-bit, 1: 32-bit, 2: 64-bit code */
	uint8_t rex; /* 0x40-0x4f in 64-bit mode, else 0 */
	bool opsize, adsize, lock;
	int seg;
};

#define REX_W 0x08
#define REX_R 0x04
#define REX_X 0x02
#define REX_B 0x01

static void decode_modrm(struct byte_reader *r, struct insn *i,
			 uint8_t modrm, const struct prefixes *p,
			 int *default_ss)
{
	uint8_t rex = p->rex;

	i->mod = modrm >> 6;
	i->reg = ((modrm >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
	i->rm = (modrm & 7) | ((rex & REX_B) ? 8 : 0);
	i->base = 0;
	i->index = 0;
	i->base_mask = 0;
	i->index_mask = 0;
	i->scale = 0;
	i->disp = 0;
	*default_ss = 0;
	if (i->mod == 3)
		return;

	if (i->asz == 2) {
		if (i->mod == 0 && (modrm & 7) == 6) {
			i->disp = take(r, 2);
			return;
		}
		i->base = ea16_base[modrm & 7];
		i->base_mask = ~0ull;
		if (ea16_index[modrm & 7] >= 0) {
			i->index = (uint8_t)ea16_index[modrm & 7];
			i->index_mask = ~0ull;
		}
		*default_ss = i->base == R_BP;
		if (i->mod == 1)
			i->disp = (uint64_t)(int8_t)take(r, 1);
		else if (i->mod == 2)
			i->disp = take(r, 2);
		return;
	}

	if ((modrm & 7) == 4) {
		uint8_t sib = (uint8_t)take(r, 1);
		uint8_t base = sib & 7, index = (sib >> 3) & 7;

		i->scale = sib >> 6;
		if (rex & REX_X)
			index += 8;
		if (index != 4) {
			i->index = index;
			i->index_mask = ~0ull;
		}
		if (base == 5 && i->mod == 0) {
			i->disp = (uint64_t)(int32_t)take(r, 4);
		} else {
			i->base = base | ((rex & REX_B) ? 8 : 0);
			i->base_mask = ~0ull;
			*default_ss = base == R_SP || base == R_BP;
		}
	} else if ((modrm & 7) == 5 && i->mod == 0) {
		i->disp = (uint64_t)(int32_t)take(r, 4);
		/* 64-bit mode: disp32 counts from the next instruction. */
		i->rip_relative = p->mode == 2;
		return;
	} else {
		i->base = i->rm;
		i->base_mask = ~0ull;
		*default_ss = (modrm & 7) == R_BP;
	}
	if (i->mod == 1)
		i->disp = (uint64_t)(int8_t)take(r, 1);
	else if (i->mod == 2)
		i->disp = (uint64_t)(int32_t)take(r, 4);
}

/* More than 15 bytes is #GP(0) (SDM Vol. 2 §2.3.11). */
static int too_long(struct insn *i)
{
	i->fn = op_too_long;
	i->len = 15;
	i->ends_block = true;
	return 15;
}

/* Byte registers 4-7 are AH..BH unless a REX prefix is present. */
static uint8_t byte_reg(uint8_t r, const struct prefixes *p)
{
	return (!p->rex && r >= 4 && r < 8) ? (uint8_t)(R_AH + r - 4) : r;
}

static void operand_sizes(struct insn *i, const struct prefixes *p,
			  uint32_t flags)
{
	if (p->mode == 2) {
		if (flags & D_FORCE64)
			i->osz = 8;
		else if (p->rex & REX_W)
			i->osz = 8;
		else if (flags & D_STACK64)
			i->osz = p->opsize ? 2 : 8;
		else
			i->osz = p->opsize ? 2 : 4;
		i->asz = p->adsize ? 4 : 8;
		return;
	}
	i->osz = ((p->mode == 1) ^ p->opsize) ? 4 : 2;
	i->asz = ((p->mode == 1) ^ p->adsize) ? 4 : 2;
}

/*
 * Decode the instruction at bytes in a code segment of the given mode
 * (0: 16-bit, 1: 32-bit, 2: 64-bit).  Returns its length, 0 when the
 * bytes ran out before it ended (the caller fetches more), or the length
 * with i->fn == op_ud for an invalid encoding.
 */
int decode_insn(const uint8_t *bytes, size_t n, int mode, struct insn *i)
{
	struct byte_reader r = { .p = bytes, .n = n > 15 ? 15 : n };
	struct prefixes p = { .mode = mode, .seg = -1 };
	int default_ss = 0;
	const struct opdesc *d;
	uint32_t flags;
	uint8_t op;

	memset(i, 0, sizeof(*i));
	for (;;) {
		op = (uint8_t)take(&r, 1);
		if (r.short_read)
			return n >= 15 ? too_long(i) : 0;
		if (mode == 2 && (op & 0xf0) == 0x40) {
			p.rex = op;
			continue;
		}
		switch (op) {
		case 0x26: p.seg = SEG_ES; break;
		case 0x2e: p.seg = SEG_CS; break;
		case 0x36: p.seg = SEG_SS; break;
		case 0x3e: p.seg = SEG_DS; break;
		case 0x64: p.seg = SEG_FS; break;
		case 0x65: p.seg = SEG_GS; break;
		case 0x66: p.opsize = true; break;
		case 0x67: p.adsize = true; break;
		case 0xf0: p.lock = true; break;
		case 0xf2: i->rep = REP_NE; break;
		case 0xf3: i->rep = REP_E; break;
		default:
			goto opcode;
		}
		/* A REX prefix counts only right before the opcode. */
		p.rex = 0;
	}
opcode:
	/* The last of 66h, F2h, F3h selects among SSE forms (§2.1.2). */
	i->simd_prefix = i->rep == REP_NE ? SIMD_F2
			 : i->rep == REP_E ? SIMD_F3
			 : p.opsize	   ? SIMD_66
					   : SIMD_NONE;
	/* 64-bit mode ignores ES, CS, SS and DS overrides (§3.3.7.1). */
	if (mode == 2 && p.seg >= 0 && p.seg != SEG_FS && p.seg != SEG_GS)
		p.seg = -1;
	if (op == 0x0f) {
		op = (uint8_t)take(&r, 1);
		if (op == 0x38) {
			op = (uint8_t)take(&r, 1);
			d = &three_byte_38[op];
		} else if (op == 0x3a) {
			op = (uint8_t)take(&r, 1);
			d = &three_byte_3a[op];
		} else {
			d = &two_byte[op];
		}
	} else if (op == 0x63 && mode == 2) {
		d = &movsxd_desc;
	} else {
		d = &one_byte[op];
	}
	i->opcode = op;
	operand_sizes(i, &p, d->flags);
	flags = d->flags;

	if (flags & D_MODRM) {
		uint8_t modrm = (uint8_t)take(&r, 1);

		if (flags & D_REG_ONLY)
			modrm |= 0xc0;
		decode_modrm(&r, i, modrm, &p, &default_ss);
		if (d->bad_reg & (1u << (i->reg & 7)))
			d = &invalid;
		if (flags & D_GROUP) {
			const struct opdesc *g = &d->group[i->reg & 7];

			if (i->mod == 3 && g->reg_forms)
				g = &g->reg_forms[i->rm & 7];
			flags |= g->flags;
			d = g;
			operand_sizes(i, &p, flags);
		}
		if (flags & D_SIMD) {
			d = &d->group[i->simd_prefix];
			flags |= d->flags;
		}
	}
	if (flags & D_REG_IN_OP)
		i->reg = (op & 7) | ((p.rex & REX_B) ? 8 : 0);
	if (flags & D_BYTE) {
		i->osz = 1;
		if (!(flags & D_GROUP))
			i->reg = byte_reg(i->reg, &p);
	}
	if (i->mod == 3 && (flags & (D_BYTE | D_RM_BYTE)))
		i->rm = byte_reg(i->rm, &p);
	i->fn = d->fn ? d->fn : op_ud;
	i->sub = d->sub;
	i->seg = p.seg >= 0 ? (uint8_t)p.seg : (default_ss ? SEG_SS : SEG_DS);
	i->seg_override = p.seg >= 0;

	if (flags & D_IMM8)
		i->imm = take(&r, 1);
	else if (flags & D_IMM8S)
		i->imm = (uint64_t)(int8_t)take(&r, 1);
	else if (flags & D_IMM16)
		i->imm = take(&r, 2);
	else if (flags & (D_IMMZ | D_IMMV)) {
		if (i->osz == 1)
			i->imm = take(&r, 1);
		else if (i->osz == 2)
			i->imm = (uint64_t)(int16_t)take(&r, 2);
		else if (i->osz == 8 && (flags & D_IMMV))
			i->imm = take(&r, 4) | ((uint64_t)take(&r, 4) << 32);
		else
			i->imm = (uint64_t)(int32_t)take(&r, 4);
	} else if (flags & D_MOFFS) {
		i->disp = take(&r, i->asz == 8 ? 4 : i->asz);
		if (i->asz == 8)
			i->disp |= (uint64_t)take(&r, 4) << 32;
	} else if (flags & D_FAR) {
		i->imm = take(&r, i->osz);
		i->imm2 = take(&r, 2);
	} else if (flags & D_ENTER) {
		i->imm = take(&r, 2);
		i->imm2 = take(&r, 1);
	}
	if (flags & D_ONE)
		i->imm = 1;

	if (r.short_read)
		return n >= 15 ? too_long(i) : 0;
	i->len = (uint8_t)r.pos;
	/* LOCK is #UD unless the instruction writes a memory operand it
	 * can lock (SDM Vol. 2 "LOCK"). */
	if (p.lock && (!(flags & D_LOCK) || i->mod == 3 || !(flags & D_MODRM)))
		i->fn = op_ud;
	if ((flags & D_MEM_ONLY) && i->mod == 3)
		i->fn = op_ud;
	if ((flags & D_NO_MEM) && i->mod != 3)
		i->fn = op_ud;
	if ((flags & D_NO_REP) && i->rep != REP_NONE)
		i->fn = op_ud;
	if ((flags & D_NP) && i->simd_prefix != SIMD_NONE)
		i->fn = op_ud;
	if ((mode == 2 && (flags & D_INV64)) ||
	    (mode != 2 && (flags & D_ONLY64)))
		i->fn = op_ud;
	if (i->fn == op_ud)
		flags |= D_END;
	i->ends_block = (flags & D_END) != 0;
	return i->len;
}

int cpu_decode_length(const uint8_t *bytes, size_t n, int bits)
{
	struct insn i;
	int len = decode_insn(bytes, n, bits == 64 ? 2 : bits == 32 ? 1 : 0,
			      &i);

	if (len <= 0 || i.fn == op_ud || i.fn == op_too_long)
		return -1;
	return len;
}
