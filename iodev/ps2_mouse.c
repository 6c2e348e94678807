// SPDX-License-Identifier: MIT
/*
 * The PS/2 mouse (IBM PS/2 Hardware Interface Technical Reference,
 * "Pointing Device": commands, status bytes, data report format) with the
 * Microsoft IntelliMouse wheel extension: the sample rates 200, 100, 80
 * set in a row switch the device ID to 3 and the reports to four bytes.
 */
#include <stdlib.h>

#include "iodev/ps2.h"

#define MOUSE_ACK 0xfa
#define MOUSE_RESEND 0xfe
#define MOUSE_ERROR 0xfc
#define MOUSE_BAT_OK 0xaa

/* Report byte 0 (technical reference, "Data Report"). */
#define PKT_ALWAYS_1 0x08
#define PKT_X_SIGN 0x10
#define PKT_Y_SIGN 0x20
#define PKT_X_OVERFLOW 0x40
#define PKT_Y_OVERFLOW 0x80

/* Status byte 1 of the Status Request reply. */
#define STATUS_RIGHT 0x01
#define STATUS_MIDDLE 0x02
#define STATUS_LEFT 0x04
#define STATUS_SCALING 0x10
#define STATUS_ENABLED 0x20
#define STATUS_REMOTE 0x40

static void mouse_send(struct ps2_mouse *ms, uint8_t byte)
{
	ms->last_sent = byte;
	ps2_queue_put(&ms->out, byte);
}

/* Set Defaults: 100 samples/s, 4 counts/mm, 1:1, stream, disabled. */
static void mouse_defaults(struct ps2_mouse *ms)
{
	ms->rate = 100;
	ms->resolution = 2;
	ms->scaling_2to1 = false;
	ms->reporting = false;
	ms->remote = false;
	ms->dx = ms->dy = ms->dz = 0;
}

void ps2_mouse_reset(struct ps2_mouse *ms)
{
	ps2_queue_clear(&ms->out);
	mouse_defaults(ms);
	ms->id = 0;
	ms->wrap = false;
	ms->pending_cmd = 0;
	ms->buttons = 0;
	for (unsigned i = 0; i < 3; i++)
		ms->rate_history[i] = 0;
}

static unsigned report_size(const struct ps2_mouse *ms)
{
	return ms->id == 3 ? 4 : 3;
}

/* 2:1 scaling (technical reference, "Scaling"): applies to stream mode. */
static int scale(const struct ps2_mouse *ms, int d)
{
	static const int table[6] = { 0, 1, 1, 3, 6, 9 };
	int mag = abs(d);

	if (!ms->scaling_2to1 || ms->remote)
		return d;
	mag = mag < 6 ? table[mag] : 2 * mag;
	return d < 0 ? -mag : mag;
}

/* Take up to the 9-bit range out of *acc; set *overflow when it was more. */
static int take(int *acc, bool *overflow)
{
	int v = *acc;

	*overflow = v > 255 || v < -256;
	if (v > 255)
		v = 255;
	if (v < -256)
		v = -256;
	*acc = 0;
	return v;
}

/* Queue one data report of the motion accumulated so far. */
static void mouse_report(struct ps2_mouse *ms)
{
	bool ox, oy;
	int dx = scale(ms, take(&ms->dx, &ox));
	int dy = scale(ms, take(&ms->dy, &oy));
	int dz = ms->dz;
	uint8_t b0 = PKT_ALWAYS_1 | (ms->buttons & 7);

	if (dx > 255 || dx < -256)
		dx = dx < 0 ? -256 : 255;
	if (dy > 255 || dy < -256)
		dy = dy < 0 ? -256 : 255;
	if (dx < 0)
		b0 |= PKT_X_SIGN;
	if (dy < 0)
		b0 |= PKT_Y_SIGN;
	if (ox)
		b0 |= PKT_X_OVERFLOW;
	if (oy)
		b0 |= PKT_Y_OVERFLOW;
	mouse_send(ms, b0);
	mouse_send(ms, (uint8_t)dx);
	mouse_send(ms, (uint8_t)dy);
	if (report_size(ms) == 4) {
		/* The wheel byte is a 4-bit two's complement count. */
		if (dz > 7)
			dz = 7;
		if (dz < -8)
			dz = -8;
		mouse_send(ms, (uint8_t)(dz & 0x0f));
	}
	ms->dz -= dz;
}

static void note_rate(struct ps2_mouse *ms, uint8_t rate)
{
	ms->rate_history[0] = ms->rate_history[1];
	ms->rate_history[1] = ms->rate_history[2];
	ms->rate_history[2] = rate;
	if (ms->rate_history[0] == 200 && ms->rate_history[1] == 100 &&
	    ms->rate_history[2] == 80)
		ms->id = 3;
}

static bool mouse_parameter(struct ps2_mouse *ms, uint8_t cmd, uint8_t param)
{
	switch (cmd) {
	case 0xf3: /* Set Sampling Rate */
		ms->rate = param;
		note_rate(ms, param);
		mouse_send(ms, MOUSE_ACK);
		return true;
	case 0xe8: /* Set Resolution */
		if (param > 3)
			return false;
		ms->resolution = param;
		mouse_send(ms, MOUSE_ACK);
		return true;
	default:
		return false;
	}
}

static void mouse_status(struct ps2_mouse *ms)
{
	uint8_t s = 0;

	if (ms->buttons & PS2_MOUSE_LEFT)
		s |= STATUS_LEFT;
	if (ms->buttons & PS2_MOUSE_RIGHT)
		s |= STATUS_RIGHT;
	if (ms->buttons & PS2_MOUSE_MIDDLE)
		s |= STATUS_MIDDLE;
	if (ms->scaling_2to1)
		s |= STATUS_SCALING;
	if (ms->reporting)
		s |= STATUS_ENABLED;
	if (ms->remote)
		s |= STATUS_REMOTE;
	mouse_send(ms, MOUSE_ACK);
	mouse_send(ms, s);
	mouse_send(ms, ms->resolution);
	mouse_send(ms, ms->rate);
}

void ps2_mouse_write(struct ps2_mouse *ms, uint8_t byte)
{
	uint8_t cmd = ms->pending_cmd;

	ms->pending_cmd = 0;
	if (cmd) {
		if (!mouse_parameter(ms, cmd, byte))
			mouse_send(ms, MOUSE_ERROR);
		return;
	}
	/* Wrap mode echoes everything but Reset Wrap Mode and Reset. */
	if (ms->wrap && byte != 0xec && byte != 0xff) {
		mouse_send(ms, byte);
		return;
	}
	switch (byte) {
	case 0xe6: /* Reset Scaling */
		ms->scaling_2to1 = false;
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xe7: /* Set Scaling 2:1 */
		ms->scaling_2to1 = true;
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xe8: /* Set Resolution */
	case 0xf3: /* Set Sampling Rate */
		mouse_send(ms, MOUSE_ACK);
		ms->pending_cmd = byte;
		return;
	case 0xe9: /* Status Request */
		mouse_status(ms);
		return;
	case 0xea: /* Set Stream Mode */
		ms->remote = false;
		ms->dx = ms->dy = ms->dz = 0;
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xeb: /* Read Data */
		mouse_send(ms, MOUSE_ACK);
		mouse_report(ms);
		return;
	case 0xec: /* Reset Wrap Mode */
		ms->wrap = false;
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xee: /* Set Wrap Mode */
		ms->wrap = true;
		ms->dx = ms->dy = ms->dz = 0;
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xf0: /* Set Remote Mode */
		ms->remote = true;
		ms->dx = ms->dy = ms->dz = 0;
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xf2: /* Read Device Type */
		mouse_send(ms, MOUSE_ACK);
		mouse_send(ms, ms->id);
		return;
	case 0xf4: /* Enable */
		ms->reporting = true;
		ms->dx = ms->dy = ms->dz = 0;
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xf5: /* Disable */
		ms->reporting = false;
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xf6: /* Set Default */
		mouse_defaults(ms);
		mouse_send(ms, MOUSE_ACK);
		return;
	case 0xfe: /* Resend */
		ps2_queue_put(&ms->out, ms->last_sent);
		return;
	case 0xff: /* Reset: ACK, completion code, ID */
		ps2_mouse_reset(ms);
		mouse_send(ms, MOUSE_ACK);
		mouse_send(ms, MOUSE_BAT_OK);
		mouse_send(ms, 0x00);
		return;
	default:
		mouse_send(ms, MOUSE_RESEND);
		return;
	}
}

void ps2_mouse_motion(struct ps2_mouse *ms, int dx, int dy, int dz,
		      unsigned buttons)
{
	bool changed;

	/* Without the wheel extension the wheel does not exist. */
	if (ms->id != 3)
		dz = 0;
	changed = dx || dy || dz || (buttons & 7) != ms->buttons;
	ms->buttons = buttons & 7;
	if (ms->wrap)
		return;
	/* Accumulate, saturating so a long host drag cannot overflow. */
	ms->dx = ms->dx + dx > 4096  ? 4096 :
		 ms->dx + dx < -4096 ? -4096 :
				       ms->dx + dx;
	/* PS/2 counts up as positive; the host gives screen-down. */
	ms->dy = ms->dy - dy > 4096  ? 4096 :
		 ms->dy - dy < -4096 ? -4096 :
				       ms->dy - dy;
	ms->dz = ms->dz + dz > 64 ? 64 : ms->dz + dz < -64 ? -64 : ms->dz + dz;
	if (ms->remote || !ms->reporting || !changed)
		return;
	/* Stream mode: report while there is room for a whole report. */
	while (ps2_queue_space(&ms->out) >= report_size(ms)) {
		mouse_report(ms);
		if (!ms->dx && !ms->dy && !ms->dz)
			break;
	}
}
