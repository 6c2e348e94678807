/* SPDX-License-Identifier: MIT */
/*
 * The gdb Remote Serial Protocol's framing (gdb manual, "Overview" of
 * the remote protocol): $payload#xx with a modulo-256 checksum, '+' and
 * '-' acknowledgements, 0x03 to interrupt; and the hex and binary
 * encodings packets use.  No I/O here, so the parser can be fuzzed.
 */
#ifndef POPEK_DEBUGGER_GDB_PACKET_H
#define POPEK_DEBUGGER_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDB_PACKET_MAX 16384 /* what qSupported announces (0x4000) */

enum gdb_rx_event {
	GDB_RX_NONE, /* keep feeding */
	GDB_RX_PACKET, /* rx->buf[0..len) is a packet, NUL-terminated */
	GDB_RX_BAD, /* checksum wrong or packet too long: send '-' */
	GDB_RX_INTERRUPT, /* 0x03 outside a packet */
	GDB_RX_ACK,
	GDB_RX_NACK,
};

struct gdb_rx {
	int state;
	char buf[GDB_PACKET_MAX + 1];
	size_t len;
	uint8_t sum, got;
	bool overflow;
};

void gdb_rx_init(struct gdb_rx *rx);
enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t byte);

/* Frame payload as $payload#xx into out (size cap); its length, or 0. */
size_t gdb_frame(const char *payload, size_t len, char *out, size_t cap);

/* Hex digits to bytes: the count, or -1 on a bad digit or odd length. */
int gdb_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t cap);
void gdb_hex_encode(const uint8_t *in, size_t len, char *out);
/* X packets' binary data: '}' escapes the next byte (xor 0x20). */
int gdb_unescape(const char *in, size_t len, uint8_t *out, size_t cap);
/* A hexadecimal number up to a delimiter; *end after it. false: none. */
bool gdb_parse_hex(const char *s, uint64_t *v, const char **end);

#endif
