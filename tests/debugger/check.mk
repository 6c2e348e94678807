# The debugger end to end (tests/run-debugger.sh): popek debug driven by
# -rc command files against tests/debugger/target.asm, and real gdb
# against the stub when gdb is installed.
CHECK_STEPS += check-debugger

tests/debugger/target.bin: tests/debugger/target.asm
	$(NASM) -f bin -o $@ $<

# The same guest with paging off, for the KVM cases (kvm_pvm cannot run
# 32-bit paging: docs/kvm.md).
tests/debugger/target-flat.bin: tests/debugger/target.asm
	$(NASM) -f bin -DFLAT -o $@ $<

check-debugger: popek tests/debugger/target.bin tests/debugger/target-flat.bin
	@sh tests/run-debugger.sh

clean: clean-debugger
clean-debugger:
	rm -f tests/debugger/target.bin tests/debugger/target-flat.bin

.PHONY: clean-debugger
