/* SPDX-License-Identifier: MIT */
/*
 * The architectural state of one x86 CPU: the common language of the
 * engines, the debugger, the diff and snapshots.
 */
#ifndef POPEK_CPU_STATE_H
#define POPEK_CPU_STATE_H

#include <stdbool.h>
#include <stdint.h>

enum gpr_index {
	R_AX,
	R_CX,
	R_DX,
	R_BX,
	R_SP,
	R_BP,
	R_SI,
	R_DI,
	R_R8,
	R_R15 = 15,
	GPR_COUNT = 16,
};

enum seg_index {
	SEG_ES,
	SEG_CS,
	SEG_SS,
	SEG_DS,
	SEG_FS,
	SEG_GS,
	SEG_COUNT,
};

/*
 * Segment descriptor attributes, in the layout of the VMX access-rights
 * field (SDM Vol. 3C §24.4.1): descriptor bits 40-47 in 0-7, bits 52-55
 * in 12-15.
 */
#define SEG_ATTR_TYPE 0x000f
#define SEG_ATTR_ACCESSED 0x0001
#define SEG_ATTR_S 0x0010 /* code/data, not system */
#define SEG_ATTR_DPL_SHIFT 5
#define SEG_ATTR_DPL 0x0060
#define SEG_ATTR_P 0x0080
#define SEG_ATTR_AVL 0x1000
#define SEG_ATTR_L 0x2000
#define SEG_ATTR_DB 0x4000
#define SEG_ATTR_G 0x8000

/* A segment register with its hidden descriptor cache. */
struct segment {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit; /* byte granular, G already applied */
	uint64_t base;
};

struct dtable {
	uint64_t base;
	uint32_t limit;
};

/* RFLAGS bits (SDM Vol. 1 §3.4.3). */
#define FLAG_CF 0x0001
#define FLAG_FIXED1 0x0002
#define FLAG_PF 0x0004
#define FLAG_AF 0x0010
#define FLAG_ZF 0x0040
#define FLAG_SF 0x0080
#define FLAG_TF 0x0100
#define FLAG_IF 0x0200
#define FLAG_DF 0x0400
#define FLAG_OF 0x0800
#define FLAG_IOPL 0x3000
#define FLAG_IOPL_SHIFT 12
#define FLAG_NT 0x4000
#define FLAG_RF 0x10000
#define FLAG_VM 0x20000
#define FLAG_AC 0x40000
#define FLAG_VIF 0x80000
#define FLAG_VIP 0x100000
#define FLAG_ID 0x200000
#define FLAGS_ARITH \
	(FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

/* CR0 and CR4 bits (SDM Vol. 3A §2.5). */
#define CR0_PE 0x00000001u
#define CR0_MP 0x00000002u
#define CR0_EM 0x00000004u
#define CR0_TS 0x00000008u
#define CR0_ET 0x00000010u
#define CR0_NE 0x00000020u
#define CR0_WP 0x00010000u
#define CR0_AM 0x00040000u
#define CR0_NW 0x20000000u
#define CR0_CD 0x40000000u
#define CR0_PG 0x80000000u

#define CR4_VME 0x0001u
#define CR4_PVI 0x0002u
#define CR4_TSD 0x0004u
#define CR4_DE 0x0008u
#define CR4_PSE 0x0010u
#define CR4_PAE 0x0020u
#define CR4_MCE 0x0040u
#define CR4_PGE 0x0080u
#define CR4_PCE 0x0100u
#define CR4_OSFXSR 0x0200u
#define CR4_OSXMMEXCPT 0x0400u

/* Exception vectors (SDM Vol. 3A §6.3.1). */
enum exception_vector {
	EXC_DE = 0,
	EXC_DB = 1,
	EXC_NMI = 2,
	EXC_BP = 3,
	EXC_OF = 4,
	EXC_BR = 5,
	EXC_UD = 6,
	EXC_NM = 7,
	EXC_DF = 8,
	EXC_TS = 10,
	EXC_NP = 11,
	EXC_SS = 12,
	EXC_GP = 13,
	EXC_PF = 14,
	EXC_MF = 16,
	EXC_AC = 17,
	EXC_MC = 18,
	EXC_XM = 19,
};

/* EFER bits (SDM Vol. 3A §2.2.1). */
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

/*
 * The model-specific registers the CPU model has (the FS and GS bases are
 * the segment bases).  tsc is the time-stamp counter's value when the
 * state was read.
 */
struct cpu_msrs {
	uint64_t tsc;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t apic_base;
	uint64_t star, lstar, cstar, sfmask;
	uint64_t kernel_gs_base;
	uint64_t tsc_aux;
	uint64_t tsc_deadline;
	uint64_t pat;
	uint64_t misc_enable;
	uint64_t mtrr_def_type;
	uint64_t mtrr_fixed[11]; /* 64K_00000, 16K_80000/A0000, 4K_C0000.. */
	uint64_t mtrr_var[16]; /* base/mask pairs 0-7 */
};

/* An x87 register: the 80-bit extended format (SDM Vol. 1 §4.2.2). */
struct x87_reg {
	uint64_t mantissa; /* explicit integer bit in bit 63 */
	uint16_t sign_exp; /* sign in bit 15, biased exponent in 0-14 */
};

/* x87, MMX and SSE state, in the terms of the FXSAVE image (SDM Vol. 1
 * §10.5.1): st[i] is physical register (TOP + i) & 7 as FXSAVE stores it. */
struct fpu_state {
	uint16_t fcw, fsw; /* TOP is FSW bits 11-13 */
	uint8_t ftw; /* abridged tag word: bit i set = register i valid */
	uint16_t fop;
	uint64_t fip, fdp;
	uint16_t fcs, fds;
	struct x87_reg st[8];
	uint32_t mxcsr;
	uint64_t xmm[16][2];
	uint64_t xcr0;
};

struct cpu_state {
	uint64_t gpr[GPR_COUNT];
	uint64_t rip;
	uint64_t rflags;
	struct segment seg[SEG_COUNT];
	struct segment ldtr, tr;
	struct dtable gdtr, idtr;
	uint64_t cr0, cr2, cr3, cr4, cr8;
	uint64_t efer;
	uint64_t dr[8]; /* DR4 and DR5 are aliases and stay 0 */
	struct cpu_msrs msr;
	struct fpu_state fpu;

	/* Pending events. */
	bool halted; /* in HLT, waiting for an interrupt */
	bool interrupt_shadow; /* after STI or MOV SS: no interrupt yet */
	bool nmi_blocked; /* an NMI handler runs: no NMI until IRET */
};

#endif
