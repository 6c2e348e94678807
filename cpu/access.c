// SPDX-License-Identifier: MIT
/*
 * The software TLB and the slow paths of memory access: pages that are
 * not plain RAM (ROM, MMIO, unmapped), accesses that cross a page, and
 * writes to pages holding decoded code.
 */
#include "cpu/interp.h"
#include "machine/machine.h"

void tlb_flush(struct cpu *c)
{
	for (unsigned k = 0; k < TLB_ENTRIES; k++) {
		c->tlb[k].tag_read = 1;
		c->tlb[k].tag_write = 1;
	}
}

void tlb_flush_phys_page(struct cpu *c, uint64_t phys_page)
{
	for (unsigned k = 0; k < TLB_ENTRIES; k++)
		if (c->tlb[k].phys_page == phys_page)
			c->tlb[k].tag_write = 1;
}

/*
 * Linear to physical.  Paging (CR0.PG) belongs to the paging work; until
 * it lands the linear address is the physical one, through the A20 gate.
 */
static uint64_t translate(struct cpu *c, uint64_t lin)
{
	return lin & c->a20_mask;
}

static bool page_has_code(const struct machine *m, uint64_t phys)
{
	uint64_t page = phys >> PAGE_SHIFT;

	return m->code.bitmap && page < m->code.pages &&
	       (m->code.bitmap[page >> 3] & (1u << (page & 7)));
}

static struct tlb_entry *tlb_fill(struct cpu *c, uint64_t lin)
{
	struct tlb_entry *e = tlb_slot(c, lin);
	uint64_t lin_page = lin & ~0xfffull;
	uint64_t phys_page = translate(c, lin_page);
	uint8_t *host = mem_page_host(c->m, phys_page, false);

	e->phys_page = phys_page;
	e->tag_read = 1;
	e->tag_write = 1;
	e->code_ram = false;
	if (host) {
		const struct mem_region *r = mem_lookup(c->m, phys_page);

		e->addend = (uintptr_t)host - (uintptr_t)lin_page;
		e->tag_read = lin_page;
		if (page_has_code(c->m, phys_page))
			e->code_ram = r && r->kind == MEM_RAM;
		else if (mem_page_host(c->m, phys_page, true))
			e->tag_write = lin_page;
	}
	return e;
}

uint32_t lin_read_slow(struct cpu *c, uint64_t lin, int size)
{
	struct tlb_entry *e;

	if (!within_page(lin, size)) {
		uint32_t v = 0;

		for (int k = 0; k < size; k++)
			v |= lin_read(c, (lin + (uint64_t)k) & 0xffffffffu, 1)
			     << (8 * k);
		return v;
	}
	e = tlb_fill(c, lin);
	if (e->tag_read == (lin & ~0xfffull))
		return load_le((const uint8_t *)(e->addend + lin), size);
	return (uint32_t)phys_read_u(c->m, e->phys_page | (lin & 0xfff),
				     (unsigned)size);
}

void lin_write_slow(struct cpu *c, uint64_t lin, int size, uint32_t v)
{
	struct tlb_entry *e;

	if (!within_page(lin, size)) {
		for (int k = 0; k < size; k++)
			lin_write(c, (lin + (uint64_t)k) & 0xffffffffu, 1,
				  v >> (8 * k));
		return;
	}
	e = tlb_slot(c, lin);
	if (e->tag_read != (lin & ~0xfffull) || !e->code_ram)
		e = tlb_fill(c, lin);
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
	/* ROM, MMIO, or a code page: the machine routes it (and drops the
	 * decoded blocks of a code page through the code watch). */
	phys_write_u(c->m, e->phys_page | (lin & 0xfff), (unsigned)size, v);
}
