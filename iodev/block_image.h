/* SPDX-License-Identifier: MIT */
/*
 * Raw disk images on host files for the disk devices (floppy, IDE, CD).
 * Writes go straight to the file with pwrite, so an exit at any moment
 * leaves the image as consistent as the guest's last completed write.
 */
#ifndef POPEK_IODEV_BLOCK_IMAGE_H
#define POPEK_IODEV_BLOCK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct block_image {
	int fd; /* -1: no image */
	uint64_t size; /* bytes */
	bool read_only; /* opened O_RDONLY: writes fail */
	const char *path;
};

/* An image slot with nothing in it. */
void block_image_init(struct block_image *b);

/*
 * Open path, read-write unless read_only is asked or the file cannot be
 * written (then read-only).  The size must be a non-zero multiple of
 * unit.  who names the option in the one error line on stderr.  Returns
 * 0, or -1 after that line.
 */
int block_image_open(struct block_image *b, const char *path, const char *who,
		     uint64_t unit, bool read_only);
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
