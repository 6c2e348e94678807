// SPDX-License-Identifier: MIT
/*
 * The machine's reset (machine/reset.c): the hook table, the order of the
 * hooks (the reverse of registration), a request that stops the engine
 * and leaves the reboot to the run loop, and -no-reboot ending the run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bare_machine.h"

struct log {
	char order[MACHINE_RESETS_MAX + 1];
	unsigned n;
};

struct dev {
	struct log *log;
	char name;
};

static void dev_reset(void *opaque)
{
	struct dev *d = opaque;

	d->log->order[d->log->n++] = d->name;
}

static void test_hooks_in_reverse_order(void **state)
{
	struct machine *m = bare_machine_new();
	struct log log = { .n = 0 };
	struct dev a = { &log, 'a' }, b = { &log, 'b' }, c = { &log, 'c' };

	(void)state;
	assert_non_null(m);
	assert_int_equal(machine_add_reset(m, dev_reset, &a), 0);
	assert_int_equal(machine_add_reset(m, dev_reset, &b), 0);
	assert_int_equal(machine_add_reset(m, dev_reset, &c), 0);
	machine_remove_reset(m, &b);
	m->a20 = false;
	m->irq.nmi = true;
	machine_reset(m);
	assert_string_equal(log.order, "ca");
	assert_true(m->a20);
	assert_false(m->irq.nmi);
	assert_int_equal(m->reboots, 1);
	free(m);
}

static void test_table_full(void **state)
{
	struct machine *m = bare_machine_new();
	struct log log = { .n = 0 };
	struct dev d[MACHINE_RESETS_MAX + 1];

	(void)state;
	assert_non_null(m);
	for (unsigned i = 0; i < MACHINE_RESETS_MAX; i++) {
		d[i] = (struct dev){ &log, 'x' };
		assert_int_equal(machine_add_reset(m, dev_reset, &d[i]), 0);
	}
	d[MACHINE_RESETS_MAX] = (struct dev){ &log, 'y' };
	assert_int_equal(
		machine_add_reset(m, dev_reset, &d[MACHINE_RESETS_MAX]), -1);
	/* Destroying a device makes room again. */
	machine_remove_reset(m, &d[3]);
	assert_int_equal(
		machine_add_reset(m, dev_reset, &d[MACHINE_RESETS_MAX]), 0);
	machine_reset(m);
	assert_int_equal(log.n, MACHINE_RESETS_MAX);
	assert_int_equal(log.order[0], 'y');
	free(m);
}

static void test_request_reboots(void **state)
{
	struct machine *m = bare_machine_new();

	(void)state;
	assert_non_null(m);
	machine_request_reset(m, "port 0xcf9");
	/* The engine stops; the run goes on after the reboot. */
	assert_int_equal(m->exit_kind, MACHINE_EXIT_RESET);
	assert_true(m->reset_pending);
	machine_reset(m);
	assert_int_equal(m->exit_kind, MACHINE_RUNNING);
	assert_false(m->reset_pending);
	assert_int_equal(m->exit_message[0], '\0');
	/* A run that is ending already is not brought back. */
	machine_request_exit(m, MACHINE_EXIT_DEBUG_PORT, 5, "exit");
	machine_request_reset(m, "port 0x92");
	assert_false(m->reset_pending);
	assert_int_equal(m->exit_kind, MACHINE_EXIT_DEBUG_PORT);
	free(m);
}

static void test_no_reboot_ends_the_run(void **state)
{
	struct machine *m = bare_machine_new();

	(void)state;
	assert_non_null(m);
	m->opt.no_reboot = true;
	machine_request_reset(m, "8042 output port");
	assert_int_equal(m->exit_kind, MACHINE_EXIT_RESET);
	assert_int_equal(m->exit_status, POPEK_EXIT_OK);
	assert_false(m->reset_pending);
	assert_non_null(strstr(m->exit_message, "8042 output port"));
	assert_non_null(strstr(m->exit_message, "-no-reboot"));
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hooks_in_reverse_order),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_request_reboots),
		cmocka_unit_test(test_no_reboot_ends_the_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
