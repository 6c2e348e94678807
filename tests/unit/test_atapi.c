// SPDX-License-Identifier: MIT
/*
 * The ATAPI CD-ROM on the secondary channel: signature, IDENTIFY PACKET
 * DEVICE, the PACKET protocol with its byte count limit, and the SCSI
 * commands: INQUIRY, TEST UNIT READY, REQUEST SENSE, READ CAPACITY,
 * READ(10)/(12), READ TOC, MODE SENSE(10), GET CONFIGURATION, START STOP
 * UNIT, PREVENT ALLOW MEDIUM REMOVAL; a drive with no medium.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "fake_intc.h"
#include "iodev/ide.h"

#define CD_SECTORS 40u
#define BASE 0x170
#define CTL 0x376

struct fixture {
	struct machine *m;
	struct fake_intc intc;
	struct ide *ide;
	char path[64];
	uint8_t data[64 * 2048];
	unsigned len; /* bytes of the last data phase */
	unsigned blocks; /* DRQ blocks in it */
};

static uint8_t pattern(unsigned lba, unsigned off)
{
	return (uint8_t)(lba * 5 + off + (off >> 8));
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t sector[2048];
	int fd;

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	irq_attach_controller(f->m, &fake_intc_ops, &f->intc);
	f->ide = ide_create(f->m);
	assert_non_null(f->ide);
	snprintf(f->path, sizeof(f->path), "/tmp/popek-atapi-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	for (unsigned lba = 0; lba < CD_SECTORS; lba++) {
		for (unsigned i = 0; i < 2048; i++)
			sector[i] = pattern(lba, i);
		assert_int_equal(write(fd, sector, 2048), 2048);
	}
	close(fd);
	assert_int_equal(ide_attach_cdrom(f->ide, 1, 0, f->path, "-cdrom"), 0);
	assert_int_equal(ide_attach_cdrom(f->ide, 1, 1, NULL, "-cdrom"), 0);
	*state = f;
	return 0;
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

/*
 * Send a 12-byte packet to device dev with a byte count limit, take
 * every data block into f->data, and return the final status.
 */
static uint8_t packet(struct fixture *f, unsigned dev, const uint8_t *cdb,
		      unsigned limit)
{
	struct machine *m = f->m;
	uint8_t status;

	outb(m, BASE + 6, dev ? 0xb0 : 0xa0);
	outb(m, BASE + 1, 0);
	outb(m, BASE + 4, (uint8_t)limit);
	outb(m, BASE + 5, (uint8_t)(limit >> 8));
	outb(m, BASE + 7, 0xa0);
	assert_int_equal(inb(m, CTL) & (ATA_SR_DRQ | ATA_SR_BSY), ATA_SR_DRQ);
	assert_int_equal(inb(m, BASE + 2) & 3, ATAPI_REASON_COD);
	for (unsigned i = 0; i < 6; i++)
		io_write(m, BASE, 2, cdb[2 * i] | cdb[2 * i + 1] << 8);
	f->len = 0;
	f->blocks = 0;
	while ((status = inb(m, BASE + 7)) & ATA_SR_DRQ) {
		unsigned n = inb(m, BASE + 4) | inb(m, BASE + 5) << 8;

		assert_int_equal(inb(m, BASE + 2) & 3, ATAPI_REASON_IO);
		if (n == 0 || n > (limit & ~1u))
			fail_msg(
				"DRQ block of %u bytes, limit %u, cmd %02x after %u",
				n, limit, cdb[0], f->len);
		assert_true(f->len + n <= sizeof(f->data));
		for (unsigned i = 0; i < n; i += 2) {
			uint16_t w = (uint16_t)io_read(m, BASE, 2);

			f->data[f->len + i] = (uint8_t)w;
			if (i + 1 < n)
				f->data[f->len + i + 1] = (uint8_t)(w >> 8);
		}
		f->len += n;
		f->blocks++;
	}
	assert_int_equal(inb(m, BASE + 2) & 3,
			 ATAPI_REASON_IO | ATAPI_REASON_COD);
	return status;
}

static uint8_t cmd(struct fixture *f, unsigned dev, unsigned limit, uint8_t b0,
		   uint8_t b1, uint8_t b2, uint8_t b3, uint8_t b4, uint8_t b5,
		   uint8_t b6, uint8_t b7, uint8_t b8, uint8_t b9)
{
	const uint8_t cdb[12] = { b0, b1, b2, b3, b4, b5, b6, b7, b8, b9 };

	return packet(f, dev, cdb, limit);
}

/* REQUEST SENSE: key, ASC, ASCQ in one number. */
static uint32_t sense(struct fixture *f, unsigned dev)
{
	assert_int_equal(cmd(f, dev, 0xfffe, 0x03, 0, 0, 0, 18, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 18);
	assert_int_equal(f->data[0], 0x70);
	return (uint32_t)(f->data[2] << 16 | f->data[12] << 8 | f->data[13]);
}

static void test_signature_and_identify(void **state)
{
	struct fixture *f = *state;
	uint16_t w[256];
	uint8_t sum = 0;

	assert_int_equal(inb(f->m, BASE + 4), 0x14);
	assert_int_equal(inb(f->m, BASE + 5), 0xeb);
	assert_int_equal(inb(f->m, BASE + 2), 0x01);
	assert_int_equal(inb(f->m, BASE + 3), 0x01);
	assert_int_equal(inb(f->m, BASE + 7), 0x00);
	/* IDENTIFY DEVICE: aborted, with the signature in place. */
	outb(f->m, BASE + 4, 0);
	outb(f->m, BASE + 7, 0xec);
	assert_true(f->intc.level[15]);
	assert_int_equal(inb(f->m, BASE + 7) & ATA_SR_ERR, ATA_SR_ERR);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_ABRT);
	assert_int_equal(inb(f->m, BASE + 4), 0x14);
	outb(f->m, BASE + 7, 0xa1);
	assert_int_equal(inb(f->m, BASE + 7), ATA_SR_DRDY | ATA_SR_DRQ);
	for (unsigned i = 0; i < 256; i++)
		w[i] = (uint16_t)io_read(f->m, BASE, 2);
	assert_int_equal(inb(f->m, BASE + 7), ATA_SR_DRDY);
	assert_int_equal(w[0], 0x85c0);
	assert_int_equal(w[27], ('p' << 8) | 'o');
	assert_true(w[49] & (1u << 9));
	for (unsigned i = 0; i < 256; i++)
		sum += (uint8_t)(w[i] + (w[i] >> 8));
	assert_int_equal(sum, 0);
	/* DEVICE RESET: signature again, no interrupt. */
	outb(f->m, BASE + 4, 0);
	outb(f->m, BASE + 7, 0x08);
	assert_false(f->intc.level[15]);
	assert_int_equal(inb(f->m, BASE + 4), 0x14);
	assert_int_equal(inb(f->m, BASE + 5), 0xeb);
}

static void test_inquiry_and_byte_count(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cmd(f, 0, 0xfffe, 0x12, 0, 0, 0, 96, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 36);
	assert_int_equal(f->data[0], 0x05);
	assert_int_equal(f->data[1], 0x80);
	assert_memory_equal(f->data + 8, "POPEK   ", 8);
	/* The allocation length cuts the reply; the limit splits it. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0x12, 0, 0, 0, 5, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 5);
	assert_int_equal(cmd(f, 0, 8, 0x12, 0, 0, 0, 36, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 36);
	assert_int_equal(f->blocks, 5);
	/* An odd limit is taken as the even count below it. */
	assert_int_equal(cmd(f, 0, 11, 0x12, 0, 0, 0, 36, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->blocks, 4);
	/* EVPD pages are not supported. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0x12, 1, 0x80, 0, 36, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(inb(f->m, BASE + 1) >> 4, SENSE_ILLEGAL_REQUEST);
	assert_int_equal(sense(f, 0), 0x052400);
}

static void test_no_medium(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cmd(f, 1, 0xfffe, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(inb(f->m, BASE + 1), SENSE_NOT_READY << 4);
	assert_true(f->intc.edges[15] > 0);
	assert_int_equal(sense(f, 1), 0x023a00);
	/* Sense data is reported once. */
	assert_int_equal(sense(f, 1), 0x000000);
	assert_int_equal(cmd(f, 1, 0xfffe, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(cmd(f, 1, 0xfffe, 0x46, 0, 0, 0, 0, 0, 0, 0, 16, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->data[6] << 8 | f->data[7], 0x0000);
	/* The drive with a medium is ready. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
}

static void test_capacity_and_read(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cmd(f, 0, 0xfffe, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 8);
	assert_int_equal(f->data[3], CD_SECTORS - 1);
	assert_int_equal(f->data[6] << 8 | f->data[7], 2048);
	/* READ(10) of 3 sectors from LBA 7 in 2048-byte blocks. */
	assert_int_equal(cmd(f, 0, 2048, 0x28, 0, 0, 0, 0, 7, 0, 0, 3, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 3 * 2048);
	assert_int_equal(f->blocks, 3);
	for (unsigned i = 0; i < 3 * 2048; i++)
		if (f->data[i] != pattern(7 + i / 2048, i % 2048))
			fail_msg("byte %u", i);
	/* READ(12) of 20 sectors: more than one buffer load. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0xa8, 0, 0, 0, 0, 20, 0, 0, 0, 20),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 20 * 2048);
	for (unsigned i = 0; i < 20 * 2048; i++)
		if (f->data[i] != pattern(20 + i / 2048, i % 2048))
			fail_msg("byte %u", i);
	/* Zero sectors: no data phase. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0x28, 0, 0, 0, 0, 7, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 0);
	/* Past the end: LOGICAL BLOCK ADDRESS OUT OF RANGE. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0x28, 0, 0, 0, 0, CD_SECTORS - 1, 0,
			     0, 2, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(sense(f, 0), 0x052100);
	/* An unknown command. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(sense(f, 0), 0x052000);
}

static void test_read_toc(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cmd(f, 0, 0xfffe, 0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 20);
	assert_int_equal(f->data[1], 18);
	assert_int_equal(f->data[2], 1);
	assert_int_equal(f->data[3], 1);
	assert_int_equal(f->data[5], 0x14);
	assert_int_equal(f->data[6], 1);
	assert_int_equal(f->data[11], 0);
	assert_int_equal(f->data[14], 0xaa);
	assert_int_equal(f->data[19], CD_SECTORS);
	/* MSF: track 1 at 00:02:00, the lead-out at 00:02:40. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0x43, 2, 0, 0, 0, 0, 0, 0, 100, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->data[9], 0);
	assert_int_equal(f->data[10], 2);
	assert_int_equal(f->data[11], 0);
	assert_int_equal(f->data[17], 0);
	assert_int_equal(f->data[18], 2);
	assert_int_equal(f->data[19], 40);
	/* From the lead-out only; then a track that does not exist. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0x43, 0, 0, 0, 0, 0, 0xaa, 0, 100,
			     0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 12);
	assert_int_equal(cmd(f, 0, 0xfffe, 0x43, 0, 0, 0, 0, 0, 5, 0, 100, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(sense(f, 0), 0x052400);
}

static void test_mode_sense_config_eject(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cmd(f, 0, 0xfffe, 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 64, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 28);
	assert_int_equal(f->data[1], 26);
	assert_int_equal(f->data[8], 0x2a);
	assert_int_equal(f->data[9], 0x12);
	assert_int_equal(cmd(f, 0, 0xfffe, 0x5a, 0, 0x3f, 0, 0, 0, 0, 0, 64, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->len, 8 + 8 + 20);
	assert_int_equal(cmd(f, 0, 0xfffe, 0x5a, 0, 0x05, 0, 0, 0, 0, 0, 64, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(cmd(f, 0, 0xfffe, 0x46, 0, 0, 0, 0, 0, 0, 0, 16, 0),
			 ATA_SR_DRDY);
	assert_int_equal(f->data[6] << 8 | f->data[7], 0x0008);
	/* Locked: the eject is refused. */
	assert_int_equal(cmd(f, 0, 0xfffe, 0x1e, 0, 0, 0, 1, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(cmd(f, 0, 0xfffe, 0x1b, 0, 0, 0, 2, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(sense(f, 0), 0x055302);
	assert_int_equal(cmd(f, 0, 0xfffe, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(cmd(f, 0, 0xfffe, 0x1b, 0, 0, 0, 2, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY);
	assert_int_equal(cmd(f, 0, 0xfffe, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(sense(f, 0), 0x023a00);
}

static void test_dma_not_offered(void **state)
{
	struct fixture *f = *state;

	outb(f->m, BASE + 6, 0xa0);
	outb(f->m, BASE + 1, 0x01); /* DMA */
	outb(f->m, BASE + 7, 0xa0);
	assert_int_equal(inb(f->m, BASE + 7), ATA_SR_DRDY | ATA_SR_ERR);
	assert_int_equal(inb(f->m, BASE + 1), ATA_ER_ABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signature_and_identify,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_inquiry_and_byte_count,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_medium, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_capacity_and_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_toc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode_sense_config_eject,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_not_offered, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
