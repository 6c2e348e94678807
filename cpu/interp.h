/* SPDX-License-Identifier: MIT */
/*
 * The interpreter's private view of the CPU: the architectural state plus
 * what makes it fast (lazy flags, segment check caches, the software TLB,
 * the decoded-block cache) and the decoded instruction format.
 */
#ifndef POPEK_CPU_INTERP_H
#define POPEK_CPU_INTERP_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/state.h"

struct machine;
struct cpu;
struct insn;
struct block;

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

typedef void (*insn_fn)(struct cpu *c, const struct insn *i);

enum rep_prefix { REP_NONE, REP_E, REP_NE };

/* The mandatory prefix that picks an SSE form (none, 66h, F3h, F2h). */
enum simd_prefix { SIMD_NONE, SIMD_66, SIMD_F3, SIMD_F2 };

/* One decoded instruction: everything execution needs, found once. */
struct insn {
	insn_fn fn;
	uint8_t len;
	uint8_t osz; /* operand size in bytes: 1, 2, 4 or 8 */
	uint8_t asz; /* address size in bytes: 2, 4 or 8 */
	uint8_t seg; /* segment of the memory operand */
	uint8_t mod, reg, rm; /* ModRM fields; rm is a register when mod == 3 */
	uint8_t base, index, scale; /* effective address parts */
	bool rip_relative; /* 64-bit mode: the address counts from RIP */
	uint8_t rep; /* enum rep_prefix */
	uint8_t simd_prefix; /* enum simd_prefix */
	uint8_t sub; /* operation within a family (ALU op, condition, ...) */
	uint8_t seg_override; /* 1 when a segment prefix was given */
	uint8_t opcode; /* last opcode byte */
	bool ends_block; /* control transfer or state change follows */
	uint64_t base_mask, index_mask; /* all ones, or 0 where absent */
	uint64_t disp; /* sign-extended */
	uint64_t imm; /* sign-extended where the encoding says so */
	uint32_t imm2; /* far pointer selector, ENTER level */
};

/* ALU operations, in the order of their opcode rows (SDM Vol. 2 App. A). */
enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR,
	      ALU_CMP };

/*
 * Lazy flags: the last result, sign-extended to 64 bits, gives ZF, SF and
 * PF; lf_aux holds the carries that give CF, OF and AF, and two deltas
 * that let POPF-style writes store any combination.
 */
#define LF_CF_BIT 31 /* carry out of the top bit */
#define LF_PO_BIT 30 /* carry out of the bit below: OF = CF ^ PO */
#define LF_SD_BIT 16 /* sign delta: SF = res[63] ^ SD */
#define LF_PD_SHIFT 8 /* parity delta byte: PF = parity(res ^ PD) */
#define LF_AF_MASK 0x08u

/* A check of one segment register, precomputed at load time. */
struct seg_check {
	uint64_t base; /* 0 for CS/DS/ES/SS in 64-bit mode */
	uint64_t lo, hi; /* valid offsets, inclusive */
	bool readable, writable, usable;
};

/* One software TLB entry: a linear page mapped to host bytes. */
struct tlb_entry {
	uint64_t tag_read; /* linear page address, or 1 (never matches) */
	uint64_t tag_write;
	uint64_t tag_exec;
	uint64_t phys_page;
	uintptr_t addend; /* host address = addend + linear address */
	bool code_ram; /* RAM holding decoded code: writes check it first */
	bool global; /* a global page: survives CR3 loads */
};

#define TLB_ENTRIES 256
#define JUMP_CACHE_SIZE 1024

/* What a successful page walk found. */
struct walk_result {
	uint64_t phys;
	bool writable, user, nx, dirty, global;
};

enum exc_stage { EXC_NONE, EXC_DELIVERING };

struct cpu {
	struct cpu_state s;
	struct machine *m;

	uint64_t lf_res;
	uint32_t lf_aux;
	/* TSC = virtual cycles + tsc_offset; s.msr.tsc is filled in when the
	 * state is read. */
	uint64_t tsc_offset;

	int cpl;
	bool pe; /* CR0.PE, cached */
	bool mode64; /* long mode with a 64-bit code segment (CS.L) */
	uint64_t lin_mask; /* linear addresses wrap at 4 GiB outside 64-bit mode */
	uint64_t sys_mask; /* the same for system tables: 64-bit in IA-32e */
	uint64_t a20_mask;
	struct seg_check segc[SEG_COUNT];

	/* Two TLBs: supervisor (CPL 0-2) and user (CPL 3) permissions. */
	struct tlb_entry tlb[2][TLB_ENTRIES];
	struct tlb_entry *tlbp; /* the one the current privilege uses */
	uint64_t map_generation; /* of m->map when the TLBs were filled */

	/* Execution of the current instruction. */
	uint64_t next_rip;
	bool end_block; /* leave the current block after this instruction */
	bool rf_written; /* the instruction set RF (IRET): it stays set */
	uint64_t icount;
	uint64_t rdrand_state; /* RDRAND's generator: deterministic runs */

	/* Exceptions: raised with a longjmp back to the run loop. */
	jmp_buf exc_jmp;
	bool exc_jmp_valid;
	uint8_t exc_vector;
	bool exc_has_error;
	uint32_t exc_error;
	uint8_t delivering; /* vector being delivered, or 0xff */
	uint8_t chain[4]; /* the fault chain, for the triple-fault report */
	unsigned chain_len;

	struct block_cache *blocks;
	/*
	 * The jump cache: the block last run at a linear address, found
	 * without the TLB and the block hash.  An entry counts only while
	 * translation_gen has not moved (any TLB flush, map change or block
	 * cache flush moves it).
	 */
	struct jump_entry {
		uint64_t lin;
		uint64_t gen;
		uint32_t key;
		struct block *b;
	} jump_cache[JUMP_CACHE_SIZE];
	uint64_t translation_gen;
	uint64_t cycle_limit;

	/* The debugger (cpu/debug.c); NULL and false without one. */
	const struct debug_config *dbg;
	bool debug_on; /* one instruction at a time, asking before each */
	bool debug_watch; /* watched pages take the slow path */
	bool debug_fetch; /* the slow path is fetching code, not data */
};

/* --- flags.c / flags.h ------------------------------------------------ */
#include "cpu/flags.h"

/* --- exceptions (exception.c) ----------------------------------------- */
__attribute__((noreturn)) void cpu_raise(struct cpu *c, int vector);
__attribute__((noreturn)) void cpu_raise_error(struct cpu *c, int vector,
					       uint32_t error);
void cpu_deliver_pending(struct cpu *c);

/* --- interrupts (interrupt.c) ----------------------------------------- */
/*
 * Where an interrupt comes from: a device, INT n, an exception that traps
 * (after its instruction), one that faults (before it: the pushed EFLAGS
 * gets RF, SDM Vol. 3A §6.12.1 / Vol. 3B §17.3.1.1), or ICEBP.
 */
enum int_source { INT_EXTERNAL, INT_SOFTWARE, INT_EXCEPTION, INT_FAULT,
		  INT_ICEBP };
void cpu_interrupt(struct cpu *c, int vector, enum int_source src,
		   bool has_error, uint32_t error, uint64_t return_rip);
void deliver_long(struct cpu *c, int vector, enum int_source src,
		  bool has_error, uint32_t error, uint64_t return_rip);
void iret_long(struct cpu *c, int osz, uint32_t flag_mask);

/* --- segments (segment.c) --------------------------------------------- */
void seg_update_check(struct cpu *c, int seg);
void seg_bounds(const struct segment *s, uint64_t *lo, uint64_t *hi);
void seg_load(struct cpu *c, int seg, uint16_t sel);
void seg_load_real(struct cpu *c, int seg, uint16_t sel);
bool desc_read(struct cpu *c, uint16_t sel, uint32_t *lo, uint32_t *hi);
void desc_to_segment(struct segment *s, uint16_t sel, uint32_t lo,
		     uint32_t hi);
void desc_set_accessed(struct cpu *c, uint16_t sel, uint32_t hi);
void cpu_mode_changed(struct cpu *c);
void cpu_update_mode(struct cpu *c);
void far_jump(struct cpu *c, uint16_t sel, uint64_t off, bool is_call,
	      int osz);
void far_return(struct cpu *c, int osz, uint16_t pop_bytes);
void cpu_iret(struct cpu *c, int osz);
void cpu_iret64(struct cpu *c, int osz);
uint64_t tss_stack_for(struct cpu *c, int dpl, uint16_t *ss);

/* --- memory access (access.c, access.h) -------------------------------- */
#include "cpu/access.h"

/* --- paging (paging.c) ------------------------------------------------ */
uint64_t paging_walk(struct cpu *c, uint64_t lin, enum access_kind acc,
		     bool user, struct walk_result *w);
void cpu_set_cpl(struct cpu *c, int cpl);
uint64_t cpu_msr_read(struct cpu *c, uint32_t index);
uint64_t cpu_tsc_now(struct cpu *c);
void cpu_msr_write(struct cpu *c, uint32_t index, uint64_t v);

/* --- decoder (decode.c) ------------------------------------------------ */
int decode_insn(const uint8_t *bytes, size_t n, int mode, struct insn *i);
void op_ud(struct cpu *c, const struct insn *i);
void op_too_long(struct cpu *c, const struct insn *i);

/* --- the block cache (block.c) ----------------------------------------- */
struct block_cache *block_cache_create(struct machine *m);
void block_cache_destroy(struct block_cache *bc);
void block_cache_flush(struct cpu *c);
void block_cache_invalidate(void *opaque, uint64_t addr, uint64_t len);
void cpu_execute_some(struct cpu *c, uint64_t max_insns);

/* --- the debugger's hooks (debug.c) ----------------------------------- */
struct debug_config;
bool debug_before_insn(struct cpu *c);
bool debug_page_watched(struct cpu *c, uint64_t lin_page, uint64_t phys_page);
void debug_mem_access(struct cpu *c, uint64_t lin, uint64_t phys,
		      unsigned size, bool write, uint64_t value);
void debug_interrupt(struct cpu *c, int vector, bool exception);

/* --- conditions --------------------------------------------------------- */
bool cond_true(struct cpu *c, int cc);

/* Non-canonical 64-bit addresses fault (SDM Vol. 3A §3.3.7.1). */
static inline bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* --- register access ---------------------------------------------------- */
/*
 * Register numbers: 0-15 name RAX..R15 (for byte operands, their low
 * bytes: AL..BL, SPL..DIL with REX, R8B..R15B); 16-19 name AH, CH, DH, BH,
 * which the decoder picks for byte registers 4-7 without a REX prefix.
 */
#define R_AH 16

static inline uint64_t reg_read(const struct cpu *c, int r, int size)
{
	switch (size) {
	case 1:
		if (r >= R_AH)
			return (uint8_t)(c->s.gpr[r - R_AH] >> 8);
		return (uint8_t)c->s.gpr[r];
	case 2:
		return (uint16_t)c->s.gpr[r];
	case 4:
		return (uint32_t)c->s.gpr[r];
	default:
		return c->s.gpr[r];
	}
}

/* 32-bit writes zero the upper half (SDM Vol. 1 §3.4.1.1); 8- and 16-bit
 * writes keep the rest. */
static inline void reg_write(struct cpu *c, int r, int size, uint64_t v)
{
	switch (size) {
	case 1:
		if (r >= R_AH)
			c->s.gpr[r - R_AH] = (c->s.gpr[r - R_AH] & ~0xff00ull) |
					     ((uint64_t)(uint8_t)v << 8);
		else
			c->s.gpr[r] = (c->s.gpr[r] & ~0xffull) | (uint8_t)v;
		break;
	case 2:
		c->s.gpr[r] = (c->s.gpr[r] & ~0xffffull) | (uint16_t)v;
		break;
	case 4:
		c->s.gpr[r] = (uint32_t)v;
		break;
	default:
		c->s.gpr[r] = v;
		break;
	}
}

static inline uint64_t size_mask(int size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static inline uint64_t sign_bit(int size)
{
	return 1ull << (size * 8 - 1);
}

static inline int64_t sign_extend(uint64_t v, int size)
{
	switch (size) {
	case 1:
		return (int8_t)v;
	case 2:
		return (int16_t)v;
	case 4:
		return (int32_t)v;
	default:
		return (int64_t)v;
	}
}

/* Effective address of the memory operand (SDM Vol. 2 §2.1.5, and
 * §2.2.1.6 for RIP-relative addressing). */
static inline uint64_t insn_ea(const struct cpu *c, const struct insn *i)
{
	uint64_t ea = (c->s.gpr[i->base] & i->base_mask) +
		      ((c->s.gpr[i->index] & i->index_mask) << i->scale) +
		      i->disp;

	if (i->rip_relative)
		ea += c->next_rip;
	switch (i->asz) {
	case 2:
		return (uint16_t)ea;
	case 4:
		return (uint32_t)ea;
	default:
		return ea;
	}
}

/* The r/m operand: a register when mod == 3, else memory. */
static inline uint64_t rm_read(struct cpu *c, const struct insn *i, int size)
{
	if (i->mod == 3)
		return reg_read(c, i->rm, size);
	return mem_read(c, i->seg, insn_ea(c, i), size);
}

static inline void rm_write(struct cpu *c, const struct insn *i, int size,
			    uint64_t v)
{
	if (i->mod == 3)
		reg_write(c, i->rm, size, v);
	else
		mem_write(c, i->seg, insn_ea(c, i), size, v);
}

/* Where a read-modify-write operand lives, found once. */
struct rmw {
	bool is_reg;
	int reg;
	uint64_t lin;
};

static inline uint64_t rmw_read(struct cpu *c, const struct insn *i, int size,
				struct rmw *loc)
{
	if (i->mod == 3) {
		loc->is_reg = true;
		loc->reg = i->rm;
		loc->lin = 0;
		return reg_read(c, i->rm, size);
	}
	loc->is_reg = false;
	loc->reg = 0;
	loc->lin = seg_linear(c, i->seg, insn_ea(c, i), size, ACC_WRITE);
	return lin_read(c, loc->lin, size);
}

static inline void rmw_write(struct cpu *c, const struct rmw *loc, int size,
			     uint64_t v)
{
	if (loc->is_reg)
		reg_write(c, loc->reg, size, v);
	else
		lin_write(c, loc->lin, size, v);
}

static inline bool long_mode_64(const struct cpu *c)
{
	return c->mode64;
}

/* The stack pointer's width: 8 in 64-bit mode, else SS.B. */
static inline int stack_size(const struct cpu *c)
{
	if (c->mode64)
		return 8;
	return (c->s.seg[SEG_SS].attr & SEG_ATTR_DB) ? 4 : 2;
}

/* The decoder's mode: 0 for 16-bit, 1 for 32-bit, 2 for 64-bit code. */
static inline int code_mode(const struct cpu *c)
{
	if (c->mode64)
		return 2;
	return (c->s.seg[SEG_CS].attr & SEG_ATTR_DB) ? 1 : 0;
}

static inline int code_size(const struct cpu *c)
{
	if (c->mode64)
		return 8;
	return (c->s.seg[SEG_CS].attr & SEG_ATTR_DB) ? 4 : 2;
}

/* Stack helpers (stack.c): push and pop with the SS size rules. */
void push(struct cpu *c, int size, uint64_t v);
uint64_t pop(struct cpu *c, int size);
uint64_t stack_sp(const struct cpu *c);
void stack_set_sp(struct cpu *c, uint64_t sp);

/* A stack being built: pushes are checked and written, registers are
 * committed only when the whole sequence succeeded. */
struct frame {
	struct segment ss;
	uint64_t sp;
	int width; /* 2, 4 or 8: how the pointer wraps */
	uint16_t fault_sel; /* error code of #SS on this stack */
};
void frame_init(struct cpu *c, struct frame *f);
void frame_init_stack(struct frame *f, const struct segment *ss, uint64_t sp,
		      int width, uint16_t fault_sel);
void frame_adjust(struct frame *f, int64_t bytes);
void frame_push(struct cpu *c, struct frame *f, int size, uint64_t v);
uint64_t frame_pop(struct cpu *c, struct frame *f, int size);
void frame_commit_sp(struct cpu *c, const struct frame *f);

/* I/O permission (io.c): #GP unless CPL <= IOPL or the TSS bitmap allows. */
void io_check(struct cpu *c, uint16_t port, int size);

/* The full RFLAGS value with the lazy arithmetic flags folded in. */
uint32_t cpu_flags(struct cpu *c);
/* Write RFLAGS bits under mask (POPF, IRET, SAHF ...). */
void cpu_set_flags(struct cpu *c, uint32_t value, uint32_t mask);

#endif
