// SPDX-License-Identifier: MIT
/*
 * ATAPI CD-ROM: the PACKET protocol of ATA/ATAPI-6 §9.10 (PIO) and the
 * SCSI commands a CD-ROM drive answers: SPC-3 (INQUIRY, TEST UNIT READY,
 * REQUEST SENSE, MODE SENSE(10), PREVENT ALLOW MEDIUM REMOVAL) and MMC-4
 * (READ CAPACITY, READ(10)/(12), READ TOC/PMA/ATIP, START STOP UNIT,
 * GET CONFIGURATION).  The medium is one data track of 2048-byte
 * sectors.
 */
#include <string.h>

#include "iodev/ide.h"
#include "machine/machine.h"

/* Additional sense codes (SPC-3 Annex D). */
#define ASC_INVALID_OPCODE 0x20
#define ASC_LBA_OUT_OF_RANGE 0x21
#define ASC_INVALID_FIELD_IN_CDB 0x24
#define ASC_MEDIUM_NOT_PRESENT 0x3a
#define ASC_REMOVAL_PREVENTED 0x53

/* The 2-second lead-in before LBA 0 in MSF addresses (MMC-4 §6.26). */
#define MSF_OFFSET 150

/* A command either fills d->buf with data (its length returned), or
 * fails (-1) with the sense data set. */
typedef int (*atapi_fn)(struct ide_device *d, const uint8_t *cdb);

static void put_be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int fail(struct ide_device *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
	d->sense_key = key;
	d->asc = asc;
	d->ascq = ascq;
	return -1;
}

static bool has_medium(const struct ide_device *d)
{
	return d->img.fd >= 0;
}

void atapi_reset(struct ide_device *d)
{
	d->sense_key = SENSE_NONE;
	d->asc = d->ascq = 0;
	d->cd_remaining = 0;
	d->fill = 0;
}

/* IDENTIFY PACKET DEVICE (ATA/ATAPI-6 §8.16). */
void atapi_identify(struct ide_device *d, uint16_t *w)
{
	memset(w, 0, 512);
	/* ATAPI, CD-ROM (type 5), removable, DRQ within 50 us, 12-byte
	 * packets. */
	w[0] = 0x8000 | (0x05 << 8) | 0x0080 | 0x0040;
	ide_put_string(w, 10, 10, d->serial);
	ide_put_string(w, 23, 4, "1.0");
	ide_put_string(w, 27, 20, "popek ATAPI CD-ROM");
	w[49] = 1u << 9; /* LBA; no DMA */
	w[53] = 0x0002; /* words 64-70 valid */
	w[64] = 0x0003; /* PIO modes 3 and 4 */
	w[65] = w[66] = w[67] = w[68] = 120;
	w[80] = 0x007e; /* ATA/ATAPI-1 to -6 */
	w[82] = 0x4000 | 0x0010; /* NOP listed, PACKET */
	w[83] = 0x4000;
	w[84] = 0x4000;
	w[85] = 0x0010;
	w[87] = 0x4000;
	ide_identify_checksum(w);
}

/* ---- the data phase and completion (§9.10) ---- */

static void data_block_done(struct ide_device *d);

/* Completion: status, interrupt reason I/O + C/D, INTRQ. */
static void packet_complete(struct ide_device *d, bool ok)
{
	d->nsector = ATAPI_REASON_IO | ATAPI_REASON_COD;
	d->block_done = NULL;
	d->pos = d->end = 0;
	d->cd_remaining = 0;
	if (ok) {
		d->status = ATA_SR_DRDY;
		d->error = 0;
	} else {
		d->status = ATA_SR_DRDY | ATA_SR_ERR;
		d->error = (uint8_t)(d->sense_key << 4);
		if (d->sense_key == SENSE_ILLEGAL_REQUEST)
			d->error |= ATA_ER_ABRT;
	}
	ide_raise_irq(d);
}

/* Load the next CD sectors into buf; false: a host read error. */
static bool load_sectors(struct ide_device *d)
{
	uint32_t n = d->cd_remaining;

	if (n > IDE_BUF_SIZE / ATAPI_SECTOR_SIZE)
		n = IDE_BUF_SIZE / ATAPI_SECTOR_SIZE;
	if (block_image_read(&d->img, d->cd_lba * ATAPI_SECTOR_SIZE, d->buf,
			     (size_t)n * ATAPI_SECTOR_SIZE)) {
		/* MEDIUM ERROR, unrecovered read error */
		fail(d, 0x03, 0x11, 0x00);
		return false;
	}
	d->cd_lba += n;
	d->cd_remaining -= n;
	d->fill = n * ATAPI_SECTOR_SIZE;
	d->pos = 0;
	return true;
}

/* Offer the next DRQ block of at most the byte count limit. */
static void next_data_block(struct ide_device *d)
{
	unsigned start = d->pos, n = d->fill - d->pos;

	if (n > d->byte_limit)
		n = d->byte_limit;
	d->lcyl = (uint8_t)n;
	d->hcyl = (uint8_t)(n >> 8);
	d->nsector = ATAPI_REASON_IO;
	ide_pio_block(d, start, start + n, false, data_block_done);
	ide_raise_irq(d);
}

static void data_block_done(struct ide_device *d)
{
	if (d->pos < d->fill) {
		next_data_block(d);
		return;
	}
	if (d->cd_remaining == 0) {
		packet_complete(d, true);
		return;
	}
	if (!load_sectors(d)) {
		packet_complete(d, false);
		return;
	}
	next_data_block(d);
}

/* ---- the commands ---- */

static int cmd_test_unit_ready(struct ide_device *d, const uint8_t *cdb)
{
	(void)d;
	(void)cdb;
	return 0;
}

static int cmd_request_sense(struct ide_device *d, const uint8_t *cdb)
{
	(void)cdb;
	memset(d->buf, 0, 18);
	d->buf[0] = 0x70; /* current error, fixed format (SPC-3 §4.5.3) */
	d->buf[2] = d->sense_key;
	d->buf[7] = 10;
	d->buf[12] = d->asc;
	d->buf[13] = d->ascq;
	/* Reporting the sense data clears it. */
	d->sense_key = SENSE_NONE;
	d->asc = d->ascq = 0;
	return 18;
}

static int cmd_inquiry(struct ide_device *d, const uint8_t *cdb)
{
	if (cdb[1] & 1) /* EVPD: no vital product data pages */
		return fail(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB,
			    0);
	memset(d->buf, 0, 36);
	d->buf[0] = 0x05; /* CD/DVD device */
	d->buf[1] = 0x80; /* removable */
	d->buf[2] = 0x00;
	d->buf[3] = 0x21; /* ATAPI version 2, response data format 1 */
	d->buf[4] = 31;
	memcpy(d->buf + 8, "POPEK   ", 8);
	memcpy(d->buf + 16, "ATAPI CD-ROM    ", 16);
	memcpy(d->buf + 32, "1.0 ", 4);
	return 36;
}

static int cmd_read_capacity(struct ide_device *d, const uint8_t *cdb)
{
	(void)cdb;
	put_be32(d->buf, (uint32_t)(d->sectors - 1));
	put_be32(d->buf + 4, ATAPI_SECTOR_SIZE);
	return 8;
}

static int start_read(struct ide_device *d, uint32_t lba, uint32_t count)
{
	if ((uint64_t)lba + count > d->sectors)
		return fail(d, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
	d->cd_lba = lba;
	d->cd_remaining = count;
	d->fill = 0;
	if (count == 0)
		return 0;
	if (!load_sectors(d))
		return -1;
	return (int)d->fill;
}

static int cmd_read10(struct ide_device *d, const uint8_t *cdb)
{
	return start_read(d, be32(cdb + 2), be16(cdb + 7));
}

static int cmd_read12(struct ide_device *d, const uint8_t *cdb)
{
	return start_read(d, be32(cdb + 2), be32(cdb + 6));
}

/* An address in a TOC descriptor: LBA, or 0 M S F. */
static void put_address(uint8_t *p, uint32_t lba, bool msf)
{
	if (!msf) {
		put_be32(p, lba);
		return;
	}
	lba += MSF_OFFSET;
	p[0] = 0;
	p[1] = (uint8_t)(lba / (60 * 75));
	p[2] = (uint8_t)(lba / 75 % 60);
	p[3] = (uint8_t)(lba % 75);
}

/* One track descriptor (MMC-4 Table 418): data track, ADR 1. */
static void put_track(uint8_t *p, uint8_t track, uint32_t lba, bool msf)
{
	p[0] = 0;
	p[1] = 0x14; /* ADR 1, control: data track */
	p[2] = track;
	p[3] = 0;
	put_address(p + 4, lba, msf);
}

static int cmd_read_toc(struct ide_device *d, const uint8_t *cdb)
{
	bool msf = cdb[1] & 0x02;
	unsigned format = cdb[2] & 0x0f, track = cdb[6], len = 4;

	/* Older drives took the format from bits 7-6 of byte 9. */
	if (format == 0)
		format = cdb[9] >> 6;
	switch (format) {
	case 0: /* formatted TOC: track 1 and the lead-out */
		if (track > 1 && track != 0xaa)
			return fail(d, SENSE_ILLEGAL_REQUEST,
				    ASC_INVALID_FIELD_IN_CDB, 0);
		if (track <= 1) {
			put_track(d->buf + len, 1, 0, msf);
			len += 8;
		}
		put_track(d->buf + len, 0xaa, (uint32_t)d->sectors, msf);
		len += 8;
		break;
	case 1: /* multi-session information: one session */
		put_track(d->buf + len, 1, 0, msf);
		len += 8;
		break;
	default:
		return fail(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB,
			    0);
	}
	put_be16(d->buf, len - 2);
	d->buf[2] = 1; /* first track, or session */
	d->buf[3] = 1; /* last */
	return (int)len;
}

/* MODE SENSE(10) pages: read error recovery (01h) and the CD
 * capabilities page (2Ah, MMC-2 §5.5.10). */
static unsigned put_mode_page(struct ide_device *d, uint8_t *p, unsigned page,
			      bool changeable)
{
	unsigned len;

	if (page == 0x01) {
		static const uint8_t recovery[8] = { 0x01, 0x06, 0x00, 0x05 };

		memcpy(p, recovery, sizeof(recovery));
		len = sizeof(recovery);
	} else {
		static const uint8_t caps[20] = {
			0x2a, 0x12, 0x00, 0x00,
			0x70, 0x00, 0x29, /* lock, eject, tray */
			0x00, 0x02, 0xc2, /* 706 kB/s */
			0x00, 0x00, 0x02, 0x00, /* 512 kB buffer */
			0x02, 0xc2,
		};

		memcpy(p, caps, sizeof(caps));
		if (d->locked)
			p[6] |= 0x02; /* lock state */
		len = sizeof(caps);
	}
	if (changeable) /* nothing can be changed */
		memset(p + 2, 0, len - 2);
	return len;
}

static int cmd_mode_sense10(struct ide_device *d, const uint8_t *cdb)
{
	unsigned page = cdb[2] & 0x3f, len = 8;
	bool changeable = (cdb[2] >> 6) == 1;

	if (page != 0x01 && page != 0x2a && page != 0x3f)
		return fail(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB,
			    0);
	memset(d->buf, 0, 8);
	/* Medium type: 120 mm CD-ROM data, or no disc. */
	d->buf[2] = has_medium(d) ? 0x01 : 0x70;
	if (page == 0x01 || page == 0x3f)
		len += put_mode_page(d, d->buf + len, 0x01, changeable);
	if (page == 0x2a || page == 0x3f)
		len += put_mode_page(d, d->buf + len, 0x2a, changeable);
	put_be16(d->buf, len - 2);
	return (int)len;
}

static int cmd_start_stop(struct ide_device *d, const uint8_t *cdb)
{
	bool load_eject = cdb[4] & 0x02, start = cdb[4] & 0x01;

	if (load_eject && !start) {
		if (d->locked)
			return fail(d, SENSE_ILLEGAL_REQUEST,
				    ASC_REMOVAL_PREVENTED, 0x02);
		/* Eject: the medium is gone until popek is restarted. */
		block_image_close(&d->img);
		d->sectors = 0;
	}
	return 0;
}

static int cmd_prevent_allow(struct ide_device *d, const uint8_t *cdb)
{
	d->locked = cdb[4] & 0x01;
	return 0;
}

/* GET CONFIGURATION (MMC-4 §6.6): the header and the profile list. */
static int cmd_get_configuration(struct ide_device *d, const uint8_t *cdb)
{
	unsigned profile = has_medium(d) ? 0x0008 : 0x0000; /* CD-ROM */

	(void)cdb;
	memset(d->buf, 0, 16);
	put_be32(d->buf, 16 - 4);
	put_be16(d->buf + 6, profile);
	/* Feature 0000h: version 0, persistent, current; one profile. */
	d->buf[8 + 2] = 0x03;
	d->buf[8 + 3] = 4;
	put_be16(d->buf + 12, 0x0008);
	d->buf[14] = has_medium(d) ? 0x01 : 0x00;
	return 16;
}

static int cmd_no_op(struct ide_device *d, const uint8_t *cdb)
{
	(void)d;
	(void)cdb;
	return 0;
}

/* The command set: opcode, medium needed, handler, where the allocation
 * length is (0: none; 4: byte 4; 3: bytes 3-4; 7: bytes 7-8). */
static const struct atapi_command {
	uint8_t opcode;
	bool needs_medium;
	uint8_t alloc_at;
	atapi_fn run;
} atapi_commands[] = {
	{ 0x00, true, 0, cmd_test_unit_ready },
	{ 0x03, false, 4, cmd_request_sense },
	{ 0x12, false, 3, cmd_inquiry },
	{ 0x1b, false, 0, cmd_start_stop },
	{ 0x1e, false, 0, cmd_prevent_allow },
	{ 0x25, true, 0, cmd_read_capacity },
	{ 0x28, true, 0, cmd_read10 },
	{ 0x43, true, 7, cmd_read_toc },
	{ 0x46, false, 7, cmd_get_configuration },
	{ 0x5a, false, 7, cmd_mode_sense10 },
	{ 0xa8, true, 0, cmd_read12 },
	{ 0xbb, false, 0, cmd_no_op }, /* SET CD SPEED */
};

static unsigned allocation_length(const struct atapi_command *c,
				  const uint8_t *cdb)
{
	switch (c->alloc_at) {
	case 3:
		return be16(cdb + 3);
	case 4:
		return cdb[4];
	case 7:
		return be16(cdb + 7);
	default:
		return ~0u;
	}
}

static const struct atapi_command *find_command(uint8_t opcode)
{
	for (size_t i = 0;
	     i < sizeof(atapi_commands) / sizeof(atapi_commands[0]); i++)
		if (atapi_commands[i].opcode == opcode)
			return &atapi_commands[i];
	return NULL;
}

/* The 12 command bytes arrived: run the command (§9.10). */
static void packet_received(struct ide_device *d)
{
	const uint8_t *cdb;
	const struct atapi_command *c;
	unsigned alloc;
	int len;

	memcpy(d->packet, d->buf, sizeof(d->packet));
	cdb = d->packet;
	c = find_command(cdb[0]);
	if (!c)
		len = fail(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
	else if (c->needs_medium && !has_medium(d))
		len = fail(d, SENSE_NOT_READY, ASC_MEDIUM_NOT_PRESENT, 0);
	else
		len = c->run(d, cdb);
	if (len < 0) {
		packet_complete(d, false);
		return;
	}
	/* A successful command other than REQUEST SENSE clears the sense. */
	if (cdb[0] != 0x03) {
		d->sense_key = SENSE_NONE;
		d->asc = d->ascq = 0;
	}
	alloc = allocation_length(c, cdb);
	if ((unsigned)len > alloc)
		len = (int)alloc;
	if (len == 0) {
		packet_complete(d, true);
		return;
	}
	/* The reply (or the first sectors read) is in buf. */
	d->fill = (unsigned)len;
	d->pos = 0;
	next_data_block(d);
}

/* PACKET (§8.21): take the byte count limit, then ask for the packet. */
void atapi_cmd_packet(struct ide_device *d)
{
	unsigned limit = (unsigned)d->hcyl << 8 | d->lcyl;

	if (d->feature & 0x01) { /* DMA: there is no DMA engine */
		d->error = ATA_ER_ABRT;
		d->status = ATA_SR_DRDY | ATA_SR_ERR;
		ide_raise_irq(d);
		return;
	}
	/* 0 is not allowed; treat it, and FFFFh, as the largest even count;
	 * an odd limit is rounded down (§8.21.x, byte count limit). */
	if (limit == 0 || limit == 0xffff)
		limit = 0xfffe;
	limit &= ~1u;
	d->byte_limit = limit;
	d->nsector = ATAPI_REASON_COD;
	ide_pio_block(d, 0, sizeof(d->packet), true, packet_received);
}
