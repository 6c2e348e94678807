// SPDX-License-Identifier: MIT
/*
 * One machine, many tests: load a test's initial state, step the
 * interpreter to the closing HLT, compare with the recorded final state.
 * Only the RAM bytes a test touches are put back before the next one, so
 * a test costs microseconds, not a 16 MiB clear.
 */
#include "conformance/sst_runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"

#define SST_RAM_MIB 16
#define IVT_BYTES 1024u
#define SENTINEL_BYTES 256u
#define HLT_OPCODE 0xF4

struct sst_runner {
	struct machine *m;
	struct cpu_state base; /* reset state: tables, CR0, hidden parts */
	uint8_t ivt[IVT_BYTES]; /* every vector at its sentinel */
	uint8_t sentinel[SENTINEL_BYTES];

	uint32_t *touched; /* RAM bytes the last test set or expected */
	size_t touched_count, touched_cap;
	uint32_t *fina_addr; /* scratch: the FINA addresses, sorted */
	size_t fina_cap;
};

/* Where each MOO register lives in popek's state. */
static const int moo_gpr[MOO_REG_COUNT] = {
	[MOO_AX] = R_AX, [MOO_BX] = R_BX,  [MOO_CX] = R_CX, [MOO_DX] = R_DX,
	[MOO_SP] = R_SP, [MOO_BP] = R_BP,  [MOO_SI] = R_SI, [MOO_DI] = R_DI,
	[MOO_CS] = -1,	 [MOO_SS] = -1,	   [MOO_DS] = -1,   [MOO_ES] = -1,
	[MOO_IP] = -1,	 [MOO_FLAGS] = -1,
};

static const int moo_seg[MOO_REG_COUNT] = {
	[MOO_AX] = -1,	   [MOO_BX] = -1,     [MOO_CX] = -1,
	[MOO_DX] = -1,	   [MOO_SP] = -1,     [MOO_BP] = -1,
	[MOO_SI] = -1,	   [MOO_DI] = -1,     [MOO_IP] = -1,
	[MOO_FLAGS] = -1,  [MOO_CS] = SEG_CS, [MOO_SS] = SEG_SS,
	[MOO_DS] = SEG_DS, [MOO_ES] = SEG_ES,
};

/*
 * In real mode the 286 holds FLAGS bits 12-15 (IOPL, NT, 15) clear, and
 * bits 3 and 5 are always 0, bit 1 always 1; the recorded initial value
 * is what LOADALL was given, random in those bits.
 */
uint16_t sst_initial_flags(uint16_t flags)
{
	return (uint16_t)((flags & 0x0FD7) | FLAG_FIXED1);
}

static uint16_t final_reg(const struct moo_test *t, enum moo_reg r)
{
	return t->fina.reg_mask & (1u << r) ? t->fina.reg[r] : t->init.reg[r];
}

bool sst_pushed_flags(const struct moo_test *t, uint32_t *lo, uint32_t *hi)
{
	uint32_t base = (uint32_t)final_reg(t, MOO_SS) << 4;
	uint16_t sp = final_reg(t, MOO_SP);

	if (!t->has_exception)
		return false;
	*lo = base + (uint16_t)(sp + 4);
	*hi = base + (uint16_t)(sp + 5);
	return true;
}

/* What a byte holds between tests. */
static uint8_t baseline_byte(const struct sst_runner *r, uint32_t addr)
{
	if (addr < IVT_BYTES)
		return r->ivt[addr];
	if (addr - SST_SENTINEL_BASE < SENTINEL_BYTES)
		return HLT_OPCODE;
	return 0;
}

/* Coalesces adjacent written bytes into one machine_ram_written call. */
struct written_range {
	uint64_t start, len;
};

static void range_add(struct machine *m, struct written_range *w, uint32_t addr)
{
	if (w->len && addr == w->start + w->len) {
		w->len++;
		return;
	}
	if (w->len)
		machine_ram_written(m, w->start, w->len);
	w->start = addr;
	w->len = 1;
}

static void range_flush(struct machine *m, struct written_range *w)
{
	if (w->len)
		machine_ram_written(m, w->start, w->len);
	w->len = 0;
}

static void put_region(struct sst_runner *r, uint32_t addr,
		       const uint8_t *bytes, uint32_t len)
{
	if (memcmp(r->m->ram + addr, bytes, len)) {
		memcpy(r->m->ram + addr, bytes, len);
		machine_ram_written(r->m, addr, len);
	}
}

/*
 * The tests ran on a bare 286 with 16 MiB of RAM at every address: check
 * the board maps nothing else (ROM, MMIO) over the first 16 MiB.
 */
static int check_plain_ram(struct machine *m, char *err, size_t errlen)
{
	const struct mem_region *reg;
	uint64_t addr = 0, end = (uint64_t)SST_RAM_MIB << 20;

	while (addr < end) {
		reg = mem_lookup(m, addr);
		if (!reg || reg->kind != MEM_RAM ||
		    reg->host + (addr - reg->base) != m->ram + addr) {
			snprintf(err, errlen,
				 "the machine maps %s at 0x%llx, not RAM",
				 reg && reg->name ? reg->name : "nothing",
				 (unsigned long long)addr);
			return -1;
		}
		addr = reg->base + reg->size;
	}
	return 0;
}

/*
 * No devices: the board's ports (debug console, exit port 0xF4, UART)
 * are unclaimed, so IN reads all ones and OUT goes nowhere, as on the
 * test rig's bus.
 */
static void unplug_ports(struct machine *m)
{
	unsigned p;

	for (p = 0; p < 65536; p++)
		m->io.port[p] = NULL;
}

struct sst_runner *sst_runner_create(char *err, size_t errlen)
{
	struct machine_options o;
	struct sst_runner *r;
	unsigned v;

	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	machine_options_init(&o);
	o.ram_mib = SST_RAM_MIB;
	o.boot_sector = NULL;
	o.bios = NULL;
	/* The test rig: RAM and the CPU, no devices at all. */
	o.bare = true;
	o.debugcon.kind = CHARDEV_NONE;
	o.serial.kind = CHARDEV_NONE;
	o.max_insns = 0;
	o.stats = false;
	r->m = machine_create(&o);
	if (!r->m) {
		snprintf(err, errlen, "cannot build a 16 MiB machine");
		free(r);
		return NULL;
	}
	if (!r->m->ram || r->m->ram_size < (uint64_t)SST_RAM_MIB << 20 ||
	    !r->m->cpu) {
		snprintf(err, errlen,
			 "the machine has no CPU or too little RAM");
		sst_runner_destroy(r);
		return NULL;
	}
	if (check_plain_ram(r->m, err, errlen)) {
		sst_runner_destroy(r);
		return NULL;
	}
	/* The 286's 24 address lines: FFFF:FFFF is 0x10FFEF, no wrap. */
	machine_set_a20(r->m, true);
	memset(r->m->ram, 0, r->m->ram_size);
	machine_ram_written(r->m, 0, r->m->ram_size);
	unplug_ports(r->m);
	cpu_state_get(r->m->cpu, &r->base);

	for (v = 0; v < 256; v++) {
		r->ivt[v * 4] = (uint8_t)v;
		r->ivt[v * 4 + 1] = 0;
		r->ivt[v * 4 + 2] = (uint8_t)SST_SENTINEL_SEG;
		r->ivt[v * 4 + 3] = (uint8_t)(SST_SENTINEL_SEG >> 8);
	}
	memset(r->sentinel, HLT_OPCODE, sizeof(r->sentinel));
	put_region(r, 0, r->ivt, IVT_BYTES);
	put_region(r, SST_SENTINEL_BASE, r->sentinel, SENTINEL_BYTES);
	return r;
}

void sst_runner_destroy(struct sst_runner *r)
{
	if (!r)
		return;
	if (r->m)
		machine_destroy(r->m);
	free(r->touched);
	free(r->fina_addr);
	free(r);
}

uint8_t sst_runner_ram(const struct sst_runner *r, uint32_t addr)
{
	return addr < r->m->ram_size ? r->m->ram[addr] : 0xFF;
}

static int touch(struct sst_runner *r, uint32_t addr)
{
	if (r->touched_count == r->touched_cap) {
		size_t ncap = r->touched_cap ? r->touched_cap * 2 : 1024;
		uint32_t *n = realloc(r->touched, ncap * sizeof(*n));

		if (!n)
			return -1;
		r->touched = n;
		r->touched_cap = ncap;
	}
	r->touched[r->touched_count++] = addr;
	return 0;
}

/* Put every byte the last test touched back to its baseline. */
static void restore_ram(struct sst_runner *r)
{
	struct written_range w = { 0, 0 };
	size_t i;

	for (i = 0; i < r->touched_count; i++) {
		uint32_t a = r->touched[i];
		uint8_t b = baseline_byte(r, a);

		if (r->m->ram[a] != b) {
			r->m->ram[a] = b;
			range_add(r->m, &w, a);
		}
	}
	range_flush(r->m, &w);
	r->touched_count = 0;
	/* A stray write of the last test may have hit these. */
	put_region(r, 0, r->ivt, IVT_BYTES);
	put_region(r, SST_SENTINEL_BASE, r->sentinel, SENTINEL_BYTES);
}

static int load_ram(struct sst_runner *r, const struct moo_test *t,
		    struct sst_result *res)
{
	struct written_range w = { 0, 0 };
	uint32_t i, addr;
	uint8_t v;

	for (i = 0; i < t->init.ram_count; i++) {
		moo_ram_entry(&t->init, i, &addr, &v);
		if (addr >= r->m->ram_size)
			goto bad_addr;
		if (touch(r, addr))
			goto no_mem;
		r->m->ram[addr] = v;
		range_add(r->m, &w, addr);
	}
	range_flush(r->m, &w);
	for (i = 0; i < t->fina.ram_count; i++) {
		moo_ram_entry(&t->fina, i, &addr, &v);
		if (addr >= r->m->ram_size)
			goto bad_addr;
		if (touch(r, addr))
			goto no_mem;
	}
	return 0;
bad_addr:
	range_flush(r->m, &w);
	snprintf(res->message, sizeof(res->message),
		 "RAM address 0x%x is beyond 16 MiB", addr);
	return -1;
no_mem:
	range_flush(r->m, &w);
	snprintf(res->message, sizeof(res->message), "out of memory");
	return -1;
}

static void load_registers(struct sst_runner *r, const struct moo_test *t)
{
	struct cpu_state s = r->base;
	const uint16_t *v = t->init.reg;
	int i;

	for (i = 0; i < MOO_REG_COUNT; i++)
		if (moo_gpr[i] >= 0)
			s.gpr[moo_gpr[i]] = v[i];
	for (i = 0; i < SEG_COUNT; i++)
		segment_set_real(&s.seg[i], 0, i);
	for (i = 0; i < MOO_REG_COUNT; i++)
		if (moo_seg[i] >= 0)
			segment_set_real(&s.seg[moo_seg[i]], v[i], moo_seg[i]);
	s.rip = v[MOO_IP];
	s.rflags = sst_initial_flags(v[MOO_FLAGS]);
	s.cr0 = 0;
	s.halted = false;
	s.interrupt_shadow = false;
	cpu_state_set(r->m->cpu, &s);
}

/* Step until the HLT that ends the test has executed. */
static void run_to_halt(struct sst_runner *r, struct sst_result *res)
{
	struct machine *m = r->m;
	enum cpu_stop stop = CPU_STOP_BUDGET;

	m->exit_kind = MACHINE_RUNNING;
	m->exit_status = 0;
	m->exit_message[0] = '\0';
	for (res->steps = 0; res->steps < SST_STEP_CAP;) {
		stop = cpu_step(m->cpu);
		res->steps++;
		if (stop == CPU_STOP_HALT ||
		    (stop == CPU_STOP_EXIT &&
		     m->exit_kind == MACHINE_EXIT_HALTED)) {
			res->halted = true;
			break;
		}
		if (stop == CPU_STOP_SHUTDOWN || stop == CPU_STOP_EXIT)
			break;
	}
	res->stop = stop;
	if (res->halted)
		return;
	if (res->steps >= SST_STEP_CAP)
		snprintf(res->message, sizeof(res->message),
			 "no HLT after %u steps", SST_STEP_CAP);
	else
		snprintf(res->message, sizeof(res->message), "%s: %.140s",
			 stop == CPU_STOP_SHUTDOWN ? "shutdown" : "stopped",
			 m->exit_message[0] ? m->exit_message : "no reason");
}

static void compare_registers(struct sst_runner *r, const struct moo_test *t,
			      uint16_t flags_mask, struct sst_result *res)
{
	struct cpu_state s;
	int i, sg;

	cpu_state_get(r->m->cpu, &s);
	res->flags_compared = (uint16_t)(flags_mask & 0x0FFF);
	for (i = 0; i < MOO_REG_COUNT; i++) {
		bool differs;

		res->expected[i] = final_reg(t, i);
		sg = moo_seg[i];
		if (moo_gpr[i] >= 0)
			res->got[i] = s.gpr[moo_gpr[i]];
		else if (sg >= 0)
			res->got[i] = s.seg[sg].sel;
		else if (i == MOO_IP)
			res->got[i] = s.rip;
		else
			res->got[i] = s.rflags;

		if (i == MOO_FLAGS)
			differs = (res->got[i] ^ res->expected[i]) &
				  res->flags_compared;
		else
			differs = res->got[i] != res->expected[i];
		if (differs)
			res->reg_diff |= (uint16_t)(1u << i);
		if (sg >= 0 && s.seg[sg].base != (uint64_t)s.seg[sg].sel << 4)
			res->seg_base_diff |= (uint16_t)(1u << i);
	}
	if (s.seg[SEG_CS].sel == SST_SENTINEL_SEG && s.rip >= 1 &&
	    s.rip <= 256 &&
	    !memcmp(r->m->ram + (s.rip - 1) * 4, r->ivt + (s.rip - 1) * 4, 4))
		res->sentinel_vector = (int)s.rip - 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void note_ram_diff(struct sst_result *res, uint32_t addr,
			  uint8_t expected, uint8_t got)
{
	if (res->ram_diff_count < SST_MAX_RAM_DIFFS) {
		res->ram_diff[res->ram_diff_count].addr = addr;
		res->ram_diff[res->ram_diff_count].expected = expected;
		res->ram_diff[res->ram_diff_count].got = got;
	}
	res->ram_diff_count++;
}

/*
 * The final RAM is FINA's bytes, and INIT's bytes that FINA does not
 * list (unchanged).  The FLAGS word an exception pushed is compared
 * under the same mask as the FLAGS register.
 */
static void compare_ram(struct sst_runner *r, const struct moo_test *t,
			struct sst_result *res)
{
	uint32_t i, addr, flags_lo = 0, flags_hi = 0;
	bool pushed = sst_pushed_flags(t, &flags_lo, &flags_hi);
	uint8_t v, got, mask;
	size_t n = t->fina.ram_count;

	if (n > r->fina_cap) {
		uint32_t *p = realloc(r->fina_addr, n * sizeof(*p));

		if (!p) {
			snprintf(res->message, sizeof(res->message),
				 "out of memory");
			return;
		}
		r->fina_addr = p;
		r->fina_cap = n;
	}
	for (i = 0; i < n; i++) {
		moo_ram_entry(&t->fina, i, &addr, &v);
		r->fina_addr[i] = addr;
		got = r->m->ram[addr];
		mask = 0xFF;
		if (pushed && addr == flags_lo)
			mask = (uint8_t)res->flags_compared;
		else if (pushed && addr == flags_hi)
			mask = (uint8_t)(res->flags_compared >> 8);
		if ((got ^ v) & mask)
			note_ram_diff(res, addr, v, got);
	}
	if (n > 1)
		qsort(r->fina_addr, n, sizeof(*r->fina_addr), cmp_u32);
	for (i = 0; i < t->init.ram_count; i++) {
		moo_ram_entry(&t->init, i, &addr, &v);
		if (n && bsearch(&addr, r->fina_addr, n, sizeof(addr), cmp_u32))
			continue;
		got = r->m->ram[addr];
		if (got != v)
			note_ram_diff(res, addr, v, got);
	}
}

void sst_run_test(struct sst_runner *r, const struct moo_test *t,
		  uint16_t flags_mask, struct sst_result *res)
{
	memset(res, 0, sizeof(*res));
	res->sentinel_vector = -1;
	restore_ram(r);
	if (load_ram(r, t, res))
		return;
	load_registers(r, t);
	run_to_halt(r, res);
	compare_registers(r, t, flags_mask, res);
	compare_ram(r, t, res);
	res->pass = res->halted && !res->reg_diff && !res->seg_base_diff &&
		    !res->ram_diff_count && !res->message[0];
}
