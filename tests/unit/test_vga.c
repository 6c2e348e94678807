// SPDX-License-Identifier: MIT
/*
 * The VGA's registers through its ports and its memory through the
 * 0xA0000 window: write modes 0-3, read modes 0-1, latches, bit mask,
 * map mask, chain-4 and odd/even, the DAC, the attribute flip-flop, the
 * CRTC (cursor, protect bit), I/O address select, input status 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "fonts/fonts.h"
#include "iodev/vga.h"

struct fixture {
	struct machine *m;
	struct vga *v;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	f->v = vga_create(f->m, false);
	assert_non_null(f->v);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vga_destroy(f->v);
	free(f->m);
	free(f);
	return 0;
}

static void outb(struct fixture *f, uint16_t port, uint8_t value)
{
	io_write(f->m, port, 1, value);
}

static uint8_t inb(struct fixture *f, uint16_t port)
{
	return (uint8_t)io_read(f->m, port, 1);
}

static void reg(struct fixture *f, uint16_t index_port, uint8_t index,
		uint8_t value)
{
	outb(f, index_port, index);
	outb(f, index_port + 1, value);
}

static uint8_t reg_read(struct fixture *f, uint16_t index_port, uint8_t index)
{
	outb(f, index_port, index);
	return inb(f, index_port + 1);
}

static void memb(struct fixture *f, uint32_t addr, uint8_t value)
{
	phys_write_u(f->m, addr, 1, value);
}

static uint8_t mem_in(struct fixture *f, uint32_t addr)
{
	return (uint8_t)phys_read_u(f->m, addr, 1);
}

/* Byte at planar offset off of plane p, straight from video memory. */
static uint8_t plane(struct fixture *f, unsigned p, uint32_t off)
{
	return f->v->vram[off * 4 + p];
}

/* Fill the four planes at offset off with p0..p3 through the map mask. */
static void fill_planes(struct fixture *f, uint32_t off, const uint8_t *p)
{
	for (unsigned i = 0; i < 4; i++) {
		reg(f, 0x3c4, 2, (uint8_t)(1u << i));
		memb(f, 0xa0000 + off, p[i]);
	}
	reg(f, 0x3c4, 2, 0x0f);
}

static void test_power_on_is_mode3_with_font(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(inb(f, 0x3cc), 0x67);
	assert_int_equal(reg_read(f, 0x3d4, 0x13), 0x28);
	assert_true(vga_is_text_mode(f->v));
	/* Read plane 2 (the font) through the window: sequential reads,
	 * map A0000-AFFFF, read map select 2. */
	reg(f, 0x3ce, 5, 0x00);
	reg(f, 0x3ce, 6, 0x04);
	reg(f, 0x3ce, 4, 0x02);
	for (unsigned row = 0; row < 16; row++)
		assert_int_equal(mem_in(f, 0xa0000 + 'A' * 32 + row),
				 popek_font_8x16['A' * 16 + row]);
	/* The letter is not blank. */
	assert_int_not_equal(popek_font_8x16['A' * 16 + 6], 0);
}

static void test_text_odd_even(void **state)
{
	struct fixture *f = *state;

	memb(f, 0xb8000, 'X');
	memb(f, 0xb8001, 0x1e);
	memb(f, 0xb8002, 'Y');
	assert_int_equal(plane(f, 0, 0), 'X');
	assert_int_equal(plane(f, 1, 0), 0x1e);
	assert_int_equal(plane(f, 0, 2), 'Y');
	assert_int_equal(mem_in(f, 0xb8001), 0x1e);
	assert_int_equal(mem_in(f, 0xb8002), 'Y');
	/* Mode 03h maps only B8000-BFFFF. */
	assert_int_equal(mem_in(f, 0xa0000), 0xff);
	memb(f, 0xa0000, 0x55);
	assert_int_equal(plane(f, 0, 0), 'X');
}

static void test_write_mode0_set_reset(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(vga_set_mode(f->v, 0x12), 0);
	(void)mem_in(f, 0xa0000); /* latches: all zero */
	reg(f, 0x3ce, 1, 0x0f); /* enable set/reset on every plane */
	reg(f, 0x3ce, 0, 0x05); /* set/reset: planes 0 and 2 */
	reg(f, 0x3ce, 8, 0xf0); /* bit mask */
	memb(f, 0xa0000, 0x12); /* the CPU byte does not matter */
	assert_int_equal(plane(f, 0, 0), 0xf0);
	assert_int_equal(plane(f, 1, 0), 0x00);
	assert_int_equal(plane(f, 2, 0), 0xf0);
	assert_int_equal(plane(f, 3, 0), 0x00);
	/* Set/reset enabled for plane 0 only: the others take the data. */
	reg(f, 0x3ce, 1, 0x01);
	reg(f, 0x3ce, 0, 0x00);
	reg(f, 0x3ce, 8, 0xff);
	memb(f, 0xa0001, 0x3c);
	assert_int_equal(plane(f, 0, 1), 0x00);
	assert_int_equal(plane(f, 1, 1), 0x3c);
	assert_int_equal(plane(f, 3, 1), 0x3c);
}

static void test_write_mode0_rotate_function_bitmask(void **state)
{
	struct fixture *f = *state;
	static const uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff };

	assert_int_equal(vga_set_mode(f->v, 0x12), 0);
	fill_planes(f, 4, ones);
	(void)mem_in(f, 0xa0004); /* latches all 0xFF */
	reg(f, 0x3ce, 3, 0x18 | 4); /* XOR, rotate right by 4 */
	memb(f, 0xa0004, 0x0f); /* rotated: 0xF0, XOR 0xFF: 0x0F */
	for (unsigned p = 0; p < 4; p++)
		assert_int_equal(plane(f, p, 4), 0x0f);
	/* AND with the latch, bit mask keeps the latch's other bits. */
	(void)mem_in(f, 0xa0004); /* latches 0x0F */
	reg(f, 0x3ce, 3, 0x08); /* AND, no rotation */
	reg(f, 0x3ce, 8, 0x03);
	memb(f, 0xa0004, 0x05); /* 0x05 & 0x0F = 0x05 in bits 0-1 */
	for (unsigned p = 0; p < 4; p++)
		assert_int_equal(plane(f, p, 4), 0x0d);
	/* OR. */
	reg(f, 0x3ce, 3, 0x10);
	reg(f, 0x3ce, 8, 0xff);
	(void)mem_in(f, 0xa0004);
	memb(f, 0xa0004, 0x40);
	assert_int_equal(plane(f, 2, 4), 0x4d);
}

static void test_write_mode1_copies_latches(void **state)
{
	struct fixture *f = *state;
	static const uint8_t src[4] = { 0x11, 0x22, 0x33, 0x44 };

	assert_int_equal(vga_set_mode(f->v, 0x12), 0);
	fill_planes(f, 8, src);
	(void)mem_in(f, 0xa0008);
	reg(f, 0x3ce, 5, 0x01);
	reg(f, 0x3ce, 8, 0x00); /* ignored in write mode 1 */
	memb(f, 0xa0009, 0x99);
	for (unsigned p = 0; p < 4; p++)
		assert_int_equal(plane(f, p, 9), src[p]);
	/* The map mask still applies. */
	reg(f, 0x3c4, 2, 0x01);
	(void)mem_in(f, 0xa0000);
	memb(f, 0xa0009, 0x99);
	assert_int_equal(plane(f, 0, 9), 0x00);
	assert_int_equal(plane(f, 1, 9), 0x22);
}

static void test_write_mode2(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(vga_set_mode(f->v, 0x12), 0);
	(void)mem_in(f, 0xa0002);
	reg(f, 0x3ce, 5, 0x02);
	reg(f, 0x3ce, 8, 0x81);
	memb(f, 0xa0002, 0x0a); /* colour 1010b */
	assert_int_equal(plane(f, 0, 2), 0x00);
	assert_int_equal(plane(f, 1, 2), 0x81);
	assert_int_equal(plane(f, 2, 2), 0x00);
	assert_int_equal(plane(f, 3, 2), 0x81);
}

static void test_write_mode3(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(vga_set_mode(f->v, 0x12), 0);
	(void)mem_in(f, 0xa0003);
	reg(f, 0x3ce, 5, 0x03);
	reg(f, 0x3ce, 0, 0x0c); /* colour from set/reset: planes 2, 3 */
	reg(f, 0x3ce, 8, 0xf0); /* ANDed with the rotated data */
	memb(f, 0xa0003, 0x3c); /* mask 0x30 */
	assert_int_equal(plane(f, 0, 3), 0x00);
	assert_int_equal(plane(f, 2, 3), 0x30);
	assert_int_equal(plane(f, 3, 3), 0x30);
}

static void test_read_modes(void **state)
{
	struct fixture *f = *state;
	static const uint8_t p[4] = { 0xf0, 0xcc, 0xaa, 0x00 };

	assert_int_equal(vga_set_mode(f->v, 0x12), 0);
	fill_planes(f, 0x10, p);
	/* Read mode 0: the plane read map select names. */
	reg(f, 0x3ce, 4, 1);
	assert_int_equal(mem_in(f, 0xa0010), 0xcc);
	reg(f, 0x3ce, 4, 2);
	assert_int_equal(mem_in(f, 0xa0010), 0xaa);
	/* Read mode 1: planes 0,1 compared with 1, planes 2,3 with 0. */
	reg(f, 0x3ce, 5, 0x08);
	reg(f, 0x3ce, 2, 0x03);
	reg(f, 0x3ce, 7, 0x0f);
	assert_int_equal(mem_in(f, 0xa0010), 0xf0 & 0xcc & 0x55 & 0xff);
	/* Only plane 0 cares. */
	reg(f, 0x3ce, 7, 0x01);
	assert_int_equal(mem_in(f, 0xa0010), 0xf0);
	/* Nobody cares: all ones. */
	reg(f, 0x3ce, 7, 0x00);
	assert_int_equal(mem_in(f, 0xa0010), 0xff);
}

static void test_chain4(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(vga_set_mode(f->v, 0x13), 0);
	for (unsigned i = 0; i < 8; i++)
		memb(f, 0xa0000 + i, (uint8_t)(0x40 + i));
	/* A1-A0 pick the plane; the offset keeps its low bits clear. */
	assert_int_equal(plane(f, 0, 0), 0x40);
	assert_int_equal(plane(f, 3, 0), 0x43);
	assert_int_equal(plane(f, 0, 4), 0x44);
	assert_int_equal(plane(f, 2, 4), 0x46);
	assert_int_equal(mem_in(f, 0xa0005), 0x45);
	/* The map mask still gates planes. */
	reg(f, 0x3c4, 2, 0x0e);
	memb(f, 0xa0004, 0x99);
	memb(f, 0xa0005, 0x98);
	assert_int_equal(mem_in(f, 0xa0004), 0x44);
	assert_int_equal(mem_in(f, 0xa0005), 0x98);
	/* 16-bit and 32-bit accesses are bytes at rising addresses. */
	reg(f, 0x3c4, 2, 0x0f);
	phys_write_u(f->m, 0xa0100, 4, 0x04030201);
	assert_int_equal(phys_read_u(f->m, 0xa0100, 4), 0x04030201);
	assert_int_equal(plane(f, 2, 0x100), 0x03);
}

static void test_dac(void **state)
{
	struct fixture *f = *state;

	outb(f, 0x3c8, 5);
	assert_int_equal(inb(f, 0x3c7) & 3, 0); /* write mode */
	outb(f, 0x3c9, 10);
	outb(f, 0x3c9, 20);
	outb(f, 0x3c9, 30);
	outb(f, 0x3c9, 0xff); /* 6 bits kept */
	outb(f, 0x3c9, 50);
	outb(f, 0x3c9, 60);
	assert_int_equal(inb(f, 0x3c8), 7);
	outb(f, 0x3c7, 5);
	assert_int_equal(inb(f, 0x3c7) & 3, 3); /* read mode */
	assert_int_equal(inb(f, 0x3c9), 10);
	assert_int_equal(inb(f, 0x3c9), 20);
	assert_int_equal(inb(f, 0x3c9), 30);
	assert_int_equal(inb(f, 0x3c9), 0x3f);
	assert_int_equal(inb(f, 0x3c9), 50);
	assert_int_equal(inb(f, 0x3c9), 60);
	/* Pixel mask. */
	outb(f, 0x3c6, 0x0f);
	assert_int_equal(inb(f, 0x3c6), 0x0f);
	/* Entry 5 through a mask of 0x0F is still 5; 0x15 becomes 5. */
	assert_int_equal(vga_dac_rgb(f->v, 0x15), vga_dac_rgb(f->v, 5));
	assert_int_equal(vga_dac_rgb(f->v, 5),
			 (uint32_t)(10 << 2 | 10 >> 4) << 16 |
				 (uint32_t)(20 << 2 | 20 >> 4) << 8 |
				 (30 << 2 | 30 >> 4));
}

static void test_attribute_flip_flop(void **state)
{
	struct fixture *f = *state;

	(void)inb(f, 0x3da); /* reset: next write is an index */
	outb(f, 0x3c0, 0x01);
	outb(f, 0x3c0, 0x3f);
	assert_int_equal(inb(f, 0x3c0), 0x01);
	assert_int_equal(inb(f, 0x3c1), 0x3f);
	/* An index write, then a read of 0x3DA: the next write is an index
	 * again, not data for register 0x02. */
	outb(f, 0x3c0, 0x02);
	(void)inb(f, 0x3da);
	outb(f, 0x3c0, 0x32); /* index 0x12 with PAS */
	outb(f, 0x3c0, 0x05);
	assert_int_equal(inb(f, 0x3c0), 0x32);
	assert_int_equal(inb(f, 0x3c1), 0x05);
	assert_int_equal(f->v->attr[0x02], 0x02); /* untouched */
	assert_int_equal(f->v->attr[0x12], 0x05);
}

static void test_crtc_cursor_and_protect(void **state)
{
	struct fixture *f = *state;

	reg(f, 0x3d4, 0x0e, 0x12);
	reg(f, 0x3d4, 0x0f, 0x34);
	reg(f, 0x3d4, 0x0a, 0x0d);
	reg(f, 0x3d4, 0x0b, 0x0e);
	assert_int_equal(reg_read(f, 0x3d4, 0x0e), 0x12);
	assert_int_equal(reg_read(f, 0x3d4, 0x0f), 0x34);
	assert_int_equal(reg_read(f, 0x3d4, 0x0a), 0x0d);
	/* Word write: index then data. */
	io_write(f->m, 0x3d4, 2, 0x560f);
	assert_int_equal(reg_read(f, 0x3d4, 0x0f), 0x56);
	/* CR11 bit 7 protects CR00-CR07, except CR07 bit 4. */
	reg(f, 0x3d4, 0x11, reg_read(f, 0x3d4, 0x11) | 0x80);
	reg(f, 0x3d4, 0x01, 0x27);
	assert_int_equal(reg_read(f, 0x3d4, 0x01), 0x4f);
	reg(f, 0x3d4, 0x07, 0x00);
	assert_int_equal(reg_read(f, 0x3d4, 0x07), 0x1f & ~0x10);
	reg(f, 0x3d4, 0x11, reg_read(f, 0x3d4, 0x11) & 0x7f);
	reg(f, 0x3d4, 0x01, 0x27);
	assert_int_equal(reg_read(f, 0x3d4, 0x01), 0x27);
}

static void test_io_address_select(void **state)
{
	struct fixture *f = *state;

	/* Colour (misc bit 0 set): 0x3Dx answers, 0x3Bx does not. */
	assert_int_equal(reg_read(f, 0x3d4, 0x13), 0x28);
	assert_int_equal(inb(f, 0x3b5), 0xff);
	outb(f, 0x3c2, 0x66); /* monochrome addresses */
	assert_int_equal(reg_read(f, 0x3b4, 0x13), 0x28);
	assert_int_equal(inb(f, 0x3d5), 0xff);
	reg(f, 0x3d4, 0x13, 0x11); /* dropped */
	assert_int_equal(reg_read(f, 0x3b4, 0x13), 0x28);
}

static void test_sequencer_word_write(void **state)
{
	struct fixture *f = *state;

	io_write(f->m, 0x3c4, 2, 0x0502);
	assert_int_equal(reg_read(f, 0x3c4, 2), 0x05);
	io_write(f->m, 0x3ce, 2, 0xa508);
	assert_int_equal(reg_read(f, 0x3ce, 8), 0xa5);
}

/* Virtual time at line `line` of the 525-line frame, plus ns. */
static void at_line(struct fixture *f, unsigned frame, unsigned line,
		    unsigned ns)
{
	uint64_t t = (uint64_t)frame * 525 * 31778 + (uint64_t)line * 31778 + ns;

	f->m->clock.cycles = t / 10; /* 100 MHz: 10 ns a cycle */
}

static void test_input_status_follows_virtual_clock(void **state)
{
	struct fixture *f = *state;

	at_line(f, 3, 100, 100);
	assert_int_equal(inb(f, 0x3da) & 0x09, 0x00); /* drawing */
	at_line(f, 3, 100, 30000);
	assert_int_equal(inb(f, 0x3da) & 0x09, 0x01); /* horizontal blank */
	at_line(f, 3, 485, 100);
	assert_int_equal(inb(f, 0x3da) & 0x09, 0x01); /* vertical blank */
	at_line(f, 3, 490, 100);
	assert_int_equal(inb(f, 0x3da) & 0x09, 0x09); /* retrace */
	at_line(f, 4, 0, 100);
	assert_int_equal(inb(f, 0x3da) & 0x08, 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_power_on_is_mode3_with_font,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_odd_even, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_mode0_set_reset,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_write_mode0_rotate_function_bitmask, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_write_mode1_copies_latches,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_mode2, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_mode3, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_modes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_chain4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attribute_flip_flop, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_crtc_cursor_and_protect,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_address_select, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sequencer_word_write,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_input_status_follows_virtual_clock, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
