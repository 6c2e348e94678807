// SPDX-License-Identifier: MIT
/*
 * mkfont: a build-time tool.  Turns popek's font sources (ASCII art,
 * fonts/popek-*.txt, format described at the top of popek-8x16.txt) into
 * a C file for the emulator and nasm includes for the BIOS, so both use
 * the same glyphs.
 *
 *   mkfont font-c OUT.c FONT.txt...     C arrays popek_font_WxH[]
 *   mkfont font-nasm OUT.inc FONT.txt   "db" lines, 256 glyphs
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define MAX_HEIGHT 32

struct font {
	unsigned width, height;
	uint8_t glyph[256][MAX_HEIGHT];
	bool defined[256];
};

static const char *src_name;
static unsigned src_line;

static void fail(const char *what)
{
	fprintf(stderr, "mkfont: %s:%u: %s\n", src_name, src_line, what);
	exit(1);
}

static void dot(struct font *f, unsigned code, unsigned x, unsigned y)
{
	if (x < f->width && y < f->height)
		f->glyph[code][y] |= (uint8_t)(0x80u >> x);
}

static void hline(struct font *f, unsigned code, int y, int x0, int x1)
{
	for (int x = x0; x <= x1; x++)
		dot(f, code, (unsigned)x, (unsigned)y);
}

static void vline(struct font *f, unsigned code, int x, int y0, int y1)
{
	for (int y = y0; y <= y1; y++)
		dot(f, code, (unsigned)x, (unsigned)y);
}

static int max2(int a, int b)
{
	return a > b ? a : b;
}

/*
 * Where an arm's line stops at the centre c.  near/far are the positions
 * of the perpendicular double line closer to / farther from the arm.
 * w: this arm's weight; side_w / other_w: the perpendicular arms on this
 * line's side and on the other side (double lines), or both of them
 * (single lines).
 */
static int arm_end(int w, int c, int near, int far, int side_w, int other_w)
{
	if (w == 1) {
		if (max2(side_w, other_w) < 2)
			return c;
		/* A single arm meets a double line: stop at the first one
		 * when the double line runs through, else close the corner. */
		return side_w && other_w ? near : far;
	}
	if (side_w == 2)
		return near;
	if (side_w == 1)
		return c;
	return other_w == 2 ? far : c;
}

/*
 * CP437 line drawing from its four arms.  A single line is one dot wide
 * through the centre; a double line is two, one dot either side of it.
 */
static void draw_box(struct font *f, unsigned code, int l, int r, int u,
		     int d)
{
	int cx = 3, cy = (int)f->height / 2;
	int w = (int)f->width - 1, h = (int)f->height - 1;

	if (l == 1)
		hline(f, code, cy, 0, arm_end(1, cx, cx - 1, cx + 1, u, d));
	if (r == 1)
		hline(f, code, cy, arm_end(1, cx, cx + 1, cx - 1, u, d), w);
	if (u == 1)
		vline(f, code, cx, 0, arm_end(1, cy, cy - 1, cy + 1, l, r));
	if (d == 1)
		vline(f, code, cx, arm_end(1, cy, cy + 1, cy - 1, l, r), h);
	for (int s = -1; s <= 1; s += 2) {
		int us = s < 0 ? u : d, uo = s < 0 ? d : u;
		int ls = s < 0 ? l : r, lo = s < 0 ? r : l;

		if (l == 2)
			hline(f, code, cy + s, 0,
			      arm_end(2, cx, cx - 1, cx + 1, us, uo));
		if (r == 2)
			hline(f, code, cy + s,
			      arm_end(2, cx, cx + 1, cx - 1, us, uo), w);
		if (u == 2)
			vline(f, code, cx + s, 0,
			      arm_end(2, cy, cy - 1, cy + 1, ls, lo));
		if (d == 2)
			vline(f, code, cx + s,
			      arm_end(2, cy, cy + 1, cy - 1, ls, lo), h);
	}
}

static void draw_shade(struct font *f, unsigned code, int quarters)
{
	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++) {
			bool quarter = x % 4 == (y % 2) * 2;
			bool on = quarters == 1 ? quarter :
				  quarters == 2 ? (x + y) % 2 == 0 :
						  !quarter;

			if (on)
				dot(f, code, x, y);
		}
}

static void draw_block(struct font *f, unsigned code, const char *part)
{
	int w = (int)f->width, h = (int)f->height;

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			bool on;

			if (!strcmp(part, "full"))
				on = true;
			else if (!strcmp(part, "upper"))
				on = y < h / 2;
			else if (!strcmp(part, "lower"))
				on = y >= h / 2;
			else if (!strcmp(part, "left"))
				on = x < w / 2;
			else if (!strcmp(part, "right"))
				on = x >= w / 2;
			else if (!strcmp(part, "small"))
				on = x >= 1 && x <= 5 && y >= h * 5 / 16 &&
				     y < h * 11 / 16;
			else
				fail("unknown block part");
			if (on)
				dot(f, code, (unsigned)x, (unsigned)y);
		}
}

static unsigned parse_code(const char *text)
{
	char *end;
	unsigned long v = strtoul(text, &end, 16);

	if (end == text || v > 255)
		fail("bad character code");
	return (unsigned)v;
}

static void define(struct font *f, unsigned code)
{
	if (f->defined[code])
		fail("character defined twice");
	f->defined[code] = true;
}

static void load_font(struct font *f, const char *path)
{
	FILE *in = fopen(path, "r");
	char line[256];
	int code = -1;
	unsigned row = 0;

	src_name = path;
	src_line = 0;
	if (!in)
		fail("cannot open");
	memset(f, 0, sizeof(*f));
	while (fgets(line, sizeof(line), in)) {
		char word[16], arg[16];
		unsigned a, b, c, d;

		src_line++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == ';' || line[0] == '\0')
			continue;
		if (line[0] == '.' || line[0] == '#') {
			size_t len = strlen(line);

			if (code < 0 || row >= f->height)
				fail("row outside a glyph");
			if (len > f->width || strspn(line, ".#") != len)
				fail("bad row");
			for (size_t x = 0; x < len; x++)
				if (line[x] == '#')
					dot(f, (unsigned)code, (unsigned)x, row);
			row++;
			continue;
		}
		code = -1;
		if (sscanf(line, "font %u %u", &a, &b) == 2) {
			if (a != 8 || b == 0 || b > MAX_HEIGHT)
				fail("only 8 dots wide, up to 32 high");
			f->width = a;
			f->height = b;
		} else if (!f->height) {
			fail("the first line must be 'font W H'");
		} else if (sscanf(line, "= %15s %u", word, &row) >= 1) {
			if (sscanf(line, "= %15s %u", word, &row) < 2)
				row = 0;
			code = (int)parse_code(word);
			define(f, (unsigned)code);
		} else if (sscanf(line, "box %15s %u %u %u %u", word, &a, &b, &c,
				  &d) == 5) {
			if (a > 2 || b > 2 || c > 2 || d > 2)
				fail("arm weights are 0, 1 or 2");
			define(f, parse_code(word));
			draw_box(f, parse_code(word), (int)a, (int)b, (int)c,
				 (int)d);
		} else if (sscanf(line, "shade %15s %u", word, &a) == 2) {
			if (a < 1 || a > 3)
				fail("shade is 1, 2 or 3 quarters");
			define(f, parse_code(word));
			draw_shade(f, parse_code(word), (int)a);
		} else if (sscanf(line, "block %15s %15s", word, arg) == 2) {
			define(f, parse_code(word));
			draw_block(f, parse_code(word), arg);
		} else {
			fail("cannot read this line");
		}
	}
	fclose(in);
	if (!f->height)
		fail("no 'font' line");
}

static FILE *create(const char *path)
{
	FILE *out = fopen(path, "w");

	if (!out) {
		fprintf(stderr, "mkfont: cannot write %s\n", path);
		exit(1);
	}
	return out;
}

static void finish(FILE *out, const char *path)
{
	if (fclose(out) != 0) {
		fprintf(stderr, "mkfont: error writing %s\n", path);
		remove(path);
		exit(1);
	}
}

static int font_c(const char *path, int n, char **fonts)
{
	FILE *out = create(path);
	static struct font f;

	fprintf(out, "/* Generated by fonts/mkfont from fonts/popek-*.txt: "
		     "do not edit. */\n#include \"fonts/fonts.h\"\n");
	for (int i = 0; i < n; i++) {
		load_font(&f, fonts[i]);
		fprintf(out, "\nconst uint8_t popek_font_%ux%u[256 * %u] = {\n",
			f.width, f.height, f.height);
		for (unsigned code = 0; code < 256; code++) {
			fprintf(out, "\t");
			for (unsigned y = 0; y < f.height; y++)
				fprintf(out, "0x%02x,%s", f.glyph[code][y],
					y + 1 < f.height ? " " : "");
			fprintf(out, " /* %02x */\n", code);
		}
		fprintf(out, "};\n");
	}
	finish(out, path);
	return 0;
}

static int font_nasm(const char *path, const char *font)
{
	FILE *out = create(path);
	static struct font f;

	load_font(&f, font);
	fprintf(out, "; Generated by fonts/mkfont from %s: do not edit.\n"
		     "; 256 glyphs of %u bytes (%ux%u), top row first.\n",
		font, f.height, f.width, f.height);
	for (unsigned code = 0; code < 256; code++) {
		fprintf(out, "\tdb ");
		for (unsigned y = 0; y < f.height; y++)
			fprintf(out, "0x%02x%s", f.glyph[code][y],
				y + 1 < f.height ? ", " : "");
		fprintf(out, " ; %02x\n", code);
	}
	finish(out, path);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "font-c"))
		return font_c(argv[2], argc - 3, argv + 3);
	if (argc == 4 && !strcmp(argv[1], "font-nasm"))
		return font_nasm(argv[2], argv[3]);
	fprintf(stderr, "usage: mkfont font-c OUT.c FONT.txt...\n"
			"       mkfont font-nasm OUT.inc FONT.txt\n");
	return 2;
}
