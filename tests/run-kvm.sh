#!/bin/sh
# SPDX-License-Identifier: MIT
# run-kvm.sh - the guest programs on the KVM engine, checked against the
# interpreter, and engine switches in both directions.
#
# usage: tests/run-kvm.sh
#
# Where `popek -engine kvm` cannot start (no /dev/kvm, no permission, a
# KVM that lacks what popek needs) it prints why, "skipped", and
# "0 passed, 0 failed".  Otherwise:
#  1. every guest in tests/guests runs on the interpreter and on KVM
#     (tests/run-guests.sh with -engine interp / -engine kvm); each KVM
#     run must give the same output, byte for byte, and the same exit
#     status.  A guest that KVM cannot run on this host (popek exits 2
#     with "cannot run this guest") must then give the interpreter's
#     output under -engine auto, which falls back to the interpreter.
#     Guests listed in tests/kvm/known-differences for this kind of host
#     are reported XFAIL with the reason.
#  2. switch tests: a guest starts on one engine, moves to the other
#     after N instructions (-switch-at N), and must give the output and
#     status of the interpreter alone; both directions.
# Ends with "N passed, N failed" (one per guest or switch run).
# Environment: POPEK (default ./popek), TIMEOUT (default 60).

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
gdir=$top/tests/guests
POPEK=${POPEK:-$top/popek}
TIMEOUT=${TIMEOUT:-60}
known=$top/tests/kvm/known-differences
export POPEK TIMEOUT

if [ ! -x "$POPEK" ]; then
	echo "run-kvm: $POPEK not found (run make first)"
	echo "0 passed, 1 failed"
	exit 1
fi
probe=$("$POPEK" run -engine kvm -demo -debugcon none -serial none 2>&1)
if [ $? -eq 2 ]; then
	echo "run-kvm: skipped: $probe"
	echo "0 passed, 0 failed"
	exit 0
fi
host=kvm
[ -e /sys/module/kvm_pvm ] && host=kvm_pvm

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-kvm.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/interp" "$tmp/kvm"

OUTDIR=$tmp/interp POPEK_ARGS="-engine interp" sh "$top/tests/run-guests.sh" \
	>"$tmp/interp.log" 2>&1
OUTDIR=$tmp/kvm POPEK_ARGS="-engine kvm" sh "$top/tests/run-guests.sh" \
	>"$tmp/kvm.log" 2>&1

passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# Guest output without popek's own note about an engine change.
guest_lines() { grep -v '^popek: -engine auto: ' "$1"; }

for rcfile in "$tmp"/interp/*.rc; do
	name=$(basename "$rcfile" .rc)
	irc=$(cat "$rcfile")
	if [ ! -f "$tmp/kvm/$name.rc" ]; then
		fail "$name: no KVM run"
		continue
	fi
	krc=$(cat "$tmp/kvm/$name.rc")
	if [ "$krc" -eq 2 ] &&
	    grep -q 'cannot run this guest' "$tmp/kvm/$name.out"; then
		why=$(grep 'cannot run this guest' "$tmp/kvm/$name.out" | head -1)
		POPEK_ARGS="-engine auto" OUTDIR=$tmp/kvm sh \
			"$top/tests/run-guests.sh" "$gdir/${name%.asm}.bin" \
			>/dev/null 2>&1
		arc=$(cat "$tmp/kvm/$name.rc")
		if [ "$arc" = "$irc" ] &&
		    guest_lines "$tmp/kvm/$name.out" |
		    cmp -s - "$tmp/interp/$name.out"; then
			pass "$name: KVM here cannot run it ($why); -engine auto matches the interpreter"
		else
			fail "$name: KVM cannot run it and -engine auto differs (status $arc, interpreter $irc)"
		fi
		continue
	fi
	if [ "$krc" = "$irc" ] &&
	    cmp -s "$tmp/kvm/$name.out" "$tmp/interp/$name.out"; then
		pass "$name: same output and status $krc on both engines"
		continue
	fi
	reason=$(awk -v g="$name" -v h="$host" \
		'$1 == g && $2 == h { $1 = ""; $2 = ""; sub(/^  */, ""); print; exit }' \
		"$known")
	if [ -n "$reason" ]; then
		echo "XFAIL $name: differs on $host: $reason"
		continue
	fi
	fail "$name: KVM status $krc, interpreter $irc; first differences:"
	diff "$tmp/interp/$name.out" "$tmp/kvm/$name.out" | head -6 |
		sed 's/^/    /'
done

# Switch tests: the count is where the first engine hands over.
for g in alu string smc; do
	bin=$gdir/$g.bin
	[ -f "$bin" ] || { fail "switch $g: $bin missing"; continue; }
	"$POPEK" run -boot-sector "$bin" -debugcon stdio -serial none \
		-display none -engine interp >"$tmp/ref.out" 2>&1 </dev/null
	ref=$?
	for first in interp kvm; do
		timeout "$TIMEOUT" "$POPEK" run -boot-sector "$bin" \
			-debugcon stdio -serial none -display none \
			-engine $first -switch-at 20000 >"$tmp/sw.out" 2>&1 \
			</dev/null
		rc=$?
		if [ "$rc" = "$ref" ] && cmp -s "$tmp/sw.out" "$tmp/ref.out"
		then
			pass "switch $g: $first -> other after 20000 instructions: same output and status $rc"
		else
			fail "switch $g: $first first: status $rc (alone: $ref)"
			diff "$tmp/ref.out" "$tmp/sw.out" | head -4 | sed 's/^/    /'
		fi
	done
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
