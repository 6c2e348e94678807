/* SPDX-License-Identifier: MIT */
/*
 * Host keys to PS/2 scan code set 2.  Keys are named by their USB HID
 * usage (HID Usage Tables, page 0x07 "Keyboard/Keypad"), which is also
 * what SDL's scancodes are, so this has no SDL dependency.
 */
#ifndef POPEK_GUI_KEYMAP_H
#define POPEK_GUI_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#define KEYMAP_MAX_BYTES 8

/*
 * The set-2 bytes a keyboard sends when the key goes down (make) or up
 * (break): "code", "E0 code", "F0 code", "E0 F0 code", and the longer
 * sequences of Print Screen and Pause (which has no break).  Returns the
 * number of bytes written to out, 0 for a key popek does not map.
 */
unsigned keymap_set2(unsigned hid_usage, bool down,
		     uint8_t out[KEYMAP_MAX_BYTES]);

#endif
