; vga-text.asm - text on the VGA with no BIOS: popek's VGA comes up in
; mode 03h (80x25, 9x16 cells, B8000), as a VGA BIOS leaves it, so a boot
; image can write characters and attributes straight into B800:0000.
; Checks registers through their ports (misc output, CRTC read-back,
; cursor location, the attribute flip-flop) and that vertical retrace in
; input status 1 comes and goes.  tests/run-display.sh compares the
; screen with tests/display/vga-text.txt and checks screenshot pixels.
%include "lib.inc"

%define TAG "vga-text"

org 0x7C00
bits 16
	RM_START
	mov ax, 0xb800
	mov es, ax

	mov di, 0 * 160 + 0 * 2
	mov ah, 0x1f
	mov si, s_title
	call puts
	mov di, 2 * 160 + 2 * 2
	mov ah, 0x4e
	mov si, s_top
	call puts
	mov di, 3 * 160 + 2 * 2
	mov si, s_mid
	call puts
	mov di, 4 * 160 + 2 * 2
	mov si, s_bot
	call puts
	mov di, 6 * 160 + 0 * 2
	mov ah, 0x07
	mov si, s_cp437
	call puts
	mov word [es:10 * 160 + 40 * 2], 0x0edb ; yellow full block

	CHK8 byte [es:0], 'p', "character in plane 0 reads back"
	CHK8 byte [es:1], 0x1f, "attribute in plane 1 reads back"

	mov dx, 0x3cc
	in al, dx
	CHK8 al, 0x67, "misc output is mode 03h's (colour, 28 MHz)"
	mov dx, 0x3d4
	mov al, 0x13
	out dx, al
	inc dx
	in al, dx
	CHK8 al, 0x28, "CRTC offset: 80 characters a row"

	; Cursor to row 12, column 0 (12 * 80 = 0x3C0).
	mov dx, 0x3d4
	mov ax, 0x030e
	out dx, ax
	mov ax, 0xc00f
	out dx, ax
	mov al, 0x0e
	out dx, al
	inc dx
	in al, dx
	CHK8 al, 0x03, "cursor location high (word OUT: index, data)"
	dec dx
	mov al, 0x0f
	out dx, al
	inc dx
	in al, dx
	CHK8 al, 0xc0, "cursor location low"

	; Attribute controller: reading 0x3DA makes the next 0x3C0 write an
	; index; the palette stays visible (PAS, bit 5).
	mov dx, 0x3da
	in al, dx
	mov dx, 0x3c0
	mov al, 0x31 ; overscan colour, PAS
	out dx, al
	mov al, 0x00
	out dx, al
	in al, dx
	CHK8 al, 0x31, "attribute index reads back"
	mov dx, 0x3c1
	in al, dx
	CHK8 al, 0x00, "overscan colour reads back"

	; Vertical retrace must start and end as virtual time goes by.
	mov dx, 0x3da
	mov ecx, 10000000
.wait_on:
	in al, dx
	test al, 8
	jnz .on
	loop .wait_on, ecx
.on:
	PASSIF nz, "vertical retrace begins"
	mov ecx, 10000000
.wait_off:
	in al, dx
	test al, 8
	jz .off
	loop .wait_off, ecx
.off:
	PASSIF z, "vertical retrace ends"
	FINISH

; puts: DS:SI string, ES:DI screen, AH attribute
puts:
	lodsb
	test al, al
	jz .done
	stosw
	jmp puts
.done:
	ret

s_title:	db "popek VGA text", 0
s_top:		db 0xc9, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xbb, 0
s_mid:		db 0xba, " text ", 0xba, 0
s_bot:		db 0xc8, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xbc, 0
s_cp437:	db 0x84, 0x82, 0x81, " ", 0xb0, 0xb1, 0xb2, 0xdb, 0

	LIB_ALL
	LIB_GDT
