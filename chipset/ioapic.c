// SPDX-License-Identifier: MIT
/*
 * The I/O APIC.  Section numbers refer to the Intel 82093AA datasheet
 * (290566): §3.0 the register access through IOREGSEL/IOWIN, §3.2.1
 * IOAPICID, §3.2.2 IOAPICVER, §3.2.3 IOAPICARB, §3.2.4 the redirection
 * table (Table 3).  Edge-triggered inputs deliver on the asserting edge
 * and are ignored while masked; a level-triggered input delivers while
 * asserted and then waits with Remote IRR set until the local APIC's EOI
 * for its vector.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chipset/apic.h"
#include "machine/machine.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define REG_ID 0x00
#define REG_VERSION 0x01
#define REG_ARBITRATION 0x02
#define REG_REDIR 0x10
/* Version 0x11, highest redirection entry 23 (§3.2.2). */
#define IOAPIC_VERSION (0x11u | (IOAPIC_PINS - 1) << 16)

#define RTE_VECTOR 0xffull
#define RTE_DEST_LOGICAL (1ull << 11)
#define RTE_ACTIVE_LOW (1ull << 13)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
/* Vector, delivery and destination mode, polarity, trigger, mask, dest. */
#define RTE_WRITABLE (0xff00000000000000ull | 0x1afffull)

static enum apic_delivery rte_mode(uint64_t rte)
{
	return (enum apic_delivery)((rte >> 8) & 7);
}

static bool pin_active(const struct ioapic *io, unsigned pin)
{
	bool level = io->pin_level & (1u << pin);

	return level != !!(io->redir[pin] & RTE_ACTIVE_LOW);
}

static void deliver(struct ioapic *io, unsigned pin)
{
	uint64_t rte = io->redir[pin];
	enum apic_delivery mode = rte_mode(rte);
	bool level = rte & RTE_LEVEL;

	if (mode == APIC_DM_EXTINT)
		return; /* the PIC answers the INTA: see ioapic_extint_active */
	if (!lapic_matches(io->lapic, (uint8_t)(rte >> 56),
			   rte & RTE_DEST_LOGICAL))
		return;
	io->delivered[pin]++;
	if (level && (mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST))
		io->redir[pin] |= RTE_REMOTE_IRR;
	lapic_deliver(io->lapic, mode, (uint8_t)(rte & RTE_VECTOR), level);
}

/* A level-triggered input that is asserted and not yet in service. */
static void service_level(struct ioapic *io, unsigned pin)
{
	uint64_t rte = io->redir[pin];

	if ((rte & RTE_LEVEL) && !(rte & (RTE_MASKED | RTE_REMOTE_IRR)) &&
	    pin_active(io, pin))
		deliver(io, pin);
}

void ioapic_set_pin(struct ioapic *io, unsigned pin, bool level)
{
	bool was_active;
	uint64_t rte;

	if (pin >= IOAPIC_PINS)
		return;
	was_active = pin_active(io, pin);
	if (level)
		io->pin_level |= 1u << pin;
	else
		io->pin_level &= ~(1u << pin);
	rte = io->redir[pin];
	if (rte & RTE_LEVEL)
		service_level(io, pin);
	else if (!was_active && pin_active(io, pin) && !(rte & RTE_MASKED))
		deliver(io, pin);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t *rte = &io->redir[pin];

		if ((*rte & RTE_REMOTE_IRR) && (*rte & RTE_VECTOR) == vector) {
			*rte &= ~RTE_REMOTE_IRR;
			service_level(io, pin);
		}
	}
}

bool ioapic_extint_active(const struct ioapic *io)
{
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t rte = io->redir[pin];

		if (rte_mode(rte) == APIC_DM_EXTINT && !(rte & RTE_MASKED) &&
		    pin_active(io, pin))
			return true;
	}
	return false;
}

static uint32_t read_register(struct ioapic *io, uint8_t index)
{
	unsigned pin;

	switch (index) {
	case REG_ID:
	case REG_ARBITRATION:
		return io->id;
	case REG_VERSION:
		return IOAPIC_VERSION;
	default:
		pin = (index - REG_REDIR) / 2u;
		if (index < REG_REDIR || pin >= IOAPIC_PINS)
			return 0xffffffffu;
		return (uint32_t)(io->redir[pin] >> (index & 1 ? 32 : 0));
	}
}

static void write_register(struct ioapic *io, uint8_t index, uint32_t value)
{
	unsigned pin;
	uint64_t rte, written;

	if (index == REG_ID) {
		io->id = value & 0x0f000000u;
		return;
	}
	pin = (index - REG_REDIR) / 2u;
	if (index < REG_REDIR || pin >= IOAPIC_PINS)
		return; /* version, arbitration: read-only */
	rte = io->redir[pin];
	written = index & 1 ? (rte & 0xffffffffull) | (uint64_t)value << 32 :
			      (rte & ~0xffffffffull) | value;
	io->redir[pin] = (rte & ~RTE_WRITABLE) | (written & RTE_WRITABLE);
	/* Edge entries have no Remote IRR. */
	if (!(io->redir[pin] & RTE_LEVEL))
		io->redir[pin] &= ~RTE_REMOTE_IRR;
	/* An input that is already asserted delivers once unmasked. */
	service_level(io, pin);
}

static uint64_t ioapic_mmio_read(void *dev, uint64_t offset, unsigned size)
{
	struct ioapic *io = dev;
	uint64_t v;

	if (offset < IOWIN)
		v = offset == IOREGSEL ? io->select : 0;
	else if (offset < IOWIN + 4)
		v = read_register(io, io->select) >> (8 * (offset - IOWIN));
	else
		return 0;
	return size >= 4 ? (uint32_t)v : v & ((1ull << (8 * size)) - 1);
}

static void ioapic_mmio_write(void *dev, uint64_t offset, unsigned size,
			      uint64_t value)
{
	struct ioapic *io = dev;

	if (offset == IOREGSEL)
		io->select = (uint8_t)value;
	else if (offset == IOWIN && size >= 4)
		write_register(io, io->select, (uint32_t)value);
}

/*
 * Reset (82093AA datasheet §3.2.4, §3.1): ID 0, IOREGSEL 0, every
 * redirection entry masked with Remote IRR clear; the input pins keep
 * their levels.
 */
static void ioapic_reset(void *dev)
{
	struct ioapic *io = dev;

	io->select = 0;
	io->id = 0;
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++)
		io->redir[pin] = RTE_MASKED;
}

struct ioapic *ioapic_create(struct machine *m, struct lapic *lapic)
{
	struct ioapic *io = calloc(1, sizeof(*io));

	if (!io) {
		fprintf(stderr, "popek: out of memory for the I/O APIC\n");
		return NULL;
	}
	io->m = m;
	io->lapic = lapic;
	/* Every entry starts masked (§3.2.4). */
	ioapic_reset(io);
	if (mmio_register(m, IOAPIC_BASE, IOAPIC_SIZE, io, ioapic_mmio_read,
			  ioapic_mmio_write, "ioapic") != 0 ||
	    machine_add_reset(m, ioapic_reset, io) != 0) {
		free(io);
		return NULL;
	}
	return io;
}

void ioapic_destroy(struct ioapic *io)
{
	if (io)
		machine_remove_reset(io->m, io);
	free(io);
}
