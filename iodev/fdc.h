/* SPDX-License-Identifier: MIT */
/*
 * An 82077AA-compatible floppy disk controller (Intel 82077AA datasheet,
 * order no. 290166) at 0x3F0-0x3F5 and 0x3F7 (0x3F6 belongs to the IDE
 * channel), IRQ 6, DMA channel 2, with up to two drives whose media are
 * raw images: 160K, 180K, 320K, 360K, 720K, 1.2M, 1.44M or 2.88M,
 * recognised by their size.
 */
#ifndef POPEK_IODEV_FDC_H
#define POPEK_IODEV_FDC_H

#include <stdbool.h>
#include <stdint.h>

#include "iodev/block_image.h"

struct machine;
struct dma8237;

#define FDC_BASE 0x3f0
#define FDC_IRQ 6
#define FDC_DMA_CHANNEL 2
#define FDC_DRIVES 2
#define FDC_SECTOR_SIZE 512

/* Register offsets from 0x3F0 (datasheet §2, Table 2). */
enum fdc_reg {
	FDC_SRA = 0, /* status register A (read) */
	FDC_SRB = 1, /* status register B (read) */
	FDC_DOR = 2, /* digital output register */
	FDC_TDR = 3, /* tape drive register */
	FDC_MSR = 4, /* main status (read) */
	FDC_DSR = 4, /* data rate select (write) */
	FDC_FIFO = 5,
	FDC_DIR = 7, /* digital input (read) */
	FDC_CCR = 7, /* configuration control (write) */
};

#define FDC_DOR_SELECT 0x03
#define FDC_DOR_NRESET 0x04
#define FDC_DOR_DMA 0x08 /* DMA and interrupt gate in PC-AT mode */
#define FDC_DOR_MOTORS 0xf0

#define FDC_MSR_BUSY_MASK 0x0f /* drive 0-3 seeking */
#define FDC_MSR_CB 0x10 /* command in progress */
#define FDC_MSR_NDMA 0x20 /* execution phase of a non-DMA transfer */
#define FDC_MSR_DIO 0x40 /* 1: controller to host */
#define FDC_MSR_RQM 0x80 /* the FIFO is ready */

#define FDC_DIR_DSKCHG 0x80

struct fdc_drive {
	struct block_image img; /* fd < 0: no medium */
	unsigned cylinders, heads, sectors; /* media geometry */
	uint8_t pcn; /* present cylinder number */
	bool changed; /* the disk-change line */
};

/* Drives the controller can select; only FDC_DRIVES have a drive. */
#define FDC_SELECTS 4

enum fdc_phase {
	FDC_PHASE_COMMAND,
	FDC_PHASE_EXEC,
	FDC_PHASE_RESULT
};

/* What the execution phase is doing. */
enum fdc_op {
	FDC_OP_NONE,
	FDC_OP_READ,
	FDC_OP_WRITE,
	FDC_OP_FORMAT
};

struct fdc {
	struct machine *m;
	struct dma8237 *dma; /* NULL: DMA transfers never happen */
	struct fdc_drive drive[FDC_DRIVES];

	uint8_t dor, tdr, dsr;
	enum fdc_phase phase;
	uint8_t cmd[16];
	unsigned cmd_len, cmd_need;
	uint8_t result[16];
	unsigned result_len, result_pos;
	bool int_pending;
	bool irq_level;
	unsigned reset_sense; /* drives still to report after a reset */
	/* Seek/recalibrate ends not yet reported by SENSE INTERRUPT. */
	uint8_t seek_pending; /* bit per drive select */
	uint8_t seek_st0[FDC_SELECTS], seek_pcn[FDC_SELECTS];

	/* SPECIFY, CONFIGURE, LOCK, PERPENDICULAR MODE. */
	uint8_t srt_hut, hlt_nd;
	bool nondma;
	uint8_t config; /* EIS, EFIFO, POLL, FIFOTHR */
	uint8_t pretrk;
	bool locked;
	uint8_t perpendicular;
	uint8_t last_eot;

	/* Execution phase. */
	enum fdc_op op;
	unsigned ds, head; /* drive and physical head */
	uint8_t c, h, r, n, eot; /* the ID being transferred */
	bool multitrack;
	uint8_t fill; /* FORMAT TRACK filler byte */
	unsigned format_sectors;
	uint8_t buf[4 * 256]; /* one sector, or a track's ID fields */
	unsigned buf_pos, buf_len;
};

/*
 * Create the controller; fda is the image for drive A: (or NULL),
 * opened read-only when read_only or when the file is.  Returns NULL
 * after one line on stderr (bad image size, missing file).
 */
struct fdc *fdc_create(struct machine *m, struct dma8237 *dma, const char *fda,
		       bool read_only);
void fdc_destroy(struct fdc *f);

/*
 * Insert a medium into a drive (replacing one there); -1 on bad image.
 * Under -snapshot (the machine's option) a writable medium keeps the
 * guest's writes in memory.
 */
int fdc_insert(struct fdc *f, unsigned drive, const char *path, bool read_only);

#endif
