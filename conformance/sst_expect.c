// SPDX-License-Identifier: MIT
/* Reading expected-differences.md and checking results against it. */
#include "conformance/sst_expect.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conformance/sst_runner.h"

#define EXPECT_MAX_CELLS 8

/* Trim blanks and `backticks` around a cell, in place. */
static char *trim_cell(char *s)
{
	char *end;

	while (isspace((unsigned char)*s) || *s == '`')
		s++;
	end = s + strlen(s);
	while (end > s &&
	       (isspace((unsigned char)end[-1]) || end[-1] == '`'))
		end--;
	*end = '\0';
	return s;
}

/* Split "| a | b |" into cells; returns how many. */
static unsigned split_row(char *line, char **cell, unsigned max)
{
	unsigned n = 0;
	char *p = strchr(line, '|') + 1;
	char *bar;

	while (n < max && (bar = strchr(p, '|'))) {
		*bar = '\0';
		cell[n++] = trim_cell(p);
		p = bar + 1;
	}
	return n;
}

static bool is_separator_row(char **cell, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!cell[i][0] || strspn(cell[i], "-: ") != strlen(cell[i]))
			return false;
	return n > 0;
}

static int parse_kind(struct sst_expect_entry *x, const char *text)
{
	char *end;
	unsigned long v;

	snprintf(x->kind_text, sizeof(x->kind_text), "%s", text);
	if (!strcmp(text, "ud")) {
		x->kind = SST_EXPECT_VECTOR;
		x->arg = 6;
		return 0;
	}
	if (!strcmp(text, "skip-undefined")) {
		x->kind = SST_EXPECT_SKIP;
		return 0;
	}
	if (!strncmp(text, "vector ", 7)) {
		x->kind = SST_EXPECT_VECTOR;
		errno = 0;
		v = strtoul(text + 7, &end, 0);
		if (errno || *end || end == text + 7 || v > 255)
			return -1;
		x->arg = (uint32_t)v;
		return 0;
	}
	if (!strncmp(text, "flags ", 6)) {
		x->kind = SST_EXPECT_FLAGS;
		errno = 0;
		v = strtoul(text + 6, &end, 16);
		if (errno || *end || end == text + 6 || !v || v > 0xFFFF)
			return -1;
		x->arg = (uint32_t)v;
		return 0;
	}
	return -1;
}

static int add_entry(struct sst_expect *e, size_t *cap,
		     const struct sst_expect_entry *x)
{
	if (e->count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *n = realloc(e->entry, ncap * sizeof(*e->entry));

		if (!n)
			return -1;
		e->entry = n;
		*cap = ncap;
	}
	e->entry[e->count++] = *x;
	return 0;
}

int sst_expect_load(struct sst_expect *e, const char *path, char *err,
		    size_t errlen)
{
	struct sst_expect_entry x;
	char line[1024];
	char *cell[EXPECT_MAX_CELLS];
	unsigned lineno = 0, n;
	bool in_table = false;
	size_t cap = 0;
	FILE *fp;

	memset(e, 0, sizeof(*e));
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *p = line;

		lineno++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '|') {
			in_table = false;
			continue;
		}
		n = split_row(p, cell, EXPECT_MAX_CELLS);
		if (!in_table) {
			/* Only a table whose first column is "form". */
			in_table = n >= 4 && !strcasecmp(cell[0], "form");
			continue;
		}
		if (is_separator_row(cell, n))
			continue;
		if (n < 4 || !cell[2][0] || !cell[3][0]) {
			snprintf(err, errlen,
				 "%s:%u: a row needs form, difference, reason "
				 "and SDM section",
				 path, lineno);
			goto fail;
		}
		memset(&x, 0, sizeof(x));
		x.line = lineno;
		if (strlen(cell[0]) >= sizeof(x.form) || !cell[0][0]) {
			snprintf(err, errlen, "%s:%u: bad form '%s'", path,
				 lineno, cell[0]);
			goto fail;
		}
		snprintf(x.form, sizeof(x.form), "%s", cell[0]);
		if (parse_kind(&x, cell[1])) {
			snprintf(err, errlen,
				 "%s:%u: unknown difference '%s' (ud, vector N,"
				 " flags MASK, skip-undefined)",
				 path, lineno, cell[1]);
			goto fail;
		}
		if (sst_expect_find(e, x.form)) {
			snprintf(err, errlen, "%s:%u: form %s listed twice",
				 path, lineno, x.form);
			goto fail;
		}
		if (add_entry(e, &cap, &x)) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	fclose(fp);
	return 0;
fail:
	fclose(fp);
	sst_expect_free(e);
	return -1;
}

void sst_expect_free(struct sst_expect *e)
{
	free(e->entry);
	memset(e, 0, sizeof(*e));
}

const struct sst_expect_entry *sst_expect_find(const struct sst_expect *e,
					       const char *form)
{
	size_t i;

	for (i = 0; e && i < e->count; i++)
		if (!strcasecmp(e->entry[i].form, form))
			return &e->entry[i];
	return NULL;
}

bool sst_expect_matches(const struct sst_expect_entry *x,
			const struct sst_result *res)
{
	uint16_t diff;

	switch (x->kind) {
	case SST_EXPECT_VECTOR:
		/* Where popek went instead is all that can be compared. */
		return res->halted && res->sentinel_vector == (int)x->arg;
	case SST_EXPECT_FLAGS:
		if (!res->halted || res->ram_diff_count || res->seg_base_diff ||
		    res->reg_diff != 1u << MOO_FLAGS)
			return false;
		diff = (uint16_t)((res->got[MOO_FLAGS] ^
				   res->expected[MOO_FLAGS]) &
				  res->flags_compared);
		return !(diff & ~x->arg);
	case SST_EXPECT_SKIP:
		return true;
	}
	return false;
}
