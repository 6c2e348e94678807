/* SPDX-License-Identifier: MIT */
/* The CRTC's scan, shared by the graphics and text renderers. */
#ifndef POPEK_IODEV_VGA_RENDER_H
#define POPEK_IODEV_VGA_RENDER_H

#include <stdbool.h>
#include <stdint.h>

struct vga;

/* What the CRTC registers say about the picture. */
struct vga_geometry {
	unsigned clocks; /* character clocks a line shows: CR01 + 1 */
	unsigned scanlines; /* lines shown: vertical display end + 1 */
	unsigned line_compare; /* CR18, CR07 bit 4, CR09 bit 6 */
	unsigned max_scan; /* CR09 bits 4-0: lines per row, minus 1 */
	bool double_scan; /* CR09 bit 7 */
	uint32_t start; /* CR0C:CR0D */
	unsigned pitch; /* address counter step per row: CR13 * 2 */
};

void vga_geometry(const struct vga *v, struct vga_geometry *g);
uint32_t vga_crtc_address(const struct vga *v, uint32_t ma, unsigned rowscan);
void vga_scan_line(const struct vga *v, const struct vga_geometry *g,
		   unsigned s, uint32_t *ma, unsigned *rowscan);

#endif
