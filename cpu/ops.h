/* SPDX-License-Identifier: MIT */
/* Instruction handlers, by family; the decoder's tables point at them. */
#ifndef POPEK_CPU_OPS_H
#define POPEK_CPU_OPS_H

#include "cpu/interp.h"

#define HANDLER(name) void name(struct cpu *c, const struct insn *i)

/* ops_alu.c: arithmetic and logic */
HANDLER(op_alu_rm_r);
HANDLER(op_alu_r_rm);
HANDLER(op_alu_a_imm);
HANDLER(op_alu_rm_imm);
HANDLER(op_test_rm_r);
HANDLER(op_test_a_imm);
HANDLER(op_test_rm_imm);
HANDLER(op_inc_r);
HANDLER(op_dec_r);
HANDLER(op_incdec_rm);
HANDLER(op_not);
HANDLER(op_neg);
uint64_t alu_compute(struct cpu *c, int op, uint64_t a, uint64_t b, int size);

/* ops_muldiv.c */
HANDLER(op_mul);
HANDLER(op_imul1);
HANDLER(op_div);
HANDLER(op_idiv);
HANDLER(op_imul_r_rm);
HANDLER(op_imul_r_rm_imm);

/* ops_shift.c */
HANDLER(op_shift_rm);
HANDLER(op_shift_rm_cl);
HANDLER(op_shxd_imm);
HANDLER(op_shxd_cl);

/* ops_bcd.c */
HANDLER(op_daa);
HANDLER(op_das);
HANDLER(op_aaa);
HANDLER(op_aas);
HANDLER(op_aam);
HANDLER(op_aad);
HANDLER(op_salc);

/* ops_bit.c */
HANDLER(op_bt_rm_r);
HANDLER(op_bt_rm_imm);
HANDLER(op_bsf);
HANDLER(op_bsr);
HANDLER(op_setcc);
HANDLER(op_cmovcc);
HANDLER(op_bswap);

/* ops_move.c */
HANDLER(op_mov_rm_r);
HANDLER(op_mov_r_rm);
HANDLER(op_mov_rm_imm);
HANDLER(op_mov_r_imm);
HANDLER(op_mov_a_moffs);
HANDLER(op_mov_moffs_a);
HANDLER(op_mov_rm_sreg);
HANDLER(op_mov_sreg_rm);
HANDLER(op_lea);
HANDLER(op_movzx);
HANDLER(op_movsx);
HANDLER(op_xchg_rm_r);
HANDLER(op_xchg_a_r);
HANDLER(op_cbw);
HANDLER(op_cwd);
HANDLER(op_xlat);
HANDLER(op_lahf);
HANDLER(op_sahf);
HANDLER(op_cmpxchg);
HANDLER(op_cmpxchg8b);
HANDLER(op_xadd);
HANDLER(op_lseg);
HANDLER(op_nop);

/* ops_stack.c */
HANDLER(op_push_r);
HANDLER(op_pop_r);
HANDLER(op_push_imm);
HANDLER(op_push_rm);
HANDLER(op_pop_rm);
HANDLER(op_push_sreg);
HANDLER(op_pop_sreg);
HANDLER(op_pusha);
HANDLER(op_popa);
HANDLER(op_pushf);
HANDLER(op_popf);
HANDLER(op_enter);
HANDLER(op_leave);
HANDLER(op_bound);

/* ops_control.c */
HANDLER(op_jcc);
HANDLER(op_jmp_rel);
HANDLER(op_call_rel);
HANDLER(op_ret_near);
HANDLER(op_jmp_rm);
HANDLER(op_call_rm);
HANDLER(op_jmpf_ptr);
HANDLER(op_callf_ptr);
HANDLER(op_jmpf_m);
HANDLER(op_callf_m);
HANDLER(op_retf);
HANDLER(op_int3);
HANDLER(op_int);
HANDLER(op_into);
HANDLER(op_int1);
HANDLER(op_iret);
HANDLER(op_loop);
HANDLER(op_jcxz);
HANDLER(op_hlt);

/* ops_string.c */
HANDLER(op_movs);
HANDLER(op_cmps);
HANDLER(op_stos);
HANDLER(op_lods);
HANDLER(op_scas);
HANDLER(op_ins);
HANDLER(op_outs);

/* io.c */
HANDLER(op_in_imm);
HANDLER(op_in_dx);
HANDLER(op_out_imm);
HANDLER(op_out_dx);

/* ops_flags.c */
HANDLER(op_clc);
HANDLER(op_stc);
HANDLER(op_cmc);
HANDLER(op_cli);
HANDLER(op_sti);
HANDLER(op_cld);
HANDLER(op_std);

/* ops_system.c */
HANDLER(op_grp6);
HANDLER(op_grp7);
HANDLER(op_lar);
HANDLER(op_lsl);
HANDLER(op_arpl);
HANDLER(op_clts);
HANDLER(op_mov_r_cr);
HANDLER(op_mov_cr_r);
HANDLER(op_mov_r_dr);
HANDLER(op_mov_dr_r);
HANDLER(op_rdmsr);
HANDLER(op_wrmsr);
HANDLER(op_rdtsc);
HANDLER(op_cpuid);
HANDLER(op_rdrand);
HANDLER(op_wait);

/* fast_syscall.c */
HANDLER(op_syscall);
HANDLER(op_sysret);
HANDLER(op_sysenter);
HANDLER(op_sysexit);
HANDLER(op_swapgs);
HANDLER(op_rdtscp);
HANDLER(op_fpu_escape);
HANDLER(op_fxsave);
HANDLER(op_fxrstor);

#endif
