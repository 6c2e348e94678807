/* SPDX-License-Identifier: MIT */
/*
 * The page walk as the debugger sees it: the same formats as
 * cpu/paging.c (SDM Vol. 3A ch. 4: 32-bit with PSE, PAE, 4-level) but
 * read-only: no accessed or dirty bit is set, no fault is raised, and
 * every level is kept for display.
 */
#ifndef POPEK_DEBUGGER_PAGEWALK_H
#define POPEK_DEBUGGER_PAGEWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pw_regs {
	uint64_t cr0, cr3, cr4, efer;
};

/* Read size (4 or 8) bytes of physical memory; false: not readable. */
typedef bool (*pw_read_fn)(void *opaque, uint64_t phys, unsigned size,
			   uint64_t *v);

enum pw_fault {
	PW_OK,
	PW_NOT_PRESENT,
	PW_RESERVED, /* a reserved bit is set (#PF with RSVD) */
	PW_UNREADABLE, /* the table is outside RAM and ROM */
	PW_NONCANONICAL, /* 4-level: bits 63-47 are not a sign extension */
};

struct pw_level {
	const char *name; /* "PML4E", "PDPTE", "PDE", "PTE" */
	unsigned index; /* which entry of its table */
	uint64_t entry_addr; /* physical */
	uint64_t entry;
	bool large; /* maps a page (PS) */
};

struct pw_result {
	bool paging; /* false: CR0.PG clear, linear is physical */
	const char *format; /* "none", "32-bit", "PAE", "4-level" */
	unsigned nlevels; /* levels read */
	struct pw_level lv[4];
	enum pw_fault fault;
	int fault_level; /* index into lv, or -1 */
	uint64_t phys; /* when fault == PW_OK */
	uint64_t page_size;
	bool writable, user, nx; /* combined over the levels */
};

void pagewalk(const struct pw_regs *r, uint64_t lin, pw_read_fn read,
	      void *opaque, struct pw_result *res);

/*
 * The flags of one entry, upper case when set ("xd g ps D A pcd pwt US RW
 * P"); pte: bit 7 is PAT; pdpte32: PAE's PDPTE, which has only P, PWT,
 * PCD.
 */
void pagewalk_flags(uint64_t entry, bool pte, bool pdpte32, char *buf,
		    size_t n);

const char *pagewalk_fault_name(enum pw_fault f);

#endif
