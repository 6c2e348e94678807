# The debugger end to end (tests/run-debugger.sh): popek debug driven by
# -rc command files against tests/debugger/target.asm, and real gdb
# against the stub when gdb is installed.
CHECK_STEPS += check-debugger

tests/debugger/target.bin: tests/debugger/target.asm
	$(NASM) -f bin -o $@ $<

check-debugger: popek tests/debugger/target.bin
	@sh tests/run-debugger.sh

clean: clean-debugger
clean-debugger:
	rm -f tests/debugger/target.bin

.PHONY: clean-debugger
