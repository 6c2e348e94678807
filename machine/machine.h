/* SPDX-License-Identifier: MIT */
/*
 * The board: guest RAM, the physical map, the port bus, interrupt lines,
 * the virtual clock, the devices and the engine that runs the CPU.
 */
#ifndef POPEK_MACHINE_MACHINE_H
#define POPEK_MACHINE_MACHINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"
#include "machine/ioport.h"
#include "machine/irq.h"
#include "machine/memory.h"

struct cpu;
struct accel_ops;
struct accel_kvm;
struct chipset;
struct debugcon;
struct debug_exit;
struct uart;
struct vga;
struct i8042;
struct dma8237;
struct fdc;
struct ide;
struct debugger;

/* Where a character device's bytes go. */
enum chardev_kind {
	CHARDEV_NONE,
	CHARDEV_STDIO,
	CHARDEV_FILE,
};

struct chardev_spec {
	enum chardev_kind kind;
	const char *path; /* CHARDEV_FILE */
};

/*
 * RAM sits below the firmware at 4 GiB; RAM above 4 GiB is not modelled
 * yet, so -m stops at 3 GiB.
 */
#define MACHINE_RAM_MAX_MIB 3072u
#define MACHINE_DEFAULT_RAM_MIB 32u
/* Cycles per second of the virtual CPU: 100 MHz. */
#define MACHINE_DEFAULT_CPU_HZ 100000000ull
/* Where a boot sector (and the demo guest) is loaded and entered. */
#define BOOT_SECTOR_ADDR 0x7c00u
/* Firmware images: a multiple of 64 KiB, at most 16 MiB. */
#define BIOS_SIZE_UNIT 0x10000u
#define BIOS_SIZE_MAX 0x1000000u

/* What the command line asked for; board assembly reads only this. */
struct machine_options {
	uint64_t ram_mib; /* -m */
	uint64_t cpu_hz; /* virtual CPU frequency */
	const char *boot_sector; /* -boot-sector FILE: loaded at 0x7C00 */
	const char *bios; /* -bios FILE: ROM below 4 GiB and at 0xF0000 */
	const char *kernel; /* -kernel bzImage: direct Linux boot */
	const char *initrd; /* -initrd FILE */
	const char *append; /* -append CMDLINE */
	bool demo; /* run the built-in demo guest */
	bool bare; /* RAM and the CPU only, no chipset or devices (harnesses) */
	bool builtin_bios; /* no -bios: popek's own BIOS (bios/) */
	const char *boot_order; /* -boot: letters a, c, d, n; NULL: "cdn" */
	struct chardev_spec debugcon; /* -debugcon */
	uint16_t debugcon_port; /* -debugcon-port; 0: 0xE9 */
	struct chardev_spec serial; /* -serial */
	uint64_t max_insns; /* stop after this many instructions; 0: never */
	bool stats; /* -stats: print counters at the end */
	unsigned display; /* -display: enum display_kind (gui/display.h) */
	const char *screenshot; /* -screenshot FILE.png at the end */
	const char *vga_text_dump; /* -vga-text-dump FILE at the end */
	const char *engine; /* -engine interp|kvm|auto; NULL: interp */
	uint64_t switch_at; /* -switch-at N: other engine after N insns */
	const char *fda; /* -fda FILE: floppy drive A: */
	const char *hd[4]; /* -hda..-hdd: IDE disks (primary/secondary) */
	const char *cdrom; /* -cdrom FILE: ATAPI CD-ROM, secondary master */
	bool no_reboot; /* -no-reboot: a guest reset ends the run */
	bool snapshot; /* -snapshot: disk writes go to memory, not the files */
};

/*
 * A device's return to its power-on state when the guest resets the
 * system (machine_reset).  Each device with state registers one when it
 * is created and removes it when it is destroyed.
 */
typedef void (*machine_reset_fn)(void *dev);
#define MACHINE_RESETS_MAX 32

struct machine_reset_hook {
	machine_reset_fn fn;
	void *dev;
};

/* Why a run ended. */
/* machine.host_stop values (0: none). */
#define HOST_STOP_BREAK 1
#define HOST_STOP_END 2

enum machine_exit_kind {
	MACHINE_RUNNING,
	MACHINE_EXIT_DEBUG_PORT, /* isa-debug-exit written */
	MACHINE_EXIT_TRIPLE_FAULT,
	MACHINE_EXIT_HALTED, /* HLT with interrupts off: nothing can wake it */
	MACHINE_EXIT_INSN_LIMIT,
	MACHINE_EXIT_ERROR,
	MACHINE_EXIT_INTERRUPTED, /* the host asked (SIGINT, SIGTERM) */
	/*
	 * The guest pulled the reset line: with -no-reboot the run ends;
	 * otherwise this only stops the engine, and the run loop reboots
	 * the machine (m->reset_pending) and runs on.
	 */
	MACHINE_EXIT_RESET,
};

/*
 * popek's process exit statuses.  isa-debug-exit gives (v << 1) | 1, which
 * is always odd, so it can coincide with 3 (a guest writing 1); the line
 * on stderr tells a triple fault apart.
 */
enum popek_exit_status {
	POPEK_EXIT_OK = 0, /* also: the demo guest's final HLT */
	POPEK_EXIT_BAD_INPUT = 2, /* command line, missing or bad image */
	POPEK_EXIT_TRIPLE_FAULT = 3,
	POPEK_EXIT_HALTED = 4, /* HLT that nothing can ever wake */
	POPEK_EXIT_INSN_LIMIT = 6, /* -max-insns reached */
	POPEK_EXIT_ERROR = 8, /* the emulator could not go on */
	POPEK_EXIT_INTERRUPTED = 130, /* 128 + SIGINT, as shells report it */
};

/*
 * Pages of RAM that hold decoded code.  A write there from anywhere (the
 * CPU's slow path, a device, the debugger) must drop the decoded copies.
 */
struct code_watch {
	uint8_t *bitmap; /* one bit per RAM page */
	uint64_t pages;
	void (*invalidate)(void *opaque, uint64_t addr, uint64_t len);
	void *opaque;
};

struct machine {
	struct machine_options opt;

	uint8_t *ram; /* one host mapping, shared by every engine */
	uint64_t ram_size;
	uint8_t *rom; /* firmware image (owned), mapped twice */
	uint64_t rom_size;
	bool a20; /* address line 20 enabled */

	struct phys_map map;
	struct io_bus io;
	struct irq_state irq;
	struct vclock clock;
	struct code_watch code;

	struct cpu *cpu; /* the interpreter's CPU */
	const struct accel_ops *accel; /* the engine running the CPU now */
	struct accel_kvm *kvm; /* the KVM engine, once started */
	uint64_t switch_at; /* engine switch pending at this count; 0: none */

	struct chipset *chipset; /* PIC, PIT, RTC, PCI, APICs */
	struct debugcon *debugcon;
	struct debug_exit *debug_exit;
	struct uart *serial;
	struct vga *vga; /* VGA, Bochs VBE and its PCI function */
	struct i8042 *kbc; /* keyboard controller, PS/2 keyboard and mouse */
	struct dma8237 *dma;
	struct fdc *fdc;
	struct ide *ide; /* both IDE channels and their PCI function */
	/* The debugger, when attached (debugger/debugger.h); NULL: none. */
	struct debugger *debugger;

	/*
	 * Set from a signal handler to end the run at the next slice; the
	 * only field written asynchronously.  HOST_STOP_BREAK (SIGINT)
	 * breaks into the debugger's prompt when there is one;
	 * HOST_STOP_END (SIGTERM) always ends the run.
	 */
	volatile sig_atomic_t host_stop;
	/*
	 * A device reads host input a person types (a terminal on stdin):
	 * while the guest idles in HLT, pace virtual time to host time
	 * instead of skipping ahead, so popek does not spin a host CPU.
	 */
	bool paced_idle;
	/*
	 * Called between slices when set (the display's refresh, which
	 * checks host time itself); NULL costs the run loop one test.
	 */
	void (*host_tick)(void *opaque);
	void *host_tick_opaque;

	/* Devices' power-on resets, called in reverse order of creation. */
	struct machine_reset_hook resets[MACHINE_RESETS_MAX];
	unsigned nresets;
	/* A reset was asked for: the run loop reboots after this slice. */
	bool reset_pending;
	uint64_t reboots; /* system resets done so far */

	/* Set by whatever ends the run; engines stop at the next boundary. */
	enum machine_exit_kind exit_kind;
	int exit_status; /* the process exit status */
	char exit_message[512];
};

/* Defaults for every option. */
void machine_options_init(struct machine_options *o);

/*
 * Build the board from options: RAM, firmware or boot sector, devices,
 * the interpreter CPU at its reset state.  A boot sector or the demo is
 * entered at 0000:7C00; with firmware, or with no image at all (a bare
 * board for tests), the CPU stays at the reset vector.  Returns NULL after
 * printing one line saying why (missing file, image too big, no memory).
 */
struct machine *machine_create(const struct machine_options *o);
void machine_destroy(struct machine *m);

/* Run until the machine stops; returns the process exit status. */
int machine_run(struct machine *m);

/* End the run with a reason; the first reason given wins. */
void machine_request_exit(struct machine *m, enum machine_exit_kind kind,
			  int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A20 gate: bit 20 of every physical address is forced to 0 when off. */
void machine_set_a20(struct machine *m, bool enabled);

/* The CPU wrote IA32_APIC_BASE: the local APIC moves or turns off. */
void machine_apic_base_write(struct machine *m, uint64_t value);

/* Mark a RAM range written from outside the CPU (devices, debugger). */
void machine_ram_written(struct machine *m, uint64_t addr, uint64_t len);

/*
 * The guest asked for a system reset (8042 output port, port 0x92, port
 * 0xCF9).  The engine stops at the next boundary; then the run loop
 * reboots the machine (machine_reset) and goes on from the reset vector.
 * With -no-reboot the run ends instead (status 0, as QEMU's -no-reboot)
 * with one line naming who asked.
 */
void machine_request_reset(struct machine *m, const char *who);

/*
 * Register dev's power-on reset (0, or -1 after one line when the table
 * is full), and take every hook of dev away again (on destroy).
 */
int machine_add_reset(struct machine *m, machine_reset_fn fn, void *dev);
void machine_remove_reset(struct machine *m, void *dev);

/*
 * A system reset, as the PC's reset line gives it: every registered device
 * back to its power-on state (RAM, the RTC's time and CMOS and the disk
 * images stay), A20 on, the CPU at the reset vector F000:FFF0 on the
 * engine that runs.  The run loop calls it for a pending reset.
 */
void machine_reset(struct machine *m);

#endif
