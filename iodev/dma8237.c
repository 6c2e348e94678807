// SPDX-License-Identifier: MIT
/*
 * The 8237A DMA controller pair of the PC/AT.  Register and bit names
 * follow the Intel 8237A-5 datasheet ("Register Description", Tables 2
 * and 3); the second controller, the page registers and the word
 * channels follow the IBM PC/AT Technical Reference ("System Board, DMA
 * Controller").
 *
 * Transfers are instantaneous: single, block and demand mode all move
 * what the device offers as soon as it offers it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "iodev/dma8237.h"
#include "machine/machine.h"

#define DMA1_BASE 0x00
#define DMA2_BASE 0xc0
#define DMA_PAGE_BASE 0x80

/* Mode register. */
#define MODE_TYPE(m) (((m) >> 2) & 3)
#define MODE_AUTOINIT 0x10
#define MODE_DECREMENT 0x20
#define MODE_SELECT(m) ((m) >> 6)
#define MODE_CASCADE 3

/* Command register. */
#define CMD_DISABLE 0x04

/* Page register port (offset from 0x80) of each channel. */
static const uint8_t page_port[DMA_CHANNELS] = { 0x7, 0x3, 0x1, 0x2,
						 0xf, 0xb, 0x9, 0xa };

/* Controller registers by their number (port offset on DMA1). */
enum dma_reg {
	REG_STATUS_COMMAND = 8,
	REG_REQUEST = 9,
	REG_SINGLE_MASK = 10,
	REG_MODE = 11,
	REG_CLEAR_FLIP_FLOP = 12,
	REG_TEMP_MASTER_CLEAR = 13,
	REG_CLEAR_MASK = 14,
	REG_ALL_MASK = 15,
};

static unsigned controller_of(unsigned channel)
{
	return channel >> 2;
}

static bool channel_masked(const struct dma8237 *d, unsigned c)
{
	unsigned ctl = controller_of(c);

	return (d->mask[ctl] >> (c & 3)) & 1;
}

/* Run the service callbacks of every requesting, unmasked channel. */
static void service_pending(struct dma8237 *d)
{
	if (d->servicing)
		return;
	for (unsigned c = 0; c < DMA_CHANNELS; c++) {
		struct dma_channel *ch = &d->ch[c];
		unsigned ctl = controller_of(c);

		if (!ch->dreq || !ch->service || channel_masked(d, c) ||
		    (d->command[ctl] & CMD_DISABLE) ||
		    MODE_SELECT(ch->mode) == MODE_CASCADE)
			continue;
		d->servicing = true;
		ch->service(ch->dev, c);
		d->servicing = false;
	}
}

void dma_attach(struct dma8237 *d, unsigned channel, dma_service_fn service,
		void *dev)
{
	if (channel >= DMA_CHANNELS)
		return;
	d->ch[channel].service = service;
	d->ch[channel].dev = dev;
}

void dma_request(struct dma8237 *d, unsigned channel, bool level)
{
	if (channel >= DMA_CHANNELS)
		return;
	d->ch[channel].dreq = level;
	if (level)
		service_pending(d);
}

bool dma_terminal_count(const struct dma8237 *d, unsigned channel)
{
	return channel < DMA_CHANNELS && d->ch[channel].tc;
}

enum dma_transfer_type dma_channel_type(const struct dma8237 *d,
					unsigned channel)
{
	if (channel >= DMA_CHANNELS)
		return DMA_VERIFY;
	return (enum dma_transfer_type)MODE_TYPE(d->ch[channel].mode);
}

/* The physical address of the channel's current unit. */
static uint64_t unit_address(const struct dma_channel *ch, bool word)
{
	if (word) /* A16-A1 from the counter, A23-A17 from the page */
		return ((uint64_t)(ch->page & 0xfe) << 16) |
		       (((uint64_t)ch->cur_addr << 1) & 0x1ffff);
	return ((uint64_t)ch->page << 16) | ch->cur_addr;
}

/* One run of units at consecutive addresses; returns the units done. */
static unsigned move_run(struct dma8237 *d, struct dma_channel *ch,
			 uint8_t *buf, unsigned units, bool word)
{
	unsigned unit = word ? 2 : 1;
	unsigned n = units;
	uint64_t addr = unit_address(ch, word);

	/* Increment mode: up to where the 16-bit address counter wraps. */
	if (!(ch->mode & MODE_DECREMENT) && n > 0x10000u - ch->cur_addr)
		n = 0x10000u - ch->cur_addr;
	if (ch->mode & MODE_DECREMENT)
		n = 1;
	if (n > (unsigned)ch->cur_count + 1)
		n = (unsigned)ch->cur_count + 1;
	switch (MODE_TYPE(ch->mode)) {
	case DMA_WRITE:
		phys_write(d->m, addr, buf, (size_t)n * unit);
		break;
	case DMA_READ:
		phys_read(d->m, addr, buf, (size_t)n * unit);
		break;
	default: /* verify, or the illegal type 3: no memory cycle */
		break;
	}
	if (ch->mode & MODE_DECREMENT)
		ch->cur_addr = (uint16_t)(ch->cur_addr - n);
	else
		ch->cur_addr = (uint16_t)(ch->cur_addr + n);
	if (n == (unsigned)ch->cur_count + 1)
		ch->tc = true;
	ch->cur_count = (uint16_t)(ch->cur_count - n);
	return n;
}

unsigned dma_transfer(struct dma8237 *d, unsigned channel, uint8_t *buf,
		      unsigned len)
{
	struct dma_channel *ch;
	bool word = channel >= 4;
	unsigned unit = word ? 2 : 1;
	unsigned units, done = 0;

	if (channel >= DMA_CHANNELS)
		return 0;
	ch = &d->ch[channel];
	ch->tc = false;
	if (channel_masked(d, channel) ||
	    (d->command[controller_of(channel)] & CMD_DISABLE))
		return 0;
	units = len / unit;
	while (done < units && !ch->tc)
		done += move_run(d, ch, buf + (size_t)done * unit, units - done,
				 word);
	if (ch->tc) {
		unsigned ctl = controller_of(channel);

		d->status[ctl] |= 1u << (channel & 3);
		/* Auto-initialize reloads; otherwise TC sets the mask bit. */
		if (ch->mode & MODE_AUTOINIT) {
			ch->cur_addr = ch->base_addr;
			ch->cur_count = ch->base_count;
		} else {
			d->mask[ctl] |= 1u << (channel & 3);
		}
	}
	return done * unit;
}

static void master_clear(struct dma8237 *d, unsigned ctl)
{
	d->command[ctl] = 0;
	d->status[ctl] = 0;
	d->request[ctl] = 0;
	d->temp[ctl] = 0;
	d->flip_flop[ctl] = false;
	d->mask[ctl] = 0x0f;
}

static uint8_t reg_read(struct dma8237 *d, unsigned ctl, unsigned reg)
{
	if (reg < 8) {
		struct dma_channel *ch = &d->ch[ctl * 4 + (reg >> 1)];
		uint16_t v = (reg & 1) ? ch->cur_count : ch->cur_addr;
		bool high = d->flip_flop[ctl];

		d->flip_flop[ctl] = !high;
		return high ? (uint8_t)(v >> 8) : (uint8_t)v;
	}
	switch (reg) {
	case REG_STATUS_COMMAND: {
		uint8_t v = d->status[ctl] & 0x0f;

		for (unsigned i = 0; i < 4; i++)
			if (d->ch[ctl * 4 + i].dreq ||
			    ((d->request[ctl] >> i) & 1))
				v |= 0x10u << i;
		d->status[ctl] &= ~0x0fu; /* reading clears the TC bits */
		return v;
	}
	case REG_TEMP_MASTER_CLEAR:
		return d->temp[ctl];
	case REG_ALL_MASK: /* readable on the chipsets PCs use */
		return 0xf0 | d->mask[ctl];
	default:
		return 0xff;
	}
}

static void reg_write(struct dma8237 *d, unsigned ctl, unsigned reg, uint8_t v)
{
	if (reg < 8) {
		struct dma_channel *ch = &d->ch[ctl * 4 + (reg >> 1)];
		bool high = d->flip_flop[ctl];
		uint16_t *base = (reg & 1) ? &ch->base_count : &ch->base_addr;
		uint16_t *cur = (reg & 1) ? &ch->cur_count : &ch->cur_addr;

		/* Writing loads the base and the current register. */
		*base = high ? (uint16_t)((*base & 0x00ff) | (v << 8)) :
			       (uint16_t)((*base & 0xff00) | v);
		*cur = *base;
		d->flip_flop[ctl] = !high;
		return;
	}
	switch (reg) {
	case REG_STATUS_COMMAND:
		d->command[ctl] = v;
		break;
	case REG_REQUEST:
		if (v & 4)
			d->request[ctl] |= 1u << (v & 3);
		else
			d->request[ctl] &= ~(1u << (v & 3));
		break;
	case REG_SINGLE_MASK:
		if (v & 4)
			d->mask[ctl] |= 1u << (v & 3);
		else
			d->mask[ctl] &= ~(1u << (v & 3));
		break;
	case REG_MODE:
		d->ch[ctl * 4 + (v & 3)].mode = v;
		break;
	case REG_CLEAR_FLIP_FLOP:
		d->flip_flop[ctl] = false;
		break;
	case REG_TEMP_MASTER_CLEAR:
		master_clear(d, ctl);
		break;
	case REG_CLEAR_MASK:
		d->mask[ctl] = 0;
		break;
	case REG_ALL_MASK:
		d->mask[ctl] = v & 0x0f;
		break;
	}
	service_pending(d);
}

/* DMA1 decodes A3-A0; DMA2 sits on A4-A1 of 0xC0-0xDF. */
static void decode(uint16_t port, unsigned *ctl, unsigned *reg)
{
	if (port < DMA2_BASE) {
		*ctl = 0;
		*reg = port - DMA1_BASE;
	} else {
		*ctl = 1;
		*reg = (unsigned)(port - DMA2_BASE) >> 1;
	}
}

static uint32_t dma_io_read(void *dev, uint16_t port, unsigned size)
{
	struct dma8237 *d = dev;
	unsigned ctl, reg;

	(void)size;
	decode(port, &ctl, &reg);
	return reg_read(d, ctl, reg);
}

static void dma_io_write(void *dev, uint16_t port, unsigned size,
			 uint32_t value)
{
	struct dma8237 *d = dev;
	unsigned ctl, reg;

	(void)size;
	decode(port, &ctl, &reg);
	reg_write(d, ctl, reg, (uint8_t)value);
}

static uint32_t page_io_read(void *dev, uint16_t port, unsigned size)
{
	struct dma8237 *d = dev;
	unsigned off = port - DMA_PAGE_BASE;

	(void)size;
	for (unsigned c = 0; c < DMA_CHANNELS; c++)
		if (page_port[c] == off)
			return d->ch[c].page;
	return d->extra_page[off];
}

static void page_io_write(void *dev, uint16_t port, unsigned size,
			  uint32_t value)
{
	struct dma8237 *d = dev;
	unsigned off = port - DMA_PAGE_BASE;

	(void)size;
	for (unsigned c = 0; c < DMA_CHANNELS; c++)
		if (page_port[c] == off)
			d->ch[c].page = (uint8_t)value;
	d->extra_page[off] = (uint8_t)value;
}

void dma_reset(struct dma8237 *d)
{
	master_clear(d, 0);
	master_clear(d, 1);
	for (unsigned c = 0; c < DMA_CHANNELS; c++) {
		d->ch[c].mode = 0;
		d->ch[c].tc = false;
	}
	/* Channel 4 cascades DMA1 (the BIOS programs it so; start so). */
	d->ch[4].mode = MODE_CASCADE << 6;
}

static void dma_system_reset(void *dev)
{
	dma_reset(dev);
}

struct dma8237 *dma_create(struct machine *m)
{
	struct dma8237 *d = calloc(1, sizeof(*d));

	if (!d) {
		fprintf(stderr,
			"popek: out of memory for the DMA controller\n");
		return NULL;
	}
	d->m = m;
	/* 0x80 (the POST code port) is left to others. */
	if (io_register(m, DMA1_BASE, 16, d, dma_io_read, dma_io_write,
			"dma1") != 0 ||
	    io_register(m, DMA2_BASE, 32, d, dma_io_read, dma_io_write,
			"dma2") != 0 ||
	    io_register(m, DMA_PAGE_BASE + 1, 15, d, page_io_read,
			page_io_write, "dma-page") != 0 ||
	    machine_add_reset(m, dma_system_reset, d) != 0) {
		free(d);
		return NULL;
	}
	dma_reset(d);
	return d;
}

void dma_destroy(struct dma8237 *d)
{
	if (d)
		machine_remove_reset(d->m, d);
	free(d);
}
