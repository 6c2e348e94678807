// SPDX-License-Identifier: MIT
/*
 * The host bridge.  Register offsets from the 82441FX datasheet (290549),
 * §3.2 "PCI Configuration Registers": PMCCFG 0x50-0x51, DRAM row
 * boundaries 0x60-0x67, PAM0-6 0x59-0x5F, SMRAM 0x72.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chipset/i440fx.h"
#include "machine/machine.h"

#define CLASS_HOST_BRIDGE 0x060000u
#define I440FX_REVISION 0x02
#define REG_PMCCFG 0x50
#define REG_DRB 0x60
#define REG_PAM0 0x59
#define REG_SMRAM 0x72

/*
 * PAM shadowing (82441FX §3.2.18): 13 segments of the BIOS area, each with
 * a read-enable and a write-enable bit choosing between DRAM and the ROM.
 * Segment 0 is 0xF0000-0xFFFFF (PAM0 bits 5:4), segments 1-12 are the
 * 16 KiB pieces of 0xC0000-0xEFFFF (PAM1-6, low nibble first).  Only the
 * part of the area where the firmware ROM appears follows PAM; below it
 * there is no option ROM in popek, so it stays RAM.
 */
#define PAM_SEGMENTS 13
#define LOW_ROM_END 0x100000u
#define LOW_ROM_MAX 0x20000u

static void pam_segment(unsigned seg, uint64_t *base, uint64_t *size)
{
	if (seg == 0) {
		*base = 0xf0000;
		*size = 0x10000;
	} else {
		*base = 0xc0000 + (uint64_t)(seg - 1) * 0x4000;
		*size = 0x4000;
	}
}

static unsigned pam_mode(const struct i440fx *h, unsigned seg)
{
	uint8_t reg = h->fn.config[REG_PAM0 + (seg + 1) / 2];

	/* Odd segments are the low nibbles; segment 0 is PAM0's high one. */
	return (seg & 1) ? reg & 3 : (reg >> 4) & 3;
}

/* MMIO for "read ROM, write RAM" (mode 2). */
static uint64_t pam_rom_read(void *dev, uint64_t off, unsigned size)
{
	const struct pam_window *w = dev;
	uint64_t v = 0;

	for (unsigned k = 0; k < size; k++)
		v |= (uint64_t)w->rom[off + k] << (8 * k);
	return v;
}

static void pam_ram_write(void *dev, uint64_t off, unsigned size,
			  uint64_t value)
{
	const struct pam_window *w = dev;

	for (unsigned k = 0; k < size; k++)
		w->ram[off + k] = (uint8_t)(value >> (8 * k));
	machine_ram_written(w->m, w->base + off, size);
}

static void pam_apply(struct i440fx *h, unsigned seg)
{
	struct machine *m = h->fn.m;
	uint64_t base, size, low_size;
	unsigned mode = pam_mode(h, seg);
	uint8_t *rom;

	if (!m->rom || mode == h->pam[seg])
		return;
	low_size = m->rom_size < LOW_ROM_MAX ? m->rom_size : LOW_ROM_MAX;
	pam_segment(seg, &base, &size);
	if (base < LOW_ROM_END - low_size)
		return; /* no ROM here: plain RAM whatever PAM says */
	rom = m->rom + m->rom_size - (LOW_ROM_END - base);
	mem_unmap(m, base);
	switch (mode) {
	case 0: /* reads and writes go to the ROM (PCI) */
		mem_map_rom(m, base, size, rom, "bios-low");
		break;
	case 1: /* read DRAM, writes go to the ROM (dropped) */
		mem_map_rom(m, base, size, m->ram + base, "shadow-ro");
		break;
	case 2: /* read the ROM, write DRAM */
		h->window[seg].rom = rom;
		h->window[seg].ram = m->ram + base;
		h->window[seg].m = m;
		h->window[seg].base = base;
		mmio_register(m, base, size, &h->window[seg], pam_rom_read,
			      pam_ram_write, "shadow-wo");
		break;
	default: /* DRAM both ways */
		mem_map_ram(m, base, size, m->ram + base, "shadow-rw");
		break;
	}
	h->pam[seg] = (uint8_t)mode;
}

static void i440fx_config_written(struct pci_function *f, unsigned off,
				  unsigned len)
{
	struct i440fx *h = f->opaque;

	if (off + len <= REG_PAM0 || off > REG_PAM0 + 6)
		return;
	for (unsigned seg = 0; seg < PAM_SEGMENTS; seg++)
		pam_apply(h, seg);
}

/* Split the firmware's low window into PAM segments, all in mode 0. */
static void pam_init(struct i440fx *h, struct machine *m)
{
	uint64_t low_size, base, size;

	for (unsigned seg = 0; seg < PAM_SEGMENTS; seg++)
		h->pam[seg] = 0;
	if (!m->rom)
		return;
	low_size = m->rom_size < LOW_ROM_MAX ? m->rom_size : LOW_ROM_MAX;
	if (mem_unmap(m, LOW_ROM_END - low_size) != 0)
		return;
	for (unsigned seg = 0; seg < PAM_SEGMENTS; seg++) {
		pam_segment(seg, &base, &size);
		if (base >= LOW_ROM_END - low_size)
			mem_map_rom(m, base, size,
				    m->rom + m->rom_size - (LOW_ROM_END - base),
				    "bios-low");
	}
}

struct i440fx *i440fx_create(struct machine *m)
{
	struct i440fx *h = calloc(1, sizeof(*h));

	if (!h) {
		fprintf(stderr, "popek: out of memory for the host bridge\n");
		return NULL;
	}
	pci_function_init(&h->fn, I440FX_VENDOR, I440FX_DEVICE,
			  CLASS_HOST_BRIDGE, I440FX_REVISION);
	h->fn.name = "i440fx";
	h->fn.opaque = h;
	h->fn.wmask[REG_PMCCFG] = 0xff;
	h->fn.wmask[REG_PMCCFG + 1] = 0xff;
	/* PAM0 has only its high nibble (BIOS area 0xF0000), PAM1-6 both. */
	h->fn.wmask[REG_PAM0] = 0x30;
	for (unsigned i = 1; i < 7; i++)
		h->fn.wmask[REG_PAM0 + i] = 0x33;
	for (unsigned i = 0; i < 8; i++)
		h->fn.wmask[REG_DRB + i] = 0xff;
	h->fn.wmask[REG_SMRAM] = 0x78;
	h->fn.config[REG_SMRAM] = 0x02; /* C_BASE_SEG: 0xA0000 */
	h->fn.config_written = i440fx_config_written;
	if (pci_register(m, &h->fn, 0, 0) != 0) {
		free(h);
		return NULL;
	}
	pam_init(h, m);
	return h;
}

void i440fx_destroy(struct i440fx *h)
{
	free(h);
}
