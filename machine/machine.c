// SPDX-License-Identifier: MIT
/*
 * Assembling the board from options: RAM, firmware or a boot image, the
 * devices, and the interpreter CPU; and taking it apart again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "accel/accel.h"
#include "chipset/chipset.h"
#include "chipset/rtc.h"
#include "cpu/cpu.h"
#include "iodev/debug_exit.h"
#include "iodev/debugcon.h"
#include "iodev/dma8237.h"
#include "iodev/fdc.h"
#include "iodev/i8042.h"
#include "iodev/ide.h"
#include "iodev/uart16550.h"
#include "iodev/vga.h"
#include "machine/image.h"
#include "machine/linux_boot.h"
#include "machine/machine.h"

/* The legacy video window and BIOS area end conventional memory. */
#define CONVENTIONAL_END 0xa0000u
/* Below 1 MiB the firmware's last 128 KiB show at 0xE0000-0xFFFFF. */
#define LOW_BIOS_END 0x100000u
#define LOW_BIOS_MAX 0x20000u

void machine_options_init(struct machine_options *o)
{
	memset(o, 0, sizeof(*o));
	o->ram_mib = MACHINE_DEFAULT_RAM_MIB;
	o->cpu_hz = MACHINE_DEFAULT_CPU_HZ;
	o->debugcon.kind = CHARDEV_STDIO;
	o->serial.kind = CHARDEV_STDIO;
}

/*
 * Guest RAM is one anonymous host mapping, so another engine (KVM) can
 * hand the very same bytes to the hardware.  MAP_NORESERVE: pages the
 * guest never touches cost nothing.
 */
static int create_ram(struct machine *m)
{
	void *ram;

	m->ram_size = m->opt.ram_mib << 20;
	ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED) {
		fprintf(stderr, "popek: -m: cannot map %llu MiB of RAM: %s\n",
			(unsigned long long)m->opt.ram_mib, strerror(errno));
		m->ram_size = 0;
		return -1;
	}
	m->ram = ram;
	if (mem_map_ram(m, 0, m->ram_size, m->ram, "ram") != 0)
		return -1;

	/* One bit per page: which pages the CPU holds decoded code from. */
	m->code.pages = m->ram_size >> PAGE_SHIFT;
	m->code.bitmap = calloc((m->code.pages + 7) / 8, 1);
	if (!m->code.bitmap) {
		fprintf(stderr, "popek: out of memory for the code bitmap\n");
		return -1;
	}
	return 0;
}

/*
 * The firmware image sits just below 4 GiB, where the reset vector
 * F000:FFF0 (physical 0xFFFFFFF0) finds it, and its last 128 KiB (or all
 * of a smaller image) show again below 1 MiB, ending at 0xFFFFF, as on a
 * PC chipset at power-on; that holds the last 64 KiB at 0xF0000.
 */
static int load_bios(struct machine *m)
{
	uint64_t low_size;

	if (!m->opt.bios) {
		/* popek's own BIOS, built from bios/ and linked in. */
		m->rom_size = (uint64_t)(popek_bios_end - popek_bios_start);
		m->rom = malloc(m->rom_size);
		if (!m->rom) {
			fprintf(stderr, "popek: out of memory for the BIOS\n");
			return -1;
		}
		memcpy(m->rom, popek_bios_start, m->rom_size);
	} else if (image_read(m->opt.bios, "-bios", BIOS_SIZE_MAX, &m->rom,
			      &m->rom_size) != 0) {
		return -1;
	}
	if (m->rom_size % BIOS_SIZE_UNIT) {
		fprintf(stderr,
			"popek: -bios: '%s' is %llu bytes, not a multiple of 64 KiB\n",
			m->opt.bios, (unsigned long long)m->rom_size);
		return -1;
	}
	low_size = m->rom_size < LOW_BIOS_MAX ? m->rom_size : LOW_BIOS_MAX;
	if (mem_map_rom(m, (1ull << 32) - m->rom_size, m->rom_size, m->rom,
			"bios") != 0)
		return -1;
	return mem_map_rom(m, LOW_BIOS_END - low_size, low_size,
			   m->rom + m->rom_size - low_size, "bios-low");
}

/* A boot image goes at 0x7C00 and must end below 640 KiB and RAM's end. */
static int load_boot_image(struct machine *m, const char *who,
			   const uint8_t *data, uint64_t size)
{
	uint64_t end = CONVENTIONAL_END < m->ram_size ? CONVENTIONAL_END :
							m->ram_size;

	if (size > end - BOOT_SECTOR_ADDR) {
		fprintf(stderr,
			"popek: %s: image of %llu bytes does not fit between 0x7c00 and %#llx\n",
			who, (unsigned long long)size, (unsigned long long)end);
		return -1;
	}
	memcpy(m->ram + BOOT_SECTOR_ADDR, data, size);
	return 0;
}

static int load_boot_sector(struct machine *m)
{
	uint8_t *data;
	uint64_t size;
	int ret;

	if (image_read(m->opt.boot_sector, "-boot-sector", UINT64_MAX, &data,
		       &size) != 0)
		return -1;
	ret = load_boot_image(m, "-boot-sector", data, size);
	free(data);
	return ret;
}

/*
 * The 8042 with its PS/2 keyboard and mouse, the DMA pair, the floppy
 * controller (drive A: from -fda) and both IDE channels (-hda..-hdd,
 * -cdrom as the secondary master) with their PCI function.
 */
/* CMOS floppy type for a medium of this many sectors per track. */
static uint8_t cmos_floppy_type(const struct fdc_drive *d)
{
	if (d->img.fd < 0)
		return 0;
	switch (d->sectors) {
	case 9:
		return d->cylinders > 40 ? 3 : 1; /* 720K, 360K */
	case 15:
		return 2; /* 1.2M */
	case 36:
		return 5; /* 2.88M */
	default:
		return 4; /* 1.44M */
	}
}

/*
 * What a PC's setup program records about the drives, which firmware reads
 * back: floppy types (0x10), hard disks (0x12, type 0xF = see 0x19/0x1A),
 * and the equipment byte (0x14: floppies, VGA, x87).
 */
static void cmos_describe_drives(struct machine *m)
{
	struct rtc *rtc = m->chipset->rtc;
	uint8_t fd0 = cmos_floppy_type(&m->fdc->drive[0]);
	uint8_t hd = 0, equipment = 0x02; /* x87 present, VGA (bits 5:4 = 0) */

	rtc_cmos_set(rtc, 0x10, (uint8_t)(fd0 << 4));
	if (m->ide->ch[0].dev[0].kind == IDE_ATA)
		hd |= 0xf0;
	if (m->ide->ch[0].dev[1].kind == IDE_ATA)
		hd |= 0x0f;
	rtc_cmos_set(rtc, 0x12, hd);
	if (hd & 0xf0)
		rtc_cmos_set(rtc, 0x19, 47); /* user-defined type */
	if (hd & 0x0f)
		rtc_cmos_set(rtc, 0x1a, 47);
	if (fd0)
		equipment |= 0x01; /* one floppy drive (bits 7:6 = 0) */
	rtc_cmos_set(rtc, 0x14, equipment);
}

static int create_pc_devices(struct machine *m)
{
	static const char *const hd_option[4] = { "-hda", "-hdb", "-hdc",
						  "-hdd" };

	if (!(m->kbc = i8042_create(m)) || !(m->dma = dma_create(m)) ||
	    !(m->fdc = fdc_create(m, m->dma, m->opt.fda, false)) ||
	    !(m->ide = ide_create(m)))
		return -1;
	for (unsigned i = 0; i < 4; i++)
		if (m->opt.hd[i] && ide_attach_disk(m->ide, i / 2, i % 2,
						    m->opt.hd[i],
						    hd_option[i], false) != 0)
			return -1;
	if (m->opt.cdrom &&
	    ide_attach_cdrom(m->ide, 1, 0, m->opt.cdrom, "-cdrom") != 0)
		return -1;
	if (ide_pci_register(m->ide) != 0)
		return -1;
	cmos_describe_drives(m);
	return 0;
}

static int create_devices(struct machine *m)
{
	/* First: other devices register PCI functions and drive IRQs. */
	if (!chipset_create(m))
		return -1;
	m->debugcon = debugcon_create(m, &m->opt.debugcon);
	if (!m->debugcon)
		return -1;
	m->debug_exit = debug_exit_create(m);
	if (!m->debug_exit)
		return -1;
	m->serial =
		uart_create(m, UART_COM1_PORT, UART_COM1_IRQ, &m->opt.serial);
	if (!m->serial)
		return -1;
	/* VGA at 0x3B4-0x3DA and 0xA0000, Bochs VBE, PCI 00:02.0. */
	m->vga = vga_create(m, true);
	if (!m->vga)
		return -1;
	return create_pc_devices(m);
}

/*
 * Enter a boot image as a PC BIOS does: CS:IP = 0000:7C00, DL = the boot
 * drive (0x80, the first hard disk), the other segments 0, the stack just
 * below the image, and IDTR describing the 256-vector real-mode IVT at 0
 * (limit 0x3FF, what SeaBIOS leaves; the reset value is 0xFFFF).
 */
static void enter_boot_image(struct machine *m)
{
	struct cpu_state s;

	m->accel->state_get(m, &s);
	for (int seg = 0; seg < SEG_COUNT; seg++)
		segment_set_real(&s.seg[seg], 0, seg);
	s.rip = BOOT_SECTOR_ADDR;
	s.gpr[R_DX] = 0x80;
	s.gpr[R_SP] = BOOT_SECTOR_ADDR;
	s.idtr.base = 0;
	s.idtr.limit = 0x3ff;
	/* Caches on, as a BIOS leaves them (CR0.CD and NW clear). */
	s.cr0 &= ~(uint64_t)(CR0_CD | CR0_NW);
	m->accel->state_set(m, &s);
}

static bool options_valid(const struct machine_options *o)
{
	if (o->ram_mib == 0 || o->ram_mib > MACHINE_RAM_MAX_MIB) {
		fprintf(stderr, "popek: -m: %llu MiB is out of range (1-%u)\n",
			(unsigned long long)o->ram_mib, MACHINE_RAM_MAX_MIB);
		return false;
	}
	if (o->cpu_hz == 0) {
		fprintf(stderr, "popek: the CPU frequency must not be 0\n");
		return false;
	}
	if (o->hd[2] && o->cdrom) {
		fprintf(stderr,
			"popek: -hdc and -cdrom cannot be used together (both are the secondary master)\n");
		return false;
	}
	if (o->demo && o->boot_sector) {
		fprintf(stderr,
			"popek: -demo and -boot-sector cannot be used together\n");
		return false;
	}
	return true;
}

struct machine *machine_create(const struct machine_options *o)
{
	struct machine *m;

	if (!options_valid(o))
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m) {
		fprintf(stderr, "popek: out of memory for the machine\n");
		return NULL;
	}
	m->opt = *o;
	m->clock.cpu_hz = o->cpu_hz;
	/* A20 starts enabled, so images loaded without firmware see all RAM. */
	m->a20 = true;
	m->exit_kind = MACHINE_RUNNING;

	if (create_ram(m) != 0)
		goto fail;
	if ((o->bios || o->builtin_bios) && load_bios(m) != 0)
		goto fail;
	if (o->boot_sector && load_boot_sector(m) != 0)
		goto fail;
	if (o->kernel && linux_boot_load(m) != 0)
		goto fail;
	if (o->demo &&
	    load_boot_image(m, "-demo", demo_guest_start,
			    (uint64_t)(demo_guest_end - demo_guest_start)) != 0)
		goto fail;
	if (!o->bare && create_devices(m) != 0)
		goto fail;

	m->cpu = cpu_create(m);
	if (!m->cpu) {
		fprintf(stderr, "popek: cannot create the CPU\n");
		goto fail;
	}
	m->accel = &accel_interp;
	if (m->accel->init(m) != 0)
		goto fail;
	/*
	 * With firmware the CPU starts at the reset vector, as on a PC; with
	 * nothing at all (a bare board for tests) it is left there too.
	 */
	if (!o->bios && (o->boot_sector || o->demo))
		enter_boot_image(m);
	else if (!o->bios && o->kernel)
		linux_boot_enter(m);
	/* Then onto the engine -engine names (accel/accel.c). */
	if (accel_start(m) != 0)
		goto fail;
	return m;

fail:
	machine_destroy(m);
	return NULL;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	accel_destroy(m); /* every engine started, the CPU with them */
	m->cpu = NULL;
	vga_destroy(m->vga);
	uart_destroy(m->serial);
	ide_destroy(m->ide);
	fdc_destroy(m->fdc);
	dma_destroy(m->dma);
	i8042_destroy(m->kbc);
	debug_exit_destroy(m->debug_exit);
	debugcon_destroy(m->debugcon);
	chipset_destroy(m->chipset);
	if (m->ram)
		munmap(m->ram, m->ram_size);
	free(m->rom);
	free(m->code.bitmap);
	free(m);
}
