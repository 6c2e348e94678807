; SPDX-License-Identifier: MIT
;
; Floppy disks through an 82077AA-compatible controller (ports 3F2h DOR,
; 3F4h MSR, 3F5h FIFO, 3F7h CCR) and channel 2 of the 8237 DMA
; controller, as the 82077AA datasheet and the 8237A datasheet describe
; them.  Drive types from CMOS register 10h.  INT 13h functions 00h-05h,
; 08h, 15h-18h for drives 00h and 01h.

%define FDC_DOR		0x3F2
%define FDC_MSR		0x3F4
%define FDC_FIFO	0x3F5
%define FDC_CCR		0x3F7
%define FD_TIMEOUT	0x800000

; the diskette parameter table INT 1Eh points at
floppy_dpt:
	db 0xDF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08

; per CMOS drive type 0-5: cylinders, sectors per track, data rate
fd_geometry:
	db 0, 0, 0			; none
	db 40, 9, 2			; 1: 360 KiB 5.25", 250 kbit/s
	db 80, 15, 0			; 2: 1.2 MiB 5.25", 500 kbit/s
	db 80, 9, 2			; 3: 720 KiB 3.5"
	db 80, 18, 0			; 4: 1.44 MiB 3.5"
	db 80, 36, 3			; 5: 2.88 MiB 3.5", 1 Mbit/s

; floppy_init: drives from the CMOS, controller reset (DS = EBDA)
floppy_init:
	mov byte [E_FD_COUNT], 0
	mov al, 0x10
	call cmos_read
	cmp al, 0xFF
	je .none
	mov [E_FD_TYPES], al
	test al, 0xF0
	jz .none
	mov ah, 1
	test al, 0x0F
	jz .one
	inc ah
.one:	; only types 1-5 are known
	mov bl, al
	shr bl, 4
	cmp bl, 5
	ja .none
	mov [E_FD_COUNT], ah
	dec ah
	shl ah, 6
	or ah, 0x01			; IPL diskette present, count - 1
	push ds
	BDA_DS
	or [BDA_EQUIP], ah
	pop ds
	mov dx, FDC_MSR
	in al, dx
	cmp al, 0xFF
	je .nofdc
	call fd_reset
	MSG "floppy: "
	movzx eax, byte [E_FD_COUNT]
	call print_dec
	MSG " drive(s), CMOS types "
	mov al, [E_FD_TYPES]
	call print_hex8
	mov al, 10
	call print_char
	ret
.nofdc:	MSG "floppy: CMOS lists drives but no controller answers", 10
	mov byte [E_FD_COUNT], 0
.none:	ret

; fd_type: DL = drive -> AL = CMOS type (0: none)
fd_type:
	push ds
	EBDA_DS
	mov al, [E_FD_TYPES]
	pop ds
	test dl, dl
	jnz .b
	shr al, 4
	ret
.b:	and al, 0x0F
	ret

; fd_wait_irq: wait for IRQ 6 (BDA 3Eh bit 7); CF on timeout
fd_wait_irq:
	push ds
	push ecx
	BDA_DS
	sti
	mov ecx, FD_TIMEOUT
.l:	test byte [BDA_FD_RECAL], 0x80
	jnz .ok
	dec ecx
	jnz .l
	stc
	jmp .e
.ok:	and byte [BDA_FD_RECAL], 0x7F
	clc
.e:	pop ecx
	pop ds
	ret

; fdc_out: AL -> the FIFO when it wants a byte; fdc_in: AL <- FIFO.
; CF on timeout.
fdc_out:
	push dx
	push ecx
	push ax
	mov dx, FDC_MSR
	mov ecx, FD_TIMEOUT
.l:	in al, dx
	and al, 0xC0
	cmp al, 0x80			; RQM, DIO = to the controller
	je .go
	dec ecx
	jnz .l
	pop ax
	stc
	jmp .e
.go:	pop ax
	inc dx
	out dx, al
	clc
.e:	pop ecx
	pop dx
	ret
fdc_in:
	push dx
	push ecx
	mov dx, FDC_MSR
	mov ecx, FD_TIMEOUT
.l:	in al, dx
	and al, 0xC0
	cmp al, 0xC0			; RQM, DIO = to the CPU
	je .go
	dec ecx
	jnz .l
	stc
	jmp .e
.go:	inc dx
	in al, dx
	clc
.e:	pop ecx
	pop dx
	ret

; fd_sense: SENSE INTERRUPT STATUS -> AL = ST0, AH = cylinder
fd_sense:
	push bx
	mov al, 0x08
	call fdc_out
	jc .e
	call fdc_in
	jc .e
	mov bl, al
	call fdc_in
	mov ah, al
	mov al, bl
.e:	pop bx
	ret

; fd_reset: controller reset, SPECIFY; every drive needs recalibration
fd_reset:
	push ax
	push bx
	push cx
	push dx
	push ds
	BDA_DS
	and byte [BDA_FD_RECAL], 0x70
	mov byte [BDA_FD_MOTOR], 0
	mov dx, FDC_DOR
	xor al, al
	out dx, al
	call io_delay
	mov al, 0x0C			; out of reset, DMA and IRQ on
	out dx, al
	call fd_wait_irq
	mov cx, 4			; one sense per drive after a reset
.s:	call fd_sense
	loop .s
	mov al, 0x03			; SPECIFY
	call fdc_out
	mov al, 0xDF			; step rate, head unload
	call fdc_out
	mov al, 0x02			; head load, DMA mode
	call fdc_out
	pop ds
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; fd_motor_on: DL = drive; select it, motor on, data rate for its type
fd_motor_on:
	push ax
	push bx
	push cx
	push dx
	push ds
	BDA_DS
	mov byte [BDA_FD_MOTOR_TMO], 37	; about 2 s of ticks
	mov cl, dl
	mov al, 0x10
	shl al, cl
	or al, 0x0C
	or al, dl
	mov bl, al
	mov dx, FDC_DOR
	out dx, al
	mov al, bl
	shr al, 4
	mov [BDA_FD_MOTOR], al
	pop ds
	pop dx
	push dx
	call fd_type
	movzx bx, al
	imul bx, bx, 3
	mov al, [cs:fd_geometry + bx + 2]
	mov dx, FDC_CCR
	out dx, al
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; fd_seek: DL = drive, CH = cylinder, DH = head; CF/AH on failure
fd_seek:
	push bx
	push ds
	BDA_DS
	; recalibrate once after a reset
	mov bl, 1
	push cx
	mov cl, dl
	shl bl, cl
	pop cx
	test [BDA_FD_RECAL], bl
	jnz .cal
	mov al, 0x07			; RECALIBRATE
	call fdc_out
	jc .to
	mov al, dl
	call fdc_out
	jc .to
	call fd_wait_irq
	jc .to
	call fd_sense
	jc .to
	or [BDA_FD_RECAL], bl
	movzx bx, dl
	mov byte [BDA_FD_TRACK + bx], 0
.cal:	movzx bx, dl
	cmp [BDA_FD_TRACK + bx], ch
	je .ok
	mov al, 0x0F			; SEEK
	call fdc_out
	jc .to
	mov al, dh
	shl al, 2
	or al, dl
	call fdc_out
	jc .to
	mov al, ch
	call fdc_out
	jc .to
	call fd_wait_irq
	jc .to
	call fd_sense
	jc .to
	test al, 0xC0
	jnz .seekerr
	mov [BDA_FD_TRACK + bx], ch
.ok:	clc
	pop ds
	pop bx
	ret
.seekerr:
	mov ah, 0x40
	stc
	pop ds
	pop bx
	ret
.to:	mov ah, 0x80
	stc
	pop ds
	pop bx
	ret

; fd_dma: program channel 2 for BX bytes at ES:DI; AL = mode byte
; (46h device to memory, 4Ah memory to device, 42h verify).  CF when
; the buffer crosses a 64 KiB boundary.
fd_dma:
	push eax
	push ebx
	push ecx
	push edx
	movzx ecx, bx
	dec ecx				; the count register holds bytes - 1
	mov bl, al			; mode
	mov dx, es
	movzx edx, dx
	shl edx, 4
	movzx eax, di
	add edx, eax			; physical address
	mov eax, edx
	and eax, 0xFFFF
	add eax, ecx
	cmp eax, 0xFFFF
	ja .cross
	mov al, 0x06			; mask channel 2
	out 0x0A, al
	mov al, bl
	out 0x0B, al
	out 0x0C, al			; clear the byte flip-flop
	mov al, dl
	out 0x04, al
	mov al, dh
	out 0x04, al
	shr edx, 16
	mov al, dl
	out 0x81, al			; page
	out 0x0C, al
	mov al, cl
	out 0x05, al
	mov al, ch
	out 0x05, al
	mov al, 0x02			; unmask channel 2
	out 0x0A, al
	clc
	jmp .e
.cross:	stc
.e:	pop edx
	pop ecx
	pop ebx
	pop eax
	ret

; ---------------------------------------------------------------------
; INT 13h, DL < 80h (DS = EBDA, frame)
floppy_service:
	mov ah, [F_AH]
	cmp ah, 0x15
	je fd_get_type
	cmp ah, 0x08
	je fd_params
	cmp ah, 0x01
	je fd_last_status
	cmp dl, [E_FD_COUNT]
	jae .nodrive
	cmp ah, 0x00
	je .reset
	cmp ah, 0x02
	je fd_rw
	cmp ah, 0x03
	je fd_rw
	cmp ah, 0x04
	je fd_rw
	cmp ah, 0x16
	je int13_ok			; change line: not changed
	cmp ah, 0x17
	je int13_ok
	cmp ah, 0x18
	je .media
	mov ah, 0x01
	jmp int13_error
.nodrive:
	mov ah, 0x80			; timeout: no drive
	jmp int13_error
.reset:	call fd_reset
	jmp int13_ok
.media:	mov word [F_DI], floppy_dpt
	mov word [F_ES], BIOS_SEG
	jmp int13_ok

fd_last_status:
	push ds
	BDA_DS
	mov al, [BDA_FD_STATUS]
	pop ds
	mov [F_AL], al
	mov byte [F_AH], 0
	CLR_CF
	jmp int13_leave

; AH=15h: 01h diskette without change line, 00h no drive
fd_get_type:
	xor ah, ah
	cmp dl, [E_FD_COUNT]
	jae .s
	mov ah, 1
.s:	mov [F_AH], ah
	CLR_CF
	jmp int13_leave

; AH=08h: drive type and geometry
fd_params:
	mov al, [E_FD_COUNT]
	mov [F_DL], al
	cmp dl, al
	jae .none
	call fd_type
	mov [F_BL], al
	movzx bx, al
	imul bx, bx, 3
	mov al, [cs:fd_geometry + bx]
	dec al
	mov [F_CH], al
	mov al, [cs:fd_geometry + bx + 1]
	mov [F_CL], al
	mov byte [F_DH], 1
	mov word [F_DI], floppy_dpt
	mov word [F_ES], BIOS_SEG
	mov byte [F_AL], 0
	jmp int13_ok
.none:	mov word [F_CX], 0
	mov byte [F_DH], 0
	mov byte [F_BL], 0
	jmp int13_ok

; AH=02h/03h/04h: AL sectors at CH, CL, DH of drive DL, ES:BX
fd_rw:
	call fd_type
	movzx bx, al
	imul bx, bx, 3
	mov al, [cs:fd_geometry + bx + 1]	; sectors per track
	mov [E_PACKET], al
	mov al, [cs:fd_geometry + bx]
	mov [E_PACKET + 1], al		; cylinders
	mov ch, [F_CH]
	mov cl, [F_CL]
	mov dh, [F_DH]
	movzx si, byte [F_AL]		; sectors left
	mov es, [F_ES]
	mov di, [F_BX]
	mov word [E_PACKET + 2], 0	; sectors done
	test si, si
	jz .badp
	test cl, cl
	jz .badp
	cmp cl, [E_PACKET]
	ja .badp
	cmp dh, 1
	ja .badp
	cmp ch, [E_PACKET + 1]
	jae .badp
	call fd_motor_on
.chunk:	test si, si
	jz .done
	; this piece: up to the end of the track
	mov al, [E_PACKET]
	sub al, cl
	inc al
	movzx ax, al
	cmp ax, si
	jbe .n
	mov ax, si
.n:	push ax
	call fd_seek
	jc .err1
	pop ax
	push ax
	; DMA: AX sectors of 512 bytes
	mov bx, ax
	shl bx, 9
	mov al, 0x46
	cmp byte [F_AH], 3
	jb .dm
	mov al, 0x4A
	je .dm
	mov al, 0x42
.dm:	call fd_dma
	mov ah, 0x09			; DMA boundary
	jc .err1
	; READ DATA E6h / WRITE DATA C5h (verify reads without storing)
	mov al, 0xE6
	cmp byte [F_AH], 3
	jne .c
	mov al, 0xC5
.c:	call fdc_out
	jc .to1
	mov al, dh
	shl al, 2
	or al, dl
	call fdc_out
	jc .to1
	mov al, ch
	call fdc_out
	jc .to1
	mov al, dh
	call fdc_out
	jc .to1
	mov al, cl
	call fdc_out
	jc .to1
	mov al, 2			; 512 bytes a sector
	call fdc_out
	jc .to1
	mov al, [E_PACKET]		; end of track
	call fdc_out
	jc .to1
	mov al, 0x1B
	call fdc_out
	jc .to1
	mov al, 0xFF
	call fdc_out
	jc .to1
	call fd_wait_irq
	jc .to1
	; the seven result bytes, kept in the BDA
	push ds
	push di
	BDA_DS
	mov di, BDA_FD_RESULT
	mov bx, 7
.res:	call fdc_in
	jc .rto
	mov [di], al
	inc di
	dec bx
	jnz .res
.rto:	pop di
	mov al, [BDA_FD_RESULT]		; ST0
	mov bl, [BDA_FD_RESULT + 1]	; ST1
	pop ds
	test al, 0xC0
	jnz .st
	pop ax				; sectors of this piece
	add [E_PACKET + 2], ax
	sub si, ax
	; next piece: sector 1 of the other head, or the next cylinder
	shl ax, 5
	mov bx, es
	add bx, ax
	mov es, bx
	mov cl, 1
	xor dh, 1
	jnz .chunk
	inc ch
	jmp .chunk
.st:	mov ah, 0x03			; not writable
	test bl, 0x02
	jnz .err1
	mov ah, 0x02			; no address mark
	test bl, 0x01
	jnz .err1
	mov ah, 0x04			; sector not found
	test bl, 0x04
	jnz .err1
	mov ah, 0x10			; CRC error
	test bl, 0x20
	jnz .err1
	mov ah, 0x20
	jmp .err1
.to1:	mov ah, 0x80
.err1:	pop bx				; the piece
	mov bl, [E_PACKET + 2]
	mov [F_AL], bl
	; a failed transfer leaves the controller in an unknown state
	push ax
	call fd_reset
	pop ax
	jmp int13_error
.done:	mov bl, [E_PACKET + 2]
	mov [F_AL], bl
	jmp int13_ok
.badp:	mov byte [F_AL], 0
	mov ah, 0x01
	jmp int13_error
