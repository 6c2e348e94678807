#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The `make check` protocol: every step's output ends with the line
# `N passed, N failed`.  This script has two jobs.
#
#   summarize.sh --relabel STEP
#	Copies stdin to stdout, rewriting a step's own summary line to
#	`STEP: passed N, failed N`, so that the whole run of `make check`
#	holds exactly one line of the form `N passed, N failed`: the total.
#
#   summarize.sh --total DIR STEP...
#	Reads DIR/STEP.log (the step's output) and DIR/STEP.rc (its exit
#	status) for each step, prints the grand total as the last line and
#	exits 1 when anything failed.  A step without a summary line, or one
#	that exited non-zero while reporting no failure, counts as one
#	failure.

set -u

summary_re='^[0-9][0-9]* passed, [0-9][0-9]* failed$'

case "${1:-}" in
--relabel)
	step=${2:?step name}
	sed "s/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\$/$step: passed \1, failed \2/"
	exit 0
	;;
--total)
	dir=${2:?directory}
	shift 2
	;;
*)
	echo "usage: $0 --relabel STEP | --total DIR STEP..." >&2
	exit 2
	;;
esac

total_passed=0
total_failed=0
for step in "$@"; do
	log=$dir/$step.log
	rc=$(cat "$dir/$step.rc" 2>/dev/null || echo 1)
	line=$(grep -E "$summary_re" "$log" 2>/dev/null | tail -n 1)
	if [ -z "$line" ]; then
		echo "$step: no summary line (exit status $rc): counted as 1 failure"
		total_failed=$((total_failed + 1))
		continue
	fi
	passed=${line%% passed*}
	failed=${line#*passed, }
	failed=${failed%% failed}
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		echo "$step: exit status $rc with no failure reported: counted as 1 failure"
		failed=1
	fi
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
