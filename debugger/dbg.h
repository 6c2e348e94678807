/* SPDX-License-Identifier: MIT */
/*
 * The debugger's private header: the session state every command file
 * works on, and the helpers they share (state, memory, output).
 */
#ifndef POPEK_DEBUGGER_DBG_H
#define POPEK_DEBUGGER_DBG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/state.h"
#include "debugger/breakpoints.h"
#include "debugger/debug_config.h"
#include "debugger/debugger.h"
#include "debugger/expr.h"

struct machine;
struct gdb_stub;
struct dbg_diff;

#define DBG_MAX_INPUTS 8
#define DBG_MAX_DEVICES 16
#define DBG_LINE_MAX 1024

/* A command file being read (-rc, source). */
struct dbg_input {
	FILE *f;
	char name[256];
	unsigned line;
};

struct dbg_device {
	const char *name;
	const char *summary;
	dbg_device_dump_fn dump;
	void *dev;
};

/* CPU modes, for modebp and the gdb target description. */
enum dbg_mode {
	MODE_REAL,
	MODE_V8086,
	MODE_PROT16,
	MODE_PROT32,
	MODE_COMPAT16,
	MODE_COMPAT32,
	MODE_LONG64,
};

struct dbg_env_ctx {
	struct debugger *d;
	struct cpu_state *s;
};

struct debugger {
	struct machine *m;
	struct debug_config cfg;
	struct bp_table bps;
	FILE *out;

	/* Input: a stack of command files, then stdin. */
	struct dbg_input inputs[DBG_MAX_INPUTS];
	unsigned ninputs;
	bool command_line; /* the prompt (popek debug, -debugger) */
	bool gdb_wait_first; /* -S: the first stop waits for gdb */
	bool interactive; /* readline on a terminal */
	bool stdin_done;
	char last_cmd[DBG_LINE_MAX]; /* Enter repeats it, as in Bochs */

	/* Why and where the engine stopped. */
	bool stop_pending;
	char stop_msg[512];
	bool in_prompt; /* the command loop runs */
	bool resumed; /* a command asked to run on */
	bool quit;

	/* Run control. */
	bool stepping;
	uint64_t steps_left;
	uint64_t stop_at_insn; /* sb/sba: stop when the count reaches it */
	bool skip_once; /* resuming: no breakpoint at skip_pc this once */
	uint64_t skip_pc;
	uint64_t range_lo, range_hi; /* gdb's vCont;r: step while inside */
	bool step_over; /* n: stop at step_over_pc */
	uint64_t step_over_pc;
	bool modebp;
	enum dbg_mode last_mode;
	/* gdb attached: stop when its architecture changes (gdb_target.h) */
	bool gdb_arch_watch;
	int last_arch;
	uint8_t exc_break[32]; /* vectors, a bitmap */
	unsigned exc_break_count;
	uint8_t io_break[8192]; /* ports, a bitmap */
	unsigned io_break_count;
	bool magic_break; /* -magic-break: XCHG BX,BX stops */
	bool magic_armed; /* the instruction about to run is one */

	/* Tracing (trace.c). */
	bool trace, trace_reg, trace_mem;
	FILE *trace_file; /* NULL: the terminal */

	/* The instruction about to run (before_insn). */
	uint64_t cur_pc;

	/* x / xp / u defaults for the next use. */
	unsigned x_count;
	char x_unit, x_fmt;
	uint64_t u_next;
	bool u_next_valid;

	struct dbg_device devices[DBG_MAX_DEVICES];
	unsigned ndevices;

	/* Output capture for gdb's monitor command. */
	char *capture;
	size_t capture_len, capture_cap;

	struct gdb_stub *gdb;

	/* The engine cfg was last given to (a switch gives it anew). */
	const struct accel_ops *cfg_engine;
	/* The bytes of each hw_watch range at the last look (KVM hits). */
	uint64_t hw_watch_seen[DEBUG_HW_SLOTS];
	/* The run is over (triple fault, exit with a stop pending). */
	bool over;

	/* The registers and memory an expression reads (regs.c). */
	struct dbg_env_ctx env_ctx;

	/* diff on: the lockstep check against a twin (cmd_diff.c). */
	struct dbg_diff *diff;
};

/* --- output (debugger.c) ------------------------------------------------ */
void dbg_printf(struct debugger *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dbg_vprintf(struct debugger *d, const char *fmt, va_list ap);
void dbg_error(struct debugger *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* --- state and memory (memory.c) ---------------------------------------- */
void dbg_state(struct debugger *d, struct cpu_state *s);
void dbg_state_set(struct debugger *d, const struct cpu_state *s);
int dbg_code_bits(const struct cpu_state *s);
enum dbg_mode dbg_mode_of(const struct cpu_state *s);
const char *dbg_mode_name(enum dbg_mode mode);
/* Linear address of CS:RIP. */
uint64_t dbg_pc(const struct cpu_state *s);
/* Physical reads and writes of RAM and ROM only (never MMIO). */
bool dbg_phys_read(struct debugger *d, uint64_t phys, void *buf, size_t len);
bool dbg_phys_write(struct debugger *d, uint64_t phys, const void *buf,
		    size_t len);
/* Through the page tables of s, with no side effect. */
bool dbg_lin_to_phys(struct debugger *d, const struct cpu_state *s,
		     uint64_t lin, uint64_t *phys);
bool dbg_lin_read(struct debugger *d, const struct cpu_state *s, uint64_t lin,
		  void *buf, size_t len);
bool dbg_lin_write(struct debugger *d, const struct cpu_state *s,
		   uint64_t lin, const void *buf, size_t len);
/* Linear address of seg:off as the CPU would form it (no checks). */
uint64_t dbg_seg_linear(struct debugger *d, const struct cpu_state *s,
			uint16_t sel, uint64_t off);

/* --- expressions on the machine (regs.c) --------------------------------- */
/* An environment reading registers of *s and memory through it. */
void dbg_expr_env(struct debugger *d, struct cpu_state *s,
		  struct expr_env *env);
int dbg_eval(struct debugger *d, const char *text, uint64_t *value);
/* seg:off or a linear expression, as a linear address. */
int dbg_eval_linear(struct debugger *d, const char *text, uint64_t *lin);
/* Set a register by name; 0 or -1 (unknown register). */
int dbg_reg_set(struct cpu_state *s, const char *name, uint64_t v);
bool dbg_reg_get(const struct cpu_state *s, const char *name, size_t len,
		 uint64_t *v);

/* --- commands (commands.c) ------------------------------------------------ */
enum cmd_result { CMD_STAY, CMD_RESUME };

struct dbg_cmd {
	const char *name;
	enum cmd_result (*fn)(struct debugger *d, int argc, char **argv,
			      const char *rest);
	const char *usage;
	const char *help;
};

#define CMD_ARGV_MAX 16

/* Split line into at most max words, in place; '#' starts a comment. */
int cmd_split(char *line, char **argv, int max);
/* The text after the command word, blanks skipped. */
const char *cmd_rest(const char *line);
const struct dbg_cmd *cmd_lookup(const char *name);
/* Names of every command, NULL-terminated (completion, help). */
const struct dbg_cmd *cmd_table(unsigned *count);
/* Run one command line; CMD_RESUME when the guest should run on. */
enum cmd_result cmd_execute(struct debugger *d, const char *line);
/* Parse "/nuf" of x and xp: count, unit (b h w g), format (x d u o t c s i). */
int cmd_parse_xfmt(const char *spec, unsigned *count, char *unit, char *fmt);

/* The command implementations, one family per file. */
#define DBG_CMD(name)                                                 \
	enum cmd_result name(struct debugger *d, int argc, char **argv, \
			     const char *rest)
DBG_CMD(cmd_continue);
DBG_CMD(cmd_step);
DBG_CMD(cmd_next);
DBG_CMD(cmd_quit);
DBG_CMD(cmd_engine);
DBG_CMD(cmd_diff);
/* diff on: n instructions of both machines, checked (cmd_diff.c); cont:
 * also stop at an instruction breakpoint. */
enum cmd_result dbg_diff_run(struct debugger *d, uint64_t n, bool cont);
void dbg_diff_off(struct debugger *d);
DBG_CMD(cmd_sb);
DBG_CMD(cmd_sba);
DBG_CMD(cmd_modebp);
DBG_CMD(cmd_catch);
DBG_CMD(cmd_uncatch);
DBG_CMD(cmd_source);
DBG_CMD(cmd_help);
DBG_CMD(cmd_vb);
DBG_CMD(cmd_lb);
DBG_CMD(cmd_pb);
DBG_CMD(cmd_blist);
DBG_CMD(cmd_bpd);
DBG_CMD(cmd_bpe);
DBG_CMD(cmd_del);
DBG_CMD(cmd_watch);
DBG_CMD(cmd_unwatch);
DBG_CMD(cmd_regs);
DBG_CMD(cmd_sreg);
DBG_CMD(cmd_creg);
DBG_CMD(cmd_dreg);
DBG_CMD(cmd_fp);
DBG_CMD(cmd_sse);
DBG_CMD(cmd_set);
DBG_CMD(cmd_calc);
DBG_CMD(cmd_x);
DBG_CMD(cmd_xp);
DBG_CMD(cmd_setpmem);
DBG_CMD(cmd_writemem);
DBG_CMD(cmd_loadmem);
DBG_CMD(cmd_crc);
DBG_CMD(cmd_u);
DBG_CMD(cmd_page);
DBG_CMD(cmd_info);
DBG_CMD(cmd_trace);
DBG_CMD(cmd_trace_reg);
DBG_CMD(cmd_trace_mem);

/* info subcommands (tables.c, regs.c, devices.c). */
void info_gdt(struct debugger *d, int argc, char **argv);
void info_idt(struct debugger *d, int argc, char **argv);
void info_ldt(struct debugger *d, int argc, char **argv);
void info_tss(struct debugger *d, int argc, char **argv);
void info_ivt(struct debugger *d, int argc, char **argv);
void info_tab(struct debugger *d, int argc, char **argv);
void info_eflags(struct debugger *d, int argc, char **argv);
void info_cpu(struct debugger *d, int argc, char **argv);
void info_device(struct debugger *d, int argc, char **argv);
void info_break(struct debugger *d, int argc, char **argv);
void info_engine(struct debugger *d, int argc, char **argv);
void dbg_devices_register_builtin(struct debugger *d);

/* --- run control and stops (debugger.c) ---------------------------------- */
void dbg_stop(struct debugger *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Push the tables and run state to the engine. */
void dbg_config_update(struct debugger *d);
/* Print where the CPU is: [phys] cs:rip: insn ; bytes. */
void dbg_print_location(struct debugger *d, FILE *to);
/* Read commands from a file, running them now (source). */
int dbg_source(struct debugger *d, const char *path);
/* Continue / step as gdb and the command line ask. */
void dbg_resume(struct debugger *d, bool step, uint64_t count);

/* --- tracing (trace.c) ---------------------------------------------------- */
void trace_insn(struct debugger *d, uint64_t pc);
void trace_mem(struct debugger *d, uint64_t lin, uint64_t phys,
	       unsigned size, bool write, uint64_t value);
void trace_close(struct debugger *d);

/* --- registers shown (regs.c) --------------------------------------------- */
void dbg_print_regs(struct debugger *d, FILE *to, const struct cpu_state *s);

#endif
