; SPDX-License-Identifier: MIT
;
; The ATAPI CD-ROM: El Torito no-emulation boot ("El Torito" Bootable
; CD-ROM Format Specification 1.0: boot record volume descriptor at
; sector 17, boot catalog with validation and initial entries) and the
; INT 13h services of its drive number (E0h): the EDD extensions with
; 2048-byte sectors and 4Bh (terminate disk emulation / get status).

; cd_read_blocks: EAX = first block, CX = blocks, ES:DI buffer (DS =
; EBDA, SI = slot), in pieces of 16 blocks.  DX = blocks read.  CF/AH.
cd_read_blocks:
	push eax
	push cx
	push es
	xor dx, dx
.l:	cmp dx, cx
	jae .ok
	push cx
	sub cx, dx
	cmp cx, 16
	jbe .n
	mov cx, 16
.n:	call atapi_read
	jc .fail
	add dx, cx
	movzx ecx, cx
	add eax, ecx
	shl cx, 7			; 2048 bytes = 128 paragraphs
	push ax
	mov ax, es
	add ax, cx
	mov es, ax
	pop ax
	pop cx
	jmp .l
.fail:	pop cx
	stc
	jmp .e
.ok:	clc
.e:	pop es
	pop cx
	pop eax
	ret

; cd_slot: SI = the CD's ATA slot
cd_slot:
	movzx si, byte [E_CD_DEV]
	shl si, 5
	add si, E_ATA
	ret

; ---------------------------------------------------------------------
; cd_boot: load the El Torito boot image; CF set (message printed) when
; the CD cannot boot, else AX = load segment.  DS = EBDA.
cd_boot:
	cmp byte [E_CD_DEV], 0xFF
	jne .have
	MSG "CD-ROM: no drive", 10
	stc
	ret
.have:	call cd_slot
	call atapi_ready
	jnc .ready
	MSG "CD-ROM: no medium", 10
	stc
	ret
.ready:	push ds
	pop es
	mov di, E_SCRATCH
	mov eax, 17
	mov cx, 1
	call cd_read_blocks
	jc .rderr
	cmp byte [E_SCRATCH], 0
	jne .notboot
	cmp dword [E_SCRATCH + 1], 'CD00'
	jne .notboot
	cmp dword [E_SCRATCH + 7], 'EL T'
	jne .notboot
	cmp dword [E_SCRATCH + 11], 'ORIT'
	jne .notboot
	mov eax, [E_SCRATCH + 0x47]
	mov [E_CD_CAT_LBA], eax
	mov di, E_SCRATCH
	mov cx, 1
	call cd_read_blocks
	jc .rderr
	; validation entry: header 01h, key 55h AAh, words summing to 0
	cmp byte [E_SCRATCH], 1
	jne .badcat
	cmp word [E_SCRATCH + 0x1E], 0xAA55
	jne .badcat
	xor ax, ax
	mov bx, E_SCRATCH
	mov cx, 16
.sum:	add ax, [bx]
	add bx, 2
	loop .sum
	test ax, ax
	jnz .badcat
	; initial/default entry
	cmp byte [E_SCRATCH + 0x20], 0x88
	jne .notboot
	mov al, [E_SCRATCH + 0x21]
	and al, 0x0F
	jnz .emul
	mov ax, [E_SCRATCH + 0x22]
	test ax, ax
	jnz .seg
	mov ax, 0x07C0
.seg:	mov [E_CD_LOADSEG], ax
	mov cx, [E_SCRATCH + 0x26]
	test cx, cx
	jnz .cnt
	inc cx
.cnt:	mov [E_CD_COUNT], cx
	mov eax, [E_SCRATCH + 0x28]
	mov [E_CD_IMG_LBA], eax
	; 512-byte virtual sectors, four to a CD block
	add cx, 3
	shr cx, 2
	mov es, [E_CD_LOADSEG]
	xor di, di
	call cd_read_blocks
	jc .rderr
	mov byte [E_CD_BOOTED], 1
	mov al, [E_CD_DRIVE]
	mov [E_BOOTDRV], al
	MSG "CD-ROM: El Torito no-emulation image, "
	movzx eax, word [E_CD_COUNT]
	call print_dec
	MSG " sectors at "
	mov ax, [E_CD_LOADSEG]
	call print_hex16
	MSG ":0000", 10
	mov ax, [E_CD_LOADSEG]
	clc
	ret
.rderr:	MSG "CD-ROM: read error", 10
	stc
	ret
.notboot:
	MSG "CD-ROM: not bootable (no El Torito boot record)", 10
	stc
	ret
.badcat:
	MSG "CD-ROM: bad El Torito boot catalog", 10
	stc
	ret
.emul:	MSG "CD-ROM: floppy/hard-disk emulation is not supported", 10
	stc
	ret

; ---------------------------------------------------------------------
; INT 13h for the CD's drive number (DS = EBDA)
cd_service:
	call cd_slot
	mov ah, [F_AH]
	cmp ah, 0x00
	je int13_ok
	cmp ah, 0x01
	je hd_last_status
	cmp ah, 0x41
	je .check
	cmp ah, 0x42
	je .read
	cmp ah, 0x43
	je .wp
	cmp ah, 0x44
	je int13_ok
	cmp ah, 0x45
	je .lock
	cmp ah, 0x46
	je .eject
	cmp ah, 0x47
	je int13_ok
	cmp ah, 0x48
	je .params
	cmp ah, 0x49
	je int13_ok
	cmp ah, 0x4E
	je int13_ok
	mov ah, 0x01
	jmp int13_error
.check:	mov cx, 0x0007
	jmp ext_check_common
.wp:	mov ah, 0x03
	jmp int13_error
.lock:	mov al, [F_AL]			; 0 lock, 1 unlock, 2 status
	cmp al, 2
	ja .badf
	xor ah, ah
	cmp al, 0
	jne .l1
	mov ah, 1
.l1:	mov [F_AL], ah
	jmp int13_ok
.badf:	mov ah, 0x01
	jmp int13_error
.eject:	mov ah, 0xB5			; eject failed: the medium stays
	jmp int13_error
.read:	call ext_packet
	jc int13_error
	cmp dword [E_LBA + 4], 0
	jne .range
	mov eax, [E_LBA]
	call cd_read_blocks
	call ext_set_count
	jc int13_error
	jmp int13_ok
.range:	xor dx, dx
	call ext_set_count
	mov ah, 0x04
	jmp int13_error
.params:
	mov es, [F_DS]
	mov di, [F_SI]
	mov ax, [es:di]
	cmp ax, 0x1A
	jb .badf
	push ax
	mov word [es:di], 0x1A
	mov word [es:di + 2], 0x0074	; removable, change line, lockable
	xor eax, eax
	mov [es:di + 4], eax
	mov [es:di + 8], eax
	mov [es:di + 12], eax
	mov [es:di + 20], eax
	mov word [es:di + 24], 2048
	; READ CAPACITY: last block, block length (big-endian)
	mov dword [E_PACKET], 0x25
	mov dword [E_PACKET + 4], 0
	mov dword [E_PACKET + 8], 0
	push es
	push di
	push ds
	pop es
	mov di, E_SCRATCH
	mov bx, 8
	call atapi_packet
	pop di
	pop es
	mov eax, 0xFFFFFFFF
	jc .cap
	mov eax, [E_SCRATCH]
	bswap eax
	inc eax
.cap:	mov [es:di + 16], eax
	pop ax
	call edd_dpte_path
	jmp int13_ok

; AH=4Bh: AL = 00h terminate emulation, 01h status only; DS:SI gets the
; 13h-byte specification packet.  Nothing is emulated after a
; no-emulation boot, so both only report.
cd_emulation_service:
	cmp byte [E_CD_BOOTED], 0
	je .no
	mov al, [F_AL]
	cmp al, 1
	ja .no
	mov es, [F_DS]
	mov di, [F_SI]
	mov byte [es:di], 0x13
	mov byte [es:di + 1], 0		; no emulation
	mov al, [E_CD_DRIVE]
	mov [es:di + 2], al
	call cd_slot
	mov al, [si + A_CHAN]
	mov [es:di + 3], al		; controller index
	mov eax, [E_CD_IMG_LBA]
	mov [es:di + 4], eax
	movzx ax, byte [si + A_SLAVE]
	mov [es:di + 8], ax		; device specification
	mov word [es:di + 10], 0	; no buffer segment
	mov ax, [E_CD_LOADSEG]
	mov [es:di + 12], ax
	mov ax, [E_CD_COUNT]
	mov [es:di + 14], ax
	mov word [es:di + 16], 0
	mov byte [es:di + 18], 0
	jmp int13_ok
.no:	mov ah, 0x01
	jmp int13_error
