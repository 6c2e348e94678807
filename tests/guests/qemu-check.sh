#!/bin/sh
# qemu-check.sh - run popek guest programs under QEMU (TCG) as an oracle
# for the guests themselves.
#
# usage: tests/guests/qemu-check.sh [guest.asm|guest.bin ...]
#        (no argument: every tests/guests/*.asm except the loader)
#
# Each guest is assembled, put behind qemu-loader (a boot sector that reads
# the image to 0x7C00 and recreates popek's entry state) into a raw disk
# image and run with the isa-debug-exit device at port 0xF4.  The output
# format and the verdict follow tests/run-guests.sh.
# Environment: QEMU (default qemu-system-i386), TIMEOUT (default 30),
# ACCEL (default tcg; "kvm" runs on the host CPU, which also enforces the
# segment limit/access checks on memory operands that TCG does not model),
# VERBOSE=1 prints every assertion line.

set -u
here=$(cd "$(dirname "$0")" && pwd)
QEMU=${QEMU:-qemu-system-i386}
TIMEOUT=${TIMEOUT:-30}
ACCEL=${ACCEL:-tcg}                # ACCEL=kvm: real-hardware oracle
SECTORS=120                     # must match GUEST_SECTORS in qemu-loader.asm
work=$(mktemp -d "${TMPDIR:-/tmp}/qemu-check.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

command -v nasm >/dev/null 2>&1 || { echo "qemu-check: nasm not found" >&2; exit 2; }
command -v "$QEMU" >/dev/null 2>&1 || { echo "qemu-check: $QEMU not found" >&2; exit 2; }

nasm -f bin -o "$work/loader.bin" "$here/qemu-loader.asm" || exit 2

if [ $# -eq 0 ]; then
	set -- $(ls "$here"/*.asm | grep -v '/qemu-loader\.asm$')
fi

total_ok=0
total_fail=0
for g in "$@"; do
	case $g in
	*.bin) src=${g%.bin}.asm ;;
	*) src=$g ;;
	esac
	[ -f "$src" ] || src=$here/$(basename "$src")
	name=$(basename "$src")
	bin=$work/${name%.asm}.bin
	if ! nasm -f bin -I "$here/" -o "$bin" "$src" 2>"$work/nasm.err"; then
		echo "FAIL $name: nasm failed: $(head -3 "$work/nasm.err")"
		total_fail=$((total_fail + 1))
		continue
	fi
	size=$(wc -c <"$bin")
	if [ "$size" -gt $((SECTORS * 512)) ]; then
		echo "FAIL $name: image is $size bytes, more than $((SECTORS * 512))"
		total_fail=$((total_fail + 1))
		continue
	fi
	img=$work/disk.img
	cp "$work/loader.bin" "$img"
	cat "$bin" >>"$img"
	truncate -s $(((SECTORS + 1) * 512)) "$img"
	timeout "$TIMEOUT" "$QEMU" -accel "$ACCEL" -display none -serial null -monitor none \
		-drive file="$img",format=raw,if=ide \
		-debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-no-reboot >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	nok=$(grep -c '^ok ' "$work/out")
	nfail=$(grep -c '^not ok ' "$work/out")
	[ "${VERBOSE:-0}" = 1 ] && cat "$work/out"
	why=
	[ "$rc" -eq 124 ] && why="timed out after ${TIMEOUT}s"
	[ -z "$why" ] && [ "$rc" -ne 1 ] && [ "$nfail" -eq 0 ] && why="exit status $rc (expected 1)"
	[ -z "$why" ] && [ "$nok" -eq 0 ] && why="no ok line"
	if [ "$nfail" -eq 0 ] && [ -z "$why" ]; then
		echo "PASS $name: $nok assertions"
		total_ok=$((total_ok + nok))
	else
		echo "FAIL $name: $nok ok, $nfail not ok${why:+, $why} (exit status $rc)"
		grep '^not ok ' "$work/out" | sed 's/^/    /'
		[ -s "$work/err" ] && sed 's/^/    qemu: /' "$work/err" | head -5
		total_ok=$((total_ok + nok))
		total_fail=$((total_fail + nfail))
		[ -n "$why" ] && total_fail=$((total_fail + 1))
	fi
done
echo "$total_ok passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
