/* SPDX-License-Identifier: MIT */
/* -vga-text-dump: the text screen as UTF-8 lines, for tests. */
#ifndef POPEK_GUI_TEXT_DUMP_H
#define POPEK_GUI_TEXT_DUMP_H

#include <stdio.h>

struct vga;

/*
 * One line per text row, CP437 shown as UTF-8, trailing spaces dropped;
 * nothing at all when the VGA is in a graphics mode.  Returns 0, or -1
 * on a write error.
 */
int text_dump(FILE *out, const struct vga *v);

/* The same into a file; -1 after one line on stderr. */
int text_dump_write(const char *path, const struct vga *v);

#endif
