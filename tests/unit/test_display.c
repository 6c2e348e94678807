// SPDX-License-Identifier: MIT
/*
 * The display side: host keys to PS/2 set-2 bytes, CP437 to UTF-8, the
 * text dump of the VGA's screen, and PNG screenshots read back with
 * libpng.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <png.h>

#include "bare_machine.h"
#include "gui/cp437.h"
#include "gui/keymap.h"
#include "gui/png.h"
#include "gui/text_dump.h"
#include "iodev/vga.h"

static void check_keys(unsigned usage, bool down, const uint8_t *want,
		       unsigned n)
{
	uint8_t out[KEYMAP_MAX_BYTES];

	assert_int_equal(keymap_set2(usage, down, out), n);
	assert_memory_equal(out, want, n);
}

static void test_keymap(void **state)
{
	uint8_t out[KEYMAP_MAX_BYTES];

	(void)state;
	check_keys(0x04, true, (const uint8_t[]){ 0x1c }, 1); /* A */
	check_keys(0x04, false, (const uint8_t[]){ 0xf0, 0x1c }, 2);
	check_keys(0x28, true, (const uint8_t[]){ 0x5a }, 1); /* Enter */
	check_keys(0x29, true, (const uint8_t[]){ 0x76 }, 1); /* Escape */
	check_keys(0x4f, true, (const uint8_t[]){ 0xe0, 0x74 }, 2); /* Right */
	check_keys(0x4f, false, (const uint8_t[]){ 0xe0, 0xf0, 0x74 }, 3);
	check_keys(0xe4, true, (const uint8_t[]){ 0xe0, 0x14 }, 2); /* RCtrl */
	check_keys(0xe1, false, (const uint8_t[]){ 0xf0, 0x12 }, 2); /* LShift */
	check_keys(0x40, true, (const uint8_t[]){ 0x83 }, 1); /* F7 */
	check_keys(0x58, true, (const uint8_t[]){ 0xe0, 0x5a }, 2); /* KP Enter */
	check_keys(0x46, true, (const uint8_t[]){ 0xe0, 0x12, 0xe0, 0x7c }, 4);
	check_keys(0x46, false,
		   (const uint8_t[]){ 0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12 }, 6);
	check_keys(0x48, true,
		   (const uint8_t[]){ 0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0,
				      0x77 },
		   8);
	assert_int_equal(keymap_set2(0x48, false, out), 0); /* Pause up */
	assert_int_equal(keymap_set2(0x00, true, out), 0);
	assert_int_equal(keymap_set2(0x66, true, out), 0); /* Power */
	assert_int_equal(keymap_set2(0x1000, true, out), 0);
}

static void test_cp437(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(cp437_to_unicode('A'), 'A');
	assert_int_equal(cp437_to_unicode(0x00), ' ');
	assert_int_equal(cp437_to_unicode(0x01), 0x263a);
	assert_int_equal(cp437_to_unicode(0x7f), 0x2302);
	assert_int_equal(cp437_to_unicode(0x82), 0x00e9);
	assert_int_equal(cp437_to_unicode(0xc9), 0x2554);
	assert_int_equal(cp437_to_unicode(0xdb), 0x2588);
	assert_int_equal(cp437_to_unicode(0xe1), 0x00df);
	assert_int_equal(cp437_to_unicode(0xff), 0x00a0);
	assert_int_equal(cp437_to_utf8(0xc9, out), 3);
	assert_memory_equal(out, "\xe2\x95\x94", 3);
	assert_int_equal(cp437_to_utf8(0x82, out), 2);
	assert_memory_equal(out, "\xc3\xa9", 2);
	assert_int_equal(cp437_to_utf8('z', out), 1);
}

static void test_text_dump(void **state)
{
	struct machine *m = bare_machine_new();
	struct vga *v;
	char buf[8192];
	size_t n;
	FILE *f;
	const char *text = "Hi \xcd\xbb";
	const char *want = "Hi \xe2\x95\x90\xe2\x95\x97\n\n  x\n";

	(void)state;
	assert_non_null(m);
	v = vga_create(m, false);
	assert_non_null(v);
	for (unsigned i = 0; text[i]; i++)
		phys_write_u(m, 0xb8000 + 2 * i, 1, (uint8_t)text[i]);
	phys_write_u(m, 0xb8000 + 2 * (2 * 80 + 2), 1, 'x');
	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(text_dump(f, v), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	/* 25 lines: three with text, the rest empty. */
	assert_int_equal(n, strlen(want) + 22);
	assert_memory_equal(buf, want, strlen(want));
	/* Graphics mode: nothing. */
	assert_int_equal(vga_set_mode(v, 0x13), 0);
	f = tmpfile();
	assert_int_equal(text_dump(f, v), 0);
	assert_int_equal(ftell(f), 0);
	fclose(f);
	vga_destroy(v);
	free(m);
}

static void test_png_round_trip(void **state)
{
	uint32_t pixels[3 * 2] = { 0xff0000, 0x00ff00, 0x0000ff,
				   0x123456, 0xffffff, 0x000000 };
	struct vga_frame fr = { .pixels = pixels, .width = 3, .height = 2 };
	char path[] = "/tmp/popek-png-XXXXXX";
	png_image img;
	uint8_t rgb[3 * 2 * 3];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(png_write_frame(path, &fr), 0);
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_file(&img, path));
	assert_int_equal(img.width, 3);
	assert_int_equal(img.height, 2);
	img.format = PNG_FORMAT_RGB;
	assert_true(png_image_finish_read(&img, NULL, rgb, 0, NULL));
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(rgb[3 * i], (pixels[i] >> 16) & 0xff);
		assert_int_equal(rgb[3 * i + 1], (pixels[i] >> 8) & 0xff);
		assert_int_equal(rgb[3 * i + 2], pixels[i] & 0xff);
	}
	unlink(path);
	/* An unwritable path fails with a message, not a crash. */
	assert_int_equal(png_write_frame("/nonexistent-dir/x.png", &fr), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keymap),
		cmocka_unit_test(test_cp437),
		cmocka_unit_test(test_text_dump),
		cmocka_unit_test(test_png_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
