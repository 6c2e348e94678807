// SPDX-License-Identifier: MIT
/*
 * Run control: continue, step, step over, quit, stops after a count of
 * instructions, on a mode change, on exceptions and on I/O ports.
 */
#include <inttypes.h>
#include <string.h>

#include "accel/accel.h"
#include "debugger/dbg.h"
#include "debugger/disasm.h"
#include "machine/machine.h"

DBG_CMD(cmd_continue)
{
	(void)argc;
	(void)argv;
	(void)rest;
	if (d->diff)
		return dbg_diff_run(d, UINT64_MAX, true);
	dbg_resume(d, false, 0);
	return CMD_RESUME;
}

DBG_CMD(cmd_step)
{
	uint64_t n = 1;

	(void)argv;
	if (argc > 1 && (dbg_eval(d, rest, &n) != 0 || n == 0)) {
		if (n == 0)
			dbg_error(d, "s: the count must be at least 1");
		return CMD_STAY;
	}
	if (d->diff)
		return dbg_diff_run(d, n, false);
	dbg_resume(d, true, n);
	return CMD_RESUME;
}

DBG_CMD(cmd_next)
{
	struct cpu_state s;
	uint8_t bytes[15];
	size_t n = 0;
	int len;

	(void)argc;
	(void)argv;
	(void)rest;
	dbg_state(d, &s);
	while (n < sizeof(bytes) &&
	       dbg_lin_read(d, &s, dbg_pc(&s) + n, bytes + n, 1))
		n++;
	len = disasm_is_step_over(dbg_code_bits(&s), bytes, n);
	if (!len) {
		dbg_resume(d, true, 1);
		return CMD_RESUME;
	}
	dbg_resume(d, false, 0);
	d->step_over = true;
	d->step_over_pc = dbg_pc(&s) + (uint64_t)len;
	if (dbg_mode_of(&s) != MODE_LONG64)
		d->step_over_pc &= 0xffffffffull;
	return CMD_RESUME;
}

DBG_CMD(cmd_quit)
{
	(void)argc;
	(void)argv;
	(void)rest;
	d->quit = true;
	machine_request_exit(d->m, MACHINE_EXIT_INTERRUPTED, POPEK_EXIT_OK,
			     "%s", "");
	return CMD_RESUME;
}

static const struct accel_ops *engine_named(const char *name)
{
	if (strcmp(name, accel_interp.name) == 0)
		return &accel_interp;
	if (strcmp(name, accel_kvm.name) == 0)
		return &accel_kvm;
	return NULL;
}

void info_engine(struct debugger *d, int argc, char **argv)
{
	const struct machine *m = d->m;

	(void)argc;
	(void)argv;
	dbg_printf(d, "engine: %s\n", m->accel->name);
	dbg_printf(d, "  interp: %" PRIu64 " instructions\n",
		   accel_interp.instructions(m));
	if (m->kvm)
		dbg_printf(d, "  kvm: %" PRIu64 " instructions (counted while it single-steps)\n",
			   accel_kvm.instructions(m));
	else
		dbg_printf(d, "  kvm: not started (engine kvm starts it)\n");
}

/*
 * engine kvm|interp: move the stopped machine to the other engine, state
 * and all (accel_switch), and give it the breakpoints and watchpoints.
 */
DBG_CMD(cmd_engine)
{
	struct machine *m = d->m;
	const struct accel_ops *to;

	(void)rest;
	if (argc < 2) {
		info_engine(d, argc, argv);
		return CMD_STAY;
	}
	to = engine_named(argv[1]);
	if (!to || argc > 2) {
		dbg_error(d, "usage: engine kvm|interp");
		return CMD_STAY;
	}
	if (to == m->accel) {
		dbg_printf(d, "already on the %s engine\n", to->name);
		return CMD_STAY;
	}
	/* -switch-at would move it back behind the user's back. */
	m->switch_at = 0;
	if (accel_switch(m, to) != 0) {
		dbg_error(d, "cannot move the machine to the %s engine%s%s",
			  to->name, m->exit_message[0] ? ": " : "",
			  m->exit_message);
		if (m->exit_kind != MACHINE_RUNNING) {
			d->quit = true;
			return CMD_RESUME;
		}
		return CMD_STAY;
	}
	dbg_config_update(d);
	dbg_printf(d, "now on the %s engine\n", to->name);
	dbg_print_location(d, NULL);
	return CMD_STAY;
}

DBG_CMD(cmd_sb)
{
	uint64_t n;

	(void)argv;
	if (argc < 2 || dbg_eval(d, rest, &n) != 0) {
		if (argc < 2)
			dbg_error(d, "usage: sb n");
		return CMD_STAY;
	}
	d->stop_at_insn = accel_instructions(d->m) + n;
	dbg_printf(d, "stopping at instruction %" PRIu64 "\n",
		   d->stop_at_insn);
	return CMD_STAY;
}

DBG_CMD(cmd_sba)
{
	uint64_t n;

	(void)argv;
	if (argc < 2 || dbg_eval(d, rest, &n) != 0) {
		if (argc < 2)
			dbg_error(d, "usage: sba n");
		return CMD_STAY;
	}
	if (n <= accel_instructions(d->m)) {
		dbg_error(d, "instruction %" PRIu64 " is past (now %" PRIu64 ")",
			  n, accel_instructions(d->m));
		return CMD_STAY;
	}
	d->stop_at_insn = n;
	dbg_printf(d, "stopping at instruction %" PRIu64 "\n", n);
	return CMD_STAY;
}

DBG_CMD(cmd_modebp)
{
	struct cpu_state s;

	(void)rest;
	if (argc > 1 && strcmp(argv[1], "off") == 0)
		d->modebp = false;
	else if (argc > 1 && strcmp(argv[1], "on") != 0) {
		dbg_error(d, "usage: modebp [on|off]");
		return CMD_STAY;
	} else
		d->modebp = argc > 1 ? true : !d->modebp;
	dbg_state(d, &s);
	d->last_mode = dbg_mode_of(&s);
	dbg_printf(d, "mode change breakpoint %s (now in %s)\n",
		   d->modebp ? "on" : "off", dbg_mode_name(d->last_mode));
	return CMD_STAY;
}

/* "PORT" or "PORT-LAST" as two numbers. */
static int parse_port_range(struct debugger *d, const char *text,
			    uint64_t *first, uint64_t *last)
{
	char buf[128];
	char *dash;

	snprintf(buf, sizeof(buf), "%s", text);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (dbg_eval(d, buf, first) != 0)
		return -1;
	*last = *first;
	if (dash && dbg_eval(d, dash + 1, last) != 0)
		return -1;
	if (*first > 0xffff || *last > 0xffff || *last < *first) {
		dbg_error(d, "'%s' is not a port range within 0-0xffff", text);
		return -1;
	}
	return 0;
}

static void list_catches(struct debugger *d)
{
	unsigned shown = 0;

	for (unsigned v = 0; v < 256; v++)
		if (d->exc_break[v >> 3] & (1u << (v & 7))) {
			dbg_printf(d, "catch exception vector %u\n", v);
			shown++;
		}
	for (unsigned p = 0; p < 65536; p++) {
		unsigned q = p;

		if (!(d->io_break[p >> 3] & (1u << (p & 7))))
			continue;
		while (q + 1 < 65536 &&
		       (d->io_break[(q + 1) >> 3] & (1u << ((q + 1) & 7))))
			q++;
		if (q == p)
			dbg_printf(d, "catch I/O port 0x%04x\n", p);
		else
			dbg_printf(d, "catch I/O ports 0x%04x-0x%04x\n", p, q);
		shown++;
		p = q;
	}
	if (!shown)
		dbg_printf(d, "no catches\n");
}

static enum cmd_result catch_change(struct debugger *d, int argc, char **argv,
				    bool on)
{
	uint64_t first, last;

	if (argc < 3) {
		if (on && argc == 1) {
			list_catches(d);
			return CMD_STAY;
		}
		dbg_error(d, "usage: %s exc VECTOR | %s io PORT[-LAST]",
			  argv[0], argv[0]);
		return CMD_STAY;
	}
	if (strcmp(argv[1], "exc") == 0 || strcmp(argv[1], "exception") == 0) {
		if (dbg_eval(d, argv[2], &first) != 0)
			return CMD_STAY;
		if (first > 255) {
			dbg_error(d, "vector %" PRIu64 " is over 255", first);
			return CMD_STAY;
		}
		if (!!(d->exc_break[first >> 3] & (1u << (first & 7))) != on) {
			d->exc_break[first >> 3] ^= (uint8_t)(1u << (first & 7));
			d->exc_break_count += on ? 1 : (unsigned)-1;
		}
		dbg_printf(d, "%s exception vector %" PRIu64 "\n",
			   on ? "catching" : "not catching", first);
		return CMD_STAY;
	}
	if (strcmp(argv[1], "io") == 0) {
		if (parse_port_range(d, argv[2], &first, &last) != 0)
			return CMD_STAY;
		for (uint64_t p = first; p <= last; p++) {
			bool set = d->io_break[p >> 3] & (1u << (p & 7));

			if (set == on)
				continue;
			d->io_break[p >> 3] ^= (uint8_t)(1u << (p & 7));
			d->io_break_count += on ? 1 : (unsigned)-1;
		}
		dbg_printf(d, "%s I/O ports 0x%04" PRIx64 "-0x%04" PRIx64 "\n",
			   on ? "catching" : "not catching", first, last);
		return CMD_STAY;
	}
	dbg_error(d, "%s: '%s' is not exc or io", argv[0], argv[1]);
	return CMD_STAY;
}

DBG_CMD(cmd_catch)
{
	(void)rest;
	return catch_change(d, argc, argv, true);
}

DBG_CMD(cmd_uncatch)
{
	(void)rest;
	return catch_change(d, argc, argv, false);
}
