// SPDX-License-Identifier: MIT
/*
 * The debugger's machine-free parts: the expression evaluator, command
 * splitting and lookup, the x format, the side-effect-free page walk,
 * the breakpoint and watchpoint tables, and the gdb packet parser (with
 * random bytes, to run under --enable-asan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/state.h"
#include "debugger/breakpoints.h"
#include "debugger/dbg.h"
#include "debugger/expr.h"
#include "debugger/gdb_packet.h"
#include "debugger/gdb_target.h"
#include "debugger/pagewalk.h"

/* --- expressions ---------------------------------------------------------- */

static bool fake_reg(void *opaque, const char *name, size_t len, uint64_t *v)
{
	(void)opaque;
	if (len == 3 && strncmp(name, "eax", 3) == 0) {
		*v = 0x1234;
		return true;
	}
	if (len == 2 && strncmp(name, "cs", 2) == 0) {
		*v = 0x8;
		return true;
	}
	return false;
}

static bool fake_mem(void *opaque, uint64_t lin, unsigned size, uint64_t *v)
{
	(void)opaque;
	if (lin != 0x1000)
		return false;
	*v = 0x1122334455667788ull & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1);
	return true;
}

static const struct expr_env env = { NULL, fake_reg, fake_mem };

static uint64_t eval_ok(const char *text)
{
	uint64_t v = 0xdead;
	char err[128];

	assert_int_equal(expr_eval(text, &env, &v, err, sizeof(err)), 0);
	return v;
}

static void eval_fails(const char *text, const char *msg_part)
{
	uint64_t v;
	char err[128];

	assert_int_equal(expr_eval(text, &env, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, msg_part));
}

static void test_expr_numbers(void **state)
{
	(void)state;
	assert_int_equal(eval_ok("0x1f"), 31);
	assert_int_equal(eval_ok("1fh"), 31);
	assert_int_equal(eval_ok("0b101"), 5);
	assert_int_equal(eval_ok("42"), 42);
	assert_true(eval_ok("0xffffffffffffffff") == UINT64_MAX);
	eval_fails("0x1fffffffffffffffff", "bad number");
	eval_fails("12z", "bad number");
}

static void test_expr_operators(void **state)
{
	(void)state;
	assert_int_equal(eval_ok("1 + 2 * 3"), 7);
	assert_int_equal(eval_ok("(1 + 2) * 3"), 9);
	assert_int_equal(eval_ok("10 - 4 - 3"), 3); /* left to right */
	assert_int_equal(eval_ok("7 / 2 + 7 % 2"), 4);
	assert_int_equal(eval_ok("1 << 4 | 1"), 17);
	assert_int_equal(eval_ok("0xf0 & 0x3c ^ 1"), 0x31);
	assert_int_equal(eval_ok("3 < 4 && 4 <= 4 && 5 > 4 && 5 >= 6 || 1 == 1"),
			 1);
	assert_int_equal(eval_ok("2 != 2"), 0);
	assert_true(eval_ok("-1") == UINT64_MAX);
	assert_true(eval_ok("~0 >> 60") == 15);
	assert_int_equal(eval_ok("!!5"), 1);
	assert_int_equal(eval_ok("1 << 64"), 0);
	eval_fails("1 / 0", "division by zero");
	eval_fails("5 % 0", "division by zero");
	eval_fails("(1 + 2", "missing ')'");
	eval_fails("1 +", "expression expected");
	eval_fails("1 2", "unexpected");
	eval_fails("", "expression expected");
}

static void test_expr_names_and_memory(void **state)
{
	(void)state;
	assert_int_equal(eval_ok("eax + 1"), 0x1235);
	assert_int_equal(eval_ok("$eax"), 0x1234);
	assert_int_equal(eval_ok("byte[0x1000]"), 0x88);
	assert_int_equal(eval_ok("word[0x1000]"), 0x7788);
	assert_int_equal(eval_ok("[0x1000]"), 0x55667788);
	assert_true(eval_ok("qword[0x800 * 2]") == 0x1122334455667788ull);
	eval_fails("ebx", "unknown register 'ebx'");
	eval_fails("dword[0x2000]", "cannot read memory");
	eval_fails("byte 5", "needs [address]");
}

static void test_expr_depth_bounded(void **state)
{
	char deep[4096];

	(void)state;
	memset(deep, '(', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	eval_fails(deep, "nested too deeply");
	memset(deep, '-', sizeof(deep) - 2);
	deep[sizeof(deep) - 2] = '1';
	eval_fails(deep, "nested too deeply");
}

static void test_expr_address(void **state)
{
	bool has_seg;
	uint64_t seg, off;
	char err[64];

	(void)state;
	assert_int_equal(expr_eval_address("cs:eax+2", &env, &has_seg, &seg,
					   &off, err, sizeof(err)),
			 0);
	assert_true(has_seg);
	assert_int_equal(seg, 8);
	assert_int_equal(off, 0x1236);
	assert_int_equal(expr_eval_address("0x7c00", &env, &has_seg, &seg,
					   &off, err, sizeof(err)),
			 0);
	assert_false(has_seg);
	assert_int_equal(off, 0x7c00);
	assert_int_equal(expr_eval_address("0x10000:0", &env, &has_seg, &seg,
					   &off, err, sizeof(err)),
			 -1);
}

/* --- commands ------------------------------------------------------------- */

static void test_cmd_split(void **state)
{
	char line[] = "  lb   0x7c00  if eax == 1 # comment";
	char *argv[CMD_ARGV_MAX];
	int argc;

	(void)state;
	assert_string_equal(cmd_rest(line), "0x7c00  if eax == 1 # comment");
	argc = cmd_split(line, argv, CMD_ARGV_MAX);
	assert_int_equal(argc, 6);
	assert_string_equal(argv[0], "lb");
	assert_string_equal(argv[1], "0x7c00");
	assert_string_equal(argv[5], "1");
	{
		char many[] = "a b c d e f g h i j k l m n o p q r s";

		assert_int_equal(cmd_split(many, argv, 4), 4);
	}
	{
		char empty[] = "   ";

		assert_int_equal(cmd_split(empty, argv, CMD_ARGV_MAX), 0);
	}
}

static void test_cmd_lookup(void **state)
{
	unsigned count;
	const struct dbg_cmd *t = cmd_table(&count);

	(void)state;
	assert_true(count > 40);
	assert_ptr_equal(cmd_lookup("c")->fn, cmd_continue);
	assert_ptr_equal(cmd_lookup("b")->fn, cmd_pb);
	assert_ptr_equal(cmd_lookup("pb")->fn, cmd_pb);
	assert_ptr_equal(cmd_lookup("xp")->fn, cmd_xp);
	assert_null(cmd_lookup("frobnicate"));
	assert_null(cmd_lookup(""));
	/* Every name is unique. */
	for (unsigned i = 0; i < count; i++)
		for (unsigned j = i + 1; j < count; j++)
			assert_string_not_equal(t[i].name, t[j].name);
}

static void test_cmd_xfmt(void **state)
{
	unsigned count = 1;
	char unit = 'w', fmt = 'x';

	(void)state;
	assert_int_equal(cmd_parse_xfmt("/16bx", &count, &unit, &fmt), 0);
	assert_int_equal(count, 16);
	assert_int_equal(unit, 'b');
	assert_int_equal(fmt, 'x');
	assert_int_equal(cmd_parse_xfmt("/gd", &count, &unit, &fmt), 0);
	assert_int_equal(count, 16); /* kept */
	assert_int_equal(unit, 'g');
	assert_int_equal(fmt, 'd');
	assert_int_equal(cmd_parse_xfmt("/3i", &count, &unit, &fmt), 0);
	assert_int_equal(fmt, 'i');
	assert_int_equal(cmd_parse_xfmt("/0x", &count, &unit, &fmt), -1);
	assert_int_equal(cmd_parse_xfmt("/4q", &count, &unit, &fmt), -1);
	assert_int_equal(cmd_parse_xfmt("4x", &count, &unit, &fmt), -1);
	assert_int_equal(cmd_parse_xfmt("/99999999999", &count, &unit, &fmt),
			 -1);
}

/* --- page walk -------------------------------------------------------------- */

struct fake_phys {
	uint8_t mem[0x20000];
	unsigned reads;
};

static bool phys_read(void *opaque, uint64_t phys, unsigned size, uint64_t *v)
{
	struct fake_phys *p = opaque;

	p->reads++;
	if (phys + size > sizeof(p->mem))
		return false;
	*v = 0;
	for (unsigned k = 0; k < size; k++)
		*v |= (uint64_t)p->mem[phys + k] << (8 * k);
	return true;
}

static void put32(struct fake_phys *p, uint64_t a, uint32_t v)
{
	memcpy(p->mem + a, &v, 4);
}

static void put64(struct fake_phys *p, uint64_t a, uint64_t v)
{
	memcpy(p->mem + a, &v, 8);
}

static void test_walk_32bit(void **state)
{
	struct fake_phys *p = calloc(1, sizeof(*p));
	struct pw_regs r = { CR0_PE | CR0_PG, 0x1000, 0, 0 };
	struct pw_result res;
	uint8_t before[sizeof(p->mem)];

	(void)state;
	put32(p, 0x1000 + 1 * 4, 0x2000 | 0x7); /* PDE 1: 4 MiB-8 MiB */
	put32(p, 0x2000 + 5 * 4, 0xabc000 | 0x3); /* PTE 5: supervisor */
	put32(p, 0x1000 + 2 * 4, 0x00800000 | 0x83); /* PDE 2: 4 MiB page */
	memcpy(before, p->mem, sizeof(before));
	pagewalk(&r, 0x405123, phys_read, p, &res);
	assert_int_equal(res.fault, PW_OK);
	assert_int_equal(res.nlevels, 2);
	assert_string_equal(res.lv[0].name, "PDE");
	assert_int_equal(res.lv[0].index, 1);
	assert_int_equal(res.lv[1].index, 5);
	assert_int_equal(res.lv[1].entry_addr, 0x2014);
	assert_int_equal(res.phys, 0xabc123);
	assert_false(res.user);
	assert_true(res.writable);
	/* No A or D bit set: memory is unchanged. */
	assert_memory_equal(before, p->mem, sizeof(before));
	/* PS without CR4.PSE is not a large page: it reads a PTE. */
	pagewalk(&r, 0x812345, phys_read, p, &res);
	assert_int_equal(res.nlevels, 2);
	r.cr4 = CR4_PSE;
	pagewalk(&r, 0x812345, phys_read, p, &res);
	assert_int_equal(res.fault, PW_OK);
	assert_int_equal(res.nlevels, 1);
	assert_true(res.lv[0].large);
	assert_int_equal(res.phys, 0x812345);
	assert_int_equal(res.page_size, 0x400000);
	/* Not present at the PTE level. */
	pagewalk(&r, 0x406000, phys_read, p, &res);
	assert_int_equal(res.fault, PW_NOT_PRESENT);
	assert_int_equal(res.fault_level, 1);
	/* Not present at the PDE level. */
	pagewalk(&r, 0xc00000, phys_read, p, &res);
	assert_int_equal(res.fault, PW_NOT_PRESENT);
	assert_int_equal(res.fault_level, 0);
	/* Paging off: linear is physical. */
	r.cr0 = CR0_PE;
	pagewalk(&r, 0x12345, phys_read, p, &res);
	assert_false(res.paging);
	assert_int_equal(res.phys, 0x12345);
	free(p);
}

static void test_walk_4level(void **state)
{
	struct fake_phys *p = calloc(1, sizeof(*p));
	struct pw_regs r = { CR0_PE | CR0_PG, 0x1000, CR4_PAE,
			     EFER_LME | EFER_LMA | EFER_NXE };
	struct pw_result res;
	uint64_t lin = 0xffff800000201000ull;

	(void)state;
	/* PML4[256] -> PDPT at 0x2000, PDPT[0] -> PD at 0x3000,
	 * PD[1] -> PT at 0x4000, PT[1] -> 0x9000 user, no-execute. */
	put64(p, 0x1000 + 256 * 8, 0x2000 | 0x7);
	put64(p, 0x2000 + 0 * 8, 0x3000 | 0x7);
	put64(p, 0x3000 + 1 * 8, 0x4000 | 0x7);
	put64(p, 0x4000 + 1 * 8, 0x8000000000009000ull | 0x5);
	pagewalk(&r, lin, phys_read, p, &res);
	assert_int_equal(res.fault, PW_OK);
	assert_string_equal(res.format, "4-level");
	assert_int_equal(res.nlevels, 4);
	assert_string_equal(res.lv[0].name, "PML4E");
	assert_string_equal(res.lv[3].name, "PTE");
	assert_int_equal(res.phys, 0x9000);
	assert_true(res.user);
	assert_false(res.writable);
	assert_true(res.nx);
	/* Without NXE, bit 63 is reserved. */
	r.efer &= ~EFER_NXE;
	pagewalk(&r, lin, phys_read, p, &res);
	assert_int_equal(res.fault, PW_RESERVED);
	assert_int_equal(res.fault_level, 3);
	/* A 1 GiB page at the PDPTE. */
	put64(p, 0x2000 + 1 * 8, 0x40000000ull | 0x83);
	pagewalk(&r, 0xffff800040000123ull, phys_read, p, &res);
	assert_int_equal(res.fault, PW_OK);
	assert_int_equal(res.page_size, 1ull << 30);
	assert_int_equal(res.phys, 0x40000123);
	/* Non-canonical: no walk at all. */
	p->reads = 0;
	pagewalk(&r, 0x0000800000000000ull, phys_read, p, &res);
	assert_int_equal(res.fault, PW_NONCANONICAL);
	assert_int_equal(p->reads, 0);
	/* A table outside memory. */
	put64(p, 0x1000 + 1 * 8, 0x7000000000ull | 0x7);
	pagewalk(&r, 0x0000008000000000ull, phys_read, p, &res);
	assert_int_equal(res.fault, PW_UNREADABLE);
	assert_int_equal(res.fault_level, 1);
	free(p);
}

static void test_walk_pae(void **state)
{
	struct fake_phys *p = calloc(1, sizeof(*p));
	struct pw_regs r = { CR0_PE | CR0_PG, 0x1020, CR4_PAE, 0 };
	struct pw_result res;

	(void)state;
	/* CR3 points at a 32-byte aligned PDPT at 0x1020. */
	put64(p, 0x1020 + 3 * 8, 0x3000 | 0x1);
	put64(p, 0x3000 + 5 * 8, 0x00a00000 | 0x83); /* 2 MiB page */
	pagewalk(&r, 0xc0a12345, phys_read, p, &res);
	assert_int_equal(res.fault, PW_OK);
	assert_string_equal(res.format, "PAE");
	assert_int_equal(res.nlevels, 2);
	assert_int_equal(res.phys, 0xa12345);
	assert_int_equal(res.page_size, 0x200000);
	/* A PDPTE with a reserved bit (RW is reserved there). */
	put64(p, 0x1020 + 3 * 8, 0x3000 | 0x3);
	pagewalk(&r, 0xc0a12345, phys_read, p, &res);
	assert_int_equal(res.fault, PW_RESERVED);
	assert_int_equal(res.fault_level, 0);
	free(p);
}

/* --- breakpoint tables -------------------------------------------------------- */

static void test_bp_table(void **state)
{
	struct bp_table t;
	unsigned a, b, c, cursor = 0;
	struct breakpoint *hit;

	(void)state;
	bp_table_init(&t);
	a = bp_add(&t, BP_LINEAR, 0, 0x7c00, "", BP_OWNER_USER);
	b = bp_add(&t, BP_VIRTUAL, 0x8, 0x100, "eax == 1", BP_OWNER_USER);
	c = bp_add(&t, BP_PHYSICAL, 0, 0x200000, NULL, BP_OWNER_GDB);
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(c, 3);
	assert_string_equal(bp_find(&t, b)->cond, "eax == 1");
	hit = bp_match(&t, &cursor, 0x8, 0x100, 0x7c00, 0x200000, true);
	assert_non_null(hit);
	assert_int_equal(hit->id, a);
	hit = bp_match(&t, &cursor, 0x8, 0x100, 0x7c00, 0x200000, true);
	assert_int_equal(hit->id, b);
	hit = bp_match(&t, &cursor, 0x8, 0x100, 0x7c00, 0x200000, true);
	assert_int_equal(hit->id, c);
	assert_null(bp_match(&t, &cursor, 0x8, 0x100, 0x7c00, 0x200000, true));
	/* The physical one does not match an unmapped page. */
	cursor = 0;
	assert_null(bp_match(&t, &cursor, 0x10, 0x100, 0x1, 0x200000, false));
	/* Disabled, deleted, ids not reused. */
	assert_int_equal(bp_enable(&t, a, false), 0);
	cursor = 0;
	assert_null(bp_match(&t, &cursor, 0, 0, 0x7c00, 0, false));
	assert_int_equal(bp_count(&t, true), 2);
	assert_int_equal(bp_count(&t, false), 3);
	assert_int_equal(bp_delete(&t, a), 0);
	assert_int_equal(bp_delete(&t, a), -1);
	assert_int_equal(bp_enable(&t, 99, true), -1);
	assert_int_equal(bp_add(&t, BP_LINEAR, 0, 1, "", BP_OWNER_USER), 4);
	assert_non_null(bp_lookup(&t, BP_PHYSICAL, 0, 0x200000, BP_OWNER_GDB));
	assert_null(bp_lookup(&t, BP_PHYSICAL, 0, 0x200000, BP_OWNER_USER));
	/* A condition too long is refused. */
	{
		char big[BP_COND_MAX + 1];

		memset(big, '1', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		assert_int_equal(bp_add(&t, BP_LINEAR, 0, 2, big, BP_OWNER_USER),
				 0);
	}
	/* The table fills up. */
	while (bp_add(&t, BP_LINEAR, 0, 3, "", BP_OWNER_USER))
		;
	assert_int_equal(bp_count(&t, false), BP_MAX);
}

static void test_watch_table(void **state)
{
	struct bp_table t;
	unsigned w1, w2;

	(void)state;
	bp_table_init(&t);
	w1 = watch_add(&t, false, WATCH_WRITE, 0x9000, 4, BP_OWNER_USER);
	w2 = watch_add(&t, true, WATCH_READ, 0x20000, 1, BP_OWNER_USER);
	assert_true(w1 && w2);
	/* Overlaps at both ends, and none just outside. */
	assert_non_null(watch_match(&t, false, 0x8fff, 2, true));
	assert_non_null(watch_match(&t, false, 0x9003, 8, true));
	assert_null(watch_match(&t, false, 0x9004, 4, true));
	assert_null(watch_match(&t, false, 0x8ffc, 4, true));
	/* Kind and address space must agree. */
	assert_null(watch_match(&t, false, 0x9000, 4, false));
	assert_null(watch_match(&t, true, 0x9000, 4, true));
	assert_non_null(watch_match(&t, true, 0x20000, 1, false));
	assert_null(watch_match(&t, true, 0x20000, 1, true));
	assert_true(watch_on_page(&t, false, 0x9abc));
	assert_false(watch_on_page(&t, false, 0xa000));
	assert_true(watch_on_page(&t, true, 0x20000));
	/* Bad ranges are refused, even at the top of the address space. */
	assert_int_equal(watch_add(&t, false, WATCH_WRITE, 0, 0, BP_OWNER_USER), 0);
	assert_int_equal(watch_add(&t, false, WATCH_WRITE, UINT64_MAX, 2,
				   BP_OWNER_USER),
			 0);
	assert_true(watch_add(&t, false, WATCH_ACCESS, UINT64_MAX - 3, 4,
			      BP_OWNER_USER) != 0);
	assert_non_null(watch_match(&t, false, UINT64_MAX, 1, false));
	assert_int_equal(watch_delete(&t, w1), 0);
	assert_int_equal(watch_delete(&t, w1), -1);
	assert_null(watch_match(&t, false, 0x9000, 4, true));
}

/* --- gdb packets ---------------------------------------------------------------- */

static enum gdb_rx_event feed(struct gdb_rx *rx, const char *s)
{
	enum gdb_rx_event e = GDB_RX_NONE;

	for (; *s; s++)
		e = gdb_rx_byte(rx, (uint8_t)*s);
	return e;
}

static void test_gdb_framing(void **state)
{
	struct gdb_rx rx;
	char out[64];
	size_t n;

	(void)state;
	gdb_rx_init(&rx);
	assert_int_equal(feed(&rx, "$g#67"), GDB_RX_PACKET);
	assert_string_equal(rx.buf, "g");
	assert_int_equal(feed(&rx, "$g#68"), GDB_RX_BAD);
	assert_int_equal(feed(&rx, "+"), GDB_RX_ACK);
	assert_int_equal(feed(&rx, "-"), GDB_RX_NACK);
	assert_int_equal(gdb_rx_byte(&rx, 0x03), GDB_RX_INTERRUPT);
	/* A '$' inside restarts the packet. */
	assert_int_equal(feed(&rx, "$m0,1$qC#b4"), GDB_RX_PACKET);
	assert_string_equal(rx.buf, "qC");
	n = gdb_frame("OK", 2, out, sizeof(out));
	assert_int_equal(n, 6);
	assert_memory_equal(out, "$OK#9a", 6);
	assert_int_equal(gdb_frame("OK", 2, out, 5), 0);
}

static void test_gdb_encodings(void **state)
{
	uint8_t b[8];
	char hex[17];
	uint64_t v;
	const char *end;

	(void)state;
	assert_int_equal(gdb_hex_decode("00ff7A", 6, b, sizeof(b)), 3);
	assert_int_equal(b[1], 0xff);
	assert_int_equal(b[2], 0x7a);
	assert_int_equal(gdb_hex_decode("0", 1, b, sizeof(b)), -1);
	assert_int_equal(gdb_hex_decode("zz", 2, b, sizeof(b)), -1);
	assert_int_equal(gdb_hex_decode("000000000000000000", 18, b, 8), -1);
	gdb_hex_encode((const uint8_t *)"\x01\xab", 2, hex);
	assert_string_equal(hex, "01ab");
	assert_int_equal(gdb_unescape("a}\x03" "b", 4, b, sizeof(b)), 3);
	assert_int_equal(b[1], '#');
	assert_int_equal(gdb_unescape("a}", 2, b, sizeof(b)), -1);
	assert_true(gdb_parse_hex("7c00,2", &v, &end));
	assert_int_equal(v, 0x7c00);
	assert_int_equal(*end, ',');
	assert_false(gdb_parse_hex(",2", &v, &end));
	assert_false(gdb_parse_hex("10000000000000000", &v, &end));
}

/* Random bytes never overflow the buffer and every packet is
 * NUL-terminated within it (ASan checks the rest). */
static void test_gdb_fuzz(void **state)
{
	struct gdb_rx *rx = malloc(sizeof(*rx));
	unsigned seed = 12345, packets = 0;

	(void)state;
	gdb_rx_init(rx);
	for (unsigned i = 0; i < 2000000; i++) {
		uint8_t c;

		seed = seed * 1103515245u + 12345u;
		c = (uint8_t)(seed >> 16);
		/* Make framing bytes common enough to matter. */
		if ((seed >> 8) % 7 == 0)
			c = "$#+-\x03}0"[(seed >> 24) % 7];
		if (gdb_rx_byte(rx, c) == GDB_RX_PACKET) {
			assert_true(rx->len <= GDB_PACKET_MAX);
			assert_int_equal(rx->buf[rx->len], '\0');
			packets++;
		}
	}
	/* A long packet is refused, not truncated into a valid one. */
	gdb_rx_init(rx);
	gdb_rx_byte(rx, '$');
	for (unsigned i = 0; i < GDB_PACKET_MAX + 10; i++)
		gdb_rx_byte(rx, 'a');
	gdb_rx_byte(rx, '#');
	gdb_rx_byte(rx, '0');
	assert_int_equal(gdb_rx_byte(rx, '0'), GDB_RX_BAD);
	free(rx);
	(void)packets;
}

static void test_gdb_target(void **state)
{
	char xml[16384];
	struct cpu_state s;
	uint8_t b[16];
	size_t len;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(gdb_arch_of(&s), GDB_ARCH_I8086);
	s.cr0 = CR0_PE;
	assert_int_equal(gdb_arch_of(&s), GDB_ARCH_I386);
	s.efer = EFER_LMA | EFER_LME;
	assert_int_equal(gdb_arch_of(&s), GDB_ARCH_X86_64);
	len = gdb_target_xml(GDB_ARCH_X86_64, xml, sizeof(xml));
	assert_true(len > 0);
	assert_non_null(strstr(xml, "<architecture>i386:x86-64</architecture>"));
	assert_non_null(strstr(xml, "name=\"r15\""));
	assert_non_null(strstr(xml, "name=\"efer\""));
	assert_non_null(strstr(xml, "name=\"fs_base\""));
	len = gdb_target_xml(GDB_ARCH_I386, xml, sizeof(xml));
	assert_non_null(strstr(xml, "<architecture>i386</architecture>"));
	assert_null(strstr(xml, "name=\"r8\""));
	assert_non_null(strstr(xml, "name=\"cs_base\""));
	assert_int_equal(gdb_target_xml(GDB_ARCH_I386, xml, 100), 0);
	/* Registers: eip is 4 bytes in i386, rip 8 in x86-64 (number 16). */
	s.rip = 0x1122334455667788ull;
	assert_int_equal(gdb_reg_get(GDB_ARCH_I386, &s, 8, b), 4);
	assert_int_equal(b[0], 0x88);
	assert_int_equal(gdb_reg_get(GDB_ARCH_X86_64, &s, 16, b), 8);
	assert_int_equal(b[7], 0x11);
	assert_int_equal(gdb_reg_get(GDB_ARCH_I386, &s, 999, b), 0);
	/* Writing rbx (amd64 number 1) reaches GPR 3. */
	memset(b, 0, sizeof(b));
	b[0] = 0x42;
	assert_int_equal(gdb_reg_set(GDB_ARCH_X86_64, &s, 1, b), 0);
	assert_int_equal(s.gpr[R_BX], 0x42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expr_numbers),
		cmocka_unit_test(test_expr_operators),
		cmocka_unit_test(test_expr_names_and_memory),
		cmocka_unit_test(test_expr_depth_bounded),
		cmocka_unit_test(test_expr_address),
		cmocka_unit_test(test_cmd_split),
		cmocka_unit_test(test_cmd_lookup),
		cmocka_unit_test(test_cmd_xfmt),
		cmocka_unit_test(test_walk_32bit),
		cmocka_unit_test(test_walk_4level),
		cmocka_unit_test(test_walk_pae),
		cmocka_unit_test(test_bp_table),
		cmocka_unit_test(test_watch_table),
		cmocka_unit_test(test_gdb_framing),
		cmocka_unit_test(test_gdb_encodings),
		cmocka_unit_test(test_gdb_fuzz),
		cmocka_unit_test(test_gdb_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
