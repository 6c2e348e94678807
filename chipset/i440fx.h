/* SPDX-License-Identifier: MIT */
/*
 * An i440FX-compatible PCI host bridge (Intel 82441FX PMC, datasheet
 * 290549) at 00.0: vendor 8086, device 1237.  Its configuration space is
 * there for firmware to find; the PAM registers shadow the firmware's
 * low window with RAM, the DRAM row boundaries are only stored.
 */
#ifndef POPEK_CHIPSET_I440FX_H
#define POPEK_CHIPSET_I440FX_H

#include "chipset/pci.h"

#define I440FX_VENDOR 0x8086
#define I440FX_DEVICE 0x1237

/* A PAM segment in "read ROM, write RAM" mode. */
struct pam_window {
	const uint8_t *rom;
	uint8_t *ram;
	struct machine *m;
	uint64_t base;
};

struct i440fx {
	struct pci_function fn;
	uint8_t pam[13]; /* current mode of each PAM segment */
	struct pam_window window[13];
};

struct i440fx *i440fx_create(struct machine *m);
void i440fx_destroy(struct i440fx *h);

#endif
