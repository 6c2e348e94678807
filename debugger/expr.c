// SPDX-License-Identifier: MIT
/*
 * A recursive-descent evaluator for the debugger's expressions (the
 * grammar is in expr.h).  All arithmetic is 64-bit unsigned; division by
 * zero and malformed input are errors, never crashes; nesting is bounded
 * so no input can exhaust the stack.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "debugger/expr.h"

#define EXPR_MAX_DEPTH 64

struct parser {
	const char *p;
	const struct expr_env *env;
	char *err;
	size_t errlen;
	bool failed;
	int depth;
};

static void fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	if (!ps->err || !ps->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
}

static void skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

/* Consume op if it comes next (and is not the start of a longer one). */
static bool take(struct parser *ps, const char *op)
{
	size_t n = strlen(op);

	skip_space(ps);
	if (strncmp(ps->p, op, n) != 0)
		return false;
	/* "<" must not eat "<<" or "<=", "&" not "&&", "|" not "||". */
	if (n == 1 && strchr("<>&|", op[0]) && ps->p[1] == op[0])
		return false;
	if (n == 1 && strchr("<>!", op[0]) && ps->p[1] == '=')
		return false;
	ps->p += n;
	return true;
}

static uint64_t parse_or(struct parser *ps);

static int digit_value(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Accumulate digits of base; false on overflow. */
static bool accumulate(const char *s, size_t n, unsigned base, uint64_t *v)
{
	uint64_t r = 0;

	for (size_t k = 0; k < n; k++) {
		int d = digit_value((unsigned char)s[k]);

		if (d < 0 || (unsigned)d >= base)
			return false;
		if (r > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		r = r * base + (uint64_t)d;
	}
	*v = r;
	return n > 0;
}

static uint64_t parse_number(struct parser *ps)
{
	const char *s = ps->p;
	size_t n = 0;
	uint64_t v = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	ps->p += n;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (accumulate(s + 2, n - 2, 16, &v))
			return v;
	} else if (n > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		if (accumulate(s + 2, n - 2, 2, &v))
			return v;
	} else if (n > 1 && (s[n - 1] == 'h' || s[n - 1] == 'H')) {
		if (accumulate(s, n - 1, 16, &v))
			return v;
	} else if (accumulate(s, n, 10, &v)) {
		return v;
	}
	fail(ps, "bad number '%.*s'", (int)n, s);
	return 0;
}

static uint64_t parse_memory(struct parser *ps, unsigned size)
{
	uint64_t addr, v = 0;

	addr = parse_or(ps);
	if (!take(ps, "]")) {
		fail(ps, "missing ']'");
		return 0;
	}
	if (ps->failed)
		return 0;
	if (!ps->env || !ps->env->mem ||
	    !ps->env->mem(ps->env->opaque, addr, size, &v))
		fail(ps, "cannot read memory at 0x%llx",
		     (unsigned long long)addr);
	return v;
}

static const struct {
	const char *name;
	unsigned size;
} mem_sizes[] = {
	{ "byte", 1 }, { "word", 2 }, { "dword", 4 }, { "qword", 8 },
};

static uint64_t parse_name(struct parser *ps)
{
	const char *s = ps->p;
	size_t n = 0;
	uint64_t v = 0;

	if (*s == '$')
		s++;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	ps->p = s + n;
	for (size_t k = 0; k < sizeof(mem_sizes) / sizeof(mem_sizes[0]); k++)
		if (strlen(mem_sizes[k].name) == n &&
		    strncasecmp(s, mem_sizes[k].name, n) == 0) {
			if (!take(ps, "[")) {
				fail(ps, "'%s' needs [address]",
				     mem_sizes[k].name);
				return 0;
			}
			return parse_memory(ps, mem_sizes[k].size);
		}
	if (ps->env && ps->env->reg && ps->env->reg(ps->env->opaque, s, n, &v))
		return v;
	/* A hexadecimal number with a trailing h starts with a letter only
	 * when written with a leading 0, so a name here is a register. */
	fail(ps, "unknown register '%.*s'", (int)n, s);
	return 0;
}

static uint64_t parse_unary(struct parser *ps)
{
	uint64_t v;

	if (ps->failed)
		return 0;
	if (++ps->depth > EXPR_MAX_DEPTH) {
		fail(ps, "expression nested too deeply");
		return 0;
	}
	skip_space(ps);
	if (take(ps, "-")) {
		v = -parse_unary(ps);
	} else if (take(ps, "+")) {
		v = parse_unary(ps);
	} else if (take(ps, "~")) {
		v = ~parse_unary(ps);
	} else if (take(ps, "!")) {
		v = !parse_unary(ps);
	} else if (take(ps, "(")) {
		v = parse_or(ps);
		if (!take(ps, ")"))
			fail(ps, "missing ')'");
	} else if (take(ps, "[")) {
		v = parse_memory(ps, 4);
	} else if (isdigit((unsigned char)*ps->p)) {
		v = parse_number(ps);
	} else if (isalpha((unsigned char)*ps->p) || *ps->p == '$' ||
		   *ps->p == '_') {
		v = parse_name(ps);
	} else {
		if (*ps->p)
			fail(ps, "unexpected '%c'", *ps->p);
		else
			fail(ps, "expression expected");
		v = 0;
	}
	ps->depth--;
	return v;
}

static uint64_t parse_mul(struct parser *ps)
{
	uint64_t v = parse_unary(ps);

	while (!ps->failed) {
		if (take(ps, "*")) {
			v *= parse_unary(ps);
		} else if (take(ps, "/") || take(ps, "%")) {
			bool div = ps->p[-1] == '/';
			uint64_t d = parse_unary(ps);

			if (!ps->failed && d == 0) {
				fail(ps, "division by zero");
				return 0;
			}
			if (!ps->failed)
				v = div ? v / d : v % d;
		} else {
			break;
		}
	}
	return v;
}

static uint64_t parse_add(struct parser *ps)
{
	uint64_t v = parse_mul(ps);

	while (!ps->failed) {
		if (take(ps, "+"))
			v += parse_mul(ps);
		else if (take(ps, "-"))
			v -= parse_mul(ps);
		else
			break;
	}
	return v;
}

static uint64_t parse_shift(struct parser *ps)
{
	uint64_t v = parse_add(ps);

	while (!ps->failed) {
		if (take(ps, "<<")) {
			uint64_t s = parse_add(ps);

			v = s >= 64 ? 0 : v << s;
		} else if (take(ps, ">>")) {
			uint64_t s = parse_add(ps);

			v = s >= 64 ? 0 : v >> s;
		} else {
			break;
		}
	}
	return v;
}

static uint64_t parse_rel(struct parser *ps)
{
	uint64_t v = parse_shift(ps);

	while (!ps->failed) {
		if (take(ps, "<="))
			v = v <= parse_shift(ps);
		else if (take(ps, ">="))
			v = v >= parse_shift(ps);
		else if (take(ps, "<"))
			v = v < parse_shift(ps);
		else if (take(ps, ">"))
			v = v > parse_shift(ps);
		else
			break;
	}
	return v;
}

static uint64_t parse_eq(struct parser *ps)
{
	uint64_t v = parse_rel(ps);

	while (!ps->failed) {
		if (take(ps, "=="))
			v = v == parse_rel(ps);
		else if (take(ps, "!="))
			v = v != parse_rel(ps);
		else
			break;
	}
	return v;
}

static uint64_t parse_band(struct parser *ps)
{
	uint64_t v = parse_eq(ps);

	while (!ps->failed && take(ps, "&"))
		v &= parse_eq(ps);
	return v;
}

static uint64_t parse_xor(struct parser *ps)
{
	uint64_t v = parse_band(ps);

	while (!ps->failed && take(ps, "^"))
		v ^= parse_band(ps);
	return v;
}

static uint64_t parse_bor(struct parser *ps)
{
	uint64_t v = parse_xor(ps);

	while (!ps->failed && take(ps, "|"))
		v |= parse_xor(ps);
	return v;
}

static uint64_t parse_and(struct parser *ps)
{
	uint64_t v = parse_bor(ps);

	while (!ps->failed && take(ps, "&&")) {
		uint64_t r = parse_bor(ps);

		v = v && r;
	}
	return v;
}

static uint64_t parse_or(struct parser *ps)
{
	uint64_t v = parse_and(ps);

	while (!ps->failed && take(ps, "||")) {
		uint64_t r = parse_and(ps);

		v = v || r;
	}
	return v;
}

int expr_eval(const char *text, const struct expr_env *env, uint64_t *value,
	      char *err, size_t errlen)
{
	struct parser ps = { .p = text, .env = env, .err = err,
			     .errlen = errlen };
	uint64_t v;

	if (err && errlen)
		err[0] = '\0';
	v = parse_or(&ps);
	skip_space(&ps);
	if (!ps.failed && *ps.p)
		fail(&ps, "unexpected '%s'", ps.p);
	if (ps.failed)
		return -1;
	*value = v;
	return 0;
}

int expr_eval_address(const char *text, const struct expr_env *env,
		      bool *has_seg, uint64_t *seg, uint64_t *off, char *err,
		      size_t errlen)
{
	const char *colon = strchr(text, ':');
	char segtext[64];
	size_t n;

	*has_seg = false;
	if (!colon)
		return expr_eval(text, env, off, err, errlen);
	n = (size_t)(colon - text);
	if (n >= sizeof(segtext)) {
		snprintf(err, errlen, "segment part too long");
		return -1;
	}
	memcpy(segtext, text, n);
	segtext[n] = '\0';
	if (expr_eval(segtext, env, seg, err, errlen) != 0 ||
	    expr_eval(colon + 1, env, off, err, errlen) != 0)
		return -1;
	if (*seg > 0xffff) {
		snprintf(err, errlen, "selector 0x%llx is over 0xffff",
			 (unsigned long long)*seg);
		return -1;
	}
	*has_seg = true;
	return 0;
}
