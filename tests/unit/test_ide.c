// SPDX-License-Identifier: MIT
/*
 * IDE/ATA through the primary channel's ports: signatures, IDENTIFY
 * DEVICE, PIO reads and writes in LBA28, LBA48 and CHS, READ/WRITE
 * MULTIPLE, range and write-protect errors, software reset, nIEN, the
 * absent device 1 and the empty secondary channel.
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
#include "iodev/ide.h"

#define DISK_SECTORS 4096u /* 2 MiB */
#define BASE 0x1f0
#define CTL 0x3f6

struct fixture {
	struct machine *m;
	struct fake_intc intc;
	struct ide *ide;
	char path[64];
};

static uint8_t pattern(unsigned lba, unsigned off)
{
	return (uint8_t)(lba ^ (lba >> 8) ^ (off * 13));
}

static void make_disk(char *path, size_t size)
{
	uint8_t sector[512];
	int fd;

	snprintf(path, size, "/tmp/popek-ide-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	for (unsigned lba = 0; lba < DISK_SECTORS; lba++) {
		for (unsigned i = 0; i < 512; i++)
			sector[i] = pattern(lba, i);
		assert_int_equal(write(fd, sector, 512), 512);
	}
	close(fd);
}

static int setup_ro(void **state, bool read_only)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	irq_attach_controller(f->m, &fake_intc_ops, &f->intc);
	f->ide = ide_create(f->m);
	assert_non_null(f->ide);
	make_disk(f->path, sizeof(f->path));
	assert_int_equal(
		ide_attach_disk(f->ide, 0, 0, f->path, "-hda", read_only), 0);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_ro(state, false);
}

static int setup_read_only(void **state)
{
	return setup_ro(state, true);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ide_destroy(f->ide);
	unlink(f->path);
	free(f->m);
	free(f);
	return 0;
}

static uint8_t inb(struct machine *m, uint16_t port)
{
	return (uint8_t)io_read(m, port, 1);
}

static void outb(struct machine *m, uint16_t port, uint8_t v)
{
	io_write(m, port, 1, v);
}

/* LBA28 task file and a command. */
static void lba28_cmd(struct machine *m, uint32_t lba, uint8_t count,
		      uint8_t cmd)
{
	outb(m, BASE + 6, (uint8_t)(0xe0 | ((lba >> 24) & 0x0f)));
	outb(m, BASE + 2, count);
	outb(m, BASE + 3, (uint8_t)lba);
	outb(m, BASE + 4, (uint8_t)(lba >> 8));
	outb(m, BASE + 5, (uint8_t)(lba >> 16));
	outb(m, BASE + 7, cmd);
}

/* Read one DRQ block of n sectors into buf. */
static void read_block(struct machine *m, uint8_t *buf, unsigned sectors)
{
	for (unsigned i = 0; i < sectors * 256; i++) {
		uint16_t w;

		assert_true(inb(m, CTL) & ATA_SR_DRQ);
		w = (uint16_t)io_read(m, BASE, 2);
		buf[2 * i] = (uint8_t)w;
		buf[2 * i + 1] = (uint8_t)(w >> 8);
	}
}

static void check_sectors(const uint8_t *buf, unsigned lba, unsigned n)
{
	for (unsigned s = 0; s < n; s++)
		for (unsigned i = 0; i < 512; i++)
			if (buf[s * 512 + i] != pattern(lba + s, i))
				fail_msg("lba %u byte %u: %02x, expected %02x",
					 lba + s, i, buf[s * 512 + i],
					 pattern(lba + s, i));
}

static void test_signature_and_absent_device(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	assert_int_equal(inb(f->m, BASE + 1), 0x01);
	assert_int_equal(inb(f->m, BASE + 2), 0x01);
	assert_int_equal(inb(f->m, BASE + 3), 0x01);
	assert_int_equal(inb(f->m, BASE + 4), 0x00);
	assert_int_equal(inb(f->m, BASE + 5), 0x00);
	/* Device 1 is absent: status 0, the task file still reads back. */
	outb(f->m, BASE + 6, 0xb0);
	outb(f->m, BASE + 2, 0x55);
	assert_int_equal(inb(f->m, BASE + 7), 0x00);
	assert_int_equal(inb(f->m, CTL), 0x00);
	assert_int_equal(inb(f->m, BASE + 2), 0x55);
	assert_int_equal(inb(f->m, BASE + 6), 0xb0);
	outb(f->m, BASE + 7, 0xec); /* ignored: nobody there */
	assert_false(f->intc.level[14]);
	/* The secondary channel is empty: the bus floats. */
	assert_int_equal(inb(f->m, 0x177), 0xff);
	assert_int_equal(inb(f->m, 0x376), 0xff);
}

static void test_identify(void **state)
{
	struct fixture *f = *state;
	uint16_t w[256];
	uint8_t sum = 0;

	outb(f->m, BASE + 6, 0xa0);
	outb(f->m, BASE + 7, 0xec);
	assert_true(f->intc.level[14]);
	assert_int_equal(inb(f->m, CTL), 0x58);
	/* The alternate status does not acknowledge; status does. */
	assert_true(f->intc.level[14]);
	assert_int_equal(inb(f->m, BASE + 7), 0x58);
	assert_false(f->intc.level[14]);
	for (unsigned i = 0; i < 256; i++)
		w[i] = (uint16_t)io_read(f->m, BASE, 2);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	assert_int_equal(w[0], 0x0040);
	assert_int_equal(w[1], DISK_SECTORS / (16 * 63));
	assert_int_equal(w[3], 16);
	assert_int_equal(w[6], 63);
	assert_int_equal(w[27], ('p' << 8) | 'o');
	assert_int_equal(w[28], ('p' << 8) | 'e');
	assert_int_equal(w[46], 0x2020);
	assert_int_equal(w[47] & 0xff, 16);
	assert_true(w[49] & (1u << 9));
	assert_int_equal(w[60] | (uint32_t)w[61] << 16, DISK_SECTORS);
	assert_true(w[83] & (1u << 10));
	assert_int_equal(w[100], DISK_SECTORS);
	assert_int_equal(w[101] | w[102] | w[103], 0);
	assert_int_equal(w[255] & 0xff, 0xa5);
	for (unsigned i = 0; i < 256; i++)
		sum += (uint8_t)(w[i] + (w[i] >> 8));
	assert_int_equal(sum, 0);
	/* IDENTIFY PACKET DEVICE is for packet devices only. */
	outb(f->m, BASE + 7, 0xa1);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_ABRT);
}

static void test_read_sectors(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[3 * 512];

	lba28_cmd(f->m, 1000, 3, 0x20);
	for (unsigned s = 0; s < 3; s++) {
		assert_true(f->intc.level[14]);
		assert_int_equal(inb(f->m, BASE + 7), 0x58);
		read_block(f->m, buf + s * 512, 1);
	}
	check_sectors(buf, 1000, 3);
	/* No interrupt after the last block of a read. */
	assert_false(f->intc.level[14]);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	assert_int_equal(inb(f->m, BASE + 3), 1002 & 0xff);
	assert_int_equal(inb(f->m, BASE + 4), 1002 >> 8);
	/* 32-bit data reads take two words at a time. */
	lba28_cmd(f->m, 7, 1, 0x21);
	for (unsigned i = 0; i < 128; i++) {
		uint32_t v = io_read(f->m, BASE, 4);

		memcpy(buf + 4 * i, &v, 4);
	}
	check_sectors(buf, 7, 1);
	assert_int_equal(inb(f->m, BASE + 7) & ATA_SR_DRQ, 0);
}

static void test_write_sectors(void **state)
{
	struct fixture *f = *state;
	uint8_t back[1024];
	int fd;

	lba28_cmd(f->m, 20, 2, 0x30);
	/* The first block is asked for without an interrupt. */
	assert_false(f->intc.level[14]);
	for (unsigned s = 0; s < 2; s++) {
		assert_int_equal(inb(f->m, CTL), 0x58);
		for (unsigned i = 0; i < 256; i++)
			io_write(f->m, BASE, 2, (uint32_t)(0xbe00 + i + s));
		assert_true(f->intc.level[14]);
		inb(f->m, BASE + 7);
	}
	assert_int_equal(inb(f->m, CTL), 0x50);
	fd = open(f->path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, back, 1024, 20 * 512), 1024);
	close(fd);
	for (unsigned s = 0; s < 2; s++)
		for (unsigned i = 0; i < 256; i++) {
			assert_int_equal(back[s * 512 + 2 * i], (i + s) & 0xff);
			assert_int_equal(back[s * 512 + 2 * i + 1],
					 0xbe + ((i + s) >> 8));
		}
	/* FLUSH CACHE and its EXT form. */
	outb(f->m, BASE + 7, 0xe7);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	outb(f->m, BASE + 7, 0xea);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
}

static void test_multiple(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[6 * 512];
	unsigned irqs = 0;

	lba28_cmd(f->m, 0, 6, 0xc4); /* multiple mode is off */
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_ABRT);
	outb(f->m, BASE + 2, 3); /* not a power of two */
	outb(f->m, BASE + 7, 0xc6);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	outb(f->m, BASE + 2, 4);
	outb(f->m, BASE + 7, 0xc6);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	lba28_cmd(f->m, 300, 6, 0xc4);
	/* Blocks of 4 then 2 sectors, one interrupt each. */
	irqs += f->intc.level[14];
	inb(f->m, BASE + 7);
	read_block(f->m, buf, 4);
	irqs += f->intc.level[14];
	inb(f->m, BASE + 7);
	read_block(f->m, buf + 4 * 512, 2);
	assert_int_equal(irqs, 2);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	check_sectors(buf, 300, 6);
	/* WRITE MULTIPLE: 5 sectors as 4 + 1, then read them back. */
	lba28_cmd(f->m, 40, 5, 0xc5);
	for (unsigned i = 0; i < 5 * 256; i++) {
		assert_true(inb(f->m, CTL) & ATA_SR_DRQ);
		io_write(f->m, BASE, 2, i);
	}
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	lba28_cmd(f->m, 40, 5, 0xc4);
	read_block(f->m, buf, 4);
	read_block(f->m, buf + 4 * 512, 1);
	for (unsigned i = 0; i < 5 * 256; i++)
		assert_int_equal(buf[2 * i] | buf[2 * i + 1] << 8, i & 0xffff);
}

static void test_lba48_and_hob(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[512];

	/* LBA 0x000000000FA0: high bytes first, then low. */
	outb(f->m, BASE + 6, 0x40);
	outb(f->m, BASE + 2, 0x00);
	outb(f->m, BASE + 3, 0x00);
	outb(f->m, BASE + 4, 0x00);
	outb(f->m, BASE + 5, 0x00);
	outb(f->m, BASE + 2, 0x01);
	outb(f->m, BASE + 3, 0xa0);
	outb(f->m, BASE + 4, 0x0f);
	outb(f->m, BASE + 5, 0x00);
	outb(f->m, BASE + 7, 0x24);
	read_block(f->m, buf, 1);
	check_sectors(buf, 0xfa0, 1);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	/* A high byte makes it past the end: IDNF. */
	outb(f->m, BASE + 3, 0x01);
	outb(f->m, BASE + 3, 0x00);
	outb(f->m, CTL, ATA_CTL_HOB);
	assert_int_equal(inb(f->m, BASE + 3), 0x01);
	outb(f->m, CTL, 0);
	assert_int_equal(inb(f->m, BASE + 3), 0x00);
	outb(f->m, BASE + 7, 0x24);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_IDNF);
	/* READ NATIVE MAX ADDRESS EXT: the last LBA. */
	outb(f->m, BASE + 7, 0x27);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	assert_int_equal(inb(f->m, BASE + 3), (DISK_SECTORS - 1) & 0xff);
	assert_int_equal(inb(f->m, BASE + 4), (DISK_SECTORS - 1) >> 8);
}

static void test_chs(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[512];

	/* Default translation 16 heads x 63: C1 H2 S5 = LBA 1138. */
	outb(f->m, BASE + 6, 0xa2);
	outb(f->m, BASE + 2, 1);
	outb(f->m, BASE + 3, 5);
	outb(f->m, BASE + 4, 1);
	outb(f->m, BASE + 5, 0);
	outb(f->m, BASE + 7, 0x20);
	read_block(f->m, buf, 1);
	check_sectors(buf, 1138, 1);
	/* INITIALIZE DEVICE PARAMETERS: 4 heads, 32 sectors. */
	outb(f->m, BASE + 6, 0xa3);
	outb(f->m, BASE + 2, 32);
	outb(f->m, BASE + 7, 0x91);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	outb(f->m, BASE + 6, 0xa2);
	outb(f->m, BASE + 2, 1);
	outb(f->m, BASE + 3, 5);
	outb(f->m, BASE + 4, 1);
	outb(f->m, BASE + 7, 0x20);
	read_block(f->m, buf, 1);
	check_sectors(buf, (1 * 4 + 2) * 32 + 4, 1);
	/* Sector 0 and head 4 do not exist. */
	outb(f->m, BASE + 3, 0);
	outb(f->m, BASE + 7, 0x20);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_IDNF);
	outb(f->m, BASE + 6, 0xa4);
	outb(f->m, BASE + 3, 1);
	outb(f->m, BASE + 7, 0x40); /* READ VERIFY */
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_IDNF);
}

static void test_range_errors(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[512];
	struct stat st;

	lba28_cmd(f->m, DISK_SECTORS, 1, 0x20);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_IDNF);
	/* A read that runs off the end fails at the first missing sector. */
	lba28_cmd(f->m, DISK_SECTORS - 1, 2, 0x20);
	read_block(f->m, buf, 1);
	check_sectors(buf, DISK_SECTORS - 1, 1);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_IDNF);
	assert_int_equal(inb(f->m, BASE + 3), DISK_SECTORS & 0xff);
	assert_int_equal(inb(f->m, BASE + 4), DISK_SECTORS >> 8);
	/* Writes past the end never grow the file. */
	lba28_cmd(f->m, DISK_SECTORS, 1, 0x30);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_size, DISK_SECTORS * 512);
	lba28_cmd(f->m, 10, 4, 0x40);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	lba28_cmd(f->m, DISK_SECTORS - 2, 4, 0x40);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
}

static void test_read_only(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[512];

	lba28_cmd(f->m, 5, 1, 0x30);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_ABRT);
	lba28_cmd(f->m, 5, 1, 0x20);
	read_block(f->m, buf, 1);
	check_sectors(buf, 5, 1);
}

static void test_reset_diagnostic_nien(void **state)
{
	struct fixture *f = *state;

	outb(f->m, BASE + 6, 0xb0);
	outb(f->m, BASE + 2, 0x33);
	outb(f->m, CTL, ATA_CTL_SRST);
	assert_int_equal(inb(f->m, CTL), 0x80);
	outb(f->m, CTL, 0);
	/* Device 0 selected, its signature and diagnostic code. */
	assert_int_equal(inb(f->m, BASE + 6) & ATA_DEV_DEV, 0);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	assert_int_equal(inb(f->m, BASE + 1), 0x01);
	assert_int_equal(inb(f->m, BASE + 2), 0x01);
	assert_false(f->intc.level[14]);
	/* EXECUTE DEVICE DIAGNOSTIC interrupts. */
	outb(f->m, BASE + 7, 0x90);
	assert_true(f->intc.level[14]);
	assert_int_equal(inb(f->m, BASE + 1), 0x01);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	/* nIEN: the command completes, the line stays low... */
	outb(f->m, CTL, ATA_CTL_NIEN);
	outb(f->m, BASE + 7, 0xe7);
	assert_false(f->intc.level[14]);
	/* ...until interrupts are enabled again with one pending. */
	outb(f->m, CTL, 0);
	assert_true(f->intc.level[14]);
	inb(f->m, BASE + 7);
	assert_false(f->intc.level[14]);
	/* SET FEATURES: PIO mode 4 yes, UDMA no; CHECK POWER MODE. */
	outb(f->m, BASE + 1, 0x03);
	outb(f->m, BASE + 2, 0x0c);
	outb(f->m, BASE + 7, 0xef);
	assert_int_equal(inb(f->m, BASE + 7), 0x50);
	outb(f->m, BASE + 2, 0x45);
	outb(f->m, BASE + 7, 0xef);
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
	outb(f->m, BASE + 7, 0xe5);
	assert_int_equal(inb(f->m, BASE + 2), 0xff);
	outb(f->m, BASE + 7, 0x00); /* NOP: aborted */
	assert_int_equal(inb(f->m, BASE + 7), 0x51);
}

static void test_bad_images(void **state)
{
	struct fixture *f = *state;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/popek-ide-bad-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ide_attach_disk(f->ide, 1, 0, path, "-hdc", false),
			 -1); /* empty */
	assert_int_equal(ftruncate(fd, 1000), 0);
	assert_int_equal(ide_attach_disk(f->ide, 1, 0, path, "-hdc", false),
			 -1);
	close(fd);
	unlink(path);
	assert_int_equal(ide_attach_disk(f->ide, 1, 0, "/nonexistent/x.img",
					 "-hdc", false),
			 -1);
	assert_int_equal(f->ide->ch[1].dev[0].kind, IDE_NONE);
	assert_int_equal(inb(f->m, 0x177), 0xff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_signature_and_absent_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_sectors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_sectors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_multiple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lba48_and_hob, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_chs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup_read_only,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset_diagnostic_nien,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_images, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
