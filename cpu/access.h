/* SPDX-License-Identifier: MIT */
/*
 * Memory access from the interpreter: segment checks, then the software
 * TLB, whose hit costs a compare and a load; everything else goes through
 * access.c.  Included from interp.h.
 */
#ifndef POPEK_CPU_ACCESS_H
#define POPEK_CPU_ACCESS_H

#define CPU_PAGE_SHIFT 12

enum access_kind { ACC_READ, ACC_WRITE, ACC_EXEC };

uint64_t seg_fault(struct cpu *c, int seg, uint32_t off, int size,
		   enum access_kind acc);
uint32_t lin_read_slow(struct cpu *c, uint64_t lin, int size);
void lin_write_slow(struct cpu *c, uint64_t lin, int size, uint32_t v);
void tlb_flush(struct cpu *c);
void tlb_flush_nonglobal(struct cpu *c);
void tlb_flush_page(struct cpu *c, uint64_t lin);
void tlb_flush_phys_page(struct cpu *c, uint64_t phys_page);
struct tlb_entry *tlb_fill_exec(struct cpu *c, uint64_t lin);
uint32_t sys_read(struct cpu *c, uint64_t lin, int size);
void sys_write(struct cpu *c, uint64_t lin, int size, uint32_t v);

/*
 * Linear address of seg:off for an access of size bytes; raises #GP or #SS
 * where the segment does not allow it (SDM Vol. 3A §5.3, §5.6).
 */
static inline uint64_t seg_linear(struct cpu *c, int seg, uint32_t off,
				  int size, enum access_kind acc)
{
	const struct seg_check *k = &c->segc[seg];
	uint64_t last = (uint64_t)off + (uint64_t)(size - 1);
	bool allowed = acc == ACC_WRITE ? k->writable : k->readable;

	if (unlikely(off < k->lo || last > k->hi || !allowed))
		return seg_fault(c, seg, off, size, acc);
	return (c->s.seg[seg].base + off) & 0xffffffffull;
}

static inline struct tlb_entry *tlb_slot(struct cpu *c, uint64_t lin)
{
	return &c->tlbp[(lin >> CPU_PAGE_SHIFT) & (TLB_ENTRIES - 1)];
}

static inline bool within_page(uint64_t lin, int size)
{
	return (lin & 0xfff) <= (uint64_t)(0x1000 - size);
}

/* Fixed-size copies, so the compiler emits single moves (the host is
 * little-endian x86-64, like the guest). */
static inline uint32_t load_le(const uint8_t *p, int size)
{
	uint16_t w;
	uint32_t d;

	switch (size) {
	case 1:
		return *p;
	case 2:
		memcpy(&w, p, 2);
		return w;
	default:
		memcpy(&d, p, 4);
		return d;
	}
}

static inline void store_le(uint8_t *p, int size, uint32_t v)
{
	uint16_t w = (uint16_t)v;

	switch (size) {
	case 1:
		*p = (uint8_t)v;
		break;
	case 2:
		memcpy(p, &w, 2);
		break;
	default:
		memcpy(p, &v, 4);
		break;
	}
}

static inline uint32_t lin_read(struct cpu *c, uint64_t lin, int size)
{
	struct tlb_entry *e = tlb_slot(c, lin);

	if (likely(e->tag_read == (lin & ~0xfffull) && within_page(lin, size)))
		return load_le((const uint8_t *)(e->addend + lin), size);
	return lin_read_slow(c, lin, size);
}

static inline void lin_write(struct cpu *c, uint64_t lin, int size,
			     uint32_t v)
{
	struct tlb_entry *e = tlb_slot(c, lin);

	if (likely(e->tag_write == (lin & ~0xfffull) &&
		   within_page(lin, size)))
		store_le((uint8_t *)(e->addend + lin), size, v);
	else
		lin_write_slow(c, lin, size, v);
}

static inline uint32_t mem_read(struct cpu *c, int seg, uint32_t off,
				int size)
{
	return lin_read(c, seg_linear(c, seg, off, size, ACC_READ), size);
}

static inline void mem_write(struct cpu *c, int seg, uint32_t off, int size,
			     uint32_t v)
{
	lin_write(c, seg_linear(c, seg, off, size, ACC_WRITE), size, v);
}

#endif
