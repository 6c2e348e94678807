/* SPDX-License-Identifier: MIT */
/* Screenshots: a rendered VGA frame as a PNG file (libpng). */
#ifndef POPEK_GUI_PNG_H
#define POPEK_GUI_PNG_H

struct vga_frame;

/* Write f as an 8-bit RGB PNG.  Returns 0, or -1 after one line on
 * stderr naming the file and the reason. */
int png_write_frame(const char *path, const struct vga_frame *f);

#endif
