// SPDX-License-Identifier: MIT
/*
 * Breakpoint and watchpoint commands.  None of them writes guest
 * memory: the engines are told where to stop (dbg_config_update).
 */
#include <inttypes.h>
#include <string.h>

#include "debugger/dbg.h"

/* Split "ADDR if COND" into its parts (cond "" when absent). */
static void split_cond(const char *rest, char *addr, size_t alen,
		       const char **cond)
{
	const char *p = strstr(rest, " if ");

	*cond = "";
	if (!p) {
		snprintf(addr, alen, "%s", rest);
		return;
	}
	snprintf(addr, alen, "%.*s", (int)(p - rest), rest);
	*cond = p + 4;
	while (**cond == ' ')
		(*cond)++;
}

static enum cmd_result add_breakpoint(struct debugger *d, enum bp_kind kind,
				      int argc, const char *rest)
{
	char addr_text[256];
	const char *cond;
	struct expr_env env;
	struct cpu_state s;
	bool has_seg;
	uint64_t seg = 0, off, probe;
	char err[128];
	unsigned id;

	if (argc < 2) {
		dbg_error(d, "an address is needed");
		return CMD_STAY;
	}
	split_cond(rest, addr_text, sizeof(addr_text), &cond);
	dbg_state(d, &s);
	dbg_expr_env(d, &s, &env);
	if (expr_eval_address(addr_text, &env, &has_seg, &seg, &off, err,
			      sizeof(err))) {
		dbg_error(d, "%s", err);
		return CMD_STAY;
	}
	if (kind == BP_VIRTUAL && !has_seg) {
		dbg_error(d, "vb needs seg:off");
		return CMD_STAY;
	}
	if (kind != BP_VIRTUAL && has_seg) {
		off = dbg_seg_linear(d, &s, (uint16_t)seg, off);
		if (kind == BP_PHYSICAL && !dbg_lin_to_phys(d, &s, off, &off)) {
			dbg_error(d, "linear 0x%" PRIx64 " is not mapped", off);
			return CMD_STAY;
		}
	}
	/* A condition that cannot parse now would fail at every hit. */
	if (cond[0] && expr_eval(cond, &env, &probe, err, sizeof(err)) &&
	    !strstr(err, "memory")) {
		dbg_error(d, "condition: %s", err);
		return CMD_STAY;
	}
	id = bp_add(&d->bps, kind, (uint16_t)seg, off, cond, BP_OWNER_USER);
	if (!id) {
		dbg_error(d, "no room for another breakpoint (or the condition is too long)");
		return CMD_STAY;
	}
	if (kind == BP_VIRTUAL)
		dbg_printf(d, "Breakpoint %u at %04" PRIx64 ":%" PRIx64 "%s%s\n",
			   id, seg, off, cond[0] ? " if " : "", cond);
	else
		dbg_printf(d, "Breakpoint %u at %s 0x%" PRIx64 "%s%s\n", id,
			   kind == BP_LINEAR ? "linear" : "physical", off,
			   cond[0] ? " if " : "", cond);
	return CMD_STAY;
}

DBG_CMD(cmd_vb)
{
	(void)argv;
	return add_breakpoint(d, BP_VIRTUAL, argc, rest);
}

DBG_CMD(cmd_lb)
{
	(void)argv;
	return add_breakpoint(d, BP_LINEAR, argc, rest);
}

DBG_CMD(cmd_pb)
{
	(void)argv;
	return add_breakpoint(d, BP_PHYSICAL, argc, rest);
}

void info_break(struct debugger *d, int argc, char **argv)
{
	static const char *const kinds[] = { "vbreakpoint", "lbreakpoint",
					     "pbreakpoint" };
	static const char *const wkinds[] = { "", "read", "write", "access" };
	unsigned n = 0;

	(void)argc;
	(void)argv;
	dbg_printf(d, "Num Type           Disp Enb Address            What\n");
	for (unsigned k = 0; k < BP_MAX; k++) {
		const struct breakpoint *b = &d->bps.bp[k];

		if (!b->id)
			continue;
		n++;
		if (b->kind == BP_VIRTUAL)
			dbg_printf(d, "%3u %-14s keep %-3s %04x:%-13" PRIx64,
				   b->id, kinds[b->kind],
				   b->enabled ? "y" : "n", b->seg, b->addr);
		else
			dbg_printf(d, "%3u %-14s keep %-3s 0x%-16" PRIx64,
				   b->id, kinds[b->kind],
				   b->enabled ? "y" : "n", b->addr);
		dbg_printf(d, " hits %" PRIu64 "%s%s%s\n", b->hits,
			   b->cond[0] ? " if " : "", b->cond,
			   b->owner == BP_OWNER_GDB ? " (gdb)" : "");
	}
	for (unsigned k = 0; k < WATCH_MAX; k++) {
		const struct watchpoint *w = &d->bps.wp[k];

		if (!w->id)
			continue;
		n++;
		dbg_printf(d,
			   "%3u %-5s watch   keep y   %s 0x%" PRIx64
			   " len %" PRIu64 " hits %" PRIu64 "%s\n",
			   w->id, wkinds[w->kind], w->physical ? "phys" : "lin",
			   w->addr, w->len, w->hits,
			   w->owner == BP_OWNER_GDB ? " (gdb)" : "");
	}
	if (!n)
		dbg_printf(d, "no breakpoints or watchpoints\n");
}

DBG_CMD(cmd_blist)
{
	(void)rest;
	info_break(d, argc, argv);
	return CMD_STAY;
}

static int parse_id(struct debugger *d, int argc, const char *rest,
		    unsigned *id)
{
	uint64_t v;

	if (argc < 2) {
		dbg_error(d, "a breakpoint number is needed");
		return -1;
	}
	if (dbg_eval(d, rest, &v) != 0)
		return -1;
	if (v == 0 || v > 0xffffffffu) {
		dbg_error(d, "no breakpoint %" PRIu64, v);
		return -1;
	}
	*id = (unsigned)v;
	return 0;
}

DBG_CMD(cmd_bpd)
{
	unsigned id;

	(void)argv;
	if (parse_id(d, argc, rest, &id) == 0 &&
	    bp_enable(&d->bps, id, false) != 0)
		dbg_error(d, "no breakpoint %u", id);
	return CMD_STAY;
}

DBG_CMD(cmd_bpe)
{
	unsigned id;

	(void)argv;
	if (parse_id(d, argc, rest, &id) == 0 &&
	    bp_enable(&d->bps, id, true) != 0)
		dbg_error(d, "no breakpoint %u", id);
	return CMD_STAY;
}

DBG_CMD(cmd_del)
{
	unsigned id;

	(void)argv;
	if (parse_id(d, argc, rest, &id) == 0 &&
	    bp_delete(&d->bps, id) != 0 && watch_delete(&d->bps, id) != 0)
		dbg_error(d, "no breakpoint or watchpoint %u", id);
	return CMD_STAY;
}

DBG_CMD(cmd_watch)
{
	enum watch_kind kind = WATCH_WRITE;
	bool physical = false;
	uint64_t addr, len = 1;
	int k = 1;
	unsigned id;

	(void)rest;
	for (; k < argc; k++) {
		if (strcmp(argv[k], "r") == 0 || strcmp(argv[k], "read") == 0)
			kind = WATCH_READ;
		else if (strcmp(argv[k], "w") == 0 ||
			 strcmp(argv[k], "write") == 0)
			kind = WATCH_WRITE;
		else if (strcmp(argv[k], "rw") == 0 ||
			 strcmp(argv[k], "a") == 0 ||
			 strcmp(argv[k], "access") == 0)
			kind = WATCH_ACCESS;
		else if (strcmp(argv[k], "phys") == 0 ||
			 strcmp(argv[k], "p") == 0)
			physical = true;
		else if (strcmp(argv[k], "lin") == 0 ||
			 strcmp(argv[k], "l") == 0)
			physical = false;
		else
			break;
	}
	if (k >= argc) {
		if (argc == 1) {
			info_break(d, 0, NULL);
			return CMD_STAY;
		}
		dbg_error(d, "usage: watch [r|w|rw] [phys|lin] addr [len]");
		return CMD_STAY;
	}
	if (dbg_eval(d, argv[k], &addr) != 0)
		return CMD_STAY;
	if (k + 1 < argc && dbg_eval(d, argv[k + 1], &len) != 0)
		return CMD_STAY;
	id = watch_add(&d->bps, physical, kind, addr, len, BP_OWNER_USER);
	if (!id) {
		dbg_error(d, "cannot watch that range (empty, wraps, or the table is full)");
		return CMD_STAY;
	}
	dbg_printf(d, "Watchpoint %u: %s %s 0x%" PRIx64 " len %" PRIu64 "\n",
		   id,
		   kind == WATCH_READ ? "read" : kind == WATCH_WRITE ? "write"
								     : "access",
		   physical ? "phys" : "lin", addr, len);
	return CMD_STAY;
}

DBG_CMD(cmd_unwatch)
{
	unsigned id;

	(void)argv;
	if (argc == 1) {
		for (unsigned k = 0; k < WATCH_MAX; k++)
			d->bps.wp[k].id = 0;
		dbg_printf(d, "all watchpoints removed\n");
		return CMD_STAY;
	}
	if (parse_id(d, argc, rest, &id) == 0 && watch_delete(&d->bps, id))
		dbg_error(d, "no watchpoint %u", id);
	return CMD_STAY;
}
