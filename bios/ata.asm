; SPDX-License-Identifier: MIT
;
; IDE: ATA disks and ATAPI CD-ROMs on the two legacy channels (0x1F0/
; 0x3F6 and 0x170/0x376), polled PIO with the device interrupt off
; (nIEN).  Commands and registers from ATA/ATAPI-6: IDENTIFY DEVICE
; (ECh), IDENTIFY PACKET DEVICE (A1h), READ/WRITE SECTORS (20h/30h) and
; their EXT forms (24h/34h), READ VERIFY SECTORS (40h/42h), PACKET (A0h)
; with the SCSI/MMC commands TEST UNIT READY, REQUEST SENSE, READ(10).

ata_channels:
	dw 0x1F0, 0x3F6, 0x170, 0x376

%define ATA_SR_ERR	0x01
%define ATA_SR_DRQ	0x08
%define ATA_SR_DF	0x20
%define ATA_SR_DRDY	0x40
%define ATA_SR_BSY	0x80
%define ATA_TIMEOUT	0x400000

; ata_delay400: read the alternate status four times (DX = base)
ata_delay400:
	push ax
	push dx
	mov dx, [si + A_CTRL]
	in al, dx
	in al, dx
	in al, dx
	in al, dx
	pop dx
	pop ax
	ret

; ata_wait: wait for BSY clear; SI = slot.  AL = status; CF on timeout
; or a floating bus (status FFh)
ata_wait:
	push ecx
	push dx
	mov dx, [si + A_BASE]
	add dx, 7
	mov ecx, ATA_TIMEOUT
.l:	in al, dx
	cmp al, 0xFF
	je .to
	test al, ATA_SR_BSY
	jz .ok
	dec ecx
	jnz .l
.to:	stc
	pop dx
	pop ecx
	ret
.ok:	clc
	pop dx
	pop ecx
	ret

; ata_select: the slot's device, then the 400 ns settle
ata_select:
	push ax
	push dx
	mov dx, [si + A_BASE]
	add dx, 6
	mov al, 0xA0
	cmp byte [si + A_SLAVE], 0
	je .m
	or al, 0x10
.m:	out dx, al
	call ata_delay400
	pop dx
	pop ax
	ret

; ata_probe: fill the four slots (DS = EBDA)
ata_probe:
	xor bx, bx			; slot number
.slot:	mov si, bx
	shl si, 5
	add si, E_ATA
	mov byte [si + A_TYPE], 0
	mov al, bl
	and al, 1
	mov [si + A_SLAVE], al
	mov al, bl
	shr al, 1
	mov [si + A_CHAN], al
	push bx
	and bx, 2
	shl bx, 1
	mov ax, [cs:ata_channels + bx]
	mov [si + A_BASE], ax
	mov ax, [cs:ata_channels + bx + 2]
	mov [si + A_CTRL], ax
	pop bx
	test bl, 1
	jnz .noreset
	; a channel with nothing reads FFh
	mov dx, [si + A_BASE]
	add dx, 7
	in al, dx
	cmp al, 0xFF
	jne .reset
	add bx, 2
	cmp bx, 4
	jb .slot
	ret
.reset:	; software reset of the channel, interrupts off (nIEN)
	mov dx, [si + A_CTRL]
	mov al, 0x06
	out dx, al
	call ata_delay400
	mov al, 0x02
	out dx, al
	call ata_delay400
	call ata_wait
.noreset:
	call ata_probe_slot
	inc bx
	cmp bx, 4
	jb .slot
	ret

; ata_probe_slot: SI = slot
ata_probe_slot:
	push bx
	call ata_select
	mov dx, [si + A_BASE]
	; ATAPI signature after reset: cylinder registers 14h, EBh
	add dx, 4
	in al, dx
	mov ah, al
	inc dx
	in al, dx
	cmp ax, 0x14EB
	je .atapi
	; registers that hold what is written mean a device is there
	mov dx, [si + A_BASE]
	add dx, 2
	mov al, 0x55
	out dx, al
	inc dx
	mov al, 0xAA
	out dx, al
	dec dx
	in al, dx
	cmp al, 0x55
	jne .none
	inc dx
	in al, dx
	cmp al, 0xAA
	jne .none
	mov dx, [si + A_BASE]
	add dx, 7
	in al, dx
	test al, al
	jz .none
	; IDENTIFY DEVICE
	mov al, 0xEC
	out dx, al
	call ata_delay400
	call ata_wait
	jc .none
	test al, ATA_SR_ERR
	jnz .err
	test al, ATA_SR_DRQ
	jz .none
	call ata_read_identify
	mov byte [si + A_TYPE], ATA_TYPE_DISK
	mov word [si + A_BLKSIZE], 512
	call ata_parse_identify
	jmp .done
.err:	; aborted: an ATAPI device that did not show its signature?
	mov dx, [si + A_BASE]
	add dx, 4
	in al, dx
	mov ah, al
	inc dx
	in al, dx
	cmp ax, 0x14EB
	jne .none
.atapi:	mov dx, [si + A_BASE]
	add dx, 7
	mov al, 0xA1
	out dx, al
	call ata_delay400
	call ata_wait
	jc .none
	test al, ATA_SR_DRQ
	jz .none
	call ata_read_identify
	mov byte [si + A_TYPE], ATA_TYPE_ATAPI
	mov word [si + A_BLKSIZE], 2048
.done:	call ata_report
.none:	pop bx
	ret

; ata_read_identify: 256 words into the EBDA scratch buffer
ata_read_identify:
	push es
	push di
	push cx
	push dx
	push ds
	pop es
	mov di, E_SCRATCH
	mov dx, [si + A_BASE]
	mov cx, 256
	rep insw
	pop dx
	pop cx
	pop di
	pop es
	ret

; ata_parse_identify: sizes and geometry from the IDENTIFY words
ata_parse_identify:
	mov ax, [E_SCRATCH + 1 * 2]
	mov [si + A_PCYL], ax
	mov ax, [E_SCRATCH + 3 * 2]
	mov [si + A_PHEADS], ax
	mov ax, [E_SCRATCH + 6 * 2]
	mov [si + A_PSPT], ax
	mov byte [si + A_LBA48], 0
	test word [E_SCRATCH + 83 * 2], 1 << 10
	jz .lba28
	mov byte [si + A_LBA48], 1
	mov eax, [E_SCRATCH + 100 * 2]
	mov [si + A_SECTORS], eax
	mov eax, [E_SCRATCH + 102 * 2]
	mov [si + A_SECTORS + 4], eax
	jmp .geo
.lba28:	mov dword [si + A_SECTORS + 4], 0
	test word [E_SCRATCH + 49 * 2], 1 << 9
	jz .chs
	mov eax, [E_SCRATCH + 60 * 2]
	mov [si + A_SECTORS], eax
	jmp .geo
.chs:	movzx eax, word [si + A_PCYL]
	movzx ecx, word [si + A_PHEADS]
	mul ecx
	movzx ecx, word [si + A_PSPT]
	mul ecx
	mov [si + A_SECTORS], eax
.geo:	; the IDENTIFY geometry when INT 13h can show it, otherwise
	; LBA-assisted translation: 63 sectors, 16-255 heads
	mov ax, [si + A_PCYL]
	cmp ax, 1024
	ja .lba
	cmp word [si + A_PHEADS], 16
	ja .lba
	cmp word [si + A_PSPT], 63
	ja .lba
	cmp word [si + A_PSPT], 0
	je .lba
	cmp word [si + A_PHEADS], 0
	je .lba
	mov [si + A_LCYL], ax
	mov ax, [si + A_PHEADS]
	mov [si + A_LHEADS], ax
	mov ax, [si + A_PSPT]
	mov [si + A_LSPT], ax
	ret
.lba:	mov word [si + A_LSPT], 63
	; cylinders of 16 heads: sectors / (16 * 63)
	mov eax, [si + A_SECTORS]
	cmp dword [si + A_SECTORS + 4], 0
	je .sm
	mov eax, 0xFFFFFFFF
.sm:	mov cx, 16
.h:	push eax
	xor edx, edx
	movzx ebx, cx
	imul ebx, ebx, 63
	div ebx
	cmp eax, 1024
	pop eax
	jbe .got
	shl cx, 1
	cmp cx, 256
	jb .h
	mov cx, 255
.got:	mov [si + A_LHEADS], cx
	xor edx, edx
	movzx ebx, cx
	imul ebx, ebx, 63
	div ebx
	cmp eax, 1024
	jbe .c
	mov eax, 1024
.c:	mov [si + A_LCYL], ax
	ret

; ata_report: one line naming the device
ata_report:
	push eax
	MSG "ata"
	mov al, [si + A_CHAN]
	add al, '0'
	call print_char
	mov al, '.'
	call print_char
	mov al, [si + A_SLAVE]
	add al, '0'
	call print_char
	cmp byte [si + A_TYPE], ATA_TYPE_ATAPI
	jne .disk
	MSG ": ATAPI device", 10
	pop eax
	ret
.disk:	MSG ": ATA disk, "
	mov eax, [si + A_SECTORS]
	call print_dec
	MSG " sectors, CHS "
	movzx eax, word [si + A_LCYL]
	call print_dec
	mov al, '/'
	call print_char
	movzx eax, word [si + A_LHEADS]
	call print_dec
	mov al, '/'
	call print_char
	movzx eax, word [si + A_LSPT]
	call print_dec
	mov al, 10
	call print_char
	pop eax
	ret

; ---------------------------------------------------------------------
; ata_transfer: sectors of an ATA disk.
;   DS = EBDA, SI = slot, [E_LBA] = first sector, CX = count (1-256),
;   ES:DI = buffer, AL = 0 read, 1 write, 2 verify.
;   -> CF clear, or CF set and AH = INT 13h status
ata_transfer:
	push bx
	push cx
	push dx
	push di
	push es
	mov bl, al
	; normalise ES:DI: the offset stays below 16, ES moves per sector
	mov ax, di
	shr ax, 4
	mov dx, es
	add dx, ax
	mov es, dx
	and di, 0x0F
	call ata_wait
	jc .timeout
	; LBA48 when the range passes 28 bits
	mov eax, [E_LBA]
	cmp dword [E_LBA + 4], 0
	jne .l48
	movzx edx, cx
	add eax, edx
	jc .l48
	cmp eax, 0x0FFFFFFF
	ja .l48
	cmp cx, 256
	ja .bad
	; LBA28
	mov dx, [si + A_BASE]
	add dx, 6
	mov al, [E_LBA + 3]
	and al, 0x0F
	or al, 0xE0
	cmp byte [si + A_SLAVE], 0
	je .m28
	or al, 0x10
.m28:	out dx, al
	call ata_delay400
	mov dx, [si + A_BASE]
	add dx, 2
	mov al, cl			; 256 -> 0
	out dx, al
	inc dx
	mov al, [E_LBA]
	out dx, al
	inc dx
	mov al, [E_LBA + 1]
	out dx, al
	inc dx
	mov al, [E_LBA + 2]
	out dx, al
	mov bh, 0x20			; READ SECTORS
	cmp bl, 1
	jb .cmd
	mov bh, 0x30			; WRITE SECTORS
	je .cmd
	mov bh, 0x40			; READ VERIFY SECTORS
	jmp .cmd
.l48:	cmp byte [si + A_LBA48], 0
	je .bad
	cmp dword [E_LBA + 4], 0xFFFF
	ja .bad
	mov dx, [si + A_BASE]
	add dx, 6
	mov al, 0xE0
	cmp byte [si + A_SLAVE], 0
	je .m48
	or al, 0x10
.m48:	out dx, al
	call ata_delay400
	mov dx, [si + A_BASE]
	add dx, 2
	mov al, ch			; count, high byte first
	out dx, al
	inc dx
	mov al, [E_LBA + 3]
	out dx, al
	inc dx
	mov al, [E_LBA + 4]
	out dx, al
	inc dx
	mov al, [E_LBA + 5]
	out dx, al
	sub dx, 3
	mov al, cl
	out dx, al
	inc dx
	mov al, [E_LBA]
	out dx, al
	inc dx
	mov al, [E_LBA + 1]
	out dx, al
	inc dx
	mov al, [E_LBA + 2]
	out dx, al
	mov bh, 0x24			; READ SECTORS EXT
	cmp bl, 1
	jb .cmd
	mov bh, 0x34			; WRITE SECTORS EXT
	je .cmd
	mov bh, 0x42			; READ VERIFY SECTORS EXT
.cmd:	mov dx, [si + A_BASE]
	add dx, 7
	mov al, bh
	out dx, al
	call ata_delay400
	cmp bl, 2
	je .verify
.sector:
	call ata_wait
	jc .timeout
	test al, ATA_SR_ERR | ATA_SR_DF
	jnz .error
	test al, ATA_SR_DRQ
	jz .error
	push cx
	mov dx, [si + A_BASE]
	mov cx, 256
	cmp bl, 1
	je .write
	rep insw
	sub di, 512
	jmp .moved
.write:	push si
	push ds
	push es
	pop ds
	mov si, di
	rep outsw
	pop ds
	pop si
.moved:	mov ax, es
	add ax, 512 / 16
	mov es, ax
	pop cx
	call ata_delay400
	dec cx
	jnz .sector
	cmp bl, 1
	jne .ok
.verify:
	call ata_wait			; the write (or verify) finishing
	jc .timeout
	test al, ATA_SR_ERR | ATA_SR_DF
	jnz .error
.ok:	clc
	jmp .e
.timeout:
	mov ah, 0x80
	stc
	jmp .e
.bad:	mov ah, 0x01
	stc
	jmp .e
.error:	mov dx, [si + A_BASE]
	inc dx
	in al, dx			; the error register
	mov ah, 0x04			; IDNF: sector not found
	test al, 0x10
	jnz .ee
	mov ah, 0x10			; UNC: uncorrectable
	test al, 0x40
	jnz .ee
	mov ah, 0x03			; aborted write: write-protected
	cmp bl, 1
	je .ee
	mov ah, 0x20
.ee:	stc
.e:	pop es
	pop di
	pop dx
	pop cx
	pop bx
	ret

; ---------------------------------------------------------------------
; atapi_packet: send the 12-byte packet at EBDA:E_PACKET to slot SI and
; move its data into ES:DI (at most BX bytes are kept; the rest is read
; and dropped).  DS = EBDA.  -> CF set, AH = status on failure
atapi_packet:
	push bx
	push cx
	push dx
	push di
	push es
	call ata_wait
	jc .timeout
	call ata_select
	call ata_wait
	jc .timeout
	mov dx, [si + A_BASE]
	inc dx
	xor al, al			; features: PIO
	out dx, al
	add dx, 3
	xor al, al			; byte count limit 2048
	out dx, al
	inc dx
	mov al, 0x08
	out dx, al
	add dx, 2
	mov al, 0xA0
	out dx, al
	call ata_delay400
	call ata_wait
	jc .timeout
	test al, ATA_SR_ERR
	jnz .error
	test al, ATA_SR_DRQ
	jz .error
	push si
	mov dx, [si + A_BASE]
	mov si, E_PACKET
	mov cx, 6
	rep outsw
	pop si
.data:	call ata_delay400
	call ata_wait
	jc .timeout
	test al, ATA_SR_ERR
	jnz .error
	test al, ATA_SR_DRQ
	jz .ok
	mov dx, [si + A_BASE]
	add dx, 4
	in al, dx
	mov cl, al
	inc dx
	in al, dx
	mov ch, al			; CX = bytes in this block
	inc cx
	shr cx, 1			; words
	mov dx, [si + A_BASE]
	; normalise ES:DI so a 2 KiB block never wraps the offset
	mov ax, di
	shr ax, 4
	push dx
	mov dx, es
	add dx, ax
	mov es, dx
	pop dx
	and di, 0x0F
	; all of the block fits in what the caller keeps: one string move
	mov ax, cx
	add ax, ax
	cmp bx, ax
	jb .w
	sub bx, ax
	rep insw
	jmp .data
.w:	jcxz .data
	in ax, dx
	cmp bx, 2
	jb .drop
	stosw
	sub bx, 2
	dec cx
	jmp .w
.drop:	dec cx
	jmp .w
.ok:	clc
	jmp .e
.timeout:
	mov ah, 0x80
	stc
	jmp .e
.error:	mov ah, 0x20
	stc
.e:	pop es
	pop di
	pop dx
	pop cx
	pop bx
	ret

; atapi_read: EAX = first 2048-byte block, CX = blocks, ES:DI buffer,
; SI = slot, DS = EBDA.  Retries after a unit attention.  CF/AH.
atapi_read:
	push bx
	push dx
	mov dx, 4			; tries
.try:	push eax
	mov dword [E_PACKET], 0
	mov dword [E_PACKET + 4], 0
	mov dword [E_PACKET + 8], 0
	mov byte [E_PACKET], 0x28	; READ(10)
	bswap eax
	mov [E_PACKET + 2], eax
	mov [E_PACKET + 7], ch		; transfer length, big-endian
	mov [E_PACKET + 8], cl
	pop eax
	push cx
	mov bx, cx
	shl bx, 11			; bytes kept (CX <= 31)
	cmp cx, 32
	jb .sz
	mov bx, 0xFFFF
.sz:	call atapi_packet
	pop cx
	jnc .ok
	dec dx
	jz .fail
	call atapi_sense
	jmp .try
.ok:	clc
	pop dx
	pop bx
	ret
.fail:	stc
	pop dx
	pop bx
	ret

; atapi_sense: REQUEST SENSE into the scratch buffer (clears a unit
; attention); atapi_ready: TEST UNIT READY until it answers (bounded)
atapi_sense:
	push eax
	push bx
	push di
	push es
	mov dword [E_PACKET], 0x03
	mov dword [E_PACKET + 4], 18
	mov dword [E_PACKET + 8], 0
	mov byte [E_PACKET + 4], 18
	push ds
	pop es
	mov di, E_SCRATCH
	mov bx, 18
	call atapi_packet
	pop es
	pop di
	pop bx
	pop eax
	ret

atapi_ready:
	push cx
	push bx
	mov cx, 8
.l:	mov dword [E_PACKET], 0
	mov dword [E_PACKET + 4], 0
	mov dword [E_PACKET + 8], 0
	xor bx, bx
	call atapi_packet
	jnc .ok
	call atapi_sense
	loop .l
	stc
.ok:	pop bx
	pop cx
	ret
