// SPDX-License-Identifier: MIT
/*
 * The command language: a table of commands with Bochs's names, a
 * splitter, and the dispatcher.  Each command gets the words of its line
 * and the text after its name (for expressions with blanks).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/dbg.h"

static const struct dbg_cmd commands[] = {
	/* Run control. */
	{ "c", cmd_continue, "c", "continue until a stop" },
	{ "cont", cmd_continue, "cont", "the same as c" },
	{ "continue", cmd_continue, "continue", "the same as c" },
	{ "s", cmd_step, "s [n]", "execute n instructions (default 1)" },
	{ "step", cmd_step, "step [n]", "the same as s" },
	{ "n", cmd_next, "n", "step over a CALL, INT, LOOP or REP instruction" },
	{ "next", cmd_next, "next", "the same as n" },
	{ "q", cmd_quit, "q", "quit popek" },
	{ "quit", cmd_quit, "quit", "the same as q" },
	{ "exit", cmd_quit, "exit", "the same as q" },
	{ "diff", cmd_diff, "diff [on|off]",
	  "check every step against the other engine (popek diff)" },
	{ "engine", cmd_engine, "engine [kvm|interp]",
	  "move the machine to another engine (state and all), or show it" },
	{ "sb", cmd_sb, "sb n", "stop after n more instructions" },
	{ "sba", cmd_sba, "sba n", "stop when the instruction count reaches n" },
	{ "modebp", cmd_modebp, "modebp [on|off]",
	  "stop when the CPU mode changes (real, protected, long, ...)" },
	{ "catch", cmd_catch, "catch exc VECTOR | catch io PORT[-LAST] | catch",
	  "stop on an exception vector or an access to I/O ports; list" },
	{ "uncatch", cmd_uncatch, "uncatch exc VECTOR | uncatch io PORT[-LAST]",
	  "remove a catch" },
	{ "source", cmd_source, "source FILE", "run the commands in FILE" },
	{ "help", cmd_help, "help [command]", "list the commands" },
	/* Breakpoints and watchpoints. */
	{ "vb", cmd_vb, "vb seg:off [if COND]",
	  "breakpoint at a virtual address (CS and offset)" },
	{ "vbreak", cmd_vb, "vbreak seg:off [if COND]", "the same as vb" },
	{ "lb", cmd_lb, "lb addr [if COND]", "breakpoint at a linear address" },
	{ "lbreak", cmd_lb, "lbreak addr [if COND]", "the same as lb" },
	{ "pb", cmd_pb, "pb addr [if COND]", "breakpoint at a physical address" },
	{ "pbreak", cmd_pb, "pbreak addr [if COND]", "the same as pb" },
	{ "b", cmd_pb, "b addr [if COND]", "the same as pb" },
	{ "break", cmd_pb, "break addr [if COND]", "the same as pb" },
	{ "blist", cmd_blist, "blist", "list breakpoints and watchpoints" },
	{ "bpd", cmd_bpd, "bpd n", "disable breakpoint n" },
	{ "bpe", cmd_bpe, "bpe n", "enable breakpoint n" },
	{ "d", cmd_del, "d n", "delete breakpoint or watchpoint n" },
	{ "del", cmd_del, "del n", "the same as d" },
	{ "delete", cmd_del, "delete n", "the same as d" },
	{ "watch", cmd_watch,
	  "watch [r|w|rw] [phys|lin] addr [len]",
	  "stop after an access to memory (default: write, linear, 1 byte)" },
	{ "unwatch", cmd_unwatch, "unwatch [n]",
	  "remove watchpoint n, or all of them" },
	/* Registers. */
	{ "r", cmd_regs, "r", "general registers, RIP and RFLAGS" },
	{ "reg", cmd_regs, "reg", "the same as r" },
	{ "regs", cmd_regs, "regs", "the same as r" },
	{ "registers", cmd_regs, "registers", "the same as r" },
	{ "sreg", cmd_sreg, "sreg",
	  "segment registers: selector, base, limit, attributes" },
	{ "creg", cmd_creg, "creg", "control registers and EFER" },
	{ "dreg", cmd_dreg, "dreg", "debug registers" },
	{ "fp", cmd_fp, "fp", "x87 registers and status" },
	{ "sse", cmd_sse, "sse", "XMM registers and MXCSR" },
	{ "set", cmd_set, "set REG = EXPR", "change a register" },
	{ "calc", cmd_calc, "calc EXPR", "evaluate an expression" },
	{ "?", cmd_calc, "? EXPR", "the same as calc" },
	/* Memory. */
	{ "x", cmd_x, "x /nuf addr",
	  "memory at a linear address: n units (b h w g) as x d u o t c s i" },
	{ "xp", cmd_xp, "xp /nuf addr", "memory at a physical address" },
	{ "setpmem", cmd_setpmem, "setpmem addr size value",
	  "write a 1, 2, 4 or 8 byte value to physical memory" },
	{ "writemem", cmd_writemem, "writemem FILE addr len",
	  "save linear memory to FILE" },
	{ "loadmem", cmd_loadmem, "loadmem FILE addr",
	  "load FILE into linear memory" },
	{ "crc", cmd_crc, "crc addr1 addr2",
	  "CRC-32 of physical memory [addr1, addr2]" },
	{ "u", cmd_u, "u [addr] [n]",
	  "disassemble n instructions (default: at CS:RIP, 10)" },
	{ "disasm", cmd_u, "disasm [addr] [n]", "the same as u" },
	{ "page", cmd_page, "page addr",
	  "the page walk of a linear address, level by level" },
	{ "info", cmd_info, "info gdt|idt|ldt|tss|ivt|tab|eflags|cpu|engine|break|device [NAME]",
	  "tables, flags, the whole CPU, devices" },
	/* Tracing. */
	{ "trace", cmd_trace, "trace on|off [FILE]",
	  "print each instruction before it runs" },
	{ "trace-reg", cmd_trace_reg, "trace-reg on|off [FILE]",
	  "print the registers before each instruction" },
	{ "trace-mem", cmd_trace_mem, "trace-mem on|off [FILE]",
	  "print every memory access (slow)" },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

const struct dbg_cmd *cmd_table(unsigned *count)
{
	*count = COMMAND_COUNT;
	return commands;
}

const struct dbg_cmd *cmd_lookup(const char *name)
{
	for (size_t k = 0; k < COMMAND_COUNT; k++)
		if (strcmp(commands[k].name, name) == 0)
			return &commands[k];
	return NULL;
}

int cmd_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	while (argc < max) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		argv[argc++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		*p++ = '\0';
	}
	return argc;
}

const char *cmd_rest(const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	while (*line && !isspace((unsigned char)*line))
		line++;
	while (isspace((unsigned char)*line))
		line++;
	return line;
}

int cmd_parse_xfmt(const char *spec, unsigned *count, char *unit, char *fmt)
{
	const char *p = spec;
	unsigned long n = 0;
	bool have_n = false;

	if (*p != '/')
		return -1;
	p++;
	while (isdigit((unsigned char)*p)) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > 1u << 20)
			return -1;
		have_n = true;
		p++;
	}
	for (; *p; p++) {
		if (strchr("bhwg", *p))
			*unit = *p;
		else if (strchr("xduotcsi", *p))
			*fmt = *p;
		else
			return -1;
	}
	if (have_n) {
		if (n == 0)
			return -1;
		*count = (unsigned)n;
	}
	return 0;
}

enum cmd_result cmd_execute(struct debugger *d, const char *line)
{
	char buf[DBG_LINE_MAX], rest_buf[DBG_LINE_MAX];
	char *argv[CMD_ARGV_MAX];
	const char *rest;
	const struct dbg_cmd *cmd;
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = cmd_split(buf, argv, CMD_ARGV_MAX);
	if (argc == 0)
		return CMD_STAY;
	snprintf(rest_buf, sizeof(rest_buf), "%s", cmd_rest(line));
	rest_buf[strcspn(rest_buf, "#")] = '\0';
	rest = rest_buf;
	cmd = cmd_lookup(argv[0]);
	if (!cmd) {
		dbg_error(d, "unknown command '%s' (try help)", argv[0]);
		return CMD_STAY;
	}
	return cmd->fn(d, argc, argv, rest);
}

DBG_CMD(cmd_help)
{
	(void)rest;
	if (argc > 1) {
		const struct dbg_cmd *c = cmd_lookup(argv[1]);

		if (!c) {
			dbg_error(d, "no command '%s'", argv[1]);
			return CMD_STAY;
		}
		dbg_printf(d, "%s\n    %s\n", c->usage, c->help);
		return CMD_STAY;
	}
	for (size_t k = 0; k < COMMAND_COUNT; k++)
		dbg_printf(d, "  %-42s %s\n", commands[k].usage,
			   commands[k].help);
	dbg_printf(d, "Numbers: 0x1f (hex), 1fh (hex), 0b101, 31 (decimal). "
		      "Expressions use C operators, registers and "
		      "byte/word/dword/qword[addr].\n");
	return CMD_STAY;
}

DBG_CMD(cmd_source)
{
	(void)rest;
	if (argc != 2) {
		dbg_error(d, "usage: source FILE");
		return CMD_STAY;
	}
	dbg_source(d, argv[1]);
	return CMD_STAY;
}
