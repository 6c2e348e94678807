/* SPDX-License-Identifier: MIT */
/*
 * The PC/AT's two 8237A DMA controllers (Intel 8237A-5 datasheet): DMA1
 * at 0x00-0x0F with the byte channels 0-3, DMA2 at 0xC0-0xDF with the
 * word channels 4-7 (channel 4 cascades DMA1), and the page registers at
 * 0x81-0x8F that supply the address bits above 16.
 *
 * ISA devices raise DREQ on a channel; when the channel is unmasked the
 * controller calls the device back, and the device moves its bytes with
 * dma_transfer, which reads and writes guest RAM through phys_read and
 * phys_write.
 */
#ifndef POPEK_IODEV_DMA8237_H
#define POPEK_IODEV_DMA8237_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

#define DMA_CHANNELS 8

/* Mode register bits 3-2: the transfer type (datasheet, Mode Register). */
enum dma_transfer_type {
	DMA_VERIFY = 0, /* no memory access */
	DMA_WRITE = 1, /* device to memory */
	DMA_READ = 2, /* memory to device */
};

/* Called while DREQ is high and the channel unmasked. */
typedef void (*dma_service_fn)(void *dev, unsigned channel);

struct dma_channel {
	uint16_t base_addr, base_count; /* for auto-initialization */
	uint16_t cur_addr, cur_count;
	uint8_t mode;
	uint8_t page;
	bool dreq;
	bool tc; /* terminal count reached in the last transfer */
	dma_service_fn service;
	void *dev;
};

struct dma8237 {
	struct machine *m;
	struct dma_channel ch[DMA_CHANNELS];
	/* Per controller (0: DMA1, 1: DMA2). */
	uint8_t command[2];
	uint8_t status[2]; /* TC bits 0-3; request bits 4-7 are live */
	uint8_t mask[2]; /* bit n masks the controller's channel n */
	uint8_t request[2]; /* software requests */
	uint8_t temp[2];
	bool flip_flop[2]; /* false: the next byte is the low byte */
	uint8_t extra_page[16]; /* 0x80-0x8F: page registers and spares */
	bool servicing; /* inside a service callback */
};

/* Returns NULL after one line on stderr. */
struct dma8237 *dma_create(struct machine *m);
void dma_destroy(struct dma8237 *d);
/* Master clear of both controllers. */
void dma_reset(struct dma8237 *d);

/* A device claims a channel's DREQ line. */
void dma_attach(struct dma8237 *d, unsigned channel, dma_service_fn service,
		void *dev);
/* Raise or drop DREQ; raised on an unmasked channel, the device's service
 * function runs at once. */
void dma_request(struct dma8237 *d, unsigned channel, bool level);

/*
 * Inside a service call: move up to len bytes between buf and memory as
 * the channel's mode says (WRITE: buf to memory, READ: memory to buf,
 * VERIFY: neither).  Stops at terminal count.  Returns the bytes moved;
 * fewer than len means the count ran out (see dma_terminal_count).
 */
unsigned dma_transfer(struct dma8237 *d, unsigned channel, uint8_t *buf,
		      unsigned len);
/* The channel reached terminal count in the last transfer. */
bool dma_terminal_count(const struct dma8237 *d, unsigned channel);
enum dma_transfer_type dma_channel_type(const struct dma8237 *d,
					unsigned channel);

#endif
