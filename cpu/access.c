// SPDX-License-Identifier: MIT
/*
 * The software TLB and the slow paths of memory access: translation
 * (through the page walk when CR0.PG is set), pages that are not plain RAM
 * (ROM, MMIO, unmapped), accesses that cross a page, and writes to pages
 * holding decoded code.
 */
#include "cpu/interp.h"
#include "machine/machine.h"

static void tlb_entry_clear(struct tlb_entry *e)
{
	e->tag_read = 1;
	e->tag_write = 1;
	e->tag_exec = 1;
	e->global = false;
}

void tlb_flush(struct cpu *c)
{
	c->translation_gen++;
	for (unsigned set = 0; set < 2; set++)
		for (unsigned k = 0; k < TLB_ENTRIES; k++)
			tlb_entry_clear(&c->tlb[set][k]);
}

/* A CR3 load keeps global pages (SDM Vol. 3A §4.10.4.1). */
void tlb_flush_nonglobal(struct cpu *c)
{
	c->translation_gen++;
	for (unsigned set = 0; set < 2; set++)
		for (unsigned k = 0; k < TLB_ENTRIES; k++)
			if (!c->tlb[set][k].global)
				tlb_entry_clear(&c->tlb[set][k]);
}

void tlb_flush_page(struct cpu *c, uint64_t lin)
{
	c->translation_gen++;
	unsigned k = (lin >> CPU_PAGE_SHIFT) & (TLB_ENTRIES - 1);

	for (unsigned set = 0; set < 2; set++)
		tlb_entry_clear(&c->tlb[set][k]);
}

void tlb_flush_phys_page(struct cpu *c, uint64_t phys_page)
{
	for (unsigned set = 0; set < 2; set++)
		for (unsigned k = 0; k < TLB_ENTRIES; k++)
			if (c->tlb[set][k].phys_page == phys_page)
				c->tlb[set][k].tag_write = 1;
}

static bool page_has_code(const struct machine *m, uint64_t phys)
{
	uint64_t page = phys >> PAGE_SHIFT;

	return m->code.bitmap && page < m->code.pages &&
	       (m->code.bitmap[page >> 3] & (1u << (page & 7)));
}

/* Translate the page of lin for acc and cache what the walk allows. */
static struct tlb_entry *tlb_fill(struct cpu *c, uint64_t lin,
				  enum access_kind acc)
{
	struct tlb_entry *e = tlb_slot(c, lin);
	uint64_t lin_page = lin & ~0xfffull;
	struct walk_result w = { .writable = true, .dirty = true };
	uint64_t phys_page;
	uint8_t *host;

	if ((c->s.efer & EFER_LMA) && !canonical(lin))
		cpu_raise_error(c, EXC_GP, 0);
	if (c->s.cr0 & CR0_PG)
		paging_walk(c, lin, acc, c->tlbp == c->tlb[1], &w);
	else
		w.phys = lin_page;
	phys_page = (w.phys & ~0xfffull) & c->a20_mask;
	host = mem_page_host(c->m, phys_page, false);

	tlb_entry_clear(e);
	e->phys_page = phys_page;
	e->global = w.global;
	e->code_ram = false;
	if (!w.nx)
		e->tag_exec = lin_page;
	/* A page with watched bytes gets no tag: every access comes back
	 * here and is reported to the debugger. */
	if (unlikely(c->debug_watch) &&
	    debug_page_watched(c, lin_page, phys_page))
		host = NULL;
	if (host) {
		const struct mem_region *r = mem_lookup(c->m, phys_page);

		e->addend = (uintptr_t)host - (uintptr_t)lin_page;
		e->tag_read = lin_page;
		/* Writes go fast only once the dirty bit is set. */
		if (w.writable && w.dirty) {
			if (page_has_code(c->m, phys_page))
				e->code_ram = r && r->kind == MEM_RAM;
			else if (mem_page_host(c->m, phys_page, true))
				e->tag_write = lin_page;
		}
	}
	return e;
}

struct tlb_entry *tlb_fill_exec(struct cpu *c, uint64_t lin)
{
	return tlb_fill(c, lin, ACC_EXEC);
}

uint64_t lin_read_slow(struct cpu *c, uint64_t lin, int size)
{
	struct tlb_entry *e;
	uint64_t v;

	if (!within_page(lin, size)) {
		v = 0;
		for (int k = 0; k < size; k++)
			v |= lin_read(c, (lin + (uint64_t)k) & c->lin_mask, 1)
			     << (8 * k);
		return v;
	}
	e = tlb_fill(c, lin, ACC_READ);
	if (e->tag_read == (lin & ~0xfffull))
		return load_le((const uint8_t *)(e->addend + lin), size);
	v = phys_read_u(c->m, e->phys_page | (lin & 0xfff), (unsigned)size);
	if (unlikely(c->debug_watch))
		debug_mem_access(c, lin, e->phys_page | (lin & 0xfff),
				 (unsigned)size, false, v);
	return v;
}

/* Make sure the page of lin may be written, faulting now if not. */
static struct tlb_entry *tlb_for_write(struct cpu *c, uint64_t lin)
{
	struct tlb_entry *e = tlb_slot(c, lin);
	uint64_t page = lin & ~0xfffull;

	if (e->tag_write == page || (e->tag_read == page && e->code_ram))
		return e;
	return tlb_fill(c, lin, ACC_WRITE);
}

static void write_in_page(struct cpu *c, uint64_t lin, int size, uint64_t v)
{
	struct tlb_entry *e = tlb_for_write(c, lin);

	if (unlikely(c->debug_watch))
		debug_mem_access(c, lin, e->phys_page | (lin & 0xfff),
				 (unsigned)size, true, v);
	if (e->tag_write == (lin & ~0xfffull)) {
		store_le((uint8_t *)(e->addend + lin), size, v);
		return;
	}
	if (e->code_ram) {
		/* Drop only the blocks decoded from these bytes. */
		block_cache_invalidate(c, e->phys_page | (lin & 0xfff),
				       (uint64_t)size);
		store_le((uint8_t *)(e->addend + lin), size, v);
		return;
	}
	/* ROM, MMIO or unmapped: the machine routes it.  A device register
	 * write may raise an interrupt (an APIC's TPR or ICR, say): end the
	 * block so the run loop looks at once. */
	phys_write_u(c->m, e->phys_page | (lin & 0xfff), (unsigned)size, v);
	c->end_block = true;
}

void lin_write_slow(struct cpu *c, uint64_t lin, int size, uint64_t v)
{
	if (!within_page(lin, size)) {
		uint64_t next = ((lin | 0xfff) + 1) & c->lin_mask;

		/* Both pages must be writable before any byte is written. */
		tlb_for_write(c, lin);
		tlb_for_write(c, next);
		for (int k = 0; k < size; k++)
			write_in_page(c, (lin + (uint64_t)k) & c->lin_mask, 1,
				      v >> (8 * k));
		return;
	}
	write_in_page(c, lin, size, v);
}

/*
 * Implicit supervisor accesses (descriptor tables, the IDT, the TSS) use
 * supervisor permissions whatever the CPL (SDM Vol. 3A §4.6).  If they
 * fault, the run loop reselects the TLB from the CPL.
 */
uint64_t sys_read(struct cpu *c, uint64_t lin, int size)
{
	struct tlb_entry *saved = c->tlbp;
	uint64_t v;

	c->tlbp = c->tlb[0];
	v = lin_read(c, lin, size);
	c->tlbp = saved;
	return v;
}

void sys_write(struct cpu *c, uint64_t lin, int size, uint64_t v)
{
	struct tlb_entry *saved = c->tlbp;

	c->tlbp = c->tlb[0];
	lin_write(c, lin, size, v);
	c->tlbp = saved;
}
