// SPDX-License-Identifier: MIT
/*
 * pngtool: PNG checks for tests/run-display.sh (libpng's simplified API).
 *
 *   pngtool size FILE            prints WIDTHxHEIGHT
 *   pngtool pixel FILE X Y       prints the pixel as RRGGBB
 *   pngtool cmp A B              exit 0 when A and B have the same size
 *                                and pixels, else 1 and the first
 *                                difference
 *   pngtool pattern13 OUT        writes the 320x200 picture that
 *                                tests/guests/vga-mode13.asm draws
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

struct picture {
	unsigned width, height;
	uint8_t *rgb;
};

static int load(const char *path, struct picture *p)
{
	png_image img;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path)) {
		fprintf(stderr, "pngtool: %s: %s\n", path, img.message);
		return -1;
	}
	img.format = PNG_FORMAT_RGB;
	p->width = img.width;
	p->height = img.height;
	p->rgb = malloc(PNG_IMAGE_SIZE(img));
	if (!p->rgb || !png_image_finish_read(&img, NULL, p->rgb, 0, NULL)) {
		fprintf(stderr, "pngtool: %s: cannot read\n", path);
		free(p->rgb);
		png_image_free(&img);
		return -1;
	}
	return 0;
}

static unsigned pixel(const struct picture *p, unsigned x, unsigned y)
{
	const uint8_t *c = p->rgb + 3 * ((size_t)y * p->width + x);

	return (unsigned)(c[0] << 16 | c[1] << 8 | c[2]);
}

/* vga-mode13.asm's DAC: colour c is (c/4, (c%8)*8, 63-c/4), 6 bits each,
 * shown widened to 8 bits as popek's DAC does. */
static uint8_t widen(unsigned v)
{
	return (uint8_t)(v << 2 | v >> 4);
}

static int pattern13(const char *path)
{
	png_image img;
	uint8_t *rgb = malloc(320 * 200 * 3);

	if (!rgb)
		return 1;
	for (unsigned y = 0; y < 200; y++)
		for (unsigned x = 0; x < 320; x++) {
			unsigned c = (x + 2 * y) & 0xff;
			uint8_t *o = rgb + 3 * (y * 320 + x);

			o[0] = widen(c >> 2);
			o[1] = widen((c & 7) << 3);
			o[2] = widen(63 - (c >> 2));
		}
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = 320;
	img.height = 200;
	img.format = PNG_FORMAT_RGB;
	if (!png_image_write_to_file(&img, path, 0, rgb, 0, NULL)) {
		fprintf(stderr, "pngtool: %s: %s\n", path, img.message);
		free(rgb);
		return 1;
	}
	free(rgb);
	return 0;
}

static int compare(const char *a_path, const char *b_path)
{
	struct picture a, b;
	int ret = 0;

	if (load(a_path, &a) || load(b_path, &b))
		return 1;
	if (a.width != b.width || a.height != b.height) {
		printf("size %ux%u != %ux%u\n", a.width, a.height, b.width,
		       b.height);
		ret = 1;
	}
	for (unsigned y = 0; !ret && y < a.height; y++)
		for (unsigned x = 0; !ret && x < a.width; x++)
			if (pixel(&a, x, y) != pixel(&b, x, y)) {
				printf("pixel (%u, %u): %06x != %06x\n", x, y,
				       pixel(&a, x, y), pixel(&b, x, y));
				ret = 1;
			}
	free(a.rgb);
	free(b.rgb);
	return ret;
}

int main(int argc, char **argv)
{
	struct picture p;

	if (argc == 3 && !strcmp(argv[1], "size")) {
		if (load(argv[2], &p))
			return 1;
		printf("%ux%u\n", p.width, p.height);
		free(p.rgb);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "pixel")) {
		unsigned x = (unsigned)atoi(argv[3]), y = (unsigned)atoi(argv[4]);

		if (load(argv[2], &p))
			return 1;
		if (x >= p.width || y >= p.height) {
			fprintf(stderr, "pngtool: (%u, %u) is outside\n", x, y);
			free(p.rgb);
			return 1;
		}
		printf("%06x\n", pixel(&p, x, y));
		free(p.rgb);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "cmp"))
		return compare(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "pattern13"))
		return pattern13(argv[2]);
	fprintf(stderr, "usage: pngtool size FILE | pixel FILE X Y | "
			"cmp A B | pattern13 OUT\n");
	return 2;
}
