/* SPDX-License-Identifier: MIT */
/*
 * popek diff: two machines built from the same options, one on the
 * interpreter and one on KVM, advanced in lockstep one instruction at a
 * time and compared after each (../shared/DESIGN.md, "Diffing two
 * engines").  The files of diff/:
 *
 *   lockstep.c         the pair of machines, one step of both, the write
 *                      logs, the clock both share, RDTSC/CPUID feeding
 *   insn.c             just enough decoding to name an instruction
 *   undefined_flags.c  the flags the SDM leaves undefined, per opcode
 *   normalize.c        what the engines may report differently
 *   compare.c          the state and memory comparison
 *   report.c           the first divergence, as text or JSON
 *   diff_main.c        `popek diff`: options, runs, --chunk bisection
 *   random_stream.c    random instruction sequences (--random)
 *   random_case.c      running, minimising and recording cases
 *   replay.c           recorded cases on the interpreter alone
 */
#ifndef POPEK_DIFF_DIFF_H
#define POPEK_DIFF_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/state.h"
#include "debugger/debug_config.h"

struct machine;

/* Side 0 runs the interpreter, side 1 KVM. */
enum { SIDE_INTERP, SIDE_KVM, SIDE_COUNT };

/* --- insn.c: the instruction a step executes ---------------------------- */

#define DIFF_INSN_MAX 15

struct diff_insn {
	uint8_t bytes[DIFF_INSN_MAX];
	unsigned avail; /* bytes readable at CS:RIP */
	int bits; /* code size: 16, 32 or 64 */
	/* Parsed (approximately: prefixes, REX, opcode, ModRM). */
	bool opsize, rep, repne; /* 66h, F3h, F2h seen */
	bool addrsize; /* 67h seen */
	uint8_t rex; /* 0 when none */
	unsigned map; /* 0: one-byte, 1: 0F, 2: 0F 38, 3: 0F 3A */
	uint8_t opcode;
	bool has_modrm;
	uint8_t modrm;
	unsigned len_guess; /* prefixes + opcode + ModRM (no displacement) */
};

/* Read the instruction at CS:RIP of s from m's memory (no side effects). */
void diff_insn_fetch(struct machine *m, const struct cpu_state *s,
		     struct diff_insn *i);
/* Linear address of CS:RIP. */
uint64_t diff_insn_linear(const struct cpu_state *s);
/* Code size of CS in s: 16, 32 or 64. */
int diff_code_bits(const struct cpu_state *s);
/* Read guest memory at a linear address through s's paging, as the
 * debugger does; returns the bytes read. */
unsigned diff_read_linear(struct machine *m, const struct cpu_state *s,
			  uint64_t lin, uint8_t *buf, unsigned n);
/* The physical address of a linear one through s's paging; false when
 * it is not mapped. */
bool diff_linear_to_phys(struct machine *m, const struct cpu_state *s,
			 uint64_t lin, uint64_t *phys);
/* Text of the instruction, by Zydis. */
void diff_insn_text(const struct diff_insn *i, uint64_t pc, char *out,
		    size_t n);

/* Nondeterministic instructions whose results one side takes from the
 * other. */
enum diff_feed { FEED_NONE, FEED_RDTSC, FEED_RDTSCP, FEED_CPUID, FEED_RDRAND };
enum diff_feed diff_insn_feed(const struct diff_insn *i);

/* --- undefined_flags.c -------------------------------------------------- */

/*
 * RFLAGS bits the SDM leaves undefined after this instruction (Vol. 2,
 * each instruction's "Flags Affected"); 0 when all are defined.  With
 * before (the state it ran from; may be NULL) the shift counts are known
 * and the rules that depend on them apply.
 */
uint64_t diff_undefined_flags(const struct diff_insn *i,
			      const struct cpu_state *before);
/*
 * The destination is undefined for this instruction from before (SHLD/
 * SHRD of a 16-bit operand by more than 16): *reg is the register, or -1
 * for a memory destination.
 */
bool diff_insn_dest_undefined(const struct diff_insn *i,
			      const struct cpu_state *before, int *reg);
/* BSF/BSR: the destination is undefined when the source is 0. */
bool diff_insn_dest_undefined_if_zf(const struct diff_insn *i, int *reg);

/* --- compare.c ---------------------------------------------------------- */

#define DIFF_FIELD_NAME 24

/* One architectural field of both sides. */
struct diff_field {
	char name[DIFF_FIELD_NAME];
	uint64_t v[SIDE_COUNT];
	bool differs;
};

#define DIFF_MAX_FIELDS 192

struct diff_fields {
	struct diff_field f[DIFF_MAX_FIELDS];
	unsigned count;
	unsigned differing;
};

/* Every field of both (normalised) states; marks the differing ones. */
void diff_compare_states(const struct cpu_state s[SIDE_COUNT],
			 struct diff_fields *out);

/* Differing bytes of RAM. */
#define DIFF_MAX_MEM 64

struct diff_mem {
	uint64_t addr; /* physical */
	uint8_t v[SIDE_COUNT];
};

struct diff_mems {
	struct diff_mem b[DIFF_MAX_MEM];
	unsigned count; /* recorded */
	uint64_t total; /* differing bytes in all */
};

/*
 * Compare the pages set in dirty (one bit per page; NULL: all of RAM)
 * of the two machines' RAM; returns the number of differing bytes.
 */
uint64_t diff_compare_ram(struct machine *const m[SIDE_COUNT],
			  const uint64_t *dirty, struct diff_mems *out);

/* --- normalize.c -------------------------------------------------------- */

/*
 * Make the two states comparable: undefined flags and fields the
 * engines may report differently (accessed bits, unusable segments,
 * the TSC, x87 FIP/FDP on AMD hosts) are made equal (to side 0's).
 */
/*
 * Known differences of a host's KVM, masked only on that host
 * (docs/diff.md lists them with the evidence).
 */
#define DIFF_QUIRK_PVM_AAD 0x1u /* kvm_pvm: AAD's SF and ZF from AX */
/* AMD processors: a failed CMPXCHG r32 keeps the destination's upper
 * half (the interpreter, like the SDM, writes the destination back). */
#define DIFF_QUIRK_AMD_CMPXCHG 0x2u

/* The quirks of this host (its KVM and its processor). */
unsigned diff_host_quirks(void);
/* RFLAGS bits a host's known KVM bug leaves wrong after i. */
uint64_t diff_quirk_flags(const struct diff_insn *i, unsigned quirks);
/* Registers a host's quirk leaves different after i, made equal in b
 * (KVM's) from a (the interpreter's); true when b changed. */
bool diff_quirk_regs(const struct diff_insn *i, const struct cpu_state *a,
		     struct cpu_state *b, unsigned quirks);

void diff_normalize(struct cpu_state s[SIDE_COUNT],
		    const struct diff_insn *i, const struct cpu_state *before,
		    unsigned quirks);

/* --- lockstep.c --------------------------------------------------------- */

#define DIFF_HISTORY 8
#define DIFF_MAX_VECTORS 4

/* What one step did, for the report. */
struct diff_step_info {
	uint64_t count; /* instructions before this step */
	struct cpu_state before; /* side 0 */
	struct diff_insn insn;
	uint64_t linear;
	int vectors[SIDE_COUNT][DIFF_MAX_VECTORS]; /* events delivered */
	unsigned nvectors[SIDE_COUNT];
	int stop[SIDE_COUNT]; /* enum stop_reason */
	enum diff_feed fed;
	/* The last data store of each side's CPU in this step. */
	uint64_t store_phys[SIDE_COUNT];
	unsigned store_size[SIDE_COUNT];
};

/* A deliberate bug for tests: flip flag after every instruction whose
 * one-byte opcode is opcode (-1: none), on the interpreter's side. */
struct diff_inject {
	int opcode;
	uint64_t flag;
};

struct diff_side {
	struct machine *m;
	struct debug_config watch; /* the interpreter's stores */
	uint64_t *dirty; /* pages written since the last comparison */
	uint64_t pages;
	struct diff_step_info *cur; /* where events of this step go */
	int side;
};

struct lockstep {
	struct diff_side side[SIDE_COUNT];
	uint64_t count; /* instructions both sides have run */
	struct diff_step_info history[DIFF_HISTORY];
	unsigned hist_len, hist_next;
	struct diff_inject inject;
	uint64_t fed; /* results fed from side 0 to side 1 */
	uint64_t synced; /* undefined results made equal */
	uint64_t rep_iterations; /* REP iterations one side ran alone */
	uint64_t event_extra_steps; /* handler instructions stepped after
				     * an event (see finish_event) */
	uint64_t frame_tf; /* KVM's TF cleared in pushed EFLAGS images */
	uint64_t user_traps; /* KVM's own #DB undone (undo_user_step_trap) */
	uint64_t no_exit_steps; /* instructions KVM ran with an IRET or
				 * SWAPGS (finish_no_step_exit) */
	uint64_t kvm_interp_steps; /* instructions KVM left to the interpreter */
	bool dirty_log_ok;
	bool kvm_pvm; /* the host's KVM is kvm_pvm (../shared/kvm-host.md) */
	unsigned quirks; /* DIFF_QUIRK_* masked on this host */
};

/*
 * Take two machines (m[0] on the interpreter, m[1] on KVM) in the same
 * state; the pair takes over the debug hooks of both CPUs.  0, or -1.
 */
int lockstep_init(struct lockstep *ls, struct machine *m0, struct machine *m1);
void lockstep_fini(struct lockstep *ls);
/* The machines' RAM was set from outside: forget the write logs. */
void lockstep_reset_logs(struct lockstep *ls);
/* One instruction on both; info describes it.  Returns false when either
 * machine stopped for good (exit, shutdown, both halted for ever). */
bool lockstep_step(struct lockstep *ls, struct diff_step_info **info);
/* The most recent steps, oldest first; returns how many. */
unsigned lockstep_history(const struct lockstep *ls,
			  const struct diff_step_info **out, unsigned max);

/* The result of comparing after a step. */
struct diff_result {
	bool diverged;
	uint64_t count; /* the instruction count of the divergent step */
	const struct diff_step_info *step;
	struct cpu_state state[SIDE_COUNT]; /* as read, not normalised */
	struct diff_fields fields;
	struct diff_mems mem;
	const char *klass; /* "flags", "result", "exception", ... */
	char klass_detail[160];
	int exit_kind[SIDE_COUNT];
	int exit_status[SIDE_COUNT];
};

/* Compare both sides now (full: all of RAM, not only written pages). */
bool lockstep_compare(struct lockstep *ls, const struct diff_step_info *step,
		      bool full, struct diff_result *r);

/* --- report.c ----------------------------------------------------------- */

struct diff_report_ctx {
	const struct lockstep *ls;
	const struct diff_result *r;
	const char *origin; /* "guest FILE", "random seed N case K" */
};

void diff_report_text(FILE *f, const struct diff_report_ctx *c);
void diff_report_json(FILE *f, const struct diff_report_ctx *c);
/* The guessed class of a divergence, set in r->klass. */
void diff_classify(struct machine *m, struct diff_result *r);

/* --- diff_main.c -------------------------------------------------------- */

int diff_main(int argc, char **argv);

/* --- random_stream.c ---------------------------------------------------- */

#define RANDOM_MAX_INSNS 64
#define RANDOM_CODE_MAX 1024

struct random_insn {
	uint8_t bytes[DIFF_INSN_MAX + 8];
	uint8_t len;
	const char *family;
};

struct random_case {
	int mode; /* 16, 32 or 64 */
	bool user; /* 64-bit at CPL 3 */
	uint64_t seed; /* the initial registers and memory come from it */
	struct random_insn insn[RANDOM_MAX_INSNS];
	unsigned n;
};

/* Leave SSE floating point out (MXCSR-dependent results). */
#define RANDOM_NO_SIMD_FP 0x1u
/* 64-bit cases at CPL 3 (on kvm_pvm: native, the processor itself). */
#define RANDOM_USER 0x2u

/* n instructions chosen from seed (deterministic). */
void random_case_generate(struct random_case *c, int mode, uint64_t seed,
			  unsigned n, unsigned flags);
/*
 * Lay the case out in m's RAM (all of it is written) and CPU state
 * (tables, code, data), starting from base (the machine's state when it
 * was new) or, with NULL, from its current state.
 */
int random_case_load(struct machine *m, const struct random_case *c,
		     const struct cpu_state *base);
/* The bare machine options the cases run on. */
void random_machine_options(void *machine_options);
/* Families of the generator, for --help. */
const char *random_families(void);

/* --- random_case.c ------------------------------------------------------ */

struct random_run_options {
	uint64_t seed, count;
	int mode;
	unsigned flags; /* RANDOM_* */
	unsigned length; /* instructions per case */
	bool json;
	const char *record; /* append minimised failing cases here */
	struct diff_inject inject; /* --inject-flag (tests) */
	bool verbose;
};

int random_run(const struct random_run_options *o);
/* Replay a file of recorded cases on the interpreter alone. */
int random_replay(const char *path, bool verbose);

#endif
