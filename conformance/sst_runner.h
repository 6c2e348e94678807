/* SPDX-License-Identifier: MIT */
/*
 * Running one SingleStepTests test on popek's interpreter: one machine
 * (16 MiB of RAM, no firmware, no devices) is built once and reused; each
 * test loads its initial registers and RAM bytes, steps the CPU until the
 * HLT that ends every test has executed, and compares registers and the
 * RAM footprint with the recorded final state.
 *
 * Every interrupt vector the test does not set up points at a sentinel
 * HLT of its own (F000:vector), so an exception the 286 did not take
 * ends the test cleanly and says which vector popek delivered.
 */
#ifndef POPEK_CONFORMANCE_SST_RUNNER_H
#define POPEK_CONFORMANCE_SST_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conformance/moo.h"
#include "cpu/cpu.h"

struct machine;
struct sst_runner;

/* Steps before a test counts as a runaway (a step may be one REP pass). */
#define SST_STEP_CAP 1024

/* Sentinel handlers: vector v's IVT entry is F000:v, a HLT there. */
#define SST_SENTINEL_SEG 0xF000u
#define SST_SENTINEL_BASE 0xF0000u

#define SST_MAX_RAM_DIFFS 16

struct sst_ram_diff {
	uint32_t addr;
	uint8_t expected, got;
};

struct sst_result {
	bool pass;
	bool halted; /* ended on a HLT */
	enum cpu_stop stop;
	unsigned steps;
	char message[160]; /* why the run ended, when not on a HLT */

	uint16_t reg_diff; /* bit n: register enum moo_reg n differs */
	uint16_t expected[MOO_REG_COUNT];
	uint64_t got[MOO_REG_COUNT];
	uint16_t flags_compared; /* the flag bits compared */
	uint16_t seg_base_diff; /* bit n: segment n's base is not sel * 16 */

	unsigned ram_diff_count;
	struct sst_ram_diff ram_diff[SST_MAX_RAM_DIFFS];

	int sentinel_vector; /* popek ended in this sentinel; -1: not */
};

/* NULL with a reason in err. */
struct sst_runner *sst_runner_create(char *err, size_t errlen);
void sst_runner_destroy(struct sst_runner *r);

/*
 * Run one test.  flags_mask holds the flags the form defines.  The RAM
 * keeps the test's results until the next test, for reports.
 */
void sst_run_test(struct sst_runner *r, const struct moo_test *t,
		  uint16_t flags_mask, struct sst_result *res);

/* A RAM byte as the last test left it. */
uint8_t sst_runner_ram(const struct sst_runner *r, uint32_t addr);

/*
 * Where the exception of a test pushed FLAGS: the frame is at the final
 * SS:SP (IP, CS, FLAGS).  EXCP's own address is the word-aligned bus
 * address, a byte off when SP was odd.  False without an exception.
 */
bool sst_pushed_flags(const struct moo_test *t, uint32_t *lo, uint32_t *hi);

/* The flags value the runner loads for a test's initial flags. */
uint16_t sst_initial_flags(uint16_t flags);

#endif
