// SPDX-License-Identifier: MIT
/*
 * The port-I/O bus.  An access of 2 or 4 bytes at port p touches ports
 * p .. p+size-1 (SDM Vol. 1 §18.2): when one device owns all of them it
 * gets the access whole, otherwise the access is split into bytes, each
 * going to its own port's owner, as the ISA bus does.
 */
#include <stdio.h>

#include "machine/machine.h"

int io_register(struct machine *m, uint16_t port, unsigned count, void *dev,
		io_read_fn read, io_write_fn write, const char *name)
{
	struct io_bus *bus = &m->io;
	struct io_handler *h;

	if (count == 0 || port + count > 65536) {
		fprintf(stderr, "popek: device '%s': bad port range %#x+%u\n",
			name, port, count);
		return -1;
	}
	for (unsigned p = port; p < port + count; p++) {
		if (bus->port[p]) {
			fprintf(stderr,
				"popek: device '%s': port %#x already belongs to '%s'\n",
				name, p, bus->port[p]->name);
			return -1;
		}
	}
	if (bus->handler_count ==
	    sizeof(bus->handlers) / sizeof(bus->handlers[0])) {
		fprintf(stderr, "popek: device '%s': too many I/O handlers\n",
			name);
		return -1;
	}
	h = &bus->handlers[bus->handler_count++];
	h->dev = dev;
	h->read = read;
	h->write = write;
	h->name = name;
	for (unsigned p = port; p < port + count; p++)
		bus->port[p] = h;
	return 0;
}

static uint32_t all_ones(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* Does one handler own every port the access touches? */
static const struct io_handler *sole_owner(const struct io_bus *bus,
					   uint16_t port, unsigned size)
{
	const struct io_handler *h = bus->port[port];

	for (unsigned i = 1; i < size; i++)
		if (bus->port[(uint16_t)(port + i)] != h)
			return NULL;
	return h;
}

static uint32_t read_one(const struct io_handler *h, uint16_t port,
			 unsigned size)
{
	if (!h || !h->read)
		return all_ones(size);
	return h->read(h->dev, port, size) & all_ones(size);
}

uint32_t io_read(struct machine *m, uint16_t port, unsigned size)
{
	struct io_bus *bus = &m->io;
	const struct io_handler *h;
	uint32_t value = 0;

	if (size != 1 && size != 2 && size != 4)
		return 0xffffffffu;
	bus->reads++;
	bus->port_reads[port]++;
	h = sole_owner(bus, port, size);
	if (h || size == 1) {
		value = read_one(bus->port[port], port, size);
	} else {
		for (unsigned i = 0; i < size; i++) {
			uint16_t p = (uint16_t)(port + i);

			value |= read_one(bus->port[p], p, 1) << (8 * i);
		}
	}
	if (bus->debug_hook)
		bus->debug_hook(bus->debug_opaque, port, size, false, value);
	return value;
}

static void write_one(const struct io_handler *h, uint16_t port, unsigned size,
		      uint32_t value)
{
	if (h && h->write)
		h->write(h->dev, port, size, value & all_ones(size));
}

void io_write(struct machine *m, uint16_t port, unsigned size, uint32_t value)
{
	struct io_bus *bus = &m->io;
	const struct io_handler *h;

	if (size != 1 && size != 2 && size != 4)
		return;
	bus->writes++;
	bus->port_writes[port]++;
	if (bus->debug_hook)
		bus->debug_hook(bus->debug_opaque, port, size, true, value);
	h = sole_owner(bus, port, size);
	if (h || size == 1) {
		write_one(bus->port[port], port, size, value);
		return;
	}
	for (unsigned i = 0; i < size; i++) {
		uint16_t p = (uint16_t)(port + i);

		write_one(bus->port[p], p, 1, value >> (8 * i));
	}
}
