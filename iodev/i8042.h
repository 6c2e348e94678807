/* SPDX-License-Identifier: MIT */
/*
 * The 8042 keyboard controller of the PC/AT and PS/2 (IBM PS/2 Hardware
 * Interface Technical Reference, "Keyboard and Auxiliary Device
 * Controller"): data port 0x60, status/command port 0x64, the keyboard on
 * IRQ 1 and the auxiliary (mouse) port on IRQ 12, the command byte with
 * set 2 to set 1 translation, and the output port with the A20 gate and
 * the reset line.
 */
#ifndef POPEK_IODEV_I8042_H
#define POPEK_IODEV_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "iodev/ps2.h"

struct machine;

#define I8042_DATA_PORT 0x60
#define I8042_STATUS_PORT 0x64 /* read: status; write: command */
#define I8042_KBD_IRQ 1
#define I8042_AUX_IRQ 12

/* Status register. */
#define I8042_STR_OBF 0x01 /* output buffer full */
#define I8042_STR_IBF 0x02 /* input buffer full */
#define I8042_STR_SYS 0x04 /* system flag */
#define I8042_STR_CMD 0x08 /* last write was to port 0x64 */
#define I8042_STR_UNLOCKED 0x10 /* keyboard not inhibited */
#define I8042_STR_AUXB 0x20 /* the output buffer holds aux data */
#define I8042_STR_TIMEOUT 0x40
#define I8042_STR_PARITY 0x80

/* Command byte (controller RAM byte 0). */
#define I8042_CB_KBD_INT 0x01
#define I8042_CB_AUX_INT 0x02
#define I8042_CB_SYS 0x04
#define I8042_CB_KBD_DISABLE 0x10
#define I8042_CB_AUX_DISABLE 0x20
#define I8042_CB_TRANSLATE 0x40

/* Output port. */
#define I8042_OUT_RESET 0x01 /* active low: 0 resets the processor */
#define I8042_OUT_A20 0x02
#define I8042_OUT_KBD_OBF 0x10 /* IRQ 1 */
#define I8042_OUT_AUX_OBF 0x20 /* IRQ 12 */

#define I8042_CTRL_QUEUE 8

struct i8042 {
	struct machine *m;
	struct ps2_keyboard kbd;
	struct ps2_mouse mouse;

	uint8_t ram[32]; /* byte 0 is the command byte */
	uint8_t status;
	uint8_t out_byte; /* the output buffer */
	uint8_t out_port;
	/* A command at port 0x64 waiting for its data byte at 0x60, or 0. */
	uint8_t pending_cmd;
	bool translate_break; /* translation saw F0 from the keyboard */

	/* Controller replies, ahead of device bytes; bit 8: aux data. */
	uint16_t ctrl_queue[I8042_CTRL_QUEUE];
	unsigned ctrl_head, ctrl_count;

	bool irq1, irq12; /* the levels we drive */
};

/* Returns NULL after one line on stderr. */
struct i8042 *i8042_create(struct machine *m);
void i8042_destroy(struct i8042 *k);
void i8042_reset(struct i8042 *k);

/* Fill the output buffer from the devices if it is empty (after host
 * input reached a device). */
void i8042_service(struct i8042 *k);

#endif
