// SPDX-License-Identifier: MIT
/*
 * The KVM engine's counters for -stats: exits by reason (a KVM_RUN that
 * returned -EINTR counts as KVM_EXIT_INTR), I/O exits by port (one exit
 * may move several items of a string instruction), MMIO exits by
 * address, injections, slot rebuilds, instructions the interpreter ran
 * for KVM and instructions counted by single-stepping.
 */
#include <inttypes.h>
#include <stdio.h>

#include "accel/kvm.h"
#include "machine/machine.h"

const char *kvm_exit_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO",
		[KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG",
		[KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_SET_TPR] = "SET_TPR",
		[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
		[KVM_EXIT_NMI] = "NMI",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
		[KVM_EXIT_HYPERV] = "HYPERV",
		[KVM_EXIT_X86_RDMSR] = "X86_RDMSR",
		[KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
		[KVM_EXIT_DIRTY_RING_FULL] = "DIRTY_RING_FULL",
		[KVM_EXIT_X86_BUS_LOCK] = "X86_BUS_LOCK",
		[KVM_EXIT_NOTIFY] = "NOTIFY",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "(other)";
}

void kvm_stats_count_exit(struct kvm_stats *st, uint32_t reason)
{
	st->exits++;
	if (reason < sizeof(st->by_reason) / sizeof(st->by_reason[0]))
		st->by_reason[reason]++;
	else
		st->other_reason++;
}

/* A short table of exact addresses; the rest are counted together. */
void kvm_stats_count_mmio(struct kvm_stats *st, uint64_t addr, bool write)
{
	struct kvm_mmio_count *c = NULL;

	for (unsigned i = 0; i < st->mmio_used; i++)
		if (st->mmio[i].addr == addr)
			c = &st->mmio[i];
	if (!c && st->mmio_used < KVM_MMIO_STATS) {
		c = &st->mmio[st->mmio_used++];
		c->addr = addr;
	}
	if (!c) {
		st->mmio_other++;
		return;
	}
	if (write)
		c->writes++;
	else
		c->reads++;
}

void kvm_stats_print(const struct accel_kvm *k)
{
	const struct kvm_stats *st = &k->stats;
	double secs = (double)st->run_ns / 1e9;

	fprintf(stderr,
		"popek: stats: kvm: %" PRIu64 " exits in %.6f s (%.0f exits/s)\n",
		st->exits, secs, secs > 0 ? (double)st->exits / secs : 0.0);
	for (unsigned r = 0; r < 64; r++)
		if (st->by_reason[r])
			fprintf(stderr,
				"popek: stats: kvm:   exit %-16s %12" PRIu64 "\n",
				kvm_exit_name(r), st->by_reason[r]);
	if (st->other_reason)
		fprintf(stderr, "popek: stats: kvm:   exit %-16s %12" PRIu64 "\n",
			"(other)", st->other_reason);
	for (unsigned port = 0; port < 65536; port++)
		if (st->io_by_port[port])
			fprintf(stderr,
				"popek: stats: kvm:   I/O exits port %#06x %10" PRIu64
				"\n",
				port, st->io_by_port[port]);
	for (unsigned i = 0; i < st->mmio_used; i++)
		fprintf(stderr,
			"popek: stats: kvm:   MMIO exits at %#014" PRIx64
			" %10" PRIu64 " reads %10" PRIu64 " writes\n",
			st->mmio[i].addr, st->mmio[i].reads, st->mmio[i].writes);
	if (st->mmio_other)
		fprintf(stderr,
			"popek: stats: kvm:   MMIO exits elsewhere %10" PRIu64 "\n",
			st->mmio_other);
	fprintf(stderr,
		"popek: stats: kvm: %" PRIu64 " interrupts and %" PRIu64
		" NMIs injected, %" PRIu64 " slot rebuilds, %" PRIu64
		" instructions run by the interpreter for KVM, %" PRIu64
		" instructions counted by single-stepping\n",
		st->injected_irqs, st->injected_nmis, st->slot_rebuilds,
		st->interp_steps, st->steps);
	fprintf(stderr, "popek: stats: kvm: guest TSC %s\n",
		k->tsc_scaled ? "scaled to the virtual CPU's rate" :
				"at the host's rate (no TSC scaling here)");
}
