/* SPDX-License-Identifier: MIT */
/*
 * IDE: two ATA channels as a PIIX3-compatible IDE function decodes them
 * in compatibility mode (primary 0x1F0-0x1F7 and 0x3F6 on IRQ 14,
 * secondary 0x170-0x177 and 0x376 on IRQ 15), each with up to two
 * devices: ATA disks on raw images, or ATAPI CD-ROMs on ISO images.
 *
 * References: ATA/ATAPI-6 (T13/1410D rev. 3b): §5.x registers, §8
 * commands, §9 protocols; SPC-3 and MMC-4 for the ATAPI packet commands.
 * Commands complete at once: BSY is never seen.
 */
#ifndef POPEK_IODEV_IDE_H
#define POPEK_IODEV_IDE_H

#include <stdbool.h>
#include <stdint.h>

#include "chipset/pci.h"
#include "iodev/block_image.h"

struct machine;
struct ide_device;

#define IDE_PRIMARY_BASE 0x1f0
#define IDE_PRIMARY_CTL 0x3f6
#define IDE_PRIMARY_IRQ 14
#define IDE_SECONDARY_BASE 0x170
#define IDE_SECONDARY_CTL 0x376
#define IDE_SECONDARY_IRQ 15

#define ATA_SECTOR_SIZE 512
#define ATAPI_SECTOR_SIZE 2048
/* The largest READ/WRITE MULTIPLE block (IDENTIFY word 47). */
#define ATA_MAX_MULTIPLE 16
/* The transfer buffer: 16 CD sectors, or 64 disk sectors. */
#define IDE_BUF_SIZE (16 * ATAPI_SECTOR_SIZE)

/* Command block registers, offsets from the channel base (§7.x). */
enum ide_reg {
	IDE_DATA = 0,
	IDE_ERROR = 1, /* read */
	IDE_FEATURE = 1, /* write */
	IDE_NSECTOR = 2, /* ATAPI: interrupt reason */
	IDE_SECTOR = 3, /* LBA 7:0 */
	IDE_LCYL = 4, /* LBA 15:8; ATAPI: byte count low */
	IDE_HCYL = 5, /* LBA 23:16; ATAPI: byte count high */
	IDE_SELECT = 6, /* device/head */
	IDE_STATUS = 7, /* read */
	IDE_COMMAND = 7, /* write */
};

/* Status register (§7.15). */
#define ATA_SR_BSY 0x80
#define ATA_SR_DRDY 0x40
#define ATA_SR_DF 0x20
#define ATA_SR_DSC 0x10
#define ATA_SR_DRQ 0x08
#define ATA_SR_ERR 0x01

/* Error register (§8, each command's Error outputs). */
#define ATA_ER_UNC 0x40
#define ATA_ER_IDNF 0x10
#define ATA_ER_ABRT 0x04

/* Device register. */
#define ATA_DEV_LBA 0x40
#define ATA_DEV_DEV 0x10

/* Device control register (§7.9). */
#define ATA_CTL_NIEN 0x02
#define ATA_CTL_SRST 0x04
#define ATA_CTL_HOB 0x80

/* ATAPI interrupt reason (in the sector count register). */
#define ATAPI_REASON_COD 0x01
#define ATAPI_REASON_IO 0x02

/* SCSI sense keys (SPC-3 §4.5.6). */
#define SENSE_NONE 0x00
#define SENSE_NOT_READY 0x02
#define SENSE_ILLEGAL_REQUEST 0x05
#define SENSE_UNIT_ATTENTION 0x06

enum ide_kind {
	IDE_NONE,
	IDE_ATA,
	IDE_ATAPI
};

/* Called when the host has moved the last byte of a DRQ data block. */
typedef void (*ide_block_done_fn)(struct ide_device *d);

struct ide_device {
	struct ide_channel *ch;
	unsigned unit; /* 0: device 0 (master), 1: device 1 */
	enum ide_kind kind;
	struct block_image img; /* ATAPI: fd < 0 means no medium */
	uint64_t sectors; /* capacity in the device's own sectors */
	char serial[21];

	/* Default and current CHS translation (ATA). */
	unsigned cyls, heads, spt;
	unsigned cur_cyls, cur_heads, cur_spt;
	unsigned multiple; /* sectors per READ/WRITE MULTIPLE block; 0 off */

	/* The task file; writes reach both devices on the channel. */
	uint8_t feature, nsector, sector, lcyl, hcyl, select;
	uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl;
	uint8_t status, error;
	bool intrq; /* INTRQ pending */

	/* The PIO data block under way: buf[pos, end). */
	uint8_t buf[IDE_BUF_SIZE];
	unsigned pos, end;
	bool data_out; /* host to device */
	ide_block_done_fn block_done;

	/* A multi-sector ATA command in progress. */
	uint64_t lba;
	uint32_t remaining; /* sectors still to move */
	unsigned block; /* sectors in the current block */
	bool lba48;
	bool chs; /* the command addressed by CHS */
	bool multi_cmd; /* READ/WRITE MULTIPLE: blocks of `multiple` */

	/* ATAPI. */
	uint8_t packet[12];
	uint8_t sense_key, asc, ascq;
	unsigned byte_limit; /* per DRQ block */
	unsigned fill; /* valid bytes in buf for the data phase */
	uint64_t cd_lba; /* next CD sector to load */
	uint32_t cd_remaining; /* CD sectors still to load */
	bool locked; /* PREVENT MEDIUM REMOVAL */
};

struct ide_channel {
	struct machine *m;
	struct ide *ide;
	unsigned index;
	uint16_t base, ctl;
	unsigned irq;
	struct ide_device dev[2];
	unsigned cur; /* the selected device */
	uint8_t devctl;
	bool irq_level;
};

struct ide {
	struct machine *m;
	struct ide_channel ch[2];
	struct pci_function pci;
};

/* Both channels, no devices yet.  Returns NULL after one line on stderr. */
struct ide *ide_create(struct machine *m);
void ide_destroy(struct ide *ide);

/*
 * Attach an ATA disk (raw image, a multiple of 512 bytes; read-only
 * when asked or when the file cannot be written: writes then abort;
 * under the machine's -snapshot, writes go to memory) or
 * an ATAPI CD-ROM (path NULL: no medium) at channel ch, unit.  who names the
 * option in the one error line.  Returns 0 or -1.
 */
int ide_attach_disk(struct ide *ide, unsigned ch, unsigned unit,
		    const char *path, const char *who, bool read_only);
int ide_attach_cdrom(struct ide *ide, unsigned ch, unsigned unit,
		     const char *path, const char *who);

/* The PIIX3-compatible IDE function at 00:01.1 (ide_pci.c). */
int ide_pci_register(struct ide *ide);

/* ---- shared by ide.c and atapi.c ---- */

void ide_raise_irq(struct ide_device *d);
/* Start a PIO data block of buf[pos, end) in either direction. */
void ide_pio_block(struct ide_device *d, unsigned pos, unsigned end, bool out,
		   ide_block_done_fn done);
/* Put a bare identify-style ASCII field, space padded, byte-swapped. */
void ide_put_string(uint16_t *words, unsigned first, unsigned nwords,
		    const char *s);
/* Word 255: signature A5h and the checksum (§8.15.61). */
void ide_identify_checksum(uint16_t *words);
void ide_store_identify(struct ide_device *d, const uint16_t *words);
/* The packet device signature in the task file (§9.12). */
void ide_set_signature(struct ide_device *d);

void atapi_cmd_packet(struct ide_device *d);
void atapi_identify(struct ide_device *d, uint16_t *words);
void atapi_reset(struct ide_device *d);

#endif
