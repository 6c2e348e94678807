/* SPDX-License-Identifier: MIT */
/*
 * Breakpoints and watchpoints: the tables the debugger keeps, with no
 * knowledge of the machine.  Nothing here writes guest memory; engines
 * are told where to stop (debugger/debug_config.h).
 */
#ifndef POPEK_DEBUGGER_BREAKPOINTS_H
#define POPEK_DEBUGGER_BREAKPOINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BP_MAX 64
#define WATCH_MAX 64
#define BP_COND_MAX 128

enum bp_kind {
	BP_VIRTUAL, /* seg:off: matches when CS == seg and RIP == off */
	BP_LINEAR,
	BP_PHYSICAL,
};

/* Who set it: the command line, gdb, or the debugger itself (`n`). */
enum bp_owner { BP_OWNER_USER, BP_OWNER_GDB };

struct breakpoint {
	unsigned id; /* 1, 2, ...; 0: free slot */
	enum bp_kind kind;
	enum bp_owner owner;
	uint16_t seg; /* BP_VIRTUAL */
	uint64_t addr; /* offset, linear or physical address */
	bool enabled;
	char cond[BP_COND_MAX]; /* "" or an expression */
	uint64_t hits;
};

enum watch_kind { WATCH_READ = 1, WATCH_WRITE = 2, WATCH_ACCESS = 3 };

struct watchpoint {
	unsigned id; /* 0: free slot */
	bool physical;
	enum bp_owner owner;
	enum watch_kind kind;
	uint64_t addr, len;
	uint64_t hits;
};

struct bp_table {
	struct breakpoint bp[BP_MAX];
	struct watchpoint wp[WATCH_MAX];
	unsigned next_id; /* shared by both, as in Bochs's listing */
};

void bp_table_init(struct bp_table *t);

/* Returns the new id, or 0 when the table is full or cond too long. */
unsigned bp_add(struct bp_table *t, enum bp_kind kind, uint16_t seg,
		uint64_t addr, const char *cond, enum bp_owner owner);
/* Returns 0, or -1 when no breakpoint has that id. */
int bp_delete(struct bp_table *t, unsigned id);
int bp_enable(struct bp_table *t, unsigned id, bool on);
struct breakpoint *bp_find(struct bp_table *t, unsigned id);
/* The breakpoint of this owner, kind and address, or NULL. */
struct breakpoint *bp_lookup(struct bp_table *t, enum bp_kind kind,
			     uint16_t seg, uint64_t addr, enum bp_owner owner);
unsigned bp_count(const struct bp_table *t, bool enabled_only);

/*
 * The first enabled breakpoint at or after slot *cursor matching an
 * instruction at cs:rip, linear address lin and physical address phys
 * (phys_ok false: the instruction's page is not mapped).  *cursor moves
 * past it, so callers can look for further matches.
 */
struct breakpoint *bp_match(struct bp_table *t, unsigned *cursor, uint16_t cs,
			    uint64_t rip, uint64_t lin, uint64_t phys,
			    bool phys_ok);

/* Returns the new id, or 0 (full, zero length, range wraps). */
unsigned watch_add(struct bp_table *t, bool physical, enum watch_kind kind,
		   uint64_t addr, uint64_t len, enum bp_owner owner);
int watch_delete(struct bp_table *t, unsigned id);
struct watchpoint *watch_lookup(struct bp_table *t, bool physical,
				enum watch_kind kind, uint64_t addr,
				uint64_t len, enum bp_owner owner);
unsigned watch_count(const struct bp_table *t);

/* The first watchpoint an access of [addr, addr + size) hits. */
struct watchpoint *watch_match(struct bp_table *t, bool physical,
			       uint64_t addr, uint64_t size, bool write);

/* Whether any watchpoint covers part of the 4 KiB page at page. */
bool watch_on_page(const struct bp_table *t, bool physical, uint64_t page);

#endif
