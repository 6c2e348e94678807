// SPDX-License-Identifier: MIT
/* Character back ends: stdio, a file, or nothing. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "iodev/chardev.h"

int chardev_parse(const char *text, struct chardev_spec *spec)
{
	if (strcmp(text, "stdio") == 0) {
		spec->kind = CHARDEV_STDIO;
		spec->path = NULL;
	} else if (strcmp(text, "none") == 0) {
		spec->kind = CHARDEV_NONE;
		spec->path = NULL;
	} else if (strncmp(text, "file:", 5) == 0 && text[5] != '\0') {
		spec->kind = CHARDEV_FILE;
		spec->path = text + 5;
	} else {
		return -1;
	}
	return 0;
}

/* Raw enough for a guest console: no echo or line editing, but ^C works. */
static void terminal_make_raw(struct chardev *c)
{
	struct termios raw;

	if (tcgetattr(c->in_fd, &c->saved_termios) != 0)
		return;
	raw = c->saved_termios;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR | IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(c->in_fd, TCSANOW, &raw) == 0)
		c->raw = true;
}

int chardev_open(struct chardev *c, const struct chardev_spec *spec,
		 bool want_input, const char *who)
{
	memset(c, 0, sizeof(*c));
	c->kind = spec->kind;
	c->in_fd = -1;

	switch (spec->kind) {
	case CHARDEV_NONE:
		break;
	case CHARDEV_STDIO:
		c->out = stdout;
		c->out_is_tty = isatty(STDOUT_FILENO);
		if (want_input) {
			c->in_fd = STDIN_FILENO;
			c->in_is_tty = isatty(STDIN_FILENO);
			if (c->in_is_tty)
				terminal_make_raw(c);
		}
		break;
	case CHARDEV_FILE:
		c->out = fopen(spec->path, "wb");
		if (!c->out) {
			fprintf(stderr, "popek: %s: cannot write '%s': %s\n",
				who, spec->path, strerror(errno));
			return -1;
		}
		c->out_owned = true;
		break;
	}
	return 0;
}

void chardev_close(struct chardev *c)
{
	chardev_flush(c);
	if (c->out_owned && c->out)
		fclose(c->out);
	if (c->raw)
		tcsetattr(c->in_fd, TCSANOW, &c->saved_termios);
	c->out = NULL;
	c->out_owned = false;
	c->raw = false;
	c->in_fd = -1;
}

void chardev_write(struct chardev *c, uint8_t byte)
{
	if (!c->out)
		return;
	fputc(byte, c->out);
	if (c->out_is_tty || byte == '\n')
		fflush(c->out);
}

void chardev_flush(struct chardev *c)
{
	if (c->out)
		fflush(c->out);
}

int chardev_read(struct chardev *c, uint8_t *buf, unsigned size)
{
	struct pollfd pfd = { .fd = c->in_fd, .events = POLLIN };
	ssize_t n;

	if (c->in_fd < 0 || c->in_eof)
		return -1;
	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	n = read(c->in_fd, buf, size);
	if (n > 0)
		return (int)n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	/* End of input (or an error that will not go away): stop reading. */
	c->in_eof = true;
	return -1;
}
