#!/bin/sh
# run-bios.sh - boot test media through popek's BIOS and check what the
# BIOS services return.
#
# usage: tests/run-bios.sh
#
# Builds at test time, in a temporary folder, from tests/bios/*.asm:
#   fd.img  1.44 MB floppy: bios-test (-DMEDIA=0) + marker sectors
#   hd.img  1 MiB raw disk: bios-test (-DMEDIA=0x80) + marker sectors
#   cd.iso  El Torito no-emulation CD: bios-test (-DMEDIA=0xE0) as the
#           boot image (xorriso; skipped, and said so, when missing)
#   blank.img  a disk with no boot sector
# and boots each through popek's built-in BIOS (no -bios: the default
# firmware when a boot device is given), with -m 32.  bios-test reports
# "ok N - ..." / "not ok N - ..." on port 0xE9 and writes its failure
# count to port 0xF4; a run passes when it has no "not ok", at least one
# "ok" and popek's exit status is 1.  The blank disk must end in "No
# bootable device" and status 4 (halted).  tests/bios/hello.asm on a
# disk checks the screen through -vga-text-dump: the BIOS banner, "Booting
# from hard disk..." and the boot sector's teletype line.  Two real boot
# loaders from Debian must reach their prompt or menu, read back from the
# screen: ISOLINUX on a CD (packages isolinux, syslinux-common) to its
# "boot:" prompt, and GRUB (grub-pc-bin, grub-mkrescue with xorriso and
# mtools) to its menu, from a CD and from the same hybrid image as a disk.
#
# Where qemu-system-i386 is installed the same media boot on QEMU with
# -bios bios/popek-bios.bin as a cross-check of the BIOS against QEMU's
# devices (BIOS_QEMU=0 leaves it out).  Where SeaBIOS is installed
# (Debian's seabios, /usr/share/seabios/bios.bin) the disk and the CD are
# booted through it on popek too (BIOS_SEABIOS=0 leaves it out): there the
# boot sector must be reached and bios-test must run to its end.
#
# A missing tool or package is a SKIP line on a developer's machine; under
# CI (CI=true, as .ci/run runs, which installs every package named here)
# it is a failure that names the package.
#
# Prints one line per run and finally "N passed, N failed" (assertions
# plus one failure per run that crashed, timed out or ended wrongly).
# Environment: POPEK (default ./popek), QEMU (qemu-system-i386),
# SEABIOS (/usr/share/seabios/bios.bin), TIMEOUT (default 60), VERBOSE=1.

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
POPEK=${POPEK:-$top/popek}
QEMU=${QEMU:-qemu-system-i386}
SEABIOS=${SEABIOS:-/usr/share/seabios/bios.bin}
TIMEOUT=${TIMEOUT:-60}
ROM=$top/bios/popek-bios.bin

if [ ! -x "$POPEK" ]; then
	echo "run-bios: $POPEK not found (run make first)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
if ! command -v nasm >/dev/null 2>&1; then
	echo "run-bios: nasm not found" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/run-bios.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

total_ok=0
total_fail=0

fail_setup() {
	echo "FAIL $1"
	total_fail=$((total_fail + 1))
}

# missing WHAT PACKAGES: a SKIP, or under CI (which installs them) a FAIL
missing() {
	if [ "${CI:-}" = true ]; then
		fail_setup "$1: not installed, but .ci/run installs Debian package(s) $2"
	else
		echo "SKIP $1: not installed (Debian package(s) $2)"
	fi
}

# build MEDIA NAME TOTAL_SECTORS: bios-test for MEDIA, padded with markers
build() {
	if ! nasm -f bin -I "$top/tests/guests/" -DMEDIA="$1" \
	    -o "$work/$2.bin" "$top/tests/bios/bios-test.asm" 2>"$work/nasm.err"; then
		fail_setup "$2: nasm failed: $(head -3 "$work/nasm.err")"
		return 1
	fi
	[ "$3" -eq 0 ] && return 0
	first=$(($(wc -c <"$work/$2.bin") / 512))
	if ! nasm -f bin -DPROG="\"$work/$2.bin\"" -DFIRST="$first" \
	    -DTOTAL="$3" -o "$work/$2.img" "$top/tests/bios/media.asm" \
	    2>"$work/nasm.err"; then
		fail_setup "$2: nasm failed: $(head -3 "$work/nasm.err")"
		return 1
	fi
}

have_fd=0
have_hd=0
have_cd=0
build 0 fd 2880 && have_fd=1
build 0x80 hd 2048 && have_hd=1
if command -v xorriso >/dev/null 2>&1; then
	if build 0xE0 cd 0; then
		mkdir -p "$work/iso"
		cp "$work/cd.bin" "$work/iso/boot.bin"
		echo "popek BIOS test CD" >"$work/iso/readme.txt"
		n=$(($(wc -c <"$work/cd.bin") / 512))
		if xorriso -as mkisofs -quiet -o "$work/cd.iso" -b boot.bin \
		    -no-emul-boot -boot-load-size "$n" "$work/iso" \
		    >"$work/xorriso.log" 2>&1; then
			have_cd=1
		else
			fail_setup "cd.iso: xorriso failed: $(tail -2 "$work/xorriso.log")"
		fi
	fi
else
	missing "CD boot (xorriso)" xorriso
fi
truncate -s 1M "$work/blank.img"

# verdict NAME RC OUTFILE: count and judge one run of bios-test
verdict() {
	name=$1 rc=$2 out=$3
	[ "${VERBOSE:-0}" = 1 ] && cat "$out"
	nok=$(grep -c '^ok ' "$out")
	nfail=$(grep -c '^not ok ' "$out")
	why=
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		why="timed out after ${TIMEOUT}s"
	elif [ "$nok" -eq 0 ]; then
		why="no ok line"
	elif [ "$nfail" -eq 0 ] && [ "$rc" -ne 1 ]; then
		why="exit status $rc, expected 1"
	elif [ "$nfail" -ne 0 ] && [ "$rc" -ne $(((nfail << 1) | 1)) ]; then
		why="exit status $rc does not match $nfail failures"
	fi
	total_ok=$((total_ok + nok))
	total_fail=$((total_fail + nfail))
	if [ "$nfail" -eq 0 ] && [ -z "$why" ]; then
		echo "PASS $name: $nok assertions"
		return
	fi
	echo "FAIL $name: $nok ok, $nfail not ok${why:+, $why}"
	grep '^not ok ' "$out" | sed 's/^/    /'
	if [ -n "$why" ]; then
		grep -v '^ok ' "$out" | grep -v '^not ok ' | tail -6 | sed 's/^/    | /'
		total_fail=$((total_fail + 1))
	fi
}

# popek's built-in BIOS
run_popek() {
	name=$1
	shift
	timeout "$TIMEOUT" "$POPEK" run -m 32 -display none -serial none \
		-debugcon stdio "$@" >"$work/out" 2>&1 </dev/null
	verdict "$name" $? "$work/out"
}
[ "$have_hd" = 1 ] && run_popek "popek BIOS, hard disk" -hda "$work/hd.img" -boot c
[ "$have_fd" = 1 ] && run_popek "popek BIOS, floppy" -fda "$work/fd.img" -boot a
[ "$have_cd" = 1 ] && run_popek "popek BIOS, CD-ROM" -cdrom "$work/cd.iso" -boot d

# nothing bootable: the message, then a halt (status 4)
timeout "$TIMEOUT" "$POPEK" run -m 32 -display none -serial none \
	-debugcon stdio -hda "$work/blank.img" -boot c >"$work/out" 2>&1 </dev/null
rc=$?
if [ "$rc" -eq 4 ] && grep -q 'No bootable device' "$work/out"; then
	echo "PASS popek BIOS, blank disk: 'No bootable device', halted"
	total_ok=$((total_ok + 1))
else
	echo "FAIL popek BIOS, blank disk: exit status $rc (expected 4)"
	tail -4 "$work/out" | sed 's/^/    | /'
	total_fail=$((total_fail + 1))
fi

# the screen: POST's messages and the boot sector's teletype line, read
# back through -vga-text-dump
if nasm -f bin -o "$work/hello.img" "$top/tests/bios/hello.asm" 2>"$work/nasm.err"; then
	truncate -s 1M "$work/hello.img"
	timeout "$TIMEOUT" "$POPEK" run -m 32 -display none -serial none \
		-debugcon none -hda "$work/hello.img" \
		-vga-text-dump "$work/screen.txt" >"$work/out" 2>&1 </dev/null
	rc=$?
	why=
	[ "$rc" -eq 1 ] || why="exit status $rc, expected 1"
	[ -z "$why" ] && ! head -1 "$work/screen.txt" | grep -q '^popek BIOS' &&
		why="first row is not the BIOS banner"
	[ -z "$why" ] && ! grep -qx 'Booting from hard disk\.\.\.' "$work/screen.txt" &&
		why="no 'Booting from hard disk...' row"
	[ -z "$why" ] && [ "$(grep -v '^$' "$work/screen.txt" | tail -1)" != "hello from the boot sector" ] &&
		why="the last text row is not the boot sector's line"
	[ -z "$why" ] && [ "$(wc -l <"$work/screen.txt")" -ne 25 ] &&
		why="the dump has $(wc -l <"$work/screen.txt") rows, not 25"
	if [ -z "$why" ]; then
		echo "PASS popek BIOS, screen: banner, boot message and teletype line in the text dump"
		total_ok=$((total_ok + 1))
	else
		echo "FAIL popek BIOS, screen: $why"
		sed 's/^/    | /' "$work/screen.txt" 2>/dev/null | grep -v '^    | $' | head -8
		total_fail=$((total_fail + 1))
	fi
else
	fail_setup "hello.asm: nasm failed: $(head -3 "$work/nasm.err")"
fi

# a real boot loader: Debian's ISOLINUX (packages isolinux and
# syslinux-common) on a CD, to its "boot:" prompt, read from the screen
isolinux=/usr/lib/ISOLINUX/isolinux.bin
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
if [ -f "$isolinux" ] && [ -f "$ldlinux" ] &&
    command -v xorriso >/dev/null 2>&1; then
	mkdir -p "$work/isol/isolinux"
	cp "$isolinux" "$ldlinux" "$work/isol/isolinux/"
	printf 'PROMPT 1\nTIMEOUT 0\nSAY popek isolinux test\nDEFAULT none\n' \
		>"$work/isol/isolinux/isolinux.cfg"
	xorriso -as mkisofs -quiet -o "$work/isolinux.iso" \
		-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot \
		-boot-load-size 4 -boot-info-table "$work/isol" \
		>"$work/xorriso.log" 2>&1
	# it waits at the prompt for ever: stop it after 40 M instructions
	timeout "$TIMEOUT" "$POPEK" run -m 32 -display none -serial none \
		-debugcon none -cdrom "$work/isolinux.iso" -boot d \
		-max-insns 40000000 -vga-text-dump "$work/screen.txt" \
		>"$work/out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 6 ] && grep -q '^ISOLINUX ' "$work/screen.txt" &&
	    grep -qx 'popek isolinux test' "$work/screen.txt" &&
	    grep -q '^boot:' "$work/screen.txt"; then
		echo "PASS popek BIOS, ISOLINUX: banner, message and boot: prompt on the screen"
		total_ok=$((total_ok + 1))
	else
		echo "FAIL popek BIOS, ISOLINUX: exit status $rc (expected 6), screen:"
		grep -v '^$' "$work/screen.txt" 2>/dev/null | tail -6 | sed 's/^/    | /'
		total_fail=$((total_fail + 1))
	fi
elif ! command -v xorriso >/dev/null 2>&1; then
	missing "ISOLINUX (xorriso)" xorriso
else
	missing "ISOLINUX ($isolinux, $ldlinux)" "isolinux syslinux-common"
fi

# a real boot loader: Debian's GRUB for i386-pc (grub-pc-bin), made into a
# hybrid El Torito CD by grub-mkrescue (xorriso, mtools), to its menu with
# one entry, from the CD and from the same image as a hard disk
# run_grub NAME ARGS...: GRUB's menu on the screen
run_grub() {
	name=$1
	shift
	# it waits at the menu for ever: stop it after 150 M instructions
	timeout "$TIMEOUT" "$POPEK" run -m 64 -display none -serial none \
		-debugcon none -max-insns 150000000 \
		-vga-text-dump "$work/screen.txt" "$@" >"$work/out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 6 ] &&
	    head -3 "$work/screen.txt" | grep -q 'GNU GRUB  version' &&
	    grep -q 'popek grub test entry' "$work/screen.txt" &&
	    grep -q 'Press enter to boot the selected OS' "$work/screen.txt"; then
		echo "PASS $name: banner, the menu entry and the help text on the screen"
		total_ok=$((total_ok + 1))
	else
		echo "FAIL $name: exit status $rc (expected 6), screen:"
		grep -v '^$' "$work/screen.txt" 2>/dev/null | head -6 | sed 's/^/    | /'
		tail -2 "$work/out" | sed 's/^/    ! /'
		total_fail=$((total_fail + 1))
	fi
}
if command -v grub-mkrescue >/dev/null 2>&1 &&
    [ -d /usr/lib/grub/i386-pc ] && command -v xorriso >/dev/null 2>&1 &&
    command -v mformat >/dev/null 2>&1; then
	mkdir -p "$work/grub/boot/grub"
	printf 'set timeout=-1\nmenuentry "popek grub test entry" {\n\techo hello\n}\n' \
		>"$work/grub/boot/grub/grub.cfg"
	if grub-mkrescue -o "$work/grub.iso" "$work/grub" \
	    >"$work/grub.log" 2>&1; then
		run_grub "popek BIOS, GRUB from a CD" -cdrom "$work/grub.iso" -boot d
		run_grub "popek BIOS, GRUB from a disk" -hda "$work/grub.iso" -boot c
	else
		fail_setup "grub-mkrescue failed: $(tail -2 "$work/grub.log")"
	fi
else
	missing "GRUB (grub-mkrescue, /usr/lib/grub/i386-pc, xorriso, mformat)" \
		"grub-pc-bin grub-common xorriso mtools"
fi

# the same media on QEMU, as a cross-check of the BIOS
run_qemu() {
	name=$1
	shift
	timeout "$TIMEOUT" "$QEMU" -bios "$ROM" -m 32 -display none \
		-serial null -monitor none -debugcon stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -no-reboot "$@" \
		>"$work/out" 2>&1 </dev/null
	verdict "$name" $? "$work/out"
}
if [ "${BIOS_QEMU:-1}" = 1 ] && command -v "$QEMU" >/dev/null 2>&1 &&
    [ -f "$ROM" ]; then
	[ "$have_hd" = 1 ] && run_qemu "QEMU + popek BIOS, hard disk" \
		-drive file="$work/hd.img",format=raw,if=ide -boot c
	[ "$have_fd" = 1 ] && run_qemu "QEMU + popek BIOS, floppy" \
		-drive file="$work/fd.img",format=raw,if=floppy -boot a
	[ "$have_cd" = 1 ] && run_qemu "QEMU + popek BIOS, CD-ROM" \
		-cdrom "$work/cd.iso" -boot d
else
	echo "SKIP QEMU cross-check: BIOS_QEMU=0, or $QEMU or the ROM missing"
fi

# SeaBIOS on popek: it must reach the boot sector and run bios-test to
# its end; only the two boot checks count.  The rest is reported: without
# QEMU's fw_cfg SeaBIOS builds no ACPI tables, and popek's display has no
# VGA option ROM for it to run, so INT 10h is missing.
run_seabios() {
	name=$1
	shift
	timeout "$TIMEOUT" "$POPEK" run -bios "$SEABIOS" -m 32 -display none \
		-serial none -debugcon stdio "$@" >"$work/out" 2>&1 </dev/null
	rc=$?
	[ "${VERBOSE:-0}" = 1 ] && cat "$work/out"
	boot=$(grep -c '^ok [12] - boot: ' "$work/out")
	others=$(grep -c '^not ok ' "$work/out")
	if [ "$boot" -eq 2 ] && grep -q '^# done: ' "$work/out" &&
	    [ $((rc & 1)) -eq 1 ]; then
		echo "PASS $name: boot sector reached, bios-test ran ($others of its other checks fail there)"
		total_ok=$((total_ok + 2))
	else
		echo "FAIL $name: boot sector not reached (exit status $rc)"
		tail -4 "$work/out" | sed 's/^/    | /'
		total_fail=$((total_fail + 1))
	fi
}
if [ "${BIOS_SEABIOS:-1}" = 1 ] && [ -f "$SEABIOS" ]; then
	[ "$have_hd" = 1 ] && run_seabios "SeaBIOS, hard disk" -hda "$work/hd.img" -boot c
	[ "$have_fd" = 1 ] && run_seabios "SeaBIOS, floppy" -fda "$work/fd.img" -boot a
	[ "$have_cd" = 1 ] && run_seabios "SeaBIOS, CD-ROM" -cdrom "$work/cd.iso" -boot d
elif [ "${BIOS_SEABIOS:-1}" = 1 ]; then
	missing "SeaBIOS ($SEABIOS)" seabios
else
	echo "SKIP SeaBIOS: BIOS_SEABIOS=0"
fi

echo "$total_ok passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
