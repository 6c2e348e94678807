; SPDX-License-Identifier: MIT
;
; INT 19h: the bootstrap loader.  The order comes from the CMOS as QEMU
; and Bochs keep it (register 3Dh: first device in bits 3-0, second in
; bits 7-4; register 38h bits 7-4: third; 1 floppy, 2 hard disk,
; 3 CD-ROM; register 38h bit 0 set: no 55AAh check on floppies); with
; nothing there, floppy, hard disk, CD-ROM.  The boot sector is entered
; at 0000:7C00 (an El Torito image at its load segment) with DL = the
; BIOS drive number, as the BIOS Boot Specification 1.01 describes.
; INT 18h: no bootable device.

int19_boot:
	sti
	cld
	xor ax, ax
	mov ss, ax
	mov sp, 0x7000
	EBDA_DS
	mov al, 0x3D
	call cmos_read
	mov bl, al
	mov al, 0x38
	call cmos_read
	mov bh, al
	cmp bl, 0xFF
	je .default
	test bl, 0x0F
	jnz .order
.default:
	mov bx, 0x0021			; floppy, disk; CD third
	mov bh, 0x30
.order:	mov [E_PACKET + 12], bh		; floppy signature flag, third
	mov cl, bl
	and cl, 0x0F
	call boot_device
	mov cl, bl
	shr cl, 4
	call boot_device
	mov cl, bh
	shr cl, 4
	call boot_device
	MSG "No bootable device.", 10
	int 0x18

; boot_device: CL = 1 floppy, 2 hard disk, 3 CD-ROM; returns on failure
boot_device:
	push bx
	cmp cl, 1
	je .fd
	cmp cl, 2
	je .hd
	cmp cl, 3
	je .cd
	pop bx
	ret
.fd:	MSG "Booting from floppy...", 10
	cmp byte [E_FD_COUNT], 0
	jne .fd1
	MSG "Floppy: no drive", 10
	pop bx
	ret
.fd1:	xor dl, dl
	call boot_read_sector0
	jc .fdfail
	test byte [E_PACKET + 12], 0x01
	jnz .go
	call boot_check_sig
	jnc .go
.fdfail:
	pop bx
	ret
.hd:	MSG "Booting from hard disk...", 10
	cmp byte [E_NHD], 0
	jne .hd1
	MSG "Hard disk: none", 10
	pop bx
	ret
.hd1:	mov dl, 0x80
	call boot_read_sector0
	jc .fdfail
	call boot_check_sig
	jc .fdfail
	jmp .go
.cd:	MSG "Booting from CD-ROM...", 10
	call cd_boot
	jc .fdfail
	mov dl, [E_CD_DRIVE]
	push ax
	push word 0
	jmp boot_enter
.go:	mov [E_BOOTDRV], dl
	push word 0
	push word 0x7C00
	jmp boot_enter

; boot_read_sector0: the first sector of drive DL to 0000:7C00, three
; tries with a reset between; CF on failure (message printed)
boot_read_sector0:
	push bx
	push cx
	push es
	mov bx, 3
.try:	xor ax, ax
	mov es, ax
	push bx
	mov bx, 0x7C00
	mov ax, 0x0201
	mov cx, 0x0001
	xor dh, dh
	int 0x13
	pop bx
	jnc .ok
	xor ah, ah
	int 0x13
	dec bx
	jnz .try
	MSG "  read error", 10
	stc
.ok:	pop es
	pop cx
	pop bx
	ret

; boot_check_sig: 55h AAh at 0000:7DFE?  CF (message) when not
boot_check_sig:
	push ds
	push ax
	xor ax, ax
	mov ds, ax
	cmp word [0x7DFE], 0xAA55
	pop ax
	pop ds
	je .ok
	MSG "  not bootable (no 55AAh signature)", 10
	stc
	ret
.ok:	clc
	ret

; boot_enter: far address on the stack, DL = drive
boot_enter:
	MSG "Boot sector entered.", 10
	pop cx				; offset
	pop bx				; segment
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7C00
	push bx
	push cx
	xor ax, ax
	xor bx, bx
	xor cx, cx
	xor si, si
	xor di, di
	xor bp, bp
	xor dh, dh
	sti
	retf

int18_noboot:
	MSG "No bootable device: system halted.", 10
.h:	cli
	hlt
	jmp .h
