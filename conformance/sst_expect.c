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
	if (!strcmp(text, "ud-lock")) {
		x->kind = SST_EXPECT_VECTOR_LOCK;
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

static bool find_exact(const struct sst_expect *e,
		       const struct sst_expect_entry *x)
{
	size_t i;

	for (i = 0; i < e->count; i++)
		if (!strcasecmp(e->entry[i].form, x->form) &&
		    !strcmp(e->entry[i].kind_text, x->kind_text))
			return true;
	return false;
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
				 "%s:%u: unknown difference '%s' (ud, ud-lock, "
				 "vector N, flags MASK, skip-undefined)",
				 path, lineno, cell[1]);
			goto fail;
		}
		if (find_exact(e, &x)) {
			snprintf(err, errlen,
				 "%s:%u: form %s is listed twice as '%s'", path,
				 lineno, x.form, x.kind_text);
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

bool sst_expect_applies(const struct sst_expect_entry *x, const char *form)
{
	return !strcmp(x->form, "*") || !strcasecmp(x->form, form);
}

/* The 286's prefixes (SDM Vol. 2A §2.1.1, less the 386's 64-67). */
static bool is_prefix(uint8_t b)
{
	return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E ||
	       b == 0xF0 || b == 0xF2 || b == 0xF3;
}

bool sst_has_lock_prefix(const struct moo_test *t)
{
	uint32_t i;

	for (i = 0; i < t->byte_count && is_prefix(t->bytes[i]); i++)
		if (t->bytes[i] == 0xF0)
			return true;
	return false;
}

/*
 * Is LOCK allowed on this instruction on a modern CPU?  Only on ADD, ADC,
 * AND, OR, SBB, SUB, XOR, XCHG, INC, DEC, NOT, NEG (of the 286's
 * instructions) with a memory destination (SDM Vol. 2A, LOCK).
 */
static bool lock_allowed(const struct moo_test *t)
{
	uint32_t i = 0;
	uint8_t op, reg;

	while (i < t->byte_count && is_prefix(t->bytes[i]))
		i++;
	if (i + 1 >= t->byte_count)
		return false;
	op = t->bytes[i];
	if ((t->bytes[i + 1] >> 6) == 3)
		return false; /* register destination */
	reg = (t->bytes[i + 1] >> 3) & 7;
	if (op < 0x40 && (op & 7) <= 1)
		return (op >> 3) != 7; /* ALU r/m, reg; CMP (38/39) is not */
	switch (op) {
	case 0x80:
	case 0x81:
	case 0x82:
	case 0x83:
		return reg != 7;
	case 0x86:
	case 0x87:
		return true;
	case 0xF6:
	case 0xF7:
		return reg == 2 || reg == 3;
	case 0xFE:
	case 0xFF:
		return reg <= 1;
	default:
		return false;
	}
}

bool sst_expect_matches(const struct sst_expect_entry *x,
			const struct moo_test *t,
			const struct sst_result *res)
{
	uint16_t diff;

	switch (x->kind) {
	case SST_EXPECT_VECTOR_LOCK:
		if (!sst_has_lock_prefix(t) || lock_allowed(t))
			return false;
		/* fall through */
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
		return false;
	}
	return false;
}

int sst_expect_match(const struct sst_expect *e, const char *form,
		     const struct moo_test *t, const struct sst_result *res)
{
	size_t i;

	for (i = 0; e && i < e->count; i++)
		if (sst_expect_applies(&e->entry[i], form) &&
		    sst_expect_matches(&e->entry[i], t, res))
			return (int)i;
	return -1;
}

int sst_expect_skip(const struct sst_expect *e, const char *form)
{
	size_t i;

	for (i = 0; e && i < e->count; i++)
		if (e->entry[i].kind == SST_EXPECT_SKIP &&
		    sst_expect_applies(&e->entry[i], form))
			return (int)i;
	return -1;
}
