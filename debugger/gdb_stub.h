/* SPDX-License-Identifier: MIT */
/* The gdb remote stub (gdb_stub.c), as the debugger core drives it. */
#ifndef POPEK_DEBUGGER_GDB_STUB_H
#define POPEK_DEBUGGER_GDB_STUB_H

#include <stdbool.h>
#include <stdint.h>

struct debugger;
struct gdb_stub;

/* Listen on 127.0.0.1:port; NULL after one line on stderr. */
struct gdb_stub *gdb_stub_create(struct debugger *d, int port);
void gdb_stub_destroy(struct gdb_stub *g);

/* While the guest runs: accept a client, notice its Ctrl-C (0x03). */
void gdb_stub_poll(struct gdb_stub *g);

/* Whether a client is attached. */
bool gdb_stub_attached(const struct gdb_stub *g);

/*
 * The guest stopped: tell the client (if it asked to run) and serve it
 * until it resumes, detaches or goes away.  wait: block for a client
 * first (-S).  Returns true when the client resumed the guest (the
 * debugger's run state is set), false when no client is there.
 */
bool gdb_stub_stopped(struct gdb_stub *g, bool wait);

/* What stopped the guest, for the next stop reply. */
void gdb_stub_note_watch(struct gdb_stub *g, int kind, uint64_t addr);
void gdb_stub_note_mode_change(struct gdb_stub *g);

#endif
