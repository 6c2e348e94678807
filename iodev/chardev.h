/* SPDX-License-Identifier: MIT */
/*
 * Character back ends for devices that talk to the host: the debug
 * console and the serial port write bytes to stdout, a file or nowhere;
 * the serial port also reads what arrives on stdin.
 */
#ifndef POPEK_IODEV_CHARDEV_H
#define POPEK_IODEV_CHARDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <termios.h>

#include "machine/machine.h"

struct chardev {
	enum chardev_kind kind;
	FILE *out; /* NULL: output dropped */
	bool out_owned; /* a file we opened and must close */
	bool out_is_tty; /* flush every byte so a person sees it at once */
	int in_fd; /* -1: no input */
	bool in_is_tty;
	bool in_eof; /* input ended: never read again */
	bool raw; /* the terminal is in raw mode and must be restored */
	struct termios saved_termios;
};

/*
 * Parse a -debugcon/-serial value: "stdio", "none" or "file:PATH".
 * Returns 0, or -1 when the text is none of these.
 */
int chardev_parse(const char *text, struct chardev_spec *spec);

/*
 * Open the back end.  With want_input and a stdio spec, stdin becomes the
 * input; a terminal there is put in raw mode (no echo, no line editing,
 * signals kept so Ctrl-C still stops popek) until chardev_close.  who
 * names the option in error messages.  Returns 0, or -1 after one line on
 * stderr.
 */
int chardev_open(struct chardev *c, const struct chardev_spec *spec,
		 bool want_input, const char *who);
void chardev_close(struct chardev *c);

void chardev_write(struct chardev *c, uint8_t byte);
void chardev_flush(struct chardev *c);

/*
 * Read what input is there without waiting: returns the number of bytes
 * stored (at least 1), 0 when nothing is there yet, -1 at end of input or
 * when the back end has no input.
 */
int chardev_read(struct chardev *c, uint8_t *buf, unsigned size);

#endif
