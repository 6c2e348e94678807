// SPDX-License-Identifier: MIT
/*
 * Descriptor tables and page tables, decoded: info gdt, idt, ldt, tss,
 * ivt, tab (SDM Vol. 3A §3.4.5 segment descriptors, §6.11 and §6.14.1
 * gates, §7.2.1 and §7.7 the TSS, §4 the page tables), and the info
 * dispatcher.
 */
#include <inttypes.h>
#include <string.h>

#include "debugger/dbg.h"
#include "debugger/pagewalk.h"

static const char *const system_types[16] = {
	"reserved",	     "16-bit TSS (available)", "LDT",
	"16-bit TSS (busy)", "16-bit call gate",       "task gate",
	"16-bit interrupt gate", "16-bit trap gate",   "reserved",
	"32-bit TSS (available)", "reserved",	       "32-bit TSS (busy)",
	"32-bit call gate",  "reserved",	       "32-bit interrupt gate",
	"32-bit trap gate",
};

/* In IA-32e mode the 32-bit names mean their 64-bit forms (Table 3-2). */
static const char *system_type(unsigned type, bool ia32e)
{
	if (ia32e) {
		switch (type) {
		case 2: return "LDT";
		case 9: return "64-bit TSS (available)";
		case 11: return "64-bit TSS (busy)";
		case 12: return "64-bit call gate";
		case 14: return "64-bit interrupt gate";
		case 15: return "64-bit trap gate";
		default: return "reserved";
		}
	}
	return system_types[type & 15];
}

static bool read_u64(struct debugger *d, const struct cpu_state *s,
		     uint64_t lin, uint64_t *v)
{
	uint8_t b[8];

	if (!dbg_lin_read(d, s, lin, b, 8))
		return false;
	*v = 0;
	for (int k = 0; k < 8; k++)
		*v |= (uint64_t)b[k] << (8 * k);
	return true;
}

/* One descriptor (lo: bits 0-31, hi: 32-63); next: the following
 * eight bytes, which 16-byte system descriptors in IA-32e use. */
static unsigned print_descriptor(struct debugger *d, unsigned index,
				 uint64_t desc, uint64_t next, bool ia32e,
				 bool gate_table)
{
	uint32_t lo = (uint32_t)desc, hi = (uint32_t)(desc >> 32);
	unsigned type = (hi >> 8) & 15, dpl = (hi >> 13) & 3;
	bool s = (hi >> 12) & 1, p = (hi >> 15) & 1;

	dbg_printf(d, "%s[0x%02x]=", gate_table ? "IDT" : "GDT", index);
	if (!p && !gate_table && desc == 0) {
		dbg_printf(d, "<null descriptor>\n");
		return 1;
	}
	if (s) {
		uint64_t base = (lo >> 16) | ((hi & 0xff) << 16) |
				(hi & 0xff000000u);
		uint32_t limit = (lo & 0xffff) | (hi & 0x000f0000u);

		if (hi & (1u << 23))
			limit = (limit << 12) | 0xfff;
		dbg_printf(d, "%s segment, base=0x%08" PRIx64 ", limit=0x%08x, %s%s, dpl=%u%s%s%s\n",
			   (type & 8) ? "Code" : "Data", base, limit,
			   (type & 8) ? ((type & 2) ? "Execute/Read" : "Execute-Only")
				      : ((type & 2) ? "Read/Write" : "Read-Only"),
			   (type & 8) ? ((type & 4) ? ", Conforming" : "")
				      : ((type & 4) ? ", Expand-down" : ""),
			   dpl, (hi & (1u << 21)) ? ", 64-bit" : "",
			   (hi & (1u << 22)) ? ", 32-bit" : "",
			   p ? ((type & 1) ? ", Accessed" : "") : ", not present");
		return 1;
	}
	if (type == 4 || type == 5 || type == 6 || type == 7 || type == 12 ||
	    type == 14 || type == 15) {
		uint16_t sel = (uint16_t)(lo >> 16);
		uint64_t off = (lo & 0xffff) | (hi & 0xffff0000u);

		if (type == 5) {
			dbg_printf(d, "task gate, TSS selector 0x%04x, dpl=%u%s\n",
				   sel, dpl, p ? "" : ", not present");
			return 1;
		}
		if (type < 8)
			off &= 0xffff;
		if (ia32e)
			off |= (next & 0xffffffffull) << 32;
		dbg_printf(d, "%s target=0x%04x:0x%0*" PRIx64 ", dpl=%u%s",
			   system_type(type, ia32e), sel, ia32e ? 16 : 8, off,
			   dpl, p ? "" : ", not present");
		if (ia32e && (hi & 7))
			dbg_printf(d, ", ist=%u", hi & 7);
		dbg_printf(d, "\n");
		return ia32e ? 2 : 1;
	}
	{
		uint64_t base = (lo >> 16) | ((hi & 0xff) << 16) |
				(hi & 0xff000000u);
		uint32_t limit = (lo & 0xffff) | (hi & 0x000f0000u);

		if (hi & (1u << 23))
			limit = (limit << 12) | 0xfff;
		if (ia32e)
			base |= (next & 0xffffffffull) << 32;
		dbg_printf(d, "%s, base=0x%0*" PRIx64 ", limit=0x%08x, dpl=%u%s\n",
			   system_type(type, ia32e), ia32e ? 16 : 8, base, limit,
			   dpl, p ? "" : ", not present");
		return ia32e && (type == 2 || type == 9 || type == 11) ? 2 : 1;
	}
}

/* Optional "first [last]" entry range. */
static void entry_range(struct debugger *d, int argc, char **argv,
			unsigned count, unsigned *first, unsigned *last)
{
	uint64_t a = 0, b;

	*first = 0;
	*last = count ? count - 1 : 0;
	if (argc > 2 && dbg_eval(d, argv[2], &a) == 0) {
		*first = a < count ? (unsigned)a : count;
		*last = *first;
	}
	if (argc > 3 && dbg_eval(d, argv[3], &b) == 0)
		*last = b < count ? (unsigned)b : count - 1;
}

static void dump_table(struct debugger *d, int argc, char **argv,
		       uint64_t base, uint32_t limit, const char *name,
		       bool gate_table)
{
	struct cpu_state s;
	bool ia32e;
	unsigned size, count, first, last;

	dbg_state(d, &s);
	ia32e = (s.efer & EFER_LMA) != 0;
	size = gate_table && ia32e ? 16 : 8;
	count = (limit + 1) / size;
	dbg_printf(d, "%s (base=0x%016" PRIx64 ", limit=0x%x):\n", name, base,
		   limit);
	if (!count) {
		dbg_printf(d, "(empty)\n");
		return;
	}
	entry_range(d, argc, argv, count, &first, &last);
	for (unsigned i = first; i <= last && i < count;) {
		uint64_t desc, next = 0;

		if (!read_u64(d, &s, base + (uint64_t)i * size, &desc)) {
			dbg_printf(d, "[0x%02x] cannot read linear 0x%" PRIx64 "\n",
				   i, base + (uint64_t)i * size);
			return;
		}
		if (ia32e)
			read_u64(d, &s, base + (uint64_t)i * size + 8, &next);
		if (gate_table && !((desc >> 47) & 1) && argc <= 2) {
			i++;
			continue; /* the whole IDT: skip empty gates */
		}
		if (gate_table) {
			print_descriptor(d, i, desc, next, ia32e, true);
			i++;
		} else {
			i += print_descriptor(d, i, desc, next, ia32e, false);
		}
	}
}

void info_gdt(struct debugger *d, int argc, char **argv)
{
	struct cpu_state s;

	dbg_state(d, &s);
	dump_table(d, argc, argv, s.gdtr.base, s.gdtr.limit,
		   "Global Descriptor Table", false);
}

void info_idt(struct debugger *d, int argc, char **argv)
{
	struct cpu_state s;

	dbg_state(d, &s);
	if (!(s.cr0 & CR0_PE)) {
		info_ivt(d, argc, argv);
		return;
	}
	dump_table(d, argc, argv, s.idtr.base, s.idtr.limit,
		   "Interrupt Descriptor Table", true);
}

void info_ldt(struct debugger *d, int argc, char **argv)
{
	struct cpu_state s;

	dbg_state(d, &s);
	if (!(s.ldtr.sel & ~3u)) {
		dbg_printf(d, "LDTR is null: no LDT\n");
		return;
	}
	dump_table(d, argc, argv, s.ldtr.base, s.ldtr.limit,
		   "Local Descriptor Table", false);
}

void info_tss(struct debugger *d, int argc, char **argv)
{
	struct cpu_state s;
	uint8_t t[104];

	(void)argc;
	(void)argv;
	dbg_state(d, &s);
	dbg_printf(d, "TR=0x%04x base=0x%016" PRIx64 " limit=0x%x\n", s.tr.sel,
		   s.tr.base, s.tr.limit);
	if (!(s.cr0 & CR0_PE) || !(s.tr.sel & ~3u)) {
		dbg_printf(d, "no task register loaded\n");
		return;
	}
#define U16(o) ((unsigned)(t[o] | t[(o) + 1] << 8))
#define U32(o) ((uint32_t)U16(o) | (uint32_t)U16((o) + 2) << 16)
#define U64(o) ((uint64_t)U32(o) | (uint64_t)U32((o) + 4) << 32)
	if (s.efer & EFER_LMA) {
		/* The 64-bit TSS (SDM Vol. 3A §8.7, Figure 8-11). */
		if (!dbg_lin_read(d, &s, s.tr.base, t, 104)) {
			dbg_printf(d, "cannot read the TSS\n");
			return;
		}
		for (int k = 0; k < 3; k++)
			dbg_printf(d, "RSP%d=0x%016" PRIx64 "\n", k, U64(4 + 8 * k));
		for (int k = 1; k <= 7; k++)
			dbg_printf(d, "IST%d=0x%016" PRIx64 "\n", k,
				   U64(36 + 8 * (k - 1)));
		dbg_printf(d, "I/O map base=0x%04x\n", U16(102));
		return;
	}
	if ((s.tr.attr & SEG_ATTR_TYPE) == 1 || (s.tr.attr & SEG_ATTR_TYPE) == 3) {
		dbg_printf(d, "(16-bit TSS)\n");
		return;
	}
	/* The 32-bit TSS (§7.2.1, Figure 7-2). */
	if (!dbg_lin_read(d, &s, s.tr.base, t, 104)) {
		dbg_printf(d, "cannot read the TSS\n");
		return;
	}
	dbg_printf(d, "link=0x%04x\n", U16(0));
	dbg_printf(d, "ss0:esp0=%04x:%08x ss1:esp1=%04x:%08x ss2:esp2=%04x:%08x\n",
		   U16(8), U32(4), U16(16), U32(12), U16(24), U32(20));
	dbg_printf(d, "cr3=0x%08x eip=0x%08x eflags=0x%08x\n", U32(28), U32(32),
		   U32(36));
	dbg_printf(d, "eax=%08x ecx=%08x edx=%08x ebx=%08x esp=%08x ebp=%08x esi=%08x edi=%08x\n",
		   U32(40), U32(44), U32(48), U32(52), U32(56), U32(60),
		   U32(64), U32(68));
	dbg_printf(d, "es=%04x cs=%04x ss=%04x ds=%04x fs=%04x gs=%04x ldt=%04x\n",
		   U16(72), U16(76), U16(80), U16(84), U16(88), U16(92),
		   U16(96));
	dbg_printf(d, "T=%u I/O map base=0x%04x\n", U16(100) & 1, U16(102));
#undef U16
#undef U32
#undef U64
}

void info_ivt(struct debugger *d, int argc, char **argv)
{
	struct cpu_state s;
	unsigned first, last;

	dbg_state(d, &s);
	entry_range(d, argc, argv, 256, &first, &last);
	dbg_printf(d, "Interrupt Vector Table (base=0x%" PRIx64 ", limit=0x%x):\n",
		   s.idtr.base, s.idtr.limit);
	for (unsigned v = first; v <= last; v++) {
		uint8_t b[4];

		if (v * 4 + 3 > s.idtr.limit)
			break;
		if (!dbg_phys_read(d, s.idtr.base + v * 4, b, 4)) {
			dbg_printf(d, "INT# %02x: cannot read\n", v);
			break;
		}
		dbg_printf(d, "INT# %02x > %04x:%04x (0x%08x)\n", v,
			   b[2] | b[3] << 8, b[0] | b[1] << 8,
			   ((b[2] | b[3] << 8) << 4) + (b[0] | b[1] << 8));
	}
}

/* --- info tab: every present mapping, merged into runs ------------------ */

struct tab_walk {
	struct debugger *d;
	bool lm, pae;
	uint64_t run_lin, run_phys, run_len;
	unsigned runs, max_runs;
};

static bool tab_read(void *opaque, uint64_t phys, unsigned size, uint64_t *v)
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

static void tab_flush(struct tab_walk *t)
{
	if (!t->run_len)
		return;
	if (t->runs < t->max_runs)
		dbg_printf(t->d, "0x%016" PRIx64 "-0x%016" PRIx64 " -> 0x%010" PRIx64 "-0x%010" PRIx64 "\n",
			   t->run_lin, t->run_lin + t->run_len - 1, t->run_phys,
			   t->run_phys + t->run_len - 1);
	t->runs++;
	t->run_len = 0;
}

static void tab_map(struct tab_walk *t, uint64_t lin, uint64_t phys,
		    uint64_t size)
{
	if (t->run_len && t->run_lin + t->run_len == lin &&
	    t->run_phys + t->run_len == phys) {
		t->run_len += size;
		return;
	}
	tab_flush(t);
	t->run_lin = lin;
	t->run_phys = phys;
	t->run_len = size;
}

/* Walk one table of level (4..1) at phys, covering linear base. */
static void tab_level(struct tab_walk *t, uint64_t table, int level,
		      uint64_t base, const struct cpu_state *s)
{
	unsigned bits = t->pae ? 9 : 10, esize = t->pae ? 8 : 4;
	unsigned count = 1u << bits;
	uint64_t mask = t->pae ? 0x000ffffffffff000ull : 0xfffff000ull;

	if (t->pae && !t->lm && level == 3)
		count = 4;
	for (unsigned i = 0; i < count; i++) {
		int shift = 12 + (int)bits * (level - 1);
		uint64_t lin = base + ((uint64_t)i << shift), e;
		bool large;

		if (!tab_read(t->d, table + (uint64_t)i * esize, esize, &e) ||
		    !(e & 1))
			continue;
		if (t->lm && level == 4 && (lin >> 47))
			lin |= 0xffff000000000000ull; /* sign-extend */
		large = level > 1 && (e & 0x80) &&
			(level == 2 ? (t->pae || (s->cr4 & CR4_PSE))
				    : (level == 3 && t->lm));
		if (level == 1 || large) {
			uint64_t size = 1ull << shift, phys;

			if (!t->pae && large)
				phys = (e & 0xffc00000ull) |
				       (((e >> 13) & 0xffull) << 32);
			else
				phys = (e & mask) & ~(size - 1);
			tab_map(t, lin, phys, size);
			continue;
		}
		tab_level(t, e & mask, level - 1, lin, s);
	}
}

void info_tab(struct debugger *d, int argc, char **argv)
{
	struct cpu_state s;
	struct tab_walk t = { .d = d, .max_runs = 4096 };

	(void)argc;
	(void)argv;
	dbg_state(d, &s);
	if (!(s.cr0 & CR0_PG)) {
		dbg_printf(d, "paging is off: linear addresses are physical\n");
		return;
	}
	t.lm = (s.efer & EFER_LMA) != 0;
	t.pae = t.lm || (s.cr4 & CR4_PAE);
	dbg_printf(d, "cr3: 0x%016" PRIx64 " (%s paging)\n", s.cr3,
		   t.lm ? "4-level" : t.pae ? "PAE" : "32-bit");
	tab_level(&t,
		  t.lm ? s.cr3 & 0x000ffffffffff000ull
		  : t.pae ? s.cr3 & 0xffffffe0ull
			  : s.cr3 & 0xfffff000ull,
		  t.lm ? 4 : t.pae ? 3 : 2, 0, &s);
	tab_flush(&t);
	if (t.runs > t.max_runs)
		dbg_printf(d, "(%u more runs not shown)\n", t.runs - t.max_runs);
	if (!t.runs)
		dbg_printf(d, "(nothing mapped)\n");
}

static const struct {
	const char *name;
	void (*fn)(struct debugger *d, int argc, char **argv);
} info_table[] = {
	{ "gdt", info_gdt },	 { "idt", info_idt },
	{ "ldt", info_ldt },	 { "tss", info_tss },
	{ "ivt", info_ivt },	 { "tab", info_tab },
	{ "eflags", info_eflags }, { "flags", info_eflags },
	{ "cpu", info_cpu },	 { "break", info_break },
	{ "device", info_device }, { "engine", info_engine },
};

DBG_CMD(cmd_info)
{
	(void)rest;
	if (argc < 2) {
		dbg_error(d, "usage: info gdt|idt|ldt|tss|ivt|tab|eflags|cpu|engine|break|device [NAME]");
		return CMD_STAY;
	}
	for (size_t k = 0; k < sizeof(info_table) / sizeof(info_table[0]); k++)
		if (strcmp(argv[1], info_table[k].name) == 0) {
			info_table[k].fn(d, argc, argv);
			return CMD_STAY;
		}
	dbg_error(d, "info: unknown subject '%s'", argv[1]);
	return CMD_STAY;
}
