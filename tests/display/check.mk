# Display checks (tests/run-display.sh): guests that draw on the VGA,
# checked through -vga-text-dump and -screenshot pixels, the display
# options' bad input, and an SDL window on SDL's dummy video driver.
CHECK_STEPS += check-display
DISPLAY_GUESTS := tests/guests/vga-text.bin tests/guests/vga-mode13.bin

# lib.inc is found through -I (the generic tests/guests/%.bin rule has none).
$(DISPLAY_GUESTS): tests/guests/%.bin: tests/guests/%.asm tests/guests/lib.inc
	$(NASM) -f bin -I tests/guests/ -o $@ $<

tests/display/pngtool: tests/display/pngtool.c
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/display/pngtool.c $(LIBS)

check-display: popek tests/display/pngtool
	@$(MAKE) -s -k $(DISPLAY_GUESTS) || true
	@sh tests/run-display.sh

# make check opens no windows on the desktop of whoever runs it: with
# these empty, popek's default display is none.
check: export DISPLAY :=
check: export WAYLAND_DISPLAY :=

clean: clean-display
clean-display:
	rm -f tests/display/pngtool

.PHONY: clean-display
