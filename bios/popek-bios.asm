; SPDX-License-Identifier: MIT
;
; popek BIOS: a 64 KiB PC BIOS image written for popek from the public
; specifications (IBM PC/AT BIOS interfaces as listed in Ralf Brown's
; interrupt list, the El Torito and EDD 3.0 specifications, VBE 2.0/3.0,
; ACPI 2.0, the MP specification 1.4, the VGA and ATA/ATAPI register
; references).  Assembled with `nasm -f bin -I bios/`.
;
; The image is mapped at 0xF0000 (and below 4 GiB); the CPU starts at the
; reset vector F000:FFF0, which jumps to POST (post.asm).  POST sets up the
; machine and the interrupt vectors, then INT 19h loads a boot sector.
; Everything runs in real mode except two short trips into protected mode
; (post.asm: flat segment limits for the memory above 1 MiB; INT 15h
; AH=87h).

	bits 16
	cpu 686
	org 0

%include "defs.inc"

rom_start:
	db "popek BIOS", 0

%include "print.asm"
%include "post.asm"
%include "pci.asm"
%include "video.asm"
%include "vbe.asm"
%include "keyboard.asm"
%include "ata.asm"
%include "floppy.asm"
%include "disk.asm"
%include "eltorito.asm"
%include "boot.asm"
%include "services.asm"
%include "acpi.asm"
%include "mptable.asm"

; ---- fonts (the VGA helper's generated files when present) ----
%ifndef FONT8X16_INC
%define FONT8X16_INC "font8x16.inc"
%endif
%ifndef FONT8X8_INC
%define FONT8X8_INC "font8x8.inc"
%endif
	align 16
font8x16:
%include FONT8X16_INC
font8x8:
%include FONT8X8_INC

rom_code_end:
	; the fixed part must not be overrun (nasm stops on a negative TIMES)

; ---- fixed locations at the top of the segment ----
	times 0xFFF0 - ($ - $$) db 0xFF
reset_vector:				; F000:FFF0
	jmp BIOS_SEG:post_entry
	db "07/01/24"			; F000:FFF5 BIOS date
	db 0
	db 0xFC				; F000:FFFE model: PC/AT
	db 0
