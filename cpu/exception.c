// SPDX-License-Identifier: MIT
/*
 * Raising exceptions and combining them (SDM Vol. 3A §6.15, Table 6-5):
 * a handler raises with a longjmp back to the run loop, which delivers;
 * a second fault while delivering the first may become #DF, and a fault
 * while delivering #DF shuts the CPU down (triple fault).
 */
#include <stdio.h>

#include "cpu/interp.h"
#include "machine/machine.h"

static const char *const exception_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "#09", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#28", "#29", "#30", "#31",
};

static bool has_error_code(int vector)
{
	switch (vector) {
	case EXC_DF: case EXC_TS: case EXC_NP: case EXC_SS: case EXC_GP:
	case EXC_PF: case EXC_AC:
		return true;
	default:
		return false;
	}
}

void cpu_raise_error(struct cpu *c, int vector, uint32_t error)
{
	c->exc_vector = (uint8_t)vector;
	c->exc_has_error = has_error_code(vector);
	c->exc_error = error;
	longjmp(c->exc_jmp, 1);
}

void cpu_raise(struct cpu *c, int vector)
{
	cpu_raise_error(c, vector, 0);
}

enum exc_class { EXC_BENIGN, EXC_CONTRIBUTORY, EXC_PAGE_FAULT };

static enum exc_class exception_class(int vector)
{
	switch (vector) {
	case EXC_DE: case EXC_TS: case EXC_NP: case EXC_SS: case EXC_GP:
		return EXC_CONTRIBUTORY;
	case EXC_PF:
		return EXC_PAGE_FAULT;
	default:
		return EXC_BENIGN;
	}
}

static void report_triple_fault(struct cpu *c)
{
	char chain[128];
	size_t pos = 0;

	chain[0] = 0;
	for (unsigned k = 0; k < c->chain_len && pos < sizeof(chain); k++)
		pos += (size_t)snprintf(chain + pos, sizeof(chain) - pos,
					"%s%s", k ? " -> " : "",
					exception_names[c->chain[k] & 31]);
	machine_request_exit(c->m, MACHINE_EXIT_TRIPLE_FAULT, 3,
			     "at %04x:%0*llx: %s -> shutdown",
			     c->s.seg[SEG_CS].sel, code_size(c) * 2,
			     (unsigned long long)c->s.rip, chain);
}

static void chain_add(struct cpu *c, int vector)
{
	if (c->chain_len < sizeof(c->chain))
		c->chain[c->chain_len++] = (uint8_t)vector;
}

/*
 * Deliver the exception recorded by the last cpu_raise.  Called from the
 * run loop after the longjmp; it may itself raise (and so longjmp back to
 * the loop, which calls it again with the new exception).
 */
void cpu_deliver_pending(struct cpu *c)
{
	int vector = c->exc_vector;
	bool has_error = c->exc_has_error;
	uint32_t error = c->exc_error;

	if (c->delivering != 0xff) {
		enum exc_class first = exception_class(c->delivering);
		enum exc_class second = exception_class(vector);

		chain_add(c, vector);
		if (c->delivering == EXC_DF && second != EXC_BENIGN) {
			report_triple_fault(c);
			c->delivering = 0xff;
			c->s.halted = true;
			return;
		}
		if ((first == EXC_CONTRIBUTORY &&
		     second == EXC_CONTRIBUTORY) ||
		    (first == EXC_PAGE_FAULT && second != EXC_BENIGN)) {
			vector = EXC_DF;
			has_error = true;
			error = 0;
			c->chain[c->chain_len - 1] = EXC_DF;
		}
	} else {
		c->chain_len = 0;
		chain_add(c, vector);
	}
	c->delivering = (uint8_t)vector;
	c->s.halted = false;
	cpu_interrupt(c, vector, INT_FAULT, has_error, error, c->s.rip);
	c->delivering = 0xff;
}
