/* SPDX-License-Identifier: MIT */
/*
 * The local APIC (SDM Vol. 3A ch. 10 / 11 in newer editions, "Advanced
 * Programmable Interrupt Controller", xAPIC mode) at 0xFEE00000 and the
 * I/O APIC (Intel 82093AA datasheet, 290566) at 0xFEC00000.  One CPU, so
 * interprocessor messages only ever reach the CPU's own local APIC.
 */
#ifndef POPEK_CHIPSET_APIC_H
#define POPEK_CHIPSET_APIC_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"

struct machine;

#define LAPIC_BASE 0xfee00000u
#define LAPIC_SIZE 0x1000u
#define IOAPIC_BASE 0xfec00000u
#define IOAPIC_SIZE 0x1000u
#define IOAPIC_PINS 24
/* The APIC timer counts a 100 MHz bus clock through the divider. */
#define LAPIC_BUS_HZ 100000000u

/* IA32_APIC_BASE (SDM Vol. 3A §10.4.4). */
#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR_MASK 0xfffff000ull

/* Local vector table entries, in register order 0x320-0x370. */
enum lapic_lvt {
	LVT_TIMER,
	LVT_THERMAL,
	LVT_PERF,
	LVT_LINT0,
	LVT_LINT1,
	LVT_ERROR,
	LVT_COUNT,
};

/* Delivery modes (ICR, LVT and redirection entries, bits 10-8). */
enum apic_delivery {
	APIC_DM_FIXED = 0,
	APIC_DM_LOWEST = 1,
	APIC_DM_SMI = 2,
	APIC_DM_NMI = 4,
	APIC_DM_INIT = 5,
	APIC_DM_STARTUP = 6,
	APIC_DM_EXTINT = 7,
};

struct lapic {
	struct machine *m;
	uint64_t base_msr; /* IA32_APIC_BASE as the CPU last wrote it */
	uint32_t id, tpr, ldr, dfr, svr, esr, esr_pending;
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[LVT_COUNT];
	uint32_t irr[8], isr[8], tmr[8]; /* 256 bits each */
	uint32_t timer_initial, timer_divide;
	uint64_t timer_start_ns; /* when the count was (re)loaded */
	struct timer timer;
	bool lint_level[2];
	/* The platform's EOI hook for level-triggered vectors (IOAPIC). */
	void (*eoi_level)(void *opaque, uint8_t vector);
	void *eoi_opaque;
	uint64_t timer_fired;
};

struct ioapic_entry {
	uint64_t value; /* the 64-bit redirection table entry */
};

struct ioapic {
	struct machine *m;
	struct lapic *lapic;
	uint8_t select; /* IOREGSEL */
	uint32_t id;
	uint64_t redir[IOAPIC_PINS];
	uint32_t pin_level; /* electrical input levels */
	uint64_t delivered[IOAPIC_PINS];
};

/* Local APIC: maps its page at 0xFEE00000. */
struct lapic *lapic_create(struct machine *m);
void lapic_destroy(struct lapic *l);
void lapic_reset(struct lapic *l);

/*
 * The CPU wrote IA32_APIC_BASE: bit 11 enables the APIC globally; the
 * base must stay 0xFEE00000 (relocation is not modelled).
 */
void lapic_set_base_msr(struct lapic *l, uint64_t value);

/* Globally and software enabled: interrupts go through it. */
bool lapic_enabled(const struct lapic *l);

/* A message for this CPU (from the IOAPIC, an IPI or an LVT). */
void lapic_deliver(struct lapic *l, enum apic_delivery mode, uint8_t vector,
		   bool level_triggered);

/* Does a destination field name this CPU? */
bool lapic_matches(const struct lapic *l, uint8_t dest, bool logical);

/* The LINT0/LINT1 pins (LINT0: the PIC's INTR, LINT1: NMI). */
void lapic_set_lint(struct lapic *l, unsigned pin, bool level);
/* Is LINT0 set up to pass the PIC's INTR through (virtual wire)? */
bool lapic_lint0_extint(const struct lapic *l);

/* The highest fixed interrupt the CPU may take now, or -1. */
int lapic_pending_vector(const struct lapic *l);
/* The CPU takes it: IRR to ISR.  Returns the vector, or the spurious
 * vector when nothing is deliverable any more. */
uint8_t lapic_acknowledge(struct lapic *l);

/* Register access by offset, for tests and the MMIO handler. */
uint32_t lapic_reg_read(struct lapic *l, unsigned offset);
void lapic_reg_write(struct lapic *l, unsigned offset, uint32_t value);

/* IOAPIC: maps its window at 0xFEC00000; messages go to lapic. */
struct ioapic *ioapic_create(struct machine *m, struct lapic *lapic);
void ioapic_destroy(struct ioapic *io);
/* Drive input pin 0-23 (the electrical level). */
void ioapic_set_pin(struct ioapic *io, unsigned pin, bool level);
/* The local APIC's EOI for a level-triggered vector. */
void ioapic_eoi(struct ioapic *io, uint8_t vector);
/* Is pin an unmasked ExtINT entry whose input is active? */
bool ioapic_extint_active(const struct ioapic *io);

#endif
