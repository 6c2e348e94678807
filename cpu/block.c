// SPDX-License-Identifier: MIT
/*
 * Decoded blocks: short straight-line runs of decoded instructions, cached
 * by the physical address of their first byte.  A block never crosses a
 * page, so a write to a page drops exactly the blocks decoded from it;
 * the machine's code-watch bitmap routes such writes here.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cpu/interp.h"
#include "machine/machine.h"

#define BLOCK_MAX_INSNS 64
#define BLOCK_HASH_SIZE 16384
#define BLOCK_ARENA_SIZE (32u << 20)

struct block {
	uint64_t phys;
	uint32_t key; /* decoding mode: 16-, 32- or 64-bit code */
	uint32_t n; /* instructions */
	uint32_t bytes; /* code bytes covered */
	bool valid;
	struct block *hash_next;
	struct block *page_next;
	struct insn insns[];
};

struct block_cache {
	uint8_t *arena;
	size_t used;
	struct block *hash[BLOCK_HASH_SIZE];
	struct block **page_head; /* per RAM page */
	uint64_t *chunks; /* per RAM page: 64-byte chunks holding code */
	uint64_t ram_pages;
	uint64_t built, flushes;
};

struct block_cache *block_cache_create(struct machine *m)
{
	struct block_cache *bc = calloc(1, sizeof(*bc));

	if (!bc)
		return NULL;
	bc->arena = malloc(BLOCK_ARENA_SIZE);
	bc->ram_pages = m->ram_size >> PAGE_SHIFT;
	bc->page_head = calloc(bc->ram_pages ? bc->ram_pages : 1,
			       sizeof(*bc->page_head));
	bc->chunks = calloc(bc->ram_pages ? bc->ram_pages : 1,
			    sizeof(*bc->chunks));
	if (!bc->arena || !bc->page_head || !bc->chunks) {
		free(bc->arena);
		free(bc->page_head);
		free(bc->chunks);
		free(bc);
		return NULL;
	}
	return bc;
}

void block_cache_destroy(struct block_cache *bc)
{
	if (!bc)
		return;
	free(bc->arena);
	free(bc->page_head);
	free(bc->chunks);
	free(bc);
}

static unsigned block_hash(uint64_t phys, uint32_t key)
{
	return (unsigned)((phys ^ (phys >> 14) ^ key) & (BLOCK_HASH_SIZE - 1));
}

static void code_bit_set(struct machine *m, uint64_t page, bool on)
{
	if (!m->code.bitmap || page >= m->code.pages)
		return;
	if (on)
		m->code.bitmap[page >> 3] |= (uint8_t)(1u << (page & 7));
	else
		m->code.bitmap[page >> 3] &= (uint8_t)~(1u << (page & 7));
}

void block_cache_flush(struct cpu *c)
{
	struct block_cache *bc = c->blocks;

	bc->used = 0;
	memset(bc->hash, 0, sizeof(bc->hash));
	memset(bc->page_head, 0, bc->ram_pages * sizeof(*bc->page_head));
	memset(bc->chunks, 0, bc->ram_pages * sizeof(*bc->chunks));
	if (c->m->code.bitmap)
		memset(c->m->code.bitmap, 0, (c->m->code.pages + 7) / 8);
	bc->flushes++;
	c->translation_gen++; /* the jump cache points into the arena */
	c->end_block = true;
}

/* The 64-byte chunks of a page that [off, off + len) touches. */
static uint64_t chunk_bits(uint64_t off, uint64_t len)
{
	uint64_t first = off >> 6, last = (off + len - 1) >> 6;

	if (last - first >= 63)
		return ~0ull;
	return ((2ull << (last - first)) - 1) << first;
}

/*
 * Bytes [addr, addr + len) of one page were written: drop the blocks
 * decoded from those bytes, and keep the rest (code and data often share
 * a page).  Returns whether anything was dropped.
 */
static bool invalidate_in_page(struct cpu *c, uint64_t page, uint64_t addr,
			       uint64_t len)
{
	struct block_cache *bc = c->blocks;
	struct block **pp = &bc->page_head[page];
	uint64_t kept = 0;
	bool dropped = false;

	if (!(bc->chunks[page] & chunk_bits(addr & (PAGE_SIZE - 1), len)))
		return false;
	while (*pp) {
		struct block *b = *pp;

		if (b->phys < addr + len && addr < b->phys + b->bytes) {
			b->valid = false;
			*pp = b->page_next;
			dropped = true;
			continue;
		}
		kept |= chunk_bits(b->phys & (PAGE_SIZE - 1), b->bytes);
		pp = &b->page_next;
	}
	bc->chunks[page] = kept;
	if (!bc->page_head[page])
		code_bit_set(c->m, page, false);
	return dropped;
}

/* A write reached a code page (the code-watch hook, and the CPU's own
 * stores to code pages). */
void block_cache_invalidate(void *opaque, uint64_t addr, uint64_t len)
{
	struct cpu *c = opaque;
	struct block_cache *bc = c->blocks;
	uint64_t end = addr + (len ? len : 1);

	while (addr < end) {
		uint64_t page = addr >> PAGE_SHIFT;
		uint64_t page_end = (page + 1) << PAGE_SHIFT;
		uint64_t n = (end < page_end ? end : page_end) - addr;

		if (page >= bc->ram_pages)
			break;
		/* The running block may be among them: stop after this
		 * instruction. */
		if (invalidate_in_page(c, page, addr, n))
			c->end_block = true;
		addr += n;
	}
}

static struct block *block_lookup(struct block_cache *bc, uint64_t phys,
				  uint32_t key)
{
	struct block **pp = &bc->hash[block_hash(phys, key)];

	while (*pp) {
		struct block *b = *pp;

		if (!b->valid) {
			*pp = b->hash_next; /* unlink stale entries lazily */
			continue;
		}
		if (b->phys == phys && b->key == key)
			return b;
		pp = &b->hash_next;
	}
	return NULL;
}

/*
 * Decode a block from host bytes of one page.  Returns NULL when the first
 * instruction runs past the page (the caller decodes it on its own).
 */
static struct block *block_build(struct cpu *c, uint64_t phys,
				 const uint8_t *host, uint32_t key,
				 uint64_t eip, uint64_t cs_limit)
{
	struct block_cache *bc = c->blocks;
	size_t need = sizeof(struct block) +
		      BLOCK_MAX_INSNS * sizeof(struct insn);
	size_t avail = PAGE_SIZE - (phys & (PAGE_SIZE - 1));
	size_t off = 0;
	struct block *b;

	if (bc->used + need > BLOCK_ARENA_SIZE)
		block_cache_flush(c);
	b = (struct block *)(bc->arena + bc->used);
	b->phys = phys;
	b->key = key;
	b->n = 0;
	while (b->n < BLOCK_MAX_INSNS) {
		struct insn *i = &b->insns[b->n];
		int len = decode_insn(host + off, avail - off, (int)key, i);

		if (len == 0)
			break; /* runs past the page */
		/* Past the CS limit: leave it to a fresh block that faults. */
		if (eip + off + (uint64_t)len - 1 > cs_limit)
			break;
		b->n++;
		off += (size_t)len;
		if (i->ends_block || off >= avail)
			break;
	}
	if (b->n == 0)
		return NULL;
	b->bytes = (uint32_t)off;
	b->valid = true;
	bc->used += (sizeof(struct block) + b->n * sizeof(struct insn) + 15) &
		    ~(size_t)15;
	b->hash_next = bc->hash[block_hash(phys, key)];
	bc->hash[block_hash(phys, key)] = b;
	if ((phys >> PAGE_SHIFT) < bc->ram_pages) {
		uint64_t page = phys >> PAGE_SHIFT;

		b->page_next = bc->page_head[page];
		bc->page_head[page] = b;
		bc->chunks[page] |= chunk_bits(phys & (PAGE_SIZE - 1), off);
		if (!(c->m->code.bitmap &&
		      (c->m->code.bitmap[page >> 3] & (1u << (page & 7))))) {
			code_bit_set(c->m, page, true);
			/* Writes to this page must now take the slow path. */
			tlb_flush_phys_page(c, phys & PAGE_MASK);
		}
	}
	bc->built++;
	return b;
}

/* Run the instructions of one decoded sequence, at most max of them. */
static void run_insns(struct cpu *c, const struct insn *insns, uint32_t n,
		      uint64_t max)
{
	uint64_t *cycles = &c->m->clock.cycles;

	if (n > max)
		n = (uint32_t)max;
	c->end_block = false;
	for (uint32_t k = 0; k < n; k++) {
		const struct insn *i = &insns[k];

		c->next_rip = c->s.rip + i->len;
		i->fn(c, i);
		c->s.rip = c->next_rip;
		c->icount++;
		(*cycles)++;
		if (unlikely(c->end_block))
			break;
	}
}

/* The CS limit for fetches: none in 64-bit mode. */
static uint64_t fetch_limit(const struct cpu *c)
{
	return c->mode64 ? ~0ull : c->s.seg[SEG_CS].limit;
}

static uint64_t fetch_linear(const struct cpu *c, uint64_t rip)
{
	if (c->mode64)
		return rip;
	return (c->s.seg[SEG_CS].base + rip) & 0xffffffffu;
}

/* Fetch up to 15 bytes at CS:RIP through linear reads (may fault). */
static size_t fetch_slow(struct cpu *c, uint64_t rip, uint8_t *buf)
{
	uint64_t limit = fetch_limit(c);
	size_t n = 0;

	c->debug_fetch = true; /* not a data access for watchpoints */
	while (n < 15 && rip + n <= limit) {
		buf[n] = (uint8_t)lin_read(c, fetch_linear(c, rip + n), 1);
		n++;
	}
	c->debug_fetch = false;
	return n;
}

/* Decode and run one instruction that no block can hold. */
static void run_uncached(struct cpu *c, uint64_t rip)
{
	uint8_t buf[15];
	struct insn i;
	size_t n = fetch_slow(c, rip, buf);
	int len = decode_insn(buf, n, code_mode(c), &i);

	if (len == 0)
		cpu_raise_error(c, EXC_GP, 0); /* runs past the CS limit */
	run_insns(c, &i, 1, 1);
}

static struct jump_entry *jump_slot(struct cpu *c, uint64_t lin)
{
	return &c->jump_cache[(lin ^ (lin >> 10)) & (JUMP_CACHE_SIZE - 1)];
}

void cpu_execute_some(struct cpu *c, uint64_t max_insns)
{
	uint64_t rip = c->s.rip;
	uint64_t limit = fetch_limit(c);
	/* The decoding mode, and whose permissions the fetch used. */
	uint32_t key = (uint32_t)code_mode(c) | (c->tlbp == c->tlb[1] ? 4 : 0);
	uint64_t lin = fetch_linear(c, rip);
	struct jump_entry *j = jump_slot(c, lin);
	struct tlb_entry *e;
	struct block *b;
	uint64_t phys;

	if (rip > limit)
		cpu_raise_error(c, EXC_GP, 0);
	if (likely(j->lin == lin && j->gen == c->translation_gen &&
		   j->key == key && j->b->valid &&
		   rip + j->b->bytes - 1 <= limit)) {
		run_insns(c, j->b->insns, j->b->n, max_insns);
		return;
	}
	e = tlb_slot(c, lin);
	if (e->tag_exec != (lin & ~0xfffull) ||
	    e->tag_read != (lin & ~0xfffull)) {
		e = tlb_fill_exec(c, lin); /* fills the TLB or faults */
		if (e->tag_read != (lin & ~0xfffull)) {
			run_uncached(c, rip); /* code in MMIO */
			return;
		}
	}
	phys = e->phys_page | (lin & 0xfff);
	b = block_lookup(c->blocks, phys, key & 3);
	if (!b) {
		b = block_build(c, phys, (const uint8_t *)(e->addend + lin),
				key & 3, rip, limit);
		if (!b) {
			run_uncached(c, rip);
			return;
		}
	} else if (rip + b->bytes - 1 > limit) {
		run_uncached(c, rip); /* the limit shrank under the block */
		return;
	}
	j->lin = lin;
	j->gen = c->translation_gen;
	j->key = key;
	j->b = b;
	run_insns(c, b->insns, b->n, max_insns);
}
