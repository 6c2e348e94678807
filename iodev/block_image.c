// SPDX-License-Identifier: MIT
/* Raw disk images on host files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iodev/block_image.h"

void block_image_init(struct block_image *b)
{
	b->fd = -1;
	b->size = 0;
	b->read_only = true;
	b->path = NULL;
}

static int open_image(const char *path, bool read_only, bool *got_ro)
{
	int fd;

	if (!read_only) {
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			*got_ro = false;
			return fd;
		}
		/* Not writable by us: fall back to reading it. */
		if (errno != EACCES && errno != EROFS && errno != EPERM)
			return -1;
	}
	*got_ro = true;
	return open(path, O_RDONLY | O_CLOEXEC);
}

int block_image_open(struct block_image *b, const char *path, const char *who,
		     uint64_t unit, bool read_only)
{
	struct stat st;
	bool ro;
	int fd;

	block_image_init(b);
	fd = open_image(path, read_only, &ro);
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
	b->fd = fd;
	b->size = (uint64_t)st.st_size;
	b->read_only = ro;
	b->path = path;
	return 0;
}

void block_image_close(struct block_image *b)
{
	if (b->fd >= 0)
		close(b->fd);
	block_image_init(b);
}

int block_image_read(struct block_image *b, uint64_t offset, void *buf,
		     size_t len)
{
	uint8_t *p = buf;

	if (b->fd < 0)
		return -1;
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

int block_image_write(struct block_image *b, uint64_t offset, const void *buf,
		      size_t len)
{
	const uint8_t *p = buf;

	if (b->fd < 0 || b->read_only || offset > b->size ||
	    len > b->size - offset)
		return -1;
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

int block_image_flush(struct block_image *b)
{
	if (b->fd < 0)
		return -1;
	if (b->read_only)
		return 0;
	return fdatasync(b->fd) == 0 || errno == EINVAL ? 0 : -1;
}
