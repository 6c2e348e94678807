// SPDX-License-Identifier: MIT
/* A VGA frame as an 8-bit RGB PNG, through libpng's write interface. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "gui/png.h"
#include "iodev/vga.h"

/* libpng reports errors by longjmp; everything it touches after setjmp
 * is volatile or allocated before. */
static int write_rows(FILE *out, const struct vga_frame *f, uint8_t *row)
{
	png_structp png;
	png_infop info;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (!png)
		return -1;
	info = png_create_info_struct(png);
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_init_io(png, out);
	png_set_IHDR(png, info, f->width, f->height, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (unsigned y = 0; y < f->height; y++) {
		const uint32_t *px = f->pixels + (size_t)y * f->width;

		for (unsigned x = 0; x < f->width; x++) {
			row[3 * x] = (uint8_t)(px[x] >> 16);
			row[3 * x + 1] = (uint8_t)(px[x] >> 8);
			row[3 * x + 2] = (uint8_t)px[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int png_write_frame(const char *path, const struct vga_frame *f)
{
	FILE *out;
	uint8_t *row;
	int ret;

	if (!f || !f->pixels || !f->width || !f->height) {
		fprintf(stderr, "popek: screenshot '%s': no picture\n", path);
		return -1;
	}
	out = fopen(path, "wb");
	if (!out) {
		fprintf(stderr, "popek: screenshot: cannot write '%s': %s\n",
			path, strerror(errno));
		return -1;
	}
	row = malloc((size_t)f->width * 3);
	ret = row ? write_rows(out, f, row) : -1;
	free(row);
	if (fclose(out) != 0)
		ret = -1;
	if (ret != 0) {
		fprintf(stderr, "popek: screenshot: error writing '%s'\n",
			path);
		remove(path);
	}
	return ret;
}
