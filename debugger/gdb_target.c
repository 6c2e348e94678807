// SPDX-License-Identifier: MIT
/*
 * Register layouts for gdb.  The core and SSE features follow the names
 * and order gdb's i386 and amd64 support require (gdb manual, "i386
 * Features": org.gnu.gdb.i386.core, .sse, .segments); popek's own
 * feature, org.popek.x86.system, adds the segment bases and limits,
 * CR0-CR4, CR8, EFER, GDTR, IDTR and DR0-DR7.  The description is built
 * from the same tables the g and p packets use, so the two cannot
 * disagree.
 */
#include <stdio.h>
#include <string.h>

#include "debugger/gdb_target.h"

enum reg_kind {
	RK_GPR, /* index: GPR number */
	RK_RIP,
	RK_FLAGS,
	RK_SEL, /* index: segment */
	RK_ST, /* index: ST(i) */
	RK_FPU, /* index: 0 fctrl .. 7 fop */
	RK_XMM,
	RK_MXCSR,
	RK_SEG_BASE, /* index: segment; 6 ldtr, 7 tr */
	RK_SEG_LIMIT,
	RK_CR, /* index: 0, 2, 3, 4, 8 */
	RK_EFER,
	RK_GDTR_BASE,
	RK_GDTR_LIMIT,
	RK_IDTR_BASE,
	RK_IDTR_LIMIT,
	RK_DR,
};

struct reg_desc {
	char name[16];
	unsigned bits;
	const char *type;
	const char *group;
	enum reg_kind kind;
	unsigned index;
};

#define MAX_REGS 128

struct layout {
	struct reg_desc r[MAX_REGS];
	unsigned n, core_end, sse_end, seg_end;
};

static const char *const seg_names[6] = { "es", "cs", "ss", "ds", "fs", "gs" };
/* gdb's order of the selectors after eflags. */
static const unsigned gdb_seg_order[6] = { SEG_CS, SEG_SS, SEG_DS,
					   SEG_ES, SEG_FS, SEG_GS };

static void add(struct layout *l, const char *name, unsigned bits,
		const char *type, const char *group, enum reg_kind kind,
		unsigned index)
{
	struct reg_desc *r = &l->r[l->n++];

	snprintf(r->name, sizeof(r->name), "%s", name);
	r->bits = bits;
	r->type = type;
	r->group = group;
	r->kind = kind;
	r->index = index;
}

static void build(struct layout *l, enum gdb_arch a)
{
	static const char *const gpr32[8] = { "eax", "ecx", "edx", "ebx",
					      "esp", "ebp", "esi", "edi" };
	/* amd64's order: rax rbx rcx rdx rsi rdi rbp rsp r8..r15. */
	static const unsigned amd64_order[8] = { 0, 3, 1, 2, 6, 7, 5, 4 };
	static const char *const gpr64[8] = { "rax", "rbx", "rcx", "rdx",
					      "rsi", "rdi", "rbp", "rsp" };
	static const char *const fpu[8] = { "fctrl", "fstat", "ftag", "fiseg",
					    "fioff", "foseg", "fooff", "fop" };
	bool wide = a == GDB_ARCH_X86_64;
	char name[16];

	memset(l, 0, sizeof(*l));
	if (wide) {
		for (unsigned k = 0; k < 8; k++)
			add(l, gpr64[k], 64,
			    k >= 6 ? "data_ptr" : "int64", NULL, RK_GPR,
			    amd64_order[k]);
		for (unsigned k = 8; k < 16; k++) {
			snprintf(name, sizeof(name), "r%u", k);
			add(l, name, 64, "int64", NULL, RK_GPR, k);
		}
		add(l, "rip", 64, "code_ptr", NULL, RK_RIP, 0);
	} else {
		for (unsigned k = 0; k < 8; k++)
			add(l, gpr32[k], 32,
			    k == 4 || k == 5 ? "data_ptr" : "int32", NULL,
			    RK_GPR, k);
		add(l, "eip", 32, "code_ptr", NULL, RK_RIP, 0);
	}
	add(l, "eflags", 32, "i386_eflags", NULL, RK_FLAGS, 0);
	for (unsigned k = 0; k < 6; k++)
		add(l, seg_names[gdb_seg_order[k]], 32, "int32", NULL, RK_SEL,
		    gdb_seg_order[k]);
	for (unsigned k = 0; k < 8; k++) {
		snprintf(name, sizeof(name), "st%u", k);
		add(l, name, 80, "i387_ext", NULL, RK_ST, k);
	}
	for (unsigned k = 0; k < 8; k++)
		add(l, fpu[k], 32, "int", "float", RK_FPU, k);
	l->core_end = l->n;
	for (unsigned k = 0; k < (wide ? 16u : 8u); k++) {
		snprintf(name, sizeof(name), "xmm%u", k);
		add(l, name, 128, "vec128", NULL, RK_XMM, k);
	}
	add(l, "mxcsr", 32, "int", "vector", RK_MXCSR, 0);
	l->sse_end = l->n;
	if (wide) {
		add(l, "fs_base", 64, "int", NULL, RK_SEG_BASE, SEG_FS);
		add(l, "gs_base", 64, "int", NULL, RK_SEG_BASE, SEG_GS);
	}
	l->seg_end = l->n;
	for (unsigned k = 0; k < 6; k++) {
		if (wide && (k == SEG_FS || k == SEG_GS))
			continue;
		snprintf(name, sizeof(name), "%s_base", seg_names[k]);
		add(l, name, 64, "uint64", "system", RK_SEG_BASE, k);
	}
	for (unsigned k = 0; k < 6; k++) {
		snprintf(name, sizeof(name), "%s_limit", seg_names[k]);
		add(l, name, 32, "uint32", "system", RK_SEG_LIMIT, k);
	}
	add(l, "cr0", 64, "uint64", "system", RK_CR, 0);
	add(l, "cr2", 64, "uint64", "system", RK_CR, 2);
	add(l, "cr3", 64, "uint64", "system", RK_CR, 3);
	add(l, "cr4", 64, "uint64", "system", RK_CR, 4);
	add(l, "cr8", 64, "uint64", "system", RK_CR, 8);
	add(l, "efer", 64, "uint64", "system", RK_EFER, 0);
	add(l, "gdtr_base", 64, "uint64", "system", RK_GDTR_BASE, 0);
	add(l, "gdtr_limit", 32, "uint32", "system", RK_GDTR_LIMIT, 0);
	add(l, "idtr_base", 64, "uint64", "system", RK_IDTR_BASE, 0);
	add(l, "idtr_limit", 32, "uint32", "system", RK_IDTR_LIMIT, 0);
	for (unsigned k = 0; k < 8; k++) {
		if (k == 4 || k == 5)
			continue;
		snprintf(name, sizeof(name), "dr%u", k);
		add(l, name, 64, "uint64", "system", RK_DR, k);
	}
}

enum gdb_arch gdb_arch_of(const struct cpu_state *s)
{
	if (s->efer & EFER_LMA)
		return GDB_ARCH_X86_64;
	return (s->cr0 & CR0_PE) ? GDB_ARCH_I386 : GDB_ARCH_I8086;
}

const char *gdb_arch_name(enum gdb_arch a)
{
	switch (a) {
	case GDB_ARCH_X86_64:
		return "i386:x86-64";
	case GDB_ARCH_I386:
		return "i386";
	default:
		return "i8086";
	}
}

unsigned gdb_reg_count(enum gdb_arch a)
{
	struct layout l;

	build(&l, a);
	return l.n;
}

unsigned gdb_reg_size(enum gdb_arch a, unsigned n)
{
	struct layout l;

	build(&l, a);
	return n < l.n ? l.r[n].bits / 8 : 0;
}

static const char types_xml[] =
	"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
	"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
	"<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
	"<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
	"<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
	"<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
	"<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
	"<field name=\"v2_double\" type=\"v2d\"/>"
	"<field name=\"v16_int8\" type=\"v16i8\"/>"
	"<field name=\"v8_int16\" type=\"v8i16\"/>"
	"<field name=\"v4_int32\" type=\"v4i32\"/>"
	"<field name=\"v2_int64\" type=\"v2i64\"/>"
	"<field name=\"uint128\" type=\"uint128\"/></union>";

static const char eflags_xml[] =
	"<flags id=\"i386_eflags\" size=\"4\">"
	"<field name=\"CF\" start=\"0\" end=\"0\"/>"
	"<field name=\"\" start=\"1\" end=\"1\"/>"
	"<field name=\"PF\" start=\"2\" end=\"2\"/>"
	"<field name=\"AF\" start=\"4\" end=\"4\"/>"
	"<field name=\"ZF\" start=\"6\" end=\"6\"/>"
	"<field name=\"SF\" start=\"7\" end=\"7\"/>"
	"<field name=\"TF\" start=\"8\" end=\"8\"/>"
	"<field name=\"IF\" start=\"9\" end=\"9\"/>"
	"<field name=\"DF\" start=\"10\" end=\"10\"/>"
	"<field name=\"OF\" start=\"11\" end=\"11\"/>"
	"<field name=\"NT\" start=\"14\" end=\"14\"/>"
	"<field name=\"RF\" start=\"16\" end=\"16\"/>"
	"<field name=\"VM\" start=\"17\" end=\"17\"/>"
	"<field name=\"AC\" start=\"18\" end=\"18\"/>"
	"<field name=\"VIF\" start=\"19\" end=\"19\"/>"
	"<field name=\"VIP\" start=\"20\" end=\"20\"/>"
	"<field name=\"ID\" start=\"21\" end=\"21\"/></flags>";

static size_t put(char *out, size_t cap, size_t used, const char *text)
{
	size_t n = strlen(text);

	if (used + n < cap)
		memcpy(out + used, text, n + 1);
	return used + n;
}

static size_t put_regs(const struct layout *l, unsigned from, unsigned to,
		       char *out, size_t cap, size_t used)
{
	char line[200];

	for (unsigned k = from; k < to; k++) {
		const struct reg_desc *r = &l->r[k];

		snprintf(line, sizeof(line),
			 "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\"%s%s%s/>",
			 r->name, r->bits, r->type, k,
			 r->group ? " group=\"" : "", r->group ? r->group : "",
			 r->group ? "\"" : "");
		used = put(out, cap, used, line);
	}
	return used;
}

size_t gdb_target_xml(enum gdb_arch a, char *xml, size_t cap)
{
	struct layout l;
	size_t used = 0;

	build(&l, a);
	used = put(xml, cap, used,
		   "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
		   "<target version=\"1.0\"><architecture>");
	used = put(xml, cap, used, gdb_arch_name(a));
	used = put(xml, cap, used, "</architecture>");
	used = put(xml, cap, used,
		   "<feature name=\"org.gnu.gdb.i386.core\">");
	used = put(xml, cap, used, eflags_xml);
	used = put_regs(&l, 0, l.core_end, xml, cap, used);
	used = put(xml, cap, used,
		   "</feature><feature name=\"org.gnu.gdb.i386.sse\">");
	used = put(xml, cap, used, types_xml);
	used = put_regs(&l, l.core_end, l.sse_end, xml, cap, used);
	used = put(xml, cap, used, "</feature>");
	if (l.seg_end > l.sse_end) {
		used = put(xml, cap, used,
			   "<feature name=\"org.gnu.gdb.i386.segments\">");
		used = put_regs(&l, l.sse_end, l.seg_end, xml, cap,
				used);
		used = put(xml, cap, used, "</feature>");
	}
	used = put(xml, cap, used,
		   "<feature name=\"org.popek.x86.system\">");
	used = put_regs(&l, l.seg_end, l.n, xml, cap, used);
	used = put(xml, cap, used, "</feature></target>");
	return used < cap ? used : 0;
}

static void put_le(uint8_t *out, uint64_t v, unsigned bytes)
{
	for (unsigned k = 0; k < bytes; k++)
		out[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get_le(const uint8_t *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned k = 0; k < bytes && k < 8; k++)
		v |= (uint64_t)in[k] << (8 * k);
	return v;
}

/* The x87 tag word from FXSAVE's abridged one (SDM Vol. 1 §10.5.1.1). */
static unsigned full_tag_word(const struct fpu_state *f)
{
	unsigned top = (f->fsw >> 11) & 7, ftw = 0;

	for (unsigned phys = 0; phys < 8; phys++) {
		const struct x87_reg *r = &f->st[(phys - top) & 7];
		unsigned exp = r->sign_exp & 0x7fff, tag;

		if (!(f->ftw & (1u << phys)))
			tag = 3;
		else if (exp == 0 && r->mantissa == 0)
			tag = 1;
		else if (exp == 0x7fff || exp == 0 || !(r->mantissa >> 63))
			tag = 2;
		else
			tag = 0;
		ftw |= tag << (2 * phys);
	}
	return ftw;
}

static uint64_t *cr_ptr(struct cpu_state *s, unsigned index)
{
	switch (index) {
	case 0:
		return &s->cr0;
	case 2:
		return &s->cr2;
	case 3:
		return &s->cr3;
	case 4:
		return &s->cr4;
	default:
		return &s->cr8;
	}
}

unsigned gdb_reg_get(enum gdb_arch a, const struct cpu_state *s, unsigned n,
		     uint8_t *out)
{
	struct layout l;
	const struct reg_desc *r;
	unsigned bytes;
	uint64_t v = 0;

	build(&l, a);
	if (n >= l.n)
		return 0;
	r = &l.r[n];
	bytes = r->bits / 8;
	switch (r->kind) {
	case RK_GPR: v = s->gpr[r->index]; break;
	case RK_RIP: v = s->rip; break;
	case RK_FLAGS: v = s->rflags; break;
	case RK_SEL: v = s->seg[r->index].sel; break;
	case RK_ST:
		put_le(out, s->fpu.st[r->index].mantissa, 8);
		put_le(out + 8, s->fpu.st[r->index].sign_exp, 2);
		return bytes;
	case RK_FPU:
		switch (r->index) {
		case 0: v = s->fpu.fcw; break;
		case 1: v = s->fpu.fsw; break;
		case 2: v = full_tag_word(&s->fpu); break;
		case 3: v = s->fpu.fcs; break;
		case 4: v = s->fpu.fip; break;
		case 5: v = s->fpu.fds; break;
		case 6: v = s->fpu.fdp; break;
		default: v = s->fpu.fop; break;
		}
		break;
	case RK_XMM:
		put_le(out, s->fpu.xmm[r->index][0], 8);
		put_le(out + 8, s->fpu.xmm[r->index][1], 8);
		return bytes;
	case RK_MXCSR: v = s->fpu.mxcsr; break;
	case RK_SEG_BASE: v = s->seg[r->index].base; break;
	case RK_SEG_LIMIT: v = s->seg[r->index].limit; break;
	case RK_CR: v = *cr_ptr((struct cpu_state *)s, r->index); break;
	case RK_EFER: v = s->efer; break;
	case RK_GDTR_BASE: v = s->gdtr.base; break;
	case RK_GDTR_LIMIT: v = s->gdtr.limit; break;
	case RK_IDTR_BASE: v = s->idtr.base; break;
	case RK_IDTR_LIMIT: v = s->idtr.limit; break;
	case RK_DR: v = s->dr[r->index]; break;
	}
	put_le(out, v, bytes);
	return bytes;
}

int gdb_reg_set(enum gdb_arch a, struct cpu_state *s, unsigned n,
		const uint8_t *in)
{
	struct layout l;
	const struct reg_desc *r;
	unsigned bytes;
	uint64_t v;

	build(&l, a);
	if (n >= l.n)
		return -1;
	r = &l.r[n];
	bytes = r->bits / 8;
	v = get_le(in, bytes);
	switch (r->kind) {
	case RK_GPR:
		/* A 32-bit layout writes the low half only. */
		s->gpr[r->index] = bytes == 8 ? v
				   : (s->gpr[r->index] & ~0xffffffffull) | v;
		return 0;
	case RK_RIP:
		s->rip = bytes == 8 ? v : (s->rip & ~0xffffffffull) | v;
		return 0;
	case RK_FLAGS:
		s->rflags = (v & 0x3f7fd7u) | FLAG_FIXED1;
		return 0;
	case RK_SEL:
		/* Only real mode forms a segment from the selector alone;
		 * elsewhere an unchanged value is accepted (G packets). */
		if (!(s->cr0 & CR0_PE)) {
			s->seg[r->index].sel = (uint16_t)v;
			s->seg[r->index].base = (uint64_t)(uint16_t)v << 4;
			return 0;
		}
		return s->seg[r->index].sel == (uint16_t)v ? 0 : -1;
	case RK_ST:
		s->fpu.st[r->index].mantissa = get_le(in, 8);
		s->fpu.st[r->index].sign_exp = (uint16_t)get_le(in + 8, 2);
		return 0;
	case RK_FPU:
		switch (r->index) {
		case 0: s->fpu.fcw = (uint16_t)v; return 0;
		case 1: s->fpu.fsw = (uint16_t)v; return 0;
		case 2: {
			uint8_t ftw = 0;

			for (unsigned phys = 0; phys < 8; phys++)
				if (((v >> (2 * phys)) & 3) != 3)
					ftw |= (uint8_t)(1u << phys);
			s->fpu.ftw = ftw;
			return 0;
		}
		case 3: s->fpu.fcs = (uint16_t)v; return 0;
		case 4: s->fpu.fip = v; return 0;
		case 5: s->fpu.fds = (uint16_t)v; return 0;
		case 6: s->fpu.fdp = v; return 0;
		default: s->fpu.fop = (uint16_t)(v & 0x7ff); return 0;
		}
	case RK_XMM:
		s->fpu.xmm[r->index][0] = get_le(in, 8);
		s->fpu.xmm[r->index][1] = get_le(in + 8, 8);
		return 0;
	case RK_MXCSR: s->fpu.mxcsr = (uint32_t)v; return 0;
	case RK_SEG_BASE: s->seg[r->index].base = v; return 0;
	case RK_SEG_LIMIT: s->seg[r->index].limit = (uint32_t)v; return 0;
	case RK_CR: *cr_ptr(s, r->index) = v; return 0;
	case RK_EFER: s->efer = v; return 0;
	case RK_GDTR_BASE: s->gdtr.base = v; return 0;
	case RK_GDTR_LIMIT: s->gdtr.limit = (uint32_t)v; return 0;
	case RK_IDTR_BASE: s->idtr.base = v; return 0;
	case RK_IDTR_LIMIT: s->idtr.limit = (uint32_t)v; return 0;
	case RK_DR: s->dr[r->index] = v; return 0;
	}
	return -1;
}
