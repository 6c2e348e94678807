// SPDX-License-Identifier: MIT
/*
 * Memory commands: x and xp (Bochs's /nuf), setpmem, writemem, loadmem,
 * crc, u (disassembly) and page (one address's walk).  Linear addresses
 * go through the side-effect-free walk; only RAM and ROM are read.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/dbg.h"
#include "debugger/disasm.h"
#include "debugger/pagewalk.h"

#define MEM_CMD_MAX (16u << 20) /* writemem/loadmem/crc at most 16 MiB */

static unsigned unit_size(char unit)
{
	switch (unit) {
	case 'b':
		return 1;
	case 'h':
		return 2;
	case 'g':
		return 8;
	default:
		return 4;
	}
}

static void print_unit(struct debugger *d, const uint8_t *p, unsigned size,
		       char fmt)
{
	uint64_t v = 0;

	for (unsigned k = 0; k < size; k++)
		v |= (uint64_t)p[k] << (8 * k);
	switch (fmt) {
	case 'd':
		dbg_printf(d, " %" PRId64,
			   size == 8 ? (int64_t)v
				     : (int64_t)(v ^ (1ull << (8 * size - 1))) -
					       (int64_t)(1ull << (8 * size - 1)));
		break;
	case 'u':
		dbg_printf(d, " %" PRIu64, v);
		break;
	case 'o':
		dbg_printf(d, " 0%" PRIo64, v);
		break;
	case 't':
		dbg_printf(d, " ");
		for (int b = (int)size * 8 - 1; b >= 0; b--)
			dbg_printf(d, "%c", (v >> b) & 1 ? '1' : '0');
		break;
	case 'c':
		for (unsigned k = 0; k < size; k++)
			dbg_printf(d, " %c",
				   p[k] >= 0x20 && p[k] < 0x7f ? p[k] : '.');
		break;
	default:
		dbg_printf(d, " 0x%0*" PRIx64, (int)size * 2, v);
		break;
	}
}

/* Disassemble n instructions from linear address lin. */
static void disassemble(struct debugger *d, const struct cpu_state *s,
			bool physical, uint64_t addr, unsigned n)
{
	int bits = dbg_code_bits(s);

	for (unsigned i = 0; i < n; i++) {
		uint8_t bytes[15];
		char text[128], hex[40];
		size_t got = 0, used = 0;
		unsigned len;

		while (got < sizeof(bytes) &&
		       (physical ? dbg_phys_read(d, addr + got, bytes + got, 1)
				 : dbg_lin_read(d, s, addr + got, bytes + got,
						1)))
			got++;
		if (!got) {
			dbg_printf(d, "0x%016" PRIx64 ": (cannot read memory)\n",
				   addr);
			return;
		}
		len = disasm_one(bits, addr, bytes, got, text, sizeof(text));
		for (unsigned k = 0; k < (len ? len : 1); k++)
			used += (size_t)snprintf(hex + used, sizeof(hex) - used,
						 "%02x", bytes[k]);
		dbg_printf(d, "0x%016" PRIx64 ": %-32s ; %s\n", addr, text,
			   hex);
		addr += len ? len : 1;
	}
	d->u_next = addr;
	d->u_next_valid = true;
}

static enum cmd_result examine(struct debugger *d, int argc, char **argv,
			       bool physical)
{
	unsigned count = d->x_count;
	char unit = d->x_unit, fmt = d->x_fmt;
	int k = 1;
	uint64_t addr;
	struct cpu_state s;
	unsigned size, per_line;
	char addr_text[256] = "";

	if (k < argc && argv[k][0] == '/') {
		if (cmd_parse_xfmt(argv[k], &count, &unit, &fmt) != 0) {
			dbg_error(d, "bad format '%s' (/nuf: n count, u b|h|w|g, f x|d|u|o|t|c|s|i)",
				  argv[k]);
			return CMD_STAY;
		}
		k++;
	}
	if (k >= argc) {
		dbg_error(d, "usage: %s /nuf addr", argv[0]);
		return CMD_STAY;
	}
	for (; k < argc; k++) {
		strncat(addr_text, argv[k],
			sizeof(addr_text) - strlen(addr_text) - 2);
		strcat(addr_text, " ");
	}
	if ((physical ? dbg_eval(d, addr_text, &addr)
		      : dbg_eval_linear(d, addr_text, &addr)) != 0)
		return CMD_STAY;
	d->x_count = count;
	d->x_unit = unit;
	d->x_fmt = fmt;
	dbg_state(d, &s);
	if (fmt == 'i') {
		disassemble(d, &s, physical, addr, count);
		return CMD_STAY;
	}
	if (fmt == 's') {
		for (unsigned i = 0; i < count; i++) {
			dbg_printf(d, "0x%016" PRIx64 ": \"", addr);
			for (unsigned n = 0; n < 4096; n++) {
				uint8_t c;

				if (!(physical ? dbg_phys_read(d, addr, &c, 1)
					       : dbg_lin_read(d, &s, addr, &c, 1)))
					break;
				addr++;
				if (!c)
					break;
				dbg_printf(d, c >= 0x20 && c < 0x7f ? "%c"
								    : "\\x%02x",
					   c);
			}
			dbg_printf(d, "\"\n");
		}
		return CMD_STAY;
	}
	size = unit_size(unit);
	per_line = fmt == 't' ? 1 : 16 / size;
	for (unsigned i = 0; i < count; i++) {
		uint8_t buf[8];
		uint64_t a = addr + (uint64_t)i * size;

		if (i % per_line == 0)
			dbg_printf(d, "%s0x%016" PRIx64 " <%s>:", i ? "\n" : "",
				   a, physical ? "phys" : "lin");
		if (!(physical ? dbg_phys_read(d, a, buf, size)
			       : dbg_lin_read(d, &s, a, buf, size))) {
			dbg_printf(d, " (cannot read %s 0x%" PRIx64 ")",
				   physical ? "physical" : "linear", a);
			break;
		}
		print_unit(d, buf, size, fmt);
	}
	dbg_printf(d, "\n");
	return CMD_STAY;
}

DBG_CMD(cmd_x)
{
	(void)rest;
	return examine(d, argc, argv, false);
}

DBG_CMD(cmd_xp)
{
	(void)rest;
	return examine(d, argc, argv, true);
}

DBG_CMD(cmd_setpmem)
{
	uint64_t addr, size, value;
	uint8_t b[8];

	(void)rest;
	if (argc != 4 || dbg_eval(d, argv[1], &addr) ||
	    dbg_eval(d, argv[2], &size) || dbg_eval(d, argv[3], &value)) {
		if (argc != 4)
			dbg_error(d, "usage: setpmem addr size value");
		return CMD_STAY;
	}
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		dbg_error(d, "size must be 1, 2, 4 or 8");
		return CMD_STAY;
	}
	for (unsigned k = 0; k < size; k++)
		b[k] = (uint8_t)(value >> (8 * k));
	if (!dbg_phys_write(d, addr, b, size))
		dbg_error(d, "physical 0x%" PRIx64 " is not RAM", addr);
	return CMD_STAY;
}

DBG_CMD(cmd_writemem)
{
	uint64_t addr, len;
	struct cpu_state s;
	uint8_t *buf;
	FILE *f;

	(void)rest;
	if (argc != 4 || dbg_eval_linear(d, argv[2], &addr) ||
	    dbg_eval(d, argv[3], &len)) {
		if (argc != 4)
			dbg_error(d, "usage: writemem FILE addr len");
		return CMD_STAY;
	}
	if (len == 0 || len > MEM_CMD_MAX) {
		dbg_error(d, "length must be 1 to %u bytes", MEM_CMD_MAX);
		return CMD_STAY;
	}
	buf = malloc(len);
	if (!buf)
		return CMD_STAY;
	dbg_state(d, &s);
	if (!dbg_lin_read(d, &s, addr, buf, len)) {
		dbg_error(d, "linear 0x%" PRIx64 "+%" PRIu64 " is not all readable",
			  addr, len);
	} else if (!(f = fopen(argv[1], "wb"))) {
		dbg_error(d, "%s: %s", argv[1], strerror(errno));
	} else {
		if (fwrite(buf, 1, len, f) != len || fclose(f) != 0)
			dbg_error(d, "%s: write failed", argv[1]);
		else
			dbg_printf(d, "wrote %" PRIu64 " bytes to %s\n", len,
				   argv[1]);
	}
	free(buf);
	return CMD_STAY;
}

DBG_CMD(cmd_loadmem)
{
	uint64_t addr;
	struct cpu_state s;
	uint8_t *buf;
	size_t len;
	FILE *f;

	(void)rest;
	if (argc != 3 || dbg_eval_linear(d, argv[2], &addr)) {
		if (argc != 3)
			dbg_error(d, "usage: loadmem FILE addr");
		return CMD_STAY;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		dbg_error(d, "%s: %s", argv[1], strerror(errno));
		return CMD_STAY;
	}
	buf = malloc(MEM_CMD_MAX + 1);
	if (!buf) {
		fclose(f);
		return CMD_STAY;
	}
	len = fread(buf, 1, MEM_CMD_MAX + 1, f);
	fclose(f);
	dbg_state(d, &s);
	if (len > MEM_CMD_MAX)
		dbg_error(d, "%s: larger than %u bytes", argv[1], MEM_CMD_MAX);
	else if (!dbg_lin_write(d, &s, addr, buf, len))
		dbg_error(d, "linear 0x%" PRIx64 "+%zu is not all RAM", addr,
			  len);
	else
		dbg_printf(d, "loaded %zu bytes at linear 0x%" PRIx64 "\n", len,
			   addr);
	free(buf);
	return CMD_STAY;
}

/* CRC-32 (the IEEE 802.3 polynomial, reflected, as zlib's crc32). */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

DBG_CMD(cmd_crc)
{
	uint64_t a, b;
	uint8_t *buf;

	(void)rest;
	if (argc != 3 || dbg_eval(d, argv[1], &a) || dbg_eval(d, argv[2], &b)) {
		if (argc != 3)
			dbg_error(d, "usage: crc addr1 addr2");
		return CMD_STAY;
	}
	if (b < a || b - a >= MEM_CMD_MAX) {
		dbg_error(d, "the range must be addr1 <= addr2, at most %u bytes",
			  MEM_CMD_MAX);
		return CMD_STAY;
	}
	buf = malloc(b - a + 1);
	if (!buf)
		return CMD_STAY;
	if (!dbg_phys_read(d, a, buf, b - a + 1))
		dbg_error(d, "physical 0x%" PRIx64 "-0x%" PRIx64 " is not all RAM or ROM",
			  a, b);
	else
		dbg_printf(d, "crc32 of physical 0x%" PRIx64 "-0x%" PRIx64 ": 0x%08x\n",
			   a, b, crc32_update(0, buf, b - a + 1));
	free(buf);
	return CMD_STAY;
}

DBG_CMD(cmd_u)
{
	struct cpu_state s;
	uint64_t addr, n = 10;

	(void)rest;
	dbg_state(d, &s);
	addr = d->u_next_valid ? d->u_next : dbg_pc(&s);
	if (argc > 1 && dbg_eval_linear(d, argv[1], &addr) != 0)
		return CMD_STAY;
	if (argc > 2 && (dbg_eval(d, argv[2], &n) != 0 || n == 0 || n > 4096)) {
		if (n == 0 || n > 4096)
			dbg_error(d, "count must be 1 to 4096");
		return CMD_STAY;
	}
	dbg_printf(d, "(%d-bit code)\n", dbg_code_bits(&s));
	disassemble(d, &s, false, addr, (unsigned)n);
	return CMD_STAY;
}

static bool page_read(void *opaque, uint64_t phys, unsigned size, uint64_t *v)
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

DBG_CMD(cmd_page)
{
	struct cpu_state s;
	struct pw_regs r;
	struct pw_result res;
	uint64_t lin;

	(void)argv;
	if (argc < 2) {
		dbg_error(d, "usage: page addr");
		return CMD_STAY;
	}
	if (dbg_eval_linear(d, rest, &lin) != 0)
		return CMD_STAY;
	dbg_state(d, &s);
	r = (struct pw_regs){ s.cr0, s.cr3, s.cr4, s.efer };
	pagewalk(&r, lin, page_read, d, &res);
	if (!res.paging) {
		dbg_printf(d, "linear 0x%" PRIx64 ": paging is off, physical 0x%" PRIx64 "\n",
			   lin, res.phys);
		return CMD_STAY;
	}
	dbg_printf(d, "linear 0x%" PRIx64 ": %s paging, CR3=0x%" PRIx64 "\n", lin,
		   res.format, s.cr3);
	for (unsigned k = 0; k < res.nlevels; k++) {
		const struct pw_level *l = &res.lv[k];
		bool pdpte32 = strcmp(res.format, "PAE") == 0 && k == 0;
		char flags[96];

		if ((int)k == res.fault_level && res.fault == PW_UNREADABLE) {
			dbg_printf(d, "  %-5s[%3u] at 0x%" PRIx64 ": cannot be read: %s\n",
				   l->name, l->index, l->entry_addr,
				   pagewalk_fault_name(res.fault));
			break;
		}
		pagewalk_flags(l->entry, strcmp(l->name, "PTE") == 0, pdpte32,
			       flags, sizeof(flags));
		dbg_printf(d, "  %-5s[%3u] at 0x%010" PRIx64 ": 0x%016" PRIx64 " %s%s%s%s\n",
			   l->name, l->index, l->entry_addr, l->entry, flags,
			   l->large ? " (large page)" : "",
			   (int)k == res.fault_level ? "  <- #PF: " : "",
			   (int)k == res.fault_level
				   ? pagewalk_fault_name(res.fault)
				   : "");
	}
	if (res.fault == PW_NONCANONICAL)
		dbg_printf(d, "  not canonical: a #GP, not a walk\n");
	if (res.fault == PW_OK)
		dbg_printf(d, "  -> physical 0x%" PRIx64 " (%s page, %s, %s%s)\n",
			   res.phys,
			   res.page_size == 0x1000 ? "4 KiB"
			   : res.page_size == 0x200000 ? "2 MiB"
			   : res.page_size == 0x400000 ? "4 MiB"
						       : "1 GiB",
			   res.writable ? "writable" : "read-only",
			   res.user ? "user" : "supervisor",
			   res.nx ? ", no-execute" : "");
	return CMD_STAY;
}
