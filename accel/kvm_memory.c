// SPDX-License-Identifier: MIT
/*
 * KVM memory slots over the machine's own host mappings: the RAM and ROM
 * regions of m->map become slots (ROM with KVM_MEM_READONLY, so a store
 * there exits as MMIO and is dropped by phys_write), MMIO regions and
 * unmapped space stay holes that exit as KVM_EXIT_MMIO.  The slots point
 * at the very bytes the interpreter uses, so an engine switch copies
 * nothing.  api.rst §4.35 KVM_SET_USER_MEMORY_REGION.
 *
 * The slots are rebuilt (every one deleted, then created again) when the
 * map changes (m->map.generation), when the machine ran on another engine,
 * and on shadow-paging hosts when RAM was written from outside the guest
 * while paging is on: deleting a slot is what drops KVM's shadow pages
 * (../shared/kvm-host.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "accel/kvm.h"
#include "machine/machine.h"

static int set_slot(struct accel_kvm *k, unsigned id, const struct kvm_slot *s,
		    bool remove)
{
	struct kvm_userspace_memory_region r;

	memset(&r, 0, sizeof(r));
	r.slot = id;
	r.flags = s->readonly ? KVM_MEM_READONLY :
		  k->dirty_logging ? KVM_MEM_LOG_DIRTY_PAGES : 0;
	r.guest_phys_addr = s->gpa;
	r.memory_size = remove ? 0 : s->size;
	r.userspace_addr = (uint64_t)(uintptr_t)s->host;
	if (ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
		fprintf(stderr,
			"popek: kvm: cannot %s slot %u (%#llx, %#llx bytes): %s\n",
			remove ? "delete" : "create", id,
			(unsigned long long)s->gpa,
			(unsigned long long)s->size, strerror(errno));
		return -1;
	}
	return 0;
}

static void free_rom_copies(struct accel_kvm *k)
{
	for (unsigned i = 0; i < k->rom_copy_count; i++)
		munmap(k->rom_copies[i], k->rom_copy_size[i]);
	k->rom_copy_count = 0;
}

/*
 * KVM needs page-aligned host addresses.  RAM is one mmap, so its pages
 * always are; a ROM image read into a heap buffer may not be: slot a
 * page-aligned copy (read-only to the guest, so a copy is exact).
 */
static void *aligned_host(struct accel_kvm *k, const struct mem_region *r,
			  uint64_t start, uint64_t size)
{
	uint8_t *host = r->host + (start - r->base);
	void *copy;

	if (((uintptr_t)host & (PAGE_SIZE - 1)) == 0)
		return host;
	if (r->kind != MEM_ROM || k->rom_copy_count >= KVM_MAX_SLOTS)
		return NULL;
	copy = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (copy == MAP_FAILED)
		return NULL;
	memcpy(copy, host, size);
	k->rom_copies[k->rom_copy_count] = copy;
	k->rom_copy_size[k->rom_copy_count++] = size;
	return copy;
}

/* The whole pages of each RAM and ROM region; partial pages stay holes. */
static int plan_slots(struct accel_kvm *k, const struct machine *m)
{
	k->slot_count = 0;
	for (unsigned i = 0; i < m->map.count; i++) {
		const struct mem_region *r = &m->map.regions[i];
		uint64_t start = (r->base + PAGE_SIZE - 1) & PAGE_MASK;
		uint64_t end = (r->base + r->size) & PAGE_MASK;
		struct kvm_slot *s;

		if (r->kind == MEM_MMIO || end <= start)
			continue;
		if (k->slot_count >= KVM_MAX_SLOTS) {
			fprintf(stderr, "popek: kvm: too many memory regions\n");
			return -1;
		}
		s = &k->slots[k->slot_count];
		s->gpa = start;
		s->size = end - start;
		s->readonly = r->kind == MEM_ROM;
		s->host = aligned_host(k, r, start, s->size);
		if (!s->host) {
			fprintf(stderr,
				"popek: kvm: region '%s' at %#llx is not page-aligned in host memory\n",
				r->name, (unsigned long long)r->base);
			return -1;
		}
		k->slot_count++;
	}
	return 0;
}

static void delete_slots(struct accel_kvm *k)
{
	for (unsigned i = 0; i < k->slot_count; i++)
		set_slot(k, i, &k->slots[i], true);
	k->slot_count = 0;
	free_rom_copies(k);
}

/* Has RAM been written from outside while guest paging was on? */
static bool shadow_pages_stale(struct accel_kvm *k, struct machine *m)
{
	struct kvm_sregs sregs;

	if (!k->shadow_stale_quirk || m->map.ram_writes == k->ram_writes_seen)
		return false;
	k->ram_writes_seen = m->map.ram_writes;
	/* Without paging there are no page tables to go stale. */
	if (ioctl(k->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return true;
	return (sregs.cr0 & CR0_PG) != 0;
}

int kvm_memory_sync(struct accel_kvm *k, struct machine *m)
{
	if (!k->slots_stale && k->map_generation == m->map.generation &&
	    !shadow_pages_stale(k, m))
		return 0;
	delete_slots(k);
	k->stats.slot_rebuilds++;
	if (plan_slots(k, m))
		return -1;
	for (unsigned i = 0; i < k->slot_count; i++)
		if (set_slot(k, i, &k->slots[i], false))
			return -1;
	k->map_generation = m->map.generation;
	k->ram_writes_seen = m->map.ram_writes;
	k->slots_stale = false;
	return 0;
}

void kvm_memory_release(struct accel_kvm *k)
{
	/* Closing the VM drops the slots; only the copies are ours. */
	free_rom_copies(k);
	k->slot_count = 0;
}

/*
 * The RAM pages the guest wrote since the last call (api.rst §4.8
 * KVM_GET_DIRTY_LOG: one bit per page of the slot, cleared by the read).
 * The first call turns logging on: the slots are re-created with
 * KVM_MEM_LOG_DIRTY_PAGES before the next KVM_RUN.  A slot rebuild
 * loses what was logged, so callers read the log after every run.
 */
int kvm_dirty_log(struct machine *m, uint64_t *bitmap, uint64_t pages)
{
	struct accel_kvm *k = m->kvm;

	if (!k->dirty_logging) {
		k->dirty_logging = true;
		k->slots_stale = true;
		return 0;
	}
	for (unsigned i = 0; i < k->slot_count; i++) {
		const struct kvm_slot *s = &k->slots[i];
		uint64_t first = s->gpa >> PAGE_SHIFT, n = s->size >> PAGE_SHIFT;
		uint64_t *log;
		struct kvm_dirty_log d;

		if (s->readonly)
			continue;
		log = calloc((n + 63) / 64, sizeof(*log));
		if (!log)
			return -1;
		memset(&d, 0, sizeof(d));
		d.slot = i;
		d.dirty_bitmap = log;
		if (ioctl(k->vm_fd, KVM_GET_DIRTY_LOG, &d) < 0) {
			free(log);
			return -1;
		}
		for (uint64_t p = 0; p < n && first + p < pages; p++)
			if (log[p / 64] & (1ull << (p % 64)))
				bitmap[(first + p) / 64] |=
					1ull << ((first + p) % 64);
		free(log);
	}
	return 0;
}
