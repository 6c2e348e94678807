/* SPDX-License-Identifier: MIT */
/* Code page 437, the VGA's character set, as Unicode. */
#ifndef POPEK_GUI_CP437_H
#define POPEK_GUI_CP437_H

#include <stddef.h>
#include <stdint.h>

/* The Unicode code point a CP437 character shows (0x00 shows as a
 * space, the control range as the symbols the VGA font draws there). */
uint16_t cp437_to_unicode(uint8_t c);

/* The UTF-8 bytes of a CP437 character into out (at least 3 bytes);
 * returns how many. */
size_t cp437_to_utf8(uint8_t c, char *out);

#endif
