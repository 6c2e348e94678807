// SPDX-License-Identifier: MIT
/*
 * The page walk (SDM Vol. 3A ch. 4): 32-bit paging with 4 KiB and 4 MiB
 * pages, PAE paging with 4 KiB and 2 MiB pages, and 4-level paging with
 * 4 KiB, 2 MiB and 1 GiB pages.  Accessed and dirty bits are set as the
 * hardware sets them; a failed walk raises #PF with CR2 and the error code
 * of §4.7.
 */
#include "cpu/interp.h"
#include "machine/machine.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_XD (1ull << 63)

#define PF_P (1u << 0)
#define PF_W (1u << 1)
#define PF_U (1u << 2)
#define PF_RSVD (1u << 3)
#define PF_I (1u << 4)

/* The physical-address width this CPU model reports (CPUID 80000008h). */
#define PHYS_ADDR_BITS 40
#define PHYS_ADDR_MASK (((1ull << PHYS_ADDR_BITS) - 1) & ~0xfffull)

__attribute__((noreturn)) static void page_fault(struct cpu *c, uint64_t lin,
						 uint32_t error)
{
	c->s.cr2 = lin;
	cpu_raise_error(c, EXC_PF, error);
}

/* Bits that must be zero in a 64-bit entry at this level (§4.4.2,
 * §4.5.4): above the physical width, XD without EFER.NXE, and the
 * large-page address bits below the page size. */
static uint64_t reserved_bits(const struct cpu *c, int level, uint64_t e,
			      bool large)
{
	uint64_t rsvd = ~((1ull << PHYS_ADDR_BITS) - 1) & ~PTE_XD &
			0x000fffffffffffffull;

	if (!(c->s.efer & EFER_NXE))
		rsvd |= PTE_XD;
	if (large)
		rsvd |= ((1ull << (12 + 9 * (level - 1))) - 1) & ~0x1fffull;
	if (level == 4 && (c->s.efer & EFER_LMA))
		rsvd |= PTE_PS;
	(void)e;
	return rsvd;
}

static uint64_t entry_read(struct cpu *c, uint64_t addr, int size)
{
	return phys_read_u(c->m, addr & c->a20_mask, (unsigned)size);
}

static void entry_set_bits(struct cpu *c, uint64_t addr, int size,
			   uint64_t e, uint64_t bits)
{
	if ((e & bits) != bits)
		phys_write_u(c->m, addr & c->a20_mask, (unsigned)size, e | bits);
}

uint64_t paging_walk(struct cpu *c, uint64_t lin, enum access_kind acc,
		     bool user, struct walk_result *w)
{
	bool lm = (c->s.efer & EFER_LMA) != 0;
	bool pae = lm || (c->s.cr4 & CR4_PAE);
	int esize = pae ? 8 : 4, bits = pae ? 9 : 10;
	int levels = lm ? 4 : pae ? 3 : 2;
	uint64_t addr_mask = pae ? PHYS_ADDR_MASK : 0xfffff000ull;
	uint64_t table = lm ? c->s.cr3 & PHYS_ADDR_MASK
			 : pae ? c->s.cr3 & 0xffffffe0ull
			       : c->s.cr3 & 0xfffff000ull;
	uint64_t ent_addr[4], ent[4], e = 0, size = 0;
	bool writable = true, usr = true, nx = false;
	uint32_t err = (acc == ACC_WRITE ? PF_W : 0) | (user ? PF_U : 0) |
		       ((acc == ACC_EXEC && pae && (c->s.efer & EFER_NXE))
				? PF_I
				: 0);
	int level, n = 0;

	for (level = levels; level >= 1; level--) {
		int shift = 12 + bits * (level - 1);
		uint64_t idx = (lin >> shift) & ((1ull << bits) - 1);
		bool pdpte = pae && !lm && level == 3;
		bool large;

		ent_addr[n] = table + idx * (uint64_t)esize;
		e = entry_read(c, ent_addr[n], esize);
		ent[n++] = e;
		if (!(e & PTE_P))
			page_fault(c, lin, err);
		large = level > 1 && (e & PTE_PS) &&
			(level == 2 ? (pae || (c->s.cr4 & CR4_PSE))
				    : (level == 3 && lm));
		if (pae && (e & reserved_bits(c, level, e, large)))
			page_fault(c, lin, err | PF_P | PF_RSVD);
		if (pdpte && (e & 0x1e6))
			page_fault(c, lin, err | PF_P | PF_RSVD);
		if (!pdpte) {
			writable = writable && (e & PTE_RW);
			usr = usr && (e & PTE_US);
		}
		if (pae && (e & PTE_XD) && (c->s.efer & EFER_NXE))
			nx = true;
		if (level == 1 || large) {
			size = 1ull << shift;
			break;
		}
		table = e & addr_mask;
	}

	/* Permissions (§4.6). */
	if (user && !usr)
		page_fault(c, lin, err | PF_P);
	if (acc == ACC_WRITE && !writable &&
	    (user || (c->s.cr0 & CR0_WP)))
		page_fault(c, lin, err | PF_P);
	if (acc == ACC_EXEC && nx)
		page_fault(c, lin, err | PF_P);

	/* Accessed on every level, dirty on the last for a write. */
	for (int k = 0; k < n; k++) {
		bool pdpte = pae && !lm && levels - k == 3;

		if (pdpte)
			continue;
		entry_set_bits(c, ent_addr[k], esize, ent[k],
			       PTE_A | ((k == n - 1 && acc == ACC_WRITE) ? PTE_D
									 : 0));
	}

	if (!pae && size == (4ull << 20))
		w->phys = (e & 0xffc00000ull) | (((e >> 13) & 0xffull) << 32) |
			  (lin & (size - 1));
	else
		w->phys = ((e & addr_mask) & ~(size - 1)) | (lin & (size - 1));
	w->writable = writable || (!user && !(c->s.cr0 & CR0_WP));
	w->user = usr;
	w->nx = nx;
	w->dirty = (e & PTE_D) || acc == ACC_WRITE;
	w->global = (e & PTE_G) && (c->s.cr4 & CR4_PGE);
	return w->phys;
}
