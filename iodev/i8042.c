// SPDX-License-Identifier: MIT
/*
 * The 8042 keyboard controller.  References are to the IBM PS/2 Hardware
 * Interface Technical Reference, "Keyboard and Auxiliary Device
 * Controller": status register, command byte, commands, output port.
 *
 * The controller is instantaneous: a byte written to it is taken at once
 * (IBF never reads 1) and a device's next byte moves into the output
 * buffer as soon as the guest read the previous one.
 */
#include <stdio.h>
#include <stdlib.h>

#include "iodev/i8042.h"
#include "machine/machine.h"

/* Input port as the self-test leaves it: keyboard not inhibited. */
#define I8042_INPUT_PORT 0x80

static uint8_t command_byte(const struct i8042 *k)
{
	return k->ram[0];
}

static void update_irqs(struct i8042 *k)
{
	bool full = k->status & I8042_STR_OBF;
	bool aux = k->status & I8042_STR_AUXB;
	bool irq1 = full && !aux && (command_byte(k) & I8042_CB_KBD_INT);
	bool irq12 = full && aux && (command_byte(k) & I8042_CB_AUX_INT);

	if (irq1 != k->irq1) {
		k->irq1 = irq1;
		irq_set(k->m, I8042_KBD_IRQ, irq1);
	}
	if (irq12 != k->irq12) {
		k->irq12 = irq12;
		irq_set(k->m, I8042_AUX_IRQ, irq12);
	}
}

static void fill_output(struct i8042 *k, uint8_t byte, bool aux)
{
	k->out_byte = byte;
	k->status |= I8042_STR_OBF;
	if (aux)
		k->status |= I8042_STR_AUXB;
	else
		k->status &= ~I8042_STR_AUXB;
}

/* The next keyboard byte, translated to set 1 when the command byte says
 * so (F0 is swallowed and sets bit 7 of the byte after it).  false: none. */
static bool next_keyboard_byte(struct i8042 *k, uint8_t *out)
{
	while (k->kbd.out.count) {
		uint8_t b = ps2_queue_get(&k->kbd.out);

		if (!(command_byte(k) & I8042_CB_TRANSLATE)) {
			*out = b;
			return true;
		}
		if (b == 0xf0) {
			k->translate_break = true;
			continue;
		}
		b = ps2_set2_to_set1(b);
		if (k->translate_break)
			b |= 0x80;
		k->translate_break = false;
		*out = b;
		return true;
	}
	return false;
}

void i8042_service(struct i8042 *k)
{
	uint8_t b;

	if (!(k->status & I8042_STR_OBF)) {
		if (k->ctrl_count) {
			uint16_t v = k->ctrl_queue[k->ctrl_head];

			k->ctrl_head = (k->ctrl_head + 1) % I8042_CTRL_QUEUE;
			k->ctrl_count--;
			fill_output(k, (uint8_t)v, v & 0x100);
		} else if (!(command_byte(k) & I8042_CB_KBD_DISABLE) &&
			   next_keyboard_byte(k, &b)) {
			fill_output(k, b, false);
		} else if (!(command_byte(k) & I8042_CB_AUX_DISABLE) &&
			   k->mouse.out.count) {
			fill_output(k, ps2_queue_get(&k->mouse.out), true);
		}
	}
	update_irqs(k);
}

/* A byte the controller itself puts in the output buffer. */
static void reply(struct i8042 *k, uint8_t byte, bool aux)
{
	if (k->ctrl_count < I8042_CTRL_QUEUE) {
		k->ctrl_queue[(k->ctrl_head + k->ctrl_count) % I8042_CTRL_QUEUE] =
			byte | (aux ? 0x100 : 0);
		k->ctrl_count++;
	}
	i8042_service(k);
}

static uint8_t output_port(const struct i8042 *k)
{
	uint8_t v = k->out_port & ~(I8042_OUT_KBD_OBF | I8042_OUT_AUX_OBF);

	if (k->status & I8042_STR_OBF)
		v |= (k->status & I8042_STR_AUXB) ? I8042_OUT_AUX_OBF :
						    I8042_OUT_KBD_OBF;
	return v;
}

static void write_output_port(struct i8042 *k, uint8_t v)
{
	k->out_port = v;
	machine_set_a20(k->m, v & I8042_OUT_A20);
	/* Bit 0 drives the processor's reset line, active low. */
	if (!(v & I8042_OUT_RESET))
		machine_request_reset(k->m, "8042 output port");
}

static void write_command_byte(struct i8042 *k, uint8_t v)
{
	k->ram[0] = v;
	if (v & I8042_CB_SYS)
		k->status |= I8042_STR_SYS;
	else
		k->status &= ~I8042_STR_SYS;
	i8042_service(k);
}

/* The data byte of a two-byte command (written to port 0x60). */
static void command_data(struct i8042 *k, uint8_t cmd, uint8_t v)
{
	if (cmd >= 0x60 && cmd <= 0x7f) { /* Write Controller RAM */
		if (cmd == 0x60)
			write_command_byte(k, v);
		else
			k->ram[cmd & 0x1f] = v;
		return;
	}
	switch (cmd) {
	case 0xd1: /* Write Output Port */
		write_output_port(k, v);
		return;
	case 0xd2: /* Write Keyboard Output Buffer */
		reply(k, v, false);
		return;
	case 0xd3: /* Write Auxiliary Device Output Buffer */
		reply(k, v, true);
		return;
	case 0xd4: /* Write to Auxiliary Device */
		ps2_mouse_write(&k->mouse, v);
		i8042_service(k);
		return;
	}
}

static void set_bits(struct i8042 *k, uint8_t set, uint8_t clear)
{
	write_command_byte(k, (uint8_t)((k->ram[0] | set) & ~clear));
}

static void controller_command(struct i8042 *k, uint8_t cmd)
{
	if (cmd >= 0x20 && cmd <= 0x3f) { /* Read Controller RAM */
		reply(k, k->ram[cmd & 0x1f], false);
		return;
	}
	if ((cmd >= 0x60 && cmd <= 0x7f) || (cmd >= 0xd1 && cmd <= 0xd4)) {
		k->pending_cmd = cmd;
		return;
	}
	if (cmd >= 0xf0) {
		/* Pulse Output Port: bits 0-3 that are 0 pulse low; bit 0
		 * is the reset line. */
		if (!(cmd & 0x01))
			machine_request_reset(k->m, "8042 pulse command");
		return;
	}
	switch (cmd) {
	case 0xa7: /* Disable Auxiliary Device */
		set_bits(k, I8042_CB_AUX_DISABLE, 0);
		return;
	case 0xa8: /* Enable Auxiliary Device */
		set_bits(k, 0, I8042_CB_AUX_DISABLE);
		return;
	case 0xa9: /* Auxiliary Device Interface Test: no error */
		reply(k, 0x00, false);
		return;
	case 0xaa: /* Self-Test: 55h, and the system flag is set */
		k->status |= I8042_STR_SYS;
		k->ram[0] |= I8042_CB_SYS;
		reply(k, 0x55, false);
		return;
	case 0xab: /* Keyboard Interface Test: no error */
		reply(k, 0x00, false);
		return;
	case 0xad: /* Disable Keyboard Interface */
		set_bits(k, I8042_CB_KBD_DISABLE, 0);
		return;
	case 0xae: /* Enable Keyboard Interface */
		set_bits(k, 0, I8042_CB_KBD_DISABLE);
		return;
	case 0xc0: /* Read Input Port */
		reply(k, I8042_INPUT_PORT, false);
		return;
	case 0xd0: /* Read Output Port */
		reply(k, output_port(k), false);
		return;
	case 0xdd: /* Disable A20 (not on every 8042; common on PCs) */
		write_output_port(k, k->out_port & ~I8042_OUT_A20);
		return;
	case 0xdf: /* Enable A20 */
		write_output_port(k, k->out_port | I8042_OUT_A20);
		return;
	case 0xe0: /* Read Test Inputs: clock and data lines low */
		reply(k, 0x00, false);
		return;
	default: /* not implemented: ignored, as unknown commands are */
		return;
	}
}

static uint32_t i8042_io_read(void *dev, uint16_t port, unsigned size)
{
	struct i8042 *k = dev;
	uint8_t v;

	(void)size;
	if (port == I8042_STATUS_PORT)
		return k->status;
	v = k->out_byte;
	k->status &= ~(I8042_STR_OBF | I8042_STR_AUXB);
	i8042_service(k);
	return v;
}

static void i8042_io_write(void *dev, uint16_t port, unsigned size,
			   uint32_t value)
{
	struct i8042 *k = dev;
	uint8_t v = (uint8_t)value;

	(void)size;
	if (port == I8042_STATUS_PORT) {
		k->status |= I8042_STR_CMD;
		k->pending_cmd = 0;
		controller_command(k, v);
		return;
	}
	k->status &= ~I8042_STR_CMD;
	if (k->pending_cmd) {
		uint8_t cmd = k->pending_cmd;

		k->pending_cmd = 0;
		command_data(k, cmd, v);
		return;
	}
	ps2_keyboard_write(&k->kbd, v);
	i8042_service(k);
}

void i8042_reset(struct i8042 *k)
{
	for (unsigned i = 0; i < sizeof(k->ram); i++)
		k->ram[i] = 0;
	/* Keyboard interrupt on, mouse port off, translation on. */
	k->ram[0] = I8042_CB_KBD_INT | I8042_CB_AUX_DISABLE |
		    I8042_CB_TRANSLATE;
	k->status = I8042_STR_UNLOCKED;
	k->pending_cmd = 0;
	k->translate_break = false;
	k->ctrl_head = k->ctrl_count = 0;
	k->out_port = I8042_OUT_RESET | (k->m->a20 ? I8042_OUT_A20 : 0);
	ps2_keyboard_reset(&k->kbd);
	ps2_mouse_reset(&k->mouse);
	i8042_service(k);
}

static void i8042_system_reset(void *dev)
{
	i8042_reset(dev);
}

struct i8042 *i8042_create(struct machine *m)
{
	struct i8042 *k = calloc(1, sizeof(*k));

	if (!k) {
		fprintf(stderr, "popek: out of memory for the 8042\n");
		return NULL;
	}
	k->m = m;
	if (io_register(m, I8042_DATA_PORT, 1, k, i8042_io_read, i8042_io_write,
			"i8042") != 0 ||
	    io_register(m, I8042_STATUS_PORT, 1, k, i8042_io_read,
			i8042_io_write, "i8042") != 0 ||
	    machine_add_reset(m, i8042_system_reset, k) != 0) {
		free(k);
		return NULL;
	}
	i8042_reset(k);
	return k;
}

void i8042_destroy(struct i8042 *k)
{
	if (k)
		machine_remove_reset(k->m, k);
	free(k);
}

void ps2_keyboard_send(struct machine *m, const uint8_t *set2_bytes, unsigned n)
{
	if (!m->kbc)
		return;
	ps2_keyboard_keys(&m->kbc->kbd, set2_bytes, n);
	i8042_service(m->kbc);
}

void ps2_mouse_event(struct machine *m, int dx, int dy, int dz,
		     unsigned buttons)
{
	if (!m->kbc)
		return;
	ps2_mouse_motion(&m->kbc->mouse, dx, dy, dz, buttons);
	i8042_service(m->kbc);
}
