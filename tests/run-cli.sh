#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The command line and the run loop, end to end: the demo's output and
# exit status, the exit statuses popek documents (isa-debug-exit, triple
# fault, halted, -max-insns) and the one-line error with status 2 for every
# kind of bad input.  Prints `ok - ...` / `not ok - ...` per check and ends
# with the `N passed, N failed` line of the `make check` protocol.
# Environment: POPEK (default ./popek), TIMEOUT (default 20 s).

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
POPEK=${POPEK:-$top/popek}
TIMEOUT=${TIMEOUT:-20}
passed=0
failed=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/popek-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok()
{
	echo "ok - $1"
	passed=$((passed + 1))
}

not_ok()
{
	echo "not ok - $1"
	failed=$((failed + 1))
}

# run ARGS...: runs popek with stdin from /dev/null; sets $status, and
# leaves stdout in $tmp/out and stderr in $tmp/err.
run()
{
	timeout "$TIMEOUT" "$POPEK" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# expect_status WHAT STATUS ARGS...
expect_status()
{
	what=$1
	want=$2
	shift 2
	run "$@"
	if [ "$status" -eq "$want" ]; then
		ok "$what: exit status $want"
	else
		not_ok "$what: exit status $status, expected $want ($(head -c 200 "$tmp/err"))"
	fi
}

# bad_input WHAT ARGS...: status 2, exactly one line on stderr, no output.
bad_input()
{
	what=$1
	shift
	run "$@"
	lines=$(wc -l <"$tmp/err")
	if [ "$status" -eq 2 ] && [ "$lines" -eq 1 ] &&
	   grep -q '^popek: ' "$tmp/err" && [ ! -s "$tmp/out" ]; then
		ok "bad input, $what: status 2, '$(cat "$tmp/err")'"
	else
		not_ok "bad input, $what: status $status, $lines line(s) on stderr: $(head -c 300 "$tmp/err")"
	fi
}

# expect_in FILE TEXT WHAT
expect_in()
{
	if grep -qF -- "$2" "$1"; then
		ok "$3"
	else
		not_ok "$3: '$2' not in $(head -c 300 "$1")"
	fi
}

if [ ! -x "$POPEK" ]; then
	echo "run-cli: $POPEK not found (run make first)"
	echo "0 passed, 1 failed"
	exit 1
fi

# --- the front door ---------------------------------------------------------

expect_status "--version" 0 --version
expect_in "$tmp/out" "popek " "--version prints the version"
expect_status "--help" 0 --help
expect_in "$tmp/out" "run" "--help lists the run subcommand"
expect_status "run --help" 0 run --help
expect_in "$tmp/out" "-boot-sector" "run --help lists the options"

# --- the demo ---------------------------------------------------------------

expect_status "the demo" 0 run -demo -debugcon "file:$tmp/e9" \
	-serial "file:$tmp/com1" -display none
expect_in "$tmp/e9" "Hello from popek! Real mode, debug console" \
	"demo greets on port 0xE9"
expect_in "$tmp/e9" "Now in 32-bit protected mode (port 0xE9)" \
	"demo reaches protected mode (port 0xE9)"
expect_in "$tmp/com1" "Hello from popek! Real mode, serial port COM1" \
	"demo greets on COM1"
expect_in "$tmp/com1" "Now in 32-bit protected mode (COM1)" \
	"demo reaches protected mode (COM1)"
if [ -s "$tmp/err" ]; then
	not_ok "demo writes nothing to stderr: $(head -c 200 "$tmp/err")"
else
	ok "demo writes nothing to stderr"
fi

expect_status "plain popek runs the demo" 0
expect_in "$tmp/out" "Hello from popek!" "plain popek prints the greeting"
expect_status "--name options" 0 --demo --serial=none --debugcon "file:$tmp/e9b"
expect_in "$tmp/e9b" "Goodbye." "--name=value spelling works"

expect_status "-max-insns" 6 -demo -max-insns 20 -serial none \
	-debugcon none -stats
expect_in "$tmp/err" "20 instructions" "-stats counts the instructions"

# --- exit statuses ----------------------------------------------------------

# mov al, 0x10; out 0xf4, al: isa-debug-exit gives (0x10 << 1) | 1 = 33.
printf '\260\020\346\364' >"$tmp/exit.bin"
expect_status "isa-debug-exit" 33 -boot-sector "$tmp/exit.bin" -serial none

# cli; hlt: nothing can wake the CPU.
printf '\372\364' >"$tmp/cli-hlt.bin"
expect_status "HLT with IF=0" 4 -boot-sector "$tmp/cli-hlt.bin" -serial none
expect_in "$tmp/err" "halted" "HLT with IF=0 says so"

# sti; hlt with no timer armed (stdin at end of file stops the serial poll).
printf '\373\364' >"$tmp/sti-hlt.bin"
expect_status "HLT with IF=1 and no timer" 4 -boot-sector "$tmp/sti-hlt.bin"

# lidt [idt0]; int3 with a zero-limit IVT: #GP, #DF, then shutdown
# (SDM Vol. 3A §20.1.4: an IVT access past the IDTR limit faults).
printf '\017\001\036\010\174\314\364\000\000\000\000\000\000\000' >"$tmp/triple.bin"
expect_status "triple fault" 3 -boot-sector "$tmp/triple.bin" -serial none
expect_in "$tmp/err" "triple fault" "a triple fault is reported"

# A 64 KiB firmware image: the reset vector (0xFFFFFFF0, the top of the
# copy below 4 GiB) far-jumps to F000:E000, which is only reachable through
# the copy below 1 MiB; there the code exits with 7 (status 15).
head -c 65536 /dev/zero >"$tmp/bios.rom"
printf '\260\007\346\364' |
	dd of="$tmp/bios.rom" bs=1 seek=57344 conv=notrunc 2>/dev/null
printf '\352\000\340\000\360' |
	dd of="$tmp/bios.rom" bs=1 seek=65520 conv=notrunc 2>/dev/null
expect_status "-bios: reset vector below 4 GiB, copy below 1 MiB" 15 \
	-bios "$tmp/bios.rom" -serial none

# jmp $ forever: SIGTERM ends the run cleanly with status 130.
printf '\353\376' >"$tmp/loop.bin"
timeout --preserve-status -s TERM 1 "$POPEK" -boot-sector "$tmp/loop.bin" \
	-serial none </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
if [ "$status" -eq 130 ] && grep -q "interrupted" "$tmp/err"; then
	ok "SIGTERM ends a looping guest with status 130"
else
	not_ok "SIGTERM: status $status, $(head -c 200 "$tmp/err")"
fi

# Serial input from stdin: a guest polls LSR.DR and echoes COM1 to 0xE9
# until it reads 'q', then exits with 0 (status 1).
cat >"$tmp/echo.asm" <<'ASM'
	bits 16
	org 0x7c00
wait_byte:
	mov dx, 0x3fd		; LSR
	in al, dx
	test al, 1		; DR
	jz wait_byte
	mov dx, 0x3f8		; RBR
	in al, dx
	out 0xe9, al
	cmp al, 'q'
	jne wait_byte
	xor al, al
	out 0xf4, al
ASM
if nasm -f bin -o "$tmp/echo.bin" "$tmp/echo.asm"; then
	printf 'typed text, then q' |
		timeout "$TIMEOUT" "$POPEK" -boot-sector "$tmp/echo.bin" \
			-serial stdio -debugcon "file:$tmp/echo.out" \
			>"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -eq 1 ] &&
	   [ "$(cat "$tmp/echo.out")" = "typed text, then q" ]; then
		ok "serial input from stdin reaches the guest in order"
	else
		not_ok "serial input: status $status, guest saw '$(cat "$tmp/echo.out")'"
	fi
else
	not_ok "nasm could not assemble the serial echo guest"
fi

# --- bad input: one line, status 2 ------------------------------------------

head -c 1000 /dev/zero >"$tmp/odd-rom.bin"
head -c 700000 /dev/zero >"$tmp/big.bin"
: >"$tmp/empty.bin"

bad_input "-m abc" -m abc
bad_input "-m 0" -m 0
bad_input "-m too large" -m 999999
bad_input "-m huge" -m 99999999999999999999999
bad_input "-m without a value" -m
bad_input "unknown option" -frobnicate
bad_input "unknown subcommand" frobnicate
bad_input "stray argument" run image.bin
bad_input "missing boot sector" -boot-sector "$tmp/nonexistent.bin"
bad_input "boot sector is a directory" -boot-sector "$tmp"
bad_input "empty boot sector" -boot-sector "$tmp/empty.bin"
bad_input "boot sector past 640 KiB" -boot-sector "$tmp/big.bin"
bad_input "missing BIOS" -bios "$tmp/nonexistent.rom"
bad_input "BIOS not a multiple of 64 KiB" -bios "$tmp/odd-rom.bin"
bad_input "-debugcon bogus" -debugcon bogus
bad_input "-serial file in a missing directory" -serial "file:$tmp/no/such/dir"
bad_input "-max-insns x" -max-insns x
bad_input "-display gtk" -display gtk
bad_input "-demo with -boot-sector" -demo -boot-sector "$tmp/exit.bin"
bad_input "-stats=1" -stats=1
bad_input "missing -hda image" -hda "$tmp/nonexistent.img"
bad_input "-hda not a multiple of 512 bytes" -hda "$tmp/odd-rom.bin"
bad_input "empty -hdb image" -hdb "$tmp/empty.bin"
bad_input "-fda not a floppy size" -fda "$tmp/odd-rom.bin"
bad_input "missing -cdrom image" -cdrom "$tmp/nonexistent.iso"
bad_input "-hdc with -cdrom" -hdc "$tmp/odd-rom.bin" -cdrom "$tmp/odd-rom.bin"
bad_input "-debugcon-port 0" -debugcon-port 0
bad_input "-debugcon-port 0x10000" -debugcon-port 0x10000
bad_input "-debugcon-port 0x0x1" -debugcon-port 0x0x1
bad_input "-debugcon-port abc" -debugcon-port abc
bad_input "-debugcon-port on the 8042's port" -debugcon-port 0x60 -demo

# -debugcon-port: mov dx, 0x402; mov al, 'Z'; out dx, al; mov al, 0;
# out 0xf4, al.  The byte reaches the debug console at its new port.
printf '\272\002\004\260Z\356\260\000\346\364' >"$tmp/port402.bin"
expect_status "-debugcon-port 0x402" 1 -boot-sector "$tmp/port402.bin" \
	-serial none -debugcon "file:$tmp/e9c" -debugcon-port 0x402
expect_in "$tmp/e9c" "Z" "-debugcon-port 0x402 moves the debug console"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
