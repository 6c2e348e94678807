// SPDX-License-Identifier: MIT
/*
 * The breakpoint and watchpoint tables: fixed arrays, ids that never
 * repeat within a session, range checks that cannot overflow.
 */
#include <string.h>

#include "debugger/breakpoints.h"

void bp_table_init(struct bp_table *t)
{
	memset(t, 0, sizeof(*t));
	t->next_id = 1;
}

unsigned bp_add(struct bp_table *t, enum bp_kind kind, uint16_t seg,
		uint64_t addr, const char *cond, enum bp_owner owner)
{
	size_t len = cond ? strlen(cond) : 0;

	if (len >= BP_COND_MAX)
		return 0;
	for (unsigned k = 0; k < BP_MAX; k++) {
		struct breakpoint *b = &t->bp[k];

		if (b->id)
			continue;
		memset(b, 0, sizeof(*b));
		b->id = t->next_id++;
		b->kind = kind;
		b->owner = owner;
		b->seg = seg;
		b->addr = addr;
		b->enabled = true;
		if (len)
			memcpy(b->cond, cond, len + 1);
		return b->id;
	}
	return 0;
}

struct breakpoint *bp_find(struct bp_table *t, unsigned id)
{
	if (!id)
		return NULL;
	for (unsigned k = 0; k < BP_MAX; k++)
		if (t->bp[k].id == id)
			return &t->bp[k];
	return NULL;
}

int bp_delete(struct bp_table *t, unsigned id)
{
	struct breakpoint *b = bp_find(t, id);

	if (!b)
		return -1;
	b->id = 0;
	return 0;
}

int bp_enable(struct bp_table *t, unsigned id, bool on)
{
	struct breakpoint *b = bp_find(t, id);

	if (!b)
		return -1;
	b->enabled = on;
	return 0;
}

struct breakpoint *bp_lookup(struct bp_table *t, enum bp_kind kind,
			     uint16_t seg, uint64_t addr, enum bp_owner owner)
{
	for (unsigned k = 0; k < BP_MAX; k++) {
		struct breakpoint *b = &t->bp[k];

		if (b->id && b->kind == kind && b->owner == owner &&
		    b->addr == addr && (kind != BP_VIRTUAL || b->seg == seg))
			return b;
	}
	return NULL;
}

unsigned bp_count(const struct bp_table *t, bool enabled_only)
{
	unsigned n = 0;

	for (unsigned k = 0; k < BP_MAX; k++)
		if (t->bp[k].id && (!enabled_only || t->bp[k].enabled))
			n++;
	return n;
}

struct breakpoint *bp_match(struct bp_table *t, unsigned *cursor, uint16_t cs,
			    uint64_t rip, uint64_t lin, uint64_t phys,
			    bool phys_ok)
{
	for (unsigned k = *cursor; k < BP_MAX; k++) {
		struct breakpoint *b = &t->bp[k];
		bool hit;

		if (!b->id || !b->enabled)
			continue;
		switch (b->kind) {
		case BP_VIRTUAL:
			hit = b->seg == cs && b->addr == rip;
			break;
		case BP_LINEAR:
			hit = b->addr == lin;
			break;
		default:
			hit = phys_ok && b->addr == phys;
			break;
		}
		if (hit) {
			*cursor = k + 1;
			return b;
		}
	}
	*cursor = BP_MAX;
	return NULL;
}

unsigned watch_add(struct bp_table *t, bool physical, enum watch_kind kind,
		   uint64_t addr, uint64_t len, enum bp_owner owner)
{
	if (len == 0 || addr + len - 1 < addr ||
	    kind < WATCH_READ || kind > WATCH_ACCESS)
		return 0;
	for (unsigned k = 0; k < WATCH_MAX; k++) {
		struct watchpoint *w = &t->wp[k];

		if (w->id)
			continue;
		memset(w, 0, sizeof(*w));
		w->id = t->next_id++;
		w->physical = physical;
		w->owner = owner;
		w->kind = kind;
		w->addr = addr;
		w->len = len;
		return w->id;
	}
	return 0;
}

int watch_delete(struct bp_table *t, unsigned id)
{
	for (unsigned k = 0; k < WATCH_MAX; k++)
		if (id && t->wp[k].id == id) {
			t->wp[k].id = 0;
			return 0;
		}
	return -1;
}

struct watchpoint *watch_lookup(struct bp_table *t, bool physical,
				enum watch_kind kind, uint64_t addr,
				uint64_t len, enum bp_owner owner)
{
	for (unsigned k = 0; k < WATCH_MAX; k++) {
		struct watchpoint *w = &t->wp[k];

		if (w->id && w->physical == physical && w->kind == kind &&
		    w->addr == addr && w->len == len && w->owner == owner)
			return w;
	}
	return NULL;
}

unsigned watch_count(const struct bp_table *t)
{
	unsigned n = 0;

	for (unsigned k = 0; k < WATCH_MAX; k++)
		if (t->wp[k].id)
			n++;
	return n;
}

/* Whether [a, a + alen) and [b, b + blen) share a byte; lengths >= 1. */
static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	uint64_t a_last = a + (alen - 1), b_last = b + (blen - 1);

	if (a_last < a)
		a_last = UINT64_MAX;
	if (b_last < b)
		b_last = UINT64_MAX;
	return a <= b_last && b <= a_last;
}

struct watchpoint *watch_match(struct bp_table *t, bool physical,
			       uint64_t addr, uint64_t size, bool write)
{
	unsigned need = write ? WATCH_WRITE : WATCH_READ;

	if (!size)
		return NULL;
	for (unsigned k = 0; k < WATCH_MAX; k++) {
		struct watchpoint *w = &t->wp[k];

		if (w->id && w->physical == physical && (w->kind & need) &&
		    overlap(addr, size, w->addr, w->len))
			return w;
	}
	return NULL;
}

bool watch_on_page(const struct bp_table *t, bool physical, uint64_t page)
{
	page &= ~0xfffull;
	for (unsigned k = 0; k < WATCH_MAX; k++) {
		const struct watchpoint *w = &t->wp[k];

		if (w->id && w->physical == physical &&
		    overlap(page, 0x1000, w->addr, w->len))
			return true;
	}
	return false;
}
