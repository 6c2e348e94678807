// SPDX-License-Identifier: MIT
/*
 * The local APIC and the I/O APIC through their MMIO windows, with
 * interrupts taken as the CPU takes them: registers and reset values,
 * self-IPIs, TPR/PPR, EOI, the error status register, the timer in
 * one-shot and periodic modes, LINT0 as ExtINT (virtual wire), and the
 * I/O APIC's redirection table with edge and level inputs and Remote IRR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chipset/apic.h"
#include "chipset_harness.h"

#define US 1000ull

static int setup(void **state)
{
	struct machine *m = chipset_machine_new(16, NULL);

	assert_non_null(m);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	chipset_machine_free(*state);
	return 0;
}

static uint32_t lapic_rd(struct machine *m, unsigned reg)
{
	return (uint32_t)phys_read_u(m, LAPIC_BASE + reg, 4);
}

static void lapic_wr(struct machine *m, unsigned reg, uint32_t v)
{
	phys_write_u(m, LAPIC_BASE + reg, 4, v);
}

static uint32_t ioapic_rd(struct machine *m, unsigned index)
{
	phys_write_u(m, IOAPIC_BASE, 4, index);
	return (uint32_t)phys_read_u(m, IOAPIC_BASE + 0x10, 4);
}

static void ioapic_wr(struct machine *m, unsigned index, uint32_t v)
{
	phys_write_u(m, IOAPIC_BASE, 4, index);
	phys_write_u(m, IOAPIC_BASE + 0x10, 4, v);
}

static bool irr_bit(struct machine *m, unsigned v)
{
	return lapic_rd(m, 0x200 + (v / 32) * 0x10) & (1u << (v % 32));
}

static bool isr_bit(struct machine *m, unsigned v)
{
	return lapic_rd(m, 0x100 + (v / 32) * 0x10) & (1u << (v % 32));
}

static void self_ipi(struct machine *m, uint8_t vector)
{
	lapic_wr(m, 0x300, 0x40000u | vector); /* shorthand: self */
}

static void enable_apic(struct machine *m)
{
	lapic_wr(m, 0xf0, 0x1ff); /* software enable, spurious 0xFF */
}

static void test_reset_values(void **state)
{
	struct machine *m = *state;

	assert_int_equal(lapic_rd(m, 0x20), 0);
	assert_int_equal(lapic_rd(m, 0x30), 0x00050014);
	assert_int_equal(lapic_rd(m, 0xe0), 0xffffffff);
	assert_int_equal(lapic_rd(m, 0xf0), 0xff);
	for (unsigned r = 0x320; r <= 0x370; r += 0x10)
		assert_int_equal(lapic_rd(m, r), 0x10000);
	assert_false(lapic_enabled(m->chipset->lapic));
	assert_int_equal(ioapic_rd(m, 1), 0x00170011);
	for (unsigned pin = 0; pin < 24; pin++)
		assert_int_equal(ioapic_rd(m, 0x10 + 2 * pin), 0x10000);
	/* Byte reads see the register's bytes. */
	assert_int_equal(phys_read_u(m, LAPIC_BASE + 0x30, 1), 0x14);
	assert_int_equal(phys_read_u(m, LAPIC_BASE + 0x32, 1), 0x05);
}

static void test_register_masks(void **state)
{
	struct machine *m = *state;

	lapic_wr(m, 0x20, 0xffffffff);
	assert_int_equal(lapic_rd(m, 0x20), 0xff000000);
	lapic_wr(m, 0x20, 0);
	lapic_wr(m, 0xe0, 0x0);
	assert_int_equal(lapic_rd(m, 0xe0), 0x0fffffff);
	lapic_wr(m, 0xd0, 0x12345678);
	assert_int_equal(lapic_rd(m, 0xd0), 0x12000000);
	/* Software-disabled: LVT masks cannot be cleared. */
	lapic_wr(m, 0x350, 0x700);
	assert_int_equal(lapic_rd(m, 0x350), 0x10700);
	enable_apic(m);
	lapic_wr(m, 0x350, 0xffffffff);
	assert_int_equal(lapic_rd(m, 0x350), 0x1a7ff);
	lapic_wr(m, 0x320, 0xffffffff);
	assert_int_equal(lapic_rd(m, 0x320), 0x300ff & ~0x40000u);
	/* Disabling masks every entry again. */
	lapic_wr(m, 0xf0, 0xff);
	assert_int_equal(lapic_rd(m, 0x350) & 0x10000, 0x10000);
	lapic_wr(m, 0x3e0, 0xff);
	assert_int_equal(lapic_rd(m, 0x3e0), 0x0b);
}

static void test_self_ipi_ack_and_eoi(void **state)
{
	struct machine *m = *state;

	/* Software-disabled: fixed interrupts are not accepted. */
	self_ipi(m, 0x50);
	assert_false(irr_bit(m, 0x50));
	enable_apic(m);
	self_ipi(m, 0x50);
	assert_true(irr_bit(m, 0x50));
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), 0x50);
	assert_false(irr_bit(m, 0x50));
	assert_true(isr_bit(m, 0x50));
	assert_int_equal(lapic_rd(m, 0xa0), 0x50); /* PPR */
	lapic_wr(m, 0xb0, 0);
	assert_false(isr_bit(m, 0x50));
	assert_false(irq_intr_pending(m));
	/* Nothing left: the spurious vector. */
	assert_int_equal(irq_intr_acknowledge(m), 0xff);
}

static void test_priorities(void **state)
{
	struct machine *m = *state;

	enable_apic(m);
	lapic_wr(m, 0x80, 0x60);
	self_ipi(m, 0x55);
	assert_false(irq_intr_pending(m));
	assert_int_equal(lapic_rd(m, 0xa0), 0x60);
	lapic_wr(m, 0x80, 0x50); /* same class: still blocked */
	assert_false(irq_intr_pending(m));
	lapic_wr(m, 0x80, 0x4f);
	assert_true(irq_intr_pending(m));
	lapic_wr(m, 0x80, 0);
	assert_int_equal(irq_intr_acknowledge(m), 0x55);
	/* In service 0x55: 0x52 waits, 0x61 preempts. */
	self_ipi(m, 0x52);
	assert_false(irq_intr_pending(m));
	self_ipi(m, 0x61);
	assert_int_equal(irq_intr_acknowledge(m), 0x61);
	lapic_wr(m, 0xb0, 0); /* EOI 0x61 */
	assert_false(irq_intr_pending(m));
	lapic_wr(m, 0xb0, 0); /* EOI 0x55 */
	assert_int_equal(irq_intr_acknowledge(m), 0x52);
}

static void test_error_status(void **state)
{
	struct machine *m = *state;

	enable_apic(m);
	lapic_wr(m, 0x370, 0xe0); /* error vector 0xE0 */
	self_ipi(m, 0x05);
	assert_int_equal(lapic_rd(m, 0x280), 0); /* not loaded yet */
	lapic_wr(m, 0x280, 0);
	assert_int_equal(lapic_rd(m, 0x280), 0x20); /* send illegal vector */
	assert_true(irr_bit(m, 0xe0));
	lapic_wr(m, 0x280, 0);
	assert_int_equal(lapic_rd(m, 0x280), 0);
}

static void test_ipi_destinations_and_nmi(void **state)
{
	struct machine *m = *state;

	enable_apic(m);
	/* Physical destination 0 is this CPU; 1 is nobody. */
	lapic_wr(m, 0x310, 0x01000000);
	lapic_wr(m, 0x300, 0x41);
	assert_false(irr_bit(m, 0x41));
	lapic_wr(m, 0x310, 0x00000000);
	lapic_wr(m, 0x300, 0x41);
	assert_true(irr_bit(m, 0x41));
	/* Logical, flat model: LDR bit 2. */
	lapic_wr(m, 0xd0, 0x04000000);
	lapic_wr(m, 0x310, 0x02000000);
	lapic_wr(m, 0x300, 0x800 | 0x42);
	assert_false(irr_bit(m, 0x42));
	lapic_wr(m, 0x310, 0x06000000);
	lapic_wr(m, 0x300, 0x800 | 0x42);
	assert_true(irr_bit(m, 0x42));
	/* All excluding self reaches nobody here. */
	lapic_wr(m, 0x300, 0xc0000 | 0x43);
	assert_false(irr_bit(m, 0x43));
	/* NMI to self. */
	assert_false(m->irq.nmi);
	lapic_wr(m, 0x300, 0x40000 | 0x400);
	assert_true(m->irq.nmi);
}

static void test_timer_one_shot(void **state)
{
	struct machine *m = *state;

	enable_apic(m);
	lapic_wr(m, 0x3e0, 0x0b); /* divide by 1: 10 ns per count */
	lapic_wr(m, 0x320, 0x40);
	lapic_wr(m, 0x380, 1000);
	advance_ns(m, 5 * US);
	assert_int_equal(lapic_rd(m, 0x390), 500);
	assert_false(irr_bit(m, 0x40));
	advance_ns(m, 5 * US);
	assert_true(irr_bit(m, 0x40));
	assert_int_equal(lapic_rd(m, 0x390), 0);
	assert_int_equal(clock_next_deadline(m), UINT64_MAX);
	/* Divide by 2 (code 0): twice as long. */
	lapic_wr(m, 0x3e0, 0x00);
	lapic_wr(m, 0x380, 1000);
	advance_ns(m, 10 * US);
	assert_int_equal(lapic_rd(m, 0x390), 500);
	/* A masked timer counts but does not interrupt. */
	lapic_wr(m, 0xb0, 0);
	assert_int_equal(irq_intr_acknowledge(m), 0x40);
	lapic_wr(m, 0xb0, 0);
	lapic_wr(m, 0x320, 0x10040);
	advance_ns(m, 20 * US);
	assert_int_equal(lapic_rd(m, 0x390), 0);
	assert_false(irr_bit(m, 0x40));
}

static void test_timer_periodic(void **state)
{
	struct machine *m = *state;
	struct lapic *l = m->chipset->lapic;

	enable_apic(m);
	lapic_wr(m, 0x3e0, 0x03); /* divide by 16: 160 ns per count */
	lapic_wr(m, 0x320, 0x20000 | 0x41);
	lapic_wr(m, 0x380, 625); /* 100 us */
	advance_ns(m, 1000 * US + 1);
	assert_int_equal(l->timer_fired, 10);
	assert_true(irr_bit(m, 0x41));
	advance_ns(m, 50 * US);
	assert_int_equal(lapic_rd(m, 0x390), 625 - 312);
	/* Writing 0 stops it. */
	lapic_wr(m, 0x380, 0);
	advance_ns(m, 1000 * US);
	assert_int_equal(l->timer_fired, 10);
}

static void init_pic_master(struct machine *m)
{
	io_write(m, 0x20, 1, 0x11);
	io_write(m, 0x21, 1, 0x08);
	io_write(m, 0x21, 1, 0x04);
	io_write(m, 0x21, 1, 0x01);
	io_write(m, 0x21, 1, 0xf8); /* IRQ0-2 unmasked */
}

static void test_virtual_wire_through_lint0(void **state)
{
	struct machine *m = *state;

	init_pic_master(m);
	irq_pulse(m, 1);
	/* APIC software-disabled: the PIC reaches the CPU directly. */
	assert_true(irq_intr_pending(m));
	enable_apic(m);
	/* Enabled with LINT0 masked: the PIC is cut off. */
	assert_false(irq_intr_pending(m));
	lapic_wr(m, 0x350, 0x700); /* LINT0: ExtINT */
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), 0x09);
	io_write(m, 0x20, 1, 0x20);
	/* LINT0 as a fixed interrupt: the PIC's INTR edge is vector 0x70. */
	lapic_wr(m, 0x350, 0x70);
	irq_pulse(m, 1);
	assert_true(irr_bit(m, 0x70));
	assert_int_equal(irq_intr_acknowledge(m), 0x70);
	/* LINT1 as NMI. */
	lapic_wr(m, 0x360, 0x400);
	lapic_set_lint(m->chipset->lapic, 1, true);
	assert_true(m->irq.nmi);
}

static void test_ioapic_edge_routing(void **state)
{
	struct machine *m = *state;

	enable_apic(m);
	ioapic_wr(m, 0, 0x0f000000);
	assert_int_equal(ioapic_rd(m, 0), 0x0f000000);
	assert_int_equal(ioapic_rd(m, 2), 0x0f000000);
	/* Pin 1 (ISA IRQ1): vector 0x31, edge, physical dest 0. */
	ioapic_wr(m, 0x12, 0x31);
	ioapic_wr(m, 0x13, 0x00000000);
	assert_int_equal(ioapic_rd(m, 0x12), 0x31);
	irq_pulse(m, 1);
	assert_true(irr_bit(m, 0x31));
	assert_int_equal(irq_intr_acknowledge(m), 0x31);
	lapic_wr(m, 0xb0, 0);
	/* ISA IRQ0 arrives on pin 2. */
	ioapic_wr(m, 0x14, 0x30);
	irq_pulse(m, 0);
	assert_true(irr_bit(m, 0x30));
	/* Masked: an edge is lost. */
	ioapic_wr(m, 0x12, 0x10031);
	irq_pulse(m, 1);
	ioapic_wr(m, 0x12, 0x31);
	assert_false(irr_bit(m, 0x31));
	/* A destination that is not this CPU: nothing. */
	ioapic_wr(m, 0x13, 0x05000000);
	irq_pulse(m, 1);
	assert_false(irr_bit(m, 0x31));
	/* Read-only bits stay: delivery status, Remote IRR. */
	ioapic_wr(m, 0x12, 0xffffffff);
	assert_int_equal(ioapic_rd(m, 0x12), 0x1afff);
	assert_int_equal(ioapic_rd(m, 0x13), 0x05000000);
}

static void test_ioapic_level_remote_irr(void **state)
{
	struct machine *m = *state;

	enable_apic(m);
	ioapic_wr(m, 0x10 + 2 * 10, 0x8000 | 0x3a); /* level, active high */
	irq_set(m, 10, true);
	assert_true(ioapic_rd(m, 0x10 + 2 * 10) & 0x4000);
	assert_int_equal(irq_intr_acknowledge(m), 0x3a);
	assert_true(lapic_rd(m, 0x180 + 0x10) & (1u << (0x3a - 32)));
	/* EOI with the line still high: delivered again. */
	lapic_wr(m, 0xb0, 0);
	assert_true(irr_bit(m, 0x3a));
	assert_true(ioapic_rd(m, 0x10 + 2 * 10) & 0x4000);
	assert_int_equal(irq_intr_acknowledge(m), 0x3a);
	irq_set(m, 10, false);
	lapic_wr(m, 0xb0, 0);
	assert_false(irr_bit(m, 0x3a));
	assert_false(ioapic_rd(m, 0x10 + 2 * 10) & 0x4000);
	/* Unmasking an asserted level input delivers it. */
	ioapic_wr(m, 0x10 + 2 * 10, 0x18000 | 0x3a);
	irq_set(m, 10, true);
	assert_false(irr_bit(m, 0x3a));
	ioapic_wr(m, 0x10 + 2 * 10, 0x8000 | 0x3a);
	assert_true(irr_bit(m, 0x3a));
}

static void test_ioapic_pci_pin_active_low(void **state)
{
	struct machine *m = *state;

	enable_apic(m);
	/* PIRQA# on pin 16: level, active low. */
	ioapic_wr(m, 0x10 + 2 * 16, 0xa000 | 0x90);
	assert_false(irr_bit(m, 0x90));
	irq_set(m, 16, true);
	assert_true(irr_bit(m, 0x90));
	assert_int_equal(irq_intr_acknowledge(m), 0x90);
	irq_set(m, 16, false);
	lapic_wr(m, 0xb0, 0);
	assert_false(irr_bit(m, 0x90));
}

static void test_ioapic_extint_and_nmi(void **state)
{
	struct machine *m = *state;

	init_pic_master(m);
	enable_apic(m);
	/* Virtual wire through the I/O APIC: pin 0 ExtINT. */
	ioapic_wr(m, 0x10, 0x700);
	irq_pulse(m, 1);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), 0x09);
	/* An NMI entry. */
	ioapic_wr(m, 0x10 + 2 * 5, 0x400);
	irq_pulse(m, 5);
	assert_true(m->irq.nmi);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_reset_values),
		T(test_register_masks),
		T(test_self_ipi_ack_and_eoi),
		T(test_priorities),
		T(test_error_status),
		T(test_ipi_destinations_and_nmi),
		T(test_timer_one_shot),
		T(test_timer_periodic),
		T(test_virtual_wire_through_lint0),
		T(test_ioapic_edge_routing),
		T(test_ioapic_level_remote_irr),
		T(test_ioapic_pci_pin_active_low),
		T(test_ioapic_extint_and_nmi),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
