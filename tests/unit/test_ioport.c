// SPDX-License-Identifier: MIT
/* The port-I/O bus: routing, unclaimed ports, splitting, counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bare_machine.h"

struct io_call {
	uint16_t port;
	unsigned size;
	uint32_t value;
	bool write;
};

struct fake_dev {
	uint8_t id; /* reads return id in every byte */
	struct io_call calls[8];
	unsigned count;
};

static uint32_t fake_read(void *dev, uint16_t port, unsigned size)
{
	struct fake_dev *d = dev;

	if (d->count < 8)
		d->calls[d->count++] = (struct io_call){ port, size, 0, false };
	return 0x01010101u * d->id;
}

static void fake_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	struct fake_dev *d = dev;

	if (d->count < 8)
		d->calls[d->count++] =
			(struct io_call){ port, size, value, true };
}

static int setup(void **state)
{
	*state = bare_machine_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void test_routes_to_owner(void **state)
{
	struct machine *m = *state;
	struct fake_dev a = { .id = 0xaa }, b = { .id = 0xbb };

	assert_int_equal(
		io_register(m, 0x60, 1, &a, fake_read, fake_write, "a"), 0);
	assert_int_equal(
		io_register(m, 0x70, 2, &b, fake_read, fake_write, "b"), 0);
	io_write(m, 0x71, 1, 0x8f);
	assert_int_equal(a.count, 0);
	assert_int_equal(b.count, 1);
	assert_int_equal(b.calls[0].port, 0x71);
	assert_int_equal(b.calls[0].size, 1);
	assert_int_equal(b.calls[0].value, 0x8f);
	assert_true(b.calls[0].write);

	assert_int_equal(io_read(m, 0x60, 1), 0xaa);
	assert_int_equal(a.count, 1);
	assert_int_equal(a.calls[0].port, 0x60);
	assert_false(a.calls[0].write);

	/* A write wider than the value's size is masked to the size. */
	io_write(m, 0x70, 1, 0x1234);
	assert_int_equal(b.calls[1].value, 0x34);
}

static void test_unclaimed_ports(void **state)
{
	struct machine *m = *state;

	assert_int_equal(io_read(m, 0x80, 1), 0xff);
	assert_int_equal(io_read(m, 0x80, 2), 0xffff);
	assert_int_equal(io_read(m, 0x80, 4), 0xffffffffu);
	io_write(m, 0x80, 4, 0x12345678); /* dropped without a crash */
	/* The top port: a wide access wraps to port 0, as the bus does. */
	assert_int_equal(io_read(m, 0xffff, 4), 0xffffffffu);
}

static void test_double_claim_refused(void **state)
{
	struct machine *m = *state;
	struct fake_dev a = { .id = 1 }, b = { .id = 2 };

	assert_int_equal(
		io_register(m, 0x3f8, 8, &a, fake_read, fake_write, "uart"), 0);
	assert_int_equal(io_register(m, 0x3ff, 1, &b, fake_read, fake_write,
				     "other"),
			 -1);
	assert_int_equal(io_register(m, 0xffff, 2, &b, fake_read, fake_write,
				     "past the end"),
			 -1);
	assert_int_equal(io_register(m, 0x100, 0, &b, fake_read, fake_write,
				     "empty"),
			 -1);
	/* The refused claims left the first owner in place. */
	assert_int_equal(io_read(m, 0x3ff, 1), 1);
}

static void test_wide_access_one_owner(void **state)
{
	struct machine *m = *state;
	struct fake_dev a = { .id = 0x5a };

	assert_int_equal(
		io_register(m, 0xcf8, 4, &a, fake_read, fake_write, "pci"), 0);
	assert_int_equal(io_read(m, 0xcf8, 4), 0x5a5a5a5a);
	assert_int_equal(a.count, 1);
	assert_int_equal(a.calls[0].size, 4);
	io_write(m, 0xcf8, 4, 0x80000000u);
	assert_int_equal(a.count, 2);
	assert_int_equal(a.calls[1].size, 4);
	assert_int_equal(a.calls[1].value, 0x80000000u);
}

static void test_wide_access_split(void **state)
{
	struct machine *m = *state;
	struct fake_dev a = { .id = 0x11 }, b = { .id = 0x22 };

	assert_int_equal(
		io_register(m, 0x100, 1, &a, fake_read, fake_write, "a"), 0);
	assert_int_equal(
		io_register(m, 0x101, 1, &b, fake_read, fake_write, "b"), 0);
	/* Bytes 0x102 and 0x103 are unclaimed: all ones. */
	assert_int_equal(io_read(m, 0x100, 4), 0xffff2211u);
	assert_int_equal(a.count, 1);
	assert_int_equal(a.calls[0].size, 1);
	assert_int_equal(b.calls[0].port, 0x101);

	io_write(m, 0x100, 2, 0xbeef);
	assert_int_equal(a.calls[1].value, 0xef);
	assert_int_equal(b.calls[1].value, 0xbe);
	assert_int_equal(b.calls[1].size, 1);
}

static void test_null_handlers(void **state)
{
	struct machine *m = *state;
	struct fake_dev a = { .id = 0x33 };

	assert_int_equal(io_register(m, 0x200, 1, &a, NULL, fake_write, "wo"),
			 0);
	assert_int_equal(io_register(m, 0x201, 1, &a, fake_read, NULL, "ro"),
			 0);
	assert_int_equal(io_read(m, 0x200, 1), 0xff);
	io_write(m, 0x201, 1, 7);
	assert_int_equal(a.count, 0);
}

static void test_counters(void **state)
{
	struct machine *m = *state;
	struct fake_dev a = { .id = 0 };

	assert_int_equal(
		io_register(m, 0x40, 4, &a, fake_read, fake_write, "pit"), 0);
	io_write(m, 0x43, 1, 0x34);
	io_write(m, 0x40, 1, 0);
	io_write(m, 0x40, 1, 0);
	(void)io_read(m, 0x40, 1);
	(void)io_read(m, 0x99, 1);
	assert_int_equal(m->io.writes, 3);
	assert_int_equal(m->io.reads, 2);
	assert_int_equal(m->io.port_writes[0x40], 2);
	assert_int_equal(m->io.port_writes[0x43], 1);
	assert_int_equal(m->io.port_reads[0x40], 1);
	assert_int_equal(m->io.port_reads[0x99], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_routes_to_owner, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unclaimed_ports, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_double_claim_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_wide_access_one_owner,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_wide_access_split, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_null_handlers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_counters, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
