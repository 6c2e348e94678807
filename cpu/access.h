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

uint64_t seg_fault(struct cpu *c, int seg, uint64_t off, int size,
		   enum access_kind acc);
uint64_t lin_read_slow(struct cpu *c, uint64_t lin, int size);
void lin_write_slow(struct cpu *c, uint64_t lin, int size, uint64_t v);
void tlb_flush(struct cpu *c);
void tlb_flush_nonglobal(struct cpu *c);
void tlb_flush_page(struct cpu *c, uint64_t lin);
void tlb_flush_phys_page(struct cpu *c, uint64_t phys_page);
struct tlb_entry *tlb_fill_exec(struct cpu *c, uint64_t lin);
uint64_t sys_read(struct cpu *c, uint64_t lin, int size);
void sys_write(struct cpu *c, uint64_t lin, int size, uint64_t v);

/*
 * Linear address of seg:off for an access of size bytes; raises #GP or #SS
 * where the segment does not allow it (SDM Vol. 3A §5.3, §5.6).
 */
static inline uint64_t seg_linear(struct cpu *c, int seg, uint64_t off,
				  int size, enum access_kind acc)
{
	const struct seg_check *k = &c->segc[seg];
	uint64_t last = off + (uint64_t)(size - 1);
	bool allowed = acc == ACC_WRITE ? k->writable : k->readable;

	if (unlikely(off < k->lo || last > k->hi || last < off || !allowed))
		return seg_fault(c, seg, off, size, acc);
	return (k->base + off) & c->lin_mask;
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
static inline uint64_t load_le(const uint8_t *p, int size)
{
	uint16_t w;
	uint32_t d;
	uint64_t q;

	switch (size) {
	case 1:
		return *p;
	case 2:
		memcpy(&w, p, 2);
		return w;
	case 4:
		memcpy(&d, p, 4);
		return d;
	default:
		memcpy(&q, p, 8);
		return q;
	}
}

static inline void store_le(uint8_t *p, int size, uint64_t v)
{
	uint16_t w = (uint16_t)v;
	uint32_t d = (uint32_t)v;

	switch (size) {
	case 1:
		*p = (uint8_t)v;
		break;
	case 2:
		memcpy(p, &w, 2);
		break;
	case 4:
		memcpy(p, &d, 4);
		break;
	default:
		memcpy(p, &v, 8);
		break;
	}
}

static inline uint64_t lin_read(struct cpu *c, uint64_t lin, int size)
{
	struct tlb_entry *e = tlb_slot(c, lin);

	if (likely(e->tag_read == (lin & ~0xfffull) && within_page(lin, size)))
		return load_le((const uint8_t *)(e->addend + lin), size);
	return lin_read_slow(c, lin, size);
}

static inline void lin_write(struct cpu *c, uint64_t lin, int size,
			     uint64_t v)
{
	struct tlb_entry *e = tlb_slot(c, lin);

	if (likely(e->tag_write == (lin & ~0xfffull) &&
		   within_page(lin, size)))
		store_le((uint8_t *)(e->addend + lin), size, v);
	else
		lin_write_slow(c, lin, size, v);
}

static inline uint64_t mem_read(struct cpu *c, int seg, uint64_t off,
				int size)
{
	return lin_read(c, seg_linear(c, seg, off, size, ACC_READ), size);
}

static inline void mem_write(struct cpu *c, int seg, uint64_t off, int size,
			     uint64_t v)
{
	lin_write(c, seg_linear(c, seg, off, size, ACC_WRITE), size, v);
}

#endif
