// SPDX-License-Identifier: MIT
/*
 * The interpreter's side of the debugger (debugger/debug_config.h):
 * while a configuration is enabled, the run loop goes one instruction at
 * a time and asks before each; pages with watched bytes never get a TLB
 * tag, so every access to them takes the slow path and is reported here;
 * interrupt and exception deliveries are reported too.  With no
 * debugger the only cost is one flag test per block and per TLB fill.
 */
#include "cpu/interp.h"
#include "debugger/debug_config.h"
#include "machine/machine.h"

void cpu_debug_set(struct cpu *c, const struct debug_config *d)
{
	bool was_watching = c->debug_watch;

	c->dbg = d && d->enabled ? d : NULL;
	c->debug_on = c->dbg != NULL;
	c->debug_watch = c->dbg && c->dbg->watching;
	c->debug_fetch = false;
	/* Translations cached before may bypass the new watch ranges. */
	if (c->debug_watch || was_watching)
		tlb_flush(c);
	c->end_block = true;
}

bool debug_before_insn(struct cpu *c)
{
	const struct debug_config *d = c->dbg;
	uint64_t pc = c->mode64 ? c->s.rip
				: (c->s.seg[SEG_CS].base + c->s.rip) &
					  0xffffffffu;

	c->debug_fetch = false;
	if (d->pending && d->pending(d->opaque))
		return true;
	return d->before_insn && d->before_insn(d->opaque, pc);
}

bool debug_page_watched(struct cpu *c, uint64_t lin_page, uint64_t phys_page)
{
	const struct debug_config *d = c->dbg;

	return d && d->page_watched &&
	       d->page_watched(d->opaque, lin_page, phys_page);
}

void debug_mem_access(struct cpu *c, uint64_t lin, uint64_t phys,
		      unsigned size, bool write, uint64_t value)
{
	const struct debug_config *d = c->dbg;

	if (c->debug_fetch || !d || !d->mem_access)
		return;
	d->mem_access(d->opaque, lin, phys, size, write, value);
	/* Stop at the next boundary, after this instruction (a trap, as
	 * data breakpoints are: SDM Vol. 3B §17.2.5). */
	c->end_block = true;
}

void debug_interrupt(struct cpu *c, int vector, bool exception)
{
	const struct debug_config *d = c->dbg;

	c->debug_fetch = false;
	if (d && d->interrupt)
		d->interrupt(d->opaque, vector, exception);
}
