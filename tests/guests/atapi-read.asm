; atapi-read.asm - an ATAPI CD-ROM on the secondary master, by PIO with
; polling: signature, PACKET with READ CAPACITY and READ(10) of one
; 2048-byte sector, the interrupt reason and byte count registers, and
; REQUEST SENSE after a read past the end of the disc.
; popek-image: -cdrom media/cd-pattern.asm
%include "lib.inc"

%define BUF   0xC000
%define IDE2  0x170

org 0x7C00
bits 16
	RM_START
%define TAG "atapi"
	mov dx, IDE2 + 6
	mov al, 0xA0
	out dx, al
	mov dx, IDE2 + 4
	in al, dx
	mov ah, al
	inc dx
	in al, dx
	CHK16 ax, 0x14EB, "signature 14h EBh"

	; ---- READ CAPACITY ----
	mov si, pkt_capacity
	mov bx, 8
	call packet
	CHK8 al, 0x48, "READ CAPACITY: data phase"
	CHK16 cx, 8, "READ CAPACITY: byte count 8"
	call read_data
	call wait_ready
	CHK8 al, 0x40, "READ CAPACITY: done"
	CHK32 dword [BUF], 0x0F000000, "READ CAPACITY: last LBA 15 (big-endian)"
	CHK32 dword [BUF + 4], 0x00080000, "READ CAPACITY: 2048-byte blocks"

	; ---- READ(10) LBA 3, 1 sector, byte count limit 2048 ----
	mov si, pkt_read3
	mov bx, 2048
	call packet
	CHK8 al, 0x48, "READ(10): data phase"
	CHK16 cx, 2048, "READ(10): byte count 2048"
	mov dx, IDE2 + 2
	in al, dx
	CHK8 al, 2, "READ(10): interrupt reason I/O (data to host)"
	call read_data
	call wait_ready
	CHK8 al, 0x40, "READ(10): done"
	mov dx, IDE2 + 2
	in al, dx
	CHK8 al, 3, "READ(10): interrupt reason I/O + C/D (completion)"
	CHK32 dword [BUF], 0x45504F50, "sector 3: 'POPE'"
	CHK32 dword [BUF + 8], 3, "sector 3: its LBA"
	CHK8 byte [BUF + 1000], 3, "sector 3: filler byte"
	CHK32 dword [BUF + 2044], 0xC0DE0003, "sector 3: last dword"

	; ---- past the end: CHECK CONDITION, then REQUEST SENSE ----
	mov si, pkt_read16
	mov bx, 2048
	call packet
	CHK8 al, 0x41, "READ(10) at LBA 16: ERR"
	mov dx, IDE2 + 1
	in al, dx
	CHK8 al, 0x54, "READ(10) at LBA 16: sense key 5 in the error register"
	mov si, pkt_sense
	mov bx, 18
	call packet
	call read_data
	call wait_ready
	CHK8 byte [BUF + 2], 0x05, "REQUEST SENSE: ILLEGAL REQUEST"
	CHK8 byte [BUF + 12], 0x21, "REQUEST SENSE: LBA out of range"
	FINISH

; packet: SI = 12 command bytes, BX = byte count limit.  Returns AL =
; the status after the command bytes and CX = the byte count.
packet:
	mov dx, IDE2 + 1
	xor al, al
	out dx, al
	mov dx, IDE2 + 4
	mov al, bl
	out dx, al
	inc dx
	mov al, bh
	out dx, al
	mov dx, IDE2 + 7
	mov al, 0xA0
	out dx, al
	call wait_drq
	mov cx, 6
	mov dx, IDE2
	rep outsw
	call wait_drq
	push ax
	mov dx, IDE2 + 4
	in al, dx
	mov cl, al
	inc dx
	in al, dx
	mov ch, al
	pop ax
	ret

; read_data: CX bytes (even) from the data port into BUF
read_data:
	mov di, BUF
	shr cx, 1
	mov dx, IDE2
	rep insw
	ret

wait_drq:
	push cx
	push dx
	mov cx, 0xFFFF
	mov dx, 0x376
.l:	in al, dx
	test al, 0x80
	jnz .n
	test al, 0x09
	jnz .d
.n:	loop .l
.d:	pop dx
	pop cx
	ret
wait_ready:
	push cx
	push dx
	mov cx, 0xFFFF
	mov dx, 0x376
.l:	in al, dx
	test al, 0x80
	loopnz .l
	mov dx, IDE2 + 7
	in al, dx
	pop dx
	pop cx
	ret

pkt_capacity:	db 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
pkt_read3:	db 0x28, 0, 0, 0, 0, 3, 0, 0, 1, 0, 0, 0
pkt_read16:	db 0x28, 0, 0, 0, 0, 16, 0, 0, 1, 0, 0, 0
pkt_sense:	db 0x03, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0

	LIB_ALL
	LIB_GDT
