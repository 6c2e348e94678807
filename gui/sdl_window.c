// SPDX-License-Identifier: MIT
/*
 * The SDL2 window: shows the VGA's picture (scaled 2x for the small
 * modes), sends keys to the PS/2 keyboard as set-2 codes and, while the
 * mouse is grabbed (click into the window; Ctrl+Alt+G lets go), mouse
 * motion, buttons and wheel to the PS/2 mouse.  Ctrl+Alt+S asks for a
 * screenshot.  Closing the window ends the run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "gui/sdl_window.h"

#if HAVE_SDL2

#include <SDL.h>

#include "gui/keymap.h"
#include "iodev/ps2.h"
#include "iodev/vga.h"
#include "machine/machine.h"

#define TITLE "popek"
#define TITLE_GRABBED "popek (Ctrl+Alt+G releases the mouse)"

struct sdl_window {
	struct machine *m;
	SDL_Window *window;
	SDL_Renderer *renderer;
	SDL_Texture *texture;
	unsigned width, height; /* of the texture, the guest's picture */
	bool grabbed;
	unsigned buttons; /* PS2_MOUSE_* now held */
};

struct sdl_window *sdl_window_open(struct machine *m)
{
	struct sdl_window *w = calloc(1, sizeof(*w));

	if (!w) {
		fprintf(stderr, "popek: out of memory for the window\n");
		return NULL;
	}
	w->m = m;
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "popek: -display sdl: %s\n", SDL_GetError());
		free(w);
		return NULL;
	}
	w->window = SDL_CreateWindow(TITLE, SDL_WINDOWPOS_UNDEFINED,
				     SDL_WINDOWPOS_UNDEFINED, 720, 400,
				     SDL_WINDOW_RESIZABLE);
	if (w->window)
		w->renderer = SDL_CreateRenderer(w->window, -1, 0);
	if (!w->renderer) {
		fprintf(stderr, "popek: -display sdl: %s\n", SDL_GetError());
		sdl_window_close(w);
		return NULL;
	}
	return w;
}

void sdl_window_close(struct sdl_window *w)
{
	if (!w)
		return;
	if (w->texture)
		SDL_DestroyTexture(w->texture);
	if (w->renderer)
		SDL_DestroyRenderer(w->renderer);
	if (w->window)
		SDL_DestroyWindow(w->window);
	SDL_QuitSubSystem(SDL_INIT_VIDEO);
	free(w);
}

static void set_grab(struct sdl_window *w, bool grab)
{
	w->grabbed = grab;
	SDL_SetRelativeMouseMode(grab ? SDL_TRUE : SDL_FALSE);
	SDL_SetWindowTitle(w->window, grab ? TITLE_GRABBED : TITLE);
}

static unsigned ps2_button(uint8_t sdl_button)
{
	switch (sdl_button) {
	case SDL_BUTTON_LEFT:
		return PS2_MOUSE_LEFT;
	case SDL_BUTTON_RIGHT:
		return PS2_MOUSE_RIGHT;
	case SDL_BUTTON_MIDDLE:
		return PS2_MOUSE_MIDDLE;
	default:
		return 0;
	}
}

/* Ctrl+Alt+letter: popek's own keys, not sent to the guest. */
static bool hot_key(struct sdl_window *w, const SDL_KeyboardEvent *k,
		    unsigned *req)
{
	SDL_Keymod mod = SDL_GetModState();

	if (k->type != SDL_KEYDOWN || !(mod & KMOD_CTRL) || !(mod & KMOD_ALT))
		return false;
	switch (k->keysym.scancode) {
	case SDL_SCANCODE_S:
		*req |= SDL_REQUEST_SCREENSHOT;
		return true;
	case SDL_SCANCODE_G:
		if (w->grabbed)
			set_grab(w, false);
		return true;
	default:
		return false;
	}
}

static unsigned handle_event(struct sdl_window *w, const SDL_Event *e)
{
	uint8_t bytes[KEYMAP_MAX_BYTES];
	unsigned n, req = 0;

	switch (e->type) {
	case SDL_QUIT:
		return SDL_REQUEST_QUIT;
	case SDL_KEYDOWN:
	case SDL_KEYUP:
		if (hot_key(w, &e->key, &req))
			return req;
		/* Held keys repeat their make code, as typematic does. */
		n = keymap_set2(e->key.keysym.scancode, e->type == SDL_KEYDOWN,
				bytes);
		if (n)
			ps2_keyboard_send(w->m, bytes, n);
		return 0;
	case SDL_MOUSEBUTTONDOWN:
		if (!w->grabbed) {
			set_grab(w, true);
			return 0;
		}
		w->buttons |= ps2_button(e->button.button);
		ps2_mouse_event(w->m, 0, 0, 0, w->buttons);
		return 0;
	case SDL_MOUSEBUTTONUP:
		if (!w->grabbed)
			return 0;
		w->buttons &= ~ps2_button(e->button.button);
		ps2_mouse_event(w->m, 0, 0, 0, w->buttons);
		return 0;
	case SDL_MOUSEMOTION:
		if (w->grabbed)
			ps2_mouse_event(w->m, e->motion.xrel, e->motion.yrel, 0,
					w->buttons);
		return 0;
	case SDL_MOUSEWHEEL:
		/* SDL's y is positive away from the user; the IntelliMouse
		 * wheel counts towards the user. */
		if (w->grabbed)
			ps2_mouse_event(w->m, 0, 0, -e->wheel.y, w->buttons);
		return 0;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_FOCUS_LOST && w->grabbed)
			set_grab(w, false);
		return 0;
	default:
		return 0;
	}
}

/* A new picture size: a new texture, and the window follows (2x for
 * pictures smaller than 640x400, which are the 320- and 360-wide modes). */
static bool resize(struct sdl_window *w, unsigned width, unsigned height)
{
	int scale = width < 640 && height < 400 ? 2 : 1;

	if (w->texture)
		SDL_DestroyTexture(w->texture);
	w->texture = SDL_CreateTexture(w->renderer, SDL_PIXELFORMAT_RGB888,
				       SDL_TEXTUREACCESS_STREAMING, (int)width,
				       (int)height);
	if (!w->texture)
		return false;
	w->width = width;
	w->height = height;
	SDL_SetWindowSize(w->window, (int)width * scale, (int)height * scale);
	return true;
}

unsigned sdl_window_update(struct sdl_window *w, const struct vga_frame *f)
{
	SDL_Event e;
	unsigned req = 0;

	while (SDL_PollEvent(&e))
		req |= handle_event(w, &e);
	if (!f || !f->pixels)
		return req;
	if ((f->width != w->width || f->height != w->height) &&
	    !resize(w, f->width, f->height))
		return req;
	SDL_UpdateTexture(w->texture, NULL, f->pixels,
			  (int)(f->width * sizeof(uint32_t)));
	SDL_RenderClear(w->renderer);
	SDL_RenderCopy(w->renderer, w->texture, NULL, NULL);
	SDL_RenderPresent(w->renderer);
	return req;
}

#else /* !HAVE_SDL2 */

struct sdl_window *sdl_window_open(struct machine *m)
{
	(void)m;
	fprintf(stderr, "popek: -display sdl: built without SDL2\n");
	return NULL;
}

void sdl_window_close(struct sdl_window *w)
{
	(void)w;
}

unsigned sdl_window_update(struct sdl_window *w, const struct vga_frame *f)
{
	(void)w;
	(void)f;
	return 0;
}

#endif
