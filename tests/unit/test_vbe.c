// SPDX-License-Identifier: MIT
/*
 * The Bochs VBE DISPI registers (vbe_display_api.txt), banked and linear
 * framebuffer access, rendering of the VBE depths, and the LFB following
 * BAR0 of PCI function 00:02.0 as a guest (or BIOS) programs it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "chipset/chipset.h"
#include "chipset/pci_bus.h"
#include "iodev/vga.h"

#define RAM_SIZE 0x200000u

struct fixture {
	struct machine *m;
	struct chipset chipset;
	struct vga *v;
	uint8_t *ram;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	f->ram = calloc(1, RAM_SIZE);
	assert_non_null(f->ram);
	f->m->ram = f->ram;
	f->m->ram_size = RAM_SIZE;
	assert_int_equal(mem_map_ram(f->m, 0, RAM_SIZE, f->ram, "ram"), 0);
	/* Just the PCI bus of the chipset. */
	f->chipset.m = f->m;
	f->chipset.pci = pci_bus_create(f->m);
	assert_non_null(f->chipset.pci);
	f->m->chipset = &f->chipset;
	f->v = vga_create(f->m, true);
	assert_non_null(f->v);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vga_destroy(f->v);
	pci_bus_destroy(f->chipset.pci);
	free(f->ram);
	free(f->m);
	free(f);
	return 0;
}

static void dispi_write(struct fixture *f, uint16_t index, uint16_t value)
{
	io_write(f->m, VBE_DISPI_IOPORT_INDEX, 2, index);
	io_write(f->m, VBE_DISPI_IOPORT_DATA, 2, value);
}

static uint16_t dispi_read(struct fixture *f, uint16_t index)
{
	io_write(f->m, VBE_DISPI_IOPORT_INDEX, 2, index);
	return (uint16_t)io_read(f->m, VBE_DISPI_IOPORT_DATA, 2);
}

static void set_mode(struct fixture *f, uint16_t x, uint16_t y, uint16_t bpp,
		     uint16_t flags)
{
	dispi_write(f, VBE_DISPI_INDEX_ENABLE, 0);
	dispi_write(f, VBE_DISPI_INDEX_XRES, x);
	dispi_write(f, VBE_DISPI_INDEX_YRES, y);
	dispi_write(f, VBE_DISPI_INDEX_BPP, bpp);
	dispi_write(f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | flags);
}

static void test_id_caps_memory(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_ID), VBE_DISPI_ID5);
	dispi_write(f, VBE_DISPI_INDEX_ID, 0xb0c2);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_ID), 0xb0c2);
	dispi_write(f, VBE_DISPI_INDEX_ID, 0x1234); /* not an ID: ignored */
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_ID), 0xb0c2);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_VIDEO_MEMORY_64K), 256);
	dispi_write(f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_GETCAPS);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_XRES), VBE_MAX_XRES);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_YRES), VBE_MAX_YRES);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_BPP), 32);
	dispi_write(f, VBE_DISPI_INDEX_ENABLE, 0);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_XRES), 640);
	assert_int_equal(dispi_read(f, 0x0b), 0); /* no such register */
}

static void test_mode_set_and_refusals(void **state)
{
	struct fixture *f = *state;

	set_mode(f, 800, 600, 32, VBE_DISPI_LFB_ENABLED);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_ENABLE),
			 VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_VIRT_WIDTH), 800);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_VIRT_HEIGHT), 600);
	assert_false(vga_is_text_mode(f->v));
	/* Resolution registers are frozen while enabled. */
	dispi_write(f, VBE_DISPI_INDEX_XRES, 1024);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_XRES), 800);
	/* A wider virtual screen: as many lines as 16 MiB hold. */
	dispi_write(f, VBE_DISPI_INDEX_VIRT_WIDTH, 1024);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_VIRT_HEIGHT),
			 (16u << 20) / (1024 * 4));
	dispi_write(f, VBE_DISPI_INDEX_VIRT_WIDTH, 100); /* < XRES */
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_VIRT_WIDTH), 1024);
	/* The largest mode fits in 16 MiB. */
	set_mode(f, 2560, 1600, 32, 0);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_ENABLE),
			 VBE_DISPI_ENABLED);
	/* An empty mode is refused: VBE stays off. */
	set_mode(f, 0, 1600, 32, 0);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_ENABLE) &
				 VBE_DISPI_ENABLED,
			 0);
	/* Beyond the maximum resolution: the register keeps its value. */
	dispi_write(f, VBE_DISPI_INDEX_XRES, 4000);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_XRES), 0);
	/* Unsupported depth: ignored. */
	dispi_write(f, VBE_DISPI_INDEX_BPP, 12);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_BPP), 32);
	assert_true(vga_is_text_mode(f->v));
}

static void test_banked_window(void **state)
{
	struct fixture *f = *state;

	set_mode(f, 640, 480, 8, 0);
	dispi_write(f, VBE_DISPI_INDEX_BANK, 3);
	phys_write_u(f->m, 0xa0010, 2, 0xbeef);
	assert_int_equal(f->v->vram[3 * 0x10000 + 0x10], 0xef);
	assert_int_equal(f->v->vram[3 * 0x10000 + 0x11], 0xbe);
	assert_int_equal(phys_read_u(f->m, 0xa0010, 2), 0xbeef);
	/* Only 64 KiB at 0xA0000 are banked. */
	assert_int_equal(phys_read_u(f->m, 0xb0000, 1), 0xff);
	/* Banks past video memory are refused. */
	dispi_write(f, VBE_DISPI_INDEX_BANK, 256);
	assert_int_equal(dispi_read(f, VBE_DISPI_INDEX_BANK), 3);
	/* Enabling clears video memory unless NOCLEARMEM. */
	set_mode(f, 640, 480, 8, VBE_DISPI_NOCLEARMEM);
	assert_int_equal(f->v->vram[3 * 0x10000 + 0x10], 0xef);
	set_mode(f, 640, 480, 8, 0);
	assert_int_equal(f->v->vram[3 * 0x10000 + 0x10], 0x00);
}

static uint32_t px(const struct vga_frame *fr, unsigned x, unsigned y)
{
	assert_true(x < fr->width && y < fr->height);
	return fr->pixels[(size_t)y * fr->width + x];
}

static void test_render_depths(void **state)
{
	struct fixture *f = *state;
	const struct vga_frame *fr;
	uint8_t *vram = f->v->vram;

	set_mode(f, 320, 200, 32, 0);
	memcpy(vram + (5 * 320 + 7) * 4, "\x30\x20\x10\x00", 4); /* B G R X */
	fr = vga_render(f->v);
	assert_int_equal(fr->width, 320);
	assert_int_equal(fr->height, 200);
	assert_int_equal(px(fr, 7, 5), 0x102030);
	/* Scrolling with the offsets. */
	dispi_write(f, VBE_DISPI_INDEX_Y_OFFSET, 5);
	dispi_write(f, VBE_DISPI_INDEX_X_OFFSET, 7);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 0, 0), 0x102030);

	set_mode(f, 64, 8, 16, 0);
	vram[0] = 0x00; /* 0xF800: red */
	vram[1] = 0xf8;
	vram[2] = 0xe0; /* 0x07E0: green */
	vram[3] = 0x07;
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 0, 0), 0xff0000);
	assert_int_equal(px(fr, 1, 0), 0x00ff00);

	set_mode(f, 64, 8, 15, 0);
	vram[0] = 0x1f; /* 0x001F: blue */
	vram[1] = 0x00;
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 0, 0), 0x0000ff);

	set_mode(f, 64, 8, 24, 0);
	memcpy(vram + 3, "\x01\x02\x03", 3);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 1, 0), 0x030201);

	/* 8 bpp through the DAC; with the 8-bit DAC flag all 8 bits count. */
	set_mode(f, 64, 8, 8, 0);
	vram[2] = 9;
	io_write(f->m, 0x3c8, 1, 9);
	io_write(f->m, 0x3c9, 1, 0x3f);
	io_write(f->m, 0x3c9, 1, 0x00);
	io_write(f->m, 0x3c9, 1, 0x10);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 2, 0), 0xff0041);
	dispi_write(f, VBE_DISPI_INDEX_ENABLE,
		    VBE_DISPI_ENABLED | VBE_DISPI_8BIT_DAC |
			    VBE_DISPI_NOCLEARMEM);
	io_write(f->m, 0x3c8, 1, 9);
	io_write(f->m, 0x3c9, 1, 0x80);
	io_write(f->m, 0x3c9, 1, 0x81);
	io_write(f->m, 0x3c9, 1, 0xfe);
	fr = vga_render(f->v);
	assert_int_equal(px(fr, 2, 0), 0x8081fe);
}

static uint32_t cfg_read(struct fixture *f, uint8_t off)
{
	return pci_config_read(f->m, 0, VGA_PCI_DEV, 0, off, 4);
}

static void cfg_write(struct fixture *f, uint8_t off, uint32_t value)
{
	pci_config_write(f->m, 0, VGA_PCI_DEV, 0, off, 4, value);
}

static void test_pci_function_and_lfb(void **state)
{
	struct fixture *f = *state;
	const uint64_t lfb = 0xe0000000ull, moved = 0xd0000000ull;

	assert_int_equal(cfg_read(f, 0x00), 0x11111234);
	assert_int_equal(cfg_read(f, 0x08) >> 8, 0x030000);
	/* BAR0 sizing: 16 MiB, memory, prefetchable. */
	cfg_write(f, 0x10, 0xffffffff);
	assert_int_equal(cfg_read(f, 0x10), 0xff000008);
	cfg_write(f, 0x10, (uint32_t)lfb);
	assert_int_equal(phys_read_u(f->m, lfb, 4), 0xffffffff); /* decode off */
	cfg_write(f, 0x04, 0x0003); /* I/O and memory decode on */
	phys_write_u(f->m, lfb + 16, 4, 0xdeadbeef);
	assert_int_equal(f->v->vram[16], 0xef);
	assert_int_equal(f->v->vram[19], 0xde);
	/* RAM-like: engines get a host pointer straight into vram. */
	assert_ptr_equal(mem_page_host(f->m, lfb + 0x5000, true),
			 f->v->vram + 0x5000);
	assert_int_equal(f->v->vbe.lfb_base, lfb);
	/* Moved: gone from the old address, there at the new one. */
	cfg_write(f, 0x10, (uint32_t)moved);
	assert_int_equal(phys_read_u(f->m, lfb + 16, 4), 0xffffffff);
	assert_int_equal(phys_read_u(f->m, moved + 16, 4), 0xdeadbeef);
	/* Decode off: unmapped. */
	cfg_write(f, 0x04, 0x0000);
	assert_int_equal(phys_read_u(f->m, moved + 16, 4), 0xffffffff);
	/* Over RAM: refused, RAM stays. */
	f->ram[0x10] = 0x5a;
	cfg_write(f, 0x10, 0);
	cfg_write(f, 0x04, 0x0002);
	assert_int_equal(phys_read_u(f->m, 0x10, 1), 0x5a);
	assert_int_equal(f->v->vbe.lfb_base, PCI_BAR_UNMAPPED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_id_caps_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mode_set_and_refusals,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_banked_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_render_depths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pci_function_and_lfb,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
