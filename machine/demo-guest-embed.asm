; SPDX-License-Identifier: MIT
;
; Puts the assembled demo guest (machine/demo-guest.bin) into popek's
; executable as read-only data between demo_guest_start and
; demo_guest_end; machine/image.h declares them for C.  Assembled from the
; project root, where the path below is valid.

	global demo_guest_start:data
	global demo_guest_end:data

	section .rodata
demo_guest_start:
	incbin "machine/demo-guest.bin"
demo_guest_end:

	; No executable stack needed: say so, or the linker warns.
	section .note.GNU-stack noalloc noexec nowrite progbits
