; SPDX-License-Identifier: MIT
;
; reset-rom: a 128 KiB firmware image (popek -bios) that checks the
; machine's power-on state, changes it, resets through port CF9h and
; checks after the reboot that the reset put every part back: the CPU
; (EDX = 0600h, CR0 = 60000010h: SDM Vol. 3A §9.1.1, Table 9-1), the
; PICs' masks, the i440FX PAM registers and the ROM visible again at
; 0xE0000 (82441FX §3.2.18), A20 (port 92h), the VGA's PCI command
; register, Bochs VBE's enable, the RTC's interrupt enables, while the
; CMOS bytes stay.  CMOS byte 6Eh counts the boots.  Lines on port E9h:
; "ok - ..." / "not ok - ...", then the failure count to port F4h.
;
; The first 64 KiB start with the signature "popek"; below 1 MiB they
; show at 0xE0000, the last 64 KiB (the code, segment F000h) at 0xF0000.

	bits 16

MARK	equ 0x6E
SAVED_EDX equ 0x500		; RAM variables (ES = 0)
SAVED_CR0 equ 0x504
FAILS	equ 0x508
BOOT	equ 0x50C

section low start=0 vstart=0
	db "popek"
	times 0x10000 - ($ - $$) db 0xFF

section high start=0x10000 vstart=0
start:
	cli
	xor ax, ax
	mov es, ax
	mov [es:SAVED_EDX], edx	; before anything changes them
	mov eax, cr0
	mov [es:SAVED_CR0], eax
	mov ss, ax
	mov sp, 0x7000
	mov ax, cs
	mov ds, ax		; strings in the ROM
	cld
	mov dword [es:FAILS], 0
	mov al, MARK
	out 0x70, al
	in al, 0x71
	mov [es:BOOT], al
	cmp al, 1
	ja bad_mark

	mov si, msg_boot1
	cmp byte [es:BOOT], 0
	je .say
	mov si, msg_boot2
.say:	call print
	call check_power_on_state
	cmp byte [es:BOOT], 0
	jne finish

	; boot 1: change everything, then reset.
	mov al, 0x00		; OCW1: unmask every IRQ on both PICs
	out 0x21, al
	out 0xA1, al
	mov eax, 0x8000005C	; i440FX PAM4-PAM6 (5Ch-5Fh)
	mov dx, 0xCF8
	out dx, eax
	mov dx, 0xCFE		; PAM5: 0xE0000-0xE3FFF read/write DRAM
	mov al, 0x03
	out dx, al
	mov ax, 0xE000
	mov fs, ax
	mov byte [fs:0], 0x5A
	cmp byte [fs:0], 0x5A
	mov si, msg_shadow
	call report
	mov eax, 0x80001004	; 00:02.0 (VGA) command: I/O and memory on
	mov dx, 0xCF8
	out dx, eax
	mov dx, 0xCFC
	mov ax, 0x0003
	out dx, ax
	mov dx, 0x1CE		; VBE ENABLE = 1
	mov ax, 4
	out dx, ax
	inc dx
	mov ax, 1
	out dx, ax
	mov al, 0x0B		; RTC register B: periodic interrupt on
	out 0x70, al
	in al, 0x71
	or al, 0x40
	mov ah, al
	mov al, 0x0B
	out 0x70, al
	mov al, ah
	out 0x71, al
	xor al, al		; A20 off through port 92h
	out 0x92, al
	mov al, MARK		; the boot count
	out 0x70, al
	mov al, 1
	out 0x71, al
	mov si, msg_reset
	call print
	mov dx, 0xCF9
	mov al, 0x02
	out dx, al
	mov al, 0x06
	out dx, al
	mov si, msg_noreset
	call print
	mov al, 0x7F
	out 0xF4, al
hang:
	cli
	hlt
	jmp hang

bad_mark:
	mov si, msg_badmark
	call print
	mov al, 0x7E
	out 0xF4, al
	jmp hang

finish:
	mov al, MARK
	out 0x70, al
	xor al, al
	out 0x71, al
	mov al, [es:FAILS]
	out 0xF4, al
	jmp hang

; What power-on and every reset must leave.
check_power_on_state:
	cmp dword [es:SAVED_EDX], 0x00000600
	mov si, msg_edx
	call report
	cmp dword [es:SAVED_CR0], 0x60000010
	mov si, msg_cr0
	call report
	in al, 0x21
	cmp al, 0xFF
	mov si, msg_pic1
	call report
	in al, 0xA1
	cmp al, 0xFF
	mov si, msg_pic2
	call report
	mov eax, 0x8000005C
	mov dx, 0xCF8
	out dx, eax
	mov dx, 0xCFE
	in al, dx
	cmp al, 0
	mov si, msg_pam
	call report
	mov ax, 0xE000
	mov fs, ax
	cmp dword [fs:0], "pope"
	mov si, msg_rom
	call report
	in al, 0x92
	and al, 0x02
	cmp al, 0x02
	mov si, msg_a20
	call report
	mov eax, 0x80001004
	mov dx, 0xCF8
	out dx, eax
	mov dx, 0xCFC
	in ax, dx
	cmp ax, 0
	mov si, msg_vgacmd
	call report
	mov dx, 0x1CE
	mov ax, 4
	out dx, ax
	inc dx
	in ax, dx
	cmp ax, 0
	mov si, msg_vbe
	call report
	mov al, 0x0B
	out 0x70, al
	in al, 0x71
	and al, 0x70
	cmp al, 0
	mov si, msg_rtc
	call report
	ret

; report: ZF set = pass; SI = the description.  Counts failures.
report:
	push si
	jnz .bad
	mov si, msg_ok
	call print
	jmp .desc
.bad:
	inc dword [es:FAILS]
	mov si, msg_notok
	call print
.desc:
	pop si
	call print
	mov al, 10
	out 0xE9, al
	ret

; print: the zero-terminated string at DS:SI to port E9h
print:
	push ax
.next:	lodsb
	test al, al
	jz .done
	out 0xE9, al
	jmp .next
.done:	pop ax
	ret

msg_ok:		db "ok - ", 0
msg_notok:	db "not ok - ", 0
msg_boot1:	db "# boot 1: power-on state", 10, 0
msg_boot2:	db "# boot 2: after the reset through port CF9h", 10, 0
msg_reset:	db "# resetting through port CF9h", 10, 0
msg_noreset:	db "not ok - port CF9h did not reset the machine", 10, 0
msg_badmark:	db "not ok - CMOS 6Eh holds an unknown boot count", 10, 0
msg_shadow:	db "PAM5 makes 0xE0000 writable RAM", 0
msg_edx:	db "EDX = 00000600h at the reset vector", 0
msg_cr0:	db "CR0 = 60000010h at the reset vector", 0
msg_pic1:	db "master PIC masks every IRQ", 0
msg_pic2:	db "slave PIC masks every IRQ", 0
msg_pam:	db "PAM5 is 0 (the ROM)", 0
msg_rom:	db "0xE0000 shows the ROM", 0
msg_a20:	db "A20 is on (port 92h bit 1)", 0
msg_vgacmd:	db "the VGA's PCI command register is 0", 0
msg_vbe:	db "VBE is off", 0
msg_rtc:	db "the RTC's interrupt enables are off", 0

	times 0xFFF0 - ($ - $$) db 0xFF
	jmp 0xF000:start	; the reset vector, F000:FFF0
	times 0x10000 - ($ - $$) db 0xFF
