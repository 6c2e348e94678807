// placeholder
#include "debugger/gdb_stub.h"
#include <stddef.h>
struct gdb_stub *gdb_stub_create(struct debugger *d, int port) { (void)d; (void)port; return NULL; }
void gdb_stub_destroy(struct gdb_stub *g) { (void)g; }
void gdb_stub_poll(struct gdb_stub *g) { (void)g; }
bool gdb_stub_attached(const struct gdb_stub *g) { (void)g; return false; }
bool gdb_stub_stopped(struct gdb_stub *g, bool wait) { (void)g; (void)wait; return false; }
void gdb_stub_note_watch(struct gdb_stub *g, int kind, uint64_t addr) { (void)g; (void)kind; (void)addr; }
void gdb_stub_note_mode_change(struct gdb_stub *g) { (void)g; }
