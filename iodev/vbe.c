// SPDX-License-Identifier: MIT
/*
 * The Bochs VBE extension ("DISPI"): resolution and depth registers at
 * index port 0x1CE / data port 0x1CF, 64 KiB banks at 0xA0000, and the
 * whole video memory as a linear framebuffer behind BAR0 of the PCI
 * display function 1234:1111 (class 0x030000), the device the Bochs
 * VGA BIOS, SeaBIOS's vgabios and Linux's bochs-drm drive.  Register
 * meanings: Bochs's vbe_display_api.txt.
 */
#include <string.h>

#include "iodev/vga.h"
#include "machine/machine.h"

bool vbe_enabled(const struct vga *v)
{
	return v->vbe.reg[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_ENABLED;
}

static unsigned bytes_per_pixel(unsigned bpp)
{
	return (bpp + 7) / 8;
}

static bool bpp_valid(unsigned bpp)
{
	return bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32;
}

int64_t vbe_bank_offset(const struct vga *v, uint64_t window_offset)
{
	uint64_t at;

	if (!vbe_enabled(v) || window_offset >= VBE_BANK_SIZE)
		return -1;
	at = (uint64_t)v->vbe.reg[VBE_DISPI_INDEX_BANK] * VBE_BANK_SIZE +
	     window_offset;
	return at < VGA_VRAM_SIZE ? (int64_t)at : -1;
}

/* Lines of the virtual screen that fit in video memory at this width. */
static uint16_t lines_that_fit(const struct vga *v, unsigned width)
{
	uint64_t pitch = (uint64_t)width *
			 bytes_per_pixel(v->vbe.reg[VBE_DISPI_INDEX_BPP]);
	uint64_t lines = pitch ? VGA_VRAM_SIZE / pitch : 0;

	return (uint16_t)(lines > 0xffff ? 0xffff : lines);
}

/*
 * ENABLE with the enabled bit: the mode must be one popek can show and
 * must fit video memory, else the write is refused (the register keeps
 * the enabled bit clear), which a BIOS sees as a failed mode set.
 */
static void write_enable(struct vga *v, uint16_t value)
{
	uint16_t *r = v->vbe.reg;
	uint64_t xres = r[VBE_DISPI_INDEX_XRES], yres = r[VBE_DISPI_INDEX_YRES];
	uint64_t bytes = bytes_per_pixel(r[VBE_DISPI_INDEX_BPP]);

	value &= VBE_DISPI_ENABLED | VBE_DISPI_GETCAPS | VBE_DISPI_8BIT_DAC |
		 VBE_DISPI_LFB_ENABLED | VBE_DISPI_NOCLEARMEM;
	if ((value & VBE_DISPI_ENABLED) && !vbe_enabled(v)) {
		if (xres == 0 || yres == 0 || xres > VBE_MAX_XRES ||
		    yres > VBE_MAX_YRES ||
		    !bpp_valid(r[VBE_DISPI_INDEX_BPP]) ||
		    xres * yres * bytes > VGA_VRAM_SIZE) {
			value &= (uint16_t)~VBE_DISPI_ENABLED;
		} else {
			r[VBE_DISPI_INDEX_VIRT_WIDTH] = (uint16_t)xres;
			r[VBE_DISPI_INDEX_VIRT_HEIGHT] = (uint16_t)yres;
			r[VBE_DISPI_INDEX_X_OFFSET] = 0;
			r[VBE_DISPI_INDEX_Y_OFFSET] = 0;
			r[VBE_DISPI_INDEX_BANK] = 0;
			if (!(value & VBE_DISPI_NOCLEARMEM))
				memset(v->vram, 0, VGA_VRAM_SIZE);
		}
	}
	r[VBE_DISPI_INDEX_ENABLE] = value;
}

static void dispi_write(struct vga *v, uint16_t value)
{
	uint16_t *r = v->vbe.reg;
	bool on = vbe_enabled(v);

	switch (v->vbe.index) {
	case VBE_DISPI_INDEX_ID:
		if (value >= VBE_DISPI_ID0 && value <= VBE_DISPI_ID5)
			r[VBE_DISPI_INDEX_ID] = value;
		return;
	case VBE_DISPI_INDEX_XRES:
		/* The mode registers change only while VBE is off. */
		if (!on && value <= VBE_MAX_XRES)
			r[VBE_DISPI_INDEX_XRES] = value;
		return;
	case VBE_DISPI_INDEX_YRES:
		if (!on && value <= VBE_MAX_YRES)
			r[VBE_DISPI_INDEX_YRES] = value;
		return;
	case VBE_DISPI_INDEX_BPP:
		if (value == 0)
			value = 8;
		if (!on && bpp_valid(value))
			r[VBE_DISPI_INDEX_BPP] = value;
		return;
	case VBE_DISPI_INDEX_ENABLE:
		write_enable(v, value);
		return;
	case VBE_DISPI_INDEX_BANK:
		if ((uint32_t)value * VBE_BANK_SIZE < VGA_VRAM_SIZE)
			r[VBE_DISPI_INDEX_BANK] = value;
		return;
	case VBE_DISPI_INDEX_VIRT_WIDTH:
		/* A wider virtual screen: as many lines as then fit. */
		if (value < r[VBE_DISPI_INDEX_XRES] || value > VBE_MAX_XRES * 4)
			return;
		r[VBE_DISPI_INDEX_VIRT_WIDTH] = value;
		r[VBE_DISPI_INDEX_VIRT_HEIGHT] = lines_that_fit(v, value);
		return;
	case VBE_DISPI_INDEX_VIRT_HEIGHT:
		if (value <= lines_that_fit(v, r[VBE_DISPI_INDEX_VIRT_WIDTH]))
			r[VBE_DISPI_INDEX_VIRT_HEIGHT] = value;
		return;
	case VBE_DISPI_INDEX_X_OFFSET:
	case VBE_DISPI_INDEX_Y_OFFSET:
		r[v->vbe.index] = value;
		return;
	default:
		return; /* VIDEO_MEMORY_64K and beyond: read-only or absent */
	}
}

static uint16_t dispi_read(const struct vga *v)
{
	bool caps = v->vbe.reg[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_GETCAPS;

	switch (v->vbe.index) {
	case VBE_DISPI_INDEX_XRES:
		return caps ? VBE_MAX_XRES : v->vbe.reg[VBE_DISPI_INDEX_XRES];
	case VBE_DISPI_INDEX_YRES:
		return caps ? VBE_MAX_YRES : v->vbe.reg[VBE_DISPI_INDEX_YRES];
	case VBE_DISPI_INDEX_BPP:
		return caps ? VBE_MAX_BPP : v->vbe.reg[VBE_DISPI_INDEX_BPP];
	case VBE_DISPI_INDEX_VIDEO_MEMORY_64K:
		return VGA_VRAM_SIZE >> 16;
	default:
		return v->vbe.index < VBE_DISPI_INDEX_COUNT ?
			       v->vbe.reg[v->vbe.index] :
			       0;
	}
}

/* 0x1CE is the index, 0x1CF the data; 0x1D0 is an alias of the data
 * port (so a word access at 0x1CF reaches one owner whole). */
static uint32_t dispi_port_read(void *dev, uint16_t port, unsigned size)
{
	struct vga *v = dev;

	(void)size;
	return port == VBE_DISPI_IOPORT_INDEX ? v->vbe.index : dispi_read(v);
}

static void dispi_port_write(void *dev, uint16_t port, unsigned size,
			     uint32_t value)
{
	struct vga *v = dev;

	(void)size;
	if (port == VBE_DISPI_IOPORT_INDEX)
		v->vbe.index = (uint16_t)value;
	else
		dispi_write(v, (uint16_t)value);
}

/* Does anything already occupy [base, base + size) in the physical map? */
static bool range_in_use(const struct machine *m, uint64_t base,
			 uint64_t size)
{
	for (unsigned i = 0; i < m->map.count; i++) {
		const struct mem_region *r = &m->map.regions[i];

		if (base < r->base + r->size && r->base < base + size)
			return true;
	}
	return false;
}

/*
 * BAR0 moved: map video memory there as RAM-like memory (engines access
 * it directly, no exits), unless the guest put it over something else,
 * which would shadow RAM or a device: then the LFB is simply not seen.
 */
static void lfb_map(struct pci_function *f, int bar, uint64_t addr)
{
	struct vga *v = f->opaque;

	(void)bar;
	if (v->vbe.lfb_base != PCI_BAR_UNMAPPED) {
		mem_unmap(v->m, v->vbe.lfb_base);
		v->vbe.lfb_base = PCI_BAR_UNMAPPED;
	}
	if (addr == PCI_BAR_UNMAPPED || addr + VGA_VRAM_SIZE < addr ||
	    range_in_use(v->m, addr, VGA_VRAM_SIZE))
		return;
	if (mem_map_ram(v->m, addr, VGA_VRAM_SIZE, v->vram, "vga-lfb") == 0)
		v->vbe.lfb_base = addr;
}

void vbe_reset(struct vga *v)
{
	uint16_t *r = v->vbe.reg;

	v->vbe.index = 0;
	memset(r, 0, sizeof(v->vbe.reg));
	r[VBE_DISPI_INDEX_ID] = VBE_DISPI_ID5;
	r[VBE_DISPI_INDEX_XRES] = 640;
	r[VBE_DISPI_INDEX_YRES] = 480;
	r[VBE_DISPI_INDEX_BPP] = 8;
}

int vbe_init(struct vga *v, bool with_pci)
{
	vbe_reset(v);
	v->vbe.lfb_base = PCI_BAR_UNMAPPED;
	if (io_register(v->m, VBE_DISPI_IOPORT_INDEX, 3, v, dispi_port_read,
			dispi_port_write, "vbe-dispi") != 0)
		return -1;
	if (!with_pci)
		return 0;
	pci_function_init(&v->pci, VGA_PCI_VENDOR, VGA_PCI_DEVICE,
			  VGA_PCI_CLASS, 0);
	v->pci.name = "vga";
	v->pci.opaque = v;
	pci_function_set_bar(&v->pci, 0, VGA_VRAM_SIZE, false, lfb_map);
	v->pci.bar[0].prefetchable = true;
	return pci_register(v->m, &v->pci, VGA_PCI_DEV, 0);
}

void vbe_fini(struct vga *v)
{
	if (v->vbe.lfb_base != PCI_BAR_UNMAPPED)
		mem_unmap(v->m, v->vbe.lfb_base);
	v->vbe.lfb_base = PCI_BAR_UNMAPPED;
}

static uint32_t pixel_rgb(const struct vga *v, const uint8_t *p, unsigned bpp)
{
	uint32_t x;

	switch (bpp) {
	case 8:
		return vga_dac_rgb(v, p[0]);
	case 15:
		x = (uint32_t)(p[0] | p[1] << 8);
		return ((x >> 10 & 0x1f) * 255 / 31) << 16 |
		       ((x >> 5 & 0x1f) * 255 / 31) << 8 | (x & 0x1f) * 255 / 31;
	case 16:
		x = (uint32_t)(p[0] | p[1] << 8);
		return ((x >> 11 & 0x1f) * 255 / 31) << 16 |
		       ((x >> 5 & 0x3f) * 255 / 63) << 8 | (x & 0x1f) * 255 / 31;
	default: /* 24 and 32: blue, green, red in memory order */
		return (uint32_t)(p[2] << 16 | p[1] << 8 | p[0]);
	}
}

void vbe_render(struct vga *v, struct vga_frame *f)
{
	const uint16_t *r = v->vbe.reg;
	unsigned width = r[VBE_DISPI_INDEX_XRES],
		 height = r[VBE_DISPI_INDEX_YRES];
	unsigned bpp = r[VBE_DISPI_INDEX_BPP], bytes = bytes_per_pixel(bpp);
	uint64_t pitch = (uint64_t)r[VBE_DISPI_INDEX_VIRT_WIDTH] * bytes;
	uint64_t start = r[VBE_DISPI_INDEX_Y_OFFSET] * pitch +
			 (uint64_t)r[VBE_DISPI_INDEX_X_OFFSET] * bytes;

	if (!vga_frame_resize(f, width, height) || f->width != width ||
	    f->height != height)
		return;
	for (unsigned y = 0; y < height; y++) {
		uint32_t *out = f->pixels + (size_t)y * width;
		uint64_t at = start + y * pitch;

		for (unsigned x = 0; x < width; x++, at += bytes)
			out[x] = at + bytes <= VGA_VRAM_SIZE ?
					 pixel_rgb(v, &v->vram[at], bpp) :
					 0;
	}
}
