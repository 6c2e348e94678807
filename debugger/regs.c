// SPDX-License-Identifier: MIT
/*
 * Registers: names for expressions and `set`, and the register views
 * (r, sreg, creg, dreg, fp, sse, info eflags, info cpu).
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <stddef.h>
#include <stdlib.h>
#include <strings.h>

#include "accel/accel.h"
#include "cpu/cpu.h"
#include "debugger/dbg.h"
#include "machine/machine.h"

static const char *const gpr64[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const gpr32[8] = { "eax", "ecx", "edx", "ebx",
				      "esp", "ebp", "esi", "edi" };
static const char *const gpr16[8] = { "ax", "cx", "dx", "bx",
				      "sp", "bp", "si", "di" };
static const char *const gpr8l[8] = { "al", "cl", "dl", "bl",
				      "spl", "bpl", "sil", "dil" };
static const char *const gpr8h[4] = { "ah", "ch", "dh", "bh" };
static const char *const seg_names[SEG_COUNT] = { "es", "cs", "ss",
						  "ds", "fs", "gs" };

/* Where a name lives: a pointer into the state, its width and shift. */
struct reg_ref {
	uint64_t *p;
	uint16_t *sel; /* a segment selector */
	int seg;
	unsigned bits, shift;
};

static bool eq(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

static bool reg_lookup(struct cpu_state *s, const char *name, size_t len,
		       struct reg_ref *r)
{
	char buf[8];

	memset(r, 0, sizeof(*r));
	r->seg = -1;
	for (int k = 0; k < 16; k++) {
		if (eq(name, len, gpr64[k])) {
			*r = (struct reg_ref){ &s->gpr[k], NULL, -1, 64, 0 };
			return true;
		}
		if (k >= 8) {
			snprintf(buf, sizeof(buf), "r%dd", k);
			if (eq(name, len, buf)) {
				*r = (struct reg_ref){ &s->gpr[k], NULL, -1, 32, 0 };
				return true;
			}
			snprintf(buf, sizeof(buf), "r%dw", k);
			if (eq(name, len, buf)) {
				*r = (struct reg_ref){ &s->gpr[k], NULL, -1, 16, 0 };
				return true;
			}
			snprintf(buf, sizeof(buf), "r%db", k);
			if (eq(name, len, buf)) {
				*r = (struct reg_ref){ &s->gpr[k], NULL, -1, 8, 0 };
				return true;
			}
			continue;
		}
		if (eq(name, len, gpr32[k]))
			*r = (struct reg_ref){ &s->gpr[k], NULL, -1, 32, 0 };
		else if (eq(name, len, gpr16[k]))
			*r = (struct reg_ref){ &s->gpr[k], NULL, -1, 16, 0 };
		else if (eq(name, len, gpr8l[k]))
			*r = (struct reg_ref){ &s->gpr[k], NULL, -1, 8, 0 };
		else if (k < 4 && eq(name, len, gpr8h[k]))
			*r = (struct reg_ref){ &s->gpr[k], NULL, -1, 8, 8 };
		if (r->p)
			return true;
	}
	for (int k = 0; k < SEG_COUNT; k++)
		if (eq(name, len, seg_names[k])) {
			r->sel = &s->seg[k].sel;
			r->seg = k;
			r->bits = 16;
			return true;
		}
	static const struct {
		const char *name;
		size_t off;
		unsigned bits;
	} named[] = {
		{ "rip", offsetof(struct cpu_state, rip), 64 },
		{ "eip", offsetof(struct cpu_state, rip), 32 },
		{ "ip", offsetof(struct cpu_state, rip), 16 },
		{ "rflags", offsetof(struct cpu_state, rflags), 64 },
		{ "eflags", offsetof(struct cpu_state, rflags), 32 },
		{ "flags", offsetof(struct cpu_state, rflags), 16 },
		{ "cr0", offsetof(struct cpu_state, cr0), 64 },
		{ "cr2", offsetof(struct cpu_state, cr2), 64 },
		{ "cr3", offsetof(struct cpu_state, cr3), 64 },
		{ "cr4", offsetof(struct cpu_state, cr4), 64 },
		{ "cr8", offsetof(struct cpu_state, cr8), 64 },
		{ "efer", offsetof(struct cpu_state, efer), 64 },
		{ "dr0", offsetof(struct cpu_state, dr[0]), 64 },
		{ "dr1", offsetof(struct cpu_state, dr[1]), 64 },
		{ "dr2", offsetof(struct cpu_state, dr[2]), 64 },
		{ "dr3", offsetof(struct cpu_state, dr[3]), 64 },
		{ "dr6", offsetof(struct cpu_state, dr[6]), 64 },
		{ "dr7", offsetof(struct cpu_state, dr[7]), 64 },
		{ "fs_base", offsetof(struct cpu_state, seg[SEG_FS].base), 64 },
		{ "gs_base", offsetof(struct cpu_state, seg[SEG_GS].base), 64 },
		{ "gdtr_base", offsetof(struct cpu_state, gdtr.base), 64 },
		{ "idtr_base", offsetof(struct cpu_state, idtr.base), 64 },
	};
	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++)
		if (eq(name, len, named[k].name)) {
			r->p = (uint64_t *)((char *)s + named[k].off);
			r->bits = named[k].bits;
			return true;
		}
	return false;
}

bool dbg_reg_get(const struct cpu_state *s, const char *name, size_t len,
		 uint64_t *v)
{
	struct reg_ref r;

	if (eq(name, len, "pc")) {
		*v = dbg_pc(s);
		return true;
	}
	if (!reg_lookup((struct cpu_state *)s, name, len, &r))
		return false;
	if (r.sel) {
		*v = *r.sel;
		return true;
	}
	*v = (*r.p >> r.shift) &
	     (r.bits == 64 ? ~0ull : (1ull << r.bits) - 1);
	return true;
}

int dbg_reg_set(struct cpu_state *s, const char *name, uint64_t v)
{
	struct reg_ref r;
	uint64_t mask;

	if (!reg_lookup(s, name, strlen(name), &r))
		return -1;
	if (r.sel) {
		/* Only real mode forms a segment from its selector alone. */
		if (s->cr0 & CR0_PE)
			return -2;
		segment_set_real(&s->seg[r.seg], (uint16_t)v, r.seg);
		return 0;
	}
	mask = (r.bits == 64 ? ~0ull : (1ull << r.bits) - 1) << r.shift;
	/* A 32-bit GPR write clears the upper half, as in the CPU. */
	if (r.bits == 32 && r.p >= s->gpr && r.p < s->gpr + GPR_COUNT)
		mask = ~0ull;
	*r.p = (*r.p & ~mask) | ((v << r.shift) & mask);
	return 0;
}

static bool env_reg(void *opaque, const char *name, size_t len, uint64_t *v)
{
	struct dbg_env_ctx *e = opaque;

	return dbg_reg_get(e->s, name, len, v);
}

static bool env_mem(void *opaque, uint64_t lin, unsigned size, uint64_t *v)
{
	struct dbg_env_ctx *e = opaque;
	uint8_t b[8];

	if (size > 8 || !dbg_lin_read(e->d, e->s, lin, b, size))
		return false;
	*v = 0;
	for (unsigned k = 0; k < size; k++)
		*v |= (uint64_t)b[k] << (8 * k);
	return true;
}

/*
 * The environment keeps pointers to its context, so the context lives
 * in the debugger for the duration of one evaluation.
 */
void dbg_expr_env(struct debugger *d, struct cpu_state *s,
		  struct expr_env *env)
{
	d->env_ctx.d = d;
	d->env_ctx.s = s;
	env->opaque = &d->env_ctx;
	env->reg = env_reg;
	env->mem = env_mem;
}

int dbg_eval(struct debugger *d, const char *text, uint64_t *value)
{
	struct cpu_state s;
	struct expr_env env;
	char err[160];

	dbg_state(d, &s);
	dbg_expr_env(d, &s, &env);
	if (expr_eval(text, &env, value, err, sizeof(err)) != 0) {
		dbg_error(d, "%s", err);
		return -1;
	}
	return 0;
}

int dbg_eval_linear(struct debugger *d, const char *text, uint64_t *lin)
{
	struct cpu_state s;
	struct expr_env env;
	char err[160];
	bool has_seg;
	uint64_t seg, off;

	dbg_state(d, &s);
	dbg_expr_env(d, &s, &env);
	if (expr_eval_address(text, &env, &has_seg, &seg, &off, err,
			      sizeof(err)) != 0) {
		dbg_error(d, "%s", err);
		return -1;
	}
	*lin = has_seg ? dbg_seg_linear(d, &s, (uint16_t)seg, off) : off;
	return 0;
}

static void flags_text(uint64_t f, char *buf, size_t n)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{ FLAG_ID, "id" }, { FLAG_VIP, "vip" }, { FLAG_VIF, "vif" },
		{ FLAG_AC, "ac" }, { FLAG_VM, "vm" },	{ FLAG_RF, "rf" },
		{ FLAG_NT, "nt" }, { FLAG_OF, "of" },	{ FLAG_DF, "df" },
		{ FLAG_IF, "if" }, { FLAG_TF, "tf" },	{ FLAG_SF, "sf" },
		{ FLAG_ZF, "zf" }, { FLAG_AF, "af" },	{ FLAG_PF, "pf" },
		{ FLAG_CF, "cf" },
	};
	size_t used = 0;

	/* Bochs's style: upper case when set. */
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char w[4];
		size_t l = strlen(names[k].name);

		for (size_t c = 0; c < l; c++)
			w[c] = (f & names[k].bit) ? (char)(names[k].name[c] - 32)
						  : names[k].name[c];
		w[l] = '\0';
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
					 used ? " " : "", w);
		if (used >= n)
			break;
	}
	if (used < n)
		snprintf(buf + used, n - used, " iopl=%u",
			 (unsigned)((f & FLAG_IOPL) >> FLAG_IOPL_SHIFT));
}

void dbg_print_regs(struct debugger *d, FILE *to, const struct cpu_state *s)
{
	char flags[128];
	bool wide = dbg_mode_of(s) == MODE_LONG64 || (s->efer & EFER_LMA);

	flags_text(s->rflags, flags, sizeof(flags));
	if (wide) {
		for (int k = 0; k < 16; k += 2)
			fprintf(to, "%-3s: 0x%016" PRIx64 "  %-3s: 0x%016" PRIx64 "\n",
				gpr64[k], s->gpr[k], gpr64[k + 1],
				s->gpr[k + 1]);
		fprintf(to, "rip: 0x%016" PRIx64 "\n", s->rip);
	} else {
		for (int k = 0; k < 8; k += 2)
			fprintf(to, "%s: 0x%08" PRIx32 "  %s: 0x%08" PRIx32 "\n",
				gpr32[k], (uint32_t)s->gpr[k], gpr32[k + 1],
				(uint32_t)s->gpr[k + 1]);
		fprintf(to, "eip: 0x%08" PRIx32 "\n", (uint32_t)s->rip);
	}
	fprintf(to, "eflags 0x%08" PRIx32 ": %s\n", (uint32_t)s->rflags,
		flags);
	(void)d;
}

/* Print through dbg_printf: a memory stream, then the text. */
static void print_via(struct debugger *d, const struct cpu_state *s,
		      void (*fn)(struct debugger *, FILE *,
				 const struct cpu_state *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	fn(d, f, s);
	fclose(f);
	dbg_printf(d, "%s", text);
	free(text);
}

DBG_CMD(cmd_regs)
{
	struct cpu_state s;

	(void)argc;
	(void)argv;
	(void)rest;
	dbg_state(d, &s);
	print_via(d, &s, dbg_print_regs);
	return CMD_STAY;
}

static void seg_attr_text(const struct segment *g, char *buf, size_t n)
{
	unsigned type = g->attr & SEG_ATTR_TYPE;
	const char *what;

	if (!(g->attr & SEG_ATTR_S))
		what = "system";
	else if (type & 8)
		what = (type & 2) ? "code, execute/read" : "code, execute-only";
	else
		what = (type & 2) ? "data, read/write" : "data, read-only";
	snprintf(buf, n, "%s%s%s, dpl=%u%s%s%s%s", what,
		 (g->attr & SEG_ATTR_S) && (type & 8) && (type & 4) ? ", conforming" : "",
		 (g->attr & SEG_ATTR_S) && !(type & 8) && (type & 4) ? ", expand-down" : "",
		 (g->attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT,
		 (g->attr & SEG_ATTR_P) ? "" : ", not present",
		 (g->attr & SEG_ATTR_L) ? ", 64-bit" : "",
		 (g->attr & SEG_ATTR_DB) ? ", 32-bit" : "",
		 (type & 1) ? ", accessed" : "");
}

DBG_CMD(cmd_sreg)
{
	struct cpu_state s;
	char attr[160];

	(void)argc;
	(void)argv;
	(void)rest;
	dbg_state(d, &s);
	for (int k = 0; k < SEG_COUNT; k++) {
		const struct segment *g = &s.seg[k];

		seg_attr_text(g, attr, sizeof(attr));
		dbg_printf(d, "%s: 0x%04x base 0x%016" PRIx64 " limit 0x%08" PRIx32
			   " attr 0x%04x (%s)\n",
			   seg_names[k], g->sel, g->base, g->limit, g->attr, attr);
	}
	dbg_printf(d, "ldtr: 0x%04x base 0x%016" PRIx64 " limit 0x%08" PRIx32 " attr 0x%04x\n",
		   s.ldtr.sel, s.ldtr.base, s.ldtr.limit, s.ldtr.attr);
	dbg_printf(d, "tr: 0x%04x base 0x%016" PRIx64 " limit 0x%08" PRIx32 " attr 0x%04x\n",
		   s.tr.sel, s.tr.base, s.tr.limit, s.tr.attr);
	dbg_printf(d, "gdtr: base 0x%016" PRIx64 " limit 0x%04" PRIx32 "\n",
		   s.gdtr.base, s.gdtr.limit);
	dbg_printf(d, "idtr: base 0x%016" PRIx64 " limit 0x%04" PRIx32 "\n",
		   s.idtr.base, s.idtr.limit);
	return CMD_STAY;
}

static void bits_text(uint64_t v, const char *const *names, unsigned n,
		      char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned k = n; k-- > 0;) {
		if (!names[k] || !(v & (1ull << k)))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? " " : "", names[k]);
		if (used >= len)
			break;
	}
}

DBG_CMD(cmd_creg)
{
	static const char *const cr0_bits[32] = {
		[0] = "PE", [1] = "MP", [2] = "EM", [3] = "TS", [4] = "ET",
		[5] = "NE", [16] = "WP", [18] = "AM", [29] = "NW", [30] = "CD",
		[31] = "PG",
	};
	static const char *const cr4_bits[24] = {
		[0] = "VME", [1] = "PVI", [2] = "TSD", [3] = "DE", [4] = "PSE",
		[5] = "PAE", [6] = "MCE", [7] = "PGE", [8] = "PCE",
		[9] = "OSFXSR", [10] = "OSXMMEXCPT", [11] = "UMIP",
		[13] = "VMXE", [16] = "FSGSBASE", [17] = "PCIDE",
		[18] = "OSXSAVE", [20] = "SMEP", [21] = "SMAP",
	};
	static const char *const efer_bits[12] = {
		[0] = "SCE", [8] = "LME", [10] = "LMA", [11] = "NXE",
	};
	struct cpu_state s;
	char t[160];

	(void)argc;
	(void)argv;
	(void)rest;
	dbg_state(d, &s);
	bits_text(s.cr0, cr0_bits, 32, t, sizeof(t));
	dbg_printf(d, "CR0=0x%08" PRIx64 ": %s\n", s.cr0, t);
	dbg_printf(d, "CR2=0x%016" PRIx64 " (page fault linear address)\n",
		   s.cr2);
	dbg_printf(d, "CR3=0x%016" PRIx64 "\n", s.cr3);
	bits_text(s.cr4, cr4_bits, 24, t, sizeof(t));
	dbg_printf(d, "CR4=0x%08" PRIx64 ": %s\n", s.cr4, t);
	dbg_printf(d, "CR8=0x%" PRIx64 "\n", s.cr8);
	bits_text(s.efer, efer_bits, 12, t, sizeof(t));
	dbg_printf(d, "EFER=0x%08" PRIx64 ": %s\n", s.efer, t);
	return CMD_STAY;
}

DBG_CMD(cmd_dreg)
{
	struct cpu_state s;

	(void)argc;
	(void)argv;
	(void)rest;
	dbg_state(d, &s);
	for (int k = 0; k < 4; k++)
		dbg_printf(d, "DR%d=0x%016" PRIx64 "\n", k, s.dr[k]);
	dbg_printf(d, "DR6=0x%08" PRIx64 "\n", s.dr[6]);
	dbg_printf(d, "DR7=0x%08" PRIx64 "\n", s.dr[7]);
	/* DR7: L/G enables, R/W and LEN per slot (SDM Vol. 3B §17.2.4). */
	for (int k = 0; k < 4; k++) {
		static const char *const rw[] = { "exec", "write", "io", "rw" };
		unsigned en = (unsigned)(s.dr[7] >> (2 * k)) & 3;
		unsigned ctl = (unsigned)(s.dr[7] >> (16 + 4 * k)) & 15;

		if (en)
			dbg_printf(d, "  slot %d: %s%s %s len %u at 0x%" PRIx64 "\n",
				   k, en & 1 ? "L" : "", en & 2 ? "G" : "",
				   rw[ctl & 3],
				   (unsigned[]){ 1, 2, 8, 4 }[ctl >> 2],
				   s.dr[k]);
	}
	return CMD_STAY;
}

/* An 80-bit register as a host long double (SDM Vol. 1 §4.2.2). */
static long double x87_value(const struct x87_reg *r)
{
	int exp = r->sign_exp & 0x7fff;
	long double v;

	if (exp == 0x7fff)
		v = (r->mantissa << 1) ? NAN : INFINITY;
	else
		v = ldexpl((long double)r->mantissa,
			   (exp ? exp : 1) - 16383 - 63);
	return (r->sign_exp & 0x8000) ? -v : v;
}

DBG_CMD(cmd_fp)
{
	static const char *const tags[] = { "valid", "zero", "special",
					    "empty" };
	struct cpu_state s;
	const struct fpu_state *f;
	unsigned top;

	(void)argc;
	(void)argv;
	(void)rest;
	dbg_state(d, &s);
	f = &s.fpu;
	top = (f->fsw >> 11) & 7;
	dbg_printf(d, "FCW=0x%04x FSW=0x%04x (TOP=%u%s%s%s) FTW=0x%02x FOP=0x%03x\n",
		   f->fcw, f->fsw, top, (f->fsw & 0x80) ? " ES" : "",
		   (f->fsw & 0x40) ? " SF" : "", (f->fsw & 0x8000) ? " B" : "",
		   f->ftw, f->fop);
	dbg_printf(d, "FIP=%04x:%016" PRIx64 " FDP=%04x:%016" PRIx64 "\n",
		   f->fcs, f->fip, f->fds, f->fdp);
	for (unsigned i = 0; i < 8; i++) {
		const struct x87_reg *r = &f->st[i];
		unsigned phys = (top + i) & 7;
		unsigned tag;
		int exp = r->sign_exp & 0x7fff;

		/* The full tag from the abridged one (FXSAVE's rule). */
		if (!(f->ftw & (1u << phys)))
			tag = 3;
		else if (exp == 0 && r->mantissa == 0)
			tag = 1;
		else if (exp == 0x7fff || exp == 0 || !(r->mantissa >> 63))
			tag = 2;
		else
			tag = 0;
		dbg_printf(d, "ST(%u) R%u %-7s %04x:%016" PRIx64 " %.18Lg\n", i,
			   phys, tags[tag], r->sign_exp, r->mantissa,
			   x87_value(r));
	}
	return CMD_STAY;
}

DBG_CMD(cmd_sse)
{
	struct cpu_state s;
	unsigned n;

	(void)argc;
	(void)argv;
	(void)rest;
	dbg_state(d, &s);
	n = (s.efer & EFER_LMA) ? 16 : 8;
	dbg_printf(d, "MXCSR=0x%08" PRIx32 " XCR0=0x%" PRIx64 "\n",
		   s.fpu.mxcsr, s.fpu.xcr0);
	for (unsigned k = 0; k < n; k++)
		dbg_printf(d, "XMM%-2u: %016" PRIx64 "_%016" PRIx64 "\n", k,
			   s.fpu.xmm[k][1], s.fpu.xmm[k][0]);
	return CMD_STAY;
}

DBG_CMD(cmd_set)
{
	char name[32];
	const char *eqs = strchr(rest, '=');
	struct cpu_state s;
	uint64_t v;
	size_t n;
	int r;

	(void)argc;
	(void)argv;
	if (!eqs) {
		dbg_error(d, "usage: set REG = EXPR");
		return CMD_STAY;
	}
	n = (size_t)(eqs - rest);
	while (n && rest[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof(name)) {
		dbg_error(d, "usage: set REG = EXPR");
		return CMD_STAY;
	}
	memcpy(name, rest[0] == '$' ? rest + 1 : rest, n);
	name[rest[0] == '$' ? n - 1 : n] = '\0';
	if (dbg_eval(d, eqs + 1, &v) != 0)
		return CMD_STAY;
	dbg_state(d, &s);
	r = dbg_reg_set(&s, name, v);
	if (r == -1) {
		dbg_error(d, "unknown register '%s'", name);
		return CMD_STAY;
	}
	if (r == -2) {
		dbg_error(d, "%s: in protected mode a segment register is loaded by the guest, not set", name);
		return CMD_STAY;
	}
	dbg_state_set(d, &s);
	return CMD_STAY;
}

DBG_CMD(cmd_calc)
{
	uint64_t v;

	(void)argv;
	if (argc < 2) {
		dbg_error(d, "usage: calc EXPR");
		return CMD_STAY;
	}
	if (dbg_eval(d, rest, &v) == 0)
		dbg_printf(d, "0x%" PRIx64 " %" PRIu64 " %" PRId64 "\n", v, v,
			   (int64_t)v);
	return CMD_STAY;
}

void info_eflags(struct debugger *d, int argc, char **argv)
{
	struct cpu_state s;
	char t[128];

	(void)argc;
	(void)argv;
	dbg_state(d, &s);
	flags_text(s.rflags, t, sizeof(t));
	dbg_printf(d, "eflags 0x%08" PRIx32 ": %s\n", (uint32_t)s.rflags, t);
}

void info_cpu(struct debugger *d, int argc, char **argv)
{
	struct cpu_state s;

	dbg_state(d, &s);
	dbg_printf(d, "%s, CPL %u, %s engine, %" PRIu64 " cycles\n",
		   dbg_mode_name(dbg_mode_of(&s)),
		   (s.cr0 & CR0_PE) ? (s.seg[SEG_CS].sel & 3) : 0,
		   d->m->accel->name, d->m->clock.cycles);
	cmd_regs(d, argc, argv, "");
	cmd_sreg(d, argc, argv, "");
	cmd_creg(d, argc, argv, "");
	cmd_dreg(d, argc, argv, "");
	dbg_printf(d, "halted=%d interrupt_shadow=%d nmi_blocked=%d\n",
		   s.halted, s.interrupt_shadow, s.nmi_blocked);
}
