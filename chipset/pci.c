// SPDX-License-Identifier: MIT
/*
 * PCI bus 0, configuration mechanism #1 and the type-0 header.  Section
 * numbers refer to the PCI Local Bus Specification, revision 2.2:
 * §3.2.2.3.2 configuration mechanism #1, §6.1 the header, §6.2.2 the
 * command register, §6.2.3 the status register, §6.2.4 interrupt line
 * and pin, §6.2.5.1 base address registers and their sizing.
 *
 * A BAR's map callback runs whenever the address the function decodes
 * changes: the new base, or PCI_BAR_UNMAPPED when the command register
 * turns decoding off or the BAR holds no usable address.  During the
 * call bar->mapped still holds the old base, so the device can take
 * down the old mapping first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipset/pci_bus.h"
#include "machine/machine.h"

/* Header offsets (§6.1, Figure 6-1). */
enum {
	CFG_VENDOR = 0x00,
	CFG_DEVICE = 0x02,
	CFG_COMMAND = 0x04,
	CFG_STATUS = 0x06,
	CFG_REVISION = 0x08,
	CFG_CLASS = 0x09, /* prog-if, subclass, base class */
	CFG_CACHE_LINE = 0x0c,
	CFG_LATENCY = 0x0d,
	CFG_HEADER_TYPE = 0x0e,
	CFG_BAR0 = 0x10,
	CFG_INT_LINE = 0x3c,
	CFG_INT_PIN = 0x3d,
};

#define CMD_IO 0x0001
#define CMD_MEMORY 0x0002
#define CMD_BUS_MASTER 0x0004
#define CMD_PARITY 0x0040
#define CMD_SERR 0x0100
#define CMD_INTX_DISABLE 0x0400
#define STATUS_INTERRUPT 0x0008
/* Status bits 8 and 11-15 are cleared by writing 1 (§6.2.3). */
#define STATUS_W1C_HIGH 0xf9
#define HEADER_MULTI_FUNCTION 0x80
#define CONFIG_ENABLE 0x80000000u

static struct pci_bus *bus_of(struct machine *m)
{
	return m->chipset ? m->chipset->pci : NULL;
}

static uint16_t get16(const struct pci_function *f, unsigned off)
{
	return (uint16_t)(f->config[off] | f->config[off + 1] << 8);
}

static uint32_t get32(const struct pci_function *f, unsigned off)
{
	return get16(f, off) | (uint32_t)get16(f, off + 2) << 16;
}

static void put16(uint8_t *p, unsigned off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, unsigned off, uint32_t v)
{
	put16(p, off, (uint16_t)v);
	put16(p, off + 2, (uint16_t)(v >> 16));
}

void pci_function_init(struct pci_function *f, uint16_t vendor, uint16_t device,
		       uint32_t class_code, uint8_t revision)
{
	/* A clean function: call this before setting name, opaque, pin. */
	memset(f, 0, sizeof(*f));
	put16(f->config, CFG_VENDOR, vendor);
	put16(f->config, CFG_DEVICE, device);
	f->config[CFG_REVISION] = revision;
	f->config[CFG_CLASS] = (uint8_t)class_code;
	f->config[CFG_CLASS + 1] = (uint8_t)(class_code >> 8);
	f->config[CFG_CLASS + 2] = (uint8_t)(class_code >> 16);
	put16(f->wmask, CFG_COMMAND,
	      CMD_IO | CMD_MEMORY | CMD_BUS_MASTER | CMD_PARITY | CMD_SERR |
		      CMD_INTX_DISABLE);
	f->wmask[CFG_CACHE_LINE] = 0xff;
	f->wmask[CFG_LATENCY] = 0xff;
	f->wmask[CFG_INT_LINE] = 0xff;
	for (int i = 0; i < PCI_BARS; i++)
		f->bar[i] = (struct pci_bar){ .mapped = PCI_BAR_UNMAPPED };
}

void pci_function_set_bar(struct pci_function *f, int bar, uint64_t size,
			  bool io,
			  void (*map)(struct pci_function *, int, uint64_t))
{
	if (bar < 0 || bar >= PCI_BARS)
		return;
	/* A power of two of at least 4 (I/O) or 16 bytes (memory). */
	if (size < (io ? 4u : 16u) || size > (1ull << 31) ||
	    (size & (size - 1)))
		return;
	f->bar[bar].size = size;
	f->bar[bar].io = io;
	f->bar[bar].map = map;
	f->bar[bar].mapped = PCI_BAR_UNMAPPED;
}

/* The BAR's low bits and the bits that hold its base (§6.2.5.1). */
static void bar_layout(struct pci_function *f, int i)
{
	struct pci_bar *b = &f->bar[i];
	unsigned off = CFG_BAR0 + 4u * (unsigned)i;
	uint32_t low = 0, mask = 0;

	if (b->size) {
		low = b->io ? 0x1 : (b->prefetchable ? 0x8 : 0x0);
		mask = (uint32_t) ~(b->size - 1) & (b->io ? ~0x3u : ~0xfu);
	}
	put32(f->config, off, low);
	put32(f->wmask, off, mask);
}

static uint64_t bar_decoded(const struct pci_function *f, int i)
{
	const struct pci_bar *b = &f->bar[i];
	uint16_t command = get16(f, CFG_COMMAND);
	uint32_t v = get32(f, CFG_BAR0 + 4u * (unsigned)i);
	uint64_t addr;

	if (!b->size)
		return PCI_BAR_UNMAPPED;
	if (b->io) {
		addr = v & ~0x3u;
		/* x86 ports end at 0xFFFF; a sized BAR reads far above. */
		if (!(command & CMD_IO) || addr == 0 ||
		    addr + b->size > 0x10000)
			return PCI_BAR_UNMAPPED;
	} else {
		addr = v & ~0xfu;
		/*
		 * All ones (the sizing pattern) leaves the BAR at the very
		 * top of the 32-bit space: taken as "not placed".
		 */
		if (!(command & CMD_MEMORY) || addr == 0 ||
		    addr + b->size >= (1ull << 32))
			return PCI_BAR_UNMAPPED;
	}
	return addr;
}

static void update_mappings(struct pci_function *f)
{
	for (int i = 0; i < PCI_BARS; i++) {
		struct pci_bar *b = &f->bar[i];
		uint64_t addr = bar_decoded(f, i);

		if (addr == b->mapped)
			continue;
		if (b->map)
			b->map(f, i, addr);
		b->mapped = addr;
	}
}

static unsigned pirq_count_level(struct pci_bus *bus, unsigned pirq)
{
	unsigned n = 0;

	for (unsigned d = 0; d < PCI_DEVICES; d++)
		for (unsigned fn = 0; fn < PCI_FUNCTIONS; fn++) {
			struct pci_function *f = bus->fn[d][fn];

			if (f && f->int_pin && f->int_level &&
			    !(get16(f, CFG_COMMAND) & CMD_INTX_DISABLE) &&
			    pci_pirq_of(f->dev, f->int_pin) == pirq)
				n++;
		}
	return n;
}

unsigned pci_pirq_of(uint8_t dev, uint8_t int_pin)
{
	return (unsigned)(dev + int_pin - 1) % PIRQ_COUNT;
}

bool pci_pirq_asserted(struct pci_bus *bus, unsigned pirq)
{
	return pirq_count_level(bus, pirq) > 0;
}

/* INTx# lines are wire-ORed onto their PIRQ (§2.2.6). */
static void update_pirq(struct pci_function *f)
{
	struct pci_bus *bus = bus_of(f->m);
	unsigned pirq;

	if (f->int_level)
		f->config[CFG_STATUS] |= STATUS_INTERRUPT;
	else
		f->config[CFG_STATUS] &= (uint8_t)~STATUS_INTERRUPT;
	if (!bus || !f->int_pin)
		return;
	pirq = pci_pirq_of(f->dev, f->int_pin);
	irq_set(f->m, PIRQ_LINE_BASE + pirq, pci_pirq_asserted(bus, pirq));
}

void pci_set_irq(struct pci_function *f, bool level)
{
	f->int_level = level;
	update_pirq(f);
}

int pci_register(struct machine *m, struct pci_function *f, uint8_t dev,
		 uint8_t fn)
{
	struct pci_bus *bus = bus_of(m);
	struct pci_function *fn0;

	if (!bus || dev >= PCI_DEVICES || fn >= PCI_FUNCTIONS) {
		fprintf(stderr, "popek: PCI function '%s': no slot %02x.%x\n",
			f->name ? f->name : "?", dev, fn);
		return -1;
	}
	if (bus->fn[dev][fn]) {
		fprintf(stderr,
			"popek: PCI function '%s': %02x.%x already holds '%s'\n",
			f->name ? f->name : "?", dev, fn,
			bus->fn[dev][fn]->name ? bus->fn[dev][fn]->name : "?");
		return -1;
	}
	f->m = m;
	f->bus = 0;
	f->dev = dev;
	f->fn = fn;
	f->config[CFG_INT_PIN] = f->int_pin;
	for (int i = 0; i < PCI_BARS; i++)
		bar_layout(f, i);
	memcpy(f->power_on, f->config, sizeof(f->power_on));
	bus->fn[dev][fn] = f;
	/* Function 0 says whether the device has others (§6.2.1). */
	fn0 = bus->fn[dev][0];
	if (fn0 && fn != 0)
		fn0->config[CFG_HEADER_TYPE] |= HEADER_MULTI_FUNCTION;
	if (fn == 0)
		for (unsigned i = 1; i < PCI_FUNCTIONS; i++)
			if (bus->fn[dev][i])
				f->config[CFG_HEADER_TYPE] |=
					HEADER_MULTI_FUNCTION;
	return 0;
}

static struct pci_function *lookup(struct machine *m, uint8_t bus_no,
				   uint8_t dev, uint8_t fn)
{
	struct pci_bus *bus = bus_of(m);

	if (!bus || bus_no != 0 || dev >= PCI_DEVICES || fn >= PCI_FUNCTIONS)
		return NULL;
	return bus->fn[dev][fn];
}

uint32_t pci_config_read(struct machine *m, uint8_t bus, uint8_t dev,
			 uint8_t fn, uint8_t off, unsigned size)
{
	struct pci_function *f = lookup(m, bus, dev, fn);
	uint32_t v = 0;

	/* No function there: the master abort reads all ones (§3.2.2.3.4). */
	if (!f)
		return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	for (unsigned i = 0; i < size && off + i < 256; i++)
		v |= (uint32_t)f->config[off + i] << (8 * i);
	return v;
}

void pci_config_write(struct machine *m, uint8_t bus, uint8_t dev, uint8_t fn,
		      uint8_t off, unsigned size, uint32_t value)
{
	struct pci_function *f = lookup(m, bus, dev, fn);
	uint16_t old_command;
	unsigned len = 0;

	if (!f)
		return;
	old_command = get16(f, CFG_COMMAND);
	for (unsigned i = 0; i < size && off + i < 256; i++, len++) {
		unsigned o = off + i;
		uint8_t b = (uint8_t)(value >> (8 * i));

		if (o == CFG_STATUS + 1) {
			f->config[o] &= (uint8_t) ~(b & STATUS_W1C_HIGH);
			continue;
		}
		f->config[o] = (uint8_t)((f->config[o] & ~f->wmask[o]) |
					 (b & f->wmask[o]));
	}
	update_mappings(f);
	if ((old_command ^ get16(f, CFG_COMMAND)) & CMD_INTX_DISABLE)
		update_pirq(f);
	if (f->config_written && len)
		f->config_written(f, off, len);
}

/* --- mechanism #1 ports ------------------------------------------------- */

static uint32_t config_port_read(void *dev, uint16_t port, unsigned size)
{
	struct pci_bus *bus = dev;
	uint32_t a = bus->config_address;

	if (port == PCI_CONFIG_ADDRESS && size == 4)
		return a;
	if (port < PCI_CONFIG_DATA)
		return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	if (!(a & CONFIG_ENABLE))
		return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	return pci_config_read(bus->m, (uint8_t)(a >> 16),
			       (uint8_t)((a >> 11) & 0x1f),
			       (uint8_t)((a >> 8) & 7),
			       (uint8_t)((a & 0xfc) + (port - PCI_CONFIG_DATA)),
			       size);
}

static void config_port_write(void *dev, uint16_t port, unsigned size,
			      uint32_t value)
{
	struct pci_bus *bus = dev;
	uint32_t a = bus->config_address;

	/* Only a dword access reaches CONFIG_ADDRESS (§3.2.2.3.2). */
	if (port == PCI_CONFIG_ADDRESS && size == 4) {
		bus->config_address = value & 0x80fffffcu;
		return;
	}
	if (port == PCI_CONFIG_ADDRESS + 1 && size == 1) {
		if (bus->reset_control_write)
			bus->reset_control_write(bus->reset_control_opaque,
						 (uint8_t)value);
		return;
	}
	if (port < PCI_CONFIG_DATA || !(a & CONFIG_ENABLE))
		return;
	pci_config_write(bus->m, (uint8_t)(a >> 16),
			 (uint8_t)((a >> 11) & 0x1f), (uint8_t)((a >> 8) & 7),
			 (uint8_t)((a & 0xfc) + (port - PCI_CONFIG_DATA)), size,
			 value);
}

/*
 * RST# (§4.3.2): every function's writable registers back to their
 * power-on values (command 0, so no BAR decodes and the devices unmap
 * them; BARs 0; the bridges' own registers such as PAM and PIRQ routing),
 * the write-one-to-clear status bits clear.  Read-only fields stay.  The
 * firmware then enumerates and places everything again.
 */
static void function_reset(struct pci_function *f)
{
	uint16_t old_command = get16(f, CFG_COMMAND);

	for (unsigned o = 0; o < 256; o++)
		f->config[o] = (uint8_t)((f->config[o] & ~f->wmask[o]) |
					 (f->power_on[o] & f->wmask[o]));
	f->config[CFG_STATUS + 1] &= (uint8_t)~STATUS_W1C_HIGH;
	update_mappings(f);
	if ((old_command ^ get16(f, CFG_COMMAND)) & CMD_INTX_DISABLE)
		update_pirq(f);
	if (f->config_written)
		f->config_written(f, 0, 256);
}

static void pci_bus_reset(void *dev)
{
	struct pci_bus *bus = dev;

	bus->config_address = 0;
	for (unsigned d = 0; d < PCI_DEVICES; d++)
		for (unsigned fn = 0; fn < PCI_FUNCTIONS; fn++)
			if (bus->fn[d][fn])
				function_reset(bus->fn[d][fn]);
}

struct pci_bus *pci_bus_create(struct machine *m)
{
	struct pci_bus *bus = calloc(1, sizeof(*bus));

	if (!bus) {
		fprintf(stderr, "popek: out of memory for the PCI bus\n");
		return NULL;
	}
	bus->m = m;
	if (io_register(m, PCI_CONFIG_ADDRESS, 8, bus, config_port_read,
			config_port_write, "pci-config") != 0 ||
	    machine_add_reset(m, pci_bus_reset, bus) != 0) {
		free(bus);
		return NULL;
	}
	return bus;
}

void pci_bus_destroy(struct pci_bus *bus)
{
	if (bus)
		machine_remove_reset(bus->m, bus);
	free(bus);
}
