// SPDX-License-Identifier: MIT
/*
 * The comparison: every architectural field of struct cpu_state, by a
 * table of names and offsets, and the bytes of RAM in the pages either
 * side wrote.
 */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "diff/diff.h"
#include "machine/machine.h"

struct field_desc {
	const char *name;
	size_t offset;
	unsigned size;
};

#define F(n, member) \
	{ n, offsetof(struct cpu_state, member), \
	  sizeof(((struct cpu_state *)0)->member) }
#define SEGF(n, s) \
	F(n ".sel", s.sel), F(n ".base", s.base), F(n ".limit", s.limit), \
		F(n ".attr", s.attr)
#define ST(k) F("st" #k ".mant", fpu.st[k].mantissa), \
		F("st" #k ".exp", fpu.st[k].sign_exp)
#define XMM(k) F("xmm" #k ".lo", fpu.xmm[k][0]), F("xmm" #k ".hi", fpu.xmm[k][1])

static const struct field_desc fields[] = {
	F("rax", gpr[0]), F("rcx", gpr[1]), F("rdx", gpr[2]),
	F("rbx", gpr[3]), F("rsp", gpr[4]), F("rbp", gpr[5]),
	F("rsi", gpr[6]), F("rdi", gpr[7]), F("r8", gpr[8]),
	F("r9", gpr[9]), F("r10", gpr[10]), F("r11", gpr[11]),
	F("r12", gpr[12]), F("r13", gpr[13]), F("r14", gpr[14]),
	F("r15", gpr[15]), F("rip", rip), F("rflags", rflags),
	SEGF("es", seg[SEG_ES]), SEGF("cs", seg[SEG_CS]),
	SEGF("ss", seg[SEG_SS]), SEGF("ds", seg[SEG_DS]),
	SEGF("fs", seg[SEG_FS]), SEGF("gs", seg[SEG_GS]),
	SEGF("ldtr", ldtr), SEGF("tr", tr),
	F("gdtr.base", gdtr.base), F("gdtr.limit", gdtr.limit),
	F("idtr.base", idtr.base), F("idtr.limit", idtr.limit),
	F("cr0", cr0), F("cr2", cr2), F("cr3", cr3), F("cr4", cr4),
	F("cr8", cr8), F("efer", efer),
	F("dr0", dr[0]), F("dr1", dr[1]), F("dr2", dr[2]), F("dr3", dr[3]),
	F("dr6", dr[6]), F("dr7", dr[7]),
	F("sysenter_cs", msr.sysenter_cs), F("sysenter_esp", msr.sysenter_esp),
	F("sysenter_eip", msr.sysenter_eip), F("star", msr.star),
	F("lstar", msr.lstar), F("cstar", msr.cstar), F("sfmask", msr.sfmask),
	F("kernel_gs_base", msr.kernel_gs_base), F("tsc_aux", msr.tsc_aux),
	F("pat", msr.pat), F("tsc", msr.tsc),
	F("fcw", fpu.fcw), F("fsw", fpu.fsw), F("ftw", fpu.ftw),
	F("fop", fpu.fop), F("fip", fpu.fip), F("fdp", fpu.fdp),
	ST(0), ST(1), ST(2), ST(3), ST(4), ST(5), ST(6), ST(7),
	F("mxcsr", fpu.mxcsr),
	XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
	XMM(8), XMM(9), XMM(10), XMM(11), XMM(12), XMM(13), XMM(14), XMM(15),
	F("halted", halted), F("int_shadow", interrupt_shadow),
};

#define FIELD_COUNT (sizeof(fields) / sizeof(fields[0]))

static uint64_t field_value(const struct cpu_state *s,
			    const struct field_desc *d)
{
	uint64_t v = 0;

	memcpy(&v, (const char *)s + d->offset, d->size);
	return v;
}

void diff_compare_states(const struct cpu_state s[SIDE_COUNT],
			 struct diff_fields *out)
{
	out->count = out->differing = 0;
	for (size_t k = 0; k < FIELD_COUNT && k < DIFF_MAX_FIELDS; k++) {
		struct diff_field *f = &out->f[out->count++];

		snprintf(f->name, sizeof(f->name), "%s", fields[k].name);
		for (int side = 0; side < SIDE_COUNT; side++)
			f->v[side] = field_value(&s[side], &fields[k]);
		f->differs = f->v[0] != f->v[1];
		out->differing += f->differs;
	}
}

static void compare_page(const uint8_t *a, const uint8_t *b, uint64_t base,
			 struct diff_mems *out)
{
	if (memcmp(a, b, PAGE_SIZE) == 0)
		return;
	for (unsigned k = 0; k < PAGE_SIZE; k++) {
		if (a[k] == b[k])
			continue;
		out->total++;
		if (out->count < DIFF_MAX_MEM) {
			struct diff_mem *d = &out->b[out->count++];

			d->addr = base + k;
			d->v[0] = a[k];
			d->v[1] = b[k];
		}
	}
}

uint64_t diff_compare_ram(struct machine *const m[SIDE_COUNT],
			  const uint64_t *dirty, struct diff_mems *out)
{
	uint64_t size = m[0]->ram_size < m[1]->ram_size ? m[0]->ram_size :
							  m[1]->ram_size;
	uint64_t pages = size >> PAGE_SHIFT;

	out->count = 0;
	out->total = 0;
	for (uint64_t p = 0; p < pages; p++) {
		if (dirty && !dirty[p / 64]) {
			p |= 63; /* the whole word is clean */
			continue;
		}
		if (dirty && !(dirty[p / 64] & (1ull << (p % 64))))
			continue;
		compare_page(m[0]->ram + (p << PAGE_SHIFT),
			     m[1]->ram + (p << PAGE_SHIFT), p << PAGE_SHIFT,
			     out);
	}
	return out->total;
}
