/* SPDX-License-Identifier: MIT */
/*
 * Expected differences: instruction forms where popek, a modern x86,
 * deliberately does not do what the 286 did.  They are listed in a
 * markdown table (tests/conformance/expected-differences.md) with the
 * reason and the SDM section; the runner checks that each listed form
 * differs in exactly the listed way, and in no other.
 *
 * Table columns: form | difference | reason | SDM section.  A form is
 * named as the test files are ("D6", "80.3"); "*" stands for every form.
 * Differences (each checked against the test, not just taken on trust):
 *   ud          popek raises #UD (vector 6) where the 286 did not
 *   ud-lock     popek raises #UD for a LOCK prefix on an instruction a
 *               modern CPU cannot lock (SDM Vol. 2A, LOCK)
 *   no-ud       the 286 raised #UD; popek took no exception
 *   ss-fault    the 286 raised #GP (13), popek #SS (12), and the
 *               instruction may access memory through SS
 *   long-insn   the 286 raised #GP (13) for an instruction longer than
 *               its 10-byte limit; popek's limit is 15
 *   ip-wrap     the closing HLT sat at offset FFFFh: the 286's 16-bit IP
 *               wrapped to 0, popek's EIP is 10000h
 *   vector N    popek delivers vector N where the 286 did something else
 *   flags MASK  only the flag bits in MASK (hex) differ
 *   fault-regs R...  the 286 raised an exception, and popek the same one
 *               with the same frame, but the registers named (ax ...
 *               flags) differ: the 286 had already updated them
 *   skip-undefined  the 286's result is undefined: the tests are skipped
 */
#ifndef POPEK_CONFORMANCE_SST_EXPECT_H
#define POPEK_CONFORMANCE_SST_EXPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conformance/moo.h"
#include "conformance/sst_meta.h"

struct sst_result;

enum sst_expect_kind {
	SST_EXPECT_VECTOR, /* "ud" is "vector 6" */
	SST_EXPECT_UD_LOCK,
	SST_EXPECT_NO_UD,
	SST_EXPECT_SS_FAULT,
	SST_EXPECT_LONG_INSN,
	SST_EXPECT_IP_WRAP,
	SST_EXPECT_FLAGS,
	SST_EXPECT_FAULT_REGS,
	SST_EXPECT_SKIP,
};

struct sst_expect_entry {
	char form[SST_FORM_NAME_LEN];
	enum sst_expect_kind kind;
	uint32_t arg; /* the vector, the flag mask or the register mask */
	char kind_text[32]; /* as written, for reports */
	unsigned line;
};

struct sst_expect {
	struct sst_expect_entry *entry;
	size_t count;
};

int sst_expect_load(struct sst_expect *e, const char *path, char *err,
		    size_t errlen);
void sst_expect_free(struct sst_expect *e);

/* Does the entry speak of this form (by its name, or as "*")? */
bool sst_expect_applies(const struct sst_expect_entry *x, const char *form);

/* Does a failed test differ in exactly the way the entry says? */
bool sst_expect_matches(const struct sst_expect_entry *x,
			const struct moo_test *t, const struct sst_result *res);

/*
 * The first entry for the form that a failed test matches, or -1: the
 * test then differs in a way nobody listed.
 */
int sst_expect_match(const struct sst_expect *e, const char *form,
		     const struct moo_test *t, const struct sst_result *res);

/* The skip-undefined entry for the form, or -1. */
int sst_expect_skip(const struct sst_expect *e, const char *form);

#endif
