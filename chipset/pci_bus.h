/* SPDX-License-Identifier: MIT */
/*
 * Bus 0 and configuration mechanism #1 (PCI Local Bus Specification 2.2
 * §3.2.2.3.2): the functions on it, the CONFIG_ADDRESS register, and the
 * PIRQ lines the functions' INTx# pins drive.  Devices use chipset/pci.h;
 * this is for the chipset itself.
 */
#ifndef POPEK_CHIPSET_PCI_BUS_H
#define POPEK_CHIPSET_PCI_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "chipset/chipset.h"
#include "chipset/pci.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_DEVICES 32
#define PCI_FUNCTIONS 8

struct pci_bus {
	struct machine *m;
	uint32_t config_address;
	struct pci_function *fn[PCI_DEVICES][PCI_FUNCTIONS];
	/* A byte write to port CF9h (the PIIX3's reset control register). */
	void (*reset_control_write)(void *opaque, uint8_t value);
	void *reset_control_opaque;
};

/* Registers ports 0xCF8-0xCFF. */
struct pci_bus *pci_bus_create(struct machine *m);
void pci_bus_destroy(struct pci_bus *bus);

/* PIRQ n (0 = PIRQA#): is any function's INTx# routed there asserted? */
bool pci_pirq_asserted(struct pci_bus *bus, unsigned pirq);

/* The PIRQ a function's pin reaches: (device + pin - 1) mod 4. */
unsigned pci_pirq_of(uint8_t dev, uint8_t int_pin);

#endif
