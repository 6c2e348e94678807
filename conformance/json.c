// SPDX-License-Identifier: MIT
/*
 * Recursive-descent JSON reader.  Nesting is limited so a hostile file
 * cannot exhaust the stack; every read is bounded by the text length.
 */
#include "conformance/json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

struct json_parser {
	const char *p;
	const char *end;
	const char *start;
	char *err;
	size_t errlen;
	bool failed;
};

static void json_fail(struct json_parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void json_fail(struct json_parser *ps, const char *fmt, ...)
{
	char msg[160];
	unsigned line = 1;
	const char *q;
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	for (q = ps->start; q < ps->p && q < ps->end; q++)
		line += *q == '\n';
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->errlen)
		snprintf(ps->err, ps->errlen, "line %u: %s", line, msg);
}

static void skip_space(struct json_parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool take_word(struct json_parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return false;
	ps->p += n;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_hex4(struct json_parser *ps, uint32_t *cp)
{
	int i, d;

	if (ps->end - ps->p < 4)
		return false;
	*cp = 0;
	for (i = 0; i < 4; i++) {
		d = hex_digit(ps->p[i]);
		if (d < 0)
			return false;
		*cp = *cp << 4 | (uint32_t)d;
	}
	ps->p += 4;
	return true;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A \u escape, joining a surrogate pair; p is past the "\u". */
static bool read_unicode_escape(struct json_parser *ps, uint32_t *cp)
{
	uint32_t lo;

	if (!read_hex4(ps, cp))
		return false;
	if (*cp < 0xD800 || *cp > 0xDFFF)
		return true;
	if (*cp > 0xDBFF || !take_word(ps, "\\u") || !read_hex4(ps, &lo) ||
	    lo < 0xDC00 || lo > 0xDFFF)
		return false;
	*cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
	return true;
}

/* A string; ps->p is at the opening quote. */
static char *parse_string(struct json_parser *ps)
{
	const char *q;
	char *out, *o;
	uint32_t cp;

	/* The decoded text is never longer than the quoted one. */
	for (q = ps->p + 1; q < ps->end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	if (q >= ps->end) {
		json_fail(ps, "unterminated string");
		return NULL;
	}
	out = malloc((size_t)(q - ps->p) + 4);
	if (!out) {
		json_fail(ps, "out of memory");
		return NULL;
	}
	o = out;
	ps->p++;
	while (*ps->p != '"') {
		char c = *ps->p++;

		if ((unsigned char)c < 0x20) {
			json_fail(ps, "control character in string");
			break;
		}
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = *ps->p++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			*o++ = c;
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (!read_unicode_escape(ps, &cp)) {
				json_fail(ps, "bad \\u escape");
				break;
			}
			/* A \uXXXX (6 bytes) never yields more than 4. */
			o += put_utf8(o, cp);
			break;
		default:
			json_fail(ps, "bad escape \\%c", c);
			break;
		}
		if (ps->failed)
			break;
	}
	if (ps->failed) {
		free(out);
		return NULL;
	}
	ps->p++;
	*o = '\0';
	return out;
}

static bool parse_number(struct json_parser *ps, double *v)
{
	char buf[64];
	const char *q = ps->p;
	size_t n;
	char *endp;

	if (q < ps->end && *q == '-')
		q++;
	if (q >= ps->end || *q < '0' || *q > '9')
		return false;
	while (q < ps->end &&
	       ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' ||
		*q == 'E' || *q == '+' || *q == '-'))
		q++;
	n = (size_t)(q - ps->p);
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, ps->p, n);
	buf[n] = '\0';
	errno = 0;
	*v = strtod(buf, &endp);
	if (*endp || errno == ERANGE)
		return false;
	ps->p = q;
	return true;
}

static struct json_value *parse_value(struct json_parser *ps, int depth);

/* Elements of an array or members of an object, after the bracket. */
static bool parse_children(struct json_parser *ps, struct json_value *v,
			   int depth)
{
	bool object = v->type == JSON_OBJECT;
	char close = object ? '}' : ']';
	struct json_value **tail = &v->child;
	struct json_value *child;
	char *key = NULL;

	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		skip_space(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"') {
				json_fail(ps, "expected a member name");
				return false;
			}
			key = parse_string(ps);
			if (!key)
				return false;
			skip_space(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				json_fail(ps, "expected ':'");
				return false;
			}
			ps->p++;
		}
		child = parse_value(ps, depth + 1);
		if (!child) {
			free(key);
			return false;
		}
		child->key = key;
		key = NULL;
		*tail = child;
		tail = &child->next;
		skip_space(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return true;
		}
		json_fail(ps, "expected ',' or '%c'", close);
		return false;
	}
}

static struct json_value *parse_value(struct json_parser *ps, int depth)
{
	struct json_value *v;

	if (depth > JSON_MAX_DEPTH) {
		json_fail(ps, "nested too deeply");
		return NULL;
	}
	skip_space(ps);
	if (ps->p >= ps->end) {
		json_fail(ps, "unexpected end of text");
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		json_fail(ps, "out of memory");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
	case '[':
		v->type = *ps->p == '{' ? JSON_OBJECT : JSON_ARRAY;
		ps->p++;
		if (!parse_children(ps, v, depth))
			goto fail;
		break;
	case '"':
		v->type = JSON_STRING;
		v->string = parse_string(ps);
		if (!v->string)
			goto fail;
		break;
	default:
		if (take_word(ps, "null")) {
			v->type = JSON_NULL;
		} else if (take_word(ps, "true")) {
			v->type = JSON_TRUE;
		} else if (take_word(ps, "false")) {
			v->type = JSON_FALSE;
		} else if (parse_number(ps, &v->number)) {
			v->type = JSON_NUMBER;
		} else {
			json_fail(ps, "unexpected character '%c'", *ps->p);
			goto fail;
		}
	}
	return v;
fail:
	json_free(v);
	return NULL;
}

struct json_value *json_parse(const char *text, size_t len, char *err,
			      size_t errlen)
{
	struct json_parser ps = {
		.p = text,
		.end = text + len,
		.start = text,
		.err = err,
		.errlen = errlen,
	};
	struct json_value *root;

	root = parse_value(&ps, 0);
	if (!root)
		return NULL;
	skip_space(&ps);
	if (ps.p != ps.end) {
		json_fail(&ps, "text after the value");
		json_free(root);
		return NULL;
	}
	return root;
}

struct json_value *json_parse_file(const char *path, char *err, size_t errlen)
{
	struct json_value *root;
	FILE *fp;
	char *buf;
	long size;
	size_t got;

	fp = fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(fp, 0, SEEK_END) || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET)) {
		snprintf(err, errlen, "%s: cannot size the file", path);
		fclose(fp);
		return NULL;
	}
	buf = malloc((size_t)size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(fp);
		return NULL;
	}
	got = fread(buf, 1, (size_t)size, fp);
	fclose(fp);
	if (got != (size_t)size) {
		snprintf(err, errlen, "%s: short read", path);
		free(buf);
		return NULL;
	}
	root = json_parse(buf, got, err, errlen);
	free(buf);
	return root;
}

void json_free(struct json_value *v)
{
	struct json_value *next;

	while (v) {
		next = v->next;
		json_free(v->child);
		free(v->key);
		free(v->string);
		free(v);
		v = next;
	}
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	const struct json_value *c;

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (c = obj->child; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}
