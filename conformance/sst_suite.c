// SPDX-License-Identifier: MIT
/*
 * Running test files, one after another or over worker processes that
 * take the next file from a shared counter.  Results go to shared memory,
 * so workers need no pipes and the parent sees how far a crashed worker
 * got.
 */
#include "conformance/sst_suite.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/moo.h"
#include "conformance/sst_report.h"
#include "conformance/sst_runner.h"

/* Shared by the workers: then count file results, then entry hits. */
struct sst_shared {
	atomic_uint next_file;
	unsigned count;
	struct sst_file_result *res;
	atomic_uint *hits;
};

void sst_suite_init(struct sst_suite *s)
{
	memset(s, 0, sizeof(*s));
	s->index = -1;
}

static void drop_dir(struct sst_suite *s)
{
	if (s->have_meta)
		sst_meta_free(&s->meta);
	sst_revoked_free(&s->revoked);
	s->have_meta = false;
	s->dir_loaded = false;
}

void sst_suite_fini(struct sst_suite *s)
{
	drop_dir(s);
	sst_runner_destroy(s->runner);
	s->runner = NULL;
}

/* metadata.json and revocation_list.txt from the file's directory. */
static int load_dir(struct sst_suite *s, const char *file, char *err,
		    size_t errlen)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	const char *slash = strrchr(file, '/');
	size_t n = slash ? (size_t)(slash - file) : 1;

	if (n >= sizeof(dir)) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	if (slash)
		memcpy(dir, file, n);
	else
		dir[0] = '.';
	dir[n] = '\0';
	if (s->dir_loaded && !strcmp(dir, s->dir))
		return 0;
	drop_dir(s);

	snprintf(path, sizeof(path), "%s/metadata.json", dir);
	if (access(path, F_OK) == 0) {
		if (sst_meta_load(&s->meta, path, err, errlen))
			return -1;
		s->have_meta = true;
	}
	snprintf(path, sizeof(path), "%s/revocation_list.txt", dir);
	if (sst_revoked_load(&s->revoked, path, err, errlen))
		return -1;
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	s->dir_loaded = true;
	return 0;
}

static struct sst_form_stats *form_slot(struct sst_file_result *fr,
					const struct sst_form *form)
{
	struct sst_form_stats *st;
	unsigned i;

	for (i = 0; i < fr->form_count; i++)
		if (!strcmp(fr->form[i].form, form->name))
			return &fr->form[i];
	if (fr->form_count == SST_FORMS_PER_FILE)
		return NULL;
	st = &fr->form[fr->form_count++];
	memset(st, 0, sizeof(*st));
	snprintf(st->form, sizeof(st->form), "%s", form->name);
	snprintf(st->status, sizeof(st->status), "%s", form->status);
	st->first_fail = -1;
	st->first_unexpected = -1;
	return st;
}

static void note_entry(struct sst_form_stats *st, int k)
{
	unsigned i, j;

	for (i = 0; i < st->entry_count && st->entry[i] <= k; i++)
		if (st->entry[i] == k)
			return;
	if (st->entry_count == sizeof(st->entry) / sizeof(st->entry[0]))
		return;
	/* Keep them in table order, so reports do not depend on timing. */
	for (j = st->entry_count; j > i; j--)
		st->entry[j] = st->entry[j - 1];
	st->entry[i] = (int16_t)k;
	st->entry_count++;
}

static void count_failure(struct sst_form_stats *st, const struct moo_test *t,
			  const struct sst_result *res, int entry)
{
	st->failed++;
	if (st->first_fail < 0)
		st->first_fail = t->index;
	if (entry >= 0) {
		st->expected_ok++;
		note_entry(st, entry);
		return;
	}
	/* What the unexpected failures got wrong. */
	if (st->first_unexpected < 0)
		st->first_unexpected = t->index;
	st->reg_diff |= res->reg_diff;
	st->ram_diff |= res->ram_diff_count > 0;
	st->seg_base_diff |= res->seg_base_diff != 0;
	st->no_halt |= !res->halted;
	if (res->sentinel_vector >= 0)
		st->vectors[res->sentinel_vector / 8] |=
			(uint8_t)(1u << (res->sentinel_vector % 8));
}

static void run_one(struct sst_suite *s, const char *path,
		    struct sst_shared *sh, struct sst_file_result *fr,
		    const struct moo_test *t, const char *file_form)
{
	struct sst_form_stats *st;
	struct sst_result res;
	struct sst_form form;
	int k;

	sst_meta_form(s->have_meta ? &s->meta : NULL, file_form, t, &form);
	st = form_slot(fr, &form);
	if (!st) {
		fr->error = true;
		snprintf(fr->message, sizeof(fr->message),
			 "more than %u forms in one file", SST_FORMS_PER_FILE);
		return;
	}
	st->tests++;
	if (t->has_hash && sst_revoked_has(&s->revoked, t->hash)) {
		st->skipped++;
		st->revoked++;
		return;
	}
	k = sst_expect_skip(s->expect, form.name);
	if (k >= 0) {
		st->skipped++;
		note_entry(st, k);
		atomic_fetch_add(&sh->hits[k], 1);
		return;
	}
	fr->current_test = t->index;
	sst_run_test(s->runner, t, form.flags_mask, &res);
	if (res.pass) {
		st->passed++;
		return;
	}
	k = sst_expect_match(s->expect, form.name, t, &res);
	if (k >= 0)
		atomic_fetch_add(&sh->hits[k], 1);
	count_failure(st, t, &res, k);
	if (s->verbose) {
		sst_report_test(stdout, path, t, &form, &res, s->runner);
		if (k >= 0)
			printf("  differs as listed: %s (line %u)\n",
			       s->expect->entry[k].kind_text,
			       s->expect->entry[k].line);
		fflush(stdout);
	}
}

static int cmp_form(const void *a, const void *b)
{
	return strcmp(((const struct sst_form_stats *)a)->form,
		      ((const struct sst_form_stats *)b)->form);
}

static void run_file(struct sst_suite *s, const char *path,
		     struct sst_shared *sh, struct sst_file_result *fr)
{
	char err[256], file_form[SST_FORM_NAME_LEN];
	struct moo_file f;
	uint32_t i;

	fr->current_test = -1;
	if (sst_form_from_path(path, file_form, sizeof(file_form))) {
		fr->error = true;
		snprintf(fr->message, sizeof(fr->message),
			 "not a test file name (XX.MOO.gz or XX.R.MOO.gz)");
		return;
	}
	if (load_dir(s, path, err, sizeof(err)) ||
	    moo_load(&f, path, err, sizeof(err))) {
		fr->error = true;
		snprintf(fr->message, sizeof(fr->message), "%s", err);
		return;
	}
	if (!s->runner) {
		s->runner = sst_runner_create(err, sizeof(err));
		if (!s->runner) {
			fr->error = true;
			snprintf(fr->message, sizeof(fr->message), "%s", err);
			moo_free(&f);
			return;
		}
	}
	for (i = 0; i < f.test_count && !fr->error; i++) {
		if (s->index >= 0 && f.tests[i].index != s->index)
			continue;
		run_one(s, path, sh, fr, &f.tests[i], file_form);
	}
	fr->current_test = -1;
	qsort(fr->form, fr->form_count, sizeof(fr->form[0]), cmp_form);
	moo_free(&f);
}

/* A worker: take files from the shared counter until none are left. */
static void work(struct sst_suite *s, char **files, struct sst_shared *sh)
{
	unsigned i;

	for (;;) {
		i = atomic_fetch_add(&sh->next_file, 1);
		if (i >= sh->count)
			break;
		sh->res[i].worker = (int)getpid();
		sh->res[i].state = SST_FILE_RUNNING;
		run_file(s, files[i], sh, &sh->res[i]);
		sh->res[i].state = SST_FILE_DONE;
	}
}

/* Files a dead worker left running are reported, never run again. */
static void mark_crashed(struct sst_shared *sh, pid_t pid, int status)
{
	struct sst_file_result *fr;
	unsigned i;

	for (i = 0; i < sh->count; i++) {
		fr = &sh->res[i];
		if (fr->state != SST_FILE_RUNNING || fr->worker != (int)pid)
			continue;
		fr->state = SST_FILE_DONE;
		fr->error = true;
		if (WIFSIGNALED(status))
			snprintf(fr->message, sizeof(fr->message),
				 "worker killed by signal %d in test %lld",
				 WTERMSIG(status), (long long)fr->current_test);
		else
			snprintf(fr->message, sizeof(fr->message),
				 "worker exited with %d in test %lld",
				 WEXITSTATUS(status),
				 (long long)fr->current_test);
	}
}

/*
 * One round of workers.  Returns how many files are still pending (a
 * worker that died leaves the rest to the next round).
 */
static int run_workers(struct sst_suite *s, char **files, struct sst_shared *sh,
		       unsigned jobs, char *err, size_t errlen)
{
	unsigned started = 0, i;
	int status, pending = 0;
	pid_t pid;

	fflush(NULL);
	for (i = 0; i < jobs; i++) {
		pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			work(s, files, sh);
			fflush(NULL);
			_exit(0);
		}
		started++;
	}
	if (!started) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	while (started) {
		pid = wait(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		started--;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			mark_crashed(sh, pid, status);
	}
	/* Hand pending files out again from the first one. */
	for (i = 0; i < sh->count; i++)
		if (sh->res[i].state == SST_FILE_PENDING)
			pending++;
	if (pending) {
		for (i = 0; i < sh->count; i++)
			if (sh->res[i].state == SST_FILE_PENDING)
				break;
		atomic_store(&sh->next_file, i);
	}
	return pending;
}

int sst_suite_run(struct sst_suite *s, char **files, unsigned n, unsigned jobs,
		  struct sst_outcome *out, char *err, size_t errlen)
{
	unsigned entries = s->expect ? (unsigned)s->expect->count : 0;
	size_t res_off = (sizeof(struct sst_shared) + 63) & ~(size_t)63;
	size_t hits_off = res_off + (size_t)n * sizeof(struct sst_file_result);
	size_t size = hits_off + (entries + 1) * sizeof(atomic_uint);
	struct sst_shared *sh;
	unsigned i;
	int pending;

	memset(out, 0, sizeof(*out));
	sh = mmap(NULL, size, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return -1;
	}
	atomic_init(&sh->next_file, 0);
	sh->count = n;
	sh->res = (struct sst_file_result *)((char *)sh + res_off);
	sh->hits = (atomic_uint *)((char *)sh + hits_off);
	for (i = 0; i < entries; i++)
		atomic_init(&sh->hits[i], 0);
	out->shared = sh;
	out->shared_size = size;
	out->file_count = n;
	out->file = sh->res;
	out->entry_count = entries;
	out->entry_hits = calloc(entries + 1, sizeof(*out->entry_hits));
	if (!out->entry_hits) {
		snprintf(err, errlen, "out of memory");
		sst_outcome_free(out);
		return -1;
	}

	if (jobs > n)
		jobs = n;
	if (jobs <= 1) {
		work(s, files, sh);
	} else {
		do {
			pending = run_workers(s, files, sh, jobs, err, errlen);
			if (pending < 0) {
				sst_outcome_free(out);
				return -1;
			}
		} while (pending > 0);
	}
	for (i = 0; i < entries; i++)
		out->entry_hits[i] = atomic_load(&sh->hits[i]);
	return 0;
}

void sst_outcome_free(struct sst_outcome *out)
{
	if (out->shared)
		munmap(out->shared, out->shared_size);
	free(out->entry_hits);
	memset(out, 0, sizeof(*out));
}
