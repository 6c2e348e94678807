// SPDX-License-Identifier: MIT
/*
 * Raw disk images on host files.  Under -snapshot the file is only read:
 * the first guest write into a 64 KiB chunk of the image copies that
 * chunk from the file into memory (the overlay, a hash map from chunk
 * number to its bytes), and from then on reads and writes of the chunk
 * use the copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iodev/block_image.h"
#include "machine/machine.h"

#define OVERLAY_CHUNK 65536u
#define OVERLAY_MIN_SLOTS 64u

struct block_overlay {
	uint64_t *key; /* chunk number + 1; 0: the slot is free */
	uint8_t **data; /* OVERLAY_CHUNK bytes each */
	size_t slots; /* a power of two */
	size_t used;
};

void block_image_init(struct block_image *b)
{
	b->fd = -1;
	b->size = 0;
	b->read_only = true;
	b->path = NULL;
	b->overlay = NULL;
}

enum block_mode block_mode_for(const struct machine *m, bool read_only)
{
	if (read_only)
		return BLOCK_READ_ONLY;
	return m && m->opt.snapshot ? BLOCK_SNAPSHOT : BLOCK_READ_WRITE;
}

/* ---- the -snapshot overlay ---- */

static size_t overlay_slot(const struct block_overlay *o, uint64_t chunk)
{
	/* Fibonacci hashing spreads neighbouring chunks over the table. */
	return (size_t)((chunk * 0x9e3779b97f4a7c15ull) >> 17) & (o->slots - 1);
}

static uint8_t *overlay_find(const struct block_overlay *o, uint64_t chunk)
{
	for (size_t i = overlay_slot(o, chunk);; i = (i + 1) & (o->slots - 1)) {
		if (o->key[i] == chunk + 1)
			return o->data[i];
		if (o->key[i] == 0)
			return NULL;
	}
}

static void overlay_put(struct block_overlay *o, uint64_t chunk, uint8_t *data)
{
	size_t i = overlay_slot(o, chunk);

	while (o->key[i] != 0)
		i = (i + 1) & (o->slots - 1);
	o->key[i] = chunk + 1;
	o->data[i] = data;
	o->used++;
}

/* Twice the slots, every chunk rehashed; -1 when out of memory. */
static int overlay_grow(struct block_overlay *o)
{
	struct block_overlay bigger = { .slots = o->slots * 2 };

	bigger.key = calloc(bigger.slots, sizeof(*bigger.key));
	bigger.data = calloc(bigger.slots, sizeof(*bigger.data));
	if (!bigger.key || !bigger.data) {
		free(bigger.key);
		free(bigger.data);
		return -1;
	}
	for (size_t i = 0; i < o->slots; i++)
		if (o->key[i])
			overlay_put(&bigger, o->key[i] - 1, o->data[i]);
	free(o->key);
	free(o->data);
	*o = bigger;
	return 0;
}

static struct block_overlay *overlay_create(void)
{
	struct block_overlay *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->slots = OVERLAY_MIN_SLOTS;
	o->key = calloc(o->slots, sizeof(*o->key));
	o->data = calloc(o->slots, sizeof(*o->data));
	if (!o->key || !o->data) {
		free(o->key);
		free(o->data);
		free(o);
		return NULL;
	}
	return o;
}

static void overlay_destroy(struct block_overlay *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->slots; i++)
		if (o->key[i])
			free(o->data[i]);
	free(o->key);
	free(o->data);
	free(o);
}

/* ---- the file ---- */

/* Bytes of the file; past its end, zeros. */
static int file_read(struct block_image *b, uint64_t offset, uint8_t *p,
		     size_t len)
{
	while (len > 0) {
		ssize_t n;

		if (offset >= b->size) {
			memset(p, 0, len);
			return 0;
		}
		n = pread(b->fd, p, len, (off_t)offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			/* The file shrank under us: the rest reads as zeros. */
			memset(p, 0, len);
			return 0;
		}
		p += n;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int file_write(struct block_image *b, uint64_t offset, const uint8_t *p,
		      size_t len)
{
	while (len > 0) {
		ssize_t n = pwrite(b->fd, p, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* The overlay's copy of a chunk, made from the file on first use. */
static uint8_t *overlay_chunk(struct block_image *b, uint64_t chunk)
{
	struct block_overlay *o = b->overlay;
	uint8_t *data = overlay_find(o, chunk);

	if (data)
		return data;
	if (2 * (o->used + 1) > o->slots && overlay_grow(o) != 0)
		return NULL;
	data = malloc(OVERLAY_CHUNK);
	if (!data)
		return NULL;
	if (file_read(b, chunk * OVERLAY_CHUNK, data, OVERLAY_CHUNK) != 0) {
		free(data);
		return NULL;
	}
	overlay_put(o, chunk, data);
	return data;
}

/*
 * O_NONBLOCK: a FIFO or a device named as an image must not hang the
 * open; the fstat after it refuses anything but a regular file.
 */
static int open_image(const char *path, enum block_mode mode, bool *got_ro)
{
	int fd;

	if (mode == BLOCK_READ_WRITE) {
		fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
		if (fd >= 0) {
			*got_ro = false;
			return fd;
		}
		/* Not writable by us: fall back to reading it. */
		if (errno != EACCES && errno != EROFS && errno != EPERM &&
		    errno != ETXTBSY)
			return -1;
	}
	*got_ro = true;
	return open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
}

int block_image_open(struct block_image *b, const char *path, const char *who,
		     uint64_t unit, enum block_mode mode)
{
	struct stat st;
	bool ro;
	int fd;

	block_image_init(b);
	fd = open_image(path, mode, &ro);
	if (fd < 0) {
		fprintf(stderr, "popek: %s: cannot open '%s': %s\n", who, path,
			strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "popek: %s: '%s' is not a regular file\n", who,
			path);
		close(fd);
		return -1;
	}
	if (st.st_size == 0 || (uint64_t)st.st_size % unit) {
		fprintf(stderr,
			"popek: %s: '%s' is %llu bytes, not a non-zero multiple of %llu\n",
			who, path, (unsigned long long)st.st_size,
			(unsigned long long)unit);
		close(fd);
		return -1;
	}
	if (mode == BLOCK_SNAPSHOT && !(b->overlay = overlay_create())) {
		fprintf(stderr, "popek: %s: out of memory for '%s'\n", who,
			path);
		close(fd);
		return -1;
	}
	b->fd = fd;
	b->size = (uint64_t)st.st_size;
	b->read_only = mode == BLOCK_SNAPSHOT ? false : ro;
	b->path = path;
	return 0;
}

void block_image_close(struct block_image *b)
{
	if (b->fd >= 0)
		close(b->fd);
	overlay_destroy(b->overlay);
	block_image_init(b);
}

int block_image_read(struct block_image *b, uint64_t offset, void *buf,
		     size_t len)
{
	uint8_t *p = buf;

	if (b->fd < 0)
		return -1;
	if (!b->overlay)
		return file_read(b, offset, p, len);
	while (len > 0) {
		uint64_t chunk = offset / OVERLAY_CHUNK;
		size_t within = (size_t)(offset % OVERLAY_CHUNK);
		size_t n = OVERLAY_CHUNK - within < len ?
				   OVERLAY_CHUNK - within :
				   len;
		const uint8_t *copy = overlay_find(b->overlay, chunk);

		if (copy)
			memcpy(p, copy + within, n);
		else if (file_read(b, offset, p, n) != 0)
			return -1;
		p += n;
		offset += n;
		len -= n;
	}
	return 0;
}

int block_image_write(struct block_image *b, uint64_t offset, const void *buf,
		      size_t len)
{
	const uint8_t *p = buf;

	if (b->fd < 0 || b->read_only || offset > b->size ||
	    len > b->size - offset)
		return -1;
	if (!b->overlay)
		return file_write(b, offset, p, len);
	while (len > 0) {
		uint64_t chunk = offset / OVERLAY_CHUNK;
		size_t within = (size_t)(offset % OVERLAY_CHUNK);
		size_t n = OVERLAY_CHUNK - within < len ?
				   OVERLAY_CHUNK - within :
				   len;
		uint8_t *copy = overlay_chunk(b, chunk);

		if (!copy)
			return -1;
		memcpy(copy + within, p, n);
		p += n;
		offset += n;
		len -= n;
	}
	return 0;
}

int block_image_flush(struct block_image *b)
{
	if (b->fd < 0)
		return -1;
	if (b->read_only || b->overlay)
		return 0; /* nothing of the guest's is in the file */
	return fdatasync(b->fd) == 0 || errno == EINVAL ? 0 : -1;
}
