/* SPDX-License-Identifier: MIT */
/*
 * The revocation list of a SingleStepTests set: hashes of tests found
 * to be wrong after publication, one hex SHA-1 a line, '#' comments.
 */
#ifndef POPEK_CONFORMANCE_SST_REVOKED_H
#define POPEK_CONFORMANCE_SST_REVOKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conformance/moo.h"

struct sst_revoked {
	uint8_t (*hash)[MOO_HASH_LEN]; /* sorted */
	size_t count;
};

/* A missing file is an empty list; a malformed line is an error. */
int sst_revoked_load(struct sst_revoked *r, const char *path, char *err,
		     size_t errlen);
void sst_revoked_free(struct sst_revoked *r);
bool sst_revoked_has(const struct sst_revoked *r,
		     const uint8_t hash[MOO_HASH_LEN]);

#endif
