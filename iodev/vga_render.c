// SPDX-License-Identifier: MIT
/*
 * What the monitor shows: the CRTC's scan of video memory turned into
 * 0x00RRGGBB pixels through the attribute controller and the DAC.  The
 * picture is made at the mode's own resolution: lines the CRTC scans
 * twice (double scan, CR09 bit 7, or a graphics "character row" of
 * several scan lines, CR09 bits 4-0) are made once, so mode 13h gives
 * 320x200 and 80x25 text 720x400.  IBM VGA Technical Reference; FreeVGA,
 * "CRT Controller Registers" and "Attribute Controller Registers".
 */
#include <stdlib.h>
#include <string.h>

#include "iodev/vga.h"
#include "iodev/vga_render.h"

#define MAX_DIMENSION 4096u

bool vga_frame_resize(struct vga_frame *f, unsigned width, unsigned height)
{
	size_t need;

	if (width == 0 || height == 0 || width > MAX_DIMENSION ||
	    height > MAX_DIMENSION)
		width = height = 1;
	need = (size_t)width * height;
	if (need > f->capacity) {
		uint32_t *p = realloc(f->pixels, need * sizeof(*p));

		if (!p)
			return false;
		f->pixels = p;
		f->capacity = (unsigned)need;
	}
	f->width = width;
	f->height = height;
	return true;
}

/* A DAC entry through the pixel mask (0x3C6) as 0x00RRGGBB; 6-bit
 * components are widened by repeating their top bits. */
uint32_t vga_dac_rgb(const struct vga *v, uint8_t index)
{
	const uint8_t *c = v->dac[index & v->dac_mask];
	uint32_t rgb = 0;

	for (unsigned i = 0; i < 3; i++) {
		uint32_t x = c[i];

		if (!(v->vbe.reg[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_8BIT_DAC))
			x = ((x & 0x3f) << 2) | ((x & 0x3f) >> 4);
		rgb = (rgb << 8) | x;
	}
	return rgb;
}

/*
 * A 4-bit pixel through the attribute controller: colour plane enable
 * (AR12), the palette (AR00-AR0F), P5-P4 and P7-P6 from colour select
 * (AR14) as AR10 bit 7 asks, then the DAC.
 */
uint32_t vga_attr_rgb(const struct vga *v, uint8_t pixel)
{
	uint8_t index = v->attr[(pixel & v->attr[0x12]) & 0x0f] & 0x3f;

	if (v->attr[0x10] & 0x80)
		index = (uint8_t)((index & 0x0f) | ((v->attr[0x14] & 3) << 4));
	index |= (uint8_t)((v->attr[0x14] & 0x0c) << 4);
	return vga_dac_rgb(v, index);
}

void vga_geometry(const struct vga *v, struct vga_geometry *g)
{
	const uint8_t *cr = v->crtc;

	g->clocks = cr[0x01] + 1u;
	g->scanlines = (cr[0x12] | ((cr[0x07] & 0x02) << 7) |
			((cr[0x07] & 0x40) << 3)) +
		       1u;
	g->line_compare = cr[0x18] | ((cr[0x07] & 0x10) << 4) |
			  ((cr[0x09] & 0x40) << 3);
	g->max_scan = cr[0x09] & 0x1f;
	g->double_scan = cr[0x09] & 0x80;
	g->start = (uint32_t)(cr[0x0c] << 8 | cr[0x0d]);
	g->pitch = cr[0x13] * 2u;
}

/*
 * The memory address the CRTC puts out for address counter ma on row
 * scan line rowscan: doubleword mode (CR14 bit 6) shifts it by 2, word
 * mode (CR17 bit 6 clear) by 1 with MA13 or MA15 (CR17 bit 5) in bit 0;
 * CR17 bits 0 and 1 clear put row scan bits 0 and 1 in address bits 13
 * and 14 (the CGA's interleaved rows).
 */
uint32_t vga_crtc_address(const struct vga *v, uint32_t ma, unsigned rowscan)
{
	uint8_t mode = v->crtc[0x17];
	uint32_t a;

	if (v->crtc[0x14] & 0x40)
		a = ma << 2;
	else if (mode & 0x40)
		a = ma;
	else
		a = (ma << 1) | ((mode & 0x20) ? (ma >> 15) & 1 : (ma >> 13) & 1);
	if (!(mode & 0x01))
		a = (a & ~0x2000u) | ((rowscan & 1u) << 13);
	if (!(mode & 0x02))
		a = (a & ~0x4000u) | (((rowscan >> 1) & 1u) << 14);
	return a & (VGA_PLANE_SIZE - 1);
}

/* Line s of the scan (s counts the lines the CRTC puts out): its address
 * counter at the row start and its row scan line.  Past the line compare
 * value the scan restarts at address 0 (the split screen). */
void vga_scan_line(const struct vga *v, const struct vga_geometry *g,
		   unsigned s, uint32_t *ma, unsigned *rowscan)
{
	uint32_t base = g->start;
	unsigned line;

	if (s > g->line_compare) {
		s -= g->line_compare + 1;
		base = 0;
	}
	line = g->double_scan ? s / 2 : s;
	*ma = base + (line / (g->max_scan + 1)) * g->pitch;
	*rowscan = line % (g->max_scan + 1);
	(void)v;
}

static void fill(struct vga_frame *f, uint32_t rgb)
{
	for (size_t i = 0; i < (size_t)f->width * f->height; i++)
		f->pixels[i] = rgb;
}

static void render_graphics(struct vga *v, struct vga_frame *f)
{
	struct vga_geometry g;
	bool vga256 = v->gc[5] & 0x40, cga = v->gc[5] & 0x20;
	/* Scan lines per distinct picture line. */
	unsigned repeat, width, height;
	uint32_t attr_rgb[16];

	vga_geometry(v, &g);
	repeat = (g.double_scan ? 2 : 1) *
		 ((v->crtc[0x17] & 3) == 3 ? g.max_scan + 1 : 1);
	width = g.clocks * (vga256 ? 4 : 8);
	height = g.scanlines / repeat;
	if (!vga_frame_resize(f, width, height ? height : 1))
		return;
	if (f->width != width || f->height != height) {
		fill(f, 0);
		return;
	}
	for (unsigned i = 0; i < 16; i++)
		attr_rgb[i] = vga_attr_rgb(v, (uint8_t)i);

	for (unsigned y = 0; y < height; y++) {
		uint32_t *out = f->pixels + (size_t)y * width;
		uint32_t ma;
		unsigned rowscan;

		vga_scan_line(v, &g, y * repeat, &ma, &rowscan);
		for (unsigned c = 0; c < g.clocks; c++) {
			const uint8_t *p =
				&v->vram[vga_crtc_address(v, ma + c, rowscan) * 4];

			if (vga256) {
				/* Four pixels a clock, planes 0-3 in turn. */
				for (unsigned k = 0; k < 4; k++)
					*out++ = vga_dac_rgb(v, p[k]);
			} else if (cga) {
				/* Shift register interleave (GR05 bit 5): two
				 * bits a pixel, 4 from plane 0 then 4 from
				 * plane 1; planes 2/3 give the high bits. */
				for (unsigned k = 0; k < 8; k++) {
					unsigned sh = 6 - 2 * (k & 3);
					uint8_t lo = p[k >> 2], hi = p[2 + (k >> 2)];
					uint8_t px = (uint8_t)(((lo >> sh) & 3) |
							       (((hi >> sh) & 3) << 2));

					*out++ = attr_rgb[px];
				}
			} else {
				/* Planar: bit 7-k of each plane. */
				for (unsigned k = 0; k < 8; k++) {
					unsigned sh = 7 - k;
					uint8_t px = (uint8_t)(((p[0] >> sh) & 1) |
							       (((p[1] >> sh) & 1) << 1) |
							       (((p[2] >> sh) & 1) << 2) |
							       (((p[3] >> sh) & 1) << 3));

					*out++ = attr_rgb[px];
				}
			}
		}
	}
}

bool vga_is_text_mode(const struct vga *v)
{
	return !vbe_enabled(v) && !(v->gc[6] & 0x01);
}

const struct vga_frame *vga_render(struct vga *v)
{
	struct vga_frame *f = &v->frame;

	if (vbe_enabled(v))
		vbe_render(v, f);
	else if (vga_is_text_mode(v))
		vga_render_text(v, f);
	else
		render_graphics(v, f);
	if (!f->pixels)
		return NULL;
	/* Screen off (SR01 bit 5), or the palette being loaded (PAS clear):
	 * the monitor shows black. */
	if (!vbe_enabled(v) &&
	    ((v->seq[1] & 0x20) || !(v->attr_index & 0x20)))
		fill(f, 0);
	return f;
}
