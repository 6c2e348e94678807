// SPDX-License-Identifier: MIT
/*
 * Tracing: each instruction before it runs (trace on), the registers
 * with it (trace-reg on), every data access (trace-mem on), to the
 * terminal or a file.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "debugger/dbg.h"
#include "debugger/disasm.h"

static FILE *trace_out(struct debugger *d)
{
	return d->trace_file ? d->trace_file : d->out;
}

void trace_close(struct debugger *d)
{
	if (d->trace_file)
		fclose(d->trace_file);
	d->trace_file = NULL;
}

void trace_insn(struct debugger *d, uint64_t pc)
{
	struct cpu_state s;
	FILE *f = trace_out(d);

	(void)pc;
	if (d->trace_reg) {
		dbg_state(d, &s);
		dbg_print_regs(d, f, &s);
	}
	if (d->trace)
		dbg_print_location(d, f);
}

void trace_mem(struct debugger *d, uint64_t lin, uint64_t phys,
	       unsigned size, bool write, uint64_t value)
{
	fprintf(trace_out(d),
		"mem: %s lin 0x%" PRIx64 " phys 0x%" PRIx64 " size %u value 0x%" PRIx64 "\n",
		write ? "write" : "read ", lin, phys, size,
		value & (size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * size)) - 1));
}

/* on|off into *flag; a FILE after "on" sends the trace there. */
static void set_switch(struct debugger *d, int argc, char **argv, bool *flag,
		       bool file_ok)
{
	if (argc < 2 || (strcmp(argv[1], "on") && strcmp(argv[1], "off"))) {
		dbg_printf(d, "%s is %s\n", argv[0], *flag ? "on" : "off");
		return;
	}
	*flag = strcmp(argv[1], "on") == 0;
	if (file_ok && *flag && argc > 2) {
		FILE *f = fopen(argv[2], "w");

		if (!f) {
			dbg_error(d, "%s: %s", argv[2], strerror(errno));
			*flag = false;
			return;
		}
		trace_close(d);
		d->trace_file = f;
	}
	if (!d->trace && !d->trace_reg && !d->trace_mem)
		trace_close(d);
	dbg_printf(d, "%s %s\n", argv[0], *flag ? "on" : "off");
}

DBG_CMD(cmd_trace)
{
	(void)rest;
	set_switch(d, argc, argv, &d->trace, true);
	return CMD_STAY;
}

DBG_CMD(cmd_trace_reg)
{
	(void)rest;
	set_switch(d, argc, argv, &d->trace_reg, true);
	return CMD_STAY;
}

DBG_CMD(cmd_trace_mem)
{
	(void)rest;
	set_switch(d, argc, argv, &d->trace_mem, true);
	return CMD_STAY;
}
