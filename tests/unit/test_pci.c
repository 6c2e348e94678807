// SPDX-License-Identifier: MIT
/*
 * PCI through configuration mechanism #1 (ports 0xCF8/0xCFC): the host
 * and ISA bridges' IDs, byte/word/dword accesses, a device registered
 * through chipset/pci.h with BARs sized and placed by the guest, the
 * command register gating the mapping, INTx through the PIIX3's PIRQ
 * routing to the PIC and the I/O APIC, and the reset and A20 ports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chipset/apic.h"
#include "chipset/pci.h"
#include "chipset/pci_bus.h"
#include "chipset_harness.h"

struct test_device {
	struct pci_function fn;
	int map_calls;
	int last_bar;
	uint64_t last_addr;
	uint64_t old_mapped;
};

static struct test_device *dev_of(struct pci_function *f)
{
	return f->opaque;
}

static void record_map(struct pci_function *f, int bar, uint64_t addr)
{
	struct test_device *d = dev_of(f);

	d->map_calls++;
	d->last_bar = bar;
	d->last_addr = addr;
	d->old_mapped = f->bar[bar].mapped;
}

struct fixture {
	struct machine *m;
	struct test_device dev;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = chipset_machine_new(16, NULL);
	assert_non_null(f->m);
	pci_function_init(&f->dev.fn, 0x1234, 0x5678, 0x020000, 0x07);
	f->dev.fn.name = "test-nic";
	f->dev.fn.opaque = &f->dev;
	f->dev.fn.int_pin = 1; /* INTA# */
	pci_function_set_bar(&f->dev.fn, 0, 16, true, record_map);
	pci_function_set_bar(&f->dev.fn, 1, 4096, false, record_map);
	assert_int_equal(pci_register(f->m, &f->dev.fn, 3, 0), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	chipset_machine_free(f->m);
	free(f);
	return 0;
}

static uint32_t cfg_addr(unsigned dev, unsigned fn, unsigned reg)
{
	return 0x80000000u | dev << 11 | fn << 8 | (reg & 0xfc);
}

static uint32_t cfg_read(struct machine *m, unsigned dev, unsigned fn,
			 unsigned reg, unsigned size)
{
	io_write(m, 0xcf8, 4, cfg_addr(dev, fn, reg));
	return io_read(m, (uint16_t)(0xcfc + (reg & 3)), size);
}

static void cfg_write(struct machine *m, unsigned dev, unsigned fn,
		      unsigned reg, unsigned size, uint32_t v)
{
	io_write(m, 0xcf8, 4, cfg_addr(dev, fn, reg));
	io_write(m, (uint16_t)(0xcfc + (reg & 3)), size, v);
}

static void test_config_address_register(void **state)
{
	struct fixture *f = *state;

	io_write(f->m, 0xcf8, 4, 0x8000f87f);
	/* Bits 0-1 and 24-30 are reserved: read as 0. */
	assert_int_equal(io_read(f->m, 0xcf8, 4), 0x8000f87c);
	/* Without the enable bit, data reads are all ones. */
	io_write(f->m, 0xcf8, 4, 0x00000000);
	assert_int_equal(io_read(f->m, 0xcfc, 4), 0xffffffff);
}

static void test_bridges(void **state)
{
	struct machine *m = ((struct fixture *)*state)->m;

	assert_int_equal(cfg_read(m, 0, 0, 0x00, 4), 0x12378086);
	assert_int_equal(cfg_read(m, 0, 0, 0x08, 4) >> 8, 0x060000);
	assert_int_equal(cfg_read(m, 1, 0, 0x00, 4), 0x70008086);
	assert_int_equal(cfg_read(m, 1, 0, 0x0a, 2), 0x0601);
	assert_int_equal(cfg_read(m, 1, 0, 0x0e, 1), 0x80);
	/* Nothing at 00:05.0 or on bus 1. */
	assert_int_equal(cfg_read(m, 5, 0, 0x00, 4), 0xffffffff);
	io_write(m, 0xcf8, 4, 0x80010000);
	assert_int_equal(io_read(m, 0xcfc, 4), 0xffffffff);
	/* PIRQ routes start disabled. */
	assert_int_equal(cfg_read(m, 1, 0, 0x60, 4), 0x80808080);
}

static void test_byte_and_word_access(void **state)
{
	struct machine *m = ((struct fixture *)*state)->m;

	assert_int_equal(cfg_read(m, 3, 0, 0x00, 2), 0x1234);
	assert_int_equal(cfg_read(m, 3, 0, 0x02, 2), 0x5678);
	assert_int_equal(cfg_read(m, 3, 0, 0x03, 1), 0x56);
	assert_int_equal(cfg_read(m, 3, 0, 0x08, 1), 0x07);
	assert_int_equal(cfg_read(m, 3, 0, 0x3d, 1), 0x01);
	/* Interrupt line: writable; pin and IDs: not. */
	cfg_write(m, 3, 0, 0x3c, 2, 0xff0b);
	assert_int_equal(cfg_read(m, 3, 0, 0x3c, 2), 0x010b);
	cfg_write(m, 3, 0, 0x00, 4, 0);
	assert_int_equal(cfg_read(m, 3, 0, 0x00, 4), 0x56781234);
}

static void test_bar_sizing(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->m;

	assert_int_equal(cfg_read(m, 3, 0, 0x10, 4), 0x00000001);
	cfg_write(m, 3, 0, 0x10, 4, 0xffffffff);
	assert_int_equal(cfg_read(m, 3, 0, 0x10, 4), 0xfffffff1);
	cfg_write(m, 3, 0, 0x14, 4, 0xffffffff);
	assert_int_equal(cfg_read(m, 3, 0, 0x14, 4), 0xfffff000);
	/* Unimplemented BARs read 0 after all ones. */
	cfg_write(m, 3, 0, 0x18, 4, 0xffffffff);
	assert_int_equal(cfg_read(m, 3, 0, 0x18, 4), 0);
	/* Sizing with decoding on still maps nothing. */
	cfg_write(m, 3, 0, 0x04, 2, 0x0003);
	assert_int_equal(f->dev.map_calls, 0);
}

static void test_bar_placement_follows_command(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->m;

	cfg_write(m, 3, 0, 0x10, 4, 0xc000);
	cfg_write(m, 3, 0, 0x14, 4, 0xe0000000);
	assert_int_equal(f->dev.map_calls, 0);
	assert_int_equal(cfg_read(m, 3, 0, 0x10, 4), 0xc001);
	cfg_write(m, 3, 0, 0x04, 2, 0x0001); /* I/O decoding on */
	assert_int_equal(f->dev.map_calls, 1);
	assert_int_equal(f->dev.last_bar, 0);
	assert_int_equal(f->dev.last_addr, 0xc000);
	assert_int_equal(f->dev.fn.bar[0].mapped, 0xc000);
	cfg_write(m, 3, 0, 0x04, 2, 0x0003); /* memory too */
	assert_int_equal(f->dev.map_calls, 2);
	assert_int_equal(f->dev.last_bar, 1);
	assert_int_equal(f->dev.last_addr, 0xe0000000);
	/* Moving: the callback still sees the old base in mapped. */
	cfg_write(m, 3, 0, 0x10, 4, 0xd010);
	assert_int_equal(f->dev.map_calls, 3);
	assert_int_equal(f->dev.last_addr, 0xd010);
	assert_int_equal(f->dev.old_mapped, 0xc000);
	cfg_write(m, 3, 0, 0x04, 2, 0x0002); /* I/O off */
	assert_int_equal(f->dev.map_calls, 4);
	assert_int_equal(f->dev.last_bar, 0);
	assert_true(f->dev.last_addr == PCI_BAR_UNMAPPED);
	/* Byte writes to the BAR work too. */
	cfg_write(m, 3, 0, 0x15, 1, 0x20);
	assert_int_equal(cfg_read(m, 3, 0, 0x14, 4), 0xe0002000);
	assert_int_equal(f->dev.last_addr, 0xe0002000);
}

static void test_status_write_one_to_clear(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->m;

	f->dev.fn.config[0x07] = 0xf9;
	cfg_write(m, 3, 0, 0x06, 2, 0x2000); /* clear bit 13 */
	assert_int_equal(cfg_read(m, 3, 0, 0x06, 2), 0xd900);
}

static void test_intx_through_pirq_to_pic_and_ioapic(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->m;
	struct ioapic *io = m->chipset->ioapic;

	/* 03.0 INTA# lands on PIRQD# (3 + 1 - 1 = 3 mod 4). */
	assert_int_equal(pci_pirq_of(3, 1), 3);
	/* PIC: IRQ11 level, vectors at 0x20/0x28, all unmasked. */
	io_write(m, 0x20, 1, 0x11);
	io_write(m, 0x21, 1, 0x20);
	io_write(m, 0x21, 1, 0x04);
	io_write(m, 0x21, 1, 0x01);
	io_write(m, 0xa0, 1, 0x11);
	io_write(m, 0xa1, 1, 0x28);
	io_write(m, 0xa1, 1, 0x02);
	io_write(m, 0xa1, 1, 0x01);
	io_write(m, 0x21, 1, 0x00);
	io_write(m, 0xa1, 1, 0x00);
	io_write(m, 0x4d1, 1, 0x08);
	/* The I/O APIC pin idles high: PCI lines are active low. */
	assert_true(io->pin_level & (1u << 19));
	pci_set_irq(&f->dev.fn, true);
	assert_int_equal(cfg_read(m, 3, 0, 0x06, 1) & 0x08, 0x08);
	assert_false(io->pin_level & (1u << 19));
	/* Not routed yet: the PIC sees nothing. */
	assert_false(irq_intr_pending(m));
	cfg_write(m, 1, 0, 0x63, 1, 0x0b);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), 0x2b);
	io_write(m, 0xa0, 1, 0x20);
	io_write(m, 0x20, 1, 0x20);
	/* Still asserted, level-triggered: again. */
	assert_true(irq_intr_pending(m));
	/* Interrupt Disable in the command register drops the line. */
	cfg_write(m, 3, 0, 0x04, 2, 0x0400);
	assert_true(io->pin_level & (1u << 19));
	io_write(m, 0xa0, 1, 0x0a);
	assert_int_equal(io_read(m, 0xa0, 1), 0x00);
	/* The master latched the slave's edge: a spurious IRQ15. */
	assert_int_equal(irq_intr_acknowledge(m), 0x2f);
	io_write(m, 0x20, 1, 0x20);
	assert_false(irq_intr_pending(m));
	cfg_write(m, 3, 0, 0x04, 2, 0x0000);
	assert_true(irq_intr_pending(m));
	assert_int_equal(irq_intr_acknowledge(m), 0x2b);
	io_write(m, 0xa0, 1, 0x20);
	io_write(m, 0x20, 1, 0x20);
	/* Routing disabled again: the slave's IRR drops. */
	cfg_write(m, 1, 0, 0x63, 1, 0x8b);
	io_write(m, 0xa0, 1, 0x0a);
	assert_int_equal(io_read(m, 0xa0, 1), 0x00);
	/* A reserved IRQ (2) is not routed. */
	cfg_write(m, 1, 0, 0x63, 1, 0x02);
	assert_int_equal(io_read(m, 0xa0, 1), 0x00);
	io_write(m, 0x20, 1, 0x0a);
	assert_int_equal(io_read(m, 0x20, 1) & 0xfb, 0x00);
	pci_set_irq(&f->dev.fn, false);
	assert_int_equal(cfg_read(m, 3, 0, 0x06, 1) & 0x08, 0x00);
}

static void test_ide_function_registers(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->m;
	struct pci_function ide, dup;

	pci_function_init(&ide, 0x8086, 0x7010, 0x010180, 0);
	ide.name = "piix3-ide";
	pci_function_set_bar(&ide, 4, 16, true, NULL);
	assert_int_equal(pci_register(m, &ide, 1, 1), 0);
	assert_int_equal(cfg_read(m, 1, 1, 0x00, 4), 0x70108086);
	assert_int_equal(cfg_read(m, 1, 1, 0x08, 4), 0x01018000);
	assert_int_equal(cfg_read(m, 1, 1, 0x20, 4), 0x00000001);
	cfg_write(m, 1, 1, 0x20, 4, 0xffffffff);
	assert_int_equal(cfg_read(m, 1, 1, 0x20, 4), 0xfffffff1);
	cfg_write(m, 1, 1, 0x20, 4, 0xc040);
	cfg_write(m, 1, 1, 0x04, 2, 0x0005); /* no map callback: fine */
	assert_int_equal(ide.bar[4].mapped, 0xc040);
	pci_function_init(&dup, 0x8086, 0x7010, 0x010180, 0);
	assert_int_equal(pci_register(m, &dup, 1, 1), -1);
	assert_int_equal(pci_register(m, &dup, 32, 0), -1);
	/* pci_config_read is the same space as the ports. */
	assert_int_equal(pci_config_read(m, 0, 1, 1, 0x02, 2), 0x7010);
	pci_config_write(m, 0, 1, 1, 0x3c, 1, 14);
	assert_int_equal(cfg_read(m, 1, 1, 0x3c, 1), 14);
	m->chipset->pci->fn[1][1] = NULL; /* ide lives on this stack */
}

static void test_multifunction_bit_follows_registration(void **state)
{
	struct fixture *f = *state;
	struct pci_function fn1;

	assert_int_equal(cfg_read(f->m, 3, 0, 0x0e, 1), 0x00);
	pci_function_init(&fn1, 0x1234, 0x5679, 0x020000, 0);
	assert_int_equal(pci_register(f->m, &fn1, 3, 1), 0);
	assert_int_equal(cfg_read(f->m, 3, 0, 0x0e, 1), 0x80);
	f->m->chipset->pci->fn[3][1] = NULL;
}

static void test_reset_control_and_port92(void **state)
{
	struct machine *m = ((struct fixture *)*state)->m;

	io_write(m, 0x92, 1, 0x00);
	assert_false(m->a20);
	assert_int_equal(io_read(m, 0x92, 1) & 0x02, 0x00);
	io_write(m, 0x92, 1, 0x02);
	assert_true(m->a20);
	assert_int_equal(io_read(m, 0x92, 1) & 0x02, 0x02);
	assert_int_equal(m->exit_kind, MACHINE_RUNNING);
	io_write(m, 0xcf9, 1, 0x02); /* hard reset select: no reset yet */
	assert_int_equal(m->exit_kind, MACHINE_RUNNING);
	io_write(m, 0xcf9, 1, 0x06);
	assert_int_equal(m->exit_kind, MACHINE_EXIT_RESET);
	assert_int_equal(m->exit_status, 0);
}

static void test_port92_fast_reset(void **state)
{
	struct machine *m = ((struct fixture *)*state)->m;

	io_write(m, 0x92, 1, 0x03);
	assert_int_equal(m->exit_kind, MACHINE_EXIT_RESET);
	assert_non_null(strstr(m->exit_message, "0x92"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_config_address_register),
		T(test_bridges),
		T(test_byte_and_word_access),
		T(test_bar_sizing),
		T(test_bar_placement_follows_command),
		T(test_status_write_one_to_clear),
		T(test_intx_through_pirq_to_pic_and_ioapic),
		T(test_ide_function_registers),
		T(test_multifunction_bit_follows_registration),
		T(test_reset_control_and_port92),
		T(test_port92_fast_reset),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
