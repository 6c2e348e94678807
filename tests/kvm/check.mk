# The KVM engine: every guest on KVM against the interpreter, and engine
# switches (tests/run-kvm.sh); skipped with a message where KVM is missing.
CHECK_STEPS += check-kvm
check-kvm: popek
	@$(MAKE) -k $(GUEST_BINS) || true
	@sh tests/run-kvm.sh
