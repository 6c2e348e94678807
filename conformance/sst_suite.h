/* SPDX-License-Identifier: MIT */
/*
 * Running SingleStepTests files: each file's tests, grouped by
 * instruction form, with counts of what passed, failed, was skipped, or
 * differed as expected-differences.md says.  Files can be spread over
 * worker processes; a worker that crashes costs only the file it was on.
 */
#ifndef POPEK_CONFORMANCE_SST_SUITE_H
#define POPEK_CONFORMANCE_SST_SUITE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conformance/sst_expect.h"
#include "conformance/sst_meta.h"
#include "conformance/sst_revoked.h"

struct sst_runner;

struct sst_form_stats {
	char form[SST_FORM_NAME_LEN];
	char status[24];
	uint32_t tests, passed, failed, skipped, revoked;
	uint32_t expected_ok; /* failed exactly as listed */
	int16_t entry[4]; /* the expected-differences entries they matched */
	unsigned entry_count;
	int64_t first_fail; /* test index, or -1 */
	int64_t first_unexpected; /* first failure not as listed, or -1 */
	uint16_t reg_diff; /* union over the failures */
	bool ram_diff, seg_base_diff, no_halt;
	uint8_t vectors[32]; /* sentinel vectors popek delivered */
};

#define SST_FORMS_PER_FILE 10

enum sst_file_state {
	SST_FILE_PENDING,
	SST_FILE_RUNNING,
	SST_FILE_DONE,
};

struct sst_file_result {
	int state; /* enum sst_file_state */
	int worker; /* process id of the worker that took it */
	int64_t current_test; /* the test being run, for crash reports */
	bool error;
	char message[256];
	unsigned form_count;
	struct sst_form_stats form[SST_FORMS_PER_FILE];
};

struct sst_suite {
	int64_t index; /* run only this test index; -1: all */
	bool verbose;
	const struct sst_expect *expect; /* NULL: none listed */

	/* The tables beside the files of the current directory. */
	char dir[PATH_MAX];
	bool dir_loaded, have_meta;
	struct sst_meta meta;
	struct sst_revoked revoked;
	struct sst_runner *runner;
};

void sst_suite_init(struct sst_suite *s);
void sst_suite_fini(struct sst_suite *s);

/* What a run found: per file, and per expected-differences entry. */
struct sst_outcome {
	unsigned file_count;
	struct sst_file_result *file;
	unsigned entry_count;
	unsigned *entry_hits; /* tests each entry matched or skipped */
	void *shared; /* the mapping all of it lives in */
	size_t shared_size;
};

/*
 * Run files over jobs processes (1: in this one).  Returns 0, or -1 with
 * a reason; free the outcome with sst_outcome_free.
 */
int sst_suite_run(struct sst_suite *s, char **files, unsigned n, unsigned jobs,
		  struct sst_outcome *out, char *err, size_t errlen);
void sst_outcome_free(struct sst_outcome *out);

#endif
