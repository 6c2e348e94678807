/* SPDX-License-Identifier: MIT */
/* Reading guest images (firmware, boot sectors) from host files. */
#ifndef POPEK_MACHINE_IMAGE_H
#define POPEK_MACHINE_IMAGE_H

#include <stdint.h>

/*
 * Read the whole of path into a new buffer (freed by the caller).  Files
 * larger than max_size are refused without reading them.  who names the
 * option in the one error line.  Returns 0, or -1 after that line.
 */
int image_read(const char *path, const char *who, uint64_t max_size,
	       uint8_t **data, uint64_t *size);

/* popek's own BIOS ROM image (bios/popek-bios.bin), linked in by nasm. */
extern const uint8_t popek_bios_start[];
extern const uint8_t popek_bios_end[];

/* The built-in demo guest (machine/demo-guest.asm), linked in by nasm. */
extern const uint8_t demo_guest_start[];
extern const uint8_t demo_guest_end[];

#endif
