// SPDX-License-Identifier: MIT
/* The text screen the CRTC shows, as UTF-8 lines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gui/cp437.h"
#include "gui/text_dump.h"
#include "iodev/vga.h"

/* More than any text mode a VGA can scan (256 clocks x 64 rows). */
#define MAX_CELLS (256 * 256)

int text_dump(FILE *out, const struct vga *v)
{
	uint16_t *cells = malloc(MAX_CELLS * sizeof(*cells));
	unsigned columns, rows;
	char *line;
	int ret = 0;

	line = malloc(256 * 3 + 2);
	if (!cells || !line) {
		free(cells);
		free(line);
		return -1;
	}
	if (vga_text_screen(v, cells, MAX_CELLS, &columns, &rows)) {
		for (unsigned r = 0; r < rows && r * columns < MAX_CELLS; r++) {
			size_t len = 0, keep = 0;

			for (unsigned c = 0; c < columns && c < 256; c++) {
				uint8_t ch = (uint8_t)cells[r * columns + c];

				len += cp437_to_utf8(ch, line + len);
				if (ch != ' ' && ch != 0)
					keep = len;
			}
			line[keep] = '\n';
			if (fwrite(line, 1, keep + 1, out) != keep + 1)
				ret = -1;
		}
	}
	free(cells);
	free(line);
	return ret;
}

int text_dump_write(const char *path, const struct vga *v)
{
	FILE *out = fopen(path, "w");
	int ret;

	if (!out) {
		fprintf(stderr, "popek: -vga-text-dump: cannot write '%s': %s\n",
			path, strerror(errno));
		return -1;
	}
	ret = text_dump(out, v);
	if (fclose(out) != 0)
		ret = -1;
	if (ret != 0)
		fprintf(stderr, "popek: -vga-text-dump: error writing '%s'\n",
			path);
	return ret;
}
