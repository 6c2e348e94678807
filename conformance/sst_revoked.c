// SPDX-License-Identifier: MIT
/* Loading and searching the revocation list of a test set. */
#include "conformance/sst_revoked.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hash_cmp(const void *a, const void *b)
{
	return memcmp(a, b, MOO_HASH_LEN);
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 40 hex digits, nothing else but blanks around them. */
static int parse_hash_line(const char *s, uint8_t hash[MOO_HASH_LEN])
{
	unsigned i;
	int hi, lo;

	while (isspace((unsigned char)*s))
		s++;
	for (i = 0; i < MOO_HASH_LEN; i++) {
		hi = hex_value((unsigned char)s[0]);
		lo = hi < 0 ? -1 : hex_value((unsigned char)s[1]);
		if (lo < 0)
			return -1;
		hash[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	while (isspace((unsigned char)*s))
		s++;
	return *s ? -1 : 0;
}

static bool blank_or_comment(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s || *s == '#';
}

int sst_revoked_load(struct sst_revoked *r, const char *path, char *err,
		     size_t errlen)
{
	char line[256];
	unsigned lineno = 0;
	size_t cap = 0;
	FILE *fp;

	memset(r, 0, sizeof(*r));
	fp = fopen(path, "r");
	if (!fp) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (blank_or_comment(line))
			continue;
		if (r->count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *n = realloc(r->hash, ncap * sizeof(*r->hash));

			if (!n) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			r->hash = n;
			cap = ncap;
		}
		if (parse_hash_line(line, r->hash[r->count])) {
			snprintf(err, errlen, "%s:%u: not a SHA-1 hash", path,
				 lineno);
			goto fail;
		}
		r->count++;
	}
	fclose(fp);
	if (r->count)
		qsort(r->hash, r->count, sizeof(*r->hash), hash_cmp);
	return 0;
fail:
	fclose(fp);
	sst_revoked_free(r);
	return -1;
}

void sst_revoked_free(struct sst_revoked *r)
{
	free(r->hash);
	memset(r, 0, sizeof(*r));
}

bool sst_revoked_has(const struct sst_revoked *r,
		     const uint8_t hash[MOO_HASH_LEN])
{
	return r->count &&
	       bsearch(hash, r->hash, r->count, sizeof(*r->hash), hash_cmp);
}
