// SPDX-License-Identifier: MIT
/*
 * The local APIC in xAPIC mode.  Section numbers are those of the Intel
 * SDM Vol. 3A chapter 10 ("Advanced Programmable Interrupt Controller
 * (APIC)"; chapter 11 in newer editions): §10.4.4 IA32_APIC_BASE, §10.4.6
 * the ID, §10.4.8 the version register, §10.5.1 the LVT, §10.5.3 the
 * error status register, §10.5.4 the timer, §10.6.1 the ICR, §10.6.2
 * destinations (logical: flat and cluster), §10.8.3.1 TPR and PPR,
 * §10.8.4 IRR/ISR/TMR, §10.8.5 EOI, §10.9 the spurious-interrupt vector
 * register and software enable.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chipset/apic.h"
#include "machine/machine.h"

#define NS_PER_SEC 1000000000ull
/* Version register: 6 LVT entries (max LVT 5), version 0x14 (§10.4.8). */
#define LAPIC_VERSION 0x00050014u

#define LVT_MASKED (1u << 16)
#define LVT_LEVEL (1u << 15)
#define LVT_TIMER_PERIODIC (1u << 17)
#define SVR_ENABLE (1u << 8)
#define ICR_DEST_LOGICAL (1u << 11)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_LEVEL_TRIGGER (1u << 15)
#define ESR_SEND_ILLEGAL_VECTOR 0x20u
#define ESR_RECEIVE_ILLEGAL_VECTOR 0x40u
#define ESR_ILLEGAL_REGISTER 0x80u

/* Register offsets (§10.4.1, Table 10-1). */
enum lapic_reg {
	REG_ID = 0x020,
	REG_VERSION = 0x030,
	REG_TPR = 0x080,
	REG_APR = 0x090,
	REG_PPR = 0x0a0,
	REG_EOI = 0x0b0,
	REG_RRD = 0x0c0,
	REG_LDR = 0x0d0,
	REG_DFR = 0x0e0,
	REG_SVR = 0x0f0,
	REG_ISR = 0x100,
	REG_TMR = 0x180,
	REG_IRR = 0x200,
	REG_ESR = 0x280,
	REG_ICR_LO = 0x300,
	REG_ICR_HI = 0x310,
	REG_LVT = 0x320, /* six entries, 0x10 apart */
	REG_TIMER_INITIAL = 0x380,
	REG_TIMER_CURRENT = 0x390,
	REG_TIMER_DIVIDE = 0x3e0,
};

/* Bits software may write in each LVT entry (§10.5.1, Figure 10-8). */
static const uint32_t lvt_writable[LVT_COUNT] = {
	[LVT_TIMER] = 0x000300ff & ~(1u << 18), /* no TSC-deadline mode */
	[LVT_THERMAL] = 0x000107ff,
	[LVT_PERF] = 0x000107ff,
	[LVT_LINT0] = 0x0001a7ff,
	[LVT_LINT1] = 0x0001a7ff,
	[LVT_ERROR] = 0x000100ff,
};

static bool test_bit256(const uint32_t *v, unsigned n)
{
	return v[n >> 5] & (1u << (n & 31));
}

static void set_bit256(uint32_t *v, unsigned n, bool on)
{
	if (on)
		v[n >> 5] |= 1u << (n & 31);
	else
		v[n >> 5] &= ~(1u << (n & 31));
}

static int highest_bit256(const uint32_t *v)
{
	for (int i = 7; i >= 0; i--)
		if (v[i])
			return i * 32 + 31 - __builtin_clz(v[i]);
	return -1;
}

bool lapic_enabled(const struct lapic *l)
{
	return (l->base_msr & APIC_BASE_ENABLE) && (l->svr & SVR_ENABLE);
}

/* PPR (§10.8.3.1): the TPR or the in-service class, whichever is higher. */
static uint32_t processor_priority(const struct lapic *l)
{
	int isrv = highest_bit256(l->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (l->tpr & 0xf0) >= isr_class ? l->tpr & 0xff : isr_class;
}

int lapic_pending_vector(const struct lapic *l)
{
	int irrv = highest_bit256(l->irr);

	if (irrv < 0 || !lapic_enabled(l))
		return -1;
	if (((uint32_t)irrv & 0xf0) <= (processor_priority(l) & 0xf0))
		return -1;
	return irrv;
}

uint8_t lapic_acknowledge(struct lapic *l)
{
	int v = lapic_pending_vector(l);

	/* Nothing left above PPR: the spurious vector, no ISR bit (§10.9). */
	if (v < 0)
		return (uint8_t)(l->svr & 0xff);
	set_bit256(l->irr, (unsigned)v, false);
	set_bit256(l->isr, (unsigned)v, true);
	return (uint8_t)v;
}

static void signal_error(struct lapic *l, uint32_t bits)
{
	uint32_t lvt = l->lvt[LVT_ERROR];

	l->esr_pending |= bits;
	/* An illegal error vector raises no second error. */
	if (!(lvt & LVT_MASKED) && (lvt & 0xff) >= 16)
		lapic_deliver(l, APIC_DM_FIXED, (uint8_t)lvt, false);
}

void lapic_deliver(struct lapic *l, enum apic_delivery mode, uint8_t vector,
		   bool level_triggered)
{
	switch (mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		/* A software-disabled APIC takes no fixed interrupts (§10.4.7.2). */
		if (!lapic_enabled(l))
			return;
		if (vector < 16) {
			signal_error(l, ESR_RECEIVE_ILLEGAL_VECTOR);
			return;
		}
		set_bit256(l->irr, vector, true);
		set_bit256(l->tmr, vector, level_triggered);
		return;
	case APIC_DM_NMI:
		nmi_raise(l->m);
		return;
	default:
		/* SMI, INIT, start-up: no SMM, and one CPU that never waits
		 * for a SIPI; ExtINT is the router's business. */
		return;
	}
}

bool lapic_matches(const struct lapic *l, uint8_t dest, bool logical)
{
	uint8_t ldr = (uint8_t)(l->ldr >> 24);

	if (dest == 0xff)
		return true;
	if (!logical)
		return dest == (uint8_t)(l->id >> 24);
	if ((l->dfr >> 28) == 0xf) /* flat model */
		return (ldr & dest) != 0;
	/* Cluster model: cluster in bits 7-4, members in 3-0. */
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0x0f);
}

/* --- the timer (§10.5.4) ------------------------------------------------ */

static uint64_t timer_divisor(const struct lapic *l)
{
	unsigned code = ((l->timer_divide >> 1) & 4) | (l->timer_divide & 3);

	return code == 7 ? 1 : 2ull << code;
}

static uint64_t timer_ticks_to_ns(const struct lapic *l, uint64_t ticks)
{
	uint64_t clocks = ticks * timer_divisor(l);

	return clocks / LAPIC_BUS_HZ * NS_PER_SEC +
	       clocks % LAPIC_BUS_HZ * NS_PER_SEC / LAPIC_BUS_HZ;
}

static uint64_t timer_elapsed_ticks(const struct lapic *l)
{
	uint64_t ns = clock_now_ns(l->m) - l->timer_start_ns;
	uint64_t clocks = ns / NS_PER_SEC * LAPIC_BUS_HZ +
			  ns % NS_PER_SEC * LAPIC_BUS_HZ / NS_PER_SEC;

	return clocks / timer_divisor(l);
}

static bool timer_periodic(const struct lapic *l)
{
	return l->lvt[LVT_TIMER] & LVT_TIMER_PERIODIC;
}

static uint32_t timer_current(const struct lapic *l)
{
	uint64_t e;

	if (l->timer_initial == 0)
		return 0;
	e = timer_elapsed_ticks(l);
	if (timer_periodic(l))
		return l->timer_initial - (uint32_t)(e % l->timer_initial);
	return e >= l->timer_initial ? 0 : l->timer_initial - (uint32_t)e;
}

static void timer_arm_next(struct lapic *l)
{
	uint64_t deadline;

	if (l->timer_initial == 0) {
		timer_cancel(l->m, &l->timer);
		return;
	}
	deadline = l->timer_start_ns + timer_ticks_to_ns(l, l->timer_initial);
	if (deadline <= clock_now_ns(l->m)) {
		/* A one-shot count that already ran out stays at zero. */
		timer_cancel(l->m, &l->timer);
		return;
	}
	timer_arm(l->m, &l->timer, deadline);
}

static void timer_expired(struct machine *m, struct timer *t)
{
	struct lapic *l = t->opaque;
	uint32_t lvt = l->lvt[LVT_TIMER];

	(void)m;
	l->timer_fired++;
	if (!(lvt & LVT_MASKED))
		lapic_deliver(l, APIC_DM_FIXED, (uint8_t)lvt, false);
	if (timer_periodic(l)) {
		uint64_t period = timer_ticks_to_ns(l, l->timer_initial);
		uint64_t now = clock_now_ns(l->m);

		/* The next period counts from this one's end: no drift.  On
		 * host time (KVM) whole periods may have gone by: skip them,
		 * as the hardware counter would have reloaded meanwhile. */
		l->timer_start_ns += period;
		if (period && l->timer_start_ns + period <= now)
			l->timer_start_ns +=
				(now - l->timer_start_ns) / period * period;
		timer_arm_next(l);
	}
}

/* --- LINT pins and the ICR ---------------------------------------------- */

bool lapic_lint0_extint(const struct lapic *l)
{
	uint32_t lvt = l->lvt[LVT_LINT0];

	return lapic_enabled(l) && !(lvt & LVT_MASKED) &&
	       ((lvt >> 8) & 7) == APIC_DM_EXTINT;
}

void lapic_set_lint(struct lapic *l, unsigned pin, bool level)
{
	uint32_t lvt = l->lvt[LVT_LINT0 + pin];
	bool rising = level && !l->lint_level[pin];

	l->lint_level[pin] = level;
	if (!rising || (lvt & LVT_MASKED) || !lapic_enabled(l))
		return;
	switch ((lvt >> 8) & 7) {
	case APIC_DM_FIXED:
		lapic_deliver(l, APIC_DM_FIXED, (uint8_t)lvt, false);
		break;
	case APIC_DM_NMI:
		nmi_raise(l->m);
		break;
	default:
		break; /* ExtINT: the PIC's INTA answers */
	}
}

/* Send the IPI the ICR describes (§10.6.1); only this CPU can get it. */
static void send_ipi(struct lapic *l)
{
	uint32_t lo = l->icr_lo;
	enum apic_delivery mode = (lo >> 8) & 7;
	uint8_t vector = (uint8_t)lo;
	bool to_self;

	switch ((lo >> 18) & 3) {
	case 0:
		to_self = lapic_matches(l, (uint8_t)(l->icr_hi >> 24),
					lo & ICR_DEST_LOGICAL);
		break;
	case 1: /* self */
	case 2: /* all including self */
		to_self = true;
		break;
	default: /* all excluding self */
		to_self = false;
		break;
	}
	if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) && vector < 16) {
		signal_error(l, ESR_SEND_ILLEGAL_VECTOR);
		return;
	}
	/* INIT level de-assert only synchronizes arbitration IDs. */
	if (mode == APIC_DM_INIT && !(lo & ICR_LEVEL_ASSERT) &&
	    (lo & ICR_LEVEL_TRIGGER))
		return;
	if (to_self)
		lapic_deliver(l, mode, vector, false);
}

/* --- registers ---------------------------------------------------------- */

static void eoi(struct lapic *l)
{
	int v = highest_bit256(l->isr);

	if (v < 0)
		return;
	set_bit256(l->isr, (unsigned)v, false);
	if (test_bit256(l->tmr, (unsigned)v) && l->eoi_level)
		l->eoi_level(l->eoi_opaque, (uint8_t)v);
}

uint32_t lapic_reg_read(struct lapic *l, unsigned offset)
{
	if (offset >= REG_ISR && offset < REG_ISR + 0x80)
		return l->isr[(offset - REG_ISR) >> 4];
	if (offset >= REG_TMR && offset < REG_TMR + 0x80)
		return l->tmr[(offset - REG_TMR) >> 4];
	if (offset >= REG_IRR && offset < REG_IRR + 0x80)
		return l->irr[(offset - REG_IRR) >> 4];
	if (offset >= REG_LVT && offset < REG_LVT + 0x10 * LVT_COUNT)
		return l->lvt[(offset - REG_LVT) >> 4];
	switch (offset) {
	case REG_ID:
		return l->id;
	case REG_VERSION:
		return LAPIC_VERSION;
	case REG_TPR:
		return l->tpr;
	case REG_APR:
		return 0;
	case REG_PPR:
		return processor_priority(l);
	case REG_EOI:
	case REG_RRD:
		return 0;
	case REG_LDR:
		return l->ldr;
	case REG_DFR:
		return l->dfr;
	case REG_SVR:
		return l->svr;
	case REG_ESR:
		return l->esr;
	case REG_ICR_LO:
		return l->icr_lo; /* delivery status: always idle */
	case REG_ICR_HI:
		return l->icr_hi;
	case REG_TIMER_INITIAL:
		return l->timer_initial;
	case REG_TIMER_CURRENT:
		return timer_current(l);
	case REG_TIMER_DIVIDE:
		return l->timer_divide;
	default:
		signal_error(l, ESR_ILLEGAL_REGISTER);
		return 0;
	}
}

static void write_lvt(struct lapic *l, unsigned entry, uint32_t value)
{
	bool was_periodic = timer_periodic(l);

	value &= lvt_writable[entry];
	/* While software-disabled every entry stays masked (§10.4.7.2). */
	if (!(l->svr & SVR_ENABLE))
		value |= LVT_MASKED;
	l->lvt[entry] = value;
	if (entry == LVT_TIMER && was_periodic != timer_periodic(l))
		timer_arm_next(l);
}

void lapic_reg_write(struct lapic *l, unsigned offset, uint32_t value)
{
	if (offset >= REG_LVT && offset < REG_LVT + 0x10 * LVT_COUNT) {
		write_lvt(l, (offset - REG_LVT) >> 4, value);
		return;
	}
	switch (offset) {
	case REG_ID:
		l->id = value & 0xff000000u;
		break;
	case REG_TPR:
		l->tpr = value & 0xff;
		break;
	case REG_EOI:
		eoi(l);
		break;
	case REG_LDR:
		l->ldr = value & 0xff000000u;
		break;
	case REG_DFR:
		l->dfr = value | 0x0fffffffu;
		break;
	case REG_SVR:
		l->svr = value & 0x3ff; /* no EOI-broadcast suppression */
		if (!(l->svr & SVR_ENABLE))
			for (unsigned i = 0; i < LVT_COUNT; i++)
				l->lvt[i] |= LVT_MASKED;
		break;
	case REG_ESR:
		/* A write loads the errors seen since the last write (§10.5.3). */
		l->esr = l->esr_pending;
		l->esr_pending = 0;
		break;
	case REG_ICR_LO:
		l->icr_lo = value & 0x000ccfffu;
		send_ipi(l);
		break;
	case REG_ICR_HI:
		l->icr_hi = value & 0xff000000u;
		break;
	case REG_TIMER_INITIAL:
		/* A new count restarts the timer (§10.5.4). */
		l->timer_initial = value;
		l->timer_start_ns = clock_now_ns(l->m);
		timer_arm_next(l);
		break;
	case REG_TIMER_DIVIDE:
		l->timer_divide = value & 0xb;
		break;
	case REG_VERSION:
	case REG_APR:
	case REG_PPR:
	case REG_RRD:
	case REG_TIMER_CURRENT:
		break; /* read-only */
	default:
		if ((offset >= REG_ISR && offset < REG_IRR + 0x80))
			break; /* read-only */
		signal_error(l, ESR_ILLEGAL_REGISTER);
		break;
	}
}

/*
 * Registers are 32 bits on 16-byte boundaries (§10.4.1); narrower reads
 * see the bytes of the register, other writes are dropped.
 */
static uint64_t lapic_mmio_read(void *dev, uint64_t offset, unsigned size)
{
	struct lapic *l = dev;
	unsigned within = offset & 0xf;
	uint64_t v;

	if (within >= 4)
		return 0;
	v = lapic_reg_read(l, (unsigned)(offset & ~0xfull)) >> (8 * within);
	return size >= 4 ? v : v & ((1ull << (8 * size)) - 1);
}

static void lapic_mmio_write(void *dev, uint64_t offset, unsigned size,
			     uint64_t value)
{
	struct lapic *l = dev;

	if ((offset & 0xf) || size < 4)
		return;
	lapic_reg_write(l, (unsigned)offset, (uint32_t)value);
}

void lapic_set_base_msr(struct lapic *l, uint64_t value)
{
	bool was_enabled = l->base_msr & APIC_BASE_ENABLE;

	l->base_msr = value;
	/* Disabling globally resets the APIC to its power-up state (§10.4.3). */
	if (was_enabled && !(value & APIC_BASE_ENABLE)) {
		lapic_reset(l);
		l->base_msr = value;
	}
}

/* The power-up state (§10.4.7.1). */
void lapic_reset(struct lapic *l)
{
	l->base_msr = LAPIC_BASE | APIC_BASE_BSP | APIC_BASE_ENABLE;
	l->id = 0;
	l->tpr = 0;
	l->ldr = 0;
	l->dfr = 0xffffffffu;
	l->svr = 0xff;
	l->esr = 0;
	l->esr_pending = 0;
	l->icr_lo = 0;
	l->icr_hi = 0;
	for (unsigned i = 0; i < LVT_COUNT; i++)
		l->lvt[i] = LVT_MASKED;
	for (unsigned i = 0; i < 8; i++)
		l->irr[i] = l->isr[i] = l->tmr[i] = 0;
	l->timer_initial = 0;
	l->timer_divide = 0;
	timer_cancel(l->m, &l->timer);
}

static void lapic_system_reset(void *dev)
{
	lapic_reset(dev);
}

struct lapic *lapic_create(struct machine *m)
{
	struct lapic *l = calloc(1, sizeof(*l));

	if (!l) {
		fprintf(stderr, "popek: out of memory for the local APIC\n");
		return NULL;
	}
	l->m = m;
	timer_init(&l->timer, timer_expired, l);
	lapic_reset(l);
	if (mmio_register(m, LAPIC_BASE, LAPIC_SIZE, l, lapic_mmio_read,
			  lapic_mmio_write, "lapic") != 0 ||
	    machine_add_reset(m, lapic_system_reset, l) != 0) {
		free(l);
		return NULL;
	}
	return l;
}

void lapic_destroy(struct lapic *l)
{
	if (!l)
		return;
	timer_cancel(l->m, &l->timer);
	machine_remove_reset(l->m, l);
	free(l);
}
