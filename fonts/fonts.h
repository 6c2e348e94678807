/* SPDX-License-Identifier: MIT */
/*
 * popek's own VGA fonts, generated at build time from the ASCII art in
 * fonts/popek-8x16.txt and fonts/popek-8x8.txt by fonts/mkfont: 256
 * glyphs each, one byte per row (bit 7 the leftmost dot), top row first.
 * The BIOS gets the same bytes as bios/font8x16.inc and bios/font8x8.inc.
 */
#ifndef POPEK_FONTS_FONTS_H
#define POPEK_FONTS_FONTS_H

#include <stdint.h>

extern const uint8_t popek_font_8x16[256 * 16];
extern const uint8_t popek_font_8x8[256 * 8];

#endif
