// SPDX-License-Identifier: MIT
/*
 * CPUID under KVM: the guest sees popek's CPU model (cpu_cpuid, what the
 * interpreter answers), with every feature bit KVM cannot give it
 * cleared (KVM_GET_SUPPORTED_CPUID, api.rst §4.46), so the guest sees
 * one CPU on both engines.  Vendor, family, brand string and address
 * sizes are popek's; only feature flags are masked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm.h"
#include "cpu/cpu.h"

#define CPUID_MAX_ENTRIES 256

static struct kvm_cpuid2 *cpuid_alloc(unsigned nent)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));

	if (c)
		c->nent = nent;
	return c;
}

/* What this KVM can offer; E2BIG means the buffer was too small. */
static struct kvm_cpuid2 *supported_cpuid(int sys_fd)
{
	for (unsigned nent = 64; nent <= 4096; nent *= 2) {
		struct kvm_cpuid2 *c = cpuid_alloc(nent);

		if (!c)
			return NULL;
		if (ioctl(sys_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		free(c);
		if (errno != E2BIG)
			return NULL;
	}
	return NULL;
}

static const struct kvm_cpuid_entry2 *
find_entry(const struct kvm_cpuid2 *c, uint32_t function, uint32_t index)
{
	for (uint32_t i = 0; i < c->nent; i++)
		if (c->entries[i].function == function &&
		    c->entries[i].index == index)
			return &c->entries[i];
	return NULL;
}

/* Leaves whose registers are feature flags (SDM Vol. 2A CPUID). */
static bool is_feature_leaf(uint32_t leaf)
{
	return leaf == 1 || leaf == 6 || leaf == 7 || leaf == 0x80000001 ||
	       leaf == 0x80000007;
}

/* Leaves with subleaves in ECX (SDM Vol. 2A CPUID). */
static bool has_subleaves(uint32_t leaf)
{
	return leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd;
}

/* The last subleaf of a list: leaf 4 type 0, leaf 0Bh level type 0. */
static bool last_subleaf(uint32_t leaf, uint32_t subleaf, const uint32_t r[4])
{
	if (leaf == 4)
		return (r[0] & 0x1f) == 0;
	if (leaf == 0xb)
		return ((r[2] >> 8) & 0xff) == 0;
	return subleaf == 0;
}

static void add_entry(struct kvm_cpuid2 *out, const struct kvm_cpuid2 *sup,
		      uint32_t leaf, uint32_t subleaf, const uint32_t r[4])
{
	const struct kvm_cpuid_entry2 *s = find_entry(sup, leaf, subleaf);
	struct kvm_cpuid_entry2 *e;

	if (out->nent >= CPUID_MAX_ENTRIES)
		return;
	e = &out->entries[out->nent++];
	memset(e, 0, sizeof(*e));
	e->function = leaf;
	e->index = subleaf;
	e->flags = has_subleaves(leaf) ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
	e->eax = r[0];
	e->ebx = r[1];
	e->ecx = r[2];
	e->edx = r[3];
	if (!is_feature_leaf(leaf))
		return;
	/* A feature KVM does not offer is not shown. */
	e->ecx &= s ? s->ecx : 0;
	e->edx &= s ? s->edx : 0;
	if (leaf == 7)
		e->ebx &= s ? s->ebx : 0;
}

static void add_leaf(struct kvm_cpuid2 *out, const struct kvm_cpuid2 *sup,
		     uint32_t leaf)
{
	for (uint32_t subleaf = 0; subleaf < 64; subleaf++) {
		uint32_t r[4];

		cpu_cpuid(leaf, subleaf, r);
		add_entry(out, sup, leaf, subleaf, r);
		if (!has_subleaves(leaf) || last_subleaf(leaf, subleaf, r))
			break;
	}
}

int kvm_cpuid_setup(struct accel_kvm *k)
{
	struct kvm_cpuid2 *sup = supported_cpuid(k->sys_fd);
	struct kvm_cpuid2 *out;
	uint32_t r[4], max_basic, max_ext;
	int ret;

	if (!sup)
		return -1;
	out = cpuid_alloc(CPUID_MAX_ENTRIES);
	if (!out) {
		free(sup);
		return -1;
	}
	out->nent = 0;
	cpu_cpuid(0, 0, r);
	max_basic = r[0];
	for (uint32_t leaf = 0; leaf <= max_basic && leaf < 0x40; leaf++)
		add_leaf(out, sup, leaf);
	cpu_cpuid(0x80000000, 0, r);
	max_ext = r[0];
	for (uint32_t leaf = 0x80000000; leaf <= max_ext && leaf < 0x80000040;
	     leaf++)
		add_leaf(out, sup, leaf);
	ret = ioctl(k->vcpu_fd, KVM_SET_CPUID2, out) < 0 ? -1 : 0;
	free(out);
	free(sup);
	return ret;
}
