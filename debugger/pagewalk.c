// SPDX-License-Identifier: MIT
/*
 * A side-effect-free page walk for the debugger's `page`, `x` and gdb's
 * memory reads.  The formats follow SDM Vol. 3A §4.3 (32-bit), §4.4
 * (PAE) and §4.5 (4-level); the physical-address width is the CPU
 * model's 40 bits (CPUID 80000008h, as cpu/paging.c).
 */
#include <stdio.h>
#include <string.h>

#include "cpu/state.h"
#include "debugger/pagewalk.h"

#define E_P (1ull << 0)
#define E_RW (1ull << 1)
#define E_US (1ull << 2)
#define E_PWT (1ull << 3)
#define E_PCD (1ull << 4)
#define E_A (1ull << 5)
#define E_D (1ull << 6)
#define E_PS (1ull << 7)
#define E_G (1ull << 8)
#define E_XD (1ull << 63)

#define PW_PHYS_BITS 40
#define PW_ADDR_MASK (((1ull << PW_PHYS_BITS) - 1) & ~0xfffull)

static const char *const names_4level[] = { "PML4E", "PDPTE", "PDE", "PTE" };
static const char *const names_pae[] = { "PDPTE", "PDE", "PTE" };
static const char *const names_32[] = { "PDE", "PTE" };

const char *pagewalk_fault_name(enum pw_fault f)
{
	switch (f) {
	case PW_OK:
		return "ok";
	case PW_NOT_PRESENT:
		return "not present";
	case PW_RESERVED:
		return "reserved bit set";
	case PW_UNREADABLE:
		return "table not in RAM";
	default:
		return "not canonical";
	}
}

/* Reserved bits of a 64-bit entry (§4.4.2, §4.5.4). */
static uint64_t reserved(const struct pw_regs *r, int level, bool large,
			 bool lm)
{
	uint64_t rsvd = ~((1ull << PW_PHYS_BITS) - 1) & 0x7fffffffffffffffull;

	/* Bits 62:52 are ignored in entries (available to software). */
	rsvd &= ~0x7ff0000000000000ull;
	if (!(r->efer & EFER_NXE))
		rsvd |= E_XD;
	if (large)
		rsvd |= ((1ull << (12 + 9 * (level - 1))) - 1) & ~0x1fffull;
	if (level == 4 && lm)
		rsvd |= E_PS;
	return rsvd;
}

void pagewalk(const struct pw_regs *r, uint64_t lin, pw_read_fn read,
	      void *opaque, struct pw_result *res)
{
	bool lm = (r->efer & EFER_LMA) != 0;
	bool pae = lm || (r->cr4 & CR4_PAE);
	int levels = lm ? 4 : pae ? 3 : 2, bits = pae ? 9 : 10;
	unsigned esize = pae ? 8 : 4;
	const char *const *names = lm ? names_4level : pae ? names_pae
							   : names_32;
	uint64_t table = lm ? r->cr3 & PW_ADDR_MASK
			 : pae ? r->cr3 & 0xffffffe0ull
			       : r->cr3 & 0xfffff000ull;
	uint64_t mask = pae ? PW_ADDR_MASK : 0xfffff000ull;
	bool writable = true, user = true, nx = false;

	memset(res, 0, sizeof(*res));
	res->fault_level = -1;
	if (!(r->cr0 & CR0_PG)) {
		res->format = "none";
		res->phys = lin;
		res->page_size = 0x1000;
		res->writable = res->user = true;
		return;
	}
	res->paging = true;
	res->format = lm ? "4-level" : pae ? "PAE" : "32-bit";
	if (lm && (uint64_t)((int64_t)(lin << 16) >> 16) != lin) {
		res->fault = PW_NONCANONICAL;
		return;
	}
	if (!lm)
		lin &= 0xffffffffull;
	for (int level = levels; level >= 1; level--) {
		int shift = 12 + bits * (level - 1);
		unsigned idx = (unsigned)((lin >> shift) & ((1ull << bits) - 1));
		bool pdpte32 = pae && !lm && level == 3;
		struct pw_level *l = &res->lv[res->nlevels++];
		uint64_t e;
		bool large;

		/* PAE's PDPT has 4 entries, indexed by bits 31:30. */
		if (pdpte32)
			idx &= 3;
		l->name = names[levels - level];
		l->index = idx;
		l->entry_addr = table + (uint64_t)idx * esize;
		if (!read(opaque, l->entry_addr, esize, &e)) {
			res->fault = PW_UNREADABLE;
			res->fault_level = (int)res->nlevels - 1;
			return;
		}
		l->entry = e;
		if (!(e & E_P)) {
			res->fault = PW_NOT_PRESENT;
			res->fault_level = (int)res->nlevels - 1;
			return;
		}
		large = level > 1 && (e & E_PS) &&
			(level == 2 ? (pae || (r->cr4 & CR4_PSE))
				    : (level == 3 && lm));
		l->large = large;
		if ((pae && (e & reserved(r, level, large, lm))) ||
		    (pdpte32 && (e & 0x1e6))) {
			res->fault = PW_RESERVED;
			res->fault_level = (int)res->nlevels - 1;
			return;
		}
		if (!pdpte32) {
			writable = writable && (e & E_RW);
			user = user && (e & E_US);
		}
		if (pae && (e & E_XD) && (r->efer & EFER_NXE))
			nx = true;
		if (level == 1 || large) {
			uint64_t size = 1ull << shift;

			if (!pae && large)
				res->phys = (e & 0xffc00000ull) |
					    (((e >> 13) & 0xffull) << 32) |
					    (lin & (size - 1));
			else
				res->phys = ((e & mask) & ~(size - 1)) |
					    (lin & (size - 1));
			res->page_size = size;
			break;
		}
		table = e & mask;
	}
	res->writable = writable;
	res->user = user;
	res->nx = nx;
}

void pagewalk_flags(uint64_t e, bool pte, bool pdpte32, char *buf, size_t n)
{
	static const struct {
		uint64_t bit;
		const char *set, *clear;
	} f[] = {
		{ E_XD, "XD", "xd" }, { E_G, "G", "g" },  { E_PS, "PS", "ps" },
		{ E_D, "D", "d" },    { E_A, "A", "a" },  { E_PCD, "PCD", "pcd" },
		{ E_PWT, "PWT", "pwt" }, { E_US, "US", "us" },
		{ E_RW, "RW", "rw" }, { E_P, "P", "p" },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		const char *s = (e & f[k].bit) ? f[k].set : f[k].clear;
		int w;

		/* In a PTE bit 7 is PAT, not PS (SDM Vol. 3A Table 4-20). */
		if (pte && f[k].bit == E_PS)
			s = (e & E_PS) ? "PAT" : "pat";

		/* The 32-bit PAE PDPTE has only P, PWT and PCD. */
		if (pdpte32 && f[k].bit != E_P && f[k].bit != E_PWT &&
		    f[k].bit != E_PCD)
			continue;
		w = snprintf(buf + used, n - used, "%s%s", used ? " " : "", s);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}
