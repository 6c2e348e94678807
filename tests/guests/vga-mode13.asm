; vga-mode13.asm - mode 13h programmed register by register (no BIOS):
; misc output, sequencer (chain-4), CRTC (unlocked through CR11), graphics
; controller, attribute controller, then all 256 DAC entries, then a
; 320x200 picture: pixel (x, y) has colour (x + 2y) mod 256, and colour c
; is red c/4, green (c mod 8) * 8, blue 63 - c/4 (6-bit DAC values).
; Checks DAC and pixel read-back; tests/run-display.sh compares the
; screenshot pixel by pixel with the same picture made by pngtool.
%include "lib.inc"

%define TAG "vga-mode13"

org 0x7C00
bits 16
	RM_START

	mov dx, 0x3c2
	mov al, 0x63
	out dx, al
	; Sequencer: synchronous reset, then SR1-SR4, then run.
	mov dx, 0x3c4
	mov ax, 0x0100
	out dx, ax
	mov si, seq_regs
	mov cx, 4
	mov bl, 1
	call write_indexed
	mov ax, 0x0300
	out dx, ax
	; CRTC: clear the protect bit, then CR00-CR18.
	mov dx, 0x3d4
	mov al, 0x11
	out dx, al
	inc dx
	in al, dx
	and al, 0x7f
	out dx, al
	dec dx
	mov si, crtc_regs
	mov cx, 25
	mov bl, 0
	call write_indexed
	; Graphics controller GR00-GR08.
	mov dx, 0x3ce
	mov si, gc_regs
	mov cx, 9
	mov bl, 0
	call write_indexed
	; Attribute controller AR00-AR13, then PAS on.
	mov dx, 0x3da
	in al, dx
	mov dx, 0x3c0
	mov si, attr_regs
	xor bl, bl
.attr:	mov al, bl
	out dx, al
	lodsb
	out dx, al
	inc bl
	cmp bl, 20
	jb .attr
	mov al, 0x20
	out dx, al

	; The DAC: 256 entries from index 0.
	mov dx, 0x3c8
	xor al, al
	out dx, al
	inc dx
	xor bx, bx
.dac:	mov al, bl
	shr al, 2
	out dx, al
	mov al, bl
	and al, 7
	shl al, 3
	out dx, al
	mov al, bl
	shr al, 2
	neg al
	add al, 63
	out dx, al
	inc bx
	cmp bx, 256
	jb .dac

	; The picture.
	mov ax, 0xa000
	mov es, ax
	xor di, di
	xor bx, bx ; y
.row:	mov ax, bx
	shl ax, 1 ; colour at x = 0
	mov cx, 320
.px:	stosb
	inc al
	loop .px
	inc bx
	cmp bx, 200
	jb .row

	; Read-backs.
	mov dx, 0x3c7
	mov al, 100
	out dx, al
	mov dx, 0x3c9
	in al, dx
	CHK8 al, 25, "DAC entry 100 red"
	in al, dx
	CHK8 al, 32, "DAC entry 100 green"
	in al, dx
	CHK8 al, 38, "DAC entry 100 blue"
	CHK8 byte [es:7 * 320 + 5], 19, "chain-4 pixel (5, 7) reads back"
	CHK8 byte [es:199 * 320 + 319], (319 + 398) & 0xff, "last pixel reads back"
	mov dx, 0x3c4
	mov al, 4
	out dx, al
	inc dx
	in al, dx
	CHK8 al, 0x0e, "SR04: chain-4, sequential"
	FINISH

; write_indexed: DX index port, BL first index, CX count, DS:SI values
write_indexed:
	mov al, bl
	mov ah, [si]
	out dx, ax
	inc si
	inc bl
	loop write_indexed
	ret

seq_regs:	db 0x01, 0x0f, 0x00, 0x0e
crtc_regs:	db 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f
		db 0x00, 0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
		db 0x9c, 0x8e, 0x8f, 0x28, 0x40, 0x96, 0xb9, 0xa3, 0xff
gc_regs:	db 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff
attr_regs:	db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
		db 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f
		db 0x41, 0x00, 0x0f, 0x00

	LIB_ALL
	LIB_GDT
