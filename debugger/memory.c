// SPDX-License-Identifier: MIT
/*
 * The debugger's view of the machine: the CPU state through whichever
 * engine runs (accel_ops.state_get/state_set), guest memory through the
 * physical map (RAM and ROM only: a debugger read must not poke a
 * device), and linear addresses through a page walk that sets no
 * accessed or dirty bit (pagewalk.c).
 */
#include <string.h>

#include "accel/accel.h"
#include "debugger/dbg.h"
#include "debugger/pagewalk.h"
#include "machine/machine.h"

void dbg_state(struct debugger *d, struct cpu_state *s)
{
	d->m->accel->state_get(d->m, s);
}

void dbg_state_set(struct debugger *d, const struct cpu_state *s)
{
	d->m->accel->state_set(d->m, s);
}

enum dbg_mode dbg_mode_of(const struct cpu_state *s)
{
	bool db = (s->seg[SEG_CS].attr & SEG_ATTR_DB) != 0;

	if (!(s->cr0 & CR0_PE))
		return MODE_REAL;
	if (s->rflags & FLAG_VM)
		return MODE_V8086;
	if (s->efer & EFER_LMA) {
		if (s->seg[SEG_CS].attr & SEG_ATTR_L)
			return MODE_LONG64;
		return db ? MODE_COMPAT32 : MODE_COMPAT16;
	}
	return db ? MODE_PROT32 : MODE_PROT16;
}

const char *dbg_mode_name(enum dbg_mode mode)
{
	static const char *const names[] = {
		[MODE_REAL] = "real mode",
		[MODE_V8086] = "virtual-8086 mode",
		[MODE_PROT16] = "16-bit protected mode",
		[MODE_PROT32] = "32-bit protected mode",
		[MODE_COMPAT16] = "16-bit compatibility mode",
		[MODE_COMPAT32] = "32-bit compatibility mode",
		[MODE_LONG64] = "64-bit long mode",
	};

	return names[mode];
}

int dbg_code_bits(const struct cpu_state *s)
{
	switch (dbg_mode_of(s)) {
	case MODE_LONG64:
		return 64;
	case MODE_PROT32:
	case MODE_COMPAT32:
		return 32;
	case MODE_REAL:
		/* Real mode keeps a 32-bit CS cache loaded in protected
		 * mode ("unreal" code), rare but legal. */
		return (s->seg[SEG_CS].attr & SEG_ATTR_DB) ? 32 : 16;
	default:
		return 16;
	}
}

uint64_t dbg_pc(const struct cpu_state *s)
{
	if (dbg_mode_of(s) == MODE_LONG64)
		return s->rip;
	return (s->seg[SEG_CS].base + s->rip) & 0xffffffffull;
}

/* Whether [phys, phys + len) lies in RAM or ROM; the host bytes. */
static uint8_t *host_bytes(struct debugger *d, uint64_t phys, size_t len,
			   bool write)
{
	const struct mem_region *r = mem_lookup(d->m, phys);

	if (!r || r->kind == MEM_MMIO || !r->host)
		return NULL;
	if (write && r->kind != MEM_RAM)
		return NULL;
	if (phys - r->base + len > r->size)
		return NULL;
	return r->host + (phys - r->base);
}

bool dbg_phys_read(struct debugger *d, uint64_t phys, void *buf, size_t len)
{
	uint8_t *out = buf;

	/* Region by region: a range may span RAM and ROM. */
	while (len) {
		size_t n = 0x1000 - (phys & 0xfff);
		uint8_t *h;

		if (n > len)
			n = len;
		h = host_bytes(d, phys, n, false);
		if (!h)
			return false;
		memcpy(out, h, n);
		out += n;
		phys += n;
		len -= n;
	}
	return true;
}

bool dbg_phys_write(struct debugger *d, uint64_t phys, const void *buf,
		    size_t len)
{
	/* Check the whole range first: all or nothing. */
	for (uint64_t a = phys; a < phys + len;
	     a = (a | 0xfff) + 1) {
		size_t n = 0x1000 - (a & 0xfff);

		if (n > phys + len - a)
			n = phys + len - a;
		if (!host_bytes(d, a, n, true))
			return false;
	}
	/* Through the machine, so decoded code and KVM hear of it. */
	phys_write(d->m, phys, buf, len);
	return true;
}

static bool pw_read(void *opaque, uint64_t phys, unsigned size, uint64_t *v)
{
	struct debugger *d = opaque;
	uint8_t b[8] = { 0 };

	if (!dbg_phys_read(d, phys, b, size))
		return false;
	*v = 0;
	for (unsigned k = 0; k < size; k++)
		*v |= (uint64_t)b[k] << (8 * k);
	return true;
}

bool dbg_lin_to_phys(struct debugger *d, const struct cpu_state *s,
		     uint64_t lin, uint64_t *phys)
{
	struct pw_regs r = { s->cr0, s->cr3, s->cr4, s->efer };
	struct pw_result res;

	pagewalk(&r, lin, pw_read, d, &res);
	if (res.fault != PW_OK)
		return false;
	*phys = res.phys;
	if (!d->m->a20)
		*phys &= ~(1ull << 20);
	return true;
}

bool dbg_lin_read(struct debugger *d, const struct cpu_state *s, uint64_t lin,
		  void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		size_t n = 0x1000 - (lin & 0xfff);
		uint64_t phys;

		if (n > len)
			n = len;
		if (!dbg_lin_to_phys(d, s, lin, &phys) ||
		    !dbg_phys_read(d, phys, out, n))
			return false;
		out += n;
		lin += n;
		len -= n;
	}
	return true;
}

bool dbg_lin_write(struct debugger *d, const struct cpu_state *s,
		   uint64_t lin, const void *buf, size_t len)
{
	const uint8_t *in = buf;
	uint64_t a;

	/* Every page must translate before any byte is written. */
	for (a = lin; a < lin + len; a = (a | 0xfff) + 1) {
		uint64_t phys;

		if (!dbg_lin_to_phys(d, s, a, &phys))
			return false;
	}
	while (len) {
		size_t n = 0x1000 - (lin & 0xfff);
		uint64_t phys;

		if (n > len)
			n = len;
		if (!dbg_lin_to_phys(d, s, lin, &phys) ||
		    !dbg_phys_write(d, phys, in, n))
			return false;
		in += n;
		lin += n;
		len -= n;
	}
	return true;
}

uint64_t dbg_seg_linear(struct debugger *d, const struct cpu_state *s,
			uint16_t sel, uint64_t off)
{
	(void)d;
	/* A selector that one of the segment registers holds: its cached
	 * base; otherwise the real-mode rule, as Bochs's vb does there. */
	for (int k = 0; k < SEG_COUNT; k++)
		if (s->seg[k].sel == sel && (s->cr0 & CR0_PE))
			return (s->seg[k].base + off) &
			       (dbg_mode_of(s) == MODE_LONG64 ? ~0ull
							      : 0xffffffffull);
	return ((uint64_t)sel << 4) + (off & 0xffff);
}
