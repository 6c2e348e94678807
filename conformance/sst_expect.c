// SPDX-License-Identifier: MIT
/* Reading expected-differences.md and checking results against it. */
#include "conformance/sst_expect.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conformance/sst_insn.h"
#include "conformance/sst_runner.h"

#define EXPECT_MAX_CELLS 8

/* Trim blanks and `backticks` around a cell, in place. */
static char *trim_cell(char *s)
{
	char *end;

	while (isspace((unsigned char)*s) || *s == '`')
		s++;
	end = s + strlen(s);
	while (end > s && (isspace((unsigned char)end[-1]) || end[-1] == '`'))
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

/* "si di cx": a mask over enum moo_reg. */
static int parse_regs(const char *text, uint32_t *mask)
{
	char buf[64], *tok, *save = NULL;
	int r;

	snprintf(buf, sizeof(buf), "%s", text);
	*mask = 0;
	for (tok = strtok_r(buf, " ,", &save); tok;
	     tok = strtok_r(NULL, " ,", &save)) {
		for (r = 0; r < MOO_REG_COUNT; r++)
			if (!strcmp(tok, moo_reg_name(r)))
				break;
		if (r == MOO_REG_COUNT)
			return -1;
		*mask |= 1u << r;
	}
	return *mask ? 0 : -1;
}

static int parse_number(const char *text, int base, unsigned long max,
			uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, base);
	if (errno || *end || end == text || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_kind(struct sst_expect_entry *x, const char *text)
{
	static const struct {
		const char *name;
		enum sst_expect_kind kind;
	} plain[] = {
		{ "ud", SST_EXPECT_VECTOR },
		{ "ud-lock", SST_EXPECT_UD_LOCK },
		{ "no-ud", SST_EXPECT_NO_UD },
		{ "ss-fault", SST_EXPECT_SS_FAULT },
		{ "long-insn", SST_EXPECT_LONG_INSN },
		{ "ip-wrap", SST_EXPECT_IP_WRAP },
		{ "skip-undefined", SST_EXPECT_SKIP },
	};
	unsigned i;

	snprintf(x->kind_text, sizeof(x->kind_text), "%s", text);
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (!strcmp(text, plain[i].name)) {
			x->kind = plain[i].kind;
			x->arg = 6; /* "ud" */
			return 0;
		}
	}
	if (!strncmp(text, "vector ", 7)) {
		x->kind = SST_EXPECT_VECTOR;
		return parse_number(text + 7, 0, 255, &x->arg);
	}
	if (!strncmp(text, "flags ", 6)) {
		x->kind = SST_EXPECT_FLAGS;
		return parse_number(text + 6, 16, 0xFFFF, &x->arg) || !x->arg ?
			       -1 :
			       0;
	}
	if (!strncmp(text, "fault-regs ", 11)) {
		x->kind = SST_EXPECT_FAULT_REGS;
		return parse_regs(text + 11, &x->arg);
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
			snprintf(
				err, errlen,
				"%s:%u: unknown difference '%s' (ud, ud-lock, "
				"no-ud, ss-fault, long-insn, ip-wrap, vector N, "
				"flags MASK, fault-regs R..., skip-undefined)",
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

/* Only the registers in mask differ; the run, RAM and the rest match. */
static bool only_registers(const struct sst_result *res, uint32_t mask)
{
	return res->halted && !res->ram_diff_count && !res->seg_base_diff &&
	       res->reg_diff && !(res->reg_diff & ~mask);
}

bool sst_expect_matches(const struct sst_expect_entry *x,
			const struct moo_test *t, const struct sst_result *res)
{
	uint16_t diff;

	switch (x->kind) {
	case SST_EXPECT_VECTOR:
		/* Where popek went instead is all that can be compared. */
		return res->halted && res->sentinel_vector == (int)x->arg;
	case SST_EXPECT_UD_LOCK:
		return sst_insn_has_lock(t) && !sst_insn_lock_allowed(t) &&
		       res->halted && res->sentinel_vector == 6;
	case SST_EXPECT_NO_UD:
		return t->has_exception && t->exception_vector == 6 &&
		       res->sentinel_vector < 0;
	case SST_EXPECT_SS_FAULT:
		return t->has_exception && t->exception_vector == 13 &&
		       res->halted && res->sentinel_vector == 12 &&
		       sst_insn_may_use_ss(t);
	case SST_EXPECT_LONG_INSN:
		/* popek runs it, wherever that leads: no HLT there maybe. */
		return t->has_exception && t->exception_vector == 13 &&
		       sst_insn_length(t) > 10 && sst_insn_length(t) <= 15;
	case SST_EXPECT_IP_WRAP:
		/* A one-byte HLT at offset FFFFh leaves EIP at 10000h. */
		return only_registers(res, 1u << MOO_IP) &&
		       res->expected[MOO_IP] == 0 &&
		       res->got[MOO_IP] == 0x10000;
	case SST_EXPECT_FLAGS:
		if (!only_registers(res, 1u << MOO_FLAGS))
			return false;
		diff = (uint16_t)((res->got[MOO_FLAGS] ^
				   res->expected[MOO_FLAGS]) &
				  res->flags_compared);
		return !(diff & ~x->arg);
	case SST_EXPECT_FAULT_REGS:
		return t->has_exception && only_registers(res, x->arg);
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
