// SPDX-License-Identifier: MIT
/*
 * `popek diff --replay FILE`: the recorded regression cases (format in
 * random_case.c) on the interpreter alone, so they run where /dev/kvm
 * is missing.  Each case is laid out as `--random` lays it out, run to
 * its final HLT, and the state compared with what KVM gave when it was
 * recorded.  Prints one line per case and "N passed, N failed"; an
 * "open" case that fails is XFAIL (a known interpreter bug), one that
 * passes is XPASS (the bug is fixed: mark it "fixed").
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "diff/diff.h"
#include "machine/machine.h"

#define REPLAY_LINE 8192
#define REPLAY_STEPS 100000

static int parse_case(char *line, struct random_case *c, bool *open)
{
	char *save, *tok = strtok_r(line, " \t\n", &save);

	memset(c, 0, sizeof(*c));
	tok = strtok_r(NULL, " \t\n", &save);
	if (!tok)
		return -1;
	c->mode = atoi(tok);
	c->user = strchr(tok, 'u') != NULL; /* "64u": CPL 3 */
	tok = strtok_r(NULL, " \t\n", &save);
	if (!tok)
		return -1;
	c->seed = strtoull(tok, NULL, 0);
	tok = strtok_r(NULL, " \t\n", &save);
	if (!tok)
		return -1;
	*open = strcmp(tok, "open") == 0;
	while ((tok = strtok_r(NULL, " \t\n", &save)) &&
	       c->n < RANDOM_MAX_INSNS) {
		struct random_insn *i = &c->insn[c->n++];
		size_t len = strlen(tok);

		if (len % 2 || len / 2 > sizeof(i->bytes))
			return -1;
		for (size_t k = 0; k < len / 2; k++) {
			char hex[3] = { tok[2 * k], tok[2 * k + 1], 0 };

			i->bytes[i->len++] = (uint8_t)strtoul(hex, NULL, 16);
		}
	}
	return c->mode == 16 || c->mode == 32 || c->mode == 64 ? 0 : -1;
}

/* The final state of the case on the interpreter. */
static int run_interp(const struct random_case *c, struct cpu_state *s)
{
	struct machine_options o;
	struct machine *m;

	random_machine_options(&o);
	o.engine = "interp";
	m = machine_create(&o);
	if (!m || random_case_load(m, c, NULL)) {
		machine_destroy(m);
		return -1;
	}
	m->accel->resume(m);
	/* Run up to the HLT that ends the case, as KVM was recorded there
	 * (the case's code is identity mapped). */
	for (unsigned k = 0; k < REPLAY_STEPS; k++) {
		m->accel->state_get(m, s);
		if (s->rip < m->ram_size && m->ram[s->rip] == 0xf4)
			break;
		if (m->accel->step(m) != STOP_BUDGET)
			break;
	}
	m->accel->state_get(m, s);
	machine_destroy(m);
	return 0;
}

/* Check "expect" and "mask" lines against s; the first mismatch in why. */
static bool check_expect(char *expect, char *mask, const struct cpu_state *s,
			 char *why, size_t n)
{
	struct cpu_state pair[SIDE_COUNT] = { *s, *s };
	struct diff_fields *f = malloc(sizeof(*f));
	uint64_t flag_mask = ~0ull;
	char *save, *tok;
	bool ok = true;

	if (!f)
		return false;
	diff_compare_states(pair, f);
	if (mask && strstr(mask, "rflags="))
		flag_mask = strtoull(strstr(mask, "rflags=") + 7, NULL, 16);
	strtok_r(expect, " \t\n", &save);
	while ((tok = strtok_r(NULL, " \t\n", &save)) && ok) {
		char *eq = strchr(tok, '=');
		uint64_t want, got = 0;
		bool found = false;

		if (!eq)
			continue;
		*eq = '\0';
		want = strtoull(eq + 1, NULL, 16);
		for (unsigned k = 0; k < f->count && !found; k++)
			if (strcmp(f->f[k].name, tok) == 0) {
				got = f->f[k].v[0];
				found = true;
			}
		if (strcmp(tok, "rflags") == 0)
			got &= flag_mask;
		if (!found || got != want) {
			snprintf(why, n, "%s: interpreter %" PRIx64 ", KVM %" PRIx64,
				 tok, got, want);
			ok = false;
		}
	}
	free(f);
	return ok;
}

int random_replay(const char *path, bool verbose)
{
	FILE *f = fopen(path, "r");
	char *line = malloc(REPLAY_LINE), *expect = malloc(REPLAY_LINE);
	char *mask = malloc(REPLAY_LINE);
	unsigned passed = 0, failed = 0, number = 0;

	if (!f || !line || !expect || !mask) {
		fprintf(stderr, "popek diff: --replay: cannot read '%s'\n", path);
		if (f)
			fclose(f);
		free(line);
		free(expect);
		free(mask);
		return POPEK_EXIT_BAD_INPUT;
	}
	while (fgets(line, REPLAY_LINE, f)) {
		struct random_case c;
		struct cpu_state s;
		char why[160] = "";
		bool open, ok;

		if (strncmp(line, "case ", 5) != 0)
			continue;
		number++;
		if (!fgets(expect, REPLAY_LINE, f) ||
		    strncmp(expect, "expect", 6) != 0 ||
		    !fgets(mask, REPLAY_LINE, f) || parse_case(line, &c, &open) ||
		    run_interp(&c, &s)) {
			printf("FAIL case %u: malformed or cannot run\n", number);
			failed++;
			continue;
		}
		ok = check_expect(expect, mask, &s, why, sizeof(why));
		if (ok && !open) {
			passed++;
			if (verbose)
				printf("PASS case %u (%d-bit, seed %" PRIu64 ")\n",
				       number, c.mode, c.seed);
		} else if (ok) {
			printf("XPASS case %u (%d-bit, seed %" PRIu64
			       "): passes now; mark it fixed\n",
			       number, c.mode, c.seed);
			passed++;
		} else if (open) {
			printf("XFAIL case %u (%d-bit, seed %" PRIu64
			       "): known interpreter bug: %s\n",
			       number, c.mode, c.seed, why);
		} else {
			printf("FAIL case %u (%d-bit, seed %" PRIu64 "): %s\n",
			       number, c.mode, c.seed, why);
			failed++;
		}
	}
	fclose(f);
	free(line);
	free(expect);
	free(mask);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
