/* SPDX-License-Identifier: MIT */
/* The SDL2 window behind -display sdl (gui/sdl_window.c). */
#ifndef POPEK_GUI_SDL_WINDOW_H
#define POPEK_GUI_SDL_WINDOW_H

#include <stdbool.h>

struct machine;
struct vga_frame;
struct sdl_window;

/* What the person at the window asked for while events were handled. */
enum sdl_request {
	SDL_REQUEST_NONE = 0,
	SDL_REQUEST_QUIT = 1, /* the window was closed */
	SDL_REQUEST_SCREENSHOT = 2, /* Ctrl+Alt+S */
};

/* NULL after one line on stderr (no SDL2 in this build, no display). */
struct sdl_window *sdl_window_open(struct machine *m);
void sdl_window_close(struct sdl_window *w);

/*
 * Handle the window's pending events (keys and mouse to the PS/2
 * devices, hot keys) and show frame f.  Returns a mask of sdl_request.
 */
unsigned sdl_window_update(struct sdl_window *w, const struct vga_frame *f);

#endif
