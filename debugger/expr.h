/* SPDX-License-Identifier: MIT */
/*
 * The debugger's expressions: numbers, registers and memory, combined
 * with C's operators.  `calc`, `set`, breakpoint conditions and every
 * address argument go through here.
 */
#ifndef POPEK_DEBUGGER_EXPR_H
#define POPEK_DEBUGGER_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where names and memory come from. */
struct expr_env {
	void *opaque;
	/* The value of register name[0..len); false: no such register. */
	bool (*reg)(void *opaque, const char *name, size_t len, uint64_t *v);
	/* size bytes at linear address lin; false: cannot be read. */
	bool (*mem)(void *opaque, uint64_t lin, unsigned size, uint64_t *v);
};

/*
 * Evaluate text.  Grammar, lowest precedence first: || && | ^ & (== !=)
 * (< <= > >=) (<< >>) (+ -) (* / %), unary - ~ ! +, and primaries:
 * numbers (0x1f hexadecimal, 0b101 binary, 123 decimal, 1fh hexadecimal
 * with a trailing h), registers (eax, $eax, rip, cs, cr0, ...), memory
 * byte/word/dword/qword[expr] and [expr] (a dword), parentheses.
 * Returns 0 and the value, or -1 with a message in err.
 */
int expr_eval(const char *text, const struct expr_env *env, uint64_t *value,
	      char *err, size_t errlen);

/*
 * An address with an optional segment: "seg:off" where seg is a
 * register name or a number, or a plain expression.  has_seg tells
 * which; seg is the selector value.
 */
int expr_eval_address(const char *text, const struct expr_env *env,
		      bool *has_seg, uint64_t *seg, uint64_t *off, char *err,
		      size_t errlen);

#endif
