#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Runs the cmocka unit test programs given as arguments, one after another,
# and ends with the `N passed, N failed` line of the `make check` protocol
# (see tests/summarize.sh).  Each program's tests are counted from cmocka's
# own `[  PASSED  ] N test(s).` and `[  FAILED  ] N test(s)` lines; a
# program that was not built, or crashes before reporting, counts as one
# failure.

set -u

passed=0
failed=0
out=$(mktemp "${TMPDIR:-/tmp}/popek-unit.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT INT TERM

for prog in "$@"; do
	if [ ! -x "$prog" ]; then
		echo "$prog: not built: counted as 1 failure"
		failed=$((failed + 1))
		continue
	fi
	"./$prog" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$out" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "$prog: no cmocka report (exit status $rc): counted as 1 failure"
		f=1
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$prog: exit status $rc with no failed test: counted as 1 failure"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
