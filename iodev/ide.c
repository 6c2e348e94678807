// SPDX-License-Identifier: MIT
/*
 * IDE channels and ATA disks.  Section references are to ATA/ATAPI-6
 * (T13/1410D revision 3b): §7 the registers, §8 the commands, §9 the
 * protocols (§9.7 PIO data-in, §9.8 PIO data-out, §9.9 non-data, §9.2
 * software reset, §9.12 signatures).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iodev/ide.h"
#include "machine/machine.h"

/* What a command table entry allows. */
#define CMD_ATA 0x01 /* valid for ATA disks */
#define CMD_ATAPI 0x02 /* valid for packet devices */
#define CMD_LBA48 0x04 /* 48-bit addressing (the EXT forms) */
#define CMD_MULTIPLE 0x08 /* READ/WRITE MULTIPLE: blocks of `multiple` */
#define CMD_SIGNATURE 0x10 /* aborted by a packet device with its signature */

static void update_irq(struct ide_channel *ch)
{
	struct ide_device *d = &ch->dev[ch->cur];
	bool level = d->kind != IDE_NONE && d->intrq &&
		     !(ch->devctl & ATA_CTL_NIEN);

	if (level != ch->irq_level) {
		ch->irq_level = level;
		irq_set(ch->m, ch->irq, level);
	}
}

void ide_raise_irq(struct ide_device *d)
{
	d->intrq = true;
	update_irq(d->ch);
}

static uint8_t ready_status(const struct ide_device *d)
{
	return d->kind == IDE_ATA ? ATA_SR_DRDY | ATA_SR_DSC : ATA_SR_DRDY;
}

/* Command completed without data, or the last block moved. */
static void complete(struct ide_device *d, bool interrupt)
{
	d->status = ready_status(d);
	d->block_done = NULL;
	d->pos = d->end = 0;
	if (interrupt)
		ide_raise_irq(d);
}

static void abort_with(struct ide_device *d, uint8_t error)
{
	d->error = error;
	d->status = ready_status(d) | ATA_SR_ERR;
	d->block_done = NULL;
	d->pos = d->end = 0;
	ide_raise_irq(d);
}

void ide_pio_block(struct ide_device *d, unsigned pos, unsigned end, bool out,
		   ide_block_done_fn done)
{
	d->pos = pos;
	d->end = end;
	d->data_out = out;
	d->block_done = done;
	d->status = ready_status(d) | ATA_SR_DRQ;
}

void ide_put_string(uint16_t *words, unsigned first, unsigned nwords,
		    const char *s)
{
	size_t len = strlen(s);

	/* Two characters a word, the first in bits 15-8 (§8.15.x). */
	for (unsigned i = 0; i < 2 * nwords; i++) {
		uint8_t c = i < len ? (uint8_t)s[i] : ' ';

		if (i & 1)
			words[first + i / 2] |= c;
		else
			words[first + i / 2] = (uint16_t)(c << 8);
	}
}

void ide_identify_checksum(uint16_t *words)
{
	uint8_t sum = 0xa5;

	for (unsigned i = 0; i < 255; i++)
		sum += (uint8_t)(words[i] + (words[i] >> 8));
	words[255] = (uint16_t)(((uint8_t)-sum << 8) | 0xa5);
}

void ide_store_identify(struct ide_device *d, const uint16_t *words)
{
	for (unsigned i = 0; i < 256; i++) {
		d->buf[2 * i] = (uint8_t)words[i];
		d->buf[2 * i + 1] = (uint8_t)(words[i] >> 8);
	}
}

void ide_set_signature(struct ide_device *d)
{
	d->nsector = 1;
	d->sector = 1;
	if (d->kind == IDE_ATAPI) {
		d->lcyl = 0x14;
		d->hcyl = 0xeb;
	} else {
		d->lcyl = 0;
		d->hcyl = 0;
	}
	d->select = 0;
}

/* ---- addressing ---- */

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The default translation (IDENTIFY words 1, 3, 6): 16 heads, 63
 * sectors, at most 16383 cylinders; tiny disks get fewer. */
static void default_geometry(struct ide_device *d)
{
	uint64_t n = d->sectors;

	d->heads = 16;
	d->spt = 63;
	if (n < 16 * 63) {
		d->heads = 1;
		d->spt = n < 63 ? (unsigned)n : 63;
	}
	d->cyls = (unsigned)min_u64(n / (d->heads * d->spt), 16383);
	d->cur_cyls = d->cyls;
	d->cur_heads = d->heads;
	d->cur_spt = d->spt;
}

/* The address in the task file; false: no such sector (IDNF). */
static bool task_file_lba(struct ide_device *d, uint64_t *lba)
{
	unsigned c, h, s;

	if (d->lba48) {
		*lba = ((uint64_t)d->hob_hcyl << 40) |
		       ((uint64_t)d->hob_lcyl << 32) |
		       ((uint64_t)d->hob_sector << 24) |
		       ((uint64_t)d->hcyl << 16) | ((uint64_t)d->lcyl << 8) |
		       d->sector;
		return true;
	}
	if (d->select & ATA_DEV_LBA) {
		*lba = ((uint64_t)(d->select & 0x0f) << 24) |
		       ((uint64_t)d->hcyl << 16) | ((uint64_t)d->lcyl << 8) |
		       d->sector;
		return true;
	}
	c = (unsigned)d->hcyl << 8 | d->lcyl;
	h = d->select & 0x0f;
	s = d->sector;
	if (s == 0 || s > d->cur_spt || h >= d->cur_heads || c >= d->cur_cyls)
		return false;
	*lba = ((uint64_t)c * d->cur_heads + h) * d->cur_spt + (s - 1);
	return true;
}

/* Leave the address of sector lba in the task file (a failing sector,
 * or the last one moved). */
static void set_task_file_lba(struct ide_device *d, uint64_t lba)
{
	if (d->chs && d->cur_heads && d->cur_spt) {
		unsigned s = (unsigned)(lba % d->cur_spt) + 1;
		uint64_t t = lba / d->cur_spt;
		unsigned h = (unsigned)(t % d->cur_heads);
		unsigned c = (unsigned)(t / d->cur_heads);

		d->sector = (uint8_t)s;
		d->lcyl = (uint8_t)c;
		d->hcyl = (uint8_t)(c >> 8);
		d->select = (uint8_t)((d->select & 0xf0) | h);
		return;
	}
	d->sector = (uint8_t)lba;
	d->lcyl = (uint8_t)(lba >> 8);
	d->hcyl = (uint8_t)(lba >> 16);
	if (d->lba48) {
		d->hob_sector = (uint8_t)(lba >> 24);
		d->hob_lcyl = (uint8_t)(lba >> 32);
		d->hob_hcyl = (uint8_t)(lba >> 40);
	} else {
		d->select = (uint8_t)((d->select & 0xf0) | ((lba >> 24) & 0xf));
	}
}

static uint32_t task_file_count(const struct ide_device *d)
{
	uint32_t n = d->nsector;

	if (d->lba48) {
		n |= (uint32_t)d->hob_nsector << 8;
		return n ? n : 65536;
	}
	return n ? n : 256;
}

/* Decode the address and count of a sector command; false: aborted. */
static bool start_sectors(struct ide_device *d, uint8_t flags)
{
	d->lba48 = flags & CMD_LBA48;
	d->chs = !d->lba48 && !(d->select & ATA_DEV_LBA);
	d->remaining = task_file_count(d);
	if (!task_file_lba(d, &d->lba) || d->lba >= d->sectors) {
		abort_with(d, ATA_ER_IDNF);
		return false;
	}
	return true;
}

/* Sectors in the next DRQ block. */
static unsigned next_block(const struct ide_device *d, bool multiple)
{
	unsigned n = multiple ? d->multiple : 1;

	return d->remaining < n ? d->remaining : n;
}

/* The block [lba, lba + block) exists; else the error names its first
 * missing sector. */
static bool block_in_range(struct ide_device *d)
{
	if (d->lba + d->block <= d->sectors)
		return true;
	set_task_file_lba(d, d->lba < d->sectors ? d->sectors : d->lba);
	abort_with(d, ATA_ER_IDNF);
	return false;
}

/* ---- PIO data-in: READ SECTORS / MULTIPLE (§9.7) ---- */

static void read_block_done(struct ide_device *d);

static void read_block(struct ide_device *d)
{
	size_t len = (size_t)d->block * ATA_SECTOR_SIZE;

	if (!block_in_range(d))
		return;
	if (block_image_read(&d->img, d->lba * ATA_SECTOR_SIZE, d->buf, len)) {
		set_task_file_lba(d, d->lba);
		abort_with(d, ATA_ER_UNC);
		return;
	}
	ide_pio_block(d, 0, (unsigned)len, false, read_block_done);
	ide_raise_irq(d);
}

static void read_block_done(struct ide_device *d)
{
	d->lba += d->block;
	d->remaining -= d->block;
	set_task_file_lba(d, d->lba - 1);
	if (d->remaining == 0) {
		d->nsector = 0;
		complete(d, false);
		return;
	}
	d->block = next_block(d, d->multi_cmd);
	read_block(d);
}

static void cmd_read(struct ide_device *d, uint8_t flags)
{
	bool multiple = flags & CMD_MULTIPLE;

	if (multiple && d->multiple == 0) {
		abort_with(d, ATA_ER_ABRT);
		return;
	}
	if (!start_sectors(d, flags))
		return;
	d->multi_cmd = multiple;
	d->block = next_block(d, multiple);
	read_block(d);
}

/* ---- PIO data-out: WRITE SECTORS / MULTIPLE (§9.8) ---- */

static void write_block_done(struct ide_device *d);

static void want_block(struct ide_device *d, bool interrupt)
{
	if (!block_in_range(d))
		return;
	ide_pio_block(d, 0, d->block * ATA_SECTOR_SIZE, true, write_block_done);
	if (interrupt)
		ide_raise_irq(d);
}

static void write_block_done(struct ide_device *d)
{
	if (block_image_write(&d->img, d->lba * ATA_SECTOR_SIZE, d->buf,
			      (size_t)d->block * ATA_SECTOR_SIZE)) {
		set_task_file_lba(d, d->lba);
		abort_with(d, ATA_ER_ABRT);
		return;
	}
	d->lba += d->block;
	d->remaining -= d->block;
	set_task_file_lba(d, d->lba - 1);
	if (d->remaining == 0) {
		d->nsector = 0;
		complete(d, true);
		return;
	}
	d->block = next_block(d, d->multi_cmd);
	want_block(d, true);
}

static void cmd_write(struct ide_device *d, uint8_t flags)
{
	bool multiple = flags & CMD_MULTIPLE;

	if ((multiple && d->multiple == 0) || d->img.read_only) {
		abort_with(d, ATA_ER_ABRT);
		return;
	}
	if (!start_sectors(d, flags))
		return;
	d->multi_cmd = multiple;
	d->block = next_block(d, multiple);
	/* The first block is asked for without an interrupt. */
	want_block(d, false);
}

/* ---- non-data commands (§9.9) ---- */

static void cmd_verify(struct ide_device *d, uint8_t flags)
{
	if (!start_sectors(d, flags))
		return;
	d->block = d->remaining;
	if (!block_in_range(d))
		return;
	set_task_file_lba(d, d->lba + d->remaining - 1);
	complete(d, true);
}

static void cmd_flush(struct ide_device *d, uint8_t flags)
{
	(void)flags;
	if (block_image_flush(&d->img))
		abort_with(d, ATA_ER_ABRT);
	else
		complete(d, true);
}

static void cmd_success(struct ide_device *d, uint8_t flags)
{
	(void)flags;
	complete(d, true);
}

static void cmd_check_power(struct ide_device *d, uint8_t flags)
{
	(void)flags;
	d->nsector = 0xff; /* active or idle */
	complete(d, true);
}

static void cmd_set_multiple(struct ide_device *d, uint8_t flags)
{
	unsigned n = d->nsector;

	(void)flags;
	/* 0 disables; otherwise a power of two up to word 47's maximum. */
	if (n > ATA_MAX_MULTIPLE || (n & (n - 1))) {
		abort_with(d, ATA_ER_ABRT);
		return;
	}
	d->multiple = n;
	complete(d, true);
}

static void cmd_init_params(struct ide_device *d, uint8_t flags)
{
	unsigned heads = (d->select & 0x0f) + 1u, spt = d->nsector;

	(void)flags;
	if (spt == 0) {
		abort_with(d, ATA_ER_ABRT);
		return;
	}
	d->cur_heads = heads;
	d->cur_spt = spt;
	d->cur_cyls = (unsigned)min_u64(d->sectors / (heads * spt), 65535);
	complete(d, true);
}

static void cmd_set_features(struct ide_device *d, uint8_t flags)
{
	(void)flags;
	switch (d->feature) {
	case 0x02: /* enable write cache (writes go through anyway) */
	case 0x82: /* disable write cache */
	case 0x55: /* disable read look-ahead */
	case 0xaa: /* enable read look-ahead */
	case 0x66: /* keep settings over a reset */
	case 0xcc: /* revert to defaults on reset */
		complete(d, true);
		return;
	case 0x03: /* set transfer mode: PIO modes only (no DMA engine) */
		if ((d->nsector & 0xf8) == 0x00 ||
		    (d->nsector & 0xf8) == 0x08) {
			complete(d, true);
			return;
		}
		break;
	}
	abort_with(d, ATA_ER_ABRT);
}

static void cmd_read_native_max(struct ide_device *d, uint8_t flags)
{
	d->lba48 = flags & CMD_LBA48;
	d->chs = false;
	set_task_file_lba(d, d->sectors - 1);
	if (!d->lba48)
		d->select |= ATA_DEV_LBA;
	complete(d, true);
}

/* ---- IDENTIFY DEVICE (§8.15) ---- */

static void ata_identify(struct ide_device *d, uint16_t *w)
{
	uint64_t lba28 = min_u64(d->sectors, 0x0fffffff);
	uint64_t cur = (uint64_t)d->cur_cyls * d->cur_heads * d->cur_spt;

	memset(w, 0, 512);
	w[0] = 0x0040; /* fixed device */
	w[1] = (uint16_t)d->cyls;
	w[3] = (uint16_t)d->heads;
	w[6] = (uint16_t)d->spt;
	ide_put_string(w, 10, 10, d->serial);
	ide_put_string(w, 23, 4, "1.0");
	ide_put_string(w, 27, 20, "popek ATA disk");
	w[47] = 0x8000 | ATA_MAX_MULTIPLE;
	w[49] = 1u << 9; /* LBA; no DMA */
	w[50] = 0x4000;
	w[51] = 0x0200; /* PIO timing mode 2 (obsolete field) */
	w[53] = 0x0003; /* words 54-58 and 64-70 valid */
	w[54] = (uint16_t)d->cur_cyls;
	w[55] = (uint16_t)d->cur_heads;
	w[56] = (uint16_t)d->cur_spt;
	w[57] = (uint16_t)cur;
	w[58] = (uint16_t)(cur >> 16);
	if (d->multiple)
		w[59] = (uint16_t)(0x0100 | d->multiple);
	w[60] = (uint16_t)lba28;
	w[61] = (uint16_t)(lba28 >> 16);
	w[64] = 0x0003; /* PIO modes 3 and 4 */
	w[65] = w[66] = w[67] = w[68] = 120;
	w[80] = 0x007e; /* ATA-1 to ATA-6 */
	w[82] = 0x4000 | 0x0020; /* NOP listed, write cache */
	w[83] = 0x4000 | 0x2000 | 0x1000 |
		0x0400; /* FLUSH EXT, FLUSH, 48-bit */
	w[84] = 0x4000;
	w[85] = 0x0020;
	w[86] = 0x2000 | 0x1000 | 0x0400;
	w[87] = 0x4000;
	w[100] = (uint16_t)d->sectors;
	w[101] = (uint16_t)(d->sectors >> 16);
	w[102] = (uint16_t)(d->sectors >> 32);
	w[103] = (uint16_t)(d->sectors >> 48);
	ide_identify_checksum(w);
}

static void identify_done(struct ide_device *d)
{
	complete(d, false);
}

static void cmd_identify(struct ide_device *d, uint8_t flags)
{
	uint16_t w[256];

	(void)flags;
	if (d->kind == IDE_ATAPI)
		atapi_identify(d, w);
	else
		ata_identify(d, w);
	ide_store_identify(d, w);
	ide_pio_block(d, 0, 512, false, identify_done);
	ide_raise_irq(d);
}

/* ---- resets and diagnostics ---- */

static void device_reset_state(struct ide_device *d)
{
	d->block_done = NULL;
	d->pos = d->end = 0;
	d->intrq = false;
	d->error = 0x01; /* diagnostic code: passed */
	d->feature = d->hob_feature = 0;
	d->hob_nsector = d->hob_sector = d->hob_lcyl = d->hob_hcyl = 0;
	ide_set_signature(d);
	/* A packet device leaves DRDY clear after a reset (§9.12). */
	d->status = d->kind == IDE_ATA ? ATA_SR_DRDY | ATA_SR_DSC : 0;
	if (d->kind == IDE_ATAPI)
		atapi_reset(d);
}

/* EXECUTE DEVICE DIAGNOSTIC (§8.11): both devices, device 0 answers. */
static void cmd_diagnostic(struct ide_device *d, uint8_t flags)
{
	struct ide_channel *ch = d->ch;

	(void)flags;
	for (unsigned i = 0; i < 2; i++)
		if (ch->dev[i].kind != IDE_NONE)
			device_reset_state(&ch->dev[i]);
	ch->cur = 0;
	if (ch->dev[0].kind != IDE_NONE)
		ide_raise_irq(&ch->dev[0]);
	else
		update_irq(ch);
}

/* DEVICE RESET (§8.10): packet devices only; no interrupt. */
static void cmd_device_reset(struct ide_device *d, uint8_t flags)
{
	(void)flags;
	device_reset_state(d);
	update_irq(d->ch);
}

static void cmd_packet(struct ide_device *d, uint8_t flags)
{
	(void)flags;
	atapi_cmd_packet(d);
}

static const struct ata_command {
	uint8_t opcode;
	uint8_t flags;
	void (*run)(struct ide_device *d, uint8_t flags);
} ata_commands[] = {
	{ 0x08, CMD_ATAPI, cmd_device_reset },
	{ 0x10, CMD_ATA, cmd_success }, /* RECALIBRATE (0x1x) */
	{ 0x20, CMD_ATA | CMD_SIGNATURE, cmd_read },
	{ 0x21, CMD_ATA | CMD_SIGNATURE, cmd_read },
	{ 0x24, CMD_ATA | CMD_LBA48, cmd_read },
	{ 0x27, CMD_ATA | CMD_LBA48, cmd_read_native_max },
	{ 0x29, CMD_ATA | CMD_LBA48 | CMD_MULTIPLE, cmd_read },
	{ 0x30, CMD_ATA, cmd_write },
	{ 0x31, CMD_ATA, cmd_write },
	{ 0x34, CMD_ATA | CMD_LBA48, cmd_write },
	{ 0x39, CMD_ATA | CMD_LBA48 | CMD_MULTIPLE, cmd_write },
	{ 0x40, CMD_ATA, cmd_verify },
	{ 0x41, CMD_ATA, cmd_verify },
	{ 0x42, CMD_ATA | CMD_LBA48, cmd_verify },
	{ 0x70, CMD_ATA, cmd_success }, /* SEEK (0x7x) */
	{ 0x90, CMD_ATA | CMD_ATAPI, cmd_diagnostic },
	{ 0x91, CMD_ATA, cmd_init_params },
	{ 0xa0, CMD_ATAPI, cmd_packet },
	{ 0xa1, CMD_ATAPI, cmd_identify },
	{ 0xc4, CMD_ATA | CMD_MULTIPLE, cmd_read },
	{ 0xc5, CMD_ATA | CMD_MULTIPLE, cmd_write },
	{ 0xc6, CMD_ATA, cmd_set_multiple },
	{ 0xe0, CMD_ATA | CMD_ATAPI, cmd_success }, /* STANDBY IMMEDIATE */
	{ 0xe1, CMD_ATA | CMD_ATAPI, cmd_success }, /* IDLE IMMEDIATE */
	{ 0xe2, CMD_ATA, cmd_success }, /* STANDBY */
	{ 0xe3, CMD_ATA, cmd_success }, /* IDLE */
	{ 0xe5, CMD_ATA | CMD_ATAPI, cmd_check_power },
	{ 0xe7, CMD_ATA | CMD_ATAPI, cmd_flush },
	{ 0xea, CMD_ATA, cmd_flush },
	{ 0xec, CMD_ATA | CMD_SIGNATURE, cmd_identify },
	{ 0xef, CMD_ATA | CMD_ATAPI, cmd_set_features },
	{ 0xf8, CMD_ATA, cmd_read_native_max },
};

static void execute(struct ide_device *d, uint8_t opcode)
{
	uint8_t want = d->kind == IDE_ATA ? CMD_ATA : CMD_ATAPI;

	/* RECALIBRATE and SEEK ignore their low nibble. */
	if ((opcode & 0xf0) == 0x10 || (opcode & 0xf0) == 0x70)
		opcode &= 0xf0;
	d->intrq = false;
	d->error = 0;
	for (size_t i = 0; i < sizeof(ata_commands) / sizeof(ata_commands[0]);
	     i++) {
		const struct ata_command *c = &ata_commands[i];

		if (c->opcode != opcode)
			continue;
		if (c->flags & want) {
			c->run(d, c->flags);
			return;
		}
		/* §8.15: a packet device aborts IDENTIFY DEVICE and READ
		 * SECTORS and leaves its signature for the host to find. */
		if (c->flags & CMD_SIGNATURE)
			ide_set_signature(d);
		break;
	}
	abort_with(d, ATA_ER_ABRT);
}

/* ---- the registers ---- */

static struct ide_device *selected_dev(struct ide_channel *ch)
{
	return &ch->dev[ch->cur];
}

static bool channel_empty(const struct ide_channel *ch)
{
	return ch->dev[0].kind == IDE_NONE && ch->dev[1].kind == IDE_NONE;
}

static uint16_t data_read(struct ide_device *d, unsigned bytes)
{
	uint16_t v = 0;

	if (d->block_done == NULL || d->data_out || d->pos >= d->end)
		return bytes == 1 ? 0xff : 0xffff;
	for (unsigned i = 0; i < bytes && d->pos < d->end; i++)
		v |= (uint16_t)(d->buf[d->pos++] << (8 * i));
	if (d->pos >= d->end) {
		d->status &= ~ATA_SR_DRQ;
		d->block_done(d);
	}
	return v;
}

static void data_write(struct ide_device *d, uint16_t v, unsigned bytes)
{
	if (d->block_done == NULL || !d->data_out || d->pos >= d->end)
		return;
	for (unsigned i = 0; i < bytes && d->pos < d->end; i++)
		d->buf[d->pos++] = (uint8_t)(v >> (8 * i));
	if (d->pos >= d->end) {
		d->status &= ~ATA_SR_DRQ;
		d->block_done(d);
	}
}

static uint8_t reg_read(struct ide_channel *ch, unsigned reg)
{
	struct ide_device *d = selected_dev(ch);
	bool hob = ch->devctl & ATA_CTL_HOB;

	/* An absent device 1: device 0 answers with status 00h (§9.x);
	 * the other registers read as device 0's. */
	if (d->kind == IDE_NONE) {
		/* While a reset holds device 0 busy, its BSY shows. */
		if (reg == IDE_STATUS && !(ch->devctl & ATA_CTL_SRST))
			return 0;
		d = &ch->dev[ch->cur ^ 1];
	}
	switch (reg) {
	case IDE_ERROR:
		return hob ? d->hob_feature : d->error;
	case IDE_NSECTOR:
		return hob ? d->hob_nsector : d->nsector;
	case IDE_SECTOR:
		return hob ? d->hob_sector : d->sector;
	case IDE_LCYL:
		return hob ? d->hob_lcyl : d->lcyl;
	case IDE_HCYL:
		return hob ? d->hob_hcyl : d->hcyl;
	case IDE_SELECT:
		return d->select;
	case IDE_STATUS:
		/* Reading Status acknowledges the interrupt (§7.15). */
		d->intrq = false;
		update_irq(ch);
		return d->status;
	}
	return 0xff;
}

/* A write to a command block register reaches both devices, pushing the
 * previous value into the HOB copy (§7.x, 48-bit addressing). */
static void task_file_write(struct ide_device *d, unsigned reg, uint8_t v)
{
	switch (reg) {
	case IDE_FEATURE:
		d->hob_feature = d->feature;
		d->feature = v;
		break;
	case IDE_NSECTOR:
		d->hob_nsector = d->nsector;
		d->nsector = v;
		break;
	case IDE_SECTOR:
		d->hob_sector = d->sector;
		d->sector = v;
		break;
	case IDE_LCYL:
		d->hob_lcyl = d->lcyl;
		d->lcyl = v;
		break;
	case IDE_HCYL:
		d->hob_hcyl = d->hcyl;
		d->hcyl = v;
		break;
	case IDE_SELECT:
		d->select = v;
		break;
	}
}

static void reg_write(struct ide_channel *ch, unsigned reg, uint8_t v)
{
	struct ide_device *d;

	ch->devctl &= ~ATA_CTL_HOB;
	if (reg == IDE_COMMAND) {
		d = selected_dev(ch);
		/* Commands wait while SRST is held; an absent device takes
		 * only EXECUTE DEVICE DIAGNOSTIC, which device 0 runs. */
		if (ch->devctl & ATA_CTL_SRST)
			return;
		if (d->kind == IDE_NONE) {
			if (v == 0x90 && ch->dev[0].kind != IDE_NONE)
				execute(&ch->dev[0], v);
			return;
		}
		execute(d, v);
		update_irq(ch);
		return;
	}
	for (unsigned i = 0; i < 2; i++)
		task_file_write(&ch->dev[i], reg, v);
	if (reg == IDE_SELECT) {
		ch->cur = (v & ATA_DEV_DEV) ? 1 : 0;
		update_irq(ch);
	}
}

static uint32_t ide_io_read(void *dev, uint16_t port, unsigned size)
{
	struct ide_channel *ch = dev;
	unsigned reg = port - ch->base;

	if (channel_empty(ch))
		return 0xffffffffu;
	if (reg == IDE_DATA) {
		struct ide_device *d = selected_dev(ch);
		uint32_t lo, hi;

		if (d->kind == IDE_NONE)
			return 0xffffffffu;
		if (size < 4)
			return data_read(d, size);
		lo = data_read(d, 2);
		hi = data_read(d, 2);
		return lo | hi << 16;
	}
	return reg_read(ch, reg);
}

static void ide_io_write(void *dev, uint16_t port, unsigned size,
			 uint32_t value)
{
	struct ide_channel *ch = dev;
	unsigned reg = port - ch->base;

	if (reg == IDE_DATA) {
		struct ide_device *d = selected_dev(ch);

		if (d->kind == IDE_NONE)
			return;
		if (size < 4) {
			data_write(d, (uint16_t)value, size);
			return;
		}
		data_write(d, (uint16_t)value, 2);
		data_write(d, (uint16_t)(value >> 16), 2);
		return;
	}
	reg_write(ch, reg, (uint8_t)value);
}

/* Alternate status (read) and device control (write) at 0x3F6/0x376. */
static uint32_t ide_ctl_read(void *dev, uint16_t port, unsigned size)
{
	struct ide_channel *ch = dev;
	struct ide_device *d = selected_dev(ch);

	(void)port;
	(void)size;
	if (channel_empty(ch))
		return 0xff;
	if (d->kind == IDE_NONE)
		return (ch->devctl & ATA_CTL_SRST) ? ATA_SR_BSY : 0;
	return d->status;
}

static void ide_ctl_write(void *dev, uint16_t port, unsigned size,
			  uint32_t value)
{
	struct ide_channel *ch = dev;
	bool was_reset = ch->devctl & ATA_CTL_SRST;

	(void)port;
	(void)size;
	ch->devctl = (uint8_t)value;
	if (value & ATA_CTL_SRST) {
		/* Held in reset: BSY until SRST is cleared (§9.2). */
		for (unsigned i = 0; i < 2; i++) {
			ch->dev[i].status = ATA_SR_BSY;
			ch->dev[i].block_done = NULL;
			ch->dev[i].intrq = false;
		}
	} else if (was_reset) {
		for (unsigned i = 0; i < 2; i++)
			if (ch->dev[i].kind != IDE_NONE)
				device_reset_state(&ch->dev[i]);
		ch->cur = 0;
	}
	update_irq(ch);
}

/*
 * Power-on or hardware reset (RESET-, ATA/ATAPI-6 §9.1): every device
 * back to its default translation, multiple mode off, the signature in
 * the task file, DRDY (ATA) or nothing (ATAPI) in the status, INTRQ low;
 * a CD unlocked.  The device control register clears (nIEN off).
 */
static void ide_power_on(void *dev)
{
	struct ide *ide = dev;

	for (unsigned c = 0; c < 2; c++) {
		struct ide_channel *ch = &ide->ch[c];

		ch->devctl = 0;
		ch->cur = 0;
		for (unsigned u = 0; u < 2; u++) {
			struct ide_device *d = &ch->dev[u];

			if (d->kind == IDE_NONE)
				continue;
			if (d->kind == IDE_ATA) {
				d->multiple = 0;
				default_geometry(d);
			}
			d->feature = d->nsector = d->sector = 0;
			d->lcyl = d->hcyl = d->select = 0;
			d->locked = false;
			device_reset_state(d);
		}
		update_irq(ch);
	}
}

/* ---- assembly ---- */

static void channel_init(struct ide *ide, unsigned index, uint16_t base,
			 uint16_t ctl, unsigned irq)
{
	struct ide_channel *ch = &ide->ch[index];

	ch->m = ide->m;
	ch->ide = ide;
	ch->index = index;
	ch->base = base;
	ch->ctl = ctl;
	ch->irq = irq;
	for (unsigned i = 0; i < 2; i++) {
		ch->dev[i].ch = ch;
		ch->dev[i].unit = i;
		ch->dev[i].kind = IDE_NONE;
		block_image_init(&ch->dev[i].img);
	}
}

struct ide *ide_create(struct machine *m)
{
	struct ide *ide = calloc(1, sizeof(*ide));

	if (!ide) {
		fprintf(stderr, "popek: out of memory for IDE\n");
		return NULL;
	}
	ide->m = m;
	channel_init(ide, 0, IDE_PRIMARY_BASE, IDE_PRIMARY_CTL,
		     IDE_PRIMARY_IRQ);
	channel_init(ide, 1, IDE_SECONDARY_BASE, IDE_SECONDARY_CTL,
		     IDE_SECONDARY_IRQ);
	for (unsigned i = 0; i < 2; i++) {
		struct ide_channel *ch = &ide->ch[i];

		if (io_register(m, ch->base, 8, ch, ide_io_read, ide_io_write,
				i ? "ide-secondary" : "ide-primary") != 0 ||
		    io_register(m, ch->ctl, 1, ch, ide_ctl_read, ide_ctl_write,
				i ? "ide-secondary" : "ide-primary") != 0) {
			free(ide);
			return NULL;
		}
	}
	if (machine_add_reset(m, ide_power_on, ide) != 0) {
		free(ide);
		return NULL;
	}
	return ide;
}

static struct ide_device *attach_slot(struct ide *ide, unsigned ch,
				      unsigned unit, enum ide_kind kind)
{
	struct ide_device *d;

	if (ch > 1 || unit > 1)
		return NULL;
	d = &ide->ch[ch].dev[unit];
	block_image_close(&d->img);
	d->kind = kind;
	snprintf(d->serial, sizeof(d->serial), "POPEK%c%u%u%011u",
		 kind == IDE_ATA ? 'D' : 'C', ch, unit, ch * 2 + unit + 1);
	return d;
}

int ide_attach_disk(struct ide *ide, unsigned ch, unsigned unit,
		    const char *path, const char *who, bool read_only)
{
	struct ide_device *d = attach_slot(ide, ch, unit, IDE_ATA);

	if (!d)
		return -1;
	if (block_image_open(&d->img, path, who, ATA_SECTOR_SIZE,
			     block_mode_for(ide->m, read_only))) {
		d->kind = IDE_NONE;
		return -1;
	}
	d->sectors = d->img.size / ATA_SECTOR_SIZE;
	d->multiple = 0;
	default_geometry(d);
	device_reset_state(d);
	return 0;
}

int ide_attach_cdrom(struct ide *ide, unsigned ch, unsigned unit,
		     const char *path, const char *who)
{
	struct ide_device *d = attach_slot(ide, ch, unit, IDE_ATAPI);

	if (!d)
		return -1;
	d->sectors = 0;
	if (path) {
		/* ISO images are read-only media. */
		if (block_image_open(&d->img, path, who, ATA_SECTOR_SIZE,
				     BLOCK_READ_ONLY)) {
			d->kind = IDE_NONE;
			return -1;
		}
		d->sectors = (d->img.size + ATAPI_SECTOR_SIZE - 1) /
			     ATAPI_SECTOR_SIZE;
	}
	device_reset_state(d);
	return 0;
}

void ide_destroy(struct ide *ide)
{
	if (!ide)
		return;
	for (unsigned c = 0; c < 2; c++)
		for (unsigned u = 0; u < 2; u++)
			block_image_close(&ide->ch[c].dev[u].img);
	machine_remove_reset(ide->m, ide);
	free(ide);
}
