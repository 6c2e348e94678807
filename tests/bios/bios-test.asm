; SPDX-License-Identifier: MIT
;
; bios-test: a boot program that calls the BIOS services and checks what
; they return, reporting "ok N - ..." lines on port 0xE9 and the failure
; count to port 0xF4 (tests/guests/lib.inc).  tests/run-bios.sh assembles
; it three times, for a floppy (-DMEDIA=0), a hard disk (-DMEDIA=0x80)
; and an El Torito no-emulation CD (-DMEDIA=0xE0), puts it on a medium
; with a marker sector, and boots that through the BIOS under test with
; -m 32.
;
; Sector 0 loads the rest with INT 13h AH=02h (the CD's boot image is
; loaded whole by the BIOS).  The checks hold for any PC BIOS that
; implements the services; values that are popek BIOS choices (the
; PIRQ routing, the VBE mode numbers) are not checked.

%ifndef MEDIA
%define MEDIA 0x80
%endif
%define BOOT_DL		0x5F0
%define MARK_LBA_HD	1000		; marker sector on the hard disk
%define MARK_LBA_FD	2000		; and on the floppy (1.44 MB)
%define BUF_SEG		0x2000		; DATA_BUF (0x20000) as a segment
%define V		0x900		; test variables (in lib's SCRATCH)

	org 0x7C00
	bits 16
start:
	jmp 0:.cs0			; El Torito may enter at 07C0:0000
.cs0:	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7000
	sti
	cld
	mov [BOOT_DL], dl
%if MEDIA != 0xE0
	; geometry, then sectors 1 .. PROG_SECTORS-1, one at a time
	mov ah, 0x08
	int 0x13
	jc load_fail
	and cl, 0x3F
	mov [V], cl			; sectors per track
	inc dh
	mov [V + 1], dh			; heads
	mov word [V + 2], 1		; LBA
.next:	mov ax, [V + 2]
	cmp ax, PROG_SECTORS
	jae main
	; ES = 07C0h + LBA * 32, BX = 0
	mov bx, ax
	shl bx, 5
	add bx, 0x07C0
	mov es, bx
	xor bx, bx
	xor dx, dx
	movzx cx, byte [V]
	div cx				; AX = track, DX = sector - 1
	mov cl, dl
	inc cl
	xor dx, dx
	movzx si, byte [V + 1]
	div si				; AX = cylinder, DX = head
	mov dh, dl
	mov ch, al
	shl ah, 6
	or cl, ah
	mov dl, [BOOT_DL]
	mov ax, 0x0201
	int 0x13
	jc load_fail
	inc word [V + 2]
	jmp .next
%else
	jmp main
%endif
load_fail:
	mov si, .m - 0x7C00
	xor ax, ax
	mov ds, ax
	mov si, .m
.l:	lodsb
	test al, al
	jz .e
	out 0xE9, al
	jmp .l
.e:	mov al, 0x7F
	out 0xF4, al
	cli
	hlt
.m:	db "not ok 1 - loader: INT 13h read of the test program failed", 10, 0
	times 510 - ($ - $$) db 0
	dw 0xAA55

; ---------------------------------------------------------------------
%include "lib.inc"

main:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov dword [T_NUM], 0
	mov dword [T_FAIL], 0
	mov dword [RECOVER], 0
	sti

%define TAG "boot"
	CHK8 byte [BOOT_DL], MEDIA, "DL holds the boot drive"
	CHK16 word [0x7DFE], 0xAA55, "boot sector at 0000:7C00"

	call test_memory
	call test_misc
	call test_keyboard
	call test_timer
	call test_pci
	call test_video
	call test_vbe
	call test_disk
	call test_tables
	; the last checks in protected mode end the run
	jmp test_acpi_pm

; ---------------------------------------------------------------------
test_memory:
%define TAG "mem"
	int 0x12
	mov [V], ax
	cmp ax, [0x413]
	sete al
	CHK8 al, 1, "INT 12h = BDA 413h"
	mov ax, [V]
	cmp ax, 512
	setae bl
	cmp ax, 640
	setbe bh
	and bl, bh
	CHK8 bl, 1, "INT 12h between 512 and 640 KiB"
	; the EBDA lies above the base memory
	movzx eax, word [0x40E]
	shl eax, 4
	movzx ebx, word [V]
	shl ebx, 10
	cmp eax, ebx
	setae al
	CHK8 al, 1, "EBDA at or above the INT 12h size"

	; E820
	xor ebx, ebx
	mov dword [V + 0x10], 0		; entries
	mov dword [V + 0x14], 0		; KiB of RAM above 1 MiB
	mov dword [V + 0x18], 0		; the entry with 7C00h is RAM
	mov dword [V + 0x1C], 0		; an entry reserves F0000h
	mov dword [V + 0x20], 0		; malformed entries
	mov dword [V + 0x24], 0		; bad signature returns
.e820:	mov eax, 0xE820
	mov edx, 0x534D4150
	mov ecx, 24
	mov di, V + 0x40
	push ebx
	int 0x15
	pop esi
	jc .edone
	cmp eax, 0x534D4150
	je .sig
	inc dword [V + 0x24]
.sig:	inc dword [V + 0x10]
	; base < 4 GiB entries only matter here
	cmp dword [V + 0x44], 0
	jne .next
	mov eax, [V + 0x40]		; base
	mov edx, [V + 0x48]		; length
	mov ecx, [V + 0x50]		; type
	test edx, edx
	jnz .l1
	inc dword [V + 0x20]
.l1:	cmp ecx, 1
	jb .bad
	cmp ecx, 5
	jbe .l2
.bad:	inc dword [V + 0x20]
.l2:	; covers 7C00h?
	cmp eax, 0x7C00
	ja .l3
	lea edi, [eax + edx]
	cmp edi, 0x7E00
	jb .l3
	cmp ecx, 1
	jne .l3
	mov dword [V + 0x18], 1
.l3:	cmp eax, 0xF0000
	ja .l4
	lea edi, [eax + edx]
	cmp edi, 0xF0000
	jbe .l4
	cmp ecx, 1
	je .l4
	mov dword [V + 0x1C], 1
.l4:	cmp ecx, 1
	jne .next
	cmp eax, 0x100000
	jb .next
	shr edx, 10
	add [V + 0x14], edx
.next:	test ebx, ebx
	jnz .e820
.edone:	CHK32 dword [V + 0x24], 0, "E820 returns 'SMAP'"
	mov eax, [V + 0x10]
	cmp eax, 4
	setae al
	CHK8 al, 1, "E820 lists at least 4 ranges"
	CHK32 dword [V + 0x20], 0, "E820 ranges well formed"
	CHK32 dword [V + 0x18], 1, "E820: RAM under the boot sector"
	CHK32 dword [V + 0x1C], 1, "E820: the BIOS area F0000h not RAM"
	; -m 32: between 30 and 31 MiB of RAM above 1 MiB
	mov eax, [V + 0x14]
	cmp eax, 30 * 1024
	setae bl
	cmp eax, 31 * 1024
	setbe bh
	and bl, bh
	CHK8 bl, 1, "E820: 30-31 MiB of RAM above 1 MiB (-m 32)"

	; E801 and 88h agree with E820
	mov ax, 0xE801
	int 0x15
	PASSIF nc, "E801 supported"
	mov [V + 0x28], ax
	mov [V + 0x2A], bx
	CHK16 word [V + 0x28], 0x3C00, "E801: 15 MiB between 1 and 16 MiB"
	movzx eax, word [V + 0x2A]
	shl eax, 6			; KiB
	add eax, 15 * 1024
	CHK32 eax, [V + 0x14], "E801 total = E820 RAM above 1 MiB"
	mov ah, 0x88
	int 0x15
	mov [V + 0x28], ax
	mov ax, [V + 0x28]
	cmp ax, 15 * 1024
	setae al
	CHK8 al, 1, "INT 15h AH=88h: at least 15 MiB"
	ret

; ---------------------------------------------------------------------
test_misc:
%define TAG "sys"
	int 0x11
	and ax, 0x30
	CHK16 ax, 0x20, "INT 11h: 80x25 colour display"
	mov ah, 0xC0
	int 0x15
	PASSIF nc, "INT 15h AH=C0h supported"
	mov [V], bx
	mov [V + 2], es
	push ds
	lds si, [V]
	mov ax, [si]
	pop ds
	cmp ax, 8
	setae al
	CHK8 al, 1, "configuration table of 8 or more bytes"
	xor ax, ax
	mov es, ax
	; A20
	mov ax, 0x2402
	int 0x15
	CHK8 al, 1, "A20 reported on"
	mov ax, 0x2400
	int 0x15
	PASSIF nc, "A20 off accepted"
	call wraps
	CHK8 al, 1, "A20 off: 100000h wraps to 0"
	mov ax, 0x2402
	int 0x15
	CHK8 al, 0, "A20 reported off"
	mov ax, 0x2401
	int 0x15
	call wraps
	CHK8 al, 0, "A20 on again: no wrap"
	; INT 15h AH=87h: 8 words from the boot sector to 1 MiB + 64 KiB,
	; then back to a low buffer
	mov si, gdt87
	mov dword [si + 0x12], 0x7C00	; source base 23-0 (+ access byte)
	mov byte [si + 0x15], 0x93
	mov dword [si + 0x1A], 0x110000	; destination
	mov byte [si + 0x1D], 0x93
	mov cx, 8
	mov ah, 0x87
	int 0x15
	PASSIF nc, "INT 15h AH=87h up"
	mov dword [si + 0x12], 0x110000
	mov byte [si + 0x15], 0x93
	mov dword [si + 0x1A], V + 0x100
	mov byte [si + 0x1D], 0x93
	mov cx, 8
	mov ah, 0x87
	int 0x15
	PASSIF nc, "INT 15h AH=87h down"
	mov eax, [V + 0x100 + 12]
	CHK32 eax, dword [0x7C00 + 12], "AH=87h moved the bytes there and back"
	; INT 15h AH=86h: 100 ms = about 2 ticks
	mov eax, [0x46C]
	mov [V], eax
	mov cx, 0x0001
	mov dx, 0x86A0			; 100000 us
	mov ah, 0x86
	int 0x15
	PASSIF nc, "INT 15h AH=86h wait"
	mov eax, [0x46C]
	sub eax, [V]
	cmp eax, 1
	setae bl
	cmp eax, 3
	setbe bh
	and bl, bh
	CHK8 bl, 1, "AH=86h 100 ms took 1-3 ticks"
	ret

; wraps: AL = 1 when 0000:0500 and FFFF:0510 are the same byte
wraps:
	push es
	push bx
	mov ax, 0xFFFF
	mov es, ax
	mov bl, [0x500]
	mov byte [0x500], 0x11
	mov byte [es:0x510], 0x22
	cmp byte [0x500], 0x22
	sete al
	mov [0x500], bl
	pop bx
	pop es
	ret

; ---------------------------------------------------------------------
test_keyboard:
%define TAG "kbd"
	mov ah, 0x05
	mov cx, 0x1E61			; 'a'
	int 0x16
	CHK8 al, 0, "INT 16h AH=05h stores a key"
	mov ah, 0x01
	int 0x16
	PASSIF nz, "AH=01h: a key is waiting"
	CHK16 ax, 0x1E61, "AH=01h shows it"
	mov ah, 0x00
	int 0x16
	CHK16 ax, 0x1E61, "AH=00h reads it"
	mov ah, 0x11
	int 0x16
	PASSIF z, "AH=11h: buffer empty again"
	mov ah, 0x02
	int 0x16
	and al, 0x0F
	CHK8 al, 0, "no shift key held"
	; through IRQ 1: the 8042's "write keyboard output buffer" (D2h)
	; hands set-1 codes to the BIOS as if typed: Shift, b, releases
	mov al, 0x2A
	call kbd_inject
	mov al, 0x30
	call kbd_inject
	mov ah, 0x02
	int 0x16
	and al, 0x03
	CHK8 al, 0x02, "IRQ 1: left Shift held in the flags"
	mov al, 0xB0
	call kbd_inject
	mov al, 0xAA
	call kbd_inject
	mov ah, 0x01
	int 0x16
	PASSIF nz, "IRQ 1: a key in the buffer"
	mov ah, 0x00
	int 0x16
	CHK16 ax, 0x3042, "IRQ 1: Shift-b reads as 3042h ('B')"
	mov ah, 0x02
	int 0x16
	and al, 0x03
	CHK8 al, 0, "IRQ 1: Shift released"
	mov al, 0xE0			; gray Right arrow: E0 4D
	call kbd_inject
	mov al, 0x4D
	call kbd_inject
	mov al, 0xE0
	call kbd_inject
	mov al, 0xCD
	call kbd_inject
	mov ah, 0x10
	int 0x16
	CHK16 ax, 0x4DE0, "IRQ 1: gray Right arrow, extended read 4DE0h"
	ret

; kbd_inject: AL as if the keyboard sent it, then time for IRQ 1
kbd_inject:
	push cx
	push ax
	mov cx, 0xFFFF
.w1:	in al, 0x64
	test al, 0x02
	loopnz .w1
	mov al, 0xD2
	out 0x64, al
	mov cx, 0xFFFF
.w2:	in al, 0x64
	test al, 0x02
	loopnz .w2
	pop ax
	out 0x60, al
	sti
	; the IRQ 1 handler empties the output buffer
	mov cx, 0xFFFF
.w3:	in al, 0x64
	test al, 0x01
	loopnz .w3
	pop cx
	ret

; ---------------------------------------------------------------------
test_timer:
%define TAG "time"
	sti
	xor ah, ah
	int 0x1A
	mov [V], dx
	mov [V + 2], cx
	mov cx, 200
.w:	hlt
	push cx
	xor ah, ah
	int 0x1A
	pop cx
	sub dx, [V]
	cmp dx, 3
	jae .t
	loop .w
.t:	cmp dx, 3
	setae al
	CHK8 al, 1, "INT 1Ah AH=00h ticks advance"
	mov ax, [0x46C]
	sub ax, [V]
	cmp ax, 3
	setae al
	CHK8 al, 1, "BDA 46Ch counts the ticks"
	mov ah, 0x02
	int 0x1A
	PASSIF nc, "INT 1Ah AH=02h reads the RTC"
	mov [V + 4], cx
	mov [V + 6], dx
	mov ax, [V + 4]
	call is_bcd
	mov [V + 8], al
	mov ax, [V + 6]
	and ax, 0xFF00
	call is_bcd
	and al, [V + 8]
	CHK8 al, 1, "RTC time in BCD"
	mov ah, 0x04
	int 0x1A
	PASSIF nc, "INT 1Ah AH=04h reads the date"
	mov [V + 4], cx
	mov al, ch
	cmp al, 0x19
	sete bl
	cmp al, 0x20
	sete bh
	or bl, bh
	CHK8 bl, 1, "century 19 or 20"
%if MEDIA == 0x80
	; 18.2 Hz against the RTC: ticks over two RTC seconds
	call rtc_edge
	mov eax, [0x46C]
	mov [V + 8], eax
	call rtc_edge
	call rtc_edge
	mov eax, [0x46C]
	sub eax, [V + 8]
	mov [V + 8], eax
	cmp eax, 35
	setae bl
	cmp eax, 38
	setbe bh
	and bl, bh
	CHK8 bl, 1, "36 +- 1 timer ticks in 2 RTC seconds (18.2 Hz)"
%endif
	ret

; rtc_edge: wait until the RTC's seconds change
rtc_edge:
	mov ah, 0x02
	int 0x1A
	mov bl, dh
.w:	hlt
	push bx
	mov ah, 0x02
	int 0x1A
	pop bx
	cmp dh, bl
	je .w
	ret

; is_bcd: AL = 1 when every nibble of AX is 0-9
is_bcd:
	mov cx, 4
.l:	mov bl, al
	and bl, 0x0F
	cmp bl, 9
	ja .no
	shr ax, 4
	loop .l
	mov al, 1
	ret
.no:	xor al, al
	ret

; ---------------------------------------------------------------------
test_pci:
%define TAG "pci"
	mov ax, 0xB101
	xor edi, edi
	int 0x1A
	PASSIF nc, "INT 1Ah B101h: PCI BIOS present"
	CHK32 edx, 0x20494350, "EDX = 'PCI '"
	mov ax, 0xB102
	mov cx, 0x1237
	mov dx, 0x8086
	xor si, si
	int 0x1A
	PASSIF nc, "find device 8086:1237 (host bridge)"
	CHK16 bx, 0x0000, "the host bridge is 00:00.0"
	mov ax, 0xB10A
	xor di, di
	int 0x1A
	CHK32 ecx, 0x12378086, "config dword 0 of 00:00.0"
	mov ax, 0xB109
	mov di, 2
	int 0x1A
	CHK16 cx, 0x1237, "config word 2 of 00:00.0"
	mov ax, 0xB102
	mov cx, 0xFFFF
	mov dx, 0x1234
	xor si, si
	int 0x1A
	PASSIF c, "a device nobody has is not found"
	CHK8 ah, 0x86, "status 86h: device not found"
	; the display: class 030000
	mov ax, 0xB103
	mov ecx, 0x030000
	xor si, si
	int 0x1A
	PASSIF nc, "find class 030000h (VGA)"
	mov [V + 0x30], bx
	mov ax, 0xB10A
	mov di, 0x10
	int 0x1A
	and ecx, 0xFFFFFFF0
	mov [V + 0x34], ecx		; BAR0: the framebuffer
	mov eax, ecx
	test eax, eax
	setnz al
	CHK8 al, 1, "the display's BAR0 is placed"
	; every function with an interrupt pin has a line
	mov word [V + 0x38], 0		; functions without a line
	xor bx, bx
.f:	mov ax, 0xB10A
	xor di, di
	int 0x1A
	cmp cx, 0xFFFF
	je .nf
	mov ax, 0xB108
	mov di, 0x3D
	int 0x1A
	test cl, cl
	jz .nf
	mov ax, 0xB108
	mov di, 0x3C
	int 0x1A
	cmp cl, 15
	jbe .nf
	inc word [V + 0x38]
.nf:	inc bl
	jnz .f
	CHK16 word [V + 0x38], 0, "every INTx# pin has an IRQ line (0-15)"
	ret

; ---------------------------------------------------------------------
test_video:
%define TAG "int10"
	mov ax, 0x0003
	int 0x10
	mov ah, 0x0F
	int 0x10
	CHK16 ax, 0x5003, "AH=0Fh: mode 3, 80 columns"
	CHK8 bh, 0, "active page 0"
	; teletype at row 5, column 10
	mov ah, 0x02
	xor bh, bh
	mov dx, 0x050A
	int 0x10
	mov ax, 0x0E58			; 'X'
	xor bx, bx
	int 0x10
	mov ax, 0x0E59			; 'Y'
	int 0x10
	push es
	mov ax, 0xB800
	mov es, ax
	mov ax, [es:(5 * 80 + 10) * 2]
	mov bx, [es:(5 * 80 + 11) * 2]
	pop es
	CHK8 al, 'X', "teletype lands in B8000h"
	CHK8 bl, 'Y', "teletype advances the cursor"
	mov ah, 0x03
	xor bh, bh
	int 0x10
	CHK16 dx, 0x050C, "AH=03h: cursor after the two characters"
	; AH=09h: three 'Z' in yellow on blue, read back with AH=08h
	mov ax, 0x095A
	mov bx, 0x001E
	mov cx, 3
	int 0x10
	mov ah, 0x08
	xor bh, bh
	int 0x10
	CHK16 ax, 0x1E5A, "AH=09h then AH=08h: character and attribute"
	push es
	mov ax, 0xB800
	mov es, ax
	mov ax, [es:(5 * 80 + 14) * 2]
	pop es
	CHK16 ax, 0x1E5A, "AH=09h writes CX cells"
	; AH=13h: a string with attribute 2Fh at row 7
	push bp
	mov ax, 0x1301
	mov bx, 0x002F
	mov cx, 3
	mov dx, 0x0700
	mov bp, str_abc
	int 0x10
	pop bp
	push es
	mov ax, 0xB800
	mov es, ax
	mov ax, [es:(7 * 80 + 2) * 2]
	pop es
	CHK16 ax, 0x2F63, "AH=13h writes the string"
	; AH=06h: scroll rows 5-7 up by one
	mov ax, 0x0601
	mov bh, 0x07
	mov cx, 0x0500
	mov dx, 0x074F
	int 0x10
	push es
	mov ax, 0xB800
	mov es, ax
	mov ax, [es:(6 * 80 + 0) * 2]
	mov bx, [es:(7 * 80 + 0) * 2]
	pop es
	CHK16 ax, 0x2F61, "AH=06h moves row 7 to row 6"
	CHK16 bx, 0x0720, "AH=06h blanks the bottom row"
	; fonts: AX=1130h BH=6 -> the 8x16 font
	push es
	push bp
	mov ax, 0x1130
	mov bh, 6
	int 0x10
	mov [V], bp
	mov [V + 2], es
	pop bp
	pop es
	CHK16 cx, 16, "AX=1130h: 16 bytes per character"
	CHK8 dl, 24, "AX=1130h: 25 rows"
	; display combination code
	mov ax, 0x1A00
	int 0x10
	CHK8 al, 0x1A, "AX=1A00h supported"
	CHK8 bl, 0x08, "VGA with colour display"
	; modes 12h and 13h
	mov ax, 0x0013
	int 0x10
	mov ah, 0x0F
	int 0x10
	CHK8 al, 0x13, "mode 13h set"
	mov ax, 0x0C2A			; pixel 42 at (10, 20)
	xor bh, bh
	mov cx, 10
	mov dx, 20
	int 0x10
	push es
	mov ax, 0xA000
	mov es, ax
	mov al, [es:20 * 320 + 10]
	pop es
	CHK8 al, 42, "mode 13h: AH=0Ch writes A0000h"
	mov ah, 0x0D
	mov cx, 10
	mov dx, 20
	int 0x10
	CHK8 al, 42, "mode 13h: AH=0Dh reads it"
	; teletype in mode 13h draws the 8x8 glyph in colour BL at (0, 0)
	mov ah, 0x02
	xor bh, bh
	xor dx, dx
	int 0x10
	mov ax, 0x0E41			; 'A'
	mov bx, 0x000F
	int 0x10
	push es
	mov ax, 0xA000
	mov es, ax
	xor cx, cx			; CL: pixels set, CH: other values
	xor di, di
.r13:	xor si, si
.c13:	mov bx, di
	mov al, [es:bx + si]
	cmp al, 15
	jne .n15
	inc cl
	jmp .nx
.n15:	test al, al
	jz .nx
	inc ch
.nx:	inc si
	cmp si, 8
	jb .c13
	add di, 320
	cmp di, 320 * 8
	jb .r13
	pop es
	cmp cl, 8
	setae al
	CHK8 al, 1, "mode 13h teletype draws a glyph in colour 15"
	CHK8 ch, 0, "mode 13h glyph: only colours 0 and 15"
	mov ah, 0x03
	xor bh, bh
	int 0x10
	CHK16 dx, 0x0001, "mode 13h teletype moves the cursor"
	mov ax, 0x1010			; DAC register 5 = (1, 2, 3)
	mov bx, 5
	mov dh, 1
	mov cx, 0x0203
	int 0x10
	mov ax, 0x1015
	mov bx, 5
	int 0x10
	CHK16 cx, 0x0203, "AX=1015h reads what 1010h wrote (G, B)"
	CHK8 dh, 1, "AX=1015h red"
	mov ax, 0x0012
	int 0x10
	mov ax, 0x0C0B			; colour 11 at (100, 50)
	xor bh, bh
	mov cx, 100
	mov dx, 50
	int 0x10
	mov ah, 0x0D
	mov cx, 100
	mov dx, 50
	int 0x10
	CHK8 al, 11, "mode 12h: pixel written and read back"
	mov ax, 0x0003
	int 0x10
	ret
str_abc: db "abc"

; the descriptor table INT 15h AH=87h takes: 6 descriptors, limit 0FFFFh
	align 8
gdt87:
	times 0x10 db 0
	dw 0xFFFF, 0, 0, 0		; 10h source
	dw 0xFFFF, 0, 0, 0		; 18h destination
	times 0x10 db 0

; ---------------------------------------------------------------------
test_vbe:
%define TAG "vbe"
	push es
	mov ax, BUF_SEG
	mov es, ax
	mov dword [es:0], 'VBE2'
	mov ax, 0x4F00
	xor di, di
	int 0x10
	CHK16 ax, 0x004F, "4F00h succeeds"
	mov eax, [es:0]
	CHK32 eax, 'VESA', "controller info signature"
	mov ax, [es:4]
	cmp ax, 0x0200
	setae al
	CHK8 al, 1, "VBE 2.0 or later"
	; find 640x480 at 8 bits in the mode list
	mov word [V + 0x40], 0
	lds si, [es:14]
.m:	lodsw
	cmp ax, 0xFFFF
	je .md
	mov cx, ax
	push ds
	push si
	xor ax, ax
	mov ds, ax
	mov [V + 0x42], cx
	mov ax, 0x4F01
	mov di, 0x200
	int 0x10
	cmp word [es:0x200 + 18], 640
	jne .nm
	cmp word [es:0x200 + 20], 480
	jne .nm
	cmp byte [es:0x200 + 25], 8
	jne .nm
	mov cx, [V + 0x42]
	mov [V + 0x40], cx
	mov eax, [es:0x200 + 40]
	mov [V + 0x44], eax
	mov ax, [es:0x200]
	mov [V + 0x48], ax
.nm:	pop si
	pop ds
	jmp .m
.md:	xor ax, ax
	mov ds, ax
	mov ax, [V + 0x40]
	test ax, ax
	setnz al
	CHK8 al, 1, "a 640x480x8 mode in the list"
	CHK32 dword [V + 0x44], dword [V + 0x34], "PhysBasePtr = the display's BAR0"
	mov ax, [V + 0x48]
	and ax, 0x0091
	CHK16 ax, 0x0091, "mode attributes: supported, graphics, LFB"
	mov ax, 0x4F02
	mov bx, [V + 0x40]
	or bx, 0x4000
	int 0x10
	CHK16 ax, 0x004F, "4F02h sets it with the LFB"
	mov ax, 0x4F03
	int 0x10
	CHK16 ax, 0x004F, "4F03h succeeds"
	and bx, 0x1FF
	cmp bx, [V + 0x40]
	sete al
	CHK8 al, 1, "4F03h returns the mode"
	mov ax, 0x0003
	int 0x10
	mov ah, 0x0F
	int 0x10
	CHK8 al, 3, "back to text mode 3"
	pop es
	ret

; ---------------------------------------------------------------------
test_disk:
%define TAG "int13"
	push es
	mov dl, MEDIA
	mov ah, 0x41
	mov bx, 0x55AA
	int 0x13
%if MEDIA == 0
	; floppies: no extensions needed; geometry and CHS reads
	mov ah, 0x08
	mov dl, 0
	int 0x13
	PASSIF nc, "AH=08h on the floppy"
	CHK8 bl, 4, "drive type 4: 1.44 MB"
	CHK16 cx, 0x4F12, "79 cylinders, 18 sectors"
	CHK8 dh, 1, "two heads"
	; LBA 2000: cylinder 55, head 1, sector 3
	mov ax, BUF_SEG
	mov es, ax
	xor bx, bx
	mov ax, 0x0201
	mov cx, 0x3703
	mov dx, 0x0100
	int 0x13
	PASSIF nc, "AH=02h reads CHS 55/1/3"
	CHK8 al, 1, "one sector read"
	mov eax, [es:0]
	CHK32 eax, 'MARK', "the marker sector"
	mov eax, [es:4]
	CHK32 eax, MARK_LBA_FD, "its LBA"
	; two sectors across the head boundary into one buffer
	mov ax, 0x0202
	mov cx, 0x3712			; sector 18, head 0
	mov dx, 0x0000
	xor bx, bx
	int 0x13
	PASSIF nc, "AH=02h over the end of a track"
	CHK8 al, 2, "two sectors read"
	mov eax, [es:512 + 4]
	CHK32 eax, (55 * 2 + 1) * 18, "second sector from head 1"
	; AH=03h writes a sector, AH=02h reads it back (LBA 2001: 55/1/4)
	mov dword [es:0], 'FDWR'
	mov dword [es:4], 2001
	xor bx, bx
	mov ax, 0x0301
	mov cx, 0x3704
	mov dx, 0x0100
	int 0x13
	PASSIF nc, "AH=03h writes CHS 55/1/4"
	mov dword [es:0], 0
	xor bx, bx
	mov ax, 0x0201
	mov cx, 0x3704
	mov dx, 0x0100
	int 0x13
	mov eax, [es:0]
	CHK32 eax, 'FDWR', "AH=02h reads back what AH=03h wrote"
	mov ah, 0x15
	mov dl, 0
	int 0x13
	mov al, ah
	test al, al
	setnz al
	CHK8 al, 1, "AH=15h: a floppy drive"
%elif MEDIA == 0x80
	PASSIF nc, "AH=41h: extensions present"
	CHK16 bx, 0xAA55, "AH=41h signature"
	and cx, 1
	CHK16 cx, 1, "fixed disk access subset"
	; drive parameters
	mov ah, 0x48
	mov dl, 0x80
	mov si, V + 0x40
	mov word [si], 0x42
	int 0x13
	PASSIF nc, "AH=48h"
	CHK16 word [V + 0x40 + 24], 512, "512-byte sectors"
	CHK32 dword [V + 0x40 + 16], 2048, "2048 sectors (1 MiB image)"
	; extended read of the marker
	mov word [V + 0x10], 0x0010
	mov word [V + 0x12], 1
	mov dword [V + 0x14], BUF_SEG << 16
	mov dword [V + 0x18], MARK_LBA_HD
	mov dword [V + 0x1C], 0
	mov ah, 0x42
	mov dl, 0x80
	mov si, V + 0x10
	int 0x13
	PASSIF nc, "AH=42h reads LBA 1000"
	mov ax, BUF_SEG
	mov es, ax
	mov eax, [es:0]
	CHK32 eax, 'MARK', "the marker sector"
	mov eax, [es:4]
	CHK32 eax, MARK_LBA_HD, "its LBA"
	; the same sector by CHS through the geometry of AH=08h
	mov ah, 0x08
	mov dl, 0x80
	int 0x13
	PASSIF nc, "AH=08h"
	mov al, cl
	and al, 0x3F
	mov [V], al			; sectors
	inc dh
	mov [V + 1], dh			; heads
	mov ax, MARK_LBA_HD
	xor dx, dx
	movzx cx, byte [V]
	div cx
	mov cl, dl
	inc cl
	xor dx, dx
	movzx si, byte [V + 1]
	div si
	mov ch, al
	mov dh, dl
	mov dl, 0x80
	mov ax, BUF_SEG
	mov es, ax
	mov dword [es:0], 0
	mov bx, 0
	mov ax, 0x0201
	int 0x13
	PASSIF nc, "AH=02h reads the same sector by CHS"
	mov eax, [es:4]
	CHK32 eax, MARK_LBA_HD, "CHS and LBA agree"
	; a write and a read back through the extensions (LBA 1500)
	mov dword [es:0], 'WRIT'
	mov dword [es:4], 1500
	mov word [V + 0x10], 0x0010
	mov word [V + 0x12], 1
	mov dword [V + 0x14], BUF_SEG << 16
	mov dword [V + 0x18], 1500
	mov dword [V + 0x1C], 0
	mov ax, 0x4300
	mov dl, 0x80
	mov si, V + 0x10
	int 0x13
	PASSIF nc, "AH=43h writes LBA 1500"
	mov dword [es:0], 0
	mov ah, 0x42
	mov dl, 0x80
	mov si, V + 0x10
	int 0x13
	mov eax, [es:0]
	CHK32 eax, 'WRIT', "AH=42h reads back what AH=43h wrote"
	; past the end
	mov dword [V + 0x18], 4096
	mov ah, 0x42
	mov dl, 0x80
	mov si, V + 0x10
	int 0x13
	PASSIF c, "AH=42h past the end fails"
	mov ah, 0x15
	mov dl, 0x80
	int 0x13
	CHK8 ah, 3, "AH=15h: fixed disk"
%else
	PASSIF nc, "AH=41h on the CD"
	CHK16 bx, 0xAA55, "AH=41h signature"
	mov ah, 0x48
	mov dl, MEDIA
	mov si, V + 0x40
	mov word [si], 0x1A
	int 0x13
	PASSIF nc, "AH=48h on the CD"
	CHK16 word [V + 0x40 + 24], 2048, "2048-byte sectors"
	; the primary volume descriptor, block 16
	mov word [V + 0x10], 0x0010
	mov word [V + 0x12], 1
	mov dword [V + 0x14], BUF_SEG << 16
	mov dword [V + 0x18], 16
	mov dword [V + 0x1C], 0
	mov ah, 0x42
	mov dl, MEDIA
	mov si, V + 0x10
	int 0x13
	PASSIF nc, "AH=42h reads block 16"
	mov ax, BUF_SEG
	mov es, ax
	mov eax, [es:1]
	CHK32 eax, 'CD00', "the primary volume descriptor"
	mov ax, 0x4B01
	mov dl, MEDIA
	mov si, V + 0x60
	mov byte [si], 0x13
	int 0x13
	PASSIF nc, "AX=4B01h: emulation status"
	CHK8 byte [V + 0x60], 0x13, "specification packet size"
	CHK8 byte [V + 0x61], 0, "no emulation"
	CHK8 byte [V + 0x62], MEDIA, "the drive"
%endif
	pop es
	ret

; ---------------------------------------------------------------------
; The MP floating pointer in the EBDA's first KiB or F0000h-FFFFFh
test_tables:
%define TAG "mp"
	push es
	mov ax, [0x40E]
	mov es, ax
	xor di, di
	mov cx, 1024 / 16
	call find_mp
	jnc .f
	mov ax, 0xF000
	mov es, ax
	xor di, di
	mov cx, 0x10000 / 16
	call find_mp
.f:	setnc al
	CHK8 al, 1, "MP floating pointer found"
	jc .e
	mov cx, 16
	call sum_es_di
	CHK8 al, 0, "floating pointer checksum"
	CHK8 byte [es:di + 9], 4, "MP specification 1.4"
	; the configuration table (below 1 MiB)
	mov eax, [es:di + 4]
	mov bx, ax
	and bx, 0x0F
	shr eax, 4
	mov es, ax
	mov di, bx
	mov eax, [es:di]
	CHK32 eax, 'PCMP', "configuration table signature"
	mov cx, [es:di + 4]
	call sum_es_di
	CHK8 al, 0, "configuration table checksum"
	mov ax, [es:di + 34]
	cmp ax, 5
	setae al
	CHK8 al, 1, "at least 5 entries"
.e:	pop es
	ret

; find_mp: "_MP_" on a 16-byte boundary in ES:DI, CX paragraphs -> CF
find_mp:
.l:	cmp dword [es:di], '_MP_'
	je .y
	add di, 16
	loop .l
	stc
	ret
.y:	clc
	ret

; sum_es_di: AL = the byte sum of CX bytes at ES:DI
sum_es_di:
	push si
	push cx
	xor al, al
	mov si, di
.l:	add al, [es:si]
	inc si
	loop .l
	pop cx
	pop si
	ret

; ---------------------------------------------------------------------
; ACPI, in flat protected mode (the tables may lie above 1 MiB)
test_acpi_pm:
	ENTER_PM
%define TAG "acpi"
	; the RSDP: the EBDA's first KiB, then E0000h-FFFFFh
	movzx esi, word [0x40E]
	shl esi, 4
	mov ecx, 1024 / 16
	call find_rsdp
	jnc .f
	mov esi, 0xE0000
	mov ecx, 0x20000 / 16
	call find_rsdp
.f:	setnc al
	CHK8 al, 1, "RSDP found"
	jc .done
	mov [V], esi
	mov ecx, 20
	call sum32
	CHK8 al, 0, "RSDP checksum (20 bytes)"
	mov esi, [V]
	cmp byte [esi + 15], 2
	jb .v1
	mov ecx, 36
	call sum32
	CHK8 al, 0, "RSDP extended checksum (36 bytes)"
.v1:	mov esi, [V]
	mov esi, [esi + 16]		; RSDT
	mov [V + 4], esi
	mov eax, [esi]
	CHK32 eax, 'RSDT', "RSDT signature"
	mov ecx, [esi + 4]
	call sum32
	CHK8 al, 0, "RSDT checksum"
	; every table the RSDT lists has a good checksum; find FACP, APIC
	mov dword [V + 8], 0		; bad checksums
	mov dword [V + 12], 0		; FADT
	mov dword [V + 16], 0		; MADT
	mov esi, [V + 4]
	mov ecx, [esi + 4]
	sub ecx, 36
	shr ecx, 2
	lea ebx, [esi + 36]
.t:	jecxz .td
	mov esi, [ebx]
	push ecx
	mov ecx, [esi + 4]
	call sum32
	pop ecx
	test al, al
	jz .ok
	inc dword [V + 8]
.ok:	cmp dword [esi], 'FACP'
	jne .n1
	mov [V + 12], esi
.n1:	cmp dword [esi], 'APIC'
	jne .n2
	mov [V + 16], esi
.n2:	add ebx, 4
	dec ecx
	jmp .t
.td:	CHK32 dword [V + 8], 0, "checksums of the tables in the RSDT"
	mov eax, [V + 12]
	test eax, eax
	setnz al
	CHK8 al, 1, "a FADT"
	mov eax, [V + 16]
	test eax, eax
	setnz al
	CHK8 al, 1, "a MADT"
	; the DSDT the FADT names
	mov esi, [V + 12]
	test esi, esi
	jz .nod
	mov esi, [esi + 40]
	mov eax, [esi]
	CHK32 eax, 'DSDT', "the FADT's DSDT"
	mov ecx, [esi + 4]
	call sum32
	CHK8 al, 0, "DSDT checksum"
.nod:	; the MADT: an IOAPIC entry at FEC00000h, the local APIC address
	mov esi, [V + 16]
	test esi, esi
	jz .done
	mov eax, [esi + 36]
	CHK32 eax, 0xFEE00000, "MADT local APIC address"
	mov ecx, [esi + 4]
	add ecx, esi
	lea ebx, [esi + 44]
	xor edx, edx
.me:	cmp ebx, ecx
	jae .med
	cmp byte [ebx], 1
	jne .mn
	mov edx, [ebx + 4]
.mn:	movzx eax, byte [ebx + 1]
	test eax, eax
	jz .med
	add ebx, eax
	jmp .me
.med:	CHK32 edx, 0xFEC00000, "MADT IOAPIC at FEC00000h"
.done:	FINISH

; find_rsdp: "RSD PTR " on a 16-byte boundary from ESI, ECX paragraphs
find_rsdp:
.l:	cmp dword [esi], 'RSD '
	jne .n
	cmp dword [esi + 4], 'PTR '
	je .y
.n:	add esi, 16
	loop .l
	stc
	ret
.y:	clc
	ret

; sum32: AL = byte sum of ECX bytes at ESI
sum32:
	push esi
	push ecx
	xor al, al
.l:	add al, [esi]
	inc esi
	dec ecx
	jnz .l
	pop ecx
	pop esi
	ret

	LIB_ALL
	LIB_GDT

PROG_SECTORS equ ($ - $$ + 511) / 512
	times PROG_SECTORS * 512 - ($ - $$) db 0
