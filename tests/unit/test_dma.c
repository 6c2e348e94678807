// SPDX-License-Identifier: MIT
/*
 * The 8237A DMA pair: register programming through the flip-flop, page
 * registers, transfers in each direction to and from guest RAM, terminal
 * count, auto-initialization, address decrement, masks, the word
 * channels of DMA2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "iodev/dma8237.h"

#define RAM_SIZE (4u << 20)

/* A fake ISA device: moves its buffer whenever the DMA serves it. */
struct fake_dev {
	struct dma8237 *dma;
	uint8_t buf[4096];
	unsigned len; /* bytes to offer per service call */
	unsigned moved, calls;
	bool tc;
};

struct fixture {
	struct machine *m;
	struct dma8237 *dma;
	uint8_t *ram;
	struct fake_dev dev;
};

static void fake_service(void *opaque, unsigned channel)
{
	struct fake_dev *d = opaque;

	d->calls++;
	d->moved = dma_transfer(d->dma, channel, d->buf, d->len);
	d->tc = dma_terminal_count(d->dma, channel);
	dma_request(d->dma, channel, false);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	f->ram = calloc(1, RAM_SIZE);
	assert_non_null(f->ram);
	assert_int_equal(mem_map_ram(f->m, 0, RAM_SIZE, f->ram, "ram"), 0);
	f->dma = dma_create(f->m);
	assert_non_null(f->dma);
	f->dev.dma = f->dma;
	for (unsigned i = 0; i < sizeof(f->dev.buf); i++)
		f->dev.buf[i] = (uint8_t)(i * 7 + 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	dma_destroy(f->dma);
	free(f->ram);
	free(f->m);
	free(f);
	return 0;
}

/* Program an 8-bit channel (0-3) as a BIOS does. */
static void program8(struct machine *m, unsigned ch, uint8_t mode,
		     uint32_t addr, uint16_t count)
{
	static const uint16_t page_port[4] = { 0x87, 0x83, 0x81, 0x82 };

	io_write(m, 0x0a, 1, 0x04 | ch); /* mask */
	io_write(m, 0x0c, 1, 0); /* clear flip-flop */
	io_write(m, 0x0b, 1, mode | ch);
	io_write(m, 2 * ch, 1, addr & 0xff);
	io_write(m, 2 * ch, 1, (addr >> 8) & 0xff);
	io_write(m, page_port[ch], 1, (addr >> 16) & 0xff);
	io_write(m, 2 * ch + 1, 1, count & 0xff);
	io_write(m, 2 * ch + 1, 1, count >> 8);
}

static uint16_t read16(struct machine *m, uint16_t port)
{
	uint16_t lo = (uint16_t)io_read(m, port, 1);

	return (uint16_t)(lo | io_read(m, port, 1) << 8);
}

static void test_registers(void **state)
{
	struct fixture *f = *state;

	program8(f->m, 2, 0x46, 0x12345, 0x01ff);
	io_write(f->m, 0x0c, 1, 0);
	assert_int_equal(read16(f->m, 0x04), 0x2345);
	assert_int_equal(read16(f->m, 0x05), 0x01ff);
	assert_int_equal(io_read(f->m, 0x81, 1), 0x01);
	/* The spare page registers are storage. */
	io_write(f->m, 0x84, 1, 0x5a);
	assert_int_equal(io_read(f->m, 0x84, 1), 0x5a);
	/* DMA2 registers sit on even ports 0xC0-0xDE. */
	io_write(f->m, 0xd8, 1, 0);
	io_write(f->m, 0xc4, 1, 0x34);
	io_write(f->m, 0xc4, 1, 0x12);
	io_write(f->m, 0xd8, 1, 0);
	assert_int_equal(read16(f->m, 0xc4), 0x1234);
	/* Master clear masks every channel. */
	io_write(f->m, 0x0e, 1, 0);
	assert_int_equal(io_read(f->m, 0x0f, 1) & 0x0f, 0);
	io_write(f->m, 0x0d, 1, 0);
	assert_int_equal(io_read(f->m, 0x0f, 1) & 0x0f, 0x0f);
}

static void test_write_to_memory_tc(void **state)
{
	struct fixture *f = *state;

	dma_attach(f->dma, 2, fake_service, &f->dev);
	/* Single mode, write (to memory), 512 bytes at 0x21000. */
	program8(f->m, 2, 0x44, 0x21000, 511);
	f->dev.len = 1024;
	dma_request(f->dma, 2, true);
	assert_int_equal(f->dev.calls, 0); /* still masked */
	io_write(f->m, 0x0a, 1, 0x02); /* unmask channel 2 */
	assert_int_equal(f->dev.calls, 1);
	assert_int_equal(f->dev.moved, 512);
	assert_true(f->dev.tc);
	assert_memory_equal(f->ram + 0x21000, f->dev.buf, 512);
	assert_int_equal(f->ram[0x21000 + 512], 0);
	/* TC: status bit 2 (cleared by the read), mask set, count FFFFh. */
	assert_int_equal(io_read(f->m, 0x08, 1) & 0x0f, 0x04);
	assert_int_equal(io_read(f->m, 0x08, 1) & 0x0f, 0x00);
	assert_int_equal(io_read(f->m, 0x0f, 1) & 0x04, 0x04);
	io_write(f->m, 0x0c, 1, 0);
	assert_int_equal(read16(f->m, 0x04), 0x1200);
	assert_int_equal(read16(f->m, 0x05), 0xffff);
}

static void test_read_from_memory_partial(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < 256; i++)
		f->ram[0x30000 + i] = (uint8_t)(0xff - i);
	dma_attach(f->dma, 1, fake_service, &f->dev);
	program8(f->m, 1, 0x48, 0x30000, 255); /* read (from memory) */
	io_write(f->m, 0x0a, 1, 0x01);
	f->dev.len = 100;
	dma_request(f->dma, 1, true);
	assert_int_equal(f->dev.moved, 100);
	assert_false(f->dev.tc);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(f->dev.buf[i], 0xff - i);
	/* The channel goes on where it stopped. */
	f->dev.len = 1000;
	dma_request(f->dma, 1, true);
	assert_int_equal(f->dev.moved, 156);
	assert_true(f->dev.tc);
	assert_int_equal(f->dev.buf[0], 0xff - 100);
}

static void test_autoinit_and_decrement(void **state)
{
	struct fixture *f = *state;

	dma_attach(f->dma, 3, fake_service, &f->dev);
	/* Auto-init, decrement, write: 16 bytes from 0x4000F down. */
	program8(f->m, 3, 0x74, 0x4000f, 15);
	io_write(f->m, 0x0a, 1, 0x03);
	f->dev.len = 64;
	dma_request(f->dma, 3, true);
	assert_int_equal(f->dev.moved, 16);
	assert_true(f->dev.tc);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(f->ram[0x4000f - i], f->dev.buf[i]);
	assert_int_equal(f->ram[0x4000f - 16], 0);
	/* Auto-init: reloaded and still unmasked. */
	assert_int_equal(io_read(f->m, 0x0f, 1) & 0x08, 0);
	io_write(f->m, 0x0c, 1, 0);
	assert_int_equal(read16(f->m, 0x06), 0x000f);
	assert_int_equal(read16(f->m, 0x07), 15);
}

static void test_page_wrap(void **state)
{
	struct fixture *f = *state;

	/* An 8-bit channel never carries into the page: it wraps at 64K. */
	dma_attach(f->dma, 2, fake_service, &f->dev);
	program8(f->m, 2, 0x44, 0x1fff0, 31);
	io_write(f->m, 0x0a, 1, 0x02);
	f->dev.len = 32;
	dma_request(f->dma, 2, true);
	assert_int_equal(f->dev.moved, 32);
	assert_memory_equal(f->ram + 0x1fff0, f->dev.buf, 16);
	assert_memory_equal(f->ram + 0x10000, f->dev.buf + 16, 16);
	assert_int_equal(f->ram[0x20000], 0);
}

static void test_word_channel(void **state)
{
	struct fixture *f = *state;

	dma_attach(f->dma, 5, fake_service, &f->dev);
	/* Channel 5: word address 0x8000 in page 0x03 -> 0x30000 + 0x10000
	 * (page bit 0 is not used), 8 words. */
	io_write(f->m, 0xd4, 1, 0x04 | 1);
	io_write(f->m, 0xd8, 1, 0);
	io_write(f->m, 0xd6, 1, 0x44 | 1);
	io_write(f->m, 0xc4, 1, 0x00);
	io_write(f->m, 0xc4, 1, 0x80);
	io_write(f->m, 0x8b, 1, 0x03);
	io_write(f->m, 0xc6, 1, 7);
	io_write(f->m, 0xc6, 1, 0);
	io_write(f->m, 0xd4, 1, 1); /* unmask */
	f->dev.len = 64;
	dma_request(f->dma, 5, true);
	assert_int_equal(f->dev.moved, 16);
	assert_true(f->dev.tc);
	assert_memory_equal(f->ram + 0x30000, f->dev.buf, 16);
	assert_int_equal(io_read(f->m, 0xd0, 1) & 0x0f, 0x02);
}

static void test_verify_and_disable(void **state)
{
	struct fixture *f = *state;

	dma_attach(f->dma, 2, fake_service, &f->dev);
	program8(f->m, 2, 0x40, 0x50000, 63); /* verify: no memory cycles */
	io_write(f->m, 0x08, 1, 0x04); /* controller disabled */
	io_write(f->m, 0x0a, 1, 0x02);
	f->dev.len = 64;
	dma_request(f->dma, 2, true);
	assert_int_equal(f->dev.calls, 0);
	io_write(f->m, 0x08, 1, 0x00);
	assert_int_equal(f->dev.calls, 1);
	assert_int_equal(f->dev.moved, 64);
	assert_true(f->dev.tc);
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(f->ram[0x50000 + i], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_to_memory_tc, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_from_memory_partial,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_autoinit_and_decrement,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_wrap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_word_channel, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_and_disable, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
