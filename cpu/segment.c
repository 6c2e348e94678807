// SPDX-License-Identifier: MIT
/*
 * Segmentation: descriptors, segment-register loads with the checks of
 * SDM Vol. 3A §5.5-5.7 and the MOV/POP/Lxx pseudo-code of Vol. 2, and the
 * per-segment access checks the memory fast path uses.
 */
#include "cpu/interp.h"
#include "machine/machine.h"

static bool seg_is_code(uint16_t attr)
{
	return (attr & SEG_ATTR_S) && (attr & 0x8);
}

/* Valid offsets of a segment (SDM Vol. 3A §5.3: expand-down segments). */
void seg_bounds(const struct segment *s, uint64_t *lo, uint64_t *hi)
{
	bool expand_down = (s->attr & SEG_ATTR_S) && !(s->attr & 0x8) &&
			   (s->attr & 0x4);

	if (expand_down) {
		*lo = (uint64_t)s->limit + 1;
		*hi = (s->attr & SEG_ATTR_DB) ? 0xffffffffu : 0xffffu;
	} else {
		*lo = 0;
		*hi = s->limit;
	}
}

/* Recompute the fast-path check of one segment register. */
void seg_update_check(struct cpu *c, int seg)
{
	const struct segment *s = &c->s.seg[seg];
	struct seg_check *k = &c->segc[seg];

	seg_bounds(s, &k->lo, &k->hi);
	k->base = s->base;
	if (c->mode64) {
		/* 64-bit mode (SDM Vol. 3A §3.2.4): no limits or types; only
		 * FS and GS keep a base. */
		k->lo = 0;
		k->hi = ~0ull;
		if (seg != SEG_FS && seg != SEG_GS)
			k->base = 0;
		k->readable = k->writable = k->usable = true;
		return;
	}
	if (!c->pe) {
		/* Real mode checks the limit but not the type. */
		k->readable = k->writable = k->usable = true;
		return;
	}
	k->usable = (s->attr & SEG_ATTR_P) != 0;
	if (!k->usable) {
		k->readable = k->writable = false;
		return;
	}
	if (seg_is_code(s->attr)) {
		k->readable = (s->attr & 0x2) != 0;
		k->writable = false;
	} else {
		k->readable = true;
		k->writable = (s->attr & 0x2) != 0;
	}
}

uint64_t seg_fault(struct cpu *c, int seg, uint64_t off, int size,
		   enum access_kind acc)
{
	(void)off;
	(void)size;
	(void)acc;
	/* SDM Vol. 3A §6.15: limit and type violations on SS are #SS(0),
	 * elsewhere #GP(0); an unusable (null) segment is #GP(0). */
	if (seg == SEG_SS)
		cpu_raise_error(c, EXC_SS, 0);
	cpu_raise_error(c, EXC_GP, 0);
}

void desc_to_segment(struct segment *s, uint16_t sel, uint32_t lo,
		     uint32_t hi)
{
	uint32_t limit = (lo & 0xffff) | (hi & 0xf0000);

	s->sel = sel;
	s->base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000u);
	s->attr = (uint16_t)((hi >> 8) & 0xf0ff);
	s->limit = (hi & (1u << 23)) ? (limit << 12) | 0xfff : limit;
}

/* Read the 8-byte descriptor of sel from the GDT or LDT; false when the
 * selector lies beyond the table's limit. */
bool desc_read(struct cpu *c, uint16_t sel, uint32_t *lo, uint32_t *hi)
{
	uint64_t base;
	uint32_t limit;

	if (sel & 4) {
		if (!(c->s.ldtr.attr & SEG_ATTR_P))
			return false;
		base = c->s.ldtr.base;
		limit = c->s.ldtr.limit;
	} else {
		base = c->s.gdtr.base;
		limit = c->s.gdtr.limit;
	}
	if ((uint32_t)(sel & ~7u) + 7 > limit)
		return false;
	*lo = (uint32_t)sys_read(c, (base + (sel & ~7u)) & c->sys_mask, 4);
	*hi = (uint32_t)sys_read(c, (base + (sel & ~7u) + 4) & c->sys_mask, 4);
	return true;
}

/* Set the accessed bit in memory, as the CPU does on a load. */
void desc_set_accessed(struct cpu *c, uint16_t sel, uint32_t hi)
{
	uint64_t base = (sel & 4) ? c->s.ldtr.base : c->s.gdtr.base;

	if (!(hi & (1u << 8)) && (hi & (1u << 12)))
		sys_write(c, (base + (sel & ~7u) + 5) & c->sys_mask, 1,
			  ((hi >> 8) & 0xff) | 1);
}

/* Long mode and the code segment decide how addresses and operands
 * work (SDM Vol. 3A §2.2: IA-32e mode, 64-bit and compatibility). */
void cpu_update_mode(struct cpu *c)
{
	bool lma = (c->s.efer & EFER_LMA) != 0;

	c->pe = (c->s.cr0 & CR0_PE) != 0;
	c->mode64 = lma && (c->s.seg[SEG_CS].attr & SEG_ATTR_L);
	c->lin_mask = c->mode64 ? ~0ull : 0xffffffffull;
	c->sys_mask = lma ? ~0ull : 0xffffffffull;
}

void cpu_mode_changed(struct cpu *c)
{
	cpu_update_mode(c);
	for (int k = 0; k < SEG_COUNT; k++)
		seg_update_check(c, k);
	c->end_block = true;
}

void seg_load_real(struct cpu *c, int seg, uint16_t sel)
{
	struct segment *s = &c->s.seg[seg];

	s->sel = sel;
	s->base = (uint32_t)sel << 4;
	if (seg == SEG_CS)
		s->attr = (uint16_t)((s->attr & ~(SEG_ATTR_DPL | SEG_ATTR_DB)) |
				     SEG_ATTR_P | SEG_ATTR_S);
	seg_update_check(c, seg);
}

static void seg_load_null(struct cpu *c, int seg, uint16_t sel)
{
	struct segment *s = &c->s.seg[seg];

	s->sel = sel;
	s->base = 0;
	s->limit = 0;
	/* Not present: any use faults (outside 64-bit mode).  SS keeps the
	 * CPL in its DPL, as the hardware's hidden attributes do. */
	s->attr = seg == SEG_SS ? (uint16_t)(c->cpl << SEG_ATTR_DPL_SHIFT) : 0;
	seg_update_check(c, seg);
}

/*
 * Load a data or stack segment register in protected mode (SDM Vol. 2
 * "MOV", "POP", "LDS/LES/LFS/LGS/LSS" operation sections).
 */
static void seg_load_protected(struct cpu *c, int seg, uint16_t sel)
{
	uint32_t lo, hi;
	int rpl = sel & 3, dpl;
	uint16_t attr;
	struct segment s;

	if ((sel & ~3u) == 0) {
		/* 64-bit mode allows a null SS below ring 3 (§5.4.1.1). */
		if (seg == SEG_SS &&
		    !(c->mode64 && c->cpl != 3 && (sel & 3) == c->cpl))
			cpu_raise_error(c, EXC_GP, 0);
		seg_load_null(c, seg, sel);
		return;
	}
	if (!desc_read(c, sel, &lo, &hi))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	attr = (uint16_t)((hi >> 8) & 0xf0ff);
	dpl = (attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT;
	if (!(attr & SEG_ATTR_S))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (seg == SEG_SS) {
		if (rpl != c->cpl || dpl != c->cpl || seg_is_code(attr) ||
		    !(attr & 0x2))
			cpu_raise_error(c, EXC_GP, sel & ~3u);
		if (!(attr & SEG_ATTR_P))
			cpu_raise_error(c, EXC_SS, sel & ~3u);
	} else {
		if (seg_is_code(attr) && !(attr & 0x2))
			cpu_raise_error(c, EXC_GP, sel & ~3u);
		/* Data and non-conforming code: RPL and CPL <= DPL. */
		if ((!seg_is_code(attr) || !(attr & 0x4)) &&
		    (rpl > dpl || c->cpl > dpl))
			cpu_raise_error(c, EXC_GP, sel & ~3u);
		if (!(attr & SEG_ATTR_P))
			cpu_raise_error(c, EXC_NP, sel & ~3u);
	}
	desc_set_accessed(c, sel, hi);
	desc_to_segment(&s, sel, lo, hi | (1u << 8));
	c->s.seg[seg] = s;
	seg_update_check(c, seg);
}

/* Load ES, SS, DS, FS or GS (CS changes only through far transfers). */
void seg_load(struct cpu *c, int seg, uint16_t sel)
{
	if (c->pe)
		seg_load_protected(c, seg, sel);
	else
		seg_load_real(c, seg, sel);
}

/*
 * The ring-dpl stack from the TSS (SDM Vol. 3A §7.2.1, §7.7): a 32-bit
 * TSS keeps ESPn/SSn at 4 + 8n, a 16-bit one SPn/SSn at 2 + 4n.
 */
uint64_t tss_stack_for(struct cpu *c, int dpl, uint16_t *ss)
{
	const struct segment *tr = &c->s.tr;
	bool tss32 = (tr->attr & 0xf) == 0x9 || (tr->attr & 0xf) == 0xb;
	uint32_t off = tss32 ? 4u + 8u * (uint32_t)dpl : 2u + 4u * (uint32_t)dpl;
	uint32_t size = tss32 ? 4 : 2;

	if (!(tr->attr & SEG_ATTR_P) || off + size + 1 > tr->limit)
		cpu_raise_error(c, EXC_TS, tr->sel & ~3u);
	*ss = (uint16_t)sys_read(c, (tr->base + off + size) & c->sys_mask, 2);
	return sys_read(c, (tr->base + off) & c->sys_mask, (int)size);
}
