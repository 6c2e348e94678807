#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run-display.sh - the VGA and the display options, end to end.
#
# Runs the display guests (tests/guests/vga-*.bin, built by make) with
#   ./popek run -boot-sector FILE -display none -vga-text-dump T -screenshot S
# and checks the exit status (1: the guest wrote 0 to port 0xF4, so its
# own register checks passed), the text dump against tests/display/*.txt,
# and the screenshot's size and pixels with tests/display/pngtool (for
# mode 13h, pixel by pixel against the picture pngtool draws itself).
# Then bad input (-screenshot into a missing folder, an unknown -display)
# and, when popek is built with SDL2, a window on SDL's dummy video
# driver.  Prints one line per check and "N passed, N failed".
# Environment: POPEK (default ./popek), TIMEOUT (default 20).

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
POPEK=${POPEK:-$top/popek}
TIMEOUT=${TIMEOUT:-20}
tool=$top/tests/display/pngtool
gdir=$top/tests/guests
tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-display.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
pass() {
	echo "PASS $1"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL $1"
	failed=$((failed + 1))
}
# expect NAME GOT WANT
expect() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}

for f in "$POPEK" "$tool" "$gdir/vga-text.bin" "$gdir/vga-mode13.bin"; do
	if [ ! -e "$f" ]; then
		echo "run-display: $f missing (run make first)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

# run GUEST EXTRA-OPTIONS...: runs with outputs in $tmp/GUEST.{txt,png,out}
run() {
	g=$1
	shift
	timeout "$TIMEOUT" "$POPEK" run -boot-sector "$gdir/$g.bin" \
		-debugcon stdio -serial none -vga-text-dump "$tmp/$g.txt" \
		-screenshot "$tmp/$g.png" "$@" >"$tmp/$g.out" 2>&1 </dev/null
	echo $?
}

# --- text mode: the screen as text and as pixels ----------------------------
rc=$(run vga-text -display none)
expect "vga-text: exit status (guest checks passed)" "$rc" 1
if cmp -s "$tmp/vga-text.txt" "$top/tests/display/vga-text.txt"; then
	pass "vga-text: -vga-text-dump matches tests/display/vga-text.txt"
else
	fail "vga-text: -vga-text-dump differs from tests/display/vga-text.txt"
	diff "$tmp/vga-text.txt" "$top/tests/display/vga-text.txt" | head -10
fi
expect "vga-text: screenshot is 720x400" \
	"$("$tool" size "$tmp/vga-text.png")" 720x400
# Row 0, column 0 ('p' on blue): its top-left dot is background.
expect "vga-text: blue background at (0, 0)" \
	"$("$tool" pixel "$tmp/vga-text.png" 0 0)" 0000aa
# Row 10, column 40: a yellow full block (CP437 0xDB, attribute 0x0E).
expect "vga-text: yellow block at row 10, column 40" \
	"$("$tool" pixel "$tmp/vga-text.png" 364 168)" ffff55
# Its ninth dot repeats the eighth (a line-drawing character).
expect "vga-text: block's ninth dot" \
	"$("$tool" pixel "$tmp/vga-text.png" 368 168)" ffff55
# The empty screen around it: black.
expect "vga-text: black at row 20" \
	"$("$tool" pixel "$tmp/vga-text.png" 100 330)" 000000

# --- mode 13h: pixel by pixel ------------------------------------------------
rc=$(run vga-mode13 -display none)
expect "vga-mode13: exit status (guest checks passed)" "$rc" 1
"$tool" pattern13 "$tmp/expected13.png"
if out=$("$tool" cmp "$tmp/vga-mode13.png" "$tmp/expected13.png"); then
	pass "vga-mode13: screenshot equals the expected picture"
else
	fail "vga-mode13: screenshot differs: $out"
fi
expect "vga-mode13: text dump of a graphics mode is empty" \
	"$(wc -c <"$tmp/vga-mode13.txt" | tr -d ' ')" 0

# --- bad input ----------------------------------------------------------------
"$POPEK" run -demo -display none -debugcon none -serial none \
	-screenshot "$tmp/no/such/dir/x.png" >"$tmp/bad.out" 2>&1
rc=$?
expect "-screenshot into a missing folder: exit status 2" "$rc" 2
expect "-screenshot into a missing folder: one line" \
	"$(wc -l <"$tmp/bad.out" | tr -d ' ')" 1
"$POPEK" run -demo -display bogus >"$tmp/bad.out" 2>&1
expect "-display bogus: exit status 2" "$?" 2

# --- the SDL window, on SDL's dummy video driver ------------------------------
if grep -q '^#define HAVE_SDL2 1' "$top/config.h" 2>/dev/null; then
	rm -f "$tmp/vga-text.png" "$tmp/vga-text.txt"
	rc=$(SDL_VIDEODRIVER=dummy run vga-text -display sdl)
	expect "-display sdl (dummy driver): exit status" "$rc" 1
	if cmp -s "$tmp/vga-text.txt" "$top/tests/display/vga-text.txt"; then
		pass "-display sdl (dummy driver): text dump"
	else
		fail "-display sdl (dummy driver): text dump differs"
		tail -3 "$tmp/vga-text.out"
	fi
else
	"$POPEK" run -demo -display sdl >"$tmp/bad.out" 2>&1
	expect "-display sdl without SDL2: exit status 2" "$?" 2
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
