# SPDX-License-Identifier: MIT
# make check step: boot test media through popek's BIOS (tests/run-bios.sh)
CHECK_STEPS += check-bios
check-bios: popek $(BIOS_ROM)
	@sh tests/run-bios.sh
