/* SPDX-License-Identifier: MIT */
/*
 * SingleStepTests metadata.json: per instruction form, its status
 * (normal, undefined, alias, undocumented, ...) and the mask of the flags
 * it defines.  Forms are named as the files are: "00", "80.3"; a test in a
 * file named only by its opcode ("C6") belongs to form "C6.R" when the
 * metadata splits that opcode by ModRM reg field.
 */
#ifndef POPEK_CONFORMANCE_SST_META_H
#define POPEK_CONFORMANCE_SST_META_H

#include <stddef.h>
#include <stdint.h>

#include "conformance/moo.h"

struct json_value;

struct sst_meta {
	struct json_value *root;
	const struct json_value *opcodes;
};

#define SST_FORM_NAME_LEN 16

struct sst_form {
	char name[SST_FORM_NAME_LEN]; /* "C6.7" */
	char status[24]; /* from the metadata, or "unknown" */
	uint16_t flags_mask; /* defined flags; 0xFFFF when not given */
};

int sst_meta_load(struct sst_meta *m, const char *path, char *err,
		  size_t errlen);
void sst_meta_free(struct sst_meta *m);

/*
 * The form named by a test file's name: "80.3" for ".../80.3.MOO.gz".
 * Returns -1 when the name is not of that shape.
 */
int sst_form_from_path(const char *path, char *form, size_t len);

/* The form of one test from a file of form file_form. */
void sst_meta_form(const struct sst_meta *m, const char *file_form,
		   const struct moo_test *t, struct sst_form *out);

#endif
