; SPDX-License-Identifier: MIT
;
; INT 10h: video services for the VGA (text mode 03h, modes 12h and 13h)
; and, through vbe.asm, the VESA BIOS Extensions (AH=4Fh).  Function
; numbers and registers as Ralf Brown's interrupt list gives them.
; Modes 00h-02h and 07h are set as 03h (80x25 colour text).

%include "vgatables.inc"

%define V_TEXT	0
%define V_PLANAR 1
%define V_LINEAR 2
%define V_VBE	3

video_init:
	mov ax, 0x0003
	int 0x10
	push ds
	EBDA_DS
	mov byte [E_VIDEO_ON], 1
	pop ds
	ret

int10_video:
	cmp ah, 0x4F
	jne .vga
	jmp vbe_service
.vga:	ENTER_FRAME
	cld
	cmp ah, INT10_FUNCS
	jae .ret
	movzx si, ah
	add si, si
	mov si, [cs:int10_table + si]
	test si, si
	jz .ret
	push word BDA_SEG
	pop ds
	mov bx, [F_BX]
	call si
.ret:	LEAVE_FRAME

int10_table:
	dw v_set_mode		; 00
	dw v_set_shape		; 01
	dw v_set_cursor		; 02
	dw v_get_cursor		; 03
	dw 0			; 04 light pen
	dw v_set_page		; 05
	dw v_scroll_up		; 06
	dw v_scroll_down	; 07
	dw v_read_char		; 08
	dw v_write_char_attr	; 09
	dw v_write_char		; 0A
	dw 0			; 0B CGA palette
	dw v_write_pixel	; 0C
	dw v_read_pixel		; 0D
	dw v_teletype		; 0E
	dw v_get_mode		; 0F
	dw v_palette		; 10
	dw v_font		; 11
	dw v_alt_select		; 12
	dw v_write_string	; 13
	dw 0			; 14
	dw 0			; 15
	dw 0			; 16
	dw 0			; 17
	dw 0			; 18
	dw 0			; 19
	dw v_display_combo	; 1A
INT10_FUNCS equ ($ - int10_table) / 2

; ---------------------------------------------------------------------
; helpers (DS = BDA)

; v_kind: AL = V_TEXT / V_PLANAR / V_LINEAR / V_VBE for the current mode
v_kind:
	push ds
	EBDA_DS
	cmp word [E_VBE_MODE], 0
	pop ds
	mov al, V_VBE
	jne .e
	mov al, V_PLANAR
	cmp byte [BDA_VMODE], 0x12
	je .e
	mov al, V_LINEAR
	cmp byte [BDA_VMODE], 0x13
	je .e
	mov al, V_TEXT
.e:	ret

; crtc_write: AL = index, AH = value
crtc_write:
	push dx
	mov dx, [BDA_CRTC]
	out dx, al
	inc dx
	xchg al, ah
	out dx, al
	xchg al, ah
	pop dx
	ret

; v_update_cursor: the hardware cursor follows the active page's position
v_update_cursor:
	push ax
	push bx
	push dx
	movzx bx, byte [BDA_VPAGE]
	add bx, bx
	mov dx, [BDA_CURPOS + bx]	; DH row, DL col
	mov al, dh
	mul byte [BDA_VCOLS]
	xor dh, dh
	add ax, dx
	mov bx, [BDA_VPAGEOFF]
	shr bx, 1
	add bx, ax
	mov al, 0x0E
	mov ah, bh
	call crtc_write
	mov al, 0x0F
	mov ah, bl
	call crtc_write
	pop dx
	pop bx
	pop ax
	ret

; v_text_addr: BH = page, DH = row, DL = col -> DI = byte offset in B800
v_text_addr:
	push ax
	push dx
	mov al, dh
	mul byte [BDA_VCOLS]
	xor dh, dh
	add ax, dx
	add ax, ax
	mov di, ax
	movzx ax, bh
	mul word [BDA_VPAGESIZE]
	add di, ax
	pop dx
	pop ax
	ret

; ---------------------------------------------------------------------
; AH=00h: set mode AL (bit 7: keep video memory)
v_set_mode:
	mov al, [F_AL]
	mov ah, al
	and al, 0x7F
	cmp al, 0x03
	jbe .text
	cmp al, 0x07
	jne .look
.text:	mov al, 0x03
.look:	mov si, mode_infos
.find:	cmp byte [cs:si], 0xFF
	je .ret				; not a mode this BIOS has
	cmp [cs:si + MI_MODE], al
	je .found
	add si, MI_LEN
	jmp .find
.found:	push ax
	; leave any VBE mode: DISPI off
	push ds
	EBDA_DS
	mov word [E_VBE_MODE], 0
	pop ds
	mov dx, PORT_DISPI_IDX
	mov ax, 4
	out dx, ax
	inc dx
	xor ax, ax
	out dx, ax
	push si
	mov si, [cs:si + MI_REGS]
	call vga_load_regs
	pop si
	pop ax
	; the BDA
	mov [BDA_VMODE], al
	movzx dx, byte [cs:si + MI_COLS]
	mov [BDA_VCOLS], dx
	mov dx, [cs:si + MI_PAGE]
	mov [BDA_VPAGESIZE], dx
	mov word [BDA_VPAGEOFF], 0
	mov byte [BDA_VPAGE], 0
	mov dl, [cs:si + MI_ROWS]
	mov [BDA_VROWS], dl
	movzx dx, byte [cs:si + MI_CHARH]
	mov [BDA_VCHARH], dx
	mov word [BDA_CRTC], 0x3D4
	mov byte [BDA_VMODECTL], 0x29
	mov byte [BDA_VPALETTE], 0x30
	mov byte [BDA_VEGAMISC], 0x60
	mov byte [BDA_VSWITCH], 0xF9
	mov byte [BDA_VFLAGS], 0x51
	mov byte [BDA_VDCC], 0x0B
	and byte [BDA_VEGAMISC], 0x7F
	test ah, 0x80
	jz .bit
	or byte [BDA_VEGAMISC], 0x80
.bit:	push di
	mov di, BDA_CURPOS
	mov cx, 8
.cp:	mov word [di], 0
	add di, 2
	loop .cp
	pop di
	push ax
	call v_load_palette
	pop ax
	cmp byte [cs:si + MI_KIND], V_TEXT
	jne .gfx
	call v_load_font16
	mov word [BDA_CURSHAPE], 0x0D0E
	mov ax, 0x0D0A
	call crtc_write
	mov ax, 0x0E0B
	call crtc_write
.gfx:	test ah, 0x80
	jnz .nocl
	call v_clear_memory
.nocl:	call v_update_cursor
.ret:	ret

; vga_load_regs: CS:SI = register table
vga_load_regs:
	push ax
	push cx
	push dx
	push si
	mov dx, 0x3C4
	mov ax, 0x0100			; synchronous reset
	out dx, ax
	mov dx, 0x3C2
	mov al, [cs:si]
	out dx, al
	inc si
	mov dx, 0x3C4
	mov cx, 1
.seq:	mov al, cl
	mov bx, cx
	mov ah, [cs:si + bx]
	out dx, ax
	inc cx
	cmp cx, 5
	jb .seq
	mov al, 0
	mov ah, [cs:si]
	out dx, ax			; out of reset
	add si, 5
	mov dx, 0x3D4
	mov ax, 0x0011			; unlock CRTC 0-7
	out dx, ax
	xor cx, cx
.crtc:	mov al, cl
	mov bx, cx
	mov ah, [cs:si + bx]
	out dx, ax
	inc cx
	cmp cx, 25
	jb .crtc
	add si, 25
	; attribute controller: index/data flip-flop, reset by reading 3DAh
	mov dx, 0x3DA
	in al, dx
	mov dx, 0x3C0
	xor cx, cx
.atc:	mov al, cl
	out dx, al
	mov bx, cx
	mov al, [cs:si + bx]
	out dx, al
	inc cx
	cmp cx, 21
	jb .atc
	add si, 21
	mov dx, 0x3CE
	xor cx, cx
.gc:	mov al, cl
	mov bx, cx
	mov ah, [cs:si + bx]
	out dx, ax
	inc cx
	cmp cx, 9
	jb .gc
	mov dx, 0x3DA
	in al, dx
	mov dx, 0x3C0
	mov al, 0x20			; palette address source: display on
	out dx, al
	mov dx, 0x3C6
	mov al, 0xFF
	out dx, al
	pop si
	pop dx
	pop cx
	pop ax
	ret

; v_ega64: AL = 6-bit EGA colour (rgbRGB) -> DAC red BL, green BH, blue CL
v_ega64:
	xor bx, bx
	xor cl, cl
	test al, 0x04
	jz .a
	add bl, 42
.a:	test al, 0x20
	jz .b
	add bl, 21
.b:	test al, 0x02
	jz .c
	add bh, 42
.c:	test al, 0x10
	jz .d
	add bh, 21
.d:	test al, 0x01
	jz .e
	add cl, 42
.e:	test al, 0x08
	jz .f
	add cl, 21
.f:	ret

; v_dac_out: BL, BH, CL to the DAC data port
v_dac_out:
	push dx
	mov dx, 0x3C9
	mov al, bl
	out dx, al
	mov al, bh
	out dx, al
	mov al, cl
	out dx, al
	pop dx
	ret

; v_load_palette: the DAC for the mode in CS:SI's entry
v_load_palette:
	push bx
	push cx
	push dx
	push di
	mov dx, 0x3C8
	xor al, al
	out dx, al
	cmp byte [cs:si + MI_KIND], V_LINEAR
	je .vga256
	; text and 16-colour modes: the 64 EGA colours, the rest black
	xor di, di
.e64:	mov ax, di
	call v_ega64
	call v_dac_out
	inc di
	cmp di, 64
	jb .e64
	jmp .black
.vga256:
	; 0-15: the 16 colours of text mode
	xor di, di
.c16:	mov al, [cs:vga_regs_03 + 1 + 5 + 25 + di]
	call v_ega64
	call v_dac_out
	inc di
	cmp di, 16
	jb .c16
	; 16-31: grey ramp
	xor di, di
.grey:	mov ax, di
	shl al, 2
	mov bx, di
	shr bl, 2
	add al, bl
	mov bl, al
	mov bh, al
	mov cl, al
	call v_dac_out
	inc di
	cmp di, 16
	jb .grey
	; 32-247: a 6x6x6 colour cube
	xor di, di
.cube:	mov ax, di
	mov cl, 36
	div cl				; AL = red index, AH = rest
	movzx bx, al
	mov dl, [cs:cube_levels + bx]
	mov al, ah
	xor ah, ah
	mov cl, 6
	div cl				; AL = green, AH = blue
	movzx bx, al
	mov dh, [cs:cube_levels + bx]
	movzx bx, ah
	mov cl, [cs:cube_levels + bx]
	mov bl, dl
	mov bh, dh
	call v_dac_out
	inc di
	cmp di, 216
	jb .cube
	mov di, 248
	jmp .blk
.black:	mov di, 64
.blk:	xor bx, bx
	xor cl, cl
.bl:	call v_dac_out
	inc di
	cmp di, 256
	jb .bl
	pop di
	pop dx
	pop cx
	pop bx
	ret

; v_plane2_on / v_plane2_off: map plane 2 (the font) at A000:0 and back
v_plane2_on:
	push ax
	push dx
	mov dx, 0x3C4
	mov ax, 0x0402			; map mask: plane 2
	out dx, ax
	mov ax, 0x0704			; memory mode: sequential, no chain
	out dx, ax
	mov dx, 0x3CE
	mov ax, 0x0204			; read map 2
	out dx, ax
	mov ax, 0x0005			; write mode 0, no odd/even
	out dx, ax
	mov ax, 0x0406			; A0000 64 KiB, graphics off
	out dx, ax
	pop dx
	pop ax
	ret
v_plane2_off:
	push ax
	push dx
	mov dx, 0x3C4
	mov ax, 0x0302
	out dx, ax
	mov ax, 0x0204
	out dx, ax
	mov dx, 0x3CE
	mov ax, 0x0004
	out dx, ax
	mov ax, 0x1005
	out dx, ax
	mov ax, 0x0E06
	out dx, ax
	pop dx
	pop ax
	ret

; v_load_font_block: DS:SI = glyphs, CX = count, DX = first character,
; BH = bytes per glyph (into 32-byte slots of plane 2, block 0)
v_load_font_block:
	push es
	push di
	push ax
	push cx
	call v_plane2_on
	mov ax, 0xA000
	mov es, ax
	mov di, dx
	shl di, 5
.ch:	push cx
	push di
	movzx cx, bh
	rep movsb
	mov cx, 32
	sub cl, bh
	xor al, al
	rep stosb
	pop di
	pop cx
	add di, 32
	loop .ch
	call v_plane2_off
	pop cx
	pop ax
	pop di
	pop es
	ret

; v_load_font16: the ROM's 8x16 font
v_load_font16:
	push ds
	push si
	push bx
	push cx
	push dx
	push cs
	pop ds
	mov si, font8x16
	mov cx, 256
	xor dx, dx
	mov bh, 16
	call v_load_font_block
	pop dx
	pop cx
	pop bx
	pop si
	pop ds
	ret

; v_clear_memory: blank the mode in CS:SI's entry
v_clear_memory:
	push es
	push di
	push cx
	push ax
	mov es, [cs:si + MI_SEG]
	xor di, di
	cmp byte [cs:si + MI_KIND], V_TEXT
	jne .g
	mov ax, 0x0720
	mov cx, 0x4000
	rep stosw
	jmp .e
.g:	xor ax, ax
	mov cx, 0x8000
	rep stosw
.e:	pop ax
	pop cx
	pop di
	pop es
	ret

; ---------------------------------------------------------------------
; AH=01h: cursor shape CH (start), CL (end)
v_set_shape:
	mov cx, [F_CX]
	mov [BDA_CURSHAPE], cx
	mov al, 0x0A
	mov ah, ch
	call crtc_write
	mov al, 0x0B
	mov ah, cl
	call crtc_write
	ret

; AH=02h: cursor of page BH to DH, DL
v_set_cursor:
	movzx bx, bh
	and bl, 7
	add bx, bx
	mov dx, [F_DX]
	mov [BDA_CURPOS + bx], dx
	call v_update_cursor
	ret

; AH=03h: DX = position of page BH, CX = shape
v_get_cursor:
	movzx bx, bh
	and bl, 7
	add bx, bx
	mov dx, [BDA_CURPOS + bx]
	mov [F_DX], dx
	mov cx, [BDA_CURSHAPE]
	mov [F_CX], cx
	ret

; AH=05h: active page AL
v_set_page:
	mov al, [F_AL]
	and al, 7
	mov [BDA_VPAGE], al
	movzx ax, al
	mul word [BDA_VPAGESIZE]
	mov [BDA_VPAGEOFF], ax
	shr ax, 1
	mov bx, ax
	mov al, 0x0C
	mov ah, bh
	call crtc_write
	mov al, 0x0D
	mov ah, bl
	call crtc_write
	call v_update_cursor
	ret

; AH=0Fh: AL = mode, AH = columns, BH = active page
v_get_mode:
	mov al, [BDA_VMODE]
	mov bl, [BDA_VEGAMISC]
	and bl, 0x80
	or al, bl
	mov ah, [BDA_VCOLS]
	mov [F_AX], ax
	mov al, [BDA_VPAGE]
	mov [F_BH], al
	ret

; ---------------------------------------------------------------------
; Scrolling.  AL = lines (0: clear the window), BH = fill attribute,
; CH, CL = top row, left column; DH, DL = bottom row, right column.

v_scroll_up:
	xor si, si
	jmp v_scroll
v_scroll_down:
	mov si, 1
v_scroll:
	mov ax, [F_AX]
	mov cx, [F_CX]
	mov dx, [F_DX]
	mov bh, [F_BH]
	; clip the window to the screen
	cmp dh, [BDA_VROWS]
	jbe .r
	mov dh, [BDA_VROWS]
.r:	mov bl, [BDA_VCOLS]
	dec bl
	cmp dl, bl
	jbe .c
	mov dl, bl
.c:	cmp ch, dh
	ja .ret
	cmp cl, dl
	ja .ret
	mov bl, dh
	sub bl, ch
	inc bl				; height
	test al, al
	jz .all
	cmp al, bl
	jbe .go
.all:	mov al, bl
.go:	; AL = n lines, BL = height
	test si, si
	jnz .down
	; up: row r takes row r + n, the last n rows are blanked
	mov ah, ch			; r
.uloop:	cmp ah, dh
	ja .ret
	push ax
	add al, ah			; source row
	jc .ufill
	cmp al, dh
	ja .ufill
	call v_copy_row			; AL = src row, AH = dst row
	jmp .unext
.ufill:	call v_fill_row			; AH = row
.unext:	pop ax
	inc ah
	jmp .uloop
.down:	mov ah, dh
.dloop:	cmp ah, ch
	jb .ret
	push ax
	mov bl, ah
	sub bl, al			; source row
	jb .dfill
	cmp bl, ch
	jb .dfill
	mov al, bl
	call v_copy_row
	jmp .dnext
.dfill:	call v_fill_row
.dnext:	pop ax
	test ah, ah
	jz .ret
	dec ah
	jmp .dloop
.ret:	ret

; v_copy_row: copy character row AL to row AH, columns CL..DL (BP, the
; caller's frame, is left alone)
v_copy_row:
	push ax
	push bx
	push cx
	push dx
	push si
	push di
	push ds
	push es
	mov bx, ax			; BL = source row, BH = destination
	movzx dx, dl
	movzx cx, cl
	sub dx, cx
	inc dx				; width in characters
	call v_kind
	cmp al, V_TEXT
	jne .g
	mov al, bl
	mul byte [BDA_VCOLS]
	add ax, cx
	add ax, ax
	add ax, [BDA_VPAGEOFF]
	mov si, ax
	mov al, bh
	mul byte [BDA_VCOLS]
	add ax, cx
	add ax, ax
	add ax, [BDA_VPAGEOFF]
	mov di, ax
	mov cx, dx
	mov ax, 0xB800
	mov ds, ax
	mov es, ax
	rep movsw
	jmp .e
.g:	cmp al, V_LINEAR
	jne .planar
	; 8x8 cells, 320 bytes a line
	mov al, bh
	call gfx13_cell_addr		; AL row, CX col -> SI
	mov di, si
	mov al, bl
	call gfx13_cell_addr
	mov ax, 0xA000
	mov ds, ax
	mov es, ax
	mov bx, 8
	shl dx, 3			; bytes per line of the window
.l13:	push si
	push di
	mov cx, dx
	rep movsb
	pop di
	pop si
	add si, 320
	add di, 320
	dec bx
	jnz .l13
	jmp .e
.planar:
	cmp al, V_PLANAR
	jne .e
	; 8x16 cells, 80 bytes a line, copied through the latches
	mov al, bh
	call gfx12_cell_addr
	mov di, si
	mov al, bl
	call gfx12_cell_addr
	push dx
	mov dx, 0x3CE
	mov ax, 0x0105			; write mode 1
	out dx, ax
	mov dx, 0x3C4
	mov ax, 0x0F02
	out dx, ax
	pop dx
	mov ax, 0xA000
	mov ds, ax
	mov es, ax
	mov bx, 16
.l12:	push si
	push di
	mov cx, dx
	rep movsb
	pop di
	pop si
	add si, 80
	add di, 80
	dec bx
	jnz .l12
	mov dx, 0x3CE
	mov ax, 0x0005
	out dx, ax
.e:	pop es
	pop ds
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; gfx13_cell_addr: AL = row, CX = column -> SI = offset (row*8*320 + col*8)
gfx13_cell_addr:
	push ax
	push dx
	movzx ax, al
	mov dx, 320 * 8
	mul dx
	mov si, cx
	shl si, 3
	add si, ax
	pop dx
	pop ax
	ret

; gfx12_cell_addr: AL = row, CX = column -> SI = row*16*80 + col
gfx12_cell_addr:
	push ax
	push dx
	movzx ax, al
	mov dx, 80 * 16
	mul dx
	add ax, cx
	mov si, ax
	pop dx
	pop ax
	ret

; v_fill_row: blank character row AH, columns CL..DL, with attribute BH
; (the caller's BH is in the frame)
v_fill_row:
	push ax
	push bx
	push cx
	push dx
	push si
	push di
	push es
	mov bl, ah			; row
	call v_kind
	mov bh, al
	movzx dx, dl
	movzx cx, cl
	sub dx, cx
	inc dx				; width
	mov al, bl
	cmp bh, V_TEXT
	jne .g
	mul byte [BDA_VCOLS]
	add ax, cx
	add ax, ax
	add ax, [BDA_VPAGEOFF]
	mov di, ax
	mov cx, dx
	mov ah, [F_BH]
	mov al, ' '
	push word 0xB800
	pop es
	rep stosw
	jmp .e
.g:	cmp bh, V_LINEAR
	jne .planar
	call gfx13_cell_addr
	mov di, si
	push word 0xA000
	pop es
	mov al, [F_BH]
	mov bx, 8
	shl dx, 3
.l13:	push di
	mov cx, dx
	rep stosb
	pop di
	add di, 320
	dec bx
	jnz .l13
	jmp .e
.planar:
	call gfx12_cell_addr
	mov di, si
	push dx
	mov dx, 0x3CE
	mov al, 0x00			; set/reset = the colour
	mov ah, [F_BH]
	out dx, ax
	mov ax, 0x0F01			; enable set/reset on all planes
	out dx, ax
	mov dx, 0x3C4
	mov ax, 0x0F02
	out dx, ax
	pop dx
	push word 0xA000
	pop es
	mov bx, 16
.l12:	push di
	mov cx, dx
	rep stosb
	pop di
	add di, 80
	dec bx
	jnz .l12
	mov dx, 0x3CE
	mov ax, 0x0001
	out dx, ax
	mov ax, 0x0000
	out dx, ax
.e:	pop es
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; ---------------------------------------------------------------------
; Characters

; AH=08h: AL = character, AH = attribute at the cursor of page BH
v_read_char:
	call v_kind
	cmp al, V_TEXT
	jne .none
	movzx si, bh
	and si, 7
	add si, si
	mov dx, [BDA_CURPOS + si]
	call v_text_addr
	push word 0xB800
	pop es
	mov ax, [es:di]
	mov [F_AX], ax
	ret
.none:	mov word [F_AX], 0
	ret

; AH=09h: AL with attribute BL, CX times, at the cursor of page BH
v_write_char_attr:
	mov ah, 1
	jmp v_write_n
; AH=0Ah: AL, CX times, attribute kept
v_write_char:
	mov ah, 0
v_write_n:
	mov al, [F_AL]
	mov cx, [F_CX]
	movzx si, bh
	and si, 7
	add si, si
	mov dx, [BDA_CURPOS + si]
.l:	jcxz .e
	call v_put_char
	inc dl
	cmp dl, [BDA_VCOLS]
	jb .n
	xor dl, dl
	inc dh
	cmp dh, [BDA_VROWS]
	ja .e
.n:	dec cx
	jmp .l
.e:	ret

; v_put_char: AL = char at DH, DL of page BH; AH = 1: attribute/colour
; BL too (graphics modes always draw in colour BL)
v_put_char:
	push ax
	push bx
	push cx
	push di
	push es
	push ax
	call v_kind
	mov cl, al
	pop ax
	cmp cl, V_TEXT
	jne .g
	call v_text_addr
	push word 0xB800
	pop es
	mov [es:di], al
	test ah, ah
	jz .e
	mov [es:di + 1], bl
	jmp .e
.g:	cmp cl, V_LINEAR
	jne .p
	call gfx13_put_char
	jmp .e
.p:	cmp cl, V_PLANAR
	jne .e
	call gfx12_put_char
.e:	pop es
	pop di
	pop cx
	pop bx
	pop ax
	ret

; gfx13_put_char: AL char, BL colour, DH row, DL col (8x8 font)
gfx13_put_char:
	push ax
	push cx
	push dx
	push si
	push di
	push ds
	movzx si, al
	shl si, 3
	add si, font8x8
	push ax
	mov al, dh
	movzx cx, dl
	push si
	call gfx13_cell_addr
	mov di, si
	pop si
	pop ax
	push word 0xA000
	pop es
	push cs
	pop ds
	mov dh, 8
.row:	lodsb
	mov ah, al
	mov cx, 8
.px:	xor al, al
	shl ah, 1
	jnc .w
	mov al, bl
.w:	stosb
	loop .px
	add di, 320 - 8
	dec dh
	jnz .row
	pop ds
	pop di
	pop si
	pop dx
	pop cx
	pop ax
	ret

; gfx12_put_char: AL char, BL colour, DH row, DL col (8x16 font)
gfx12_put_char:
	push ax
	push cx
	push dx
	push si
	push di
	push ds
	movzx si, al
	shl si, 4
	add si, font8x16
	mov al, dh
	movzx cx, dl
	push si
	call gfx12_cell_addr
	mov di, si
	pop si
	push word 0xA000
	pop es
	push cs
	pop ds
	mov cx, 16
.row:	mov dx, 0x3C4
	mov ax, 0x0F02
	out dx, ax
	mov byte [es:di], 0
	mov ah, bl
	and ah, 0x0F
	mov al, 0x02
	out dx, ax
	lodsb
	mov [es:di], al
	add di, 80
	loop .row
	mov ax, 0x0F02
	out dx, ax
	pop ds
	pop di
	pop si
	pop dx
	pop cx
	pop ax
	ret

; AH=0Eh: teletype AL on the active page (BL: colour in graphics modes)
v_teletype:
	mov al, [F_AL]
	mov bh, [BDA_VPAGE]
	xor ah, ah
	call v_tty
	ret

; v_tty: AL = character, BH = page, BL = attribute, AH = 1 to write the
; attribute in text modes.  BEL, BS, LF, CR are controls.
v_tty:
	push ax
	push bx
	push cx
	push dx
	push si
	movzx si, bh
	and si, 7
	add si, si
	mov dx, [BDA_CURPOS + si]
	cmp al, 7
	je .done
	cmp al, 8
	jne .nbs
	test dl, dl
	jz .set
	dec dl
	jmp .set
.nbs:	cmp al, 10
	jne .nlf
	inc dh
	jmp .scroll
.nlf:	cmp al, 13
	jne .char
	xor dl, dl
	jmp .set
.char:	call v_put_char
	inc dl
	cmp dl, [BDA_VCOLS]
	jb .set
	xor dl, dl
	inc dh
.scroll:
	cmp dh, [BDA_VROWS]
	jbe .set
	mov dh, [BDA_VROWS]
	; scroll the page up one line, blank with the attribute under the
	; cursor (text) or 0 (graphics)
	push ax
	push dx
	call v_kind
	mov cl, al
	mov bl, 0
	cmp cl, V_TEXT
	jne .sa
	push di
	push es
	call v_text_addr
	push word 0xB800
	pop es
	mov bl, [es:di + 1]
	pop es
	pop di
.sa:	cmp cl, V_VBE
	je .ns
	push word [F_AX]
	push word [F_BX]
	push word [F_CX]
	push word [F_DX]
	mov byte [F_AL], 1
	mov [F_BH], bl
	mov word [F_CX], 0
	mov dh, [BDA_VROWS]
	mov dl, [BDA_VCOLS]
	dec dl
	mov [F_DX], dx
	call v_scroll_up
	pop word [F_DX]
	pop word [F_CX]
	pop word [F_BX]
	pop word [F_AX]
.ns:	pop dx
	pop ax
.set:	mov [BDA_CURPOS + si], dx
	mov al, [BDA_VPAGE]
	add al, al
	movzx ax, al
	cmp ax, si
	jne .done
	call v_update_cursor
.done:	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; AH=13h: write string ES:BP, CX characters, at DH, DL of page BH;
; AL bit 0: move the cursor, bit 1: characters and attributes alternate
v_write_string:
	movzx si, bh
	and si, 7
	add si, si
	push word [BDA_CURPOS + si]	; the old position
	mov dx, [F_DX]
	mov [BDA_CURPOS + si], dx
	mov cx, [F_CX]
	mov di, [F_BP]
	mov es, [F_ES]
	mov bl, [F_BL]
.l:	jcxz .end
	mov al, [es:di]
	inc di
	test byte [F_AL], 2
	jz .na
	mov bl, [es:di]
	inc di
.na:	mov ah, 1
	push es
	call v_tty
	pop es
	dec cx
	jmp .l
.end:	pop dx
	test byte [F_AL], 1
	jnz .e
	mov [BDA_CURPOS + si], dx
	call v_update_cursor
.e:	ret

; ---------------------------------------------------------------------
; Pixels: AH=0Ch write AL at CX, DX (page BH); AH=0Dh read -> AL

v_write_pixel:
	call v_kind
	mov bl, al
	mov al, [F_AL]
	mov cx, [F_CX]
	mov dx, [F_DX]
	cmp bl, V_LINEAR
	jne .p
	push word 0xA000
	pop es
	mov di, ax			; keep colour
	mov ax, 320
	push dx
	mul dx
	pop dx
	add ax, cx
	xchg ax, di
	test al, 0x80
	jz .w13
	xor [es:di], al
	ret
.w13:	mov [es:di], al
	ret
.p:	cmp bl, V_PLANAR
	jne .e
	call gfx12_pixel_addr		; -> DI, AH = bit mask
	push word 0xA000
	pop es
	mov bl, al
	mov dx, 0x3CE
	mov al, 0x08
	out dx, ax			; bit mask
	mov al, 0x00
	mov ah, bl
	out dx, ax			; set/reset = colour
	mov ax, 0x0F01
	out dx, ax
	mov al, [es:di]			; load the latches
	mov [es:di], al
	mov ax, 0x0001
	out dx, ax
	mov ax, 0xFF08
	out dx, ax
.e:	ret

; gfx12_pixel_addr: CX = x, DX = y -> DI = y*80 + x/8, AH = 0x80 >> (x&7)
gfx12_pixel_addr:
	push cx
	push dx
	push bx
	mov bx, ax
	mov ax, 80
	mul dx
	mov di, cx
	shr di, 3
	add di, ax
	and cl, 7
	mov ah, 0x80
	shr ah, cl
	mov al, bl
	pop bx
	pop dx
	pop cx
	ret

v_read_pixel:
	call v_kind
	mov bl, al
	mov cx, [F_CX]
	mov dx, [F_DX]
	push word 0xA000
	pop es
	cmp bl, V_LINEAR
	jne .p
	mov ax, 320
	mul dx
	add ax, cx
	mov di, ax
	mov al, [es:di]
	mov [F_AL], al
	ret
.p:	cmp bl, V_PLANAR
	jne .e
	call gfx12_pixel_addr
	mov bh, ah			; mask
	xor bl, bl			; colour
	mov cl, 3
	mov dx, 0x3CE
.pl:	mov al, 0x04
	mov ah, cl
	out dx, ax			; read map
	shl bl, 1
	test [es:di], bh
	jz .z
	or bl, 1
.z:	dec cl
	jns .pl
	mov ax, 0x0004
	out dx, ax
	mov [F_AL], bl
.e:	ret

; ---------------------------------------------------------------------
; AH=10h: palette registers and the DAC
v_palette:
	mov al, [F_AL]
	mov dx, 0x3DA
	cmp al, 0x00
	jne .n1
	in al, dx			; AL=00h: attribute register BL = BH
	mov dx, 0x3C0
	mov al, [F_BL]
	and al, 0x1F
	out dx, al
	mov al, [F_BH]
	out dx, al
	jmp .pas
.n1:	cmp al, 0x01			; overscan BH
	jne .n2
	in al, dx
	mov dx, 0x3C0
	mov al, 0x11
	out dx, al
	mov al, [F_BH]
	out dx, al
	jmp .pas
.n2:	cmp al, 0x02			; all 16 + overscan from ES:DX
	jne .n3
	in al, dx
	mov es, [F_ES]
	mov si, [F_DX]
	mov dx, 0x3C0
	xor cx, cx
.all:	mov al, cl
	out dx, al
	mov al, [es:si]
	inc si
	out dx, al
	inc cx
	cmp cx, 16
	jb .all
	mov al, 0x11
	out dx, al
	mov al, [es:si]
	out dx, al
	jmp .pas
.n3:	cmp al, 0x03			; BL = 1 blink, 0 intensity
	jne .n7
	in al, dx
	mov dx, 0x3C0
	mov al, 0x10
	out dx, al
	inc dx
	in al, dx
	dec dx
	and al, 0xF7
	cmp byte [F_BL], 0
	je .b0
	or al, 0x08
.b0:	out dx, al
	jmp .pas
.n7:	cmp al, 0x07			; read attribute register BL -> BH
	jne .n8
	in al, dx
	mov dx, 0x3C0
	mov al, [F_BL]
	and al, 0x1F
	out dx, al
	inc dx
	in al, dx
	mov [F_BH], al
	jmp .pas
.n8:	cmp al, 0x08			; read overscan -> BH
	jne .n10
	in al, dx
	mov dx, 0x3C0
	mov al, 0x11
	out dx, al
	inc dx
	in al, dx
	mov [F_BH], al
	jmp .pas
.n10:	cmp al, 0x10			; DAC register BX = DH, CH, CL
	jne .n12
	mov dx, 0x3C8
	mov al, [F_BL]
	out dx, al
	inc dx
	mov al, [F_DH]
	out dx, al
	mov al, [F_CH]
	out dx, al
	mov al, [F_CL]
	out dx, al
	ret
.n12:	cmp al, 0x12			; DAC block: BX first, CX count, ES:DX
	jne .n15
	mov dx, 0x3C8
	mov al, [F_BL]
	out dx, al
	inc dx
	mov es, [F_ES]
	mov si, [F_DX]
	mov cx, [F_CX]
	mov ax, cx
	add cx, cx
	add cx, ax
	jcxz .r
.blk:	mov al, [es:si]
	inc si
	out dx, al
	loop .blk
.r:	ret
.n15:	cmp al, 0x15			; read DAC register BX -> DH, CH, CL
	jne .n17
	mov dx, 0x3C7
	mov al, [F_BL]
	out dx, al
	mov dx, 0x3C9
	in al, dx
	mov [F_DH], al
	in al, dx
	mov [F_CH], al
	in al, dx
	mov [F_CL], al
	ret
.n17:	cmp al, 0x17			; read DAC block BX, CX into ES:DX
	jne .n18
	mov dx, 0x3C7
	mov al, [F_BL]
	out dx, al
	mov dx, 0x3C9
	mov es, [F_ES]
	mov di, [F_DX]
	mov cx, [F_CX]
	mov ax, cx
	add cx, cx
	add cx, ax
	jcxz .r
	rep insb
	ret
.n18:	cmp al, 0x18			; PEL mask BL
	jne .n19
	mov dx, 0x3C6
	mov al, [F_BL]
	out dx, al
	ret
.n19:	cmp al, 0x19
	jne .n1a
	mov dx, 0x3C6
	in al, dx
	mov [F_BL], al
	ret
.n1a:	cmp al, 0x1A			; colour page state
	jne .r
	mov word [F_BX], 0
	ret
.pas:	mov dx, 0x3DA
	in al, dx
	mov dx, 0x3C0
	mov al, 0x20
	out dx, al
	ret

; AH=11h: character generator
v_font:
	mov al, [F_AL]
	cmp al, 0x30
	je .info
	cmp al, 0x00
	je .user
	cmp al, 0x10
	je .user
	cmp al, 0x01
	je .rom
	cmp al, 0x11
	je .rom
	cmp al, 0x02
	je .rom
	cmp al, 0x12
	je .rom
	cmp al, 0x04
	je .rom
	cmp al, 0x14
	je .rom
	ret
.rom:	call v_kind
	cmp al, V_TEXT
	jne .r
	call v_load_font16
.r:	ret
.user:	; ES:BP glyphs, CX count, DX first, BH bytes per glyph
	call v_kind
	cmp al, V_TEXT
	jne .r
	push ds
	mov ds, [F_ES]
	mov si, [F_BP]
	mov cx, [F_CX]
	mov dx, [F_DX]
	mov bh, [F_BH]
	call v_load_font_block
	pop ds
	ret
.info:	; BH = which font -> ES:BP, CX = bytes per glyph, DL = rows - 1
	mov ax, [BDA_VCHARH]
	mov [F_CX], ax
	mov al, [BDA_VROWS]
	mov [F_DL], al
	mov word [F_ES], BIOS_SEG
	mov al, [F_BH]
	mov bx, font8x16
	cmp al, 2
	je .f
	cmp al, 5
	jae .f
	mov bx, font8x8
	cmp al, 3
	je .f
	mov bx, font8x8 + 128 * 8
	cmp al, 4
	je .f
	; 0: INT 1Fh, 1: INT 43h
	push ds
	xor dx, dx
	mov ds, dx
	mov bx, 0x1F * 4
	cmp al, 0
	je .vec
	mov bx, 0x43 * 4
.vec:	mov dx, [bx + 2]
	mov bx, [bx]
	pop ds
	mov [F_ES], dx
.f:	mov [F_BP], bx
	ret

; AH=12h: alternate select
v_alt_select:
	mov al, [F_BL]
	cmp al, 0x10			; EGA/VGA information
	jne .n
	mov word [F_BX], 0x0003		; colour, 256 KiB
	mov word [F_CX], 0x0009
	ret
.n:	cmp al, 0x30
	jb .e
	cmp al, 0x36
	ja .e
	mov byte [F_AL], 0x12		; "function supported"
.e:	ret

; AH=1Ah: display combination: VGA with analog colour display
v_display_combo:
	cmp byte [F_AL], 1
	ja .e
	mov byte [F_AL], 0x1A
	mov word [F_BX], 0x0008
.e:	ret
