/* SPDX-License-Identifier: MIT */
/*
 * Raw disk images on host files for the disk devices (floppy, IDE, CD).
 * Writes go straight to the file with pwrite, so an exit at any moment
 * leaves the image as consistent as the guest's last completed write;
 * under -snapshot (BLOCK_SNAPSHOT) they go to memory instead.
 */
#ifndef POPEK_IODEV_BLOCK_IMAGE_H
#define POPEK_IODEV_BLOCK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How an image is opened. */
enum block_mode {
	/* Read-write when the file allows it, else read-only. */
	BLOCK_READ_WRITE,
	/* Read-only: guest writes fail (a write-protected medium). */
	BLOCK_READ_ONLY,
	/*
	 * -snapshot: the file is opened read-only and never written; guest
	 * writes go to an in-memory overlay and are gone when popek ends.
	 */
	BLOCK_SNAPSHOT,
};

struct block_overlay;

struct block_image {
	int fd; /* -1: no image */
	uint64_t size; /* bytes */
	bool read_only; /* guest writes fail */
	const char *path;
	/* BLOCK_SNAPSHOT: the chunks the guest wrote; NULL otherwise. */
	struct block_overlay *overlay;
};

/* The mode for a disk: read_only asked, else -snapshot or read-write. */
struct machine;
enum block_mode block_mode_for(const struct machine *m, bool read_only);

/* An image slot with nothing in it. */
void block_image_init(struct block_image *b);

/*
 * Open path as mode says.  The file must be a regular file whose size is
 * a non-zero multiple of unit.  who names the option in the one error
 * line on stderr.  Returns 0, or -1 after that line.  A file refused here
 * has not been written.
 */
int block_image_open(struct block_image *b, const char *path, const char *who,
		     uint64_t unit, enum block_mode mode);
void block_image_close(struct block_image *b);

/*
 * Read or write len bytes at offset.  Reads past the end of the file give
 * zeros; writes past the end and writes to a read-only image fail, never
 * growing the file.  Return 0, or -1 (a host error the device reports to
 * the guest as a media error).
 */
int block_image_read(struct block_image *b, uint64_t offset, void *buf,
		     size_t len);
int block_image_write(struct block_image *b, uint64_t offset, const void *buf,
		      size_t len);
/* Make written data durable (the guest's FLUSH CACHE). */
int block_image_flush(struct block_image *b);

#endif
