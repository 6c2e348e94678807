#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The debugger end to end: `popek debug` runs command files (-rc) against
# tests/debugger/target.bin and the transcript is checked (a breakpoint
# after paging is on, a watchpoint stopping after the writing
# instruction, page walks of a mapped and an unmapped address, the
# disassembly, stepping over a call, the magic breakpoint, info gdt,
# bad input); then gdb, when installed, attaches to the stub.  Ends with
# the `N passed, N failed` line of `make check`.
# Environment: POPEK (default ./popek), TIMEOUT (default 20 s).

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
POPEK=${POPEK:-$top/popek}
TIMEOUT=${TIMEOUT:-20}
TARGET=$top/tests/debugger/target.bin
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
session()
{
	name=$1
	shift
	timeout "$TIMEOUT" "$POPEK" debug -boot-sector "$TARGET" \
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

# --- gdb --------------------------------------------------------------------
if ! command -v gdb >/dev/null 2>&1; then
	echo "# gdb is not installed: the gdb stub checks are skipped"
else
	# A free port: the stub refuses a port in use, so try a few.
	port=0
	for p in 23451 24567 25679 26791 27813; do
		"$POPEK" run -boot-sector "$TARGET" -display none -serial none \
			-debugcon none -S -gdb "tcp::$p" \
			>"$tmp/stub.out" 2>&1 </dev/null &
		pid=$!
		sleep 0.3
		if kill -0 "$pid" 2>/dev/null; then
			port=$p
			break
		fi
	done
	if [ "$port" -eq 0 ]; then
		not_ok "gdb: no free port for the stub"
	else
		timeout "$TIMEOUT" gdb -batch -nx \
			-ex "target remote 127.0.0.1:$port" \
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
			-ex 'kill' >"$tmp/gdb.out" 2>&1
		wait "$pid" 2>/dev/null
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
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
