// SPDX-License-Identifier: MIT
/*
 * popek's command line: `popek SUBCOMMAND [options]`.  Subcommands are a
 * table; `run` is the default, so `popek -boot-sector x.bin` runs x.bin.
 * Options follow QEMU's spelling (`-m 64`); `--m 64` and `--m=64` are
 * accepted as the same.  Bad input gets one line on stderr and exit
 * status 2 (POPEK_EXIT_BAD_INPUT).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "conformance/sst_main.h"
#include "iodev/chardev.h"
#include "machine/machine.h"

/* The machine being run, for the signal handler: main.c's only global. */
static struct machine *volatile running_machine;

static void on_stop_signal(int sig)
{
	struct machine *m = running_machine;

	(void)sig;
	if (m)
		m->host_stop = 1;
}

static void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int bad_input(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "popek: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return POPEK_EXIT_BAD_INPUT;
}

/* A whole decimal number, nothing before or after it. */
static bool parse_u64(const char *text, uint64_t *value)
{
	char *end;
	unsigned long long v;

	if (text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end)
		return false;
	*value = v;
	return true;
}

/* -m: MiB, or with a suffix M or G as QEMU allows. */
static bool parse_mib(const char *text, uint64_t *mib)
{
	char digits[32];
	size_t len = strlen(text);
	uint64_t scale = 1;

	if (len == 0 || len >= sizeof(digits))
		return false;
	memcpy(digits, text, len + 1);
	if (digits[len - 1] == 'M' || digits[len - 1] == 'm') {
		digits[len - 1] = '\0';
	} else if (digits[len - 1] == 'G' || digits[len - 1] == 'g') {
		digits[len - 1] = '\0';
		scale = 1024;
	}
	if (!parse_u64(digits, mib) || *mib > UINT64_MAX / scale)
		return false;
	*mib *= scale;
	return true;
}

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: popek [run] [options]\n"
		"\n"
		"Runs a PC.  With no image given, runs the built-in demo guest.\n"
		"\n"
		"Options (-name and --name are the same):\n"
		"  -m MiB                 guest RAM (default %u, at most %u; suffix M or G)\n"
		"  -bios FILE             firmware image, a multiple of 64 KiB up to 16 MiB,\n"
		"                         mapped below 4 GiB and its last 128 KiB below 1 MiB\n"
		"  -boot-sector FILE      load FILE at 0x7C00 and enter it in real mode\n"
		"  -kernel bzImage        boot a Linux kernel directly (32-bit boot protocol)\n"
		"  -initrd FILE           initial ramdisk for -kernel\n"
		"  -append CMDLINE        kernel command line for -kernel\n"
		"  -demo                  run the built-in demo guest\n"
		"  -debugcon stdio|file:PATH|none\n"
		"                         where port 0xE9 output goes (default stdio)\n"
		"  -serial stdio|file:PATH|none\n"
		"                         COM1 (0x3F8, IRQ 4) back end (default stdio)\n"
		"  -display none          no display (the only one for now)\n"
		"  -stats                 print counters to stderr at the end\n"
		"  -max-insns N           stop after N instructions (exit status 6)\n"
		"  -h, --help             print this help and exit\n"
		"\n"
		"Exit status: 0 normal end (the demo's final HLT), 2 bad input,\n"
		"3 triple fault, 4 halted with nothing to wake the CPU, 6 -max-insns\n"
		"reached, 8 emulator error, 130 interrupted; a guest writing v to\n"
		"port 0xF4 ends popek with (v << 1) | 1.\n",
		MACHINE_DEFAULT_RAM_MIB, MACHINE_RAM_MAX_MIB);
}

enum run_option {
	OPT_M,
	OPT_BIOS,
	OPT_BOOT_SECTOR,
	OPT_KERNEL,
	OPT_INITRD,
	OPT_APPEND,
	OPT_DEMO,
	OPT_DEBUGCON,
	OPT_SERIAL,
	OPT_DISPLAY,
	OPT_STATS,
	OPT_MAX_INSNS,
	OPT_HELP,
};

struct option_spec {
	const char *name;
	bool has_value;
	enum run_option id;
};

static const struct option_spec run_options[] = {
	{ "m", true, OPT_M },
	{ "bios", true, OPT_BIOS },
	{ "boot-sector", true, OPT_BOOT_SECTOR },
	{ "kernel", true, OPT_KERNEL },
	{ "initrd", true, OPT_INITRD },
	{ "append", true, OPT_APPEND },
	{ "demo", false, OPT_DEMO },
	{ "debugcon", true, OPT_DEBUGCON },
	{ "serial", true, OPT_SERIAL },
	{ "display", true, OPT_DISPLAY },
	{ "stats", false, OPT_STATS },
	{ "max-insns", true, OPT_MAX_INSNS },
	{ "help", false, OPT_HELP },
	{ "h", false, OPT_HELP },
};

static const struct option_spec *find_option(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(run_options) / sizeof(run_options[0]);
	     i++)
		if (strlen(run_options[i].name) == len &&
		    strncmp(run_options[i].name, name, len) == 0)
			return &run_options[i];
	return NULL;
}

/* Apply one option; returns 0, -1 for bad input (already reported), 1 to
 * stop with status 0 (help). */
static int apply_option(struct machine_options *o, const char *arg,
			const struct option_spec *spec, const char *value)
{
	switch (spec->id) {
	case OPT_M:
		if (!parse_mib(value, &o->ram_mib)) {
			bad_input("%s: '%s' is not a number of MiB", arg,
				  value);
			return -1;
		}
		if (o->ram_mib == 0 || o->ram_mib > MACHINE_RAM_MAX_MIB) {
			char range[32];

			snprintf(range, sizeof(range), "1-%u",
				 MACHINE_RAM_MAX_MIB);
			bad_input("-m: '%s' MiB is out of range (%s)", value,
				  range);
			return -1;
		}
		return 0;
	case OPT_BIOS:
		o->bios = value;
		return 0;
	case OPT_BOOT_SECTOR:
		o->boot_sector = value;
		return 0;
	case OPT_KERNEL:
		o->kernel = value;
		return 0;
	case OPT_INITRD:
		o->initrd = value;
		return 0;
	case OPT_APPEND:
		o->append = value;
		return 0;
	case OPT_DEMO:
		o->demo = true;
		return 0;
	case OPT_DEBUGCON:
		if (chardev_parse(value, &o->debugcon) != 0) {
			bad_input("%s: '%s' is not stdio, none or file:PATH",
				  arg, value);
			return -1;
		}
		return 0;
	case OPT_SERIAL:
		if (chardev_parse(value, &o->serial) != 0) {
			bad_input("%s: '%s' is not stdio, none or file:PATH",
				  arg, value);
			return -1;
		}
		return 0;
	case OPT_DISPLAY:
		if (strcmp(value, "none") != 0) {
			bad_input("%s: '%s' is not available (only 'none' is)",
				  arg, value);
			return -1;
		}
		return 0;
	case OPT_STATS:
		o->stats = true;
		return 0;
	case OPT_MAX_INSNS:
		if (!parse_u64(value, &o->max_insns)) {
			bad_input("%s: '%s' is not a number", arg, value);
			return -1;
		}
		return 0;
	case OPT_HELP:
		run_usage(stdout);
		return 1;
	}
	return 0;
}

/* Fill o from argv; returns 0, or an exit status to stop with. */
static int parse_run_options(int argc, char **argv, struct machine_options *o)
{
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *name, *eq, *value = NULL;
		const struct option_spec *spec;
		size_t len;
		int ret;

		if (arg[0] != '-' || arg[1] == '\0') {
			bad_input("unexpected argument '%s'%s", arg,
				  " (options start with -; see popek --help)");
			return POPEK_EXIT_BAD_INPUT;
		}
		name = arg + (arg[1] == '-' ? 2 : 1);
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		spec = find_option(name, len);
		if (!spec) {
			bad_input("unknown option '%s'%s", arg,
				  " (see popek --help)");
			return POPEK_EXIT_BAD_INPUT;
		}
		if (spec->has_value) {
			if (eq) {
				value = eq + 1;
			} else if (i + 1 < argc) {
				value = argv[++i];
			} else {
				bad_input("%s needs a value%s", arg,
					  " (see popek --help)");
				return POPEK_EXIT_BAD_INPUT;
			}
		} else if (eq) {
			bad_input("%s takes no value%s", arg, "");
			return POPEK_EXIT_BAD_INPUT;
		}
		ret = apply_option(o, arg, spec, value);
		if (ret < 0)
			return POPEK_EXIT_BAD_INPUT;
		if (ret > 0)
			return -1; /* help printed: stop, status 0 */
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct machine_options o;
	struct machine *m;
	int status;

	machine_options_init(&o);
	status = parse_run_options(argc, argv, &o);
	if (status < 0)
		return 0;
	if (status > 0)
		return status;
	if ((o.initrd || o.append) && !o.kernel)
		return bad_input("%s%s need -kernel", "-initrd and -append", "");
	if (!o.bios && !o.boot_sector && !o.kernel)
		o.demo = true;

	m = machine_create(&o);
	if (!m)
		return POPEK_EXIT_BAD_INPUT;
	running_machine = m;
	install_signal_handlers();
	status = machine_run(m);
	running_machine = NULL;
	machine_destroy(m);
	return status;
}

/* Subcommands: another one is a function and a line here. */
struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the first option */
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "run a machine (the default subcommand)" },
	{ "sst", sst_main, "run SingleStepTests conformance tests" },
};

#define SUBCOMMAND_COUNT (sizeof(subcommands) / sizeof(subcommands[0]))

static void usage(FILE *f)
{
	fprintf(f, "Usage: popek [SUBCOMMAND] [options]\n\nSubcommands:\n");
	for (size_t i = 0; i < SUBCOMMAND_COUNT; i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fprintf(f, "\n`popek SUBCOMMAND --help` describes its options; "
		   "`popek --version` prints the version.\n"
		   "With no subcommand, popek runs: `popek` alone runs the "
		   "built-in demo.\n");
}

int main(int argc, char **argv)
{
	const char *first = argc > 1 ? argv[1] : NULL;

	if (!first)
		return cmd_run(0, argv + 1);
	if (strcmp(first, "--help") == 0 || strcmp(first, "-help") == 0 ||
	    strcmp(first, "-h") == 0 || strcmp(first, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(first, "--version") == 0 || strcmp(first, "-version") == 0) {
		printf("popek %s\n", POPEK_VERSION);
		return 0;
	}
	if (first[0] == '-')
		return cmd_run(argc - 1, argv + 1);
	for (size_t i = 0; i < SUBCOMMAND_COUNT; i++)
		if (strcmp(first, subcommands[i].name) == 0)
			return subcommands[i].run(argc - 2, argv + 2);
	return bad_input("unknown subcommand '%s'%s", first,
			 " (see popek --help)");
}
