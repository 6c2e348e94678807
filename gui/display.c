// SPDX-License-Identifier: MIT
/*
 * The display front: chooses the window or none, refreshes the window
 * about 60 times a second of host time from the run loop's host tick,
 * and writes screenshots and the text dump.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "gui/display.h"
#include "gui/png.h"
#include "gui/sdl_window.h"
#include "gui/text_dump.h"
#include "iodev/vga.h"
#include "machine/machine.h"

/* Host time between two pictures: 60 Hz. */
#define REFRESH_NS (1000000000ull / 60)

struct display {
	struct machine *m;
	struct sdl_window *window;
	uint64_t next_refresh_ns; /* host monotonic time */
	unsigned screenshots; /* taken with Ctrl+Alt+S */
};

int display_parse(const char *name, enum display_kind *kind)
{
	if (!strcmp(name, "none")) {
		*kind = DISPLAY_NONE;
		return 0;
	}
	if (!strcmp(name, "sdl") && HAVE_SDL2) {
		*kind = DISPLAY_SDL;
		return 0;
	}
	return -1;
}

static bool env_set(const char *name)
{
	const char *value = getenv(name);

	return value && value[0];
}

enum display_kind display_default(void)
{
	if (HAVE_SDL2 && (env_set("DISPLAY") || env_set("WAYLAND_DISPLAY")))
		return DISPLAY_SDL;
	return DISPLAY_NONE;
}

static uint64_t host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The file name for the next Ctrl+Alt+S picture: NAME-N.png after the
 * -screenshot name (without .png), else popek-screenshot-N.png. */
static void next_shot_name(struct display *d, char *out, size_t size)
{
	const char *base = d->m->opt.screenshot ? d->m->opt.screenshot :
						  "popek-screenshot.png";
	size_t len = strlen(base);

	if (len >= 4 && !strcmp(base + len - 4, ".png"))
		len -= 4;
	snprintf(out, size, "%.*s-%u.png", (int)len, base, ++d->screenshots);
}

int display_screenshot(struct display *d, const char *path)
{
	const struct vga_frame *f;

	if (!d->m->vga) {
		fprintf(stderr, "popek: screenshot '%s': no VGA\n", path);
		return -1;
	}
	f = vga_render(d->m->vga);
	return png_write_frame(path, f);
}

/* The run loop's host tick: a new picture once REFRESH_NS have passed. */
static void display_tick(void *opaque)
{
	struct display *d = opaque;
	uint64_t now = host_now_ns();
	unsigned req;

	if (now < d->next_refresh_ns)
		return;
	d->next_refresh_ns = now + REFRESH_NS;
	req = sdl_window_update(d->window, vga_render(d->m->vga));
	if (req & SDL_REQUEST_SCREENSHOT) {
		char name[4096];

		next_shot_name(d, name, sizeof(name));
		if (display_screenshot(d, name) == 0)
			fprintf(stderr, "popek: screenshot written to %s\n",
				name);
	}
	if (req & SDL_REQUEST_QUIT)
		/* Closing the window ends the run, status 0, as in QEMU. */
		machine_request_exit(d->m, MACHINE_EXIT_INTERRUPTED,
				     POPEK_EXIT_OK, "%s", "");
}

/* Can path be created?  Its folder must exist and be writable. */
static bool creatable(const char *option, const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (!path[0] || (slash && slash[1] == '\0')) {
		fprintf(stderr, "popek: %s: '%s' is not a file name\n", option,
			path);
		return false;
	}
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (access(dir, W_OK | X_OK) != 0) {
		fprintf(stderr, "popek: %s: cannot create '%s': %s\n", option,
			path, strerror(errno));
		return false;
	}
	return true;
}

struct display *display_open(struct machine *m, bool *bad_input)
{
	struct display *d;

	*bad_input = false;
	if ((m->opt.screenshot && !creatable("-screenshot", m->opt.screenshot)) ||
	    (m->opt.vga_text_dump &&
	     !creatable("-vga-text-dump", m->opt.vga_text_dump))) {
		*bad_input = true;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(stderr, "popek: out of memory for the display\n");
		return NULL;
	}
	d->m = m;
	if (m->opt.display == DISPLAY_SDL && m->vga) {
		d->window = sdl_window_open(m);
		if (!d->window) {
			free(d);
			return NULL;
		}
		m->host_tick = display_tick;
		m->host_tick_opaque = d;
		/* A person types into the window: idle at host speed. */
		m->paced_idle = true;
	}
	return d;
}

int display_close(struct display *d)
{
	struct machine *m;
	int ret = 0;

	if (!d)
		return 0;
	m = d->m;
	if (m->host_tick_opaque == d) {
		m->host_tick = NULL;
		m->host_tick_opaque = NULL;
	}
	if (m->opt.screenshot && display_screenshot(d, m->opt.screenshot) != 0)
		ret = -1;
	if (m->opt.vga_text_dump) {
		if (!m->vga) {
			fprintf(stderr, "popek: -vga-text-dump: no VGA\n");
			ret = -1;
		} else if (text_dump_write(m->opt.vga_text_dump, m->vga) != 0) {
			ret = -1;
		}
	}
	sdl_window_close(d->window);
	free(d);
	return ret;
}
