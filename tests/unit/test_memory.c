// SPDX-License-Identifier: MIT
/* The physical map: regions, holes, ROM, MMIO, unmapped space, code watch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bare_machine.h"

#define RAM_SIZE 0x100000u

struct fixture {
	struct machine *m;
	uint8_t *ram;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	f->ram = calloc(1, RAM_SIZE);
	assert_non_null(f->ram);
	f->m->ram = f->ram;
	f->m->ram_size = RAM_SIZE;
	assert_int_equal(mem_map_ram(f->m, 0, RAM_SIZE, f->ram, "ram"), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->m->code.bitmap);
	free(f->m);
	free(f->ram);
	free(f);
	return 0;
}

/* A fake MMIO device that records every call. */
struct mmio_call {
	uint64_t offset;
	unsigned size;
	uint64_t value;
	bool write;
};

struct mmio_dev {
	struct mmio_call calls[16];
	unsigned count;
};

static uint64_t fake_read(void *dev, uint64_t offset, unsigned size)
{
	struct mmio_dev *d = dev;

	if (d->count < 16)
		d->calls[d->count++] =
			(struct mmio_call){ offset, size, 0, false };
	/* Each byte reads as its own offset, so splits show in the data. */
	uint64_t value = 0;

	for (unsigned i = 0; i < size; i++)
		value |= (uint64_t)((offset + i) & 0xff) << (8 * i);
	return value;
}

static void fake_write(void *dev, uint64_t offset, unsigned size,
		       uint64_t value)
{
	struct mmio_dev *d = dev;

	if (d->count < 16)
		d->calls[d->count++] =
			(struct mmio_call){ offset, size, value, true };
}

static void test_ram_round_trip(void **state)
{
	struct fixture *f = *state;
	uint8_t out[5] = { 1, 2, 3, 4, 5 }, in[5] = { 0 };

	phys_write(f->m, 0x1234, out, sizeof(out));
	phys_read(f->m, 0x1234, in, sizeof(in));
	assert_memory_equal(in, out, sizeof(out));
	assert_int_equal(f->ram[0x1234], 1);

	phys_write_u(f->m, 0x2000, 4, 0x11223344);
	assert_int_equal(f->ram[0x2000], 0x44);
	assert_int_equal(f->ram[0x2003], 0x11);
	assert_int_equal(phys_read_u(f->m, 0x2001, 2), 0x2233);
	phys_write_u(f->m, 0x3000, 8, 0x0102030405060708ull);
	assert_int_equal(phys_read_u(f->m, 0x3000, 8), 0x0102030405060708ull);
}

static void test_lookup(void **state)
{
	struct fixture *f = *state;
	const struct mem_region *r = mem_lookup(f->m, 0x5000);

	assert_non_null(r);
	assert_int_equal(r->kind, MEM_RAM);
	assert_null(mem_lookup(f->m, RAM_SIZE));
	assert_non_null(mem_lookup(f->m, RAM_SIZE - 1));
}

static void test_hole_splits_ram(void **state)
{
	struct fixture *f = *state;
	struct mmio_dev dev = { 0 };
	const struct mem_region *r;
	uint64_t gen = f->m->map.generation;

	assert_int_equal(mmio_register(f->m, 0xa0000, 0x20000, &dev, fake_read,
				       fake_write, "vga"),
			 0);
	assert_int_equal(f->m->map.count, 3);
	assert_true(f->m->map.generation > gen);

	r = mem_lookup(f->m, 0x9ffff);
	assert_int_equal(r->kind, MEM_RAM);
	assert_int_equal(r->base + r->size, 0xa0000);
	r = mem_lookup(f->m, 0xa0000);
	assert_int_equal(r->kind, MEM_MMIO);
	r = mem_lookup(f->m, 0xc0000);
	assert_int_equal(r->kind, MEM_RAM);
	assert_int_equal(r->base, 0xc0000);
	/* The right part still points at the same host bytes. */
	assert_ptr_equal(r->host, f->ram + 0xc0000);
	f->ram[0xc0010] = 0x5a;
	assert_int_equal(phys_read_u(f->m, 0xc0010, 1), 0x5a);

	/* A hole at the very start and one at the very end. */
	assert_int_equal(mmio_register(f->m, 0, 0x1000, &dev, fake_read,
				       fake_write, "low"),
			 0);
	assert_int_equal(mmio_register(f->m, RAM_SIZE - 0x1000, 0x1000, &dev,
				       fake_read, fake_write, "high"),
			 0);
	assert_int_equal(mem_lookup(f->m, 0)->kind, MEM_MMIO);
	assert_int_equal(mem_lookup(f->m, 0x1000)->kind, MEM_RAM);
	assert_ptr_equal(mem_lookup(f->m, 0x1000)->host, f->ram + 0x1000);
	assert_int_equal(mem_lookup(f->m, RAM_SIZE - 1)->kind, MEM_MMIO);
	assert_int_equal(f->m->map.count, 5);

	/* Sorted by base. */
	for (unsigned i = 1; i < f->m->map.count; i++)
		assert_true(f->m->map.regions[i - 1].base <
			    f->m->map.regions[i].base);
}

static void test_region_covering_ram_removes_it(void **state)
{
	struct fixture *f = *state;
	static uint8_t rom[RAM_SIZE];

	assert_int_equal(mem_map_rom(f->m, 0, RAM_SIZE, rom, "rom"), 0);
	assert_int_equal(f->m->map.count, 1);
	assert_int_equal(mem_lookup(f->m, 0x100)->kind, MEM_ROM);
}

static void test_overlap_refused(void **state)
{
	struct fixture *f = *state;
	struct mmio_dev dev = { 0 };
	static uint8_t rom[0x2000];

	assert_int_equal(mmio_register(f->m, 0x200000, 0x1000, &dev, fake_read,
				       fake_write, "a"),
			 0);
	assert_int_equal(mem_map_rom(f->m, 0x1ff000, 0x2000, rom, "b"), -1);
	assert_int_equal(mmio_register(f->m, 0x200800, 0x10, &dev, fake_read,
				       fake_write, "c"),
			 -1);
	/* RAM may not punch holes in MMIO either. */
	assert_int_equal(mem_map_ram(f->m, 0x200000, 0x1000, rom, "d"), -1);
	assert_int_equal(mem_lookup(f->m, 0x200000)->kind, MEM_MMIO);
	/* Zero-sized and wrapping regions are refused. */
	assert_int_equal(mem_map_rom(f->m, 0x300000, 0, rom, "e"), -1);
	assert_int_equal(mem_map_rom(f->m, UINT64_MAX - 0xff, 0x1000, rom, "f"),
			 -1);
}

static void test_map_full(void **state)
{
	struct fixture *f = *state;
	struct mmio_dev dev = { 0 };
	int ret = 0;
	unsigned added = 0;

	/* Each hole in the middle of RAM costs two slots. */
	for (unsigned i = 0; i < MEM_MAX_REGIONS && ret == 0; i++) {
		ret = mmio_register(f->m, 0x1000 + i * 0x2000, 0x1000, &dev,
				    fake_read, fake_write, "hole");
		if (ret == 0)
			added++;
	}
	assert_int_equal(ret, -1);
	assert_true(f->m->map.count <= MEM_MAX_REGIONS);
	assert_int_equal(f->m->map.count, 1 + 2 * added);
}

static void test_rom_ignores_writes(void **state)
{
	struct fixture *f = *state;
	static uint8_t rom[0x10000];

	memset(rom, 0xab, sizeof(rom));
	assert_int_equal(mem_map_rom(f->m, 0x200000, sizeof(rom), rom, "rom"),
			 0);
	phys_write_u(f->m, 0x200010, 4, 0x12345678);
	assert_int_equal(rom[0x10], 0xab);
	assert_int_equal(phys_read_u(f->m, 0x200010, 4), 0xabababab);
	assert_null(mem_page_host(f->m, 0x200000, true));
	assert_ptr_equal(mem_page_host(f->m, 0x201234, false), rom + 0x1000);
}

static void test_mmio_sizes(void **state)
{
	struct fixture *f = *state;
	struct mmio_dev dev = { 0 };
	uint8_t bytes[6] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60 };
	uint8_t in[3];

	assert_int_equal(mmio_register(f->m, 0x400000, 0x100, &dev, fake_read,
				       fake_write, "dev"),
			 0);
	/* A sized access is one call of that size. */
	assert_int_equal(phys_read_u(f->m, 0x400004, 4), 0x07060504);
	assert_int_equal(dev.count, 1);
	assert_int_equal(dev.calls[0].offset, 4);
	assert_int_equal(dev.calls[0].size, 4);
	assert_false(dev.calls[0].write);

	phys_write_u(f->m, 0x400008, 2, 0xbeef);
	assert_int_equal(dev.count, 2);
	assert_true(dev.calls[1].write);
	assert_int_equal(dev.calls[1].size, 2);
	assert_int_equal(dev.calls[1].value, 0xbeef);

	/* A buffer is split into naturally aligned pieces. */
	dev.count = 0;
	phys_write(f->m, 0x400001, bytes, sizeof(bytes));
	assert_int_equal(dev.count, 4);
	assert_int_equal(dev.calls[0].offset, 1);
	assert_int_equal(dev.calls[0].size, 1);
	assert_int_equal(dev.calls[0].value, 0x10);
	assert_int_equal(dev.calls[1].offset, 2);
	assert_int_equal(dev.calls[1].size, 2);
	assert_int_equal(dev.calls[1].value, 0x3020);
	assert_int_equal(dev.calls[2].offset, 4);
	assert_int_equal(dev.calls[2].size, 2);
	assert_int_equal(dev.calls[2].value, 0x5040);
	assert_int_equal(dev.calls[3].offset, 6);
	assert_int_equal(dev.calls[3].size, 1);
	assert_int_equal(dev.calls[3].value, 0x60);

	dev.count = 0;
	phys_read(f->m, 0x400003, in, sizeof(in));
	assert_int_equal(dev.count, 2);
	assert_int_equal(in[0], 3);
	assert_int_equal(in[1], 4);
	assert_int_equal(in[2], 5);
	assert_null(mem_page_host(f->m, 0x400000, false));
}

static void test_unmapped(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[4] = { 0, 0, 0, 0 };

	assert_int_equal(phys_read_u(f->m, 0x10000000, 4), 0xffffffffu);
	assert_int_equal(phys_read_u(f->m, 0x10000000, 8), UINT64_MAX);
	phys_write_u(f->m, 0x10000000, 4, 0); /* dropped, no crash */
	/* A read across the end of RAM: RAM bytes, then all ones. */
	f->ram[RAM_SIZE - 2] = 0x12;
	f->ram[RAM_SIZE - 1] = 0x34;
	phys_read(f->m, RAM_SIZE - 2, buf, sizeof(buf));
	assert_int_equal(buf[0], 0x12);
	assert_int_equal(buf[1], 0x34);
	assert_int_equal(buf[2], 0xff);
	assert_int_equal(buf[3], 0xff);
	assert_null(mem_page_host(f->m, RAM_SIZE, false));
	/* Near the top of the address space: no wrap-around trouble. */
	assert_int_equal(phys_read_u(f->m, UINT64_MAX - 1, 2), 0xffff);
}

static void test_page_host(void **state)
{
	struct fixture *f = *state;
	static uint8_t rom[0x1800];

	assert_ptr_equal(mem_page_host(f->m, 0x3456, true), f->ram + 0x3000);
	assert_ptr_equal(mem_page_host(f->m, 0x3456, false), f->ram + 0x3000);
	/* A page only partly covered by a region has no host pointer. */
	assert_int_equal(mem_map_rom(f->m, 0x500000, sizeof(rom), rom, "rom"),
			 0);
	assert_non_null(mem_page_host(f->m, 0x500000, false));
	assert_null(mem_page_host(f->m, 0x501000, false));
}

/* The code-watch hook. */
struct invalidation {
	unsigned calls;
	uint64_t addr, len;
};

static void record_invalidate(void *opaque, uint64_t addr, uint64_t len)
{
	struct invalidation *inv = opaque;

	inv->calls++;
	inv->addr = addr;
	inv->len = len;
}

static void test_code_watch(void **state)
{
	struct fixture *f = *state;
	struct invalidation inv = { 0 };
	uint32_t word = 0x90909090;

	f->m->code.pages = RAM_SIZE / PAGE_SIZE;
	f->m->code.bitmap = calloc(f->m->code.pages / 8, 1);
	assert_non_null(f->m->code.bitmap);
	f->m->code.invalidate = record_invalidate;
	f->m->code.opaque = &inv;
	f->m->code.bitmap[0] = 1u << 2; /* page 2 holds code */

	phys_write(f->m, 0x1000, &word, sizeof(word));
	assert_int_equal(inv.calls, 0);
	phys_write(f->m, 0x2010, &word, sizeof(word));
	assert_int_equal(inv.calls, 1);
	assert_int_equal(inv.addr, 0x2010);
	assert_int_equal(inv.len, 4);
	/* A write that only reaches into the page counts too. */
	phys_write_u(f->m, 0x1ffe, 4, 0);
	assert_int_equal(inv.calls, 2);
	assert_int_equal(inv.addr, 0x1ffe);
	/* Devices and the debugger report their writes the same way. */
	machine_ram_written(f->m, 0x2800, 16);
	assert_int_equal(inv.calls, 3);
	machine_ram_written(f->m, 0x3000, 16);
	assert_int_equal(inv.calls, 3);
	/* No direct write pointer into a code page; reads are fine. */
	assert_null(mem_page_host(f->m, 0x2000, true));
	assert_non_null(mem_page_host(f->m, 0x2000, false));
	assert_non_null(mem_page_host(f->m, 0x1000, true));
	/* Reads never invalidate. */
	phys_read(f->m, 0x2000, &word, sizeof(word));
	assert_int_equal(inv.calls, 3);
}

/* A BAR moving: its region is removed and can be placed elsewhere. */
static void test_unmap(void **state)
{
	struct fixture *f = *state;
	static uint8_t lfb[2 * PAGE_SIZE];
	uint64_t gen;

	assert_int_equal(mem_map_ram(f->m, 0x40000000, sizeof(lfb), lfb, "lfb"),
			 0);
	phys_write_u(f->m, 0x40000010, 1, 0x77);
	assert_int_equal(lfb[0x10], 0x77);
	gen = f->m->map.generation;
	assert_int_equal(mem_unmap(f->m, 0x40000000), 0);
	assert_true(f->m->map.generation > gen);
	assert_null(mem_lookup(f->m, 0x40000010));
	assert_int_equal(phys_read_u(f->m, 0x40000010, 1), 0xff);
	/* Nothing starts there any more, nor in the middle of RAM. */
	assert_int_equal(mem_unmap(f->m, 0x40000000), -1);
	assert_int_equal(mem_unmap(f->m, 0x1000), -1);
	assert_int_equal(phys_read_u(f->m, 0x1000, 1), 0);
	assert_int_equal(mem_map_ram(f->m, 0x50000000, sizeof(lfb), lfb, "lfb"),
			 0);
	assert_int_equal(phys_read_u(f->m, 0x50000010, 1), 0x77);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ram_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hole_splits_ram, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_region_covering_ram_removes_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_map_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rom_ignores_writes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mmio_sizes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unmapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_host, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_code_watch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unmap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
