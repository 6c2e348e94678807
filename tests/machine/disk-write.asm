; SPDX-License-Identifier: MIT
;
; disk-write: a boot sector (floppy or disk) that writes sector 5 of its
; boot drive through INT 13h AH=03h, reads it back with AH=02h and checks
; the bytes; run-machine.sh runs it with -snapshot and checks that the
; image file did not change, and without it that the file did.  Lines
; "ok - ..." / "not ok - ..." on port E9h, the failure count to port F4h.

	org 0x7C00
	bits 16

OUTBUF	equ 0x1000
INBUF	equ 0x1200

start:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7C00
	sti
	cld
	mov [drive], dl
	xor bp, bp		; failures

	; the sector as the image has it: zeros
	mov bx, INBUF
	call read_sector
	mov si, INBUF
	mov cx, 512
.zero:	lodsb
	test al, al
	jnz .zdone
	loop .zero
.zdone:	test al, al
	mov si, msg_zero
	call report

	; a pattern written, then read back
	mov di, OUTBUF
	xor ax, ax
	mov cx, 512
.fill:	mov al, cl
	xor al, 0xA5
	stosb
	loop .fill
	mov ax, 0x0301		; write 1 sector
	mov bx, OUTBUF
	call sector_io
	mov si, msg_write
	call report
	mov di, INBUF		; clear the buffer first
	xor ax, ax
	mov cx, 256
	rep stosw
	mov bx, INBUF
	call read_sector
	mov si, OUTBUF
	mov di, INBUF
	mov cx, 512
	repe cmpsb
	mov si, msg_back
	call report

	mov ax, bp
	out 0xF4, al
	cli
	hlt

; read_sector: sector 5 into ES:BX; ZF from the status
read_sector:
	mov ax, 0x0201
; sector_io: AX = function and count, ES:BX the buffer; ZF set: success
sector_io:
	mov cx, 0x0005		; cylinder 0, sector 5
	xor dh, dh		; head 0
	mov dl, [drive]
	int 0x13
	jc .fail
	cmp ah, ah		; ZF = 1
	ret
.fail:	or ah, 1		; ZF = 0
	ret

; report: ZF set = pass; SI the description
report:
	push si
	jnz .bad
	mov si, msg_ok
	call print
	jmp .desc
.bad:	inc bp
	mov si, msg_notok
	call print
.desc:	pop si
	call print
	mov al, 10
	out 0xE9, al
	ret

print:
	lodsb
	test al, al
	jz .done
	out 0xE9, al
	jmp print
.done:	ret

drive:		db 0
msg_ok:		db "ok - ", 0
msg_notok:	db "not ok - ", 0
msg_zero:	db "sector 5 reads as zeros at first", 0
msg_write:	db "INT 13h AH=03h wrote sector 5", 0
msg_back:	db "sector 5 reads back as written", 0

	times 510 - ($ - $$) db 0
	dw 0xAA55
