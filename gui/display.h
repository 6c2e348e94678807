/* SPDX-License-Identifier: MIT */
/*
 * The display side of a run: the window (-display sdl) or none
 * (-display none), screenshots (-screenshot, Ctrl+Alt+S) and the text
 * dump (-vga-text-dump) written when the run ends.
 */
#ifndef POPEK_GUI_DISPLAY_H
#define POPEK_GUI_DISPLAY_H

#include <stdbool.h>

struct machine;
struct display;

enum display_kind {
	DISPLAY_NONE,
	DISPLAY_SDL,
};

/*
 * Parse a -display value: "sdl" or "none".  Returns 0, or -1 when the
 * name is unknown or (sdl) popek was built without SDL2.
 */
int display_parse(const char *name, enum display_kind *kind);

/* With no -display: sdl when built with SDL2 and $DISPLAY or
 * $WAYLAND_DISPLAY is set, else none. */
enum display_kind display_default(void);

/*
 * Open what m->opt asks for.  Checks that the -screenshot and
 * -vga-text-dump files can be created (returns NULL with one line on
 * stderr and *bad_input set when not) and opens the window, which then
 * refreshes between the run loop's slices.  NULL with *bad_input clear:
 * the window could not be opened.
 */
struct display *display_open(struct machine *m, bool *bad_input);

/*
 * The run is over: write -screenshot and -vga-text-dump, close the
 * window.  Returns 0, or -1 when a file could not be written (a line on
 * stderr says which).
 */
int display_close(struct display *d);

/* Render the screen now and write it to path as PNG; 0 or -1. */
int display_screenshot(struct display *d, const char *path);

#endif
