// SPDX-License-Identifier: MIT
/*
 * The VGA's registers at ports 0x3B4-0x3DA and the device's life cycle.
 * Register numbers and bits: IBM VGA Technical Reference, as FreeVGA's
 * register pages describe them (sequencer, graphics, CRTC, attribute
 * controller, DAC, external registers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fonts/fonts.h"
#include "iodev/vga.h"
#include "iodev/vga_modes.h"
#include "machine/machine.h"

/* Misc output bit 0: CRTC and input status 1 at 0x3Dx (1) or 0x3Bx (0). */
#define MISC_IOAS 0x01
/* CR11 bit 7: CR00-CR07 are write-protected (except CR07 bit 4). */
#define CRTC_PROTECT 0x80
/* Attribute address bit 5, PAS: 0 while the palette is being loaded,
 * which blanks the screen. */
#define ATTR_PAS 0x20
#define ATTR_REGS 0x15
#define SEQ_REGS 5
#define GC_REGS 9
#define CRTC_REGS 0x19

/*
 * Input status 1 follows a 640x480, 60 Hz frame on the virtual clock:
 * 800 dots of 39.7 ns a line, 525 lines, 480 of them shown, vertical
 * retrace on lines 490-491.  A guest waiting for retrace sees it come
 * and go as its own instructions advance time.
 */
#define LINE_NS 31778u
#define LINE_ACTIVE_NS 25422u
#define FRAME_LINES 525u
#define FRAME_NS ((uint64_t)LINE_NS * FRAME_LINES)
#define VBLANK_LINE 480u
#define VRETRACE_LINE 490u
#define VRETRACE_END 492u

uint8_t vga_input_status1(const struct vga *v)
{
	uint64_t pos = clock_now_ns(v->m) % FRAME_NS;
	unsigned line = (unsigned)(pos / LINE_NS);
	uint8_t status = 0;

	/* Bit 0: display disabled (either blanking interval). */
	if (line >= VBLANK_LINE || pos % LINE_NS >= LINE_ACTIVE_NS)
		status |= 0x01;
	/* Bit 3: vertical retrace. */
	if (line >= VRETRACE_LINE && line < VRETRACE_END)
		status |= 0x08;
	return status;
}

bool vga_blink_on(const struct vga *v, unsigned period_frames)
{
	uint64_t frame = clock_now_ns(v->m) / FRAME_NS;

	return (frame / (period_frames / 2)) % 2 == 0;
}

/* Is port in the 0x3Bx or 0x3Dx block that misc output does not select? */
static bool other_block(const struct vga *v, uint16_t port)
{
	if ((port & 0xfff0) == 0x3b0)
		return v->misc & MISC_IOAS;
	if ((port & 0xfff0) == 0x3d0)
		return !(v->misc & MISC_IOAS);
	return false;
}

static uint8_t dac_data_read(struct vga *v)
{
	uint8_t value = v->dac[v->dac_read_index][v->dac_component];

	if (++v->dac_component == 3) {
		v->dac_component = 0;
		v->dac_read_index++;
	}
	return value;
}

/* The DAC takes an entry in three writes, red, green, blue; with VBE's
 * 8-bit DAC flag the components keep all 8 bits, else the low 6. */
static void dac_data_write(struct vga *v, uint8_t value)
{
	bool wide = v->vbe.reg[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_8BIT_DAC;

	v->dac_rgb[v->dac_component] = wide ? value : value & 0x3f;
	if (++v->dac_component == 3) {
		memcpy(v->dac[v->dac_write_index], v->dac_rgb, 3);
		v->dac_component = 0;
		v->dac_write_index++;
	}
}

static uint8_t port_read_byte(struct vga *v, uint16_t port)
{
	if (other_block(v, port))
		return 0xff;
	switch (port) {
	case 0x3c0:
		return v->attr_index;
	case 0x3c1:
		return (v->attr_index & 0x1f) < ATTR_REGS ?
			       v->attr[v->attr_index & 0x1f] :
			       0;
	case 0x3c2:
		/* Input status 0: bit 4 switch sense (a colour monitor). */
		return 0x10;
	case 0x3c3:
		return v->subsystem_enable;
	case 0x3c4:
		return v->seq_index;
	case 0x3c5:
		return v->seq_index < SEQ_REGS ? v->seq[v->seq_index] : 0xff;
	case 0x3c6:
		return v->dac_mask;
	case 0x3c7:
		return v->dac_state;
	case 0x3c8:
		return v->dac_write_index;
	case 0x3c9:
		return dac_data_read(v);
	case 0x3ca:
		return v->feature;
	case 0x3cc:
		return v->misc;
	case 0x3ce:
		return v->gc_index;
	case 0x3cf:
		return v->gc_index < GC_REGS ? v->gc[v->gc_index] : 0xff;
	case 0x3b4:
	case 0x3d4:
		return v->crtc_index;
	case 0x3b5:
	case 0x3d5:
		return v->crtc_index < CRTC_REGS ? v->crtc[v->crtc_index] :
						   0xff;
	case 0x3ba:
	case 0x3da:
		/* Reading input status 1 resets the attribute flip-flop. */
		v->attr_flip = false;
		return vga_input_status1(v);
	default:
		return 0xff;
	}
}

static void crtc_write(struct vga *v, uint8_t value)
{
	uint8_t index = v->crtc_index;

	if (index >= CRTC_REGS)
		return;
	if (index <= 0x07 && (v->crtc[0x11] & CRTC_PROTECT)) {
		/* CR07 bit 4 (line compare bit 8) stays writable. */
		if (index == 0x07)
			v->crtc[7] = (uint8_t)((v->crtc[7] & ~0x10) |
					       (value & 0x10));
		return;
	}
	v->crtc[index] = value;
}

/* 0x3C0: an index write and a data write alternate (the flip-flop). */
static void attr_write(struct vga *v, uint8_t value)
{
	if (!v->attr_flip) {
		v->attr_index = value & 0x3f;
	} else if ((v->attr_index & 0x1f) < ATTR_REGS) {
		v->attr[v->attr_index & 0x1f] = value;
	}
	v->attr_flip = !v->attr_flip;
}

static void port_write_byte(struct vga *v, uint16_t port, uint8_t value)
{
	if (other_block(v, port))
		return;
	switch (port) {
	case 0x3c0:
		attr_write(v, value);
		return;
	case 0x3c2:
		v->misc = value;
		return;
	case 0x3c3:
		v->subsystem_enable = value;
		return;
	case 0x3c4:
		v->seq_index = value & 0x07;
		return;
	case 0x3c5:
		if (v->seq_index < SEQ_REGS)
			v->seq[v->seq_index] = value;
		return;
	case 0x3c6:
		v->dac_mask = value;
		return;
	case 0x3c7:
		v->dac_read_index = value;
		v->dac_component = 0;
		v->dac_state = 3;
		return;
	case 0x3c8:
		v->dac_write_index = value;
		v->dac_component = 0;
		v->dac_state = 0;
		return;
	case 0x3c9:
		dac_data_write(v, value);
		return;
	case 0x3ce:
		v->gc_index = value & 0x0f;
		return;
	case 0x3cf:
		if (v->gc_index < GC_REGS)
			v->gc[v->gc_index] = value;
		return;
	case 0x3b4:
	case 0x3d4:
		v->crtc_index = value & 0x3f;
		return;
	case 0x3b5:
	case 0x3d5:
		crtc_write(v, value);
		return;
	case 0x3ba:
	case 0x3da:
		v->feature = value;
		return;
	default:
		return;
	}
}

/* A word or dword access is that many byte accesses to successive ports
 * (OUT DX, AX to 0x3C4 writes the index, then the data). */
static uint32_t vga_port_read(void *dev, uint16_t port, unsigned size)
{
	uint32_t value = 0;

	for (unsigned i = 0; i < size; i++)
		value |= (uint32_t)port_read_byte(dev, (uint16_t)(port + i))
			 << (8 * i);
	return value;
}

static void vga_port_write(void *dev, uint16_t port, unsigned size,
			   uint32_t value)
{
	for (unsigned i = 0; i < size; i++)
		port_write_byte(dev, (uint16_t)(port + i),
				(uint8_t)(value >> (8 * i)));
}

static void load_font(struct vga *v, const uint8_t *font, unsigned height)
{
	/* Plane 2, 32 bytes per character, map 0. */
	for (unsigned c = 0; c < 256; c++)
		for (unsigned row = 0; row < 32; row++)
			v->vram[(c * 32 + row) * 4 + 2] =
				row < height ? font[c * height + row] : 0;
}

int vga_set_mode(struct vga *v, unsigned mode)
{
	const struct vga_mode_table *t = vga_mode_find(mode);

	if (!t)
		return -1;
	v->misc = t->misc;
	v->seq[0] = 0x03;
	memcpy(&v->seq[1], t->seq, 4);
	memcpy(v->crtc, t->crtc, sizeof(t->crtc));
	memcpy(v->attr, t->attr, sizeof(t->attr));
	v->attr[0x14] = 0;
	memcpy(v->gc, t->gc, sizeof(t->gc));
	v->attr_index = ATTR_PAS;
	v->attr_flip = false;
	vga_mode_palette(t, v->dac);
	v->dac_mask = 0xff;
	v->dac_component = 0;
	memset(v->vram, 0, 4 * VGA_PLANE_SIZE);
	if (t->text) {
		/* Blank cells: space on light grey (plane 0 and plane 1). */
		for (unsigned off = 0; off < 0x8000; off++) {
			v->vram[off * 4] = 0x20;
			v->vram[off * 4 + 1] = 0x07;
		}
		if (t->char_height == 8)
			load_font(v, popek_font_8x8, 8);
		else
			load_font(v, popek_font_8x16, 16);
	}
	return 0;
}

/* Ports: the 0x3Bx and 0x3Dx CRTC blocks and the fixed 0x3Cx block. */
static int register_ports(struct vga *v)
{
	static const struct {
		uint16_t port;
		unsigned count;
	} ranges[] = {
		{ 0x3b4, 2 },
		{ 0x3ba, 1 },
		{ 0x3c0, 16 },
		{ 0x3d4, 2 },
		{ 0x3da, 1 },
	};

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (io_register(v->m, ranges[i].port, ranges[i].count, v,
				vga_port_read, vga_port_write, "vga") != 0)
			return -1;
	return 0;
}

/*
 * A system reset: the registers as at creation, i.e. mode 03h as a VGA
 * BIOS leaves it (popek has no separate VGA BIOS to run again), VBE off.
 * The linear framebuffer's BAR is the PCI bus's to reset.
 */
static void vga_power_on(void *dev)
{
	struct vga *v = dev;

	v->feature = 0;
	v->subsystem_enable = 0;
	v->seq_index = v->gc_index = v->crtc_index = 0;
	v->latch = 0;
	v->dac_read_index = v->dac_write_index = 0;
	v->dac_state = 0;
	memset(v->dac_rgb, 0, sizeof(v->dac_rgb));
	vbe_reset(v);
	vga_set_mode(v, 0x03);
}

struct vga *vga_create(struct machine *m, bool with_pci)
{
	struct vga *v = calloc(1, sizeof(*v));
	void *vram;

	if (!v) {
		fprintf(stderr, "popek: out of memory for the VGA\n");
		return NULL;
	}
	v->m = m;
	v->vbe.lfb_base = PCI_BAR_UNMAPPED;
	/* Page aligned and host-mappable: the LFB is mapped as RAM. */
	vram = mmap(NULL, VGA_VRAM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vram == MAP_FAILED) {
		fprintf(stderr, "popek: cannot map the VGA's memory\n");
		free(v);
		return NULL;
	}
	v->vram = vram;
	if (register_ports(v) != 0 ||
	    mmio_register(m, VGA_WINDOW_BASE, VGA_WINDOW_SIZE, v, vga_mem_read,
			  vga_mem_write, "vga-window") != 0 ||
	    vbe_init(v, with_pci) != 0 ||
	    machine_add_reset(m, vga_power_on, v) != 0) {
		vga_destroy(v);
		return NULL;
	}
	vga_set_mode(v, 0x03);
	return v;
}

void vga_destroy(struct vga *v)
{
	if (!v)
		return;
	vbe_fini(v);
	machine_remove_reset(v->m, v);
	if (v->vram)
		munmap(v->vram, VGA_VRAM_SIZE);
	free(v->frame.pixels);
	free(v);
}
