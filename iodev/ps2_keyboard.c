// SPDX-License-Identifier: MIT
/*
 * The PS/2 keyboard: its command set, its output queue and scan code
 * sets 1 and 2.  References: IBM PS/2 Hardware Interface Technical
 * Reference, "Keyboard and Auxiliary Device Controller" and "Keyboards
 * (101- and 102-Key)": commands and responses, scan code tables.
 */
#include <string.h>

#include "iodev/ps2.h"

/* Keyboard responses (PS/2 technical reference, "Commands to the System"). */
#define KBD_ACK 0xfa
#define KBD_RESEND 0xfe
#define KBD_BAT_OK 0xaa
#define KBD_ECHO 0xee
#define KBD_OVERRUN_SET2 0x00
#define KBD_ID1 0xab
#define KBD_ID2 0x83 /* MF2 keyboard */

/*
 * Set 2 make codes to set 1, key by key from the two scan code tables
 * (the same mapping the 8042 applies when it translates).  Codes not in
 * the table are not sent by any key and pass through unchanged.
 */
/* clang-format off */
static const uint8_t set2_to_set1[0x85] = {
	[0x76] = 0x01, /* Esc */
	[0x16] = 0x02, [0x1e] = 0x03, [0x26] = 0x04, [0x25] = 0x05, /* 1-4 */
	[0x2e] = 0x06, [0x36] = 0x07, [0x3d] = 0x08, [0x3e] = 0x09, /* 5-8 */
	[0x46] = 0x0a, [0x45] = 0x0b, [0x4e] = 0x0c, [0x55] = 0x0d, /* 9 0 - = */
	[0x66] = 0x0e, [0x0d] = 0x0f, /* Backspace, Tab */
	[0x15] = 0x10, [0x1d] = 0x11, [0x24] = 0x12, [0x2d] = 0x13, /* QWER */
	[0x2c] = 0x14, [0x35] = 0x15, [0x3c] = 0x16, [0x43] = 0x17, /* TYUI */
	[0x44] = 0x18, [0x4d] = 0x19, [0x54] = 0x1a, [0x5b] = 0x1b, /* OP[] */
	[0x5a] = 0x1c, [0x14] = 0x1d, /* Enter, left Ctrl */
	[0x1c] = 0x1e, [0x1b] = 0x1f, [0x23] = 0x20, [0x2b] = 0x21, /* ASDF */
	[0x34] = 0x22, [0x33] = 0x23, [0x3b] = 0x24, [0x42] = 0x25, /* GHJK */
	[0x4b] = 0x26, [0x4c] = 0x27, [0x52] = 0x28, [0x0e] = 0x29, /* L;'` */
	[0x12] = 0x2a, [0x5d] = 0x2b, /* left Shift, backslash */
	[0x1a] = 0x2c, [0x22] = 0x2d, [0x21] = 0x2e, [0x2a] = 0x2f, /* ZXCV */
	[0x32] = 0x30, [0x31] = 0x31, [0x3a] = 0x32, [0x41] = 0x33, /* BNM, */
	[0x49] = 0x34, [0x4a] = 0x35, [0x59] = 0x36, /* . / right Shift */
	[0x7c] = 0x37, [0x11] = 0x38, [0x29] = 0x39, [0x58] = 0x3a, /* KP* Alt Space Caps */
	[0x05] = 0x3b, [0x06] = 0x3c, [0x04] = 0x3d, [0x0c] = 0x3e, /* F1-F4 */
	[0x03] = 0x3f, [0x0b] = 0x40, [0x83] = 0x41, [0x0a] = 0x42, /* F5-F8 */
	[0x01] = 0x43, [0x09] = 0x44, /* F9, F10 */
	[0x77] = 0x45, [0x7e] = 0x46, /* Num Lock, Scroll Lock */
	[0x6c] = 0x47, [0x75] = 0x48, [0x7d] = 0x49, [0x7b] = 0x4a, /* KP 7 8 9 - */
	[0x6b] = 0x4b, [0x73] = 0x4c, [0x74] = 0x4d, [0x79] = 0x4e, /* KP 4 5 6 + */
	[0x69] = 0x4f, [0x72] = 0x50, [0x7a] = 0x51, /* KP 1 2 3 */
	[0x70] = 0x52, [0x71] = 0x53, /* KP 0 . */
	[0x84] = 0x54, /* Alt+SysRq */
	[0x61] = 0x56, /* the 102nd key */
	[0x78] = 0x57, [0x07] = 0x58, /* F11, F12 */
};
/* clang-format on */

uint8_t ps2_set2_to_set1(uint8_t code)
{
	if (code == KBD_OVERRUN_SET2)
		return 0xff; /* the set-1 overrun code */
	if (code < sizeof(set2_to_set1) && set2_to_set1[code])
		return set2_to_set1[code];
	return code;
}

void ps2_queue_clear(struct ps2_queue *q)
{
	q->head = 0;
	q->count = 0;
}

bool ps2_queue_put(struct ps2_queue *q, uint8_t byte)
{
	if (q->count == PS2_QUEUE_SIZE)
		return false;
	q->data[(q->head + q->count) % PS2_QUEUE_SIZE] = byte;
	q->count++;
	return true;
}

unsigned ps2_queue_space(const struct ps2_queue *q)
{
	return PS2_QUEUE_SIZE - q->count;
}

uint8_t ps2_queue_get(struct ps2_queue *q)
{
	uint8_t byte;

	if (q->count == 0)
		return 0;
	byte = q->data[q->head];
	q->head = (q->head + 1) % PS2_QUEUE_SIZE;
	q->count--;
	return byte;
}

static void kbd_send(struct ps2_keyboard *k, uint8_t byte)
{
	k->last_sent = byte;
	ps2_queue_put(&k->out, byte);
}

/* The default settings (command F6): set 2, 10.9 cps, 500 ms. */
static void kbd_defaults(struct ps2_keyboard *k)
{
	k->scancode_set = 2;
	k->typematic = 0x2b;
	k->pending_cmd = 0;
	k->break_prefix = false;
}

void ps2_keyboard_reset(struct ps2_keyboard *k)
{
	ps2_queue_clear(&k->out);
	kbd_defaults(k);
	k->leds = 0;
	k->scanning = true;
	k->last_sent = 0;
}

/* The second byte of ED, F3 and F0; false: not a valid parameter. */
static bool kbd_parameter(struct ps2_keyboard *k, uint8_t cmd, uint8_t param)
{
	switch (cmd) {
	case 0xed: /* Set/Reset Mode Indicators */
		if (param & 0xf8)
			return false;
		k->leds = param;
		kbd_send(k, KBD_ACK);
		return true;
	case 0xf3: /* Set Typematic Rate/Delay */
		if (param & 0x80)
			return false;
		k->typematic = param;
		kbd_send(k, KBD_ACK);
		return true;
	case 0xf0: /* Select Alternate Scan Codes */
		if (param > 3)
			return false;
		kbd_send(k, KBD_ACK);
		if (param == 0)
			kbd_send(k, k->scancode_set);
		else
			k->scancode_set = param;
		return true;
	default:
		return false;
	}
}

void ps2_keyboard_write(struct ps2_keyboard *k, uint8_t byte)
{
	uint8_t cmd = k->pending_cmd;

	k->pending_cmd = 0;
	/*
	 * A byte after a command that takes a parameter is that parameter;
	 * one that cannot be is taken as a new command, as the keyboard does
	 * with any command byte it receives instead of a parameter.
	 */
	if (cmd && kbd_parameter(k, cmd, byte))
		return;
	if (cmd && byte < 0xed) {
		kbd_send(k, KBD_RESEND);
		k->pending_cmd = cmd;
		return;
	}
	switch (byte) {
	case 0xed: /* Set/Reset Mode Indicators */
	case 0xf3: /* Set Typematic Rate/Delay */
	case 0xf0: /* Select Alternate Scan Codes */
		kbd_send(k, KBD_ACK);
		k->pending_cmd = byte;
		return;
	case 0xee: /* Echo */
		kbd_send(k, KBD_ECHO);
		return;
	case 0xf2: /* Read ID */
		kbd_send(k, KBD_ACK);
		kbd_send(k, KBD_ID1);
		kbd_send(k, KBD_ID2);
		return;
	case 0xf4: /* Enable */
		ps2_queue_clear(&k->out);
		k->scanning = true;
		kbd_send(k, KBD_ACK);
		return;
	case 0xf5: /* Default Disable */
		ps2_queue_clear(&k->out);
		kbd_defaults(k);
		k->scanning = false;
		kbd_send(k, KBD_ACK);
		return;
	case 0xf6: /* Set Default */
		ps2_queue_clear(&k->out);
		kbd_defaults(k);
		k->scanning = true;
		kbd_send(k, KBD_ACK);
		return;
	case 0xf7:
	case 0xf8:
	case 0xf9:
	case 0xfa: /* set 3 key types */
	case 0xfb:
	case 0xfc:
	case 0xfd:
		kbd_send(k, KBD_ACK);
		return;
	case 0xfe: /* Resend */
		ps2_queue_put(&k->out, k->last_sent);
		return;
	case 0xff: /* Reset: acknowledge, then the basic assurance test */
		ps2_keyboard_reset(k);
		kbd_send(k, KBD_ACK);
		kbd_send(k, KBD_BAT_OK);
		return;
	default:
		kbd_send(k, KBD_RESEND);
		return;
	}
}

/* One set-2 byte from the host, converted to the selected set. */
static void kbd_key_byte(struct ps2_keyboard *k, uint8_t code)
{
	if (k->scancode_set != 1) {
		/* Set 3 is not modelled: its keys come as set 2. */
		ps2_queue_put(&k->out, code);
		return;
	}
	if (code == 0xf0) {
		k->break_prefix = true;
		return;
	}
	code = ps2_set2_to_set1(code);
	if (k->break_prefix && code != 0xe0 && code != 0xe1)
		code |= 0x80;
	if (code != 0xe0 && code != 0xe1)
		k->break_prefix = false;
	ps2_queue_put(&k->out, code);
}

void ps2_keyboard_keys(struct ps2_keyboard *k, const uint8_t *set2, unsigned n)
{
	if (!k->scanning)
		return;
	/* A key sequence is queued whole or not at all; a full buffer gets
	 * the overrun code in its last place. */
	if (ps2_queue_space(&k->out) < n + 1) {
		if (ps2_queue_space(&k->out) > 0)
			ps2_queue_put(&k->out, k->scancode_set == 1 ?
						       0xff :
						       KBD_OVERRUN_SET2);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		kbd_key_byte(k, set2[i]);
}
