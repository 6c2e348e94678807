; SPDX-License-Identifier: MIT
;
; INT 10h AH=4Fh: VESA BIOS Extensions 3.0 on the Bochs VBE "DISPI"
; interface (index port 0x1CE, data port 0x1CF).  The linear framebuffer
; is the display's PCI BAR0 (found by pci.asm).  Functions 00h-09h; the
; protected-mode interface (0Ah) is not offered.

%define DISPI_ID	0
%define DISPI_XRES	1
%define DISPI_YRES	2
%define DISPI_BPP	3
%define DISPI_ENABLE	4
%define DISPI_BANK	5
%define DISPI_VWIDTH	6
%define DISPI_VHEIGHT	7
%define DISPI_XOFF	8
%define DISPI_YOFF	9
%define DISPI_VRAM64K	10

; mode, width, height, bits per pixel
vbe_modes:
	dw 0x100, 640, 400, 8
	dw 0x101, 640, 480, 8
	dw 0x103, 800, 600, 8
	dw 0x105, 1024, 768, 8
	dw 0x110, 640, 480, 15
	dw 0x111, 640, 480, 16
	dw 0x112, 640, 480, 24
	dw 0x113, 800, 600, 15
	dw 0x114, 800, 600, 16
	dw 0x115, 800, 600, 24
	dw 0x116, 1024, 768, 15
	dw 0x117, 1024, 768, 16
	dw 0x118, 1024, 768, 24
	dw 0x140, 640, 480, 32
	dw 0x141, 800, 600, 32
	dw 0x142, 1024, 768, 32
	dw 0x143, 1280, 1024, 32
	dw 0xFFFF
vbe_mode_list:
	dw 0x100, 0x101, 0x103, 0x105, 0x110, 0x111, 0x112, 0x113, 0x114
	dw 0x115, 0x116, 0x117, 0x118, 0x140, 0x141, 0x142, 0x143, 0xFFFF
vbe_oem_string:
	db "popek VBE (Bochs DISPI)", 0
vbe_vendor:
	db "popek", 0
vbe_product:
	db "popek VGA", 0
vbe_revision:
	db "1.0", 0

; dispi_read: BX = index -> AX;  dispi_write: BX = index, AX = value
dispi_read:
	push dx
	xchg ax, bx
	mov dx, PORT_DISPI_IDX
	out dx, ax
	xchg ax, bx
	inc dx
	in ax, dx
	pop dx
	ret
dispi_write:
	push dx
	push ax
	mov ax, bx
	mov dx, PORT_DISPI_IDX
	out dx, ax
	pop ax
	inc dx
	out dx, ax
	pop dx
	ret

; vbe_present: ZF set when the DISPI ID register says B0C0-B0CF
vbe_present:
	push ax
	push bx
	mov bx, DISPI_ID
	call dispi_read
	and ax, 0xFFF0
	cmp ax, 0xB0C0
	pop bx
	pop ax
	ret

; vbe_find: CX = mode (low 9 bits) -> CS:SI entry, CF set if unknown
vbe_find:
	push cx
	and cx, 0x1FF
	mov si, vbe_modes
.l:	cmp word [cs:si], 0xFFFF
	je .no
	cmp [cs:si], cx
	je .yes
	add si, 8
	jmp .l
.no:	stc
	pop cx
	ret
.yes:	clc
	pop cx
	ret

; vbe_pitch: CS:SI entry -> AX = bytes per scan line
vbe_pitch:
	push dx
	mov ax, [cs:si + 6]
	add ax, 7
	shr ax, 3			; bytes per pixel (15 bpp: 2)
	mul word [cs:si + 2]
	pop dx
	ret

vbe_service:
	ENTER_FRAME
	cld
	push word BDA_SEG
	pop ds
	call vbe_present
	jnz .fail
	mov al, [F_AL]
	cmp al, 0x00
	je vbe_info
	cmp al, 0x01
	je vbe_mode_info
	cmp al, 0x02
	je vbe_set_mode
	cmp al, 0x03
	je vbe_get_mode
	cmp al, 0x05
	je vbe_bank
	cmp al, 0x06
	je vbe_scanline
	cmp al, 0x07
	je vbe_display_start
	cmp al, 0x08
	je vbe_dac_width
	cmp al, 0x09
	je vbe_palette
.fail:	mov word [F_AX], 0x014F
vbe_done:
	LEAVE_FRAME
vbe_ok:
	mov word [F_AX], 0x004F
	jmp vbe_done
vbe_failed:
	mov word [F_AX], 0x014F
	jmp vbe_done

; 4F00h: controller information into ES:DI
vbe_info:
	mov es, [F_ES]
	mov di, [F_DI]
	mov cx, 256
	cmp dword [es:di], 'VBE2'	; "VBE2": the caller wants 512 bytes
	jne .clr
	mov cx, 512
.clr:	push cx
	push di
	xor al, al
	rep stosb
	pop di
	pop cx
	mov dword [es:di], 'VESA'
	mov word [es:di + 4], 0x0300
	mov word [es:di + 6], vbe_oem_string
	mov word [es:di + 8], BIOS_SEG
	mov dword [es:di + 10], 0
	mov word [es:di + 14], vbe_mode_list
	mov word [es:di + 16], BIOS_SEG
	mov bx, DISPI_VRAM64K
	call dispi_read
	test ax, ax
	jz .guess
	cmp ax, 0xFFFF
	jne .mem
.guess:	mov ax, 256			; 16 MiB
.mem:	mov [es:di + 18], ax
	cmp cx, 512
	jne .ok
	mov word [es:di + 20], 0x0100
	mov word [es:di + 22], vbe_vendor
	mov word [es:di + 24], BIOS_SEG
	mov word [es:di + 26], vbe_product
	mov word [es:di + 28], BIOS_SEG
	mov word [es:di + 30], vbe_revision
	mov word [es:di + 32], BIOS_SEG
.ok:	jmp vbe_ok

; 4F01h: mode CX information into ES:DI
vbe_mode_info:
	mov cx, [F_CX]
	call vbe_find
	jc vbe_failed
	mov es, [F_ES]
	mov di, [F_DI]
	push di
	mov cx, 256
	xor al, al
	rep stosb
	pop di
	push ds
	EBDA_DS
	mov edx, [E_LFB]
	pop ds
	mov ax, 0x003B			; supported, colour, graphics, not VGA
	test edx, edx
	jz .nolfb
	or ax, 0x0080			; linear framebuffer
.nolfb:	or ax, 0x0002
	mov [es:di], ax
	mov byte [es:di + 2], 0x07	; window A readable, writable
	mov word [es:di + 4], 64
	mov word [es:di + 6], 64
	mov word [es:di + 8], 0xA000
	mov word [es:di + 12], vbe_bank_far
	mov word [es:di + 14], BIOS_SEG
	call vbe_pitch
	mov [es:di + 16], ax
	mov [es:di + 50], ax
	mov bx, ax			; pitch
	mov ax, [cs:si + 2]
	mov [es:di + 18], ax
	mov ax, [cs:si + 4]
	mov [es:di + 20], ax
	mov byte [es:di + 22], 8
	mov byte [es:di + 23], 16
	mov byte [es:di + 24], 1
	mov al, [cs:si + 6]
	mov [es:di + 25], al
	mov byte [es:di + 26], 1
	mov byte [es:di + 27], 4	; packed pixel
	cmp al, 8
	je .pages
	mov byte [es:di + 27], 6	; direct colour
	; mask sizes and positions: red, green, blue, reserved
	push si
	mov si, vbe_masks15
	cmp al, 15
	je .m
	mov si, vbe_masks16
	cmp al, 16
	je .m
	mov si, vbe_masks24
	cmp al, 24
	je .m
	mov si, vbe_masks32
.m:	mov cx, 8
	push di
.mc:	mov al, [cs:si]
	mov [es:di + 31], al
	mov [es:di + 54], al		; the linear-mode copy (VBE 3.0)
	inc si
	inc di
	loop .mc
	pop di
	pop si
.pages:	; image pages: video memory / (pitch * height) - 1
	push dx
	mov ax, [cs:si + 4]
	mul bx				; DX:AX = bytes per page
	mov cx, ax
	mov bx, dx
	push bx
	mov bx, DISPI_VRAM64K
	call dispi_read
	pop bx
	test ax, ax
	jz .g
	cmp ax, 0xFFFF
	jne .v
.g:	mov ax, 256
.v:	; bytes of VRAM = AX << 16; pages = that / (BX:CX)
	push edx
	movzx eax, ax
	shl eax, 16
	shl ebx, 16
	mov bx, cx
	xor edx, edx
	div ebx
	dec eax
	cmp eax, 255
	jbe .pc
	mov eax, 255
.pc:	pop edx
	mov [es:di + 29], al
	mov [es:di + 52], al
	mov [es:di + 53], al
	pop dx
	mov byte [es:di + 30], 1
	mov [es:di + 40], edx		; PhysBasePtr
	jmp vbe_ok

vbe_masks15:	db 5, 10, 5, 5, 5, 0, 1, 15
vbe_masks16:	db 5, 11, 6, 5, 5, 0, 0, 0
vbe_masks24:	db 8, 16, 8, 8, 8, 0, 0, 0
vbe_masks32:	db 8, 16, 8, 8, 8, 0, 8, 24

; 4F02h: set mode BX (bit 14 linear framebuffer, bit 15 keep memory)
vbe_set_mode:
	mov cx, [F_BX]
	mov ax, cx
	and ax, 0x1FF
	cmp ax, 0x100
	jae .vbe
	; a VGA mode through AH=00h
	mov ah, 0
	test ch, 0x80
	jz .v
	or al, 0x80
.v:	int 0x10
	jmp vbe_ok
.vbe:	call vbe_find
	jc vbe_failed
	; 8 bits per pixel: the mode-13h palette
	cmp byte [cs:si + 6], 8
	jne .nopal
	push si
	mov si, mode_infos + 2 * MI_LEN
	call v_load_palette
	pop si
.nopal:	mov bx, DISPI_ENABLE
	xor ax, ax
	call dispi_write
	mov bx, DISPI_XRES
	mov ax, [cs:si + 2]
	call dispi_write
	mov bx, DISPI_YRES
	mov ax, [cs:si + 4]
	call dispi_write
	mov bx, DISPI_BPP
	mov ax, [cs:si + 6]
	call dispi_write
	mov bx, DISPI_BANK
	xor ax, ax
	call dispi_write
	mov bx, DISPI_XOFF
	call dispi_write
	mov bx, DISPI_YOFF
	call dispi_write
	mov ax, 0x0001			; enabled
	test ch, 0x40
	jz .nl
	or al, 0x40			; linear framebuffer
.nl:	test ch, 0x80
	jz .cl
	or al, 0x80			; no clear
.cl:	mov bx, DISPI_ENABLE
	call dispi_write
	push ds
	EBDA_DS
	and cx, 0x41FF
	mov [E_VBE_MODE], cx
	mov al, [cs:si + 6]
	mov [E_VBE_BPP], al
	pop ds
	jmp vbe_ok

; 4F03h: BX = current mode
vbe_get_mode:
	push ds
	EBDA_DS
	mov ax, [E_VBE_MODE]
	pop ds
	test ax, ax
	jnz .v
	movzx ax, byte [BDA_VMODE]
.v:	mov [F_BX], ax
	jmp vbe_ok

; 4F05h: BH = 0 set window A's bank to DX, BH = 1 get it
vbe_bank:
	cmp byte [F_BH], 1
	je .get
	mov ax, [F_DX]
	mov bx, DISPI_BANK
	call dispi_write
	jmp vbe_ok
.get:	mov bx, DISPI_BANK
	call dispi_read
	mov [F_DX], ax
	jmp vbe_ok

; the window function a ModeInfoBlock points at: AX, BX, DX as 4F05h
vbe_bank_far:
	push ax
	push bx
	cmp bh, 1
	je .get
	mov ax, dx
	mov bx, DISPI_BANK
	call dispi_write
	pop bx
	pop ax
	retf
.get:	mov bx, DISPI_BANK
	call dispi_read
	mov dx, ax
	pop bx
	pop ax
	retf

; 4F06h: logical scan line length (BL = 0 set CX pixels, 1 get)
vbe_scanline:
	mov bl, [F_BL]
	cmp bl, 1
	je .get
	test bl, bl
	jnz vbe_failed
	mov ax, [F_CX]
	mov bx, DISPI_VWIDTH
	call dispi_write
.get:	mov bx, DISPI_VWIDTH
	call dispi_read
	mov [F_CX], ax
	push ds
	EBDA_DS
	movzx cx, byte [E_VBE_BPP]
	pop ds
	add cx, 7
	shr cx, 3
	mul cx
	mov [F_BX], ax
	mov bx, DISPI_VHEIGHT
	call dispi_read
	mov [F_DX], ax
	jmp vbe_ok

; 4F07h: display start (BL = 0/80h set CX, DX; 1 get)
vbe_display_start:
	mov bl, [F_BL]
	cmp bl, 1
	je .get
	mov ax, [F_CX]
	mov bx, DISPI_XOFF
	call dispi_write
	mov ax, [F_DX]
	mov bx, DISPI_YOFF
	call dispi_write
	jmp vbe_ok
.get:	mov bx, DISPI_XOFF
	call dispi_read
	mov [F_CX], ax
	mov bx, DISPI_YOFF
	call dispi_read
	mov [F_DX], ax
	mov byte [F_BH], 0
	jmp vbe_ok

; 4F08h: DAC width: always 6 bits
vbe_dac_width:
	mov byte [F_BH], 6
	jmp vbe_ok

; 4F09h: BL = 0 set / 1 get CX DAC entries from DX, ES:DI (B, G, R, 0)
vbe_palette:
	mov es, [F_ES]
	mov di, [F_DI]
	mov cx, [F_CX]
	mov al, [F_DL]
	mov bl, [F_BL]
	and bl, 0x7F
	cmp bl, 1
	je .get
	test bl, bl
	jnz vbe_failed
	mov dx, 0x3C8
	out dx, al
	inc dx
	jcxz .ok
.s:	mov al, [es:di + 2]
	out dx, al
	mov al, [es:di + 1]
	out dx, al
	mov al, [es:di]
	out dx, al
	add di, 4
	loop .s
.ok:	jmp vbe_ok
.get:	mov dx, 0x3C7
	out dx, al
	mov dx, 0x3C9
	jcxz .ok
.g:	in al, dx
	mov [es:di + 2], al
	in al, dx
	mov [es:di + 1], al
	in al, dx
	mov [es:di], al
	mov byte [es:di + 3], 0
	add di, 4
	loop .g
	jmp vbe_ok
