CHECK_STEPS += check-linux-boot
check-linux-boot: popek
	@tests/linux-boot/run
