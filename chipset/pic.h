/* SPDX-License-Identifier: MIT */
/*
 * The two cascaded 8259A programmable interrupt controllers of a PC
 * (Intel 8259A datasheet, order no. 231468) and the PIIX3's edge/level
 * control registers (ELCR, 82371SB datasheet §4.1.x, ports 0x4D0/0x4D1).
 * The master is at 0x20/0x21, the slave at 0xA0/0xA1 on the master's IR2.
 */
#ifndef POPEK_CHIPSET_PIC_H
#define POPEK_CHIPSET_PIC_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

#define PIC_MASTER_PORT 0x20
#define PIC_SLAVE_PORT 0xa0
#define PIC_ELCR_PORT 0x4d0
#define PIC_CASCADE_IRQ 2

/* One 8259A. */
struct pic_chip {
	uint8_t irr; /* interrupt request register */
	uint8_t isr; /* in-service register */
	uint8_t imr; /* interrupt mask register (OCW1) */
	uint8_t input; /* the IR pins' current levels */
	uint8_t elcr; /* level-triggered inputs (ELCR) */
	uint8_t vector_base; /* ICW2, bits 7-3 */
	uint8_t icw3; /* slave inputs (master) or slave ID (slave) */
	uint8_t lowest_priority; /* the IR level with the lowest priority */
	unsigned init_step; /* 0: initialized; 2-4: the next ICW expected */
	bool icw4_needed;
	bool single; /* ICW1 SNGL: no cascade */
	bool level_triggered_all; /* ICW1 LTIM */
	bool auto_eoi; /* ICW4 AEOI */
	bool special_fully_nested; /* ICW4 SFNM */
	bool rotate_on_auto_eoi;
	bool special_mask; /* OCW3 SMM */
	bool read_isr; /* OCW3 RIS: port A reads ISR, else IRR */
	bool poll; /* OCW3 P: the next read of port A is the poll word */
	bool is_slave;
};

struct pic {
	struct machine *m;
	struct pic_chip chip[2]; /* 0 master, 1 slave */
	/* Called when the master's INT output may have changed. */
	void (*int_changed)(void *opaque, bool level);
	void *int_opaque;
	bool int_output;
	uint64_t spurious; /* acknowledges that found no request */
};

/* Registers ports 0x20-0x21, 0xA0-0xA1 and 0x4D0-0x4D1. */
struct pic *pic_create(struct machine *m);
void pic_destroy(struct pic *p);

/* Drive ISA IRQ 0-15 (the slave's inputs are 8-15). */
void pic_set_irq(struct pic *p, unsigned irq, bool level);

/* The master's INT output: an interrupt waits for the CPU. */
bool pic_int_output(const struct pic *p);

/* The CPU's INTA cycles: the vector of the interrupt it takes. */
uint8_t pic_acknowledge(struct pic *p);

/* Is ISA IRQ irq level-triggered (ELCR or ICW1 LTIM)? */
bool pic_irq_is_level(const struct pic *p, unsigned irq);

#endif
