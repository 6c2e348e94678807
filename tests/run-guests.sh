#!/bin/sh
# run-guests.sh - run every guest program in tests/guests on popek.
#
# usage: tests/run-guests.sh [guest.bin|guest.asm ...]
#
# For each tests/guests/*.bin (rebuilt from its .asm with nasm when nasm is
# available and the .bin is missing or older than the .asm or an include),
# runs
#   ./popek run -boot-sector FILE -debugcon stdio -serial none -display none
# under a timeout and counts the "ok N - ..." / "not ok N - ..." lines the
# guest writes to port 0xE9.  A guest passes when it has no "not ok" line,
# at least one "ok" line and popek exits with status 1 (the guest wrote 0
# to port 0xF4).  A guest that crashed, timed out or exited with a wrong
# status counts as one extra failure.  A guest that needs disks names
# them in its source, one line each: `; popek-image: OPTION SIZE` (a
# zero-filled file of that size, as `truncate -s` takes it) or `;
# popek-image: OPTION FILE.asm` (FILE.asm, relative to tests/guests,
# assembled by nasm); the runner makes each image in a temporary file and
# passes `OPTION image`.  Prints one line per guest and finally "N passed, N failed" (assertion counts); exits 1 if anything
# failed.  Environment: POPEK (default ./popek), TIMEOUT (default 20),
# VERBOSE=1 prints every line of guest output, POPEK_ARGS adds options to
# every run (tests/run-kvm.sh: -engine kvm), OUTDIR=DIR keeps each
# guest's output and exit status as DIR/NAME.out and DIR/NAME.rc.

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
gdir=$top/tests/guests
POPEK=${POPEK:-$top/popek}
TIMEOUT=${TIMEOUT:-20}

if [ ! -x "$POPEK" ]; then
	echo "run-guests: $POPEK not found (run make first)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

if [ $# -eq 0 ]; then
	for a in "$gdir"/*.asm; do
		case $a in */qemu-loader.asm) continue ;; esac
		set -- "$@" "${a%.asm}.bin"
	done
fi

have_nasm=0
command -v nasm >/dev/null 2>&1 && have_nasm=1
out=$(mktemp "${TMPDIR:-/tmp}/run-guests.XXXXXX")
trap 'rm -f "$out" "$out.nasm" "$out".img*' EXIT INT TERM

# make_images SRC: the images SRC asks for; sets $images to the options.
make_images() {
	images=
	n=0
	while read -r opt what; do
		[ -n "$opt" ] || continue
		n=$((n + 1))
		img=$out.img$n
		rm -f "$img"
		case $what in
		*.asm) nasm -f bin -I "$gdir/" -o "$img" "$gdir/$what" ||
			return 1 ;;
		*) truncate -s "$what" "$img" || return 1 ;;
		esac
		images="$images $opt $img"
	done <<EOF
$(sed -n 's/^; popek-image: *//p' "$1")
EOF
	return 0
}

total_ok=0
total_fail=0
for g in "$@"; do
	case $g in
	*.asm) bin=${g%.asm}.bin ;;
	*) bin=$g ;;
	esac
	[ -e "$bin" ] || [ -e "${bin%.bin}.asm" ] || bin=$gdir/$(basename "$bin")
	src=${bin%.bin}.asm
	name=$(basename "$src")
	if [ "$have_nasm" = 1 ] && [ -f "$src" ]; then
		stale=0
		if [ ! -f "$bin" ] || [ "$src" -nt "$bin" ]; then
			stale=1
		else
			for inc in "$gdir"/*.inc; do
				[ -f "$inc" ] && [ "$inc" -nt "$bin" ] && stale=1
			done
		fi
		if [ "$stale" = 1 ] &&
		    ! nasm -f bin -I "$gdir/" -o "$bin" "$src" 2>"$out.nasm"; then
			echo "FAIL $name: nasm failed: $(head -3 "$out.nasm")"
			total_fail=$((total_fail + 1))
			continue
		fi
	fi
	if [ ! -f "$bin" ]; then
		echo "FAIL $name: $bin missing (no nasm to build it)"
		total_fail=$((total_fail + 1))
		continue
	fi
	images=
	if [ -f "$src" ] && ! make_images "$src"; then
		echo "FAIL $name: cannot make its disk images"
		total_fail=$((total_fail + 1))
		continue
	fi
	# $images is a list of words: left unquoted on purpose.
	timeout "$TIMEOUT" "$POPEK" run -boot-sector "$bin" -debugcon stdio \
		-serial none -display none $images ${POPEK_ARGS:-} >"$out" 2>&1 \
		</dev/null
	rc=$?
	if [ -n "${OUTDIR:-}" ]; then
		cp "$out" "$OUTDIR/$name.out"
		echo "$rc" >"$OUTDIR/$name.rc"
	fi
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
	if [ "$nfail" -eq 0 ] && [ -z "$why" ]; then
		echo "PASS $name: $nok assertions"
		continue
	fi
	echo "FAIL $name: $nok ok, $nfail not ok${why:+, $why}"
	grep '^not ok ' "$out" | sed 's/^/    /'
	if [ -n "$why" ]; then
		# the last lines usually say where it stopped
		grep -v '^ok ' "$out" | grep -v '^not ok ' | tail -5 | sed 's/^/    | /'
		total_fail=$((total_fail + 1))
	fi
	total_fail=$((total_fail + nfail))
done
echo "$total_ok passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
