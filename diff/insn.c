// SPDX-License-Identifier: MIT
/*
 * Just enough decoding for the diff: read the bytes at CS:RIP without
 * disturbing the machine (a read-only page walk, no accessed bits, no
 * MMIO), find the prefixes, REX, the opcode map, the opcode and ModRM
 * (SDM Vol. 2A ch. 2), so the undefined-flags table and the feeding of
 * RDTSC/CPUID results can key on them.  Zydis gives the text.
 */
#include <string.h>

#include "debugger/disasm.h"
#include "debugger/pagewalk.h"
#include "diff/diff.h"
#include "machine/machine.h"

static bool read_phys(void *opaque, uint64_t phys, unsigned size, uint64_t *v)
{
	struct machine *m = opaque;
	const struct mem_region *r = mem_lookup(m, phys);

	if (!r || r->kind == MEM_MMIO || phys + size > r->base + r->size)
		return false;
	*v = 0;
	memcpy(v, r->host + (phys - r->base), size);
	return true;
}

uint64_t diff_insn_linear(const struct cpu_state *s)
{
	uint64_t lin = s->seg[SEG_CS].base + s->rip;

	return diff_code_bits(s) == 64 ? lin : lin & 0xffffffffull;
}

int diff_code_bits(const struct cpu_state *s)
{
	const struct segment *cs = &s->seg[SEG_CS];

	if ((s->efer & EFER_LMA) && (cs->attr & SEG_ATTR_L))
		return 64;
	if (!(s->cr0 & CR0_PE))
		return 16;
	return (cs->attr & SEG_ATTR_DB) ? 32 : 16;
}

bool diff_linear_to_phys(struct machine *m, const struct cpu_state *s,
			 uint64_t lin, uint64_t *phys)
{
	struct pw_regs regs = { s->cr0, s->cr3, s->cr4, s->efer };
	struct pw_result w;

	pagewalk(&regs, lin, read_phys, m, &w);
	*phys = w.phys;
	return w.fault == PW_OK;
}

unsigned diff_read_linear(struct machine *m, const struct cpu_state *s,
			  uint64_t lin, uint8_t *buf, unsigned n)
{
	struct pw_regs regs = { s->cr0, s->cr3, s->cr4, s->efer };
	unsigned got = 0;

	while (got < n) {
		struct pw_result w;
		uint64_t v;

		pagewalk(&regs, lin + got, read_phys, m, &w);
		if (w.fault != PW_OK || !read_phys(m, w.phys, 1, &v))
			break;
		buf[got++] = (uint8_t)v;
	}
	return got;
}

/* Legacy prefixes (SDM Vol. 2A §2.1.1). */
static bool is_legacy_prefix(uint8_t b)
{
	static const uint8_t prefixes[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64,
					    0x65, 0x66, 0x67, 0xf0, 0xf2,
					    0xf3 };

	return memchr(prefixes, b, sizeof(prefixes)) != NULL;
}

/*
 * Whether an opcode of the one-byte map has a ModRM byte (SDM Vol. 2D
 * App. A, Table A-2): by rows of 16, one bit per column.
 */
static bool onebyte_has_modrm(uint8_t op)
{
	static const uint16_t rows[16] = {
		0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, /* ALU rows: xx0-xx3 */
		0x0000, 0x0000, 0x0a0c, 0x0000, /* 62 63, 69 6B */
		0xffff, 0x0000, 0x0000, 0x0000, /* 80-8F */
		0x00f3, 0xff0f, 0x0000, 0xc0c0, /* C0 C1 C4-C7, D0-D3 D8-DF, F6 F7 FE FF */
	};

	return (rows[op >> 4] >> (op & 15)) & 1;
}

/* Two-byte map: everything has ModRM but these (App. A, Table A-3). */
static bool twobyte_has_modrm(uint8_t op)
{
	if ((op >= 0x80 && op <= 0x8f) || (op >= 0xc8 && op <= 0xcf))
		return false;
	switch (op) {
	case 0x05: case 0x06: case 0x07: case 0x08: case 0x09: case 0x0b:
	case 0x0e: case 0x30: case 0x31: case 0x32: case 0x33: case 0x34:
	case 0x35: case 0x37: case 0x77: case 0xa0: case 0xa1: case 0xa2:
	case 0xa8: case 0xa9: case 0xaa:
		return false;
	default:
		return true;
	}
}

static void parse(struct diff_insn *i)
{
	unsigned k = 0;

	while (k < i->avail && is_legacy_prefix(i->bytes[k])) {
		if (i->bytes[k] == 0x66)
			i->opsize = true;
		else if (i->bytes[k] == 0x67)
			i->addrsize = true;
		else if (i->bytes[k] == 0xf3)
			i->rep = true;
		else if (i->bytes[k] == 0xf2)
			i->repne = true;
		k++;
	}
	if (i->bits == 64 && k < i->avail && (i->bytes[k] & 0xf0) == 0x40)
		i->rex = i->bytes[k++];
	if (k < i->avail && i->bytes[k] == 0x0f) {
		k++;
		i->map = 1;
		if (k < i->avail && (i->bytes[k] == 0x38 || i->bytes[k] == 0x3a)) {
			i->map = i->bytes[k] == 0x38 ? 2 : 3;
			k++;
		}
	}
	if (k >= i->avail)
		return;
	i->opcode = i->bytes[k++];
	i->has_modrm = i->map == 0 ? onebyte_has_modrm(i->opcode) :
		       i->map == 1 ? twobyte_has_modrm(i->opcode) :
				     true;
	if (i->has_modrm && k < i->avail)
		i->modrm = i->bytes[k++];
	i->len_guess = k;
}

void diff_insn_fetch(struct machine *m, const struct cpu_state *s,
		     struct diff_insn *i)
{
	memset(i, 0, sizeof(*i));
	i->bits = diff_code_bits(s);
	i->avail = diff_read_linear(m, s, diff_insn_linear(s), i->bytes,
				    DIFF_INSN_MAX);
	parse(i);
}

void diff_insn_text(const struct diff_insn *i, uint64_t pc, char *out,
		    size_t n)
{
	if (!disasm_one(i->bits, pc, i->bytes, i->avail, out, n) && n)
		snprintf(out, n, "(bad)");
}

enum diff_feed diff_insn_feed(const struct diff_insn *i)
{
	if (i->map == 1 && i->opcode == 0x31)
		return FEED_RDTSC;
	if (i->map == 1 && i->opcode == 0xa2)
		return FEED_CPUID;
	if (i->map == 1 && i->opcode == 0x01 && i->modrm == 0xf9)
		return FEED_RDTSCP;
	/* RDRAND /6, RDSEED /7 of 0F C7, register forms. */
	if (i->map == 1 && i->opcode == 0xc7 && (i->modrm >> 6) == 3 &&
	    ((i->modrm >> 3) & 7) >= 6)
		return FEED_RDRAND;
	return FEED_NONE;
}
