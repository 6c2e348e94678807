; SPDX-License-Identifier: MIT
;
; The keyboard: 8042 set-up at POST, the IRQ 1 handler (INT 09h) turning
; scan code set 1 (the 8042 translates the keyboard's set 2) into BIOS
; key words in the BDA's 16-word ring, and INT 16h.
;
; Key words are (scan code << 8) | ASCII as the IBM BIOS defines them;
; keys of the 101-key keyboard's gray block carry ASCII E0h in the
; extended functions (10h-12h) and 00h in the standard ones.  The LEDs
; are not driven.

%define KF_RSHIFT	0x01
%define KF_LSHIFT	0x02
%define KF_CTRL		0x04
%define KF_ALT		0x08
%define KF_SCROLL	0x10
%define KF_NUM		0x20
%define KF_CAPS		0x40
%define KF_INSERT	0x80
%define KM_E0		0x02		; BDA 0x96: last code was E0h
%define KM_RCTRL	0x04
%define KM_RALT		0x08

kbd_init:
	in al, PORT_KBSTAT
	cmp al, 0xFF
	jne .have
	MSG "keyboard: no 8042 controller", 10
	ret
.have:	; drain whatever is in the output buffer
	mov cx, 16
.dr:	in al, PORT_KBSTAT
	test al, 1
	jz .st
	in al, PORT_KBDATA
	loop .dr
.st:	call kbc_wait_in
	mov al, 0xAA			; controller self test
	out PORT_KBSTAT, al
	call kbc_wait_out
	jc .fail
	in al, PORT_KBDATA
	cmp al, 0x55
	jne .fail
	; command byte: keyboard IRQ on, system flag, mouse off, translation
	call kbc_wait_in
	mov al, 0x60
	out PORT_KBSTAT, al
	call kbc_wait_in
	mov al, 0x65
	out PORT_KBDATA, al
	call kbc_wait_in
	mov al, 0xAE			; keyboard interface on
	out PORT_KBSTAT, al
	; reset the keyboard: ACK (FAh), then BAT passed (AAh)
	call kbc_wait_in
	mov al, 0xFF
	out PORT_KBDATA, al
	call kbc_wait_out
	jc .nokbd
	in al, PORT_KBDATA
	cmp al, 0xFA
	jne .nokbd
	call kbc_wait_out
	jc .nokbd
	in al, PORT_KBDATA
	; scanning on
	call kbc_wait_in
	mov al, 0xF4
	out PORT_KBDATA, al
	call kbc_wait_out
	jc .nokbd
	in al, PORT_KBDATA
	ret
.nokbd:	MSG "keyboard: no answer to reset", 10
	ret
.fail:	MSG "keyboard: 8042 self test failed", 10
	ret

; ---------------------------------------------------------------------
; IRQ 1
irq1_keyboard:
	push ax
	push bx
	push cx
	push dx
	push ds
	cld
	in al, PORT_KBDATA
	; INT 15h AH=4Fh may take the scan code (it returns CF clear then)
	mov ah, 0x4F
	stc
	int 0x15
	jnc .eoi
	BDA_DS
	call kbd_scancode
.eoi:	cli
	mov al, 0x20
	out PORT_PIC1, al
	pop ds
	pop dx
	pop cx
	pop bx
	pop ax
	iret

; kbd_scancode: AL = set-1 code, DS = BDA
kbd_scancode:
	cmp al, 0xE0
	jne .ne0
	or byte [BDA_KBMODE], KM_E0
	ret
.ne0:	cmp al, 0xE1			; Pause: ignored
	jne .ne1
	ret
.ne1:	mov ah, [BDA_KBMODE]
	and byte [BDA_KBMODE], ~KM_E0
	mov bl, al
	and bl, 0x7F			; BL = make code
	test al, 0x80
	jnz .break
	; ---- make ----
	cmp bl, 0x2A
	je .lshift
	cmp bl, 0x36
	je .rshift
	cmp bl, 0x1D
	je .ctrl
	cmp bl, 0x38
	je .alt
	cmp bl, 0x3A
	je .caps
	cmp bl, 0x45
	je .num
	cmp bl, 0x46
	je .scroll
	test ah, KM_E0
	jnz .ext
	cmp bl, 0x52
	jne .key
	xor byte [BDA_KBFLAG0], KF_INSERT
	jmp .key
.lshift:
	test ah, KM_E0			; E0 2A: a fake shift
	jnz .r
	or byte [BDA_KBFLAG0], KF_LSHIFT
	ret
.rshift:
	test ah, KM_E0
	jnz .r
	or byte [BDA_KBFLAG0], KF_RSHIFT
	ret
.ctrl:	or byte [BDA_KBFLAG0], KF_CTRL
	test ah, KM_E0
	jz .lc
	or byte [BDA_KBMODE], KM_RCTRL
	ret
.lc:	or byte [BDA_KBFLAG1], 0x01
	ret
.alt:	or byte [BDA_KBFLAG0], KF_ALT
	test ah, KM_E0
	jz .la
	or byte [BDA_KBMODE], KM_RALT
	ret
.la:	or byte [BDA_KBFLAG1], 0x02
	ret
.caps:	test byte [BDA_KBFLAG1], 0x40
	jnz .r
	or byte [BDA_KBFLAG1], 0x40
	xor byte [BDA_KBFLAG0], KF_CAPS
	ret
.num:	test byte [BDA_KBFLAG1], 0x20
	jnz .r
	or byte [BDA_KBFLAG1], 0x20
	xor byte [BDA_KBFLAG0], KF_NUM
	ret
.scroll:
	test byte [BDA_KBFLAG1], 0x10
	jnz .r
	or byte [BDA_KBFLAG1], 0x10
	xor byte [BDA_KBFLAG0], KF_SCROLL
.r:	ret
	; ---- break ----
.break:	cmp bl, 0x2A
	jne .b1
	test ah, KM_E0
	jnz .r
	and byte [BDA_KBFLAG0], ~KF_LSHIFT
	ret
.b1:	cmp bl, 0x36
	jne .b2
	test ah, KM_E0
	jnz .r
	and byte [BDA_KBFLAG0], ~KF_RSHIFT
	ret
.b2:	cmp bl, 0x1D
	jne .b3
	test ah, KM_E0
	jz .blc
	and byte [BDA_KBMODE], ~KM_RCTRL
	jmp .bc
.blc:	and byte [BDA_KBFLAG1], ~0x01
.bc:	test byte [BDA_KBFLAG1], 0x01
	jnz .r
	test byte [BDA_KBMODE], KM_RCTRL
	jnz .r
	and byte [BDA_KBFLAG0], ~KF_CTRL
	ret
.b3:	cmp bl, 0x38
	jne .b4
	test ah, KM_E0
	jz .bla
	and byte [BDA_KBMODE], ~KM_RALT
	jmp .ba
.bla:	and byte [BDA_KBFLAG1], ~0x02
.ba:	test byte [BDA_KBFLAG1], 0x02
	jnz .r
	test byte [BDA_KBMODE], KM_RALT
	jnz .r
	and byte [BDA_KBFLAG0], ~KF_ALT
	ret
.b4:	cmp bl, 0x3A
	jne .b5
	and byte [BDA_KBFLAG1], ~0x40
	ret
.b5:	cmp bl, 0x45
	jne .b6
	and byte [BDA_KBFLAG1], ~0x20
	ret
.b6:	cmp bl, 0x46
	jne .r
	and byte [BDA_KBFLAG1], ~0x10
	ret

	; ---- keys after E0h: the gray block, keypad Enter and / ----
.ext:	cmp bl, 0x1C
	jne .x1
	mov ax, 0xE00D
	test byte [BDA_KBFLAG0], KF_CTRL
	jz .put
	mov al, 0x0A
	jmp .put
.x1:	cmp bl, 0x35
	jne .x2
	mov ax, 0xE02F
	jmp .put
.x2:	cmp bl, 0x47
	jb .r
	cmp bl, 0x53
	ja .r
	cmp bl, 0x52
	jne .x3
	xor byte [BDA_KBFLAG0], KF_INSERT
.x3:	mov ah, bl
	mov al, 0xE0
	test byte [BDA_KBFLAG0], KF_ALT
	jz .put
	xor al, al
	jmp .put

	; ---- ordinary keys ----
.key:	cmp bl, KEYMAP_LEN
	jae .r
	; Ctrl-Alt-Del: restart
	cmp bl, 0x53
	jne .k0
	mov al, [BDA_KBFLAG0]
	and al, KF_CTRL | KF_ALT
	cmp al, KF_CTRL | KF_ALT
	jne .k0
	mov word [BDA_RESETFLAG], 0x1234
	jmp BIOS_SEG:0xFFF0
.k0:	movzx bx, bl
	mov ah, bl			; scan code
	mov al, [BDA_KBFLAG0]
	test al, KF_ALT
	jnz .kalt
	test al, KF_CTRL
	jnz .kctrl
	; function keys
	cmp bl, 0x3B
	jb .kchar
	cmp bl, 0x44
	ja .kf11
	test al, KF_LSHIFT | KF_RSHIFT
	jz .f0
	add ah, 0x54 - 0x3B
.f0:	xor al, al
	jmp .put
.kf11:	cmp bl, 0x57
	jb .kpad
	cmp bl, 0x58
	ja .r
	add ah, 0x85 - 0x57		; F11 85h, F12 86h
	test al, KF_LSHIFT | KF_RSHIFT
	jz .f0
	add ah, 2
	jmp .f0
.kpad:	; keypad 47h-53h: digits when Num Lock xor Shift
	cmp bl, 0x47
	jb .kchar
	cmp bl, 0x53
	ja .kchar
	cmp bl, 0x4A
	je .kchar
	cmp bl, 0x4E
	je .kchar
	mov cl, al
	and cl, KF_LSHIFT | KF_RSHIFT
	jz .kp1
	mov cl, 1
.kp1:	test al, KF_NUM
	jz .kp2
	xor cl, 1
.kp2:	test cl, cl
	jz .f0				; cursor keys: ASCII 0
	mov al, [cs:keymap_shift + bx]
	jmp .put
.kchar:	mov cl, al
	and cl, KF_LSHIFT | KF_RSHIFT
	jz .ks1
	mov cl, 1
.ks1:	mov ch, [cs:keymap + bx]
	; Caps Lock swaps the case of letters only
	test al, KF_CAPS
	jz .ks2
	mov dl, ch
	or dl, 0x20
	cmp dl, 'a'
	jb .ks2
	cmp dl, 'z'
	ja .ks2
	xor cl, 1
.ks2:	mov al, ch
	test cl, cl
	jz .kput
	mov al, [cs:keymap_shift + bx]
.kput:	test al, al
	jz .r				; no character for this key
	jmp .put
.kctrl:	cmp bl, 0x3B
	jb .kc1
	cmp bl, 0x44
	ja .kc1
	add ah, 0x5E - 0x3B
	jmp .f0
.kc1:	mov al, [cs:keymap + bx]
	cmp al, 'a'
	jb .kc2
	cmp al, 'z'
	ja .kc2
	and al, 0x1F
	jmp .put
.kc2:	cmp al, 13
	jne .kc3
	mov al, 10
	jmp .put
.kc3:	cmp al, 8
	jne .kc4
	mov al, 0x7F
	jmp .put
.kc4:	cmp al, '['
	jb .r
	cmp al, ']'
	ja .r
	sub al, 0x40			; [ \ ] -> 1Bh 1Ch 1Dh
	jmp .put
.kalt:	cmp bl, 0x3B
	jb .f0
	cmp bl, 0x44
	ja .f0
	add ah, 0x68 - 0x3B
	jmp .f0
	; ---- into the ring ----
.put:	call kbd_buffer_put
	ret

; kbd_buffer_put: AX = key word; CF set when the buffer is full
kbd_buffer_put:
	push bx
	push si
	mov bx, [BDA_KBTAIL]
	mov si, bx
	add si, 2
	cmp si, [BDA_KBEND]
	jb .nw
	mov si, [BDA_KBSTART]
.nw:	cmp si, [BDA_KBHEAD]
	je .full
	mov [bx], ax
	mov [BDA_KBTAIL], si
	clc
	pop si
	pop bx
	ret
.full:	stc
	pop si
	pop bx
	ret

; keymap: set-1 make code -> ASCII without and with Shift
keymap:
	db 0, 27, '1234567890-=', 8, 9
	db 'qwertyuiop[]', 13, 0
	db "asdfghjkl;'`", 0, '\'
	db 'zxcvbnm,./', 0, '*', 0, ' ', 0
	db 0, 0, 0, 0, 0, 0, 0, 0, 0, 0		; F1-F10
	db 0, 0					; Num, Scroll
	db 0, 0, 0, '-', 0, 0, 0, '+', 0, 0, 0, 0, 0	; keypad 47-53
	db 0, 0, '\', 0, 0			; 54-58
KEYMAP_LEN equ $ - keymap
keymap_shift:
	db 0, 27, '!@#$%^&*()_+', 8, 9
	db 'QWERTYUIOP{}', 13, 0
	db 'ASDFGHJKL:"~', 0, '|'
	db 'ZXCVBNM<>?', 0, '*', 0, ' ', 0
	db 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
	db 0, 0
	db '789-456+1230.'
	db 0, 0, '|', 0, 0

; ---------------------------------------------------------------------
; INT 16h
int16_keyboard:
	ENTER_FRAME
	cld
	BDA_DS
	mov ah, [F_AH]
	cmp ah, 0x00
	je .read
	cmp ah, 0x10
	je .read
	cmp ah, 0x01
	je .peek
	cmp ah, 0x11
	je .peek
	cmp ah, 0x02
	je .flags
	cmp ah, 0x12
	je .xflags
	cmp ah, 0x05
	je .store
	cmp ah, 0x0A
	je .id
	cmp ah, 0x09
	je .caps
	jmp .ret
.read:	sti
.rw:	cli
	mov bx, [BDA_KBHEAD]
	cmp bx, [BDA_KBTAIL]
	jne .rg
	sti
	hlt
	jmp .rw
.rg:	mov ax, [bx]
	add bx, 2
	cmp bx, [BDA_KBEND]
	jb .rn
	mov bx, [BDA_KBSTART]
.rn:	mov [BDA_KBHEAD], bx
	sti
	cmp byte [F_AH], 0x10
	je .rput
	call kbd_standard
	jc .rw				; a key the standard functions drop
.rput:	mov [F_AX], ax
	jmp .ret
.peek:	cli
	mov bx, [BDA_KBHEAD]
	cmp bx, [BDA_KBTAIL]
	je .empty
	mov ax, [bx]
	cmp byte [F_AH], 0x11
	je .pput
	call kbd_standard
	jnc .pput
	; drop it and look again
	add bx, 2
	cmp bx, [BDA_KBEND]
	jb .pn
	mov bx, [BDA_KBSTART]
.pn:	mov [BDA_KBHEAD], bx
	jmp .peek
.pput:	mov [F_AX], ax
	and byte [F_FLAGS], ~0x40	; ZF clear: a key is there
	sti
	jmp .ret
.empty:	or byte [F_FLAGS], 0x40
	sti
	jmp .ret
.flags:	mov al, [BDA_KBFLAG0]
	mov [F_AL], al
	jmp .ret
.xflags:
	mov al, [BDA_KBFLAG0]
	mov [F_AL], al
	mov al, [BDA_KBFLAG1]
	and al, 0x73			; L Ctrl, L Alt, Scroll/Num/Caps held
	mov ah, [BDA_KBMODE]
	test ah, KM_RCTRL
	jz .x1
	or al, 0x04
.x1:	test ah, KM_RALT
	jz .x2
	or al, 0x08
.x2:	mov [F_AH], al
	jmp .ret
.store:	cli
	mov ax, [F_CX]
	call kbd_buffer_put
	sti
	mov byte [F_AL], 0
	jnc .ret
	mov byte [F_AL], 1
	jmp .ret
.id:	mov word [F_BX], 0x41AB		; MF2 keyboard, translated
	jmp .ret
.caps:	mov byte [F_AL], 0x20		; functions 10h-12h supported
.ret:	LEAVE_FRAME

; kbd_standard: AX = key word as AH=00h/01h return it; CF set for keys
; only the extended functions report (F11, F12)
kbd_standard:
	cmp ah, 0x85
	jb .a
	cmp ah, 0x8C
	jbe .drop
.a:	cmp ah, 0xE0
	jne .b
	mov ah, 0x1C			; keypad Enter
	cmp al, 0x2F
	jne .ok
	mov ah, 0x35			; keypad /
	jmp .ok
.b:	cmp al, 0xE0
	jne .ok
	test ah, ah
	jz .ok
	xor al, al
.ok:	clc
	ret
.drop:	stc
	ret
