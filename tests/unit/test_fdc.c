// SPDX-License-Identifier: MIT
/*
 * The 82077AA floppy controller with a 1.44 MB image: reset and its
 * polling interrupts, the configuration commands, seeks, READ DATA and
 * WRITE DATA through DMA channel 2 and in non-DMA mode, READ ID, FORMAT
 * TRACK, errors (sector not found, write protect, end of cylinder).
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

#include "bare_machine.h"
#include "fake_intc.h"
#include "iodev/dma8237.h"
#include "iodev/fdc.h"

#define RAM_SIZE (1u << 20)
#define IMAGE_SIZE 1474560u
#define SPT 18

struct fixture {
	struct machine *m;
	struct fake_intc intc;
	uint8_t *ram;
	struct dma8237 *dma;
	struct fdc *fdc;
	char path[64];
};

/* Every byte of the image says where it is: sector LBA and offset. */
static uint8_t pattern(unsigned lba, unsigned off)
{
	return (uint8_t)(lba * 3 + off);
}

static void make_image(struct fixture *f)
{
	uint8_t sector[512];
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/popek-fdc-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	for (unsigned lba = 0; lba < IMAGE_SIZE / 512; lba++) {
		for (unsigned i = 0; i < 512; i++)
			sector[i] = pattern(lba, i);
		assert_int_equal(write(fd, sector, 512), 512);
	}
	close(fd);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	irq_attach_controller(f->m, &fake_intc_ops, &f->intc);
	f->ram = calloc(1, RAM_SIZE);
	assert_non_null(f->ram);
	assert_int_equal(mem_map_ram(f->m, 0, RAM_SIZE, f->ram, "ram"), 0);
	f->dma = dma_create(f->m);
	assert_non_null(f->dma);
	make_image(f);
	f->fdc = fdc_create(f->m, f->dma, f->path, false);
	assert_non_null(f->fdc);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fdc_destroy(f->fdc);
	dma_destroy(f->dma);
	unlink(f->path);
	free(f->ram);
	free(f->m);
	free(f);
	return 0;
}

static uint8_t msr(struct machine *m)
{
	return (uint8_t)io_read(m, 0x3f4, 1);
}

static void send(struct machine *m, const uint8_t *bytes, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(msr(m) & (FDC_MSR_RQM | FDC_MSR_DIO),
				 FDC_MSR_RQM);
		io_write(m, 0x3f5, 1, bytes[i]);
	}
}

#define SEND(m, ...)                                           \
	do {                                                   \
		static const uint8_t cmd_[] = { __VA_ARGS__ }; \
		send(m, cmd_, sizeof(cmd_));                   \
	} while (0)

/* Read the result phase into res; returns its length. */
static unsigned result(struct machine *m, uint8_t *res, unsigned max)
{
	unsigned n = 0;

	while ((msr(m) & (FDC_MSR_RQM | FDC_MSR_DIO)) ==
	       (FDC_MSR_RQM | FDC_MSR_DIO)) {
		assert_true(n < max);
		res[n++] = (uint8_t)io_read(m, 0x3f5, 1);
	}
	assert_int_equal(msr(m) & FDC_MSR_CB, 0);
	return n;
}

static void sense_interrupt(struct machine *m, uint8_t st0, uint8_t pcn)
{
	uint8_t res[4];

	SEND(m, 0x08);
	assert_int_equal(result(m, res, 4), 2);
	assert_int_equal(res[0], st0);
	assert_int_equal(res[1], pcn);
}

/* DMA channel 2 for count bytes at addr; mode 0x46 read disk to memory,
 * 0x4a memory to disk. */
static void program_dma(struct machine *m, uint8_t mode, uint32_t addr,
			unsigned count)
{
	io_write(m, 0x0a, 1, 0x06);
	io_write(m, 0x0c, 1, 0);
	io_write(m, 0x0b, 1, mode);
	io_write(m, 0x04, 1, addr & 0xff);
	io_write(m, 0x04, 1, (addr >> 8) & 0xff);
	io_write(m, 0x81, 1, (addr >> 16) & 0xff);
	io_write(m, 0x05, 1, (count - 1) & 0xff);
	io_write(m, 0x05, 1, (count - 1) >> 8);
	io_write(m, 0x0a, 1, 0x02);
}

static void check_sector(struct fixture *f, const uint8_t *p, unsigned lba)
{
	for (unsigned i = 0; i < 512; i++)
		if (p[i] != pattern(lba, i))
			fail_msg("sector %u byte %u: %02x, expected %02x", lba,
				 i, p[i], pattern(lba, i));
	(void)f;
}

static void test_reset_and_version(void **state)
{
	struct fixture *f = *state;
	uint8_t res[16];

	io_write(f->m, 0x3f2, 1, 0x00); /* into reset */
	assert_int_equal(msr(f->m), 0);
	io_write(f->m, 0x3f2, 1, 0x0c); /* out of reset, DMA/IRQ gate */
	assert_true(f->intc.level[6]);
	sense_interrupt(f->m, 0xc0, 0);
	assert_false(f->intc.level[6]);
	sense_interrupt(f->m, 0xc1, 0);
	sense_interrupt(f->m, 0xc2, 0);
	sense_interrupt(f->m, 0xc3, 0);
	SEND(f->m, 0x08); /* nothing left: invalid */
	assert_int_equal(result(f->m, res, 16), 1);
	assert_int_equal(res[0], 0x80);
	SEND(f->m, 0x10);
	assert_int_equal(result(f->m, res, 16), 1);
	assert_int_equal(res[0], 0x90);
	SEND(f->m, 0x1f); /* no such command */
	assert_int_equal(result(f->m, res, 16), 1);
	assert_int_equal(res[0], 0x80);
}

static void test_configure_lock_dumpreg(void **state)
{
	struct fixture *f = *state;
	uint8_t res[16];

	SEND(f->m, 0x03, 0xaf, 0x02); /* SPECIFY */
	SEND(f->m, 0x13, 0x00, 0x57, 0x09); /* CONFIGURE: EIS, no FIFO... */
	SEND(f->m, 0x12, 0x03); /* PERPENDICULAR MODE */
	SEND(f->m, 0x94); /* LOCK */
	assert_int_equal(result(f->m, res, 16), 1);
	assert_int_equal(res[0], 0x10);
	SEND(f->m, 0x0e);
	assert_int_equal(result(f->m, res, 16), 10);
	assert_int_equal(res[4], 0xaf);
	assert_int_equal(res[5], 0x02);
	assert_int_equal(res[7], 0x83);
	assert_int_equal(res[8], 0x57);
	assert_int_equal(res[9], 0x09);
	/* A software reset keeps locked settings; polling is off (bit 4),
	 * so no interrupt follows. */
	io_write(f->m, 0x3f4, 1, 0x80);
	assert_false(f->intc.level[6]);
	SEND(f->m, 0x0e);
	assert_int_equal(result(f->m, res, 16), 10);
	assert_int_equal(res[8], 0x57);
	assert_int_equal(res[9], 0x09);
	SEND(f->m, 0x14); /* UNLOCK */
	assert_int_equal(result(f->m, res, 16), 1);
	assert_int_equal(res[0], 0x00);
	io_write(f->m, 0x3f4, 1, 0x80);
	assert_true(f->intc.level[6]);
	SEND(f->m, 0x0e);
	assert_int_equal(result(f->m, res, 16), 10);
	assert_int_equal(res[8], 0x20);
}

static void test_seek_and_sense(void **state)
{
	struct fixture *f = *state;
	uint8_t res[4];

	assert_true(io_read(f->m, 0x3f7, 1) & FDC_DIR_DSKCHG);
	SEND(f->m, 0x07, 0x00); /* RECALIBRATE drive 0 */
	assert_true(f->intc.level[6]);
	assert_int_equal(msr(f->m) & FDC_MSR_BUSY_MASK, 1);
	sense_interrupt(f->m, 0x20, 0);
	assert_int_equal(msr(f->m) & FDC_MSR_BUSY_MASK, 0);
	assert_false(io_read(f->m, 0x3f7, 1) & FDC_DIR_DSKCHG);
	SEND(f->m, 0x0f, 0x04, 40); /* SEEK head 1 to cylinder 40 */
	sense_interrupt(f->m, 0x24, 40);
	SEND(f->m, 0x04, 0x04); /* SENSE DRIVE STATUS: not track 0 */
	assert_int_equal(result(f->m, res, 4), 1);
	assert_int_equal(res[0], 0x20 | 0x08 | 0x04);
	SEND(f->m, 0x07, 0x00);
	sense_interrupt(f->m, 0x20, 0);
	SEND(f->m, 0x04, 0x00);
	assert_int_equal(result(f->m, res, 4), 1);
	assert_int_equal(res[0], 0x20 | 0x10 | 0x08);
	/* Drive 3 is not there: equipment check. */
	SEND(f->m, 0x07, 0x03);
	sense_interrupt(f->m, 0x73, 0);
	/* READ ID on cylinder 0 head 1. */
	SEND(f->m, 0x4a, 0x04);
	assert_true(f->intc.level[6]);
	{
		uint8_t r[8];

		assert_int_equal(result(f->m, r, 8), 7);
		assert_int_equal(r[0], 0x04);
		assert_int_equal(r[3], 0);
		assert_int_equal(r[4], 1);
		assert_int_equal(r[6], 2);
	}
	assert_false(f->intc.level[6]);
}

static void test_dma_read(void **state)
{
	struct fixture *f = *state;
	uint8_t res[8];

	SEND(f->m, 0x0f, 0x00, 2); /* seek to cylinder 2 */
	sense_interrupt(f->m, 0x20, 2);
	/* Two sectors from C2 H1 R17, multitrack on: R17, R18. */
	program_dma(f->m, 0x46, 0x10000, 1024);
	SEND(f->m, 0xe6, 0x04, 2, 1, 17, 2, SPT, 0x1b, 0xff);
	assert_true(f->intc.level[6]);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x04);
	assert_int_equal(res[1], 0);
	assert_int_equal(res[2], 0);
	/* After the last sector of a track (Table 5-3): next cylinder. */
	assert_int_equal(res[3], 3);
	assert_int_equal(res[4], 0);
	assert_int_equal(res[5], 1);
	assert_int_equal(res[6], 2);
	check_sector(f, f->ram + 0x10000, (2 * 2 + 1) * SPT + 16);
	check_sector(f, f->ram + 0x10200, (2 * 2 + 1) * SPT + 17);
	/* Multitrack across the heads: C2 H0 R18 then C2 H1 R1. */
	program_dma(f->m, 0x46, 0x20000, 1024);
	SEND(f->m, 0xe6, 0x00, 2, 0, 18, 2, SPT, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x04);
	assert_int_equal(res[3], 2);
	assert_int_equal(res[4], 1);
	assert_int_equal(res[5], 2);
	check_sector(f, f->ram + 0x20000, 2 * 2 * SPT + 17);
	check_sector(f, f->ram + 0x20200, (2 * 2 + 1) * SPT + 0);
}

static void test_read_errors(void **state)
{
	struct fixture *f = *state;
	uint8_t res[8];

	SEND(f->m, 0x07, 0x00);
	sense_interrupt(f->m, 0x20, 0);
	/* Past EOT with DMA count left: end of cylinder. */
	program_dma(f->m, 0x46, 0x10000, 4096);
	SEND(f->m, 0x46, 0x00, 0, 0, 17, 2, SPT, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x40);
	assert_int_equal(res[1], 0x80);
	check_sector(f, f->ram + 0x10200, 17);
	/* Sector 19 does not exist. */
	program_dma(f->m, 0x46, 0x10000, 512);
	SEND(f->m, 0x46, 0x00, 0, 0, 19, 2, 19, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x40);
	assert_int_equal(res[1], 0x04);
	/* The head is on cylinder 0, the command names 5. */
	SEND(f->m, 0x46, 0x00, 5, 0, 1, 2, SPT, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[1], 0x04);
	assert_int_equal(res[2], 0x10);
	/* With implied seek on, the same command works. */
	SEND(f->m, 0x13, 0x00, 0x60, 0x00);
	program_dma(f->m, 0x46, 0x10000, 512);
	SEND(f->m, 0x46, 0x00, 5, 0, 1, 2, SPT, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x00);
	check_sector(f, f->ram + 0x10000, 5 * 2 * SPT);
}

static void test_dma_write(void **state)
{
	struct fixture *f = *state;
	uint8_t res[8], back[1024];
	int fd;

	SEND(f->m, 0x0f, 0x00, 79);
	sense_interrupt(f->m, 0x20, 79);
	for (unsigned i = 0; i < 1024; i++)
		f->ram[0x30000 + i] = (uint8_t)(i ^ 0x5a);
	program_dma(f->m, 0x4a, 0x30000, 1024);
	SEND(f->m, 0xc5, 0x04, 79, 1, 1, 2, SPT, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x04);
	assert_int_equal(res[5], 3);
	fd = open(f->path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, back, 1024, (off_t)(79 * 2 + 1) * SPT * 512),
			 1024);
	close(fd);
	assert_memory_equal(back, f->ram + 0x30000, 1024);
}

static void test_write_protected(void **state)
{
	struct fixture *f = *state;
	uint8_t res[8];

	assert_int_equal(fdc_insert(f->fdc, 0, f->path, true), 0);
	SEND(f->m, 0x04, 0x00);
	assert_int_equal(result(f->m, res, 8), 1);
	assert_true(res[0] & 0x40);
	program_dma(f->m, 0x4a, 0x30000, 512);
	SEND(f->m, 0x45, 0x00, 0, 0, 1, 2, SPT, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x40);
	assert_int_equal(res[1], 0x02);
}

/* Writes beyond the medium's geometry: an error, never a grown file. */
static void test_write_past_end(void **state)
{
	struct fixture *f = *state;
	uint8_t res[8];
	struct stat st;

	/* Cylinder 80 of a 1.44M medium (0-79): no address mark. */
	SEND(f->m, 0x0f, 0x00, 80);
	sense_interrupt(f->m, 0x20, 80);
	program_dma(f->m, 0x4a, 0x30000, 512);
	SEND(f->m, 0x45, 0x00, 80, 0, 1, 2, SPT, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0] & 0xc0, 0x40);
	assert_int_equal(res[1], 0x01);
	/* Sector 19 on the last track: no data. */
	SEND(f->m, 0x0f, 0x00, 79);
	sense_interrupt(f->m, 0x20, 79);
	program_dma(f->m, 0x4a, 0x30000, 512);
	SEND(f->m, 0x45, 0x04, 79, 1, 19, 2, 19, 0x1b, 0xff);
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0] & 0xc0, 0x40);
	assert_int_equal(res[1], 0x04);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_size, IMAGE_SIZE);
}

static void test_pio_read_and_format(void **state)
{
	struct fixture *f = *state;
	uint8_t res[8], sector[512], back[512];
	int fd;

	SEND(f->m, 0x03, 0xaf, 0x03); /* non-DMA mode */
	SEND(f->m, 0x46, 0x00, 0, 0, 3, 2, 3, 0x1b, 0xff);
	assert_true(f->intc.level[6]);
	for (unsigned i = 0; i < 512; i++) {
		assert_int_equal(msr(f->m), FDC_MSR_RQM | FDC_MSR_DIO |
						    FDC_MSR_NDMA | FDC_MSR_CB);
		sector[i] = (uint8_t)io_read(f->m, 0x3f5, 1);
	}
	check_sector(f, sector, 2);
	/* No TC without DMA: the read ends at EOT, end of cylinder. */
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x40);
	assert_int_equal(res[1], 0x80);
	/* FORMAT TRACK cylinder 0 head 0: 18 ID fields, filler E5h. */
	SEND(f->m, 0x4d, 0x00, 2, SPT, 0x54, 0xe5);
	for (unsigned r = 1; r <= SPT; r++) {
		uint8_t id[4] = { 0, 0, (uint8_t)r, 2 };

		for (unsigned i = 0; i < 4; i++) {
			assert_true(msr(f->m) & FDC_MSR_NDMA);
			io_write(f->m, 0x3f5, 1, id[i]);
		}
	}
	assert_int_equal(result(f->m, res, 8), 7);
	assert_int_equal(res[0], 0x00);
	fd = open(f->path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, back, 512, 17 * 512), 512);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(back[i], 0xe5);
	/* Head 1 was not formatted. */
	assert_int_equal(pread(fd, back, 512, SPT * 512), 512);
	close(fd);
	check_sector(f, back, SPT);
}

static void test_bad_image_size(void **state)
{
	struct fixture *f = *state;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/popek-fdc-bad-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 1000 * 1024), 0);
	close(fd);
	assert_int_equal(fdc_insert(f->fdc, 1, path, false), -1);
	assert_int_equal(f->fdc->drive[1].img.fd, -1);
	unlink(path);
	assert_int_equal(fdc_insert(f->fdc, 1, "/nonexistent/popek.img", false),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_and_version, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_configure_lock_dumpreg,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_seek_and_sense, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dma_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dma_write, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_protected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_past_end, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pio_read_and_format, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_image_size, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
