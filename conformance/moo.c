// SPDX-License-Identifier: MIT
/*
 * MOO loader: reads a SingleStepTests file through zlib and indexes its
 * TEST chunks.  Every length in the file is checked against the bytes
 * that are really there, so a truncated or corrupt file gives one error
 * line, never a read out of bounds.
 */
#include "conformance/moo.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A bounded view of bytes being parsed. */
struct moo_cursor {
	const uint8_t *p;
	const uint8_t *end;
};

/* One chunk: tag, and its payload as a cursor. */
struct moo_chunk {
	char tag[5];
	struct moo_cursor body;
};

static const char *const moo_reg_names[MOO_REG_COUNT] = {
	"ax", "bx", "cx", "dx", "cs", "ss", "ds",
	"es", "sp", "bp", "si", "di", "ip", "flags",
};

const char *moo_reg_name(enum moo_reg r)
{
	return (unsigned)r < MOO_REG_COUNT ? moo_reg_names[r] : "?";
}

static int moo_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int moo_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static size_t cursor_left(const struct moo_cursor *c)
{
	return (size_t)(c->end - c->p);
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static bool cursor_u32(struct moo_cursor *c, uint32_t *v)
{
	if (cursor_left(c) < 4)
		return false;
	*v = get_u32(c->p);
	c->p += 4;
	return true;
}

/* Take the next chunk; false at the end or when it does not fit. */
static bool cursor_chunk(struct moo_cursor *c, struct moo_chunk *ch,
			 bool *truncated)
{
	uint32_t len;

	*truncated = false;
	if (cursor_left(c) == 0)
		return false;
	if (cursor_left(c) < 8) {
		*truncated = true;
		return false;
	}
	memcpy(ch->tag, c->p, 4);
	ch->tag[4] = '\0';
	len = get_u32(c->p + 4);
	if (cursor_left(c) - 8 < len) {
		*truncated = true;
		return false;
	}
	ch->body.p = c->p + 8;
	ch->body.end = ch->body.p + len;
	c->p = ch->body.end;
	return true;
}

/* REGS: u16 bitmask, then one u16 per set bit in register order. */
static int parse_regs(struct moo_state *s, struct moo_cursor body)
{
	uint16_t mask;
	unsigned i;

	if (cursor_left(&body) < 2)
		return -1;
	mask = get_u16(body.p);
	body.p += 2;
	if (mask >> MOO_REG_COUNT)
		return -1;
	s->reg_mask = mask;
	for (i = 0; i < MOO_REG_COUNT; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (cursor_left(&body) < 2)
			return -1;
		s->reg[i] = get_u16(body.p);
		body.p += 2;
	}
	return 0;
}

/* RAM: u32 count, then count records of u32 address + u8 value. */
static int parse_ram(struct moo_state *s, struct moo_cursor body)
{
	uint32_t count;

	if (!cursor_u32(&body, &count))
		return -1;
	if (cursor_left(&body) / 5 < count)
		return -1;
	s->ram_count = count;
	s->ram = body.p;
	return 0;
}

/* INIT or FINA: sub-chunks REGS and RAM (others are ignored). */
static int parse_state(struct moo_state *s, struct moo_cursor body)
{
	struct moo_chunk ch;
	bool truncated;

	while (cursor_chunk(&body, &ch, &truncated)) {
		if (!strcmp(ch.tag, "REGS")) {
			if (parse_regs(s, ch.body))
				return -1;
		} else if (!strcmp(ch.tag, "RAM ")) {
			if (parse_ram(s, ch.body))
				return -1;
		}
	}
	return truncated ? -1 : 0;
}

/* A chunk that starts with a u32 length and then that many bytes. */
static bool counted_bytes(struct moo_cursor body, const uint8_t **p,
			  uint32_t *len)
{
	if (!cursor_u32(&body, len) || cursor_left(&body) < *len)
		return false;
	*p = body.p;
	return true;
}

static int parse_test(struct moo_test *t, struct moo_cursor body,
		      const char **what)
{
	struct moo_chunk ch;
	bool truncated;
	const uint8_t *p;

	memset(t, 0, sizeof(*t));
	if (!cursor_u32(&body, &t->index)) {
		*what = "index";
		return -1;
	}
	while (cursor_chunk(&body, &ch, &truncated)) {
		*what = NULL;
		if (!strcmp(ch.tag, "NAME")) {
			if (counted_bytes(ch.body, &p, &t->name_len))
				t->name = (const char *)p;
			else
				*what = "NAME";
		} else if (!strcmp(ch.tag, "BYTS")) {
			if (!counted_bytes(ch.body, &t->bytes, &t->byte_count))
				*what = "BYTS";
		} else if (!strcmp(ch.tag, "INIT")) {
			if (parse_state(&t->init, ch.body))
				*what = "INIT";
		} else if (!strcmp(ch.tag, "FINA")) {
			if (parse_state(&t->fina, ch.body))
				*what = "FINA";
		} else if (!strcmp(ch.tag, "EXCP")) {
			if (cursor_left(&ch.body) < 5) {
				*what = "EXCP";
			} else {
				t->has_exception = true;
				t->exception_vector = ch.body.p[0];
				t->exception_flags_addr =
					get_u32(ch.body.p + 1);
			}
		} else if (!strcmp(ch.tag, "HASH")) {
			if (cursor_left(&ch.body) < MOO_HASH_LEN) {
				*what = "HASH";
			} else {
				t->has_hash = true;
				memcpy(t->hash, ch.body.p, MOO_HASH_LEN);
			}
		}
		if (*what)
			return -1;
	}
	if (truncated) {
		*what = "sub-chunk";
		return -1;
	}
	if (!(t->init.reg_mask & (1u << MOO_IP)) ||
	    !(t->init.reg_mask & (1u << MOO_CS))) {
		*what = "INIT registers";
		return -1;
	}
	return 0;
}

int moo_parse(struct moo_file *f, uint8_t *data, size_t size, char *err,
	      size_t errlen)
{
	struct moo_cursor c = { data, data + size };
	struct moo_cursor hdr;
	struct moo_chunk ch;
	uint32_t hdr_len, n = 0;
	bool truncated;

	memset(f, 0, sizeof(*f));
	f->data = data;
	f->size = size;
	if (size < 8 || memcmp(data, "MOO ", 4))
		return moo_error(err, errlen, "not a MOO file");
	c.p += 4;
	if (!cursor_u32(&c, &hdr_len) || cursor_left(&c) < hdr_len ||
	    hdr_len < 12)
		return moo_error(err, errlen, "MOO header truncated");
	hdr.p = c.p;
	hdr.end = c.p + hdr_len;
	c.p = hdr.end;
	f->version = hdr.p[0];
	f->test_count = get_u32(hdr.p + 4);
	memcpy(f->cpu, hdr.p + 8, 4);
	f->cpu[4] = '\0';

	/* Never trust the count for the allocation: a chunk is 8+ bytes. */
	if (f->test_count > size / 8)
		return moo_error(err, errlen, "MOO test count %u is too large",
				 f->test_count);
	f->tests = calloc(f->test_count ? f->test_count : 1, sizeof(*f->tests));
	if (!f->tests)
		return moo_error(err, errlen, "out of memory");

	while (cursor_chunk(&c, &ch, &truncated)) {
		const char *what = "";

		if (strcmp(ch.tag, "TEST"))
			continue;
		if (n == f->test_count)
			return moo_error(
				err, errlen,
				"more TEST chunks than the header's %u",
				f->test_count);
		if (parse_test(&f->tests[n], ch.body, &what))
			return moo_error(err, errlen, "test %u: bad %s chunk",
					 n, what);
		n++;
	}
	if (truncated)
		return moo_error(err, errlen, "truncated after test %u", n);
	if (n != f->test_count)
		return moo_error(err, errlen, "%u TEST chunks, header says %u",
				 n, f->test_count);
	return 0;
}

/* The whole (decompressed) file in one malloc'd buffer. */
static int read_whole(const char *path, uint8_t **out, size_t *out_size,
		      char *err, size_t errlen)
{
	gzFile gz;
	uint8_t *buf = NULL;
	size_t size = 0, cap = 0;
	int n;

	gz = gzopen(path, "rb");
	if (!gz)
		return moo_error(err, errlen, "%s",
				 strerror(errno ? errno : ENOMEM));
	gzbuffer(gz, 1u << 17);
	for (;;) {
		if (cap - size < (1u << 16)) {
			size_t ncap = cap ? cap * 2 : 1u << 20;
			uint8_t *nbuf = realloc(buf, ncap);

			if (!nbuf) {
				free(buf);
				gzclose(gz);
				return moo_error(err, errlen, "out of memory");
			}
			buf = nbuf;
			cap = ncap;
		}
		n = gzread(gz, buf + size, (unsigned)(cap - size));
		if (n < 0) {
			int zerr;
			const char *msg = gzerror(gz, &zerr);

			moo_error(err, errlen, "%s",
				  zerr == Z_ERRNO ? strerror(errno) : msg);
			free(buf);
			gzclose(gz);
			return -1;
		}
		if (n == 0)
			break;
		size += (size_t)n;
	}
	gzclose(gz);
	*out = buf;
	*out_size = size;
	return 0;
}

int moo_load(struct moo_file *f, const char *path, char *err, size_t errlen)
{
	uint8_t *data = NULL;
	size_t size = 0;

	memset(f, 0, sizeof(*f));
	errno = 0;
	if (read_whole(path, &data, &size, err, errlen))
		return -1;
	if (moo_parse(f, data, size, err, errlen)) {
		moo_free(f);
		return -1;
	}
	return 0;
}

void moo_free(struct moo_file *f)
{
	free(f->tests);
	free(f->data);
	memset(f, 0, sizeof(*f));
}
