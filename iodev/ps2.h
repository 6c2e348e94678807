/* SPDX-License-Identifier: MIT */
/*
 * PS/2 devices behind the 8042: a keyboard (IBM Personal System/2
 * Keyboard and Auxiliary Device Controller technical reference, keyboard
 * commands) and a mouse with the IntelliMouse wheel extension.
 *
 * The host side (the display's window) feeds them through the two calls
 * below; the guest side talks to them through the 8042 (iodev/i8042.h).
 */
#ifndef POPEK_IODEV_PS2_H
#define POPEK_IODEV_PS2_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

/*
 * Key events from the host: the bytes a real keyboard sends in scan code
 * set 2 (make codes, E0 prefixes, F0 break prefixes, as a keyboard
 * emits them).  The keyboard converts them when the guest selected set 1,
 * and the 8042 translates them to set 1 when its translation bit is on
 * (the default).  Dropped while the guest has scanning disabled.
 */
void ps2_keyboard_send(struct machine *m, const uint8_t *set2_bytes,
		       unsigned n);

/*
 * Mouse events from the host: relative motion with dx > 0 to the right
 * and dy > 0 downwards (screen coordinates; the mouse reports up as
 * positive, as PS/2 does), dz wheel clicks with dz > 0 towards the user
 * (the IntelliMouse sign; SDL's wheel.y is the opposite), and the buttons
 * now held: bit 0 left, bit 1 right, bit 2 middle.
 */
#define PS2_MOUSE_LEFT 0x01
#define PS2_MOUSE_RIGHT 0x02
#define PS2_MOUSE_MIDDLE 0x04
void ps2_mouse_event(struct machine *m, int dx, int dy, int dz,
		     unsigned buttons);

/* ---- the devices themselves, for the 8042 and tests ---- */

#define PS2_QUEUE_SIZE 256

/* Bytes a device has for the controller, oldest first. */
struct ps2_queue {
	uint8_t data[PS2_QUEUE_SIZE];
	unsigned head, count;
};

void ps2_queue_clear(struct ps2_queue *q);
/* false: full, the byte is lost (the keyboard then sends an overrun). */
bool ps2_queue_put(struct ps2_queue *q, uint8_t byte);
unsigned ps2_queue_space(const struct ps2_queue *q);
uint8_t ps2_queue_get(struct ps2_queue *q);

struct ps2_keyboard {
	struct ps2_queue out;
	uint8_t pending_cmd; /* a command waiting for its parameter, or 0 */
	uint8_t last_sent; /* for RESEND */
	uint8_t scancode_set; /* 1, 2 or 3 (3 is reported, sent as set 2) */
	uint8_t leds; /* bit 0 Scroll, 1 Num, 2 Caps Lock */
	uint8_t typematic; /* rate and delay byte */
	bool scanning; /* F4 enabled, F5 disabled */
	bool break_prefix; /* set-1 conversion saw F0 */
};

struct ps2_mouse {
	struct ps2_queue out;
	uint8_t pending_cmd; /* a command waiting for its parameter, or 0 */
	uint8_t last_sent;
	uint8_t id; /* 0, or 3 with the wheel */
	uint8_t rate, resolution;
	uint8_t rate_history[3]; /* last sample rates, for the wheel knock */
	bool scaling_2to1, reporting, remote, wrap;
	int dx, dy, dz; /* motion not yet reported */
	unsigned buttons;
};

void ps2_keyboard_reset(struct ps2_keyboard *k);
/* A byte from the controller to the keyboard (a command or parameter). */
void ps2_keyboard_write(struct ps2_keyboard *k, uint8_t byte);
/* Key bytes in set 2 from the host, queued as the keyboard would. */
void ps2_keyboard_keys(struct ps2_keyboard *k, const uint8_t *set2, unsigned n);
/*
 * The 8042's translation of one set-2 byte to set 1 (without the F0
 * handling, which the caller does); also used by the keyboard in set 1.
 */
uint8_t ps2_set2_to_set1(uint8_t code);

void ps2_mouse_reset(struct ps2_mouse *ms);
void ps2_mouse_write(struct ps2_mouse *ms, uint8_t byte);
void ps2_mouse_motion(struct ps2_mouse *ms, int dx, int dy, int dz,
		      unsigned buttons);

#endif
