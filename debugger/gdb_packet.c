// SPDX-License-Identifier: MIT
/*
 * Remote Serial Protocol framing and encodings.  Every input byte is
 * accepted in any order; a packet longer than GDB_PACKET_MAX is
 * answered with '-' and dropped, never written past the buffer.
 */
#include <string.h>

#include "debugger/gdb_packet.h"

enum { RX_IDLE, RX_DATA, RX_SUM1, RX_SUM2 };

void gdb_rx_init(struct gdb_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t c)
{
	int v;

	switch (rx->state) {
	case RX_IDLE:
		if (c == '$') {
			rx->state = RX_DATA;
			rx->len = 0;
			rx->sum = 0;
			rx->overflow = false;
			return GDB_RX_NONE;
		}
		if (c == 0x03)
			return GDB_RX_INTERRUPT;
		if (c == '+')
			return GDB_RX_ACK;
		if (c == '-')
			return GDB_RX_NACK;
		return GDB_RX_NONE;
	case RX_DATA:
		if (c == '$') { /* a new start: the old one was broken */
			rx->len = 0;
			rx->sum = 0;
			rx->overflow = false;
			return GDB_RX_NONE;
		}
		if (c == '#') {
			rx->state = RX_SUM1;
			return GDB_RX_NONE;
		}
		rx->sum = (uint8_t)(rx->sum + c);
		if (rx->len < GDB_PACKET_MAX)
			rx->buf[rx->len++] = (char)c;
		else
			rx->overflow = true;
		return GDB_RX_NONE;
	case RX_SUM1:
		v = hexval(c);
		rx->got = (uint8_t)((v < 0 ? 0 : v) << 4);
		rx->state = v < 0 ? RX_IDLE : RX_SUM2;
		return v < 0 ? GDB_RX_BAD : GDB_RX_NONE;
	default:
		v = hexval(c);
		rx->state = RX_IDLE;
		if (v < 0 || (uint8_t)(rx->got | v) != rx->sum || rx->overflow)
			return GDB_RX_BAD;
		rx->buf[rx->len] = '\0';
		return GDB_RX_PACKET;
	}
}

size_t gdb_frame(const char *payload, size_t len, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t sum = 0;

	if (len + 4 > cap)
		return 0;
	out[0] = '$';
	for (size_t k = 0; k < len; k++) {
		out[1 + k] = payload[k];
		sum = (uint8_t)(sum + (uint8_t)payload[k]);
	}
	out[1 + len] = '#';
	out[2 + len] = digits[sum >> 4];
	out[3 + len] = digits[sum & 15];
	return len + 4;
}

int gdb_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t cap)
{
	if (hexlen % 2 || hexlen / 2 > cap)
		return -1;
	for (size_t k = 0; k < hexlen / 2; k++) {
		int hi = hexval((unsigned char)hex[2 * k]);
		int lo = hexval((unsigned char)hex[2 * k + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[k] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(hexlen / 2);
}

void gdb_hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t k = 0; k < len; k++) {
		out[2 * k] = digits[in[k] >> 4];
		out[2 * k + 1] = digits[in[k] & 15];
	}
	out[2 * len] = '\0';
}

int gdb_unescape(const char *in, size_t len, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (size_t k = 0; k < len; k++) {
		uint8_t c = (uint8_t)in[k];

		if (c == '}') {
			if (++k >= len)
				return -1;
			c = (uint8_t)in[k] ^ 0x20;
		}
		if (n >= cap)
			return -1;
		out[n++] = c;
	}
	return (int)n;
}

bool gdb_parse_hex(const char *s, uint64_t *v, const char **end)
{
	uint64_t r = 0;
	int n = 0, d;

	while ((d = hexval((unsigned char)s[n])) >= 0) {
		if (r >> 60)
			return false; /* more than 64 bits */
		r = r << 4 | (uint64_t)d;
		n++;
	}
	if (!n)
		return false;
	*v = r;
	*end = s + n;
	return true;
}
