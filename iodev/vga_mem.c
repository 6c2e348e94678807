// SPDX-License-Identifier: MIT
/*
 * The CPU's view of video memory through the 0xA0000-0xBFFFF window:
 * address decoding (GR06 memory map), chain-4 and odd/even addressing
 * (SR04, GR05), the four write modes with set/reset, rotate, the logical
 * function and the bit mask (GR00, GR01, GR03, GR08), the two read modes
 * with colour compare (GR02, GR07) and the latches.  FreeVGA, "Graphics
 * Registers" and "Sequencer Registers"; IBM VGA Technical Reference.
 *
 * Storage: the 64 KiB planes are interleaved, plane p of offset o at
 * vram[4 * o + p], so a latch load is one 32-bit read.
 */
#include <string.h>

#include "iodev/vga.h"

#define SR04_CHAIN4 0x08
#define SR04_SEQUENTIAL 0x04 /* odd/even disabled for CPU writes */
#define GR05_HOST_ODD_EVEN 0x10 /* odd/even for CPU reads */
#define GR05_READ_MODE 0x08

/*
 * Where a window offset lands in planar address space, following the
 * memory map select (GR06 bits 3-2): 0 A0000-BFFFF, 1 A0000-AFFFF,
 * 2 B0000-B7FFF, 3 B8000-BFFFF.  false: outside the selected range.
 */
static bool window_address(const struct vga *v, uint64_t offset,
			   uint32_t *addr)
{
	switch ((v->gc[6] >> 2) & 3) {
	case 0:
		*addr = (uint32_t)offset;
		return true;
	case 1:
		*addr = (uint32_t)offset;
		return offset < 0x10000;
	case 2:
		*addr = (uint32_t)offset - 0x10000;
		return offset >= 0x10000 && offset < 0x18000;
	default:
		*addr = (uint32_t)offset - 0x18000;
		return offset >= 0x18000;
	}
}

static uint32_t load_latch(struct vga *v, uint32_t off)
{
	uint32_t latch;

	memcpy(&latch, &v->vram[(off & (VGA_PLANE_SIZE - 1)) * 4], 4);
	return latch;
}

/* Each of the four low bits of bits widened to a byte of 0x00 or 0xFF. */
static uint32_t expand_planes(uint8_t bits)
{
	uint32_t out = 0;

	for (unsigned p = 0; p < 4; p++)
		if (bits & (1u << p))
			out |= 0xffu << (8 * p);
	return out;
}

static uint8_t rotate_right(uint8_t value, unsigned count)
{
	count &= 7;
	return count ? (uint8_t)((value >> count) | (value << (8 - count))) :
		       value;
}

static uint8_t read_byte(struct vga *v, uint32_t addr)
{
	uint32_t off;
	unsigned plane;

	if (v->seq[4] & SR04_CHAIN4) {
		/* Chain-4: A1-A0 pick the plane; the planes hold every
		 * fourth offset, as the CRTC's doubleword mode scans them. */
		off = (addr & ~3u) & (VGA_PLANE_SIZE - 1);
		v->latch = load_latch(v, off);
		return v->vram[off * 4 + (addr & 3)];
	}
	if (v->gc[5] & GR05_HOST_ODD_EVEN) {
		/* Odd/even: A0 picks plane 0/1 (or 2/3 by GR04 bit 1). */
		off = (addr & ~1u) & (VGA_PLANE_SIZE - 1);
		plane = (v->gc[4] & 2) | (addr & 1);
	} else {
		off = addr & (VGA_PLANE_SIZE - 1);
		plane = v->gc[4] & 3;
	}
	v->latch = load_latch(v, off);
	if (!(v->gc[5] & GR05_READ_MODE))
		return (uint8_t)(v->latch >> (8 * plane));

	/* Read mode 1: a 1 bit where every plane not "don't care" in GR07
	 * matches its colour compare bit in GR02. */
	uint8_t result = 0xff;

	for (unsigned p = 0; p < 4; p++) {
		uint8_t want = (v->gc[2] >> p) & 1 ? 0xff : 0x00;

		if ((v->gc[7] >> p) & 1)
			result &= (uint8_t)~((uint8_t)(v->latch >> (8 * p)) ^
					     want);
	}
	return result;
}

/* The 32 bits (one byte per plane) that write modes 0, 2 and 3 make of a
 * CPU byte, before the map mask picks the planes. */
static uint32_t write_data(struct vga *v, uint8_t value)
{
	uint8_t bit_mask = v->gc[8];
	uint32_t data, mask;

	switch (v->gc[5] & 3) {
	case 0:
		data = rotate_right(value, v->gc[3]) * 0x01010101u;
		mask = expand_planes(v->gc[1]); /* enable set/reset */
		data = (data & ~mask) | (expand_planes(v->gc[0]) & mask);
		break;
	case 1:
		/* The latches, unchanged: a fast copy within video memory. */
		return v->latch;
	case 2:
		data = expand_planes(value);
		break;
	default:
		/* Write mode 3: the rotated byte ANDed with the bit mask is
		 * the mask; the colour comes from set/reset. */
		bit_mask &= rotate_right(value, v->gc[3]);
		data = expand_planes(v->gc[0]);
		break;
	}
	switch ((v->gc[3] >> 3) & 3) {
	case 1:
		data &= v->latch;
		break;
	case 2:
		data |= v->latch;
		break;
	case 3:
		data ^= v->latch;
		break;
	default:
		break;
	}
	mask = bit_mask * 0x01010101u;
	return (data & mask) | (v->latch & ~mask);
}

static void write_byte(struct vga *v, uint32_t addr, uint8_t value)
{
	uint8_t planes = v->seq[2] & 0x0f; /* map mask */
	uint32_t off, data;

	if (v->seq[4] & SR04_CHAIN4) {
		unsigned plane = addr & 3;

		off = (addr & ~3u) & (VGA_PLANE_SIZE - 1);
		if (planes & (1u << plane))
			v->vram[off * 4 + plane] = value;
		return;
	}
	if (!(v->seq[4] & SR04_SEQUENTIAL)) {
		off = (addr & ~1u) & (VGA_PLANE_SIZE - 1);
		planes &= (addr & 1) ? 0x0a : 0x05;
	} else {
		off = addr & (VGA_PLANE_SIZE - 1);
	}
	data = write_data(v, value);
	for (unsigned p = 0; p < 4; p++)
		if (planes & (1u << p))
			v->vram[off * 4 + p] = (uint8_t)(data >> (8 * p));
}

static uint8_t window_read(struct vga *v, uint64_t offset)
{
	uint32_t addr;

	if (vbe_enabled(v)) {
		int64_t at = vbe_bank_offset(v, offset);

		return at < 0 ? 0xff : v->vram[at];
	}
	if (!window_address(v, offset, &addr))
		return 0xff;
	return read_byte(v, addr);
}

static void window_write(struct vga *v, uint64_t offset, uint8_t value)
{
	uint32_t addr;

	if (vbe_enabled(v)) {
		int64_t at = vbe_bank_offset(v, offset);

		if (at >= 0)
			v->vram[at] = value;
		return;
	}
	if (window_address(v, offset, &addr))
		write_byte(v, addr, value);
}

/* Wider accesses are byte accesses at rising addresses, as the 8-bit
 * wide VGA memory path performs them. */
uint64_t vga_mem_read(void *dev, uint64_t offset, unsigned size)
{
	uint64_t value = 0;

	for (unsigned i = 0; i < size; i++)
		value |= (uint64_t)window_read(dev, offset + i) << (8 * i);
	return value;
}

void vga_mem_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
	for (unsigned i = 0; i < size; i++)
		window_write(dev, offset + i, (uint8_t)(value >> (8 * i)));
}
