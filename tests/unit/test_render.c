// SPDX-License-Identifier: MIT
/*
 * Rendering: text mode cells against the font, the ninth dot, blinking,
 * the cursor; mode 13h, 16-colour planar and CGA graphics pixels through
 * the attribute controller and the DAC; blanking.
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

#define WHITE 0xffffff
#define BLUE 0x0000aa
#define BLACK 0x000000
#define YELLOW 0xffff55

/* Frames are 525 lines of 31778 ns; one cycle is 10 ns. */
#define FRAME_CYCLES (525ull * 31778 / 10)

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

static void reg(struct fixture *f, uint16_t index_port, uint8_t index,
		uint8_t value)
{
	io_write(f->m, index_port, 1, index);
	io_write(f->m, index_port + 1, 1, value);
}

static void cell(struct fixture *f, unsigned row, unsigned col, uint8_t ch,
		 uint8_t attr)
{
	uint32_t at = 0xb8000 + (row * 80 + col) * 2;

	phys_write_u(f->m, at, 1, ch);
	phys_write_u(f->m, at + 1, 1, attr);
}

static uint32_t px(const struct vga_frame *fr, unsigned x, unsigned y)
{
	assert_true(x < fr->width && y < fr->height);
	return fr->pixels[(size_t)y * fr->width + x];
}

/* Check a 9x16 cell against the font glyph, fg and bg colours. */
static void check_cell(const struct vga_frame *fr, unsigned row,
		       unsigned col, uint8_t ch, uint32_t fg, uint32_t bg)
{
	for (unsigned y = 0; y < 16; y++) {
		uint8_t bits = popek_font_8x16[ch * 16 + y];

		for (unsigned x = 0; x < 8; x++)
			assert_int_equal(px(fr, col * 9 + x, row * 16 + y),
					 (bits & (0x80 >> x)) ? fg : bg);
	}
}

static void test_text_cells(void **state)
{
	struct fixture *f = *state;
	const struct vga_frame *fr;

	reg(f, 0x3d4, 0x0a, 0x20); /* cursor off */
	cell(f, 1, 2, 'A', 0x1f);
	cell(f, 3, 0, 'g', 0x0e);
	cell(f, 4, 5, 0xc4, 0x1f); /* horizontal line */
	cell(f, 4, 6, 'M', 0x1f);
	fr = vga_render(f->v);
	assert_non_null(fr);
	assert_int_equal(fr->width, 720);
	assert_int_equal(fr->height, 400);
	check_cell(fr, 1, 2, 'A', WHITE, BLUE);
	check_cell(fr, 3, 0, 'g', YELLOW, BLACK);
	/* The ninth dot: background for letters, the eighth dot repeated
	 * for line drawing (AR10 bit 2 is set in mode 03h). */
	for (unsigned y = 0; y < 16; y++) {
		uint8_t line = popek_font_8x16[0xc4 * 16 + y];

		assert_int_equal(px(fr, 5 * 9 + 8, 4 * 16 + y),
				 (line & 1) ? WHITE : BLUE);
		assert_int_equal(px(fr, 6 * 9 + 8, 4 * 16 + y), BLUE);
	}
	/* 8-dot characters (SR01 bit 0): 640 wide. */
	reg(f, 0x3c4, 1, 0x01);
	fr = vga_render(f->v);
	assert_int_equal(fr->width, 640);
	assert_int_equal(px(fr, 2 * 8 + 7, 16), BLUE);
}

static void test_text_blink_and_cursor(void **state)
{
	struct fixture *f = *state;
	const struct vga_frame *fr;
	uint8_t bar_row = 14;

	cell(f, 0, 0, 0xdb, 0x8e); /* blinking yellow block on black */
	cell(f, 0, 1, ' ', 0x1f);
	reg(f, 0x3d4, 0x0a, bar_row);
	reg(f, 0x3d4, 0x0b, bar_row + 1);
	reg(f, 0x3d4, 0x0e, 0);
	reg(f, 0x3d4, 0x0f, 1); /* cursor on cell 1 */

	f->m->clock.cycles = 0; /* frame 0: both blink phases on */
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 4, 4), YELLOW);
	assert_int_equal(px(fr, 9 + 4, bar_row), WHITE);
	assert_int_equal(px(fr, 9 + 4, bar_row + 1), WHITE);
	assert_int_equal(px(fr, 9 + 4, bar_row - 1), BLUE);

	f->m->clock.cycles = 8 * FRAME_CYCLES; /* cursor off, text on */
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 4, 4), YELLOW);
	assert_int_equal(px(fr, 9 + 4, bar_row), BLUE);

	f->m->clock.cycles = 16 * FRAME_CYCLES; /* blinking text off */
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 4, 4), BLACK);

	/* With blinking disabled (AR10 bit 3), bit 7 is bright background:
	 * colour 8, dark grey. */
	io_read(f->m, 0x3da, 1);
	io_write(f->m, 0x3c0, 1, 0x30);
	io_write(f->m, 0x3c0, 1, 0x04);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 4, 4), YELLOW);
	cell(f, 0, 0, ' ', 0x8e);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 4, 4), 0x555555);
}

static void test_blank_while_palette_loads(void **state)
{
	struct fixture *f = *state;
	const struct vga_frame *fr;

	cell(f, 0, 0, 0xdb, 0x0f);
	io_read(f->m, 0x3da, 1);
	io_write(f->m, 0x3c0, 1, 0x00); /* PAS clear */
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 3, 3), BLACK);
	io_write(f->m, 0x3c0, 1, 0x00);
	io_write(f->m, 0x3c0, 1, 0x20); /* PAS set again */
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 3, 3), WHITE);
}

static void dac_set(struct fixture *f, uint8_t index, uint8_t r, uint8_t g,
		    uint8_t b)
{
	io_write(f->m, 0x3c8, 1, index);
	io_write(f->m, 0x3c9, 1, r);
	io_write(f->m, 0x3c9, 1, g);
	io_write(f->m, 0x3c9, 1, b);
}

static void test_mode13(void **state)
{
	struct fixture *f = *state;
	const struct vga_frame *fr;

	assert_int_equal(vga_set_mode(f->v, 0x13), 0);
	dac_set(f, 1, 63, 0, 0);
	dac_set(f, 2, 0, 63, 0);
	dac_set(f, 3, 0x10, 0x20, 0x30);
	phys_write_u(f->m, 0xa0000 + 20 * 320 + 10, 1, 1);
	phys_write_u(f->m, 0xa0000 + 199 * 320 + 319, 1, 2);
	phys_write_u(f->m, 0xa0000 + 1, 1, 3);
	fr = vga_render(f->v);
	assert_int_equal(fr->width, 320);
	assert_int_equal(fr->height, 200);
	assert_int_equal(px(fr, 10, 20), 0xff0000);
	assert_int_equal(px(fr, 319, 199), 0x00ff00);
	assert_int_equal(px(fr, 1, 0), 0x4182c3);
	assert_int_equal(px(fr, 0, 0), BLACK);
	assert_int_equal(px(fr, 11, 20), BLACK);
	/* Start address (in CRTC units, 4 pixels each): scrolls a row. */
	reg(f, 0x3d4, 0x0c, 0);
	reg(f, 0x3d4, 0x0d, 80);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 10, 19), 0xff0000);
}

static void test_mode12_planar(void **state)
{
	struct fixture *f = *state;
	const struct vga_frame *fr;

	assert_int_equal(vga_set_mode(f->v, 0x12), 0);
	/* Write mode 2, colour 4 (red) on pixels 0 and 7 of byte 1 of row 2. */
	reg(f, 0x3ce, 5, 0x02);
	reg(f, 0x3ce, 8, 0x81);
	phys_read_u(f->m, 0xa0000 + 2 * 80 + 1, 1);
	phys_write_u(f->m, 0xa0000 + 2 * 80 + 1, 1, 4);
	fr = vga_render(f->v);
	assert_int_equal(fr->width, 640);
	assert_int_equal(fr->height, 480);
	assert_int_equal(px(fr, 8, 2), 0xaa0000);
	assert_int_equal(px(fr, 15, 2), 0xaa0000);
	assert_int_equal(px(fr, 9, 2), BLACK);
	/* Colour 14 through the palette: AR0E = 0x3E, yellow. */
	phys_read_u(f->m, 0xa0000, 1);
	reg(f, 0x3ce, 8, 0xff);
	phys_write_u(f->m, 0xa0000, 1, 14);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 0, 0), YELLOW);
	/* Colour plane enable (AR12) masks planes out: 14 & 0x3 = 2. */
	io_read(f->m, 0x3da, 1);
	io_write(f->m, 0x3c0, 1, 0x32);
	io_write(f->m, 0x3c0, 1, 0x03);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 0, 0), 0x00aa00);
}

static void test_cga_mode4(void **state)
{
	struct fixture *f = *state;
	const struct vga_frame *fr;
	/* Mode 04h palette: AR01=0x13, AR02=0x15, AR03=0x17 (EGA colours). */
	static const uint32_t colour[4] = { BLACK, 0x55ffff, 0xff55ff,
					    0xffffff };

	assert_int_equal(vga_set_mode(f->v, 0x04), 0);
	phys_write_u(f->m, 0xb8000, 1, 0x1b); /* row 0: pixels 0,1,2,3 */
	phys_write_u(f->m, 0xba000, 1, 0xe4); /* row 1: pixels 3,2,1,0 */
	phys_write_u(f->m, 0xb8001, 1, 0xff); /* row 0: pixels 4-7 = 3 */
	fr = vga_render(f->v);
	assert_int_equal(fr->width, 320);
	assert_int_equal(fr->height, 200);
	for (unsigned x = 0; x < 4; x++) {
		assert_int_equal(px(fr, x, 0), colour[x]);
		assert_int_equal(px(fr, x, 1), colour[3 - x]);
		assert_int_equal(px(fr, 4 + x, 0), colour[3]);
	}
	assert_int_equal(px(fr, 0, 2), BLACK);
}

static void test_text_screen(void **state)
{
	struct fixture *f = *state;
	uint16_t cells[80 * 25];
	unsigned cols, rows;

	cell(f, 0, 0, 'H', 0x07);
	cell(f, 24, 79, 0xc9, 0x1f);
	assert_true(vga_text_screen(f->v, cells, 80 * 25, &cols, &rows));
	assert_int_equal(cols, 80);
	assert_int_equal(rows, 25);
	assert_int_equal(cells[0], 0x0748);
	assert_int_equal(cells[24 * 80 + 79], 0x1fc9);
	assert_int_equal(cells[1], 0x0720);
	assert_int_equal(vga_set_mode(f->v, 0x13), 0);
	assert_false(vga_text_screen(f->v, cells, 80 * 25, &cols, &rows));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_cells, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_text_blink_and_cursor,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blank_while_palette_loads,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode13, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode12_planar, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cga_mode4, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_text_screen, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
