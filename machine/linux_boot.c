// SPDX-License-Identifier: MIT
/*
 * Direct Linux boot (-kernel, -initrd, -append) by the 32-bit boot
 * protocol of Documentation/arch/x86/boot.rst: the protected-mode kernel
 * at its code32_start, a zero page (struct boot_params) with the setup
 * header, the E820 map, the command line and the initrd, and the CPU in
 * flat 32-bit protected mode at the kernel's entry with ESI pointing at
 * the zero page.  The 32-bit entry serves both i386 and x86-64 kernels:
 * the latter switches to long mode itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "machine/image.h"
#include "machine/linux_boot.h"
#include "machine/machine.h"

/* Where popek puts things (all in conventional memory, below the EBDA). */
#define ZERO_PAGE 0x10000u
#define CMDLINE_ADDR 0x20000u /* up to 64 KiB */
#define BOOT_GDT 0x00500u
#define LOW_RAM_END 0x9fc00u

/* Offsets into the zero page and the setup header (boot.rst, zero-page.rst). */
#define BP_E820_ENTRIES 0x1e8
#define BP_SETUP_SECTS 0x1f1
#define BP_SYSSIZE 0x1f4
#define BP_HEADER 0x202
#define BP_VERSION 0x206
#define BP_TYPE_OF_LOADER 0x210
#define BP_LOADFLAGS 0x211
#define BP_CODE32_START 0x214
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_HEAP_END_PTR 0x224
#define BP_CMD_LINE_PTR 0x228
#define BP_INITRD_ADDR_MAX 0x22c
#define BP_CMDLINE_SIZE 0x238
#define BP_INIT_SIZE 0x260
#define BP_E820_TABLE 0x2d0
#define E820_MAX 128

#define LOADED_HIGH 0x01
#define CAN_USE_HEAP 0x80

enum { E820_RAM = 1, E820_RESERVED = 2 };

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void e820_add(uint8_t *zp, uint64_t addr, uint64_t size, uint32_t type)
{
	uint8_t n = zp[BP_E820_ENTRIES];
	uint8_t *e = zp + BP_E820_TABLE + 20 * n;

	if (n >= E820_MAX || size == 0)
		return;
	put64(e, addr);
	put64(e + 8, size);
	put32(e + 16, type);
	zp[BP_E820_ENTRIES] = (uint8_t)(n + 1);
}

/* The memory map the kernel sees: what popek's board really has. */
static void build_e820(const struct machine *m, uint8_t *zp)
{
	uint64_t top = m->ram_size < 0xfec00000ull ? m->ram_size : 0xfec00000ull;

	e820_add(zp, 0, LOW_RAM_END, E820_RAM);
	e820_add(zp, LOW_RAM_END, 0xa0000 - LOW_RAM_END, E820_RESERVED);
	e820_add(zp, 0xe0000, 0x20000, E820_RESERVED);
	if (top > 0x100000)
		e820_add(zp, 0x100000, top - 0x100000, E820_RAM);
}

static int check_header(const uint8_t *k, uint64_t size, const char *path)
{
	if (size < 0x300 || memcmp(k + BP_HEADER, "HdrS", 4) != 0) {
		fprintf(stderr,
			"popek: -kernel: '%s' is not a Linux bzImage (no HdrS "
			"setup header)\n",
			path);
		return -1;
	}
	if (get16(k + BP_VERSION) < 0x0202) {
		fprintf(stderr,
			"popek: -kernel: '%s' uses boot protocol %x.%02x; "
			"popek needs 2.02 or later\n",
			path, k[BP_VERSION + 1], k[BP_VERSION]);
		return -1;
	}
	if (!(k[BP_LOADFLAGS] & LOADED_HIGH)) {
		fprintf(stderr,
			"popek: -kernel: '%s' is a zImage (loaded low); only "
			"bzImage kernels are supported\n",
			path);
		return -1;
	}
	return 0;
}

static int load_initrd(struct machine *m, uint8_t *zp, uint64_t kernel_end)
{
	uint8_t *data;
	uint64_t size, top, addr;
	uint32_t addr_max = get32(zp + BP_INITRD_ADDR_MAX);

	if (image_read(m->opt.initrd, "-initrd", m->ram_size, &data, &size) != 0)
		return -1;
	top = m->ram_size;
	if (get16(zp + BP_VERSION) >= 0x0203 && addr_max &&
	    (uint64_t)addr_max + 1 < top)
		top = (uint64_t)addr_max + 1;
	if (top > 0xfec00000ull)
		top = 0xfec00000ull;
	addr = (top - size) & ~0xfffull;
	if (size > top || addr < kernel_end) {
		fprintf(stderr,
			"popek: -initrd: '%s' (%llu bytes) does not fit in RAM "
			"above the kernel; give more memory with -m\n",
			m->opt.initrd, (unsigned long long)size);
		free(data);
		return -1;
	}
	memcpy(m->ram + addr, data, size);
	free(data);
	put32(zp + BP_RAMDISK_IMAGE, (uint32_t)addr);
	put32(zp + BP_RAMDISK_SIZE, (uint32_t)size);
	return 0;
}

int linux_boot_load(struct machine *m)
{
	const char *path = m->opt.kernel;
	const char *cmdline = m->opt.append ? m->opt.append : "";
	uint8_t *k, *zp;
	uint64_t size, setup_size, pm_size, load, need;
	uint32_t cmdline_max = 255;
	size_t hdr_end;

	if (m->ram_size < 0x200000) {
		fprintf(stderr, "popek: -kernel needs at least 2 MiB of RAM\n");
		return -1;
	}
	if (image_read(path, "-kernel", m->ram_size, &k, &size) != 0)
		return -1;
	if (check_header(k, size, path) != 0)
		goto fail;
	setup_size = ((uint64_t)(k[BP_SETUP_SECTS] ? k[BP_SETUP_SECTS] : 4) + 1) *
		     512;
	if (setup_size >= size) {
		fprintf(stderr, "popek: -kernel: '%s' is truncated\n", path);
		goto fail;
	}
	pm_size = size - setup_size;
	load = get32(k + BP_CODE32_START);
	need = pm_size;
	if (get16(k + BP_VERSION) >= 0x020a && get32(k + BP_INIT_SIZE) > need)
		need = get32(k + BP_INIT_SIZE);
	if (load < 0x100000 || load + need > m->ram_size) {
		fprintf(stderr,
			"popek: -kernel: '%s' needs %llu MiB at 0x%llx; give "
			"more memory with -m\n",
			path, (unsigned long long)((load + need) >> 20) + 1,
			(unsigned long long)load);
		goto fail;
	}
	if (get16(k + BP_VERSION) >= 0x0206)
		cmdline_max = get32(k + BP_CMDLINE_SIZE);
	if (cmdline_max > 0xffff)
		cmdline_max = 0xffff; /* popek's buffer below the zero page */
	if (strlen(cmdline) > cmdline_max) {
		fprintf(stderr,
			"popek: -append: the command line has %zu bytes; this "
			"kernel takes at most %u\n",
			strlen(cmdline), cmdline_max);
		goto fail;
	}
	memcpy(m->ram + load, k + setup_size, pm_size);

	/* The zero page: the setup header as the kernel file has it, then
	 * what the loader fills in. */
	zp = m->ram + ZERO_PAGE;
	memset(zp, 0, 4096);
	hdr_end = BP_HEADER + k[0x201];
	if (hdr_end > 0x300)
		hdr_end = 0x300;
	memcpy(zp + BP_SETUP_SECTS, k + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
	zp[BP_TYPE_OF_LOADER] = 0xff;
	zp[BP_LOADFLAGS] |= CAN_USE_HEAP;
	put16(zp + BP_HEAP_END_PTR, 0xfe00);
	strcpy((char *)m->ram + CMDLINE_ADDR, cmdline);
	put32(zp + BP_CMD_LINE_PTR, CMDLINE_ADDR);
	build_e820(m, zp);
	free(k);
	if (m->opt.initrd && load_initrd(m, zp, load + need) != 0)
		return -1;
	return 0;

fail:
	free(k);
	return -1;
}

static void flat_segment(struct segment *s, uint16_t sel, bool code)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffffu;
	s->attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_DB | SEG_ATTR_G |
		  SEG_ATTR_ACCESSED | (code ? 0xa : 0x2);
}

/*
 * What a PC BIOS leaves behind that the kernel counts on: the 8254's
 * channel 0 counting in mode 3 with the full 65536 divisor (18.2 Hz).  The
 * kernel's early code (the KASLR entropy read) waits for that counter's
 * "null count" status to clear, so it must hold a count.
 */
static void firmware_chip_setup(struct machine *m)
{
	io_write(m, 0x43, 1, 0x36); /* counter 0, lo/hi byte, mode 3 */
	io_write(m, 0x40, 1, 0x00);
	io_write(m, 0x40, 1, 0x00);
}

/* boot.rst "32-bit boot protocol": __BOOT_CS 0x10, __BOOT_DS 0x18. */
void linux_boot_enter(struct machine *m)
{
	static const uint64_t gdt[4] = {
		0, 0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull,
	};
	struct cpu_state s;

	for (int k = 0; k < 4; k++)
		put64(m->ram + BOOT_GDT + 8 * k, gdt[k]);
	cpu_state_get(m->cpu, &s);
	flat_segment(&s.seg[SEG_CS], 0x10, true);
	for (int seg = 0; seg < SEG_COUNT; seg++)
		if (seg != SEG_CS)
			flat_segment(&s.seg[seg], 0x18, false);
	s.gdtr.base = BOOT_GDT;
	s.gdtr.limit = sizeof(gdt) - 1;
	s.idtr.base = 0;
	s.idtr.limit = 0;
	s.cr0 = CR0_PE | CR0_ET;
	s.rflags = FLAG_FIXED1;
	memset(s.gpr, 0, sizeof(s.gpr));
	s.gpr[R_SI] = ZERO_PAGE;
	s.rip = get32(m->ram + ZERO_PAGE + BP_CODE32_START);
	cpu_state_set(m->cpu, &s);
	firmware_chip_setup(m);
}
