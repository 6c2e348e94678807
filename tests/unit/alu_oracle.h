/* SPDX-License-Identifier: MIT */
/*
 * The host-CPU oracle shared by tests/unit/test_alu_native.c: registers
 * as both sides see them, deterministic operands, the encoding of one
 * test case, the host runners (native 64-bit, and Linux's 32-bit user
 * segment for the BCD forms) and the interpreter side with its reports.
 */
#ifndef POPEK_TESTS_ALU_ORACLE_H
#define POPEK_TESTS_ALU_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu_harness.h"

#define ITERS 2000 /* random operands per main form */
#define ALT_ITERS 500 /* per alternative encoding of the same operation */
#define SHIFT_ITERS 50 /* per shift count 0..40 */
#define MAX_PRINTED 12 /* detailed reports per test */
#define MAX_PER_FORM 3 /* detailed reports per form */
#define MAX_FORM_LINES 40 /* lines of the per-form summary */

struct xregs {
	uint32_t r[8]; /* EAX ECX EDX EBX (ESP: unused) EBP ESI EDI */
	uint64_t flags;
};

_Static_assert(offsetof(struct xregs, flags) == 32,
	       "the host runners below hard-code this layout");
uint32_t size_mask(int size);
uint32_t sign_bit(int size);
uint32_t reg_get(const struct xregs *x, unsigned r, int size);
void reg_put(struct xregs *x, unsigned r, int size, uint32_t v);
struct rng {
	uint64_t s;
};

uint64_t rng_next(struct rng *g);
uint32_t rng_u32(struct rng *g);
unsigned rng_below(struct rng *g, unsigned n);
void rng_seed(struct rng *g, uint64_t seed);
#define N_EDGES 10
uint32_t edge_value(unsigned i, int size);
uint32_t rand_value(struct rng *g, int size);
uint64_t rand_flags(struct rng *g);
void rand_regs(struct rng *g, struct xregs *x);
unsigned pick_reg(struct rng *g, int size);
struct alu_case {
	char form[64];
	uint8_t code[16]; /* as the interpreter runs it, in 32-bit code */
	size_t code_len;
	uint8_t host[16]; /* as the host runs it, when it differs */
	size_t host_len; /* 0: the host runs code */
	bool compat; /* the host runs it in its 32-bit code segment */
	struct xregs in;
	uint32_t undef_flags; /* arithmetic flags left undefined */
	uint32_t reg_mask[8]; /* bits of each register to compare */
};

void case_init(struct alu_case *c, struct rng *g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void emit(struct alu_case *c, uint8_t b);
void emit_imm(struct alu_case *c, uint32_t v, int bytes);
void emit_osz(struct alu_case *c, int size);
uint8_t modrm_reg(unsigned reg, unsigned rm);
void mask_reg(struct alu_case *c, unsigned r, int size);
#define LINUX_USER32_CS 0x23
#define LINUX_USER_CS 0x33
#define STUB_SIZE 4
#define STUB_COUNT (4 + 256 + 256)
#define COMPAT_STACK_SIZE 4096
struct host {
	uint8_t *page; /* 64-bit runner */
	size_t page_size;
	bool page_rwx; /* else flip with mprotect around each write */
	size_t head_len, tail_len;

	uint8_t *low_code; /* below 4 GiB: compat runner, then the stubs */
	size_t low_code_size;
	uint8_t *low_stack;
	size_t stubs_off;
	bool compat_ok;
	char compat_why[128];
};

int host_init(struct host *h);
void host_run(struct host *h, const uint8_t *code, size_t len, struct xregs *x);
int stub_index(const uint8_t *code, size_t len);
void compat_run(struct host *h, const uint8_t *code, size_t len,
		struct xregs *x);
bool compat_probe(struct host *h);
void compat_init(struct host *h);
void host_fini(struct host *h);
#define MAX_FORMS 512
struct form_tally {
	char form[64];
	unsigned cases, failures;
};

struct alu_ctx {
	struct harness *hn;
	struct cpu_state pm32;
	struct host host;

	/* Per test. */
	struct form_tally forms[MAX_FORMS];
	unsigned nforms;
	unsigned cases, failures, printed, skipped;
};

struct form_tally *tally_for(struct alu_ctx *x, const char *form);
void ctx_begin(struct alu_ctx *x);
const char *stop_name(enum cpu_stop s);
const char *interp_run(struct alu_ctx *x, const struct alu_case *c,
		       struct xregs *out, char *why, size_t why_len);
void flags_str(char *buf, uint64_t f);
void print_regs(const char *label, const struct xregs *r);
void report(const struct alu_case *c, const struct xregs *want,
	    const struct xregs *got, const char *why, uint32_t fmask);
bool check_case(struct alu_ctx *x, const struct alu_case *c);
void ctx_end(struct alu_ctx *x, const char *test);
int group_setup(void **state);
int group_teardown(void **state);

#endif
