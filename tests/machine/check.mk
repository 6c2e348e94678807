# SPDX-License-Identifier: MIT
# make check step: the machine's reset and disk images (tests/run-machine.sh)
CHECK_STEPS += check-machine
check-machine: popek
	@sh tests/run-machine.sh
