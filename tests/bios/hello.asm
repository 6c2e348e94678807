; SPDX-License-Identifier: MIT
;
; hello: a boot sector that writes one line through INT 10h teletype and
; ends through port 0xF4 (status 0); run-bios.sh reads the screen back
; with -vga-text-dump.

	org 0x7C00
	bits 16
	xor ax, ax
	mov ds, ax
	mov si, msg
	cld
.l:	lodsb
	test al, al
	jz .e
	mov ah, 0x0E
	xor bx, bx
	int 0x10
	jmp .l
.e:	xor al, al
	out 0xF4, al
	cli
	hlt
msg:	db "hello from the boot sector", 13, 10, 0
	times 510 - ($ - $$) db 0
	dw 0xAA55
