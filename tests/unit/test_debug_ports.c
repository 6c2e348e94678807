// SPDX-License-Identifier: MIT
/* The debug console at 0xE9 and the isa-debug-exit port at 0xF4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "iodev/debug_exit.h"
#include "iodev/debugcon.h"

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

static void temp_path(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "/tmp/popek-debugcon-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void test_debugcon_to_file(void **state)
{
	struct machine *m = *state;
	struct chardev_spec spec;
	struct debugcon *d;
	char path[64], out[32] = { 0 };
	FILE *in;
	size_t n;

	temp_path(path, sizeof(path));
	assert_int_equal(chardev_parse("file:", &spec), -1);
	assert_int_equal(chardev_parse("bogus", &spec), -1);
	{
		char arg[80];

		snprintf(arg, sizeof(arg), "file:%s", path);
		assert_int_equal(chardev_parse(arg, &spec), 0);
		assert_int_equal(spec.kind, CHARDEV_FILE);
		d = debugcon_create(m, &spec);
	}
	assert_non_null(d);
	io_write(m, DEBUGCON_PORT, 1, 'H');
	io_write(m, DEBUGCON_PORT, 1, 'i');
	/* A wider write sends its low byte only. */
	io_write(m, DEBUGCON_PORT, 2, 0x0a21);
	assert_int_equal(io_read(m, DEBUGCON_PORT, 1), 0xe9);
	assert_int_equal(d->bytes, 3);
	debugcon_destroy(d);

	in = fopen(path, "rb");
	assert_non_null(in);
	n = fread(out, 1, sizeof(out) - 1, in);
	fclose(in);
	unlink(path);
	assert_int_equal(n, 3);
	assert_string_equal(out, "Hi!");
}

static void test_debugcon_none(void **state)
{
	struct machine *m = *state;
	struct chardev_spec spec;
	struct debugcon *d;

	assert_int_equal(chardev_parse("none", &spec), 0);
	assert_int_equal(spec.kind, CHARDEV_NONE);
	d = debugcon_create(m, &spec);
	assert_non_null(d);
	io_write(m, DEBUGCON_PORT, 1, 'x');
	assert_int_equal(d->bytes, 1);
	assert_int_equal(io_read(m, DEBUGCON_PORT, 1), 0xe9);
	debugcon_destroy(d);
}

static void test_debugcon_unwritable_file(void **state)
{
	struct machine *m = *state;
	struct chardev_spec spec = { .kind = CHARDEV_FILE,
				     .path = "/nonexistent-dir/out.txt" };

	assert_null(debugcon_create(m, &spec));
	/* The port was not claimed by the failed device. */
	assert_int_equal(io_read(m, DEBUGCON_PORT, 1), 0xff);
}

static void test_exit_status(void **state)
{
	struct machine *m = *state;
	struct debug_exit *d = debug_exit_create(m);

	assert_non_null(d);
	assert_int_equal(m->exit_kind, MACHINE_RUNNING);
	io_write(m, DEBUG_EXIT_PORT, 1, 0);
	assert_int_equal(m->exit_kind, MACHINE_EXIT_DEBUG_PORT);
	assert_int_equal(m->exit_status, 1);
	/* The first reason wins. */
	io_write(m, DEBUG_EXIT_PORT, 1, 5);
	assert_int_equal(m->exit_status, 1);
	debug_exit_destroy(d);
}

static void test_exit_status_wide(void **state)
{
	struct machine *m = *state;
	struct debug_exit *d = debug_exit_create(m);

	assert_non_null(d);
	/* iosize 4: one dword write at 0xF4 is one exit. */
	io_write(m, DEBUG_EXIT_PORT, 4, 0x21);
	assert_int_equal(m->exit_status, 0x43);
	assert_non_null(strstr(m->exit_message, "0x21"));
	debug_exit_destroy(d);
}

static void test_request_exit_first_wins(void **state)
{
	struct machine *m = *state;

	machine_request_exit(m, MACHINE_EXIT_TRIPLE_FAULT,
			     POPEK_EXIT_TRIPLE_FAULT, "fault chain %d", 13);
	machine_request_exit(m, MACHINE_EXIT_HALTED, POPEK_EXIT_HALTED,
			     "later");
	assert_int_equal(m->exit_kind, MACHINE_EXIT_TRIPLE_FAULT);
	assert_int_equal(m->exit_status, 3);
	assert_string_equal(m->exit_message, "fault chain 13");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_debugcon_to_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_debugcon_none, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_debugcon_unwritable_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_status, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_status_wide, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_request_exit_first_wins,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
