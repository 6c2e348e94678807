; SPDX-License-Identifier: MIT
;
; Puts popek's own BIOS (bios/popek-bios.bin, assembled from bios/*.asm)
; into popek's executable as read-only data between popek_bios_start and
; popek_bios_end; machine/image.h declares them for C, machine/machine.c
; maps them as the firmware when no -bios is given and a boot device is.
; Assembled from the project root, where the path below is valid.

	global popek_bios_start:data
	global popek_bios_end:data

	section .rodata
	align 16
popek_bios_start:
	incbin "bios/popek-bios.bin"
popek_bios_end:

	; No executable stack needed: say so, or the linker warns.
	section .note.GNU-stack noalloc noexec nowrite progbits
