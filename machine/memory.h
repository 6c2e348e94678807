/* SPDX-License-Identifier: MIT */
/*
 * Guest physical memory: one host mapping for RAM, and a map of regions
 * (RAM, ROM, MMIO) that every engine and device goes through.
 */
#ifndef POPEK_MACHINE_MEMORY_H
#define POPEK_MACHINE_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)
#define PAGE_MASK (~(uint64_t)(PAGE_SIZE - 1))

enum mem_kind {
	MEM_RAM, /* host-backed, read/write */
	MEM_ROM, /* host-backed, writes ignored */
	MEM_MMIO, /* callbacks */
};

/* MMIO callbacks; size is 1, 2, 4 or 8, offset is from the region base. */
typedef uint64_t (*mmio_read_fn)(void *dev, uint64_t offset, unsigned size);
typedef void (*mmio_write_fn)(void *dev, uint64_t offset, unsigned size,
			      uint64_t value);

struct mem_region {
	uint64_t base;
	uint64_t size;
	enum mem_kind kind;
	uint8_t *host; /* RAM and ROM: the bytes at base */
	void *dev; /* MMIO */
	mmio_read_fn read;
	mmio_write_fn write;
	const char *name;
};

#define MEM_MAX_REGIONS 64

struct phys_map {
	struct mem_region regions[MEM_MAX_REGIONS]; /* sorted by base */
	unsigned count;
	/* Bumped on every change, so engines know to drop cached mappings. */
	uint64_t generation;
	/*
	 * Bumped on every RAM write through phys_write or
	 * machine_ram_written (devices, DMA, the debugger), so an engine
	 * that hands RAM to hardware (KVM on shadow paging) can tell.
	 */
	uint64_t ram_writes;
};

/*
 * Register a region.  Regions may not overlap, except that a later region
 * may punch a hole in RAM (the VGA window, for example): RAM is then split.
 * Returns 0, or -1 with a message on stderr when the map is full or the
 * region overlaps something other than RAM.
 */
int mem_map_ram(struct machine *m, uint64_t base, uint64_t size,
		uint8_t *host, const char *name);
int mem_map_rom(struct machine *m, uint64_t base, uint64_t size,
		uint8_t *host, const char *name);
int mmio_register(struct machine *m, uint64_t base, uint64_t size, void *dev,
		  mmio_read_fn read, mmio_write_fn write, const char *name);

/*
 * Remove the region that starts at base (a PCI BAR moved or turned off).
 * RAM that the region once cut a hole in is not put back.  Returns 0, or
 * -1 when no region starts there.
 */
int mem_unmap(struct machine *m, uint64_t base);

/* The region holding addr, or NULL for unmapped space. */
const struct mem_region *mem_lookup(const struct machine *m, uint64_t addr);

/*
 * Host pointer for the page holding addr when the whole page is RAM (or ROM
 * and !write); NULL otherwise.  This is what software TLBs cache.
 */
uint8_t *mem_page_host(const struct machine *m, uint64_t addr, bool write);

/*
 * Slow-path physical accesses of any length: RAM, ROM (writes dropped),
 * MMIO (split into naturally sized calls), unmapped space (reads give all
 * ones, writes are dropped).
 */
void phys_read(struct machine *m, uint64_t addr, void *buf, size_t len);
void phys_write(struct machine *m, uint64_t addr, const void *buf, size_t len);
uint64_t phys_read_u(struct machine *m, uint64_t addr, unsigned size);
void phys_write_u(struct machine *m, uint64_t addr, unsigned size,
		  uint64_t value);

#endif
