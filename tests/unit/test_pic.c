// SPDX-License-Identifier: MIT
/*
 * The 8259A pair through ports 0x20/0x21, 0xA0/0xA1 and the ELCR, with
 * interrupts taken as the CPU takes them (irq_intr_pending and
 * irq_intr_acknowledge through the chipset's router).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chipset/pic.h"
#include "chipset_harness.h"

#define MASTER_BASE 0x20
#define SLAVE_BASE 0x28

static void init_pics(struct machine *m, uint8_t icw4)
{
	io_write(m, 0x20, 1, 0x11); /* ICW1: edge, cascade, ICW4 */
	io_write(m, 0x21, 1, MASTER_BASE);
	io_write(m, 0x21, 1, 0x04); /* slave on IR2 */
	io_write(m, 0x21, 1, icw4);
	io_write(m, 0xa0, 1, 0x11);
	io_write(m, 0xa1, 1, SLAVE_BASE);
	io_write(m, 0xa1, 1, 0x02); /* slave ID 2 */
	io_write(m, 0xa1, 1, icw4);
	io_write(m, 0x21, 1, 0x00);
	io_write(m, 0xa1, 1, 0x00);
}

static int setup(void **state)
{
	struct machine *m = chipset_machine_new(1, NULL);

	assert_non_null(m);
	init_pics(m, 0x01);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	chipset_machine_free(*state);
	return 0;
}

static uint8_t read_isr(struct machine *m, uint16_t port)
{
	io_write(m, port, 1, 0x0b); /* OCW3: read ISR */
	return (uint8_t)io_read(m, port, 1);
}

static uint8_t read_irr(struct machine *m, uint16_t port)
{
	io_write(m, port, 1, 0x0a); /* OCW3: read IRR */
	return (uint8_t)io_read(m, port, 1);
}

static void test_power_on_masks_everything(void **state)
{
	struct machine *m = chipset_machine_new(1, NULL);

	(void)state;
	assert_non_null(m);
	assert_int_equal(io_read(m, 0x21, 1), 0xff);
	assert_int_equal(io_read(m, 0xa1, 1), 0xff);
	irq_set(m, 1, true);
	assert_false(irq_intr_pending(m));
	chipset_machine_free(m);
}

static void test_imr_read_write(void **state)
{
	struct machine *m = *state;

	io_write(m, 0x21, 1, 0xa5);
	assert_int_equal(io_read(m, 0x21, 1), 0xa5);
	io_write(m, 0xa1, 1, 0x3c);
	assert_int_equal(io_read(m, 0xa1, 1), 0x3c);
}

static void test_edge_interrupt_and_eoi(void **state)
{
	struct machine *m = *state;

	assert_false(irq_intr_pending(m));
	irq_pulse(m, 1);
	assert_true(irq_intr_pending(m));
	assert_int_equal(read_irr(m, 0x20), 0x02);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 1);
	assert_int_equal(read_isr(m, 0x20), 0x02);
	assert_int_equal(read_irr(m, 0x20), 0x00);
	assert_false(irq_intr_pending(m));
	io_write(m, 0x20, 1, 0x20); /* non-specific EOI */
	assert_int_equal(read_isr(m, 0x20), 0x00);
}

static void test_priority_and_nesting(void **state)
{
	struct machine *m = *state;

	irq_pulse(m, 5);
	irq_pulse(m, 3);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 3);
	/* IRQ5 has lower priority than IRQ3 in service. */
	assert_false(irq_intr_pending(m));
	irq_pulse(m, 1);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 1);
	assert_int_equal(read_isr(m, 0x20), 0x0a);
	io_write(m, 0x20, 1, 0x20); /* clears IRQ1, the highest */
	assert_int_equal(read_isr(m, 0x20), 0x08);
	assert_false(irq_intr_pending(m));
	io_write(m, 0x20, 1, 0x63); /* specific EOI for IRQ3 */
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 5);
}

static void test_masked_request_waits(void **state)
{
	struct machine *m = *state;

	io_write(m, 0x21, 1, 0x10);
	irq_pulse(m, 4);
	assert_false(irq_intr_pending(m));
	assert_int_equal(read_irr(m, 0x20), 0x10);
	io_write(m, 0x21, 1, 0x00);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 4);
}

static void test_cascade(void **state)
{
	struct machine *m = *state;

	irq_pulse(m, 10);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), SLAVE_BASE + 2);
	assert_int_equal(read_isr(m, 0x20), 0x04);
	assert_int_equal(read_isr(m, 0xa0), 0x04);
	/* A second slave request waits for both EOIs. */
	irq_pulse(m, 9);
	assert_false(irq_intr_pending(m));
	io_write(m, 0xa0, 1, 0x20);
	assert_false(irq_intr_pending(m));
	io_write(m, 0x20, 1, 0x20);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), SLAVE_BASE + 1);
}

static void test_elcr_level_and_reserved_bits(void **state)
{
	struct machine *m = *state;

	io_write(m, 0x4d0, 1, 0xff);
	io_write(m, 0x4d1, 1, 0xff);
	assert_int_equal(io_read(m, 0x4d0, 1), 0xf8);
	assert_int_equal(io_read(m, 0x4d1, 1), 0xde);
	io_write(m, 0x4d0, 2, 0x0c20); /* IRQ5, IRQ10 and IRQ11 level */
	assert_int_equal(io_read(m, 0x4d0, 2), 0x0c20);
	/* A level request follows its input. */
	irq_set(m, 5, true);
	assert_int_equal(read_irr(m, 0x20), 0x20);
	irq_set(m, 5, false);
	assert_int_equal(read_irr(m, 0x20), 0x00);
	/* Still high after EOI: it interrupts again. */
	irq_set(m, 5, true);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 5);
	io_write(m, 0x20, 1, 0x20);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 5);
	io_write(m, 0x20, 1, 0x20);
	irq_set(m, 5, false);
	assert_false(irq_intr_pending(m));
}

static void test_edge_pulse_is_latched(void **state)
{
	struct machine *m = *state;

	irq_set(m, 6, true);
	irq_set(m, 6, false);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 6);
	/* Held high, an edge input interrupts once. */
	io_write(m, 0x20, 1, 0x20);
	irq_set(m, 6, true);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 6);
	io_write(m, 0x20, 1, 0x20);
	assert_false(irq_intr_pending(m));
}

static void test_spurious_irq7_and_irq15(void **state)
{
	struct machine *m = *state;
	struct pic *p = m->chipset->pic;

	io_write(m, 0x4d0, 2, 0x0420); /* IRQ5 and IRQ10 level */
	irq_set(m, 5, true);
	assert_true(irq_intr_pending(m));
	irq_set(m, 5, false); /* gone before INTA */
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 7);
	assert_int_equal(read_isr(m, 0x20), 0x00);
	assert_int_equal(p->spurious, 1);

	irq_set(m, 10, true);
	assert_true(irq_intr_pending(m));
	irq_set(m, 10, false);
	/* The master saw the slave's edge; the slave has nothing. */
	assert_int_equal(irq_intr_acknowledge(m), SLAVE_BASE + 7);
	assert_int_equal(read_isr(m, 0xa0), 0x00);
	assert_int_equal(read_isr(m, 0x20), 0x04);
	assert_int_equal(p->spurious, 2);
}

static void test_rotation(void **state)
{
	struct machine *m = *state;

	io_write(m, 0x20, 1, 0xc3); /* set priority: IRQ3 lowest */
	irq_pulse(m, 1);
	irq_pulse(m, 4);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 4);
	/* Rotate on non-specific EOI: IRQ4 becomes the lowest. */
	io_write(m, 0x20, 1, 0xa0);
	irq_pulse(m, 4);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 1);
	io_write(m, 0x20, 1, 0xe1); /* rotate on specific EOI 1 */
	assert_int_equal(read_isr(m, 0x20), 0x00);
	irq_pulse(m, 1);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 4);
}

static void test_auto_eoi(void **state)
{
	struct machine *m = *state;

	init_pics(m, 0x03); /* 8086 mode, AEOI */
	irq_pulse(m, 3);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 3);
	assert_int_equal(read_isr(m, 0x20), 0x00);
	irq_pulse(m, 4);
	assert_true(irq_intr_pending(m));
	/* Rotate in AEOI mode: the level taken becomes the lowest. */
	io_write(m, 0x20, 1, 0x80);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 4);
	irq_pulse(m, 3);
	irq_pulse(m, 5);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 5);
}

static void test_special_mask_mode(void **state)
{
	struct machine *m = *state;

	irq_pulse(m, 1);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 1);
	irq_pulse(m, 3);
	assert_false(irq_intr_pending(m));
	io_write(m, 0x21, 1, 0x02); /* mask IRQ1, in service */
	io_write(m, 0x20, 1, 0x68); /* OCW3: set special mask mode */
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 3);
	io_write(m, 0x20, 1, 0x48); /* reset special mask mode */
	io_write(m, 0x20, 1, 0x63);
	io_write(m, 0x20, 1, 0x61);
	assert_int_equal(read_isr(m, 0x20), 0x00);
}

static void test_poll_command(void **state)
{
	struct machine *m = *state;

	io_write(m, 0x20, 1, 0x0c); /* OCW3: poll */
	assert_int_equal(io_read(m, 0x20, 1), 0x00);
	irq_pulse(m, 6);
	io_write(m, 0x20, 1, 0x0c);
	assert_int_equal(io_read(m, 0x20, 1), 0x86);
	/* The poll acted as INTA. */
	assert_int_equal(read_isr(m, 0x20), 0x40);
	assert_false(irq_intr_pending(m));
}

static void test_icw1_resets_state(void **state)
{
	struct machine *m = *state;

	irq_pulse(m, 3);
	assert_int_equal(irq_intr_acknowledge(m), MASTER_BASE + 3);
	irq_pulse(m, 4);
	io_write(m, 0x21, 1, 0x55);
	io_write(m, 0x20, 1, 0x11);
	assert_int_equal(io_read(m, 0x21, 1), 0x00);
	io_write(m, 0x21, 1, 0x40); /* new vector base */
	io_write(m, 0x21, 1, 0x04);
	io_write(m, 0x21, 1, 0x01);
	assert_int_equal(read_isr(m, 0x20), 0x00);
	assert_int_equal(read_irr(m, 0x20), 0x00);
	irq_pulse(m, 7);
	assert_int_equal(irq_intr_acknowledge(m), 0x47);
}

static void test_single_mode_without_icw3(void **state)
{
	struct machine *m = *state;

	io_write(m, 0x20, 1, 0x13); /* single, ICW4 */
	io_write(m, 0x21, 1, 0x50);
	io_write(m, 0x21, 1, 0x01); /* this is ICW4 */
	io_write(m, 0x21, 1, 0xfe); /* OCW1 */
	assert_int_equal(io_read(m, 0x21, 1), 0xfe);
	irq_pulse(m, 0);
	assert_int_equal(irq_intr_acknowledge(m), 0x50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on_masks_everything),
		cmocka_unit_test_setup_teardown(test_imr_read_write, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_edge_interrupt_and_eoi,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_and_nesting,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_masked_request_waits,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cascade, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_elcr_level_and_reserved_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge_pulse_is_latched,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_spurious_irq7_and_irq15,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_mask_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_poll_command, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_icw1_resets_state, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_single_mode_without_icw3,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
