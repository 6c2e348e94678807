/* SPDX-License-Identifier: MIT */
/*
 * A small JSON reader (RFC 8259) for test metadata: parses a whole text
 * into a tree of values.  Enough for reading, nothing for writing.
 */
#ifndef POPEK_CONFORMANCE_JSON_H
#define POPEK_CONFORMANCE_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_value {
	enum json_type type;
	char *key; /* member name, when this value sits in an object */
	double number;
	char *string; /* UTF-8, NUL-terminated (embedded NULs cut it short) */
	struct json_value *child; /* first element or member */
	struct json_value *next; /* next sibling */
};

/*
 * Parse len bytes of text.  Returns the root value, or NULL with a reason
 * and the line number in err.
 */
struct json_value *json_parse(const char *text, size_t len, char *err,
			      size_t errlen);

/* Read and parse a file; NULL with a reason in err. */
struct json_value *json_parse_file(const char *path, char *err, size_t errlen);

void json_free(struct json_value *v);

/* The member of an object called key, or NULL (also for non-objects). */
const struct json_value *json_get(const struct json_value *obj,
				  const char *key);

#endif
