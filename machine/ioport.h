/* SPDX-License-Identifier: MIT */
/* The port-I/O bus: 64 Ki ports, each routed to at most one device. */
#ifndef POPEK_MACHINE_IOPORT_H
#define POPEK_MACHINE_IOPORT_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

/* size is 1, 2 or 4; port is the port actually accessed. */
typedef uint32_t (*io_read_fn)(void *dev, uint16_t port, unsigned size);
typedef void (*io_write_fn)(void *dev, uint16_t port, unsigned size,
			    uint32_t value);

struct io_handler {
	void *dev;
	io_read_fn read; /* NULL: reads give all ones */
	io_write_fn write; /* NULL: writes are dropped */
	const char *name;
};

struct io_bus {
	/* One slot per port; NULL for an unclaimed port. */
	const struct io_handler *port[65536];
	struct io_handler handlers[256];
	unsigned handler_count;
	uint64_t reads, writes; /* counters for -stats */
	/* Accesses by the port they were addressed to, for -stats. */
	uint64_t port_reads[65536], port_writes[65536];
	/*
	 * The debugger's I/O breakpoints: called for every access while
	 * set (after a read, with the value read), from any engine.
	 */
	void (*debug_hook)(void *opaque, uint16_t port, unsigned size,
			   bool write, uint32_t value);
	void *debug_opaque;
};

/*
 * Claim count ports from port on.  Returns 0, or -1 with a message on
 * stderr when a port is already claimed.
 */
int io_register(struct machine *m, uint16_t port, unsigned count, void *dev,
		io_read_fn read, io_write_fn write, const char *name);

/* An access of size 1, 2 or 4; unclaimed ports read as all ones. */
uint32_t io_read(struct machine *m, uint16_t port, unsigned size);
void io_write(struct machine *m, uint16_t port, unsigned size, uint32_t value);

#endif
