// SPDX-License-Identifier: MIT
/*
 * Text modes: each character clock fetches a character (plane 0) and an
 * attribute (plane 1); the character's row comes from the font in plane
 * 2 (32 bytes a character, the map chosen by SR03 and attribute bit 3);
 * 8 or 9 dots a character (SR01 bit 0), the ninth repeating the eighth
 * for 0xC0-0xDF when AR10 bit 2 asks; blinking (AR10 bit 3), the cursor
 * (CR0A, CR0B, CR0E, CR0F) and the underline (CR14, monochrome
 * attributes).  IBM VGA Technical Reference; FreeVGA, "VGA Text Mode
 * Operation".
 */
#include <stddef.h>

#include "iodev/vga.h"
#include "iodev/vga_render.h"

/* Blink periods in frames: the cursor 16, blinking characters 32. */
#define CURSOR_BLINK_FRAMES 16
#define CHAR_BLINK_FRAMES 32

/* Plane 2 offsets of the eight character maps (SR03's map numbers). */
static const uint16_t font_map_offset[8] = { 0x0000, 0x4000, 0x8000, 0xc000,
					     0x2000, 0x6000, 0xa000, 0xe000 };

struct text_state {
	uint32_t colour[16];
	uint16_t map_a, map_b; /* plane 2 offsets */
	unsigned dots; /* 8 or 9 */
	bool nine_dot_lines; /* AR10 bit 2 */
	bool blink_enable, blink_on, cursor_on;
	uint32_t cursor; /* address counter value, or UINT32_MAX for none */
	unsigned cursor_start, cursor_end, underline;
	bool mono; /* AR10 bit 1: monochrome attributes */
};

static void text_setup(const struct vga *v, struct text_state *t)
{
	uint8_t sr3 = v->seq[3];

	for (unsigned i = 0; i < 16; i++)
		t->colour[i] = vga_attr_rgb(v, (uint8_t)i);
	/* Map A: SR03 bits 5,3,2; map B: bits 4,1,0. */
	t->map_a = font_map_offset[((sr3 >> 2) & 3) | ((sr3 >> 3) & 4)];
	t->map_b = font_map_offset[(sr3 & 3) | ((sr3 >> 2) & 4)];
	t->dots = (v->seq[1] & 0x01) ? 8 : 9;
	t->nine_dot_lines = v->attr[0x10] & 0x04;
	t->blink_enable = v->attr[0x10] & 0x08;
	t->mono = v->attr[0x10] & 0x02;
	t->blink_on = vga_blink_on(v, CHAR_BLINK_FRAMES);
	t->cursor_on = vga_blink_on(v, CURSOR_BLINK_FRAMES);
	t->cursor = (v->crtc[0x0a] & 0x20) ?
			    UINT32_MAX :
			    (uint32_t)(v->crtc[0x0e] << 8 | v->crtc[0x0f]);
	t->cursor_start = v->crtc[0x0a] & 0x1f;
	t->cursor_end = v->crtc[0x0b] & 0x1f;
	t->underline = v->crtc[0x14] & 0x1f;
}

static void draw_cell(const struct vga *v, const struct text_state *t,
		      uint32_t *out, uint32_t ma, const uint8_t *p,
		      unsigned line)
{
	uint8_t ch = p[0], at = p[1];
	uint16_t map = (at & 0x08) ? t->map_a : t->map_b;
	uint8_t bits = v->vram[((uint32_t)(map + ch * 32u + line) &
				(VGA_PLANE_SIZE - 1)) * 4 + 2];
	unsigned fg = at & 0x0f, bg = at >> 4;
	bool ninth, solid = false;

	if (t->blink_enable) {
		bg &= 7;
		if ((at & 0x80) && !t->blink_on)
			fg = bg;
	}
	if (t->mono && (at & 0x07) == 1 && line == t->underline)
		solid = true;
	if (ma == t->cursor && t->cursor_on && line >= t->cursor_start &&
	    line <= t->cursor_end)
		solid = true;
	if (solid)
		bits = 0xff;
	ninth = t->nine_dot_lines && ch >= 0xc0 && ch <= 0xdf && (bits & 1);
	for (unsigned x = 0; x < 8; x++)
		out[x] = t->colour[(bits & (0x80 >> x)) ? fg : bg];
	if (t->dots == 9)
		out[8] = t->colour[(ninth || solid) ? fg : bg];
}

void vga_render_text(struct vga *v, struct vga_frame *f)
{
	struct vga_geometry g;
	struct text_state t;
	unsigned width, height;

	vga_geometry(v, &g);
	text_setup(v, &t);
	width = g.clocks * t.dots;
	height = g.double_scan ? g.scanlines / 2 : g.scanlines;
	if (!vga_frame_resize(f, width, height) || f->width != width ||
	    f->height != height)
		return;
	for (unsigned y = 0; y < height; y++) {
		uint32_t *out = f->pixels + (size_t)y * width;
		uint32_t ma;
		unsigned line;

		vga_scan_line(v, &g, g.double_scan ? y * 2 : y, &ma, &line);
		for (unsigned c = 0; c < g.clocks; c++, out += t.dots)
			draw_cell(v, &t, out, ma + c,
				  &v->vram[vga_crtc_address(v, ma + c, line) * 4],
				  line);
	}
}

bool vga_text_screen(const struct vga *v, uint16_t *cells, unsigned max,
		     unsigned *columns, unsigned *rows)
{
	struct vga_geometry g;
	unsigned lines;

	if (!vga_is_text_mode(v))
		return false;
	vga_geometry(v, &g);
	lines = g.double_scan ? g.scanlines / 2 : g.scanlines;
	*columns = g.clocks;
	*rows = (lines + g.max_scan) / (g.max_scan + 1);
	for (unsigned r = 0; r < *rows; r++)
		for (unsigned c = 0; c < *columns; c++) {
			uint32_t ma = g.start + r * g.pitch + c;
			const uint8_t *p =
				&v->vram[vga_crtc_address(v, ma, 0) * 4];
			unsigned i = r * *columns + c;

			if (i < max)
				cells[i] = (uint16_t)(p[0] | p[1] << 8);
		}
	return true;
}
