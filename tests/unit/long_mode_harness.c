// SPDX-License-Identifier: MIT
/* 64-bit mode on the bare CPU harness; see long_mode_harness.h. */
#include "long_mode_harness.h"

#include <string.h>

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Identity paging for the first 2 MiB, a GDT with a 64-bit code segment
 * and a 64-bit IDT whose gates lead to the harness's HLT handlers. */
void lm_harness_init(struct harness *h, struct cpu_state *s)
{
	uint8_t b[16 * HARNESS_IDT_VECTORS];

	memset(b, 0, sizeof(b));
	put64(b, LM_PDPT | 3);
	harness_write(h, LM_PML4, b, 8);
	put64(b, LM_PD | 3);
	harness_write(h, LM_PDPT, b, 8);
	put64(b, 0x83); /* present, writable, 2 MiB page at 0 */
	harness_write(h, LM_PD, b, 8);

	memset(b, 0, sizeof(b));
	put64(b + 8, 0x00209B0000000000ull); /* 64-bit code, DPL 0 */
	put64(b + 16, 0x00CF93000000FFFFull);
	harness_write(h, LM_GDT, b, 24);

	memset(b, 0, sizeof(b));
	for (unsigned v = 0; v < HARNESS_IDT_VECTORS; v++) {
		uint64_t off = HARNESS_HANDLER(v);

		put64(b + 16 * v, (off & 0xffff) | (0x08ull << 16) |
					  (0x8Eull << 40) |
					  ((off >> 16) & 0xffff) << 48);
	}
	harness_write(h, LM_IDT, b, sizeof(b));

	harness_state_pm32(h, s);
	s->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_PG;
	s->cr3 = LM_PML4;
	s->cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	s->efer = EFER_LME | EFER_LMA;
	s->seg[SEG_CS].attr = SEG_ATTR_S | SEG_ATTR_P | SEG_ATTR_L |
			      SEG_ATTR_G | 0xB;
	s->gdtr.base = LM_GDT;
	s->gdtr.limit = 23;
	s->idtr.base = LM_IDT;
	s->idtr.limit = 16 * HARNESS_IDT_VECTORS - 1;
	s->fpu.fcw = 0x037f;
	s->fpu.fsw = 0;
	s->fpu.ftw = 0;
	s->fpu.mxcsr = 0x1f80;
}

int lm_step(struct harness *h, struct cpu_state *s, const uint8_t *code,
	    size_t len)
{
	harness_step(h, code, len, s);
	if (s->rip == HARNESS_CODE + len)
		return -1;
	return harness_handler_vector(s->rip);
}
