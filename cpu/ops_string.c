// SPDX-License-Identifier: MIT
/*
 * String instructions (SDM Vol. 2: MOVS, CMPS, STOS, LODS, SCAS, INS,
 * OUTS) with REP/REPE/REPNE.  Each iteration commits its registers, so a
 * fault restarts exactly where it stopped; a long REP yields to the run
 * loop now and then (by re-executing itself) so timers stay on time.
 */
#include "cpu/ops.h"
#include "machine/machine.h"

struct string_regs {
	int asz;
	int32_t delta;
};

static uint64_t sreg(struct cpu *c, int r, int asz)
{
	return reg_read(c, r, asz);
}

static void sreg_step(struct cpu *c, int r, const struct string_regs *sr)
{
	reg_write(c, r, sr->asz, sreg(c, r, sr->asz) + (uint64_t)sr->delta);
}

static void string_setup(struct cpu *c, const struct insn *i,
			 struct string_regs *sr)
{
	sr->asz = i->asz;
	sr->delta = (c->s.rflags & FLAG_DF) ? -(int32_t)i->osz : i->osz;
}

/* How many iterations may run now; 0 when the count is already zero. */
static uint64_t rep_budget(struct cpu *c, const struct insn *i)
{
	uint64_t count, budget;

	if (i->rep == REP_NONE)
		return 1;
	count = sreg(c, R_CX, i->asz);
	budget = c->cycle_limit > c->m->clock.cycles
			 ? c->cycle_limit - c->m->clock.cycles
			 : 1;
	if (budget < 1)
		budget = 1;
	return count < budget ? count : budget;
}

/* After n iterations: decrement the count, and if more remain, come back
 * to this instruction (and let the run loop look at time first). */
static void rep_done(struct cpu *c, const struct insn *i, uint64_t n,
		     bool stopped_by_flag)
{
	if (i->rep == REP_NONE)
		return;
	c->m->clock.cycles += n ? n - 1 : 0;
	if (!stopped_by_flag && sreg(c, R_CX, i->asz) != 0) {
		c->next_rip = c->s.rip;
		c->end_block = true;
	}
}

static void count_down(struct cpu *c, const struct insn *i)
{
	if (i->rep != REP_NONE)
		reg_write(c, R_CX, i->asz, sreg(c, R_CX, i->asz) - 1);
}

HANDLER(op_movs)
{
	struct string_regs sr;
	uint64_t n = rep_budget(c, i), k;

	string_setup(c, i, &sr);
	for (k = 0; k < n; k++) {
		uint64_t v = mem_read(c, i->seg, sreg(c, R_SI, sr.asz), i->osz);

		mem_write(c, SEG_ES, sreg(c, R_DI, sr.asz), i->osz, v);
		sreg_step(c, R_SI, &sr);
		sreg_step(c, R_DI, &sr);
		count_down(c, i);
	}
	rep_done(c, i, n, false);
}

HANDLER(op_stos)
{
	struct string_regs sr;
	uint64_t n = rep_budget(c, i), k;
	uint64_t v = reg_read(c, R_AX, i->osz);

	string_setup(c, i, &sr);
	for (k = 0; k < n; k++) {
		mem_write(c, SEG_ES, sreg(c, R_DI, sr.asz), i->osz, v);
		sreg_step(c, R_DI, &sr);
		count_down(c, i);
	}
	rep_done(c, i, n, false);
}

HANDLER(op_lods)
{
	struct string_regs sr;
	uint64_t n = rep_budget(c, i), k;

	string_setup(c, i, &sr);
	for (k = 0; k < n; k++) {
		reg_write(c, R_AX, i->osz,
			  mem_read(c, i->seg, sreg(c, R_SI, sr.asz), i->osz));
		sreg_step(c, R_SI, &sr);
		count_down(c, i);
	}
	rep_done(c, i, n, false);
}

/* REPE stops when ZF becomes 0, REPNE when it becomes 1. */
static bool rep_condition_ends(struct cpu *c, const struct insn *i)
{
	if (i->rep == REP_E)
		return !flag_zf(c);
	if (i->rep == REP_NE)
		return flag_zf(c);
	return false;
}

HANDLER(op_cmps)
{
	struct string_regs sr;
	uint64_t n = rep_budget(c, i), k;
	bool stopped = false;

	string_setup(c, i, &sr);
	for (k = 0; k < n && !stopped; k++) {
		uint64_t a = mem_read(c, i->seg, sreg(c, R_SI, sr.asz), i->osz);
		uint64_t b = mem_read(c, SEG_ES, sreg(c, R_DI, sr.asz), i->osz);

		alu_compute(c, ALU_CMP, a, b, i->osz);
		sreg_step(c, R_SI, &sr);
		sreg_step(c, R_DI, &sr);
		count_down(c, i);
		stopped = rep_condition_ends(c, i);
	}
	rep_done(c, i, k, stopped);
}

HANDLER(op_scas)
{
	struct string_regs sr;
	uint64_t n = rep_budget(c, i), k;
	uint64_t a = reg_read(c, R_AX, i->osz);
	bool stopped = false;

	string_setup(c, i, &sr);
	for (k = 0; k < n && !stopped; k++) {
		uint64_t b = mem_read(c, SEG_ES, sreg(c, R_DI, sr.asz), i->osz);

		alu_compute(c, ALU_CMP, a, b, i->osz);
		sreg_step(c, R_DI, &sr);
		count_down(c, i);
		stopped = rep_condition_ends(c, i);
	}
	rep_done(c, i, k, stopped);
}

HANDLER(op_ins)
{
	struct string_regs sr;
	uint64_t n = rep_budget(c, i), k;
	uint16_t port = (uint16_t)c->s.gpr[R_DX];

	string_setup(c, i, &sr);
	if (n)
		io_check(c, port, i->osz);
	for (k = 0; k < n; k++) {
		uint64_t di = sreg(c, R_DI, sr.asz);
		uint64_t lin = seg_linear(c, SEG_ES, di, i->osz, ACC_WRITE);

		lin_write(c, lin, i->osz, io_read(c->m, port, (unsigned)i->osz));
		sreg_step(c, R_DI, &sr);
		count_down(c, i);
	}
	rep_done(c, i, n, false);
}

HANDLER(op_outs)
{
	struct string_regs sr;
	uint64_t n = rep_budget(c, i), k;
	uint16_t port = (uint16_t)c->s.gpr[R_DX];

	string_setup(c, i, &sr);
	if (n)
		io_check(c, port, i->osz);
	for (k = 0; k < n; k++) {
		uint64_t v = mem_read(c, i->seg, sreg(c, R_SI, sr.asz), i->osz);

		io_write(c->m, port, (unsigned)i->osz, v);
		sreg_step(c, R_SI, &sr);
		count_down(c, i);
	}
	rep_done(c, i, n, false);
}
