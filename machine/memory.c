// SPDX-License-Identifier: MIT
/*
 * The guest physical map: a sorted array of regions (RAM, ROM, MMIO) and
 * the slow-path accesses that go through it.  Engines cache host pointers
 * for whole pages (mem_page_host) and come here for everything else.
 */
#include <stdio.h>
#include <string.h>

#include "machine/machine.h"

static const char *kind_name(enum mem_kind kind)
{
	switch (kind) {
	case MEM_RAM:
		return "RAM";
	case MEM_ROM:
		return "ROM";
	default:
		return "MMIO";
	}
}

static bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b,
			   uint64_t b_size)
{
	return a < b + b_size && b < a + a_size;
}

static void insert_at(struct phys_map *map, unsigned index,
		      const struct mem_region *r)
{
	memmove(&map->regions[index + 1], &map->regions[index],
		(map->count - index) * sizeof(map->regions[0]));
	map->regions[index] = *r;
	map->count++;
}

static void remove_at(struct phys_map *map, unsigned index)
{
	memmove(&map->regions[index], &map->regions[index + 1],
		(map->count - index - 1) * sizeof(map->regions[0]));
	map->count--;
}

/*
 * How many slots the new region needs once every RAM region it overlaps
 * is cut: a RAM region that sticks out on both sides becomes two.
 */
static unsigned slots_needed(const struct phys_map *map,
			     const struct mem_region *r)
{
	unsigned extra = 1;

	for (unsigned i = 0; i < map->count; i++) {
		const struct mem_region *old = &map->regions[i];

		if (ranges_overlap(old->base, old->size, r->base, r->size) &&
		    old->base < r->base &&
		    old->base + old->size > r->base + r->size)
			extra++;
	}
	return extra;
}

/* Cut [base, base + size) out of every RAM region; the caller checked. */
static void punch_hole(struct phys_map *map, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	for (unsigned i = 0; i < map->count;) {
		struct mem_region *old = &map->regions[i];
		uint64_t old_end = old->base + old->size;

		if (!ranges_overlap(old->base, old->size, base, size)) {
			i++;
			continue;
		}
		if (old->base < base && old_end > end) {
			/* Split in two: keep the left part, insert the right. */
			struct mem_region right = *old;

			right.base = end;
			right.size = old_end - end;
			right.host = old->host + (end - old->base);
			old->size = base - old->base;
			insert_at(map, i + 1, &right);
			i += 2;
		} else if (old->base < base) {
			old->size = base - old->base;
			i++;
		} else if (old_end > end) {
			old->host += end - old->base;
			old->size = old_end - end;
			old->base = end;
			i++;
		} else {
			remove_at(map, i);
		}
	}
}

static int map_region(struct machine *m, const struct mem_region *r)
{
	struct phys_map *map = &m->map;
	unsigned index;

	if (r->size == 0 || r->base + r->size < r->base) {
		fprintf(stderr,
			"popek: %s region '%s' at %#llx has a bad size\n",
			kind_name(r->kind), r->name,
			(unsigned long long)r->base);
		return -1;
	}
	for (unsigned i = 0; i < map->count; i++) {
		const struct mem_region *old = &map->regions[i];

		if (old->kind != MEM_RAM &&
		    ranges_overlap(old->base, old->size, r->base, r->size)) {
			fprintf(stderr,
				"popek: %s region '%s' at %#llx overlaps %s region '%s'\n",
				kind_name(r->kind), r->name,
				(unsigned long long)r->base,
				kind_name(old->kind), old->name);
			return -1;
		}
	}
	if (map->count + slots_needed(map, r) > MEM_MAX_REGIONS) {
		fprintf(stderr, "popek: physical map full at region '%s'\n",
			r->name);
		return -1;
	}

	punch_hole(map, r->base, r->size);
	for (index = 0; index < map->count; index++)
		if (map->regions[index].base > r->base)
			break;
	insert_at(map, index, r);
	map->generation++;
	return 0;
}

int mem_map_ram(struct machine *m, uint64_t base, uint64_t size, uint8_t *host,
		const char *name)
{
	struct mem_region r = { .base = base,
				.size = size,
				.kind = MEM_RAM,
				.host = host,
				.name = name };

	return map_region(m, &r);
}

int mem_map_rom(struct machine *m, uint64_t base, uint64_t size, uint8_t *host,
		const char *name)
{
	struct mem_region r = { .base = base,
				.size = size,
				.kind = MEM_ROM,
				.host = host,
				.name = name };

	return map_region(m, &r);
}

int mmio_register(struct machine *m, uint64_t base, uint64_t size, void *dev,
		  mmio_read_fn read, mmio_write_fn write, const char *name)
{
	struct mem_region r = { .base = base,
				.size = size,
				.kind = MEM_MMIO,
				.dev = dev,
				.read = read,
				.write = write,
				.name = name };

	return map_region(m, &r);
}

int mem_unmap(struct machine *m, uint64_t base)
{
	struct phys_map *map = &m->map;

	for (unsigned i = 0; i < map->count; i++) {
		if (map->regions[i].base == base) {
			remove_at(map, i);
			map->generation++;
			return 0;
		}
	}
	return -1;
}

const struct mem_region *mem_lookup(const struct machine *m, uint64_t addr)
{
	const struct phys_map *map = &m->map;
	unsigned lo = 0, hi = map->count;

	/* Binary search for the last region starting at or below addr. */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (map->regions[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct mem_region *r = &map->regions[lo - 1];

	return addr - r->base < r->size ? r : NULL;
}

/* Does any page of this RAM range hold decoded code? */
static bool code_watched(const struct machine *m, uint64_t ram_offset,
			 uint64_t len)
{
	const struct code_watch *cw = &m->code;
	uint64_t first, last;

	if (!cw->bitmap || !cw->invalidate || len == 0)
		return false;
	first = ram_offset >> PAGE_SHIFT;
	last = (ram_offset + len - 1) >> PAGE_SHIFT;
	for (uint64_t page = first; page <= last && page < cw->pages; page++)
		if (cw->bitmap[page / 8] & (1u << (page % 8)))
			return true;
	return false;
}

/*
 * A RAM write of len bytes at addr, within region r, has happened: tell
 * the CPU when it held decoded code from those pages.  The bitmap is
 * indexed by offset into the machine's RAM mapping, which is mapped at
 * physical address 0, so the offset is also the physical address.
 */
static void ram_written(struct machine *m, const struct mem_region *r,
			uint64_t addr, uint64_t len)
{
	uint64_t ram_offset;

	m->map.ram_writes++;
	if (!m->ram || r->host < m->ram || r->host >= m->ram + m->ram_size)
		return;
	ram_offset = (uint64_t)(r->host - m->ram) + (addr - r->base);
	if (code_watched(m, ram_offset, len))
		m->code.invalidate(m->code.opaque, ram_offset, len);
}

uint8_t *mem_page_host(const struct machine *m, uint64_t addr, bool write)
{
	uint64_t page = addr & PAGE_MASK;
	const struct mem_region *r = mem_lookup(m, page);

	if (!r || r->size - (page - r->base) < PAGE_SIZE)
		return NULL;
	if (r->kind == MEM_MMIO || (write && r->kind == MEM_ROM))
		return NULL;
	/*
	 * A page that holds decoded code must be written through phys_write,
	 * which drops the decoded copies; refuse a direct write pointer.
	 */
	if (write && m->ram && r->host >= m->ram &&
	    r->host < m->ram + m->ram_size &&
	    code_watched(m, (uint64_t)(r->host - m->ram) + (page - r->base),
			 PAGE_SIZE))
		return NULL;
	return r->host + (page - r->base);
}

/* The largest naturally aligned access (8, 4, 2 or 1) that fits. */
static unsigned natural_size(uint64_t addr, uint64_t len)
{
	unsigned size = 8;

	while (size > 1 && ((addr & (size - 1)) || size > len))
		size /= 2;
	return size;
}

static void store_le(uint8_t *p, uint64_t value, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(value >> (8 * i));
}

static uint64_t load_le(const uint8_t *p, unsigned size)
{
	uint64_t value = 0;

	for (unsigned i = 0; i < size; i++)
		value |= (uint64_t)p[i] << (8 * i);
	return value;
}

/* How many bytes from addr lie in the same region (or hole) as addr. */
static uint64_t span_from(const struct machine *m, const struct mem_region *r,
			  uint64_t addr, uint64_t len)
{
	uint64_t span;

	if (r) {
		span = r->size - (addr - r->base);
	} else {
		/* An unmapped hole runs up to the next region. */
		const struct phys_map *map = &m->map;

		span = UINT64_MAX - addr + 1;
		for (unsigned i = 0; i < map->count; i++) {
			if (map->regions[i].base > addr) {
				span = map->regions[i].base - addr;
				break;
			}
		}
		if (span == 0) /* addr == 0 with the wrap above */
			span = len;
	}
	return span < len ? span : len;
}

static void mmio_read_bytes(const struct mem_region *r, uint64_t addr,
			    uint8_t *buf, uint64_t len)
{
	while (len > 0) {
		unsigned size = natural_size(addr, len);
		uint64_t value = r->read ?
					 r->read(r->dev, addr - r->base, size) :
					 UINT64_MAX;

		store_le(buf, value, size);
		buf += size;
		addr += size;
		len -= size;
	}
}

static void mmio_write_bytes(const struct mem_region *r, uint64_t addr,
			     const uint8_t *buf, uint64_t len)
{
	while (len > 0) {
		unsigned size = natural_size(addr, len);

		if (r->write)
			r->write(r->dev, addr - r->base, size,
				 load_le(buf, size));
		buf += size;
		addr += size;
		len -= size;
	}
}

void phys_read(struct machine *m, uint64_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len > 0) {
		const struct mem_region *r = mem_lookup(m, addr);
		uint64_t chunk = span_from(m, r, addr, len);

		if (!r)
			memset(out, 0xff, chunk);
		else if (r->kind == MEM_MMIO)
			mmio_read_bytes(r, addr, out, chunk);
		else
			memcpy(out, r->host + (addr - r->base), chunk);
		out += chunk;
		addr += chunk;
		len -= chunk;
	}
}

void phys_write(struct machine *m, uint64_t addr, const void *buf, size_t len)
{
	const uint8_t *in = buf;

	while (len > 0) {
		const struct mem_region *r = mem_lookup(m, addr);
		uint64_t chunk = span_from(m, r, addr, len);

		if (r && r->kind == MEM_MMIO) {
			mmio_write_bytes(r, addr, in, chunk);
		} else if (r && r->kind == MEM_RAM) {
			memcpy(r->host + (addr - r->base), in, chunk);
			ram_written(m, r, addr, chunk);
		}
		/* ROM and unmapped space drop writes. */
		in += chunk;
		addr += chunk;
		len -= chunk;
	}
}

uint64_t phys_read_u(struct machine *m, uint64_t addr, unsigned size)
{
	const struct mem_region *r = mem_lookup(m, addr);
	uint8_t bytes[8];

	if (size == 0 || size > 8)
		return 0;
	/* One MMIO call of the access's own size when it fits the region. */
	if (r && r->kind == MEM_MMIO && r->size - (addr - r->base) >= size) {
		uint64_t value = r->read ?
					 r->read(r->dev, addr - r->base, size) :
					 UINT64_MAX;

		return size == 8 ? value : value & ((1ull << (8 * size)) - 1);
	}
	phys_read(m, addr, bytes, size);
	return load_le(bytes, size);
}

void phys_write_u(struct machine *m, uint64_t addr, unsigned size,
		  uint64_t value)
{
	const struct mem_region *r = mem_lookup(m, addr);
	uint8_t bytes[8];

	if (size == 0 || size > 8)
		return;
	if (size < 8)
		value &= (1ull << (8 * size)) - 1;
	if (r && r->kind == MEM_MMIO && r->size - (addr - r->base) >= size) {
		if (r->write)
			r->write(r->dev, addr - r->base, size, value);
		return;
	}
	store_le(bytes, value, size);
	phys_write(m, addr, bytes, size);
}

void machine_ram_written(struct machine *m, uint64_t addr, uint64_t len)
{
	while (len > 0) {
		const struct mem_region *r = mem_lookup(m, addr);
		uint64_t chunk = span_from(m, r, addr, len);

		if (r && r->kind == MEM_RAM)
			ram_written(m, r, addr, chunk);
		addr += chunk;
		len -= chunk;
	}
}
