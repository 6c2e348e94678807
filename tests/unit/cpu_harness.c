// SPDX-License-Identifier: MIT
/* A bare machine for CPU unit tests; see cpu_harness.h for the layout. */
#include "cpu_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Flat descriptors (SDM Vol. 3A §3.4.5): base 0, limit 0xFFFFF, G=1, D=1. */
#define DESC_FLAT_CODE32 0x00CF9B000000FFFFull /* execute/read, accessed */
#define DESC_FLAT_DATA32 0x00CF93000000FFFFull /* read/write, accessed */

/* 32-bit interrupt gate, present, DPL 0 (SDM Vol. 3A §6.11). */
#define GATE_INT32 0x8E

#define HLT 0xF4

static void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void harness_build_tables(struct harness *h)
{
	uint8_t buf[8 * HARNESS_IDT_VECTORS];

	/* Real-mode IVT: offset, then segment 0. */
	for (unsigned v = 0; v < 256; v++) {
		uint8_t e[4];

		put_u16(e, (uint16_t)HARNESS_HANDLER(v % HARNESS_IDT_VECTORS));
		put_u16(e + 2, 0);
		harness_write(h, 4 * v, e, sizeof(e));
	}

	memset(buf, 0, sizeof(buf));
	put_u64(buf + 8, DESC_FLAT_CODE32);
	put_u64(buf + 16, DESC_FLAT_DATA32);
	harness_write(h, HARNESS_GDT, buf, 24);

	memset(buf, 0, sizeof(buf));
	for (unsigned v = 0; v < HARNESS_IDT_VECTORS; v++) {
		uint8_t *g = buf + 8 * v;
		uint32_t off = HARNESS_HANDLER(v);

		put_u16(g, (uint16_t)off);
		put_u16(g + 2, HARNESS_SEL_CODE);
		g[4] = 0;
		g[5] = GATE_INT32;
		put_u16(g + 6, (uint16_t)(off >> 16));
	}
	harness_write(h, HARNESS_IDT, buf, sizeof(buf));

	memset(buf, HLT, sizeof(buf));
	harness_write(h, HARNESS_HANDLERS, buf, sizeof(buf));
}

struct harness *harness_create(void)
{
	struct machine_options o;
	struct harness *h;

	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	machine_options_init(&o);
	o.ram_mib = 1;
	o.demo = false;
	o.boot_sector = NULL;
	o.bios = NULL;
	o.debugcon.kind = CHARDEV_NONE;
	o.serial.kind = CHARDEV_NONE;
	o.max_insns = 0;
	o.stats = false;
	h->m = machine_create(&o);
	if (!h->m) {
		fprintf(stderr, "harness: machine_create failed\n");
		free(h);
		return NULL;
	}
	if (!h->m->cpu) {
		fprintf(stderr,
			"harness: the machine has no interpreter CPU\n");
		machine_destroy(h->m);
		free(h);
		return NULL;
	}
	harness_build_tables(h);
	return h;
}

void harness_destroy(struct harness *h)
{
	if (!h)
		return;
	machine_destroy(h->m);
	free(h);
}

static void seg_flat(struct segment *s, uint16_t sel, uint16_t type)
{
	s->sel = sel;
	s->attr = SEG_ATTR_S | SEG_ATTR_P | SEG_ATTR_DB | SEG_ATTR_G | type;
	s->base = 0;
	s->limit = 0xFFFFFFFFu;
}

void harness_state_pm32(struct harness *h, struct cpu_state *s)
{
	cpu_state_get(h->m->cpu, s);
	memset(s->gpr, 0, sizeof(s->gpr));
	s->gpr[R_SP] = HARNESS_STACK_TOP;
	s->rip = HARNESS_CODE;
	s->rflags = FLAG_FIXED1;
	s->cr0 = CR0_PE | CR0_ET;
	s->cr4 = 0;
	s->efer = 0;
	for (int i = 0; i < SEG_COUNT; i++)
		seg_flat(&s->seg[i], HARNESS_SEL_DATA, 0x3);
	seg_flat(&s->seg[SEG_CS], HARNESS_SEL_CODE, 0xB);
	s->gdtr.base = HARNESS_GDT;
	s->gdtr.limit = 3 * 8 - 1;
	s->idtr.base = HARNESS_IDT;
	s->idtr.limit = 8 * HARNESS_IDT_VECTORS - 1;
	s->halted = false;
	s->interrupt_shadow = false;
}

void harness_state_real(struct harness *h, struct cpu_state *s)
{
	cpu_state_get(h->m->cpu, s);
	memset(s->gpr, 0, sizeof(s->gpr));
	s->gpr[R_SP] = HARNESS_STACK_TOP;
	s->rip = HARNESS_CODE;
	s->rflags = FLAG_FIXED1;
	s->cr0 = CR0_ET;
	s->cr4 = 0;
	s->efer = 0;
	for (int i = 0; i < SEG_COUNT; i++)
		segment_set_real(&s->seg[i], 0, i);
	s->idtr.base = 0;
	s->idtr.limit = 0x3FF;
	s->halted = false;
	s->interrupt_shadow = false;
}

void harness_write(struct harness *h, uint32_t addr, const void *buf,
		   size_t len)
{
	if (addr >= h->m->ram_size || len > h->m->ram_size - addr) {
		fprintf(stderr, "harness: write outside RAM at %#x\n", addr);
		abort();
	}
	memcpy(h->m->ram + addr, buf, len);
	machine_ram_written(h->m, addr, len);
}

void harness_read(struct harness *h, uint32_t addr, void *buf, size_t len)
{
	if (addr >= h->m->ram_size || len > h->m->ram_size - addr) {
		fprintf(stderr, "harness: read outside RAM at %#x\n", addr);
		abort();
	}
	memcpy(buf, h->m->ram + addr, len);
}

enum cpu_stop harness_step(struct harness *h, const uint8_t *code, size_t len,
			   struct cpu_state *s)
{
	uint8_t buf[32];
	enum cpu_stop stop;

	if (len > 16)
		len = 16;
	memset(buf, HLT, sizeof(buf));
	memcpy(buf, code, len);
	harness_write(h, HARNESS_CODE, buf, sizeof(buf));
	cpu_state_set(h->m->cpu, s);
	stop = cpu_step(h->m->cpu);
	cpu_state_get(h->m->cpu, s);
	return stop;
}

int harness_handler_vector(uint64_t addr)
{
	if (addr < HARNESS_HANDLERS ||
	    addr >= HARNESS_HANDLER(HARNESS_IDT_VECTORS))
		return -1;
	if ((addr - HARNESS_HANDLERS) % 8)
		return -1;
	return (int)((addr - HARNESS_HANDLERS) / 8);
}
