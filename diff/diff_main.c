// SPDX-License-Identifier: MIT
/*
 * `popek diff`: run one guest on the interpreter and on KVM in lockstep
 * and report the first divergence; or (--random) random instruction
 * sequences on both; or (--replay) recorded cases on the interpreter
 * alone.  Exit status: 0 no divergence, 1 a divergence (reported),
 * 2 bad input, 77 skipped (KVM cannot start here).
 *
 * --chunk N compares only every N instructions; a divergence found so
 * is bisected to the single instruction by running again from the start
 * (the machines are deterministic in lockstep: one clock, fed results)
 * and comparing after every instruction from the last good comparison.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel/accel.h"
#include "diff/diff.h"
#include "machine/machine.h"

/* Every so many steps all of RAM is compared, not just written pages. */
#define DIFF_FULL_EVERY 4096
#define DIFF_DEFAULT_MAX 100000

#define DIFF_EXIT_SAME 0
#define DIFF_EXIT_DIVERGED 1
#define DIFF_EXIT_SKIPPED 77

struct diff_opts {
	struct machine_options mo;
	uint64_t max_insns, chunk;
	bool json, quiet, random, replay_given;
	struct diff_inject inject;
	struct random_run_options rnd;
	const char *replay;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: popek diff [machine options] [diff options]\n"
		"       popek diff --random SEED [--count N] [--mode 16|32|64] [--cpl 0|3] [--length N]\n"
		"       popek diff --replay FILE\n"
		"\n"
		"Runs the machine on the interpreter and on KVM in lockstep, one\n"
		"instruction at a time, compares the whole CPU state and the RAM written\n"
		"after each, and reports the first divergence.\n"
		"\n"
		"Machine options: -m MiB, -boot-sector FILE, -bios FILE, -kernel FILE,\n"
		"  -initrd FILE, -append TEXT, -fda/-hda/-hdb/-cdrom FILE, -demo,\n"
		"  -debugcon stdio|none (the interpreter's side; default none)\n"
		"Diff options:\n"
		"  --max-insns N     stop after N instructions (default %d)\n"
		"  --every N         compare every N instructions; bisect a divergence\n"
		"                    (--chunk N is the same)\n"
		"  --json            the report as one JSON object on stdout\n"
		"  --quiet           no summary line when nothing diverged\n"
		"  --inject-flag OP:FLAG\n"
		"                    (tests) flip FLAG (CF PF AF ZF SF OF) on the\n"
		"                    interpreter after every instruction with one-byte\n"
		"                    opcode OP (hex)\n"
		"  --random SEED     random instruction sequences instead of a guest\n"
		"  --count N         cases (default 100)\n"
		"  --mode 16|32|64   the mode they run in (default 32)\n"
		"  --cpl 0|3         the ring (default 0; 3 only with --mode 64)\n"
		"  --length N        instructions per case (default 16, at most %d)\n"
		"  --record FILE     append each minimised failing case to FILE\n"
		"  --replay FILE     run recorded cases on the interpreter alone\n"
		"  --verbose         say what each case did\n"
		"Exit status: 0 no divergence, 1 divergence, 2 bad input, 77 no KVM.\n"
		"Families generated: %s\n",
		DIFF_DEFAULT_MAX, RANDOM_MAX_INSNS, random_families());
}

static int bad(const char *what, const char *value)
{
	fprintf(stderr, "popek diff: %s '%s' (see popek diff --help)\n", what,
		value ? value : "");
	return -1;
}

static bool number(const char *text, uint64_t *v)
{
	char *end;

	if (!text || text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	*v = strtoull(text, &end, 0);
	return !errno && !*end;
}

static int parse_inject(const char *v, struct diff_inject *in)
{
	static const struct {
		const char *name;
		uint64_t bit;
	} flags[] = { { "CF", FLAG_CF }, { "PF", FLAG_PF }, { "AF", FLAG_AF },
		      { "ZF", FLAG_ZF }, { "SF", FLAG_SF }, { "OF", FLAG_OF } };
	char *end;
	long op = strtol(v, &end, 16);

	if (end == v || *end != ':' || op < 0 || op > 255)
		return bad("--inject-flag needs OP:FLAG, not", v);
	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
		if (strcmp(end + 1, flags[k].name) == 0) {
			in->opcode = (int)op;
			in->flag = flags[k].bit;
			return 0;
		}
	return bad("--inject-flag: unknown flag in", v);
}

/* Options with a value: the machine's (a table) and the diff's. */
static int machine_option(struct machine_options *o, const char *name,
			  const char *v)
{
	uint64_t n;

	if (strcmp(name, "m") == 0) {
		if (!number(v, &n) || n == 0 || n > MACHINE_RAM_MAX_MIB)
			return bad("-m: not a number of MiB:", v);
		o->ram_mib = n;
	} else if (strcmp(name, "boot-sector") == 0) {
		o->boot_sector = v;
	} else if (strcmp(name, "bios") == 0) {
		o->bios = v;
	} else if (strcmp(name, "kernel") == 0) {
		o->kernel = v;
	} else if (strcmp(name, "initrd") == 0) {
		o->initrd = v;
	} else if (strcmp(name, "append") == 0) {
		o->append = v;
	} else if (strcmp(name, "fda") == 0) {
		o->fda = v;
	} else if (strcmp(name, "hda") == 0) {
		o->hd[0] = v;
	} else if (strcmp(name, "hdb") == 0) {
		o->hd[1] = v;
	} else if (strcmp(name, "cdrom") == 0) {
		o->cdrom = v;
	} else if (strcmp(name, "debugcon") == 0) {
		o->debugcon.kind = strcmp(v, "stdio") == 0 ? CHARDEV_STDIO :
							     CHARDEV_NONE;
	} else {
		return 1;
	}
	return 0;
}

static int diff_option(struct diff_opts *d, const char *name, const char *v)
{
	uint64_t n;

	if (strcmp(name, "max-insns") == 0 || strcmp(name, "chunk") == 0 ||
	    strcmp(name, "count") == 0 || strcmp(name, "mode") == 0 ||
	    strcmp(name, "length") == 0 || strcmp(name, "random") == 0 ||
	    strcmp(name, "cpl") == 0 || strcmp(name, "every") == 0) {
		if (!number(v, &n))
			return bad("not a number:", v);
		if (strcmp(name, "max-insns") == 0)
			d->max_insns = n;
		else if (strcmp(name, "chunk") == 0 ||
			 strcmp(name, "every") == 0)
			d->chunk = n ? n : 1;
		else if (strcmp(name, "cpl") == 0 && n != 0 && n != 3)
			return bad("--cpl must be 0 or 3, not", v);
		else if (strcmp(name, "cpl") == 0)
			d->rnd.flags = n == 3 ? d->rnd.flags | RANDOM_USER :
						d->rnd.flags & ~RANDOM_USER;
		else if (strcmp(name, "count") == 0)
			d->rnd.count = n;
		else if (strcmp(name, "length") == 0 &&
			 (n == 0 || n > RANDOM_MAX_INSNS))
			return bad("--length out of range:", v);
		else if (strcmp(name, "length") == 0)
			d->rnd.length = (unsigned)n;
		else if (strcmp(name, "mode") == 0 && n != 16 && n != 32 &&
			 n != 64)
			return bad("--mode must be 16, 32 or 64, not", v);
		else if (strcmp(name, "mode") == 0)
			d->rnd.mode = (int)n;
		else {
			d->random = true;
			d->rnd.seed = n;
		}
		return 0;
	}
	if (strcmp(name, "inject-flag") == 0)
		return parse_inject(v, &d->inject);
	if (strcmp(name, "record") == 0) {
		d->rnd.record = v;
		return 0;
	}
	if (strcmp(name, "replay") == 0) {
		d->replay = v;
		return 0;
	}
	return machine_option(&d->mo, name, v);
}

static int parse(int argc, char **argv, struct diff_opts *d)
{
	static const char *const flags[] = { "json", "quiet", "demo",
					     "verbose", "help", "h" };

	for (int k = 0; k < argc; k++) {
		const char *a = argv[k], *name;
		bool is_flag = false;
		int r;

		if (a[0] != '-')
			return bad("unexpected argument", a);
		name = a + (a[1] == '-' ? 2 : 1);
		for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			is_flag |= strcmp(name, flags[f]) == 0;
		if (is_flag) {
			if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0) {
				usage(stdout);
				return 1;
			}
			d->json |= strcmp(name, "json") == 0;
			d->quiet |= strcmp(name, "quiet") == 0;
			d->mo.demo |= strcmp(name, "demo") == 0;
			d->rnd.verbose |= strcmp(name, "verbose") == 0;
			continue;
		}
		if (k + 1 >= argc)
			return bad("this option needs a value:", a);
		r = diff_option(d, name, argv[++k]);
		if (r > 0)
			return bad("unknown option", a);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* The pair of machines, one per engine, from the same options. */
static int make_pair(const struct diff_opts *d, struct machine *m[2])
{
	struct machine_options o = d->mo;

	o.engine = "interp";
	m[0] = machine_create(&o);
	if (!m[0])
		return -1;
	o.engine = "kvm";
	o.debugcon.kind = CHARDEV_NONE;
	o.serial.kind = CHARDEV_NONE;
	m[1] = machine_create(&o);
	if (!m[1]) {
		machine_destroy(m[0]);
		return -1;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct pass_result {
	bool diverged;
	uint64_t at; /* the count of the divergent comparison */
	uint64_t last_good; /* instructions run at the last equal one */
	uint64_t steps;
	double seconds;
};

/*
 * One lockstep run from the start: compare after every chunk-th
 * instruction from compare_from on; report a divergence when report.
 */
static int run_pass(const struct diff_opts *d, uint64_t chunk,
		    uint64_t compare_from, bool report,
		    struct pass_result *pr)
{
	struct machine *m[2];
	struct lockstep ls;
	struct diff_result *r = malloc(sizeof(*r));
	double t0;

	memset(pr, 0, sizeof(*pr));
	if (!r || make_pair(d, m)) {
		free(r);
		return -1;
	}
	if (lockstep_init(&ls, m[0], m[1])) {
		machine_destroy(m[0]);
		machine_destroy(m[1]);
		free(r);
		return -1;
	}
	ls.inject = d->inject;
	t0 = now_s();
	for (;;) {
		struct diff_step_info *info;
		bool go_on = lockstep_step(&ls, &info);
		bool last = !go_on || ls.count >= d->max_insns;

		if (ls.count >= compare_from &&
		    (ls.count % chunk == 0 || last)) {
			bool full = last || ls.count % DIFF_FULL_EVERY == 0;

			if (lockstep_compare(&ls, info, full, r)) {
				pr->diverged = true;
				pr->at = ls.count;
				break;
			}
			pr->last_good = ls.count;
		}
		if (last)
			break;
	}
	pr->steps = ls.count;
	pr->seconds = now_s() - t0;
	if (pr->diverged && report) {
		char origin[300];
		struct diff_report_ctx c = { &ls, r, origin };

		snprintf(origin, sizeof(origin), "%s",
			 d->mo.boot_sector ? d->mo.boot_sector :
			 d->mo.kernel	   ? d->mo.kernel :
			 d->mo.bios	   ? d->mo.bios :
					     "the machine");
		if (d->json)
			diff_report_json(stdout, &c);
		else
			diff_report_text(stdout, &c);
	} else if (!pr->diverged && !d->quiet) {
		printf("popek diff: %" PRIu64
		       " instructions, no divergence (compared every %" PRIu64
		       "; %" PRIu64
		       " results fed from the interpreter, %" PRIu64
		       " instructions KVM left to the interpreter; %s); %.0f steps/s\n",
		       ls.count, chunk, ls.fed, ls.kvm_interp_steps,
		       m[0]->exit_kind == MACHINE_RUNNING ? "still running" :
							    "the guest stopped",
		       pr->seconds > 0 ? (double)ls.count / pr->seconds : 0.0);
	}
	lockstep_fini(&ls);
	machine_destroy(m[0]);
	machine_destroy(m[1]);
	free(r);
	return 0;
}

static int run_guest(struct diff_opts *d)
{
	struct pass_result pr, exact;

	if (run_pass(d, d->chunk, 1, d->chunk == 1, &pr))
		return POPEK_EXIT_BAD_INPUT;
	if (!pr.diverged || d->chunk == 1)
		return pr.diverged ? DIFF_EXIT_DIVERGED : DIFF_EXIT_SAME;
	/* Bisect: from the last equal comparison, one instruction at a time. */
	if (!d->json)
		printf("popek diff: divergence within instructions %" PRIu64
		       "-%" PRIu64 " (--chunk %" PRIu64
		       "); running again to find the instruction\n",
		       pr.last_good + 1, pr.at, d->chunk);
	d->max_insns = pr.at;
	if (run_pass(d, 1, pr.last_good + 1, true, &exact))
		return POPEK_EXIT_BAD_INPUT;
	if (!exact.diverged)
		printf("popek diff: the divergence did not recur in the second run (nondeterminism)\n");
	return DIFF_EXIT_DIVERGED;
}

/* Can KVM start here?  Otherwise the diff is skipped, with why. */
static bool kvm_usable(void)
{
	struct machine_options o;
	struct machine *m;

	machine_options_init(&o);
	o.bare = true;
	o.ram_mib = 1;
	o.engine = "kvm";
	m = machine_create(&o);
	if (!m)
		return false;
	machine_destroy(m);
	return true;
}

int diff_main(int argc, char **argv)
{
	struct diff_opts d;
	int r;

	memset(&d, 0, sizeof(d));
	machine_options_init(&d.mo);
	d.mo.debugcon.kind = CHARDEV_NONE;
	d.mo.serial.kind = CHARDEV_NONE;
	d.max_insns = DIFF_DEFAULT_MAX;
	d.chunk = 1;
	d.inject.opcode = -1;
	d.rnd.count = 100;
	d.rnd.mode = 32;
	d.rnd.length = 16;
	r = parse(argc, argv, &d);
	if (r)
		return r > 0 ? 0 : POPEK_EXIT_BAD_INPUT;
	d.rnd.json = d.json;
	if (d.replay)
		return random_replay(d.replay, d.rnd.verbose);
	if (!d.random && !d.mo.boot_sector && !d.mo.bios && !d.mo.kernel &&
	    !d.mo.demo) {
		if (d.mo.fda || d.mo.hd[0] || d.mo.hd[1] || d.mo.cdrom)
			d.mo.builtin_bios = true;
		else
			d.mo.demo = true;
	}
	if (!kvm_usable()) {
		printf("popek diff: skipped: KVM cannot start here (the line above says why)\n");
		return DIFF_EXIT_SKIPPED;
	}
	if (d.random && (d.rnd.flags & RANDOM_USER) && d.rnd.mode != 64) {
		bad("--cpl 3 needs --mode 64:", "--cpl 3");
		return POPEK_EXIT_BAD_INPUT;
	}
	d.rnd.inject = d.inject;
	if (d.random)
		return random_run(&d.rnd);
	return run_guest(&d);
}
