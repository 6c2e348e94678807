; SPDX-License-Identifier: MIT
;
; BIOS messages: every character goes to the debug console (port 0xE9)
; and, once INT 10h is set up, to the screen through teletype output.

; print_char: AL
print_char:
	push ax
	push bx
	push ds
	out PORT_DEBUGCON, al
	push ax
	EBDA_DS
	cmp byte [E_VIDEO_ON], 0
	pop ax
	je .done
	cmp al, 10
	jne .out
	mov al, 13			; LF on screen: CR LF
	mov ah, 0x0E
	mov bx, 0x0007
	int 0x10
	mov al, 10
.out:	mov ah, 0x0E
	mov bx, 0x0007
	int 0x10
.done:	pop ds
	pop bx
	pop ax
	ret

; print_str: CS:SI, NUL-terminated
print_str:
	push ax
	push si
.l:	mov al, [cs:si]
	inc si
	test al, al
	jz .e
	call print_char
	jmp .l
.e:	pop si
	pop ax
	ret

; print_hex8/16/32: AL / AX / EAX
print_hex32:
	push eax
	shr eax, 16
	call print_hex16
	pop eax
print_hex16:
	push ax
	mov al, ah
	call print_hex8
	pop ax
print_hex8:
	push ax
	shr al, 4
	call .nib
	pop ax
	push ax
	call .nib
	pop ax
	ret
.nib:	and al, 0x0F
	add al, '0'
	cmp al, '9'
	jbe .p
	add al, 'a' - '9' - 1
.p:	jmp print_char

; print_dec: EAX unsigned
print_dec:
	push eax
	push ebx
	push ecx
	push edx
	mov ebx, 10
	xor cx, cx
.d:	xor edx, edx
	div ebx
	push dx
	inc cx
	test eax, eax
	jnz .d
.p:	pop ax
	add al, '0'
	call print_char
	loop .p
	pop edx
	pop ecx
	pop ebx
	pop eax
	ret

; io_delay: a few microseconds of nothing (port 0x80 is the POST code
; port; writing it is harmless)
io_delay:
	push ax
	mov al, 0
	out 0x80, al
	pop ax
	ret
