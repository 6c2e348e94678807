/* SPDX-License-Identifier: MIT */
/*
 * The standard VGA modes as register sets, with the fields of the IBM
 * VGA BIOS "video parameter table" (IBM VGA Technical Reference).  The
 * emulator loads mode 03h from here at power-on (what a VGA BIOS leaves)
 * and tests load the others; popek's BIOS keeps the same values in
 * bios/vgatables.inc.
 */
#ifndef POPEK_IODEV_VGA_MODES_H
#define POPEK_IODEV_VGA_MODES_H

#include <stdbool.h>
#include <stdint.h>

struct vga_mode_table {
	uint8_t mode; /* BIOS mode number (INT 10h AH=00h) */
	bool text; /* alphanumeric mode */
	uint16_t segment; /* where the CPU sees the frame: 0xA000/0xB800 */
	uint16_t width, height; /* pixels (text: the character cells' dots) */
	uint8_t colors; /* 2, 4, 16 or 0 for 256 */
	/* The parameter table's fields. */
	uint8_t columns;
	uint8_t rows_minus_1;
	uint8_t char_height;
	uint16_t page_size;
	uint8_t seq[4]; /* SR1-SR4 */
	uint8_t misc; /* 0x3C2 */
	uint8_t crtc[25]; /* CR00-CR18 */
	uint8_t attr[20]; /* AR00-AR13 */
	uint8_t gc[9]; /* GR00-GR08 */
};

extern const struct vga_mode_table vga_mode_tables[];
extern const unsigned vga_mode_table_count;

/* The table for a BIOS mode number, or NULL. */
const struct vga_mode_table *vga_mode_find(unsigned mode);

/*
 * The DAC contents a BIOS loads with a mode, 6 bits per component: the
 * 64 EGA colours (for text and the 350/480-line 16-colour modes, whose
 * attribute palette points into them), the CGA-style colours of the
 * 200-line graphics modes (bit 4 intensity), or for the 256-colour mode
 * popek's own palette: the 16 text colours, 16 greys, a 6x6x6 colour
 * cube, 8 blacks.
 */
void vga_mode_palette(const struct vga_mode_table *t, uint8_t dac[256][3]);

#endif
