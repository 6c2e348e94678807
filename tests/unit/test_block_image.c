// SPDX-License-Identifier: MIT
/*
 * Disk images (iodev/block_image.c): read-write, read-only and -snapshot
 * modes; the snapshot overlay across its 64 KiB chunks and its growth;
 * writes past the end failing without growing the file; bad files.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "iodev/block_image.h"

#define IMAGE_SIZE (1024u * 1024u + 512u) /* not a whole number of chunks */

struct fixture {
	char path[64];
	uint8_t *original;
};

static uint8_t pattern(uint64_t offset)
{
	return (uint8_t)(offset * 7 + (offset >> 9));
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int fd;

	assert_non_null(f);
	f->original = malloc(IMAGE_SIZE);
	assert_non_null(f->original);
	for (uint64_t i = 0; i < IMAGE_SIZE; i++)
		f->original[i] = pattern(i);
	snprintf(f->path, sizeof(f->path), "/tmp/popek-blk-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->original, IMAGE_SIZE), IMAGE_SIZE);
	close(fd);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	free(f->original);
	free(f);
	return 0;
}

/* The file still holds exactly what setup wrote. */
static void assert_file_unchanged(const struct fixture *f)
{
	uint8_t *now = malloc(IMAGE_SIZE + 1);
	int fd = open(f->path, O_RDONLY);

	assert_non_null(now);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, now, IMAGE_SIZE + 1), IMAGE_SIZE);
	close(fd);
	assert_memory_equal(now, f->original, IMAGE_SIZE);
	free(now);
}

static void test_snapshot_keeps_the_file(void **state)
{
	struct fixture *f = *state;
	struct block_image b;
	uint8_t buf[3 * 65536], back[3 * 65536];

	assert_int_equal(
		block_image_open(&b, f->path, "-hda", 512, BLOCK_SNAPSHOT), 0);
	assert_false(b.read_only);
	/* Before any write: the file's bytes. */
	assert_int_equal(block_image_read(&b, 1000, back, 5000), 0);
	assert_memory_equal(back, f->original + 1000, 5000);
	/* A write straddling two chunk boundaries. */
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)~pattern(i);
	assert_int_equal(
		block_image_write(&b, 65536 - 512, buf, 2 * 65536 + 1024), 0);
	/* Read a window around it: file bytes, the write, file bytes. */
	assert_int_equal(
		block_image_read(&b, 65536 - 1024, back, 2 * 65536 + 2048), 0);
	assert_memory_equal(back, f->original + 65536 - 1024, 512);
	assert_memory_equal(back + 512, buf, 2 * 65536 + 1024);
	assert_memory_equal(back + 512 + 2 * 65536 + 1024,
			    f->original + 3 * 65536 + 512, 512);
	/* The last, partial chunk: written, read back, the end still fails. */
	assert_int_equal(block_image_write(&b, IMAGE_SIZE - 512, buf, 512), 0);
	assert_int_equal(block_image_read(&b, IMAGE_SIZE - 512, back, 512), 0);
	assert_memory_equal(back, buf, 512);
	assert_int_equal(block_image_write(&b, IMAGE_SIZE, buf, 512), -1);
	assert_int_equal(block_image_write(&b, IMAGE_SIZE - 256, buf, 512), -1);
	assert_int_equal(block_image_flush(&b), 0);
	block_image_close(&b);
	assert_file_unchanged(f);
}

/* Every chunk written once: the overlay grows past its first table. */
static void test_snapshot_many_chunks(void **state)
{
	struct fixture *f = *state;
	struct block_image b;
	uint8_t sector[512], back[512];

	assert_int_equal(
		block_image_open(&b, f->path, "-hda", 512, BLOCK_SNAPSHOT), 0);
	for (uint64_t off = 0; off < IMAGE_SIZE; off += 16384) {
		memset(sector, (int)(off >> 14), sizeof(sector));
		assert_int_equal(block_image_write(&b, off, sector, 512), 0);
	}
	for (uint64_t off = 0; off < IMAGE_SIZE; off += 16384) {
		memset(sector, (int)(off >> 14), sizeof(sector));
		assert_int_equal(block_image_read(&b, off, back, 512), 0);
		assert_memory_equal(back, sector, 512);
		/* The sector after it is the file's. */
		if (off + 1024 <= IMAGE_SIZE) {
			assert_int_equal(
				block_image_read(&b, off + 512, back, 512), 0);
			assert_memory_equal(back, f->original + off + 512, 512);
		}
	}
	block_image_close(&b);
	assert_file_unchanged(f);
}

static void test_read_write_and_read_only(void **state)
{
	struct fixture *f = *state;
	struct block_image b;
	uint8_t sector[512], back[512];
	struct stat st;

	memset(sector, 0x3c, sizeof(sector));
	assert_int_equal(
		block_image_open(&b, f->path, "-hda", 512, BLOCK_READ_ONLY), 0);
	assert_true(b.read_only);
	assert_int_equal(block_image_write(&b, 0, sector, 512), -1);
	block_image_close(&b);
	assert_file_unchanged(f);

	assert_int_equal(block_image_open(&b, f->path, "-hda", 512,
					  BLOCK_READ_WRITE),
			 0);
	assert_false(b.read_only);
	assert_int_equal(block_image_write(&b, 4096, sector, 512), 0);
	/* Past the end: refused, the file keeps its size. */
	assert_int_equal(block_image_write(&b, IMAGE_SIZE, sector, 512), -1);
	assert_int_equal(block_image_write(&b, UINT64_MAX - 100, sector, 512),
			 -1);
	assert_int_equal(block_image_flush(&b), 0);
	block_image_close(&b);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_size, IMAGE_SIZE);
	assert_int_equal(
		block_image_open(&b, f->path, "-hda", 512, BLOCK_READ_ONLY), 0);
	assert_int_equal(block_image_read(&b, 4096, back, 512), 0);
	assert_memory_equal(back, sector, 512);
	/* Reads past the end give zeros. */
	assert_int_equal(block_image_read(&b, IMAGE_SIZE, back, 512), 0);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(back[i], 0);
	block_image_close(&b);
}

static void test_bad_files(void **state)
{
	struct fixture *f = *state;
	struct block_image b;
	char dir[] = "/tmp/popek-blkdir-XXXXXX";

	(void)f;
	/* Not a multiple of 1024 (the unit), a directory, nothing there. */
	assert_int_equal(
		block_image_open(&b, f->path, "-x", 1024, BLOCK_SNAPSHOT), -1);
	assert_int_equal(b.fd, -1);
	assert_null(b.overlay);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(block_image_open(&b, dir, "-x", 512, BLOCK_SNAPSHOT),
			 -1);
	assert_int_equal(block_image_open(&b, dir, "-x", 512, BLOCK_READ_WRITE),
			 -1);
	rmdir(dir);
	assert_int_equal(block_image_open(&b, "/nonexistent/popek.img", "-x",
					  512, BLOCK_READ_WRITE),
			 -1);
	assert_file_unchanged(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_snapshot_keeps_the_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_many_chunks,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_write_and_read_only,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
