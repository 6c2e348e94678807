/* SPDX-License-Identifier: MIT */
/*
 * The 8254 programmable interval timer (Intel 8254 datasheet, 231164) at
 * ports 0x40-0x43, clocked at 1.193182 MHz, and the PC's system control
 * port B at 0x61 (channel 2 gate, speaker data, OUT2 and the refresh
 * toggle).  Channel 0 drives IRQ0; channel 1 is the (unused) refresh
 * timer; channel 2 feeds the speaker.
 *
 * The counters are not stepped: each channel remembers the PIT clock tick
 * at which its count started, and its count and OUT are computed from the
 * virtual clock when read.  Only channel 0 arms a timer, at each change
 * of its OUT pin, because only its OUT reaches an interrupt line.
 */
#ifndef POPEK_CHIPSET_PIT_H
#define POPEK_CHIPSET_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"

struct machine;

#define PIT_PORT 0x40
#define PIT_PORT_B 0x61
#define PIT_HZ 1193182u
#define PIT_IRQ 0

struct pit_channel {
	struct pit *pit;
	unsigned index;
	uint8_t mode; /* 0-5 (6 and 7 are read back as programmed) */
	uint8_t mode_bits; /* M2-M0 as written, for the status byte */
	uint8_t access; /* 1 LSB only, 2 MSB only, 3 LSB then MSB */
	bool bcd;
	bool gate;

	uint32_t count_register; /* last count written, 1..65536 or 10000 */
	uint32_t count; /* the count the counting element runs with */
	bool loaded; /* a count was written since the control word */
	bool triggered; /* modes 1 and 5: the gate started a count */
	uint64_t start_tick; /* the tick at which the element held count */
	bool paused; /* modes 0 and 4 with the gate low */
	int64_t paused_elapsed;
	bool reload_pending; /* modes 2 and 3: new count at next_start */
	uint64_t next_start;

	bool write_msb_next; /* access 3: the next write is the MSB */
	uint8_t write_lsb;
	bool read_msb_next; /* access 3: the next live read is the MSB */
	bool count_latched;
	uint16_t latched_count;
	bool latched_msb_next;
	bool status_latched;
	uint8_t latched_status;

	struct timer timer; /* channel 0: the next OUT change */
	uint64_t armed_tick;
	bool irq_level;
};

struct pit {
	struct machine *m;
	struct pit_channel ch[3];
	uint8_t port_b; /* bits 0-3 of port 0x61 as written */
};

/* Registers ports 0x40-0x43 and 0x61. */
struct pit *pit_create(struct machine *m);
void pit_destroy(struct pit *p);

/* The PIT clock ticks elapsed at virtual time ns, and back (rounded up). */
uint64_t pit_ticks_at(uint64_t ns);
uint64_t pit_tick_ns(uint64_t tick);

/* A channel's OUT pin and counting element now. */
bool pit_out(struct pit *p, unsigned channel);
uint16_t pit_current_count(struct pit *p, unsigned channel);

/* Drive a channel's GATE input (channel 2's comes from port 0x61). */
void pit_set_gate(struct pit *p, unsigned channel, bool level);

#endif
