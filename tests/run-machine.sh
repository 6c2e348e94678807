#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run-machine.sh - the machine's reset and its disk images, end to end.
#
# Reset (tests/machine/reset-*.asm):
#   reset-disk.asm, a boot sector on a disk, resets through the 8042, port
#   CF9h and port 92h in turn and must come back each time (popek's BIOS,
#   and SeaBIOS where Debian's seabios is installed); with -no-reboot the
#   first reset ends the run with status 0 and one line naming the 8042.
#   reset-rom.asm, a 128 KiB -bios image, checks the power-on state,
#   changes it, resets through CF9h and checks that the reset restored it.
# Disk images (tests/machine/disk-write.asm writes sector 5 through INT
#   13h and reads it back): under -snapshot the guest sees its write and
#   the image file's hash is unchanged afterwards (disk and floppy);
#   without -snapshot the write reaches the file.  Bad images (missing,
#   unreadable, a FIFO, a directory, empty, truncated) for -hda and -fda,
#   with and without -snapshot: status 2, one line naming the file, the
#   file unchanged.
#
# Prints ok/not ok lines and ends with "N passed, N failed".
# Environment: POPEK (default ./popek), SEABIOS
# (/usr/share/seabios/bios.bin), TIMEOUT (default 60), VERBOSE=1.

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
POPEK=${POPEK:-$top/popek}
SEABIOS=${SEABIOS:-/usr/share/seabios/bios.bin}
TIMEOUT=${TIMEOUT:-60}
src=$top/tests/machine
passed=0
failed=0

ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}

not_ok() {
	echo "not ok - $1"
	failed=$((failed + 1))
}

if [ ! -x "$POPEK" ] || ! command -v nasm >/dev/null 2>&1; then
	echo "run-machine: $POPEK or nasm missing (run make first)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/run-machine.XXXXXX")
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT INT TERM

# asm NAME: assemble tests/machine/NAME.asm into $work/NAME.bin
asm() {
	nasm -f bin -o "$work/$1.bin" "$src/$1.asm" 2>"$work/nasm.err" ||
		{ not_ok "nasm $1.asm: $(head -2 "$work/nasm.err")"; return 1; }
}

# run ARGS...: popek headless, debug console to $work/out, stderr to
# $work/err; sets $rc.
run() {
	timeout "$TIMEOUT" "$POPEK" run -m 32 -display none -serial none \
		-debugcon "file:$work/out" "$@" </dev/null >/dev/null \
		2>"$work/err"
	rc=$?
	[ "${VERBOSE:-0}" = 1 ] && cat "$work/out" "$work/err"
}

# guest_verdict WHAT WANT_OK: the guest's lines and status 1 (exit 0)
guest_verdict() {
	nok=$(grep -c '^ok ' "$work/out")
	nbad=$(grep -c '^not ok ' "$work/out")
	if [ "$rc" -eq 1 ] && [ "$nbad" -eq 0 ] && [ "$nok" -eq "$2" ]; then
		ok "$1: $nok checks in the guest"
	else
		not_ok "$1: status $rc (expected 1), $nok ok (expected $2), $nbad not ok"
		grep -v '^ok ' "$work/out" | tail -5 | sed 's/^/    | /'
		sed 's/^/    ! /' "$work/err" | head -3
	fi
}

hash() {
	sha256sum "$1" | cut -d' ' -f1
}

# --- reset -------------------------------------------------------------------

if asm reset-disk; then
	cp "$work/reset-disk.bin" "$work/reset.img"
	truncate -s 1M "$work/reset.img"
	run -hda "$work/reset.img" -boot c
	guest_verdict "popek BIOS: resets through 8042, CF9h and 92h reboot" 3
	if [ -f "$SEABIOS" ]; then
		run -bios "$SEABIOS" -hda "$work/reset.img" -boot c
		guest_verdict "SeaBIOS: resets through 8042, CF9h and 92h reboot" 3
	else
		echo "# SKIP SeaBIOS reboot: $SEABIOS missing (Debian package seabios)"
	fi
	run -hda "$work/reset.img" -boot c -no-reboot
	if [ "$rc" -eq 0 ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
	    grep -q '8042' "$work/err" && grep -q -- '-no-reboot' "$work/err" &&
	    grep -q '^# boot 1' "$work/out" && ! grep -q '^ok ' "$work/out"; then
		ok "-no-reboot: the first reset ends the run, status 0: $(cat "$work/err")"
	else
		not_ok "-no-reboot: status $rc, stderr: $(head -c 200 "$work/err")"
	fi
fi

if asm reset-rom; then
	run -bios "$work/reset-rom.bin"
	guest_verdict "-bios ROM: the state after a CF9h reset is the power-on state" 21
fi

# --- -snapshot ---------------------------------------------------------------

if asm disk-write; then
	cp "$work/disk-write.bin" "$work/hd.img"
	truncate -s 1M "$work/hd.img"
	cp "$work/disk-write.bin" "$work/fd.img"
	truncate -s 1440K "$work/fd.img"
	for medium in "hd.img -hda -boot c" "fd.img -fda -boot a"; do
		set -- $medium
		img=$work/$1
		before=$(hash "$img")
		run "$2" "$img" "$3" "$4" -snapshot
		guest_verdict "-snapshot $2: the guest reads back its write" 3
		if [ "$(hash "$img")" = "$before" ]; then
			ok "-snapshot $2: the image file is unchanged"
		else
			not_ok "-snapshot $2: the image file changed"
		fi
		run "$2" "$img" "$3" "$4"
		guest_verdict "$2 without -snapshot: the guest reads back its write" 3
		if [ "$(hash "$img")" != "$before" ]; then
			ok "$2 without -snapshot: the write reached the file"
		else
			not_ok "$2 without -snapshot: the image file did not change"
		fi
	done
fi

# --- bad images: one line naming the file, status 2, the file untouched ------

# bad_image WHAT OPTION PATH [more options]
bad_image() {
	what=$1
	opt=$2
	path=$3
	shift 3
	sum=
	[ -f "$path" ] && sum=$(hash "$path" 2>/dev/null)
	run "$opt" "$path" "$@"
	lines=$(wc -l <"$work/err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] &&
	    grep -qF -- "$path" "$work/err" &&
	    { [ -z "$sum" ] || [ "$(hash "$path" 2>/dev/null)" = "$sum" ]; }; then
		ok "bad image, $what ($opt${*:+ $*}): status 2, '$(cat "$work/err")'"
	else
		not_ok "bad image, $what ($opt${*:+ $*}): status $rc, $lines line(s): $(head -c 300 "$work/err")"
	fi
}

: >"$work/empty.img"
head -c 1000 /dev/urandom >"$work/truncated.img"
head -c 1474000 /dev/urandom >"$work/truncated-fd.img"
mkdir "$work/dir.img"
mkfifo "$work/fifo.img" 2>/dev/null || echo "# SKIP FIFO image: mkfifo failed"
cp "$work/hd.img" "$work/unreadable.img" 2>/dev/null ||
	head -c 1048576 /dev/zero >"$work/unreadable.img"
chmod 000 "$work/unreadable.img"
for snap in "" -snapshot; do
	for opt in -hda -fda; do
		bad_image "missing" "$opt" "$work/missing.img" $snap
		bad_image "empty" "$opt" "$work/empty.img" $snap
		bad_image "a directory" "$opt" "$work/dir.img" $snap
		[ -p "$work/fifo.img" ] &&
			bad_image "a FIFO" "$opt" "$work/fifo.img" $snap
		if [ "$(id -u)" -ne 0 ]; then
			bad_image "unreadable (mode 000)" "$opt" \
				"$work/unreadable.img" $snap
		fi
	done
	bad_image "truncated (1000 bytes)" -hda "$work/truncated.img" $snap
	bad_image "not a floppy size" -fda "$work/truncated-fd.img" $snap
done
[ "$(id -u)" -eq 0 ] &&
	echo "# SKIP unreadable image (mode 000): root reads it anyway; the directory and FIFO cases stand in"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
