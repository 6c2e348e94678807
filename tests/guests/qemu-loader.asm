; qemu-loader.asm - boot sector that lets a popek guest image run under a
; real BIOS (QEMU + SeaBIOS), as an oracle for the guests themselves.
;
; Disk layout: sector 0 = this loader, sectors 1..GUEST_SECTORS = guest
; image (padded).  The loader moves itself to 0x9000:0, reads the guest to
; 0000:7C00 with INT 13h extended reads (drive from DL), masks both PICs
; (the guests never expect IRQs and keep IF=0 except in controlled windows),
; recreates the popek entry state (CS=DS=ES=SS=FS=GS=0, DL=0x80, the rest
; of the GPRs zero, IF=0, A20 on) and jumps to 0000:7C00.

bits 16
org 0

%define RELOC_SEG     0x9000
%define GUEST_SECTORS 120       ; 60 KiB, must match qemu-check.sh
%define CHUNK         32        ; sectors per INT 13h call (16 KiB)

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7C00
	mov ax, RELOC_SEG
	mov es, ax
	mov si, 0x7C00
	xor di, di
	mov cx, 256
	cld
	rep movsw
	jmp RELOC_SEG:relocated

relocated:
	mov ax, cs
	mov ds, ax
	mov [drive], dl
	sti                     ; the BIOS disk services may need IRQs

	mov cx, GUEST_SECTORS
.next:
	mov ax, cx
	cmp ax, CHUNK
	jbe .n
	mov ax, CHUNK
.n:	mov [dap.count], ax
	push cx
	push ax
	mov si, dap
	mov dl, [drive]
	mov ah, 0x42
	int 0x13
	pop ax
	pop cx
	jc .fail
	add [dap.lba], ax       ; next LBA
	shl ax, 5               ; sectors * 512 / 16 = paragraphs
	add [dap.seg], ax
	sub cx, [dap.count]
	jnz .next

	cli
	mov al, 0xFF            ; mask every IRQ on both 8259s
	out 0x21, al
	out 0xA1, al
	in al, 0x92             ; A20 on (fast gate), no reset
	or al, 2
	and al, 0xFE
	out 0x92, al

	xor ax, ax
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov sp, 0x7C00
	xor eax, eax
	xor ebx, ebx
	xor ecx, ecx
	xor esi, esi
	xor edi, edi
	xor ebp, ebp
	mov edx, 0x80
	push word 0x0002        ; FLAGS: IF=0, DF=0
	popf
	jmp 0x0000:0x7C00

.fail:
	mov si, msg_fail
.p:	lodsb
	test al, al
	jz .h
	out 0xE9, al
	jmp .p
.h:	mov al, 0x7F
	out 0xF4, al
	cli
	hlt
	jmp .h

drive:	db 0x80
msg_fail: db "qemu-loader: INT 13h read failed", 10, 0

align 4
dap:
	db 0x10, 0
.count:	dw 0
.off:	dw 0x7C00
.seg:	dw 0
.lba:	dq 1

	times 510 - ($ - $$) db 0
	dw 0xAA55
