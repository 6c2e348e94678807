/* SPDX-License-Identifier: MIT */
/*
 * The MOO test format of SingleStepTests: little-endian chunks, each a
 * 4-byte tag, a u32 length and a payload.  A file is "MOO " + header,
 * then chunks; each TEST chunk holds one CPU test with its initial and
 * final state.  The whole file is read into memory once and the tests
 * point into that buffer, so loading a file copies nothing per test.
 */
#ifndef POPEK_CONFORMANCE_MOO_H
#define POPEK_CONFORMANCE_MOO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The registers of a REGS chunk, in the order of its bitmask. */
enum moo_reg {
	MOO_AX,
	MOO_BX,
	MOO_CX,
	MOO_DX,
	MOO_CS,
	MOO_SS,
	MOO_DS,
	MOO_ES,
	MOO_SP,
	MOO_BP,
	MOO_SI,
	MOO_DI,
	MOO_IP,
	MOO_FLAGS,
	MOO_REG_COUNT,
};

#define MOO_HASH_LEN 20 /* SHA-1 */

/* One CPU state: the registers present and the RAM bytes. */
struct moo_state {
	uint16_t reg_mask; /* bit n set: reg[n] is given */
	uint16_t reg[MOO_REG_COUNT];
	uint32_t ram_count;
	const uint8_t *ram; /* ram_count records of u32 address, u8 value */
};

struct moo_test {
	uint32_t index;
	const char *name; /* not NUL-terminated: name_len bytes */
	uint32_t name_len;
	const uint8_t *bytes; /* the instruction under test */
	uint32_t byte_count;
	struct moo_state init, fina;
	bool has_exception;
	uint8_t exception_vector;
	uint32_t exception_flags_addr; /* where the CPU pushed FLAGS */
	bool has_hash;
	uint8_t hash[MOO_HASH_LEN];
};

struct moo_file {
	uint8_t version;
	char cpu[5]; /* "C286", NUL-terminated */
	uint32_t test_count;
	struct moo_test *tests;
	uint8_t *data; /* the decompressed file; the tests point into it */
	size_t size;
};

/*
 * Read a MOO file, gzip-compressed or plain.  Returns 0, or -1 with a
 * one-line reason in err (the file is left empty then).
 */
int moo_load(struct moo_file *f, const char *path, char *err, size_t errlen);

/* Parse a MOO image already in memory; moo_free() then frees data. */
int moo_parse(struct moo_file *f, uint8_t *data, size_t size, char *err,
	      size_t errlen);

void moo_free(struct moo_file *f);

/* RAM record i of a state. */
static inline void moo_ram_entry(const struct moo_state *s, uint32_t i,
				 uint32_t *addr, uint8_t *value)
{
	const uint8_t *p = s->ram + (size_t)i * 5;

	*addr = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
	*value = p[4];
}

/* The lower-case name of a MOO register: "ax", "flags". */
const char *moo_reg_name(enum moo_reg r);

#endif
