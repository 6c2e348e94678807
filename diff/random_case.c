// SPDX-License-Identifier: MIT
/*
 * Random cases on both engines (`popek diff --random`): each case runs
 * in lockstep on two bare machines (RAM and CPU only) until both halt;
 * a divergent case is minimised (instructions dropped one at a time for
 * as long as the case still diverges) and reported, and with --record
 * appended to a file of regression cases with KVM's final state.
 * `popek diff --replay FILE` runs such a file on the interpreter alone
 * (no KVM needed) and checks the recorded state.
 *
 * File format, one line each:
 *   case MODE SEED open|fixed HEX HEX ...   (one HEX per instruction;
 *                                            MODE 64u: 64-bit at CPL 3)
 *   expect FIELD=HEX ...                      (KVM's final state)
 *   mask rflags=HEX                           (flags compared)
 * "open": the interpreter still fails it (counted XFAIL, and XPASS once
 * it passes, so the mark is removed when the bug is fixed).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel/accel.h"
#include "diff/diff.h"
#include "machine/machine.h"

struct case_pair {
	struct machine *m[SIDE_COUNT];
	struct lockstep ls;
	struct diff_result r;
	uint64_t steps;
	struct cpu_state base[SIDE_COUNT]; /* each machine when new */
};

static int pair_open(struct case_pair *p)
{
	struct machine_options o;

	random_machine_options(&o);
	o.engine = "interp";
	p->m[0] = machine_create(&o);
	o.engine = "kvm";
	p->m[1] = p->m[0] ? machine_create(&o) : NULL;
	if (!p->m[1] || lockstep_init(&p->ls, p->m[0], p->m[1])) {
		machine_destroy(p->m[0]);
		machine_destroy(p->m[1]);
		p->m[0] = p->m[1] = NULL;
		return -1;
	}
	for (int side = 0; side < SIDE_COUNT; side++)
		p->m[side]->accel->state_get(p->m[side], &p->base[side]);
	return 0;
}

static void pair_close(struct case_pair *p)
{
	if (p->m[0] && p->m[1])
		lockstep_fini(&p->ls);
	machine_destroy(p->m[0]);
	machine_destroy(p->m[1]);
	p->m[0] = p->m[1] = NULL;
}

/* Run one case in lockstep; true when it diverged (p->r says how). */
static bool run_case(struct case_pair *p, const struct random_case *c)
{
	unsigned limit = c->n * 8 + 16;

	/*
	 * The machines are reused: every byte of RAM and every field of
	 * the CPU state is set again (random_case_load), the engines are
	 * told RAM changed, and the lockstep's own counts start over.
	 */
	for (int side = 0; side < SIDE_COUNT; side++) {
		p->m[side]->exit_kind = MACHINE_RUNNING;
		p->m[side]->exit_status = 0;
		if (random_case_load(p->m[side], c, &p->base[side]))
			return false;
		p->m[side]->accel->resume(p->m[side]);
	}
	lockstep_reset_logs(&p->ls);
	p->ls.count = 0;
	p->ls.hist_len = p->ls.hist_next = 0;
	for (unsigned k = 0; k < limit; k++) {
		struct diff_step_info *info;
		bool go_on = lockstep_step(&p->ls, &info);

		p->steps++;
		if (lockstep_compare(&p->ls, info, !go_on, &p->r))
			return true;
		if (!go_on)
			break;
	}
	return false;
}

/* Drop instructions while the case still diverges. */
static void minimise(struct case_pair *p, struct random_case *c)
{
	for (unsigned k = 0; k < c->n && c->n > 1;) {
		struct random_case t = *c;

		memmove(&t.insn[k], &t.insn[k + 1],
			(t.n - k - 1) * sizeof(t.insn[0]));
		t.n--;
		if (run_case(p, &t))
			*c = t;
		else
			k++;
	}
	run_case(p, c); /* leave p->r describing the minimal case */
}

static void print_case(FILE *f, const struct random_case *c)
{
	for (unsigned k = 0; k < c->n; k++) {
		struct diff_insn i;
		char text[128];

		memset(&i, 0, sizeof(i));
		memcpy(i.bytes, c->insn[k].bytes, c->insn[k].len);
		i.avail = c->insn[k].len;
		i.bits = c->mode;
		diff_insn_text(&i, 0, text, sizeof(text));
		fprintf(f, "    ");
		for (unsigned b = 0; b < c->insn[k].len; b++)
			fprintf(f, "%02x", c->insn[k].bytes[b]);
		fprintf(f, "%*s %s\n", (int)(24 - 2 * c->insn[k].len), "",
			text);
	}
}

/* The fields a regression case checks: the registers a random case
 * can change. */
static const char *const checked[] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9",
	"r10", "r11", "r12", "r13", "r14", "r15", "rip", "fsw", "ftw",
	"st0.mant", "st0.exp", "st1.mant", "st1.exp", "mxcsr", "xmm0.lo",
	"xmm0.hi", "xmm1.lo", "xmm1.hi", "xmm2.lo", "xmm2.hi", "xmm3.lo",
	"xmm3.hi", "xmm4.lo", "xmm4.hi", "xmm5.lo", "xmm5.hi", "xmm6.lo",
	"xmm6.hi", "xmm7.lo", "xmm7.hi",
};

static void record_case(const char *path, const struct case_pair *p,
			const struct random_case *c)
{
	FILE *f = fopen(path, "a");
	const struct diff_step_info *s = p->r.step;
	uint64_t mask = ~(FLAG_RF |
			  (s ? diff_undefined_flags(&s->insn, &s->before) : 0));

	if (!f) {
		fprintf(stderr, "popek diff: cannot append to %s\n", path);
		return;
	}
	fprintf(f, "case %d%s %" PRIu64 " open", c->mode, c->user ? "u" : "",
		c->seed);
	for (unsigned k = 0; k < c->n; k++) {
		fputc(' ', f);
		for (unsigned b = 0; b < c->insn[k].len; b++)
			fprintf(f, "%02x", c->insn[k].bytes[b]);
	}
	fprintf(f, "\nexpect");
	for (unsigned k = 0; k < p->r.fields.count; k++)
		for (size_t n = 0; n < sizeof(checked) / sizeof(checked[0]); n++)
			if (strcmp(p->r.fields.f[k].name, checked[n]) == 0)
				fprintf(f, " %s=%" PRIx64, checked[n],
					p->r.fields.f[k].v[SIDE_KVM]);
	fprintf(f, " rflags=%" PRIx64 "\nmask rflags=%" PRIx64 "\n",
		p->r.state[SIDE_KVM].rflags & mask, mask);
	fclose(f);
}

int random_run(const struct random_run_options *o)
{
	struct case_pair *p = calloc(1, sizeof(*p));
	uint64_t divergent = 0, insns = 0;
	struct timespec t0, t1;
	double secs;

	if (!p || pair_open(p)) {
		free(p);
		return POPEK_EXIT_ERROR;
	}
	p->ls.inject = o->inject;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t k = 0; k < o->count; k++) {
		struct random_case c;
		char origin[128];
		struct diff_report_ctx ctx = { &p->ls, &p->r, origin };

		random_case_generate(&c, o->mode, o->seed * 1000003u + k,
				     o->length, o->flags);
		insns += c.n;
		if (!run_case(p, &c)) {
			if (o->verbose)
				printf("case %" PRIu64 ": %u instructions, %" PRIu64
				       " steps, same\n",
				       k, c.n, p->ls.count);
			continue;
		}
		divergent++;
		if (o->verbose) {
			snprintf(origin, sizeof(origin),
				 "random case %" PRIu64 " before minimising", k);
			diff_report_text(stdout, &ctx);
		}
		minimise(p, &c);
		snprintf(origin, sizeof(origin),
			 "random case %" PRIu64 " (--mode %d%s, case seed %" PRIu64
			 ", minimised to %u instructions)",
			 k, o->mode, c.user ? " --cpl 3" : "", c.seed, c.n);
		if (o->json) {
			diff_report_json(stdout, &ctx);
		} else {
			diff_report_text(stdout, &ctx);
			printf("  minimised case (%d-bit):\n", o->mode);
			print_case(stdout, &c);
		}
		if (o->record)
			record_case(o->record, p, &c);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* stdout is the same for the same seed, byte for byte; the time
	 * goes to stderr. */
	if (!o->json)
		printf("popek diff --random %" PRIu64 " --mode %d%s: %" PRIu64
		       " cases, %" PRIu64 " instructions, %" PRIu64
		       " divergent; %" PRIu64 " lockstep steps\n",
		       o->seed, o->mode,
		       (o->flags & RANDOM_USER) ? " --cpl 3" : "", o->count,
		       insns, divergent, p->steps);
	fprintf(stderr,
		"popek diff --random: %" PRIu64 " steps in %.2f s (%.0f steps/s)\n",
		p->steps, secs, secs > 0 ? (double)p->steps / secs : 0.0);
	pair_close(p);
	free(p);
	return divergent ? 1 : 0;
}
