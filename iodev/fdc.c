// SPDX-License-Identifier: MIT
/*
 * 82077AA-compatible floppy disk controller.  Section references are to
 * the Intel 82077AA datasheet (290166): §2 registers, §5 command set
 * (Table 5-1 command descriptions), §5.2 status registers ST0-ST3, and
 * Table 5-3 for the ID information left after a data transfer.
 *
 * Mechanics are instantaneous: seeks complete and sectors transfer as
 * soon as they are asked for.  The data rate is not checked against the
 * medium.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iodev/dma8237.h"
#include "iodev/fdc.h"
#include "machine/machine.h"

/* ST0 (§5.2, Table 5-6). */
#define ST0_IC_ABNORMAL 0x40
#define ST0_IC_INVALID 0x80
#define ST0_IC_POLL 0xc0 /* ready changed: the reset report */
#define ST0_SE 0x20
#define ST0_EC 0x10
#define ST0_HEAD 0x04
/* ST1. */
#define ST1_EN 0x80 /* end of cylinder */
#define ST1_ND 0x04 /* no data: sector not found */
#define ST1_NW 0x02 /* not writable */
#define ST1_MA 0x01 /* missing address mark */
/* ST2. */
#define ST2_WC 0x10 /* wrong cylinder */
#define ST2_BC 0x02 /* bad cylinder */
/* ST3. */
#define ST3_WP 0x40
#define ST3_RDY 0x20
#define ST3_T0 0x10
#define ST3_TS 0x08

/* Command byte 0 modifiers. */
#define CMD_MT 0x80
#define CMD_CODE(b) ((b)&0x1f)

/* CONFIGURE byte (§5.3.7). */
#define CONFIG_EIS 0x40
#define CONFIG_EFIFO 0x20
#define CONFIG_POLL 0x10 /* 1: drive polling disabled */
#define CONFIG_DEFAULT CONFIG_EFIFO

/* Media by image size (bytes): cylinders, heads, sectors per track. */
static const struct {
	uint64_t size;
	unsigned cylinders, heads, sectors;
} media_formats[] = {
	{ 163840, 40, 1, 8 },	{ 184320, 40, 1, 9 },	{ 327680, 40, 2, 8 },
	{ 368640, 40, 2, 9 },	{ 737280, 80, 2, 9 },	{ 1228800, 80, 2, 15 },
	{ 1474560, 80, 2, 18 }, { 2949120, 80, 2, 36 },
};

static void update_irq(struct fdc *f)
{
	/* In PC-AT mode the DOR's DMA gate also gates INT (§2.1.2). */
	bool level = f->int_pending && (f->dor & FDC_DOR_DMA);

	if (level != f->irq_level) {
		f->irq_level = level;
		irq_set(f->m, FDC_IRQ, level);
	}
}

static void raise_int(struct fdc *f)
{
	f->int_pending = true;
	update_irq(f);
}

static void clear_int(struct fdc *f)
{
	f->int_pending = false;
	update_irq(f);
}

static void enter_command_phase(struct fdc *f)
{
	f->phase = FDC_PHASE_COMMAND;
	f->cmd_len = 0;
	f->cmd_need = 0;
	f->op = FDC_OP_NONE;
}

static void enter_result(struct fdc *f, const uint8_t *bytes, unsigned n,
			 bool interrupt)
{
	memcpy(f->result, bytes, n);
	f->result_len = n;
	f->result_pos = 0;
	f->phase = FDC_PHASE_RESULT;
	f->op = FDC_OP_NONE;
	if (f->dma)
		dma_request(f->dma, FDC_DMA_CHANNEL, false);
	if (interrupt)
		raise_int(f);
}

static void invalid_command(struct fdc *f)
{
	uint8_t st0 = ST0_IC_INVALID;

	enter_result(f, &st0, 1, false);
}

static struct fdc_drive *selected(struct fdc *f, unsigned ds)
{
	return ds < FDC_DRIVES ? &f->drive[ds] : NULL;
}

static bool has_medium(const struct fdc_drive *d)
{
	return d && d->img.fd >= 0;
}

static uint8_t st0_of(const struct fdc *f)
{
	return (uint8_t)((f->head ? ST0_HEAD : 0) | f->ds);
}

/* The seven result bytes of a data command. */
static void finish_transfer(struct fdc *f, uint8_t st0, uint8_t st1,
			    uint8_t st2)
{
	uint8_t res[7] = {
		(uint8_t)(st0 | st0_of(f)), st1, st2, f->c, f->h, f->r, f->n
	};

	enter_result(f, res, 7, true);
}

/* Where the sector with ID (c, h, r, n) lives in the image, or -1 with
 * the status bits of the failure. */
static int64_t sector_offset(struct fdc *f, uint8_t *st1, uint8_t *st2)
{
	struct fdc_drive *d = selected(f, f->ds);

	if (!has_medium(d)) {
		*st1 = ST1_MA;
		return -1;
	}
	/* A standard format: the IDs on a track say its cylinder and head. */
	if (d->pcn >= d->cylinders || f->head >= d->heads) {
		*st1 = ST1_MA;
		return -1;
	}
	if (f->c != d->pcn) {
		*st1 = ST1_ND;
		*st2 = f->c == 0xff ? ST2_BC | ST2_WC : ST2_WC;
		return -1;
	}
	if (f->h != f->head || f->n != 2 || f->r < 1 || f->r > d->sectors) {
		*st1 = ST1_ND;
		return -1;
	}
	return (int64_t)(((uint64_t)d->pcn * d->heads + f->head) * d->sectors +
			 (f->r - 1u)) *
	       FDC_SECTOR_SIZE;
}

/*
 * After a sector: step the ID to the next one (Table 5-3).  Returns true
 * when the track (or, with MT, the cylinder) is done.
 */
static bool advance_sector(struct fdc *f)
{
	if (f->r != f->eot) {
		f->r++;
		return false;
	}
	f->r = 1;
	if (f->multitrack && f->head == 0 && selected(f, f->ds)->heads > 1) {
		/* Multitrack: side 0 done, go on with side 1 sector 1. */
		f->head = 1;
		f->h = 1;
		return false;
	}
	/* Done: the ID points past the track; the head stays put. */
	if (f->multitrack)
		f->h ^= 1;
	f->c++;
	return true;
}

/*
 * One sector moved between the image and f->buf.  Returns false after
 * ending the command with an error.
 */
static bool sector_io(struct fdc *f, bool write)
{
	struct fdc_drive *d = selected(f, f->ds);
	uint8_t st1 = 0, st2 = 0;
	int64_t off = sector_offset(f, &st1, &st2);

	if (off < 0) {
		finish_transfer(f, ST0_IC_ABNORMAL, st1, st2);
		return false;
	}
	if (write ? block_image_write(&d->img, (uint64_t)off, f->buf,
				      FDC_SECTOR_SIZE) :
		    block_image_read(&d->img, (uint64_t)off, f->buf,
				     FDC_SECTOR_SIZE)) {
		/* A host error: the controller calls it a data error. */
		finish_transfer(f, ST0_IC_ABNORMAL, write ? ST1_NW : ST1_ND, 0);
		return false;
	}
	return true;
}

static bool dma_mode(const struct fdc *f)
{
	return !f->nondma && f->dma;
}

/* PIO: put the next sector (read) or an empty buffer (write) in place. */
static void pio_next(struct fdc *f)
{
	f->buf_pos = 0;
	f->buf_len = FDC_SECTOR_SIZE;
	if (f->op == FDC_OP_READ && !sector_io(f, false))
		return;
	/* In non-DMA mode INT asks for each sector's bytes (§4.2). */
	raise_int(f);
}

/* A data sector completed; tc: the DMA count ran out with it. */
static void sector_done(struct fdc *f, bool tc)
{
	bool end = advance_sector(f);

	if (tc)
		finish_transfer(f, 0, 0, 0);
	else if (end) /* past EOT without TC: end of cylinder */
		finish_transfer(f, ST0_IC_ABNORMAL, ST1_EN, 0);
	else if (!dma_mode(f))
		pio_next(f);
}

/* FORMAT TRACK with the ID fields in f->buf: fill each sector. */
static void format_track(struct fdc *f)
{
	struct fdc_drive *d = selected(f, f->ds);
	uint8_t sector[FDC_SECTOR_SIZE];

	memset(sector, f->fill, sizeof(sector));
	for (unsigned i = 0; i < f->format_sectors; i++) {
		uint8_t st1 = 0, st2 = 0;
		int64_t off;

		f->c = f->buf[4 * i];
		f->h = f->buf[4 * i + 1];
		f->r = f->buf[4 * i + 2];
		f->n = f->buf[4 * i + 3];
		off = sector_offset(f, &st1, &st2);
		/* IDs that do not fit the medium's layout are not kept. */
		if (off < 0)
			continue;
		if (block_image_write(&d->img, (uint64_t)off, sector,
				      sizeof(sector))) {
			finish_transfer(f, ST0_IC_ABNORMAL, ST1_NW, 0);
			return;
		}
	}
	finish_transfer(f, 0, 0, 0);
}

/* DREQ answered: move sectors until the command ends. */
static void fdc_dma_service(void *dev, unsigned channel)
{
	struct fdc *f = dev;

	while (f->phase == FDC_PHASE_EXEC && f->op != FDC_OP_NONE) {
		unsigned want = f->op == FDC_OP_FORMAT ? 4 * f->format_sectors :
							 FDC_SECTOR_SIZE;
		unsigned n;

		if (f->op == FDC_OP_READ && !sector_io(f, false))
			return;
		if (f->op != FDC_OP_READ)
			memset(f->buf, 0, want);
		n = dma_transfer(f->dma, channel, f->buf, want);
		if (n == 0)
			return; /* nothing moved: wait for the channel */
		if (f->op == FDC_OP_FORMAT) {
			format_track(f);
			return;
		}
		if (f->op == FDC_OP_WRITE && !sector_io(f, true))
			return;
		sector_done(f, dma_terminal_count(f->dma, channel));
	}
}

static void start_exec(struct fdc *f, enum fdc_op op)
{
	f->op = op;
	f->phase = FDC_PHASE_EXEC;
	if (dma_mode(f)) {
		dma_request(f->dma, FDC_DMA_CHANNEL, true);
		return;
	}
	if (op == FDC_OP_FORMAT) {
		f->buf_pos = 0;
		f->buf_len = 4 * f->format_sectors;
		raise_int(f);
		return;
	}
	pio_next(f);
}

/* Byte 1 of most commands: drive select and head (HDS). */
static void select_drive(struct fdc *f)
{
	f->ds = f->cmd[1] & 3;
	f->head = (f->cmd[1] >> 2) & 1;
}

static void cmd_read_write(struct fdc *f)
{
	bool write = CMD_CODE(f->cmd[0]) == 0x05;
	struct fdc_drive *d;

	select_drive(f);
	d = selected(f, f->ds);
	f->multitrack = f->cmd[0] & CMD_MT;
	f->c = f->cmd[2];
	f->h = f->cmd[3];
	f->r = f->cmd[4];
	f->n = f->cmd[5];
	f->eot = f->cmd[6];
	f->last_eot = f->eot;
	if (d && (f->config & CONFIG_EIS)) /* implied seek */
		d->pcn = f->c;
	if (!has_medium(d)) {
		finish_transfer(f, ST0_IC_ABNORMAL, ST1_MA, 0);
		return;
	}
	if (write && d->img.read_only) {
		finish_transfer(f, ST0_IC_ABNORMAL, ST1_NW, 0);
		return;
	}
	start_exec(f, write ? FDC_OP_WRITE : FDC_OP_READ);
}

static void cmd_read_id(struct fdc *f)
{
	struct fdc_drive *d;

	select_drive(f);
	d = selected(f, f->ds);
	if (!has_medium(d) || d->pcn >= d->cylinders || f->head >= d->heads) {
		finish_transfer(f, ST0_IC_ABNORMAL, ST1_MA, 0);
		return;
	}
	f->c = d->pcn;
	f->h = (uint8_t)f->head;
	f->r = 1;
	f->n = 2;
	finish_transfer(f, 0, 0, 0);
}

static void cmd_format(struct fdc *f)
{
	struct fdc_drive *d;

	select_drive(f);
	d = selected(f, f->ds);
	f->multitrack = false;
	f->n = f->cmd[2];
	f->format_sectors = f->cmd[3];
	f->fill = f->cmd[5];
	f->c = d ? d->pcn : 0;
	f->h = (uint8_t)f->head;
	f->r = 1;
	if (!has_medium(d)) {
		finish_transfer(f, ST0_IC_ABNORMAL, ST1_MA, 0);
		return;
	}
	if (d->img.read_only) {
		finish_transfer(f, ST0_IC_ABNORMAL, ST1_NW, 0);
		return;
	}
	if (f->format_sectors == 0) {
		finish_transfer(f, 0, 0, 0);
		return;
	}
	start_exec(f, FDC_OP_FORMAT);
}

static void cmd_specify(struct fdc *f)
{
	f->srt_hut = f->cmd[1];
	f->hlt_nd = f->cmd[2];
	f->nondma = f->cmd[2] & 1;
	enter_command_phase(f);
}

static void cmd_sense_drive(struct fdc *f)
{
	struct fdc_drive *d;
	uint8_t st3;

	select_drive(f);
	d = selected(f, f->ds);
	st3 = (uint8_t)(ST3_RDY | st0_of(f));
	if (d) {
		if (d->pcn == 0)
			st3 |= ST3_T0;
		if (!has_medium(d) || d->img.read_only)
			st3 |= ST3_WP;
		if (!has_medium(d) || d->heads > 1)
			st3 |= ST3_TS;
	}
	enter_result(f, &st3, 1, false);
}

/* SEEK and RECALIBRATE: move the head and interrupt (§5.3.3-5.3.4). */
static void finish_seek(struct fdc *f, unsigned cylinder)
{
	struct fdc_drive *d = selected(f, f->ds);
	uint8_t st0 = (uint8_t)(ST0_SE | st0_of(f));

	if (!d) {
		/* No drive: track 0 never seen, an equipment check. */
		st0 |= ST0_IC_ABNORMAL | ST0_EC;
		cylinder = 0;
	} else {
		d->pcn = (uint8_t)cylinder;
		/* A step with a medium in place clears disk change. */
		if (has_medium(d))
			d->changed = false;
	}
	f->seek_pending |= (uint8_t)(1u << f->ds);
	f->seek_st0[f->ds] = st0;
	f->seek_pcn[f->ds] = (uint8_t)cylinder;
	enter_command_phase(f);
	raise_int(f);
}

static void cmd_recalibrate(struct fdc *f)
{
	select_drive(f);
	f->head = 0;
	finish_seek(f, 0);
}

static void cmd_seek(struct fdc *f)
{
	select_drive(f);
	finish_seek(f, f->cmd[2]);
}

static void cmd_sense_interrupt(struct fdc *f)
{
	uint8_t res[2];

	clear_int(f);
	if (f->reset_sense) {
		unsigned drive = 4 - f->reset_sense--;

		res[0] = (uint8_t)(ST0_IC_POLL | drive);
		res[1] = drive < FDC_DRIVES ? f->drive[drive].pcn : 0;
		enter_result(f, res, 2, false);
		return;
	}
	for (unsigned i = 0; i < FDC_SELECTS; i++) {
		if (!(f->seek_pending & (1u << i)))
			continue;
		f->seek_pending &= (uint8_t) ~(1u << i);
		res[0] = f->seek_st0[i];
		res[1] = f->seek_pcn[i];
		enter_result(f, res, 2, false);
		return;
	}
	/* Nothing to report: invalid command (§5.3.5). */
	invalid_command(f);
}

static void cmd_version(struct fdc *f)
{
	uint8_t v = 0x90; /* 82077AA */

	enter_result(f, &v, 1, false);
}

static void cmd_configure(struct fdc *f)
{
	f->config = f->cmd[2];
	f->pretrk = f->cmd[3];
	enter_command_phase(f);
}

static void cmd_lock(struct fdc *f)
{
	uint8_t v;

	f->locked = f->cmd[0] & 0x80;
	v = f->locked ? 0x10 : 0x00;
	enter_result(f, &v, 1, false);
}

static void cmd_dumpreg(struct fdc *f)
{
	uint8_t res[10] = {
		f->drive[0].pcn,
		f->drive[1].pcn,
		0,
		0,
		f->srt_hut,
		f->hlt_nd,
		f->last_eot,
		(uint8_t)((f->locked ? 0x80 : 0) | (f->perpendicular & 0x7f)),
		f->config,
		f->pretrk,
	};

	enter_result(f, res, 10, false);
}

static void cmd_perpendicular(struct fdc *f)
{
	f->perpendicular = f->cmd[1];
	enter_command_phase(f);
}

/* The command set (§5, Table 5-1): opcode bits 4-0, length in bytes. */
static const struct fdc_command {
	uint8_t code;
	uint8_t len;
	void (*exec)(struct fdc *f);
} fdc_commands[] = {
	{ 0x03, 3, cmd_specify },     { 0x04, 2, cmd_sense_drive },
	{ 0x05, 9, cmd_read_write },  { 0x06, 9, cmd_read_write },
	{ 0x07, 2, cmd_recalibrate }, { 0x08, 1, cmd_sense_interrupt },
	{ 0x0a, 2, cmd_read_id },     { 0x0d, 6, cmd_format },
	{ 0x0e, 1, cmd_dumpreg },     { 0x0f, 3, cmd_seek },
	{ 0x10, 1, cmd_version },     { 0x12, 2, cmd_perpendicular },
	{ 0x13, 4, cmd_configure },   { 0x14, 1, cmd_lock },
};

static const struct fdc_command *find_command(uint8_t byte0)
{
	for (size_t i = 0; i < sizeof(fdc_commands) / sizeof(fdc_commands[0]);
	     i++)
		if (fdc_commands[i].code == CMD_CODE(byte0))
			return &fdc_commands[i];
	return NULL;
}

static void command_byte(struct fdc *f, uint8_t v)
{
	const struct fdc_command *c;

	if (f->cmd_len == 0) {
		/* Bits 7-5 are MT/MFM/SK (LOCK's bit 7 is LOCK): the opcode
		 * is in bits 4-0. */
		c = find_command(v);
		if (!c) {
			invalid_command(f);
			return;
		}
		f->cmd_need = c->len;
	}
	f->cmd[f->cmd_len++] = v;
	if (f->cmd_len < f->cmd_need)
		return;
	c = find_command(f->cmd[0]);
	c->exec(f);
}

/* The FIFO in the execution phase of a non-DMA transfer. */
static uint8_t pio_read(struct fdc *f)
{
	uint8_t v;

	if (f->op != FDC_OP_READ || f->buf_pos >= f->buf_len)
		return 0;
	clear_int(f);
	v = f->buf[f->buf_pos++];
	if (f->buf_pos == f->buf_len)
		sector_done(f, false);
	return v;
}

static void pio_write(struct fdc *f, uint8_t v)
{
	if (f->buf_pos >= f->buf_len)
		return;
	clear_int(f);
	f->buf[f->buf_pos++] = v;
	if (f->buf_pos < f->buf_len)
		return;
	if (f->op == FDC_OP_FORMAT) {
		format_track(f);
		return;
	}
	if (f->op == FDC_OP_WRITE && sector_io(f, true))
		sector_done(f, false);
}

static uint8_t fifo_read(struct fdc *f)
{
	uint8_t v;

	if (f->phase == FDC_PHASE_EXEC && !dma_mode(f))
		return pio_read(f);
	if (f->phase != FDC_PHASE_RESULT)
		return 0;
	/* Reading the result clears the interrupt of a data command. */
	clear_int(f);
	v = f->result[f->result_pos++];
	if (f->result_pos == f->result_len)
		enter_command_phase(f);
	return v;
}

static void fifo_write(struct fdc *f, uint8_t v)
{
	if (f->phase == FDC_PHASE_EXEC && !dma_mode(f)) {
		pio_write(f, v);
		return;
	}
	if (f->phase != FDC_PHASE_COMMAND)
		return;
	command_byte(f, v);
}

static uint8_t main_status(const struct fdc *f)
{
	uint8_t msr = 0;

	if (!(f->dor & FDC_DOR_NRESET))
		return 0;
	/* A drive is busy from its seek until SENSE INTERRUPT STATUS. */
	msr |= f->seek_pending & FDC_MSR_BUSY_MASK;
	switch (f->phase) {
	case FDC_PHASE_COMMAND:
		msr |= FDC_MSR_RQM;
		if (f->cmd_len)
			msr |= FDC_MSR_CB;
		break;
	case FDC_PHASE_EXEC:
		msr |= FDC_MSR_CB;
		if (!dma_mode(f)) {
			msr |= FDC_MSR_RQM | FDC_MSR_NDMA;
			if (f->op == FDC_OP_READ)
				msr |= FDC_MSR_DIO;
		}
		break;
	case FDC_PHASE_RESULT:
		msr |= FDC_MSR_RQM | FDC_MSR_DIO | FDC_MSR_CB;
		break;
	}
	return msr;
}

/* Software or hardware reset (§2.1.2, §2.1.4): the command state goes,
 * settings stay unless unlocked; with polling on, an interrupt follows. */
static void controller_reset(struct fdc *f)
{
	if (f->dma)
		dma_request(f->dma, FDC_DMA_CHANNEL, false);
	enter_command_phase(f);
	f->result_len = f->result_pos = 0;
	f->int_pending = false;
	f->reset_sense = 0;
	f->seek_pending = 0;
	f->dsr = 0x02; /* 250 kbps */
	if (!f->locked) {
		f->config = CONFIG_DEFAULT;
		f->pretrk = 0;
	}
	f->perpendicular &= 0x7c;
	update_irq(f);
}

/* Leaving reset: the drive-polling report (4 SENSE INTERRUPTs). */
static void reset_done(struct fdc *f)
{
	if (f->config & CONFIG_POLL)
		return;
	f->reset_sense = 4;
	raise_int(f);
}

static uint32_t fdc_io_read(void *dev, uint16_t port, unsigned size)
{
	struct fdc *f = dev;
	struct fdc_drive *d = &f->drive[f->dor & 1];

	(void)size;
	switch (port - FDC_BASE) {
	case FDC_SRA: /* PS/2 mode layout: INT pending, no second drive */
		return (f->int_pending ? 0x80 : 0) |
		       (has_medium(&f->drive[1]) ? 0 : 0x40);
	case FDC_SRB:
		return 0xc0 | ((f->dor & 1) << 5) | ((f->dor >> 4) & 3);
	case FDC_DOR:
		return f->dor;
	case FDC_TDR:
		return f->tdr;
	case FDC_MSR:
		return main_status(f);
	case FDC_FIFO:
		return fifo_read(f);
	case FDC_DIR: /* bits 6-0 float (0x3F6 is the IDE channel's) */
		return (d->changed || !has_medium(d)) ? FDC_DIR_DSKCHG : 0;
	default:
		return 0xff;
	}
}

static void fdc_io_write(void *dev, uint16_t port, unsigned size,
			 uint32_t value)
{
	struct fdc *f = dev;
	uint8_t v = (uint8_t)value;

	(void)size;
	switch (port - FDC_BASE) {
	case FDC_DOR: {
		bool was_reset = !(f->dor & FDC_DOR_NRESET);

		f->dor = v;
		if (!(v & FDC_DOR_NRESET))
			controller_reset(f);
		else if (was_reset)
			reset_done(f);
		update_irq(f);
		return;
	}
	case FDC_TDR:
		f->tdr = v & 3;
		return;
	case FDC_DSR:
		if (v & 0x80) { /* software reset, self-clearing */
			controller_reset(f);
			reset_done(f);
		}
		f->dsr = v & 0x7f;
		return;
	case FDC_FIFO:
		fifo_write(f, v);
		return;
	case FDC_CCR: /* the data rate bits of DSR */
		f->dsr = (uint8_t)((f->dsr & ~3u) | (v & 3));
		return;
	}
}

int fdc_insert(struct fdc *f, unsigned drive, const char *path, bool read_only)
{
	struct fdc_drive *d;
	size_t i;

	if (drive >= FDC_DRIVES)
		return -1;
	d = &f->drive[drive];
	block_image_close(&d->img);
	if (block_image_open(&d->img, path, "-fda", FDC_SECTOR_SIZE,
			     block_mode_for(f->m, read_only)) != 0)
		return -1;
	for (i = 0; i < sizeof(media_formats) / sizeof(media_formats[0]); i++)
		if (media_formats[i].size == d->img.size)
			break;
	if (i == sizeof(media_formats) / sizeof(media_formats[0])) {
		fprintf(stderr,
			"popek: -fda: '%s' is %llu bytes, not a floppy size (160K, 180K, 320K, 360K, 720K, 1.2M, 1.44M, 2.88M)\n",
			path, (unsigned long long)d->img.size);
		block_image_close(&d->img);
		return -1;
	}
	d->cylinders = media_formats[i].cylinders;
	d->heads = media_formats[i].heads;
	d->sectors = media_formats[i].sectors;
	d->changed = true;
	return 0;
}

/*
 * The RESET pin (§2.1.4, §5.3.8: a hardware reset also clears LOCK): every
 * controller register and command setting to its power-on value, then
 * the DOR as a BIOS leaves it (out of reset, DMA and IRQ gate on, drive
 * A: selected), as at creation.  The drives and their media are not the
 * controller's: they keep their head position and disk-change line.
 */
static void fdc_power_on(void *dev)
{
	struct fdc *f = dev;
	struct fdc_drive drive[FDC_DRIVES];
	struct machine *m = f->m;
	struct dma8237 *dma = f->dma;
	bool irq_level = f->irq_level;

	if (dma)
		dma_request(dma, FDC_DMA_CHANNEL, false);
	memcpy(drive, f->drive, sizeof(drive));
	memset(f, 0, sizeof(*f));
	memcpy(f->drive, drive, sizeof(drive));
	f->m = m;
	f->dma = dma;
	f->irq_level = irq_level;
	f->config = CONFIG_DEFAULT;
	controller_reset(f);
	f->dor = FDC_DOR_NRESET | FDC_DOR_DMA;
	update_irq(f);
}

struct fdc *fdc_create(struct machine *m, struct dma8237 *dma, const char *fda,
		       bool read_only)
{
	struct fdc *f = calloc(1, sizeof(*f));

	if (!f) {
		fprintf(stderr,
			"popek: out of memory for the floppy controller\n");
		return NULL;
	}
	f->m = m;
	f->dma = dma;
	for (unsigned i = 0; i < FDC_DRIVES; i++) {
		block_image_init(&f->drive[i].img);
		f->drive[i].changed = true;
	}
	if (fda && fdc_insert(f, 0, fda, read_only) != 0) {
		free(f);
		return NULL;
	}
	if (io_register(m, FDC_BASE, 6, f, fdc_io_read, fdc_io_write, "fdc") !=
		    0 ||
	    io_register(m, FDC_BASE + FDC_DIR, 1, f, fdc_io_read, fdc_io_write,
			"fdc") != 0 ||
	    machine_add_reset(m, fdc_power_on, f) != 0) {
		fdc_destroy(f);
		return NULL;
	}
	if (dma)
		dma_attach(dma, FDC_DMA_CHANNEL, fdc_dma_service, f);
	fdc_power_on(f);
	return f;
}

void fdc_destroy(struct fdc *f)
{
	if (!f)
		return;
	for (unsigned i = 0; i < FDC_DRIVES; i++)
		block_image_close(&f->drive[i].img);
	machine_remove_reset(f->m, f);
	free(f);
}
