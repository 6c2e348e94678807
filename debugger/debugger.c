// SPDX-License-Identifier: MIT
/*
 * The debugger's core: attaching to the machine, the engine callbacks
 * that decide where to stop (debugger/debug_config.h), and the command
 * loop that runs while the guest is stopped.  Reading commands: -rc and
 * `source` files first, then readline on a terminal, or plain lines
 * from stdin (each echoed after the prompt, so a transcript reads as a
 * session).  End of input quits.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "accel/accel.h"
#include "debugger/dbg.h"
#include "debugger/disasm.h"
#include "debugger/gdb_stub.h"
#include "debugger/gdb_target.h"
#include "machine/machine.h"

#define PROMPT "(popek) "

void dbg_vprintf(struct debugger *d, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	if (!d->capture) {
		vfprintf(d->out, fmt, ap);
		return;
	}
	/* gdb's monitor command: keep the text for the reply. */
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n <= 0)
		return;
	if (d->capture_len + (size_t)n + 1 > d->capture_cap) {
		size_t cap = (d->capture_cap + (size_t)n + 1) * 2;
		char *p = realloc(d->capture, cap);

		if (!p)
			return;
		d->capture = p;
		d->capture_cap = cap;
	}
	vsnprintf(d->capture + d->capture_len, (size_t)n + 1, fmt, ap);
	d->capture_len += (size_t)n;
}

void dbg_printf(struct debugger *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dbg_vprintf(d, fmt, ap);
	va_end(ap);
}

void dbg_error(struct debugger *d, const char *fmt, ...)
{
	va_list ap;

	dbg_printf(d, "error: ");
	va_start(ap, fmt);
	dbg_vprintf(d, fmt, ap);
	va_end(ap);
	dbg_printf(d, "\n");
}

void dbg_stop(struct debugger *d, const char *fmt, ...)
{
	va_list ap;

	/* The first reason wins: it is what happened first. */
	if (d->stop_pending)
		return;
	d->stop_pending = true;
	va_start(ap, fmt);
	vsnprintf(d->stop_msg, sizeof(d->stop_msg), fmt, ap);
	va_end(ap);
}

void dbg_print_location(struct debugger *d, FILE *to)
{
	struct cpu_state s;
	uint8_t bytes[15];
	char text[128], hex[48];
	size_t n = 0, used = 0;
	uint64_t pc, phys = 0;
	int bits;
	unsigned len;

	dbg_state(d, &s);
	pc = dbg_pc(&s);
	bits = dbg_code_bits(&s);
	while (n < sizeof(bytes) && dbg_lin_read(d, &s, pc + n, bytes + n, 1))
		n++;
	len = disasm_one(bits, bits == 64 ? s.rip : pc, bytes, n, text,
			 sizeof(text));
	for (unsigned k = 0; k < (len ? len : (n ? 1 : 0)); k++)
		used += (size_t)snprintf(hex + used, sizeof(hex) - used,
					 "%02x", bytes[k]);
	hex[used] = '\0';
	if (!dbg_lin_to_phys(d, &s, pc, &phys))
		phys = UINT64_MAX;
	if (to && !d->capture) {
		if (phys == UINT64_MAX)
			fprintf(to, "[unmapped] ");
		else
			fprintf(to, "[0x%012" PRIx64 "] ", phys);
		fprintf(to, "%04x:%0*" PRIx64 ": %-32s ; %s\n",
			s.seg[SEG_CS].sel, bits / 4, s.rip,
			n ? text : "(no code here)", hex);
		return;
	}
	if (phys == UINT64_MAX)
		dbg_printf(d, "[unmapped] ");
	else
		dbg_printf(d, "[0x%012" PRIx64 "] ", phys);
	dbg_printf(d, "%04x:%0*" PRIx64 ": %-32s ; %s\n", s.seg[SEG_CS].sel,
		   bits / 4, s.rip, n ? text : "(no code here)", hex);
}

/* --- engine callbacks ---------------------------------------------------- */

static bool check_breakpoints(struct debugger *d, uint64_t pc)
{
	struct cpu_state s;
	uint64_t phys = 0;
	bool phys_ok;
	unsigned cursor = 0;
	struct breakpoint *b;

	dbg_state(d, &s);
	phys_ok = dbg_lin_to_phys(d, &s, pc, &phys);
	while ((b = bp_match(&d->bps, &cursor, s.seg[SEG_CS].sel, s.rip, pc,
			     phys, phys_ok))) {
		if (b->cond[0]) {
			struct expr_env env;
			char err[128];
			uint64_t v;

			dbg_expr_env(d, &s, &env);
			if (expr_eval(b->cond, &env, &v, err, sizeof(err))) {
				dbg_stop(d, "Breakpoint %u: condition '%s': %s",
					 b->id, b->cond, err);
				return true;
			}
			if (!v)
				continue;
		}
		b->hits++;
		dbg_stop(d, "Breakpoint %u, linear 0x%" PRIx64 " (phys 0x%" PRIx64 ")",
			 b->id, pc, phys);
		return true;
	}
	return false;
}

/* XCHG BX,BX (87 DB), Bochs's magic breakpoint, perhaps with 66h. */
static bool is_magic(struct debugger *d, uint64_t pc)
{
	struct cpu_state s;
	uint8_t b[3];

	dbg_state(d, &s);
	if (!dbg_lin_read(d, &s, pc, b, 2))
		return false;
	if (b[0] == 0x87 && b[1] == 0xdb)
		return true;
	return b[0] == 0x66 && dbg_lin_read(d, &s, pc, b, 3) &&
	       b[1] == 0x87 && b[2] == 0xdb;
}

static bool cb_before_insn(void *opaque, uint64_t pc)
{
	struct debugger *d = opaque;
	struct machine *m = d->m;
	bool skip = d->skip_once && pc == d->skip_pc;

	d->cur_pc = pc;
	d->skip_once = false;
	if (m->host_stop == HOST_STOP_BREAK && d->command_line) {
		m->host_stop = 0;
		dbg_stop(d, "Ctrl-C");
	}
	if (d->magic_armed) {
		d->magic_armed = false;
		dbg_stop(d, "magic breakpoint (xchg bx, bx)");
	}
	if (d->stop_pending)
		return true;
	if (d->stepping && d->steps_left == 0) {
		if (pc >= d->range_lo && pc < d->range_hi) {
			d->steps_left = 1; /* still inside gdb's range */
		} else {
			dbg_stop(d, "%s", "");
			return true;
		}
	}
	if (d->stop_at_insn && accel_instructions(m) >= d->stop_at_insn) {
		dbg_stop(d, "instruction %" PRIu64 " reached",
			 accel_instructions(m));
		return true;
	}
	if (d->step_over && pc == d->step_over_pc) {
		dbg_stop(d, "%s", "");
		return true;
	}
	if (d->modebp) {
		struct cpu_state s;
		enum dbg_mode mode;

		dbg_state(d, &s);
		mode = dbg_mode_of(&s);
		if (mode != d->last_mode) {
			dbg_stop(d, "mode change: %s -> %s",
				 dbg_mode_name(d->last_mode),
				 dbg_mode_name(mode));
			d->last_mode = mode;
			return true;
		}
	}
	if (d->gdb_arch_watch && gdb_stub_attached(d->gdb)) {
		struct cpu_state s;
		enum gdb_arch arch;

		dbg_state(d, &s);
		arch = gdb_arch_of(&s);
		if ((int)arch != d->last_arch) {
			d->last_arch = (int)arch;
			gdb_stub_note_mode_change(d->gdb);
			dbg_stop(d, "mode change: now %s (gdb: %s)",
				 dbg_mode_name(dbg_mode_of(&s)),
				 gdb_arch_name(arch));
			return true;
		}
	}
	if (!skip && bp_count(&d->bps, true) && check_breakpoints(d, pc))
		return true;
	if (d->magic_break && is_magic(d, pc))
		d->magic_armed = true;
	if (d->trace || d->trace_reg)
		trace_insn(d, pc);
	if (d->stepping)
		d->steps_left--;
	return false;
}

static bool cb_page_watched(void *opaque, uint64_t lin_page,
			    uint64_t phys_page)
{
	struct debugger *d = opaque;

	return d->trace_mem || watch_on_page(&d->bps, false, lin_page) ||
	       watch_on_page(&d->bps, true, phys_page);
}

static void cb_mem_access(void *opaque, uint64_t lin, uint64_t phys,
			  unsigned size, bool write, uint64_t value)
{
	struct debugger *d = opaque;
	struct watchpoint *w;

	if (d->trace_mem)
		trace_mem(d, lin, phys, size, write, value);
	w = watch_match(&d->bps, false, lin, size, write);
	if (!w)
		w = watch_match(&d->bps, true, phys, size, write);
	if (!w || d->stop_pending)
		return;
	w->hits++;
	if (d->gdb)
		gdb_stub_note_watch(d->gdb, w->kind, w->physical ? phys : lin);
	dbg_stop(d,
		 "Watchpoint %u: %s of %u byte%s at linear 0x%" PRIx64
		 " (phys 0x%" PRIx64 "), value 0x%" PRIx64
		 ", by the instruction at linear 0x%" PRIx64,
		 w->id, write ? "write" : "read", size, size == 1 ? "" : "s",
		 lin, phys, value & (size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * size)) - 1),
		 d->cur_pc);
}

static const char *const exception_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "#MF(9)", "#TS", "#NP", "#SS", "#GP", "#PF", "(15)",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

static void cb_interrupt(void *opaque, int vector, bool exception)
{
	struct debugger *d = opaque;
	unsigned v = (unsigned)vector & 0xff;

	if (d->trace)
		dbg_printf(d, "trace: %s vector 0x%02x\n",
			   exception ? "exception" : "interrupt", v);
	if (exception && (d->exc_break[v >> 3] & (1u << (v & 7))))
		dbg_stop(d, "exception %s (vector %u) at linear 0x%" PRIx64,
			 v < 32 && exception_names[v] ? exception_names[v] : "",
			 v, d->cur_pc);
}

/* The value of a watched range now (its first 8 bytes), or 0. */
static uint64_t watched_value(struct debugger *d, const struct cpu_state *s,
			      const struct debug_range *r)
{
	uint64_t v = 0;
	size_t len = r->len < 8 ? (size_t)r->len : 8;

	if (!dbg_lin_read(d, s, r->addr, &v, len))
		return 0;
	return v;
}

/*
 * KVM: a debug register fired for hw_watch[watch].  The hardware says
 * neither the access's address, size and value nor whether it read or
 * wrote (RW slots), so the whole range and its value now are shown.
 */
static void cb_watch_hit(void *opaque, unsigned watch, unsigned dr,
			 uint64_t pc)
{
	struct debugger *d = opaque;
	const struct debug_range *r = &d->cfg.hw_watch[watch];
	struct watchpoint *w = NULL;
	struct cpu_state s;
	uint64_t value, phys = 0;
	bool changed;
	char how[24];

	if (watch >= d->cfg.hw_watch_count)
		return;
	for (unsigned k = 0; k < WATCH_MAX; k++)
		if (d->bps.wp[k].id && d->bps.wp[k].id == r->id)
			w = &d->bps.wp[k];
	dbg_state(d, &s);
	value = watched_value(d, &s, r);
	changed = value != d->hw_watch_seen[watch];
	d->hw_watch_seen[watch] = value;
	/* Loaded as read/write (no read-only kind): a change is a write. */
	if (!w || d->stop_pending || (w->kind == WATCH_READ && changed))
		return;
	w->hits++;
	if (d->gdb)
		gdb_stub_note_watch(d->gdb, w->kind, r->addr);
	if (!dbg_lin_to_phys(d, &s, r->addr, &phys))
		phys = UINT64_MAX;
	/* dr >= DEBUG_HW_SLOTS: the engine compared the bytes (kvm_pvm). */
	if (dr < DEBUG_HW_SLOTS)
		snprintf(how, sizeof(how), "DR%u", dr);
	else
		snprintf(how, sizeof(how), "the bytes changed");
	dbg_stop(d,
		 "Watchpoint %u: %s %" PRIu64 " byte%s at linear 0x%" PRIx64
		 " (phys 0x%" PRIx64 "), value 0x%" PRIx64
		 ", by the instruction before linear 0x%" PRIx64 " (%s)",
		 w->id,
		 w->kind == WATCH_WRITE ? "write of" :
		 w->kind == WATCH_READ	? "read of" :
					  "read or write of",
		 r->len, r->len == 1 ? "" : "s", r->addr, phys, value, pc, how);
}

static void cb_note(void *opaque, const char *text)
{
	dbg_printf(opaque, "note: %s\n", text);
}

static bool cb_pending(void *opaque)
{
	struct debugger *d = opaque;

	return d->stop_pending || d->m->host_stop;
}

static void io_hook(void *opaque, uint16_t port, unsigned size, bool write,
		    uint32_t value)
{
	struct debugger *d = opaque;

	for (unsigned k = 0; k < size; k++) {
		unsigned p = (uint16_t)(port + k);

		if (d->io_break[p >> 3] & (1u << (p & 7))) {
			dbg_stop(d,
				 "I/O %s of port 0x%04x (%u byte%s), value 0x%x, by the instruction at linear 0x%" PRIx64,
				 write ? "write" : "read", port, size,
				 size == 1 ? "" : "s", value, d->cur_pc);
			return;
		}
	}
}

void dbg_config_update(struct debugger *d)
{
	struct debug_config *c = &d->cfg;
	unsigned nbp = bp_count(&d->bps, true), nwatch = watch_count(&d->bps);
	bool conditions = false, phys_bp = false;
	struct cpu_state s;

	for (unsigned k = 0; k < BP_MAX; k++) {
		const struct breakpoint *b = &d->bps.bp[k];

		if (!b->id || !b->enabled)
			continue;
		conditions |= b->cond[0] != 0;
		phys_bp |= b->kind == BP_PHYSICAL;
	}
	/* A new engine (engine command, -switch-at): the old one lets go. */
	if (d->cfg_engine && d->cfg_engine != d->m->accel &&
	    d->cfg_engine->debug_set)
		d->cfg_engine->debug_set(d->m, NULL);
	d->cfg_engine = d->m->accel;
	dbg_state(d, &s);
	c->opaque = d;
	c->before_insn = cb_before_insn;
	c->page_watched = cb_page_watched;
	c->mem_access = cb_mem_access;
	c->interrupt = cb_interrupt;
	c->pending = cb_pending;
	c->watch_hit = cb_watch_hit;
	c->note = cb_note;
	c->every_insn = d->stepping || d->stop_at_insn || d->modebp ||
			(d->gdb_arch_watch && d->gdb &&
			 gdb_stub_attached(d->gdb)) ||
			d->magic_break || d->trace || d->trace_reg ||
			d->trace_mem || conditions || phys_bp ||
			d->exc_break_count || nbp > DEBUG_HW_SLOTS;
	c->watching = nwatch > 0 || d->trace_mem;
	c->enabled = c->every_insn || c->watching || nbp || d->step_over ||
		     d->io_break_count;
	/*
	 * What the debug registers could hold (KVM).  A seg:off breakpoint
	 * goes in at the linear address that selector gives now;
	 * before_insn checks CS and RIP when it fires.
	 */
	c->hw_break_count = 0;
	if (d->step_over)
		c->hw_break[c->hw_break_count++] = d->step_over_pc;
	for (unsigned k = 0; k < BP_MAX && c->hw_break_count < DEBUG_HW_SLOTS;
	     k++) {
		const struct breakpoint *b = &d->bps.bp[k];

		if (!b->id || !b->enabled || b->kind == BP_PHYSICAL)
			continue;
		c->hw_break[c->hw_break_count++] =
			b->kind == BP_LINEAR ?
				b->addr :
				dbg_seg_linear(d, &s, b->seg, b->addr);
	}
	c->hw_watch_count = 0;
	c->needs = 0;
	for (unsigned k = 0; k < WATCH_MAX; k++) {
		const struct watchpoint *w = &d->bps.wp[k];
		struct debug_range *r = &c->hw_watch[c->hw_watch_count];

		if (!w->id)
			continue;
		if (w->physical) {
			c->needs |= DEBUG_NEED_WATCH_PHYS;
			continue;
		}
		if (c->hw_watch_count == DEBUG_HW_SLOTS) {
			c->needs |= DEBUG_NEED_WATCH_MANY;
			continue;
		}
		if (w->kind == WATCH_READ)
			c->needs |= DEBUG_NEED_WATCH_READ;
		r->addr = w->addr;
		r->len = w->len;
		r->acc = w->kind == WATCH_WRITE ? DEBUG_ACC_WRITE
			 : w->kind == WATCH_READ ? DEBUG_ACC_READ
						 : DEBUG_ACC_RW;
		r->id = w->id;
		d->hw_watch_seen[c->hw_watch_count] = watched_value(d, &s, r);
		c->hw_watch_count++;
	}
	c->needs |= (nbp > DEBUG_HW_SLOTS ? DEBUG_NEED_BREAK_MANY : 0) |
		    (phys_bp ? DEBUG_NEED_BREAK_PHYS : 0) |
		    (conditions ? DEBUG_NEED_BREAK_COND : 0) |
		    (d->exc_break_count ? DEBUG_NEED_CATCH_EXC : 0) |
		    (d->trace_mem ? DEBUG_NEED_TRACE_MEM : 0) |
		    (d->trace ? DEBUG_NEED_TRACE : 0);
	d->m->io.debug_hook = d->io_break_count ? io_hook : NULL;
	d->m->io.debug_opaque = d;
	if (d->m->accel->debug_set) {
		if (d->m->accel->debug_set(d->m, c) != 0)
			dbg_printf(d, "warning: the %s engine cannot do all of this; see docs/debugger.md\n",
				   d->m->accel->name);
	} else if (c->enabled) {
		dbg_printf(d, "warning: the %s engine has no debugging support: breakpoints, watchpoints and steps do not stop it\n",
			   d->m->accel->name);
	}
}

void dbg_resume(struct debugger *d, bool step, uint64_t count)
{
	struct cpu_state s;

	dbg_state(d, &s);
	d->stepping = step;
	d->steps_left = count;
	d->range_lo = d->range_hi = 0;
	d->skip_once = true;
	d->skip_pc = dbg_pc(&s);
	d->last_mode = dbg_mode_of(&s);
	d->last_arch = (int)gdb_arch_of(&s);
	d->resumed = true;
}

/* --- input ----------------------------------------------------------------- */

int dbg_source(struct debugger *d, const char *path)
{
	struct dbg_input *in;
	FILE *f;

	if (d->ninputs >= DBG_MAX_INPUTS) {
		dbg_error(d, "%s: command files nested too deeply", path);
		return -1;
	}
	f = fopen(path, "r");
	if (!f) {
		dbg_error(d, "%s: %s", path, strerror(errno));
		return -1;
	}
	in = &d->inputs[d->ninputs++];
	in->f = f;
	in->line = 0;
	snprintf(in->name, sizeof(in->name), "%s", path);
	return 0;
}

/* The next command line; false at the end of all input. */
static bool read_command(struct debugger *d, char *buf, size_t len)
{
	while (d->ninputs) {
		struct dbg_input *in = &d->inputs[d->ninputs - 1];

		if (fgets(buf, (int)len, in->f)) {
			in->line++;
			buf[strcspn(buf, "\r\n")] = '\0';
			fprintf(d->out, PROMPT "%s\n", buf);
			return true;
		}
		fclose(in->f);
		d->ninputs--;
	}
	if (d->stdin_done)
		return false;
	if (d->interactive) {
		char *line = readline(PROMPT);

		if (!line) {
			d->stdin_done = true;
			fputc('\n', d->out);
			return false;
		}
		if (*line)
			add_history(line);
		snprintf(buf, len, "%s", line);
		free(line);
		return true;
	}
	fprintf(d->out, PROMPT);
	fflush(d->out);
	if (!fgets(buf, (int)len, stdin)) {
		d->stdin_done = true;
		fputc('\n', d->out);
		return false;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	fprintf(d->out, "%s\n", buf);
	return true;
}

/* Words that follow "info " on the command line. */
static const char *const info_words[] = {
	"break", "cpu", "device", "eflags", "engine", "gdt", "idt", "ivt",
	"ldt", "tab", "tss", NULL,
};

/*
 * readline completion: the command names, or the info subjects after
 * "info ".  The whole match list is built here, so no state is kept
 * between calls (readline's generator interface would need some).
 */
static char **complete(const char *text, int start, int end)
{
	const char *words[160];
	unsigned nwords = 0, count;
	const struct dbg_cmd *t = cmd_table(&count);
	size_t tl = strlen(text), common = 0;
	char **out;
	unsigned n = 0;

	(void)end;
	rl_attempted_completion_over = 1;
	if (start > 0 && strncmp(rl_line_buffer, "info ", 5) == 0) {
		for (unsigned k = 0; info_words[k]; k++)
			words[nwords++] = info_words[k];
	} else if (start == 0) {
		for (unsigned k = 0; k < count && nwords < 160; k++)
			words[nwords++] = t[k].name;
	}
	out = calloc(nwords + 2, sizeof(*out));
	if (!out)
		return NULL;
	for (unsigned k = 0; k < nwords; k++) {
		if (strncmp(words[k], text, tl) != 0)
			continue;
		out[1 + n] = strdup(words[k]);
		if (!out[1 + n])
			break;
		if (n == 0) {
			common = strlen(words[k]);
		} else {
			size_t c = 0;

			while (c < common && out[1][c] == words[k][c])
				c++;
			common = c;
		}
		n++;
	}
	if (n == 0) {
		free(out);
		return NULL;
	}
	out[0] = strndup(out[1], common);
	return out;
}

/* Talk to the user until a command resumes the guest or quits. */
static void command_loop(struct debugger *d)
{
	char line[DBG_LINE_MAX];

	d->resumed = false;
	d->in_prompt = true;
	while (!d->resumed && !d->quit) {
		if (!read_command(d, line, sizeof(line))) {
			/* SIGTERM at the prompt ends the run as it would. */
			if (d->m->host_stop == HOST_STOP_END)
				break;
			cmd_execute(d, "q");
			break;
		}
		if (!line[0] && d->interactive && d->last_cmd[0])
			snprintf(line, sizeof(line), "%s", d->last_cmd);
		else if (line[0])
			snprintf(d->last_cmd, sizeof(d->last_cmd), "%s", line);
		cmd_execute(d, line);
		if (d->over && d->resumed) {
			dbg_printf(d, "the run is over: the guest cannot run on (q ends popek)\n");
			d->resumed = false;
		}
		fflush(d->out);
		if (d->m->host_stop == HOST_STOP_END)
			break;
	}
	d->in_prompt = false;
}

void debugger_poll(struct debugger *d)
{
	struct machine *m = d->m;

	if (m->host_stop == HOST_STOP_BREAK && d->command_line) {
		m->host_stop = 0;
		dbg_stop(d, "Ctrl-C");
	}
	if (d->gdb)
		gdb_stub_poll(d->gdb);
	if (m->exit_kind != MACHINE_RUNNING || m->host_stop == HOST_STOP_END)
		return;
	/* The machine moved to another engine (-switch-at, auto). */
	if (!d->stop_pending) {
		if (d->cfg_engine != m->accel)
			dbg_config_update(d);
		return;
	}
	d->stop_pending = false;
	d->stepping = false;
	d->step_over = false;
	d->stop_at_insn = 0;
	d->magic_armed = false;
	d->u_next_valid = false;
	if (d->gdb && (gdb_stub_attached(d->gdb) || d->gdb_wait_first)) {
		bool wait = d->gdb_wait_first;

		d->gdb_wait_first = false;
		if (d->stop_msg[0])
			fprintf(d->out, "%s\n", d->stop_msg);
		if (!gdb_stub_stopped(d->gdb, wait))
			dbg_resume(d, false, 0);
	} else if (d->command_line) {
		if (d->stop_msg[0])
			dbg_printf(d, "%s\n", d->stop_msg);
		dbg_print_location(d, NULL);
		command_loop(d);
	} else {
		dbg_resume(d, false, 0);
	}
	d->stop_msg[0] = '\0';
	if (m->host_stop == HOST_STOP_BREAK)
		m->host_stop = 0;
	if (m->exit_kind == MACHINE_RUNNING)
		dbg_config_update(d);
	fflush(d->out);
}

/*
 * The run is over.  Under the prompt, a triple fault, or an end that
 * came with a stop pending (a catch on the exit port, a watchpoint in
 * the last instruction), stops at the prompt so the state can be looked
 * at; commands that would run the guest say it cannot run.
 */
void debugger_run_over(struct debugger *d)
{
	struct machine *m = d->m;

	if (!d->command_line || d->quit || m->host_stop == HOST_STOP_END ||
	    (!d->stop_pending && m->exit_kind != MACHINE_EXIT_TRIPLE_FAULT))
		return;
	if (d->gdb && gdb_stub_attached(d->gdb))
		return;
	d->over = true;
	if (d->stop_pending && d->stop_msg[0])
		dbg_printf(d, "%s\n", d->stop_msg);
	d->stop_pending = false;
	dbg_printf(d, "The run is over: %s\n",
		   m->exit_kind == MACHINE_EXIT_TRIPLE_FAULT ?
			   "triple fault (the CPU shut down)" :
		   m->exit_message[0] ? m->exit_message :
					"the guest ended it");
	dbg_print_location(d, NULL);
	command_loop(d);
	fflush(d->out);
}

/* --- life cycle -------------------------------------------------------------- */

int debugger_register_device(struct debugger *d, const char *name,
			     const char *summary, dbg_device_dump_fn dump,
			     void *dev)
{
	struct dbg_device *e;

	if (d->ndevices >= DBG_MAX_DEVICES || !dev)
		return -1;
	e = &d->devices[d->ndevices++];
	e->name = name;
	e->summary = summary;
	e->dump = dump;
	e->dev = dev;
	return 0;
}

struct debugger *debugger_create(struct machine *m,
				 const struct debugger_options *o)
{
	struct debugger *d = calloc(1, sizeof(*d));
	struct cpu_state s;

	if (!d) {
		fprintf(stderr, "popek: debugger: out of memory\n");
		return NULL;
	}
	d->m = m;
	d->out = stdout;
	bp_table_init(&d->bps);
	d->x_count = 1;
	d->x_unit = 'w';
	d->x_fmt = 'x';
	d->magic_break = o->magic_break;
	d->command_line = o->command_line;
	d->gdb_wait_first = o->gdb_wait;
	d->interactive = o->command_line && isatty(STDIN_FILENO);
	if (!o->command_line)
		d->stdin_done = true;
	if (d->interactive) {
		rl_readline_name = "popek";
		rl_attempted_completion_function = complete;
	}
	if (o->rc && dbg_source(d, o->rc) != 0) {
		fprintf(stderr, "popek: -rc %s: cannot read it\n", o->rc);
		free(d);
		return NULL;
	}
	if (o->gdb_port) {
		d->gdb = gdb_stub_create(d, o->gdb_port);
		if (!d->gdb) {
			debugger_destroy(d);
			return NULL;
		}
	}
	dbg_devices_register_builtin(d);
	dbg_state(d, &s);
	d->last_mode = dbg_mode_of(&s);
	/* popek debug and -S stop before the first instruction. */
	if (o->stop_at_start || o->gdb_wait)
		d->stop_pending = true;
	else
		dbg_config_update(d);
	m->debugger = d;
	return d;
}

void debugger_destroy(struct debugger *d)
{
	if (!d)
		return;
	if (d->m->debugger == d)
		d->m->debugger = NULL;
	dbg_diff_off(d);
	if (d->m->accel && d->m->accel->debug_set)
		d->m->accel->debug_set(d->m, NULL);
	d->m->io.debug_hook = NULL;
	while (d->ninputs)
		fclose(d->inputs[--d->ninputs].f);
	trace_close(d);
	if (d->gdb)
		gdb_stub_destroy(d->gdb);
	free(d->capture);
	fflush(d->out);
	free(d);
}
