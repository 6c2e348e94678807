/* SPDX-License-Identifier: MIT */
/*
 * The VGA: sequencer, graphics controller, CRT controller, attribute
 * controller and DAC at ports 0x3B4-0x3DA, 256 KiB of planar memory
 * behind the 0xA0000-0xBFFFF window, and the Bochs VBE extension (DISPI
 * ports 0x1CE/0x1CF, a linear framebuffer behind BAR0 of PCI function
 * 1234:1111 at 00:02.0).  Register behaviour follows the IBM VGA Technical
 * Reference as FreeVGA documents it; the VBE registers follow Bochs's
 * vbe_display_api.txt.
 *
 * Files: vga.c (creation, port I/O, registers), vga_mem.c (the memory
 * window: read and write modes, latches), vga_render.c and
 * vga_render_text.c (the picture), vbe.c (DISPI and the PCI function),
 * vga_modes.c (standard register sets), vga_text.c (the text screen as
 * characters).
 */
#ifndef POPEK_IODEV_VGA_H
#define POPEK_IODEV_VGA_H

#include <stdbool.h>
#include <stdint.h>

#include "chipset/pci.h"

struct machine;

/* Video memory: the first 256 KiB are the four VGA planes, interleaved
 * (byte 4 * offset + plane); all of it is the VBE linear framebuffer. */
#define VGA_VRAM_SIZE (16u << 20)
#define VGA_PLANE_SIZE 0x10000u
#define VGA_WINDOW_BASE 0xa0000u
#define VGA_WINDOW_SIZE 0x20000u

/* Bochs DISPI registers (vbe_display_api.txt). */
#define VBE_DISPI_IOPORT_INDEX 0x1ce
#define VBE_DISPI_IOPORT_DATA 0x1cf
enum vbe_dispi_index {
	VBE_DISPI_INDEX_ID,
	VBE_DISPI_INDEX_XRES,
	VBE_DISPI_INDEX_YRES,
	VBE_DISPI_INDEX_BPP,
	VBE_DISPI_INDEX_ENABLE,
	VBE_DISPI_INDEX_BANK,
	VBE_DISPI_INDEX_VIRT_WIDTH,
	VBE_DISPI_INDEX_VIRT_HEIGHT,
	VBE_DISPI_INDEX_X_OFFSET,
	VBE_DISPI_INDEX_Y_OFFSET,
	VBE_DISPI_INDEX_VIDEO_MEMORY_64K,
	VBE_DISPI_INDEX_COUNT,
};
#define VBE_DISPI_ID0 0xb0c0
#define VBE_DISPI_ID5 0xb0c5
#define VBE_DISPI_ENABLED 0x01
#define VBE_DISPI_GETCAPS 0x02
#define VBE_DISPI_8BIT_DAC 0x20
#define VBE_DISPI_LFB_ENABLED 0x40
#define VBE_DISPI_NOCLEARMEM 0x80
/* popek's limits, reported through GETCAPS. */
#define VBE_MAX_XRES 2560
#define VBE_MAX_YRES 1600
#define VBE_MAX_BPP 32
#define VBE_BANK_SIZE 0x10000u

/* The PCI identity of the Bochs/QEMU standard VGA. */
#define VGA_PCI_VENDOR 0x1234
#define VGA_PCI_DEVICE 0x1111
#define VGA_PCI_CLASS 0x030000
#define VGA_PCI_DEV 2

struct vbe {
	uint16_t index;
	uint16_t reg[VBE_DISPI_INDEX_COUNT];
	uint64_t lfb_base; /* where BAR0 maps vram, or PCI_BAR_UNMAPPED */
};

/* A rendered picture: 0x00RRGGBB pixels, width * height of them. */
struct vga_frame {
	uint32_t *pixels;
	unsigned width, height;
	unsigned capacity; /* pixels allocated */
};

struct vga {
	struct machine *m;
	uint8_t *vram; /* VGA_VRAM_SIZE bytes, page aligned */

	uint8_t misc; /* miscellaneous output, 0x3C2 / 0x3CC */
	uint8_t feature; /* feature control, 0x3BA/0x3DA / 0x3CA */
	uint8_t subsystem_enable; /* 0x3C3 */
	uint8_t seq_index, seq[8];
	uint8_t gc_index, gc[16];
	uint8_t crtc_index, crtc[32];
	uint8_t attr_index; /* bits 0-4 the register, bit 5 PAS */
	bool attr_flip; /* the next 0x3C0 write is data */
	uint8_t attr[32];
	uint32_t latch; /* plane p in byte p */

	uint8_t dac[256][3];
	uint8_t dac_mask; /* 0x3C6 */
	uint8_t dac_read_index, dac_write_index;
	uint8_t dac_component; /* 0-2 within the current entry */
	uint8_t dac_state; /* 0x3C7 read: 0 write mode, 3 read mode */
	uint8_t dac_rgb[3]; /* a write entry being collected */

	struct vbe vbe;
	struct pci_function pci;
	struct vga_frame frame;
};

/*
 * Put the VGA on the machine: ports, the memory window, the PCI function
 * (when with_pci) and mode 03h loaded as a VGA BIOS leaves it (registers,
 * palette, popek's 8x16 font in plane 2, a blank screen), so a boot image
 * entered without firmware can write text to 0xB8000 at once.  Returns
 * NULL after a message on stderr.
 */
struct vga *vga_create(struct machine *m, bool with_pci);
void vga_destroy(struct vga *v);

/* Load a standard mode's registers and palette (and, for text modes, the
 * font), clearing video memory.  Returns 0, or -1 for an unknown mode. */
int vga_set_mode(struct vga *v, unsigned mode);

/* The memory window, for tests and the debugger (offset from 0xA0000). */
uint64_t vga_mem_read(void *dev, uint64_t offset, unsigned size);
void vga_mem_write(void *dev, uint64_t offset, unsigned size, uint64_t value);

/* Input status 1 (0x3DA) as the guest would read it now, without the
 * side effect on the attribute flip-flop. */
uint8_t vga_input_status1(const struct vga *v);

/*
 * Render what the monitor shows now into v->frame and return it; the
 * size follows the mode (720x400 for 80x25 text, 320x200 for mode 13h,
 * the VBE resolution when VBE is on).  NULL only when out of memory.
 */
const struct vga_frame *vga_render(struct vga *v);

/* Text-mode rendering and the text screen (vga_render_text.c). */
bool vga_is_text_mode(const struct vga *v);
void vga_render_text(struct vga *v, struct vga_frame *f);
/*
 * The characters of the text screen as the CRTC scans them: columns x
 * rows cells of (character, attribute) into cells (at most max cells).
 * Returns false when the VGA is not in a text mode.
 */
bool vga_text_screen(const struct vga *v, uint16_t *cells, unsigned max,
		     unsigned *columns, unsigned *rows);

/* Helpers shared by the renderers (vga_render.c). */
uint32_t vga_dac_rgb(const struct vga *v, uint8_t index);
uint32_t vga_attr_rgb(const struct vga *v, uint8_t pixel);
bool vga_frame_resize(struct vga_frame *f, unsigned width, unsigned height);
bool vga_blink_on(const struct vga *v, unsigned period_frames);

/* The VBE side (vbe.c). */
int vbe_init(struct vga *v, bool with_pci);
void vbe_fini(struct vga *v);
/* The DISPI registers at power-on: VBE off, 640x480x8. */
void vbe_reset(struct vga *v);
bool vbe_enabled(const struct vga *v);
/* Offset into vram of the banked window's byte, or -1 when VBE is off. */
int64_t vbe_bank_offset(const struct vga *v, uint64_t window_offset);
void vbe_render(struct vga *v, struct vga_frame *f);

#endif
