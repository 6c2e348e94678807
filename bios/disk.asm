; SPDX-License-Identifier: MIT
;
; INT 13h: the disk services.  Drives 00h-01h are floppies (floppy.asm),
; 80h and up the ATA disks in probe order, E0h the ATAPI CD-ROM
; (2048-byte sectors through the extensions, eltorito.asm).  Hard-disk
; functions as in Ralf Brown's interrupt list; 41h-48h as in the
; Enhanced Disk Drive Specification 3.0 (T13/1386D).

disk_init:
	push ds
	EBDA_DS
	call floppy_init
	call ata_probe
	; BIOS numbers: ATA disks 80h.. in slot order, the first ATAPI
	; device is the CD
	xor bx, bx
	xor cx, cx			; CL = hard disks
.s:	mov si, bx
	shl si, 5
	add si, E_ATA
	cmp byte [si + A_TYPE], ATA_TYPE_DISK
	jne .ncd
	movzx di, cl
	mov [E_HDMAP + di], bl
	inc cl
	call dpte_fill
	jmp .n
.ncd:	cmp byte [si + A_TYPE], ATA_TYPE_ATAPI
	jne .n
	cmp byte [E_CD_DEV], 0xFF
	jne .n
	mov [E_CD_DEV], bl
	call dpte_fill
.n:	inc bx
	cmp bx, 4
	jb .s
	mov [E_NHD], cl
	push ds
	BDA_DS
	mov [BDA_HD_COUNT], cl
	pop ds
	pop ds
	ret

; dpte_fill: the EDD device parameter table of slot SI (slot BX)
dpte_fill:
	push ax
	push bx
	push cx
	push di
	mov di, bx
	shl di, 4
	add di, E_DPTE
	mov ax, [si + A_BASE]
	mov [di], ax
	mov ax, [si + A_CTRL]
	mov [di + 2], ax
	mov al, 0xE0			; LBA, device bit below
	cmp byte [si + A_SLAVE], 0
	je .m
	or al, 0x10
.m:	mov [di + 4], al
	mov byte [di + 5], 0
	mov al, 14
	cmp byte [si + A_CHAN], 0
	je .irq
	mov al, 15
.irq:	mov [di + 6], al
	mov byte [di + 7], 1		; sectors per block
	mov word [di + 8], 0		; no DMA, PIO mode 0
	mov ax, 0x0010			; LBA translation
	cmp byte [si + A_TYPE], ATA_TYPE_ATAPI
	jne .f
	mov ax, 0x0060			; removable, ATAPI
.f:	mov [di + 10], ax
	mov word [di + 12], 0
	mov byte [di + 14], 0x11	; revision 1.1
	xor al, al
	mov cx, 15
	mov bx, di
.c:	sub al, [bx]
	inc bx
	loop .c
	mov [di + 15], al
	pop di
	pop cx
	pop bx
	pop ax
	ret

int13_disk:
	ENTER_FRAME
	cld
	sti
	EBDA_DS
	mov ah, [F_AH]
	cmp ah, 0x4B
	je cd_emulation_service
	mov dl, [F_DL]
	test dl, 0x80
	jz floppy_service
	cmp byte [E_CD_DEV], 0xFF
	je .hd
	cmp dl, [E_CD_DRIVE]
	je cd_service
.hd:	sub dl, 0x80
	cmp dl, [E_NHD]
	jb hd_service
	; no such hard disk
	cmp ah, 0x15
	jne .bad
	mov byte [F_AH], 0
	CLR_CF
	jmp int13_leave
.bad:	mov ah, 0x01
	jmp int13_error

; the common ends: AH = status
int13_ok:
	xor ah, ah
int13_status:
	test ah, ah
	jnz int13_error
	mov [F_AH], ah
	CLR_CF
	jmp int13_store
int13_error:
	mov [F_AH], ah
	SET_CF
int13_store:
	push ds
	BDA_DS
	cmp byte [F_DL], 0x80
	jae .hd
	mov [BDA_FD_STATUS], ah
	jmp .e
.hd:	mov [BDA_HD_STATUS], ah
.e:	pop ds
int13_leave:
	LEAVE_FRAME

; ---------------------------------------------------------------------
; Hard disks: DL = index, DS = EBDA
hd_service:
	movzx si, dl
	movzx si, byte [E_HDMAP + si]
	shl si, 5
	add si, E_ATA
	mov ah, [F_AH]
	cmp ah, 0x00
	je int13_ok
	cmp ah, 0x01
	je hd_last_status
	cmp ah, 0x02
	je hd_chs_rw
	cmp ah, 0x03
	je hd_chs_rw
	cmp ah, 0x04
	je hd_chs_rw
	cmp ah, 0x05
	je int13_ok
	cmp ah, 0x08
	je hd_params
	cmp ah, 0x09
	je int13_ok
	cmp ah, 0x0C
	je int13_ok
	cmp ah, 0x0D
	je int13_ok
	cmp ah, 0x10
	je int13_ok
	cmp ah, 0x11
	je int13_ok
	cmp ah, 0x14
	je int13_ok
	cmp ah, 0x15
	je hd_type
	cmp ah, 0x41
	je hd_ext_check
	cmp ah, 0x42
	je hd_ext_rw
	cmp ah, 0x43
	je hd_ext_rw
	cmp ah, 0x44
	je hd_ext_rw
	cmp ah, 0x47
	je hd_ext_rw
	cmp ah, 0x48
	je hd_ext_params
	cmp ah, 0x4E
	je int13_ok
	mov ah, 0x01
	jmp int13_error

hd_last_status:
	push ds
	BDA_DS
	mov al, [BDA_HD_STATUS]
	pop ds
	mov [F_AL], al
	mov byte [F_AH], 0
	CLR_CF
	jmp int13_leave

; AH=02h/03h/04h: AL sectors at CH, CL, DH to ES:BX
hd_chs_rw:
	mov cl, [F_CL]
	mov ch, [F_CH]
	mov dh, [F_DH]
	movzx eax, cl
	and al, 0x3F			; sector
	jz .bad
	cmp ax, [si + A_LSPT]
	ja .bad
	movzx ebx, dh			; head
	cmp bx, [si + A_LHEADS]
	jae .bad
	movzx edx, cl
	shl dx, 2
	and dx, 0x300
	mov dl, ch			; cylinder
	cmp dx, [si + A_LCYL]
	jae .bad
	; LBA = (cylinder * heads + head) * sectors + sector - 1
	push eax
	movzx eax, dx
	movzx ecx, word [si + A_LHEADS]
	mul ecx
	add eax, ebx
	movzx ecx, word [si + A_LSPT]
	mul ecx
	pop ecx
	lea eax, [eax + ecx - 1]
	mov [E_LBA], eax
	mov dword [E_LBA + 4], 0
	movzx ecx, byte [F_AL]
	jcxz .bad
	mov es, [F_ES]
	mov di, [F_BX]
	mov al, [F_AH]
	sub al, 2			; 0 read, 1 write, 2 verify
	call hd_range_check
	jc .range
	call ata_transfer
	jc .err
	jmp int13_ok
.err:	mov byte [F_AL], 0
	jmp int13_error
.range:	mov ah, 0x04
	jmp .err
.bad:	mov ah, 0x04
	mov byte [F_AL], 0
	jmp int13_error

; hd_range_check: [E_LBA] + CX within the disk? CF set when not
hd_range_check:
	push eax
	push edx
	mov eax, [E_LBA]
	mov edx, [E_LBA + 4]
	add eax, ecx
	adc edx, 0
	; compare EDX:EAX with the size (qword at A_SECTORS)
	cmp edx, [si + A_SECTORS + 4]
	ja .out
	jb .in
	cmp eax, [si + A_SECTORS]
	ja .out
.in:	clc
	pop edx
	pop eax
	ret
.out:	stc
	pop edx
	pop eax
	ret

; AH=08h: geometry
hd_params:
	mov ax, [si + A_LCYL]
	dec ax
	cmp ax, 1023
	jbe .c
	mov ax, 1023
.c:	mov [F_CH], al
	shr ax, 2
	and al, 0xC0
	or al, [si + A_LSPT]
	mov [F_CL], al
	mov al, [si + A_LHEADS]
	dec al
	mov [F_DH], al
	mov al, [E_NHD]
	mov [F_DL], al
	mov byte [F_AL], 0
	jmp int13_ok

; AH=15h: type 3 (fixed disk), CX:DX = sectors the CHS geometry reaches
hd_type:
	movzx eax, word [si + A_LCYL]
	movzx ecx, word [si + A_LHEADS]
	mul ecx
	movzx ecx, word [si + A_LSPT]
	mul ecx
	mov [F_DX], ax
	shr eax, 16
	mov [F_CX], ax
	mov byte [F_AH], 3
	CLR_CF
	jmp int13_leave

; AH=41h: extensions present?  EDD 3.0: fixed disk access and EDD
hd_ext_check:
	mov cx, 0x0005
ext_check_common:
	cmp word [F_BX], 0x55AA
	jne .no
	mov word [F_BX], 0xAA55
	mov [F_CX], cx
	mov byte [F_AH], 0x30
	CLR_CF
	jmp int13_leave
.no:	mov ah, 0x01
	jmp int13_error

; ext_packet: the caller's disk address packet at DS:SI -> [E_LBA],
; ECX = count, ES:DI = buffer; CF set (AH) when malformed
ext_packet:
	push ds
	mov ds, [F_DS]
	mov bx, [F_SI]
	cmp byte [bx], 0x10
	jb .bad
	mov eax, [bx + 8]
	mov edx, [bx + 12]
	movzx ecx, word [bx + 2]
	les di, [bx + 4]
	cmp dword [bx + 4], 0xFFFFFFFF	; a 64-bit flat address
	je .bad
	pop ds
	mov [E_LBA], eax
	mov [E_LBA + 4], edx
	clc
	ret
.bad:	pop ds
	mov ah, 0x01
	stc
	ret

; ext_set_count: DX -> the block count of the caller's packet
ext_set_count:
	push ds
	push bx
	mov ds, [F_DS]
	mov bx, [F_SI]
	mov [bx + 2], dx
	pop bx
	pop ds
	ret

; AH=42h read, 43h write, 44h verify, 47h seek
hd_ext_rw:
	call ext_packet
	jc int13_error
	mov al, [F_AH]
	cmp al, 0x47
	je .seek
	sub al, 0x42			; 0 read, 1 write, 2 verify
	call hd_range_check
	jc .range
	; in pieces of at most 128 sectors
	xor dx, dx			; done
.piece:	cmp dx, cx
	jae .done
	push cx
	sub cx, dx
	cmp cx, 128
	jbe .n
	mov cx, 128
.n:	push ax
	call ata_transfer
	mov bl, ah
	pop ax
	jc .fail
	add dx, cx
	movzx ecx, cx
	add [E_LBA], ecx
	adc dword [E_LBA + 4], 0
	shl cx, 5			; paragraphs
	push ax
	mov ax, es
	add ax, cx
	mov es, ax
	pop ax
	pop cx
	jmp .piece
.fail:	pop cx
	call ext_set_count
	mov ah, bl
	jmp int13_error
.done:	call ext_set_count
	jmp int13_ok
.range:	xor dx, dx
	call ext_set_count
	mov ah, 0x04
	jmp int13_error
.seek:	jmp int13_ok

; AH=48h: drive parameters into DS:SI
hd_ext_params:
	mov es, [F_DS]
	mov di, [F_SI]
	mov ax, [es:di]
	cmp ax, 0x1A
	jb .bad
	mov word [es:di], 0x1A
	mov word [es:di + 2], 0x0002	; CHS information valid
	movzx eax, word [si + A_LCYL]
	mov [es:di + 4], eax
	movzx eax, word [si + A_LHEADS]
	mov [es:di + 8], eax
	movzx eax, word [si + A_LSPT]
	mov [es:di + 12], eax
	mov eax, [si + A_SECTORS]
	mov [es:di + 16], eax
	mov eax, [si + A_SECTORS + 4]
	mov [es:di + 20], eax
	mov word [es:di + 24], 512
	call edd_dpte_path
	jmp int13_ok
.bad:	mov ah, 0x01
	jmp int13_error

; edd_dpte_path: ES:DI = the caller's buffer (its size word still the
; caller's in AX), SI = slot: the DPTE pointer (0x1E) and the EDD 3.0
; device path (0x42) when the buffer has room
edd_dpte_path:
	cmp ax, 0x1E
	jb .e
	mov word [es:di], 0x1E
	mov bx, si
	sub bx, E_ATA
	shr bx, 1			; slot * 16
	add bx, E_DPTE
	mov [es:di + 26], bx
	mov [es:di + 28], ds
	cmp ax, 0x42
	jb .e
	mov word [es:di], 0x42
	mov word [es:di + 30], 0xBEDD
	mov byte [es:di + 32], 0x24	; bytes 30-65
	mov byte [es:di + 33], 0
	mov word [es:di + 34], 0
	mov dword [es:di + 36], 'PCI '
	mov dword [es:di + 40], 'ATA '
	mov dword [es:di + 44], '    '
	cmp byte [si + A_TYPE], ATA_TYPE_ATAPI
	jne .ata
	mov dword [es:di + 40], 'ATAP'
	mov dword [es:di + 44], 'I   '
.ata:	; interface path: PCI bus 0, device 1, function 1 (PIIX3 IDE);
	; the channel in the next byte
	mov dword [es:di + 48], 0x00010100
	mov al, [si + A_CHAN]
	mov [es:di + 51], al
	mov dword [es:di + 52], 0
	; device path: master 0 / slave 1
	movzx eax, byte [si + A_SLAVE]
	mov [es:di + 56], eax
	mov dword [es:di + 60], 0
	mov byte [es:di + 64], 0
	xor al, al
	mov bx, 30
.sum:	add al, [es:di + bx]
	inc bx
	cmp bx, 65
	jb .sum
	neg al
	mov [es:di + 65], al
.e:	ret
