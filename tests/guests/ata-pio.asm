; ata-pio.asm - IDE/ATA by PIO on the primary master, polling the status
; register (no interrupts): signature, IDENTIFY DEVICE, WRITE SECTORS and
; READ SECTORS (LBA28), READ SECTORS EXT (LBA48), SET MULTIPLE and READ
; MULTIPLE, and the IDNF error past the end of the disk.
; popek-image: -hda 2M
%include "lib.inc"

%define BUF_W 0xC000            ; two sectors written
%define BUF_R 0xC400            ; two sectors read back
%define IDBUF 0xC800            ; IDENTIFY data
%define ATA   0x1F0

org 0x7C00
bits 16
	RM_START
%define TAG "ata"
	mov dx, ATA + 7
	in al, dx
	CHK8 al, 0x50, "status after power-on: DRDY DSC"
	mov dx, ATA + 2
	in al, dx
	CHK8 al, 1, "signature: sector count 1"
	mov dx, ATA + 4
	in al, dx
	mov ah, al
	mov dx, ATA + 5
	in al, dx
	CHK16 ax, 0, "signature: cylinder 0 (ATA, not ATAPI)"

	; ---- IDENTIFY DEVICE ----
	mov dx, ATA + 6
	mov al, 0xA0
	out dx, al
	mov dx, ATA + 7
	mov al, 0xEC
	out dx, al
	call wait_drq
	CHK8 al, 0x58, "IDENTIFY: DRQ set"
	mov di, IDBUF
	mov cx, 256
	mov dx, ATA
	rep insw
	mov dx, ATA + 7
	in al, dx
	CHK8 al, 0x50, "IDENTIFY: DRQ clear after 256 words"
	CHK16 word [IDBUF + 0*2], 0x0040, "IDENTIFY word 0: fixed device"
	CHK16 word [IDBUF + 60*2], 4096, "IDENTIFY words 60-61: 4096 sectors (low)"
	CHK16 word [IDBUF + 61*2], 0, "IDENTIFY words 60-61: 4096 sectors (high)"
	CHK16 word [IDBUF + 100*2], 4096, "IDENTIFY word 100: LBA48 capacity"
	CHK16 word [IDBUF + 27*2], 0x706F, "IDENTIFY model: 'po' byte-swapped"
	mov si, IDBUF
	mov cx, 512
	xor bl, bl
.sum:	add bl, [si]
	inc si
	loop .sum
	CHK8 bl, 0, "IDENTIFY word 255: bytes sum to 0"

	; ---- WRITE SECTORS: LBA 5, 2 sectors ----
	mov di, BUF_W
	mov cx, 512
	mov ax, 0x1234
.fill:	mov [di], ax
	add ax, 0x0301
	add di, 2
	loop .fill
	mov ebx, 5
	mov al, 2
	mov ah, 0x30
	call lba28_cmd
	mov si, BUF_W
	call wait_drq
	CHK8 al, 0x58, "WRITE SECTORS: DRQ for sector 1"
	mov cx, 256
	mov dx, ATA
	rep outsw
	call wait_drq
	CHK8 al, 0x58, "WRITE SECTORS: DRQ for sector 2"
	mov cx, 256
	mov dx, ATA
	rep outsw
	call wait_ready
	CHK8 al, 0x50, "WRITE SECTORS: done"

	; ---- READ SECTORS: LBA 5, 2 sectors ----
	mov ebx, 5
	mov al, 2
	mov ah, 0x20
	call lba28_cmd
	mov di, BUF_R
	call wait_drq
	CHK8 al, 0x58, "READ SECTORS: DRQ for sector 1"
	mov cx, 256
	mov dx, ATA
	rep insw
	call wait_drq
	mov cx, 256
	mov dx, ATA
	rep insw
	call wait_ready
	CHK8 al, 0x50, "READ SECTORS: done"
	mov si, BUF_W
	mov di, BUF_R
	mov cx, 512
	repe cmpsw
	CHK16 cx, 0, "READ SECTORS: the written data read back"

	; ---- READ SECTORS EXT: LBA 6 (48-bit), 1 sector ----
	mov di, BUF_R
	mov cx, 256
	xor ax, ax
	rep stosw
	mov dx, ATA + 6
	mov al, 0x40
	out dx, al
	xor al, al
	mov dx, ATA + 2                 ; previous (high) bytes first
	out dx, al
	inc dx
	out dx, al
	inc dx
	out dx, al
	inc dx
	out dx, al
	mov dx, ATA + 2
	mov al, 1
	out dx, al
	inc dx
	mov al, 6
	out dx, al
	inc dx
	xor al, al
	out dx, al
	inc dx
	out dx, al
	mov dx, ATA + 7
	mov al, 0x24
	out dx, al
	call wait_drq
	mov di, BUF_R
	mov cx, 256
	mov dx, ATA
	rep insw
	mov si, BUF_W + 512
	mov di, BUF_R
	mov cx, 256
	repe cmpsw
	CHK16 cx, 0, "READ SECTORS EXT: sector 6 read back"

	; ---- SET MULTIPLE 2, READ MULTIPLE: one block of 2 sectors ----
	mov dx, ATA + 2
	mov al, 2
	out dx, al
	mov dx, ATA + 7
	mov al, 0xC6
	out dx, al
	call wait_ready
	CHK8 al, 0x50, "SET MULTIPLE MODE 2"
	mov ebx, 5
	mov al, 2
	mov ah, 0xC4
	call lba28_cmd
	call wait_drq
	mov di, BUF_R
	mov cx, 512
	mov dx, ATA
	rep insw
	call wait_ready
	CHK8 al, 0x50, "READ MULTIPLE: both sectors in one DRQ block"
	mov si, BUF_W
	mov di, BUF_R
	mov cx, 512
	repe cmpsw
	CHK16 cx, 0, "READ MULTIPLE: data"

	; ---- past the end: IDNF ----
	mov ebx, 4096
	mov al, 1
	mov ah, 0x20
	call lba28_cmd
	call wait_ready
	CHK8 al, 0x51, "READ SECTORS at LBA 4096: ERR"
	mov dx, ATA + 1
	in al, dx
	CHK8 al, 0x10, "READ SECTORS at LBA 4096: IDNF"
	FINISH

; lba28_cmd: EBX = LBA, AL = count, AH = command
lba28_cmd:
	push dx
	push ax
	mov dx, ATA + 2
	out dx, al
	mov eax, ebx
	inc dx
	out dx, al
	shr eax, 8
	inc dx
	out dx, al
	shr eax, 8
	inc dx
	out dx, al
	shr eax, 8
	and al, 0x0F
	or al, 0xE0
	inc dx
	out dx, al
	pop ax
	mov al, ah
	inc dx
	out dx, al
	pop dx
	ret

; wait_drq / wait_ready: poll until BSY is clear and (DRQ or ERR) is set,
; or just BSY clear; AL = the status (the alternate status port does not
; acknowledge interrupts, and none are enabled anyway).
wait_drq:
	push cx
	push dx
	mov cx, 0xFFFF
	mov dx, 0x3F6
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
	mov dx, 0x3F6
.l:	in al, dx
	test al, 0x80
	loopnz .l
	mov dx, ATA + 7
	in al, dx
	pop dx
	pop cx
	ret

	LIB_ALL
	LIB_GDT
