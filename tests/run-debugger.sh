#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The debugger end to end: `popek debug` runs command files (-rc) against
# tests/debugger/target.bin and the transcript is checked (a breakpoint
# after paging is on, a watchpoint stopping after the writing
# instruction, page walks of a mapped and an unmapped address, the
# disassembly, stepping over a call, the magic breakpoint, info gdt,
# bad input, the prompt after a triple fault or an exit with a stop
# pending, SIGTERM); then the KVM cases on tests/debugger/target-flat.bin
# where /dev/kvm works (a breakpoint, `s 10` landing where the
# interpreter lands, a write watchpoint, switching engines mid-session,
# and the cost of a step); then gdb, when installed, attaches to the
# stub: on the interpreter (target.bin) and, where /dev/kvm works, on KVM
# (target-flat.bin: a breakpoint, stepi, registers read and written,
# memory, a watchpoint through Z2, monitor commands).  Ends with the
# `N passed, N failed` line of `make check`.
# Environment: POPEK (default ./popek), TIMEOUT (default 20 s).

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
POPEK=${POPEK:-$top/popek}
TIMEOUT=${TIMEOUT:-20}
TARGET=$top/tests/debugger/target.bin
FLAT=$top/tests/debugger/target-flat.bin
passed=0
failed=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/popek-dbg.XXXXXX") || exit 1
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

# session NAME [OPTIONS...]: runs $tmp/NAME.rc; transcript in $tmp/NAME.out
# (the guest is $IMAGE, by default target.bin)
session()
{
	name=$1
	shift
	timeout "$TIMEOUT" "$POPEK" debug -boot-sector "${IMAGE:-$TARGET}" \
		-display none -serial none -debugcon none \
		-rc "$tmp/$name.rc" "$@" </dev/null >"$tmp/$name.out" 2>&1
	status=$?
}

# expect NAME WHAT FIXED-STRING: the transcript holds the line part.
expect()
{
	if grep -qF -- "$3" "$tmp/$1.out"; then
		ok "$1: $2"
	else
		not_ok "$1: $2 (no '$3' in the transcript)"
		sed 's/^/#   /' "$tmp/$1.out" | head -40
	fi
}

# expect_re NAME WHAT REGEX: a line matches the extended regex.
expect_re()
{
	if grep -qE -- "$3" "$tmp/$1.out"; then
		ok "$1: $2"
	else
		not_ok "$1: $2 (no line matching '$3')"
		sed 's/^/#   /' "$tmp/$1.out" | head -40
	fi
}

if [ ! -r "$TARGET" ]; then
	not_ok "tests/debugger/target.bin is not built"
	echo "$passed passed, $failed failed"
	exit 1
fi

# --- breakpoints, page walks, disassembly, tables --------------------------
cat >"$tmp/paging.rc" <<'RC'
lb 0x7d00
c
creg
page 0x9000
page 0x300000
u 0x7d00 2
info gdt
x /2bx 0x7d00
calc eax == 0x80000011 || eax + 1
q
RC
session paging
expect paging "breakpoint at a linear address after paging is on" \
	"Breakpoint 1, linear 0x7d00 (phys 0x7d00)"
expect paging "stopped at the breakpoint's instruction" \
	"0008:00007d00: mov dword ptr [0x00009000], 0x12345678"
expect_re paging "CR0 shows PG and PE" "^CR0=0x[0-9a-f]*: PG .*PE$"
expect paging "page walk of a mapped address: the PDE" \
	"PDE  [  0] at 0x0000010000: 0x0000000000011023"
expect paging "page walk of a mapped address: the PTE" \
	"PTE  [  9] at 0x0000011024: 0x0000000000009003"
expect paging "page walk of a mapped address: the result" \
	"-> physical 0x9000 (4 KiB page, writable, supervisor)"
expect paging "page walk of an unmapped address faults at the PTE" \
	"PTE  [768] at 0x0000011c00: 0x0000000000000000 xd g pat d a pcd pwt us rw p  <- #PF: not present"
expect paging "u disassembles the call" \
	"0x0000000000007d0a: call 0x00007D19"
expect paging "info gdt decodes the code segment" \
	"GDT[0x01]=Code segment, base=0x00000000, limit=0xffffffff, Execute/Read, dpl=0, 32-bit"
expect paging "x reads linear memory" "<lin>: 0xc7 0x05"
expect paging "calc with registers and operators" "0x1 1 1"
if [ "$status" -eq 0 ]; then ok "paging: q exits with status 0"
else not_ok "paging: q exits with status $status"; fi

# --- watchpoints, stepping over a call, the magic breakpoint ----------------
cat >"$tmp/watch.rc" <<'RC'
watch w 0x9000 4
c
x /1wx 0x9000
n
r
c
s
s 2
c
RC
session watch -magic-break
expect watch "watchpoint names the write and the writing instruction" \
	"Watchpoint 1: write of 4 bytes at linear 0x9000 (phys 0x9000), value 0x12345678, by the instruction at linear 0x7d00"
expect watch "watchpoint stops right after the writing instruction" \
	"[0x000000007d0a] 0008:00007d0a: call 0x00007D19"
expect watch "the watched memory holds the value" "<lin>: 0x12345678"
expect watch "n steps over the call" "[0x000000007d0f] 0008:00007d0f: xchg bx, bx"
expect watch "the call ran (eax read back in the callee)" "eax: 0x12345678"
expect watch "the magic breakpoint stops after xchg bx,bx" \
	"[0x000000007d12] 0008:00007d12: mov al, 0x21"
expect watch "s steps one instruction" "0008:00007d14: out 0x80, al"
if [ "$status" -eq 67 ]; then ok "watch: the guest's exit status (0x21 << 1 | 1)"
else not_ok "watch: status $status, expected 67"; fi

# --- real-mode stepping, exceptions, I/O breaks, source, set ---------------
cat >"$tmp/inner.rc" <<'RC'
set eax = 0x1234 + 1
calc ax
RC
cat >"$tmp/misc.rc" <<RC
s 3
source $tmp/inner.rc
catch io 0x80
sb 5
c
blist
c
RC
session misc
expect misc "s 3 steps three instructions in real mode" \
	"0000:7c05: mov ss, ax"
expect misc "source runs a file; set changes a register" "0x1235 4661"
expect misc "sb stops after n instructions" "instruction 8 reached"
expect misc "an I/O port catch stops after the OUT" \
	"I/O write of port 0x0080 (1 byte), value 0x21, by the instruction at linear 0x7d14"

# --- bad input: errors, and the session goes on -----------------------------
cat >"$tmp/bad.rc" <<'RC'
frobnicate
calc 1 / 0
calc (1 + 2
x /0x 0
xp /4bx 0xfffffff0000
lb
vb 0x7c00
bpd 42
set nosuchreg = 1
page 0xfffffffffff
watch w 0 0
source /nonexistent/file
catch io 0x10000
info nosuch
calc 6 * 7
q
RC
session bad
expect bad "unknown command" "error: unknown command 'frobnicate'"
expect bad "division by zero" "error: division by zero"
expect bad "unbalanced parenthesis" "error: missing ')'"
expect bad "bad x format" "error: bad format '/0x'"
expect bad "memory outside RAM" "(cannot read physical 0xfffffff0000)"
expect bad "vb needs seg:off" "error: vb needs seg:off"
expect bad "no such breakpoint" "error: no breakpoint 42"
expect bad "unknown register" "error: unknown register 'nosuchreg'"
expect bad "empty watch range" "error: cannot watch that range"
expect bad "missing command file" "error: /nonexistent/file:"
expect bad "port out of range" "is not a port range"
expect bad "the session goes on after errors" "0x2a 42 42"

# --- -rc without the debugger, bad -gdb -------------------------------------
"$POPEK" run -rc "$tmp/bad.rc" -boot-sector "$TARGET" -display none \
	</dev/null >/dev/null 2>"$tmp/err"
status=$?
if [ "$status" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
	ok "-rc without the debugger: one line, status 2"
else
	not_ok "-rc without the debugger: status $status"
fi
"$POPEK" run -gdb tcp::notaport -boot-sector "$TARGET" -display none \
	</dev/null >/dev/null 2>"$tmp/err"
status=$?
if [ "$status" -eq 2 ]; then ok "-gdb with a bad port: status 2"
else not_ok "-gdb with a bad port: status $status"; fi

# --- the end of a run under the prompt ---------------------------------------
# lidt with limit 0, then int3: #GP, #DF, shutdown (as in run-cli.sh).
printf '\017\001\036\010\174\314\364\000\000\000\000\000\000\000' \
	>"$tmp/triple.bin"
printf 'c\nr\nc\n' >"$tmp/triple.rc"
IMAGE=$tmp/triple.bin session triple
expect triple "a triple fault stops at the prompt" \
	"The run is over: triple fault (the CPU shut down)"
expect triple "the state can be looked at" "eip: 0x00007c05"
expect triple "the guest cannot run on" "the run is over: the guest cannot run on"
if [ "$status" -eq 3 ]; then ok "triple: the triple fault's status 3"
else not_ok "triple: status $status, expected 3"; fi

printf 'catch io 0xf4\nc\nx /1wx 0x9000\n' >"$tmp/lastio.rc"
session lastio
expect lastio "a stop pending when the guest exits is shown" \
	"I/O write of port 0x00f4 (1 byte), value 0x21"
expect lastio "then the prompt" "(popek) x /1wx 0x9000"
if [ "$status" -eq 67 ]; then ok "lastio: the guest's exit status"
else not_ok "lastio: status $status, expected 67"; fi

# SIGTERM ends popek debug; SIGINT breaks into the prompt.
printf '\353\376' >"$tmp/spin.bin"
printf 'c\n' >"$tmp/spin.rc"
for sig in TERM INT; do
	"$POPEK" debug -boot-sector "$tmp/spin.bin" -display none \
		-serial none -debugcon none -rc "$tmp/spin.rc" \
		</dev/null >"$tmp/sig$sig.out" 2>&1 &
	pid=$!
	sleep 0.5
	kill -s "$sig" "$pid"
	waited=0
	while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 50 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -s KILL "$pid"
		not_ok "SIG$sig: popek debug did not end"
	fi
	wait "$pid"
	eval "status_$sig=\$?"
done
if [ "$status_TERM" -eq 130 ] && ! grep -q Ctrl-C "$tmp/sigTERM.out"; then
	ok "SIGTERM ends popek debug (status 130, no prompt)"
else
	not_ok "SIGTERM: status $status_TERM"
	sed 's/^/#   /' "$tmp/sigTERM.out" | head -10
fi
if grep -q '^Ctrl-C' "$tmp/sigINT.out" && [ "$status_INT" -eq 0 ]; then
	ok "SIGINT breaks into the prompt (then end of input quits)"
else
	not_ok "SIGINT: status $status_INT"
	sed 's/^/#   /' "$tmp/sigINT.out" | head -10
fi

# --- the KVM engine -----------------------------------------------------------
probe=$("$POPEK" run -engine kvm -boot-sector "$FLAT" -display none \
	-serial none -debugcon none 2>&1 </dev/null)
probe_status=$?
if [ ! -r "$FLAT" ]; then
	not_ok "tests/debugger/target-flat.bin is not built"
elif [ "$probe_status" -eq 2 ]; then
	echo "# KVM cases skipped: $probe"
else
	IMAGE=$FLAT
	printf 'lb 0x7d00\nlb 0x7d0a\nc\ninfo engine\nc\nn\nc\n' \
		>"$tmp/kvmbp.rc"
	session kvmbp -engine kvm
	expect kvmbp "kvm: a breakpoint stops at its address" \
		"Breakpoint 1, linear 0x7d00 (phys 0x7d00)"
	expect kvmbp "kvm: the stop is before the instruction" \
		"[0x000000007d00] 0008:00007d00: mov dword ptr [0x00009000]"
	expect kvmbp "kvm: info engine names the engine" "engine: kvm"
	expect kvmbp "kvm: continuing from a breakpoint reaches the next" \
		"Breakpoint 2, linear 0x7d0a (phys 0x7d0a)"
	expect kvmbp "kvm: n steps over the call" \
		"[0x000000007d0f] 0008:00007d0f: xchg bx, bx"
	if [ "$status" -eq 67 ]; then ok "kvmbp: the guest's exit status"
	else not_ok "kvmbp: status $status, expected 67"; fi

	printf 's 10\ns 10\ns 3000\nr\nq\n' >"$tmp/step.rc"
	cp "$tmp/step.rc" "$tmp/kstep.rc"
	session step -engine interp
	session kstep -engine kvm
	grep -E '^\[|^e[a-d]x|^eip' "$tmp/step.out" >"$tmp/step.where"
	grep -E '^\[|^e[a-d]x|^eip' "$tmp/kstep.out" >"$tmp/kstep.where"
	if [ -s "$tmp/step.where" ] && cmp -s "$tmp/step.where" "$tmp/kstep.where"
	then
		ok "kvm: s 10, s 10, s 3000 land where the interpreter lands"
	else
		not_ok "kvm: stepping differs from the interpreter"
		diff "$tmp/step.where" "$tmp/kstep.where" | sed 's/^/#   /' |
			head -20
	fi

	printf 'watch w 0x9000 4\nc\nx /1wx 0x9000\nc\n' >"$tmp/kwatch.rc"
	session kwatch -engine kvm
	expect kwatch "kvm: a write watchpoint names the range and value" \
		"Watchpoint 1: write of 4 bytes at linear 0x9000 (phys 0x9000), value 0x12345678, by the instruction before linear 0x7d0a"
	expect kwatch "kvm: it stops right after the writing instruction" \
		"[0x000000007d0a] 0008:00007d0a: call 0x00007D19"
	if [ -e /sys/module/kvm_pvm ]; then
		expect kwatch "kvm_pvm: the watch compares bytes, and says so" \
			"note: kvm_pvm: data breakpoints do not fire"
	else
		expect kwatch "kvm: the watch is a debug register" "(DR0)"
	fi
	printf 'watch phys 0x9000 4\nwatch r 0x9000 4\nc\n' >"$tmp/klimits.rc"
	session klimits -engine kvm
	expect klimits "kvm: physical watchpoints are refused with a reason" \
		"note: kvm: physical-address watchpoints cannot be watched"
	expect klimits "kvm: read-only watchpoints: the reason" \
		"note: kvm: x86 debug registers have no read-only kind"

	printf 'lb 0x7d00\nc\nengine kvm\ninfo engine\nwatch w 0x9000 4\nc\nengine interp\ns 2\nr\nc\n' \
		>"$tmp/switch.rc"
	session switch -engine interp
	expect switch "engine kvm moves the machine" "now on the kvm engine"
	expect switch "info engine after the switch" "engine: kvm"
	expect switch "the watchpoint fires on KVM after the switch" \
		"Watchpoint 2: write of 4 bytes at linear 0x9000"
	expect switch "engine interp moves it back" "now on the interp engine"
	expect switch "the interpreter goes on (the callee reads the value)" \
		"eax: 0x12345678"
	if [ "$status" -eq 67 ]; then ok "switch: the guest's exit status"
	else not_ok "switch: status $status, expected 67"; fi
	printf 's 5\nengine interp\ns 10\nengine kvm\nlb 0x7d0a\nc\nc\n' \
		>"$tmp/switch2.rc"
	session switch2 -engine kvm
	expect switch2 "kvm -> interp -> kvm: a breakpoint after both switches" \
		"Breakpoint 1, linear 0x7d0a (phys 0x7d0a)"
	if [ "$status" -eq 67 ]; then ok "switch2: the guest's exit status"
	else not_ok "switch2: status $status, expected 67"; fi

	# A figure, not a test: the cost of one step on each engine.
	printf 's 10000\nq\n' >"$tmp/cost.rc"
	for e in interp kvm; do
		t0=$(date +%s%N)
		IMAGE=$tmp/spin.bin session cost -engine "$e"
		t1=$(date +%s%N)
		echo "# s 10000 on $e: $(((t1 - t0) / 1000000)) ms" \
			"($(((t1 - t0) / 10000000)) us per step, start-up included)"
	done
	unset IMAGE
fi

# --- gdb --------------------------------------------------------------------
# gdb_session NAME IMAGE ENGINE GDB-ARGS...: popek run -S on a free port
# (the stub refuses a port in use, so a few are tried), then gdb -batch
# with GDB-ARGS; gdb's transcript in $tmp/NAME.out, popek's in
# $tmp/NAME-stub.out.
gdb_session()
{
	name=$1
	image=$2
	engine=$3
	shift 3
	port=0
	for p in 23451 24567 25679 26791 27813; do
		"$POPEK" run -engine "$engine" -boot-sector "$image" \
			-display none -serial none -debugcon none -S \
			-gdb "tcp::$p" >"$tmp/$name-stub.out" 2>&1 </dev/null &
		pid=$!
		sleep 0.3
		if kill -0 "$pid" 2>/dev/null; then
			port=$p
			break
		fi
	done
	if [ "$port" -eq 0 ]; then
		not_ok "$name: no free port for the stub"
		: >"$tmp/$name.out"
		return 1
	fi
	timeout "$TIMEOUT" gdb -batch -nx \
		-ex "target remote 127.0.0.1:$port" "$@" >"$tmp/$name.out" 2>&1
	wait "$pid" 2>/dev/null
	return 0
}

if ! command -v gdb >/dev/null 2>&1; then
	echo "# gdb is not installed: the gdb stub checks are skipped"
else
	if gdb_session gdb "$TARGET" interp \
		-ex 'show architecture' \
		-ex 'info registers eip' \
		-ex 'x/2xb 0x7c00' \
		-ex 'break *0x7d00' \
		-ex 'continue' \
		-ex 'show architecture' \
		-ex 'continue' \
		-ex 'info registers eip cs' \
		-ex 'p ($cr0 & 0x80000001) == 0x80000001' \
		-ex 'p/x $cs_limit' \
		-ex 'watch *(int *)0x9000' \
		-ex 'continue' \
		-ex 'p/x *(int *)0x9000' \
		-ex 'stepi' \
		-ex 'p $pc' \
		-ex 'monitor page 0x300000' \
		-ex 'kill'; then
		expect gdb "the real-mode description is i8086" '(currently "i8086")'
		expect gdb "entering protected mode is reported" \
			"popek: the CPU is now in 16-bit protected mode (gdb architecture i386)"
		expect gdb "registers read at reset of the boot sector" \
			"eip            0x7c00"
		expect gdb "memory read" "0x7c00:	0xfa	0x31"
		expect gdb "a breakpoint after paging is on" \
			"Breakpoint 1, 0x00007d00 in ?? ()"
		expect gdb "CR0 in the system feature (PG and PE set)" '$1 = 1'
		expect gdb "segment limits in the system feature" '$2 = 0xffffffff'
		expect gdb "a hardware watchpoint stops on the write" \
			"New value = 305419896"
		expect gdb "memory after the write" '$3 = 0x12345678'
		expect gdb "monitor passes debugger commands" "<- #PF: not present"
	fi

	# The same on KVM, on the flat guest (kvm_pvm shuts down on the
	# paged one), with the probe of the KVM cases above.
	if [ ! -r "$FLAT" ] || [ "$probe_status" -eq 2 ]; then
		echo "# gdb on KVM skipped: $probe"
	elif gdb_session kgdb "$FLAT" kvm \
		-ex 'show architecture' \
		-ex 'info registers eip' \
		-ex 'x/2xb 0x7c00' \
		-ex 'break *0x7d00' \
		-ex 'continue' \
		-ex 'continue' \
		-ex 'info registers eip cs' \
		-ex 'p/x $cr0 & 0x80000001' \
		-ex 'p/x $cs_limit' \
		-ex 'delete' \
		-ex 'watch *(int *)0x9000' \
		-ex 'continue' \
		-ex 'p/x *(int *)0x9000' \
		-ex 'delete' \
		-ex 'stepi' \
		-ex 'p $pc' \
		-ex 'set $eax = 0x55aa' \
		-ex 'p/x $eax' \
		-ex 'stepi' \
		-ex 'p/x $eax' \
		-ex 'monitor info engine' \
		-ex 'monitor page 0x300000' \
		-ex 'kill'; then
		expect kgdb "kvm: the real-mode description is i8086" \
			'(currently "i8086")'
		expect kgdb "kvm: registers at reset" "eip            0x7c00"
		expect kgdb "kvm: memory read" "0x7c00:	0xfa	0x31"
		expect kgdb "kvm: entering protected mode is reported" \
			"popek: the CPU is now in 16-bit protected mode (gdb architecture i386)"
		expect kgdb "kvm: a breakpoint stops before its instruction" \
			"Breakpoint 1, 0x00007d00 in ?? ()"
		expect kgdb "kvm: CR0 (PE, paging off)" '$1 = 0x1'
		expect kgdb "kvm: segment limits" '$2 = 0xffffffff'
		expect kgdb "kvm: a hardware watchpoint (Z2) stops on the write" \
			"New value = 305419896"
		expect kgdb "kvm: the watchpoint stops after the writing instruction" \
			"0x00007d0a in ?? ()"
		expect kgdb "kvm: memory after the write" '$3 = 0x12345678'
		expect kgdb "kvm: stepi steps into the call" \
			'$4 = (void (*)()) 0x7d19'
		expect kgdb "kvm: a register written (P)" '$5 = 0x55aa'
		expect kgdb "kvm: the guest runs on with the register written" \
			'$6 = 0x12345678'
		expect kgdb "kvm: monitor runs on the kvm engine" "engine: kvm"
		expect kgdb "kvm: monitor passes debugger commands" \
			"linear 0x300000: paging is off, physical 0x300000"
		if [ -e /sys/module/kvm_pvm ]; then
			expect kgdb-stub "kvm_pvm: gdb's watchpoint compares bytes" \
				"value 0x12345678, by the instruction before linear 0x7d0a (the bytes changed)"
		else
			expect kgdb-stub "kvm: gdb's watchpoint is a debug register" \
				"by the instruction before linear 0x7d0a (DR"
		fi
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
