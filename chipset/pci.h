/* SPDX-License-Identifier: MIT */
/*
 * PCI: configuration mechanism #1 (ports 0xCF8/0xCFC), functions with a
 * standard type-0 header, BARs the guest (or the BIOS) sizes and places,
 * and INTx lines routed through the ISA bridge's PIRQ registers.
 */
#ifndef POPEK_CHIPSET_PCI_H
#define POPEK_CHIPSET_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct pci_function;

#define PCI_BARS 6

struct pci_bar {
	uint64_t size; /* a power of two; 0: the BAR is not implemented */
	bool io; /* I/O space, else memory */
	bool prefetchable;
	/*
	 * The guest placed (or moved, or disabled) the BAR: addr is the new
	 * base, or PCI_BAR_UNMAPPED when decoding is off (command register)
	 * or the BAR holds no address.  The device maps its ports or MMIO.
	 */
	void (*map)(struct pci_function *f, int bar, uint64_t addr);
	uint64_t mapped; /* current base, or PCI_BAR_UNMAPPED */
};

#define PCI_BAR_UNMAPPED UINT64_MAX

struct pci_function {
	uint8_t bus, dev, fn;
	const char *name;
	uint8_t config[256]; /* the configuration space as the guest sees it */
	uint8_t wmask[256]; /* bits the guest may write */
	uint8_t power_on[256]; /* config as registered: a reset restores it */
	struct pci_bar bar[PCI_BARS];
	uint8_t int_pin; /* 0 none, 1 INTA# .. 4 INTD# */
	bool int_level;
	void *opaque; /* the device behind the function */
	/* Optional: called after the guest wrote config bytes [off, off+len). */
	void (*config_written)(struct pci_function *f, unsigned off,
			       unsigned len);
	struct machine *m;
};

/*
 * Fill the standard header fields: IDs, class code (base, sub, prog-if),
 * revision, header type 0, and the usual writable bits (command register,
 * latency timer, interrupt line).
 */
void pci_function_init(struct pci_function *f, uint16_t vendor,
		       uint16_t device, uint32_t class_code, uint8_t revision);

/* Declare a BAR before registering; map is called when it moves. */
void pci_function_set_bar(struct pci_function *f, int bar, uint64_t size,
			  bool io, void (*map)(struct pci_function *, int,
					       uint64_t));

/* Put the function on bus 0 at dev.fn; returns 0, or -1 when taken. */
int pci_register(struct machine *m, struct pci_function *f, uint8_t dev,
		 uint8_t fn);

/* Drive the function's INTx# pin (level-triggered, active high here). */
void pci_set_irq(struct pci_function *f, bool level);

/* Config-space access as mechanism #1 performs it (also for the BIOS's
 * own tests and the debugger). */
uint32_t pci_config_read(struct machine *m, uint8_t bus, uint8_t dev,
			 uint8_t fn, uint8_t off, unsigned size);
void pci_config_write(struct machine *m, uint8_t bus, uint8_t dev, uint8_t fn,
		      uint8_t off, unsigned size, uint32_t value);

#endif
