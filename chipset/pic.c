// SPDX-License-Identifier: MIT
/*
 * The 8259A pair.  Section names refer to the Intel 8259A datasheet
 * (231468): "Interrupt Sequence", "Initialization Command Words",
 * "Operation Command Words", "Edge and Level Triggered Modes", "The
 * Special Mask Mode", "Poll Command", "Cascading".  The ELCR is the
 * PIIX3's (82371SB datasheet §4.1.10-11: ports 0x4D0/0x4D1).
 *
 * Edge-triggered requests are latched in IRR until acknowledged, even if
 * the input falls again first: a device that pulses its line (irq_pulse)
 * is not lost.  A level-triggered request follows its input, so one that
 * goes away before INTA leaves nothing to take: the acknowledge then
 * returns the spurious IR7 vector of that chip, as the datasheet's
 * "Interrupt Sequence" describes (IRQ7, or IRQ15 on the slave, without
 * setting an ISR bit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipset/pic.h"
#include "machine/machine.h"

/* ELCR bits the PIIX3 lets software set: IRQ0-2, 8 and 13 are edge. */
static const uint8_t elcr_writable[2] = { 0xf8, 0xde };

static uint8_t bit(unsigned n)
{
	return (uint8_t)(1u << n);
}

static uint8_t level_mask(const struct pic_chip *c)
{
	return c->level_triggered_all ? 0xff : c->elcr;
}

/* The IR level at priority rank r (0 the highest), "Priority Resolver". */
static unsigned level_at_rank(const struct pic_chip *c, unsigned rank)
{
	return (c->lowest_priority + 1 + rank) & 7;
}

/* Highest-priority bit set in bits, or -1. */
static int highest_of(const struct pic_chip *c, uint8_t bits)
{
	for (unsigned rank = 0; rank < 8; rank++) {
		unsigned n = level_at_rank(c, rank);

		if (bits & bit(n))
			return (int)n;
	}
	return -1;
}

/*
 * The request the chip would present: the highest-priority unmasked IRR
 * bit above every level in service.  In special mask mode only masked
 * levels in service are ignored ("The Special Mask Mode"); in special
 * fully nested mode a master's cascade input in service does not block
 * further requests from the same slave ("Special Fully Nested Mode").
 */
static int chip_request(const struct pic_chip *c)
{
	uint8_t pending = c->irr & (uint8_t)~c->imr;
	uint8_t blocking = c->isr;

	if (!pending)
		return -1;
	if (c->special_mask)
		blocking &= (uint8_t)~c->imr;
	if (c->special_fully_nested && !c->is_slave && !c->single)
		blocking &= (uint8_t)~c->icw3;
	for (unsigned rank = 0; rank < 8; rank++) {
		unsigned n = level_at_rank(c, rank);

		if (blocking & bit(n))
			return -1;
		if (pending & bit(n))
			return (int)n;
	}
	return -1;
}

static void chip_set_input(struct pic_chip *c, unsigned pin, bool level)
{
	uint8_t b = bit(pin);

	if (level) {
		/* An edge sets IRR on the rising transition only. */
		if ((level_mask(c) & b) || !(c->input & b))
			c->irr |= b;
		c->input |= b;
	} else {
		c->input &= (uint8_t)~b;
		if (level_mask(c) & b)
			c->irr &= (uint8_t)~b;
	}
}

/* INTA for level n: IS bit set (unless AEOI), request taken from IRR. */
static void chip_take(struct pic_chip *c, unsigned n)
{
	uint8_t b = bit(n);

	c->irr &= (uint8_t)~b;
	/* A level that is still high is still requesting. */
	if ((level_mask(c) & b) && (c->input & b))
		c->irr |= b;
	if (c->auto_eoi) {
		if (c->rotate_on_auto_eoi)
			c->lowest_priority = (uint8_t)n;
	} else {
		c->isr |= b;
	}
}

static bool is_cascade_input(const struct pic_chip *master, unsigned n)
{
	return !master->single && (master->icw3 & bit(n));
}

/* Propagate the slave's INT to the master's IR2, the master's to the CPU. */
static void pic_update(struct pic *p)
{
	bool slave_int = chip_request(&p->chip[1]) >= 0;
	bool master_int;

	chip_set_input(&p->chip[0], PIC_CASCADE_IRQ, slave_int);
	master_int = chip_request(&p->chip[0]) >= 0;
	if (master_int != p->int_output) {
		p->int_output = master_int;
		if (p->int_changed)
			p->int_changed(p->int_opaque, master_int);
	}
}

void pic_set_irq(struct pic *p, unsigned irq, bool level)
{
	if (irq >= 16 || irq == PIC_CASCADE_IRQ)
		return;
	chip_set_input(&p->chip[irq >> 3], irq & 7, level);
	pic_update(p);
}

bool pic_int_output(const struct pic *p)
{
	return p->int_output;
}

bool pic_irq_is_level(const struct pic *p, unsigned irq)
{
	return irq < 16 && (level_mask(&p->chip[irq >> 3]) & bit(irq & 7));
}

uint8_t pic_acknowledge(struct pic *p)
{
	struct pic_chip *master = &p->chip[0], *slave = &p->chip[1];
	int n = chip_request(master), s;
	uint8_t vector;

	if (n < 0) {
		p->spurious++;
		vector = master->vector_base | 7;
	} else if (is_cascade_input(master, (unsigned)n)) {
		chip_take(master, (unsigned)n);
		s = chip_request(slave);
		if (s < 0) {
			p->spurious++;
			vector = slave->vector_base | 7;
		} else {
			chip_take(slave, (unsigned)s);
			vector = slave->vector_base | (uint8_t)s;
		}
		/*
		 * INTA ends the slave's INT pulse: a request still waiting
		 * there shows the master a new edge.
		 */
		chip_set_input(master, PIC_CASCADE_IRQ, false);
	} else {
		chip_take(master, (unsigned)n);
		vector = master->vector_base | (uint8_t)n;
	}
	pic_update(p);
	return vector;
}

/* ICW1 ("Initialization Command Words"): start the sequence. */
static void write_icw1(struct pic_chip *c, uint8_t v)
{
	c->icw4_needed = v & 0x01;
	c->single = v & 0x02;
	c->level_triggered_all = v & 0x08;
	c->init_step = 2;
	c->imr = 0;
	c->isr = 0;
	/* The edge sense circuit is reset: only levels still request. */
	c->irr = c->input & level_mask(c);
	c->lowest_priority = 7;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_on_auto_eoi = false;
	if (!c->icw4_needed) {
		c->auto_eoi = false;
		c->special_fully_nested = false;
	}
}

static void write_icw(struct pic_chip *c, uint8_t v)
{
	switch (c->init_step) {
	case 2:
		c->vector_base = v & 0xf8;
		if (!c->single)
			c->init_step = 3;
		else
			c->init_step = c->icw4_needed ? 4 : 0;
		break;
	case 3:
		c->icw3 = v;
		c->init_step = c->icw4_needed ? 4 : 0;
		break;
	default:
		/* ICW4: bit 1 AEOI, bit 4 SFNM; uPM, BUF, M/S change nothing. */
		c->auto_eoi = v & 0x02;
		c->special_fully_nested = v & 0x10;
		c->init_step = 0;
		break;
	}
}

/* OCW2 commands, bits 7-5 (R, SL, EOI). */
enum ocw2_command {
	OCW2_ROTATE_AEOI_CLEAR = 0,
	OCW2_NONSPECIFIC_EOI = 1,
	OCW2_NOP = 2,
	OCW2_SPECIFIC_EOI = 3,
	OCW2_ROTATE_AEOI_SET = 4,
	OCW2_ROTATE_NONSPECIFIC_EOI = 5,
	OCW2_SET_PRIORITY = 6,
	OCW2_ROTATE_SPECIFIC_EOI = 7,
};

static void write_ocw2(struct pic_chip *c, uint8_t v)
{
	unsigned level = v & 7;
	int n;

	switch ((enum ocw2_command)(v >> 5)) {
	case OCW2_ROTATE_AEOI_CLEAR:
		c->rotate_on_auto_eoi = false;
		break;
	case OCW2_ROTATE_AEOI_SET:
		c->rotate_on_auto_eoi = true;
		break;
	case OCW2_NONSPECIFIC_EOI:
	case OCW2_ROTATE_NONSPECIFIC_EOI:
		n = highest_of(c, c->isr);
		if (n < 0)
			break;
		c->isr &= (uint8_t)~bit((unsigned)n);
		if (v >> 5 == OCW2_ROTATE_NONSPECIFIC_EOI)
			c->lowest_priority = (uint8_t)n;
		break;
	case OCW2_SPECIFIC_EOI:
		c->isr &= (uint8_t)~bit(level);
		break;
	case OCW2_ROTATE_SPECIFIC_EOI:
		c->isr &= (uint8_t)~bit(level);
		c->lowest_priority = (uint8_t)level;
		break;
	case OCW2_SET_PRIORITY:
		c->lowest_priority = (uint8_t)level;
		break;
	case OCW2_NOP:
		break;
	}
}

static void write_ocw3(struct pic_chip *c, uint8_t v)
{
	if (v & 0x40) /* ESMM: SMM is valid */
		c->special_mask = v & 0x20;
	if (v & 0x04)
		c->poll = true;
	if (v & 0x02) /* RR: RIS is valid */
		c->read_isr = v & 0x01;
}

/*
 * The poll word ("Poll Command"): the read acts as INTA; bit 7 says an
 * interrupt was waiting, bits 2-0 its level.
 */
static uint8_t read_poll(struct pic *p, struct pic_chip *c)
{
	int n = chip_request(c);

	c->poll = false;
	if (n < 0)
		return 0;
	chip_take(c, (unsigned)n);
	pic_update(p);
	return (uint8_t)(0x80 | n);
}

static uint8_t pic_reg_read(struct pic *p, unsigned chip, unsigned a0)
{
	struct pic_chip *c = &p->chip[chip];

	if (c->poll)
		return read_poll(p, c);
	if (a0)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static void pic_reg_write(struct pic *p, unsigned chip, unsigned a0, uint8_t v)
{
	struct pic_chip *c = &p->chip[chip];

	if (!a0) {
		if (v & 0x10)
			write_icw1(c, v);
		else if (v & 0x08)
			write_ocw3(c, v);
		else
			write_ocw2(c, v);
	} else if (c->init_step) {
		write_icw(c, v);
	} else {
		c->imr = v; /* OCW1 */
	}
	pic_update(p);
}

static unsigned chip_of_port(uint16_t port)
{
	return (port & 0xf0) == PIC_SLAVE_PORT;
}

static uint32_t pic_io_read(void *dev, uint16_t port, unsigned size)
{
	struct pic *p = dev;
	uint32_t value = 0;

	for (unsigned i = 0; i < size; i++) {
		uint16_t at = (uint16_t)(port + i);

		value |= (uint32_t)pic_reg_read(p, chip_of_port(at), at & 1)
			 << (8 * i);
	}
	return value;
}

static void pic_io_write(void *dev, uint16_t port, unsigned size,
			 uint32_t value)
{
	struct pic *p = dev;

	for (unsigned i = 0; i < size; i++) {
		uint16_t at = (uint16_t)(port + i);

		pic_reg_write(p, chip_of_port(at), at & 1,
			      (uint8_t)(value >> (8 * i)));
	}
}

static uint32_t elcr_io_read(void *dev, uint16_t port, unsigned size)
{
	struct pic *p = dev;
	uint32_t value = 0;

	for (unsigned i = 0; i < size; i++)
		value |= (uint32_t)p->chip[(port + i) & 1].elcr << (8 * i);
	return value;
}

static void elcr_io_write(void *dev, uint16_t port, unsigned size,
			  uint32_t value)
{
	struct pic *p = dev;

	for (unsigned i = 0; i < size; i++) {
		unsigned chip = (port + i) & 1;
		struct pic_chip *c = &p->chip[chip];

		c->elcr = (uint8_t)(value >> (8 * i)) & elcr_writable[chip];
		/* A level input requests exactly while it is high. */
		c->irr = (uint8_t)((c->irr & ~level_mask(c)) |
				   (c->input & level_mask(c)));
	}
	pic_update(p);
}

/*
 * The power-on state is undefined until ICW1 (8259A datasheet,
 * "Initialization Command Words"); start with every input masked, so only
 * a programmed chip interrupts, and the ELCR all edge (PIIX3: 00h).  The
 * IR pins keep their levels: they are the devices' wires.
 */
static void pic_power_on(void *dev)
{
	struct pic *p = dev;

	for (unsigned i = 0; i < 2; i++) {
		struct pic_chip *c = &p->chip[i];
		uint8_t input = c->input;

		memset(c, 0, sizeof(*c));
		c->input = input;
		c->lowest_priority = 7;
		c->is_slave = i == 1;
		c->imr = 0xff;
	}
	p->chip[0].icw3 = bit(PIC_CASCADE_IRQ);
	p->chip[1].icw3 = PIC_CASCADE_IRQ;
	pic_update(p);
}

struct pic *pic_create(struct machine *m)
{
	struct pic *p = calloc(1, sizeof(*p));

	if (!p) {
		fprintf(stderr, "popek: out of memory for the PIC\n");
		return NULL;
	}
	p->m = m;
	pic_power_on(p);
	if (io_register(m, PIC_MASTER_PORT, 2, p, pic_io_read, pic_io_write,
			"pic-master") != 0 ||
	    io_register(m, PIC_SLAVE_PORT, 2, p, pic_io_read, pic_io_write,
			"pic-slave") != 0 ||
	    io_register(m, PIC_ELCR_PORT, 2, p, elcr_io_read, elcr_io_write,
			"pic-elcr") != 0 ||
	    machine_add_reset(m, pic_power_on, p) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

void pic_destroy(struct pic *p)
{
	if (p)
		machine_remove_reset(p->m, p);
	free(p);
}
