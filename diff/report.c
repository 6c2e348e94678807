// SPDX-License-Identifier: MIT
/*
 * The report of the first divergence: where (instruction count, CS:RIP,
 * linear address), what (bytes, Zydis text), what came before, both
 * states side by side with the differing fields marked, the differing
 * RAM bytes, and a guess at the class.  As text for people and as JSON
 * (--json) for tools.
 */
#include <inttypes.h>
#include <string.h>

#include "debugger/disasm.h"
#include "diff/diff.h"
#include "machine/machine.h"

static const char *const side_name[SIDE_COUNT] = { "interp", "kvm" };

/*
 * The handler address of vector v as the IDT (or the real-mode IVT)
 * in m's memory gives it (SDM Vol. 3A §6.10, §6.14.1); false when it
 * cannot be read.
 */
static bool handler_of(struct machine *m, const struct cpu_state *s, int v,
		       uint64_t *cs_base_rip)
{
	uint8_t g[16];
	uint64_t base = s->idtr.base;

	if (!(s->cr0 & CR0_PE)) {
		if (diff_read_linear(m, s, base + 4u * v, g, 4) != 4)
			return false;
		*cs_base_rip = ((uint64_t)(g[2] | g[3] << 8) << 4) +
			       (g[0] | g[1] << 8);
		return true;
	}
	if (s->efer & EFER_LMA) {
		if (diff_read_linear(m, s, base + 16u * v, g, 16) != 16)
			return false;
		*cs_base_rip = (uint64_t)(g[0] | g[1] << 8) |
			       (uint64_t)(g[6] | g[7] << 8) << 16 |
			       (uint64_t)(g[8] | g[9] << 8 | g[10] << 16 |
					  (uint32_t)g[11] << 24)
				       << 32;
		return true;
	}
	if (diff_read_linear(m, s, base + 8u * v, g, 8) != 8)
		return false;
	*cs_base_rip = (uint64_t)(g[0] | g[1] << 8) |
		       (uint64_t)(g[6] | g[7] << 8) << 16;
	return true;
}

/* The exception vector whose handler side's RIP is at, or -1. */
static int vector_at(struct machine *m, const struct cpu_state *s)
{
	uint64_t where = (s->cr0 & CR0_PE) ? s->rip :
					     s->seg[SEG_CS].base + s->rip;

	for (int v = 0; v < 32; v++) {
		uint64_t h;

		if (handler_of(m, s, v, &h) && h == where && h != 0)
			return v;
	}
	return -1;
}

static int first_exception(const struct diff_step_info *i, int side)
{
	for (unsigned k = 0; i && k < i->nvectors[side]; k++)
		if (i->vectors[side][k] < 256)
			return i->vectors[side][k];
	return -1;
}

static bool took_external(const struct diff_step_info *i)
{
	for (int side = 0; i && side < SIDE_COUNT; side++)
		for (unsigned k = 0; k < i->nvectors[side]; k++)
			if (i->vectors[side][k] >= 256)
				return true;
	return false;
}

static void flag_names(uint64_t bits, char *out, size_t n)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = { { FLAG_CF, "CF" }, { FLAG_PF, "PF" }, { FLAG_AF, "AF" },
		      { FLAG_ZF, "ZF" }, { FLAG_SF, "SF" }, { FLAG_TF, "TF" },
		      { FLAG_IF, "IF" }, { FLAG_DF, "DF" }, { FLAG_OF, "OF" },
		      { FLAG_NT, "NT" }, { FLAG_AC, "AC" }, { FLAG_ID, "ID" } };
	size_t used = 0;

	out[0] = '\0';
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if ((bits & names[k].bit) && used + 4 < n)
			used += (size_t)snprintf(out + used, n - used, "%s%s",
						 used ? " " : "",
						 names[k].name);
	if (!used)
		snprintf(out, n, "%#" PRIx64, bits);
}

void diff_classify(struct machine *m, struct diff_result *r)
{
	const struct diff_step_info *i = r->step;
	int exc[SIDE_COUNT], at[SIDE_COUNT];
	unsigned nonflag = 0;
	uint64_t flag_bits = 0;

	for (unsigned k = 0; k < r->fields.count; k++) {
		const struct diff_field *f = &r->fields.f[k];

		if (!f->differs)
			continue;
		if (strcmp(f->name, "rflags") == 0)
			flag_bits = f->v[0] ^ f->v[1];
		else
			nonflag++;
	}
	for (int side = 0; side < SIDE_COUNT; side++) {
		exc[side] = first_exception(i, side);
		at[side] = vector_at(m, &r->state[side]);
	}
	if (r->exit_kind[0] != r->exit_kind[1] ||
	    r->exit_status[0] != r->exit_status[1]) {
		r->klass = "exit";
		snprintf(r->klass_detail, sizeof(r->klass_detail),
			 "the machines stopped differently (interp kind %d status %d, kvm kind %d status %d)",
			 r->exit_kind[0], r->exit_status[0], r->exit_kind[1],
			 r->exit_status[1]);
	} else if (took_external(i) && r->state[0].rip != r->state[1].rip) {
		r->klass = "interrupt timing";
		snprintf(r->klass_detail, sizeof(r->klass_detail),
			 "an external interrupt was taken at this step on one side");
	} else if (r->state[0].rip != r->state[1].rip &&
		   (exc[0] >= 0 || at[0] >= 0 || at[1] >= 0) &&
		   at[0] != at[1]) {
		int v = at[1] >= 0 ? at[1] : (exc[0] >= 0 ? exc[0] : at[0]);

		r->klass = "exception";
		snprintf(r->klass_detail, sizeof(r->klass_detail),
			 "exception %d taken on the %s side only", v,
			 at[1] >= 0 && at[0] != at[1] ? "kvm" : "interp");
	} else if (nonflag == 0 && flag_bits) {
		char names[64];

		flag_names(flag_bits, names, sizeof(names));
		r->klass = "flags";
		snprintf(r->klass_detail, sizeof(r->klass_detail),
			 "RFLAGS differ in %s", names);
	} else if (r->fields.differing) {
		size_t used = 0;

		r->klass = "result";
		used = (size_t)snprintf(r->klass_detail,
					sizeof(r->klass_detail), "differing:");
		for (unsigned k = 0; k < r->fields.count; k++)
			if (r->fields.f[k].differs &&
			    used + 20 < sizeof(r->klass_detail))
				used += (size_t)snprintf(
					r->klass_detail + used,
					sizeof(r->klass_detail) - used, " %s",
					r->fields.f[k].name);
	} else {
		r->klass = "memory";
		snprintf(r->klass_detail, sizeof(r->klass_detail),
			 "%" PRIu64 " bytes of RAM differ", r->mem.total);
	}
}

static void hex_bytes(const struct diff_insn *i, char *out, size_t n)
{
	char text[128];
	unsigned len = disasm_one(i->bits, 0, i->bytes, i->avail, text,
				  sizeof(text));
	size_t used = 0;

	/* Zydis knows the length; without it, what could be read. */
	if (!len || len > i->avail)
		len = i->avail;
	out[0] = '\0';
	for (unsigned k = 0; k < len && used + 4 < n; k++)
		used += (size_t)snprintf(out + used, n - used, "%s%02x",
					 k ? " " : "", i->bytes[k]);
}

static void print_step_line(FILE *f, const struct diff_step_info *s,
			    const char *mark)
{
	char bytes[64], text[128];

	hex_bytes(&s->insn, bytes, sizeof(bytes));
	diff_insn_text(&s->insn, s->before.rip, text, sizeof(text));
	fprintf(f, "%s %10" PRIu64 "  %04x:%016" PRIx64 "  lin %#" PRIx64
		   "  %-30s %s\n",
		mark, s->count, s->before.seg[SEG_CS].sel, s->before.rip,
		s->linear, bytes, text);
}

/* Fields always shown; others only when they differ or are non-zero. */
static bool always_shown(const char *name)
{
	static const char *const names[] = { "rax", "rcx", "rdx", "rbx",
					     "rsp", "rbp", "rsi", "rdi",
					     "rip", "rflags", "cs.sel",
					     "ss.sel", "cr0" };

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strcmp(name, names[k]) == 0)
			return true;
	return false;
}

void diff_report_text(FILE *f, const struct diff_report_ctx *c)
{
	const struct diff_result *r = c->r;
	const struct diff_step_info *hist[DIFF_HISTORY];
	unsigned n = lockstep_history(c->ls, hist, DIFF_HISTORY);

	fprintf(f, "popek diff: DIVERGENCE (%s) after instruction %" PRIu64
		   "%s%s\n",
		r->klass ? r->klass : "?", r->count, c->origin ? " of " : "",
		c->origin ? c->origin : "");
	fprintf(f, "  class: %s: %s\n", r->klass ? r->klass : "?",
		r->klass_detail);
	if (r->step) {
		char text[128], bytes[64];

		hex_bytes(&r->step->insn, bytes, sizeof(bytes));
		diff_insn_text(&r->step->insn, r->step->before.rip, text,
			       sizeof(text));
		fprintf(f,
			"  instruction: %04x:%" PRIx64 " (linear %#" PRIx64
			", %d-bit): %s   %s\n",
			r->step->before.seg[SEG_CS].sel, r->step->before.rip,
			r->step->linear, r->step->insn.bits, bytes, text);
	}
	fprintf(f, "  previous instructions (count, CS:RIP, bytes, text):\n");
	for (unsigned k = 0; k < n; k++)
		print_step_line(f, hist[k], hist[k] == r->step ? "  >" : "   ");
	fprintf(f, "  state after it (* marks a difference):\n");
	fprintf(f, "    %-16s %18s %18s\n", "field", side_name[0],
		side_name[1]);
	for (unsigned k = 0; k < r->fields.count; k++) {
		const struct diff_field *fd = &r->fields.f[k];

		if (!fd->differs && !always_shown(fd->name) &&
		    !(fd->v[0] | fd->v[1]))
			continue;
		fprintf(f, "  %s %-16s %18" PRIx64 " %18" PRIx64 "\n",
			fd->differs ? "*" : " ", fd->name, fd->v[0], fd->v[1]);
	}
	if (r->mem.total) {
		fprintf(f, "  RAM: %" PRIu64 " bytes differ%s:\n", r->mem.total,
			r->mem.total > r->mem.count ? " (the first shown)" : "");
		for (unsigned k = 0; k < r->mem.count; k++)
			fprintf(f, "  * phys %#010" PRIx64 "  %02x  %02x\n",
				r->mem.b[k].addr, r->mem.b[k].v[0],
				r->mem.b[k].v[1]);
	}
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_step(FILE *f, const struct diff_step_info *s)
{
	char bytes[64], text[128];

	hex_bytes(&s->insn, bytes, sizeof(bytes));
	diff_insn_text(&s->insn, s->before.rip, text, sizeof(text));
	fprintf(f, "{\"count\": %" PRIu64 ", \"cs\": %u, \"rip\": %" PRIu64
		   ", \"linear\": %" PRIu64 ", \"bits\": %d, \"bytes\": ",
		s->count, s->before.seg[SEG_CS].sel, s->before.rip, s->linear,
		s->insn.bits);
	json_string(f, bytes);
	fprintf(f, ", \"text\": ");
	json_string(f, text);
	fprintf(f, "}");
}

void diff_report_json(FILE *f, const struct diff_report_ctx *c)
{
	const struct diff_result *r = c->r;
	const struct diff_step_info *hist[DIFF_HISTORY];
	unsigned n = lockstep_history(c->ls, hist, DIFF_HISTORY);
	bool first = true;

	fprintf(f, "{\"diverged\": %s, \"count\": %" PRIu64 ", \"origin\": ",
		r->diverged ? "true" : "false", r->count);
	json_string(f, c->origin ? c->origin : "");
	fprintf(f, ", \"class\": ");
	json_string(f, r->klass ? r->klass : "");
	fprintf(f, ", \"detail\": ");
	json_string(f, r->klass_detail);
	fprintf(f, ", \"instruction\": ");
	if (r->step)
		json_step(f, r->step);
	else
		fprintf(f, "null");
	fprintf(f, ", \"previous\": [");
	for (unsigned k = 0; k < n; k++) {
		fprintf(f, "%s", k ? ", " : "");
		json_step(f, hist[k]);
	}
	fprintf(f, "], \"fields\": [");
	for (unsigned k = 0; k < r->fields.count; k++) {
		const struct diff_field *fd = &r->fields.f[k];

		if (!fd->differs)
			continue;
		fprintf(f, "%s{\"name\": \"%s\", \"interp\": %" PRIu64
			   ", \"kvm\": %" PRIu64 "}",
			first ? "" : ", ", fd->name, fd->v[0], fd->v[1]);
		first = false;
	}
	fprintf(f, "], \"memory\": [");
	for (unsigned k = 0; k < r->mem.count; k++)
		fprintf(f, "%s{\"phys\": %" PRIu64 ", \"interp\": %u, \"kvm\": %u}",
			k ? ", " : "", r->mem.b[k].addr, r->mem.b[k].v[0],
			r->mem.b[k].v[1]);
	fprintf(f, "], \"memory_bytes_differing\": %" PRIu64 "}\n",
		r->mem.total);
}
