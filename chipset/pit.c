// SPDX-License-Identifier: MIT
/*
 * The 8254 PIT.  Section names refer to the Intel 8254 datasheet
 * (231164): "Control Word Format", "Write Operations", "Read Operations"
 * (counter latch and read-back commands, the status byte), "Mode
 * Definitions" (modes 0-5 and the GATE table, Figure 18 onwards).  Port
 * 0x61 is the PC/AT system control port B (IBM PC/AT Technical Reference,
 * "System Board I/O", port 61h).
 *
 * A count of N loaded at tick L: the counting element holds N at tick L
 * (one CLK after the write, "Write Operations") and N - e at tick L + e.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipset/pit.h"
#include "machine/machine.h"

#define NS_PER_SEC 1000000000ull
/* Port 61h bit 4 toggles with each DRAM refresh request: every 15.085 us,
 * 18 PIT clocks. */
#define REFRESH_TICKS 18u

enum {
	PORT_B_GATE2 = 0x01,
	PORT_B_SPEAKER = 0x02,
	/* Gate, speaker, parity and I/O channel check enables. */
	PORT_B_WRITABLE = 0x0f,
	PORT_B_REFRESH = 0x10,
	PORT_B_OUT2 = 0x20,
};

uint64_t pit_ticks_at(uint64_t ns)
{
	return ns / NS_PER_SEC * PIT_HZ + ns % NS_PER_SEC * PIT_HZ / NS_PER_SEC;
}

uint64_t pit_tick_ns(uint64_t tick)
{
	return tick / PIT_HZ * NS_PER_SEC +
	       (tick % PIT_HZ * NS_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

static uint64_t now_tick(const struct pit *p)
{
	return pit_ticks_at(clock_now_ns(p->m));
}

/* The count value that means "the maximum" ("Write Operations"). */
static uint32_t count_modulus(const struct pit_channel *c)
{
	return c->bcd ? 10000 : 65536;
}

static uint32_t bcd_to_binary(uint16_t v)
{
	return (v >> 12) * 1000u + ((v >> 8) & 15) * 100u +
	       ((v >> 4) & 15) * 10u + (v & 15);
}

static uint16_t binary_to_bcd(uint32_t v)
{
	return (uint16_t)((v / 1000 % 10) << 12 | (v / 100 % 10) << 8 |
			  (v / 10 % 10) << 4 | (v % 10));
}

static bool periodic(const struct pit_channel *c)
{
	return c->mode == 2 || c->mode == 3;
}

static bool gate_triggered(const struct pit_channel *c)
{
	return c->mode == 1 || c->mode == 5;
}

/* Modes 2 and 3 take a new count at the end of the current period. */
static void apply_pending_reload(struct pit_channel *c, uint64_t tick)
{
	if (c->reload_pending && tick >= c->next_start) {
		c->start_tick = c->next_start;
		c->count = c->count_register;
		c->reload_pending = false;
	}
}

/* A period of 1 is illegal in modes 2 and 3 ("Mode 2", "Mode 3"). */
static uint32_t period(const struct pit_channel *c)
{
	return c->count < 2 ? 2 : c->count;
}

/* Is the counting element counting at all? */
static bool counting(const struct pit_channel *c)
{
	if (!c->loaded)
		return false;
	if (gate_triggered(c))
		return c->triggered;
	if (periodic(c))
		return c->gate;
	return true;
}

/* Ticks since the count was loaded; negative before the load tick. */
static int64_t elapsed(const struct pit_channel *c, uint64_t tick)
{
	if (c->paused)
		return c->paused_elapsed;
	return (int64_t)(tick - c->start_tick);
}

static bool out_at(const struct pit_channel *c, uint64_t tick)
{
	int64_t e;
	uint64_t n = c->count, p;

	/* The control word sets OUT low in mode 0, high in the others. */
	if (!c->loaded)
		return c->mode != 0;
	if (!counting(c))
		return true;
	e = elapsed(c, tick);
	switch (c->mode) {
	case 0:
		return e >= (int64_t)n;
	case 1:
		return e < 0 || e >= (int64_t)n;
	case 2:
		if (e < 0)
			return true;
		return (uint64_t)e % period(c) != period(c) - 1;
	case 3:
		if (e < 0)
			return true;
		p = (uint64_t)e % period(c);
		return p < (period(c) + 1) / 2;
	default: /* 4 and 5: one CLK low at terminal count */
		return e != (int64_t)n;
	}
}

/* The tick of OUT's next change after tick, or UINT64_MAX. */
static uint64_t next_out_change(const struct pit_channel *c, uint64_t tick)
{
	int64_t e;
	uint64_t n = c->count, per = period(c), high = (per + 1) / 2, p, base;

	if (!c->loaded || !counting(c) || c->paused)
		return UINT64_MAX;
	e = elapsed(c, tick);
	switch (c->mode) {
	case 0:
		return e < (int64_t)n ? c->start_tick + n : UINT64_MAX;
	case 1:
		if (e < 0)
			return c->start_tick;
		return e < (int64_t)n ? c->start_tick + n : UINT64_MAX;
	case 2:
		if (e < 0)
			return c->start_tick + per - 1;
		p = (uint64_t)e % per;
		base = tick - p;
		return p < per - 1 ? base + per - 1 : base + per;
	case 3:
		if (e < 0)
			return c->start_tick + high;
		p = (uint64_t)e % per;
		base = tick - p;
		return p < high ? base + high : base + per;
	default:
		if (e < (int64_t)n)
			return c->start_tick + n;
		return e == (int64_t)n ? c->start_tick + n + 1 : UINT64_MAX;
	}
}

static uint32_t count_at(const struct pit_channel *c, uint64_t tick)
{
	uint32_t mod = count_modulus(c);
	uint64_t n = c->count, per = period(c), p, half, v;
	int64_t e;

	if (!c->loaded)
		return c->count_register % mod;
	e = elapsed(c, tick);
	if (!counting(c) || e < 0)
		return (uint32_t)(n % mod);
	switch (c->mode) {
	case 2:
		v = n - (uint64_t)e % per;
		break;
	case 3:
		/* Decrements by two per CLK, reloading each half period. */
		p = (uint64_t)e % per;
		half = (per + 1) / 2;
		v = (per & ~1ull) - 2 * (p < half ? p : p - half);
		break;
	default:
		v = (n + mod - (uint64_t)e % mod) % mod;
		break;
	}
	return (uint32_t)(v % mod);
}

static uint16_t count_as_read(const struct pit_channel *c, uint64_t tick)
{
	uint32_t v = count_at(c, tick);

	return c->bcd ? binary_to_bcd(v) : (uint16_t)v;
}

/*
 * Channel 0: put OUT on IRQ0 and arm a timer for its next change.  A
 * timer that fires late (several changes overdue) still shows the line
 * the level it had at the change it was armed for, then the level now,
 * so a low pulse that was missed still makes an edge.
 */
static void channel_update_irq(struct pit_channel *c, uint64_t from_tick)
{
	struct machine *m = c->pit->m;
	uint64_t tick = now_tick(c->pit), next;
	bool level;

	if (c->index != 0)
		return;
	if (from_tick < tick) {
		level = out_at(c, from_tick);
		if (level != c->irq_level) {
			c->irq_level = level;
			irq_set(m, PIT_IRQ, level);
		}
	}
	apply_pending_reload(c, tick);
	level = out_at(c, tick);
	if (level != c->irq_level) {
		c->irq_level = level;
		irq_set(m, PIT_IRQ, level);
	}
	next = next_out_change(c, tick);
	if (c->reload_pending && c->next_start > tick && c->next_start < next)
		next = c->next_start;
	if (next == UINT64_MAX) {
		timer_cancel(m, &c->timer);
		return;
	}
	c->armed_tick = next;
	timer_arm(m, &c->timer, pit_tick_ns(next));
}

static void channel_timer_fired(struct machine *m, struct timer *t)
{
	struct pit_channel *c = t->opaque;

	(void)m;
	apply_pending_reload(c, c->armed_tick);
	channel_update_irq(c, c->armed_tick);
}

static void channel_sync(struct pit_channel *c, uint64_t tick)
{
	apply_pending_reload(c, tick);
}

/* A complete count was written ("Write Operations", "Mode Definitions"). */
static void load_count(struct pit_channel *c, uint16_t raw)
{
	uint64_t tick = now_tick(c->pit);
	uint32_t value = c->bcd ? bcd_to_binary(raw) : raw;

	channel_sync(c, tick);
	c->count_register = value ? value : count_modulus(c);
	if (periodic(c) && c->loaded && c->gate) {
		/* Counting on: the new count takes over at the next reload. */
		uint64_t per = period(c);
		uint64_t e = tick >= c->start_tick ? tick - c->start_tick : 0;

		c->reload_pending = true;
		c->next_start = c->start_tick + (e / per + 1) * per;
	} else if (gate_triggered(c)) {
		/* Waits for a trigger on GATE; a running count goes on. */
		if (!c->triggered)
			c->count = c->count_register;
	} else {
		c->count = c->count_register;
		c->start_tick = tick + 1;
		/* Loaded with GATE low (modes 0, 4): held until it rises. */
		c->paused = !periodic(c) && !c->gate;
		c->paused_elapsed = 0;
	}
	c->loaded = true;
	channel_update_irq(c, tick);
}

static void write_count_byte(struct pit_channel *c, uint8_t v)
{
	switch (c->access) {
	case 1:
		load_count(c, v);
		break;
	case 2:
		load_count(c, (uint16_t)(v << 8));
		break;
	default:
		if (!c->write_msb_next) {
			c->write_lsb = v;
			c->write_msb_next = true;
			/* Mode 0: the first byte stops the count ("Mode 0"). */
			if (c->mode == 0 && c->loaded) {
				c->paused_elapsed =
					elapsed(c, now_tick(c->pit));
				c->paused = true;
			}
		} else {
			c->write_msb_next = false;
			load_count(c, (uint16_t)(c->write_lsb | v << 8));
		}
		break;
	}
}

static uint8_t status_byte(struct pit_channel *c, uint64_t tick)
{
	bool null_count = !c->loaded || tick < c->start_tick ||
			  c->reload_pending ||
			  (gate_triggered(c) && !c->triggered);

	return (uint8_t)((out_at(c, tick) ? 0x80 : 0) |
			 (null_count ? 0x40 : 0) | c->access << 4 |
			 c->mode_bits << 1 | (c->bcd ? 1 : 0));
}

static void latch_count(struct pit_channel *c, uint64_t tick)
{
	/* A second latch before the first is read is ignored. */
	if (c->count_latched)
		return;
	channel_sync(c, tick);
	c->latched_count = count_as_read(c, tick);
	c->count_latched = true;
	c->latched_msb_next = false;
}

static uint8_t read_channel(struct pit_channel *c)
{
	uint64_t tick = now_tick(c->pit);
	uint16_t v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->latched_status;
	}
	if (c->count_latched) {
		v = c->latched_count;
		if (c->access == 3 && !c->latched_msb_next) {
			c->latched_msb_next = true;
			return (uint8_t)v;
		}
		c->count_latched = false;
		return (uint8_t)(c->access == 1 ? v : v >> 8);
	}
	channel_sync(c, tick);
	v = count_as_read(c, tick);
	switch (c->access) {
	case 1:
		return (uint8_t)v;
	case 2:
		return (uint8_t)(v >> 8);
	default:
		c->read_msb_next = !c->read_msb_next;
		return (uint8_t)(c->read_msb_next ? v : v >> 8);
	}
}

/* "Control Word Format": program a channel, latch, or read back. */
static void write_control(struct pit *p, uint8_t v)
{
	unsigned sc = v >> 6, rw = (v >> 4) & 3;
	uint64_t tick = now_tick(p);
	struct pit_channel *c;

	if (sc == 3) {
		/* Read-back: bit 5 low latches counts, bit 4 low status. */
		for (unsigned i = 0; i < 3; i++) {
			c = &p->ch[i];
			if (!(v & (2u << i)))
				continue;
			if (!(v & 0x20))
				latch_count(c, tick);
			if (!(v & 0x10) && !c->status_latched) {
				channel_sync(c, tick);
				c->latched_status = status_byte(c, tick);
				c->status_latched = true;
			}
		}
		return;
	}
	c = &p->ch[sc];
	if (rw == 0) {
		latch_count(c, tick);
		return;
	}
	c->access = (uint8_t)rw;
	c->mode_bits = (v >> 1) & 7;
	c->mode = c->mode_bits > 5 ? c->mode_bits - 4 : c->mode_bits;
	c->bcd = v & 1;
	c->loaded = false;
	c->triggered = false;
	c->paused = false;
	c->reload_pending = false;
	c->write_msb_next = false;
	c->read_msb_next = false;
	c->count_latched = false;
	c->status_latched = false;
	channel_update_irq(c, tick);
}

void pit_set_gate(struct pit *p, unsigned channel, bool level)
{
	struct pit_channel *c = &p->ch[channel];
	uint64_t tick = now_tick(p);
	bool rising = level && !c->gate;

	if (level == c->gate)
		return;
	channel_sync(c, tick);
	if (c->mode == 0 || c->mode == 4) {
		/* GATE low suspends counting; high resumes it. */
		if (!level && c->loaded && !c->paused) {
			c->paused_elapsed = elapsed(c, tick);
			c->paused = true;
		} else if (level && c->paused) {
			c->start_tick = tick - (uint64_t)c->paused_elapsed;
			c->paused = false;
		}
	} else if (rising && c->loaded) {
		/* Modes 1, 2, 3, 5: a rising GATE (re)starts the count. */
		c->count = c->count_register;
		c->start_tick = tick + 1;
		c->reload_pending = false;
		if (gate_triggered(c))
			c->triggered = true;
	}
	c->gate = level;
	channel_update_irq(c, tick);
}

bool pit_out(struct pit *p, unsigned channel)
{
	struct pit_channel *c = &p->ch[channel];
	uint64_t tick = now_tick(p);

	channel_sync(c, tick);
	return out_at(c, tick);
}

uint16_t pit_current_count(struct pit *p, unsigned channel)
{
	struct pit_channel *c = &p->ch[channel];
	uint64_t tick = now_tick(p);

	channel_sync(c, tick);
	return count_as_read(c, tick);
}

static uint32_t pit_io_read(void *dev, uint16_t port, unsigned size)
{
	struct pit *p = dev;
	uint32_t value = 0;

	for (unsigned i = 0; i < size; i++) {
		unsigned reg = (port + i - PIT_PORT) & 3;
		/* The control word register cannot be read. */
		uint8_t b = reg == 3 ? 0xff : read_channel(&p->ch[reg]);

		value |= (uint32_t)b << (8 * i);
	}
	return value;
}

static void pit_io_write(void *dev, uint16_t port, unsigned size,
			 uint32_t value)
{
	struct pit *p = dev;

	for (unsigned i = 0; i < size; i++) {
		unsigned reg = (port + i - PIT_PORT) & 3;
		uint8_t b = (uint8_t)(value >> (8 * i));

		if (reg == 3)
			write_control(p, b);
		else
			write_count_byte(&p->ch[reg], b);
	}
}

static uint32_t port_b_read(void *dev, uint16_t port, unsigned size)
{
	struct pit *p = dev;
	uint8_t v = p->port_b;

	(void)port;
	if ((now_tick(p) / REFRESH_TICKS) & 1)
		v |= PORT_B_REFRESH;
	if (pit_out(p, 2))
		v |= PORT_B_OUT2;
	return size == 1 ? v : (v | ~0xffu);
}

static void port_b_write(void *dev, uint16_t port, unsigned size,
			 uint32_t value)
{
	struct pit *p = dev;

	(void)port;
	(void)size;
	p->port_b = (uint8_t)value & PORT_B_WRITABLE;
	pit_set_gate(p, 2, p->port_b & PORT_B_GATE2);
}

/*
 * Power-on (8254 datasheet: the counters' state is undefined until a
 * control word is written): every channel waiting for a count, GATE 0 and
 * 1 tied high, GATE 2 and the speaker off (port 61h reads 0), IRQ0 low.
 */
static void pit_power_on(void *dev)
{
	struct pit *p = dev;

	for (unsigned i = 0; i < 3; i++) {
		struct pit_channel *c = &p->ch[i];
		bool irq_level = c->irq_level;

		timer_cancel(p->m, &c->timer);
		memset(c, 0, sizeof(*c));
		c->pit = p;
		c->index = i;
		c->access = 3;
		c->gate = i != 2;
		c->count_register = 65536;
		c->count = 65536;
		timer_init(&c->timer, channel_timer_fired, c);
		if (irq_level)
			irq_set(p->m, PIT_IRQ, false);
	}
	p->port_b = 0;
}

struct pit *pit_create(struct machine *m)
{
	struct pit *p = calloc(1, sizeof(*p));

	if (!p) {
		fprintf(stderr, "popek: out of memory for the PIT\n");
		return NULL;
	}
	p->m = m;
	pit_power_on(p);
	if (io_register(m, PIT_PORT, 4, p, pit_io_read, pit_io_write, "pit") ||
	    io_register(m, PIT_PORT_B, 1, p, port_b_read, port_b_write,
			"port61") ||
	    machine_add_reset(m, pit_power_on, p)) {
		free(p);
		return NULL;
	}
	return p;
}

void pit_destroy(struct pit *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < 3; i++)
		timer_cancel(p->m, &p->ch[i].timer);
	machine_remove_reset(p->m, p);
	free(p);
}
