#!/bin/sh
# bochs-check.sh - run popek guest programs under Bochs, a second oracle:
# unlike QEMU's TCG, Bochs enforces segment limits and access rights on
# every memory access (segaccess.asm needs that).
#
# usage: tests/guests/bochs-check.sh [guest.asm ...]   (default: all)
#
# The disk image is qemu-loader + guest, as in qemu-check.sh.  Bochs has no
# isa-debug-exit device, so the verdict comes from the guest's own summary
# line ("# done: N assertions, failures: F") on port 0xE9.  Needs a Bochs
# with port_e9_hack; a VGA BIOS is taken from SeaBIOS/QEMU if Bochs's own
# is missing.  Environment: BOCHS (default bochs), TIMEOUT (default 60).

set -u
here=$(cd "$(dirname "$0")" && pwd)
BOCHS=${BOCHS:-bochs}
TIMEOUT=${TIMEOUT:-60}
SECTORS=120
work=$(mktemp -d "${TMPDIR:-/tmp}/bochs-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

command -v nasm >/dev/null 2>&1 || { echo "bochs-check: nasm not found" >&2; exit 2; }
command -v "$BOCHS" >/dev/null 2>&1 || { echo "bochs-check: $BOCHS not found" >&2; exit 2; }
bios=
for f in /usr/share/bochs/BIOS-bochs-latest /usr/local/share/bochs/BIOS-bochs-latest; do
	[ -r "$f" ] && { bios=$f; break; }
done
vga=
for f in /usr/share/bochs/VGABIOS-lgpl-latest /usr/share/vgabios/vgabios.bin \
    /usr/share/seabios/vgabios-stdvga.bin /usr/share/qemu/vgabios-stdvga.bin; do
	[ -r "$f" ] && { vga=$f; break; }
done
[ -n "$bios" ] && [ -n "$vga" ] || { echo "bochs-check: BIOS/VGA BIOS image not found" >&2; exit 2; }

nasm -f bin -o "$work/loader.bin" "$here/qemu-loader.asm" || exit 2
if [ $# -eq 0 ]; then
	set -- $(ls "$here"/*.asm | grep -v '/qemu-loader\.asm$')
fi

total_ok=0
total_fail=0
for g in "$@"; do
	src=$g
	[ -f "$src" ] || src=$here/$(basename "$src")
	name=$(basename "$src")
	if ! nasm -f bin -I "$here/" -o "$work/guest.bin" "$src" 2>"$work/nasm.err"; then
		echo "FAIL $name: nasm failed: $(head -3 "$work/nasm.err")"
		total_fail=$((total_fail + 1))
		continue
	fi
	img=$work/${name%.asm}.img
	cat "$work/loader.bin" "$work/guest.bin" >"$img"
	truncate -s $((1008 * 512)) "$img"      # 1 cylinder, 16 heads, 63 sectors
	cat >"$work/bochsrc" <<EOT
megs: 32
romimage: file=$bios
vgaromimage: file=$vga
ata0-master: type=disk, path=$img, mode=flat, cylinders=1, heads=16, spt=63
boot: disk
port_e9_hack: enabled=1
display_library: term
log: $work/bochs.log
EOT
	: >"$work/out"
	# a debugger-enabled Bochs waits for "c" on stdin
	# timeout(1) puts the pipeline in its own process group and SIGKILLs
	# that group (a debugger-enabled Bochs waits for "c" on stdin and
	# does not stop at HLT).  Poll for the summary line to finish early.
	timeout -s KILL "$TIMEOUT" sh -c \
		'( echo c; sleep "$1" ) | "$2" -q -f "$3/bochsrc" >"$3/out" 2>"$3/err"' \
		sh "$TIMEOUT" "$BOCHS" "$work" </dev/null >/dev/null 2>&1 &
	pid=$!
	waited=0
	while [ "$waited" -lt $((TIMEOUT * 2)) ]; do
		grep -aqs '^# done:' "$work/out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
		waited=$((waited + 1))
	done
	/bin/kill -s KILL -- "-$pid" 2>/dev/null # the group timeout(1) created
	wait "$pid" 2>/dev/null
	touch "$work/out"
	nok=$(grep -ac '^ok ' "$work/out")
	nfail=$(grep -ac '^not ok ' "$work/out")
	why=
	grep -aq '^# done:' "$work/out" || why="no summary line (crash or timeout)"
	[ -z "$why" ] && [ "$nok" -eq 0 ] && why="no ok line"
	total_ok=$((total_ok + nok))
	if [ "$nfail" -eq 0 ] && [ -z "$why" ]; then
		echo "PASS $name: $nok assertions"
	else
		echo "FAIL $name: $nok ok, $nfail not ok${why:+, $why}"
		grep -a '^not ok ' "$work/out" | sed 's/^/    /'
		total_fail=$((total_fail + nfail))
		[ -n "$why" ] && total_fail=$((total_fail + 1))
	fi
done
echo "$total_ok passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
