; SPDX-License-Identifier: MIT
;
; reset-disk: a boot sector that resets the PC three ways and checks that
; each reset rebooted it.  CMOS byte 6Eh (unused by the BIOSes; the RTC
; keeps its CMOS over a reset) counts the boots:
;   0: set it to 1, reset through the 8042 (command FEh to port 64h)
;   1: "ok", set 2, reset through port CF9h (02h, then 06h: bit 2 rises,
;      PIIX3 datasheet, Reset Control Register)
;   2: "ok", set 3, reset through port 92h (bit 0 rises)
;   3: "ok", set 0, exit through port F4h with 0 (popek status 1)
; A reset that does not happen ends in CLI; HLT (popek status 4).  Lines
; go to port E9h: "# ..." for progress, "ok - ..." / "not ok - ...".

	org 0x7C00
	bits 16

MARK	equ 0x6E

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7C00
	cld
	mov al, MARK
	out 0x70, al
	in al, 0x71
	cmp al, 0
	je boot0
	cmp al, 1
	je boot1
	cmp al, 2
	je boot2
	cmp al, 3
	je boot3
	mov si, msg_bad
	call print
	mov al, 1
	out 0xF4, al
	jmp hang

boot0:
	mov si, msg_boot0
	call print
	mov ah, 1
	call set_mark
	mov al, 0xFE		; pulse the output port's reset line
	out 0x64, al
	jmp hang

boot1:
	mov si, msg_ok8042
	call print
	mov ah, 2
	call set_mark
	mov dx, 0xCF9
	mov al, 0x02
	out dx, al
	mov al, 0x06
	out dx, al
	jmp hang

boot2:
	mov si, msg_okcf9
	call print
	mov ah, 3
	call set_mark
	in al, 0x92
	and al, 0xFE
	out 0x92, al
	or al, 0x01
	out 0x92, al
	jmp hang

boot3:
	mov si, msg_ok92
	call print
	mov ah, 0
	call set_mark
	xor al, al
	out 0xF4, al
hang:
	cli
	hlt
	jmp hang

; set_mark: CMOS[MARK] = AH
set_mark:
	mov al, MARK
	out 0x70, al
	mov al, ah
	out 0x71, al
	ret

; print: the zero-terminated string at DS:SI to port E9h
print:
	lodsb
	test al, al
	jz .done
	out 0xE9, al
	jmp print
.done:
	ret

msg_boot0:	db "# boot 1: resetting through the 8042 (FEh to port 64h)", 10, 0
msg_ok8042:	db "ok - the 8042's FEh pulse rebooted the machine", 10
		db "# boot 2: resetting through port CF9h", 10, 0
msg_okcf9:	db "ok - port CF9h rebooted the machine", 10
		db "# boot 3: resetting through port 92h", 10, 0
msg_ok92:	db "ok - port 92h rebooted the machine", 10, 0
msg_bad:	db "not ok - CMOS 6Eh holds an unknown boot count", 10, 0

	times 510 - ($ - $$) db 0
	dw 0xAA55
