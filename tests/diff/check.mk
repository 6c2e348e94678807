# popek diff: lockstep diffs of guests, an injected divergence, random
# streams, and the recorded regression cases (tests/diff/run).  The KVM
# parts are skipped with a message where KVM cannot start.
CHECK_STEPS += check-diff
check-diff: popek
	@$(MAKE) -k $(GUEST_BINS) || true
	@sh tests/diff/run
