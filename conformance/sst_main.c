// SPDX-License-Identifier: MIT
/*
 * popek sst: run SingleStepTests 80286 files on the interpreter.
 *
 *   popek sst [-index N] [-verbose] [-all] [-j N] [-expect FILE] FILE...
 *   popek sst -check DIR [-all] [-j N] [-expect FILE]
 *
 * Prints one line per instruction form with failures and ends with
 * "N passed, N failed".  -check runs every file of DIR and fails unless
 * each failing form is listed in expected-differences.md and differs in
 * exactly the listed way, and each listed form still differs.
 */
#include "conformance/sst_main.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conformance/moo.h"
#include "conformance/sst_expect.h"
#include "conformance/sst_suite.h"

#define SST_DEFAULT_EXPECT "tests/conformance/expected-differences.md"
#define SST_MAX_JOBS 64

struct sst_args {
	const char *check_dir;
	const char *expect_path;
	int64_t index;
	bool verbose;
	bool all_forms; /* a line for every form, not just failing ones */
	unsigned jobs; /* 0: one per CPU */
	char **files;
	unsigned file_count;
};

struct sst_totals {
	uint64_t passed, failed, skipped, revoked, as_listed;
	unsigned bad_forms, errors, stale;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: popek sst [-index N] [-verbose] [-all] [-j N] [-expect FILE] "
		"FILE.MOO.gz...\n"
		"       popek sst -check DIR [-all] [-j N] [-expect FILE]\n"
		"Runs SingleStepTests 80286 (MOO) files on the interpreter.\n"
		"  -index N     run only test N of each file\n"
		"  -verbose     print each failing test's states side by side\n"
		"  -all         a line for every form, not only failing ones\n"
		"  -j N         worker processes (default: one per CPU)\n"
		"  -expect FILE expected differences (default %s)\n"
		"  -check DIR   run every *.MOO.gz of DIR; fail on any "
		"failure not listed\n",
		SST_DEFAULT_EXPECT);
}

static int parse_number(const char *opt, const char *s, long long max,
			long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 0);
	if (errno || *end || end == s || *out < 0 || *out > max) {
		fprintf(stderr,
			"popek sst: %s wants a number up to %lld, not "
			"'%s'\n",
			opt, max, s);
		return -1;
	}
	return 0;
}

static int parse_args(struct sst_args *a, int argc, char **argv)
{
	long long v;
	int i;

	memset(a, 0, sizeof(*a));
	a->index = -1;
	/* As main.c's subcommand table passes them: argv[0] is an option. */
	for (i = 0; i < argc; i++) {
		const char *o = argv[i];
		bool has_value = i + 1 < argc;

		if (o[0] != '-' || !strcmp(o, "-"))
			break;
		if (!strcmp(o, "--")) {
			i++;
			break;
		}
		if (!strcmp(o, "-verbose")) {
			a->verbose = true;
		} else if (!strcmp(o, "-all")) {
			a->all_forms = true;
		} else if (!strcmp(o, "-h") || !strcmp(o, "-help") ||
			   !strcmp(o, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!has_value) {
			fprintf(stderr,
				"popek sst: unknown option or missing "
				"value: %s\n",
				o);
			return -1;
		} else if (!strcmp(o, "-index")) {
			if (parse_number(o, argv[++i], UINT32_MAX, &v))
				return -1;
			a->index = v;
		} else if (!strcmp(o, "-j")) {
			if (parse_number(o, argv[++i], SST_MAX_JOBS, &v) || !v)
				return -1;
			a->jobs = (unsigned)v;
		} else if (!strcmp(o, "-expect")) {
			a->expect_path = argv[++i];
		} else if (!strcmp(o, "-check")) {
			a->check_dir = argv[++i];
		} else {
			fprintf(stderr, "popek sst: unknown option %s\n", o);
			return -1;
		}
	}
	a->files = argv + i;
	a->file_count = (unsigned)(argc - i);
	if (a->check_dir && (a->file_count || a->index >= 0)) {
		fprintf(stderr,
			"popek sst: -check takes a directory, no files or "
			"-index\n");
		return -1;
	}
	if (!a->check_dir && !a->file_count) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_test_file(const char *name)
{
	size_t n = strlen(name);

	return (n > 7 && !strcmp(name + n - 7, ".MOO.gz")) ||
	       (n > 4 && !strcmp(name + n - 4, ".MOO"));
}

/* The test files of a directory, sorted, as DIR/NAME. */
static char **list_dir(const char *dir, unsigned *count)
{
	struct dirent *e;
	char **v = NULL, **nv;
	size_t n = 0, cap = 0, len;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "popek sst: %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d))) {
		if (!is_test_file(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 512;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
		}
		len = strlen(dir) + strlen(e->d_name) + 2;
		v[n] = malloc(len);
		if (!v[n])
			goto oom;
		snprintf(v[n], len, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (!n) {
		fprintf(stderr, "popek sst: %s: no *.MOO.gz files\n", dir);
		free(v);
		return NULL;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*count = (unsigned)n;
	return v;
oom:
	closedir(d);
	fprintf(stderr, "popek sst: out of memory\n");
	while (n)
		free(v[--n]);
	free(v);
	return NULL;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > SST_MAX_JOBS ? SST_MAX_JOBS : (unsigned)n;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void print_diff_fields(const struct sst_form_stats *st)
{
	const char *sep = "";
	unsigned i;

	printf("  [");
	for (i = 0; i < MOO_REG_COUNT; i++) {
		if (st->reg_diff & (1u << i)) {
			printf("%s%s", sep, moo_reg_name(i));
			sep = " ";
		}
	}
	if (st->seg_base_diff) {
		printf("%sseg-base", sep);
		sep = " ";
	}
	if (st->ram_diff) {
		printf("%sram", sep);
		sep = " ";
	}
	if (st->no_halt)
		printf("%sno-HLT", sep);
	printf("]");
	for (i = 0; i < 256; i++)
		if (st->vectors[i / 8] & (1u << (i % 8)))
			printf(" popek-vector-%u", i);
}

/* One line for a form with failures; true when they are all as listed. */
static bool report_form(const char *path, const struct sst_form_stats *st,
			const struct sst_expect *expect,
			const char *expect_path)
{
	uint32_t run = st->tests - st->skipped;
	bool ok = st->expected_ok == st->failed;
	unsigned i;

	printf("%-6s %4u/%-4u failed", st->form, st->failed, run);
	if (strcmp(st->status, "normal"))
		printf(" (%s)", st->status);
	if (st->entry_count) {
		printf("  %u as listed:", st->expected_ok);
		for (i = 0; i < st->entry_count; i++)
			printf(" %s%s (%s:%u)", i ? "and " : "",
			       expect->entry[st->entry[i]].kind_text,
			       base_name(expect_path),
			       expect->entry[st->entry[i]].line);
	}
	if (ok) {
		putchar('\n');
		return true;
	}
	if (st->entry_count)
		printf(";");
	print_diff_fields(st);
	printf("  first: popek sst -verbose -index %lld %s\n",
	       (long long)st->first_unexpected, path);
	return false;
}

static void report_passing_form(const struct sst_form_stats *st)
{
	printf("%-6s %4u/%-4u passed", st->form, st->passed,
	       st->tests - st->skipped);
	if (strcmp(st->status, "normal"))
		printf(" (%s)", st->status);
	if (st->skipped)
		printf(", %u skipped", st->skipped);
	putchar('\n');
}

static void tally(struct sst_totals *tot, const struct sst_args *a,
		  const struct sst_expect *expect, char **files,
		  const struct sst_outcome *out)
{
	const char *ep = a->expect_path ? a->expect_path : SST_DEFAULT_EXPECT;
	unsigned i, j;

	for (i = 0; i < out->file_count; i++) {
		const struct sst_file_result *fr = &out->file[i];

		if (fr->error || fr->state != SST_FILE_DONE) {
			printf("%-6s error: %s: %s\n", "--", files[i],
			       fr->message[0] ? fr->message : "not run");
			tot->errors++;
		}
		for (j = 0; j < fr->form_count; j++) {
			const struct sst_form_stats *st = &fr->form[j];

			tot->passed += st->passed;
			tot->failed += st->failed;
			tot->skipped += st->skipped;
			tot->revoked += st->revoked;
			tot->as_listed += st->expected_ok;
			if (st->failed) {
				if (!report_form(files[i], st, expect, ep))
					tot->bad_forms++;
			} else if (a->all_forms) {
				report_passing_form(st);
			}
		}
	}
}

/* An entry that no test needed any more is stale: report it. */
static void check_stale(struct sst_totals *tot, const struct sst_args *a,
			const struct sst_expect *expect,
			const struct sst_outcome *out)
{
	const char *ep = a->expect_path ? a->expect_path : SST_DEFAULT_EXPECT;
	unsigned k;

	for (k = 0; k < expect->count && k < out->entry_count; k++) {
		const struct sst_expect_entry *x = &expect->entry[k];

		if (out->entry_hits[k])
			continue;
		printf("%-6s stale: %s:%u lists '%s', but no test differs "
		       "that way\n",
		       x->form, ep, x->line, x->kind_text);
		tot->stale++;
	}
}

/*
 * Two lines: how popek compares with the 286, then the `make check`
 * line.  There a test counts as passed when it matches the 286 or differs
 * exactly as expected-differences.md says; failed are the other
 * differences, plus one per stale entry and per file that did not run.
 */
static void report_totals(const struct sst_totals *tot, double seconds)
{
	uint64_t run = tot->passed + tot->failed;

	printf("vs the 286: %llu identical, %llu differ (%.2f%% identical), "
	       "%llu of them as listed; %llu skipped (%llu revoked); "
	       "%u forms with unexpected differences, %u stale entries, "
	       "%u errors; %.1f s\n",
	       (unsigned long long)tot->passed, (unsigned long long)tot->failed,
	       run ? 100.0 * (double)tot->passed / (double)run : 100.0,
	       (unsigned long long)tot->as_listed,
	       (unsigned long long)tot->skipped,
	       (unsigned long long)tot->revoked, tot->bad_forms, tot->stale,
	       tot->errors, seconds);
	printf("%llu passed, %llu failed\n",
	       (unsigned long long)(tot->passed + tot->as_listed),
	       (unsigned long long)(tot->failed - tot->as_listed + tot->stale +
				    tot->errors));
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int sst_main(int argc, char **argv)
{
	struct sst_outcome out;
	struct sst_expect expect = { 0 };
	struct sst_totals tot = { 0 };
	struct sst_suite suite;
	struct sst_args a;
	struct timespec t0;
	char err[512];
	char **files;
	unsigned n, jobs;
	bool failed;

	if (parse_args(&a, argc, argv))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* The table is required for -check, optional for single files. */
	if (a.expect_path || a.check_dir ||
	    access(SST_DEFAULT_EXPECT, R_OK) == 0) {
		const char *p = a.expect_path ? a.expect_path :
						SST_DEFAULT_EXPECT;

		if (sst_expect_load(&expect, p, err, sizeof(err))) {
			fprintf(stderr, "popek sst: %s\n", err);
			return 2;
		}
	}
	if (a.check_dir) {
		files = list_dir(a.check_dir, &n);
		if (!files) {
			sst_expect_free(&expect);
			return 2;
		}
	} else {
		files = a.files;
		n = a.file_count;
	}

	sst_suite_init(&suite);
	suite.index = a.index;
	suite.verbose = a.verbose;
	suite.expect = &expect;
	jobs = a.verbose ? 1 : a.jobs ? a.jobs : default_jobs();
	if (sst_suite_run(&suite, files, n, jobs, &out, err, sizeof(err))) {
		fprintf(stderr, "popek sst: %s\n", err);
		failed = true;
	} else {
		tally(&tot, &a, &expect, files, &out);
		if (a.check_dir)
			check_stale(&tot, &a, &expect, &out);
		report_totals(&tot, seconds_since(&t0));
		failed = tot.bad_forms || tot.stale || tot.errors;
		sst_outcome_free(&out);
	}
	sst_suite_fini(&suite);
	sst_expect_free(&expect);
	if (a.check_dir) {
		while (n)
			free(files[--n]);
		free(files);
	}
	return failed ? 1 : 0;
}
