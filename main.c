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

#include "chipset/rtc.h"
#include "config.h"
#include "conformance/sst_main.h"
#include "debugger/debugger.h"
#include "diff/diff.h"
#include "gui/display.h"
#include "iodev/chardev.h"
#include "machine/machine.h"

/* The machine being run, for the signal handler: main.c's only global. */
static struct machine *volatile running_machine;

/* SIGINT breaks into the debugger where there is one; SIGTERM ends. */
static void on_stop_signal(int sig)
{
	struct machine *m = running_machine;

	if (!m)
		return;
	if (sig == SIGTERM)
		m->host_stop = HOST_STOP_END;
	else if (m->host_stop != HOST_STOP_END)
		m->host_stop = HOST_STOP_BREAK;
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

/* An I/O port: 0x-prefixed hex or decimal, 1 to 0xFFFF. */
static bool parse_port(const char *text, uint16_t *port)
{
	unsigned long v;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		/* strtoul would take a second "0x": only hex digits here. */
		if (!text[2] || strspn(text + 2, "0123456789abcdefABCDEF") !=
					strlen(text + 2))
			return false;
		v = strtoul(text + 2, &end, 16);
	} else {
		v = strtoul(text, &end, 10);
	}
	if (errno || *end || end == text || v == 0 || v > 0xffff)
		return false;
	*port = (uint16_t)v;
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
		"                         mapped below 4 GiB and its last 128 KiB below 1 MiB;\n"
		"                         without it a boot device (-fda, -hda.., -cdrom)\n"
		"                         boots through popek's own BIOS\n"
		"  -boot-sector FILE      load FILE at 0x7C00 and enter it in real mode\n"
		"  -kernel bzImage        boot a Linux kernel directly (32-bit boot protocol)\n"
		"  -initrd FILE           initial ramdisk for -kernel\n"
		"  -append CMDLINE        kernel command line for -kernel\n"
		"  -boot [order=]DEVS     firmware boot order, 1-3 of a (floppy), c (disk),\n"
		"                         d (CD-ROM), n (network); default cdn\n"
		"  -fda FILE              floppy image for drive A: (160K-2.88M by size)\n"
		"  -hda/-hdb/-hdc/-hdd FILE\n"
		"                         raw disk image on IDE primary master/slave,\n"
		"                         secondary master/slave (a multiple of 512 bytes)\n"
		"  -cdrom FILE            ISO image in an ATAPI CD-ROM, secondary master\n"
		"  -snapshot              disk images stay unchanged: guest writes go to\n"
		"                         memory and are gone when popek ends\n"
		"  -no-reboot             a guest reset ends the run (status 0) instead\n"
		"                         of rebooting the machine\n"
		"  -demo                  run the built-in demo guest\n"
		"  -debugcon stdio|file:PATH|none\n"
		"                         where port 0xE9 output goes (default stdio)\n"
		"  -debugcon-port PORT    put the debug console at PORT instead of 0xE9\n"
		"                         (0x402: SeaBIOS's log; QEMU: isa-debugcon,iobase)\n"
		"  -serial stdio|file:PATH|none\n"
		"                         COM1 (0x3F8, IRQ 4) back end (default stdio)\n"
		"  -display sdl|none      a window showing the VGA (default sdl when built\n"
		"                         with SDL2 and $DISPLAY or $WAYLAND_DISPLAY is set)\n"
		"                         or none\n"
		"  -screenshot FILE.png   write the screen as PNG when the run ends\n"
		"                         (Ctrl+Alt+S in the window writes FILE-N.png)\n"
		"  -vga-text-dump FILE    write the text screen as UTF-8 when the run ends\n"
		"  -stats                 print counters to stderr at the end\n"
		"  -max-insns N           stop after N instructions (exit status 6)\n"
		"  -engine interp|kvm|auto\n"
		"                         what runs the CPU (default interp); auto takes\n"
		"                         KVM where it works, else the interpreter\n"
		"  -switch-at N           after N instructions move the running machine\n"
		"                         to the other engine (interp <-> kvm)\n"
		"  -debugger              the debugger's prompt, stopped before the first\n"
		"                         instruction (as `popek debug`; see docs/debugger.md)\n"
		"  -rc FILE               debugger commands to run at the first stop\n"
		"  -magic-break           XCHG BX,BX stops at the debugger's prompt\n"
		"  -gdb tcp::PORT         a gdb remote stub on 127.0.0.1:PORT\n"
		"  -s                     the same as -gdb tcp::1234\n"
		"  -S                     wait for gdb before the first instruction\n"
		"  -h, --help             print this help and exit\n"
		"\n"
		"Exit status: 0 normal end (the demo's final HLT; a guest reset\n"
		"with -no-reboot), 2 bad input,\n"
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
	OPT_BOOT,
	OPT_FDA,
	OPT_HDA, /* OPT_HDA..OPT_HDD in order */
	OPT_HDB,
	OPT_HDC,
	OPT_HDD,
	OPT_CDROM,
	OPT_SNAPSHOT,
	OPT_NO_REBOOT,
	OPT_DEMO,
	OPT_DEBUGCON,
	OPT_DEBUGCON_PORT,
	OPT_SERIAL,
	OPT_DISPLAY,
	OPT_SCREENSHOT,
	OPT_VGA_TEXT_DUMP,
	OPT_STATS,
	OPT_MAX_INSNS,
	OPT_ENGINE,
	OPT_SWITCH_AT,
	OPT_DEBUGGER,
	OPT_RC,
	OPT_GDB_DEFAULT,
	OPT_GDB_WAIT,
	OPT_GDB,
	OPT_MAGIC_BREAK,
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
	{ "boot", true, OPT_BOOT },
	{ "fda", true, OPT_FDA },
	{ "hda", true, OPT_HDA },
	{ "hdb", true, OPT_HDB },
	{ "hdc", true, OPT_HDC },
	{ "hdd", true, OPT_HDD },
	{ "cdrom", true, OPT_CDROM },
	{ "snapshot", false, OPT_SNAPSHOT },
	{ "no-reboot", false, OPT_NO_REBOOT },
	{ "demo", false, OPT_DEMO },
	{ "debugcon", true, OPT_DEBUGCON },
	{ "debugcon-port", true, OPT_DEBUGCON_PORT },
	{ "serial", true, OPT_SERIAL },
	{ "display", true, OPT_DISPLAY },
	{ "screenshot", true, OPT_SCREENSHOT },
	{ "vga-text-dump", true, OPT_VGA_TEXT_DUMP },
	{ "stats", false, OPT_STATS },
	{ "max-insns", true, OPT_MAX_INSNS },
	{ "engine", true, OPT_ENGINE },
	{ "switch-at", true, OPT_SWITCH_AT },
	{ "debugger", false, OPT_DEBUGGER },
	{ "rc", true, OPT_RC },
	{ "s", false, OPT_GDB_DEFAULT },
	{ "S", false, OPT_GDB_WAIT },
	{ "gdb", true, OPT_GDB },
	{ "magic-break", false, OPT_MAGIC_BREAK },
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
/* -gdb tcp::PORT (QEMU's spelling; the stub listens on 127.0.0.1). */
static bool parse_gdb_port(const char *value, int *port)
{
	uint64_t p;

	if (strncmp(value, "tcp::", 5) == 0)
		value += 5;
	else if (strncmp(value, "tcp:localhost:", 14) == 0)
		value += 14;
	else if (strncmp(value, "tcp:127.0.0.1:", 14) == 0)
		value += 14;
	else
		return false;
	if (!parse_u64(value, &p) || p == 0 || p > 65535)
		return false;
	*port = (int)p;
	return true;
}

static int apply_option(struct machine_options *o,
			struct debugger_options *dbg, const char *arg,
			const struct option_spec *spec, const char *value)
{
	switch (spec->id) {
	case OPT_DEBUGGER:
		dbg->command_line = true;
		dbg->stop_at_start = true;
		return 0;
	case OPT_RC:
		dbg->rc = value;
		return 0;
	case OPT_GDB_DEFAULT:
		dbg->gdb_port = 1234;
		return 0;
	case OPT_GDB_WAIT:
		dbg->gdb_wait = true;
		return 0;
	case OPT_GDB:
		if (!parse_gdb_port(value, &dbg->gdb_port)) {
			bad_input("%s: '%s' is not tcp::PORT", arg, value);
			return -1;
		}
		return 0;
	case OPT_MAGIC_BREAK:
		dbg->magic_break = true;
		return 0;
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
	case OPT_BOOT:
		/* QEMU's -boot order=LETTERS, or the older -boot LETTERS. */
		o->boot_order = strncmp(value, "order=", 6) == 0 ? value + 6 :
								   value;
		if (rtc_boot_order_valid(o->boot_order) != 0) {
			bad_input("%s: '%s' is not a boot order (1-3 of a, c, d, n, each once)",
				  arg, value);
			return -1;
		}
		return 0;
	case OPT_FDA:
		o->fda = value;
		return 0;
	case OPT_HDA:
	case OPT_HDB:
	case OPT_HDC:
	case OPT_HDD:
		o->hd[spec->id - OPT_HDA] = value;
		return 0;
	case OPT_CDROM:
		o->cdrom = value;
		return 0;
	case OPT_SNAPSHOT:
		o->snapshot = true;
		return 0;
	case OPT_NO_REBOOT:
		o->no_reboot = true;
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
	case OPT_DEBUGCON_PORT:
		if (!parse_port(value, &o->debugcon_port)) {
			bad_input("%s: '%s' is not a port (1-0xffff)", arg,
				  value);
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
	case OPT_DISPLAY: {
		enum display_kind kind;

		if (display_parse(value, &kind) != 0) {
			bad_input(HAVE_SDL2 ?
					  "%s: '%s' is not a display (sdl or none)" :
					  "%s: '%s' is not a display (none: built without SDL2)",
				  arg, value);
			return -1;
		}
		o->display = kind;
		return 0;
	}
	case OPT_SCREENSHOT:
		o->screenshot = value;
		return 0;
	case OPT_VGA_TEXT_DUMP:
		o->vga_text_dump = value;
		return 0;
	case OPT_STATS:
		o->stats = true;
		return 0;
	case OPT_ENGINE:
		if (strcmp(value, "interp") != 0 && strcmp(value, "kvm") != 0 &&
		    strcmp(value, "auto") != 0) {
			bad_input("%s: '%s' is not interp, kvm or auto", arg,
				  value);
			return -1;
		}
		o->engine = value;
		return 0;
	case OPT_SWITCH_AT:
		if (!parse_u64(value, &o->switch_at) || o->switch_at == 0) {
			bad_input("%s: '%s' is not a positive number", arg,
				  value);
			return -1;
		}
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
static int parse_run_options(int argc, char **argv, struct machine_options *o,
			     struct debugger_options *dbg)
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
		ret = apply_option(o, dbg, arg, spec, value);
		if (ret < 0)
			return POPEK_EXIT_BAD_INPUT;
		if (ret > 0)
			return -1; /* help printed: stop, status 0 */
	}
	return 0;
}

/* popek run, and popek debug (debug: the debugger's prompt at start). */
static int run_machine(int argc, char **argv, bool debug)
{
	struct machine_options o;
	struct debugger_options dbg_opt = { 0 };
	struct debugger *dbg = NULL;
	struct machine *m;
	struct display *d;
	bool bad;
	int status;

	machine_options_init(&o);
	o.display = display_default();
	dbg_opt.command_line = debug;
	dbg_opt.stop_at_start = debug;
	status = parse_run_options(argc, argv, &o, &dbg_opt);
	if (status < 0)
		return 0;
	if (status > 0)
		return status;
	if ((o.initrd || o.append) && !o.kernel)
		return bad_input("%s%s need -kernel", "-initrd and -append", "");
	if (dbg_opt.rc && !dbg_opt.command_line)
		return bad_input("%s%s", "-rc needs the debugger",
				 " (popek debug, or -debugger)");
	if (dbg_opt.gdb_wait && !dbg_opt.gdb_port)
		dbg_opt.gdb_port = 1234; /* -S alone: QEMU waits on :1234 too */
	/* The magic breakpoint stops at the prompt. */
	if (dbg_opt.magic_break)
		dbg_opt.command_line = true;
	/*
	 * A boot device and no other firmware or image: popek's own BIOS
	 * boots it.  Nothing at all: the demo.
	 */
	if (!o.bios && !o.boot_sector && !o.kernel && !o.demo &&
	    (o.fda || o.hd[0] || o.hd[1] || o.hd[2] || o.hd[3] || o.cdrom))
		o.builtin_bios = true;
	else if (!o.bios && !o.boot_sector && !o.kernel)
		o.demo = true;

	m = machine_create(&o);
	if (!m)
		return POPEK_EXIT_BAD_INPUT;
	d = display_open(m, &bad);
	if (!d) {
		machine_destroy(m);
		return bad ? POPEK_EXIT_BAD_INPUT : POPEK_EXIT_ERROR;
	}
	if (dbg_opt.command_line || dbg_opt.gdb_port) {
		dbg = debugger_create(m, &dbg_opt);
		if (!dbg) {
			display_close(d);
			machine_destroy(m);
			return POPEK_EXIT_BAD_INPUT;
		}
	}
	running_machine = m;
	install_signal_handlers();
	status = machine_run(m);
	running_machine = NULL;
	debugger_destroy(dbg);
	/* Screenshot and text dump show the screen as the run left it. */
	if (display_close(d) != 0)
		status = POPEK_EXIT_ERROR;
	machine_destroy(m);
	return status;
}

static int cmd_run(int argc, char **argv)
{
	return run_machine(argc, argv, false);
}

static int cmd_debug(int argc, char **argv)
{
	return run_machine(argc, argv, true);
}

/* Subcommands: another one is a function and a line here. */
struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the first option */
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "run a machine (the default subcommand)" },
	{ "debug", cmd_debug,
	  "run a machine under the debugger, stopped at the first instruction" },
	{ "sst", sst_main, "run SingleStepTests conformance tests" },
	{ "diff", diff_main,
	  "run a machine on the interpreter and KVM in lockstep, report the first divergence" },
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
