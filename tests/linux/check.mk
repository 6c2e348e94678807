# Debian 12's amd64 and 686-pae kernels boot on the interpreter to a
# busybox shell (tests/linux/run).  Not a `make check` step: it downloads
# about 125 MB of packages (cached outside the tree) and each boot takes
# minutes.  .ci/run runs it after `make check`.
check-linux: popek
	@tests/linux/run

.PHONY: check-linux

# The same boots under KVM (the kernel runs at this host's KVM emulation
# speed, ~2 M instructions/s, so it takes far longer; never in make check).
check-linux-kvm: popek
	@POPEK_LINUX_ENGINE=kvm tests/linux/run

.PHONY: check-linux-kvm
