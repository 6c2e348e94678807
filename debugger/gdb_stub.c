// SPDX-License-Identifier: MIT
/*
 * The gdb remote stub: one client over TCP on 127.0.0.1.  While the
 * guest runs, the run loop polls for a new client and for its Ctrl-C
 * (0x03); while the guest is stopped, packets are served here until
 * the client resumes it.  Packets (gdb manual, "Packets" and "General
 * Query Packets"): ?, qSupported, QStartNoAckMode, qXfer:features:read,
 * qAttached, qC, qfThreadInfo/qsThreadInfo, H, g/G, p/P, m/M, X,
 * Z0-Z4/z0-z4, c, s, vCont (c, s, r ranges), qRcmd (debugger commands),
 * D, k.  Anything else gets the empty reply, which means "unsupported".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "debugger/dbg.h"
#include "debugger/gdb_packet.h"
#include "debugger/gdb_stub.h"
#include "debugger/gdb_target.h"
#include "machine/machine.h"

#define REPLY_MAX (2 * GDB_PACKET_MAX)
#define MEM_MAX (GDB_PACKET_MAX / 2 - 16) /* bytes per m reply */

struct gdb_stub {
	struct debugger *d;
	int listen_fd, fd;
	bool no_ack;
	bool running; /* the client resumed and awaits a stop reply */
	enum gdb_arch arch; /* the layout the client was given */
	struct gdb_rx rx;
	char reply[REPLY_MAX + 8];
	char frame[REPLY_MAX + 16];
	size_t frame_len; /* the last packet sent, for a '-' */
	int watch_kind; /* the watchpoint that stopped the guest, or 0 */
	uint64_t watch_addr;
	bool mode_changed;
};

struct gdb_stub *gdb_stub_create(struct debugger *d, int port)
{
	struct gdb_stub *g = calloc(1, sizeof(*g));
	struct sockaddr_in sa;
	int one = 1;
	struct cpu_state s;

	if (!g) {
		fprintf(stderr, "popek: gdb stub: out of memory\n");
		return NULL;
	}
	g->d = d;
	g->fd = -1;
	g->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g->listen_fd < 0) {
		fprintf(stderr, "popek: gdb stub: socket: %s\n", strerror(errno));
		free(g);
		return NULL;
	}
	setsockopt(g->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(g->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(g->listen_fd, 1) < 0) {
		fprintf(stderr, "popek: -gdb tcp::%d: %s\n", port,
			strerror(errno));
		close(g->listen_fd);
		free(g);
		return NULL;
	}
	dbg_state(d, &s);
	g->arch = gdb_arch_of(&s);
	gdb_rx_init(&g->rx);
	fprintf(stderr, "popek: waiting for gdb on 127.0.0.1:%d\n", port);
	return g;
}

static void drop_client(struct gdb_stub *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	g->no_ack = false;
	g->running = false;
	gdb_rx_init(&g->rx);
}

void gdb_stub_destroy(struct gdb_stub *g)
{
	if (!g)
		return;
	drop_client(g);
	close(g->listen_fd);
	free(g);
}

bool gdb_stub_attached(const struct gdb_stub *g)
{
	return g->fd >= 0;
}

void gdb_stub_note_watch(struct gdb_stub *g, int kind, uint64_t addr)
{
	g->watch_kind = kind;
	g->watch_addr = addr;
}

void gdb_stub_note_mode_change(struct gdb_stub *g)
{
	g->mode_changed = true;
}

static bool accept_client(struct gdb_stub *g, bool wait)
{
	struct pollfd p = { .fd = g->listen_fd, .events = POLLIN };
	int one = 1;

	if (g->fd >= 0)
		return true;
	if (poll(&p, 1, wait ? -1 : 0) <= 0)
		return false;
	g->fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (g->fd < 0)
		return false;
	setsockopt(g->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	gdb_rx_init(&g->rx);
	g->no_ack = false;
	g->running = false;
	/* Report when the register layout gdb needs changes. */
	g->d->gdb_arch_watch = true;
	return true;
}

static bool send_all(struct gdb_stub *g, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(g->fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			drop_client(g);
			return false;
		}
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

static void send_packet(struct gdb_stub *g, const char *payload)
{
	size_t n = gdb_frame(payload, strlen(payload), g->frame,
			     sizeof(g->frame));

	g->frame_len = n;
	if (g->fd >= 0 && n)
		send_all(g, g->frame, n);
}

/* The stop reply (gdb manual, "Stop Reply Packets"). */
static void send_stop(struct gdb_stub *g)
{
	static const char *const watch[] = { "", "rwatch", "watch", "awatch" };
	char buf[96];

	if (g->watch_kind > 0 && g->watch_kind <= 3)
		snprintf(buf, sizeof(buf), "T05%s:%" PRIx64 ";thread:01;",
			 watch[g->watch_kind], g->watch_addr);
	else if (strstr(g->d->stop_msg, "Ctrl-C"))
		snprintf(buf, sizeof(buf), "T02thread:01;");
	else
		snprintf(buf, sizeof(buf), "T05thread:01;");
	g->watch_kind = 0;
	send_packet(g, buf);
}

/* Text for gdb's console: an O packet, hex-encoded. */
static void send_console(struct gdb_stub *g, const char *text, size_t len)
{
	while (len) {
		size_t n = len > MEM_MAX ? MEM_MAX : len;

		g->reply[0] = 'O';
		gdb_hex_encode((const uint8_t *)text, n, g->reply + 1);
		send_packet(g, g->reply);
		text += n;
		len -= n;
	}
}

void gdb_stub_poll(struct gdb_stub *g)
{
	uint8_t buf[256];
	ssize_t n;

	if (g->fd < 0) {
		if (accept_client(g, false))
			dbg_stop(g->d, "gdb attached");
		return;
	}
	for (;;) {
		n = recv(g->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			drop_client(g);
			return;
		}
		if (n < 0)
			return;
		for (ssize_t k = 0; k < n; k++)
			if (gdb_rx_byte(&g->rx, buf[k]) == GDB_RX_INTERRUPT)
				dbg_stop(g->d, "Ctrl-C from gdb");
	}
}

/* --- packets -------------------------------------------------------------- */

static void reply_error(struct gdb_stub *g, int code)
{
	snprintf(g->reply, sizeof(g->reply), "E%02x", code & 0xff);
}

static void handle_g(struct gdb_stub *g)
{
	struct cpu_state s;
	uint8_t bytes[16];
	size_t used = 0;

	dbg_state(g->d, &s);
	for (unsigned k = 0; k < gdb_reg_count(g->arch); k++) {
		unsigned n = gdb_reg_get(g->arch, &s, k, bytes);

		if (used + 2 * n >= REPLY_MAX)
			break;
		gdb_hex_encode(bytes, n, g->reply + used);
		used += 2 * n;
	}
	g->reply[used] = '\0';
}

static void handle_G(struct gdb_stub *g, const char *hex)
{
	struct cpu_state s;
	uint8_t bytes[16];
	size_t len = strlen(hex), pos = 0;

	dbg_state(g->d, &s);
	for (unsigned k = 0; k < gdb_reg_count(g->arch) && pos < len; k++) {
		unsigned n = gdb_reg_size(g->arch, k);

		if (pos + 2 * n > len ||
		    gdb_hex_decode(hex + pos, 2 * n, bytes, sizeof(bytes)) < 0) {
			reply_error(g, 0x16);
			return;
		}
		/* A register that cannot change keeps its value. */
		gdb_reg_set(g->arch, &s, k, bytes);
		pos += 2 * n;
	}
	dbg_state_set(g->d, &s);
	strcpy(g->reply, "OK");
}

static void handle_p(struct gdb_stub *g, const char *args)
{
	struct cpu_state s;
	uint8_t bytes[16];
	uint64_t n;
	const char *end;
	unsigned size;

	if (!gdb_parse_hex(args, &n, &end) || *end || n >= 1024) {
		reply_error(g, 0x16);
		return;
	}
	dbg_state(g->d, &s);
	size = gdb_reg_get(g->arch, &s, (unsigned)n, bytes);
	if (!size) {
		reply_error(g, 0x16);
		return;
	}
	gdb_hex_encode(bytes, size, g->reply);
}

static void handle_P(struct gdb_stub *g, const char *args)
{
	struct cpu_state s;
	uint8_t bytes[16];
	uint64_t n;
	const char *end;
	unsigned size;

	if (!gdb_parse_hex(args, &n, &end) || *end != '=' || n >= 1024) {
		reply_error(g, 0x16);
		return;
	}
	size = gdb_reg_size(g->arch, (unsigned)n);
	dbg_state(g->d, &s);
	if (!size || strlen(end + 1) != 2 * size ||
	    gdb_hex_decode(end + 1, 2 * size, bytes, sizeof(bytes)) < 0 ||
	    gdb_reg_set(g->arch, &s, (unsigned)n, bytes) != 0) {
		reply_error(g, 0x16);
		return;
	}
	dbg_state_set(g->d, &s);
	strcpy(g->reply, "OK");
}

/* "ADDR,LEN" then an optional ':' */
static bool parse_addr_len(const char *args, uint64_t *addr, uint64_t *len,
			   const char **end)
{
	return gdb_parse_hex(args, addr, end) && **end == ',' &&
	       gdb_parse_hex(*end + 1, len, end);
}

static void handle_m(struct gdb_stub *g, const char *args)
{
	struct cpu_state s;
	uint8_t buf[MEM_MAX];
	uint64_t addr, len;
	const char *end;

	if (!parse_addr_len(args, &addr, &len, &end) || *end) {
		reply_error(g, 0x16);
		return;
	}
	if (len > MEM_MAX)
		len = MEM_MAX;
	dbg_state(g->d, &s);
	if (!dbg_lin_read(g->d, &s, addr, buf, len)) {
		reply_error(g, 0x0e); /* EFAULT */
		return;
	}
	gdb_hex_encode(buf, len, g->reply);
}

static void handle_write(struct gdb_stub *g, const char *args, bool binary,
			 size_t total)
{
	_Static_assert(GDB_PACKET_MAX <= 65536, "buffer on the stack");
	struct cpu_state s;
	uint8_t buf[GDB_PACKET_MAX];
	uint64_t addr, len;
	const char *end;
	int n;

	if (!parse_addr_len(args, &addr, &len, &end) || *end != ':') {
		reply_error(g, 0x16);
		return;
	}
	end++;
	n = binary ? gdb_unescape(end, total - (size_t)(end - args), buf,
				  sizeof(buf))
		   : gdb_hex_decode(end, strlen(end), buf, sizeof(buf));
	if (n < 0 || (uint64_t)n != len) {
		reply_error(g, 0x16);
		return;
	}
	dbg_state(g->d, &s);
	if (n && !dbg_lin_write(g->d, &s, addr, buf, (size_t)n)) {
		reply_error(g, 0x0e);
		return;
	}
	strcpy(g->reply, "OK");
}

/* Z and z: breakpoints and watchpoints in the debugger's tables, so
 * guest memory is never patched. */
static void handle_z(struct gdb_stub *g, const char *args, bool insert)
{
	static const enum watch_kind kinds[] = { 0, 0, WATCH_WRITE,
						 WATCH_READ, WATCH_ACCESS };
	struct bp_table *t = &g->d->bps;
	uint64_t type, addr, kind;
	const char *end;

	if (!gdb_parse_hex(args, &type, &end) || *end != ',' || type > 4 ||
	    !parse_addr_len(end + 1, &addr, &kind, &end)) {
		reply_error(g, 0x16);
		return;
	}
	if (type <= 1) {
		struct breakpoint *b =
			bp_lookup(t, BP_LINEAR, 0, addr, BP_OWNER_GDB);

		if (insert && !b &&
		    !bp_add(t, BP_LINEAR, 0, addr, "", BP_OWNER_GDB)) {
			reply_error(g, 0x1c); /* ENOSPC */
			return;
		}
		if (!insert && b)
			bp_delete(t, b->id);
	} else {
		struct watchpoint *w = watch_lookup(t, false, kinds[type], addr,
						    kind, BP_OWNER_GDB);

		if (insert && !w &&
		    !watch_add(t, false, kinds[type], addr, kind,
			       BP_OWNER_GDB)) {
			reply_error(g, 0x16);
			return;
		}
		if (!insert && w)
			watch_delete(t, w->id);
	}
	strcpy(g->reply, "OK");
}

static void handle_xfer(struct gdb_stub *g, const char *args)
{
	char xml[16384];
	uint64_t off, len;
	const char *end;
	size_t total;
	struct cpu_state s;

	if (strncmp(args, "target.xml:", 11) != 0) {
		strcpy(g->reply, "E00");
		return;
	}
	if (!parse_addr_len(args + 11, &off, &len, &end) || *end) {
		reply_error(g, 0x16);
		return;
	}
	/* The description follows the mode the CPU is in now; the
	 * register packets follow the description the client read. */
	if (off == 0) {
		dbg_state(g->d, &s);
		g->arch = gdb_arch_of(&s);
	}
	total = gdb_target_xml(g->arch, xml, sizeof(xml));
	if (off >= total) {
		strcpy(g->reply, "l");
		return;
	}
	if (len > REPLY_MAX - 2)
		len = REPLY_MAX - 2;
	if (len > total - off)
		len = total - off;
	/* The XML has no '$', '#', '}' or '*' needing escapes. */
	g->reply[0] = off + len >= total ? 'l' : 'm';
	memcpy(g->reply + 1, xml + off, len);
	g->reply[1 + len] = '\0';
}

static void handle_rcmd(struct gdb_stub *g, const char *hex)
{
	char cmd[DBG_LINE_MAX];
	struct debugger *d = g->d;
	int n = gdb_hex_decode(hex, strlen(hex), (uint8_t *)cmd,
			       sizeof(cmd) - 1);

	if (n < 0) {
		reply_error(g, 0x16);
		return;
	}
	cmd[n] = '\0';
	d->capture = malloc(256);
	d->capture_cap = d->capture ? 256 : 0;
	d->capture_len = 0;
	if (d->capture) {
		d->capture[0] = '\0';
		/* Run control belongs to gdb: a c or s here would resume
		 * behind its back. */
		if (cmd_execute(d, cmd) == CMD_RESUME && !d->quit) {
			d->resumed = false;
			dbg_printf(d, "use gdb's own commands to run the guest\n");
		}
		send_console(g, d->capture, d->capture_len);
		free(d->capture);
		d->capture = NULL;
	}
	strcpy(g->reply, "OK");
}

/*
 * vCont: one thread, so the first action decides: c, C (signal
 * ignored), s, S, or r START,END (step while RIP's linear address is in
 * [START, END)).  Returns true when the guest resumes.
 */
static bool handle_vcont(struct gdb_stub *g, const char *args)
{
	uint64_t lo, hi;
	const char *end;

	if (*args != ';') {
		reply_error(g, 0x16);
		return false;
	}
	args++;
	switch (args[0]) {
	case 'c':
	case 'C':
		dbg_resume(g->d, false, 0);
		return true;
	case 's':
	case 'S':
		dbg_resume(g->d, true, 1);
		return true;
	case 'r':
		if (!gdb_parse_hex(args + 1, &lo, &end) || *end != ',' ||
		    !gdb_parse_hex(end + 1, &hi, &end)) {
			reply_error(g, 0x16);
			return false;
		}
		dbg_resume(g->d, true, 1);
		g->d->range_lo = lo;
		g->d->range_hi = hi;
		return true;
	default:
		reply_error(g, 0x16);
		return false;
	}
}

/* One packet; true when the guest resumes. */
static bool handle_packet(struct gdb_stub *g, const char *p, size_t len)
{
	struct cpu_state s;

	g->reply[0] = '\0';
	switch (p[0]) {
	case '?':
		send_stop(g);
		return false;
	case 'g':
		handle_g(g);
		break;
	case 'G':
		handle_G(g, p + 1);
		break;
	case 'p':
		handle_p(g, p + 1);
		break;
	case 'P':
		handle_P(g, p + 1);
		break;
	case 'm':
		handle_m(g, p + 1);
		break;
	case 'M':
		handle_write(g, p + 1, false, len - 1);
		break;
	case 'X':
		handle_write(g, p + 1, true, len - 1);
		break;
	case 'Z':
	case 'z':
		handle_z(g, p + 1, p[0] == 'Z');
		break;
	case 'c':
	case 's':
		if (p[1]) {
			uint64_t addr;
			const char *end;

			if (!gdb_parse_hex(p + 1, &addr, &end)) {
				reply_error(g, 0x16);
				break;
			}
			dbg_state(g->d, &s);
			s.rip = addr;
			dbg_state_set(g->d, &s);
		}
		dbg_resume(g->d, p[0] == 's', 1);
		return true;
	case 'H':
		strcpy(g->reply, "OK");
		break;
	case 'T':
		strcpy(g->reply, "OK");
		break;
	case 'D':
		send_packet(g, "OK");
		for (unsigned k = 0; k < BP_MAX; k++)
			if (g->d->bps.bp[k].owner == BP_OWNER_GDB)
				g->d->bps.bp[k].id = 0;
		for (unsigned k = 0; k < WATCH_MAX; k++)
			if (g->d->bps.wp[k].owner == BP_OWNER_GDB)
				g->d->bps.wp[k].id = 0;
		drop_client(g);
		dbg_resume(g->d, false, 0);
		return true;
	case 'k':
		drop_client(g);
		cmd_execute(g->d, "q");
		return true;
	case 'v':
		if (strncmp(p, "vCont?", 6) == 0) {
			strcpy(g->reply, "vCont;c;C;s;S;r");
		} else if (strncmp(p, "vCont", 5) == 0) {
			if (handle_vcont(g, p + 5))
				return true;
		} else if (strncmp(p, "vKill", 5) == 0) {
			send_packet(g, "OK");
			drop_client(g);
			cmd_execute(g->d, "q");
			return true;
		}
		break;
	case 'q':
		if (strncmp(p, "qSupported", 10) == 0)
			snprintf(g->reply, sizeof(g->reply),
				 "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+",
				 GDB_PACKET_MAX);
		else if (strncmp(p, "qXfer:features:read:", 20) == 0)
			handle_xfer(g, p + 20);
		else if (strcmp(p, "qAttached") == 0)
			strcpy(g->reply, "1");
		else if (strcmp(p, "qC") == 0)
			strcpy(g->reply, "QC01");
		else if (strcmp(p, "qfThreadInfo") == 0)
			strcpy(g->reply, "m01");
		else if (strcmp(p, "qsThreadInfo") == 0)
			strcpy(g->reply, "l");
		else if (strncmp(p, "qRcmd,", 6) == 0)
			handle_rcmd(g, p + 6);
		else if (strncmp(p, "qSymbol", 7) == 0)
			strcpy(g->reply, "OK");
		break;
	case 'Q':
		if (strcmp(p, "QStartNoAckMode") == 0) {
			send_packet(g, "OK");
			g->no_ack = true;
			return false;
		}
		break;
	default:
		break;
	}
	send_packet(g, g->reply);
	return g->d->quit;
}

bool gdb_stub_stopped(struct gdb_stub *g, bool wait)
{
	uint8_t buf[512];

	if (!accept_client(g, wait))
		return false;
	if (g->running) {
		if (g->mode_changed) {
			char msg[160];
			struct cpu_state s;

			dbg_state(g->d, &s);
			snprintf(msg, sizeof(msg),
				 "popek: the CPU is now in %s (gdb architecture %s); reconnect to read the new target description\n",
				 dbg_mode_name(dbg_mode_of(&s)),
				 gdb_arch_name(gdb_arch_of(&s)));
			send_console(g, msg, strlen(msg));
		}
		send_stop(g);
	}
	g->mode_changed = false;
	g->running = false;
	while (g->fd >= 0) {
		ssize_t n = recv(g->fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			drop_client(g);
			break;
		}
		for (ssize_t k = 0; k < n && g->fd >= 0; k++) {
			switch (gdb_rx_byte(&g->rx, buf[k])) {
			case GDB_RX_PACKET:
				if (!g->no_ack && !send_all(g, "+", 1))
					return false;
				if (handle_packet(g, g->rx.buf, g->rx.len)) {
					g->running = g->fd >= 0;
					return true;
				}
				break;
			case GDB_RX_BAD:
				if (!g->no_ack)
					send_all(g, "-", 1);
				break;
			case GDB_RX_NACK:
				/* Resend the last packet. */
				if (g->frame_len)
					send_all(g, g->frame, g->frame_len);
				break;
			default:
				break;
			}
		}
	}
	return false;
}
