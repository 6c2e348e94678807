; SPDX-License-Identifier: MIT
;
; The remaining services: the timer and floppy IRQs, INT 11h, 12h, 14h,
; 15h (system: E820, E801, 88h, 86h, 87h, C0h, A20), 17h and 1Ah (time
; of day, RTC, PCI BIOS 2.1 16-bit interface), and the E820 map.

; ---------------------------------------------------------------------
; IRQ 0: 18.2 Hz.  Tick count, midnight, floppy motor off, INT 1Ch.
irq0_timer:
	push ax
	push dx
	push ds
	BDA_DS
	inc dword [BDA_TICKS]
	cmp dword [BDA_TICKS], 0x1800B0	; ticks in 24 hours
	jb .nm
	mov dword [BDA_TICKS], 0
	mov byte [BDA_MIDNIGHT], 1
.nm:	cmp byte [BDA_FD_MOTOR_TMO], 0
	je .nf
	dec byte [BDA_FD_MOTOR_TMO]
	jnz .nf
	and byte [BDA_FD_MOTOR], 0xF0
	mov dx, FDC_DOR
	mov al, 0x0C
	out dx, al
.nf:	int 0x1C
	cli
	mov al, 0x20
	out PORT_PIC1, al
	pop ds
	pop dx
	pop ax
	iret

; IRQ 6: the floppy controller finished something
irq6_floppy:
	push ax
	push ds
	BDA_DS
	or byte [BDA_FD_RECAL], 0x80
	mov al, 0x20
	out PORT_PIC1, al
	pop ds
	pop ax
	iret

int11_equipment:
	push ds
	BDA_DS
	mov ax, [BDA_EQUIP]
	pop ds
	iret

int12_memsize:
	push ds
	BDA_DS
	mov ax, [BDA_MEMKB]
	pop ds
	iret

int17_printer:
	mov ah, 0x01			; no printer: time-out
	iret

; ---------------------------------------------------------------------
; INT 14h: the serial ports in the BDA, polled
serial_divisors:
	dw 1047, 768, 384, 192, 96, 48, 24, 12

int14_serial:
	ENTER_FRAME
	BDA_DS
	mov bx, [F_DX]
	cmp bx, 3
	ja .none
	add bx, bx
	mov dx, [BDA_COM1 + bx]
	test dx, dx
	jz .none
	mov ah, [F_AH]
	cmp ah, 0
	je .init
	cmp ah, 1
	je .send
	cmp ah, 2
	je .recv
	cmp ah, 3
	je .status
	jmp .ret
.none:	mov byte [F_AH], 0x80
	jmp .ret
.init:	mov al, [F_AL]
	movzx bx, al
	shr bx, 5
	add bx, bx
	mov cx, [cs:serial_divisors + bx]
	add dx, 3
	mov al, 0x80			; divisor latch
	out dx, al
	sub dx, 3
	mov al, cl
	out dx, al
	inc dx
	mov al, ch
	out dx, al
	add dx, 2
	mov al, [F_AL]
	and al, 0x1F
	out dx, al
	sub dx, 3
	jmp .status
.send:	mov ecx, 0x100000
	add dx, 5
.sw:	in al, dx
	test al, 0x20
	jnz .sgo
	dec ecx
	jnz .sw
	or al, 0x80
	mov [F_AH], al
	jmp .ret
.sgo:	sub dx, 5
	mov al, [F_AL]
	out dx, al
	add dx, 5
	in al, dx
	mov [F_AH], al
	jmp .ret
.recv:	mov ecx, 0x100000
	add dx, 5
.rw:	in al, dx
	test al, 0x01
	jnz .rgo
	dec ecx
	jnz .rw
	or al, 0x80
	mov [F_AH], al
	jmp .ret
.rgo:	and al, 0x1E
	mov [F_AH], al
	sub dx, 5
	in al, dx
	mov [F_AL], al
	jmp .ret
.status:
	add dx, 5
	in al, dx
	mov [F_AH], al
	inc dx
	in al, dx
	mov [F_AL], al
.ret:	LEAVE_FRAME

; ---------------------------------------------------------------------
; INT 15h
bios_config_table:
	dw 8
	db 0xFC				; model: AT
	db 0x01				; submodel
	db 0x00				; BIOS revision
	db 0x74				; 2nd 8259, RTC, INT 15h/4Fh, EBDA
	db 0x40				; INT 16h AH=09h
	db 0, 0, 0

int15_system:
	cmp ah, 0x4F			; keyboard intercept: keep the code
	jne .frame
	iret
.frame:	ENTER_FRAME
	cld
	sti
	EBDA_DS
	mov ah, [F_AH]
	cmp ah, 0x24
	je i15_a20
	cmp ah, 0x86
	je i15_wait
	cmp ah, 0x87
	je i15_move
	cmp ah, 0x88
	je i15_extmem
	cmp ah, 0x90
	je i15_ok
	cmp ah, 0x91
	je i15_ok
	cmp ah, 0xC0
	je i15_config
	cmp ah, 0xC1
	je i15_ebda
	cmp ah, 0xE8
	je i15_e8
i15_unsupported:
	mov byte [F_AH], 0x86
	SET_CF
	LEAVE_FRAME
i15_ok:
	mov byte [F_AH], 0
	CLR_CF
	LEAVE_FRAME

; AX=2400h off, 2401h on, 2402h status, 2403h support
i15_a20:
	mov al, [F_AL]
	cmp al, 0
	jne .n1
	call a20_disable
	jmp i15_ok
.n1:	cmp al, 1
	jne .n2
	call a20_enable
	jmp i15_ok
.n2:	cmp al, 2
	jne .n3
	call a20_test
	setnz al
	mov [F_AL], al
	jmp i15_ok
.n3:	cmp al, 3
	jne i15_unsupported
	mov word [F_BX], 0x0003		; 8042 and port 92h
	jmp i15_ok

; AH=86h: wait CX:DX microseconds.  Whole ticks (54925 us) on the timer
; interrupt, the rest on the refresh toggle of port 61h bit 4 (15.085 us
; a half period).
i15_wait:
	mov ax, [F_CX]
	shl eax, 16
	mov ax, [F_DX]
	xor edx, edx
	mov ecx, 54925
	div ecx				; EAX = ticks, DX = rest
	push dx
	test eax, eax
	jz .rest
	push ds
	BDA_DS
	mov ecx, [BDA_TICKS]
.t:	mov edx, [BDA_TICKS]
	sub edx, ecx
	cmp edx, eax
	jae .td
	sti
	hlt
	jmp .t
.td:	pop ds
.rest:	pop ax
	xor dx, dx
	mov cx, 15
	div cx
	mov cx, ax			; toggles to see
	jcxz .done
	in al, PORT_SYSB
	and al, 0x10
	mov ah, al
.r:	mov ebx, 0x1000			; a toggle is due within 15 us
.rt:	in al, PORT_SYSB
	and al, 0x10
	cmp al, ah
	jne .flip
	dec ebx
	jnz .rt
	jmp .done			; no refresh toggle: give up the rest
.flip:	mov ah, al
	loop .r
.done:	jmp i15_ok

; AH=87h: move CX words between the descriptors at ES:SI+10h (source)
; and ES:SI+18h (destination)
i15_move:
	mov es, [F_ES]
	mov bx, [F_SI]
	mov esi, [es:bx + 0x12]		; base bits 0-23 and the access byte
	and esi, 0x00FFFFFF
	movzx eax, byte [es:bx + 0x17]	; base bits 24-31
	shl eax, 24
	or esi, eax
	mov edi, [es:bx + 0x1A]
	and edi, 0x00FFFFFF
	movzx eax, byte [es:bx + 0x1F]
	shl eax, 24
	or edi, eax
	call a20_test
	jnz .a20
	call a20_enable
.a20:
	movzx ecx, word [F_CX]
	cli
	call flat_ds_es
	a32 rep movsw
	sti
	mov byte [F_AH], 0
	CLR_CF
	LEAVE_FRAME

; AH=88h: KiB above 1 MiB (at most FFFFh)
i15_extmem:
	call usable_end
	sub eax, 1 << 20
	jae .p
	xor eax, eax
.p:	shr eax, 10
	cmp eax, 0xFFFF
	jbe .s
	mov ax, 0xFFFF
.s:	mov [F_AX], ax
	CLR_CF
	LEAVE_FRAME

; usable_end: EAX = end of the RAM the OS may use (below the ACPI area)
usable_end:
	mov eax, [E_ACPI_BASE]
	test eax, eax
	jnz .e
	mov eax, [E_RAM_END]
.e:	ret

i15_config:
	mov word [F_ES], BIOS_SEG
	mov word [F_BX], bios_config_table
	jmp i15_ok

i15_ebda:
	push ds
	BDA_DS
	mov ax, [BDA_EBDA]
	pop ds
	mov [F_ES], ax
	CLR_CF
	LEAVE_FRAME

; AX=E801h, E820h
i15_e8:
	mov al, [F_AL]
	cmp al, 0x01
	je .e801
	cmp al, 0x20
	je .e820
	jmp i15_unsupported
.e801:	call usable_end
	; AX = CX = KiB from 1 to 16 MiB; BX = DX = 64 KiB blocks above
	mov ebx, eax
	cmp eax, 16 << 20
	jbe .lo
	mov eax, 16 << 20
.lo:	sub eax, 1 << 20
	jae .l2
	xor eax, eax
.l2:	shr eax, 10
	mov [F_AX], ax
	mov [F_CX], ax
	xor eax, eax
	sub ebx, 16 << 20
	jbe .hi
	mov eax, ebx
	shr eax, 16
.hi:	mov [F_BX], ax
	mov [F_DX], ax
	CLR_CF
	LEAVE_FRAME
.e820:	cmp dword [F_EDX], 0x534D4150	; 'SMAP'
	jne i15_unsupported
	mov ebx, [F_EBX]
	movzx eax, byte [E_E820_COUNT]
	cmp ebx, eax
	jae i15_unsupported
	cmp dword [F_ECX], 20
	jb i15_unsupported
	mov es, [F_ES]
	mov di, [F_DI]
	imul si, bx, 20
	add si, E_E820
	mov cx, 20
	rep movsb
	; ACPI 3.0 extended attributes (bit 0: enabled) when there is room
	cmp dword [F_ECX], 24
	mov dword [F_ECX], 20
	jb .short
	mov dword [es:di], 1
	mov dword [F_ECX], 24
.short:
	mov dword [F_EAX], 0x534D4150
	inc ebx
	movzx eax, byte [E_E820_COUNT]
	cmp ebx, eax
	jb .more
	xor ebx, ebx
.more:	mov [F_EBX], ebx
	CLR_CF
	LEAVE_FRAME

; e820_build: the memory map (POST, DS = EBDA).  Entries: base qword,
; length qword, type dword (1 RAM, 2 reserved, 3 ACPI, 4 ACPI NVS).
e820_build:
	mov byte [E_E820_COUNT], 0
	mov di, E_E820
	xor eax, eax
	mov ebx, EBDA_SEG * 16
	mov cl, 1
	call e820_add
	mov eax, EBDA_SEG * 16
	mov ebx, 0xA0000
	mov cl, 2
	call e820_add
	mov eax, 0xE0000
	mov ebx, 0x100000
	mov cl, 2
	call e820_add
	mov eax, 1 << 20
	call usable_end
	mov ebx, eax
	mov eax, 1 << 20
	cmp ebx, eax
	jbe .noext
	mov cl, 1
	call e820_add
.noext:	mov eax, [E_ACPI_BASE]
	test eax, eax
	jz .noacpi
	lea ebx, [eax + 0x1000]
	mov cl, 4
	call e820_add
	lea eax, [ebx]
	mov ebx, [E_RAM_END]
	mov cl, 3
	call e820_add
.noacpi:
	mov eax, IOAPIC_ADDR
	lea ebx, [eax + 0x1000]
	mov cl, 2
	call e820_add
	mov eax, LAPIC_ADDR
	lea ebx, [eax + 0x1000]
	mov cl, 2
	call e820_add
	mov eax, 0xFFFF0000		; the BIOS image below 4 GiB
	xor ebx, ebx			; (end 4 GiB: 0 in 32 bits)
	mov cl, 2
	call e820_add
	ret

; e820_add: EAX = start, EBX = end (0: 4 GiB), CL = type at DS:DI
e820_add:
	mov [di], eax
	mov dword [di + 4], 0
	push ebx
	sub ebx, eax			; length (wraps right for end 4 GiB)
	mov [di + 8], ebx
	mov dword [di + 12], 0
	pop ebx
	movzx ecx, cl
	mov [di + 16], ecx
	add di, 20
	inc byte [E_E820_COUNT]
	ret

; ---------------------------------------------------------------------
; INT 1Ah
int1a_time:
	ENTER_FRAME
	cld
	sti
	BDA_DS
	mov ah, [F_AH]
	cmp ah, 0xB1
	je pcibios_service
	cmp ah, 0x00
	je .get
	cmp ah, 0x01
	je .set
	cmp ah, 0x02
	je .rtime
	cmp ah, 0x03
	je .stime
	cmp ah, 0x04
	je .rdate
	cmp ah, 0x05
	je .sdate
.fail:	SET_CF
	LEAVE_FRAME
.get:	cli
	mov ax, [BDA_TICKS]
	mov [F_DX], ax
	mov ax, [BDA_TICKS + 2]
	mov [F_CX], ax
	mov al, 0
	xchg al, [BDA_MIDNIGHT]
	mov [F_AL], al
	sti
	jmp .ok
.set:	cli
	mov ax, [F_DX]
	mov [BDA_TICKS], ax
	mov ax, [F_CX]
	mov [BDA_TICKS + 2], ax
	mov byte [BDA_MIDNIGHT], 0
	sti
	jmp .ok
.rtime:	call rtc_wait
	jc .fail
	mov al, 0x04
	call cmos_read
	mov [F_CH], al
	mov al, 0x02
	call cmos_read
	mov [F_CL], al
	mov al, 0x00
	call cmos_read
	mov [F_DH], al
	mov al, 0x0B
	call cmos_read
	and al, 1
	mov [F_DL], al
	jmp .ok
.rdate:	call rtc_wait
	jc .fail
	mov al, 0x32
	call cmos_read
	mov [F_CH], al
	mov al, 0x09
	call cmos_read
	mov [F_CL], al
	mov al, 0x08
	call cmos_read
	mov [F_DH], al
	mov al, 0x07
	call cmos_read
	mov [F_DL], al
	jmp .ok
.stime:	call rtc_set_begin
	mov ah, [F_CH]
	mov al, 0x04
	call cmos_write
	mov ah, [F_CL]
	mov al, 0x02
	call cmos_write
	mov ah, [F_DH]
	mov al, 0x00
	call cmos_write
	call rtc_set_end
	jmp .ok
.sdate:	call rtc_set_begin
	mov ah, [F_CH]
	mov al, 0x32
	call cmos_write
	mov ah, [F_CL]
	mov al, 0x09
	call cmos_write
	mov ah, [F_DH]
	mov al, 0x08
	call cmos_write
	mov ah, [F_DL]
	mov al, 0x07
	call cmos_write
	call rtc_set_end
.ok:	mov byte [F_AH], 0
	CLR_CF
	LEAVE_FRAME

; rtc_wait: until no update is in progress (register A bit 7); CF when
; the RTC does not answer
rtc_wait:
	push ecx
	mov ecx, 0x100000
.l:	mov al, 0x0A
	call cmos_read
	cmp al, 0xFF
	je .no
	test al, 0x80
	jz .ok
	dec ecx
	jnz .l
.no:	stc
	pop ecx
	ret
.ok:	clc
	pop ecx
	ret

rtc_set_begin:
	mov al, 0x0B
	call cmos_read
	or al, 0x80			; SET: updates stop
	mov ah, al
	mov al, 0x0B
	jmp cmos_write
rtc_set_end:
	mov al, 0x0B
	call cmos_read
	and al, 0x7F
	mov ah, al
	mov al, 0x0B
	jmp cmos_write

; ---------------------------------------------------------------------
; INT 1Ah AH=B1h: PCI BIOS specification 2.1, the real-mode interface
pcibios_service:
	call pci_present
	jnz .nopci
	mov al, [F_AL]
	cmp al, 0x01
	je .install
	cmp al, 0x02
	je .finddev
	cmp al, 0x03
	je .findclass
	cmp al, 0x08
	je .rd8
	cmp al, 0x09
	je .rd16
	cmp al, 0x0A
	je .rd32
	cmp al, 0x0B
	je .wr8
	cmp al, 0x0C
	je .wr16
	cmp al, 0x0D
	je .wr32
	mov ah, 0x81			; function not supported
	jmp .err
.nopci:	mov ah, 0x81
.err:	mov [F_AH], ah
	SET_CF
	LEAVE_FRAME
.install:
	mov word [F_AX], 0x0001		; mechanism #1
	mov word [F_BX], 0x0210		; version 2.10
	mov byte [F_CL], 0		; last bus
	mov dword [F_EDX], 0x20494350	; "PCI "
	mov dword [F_EDI], 0
	CLR_CF
	LEAVE_FRAME
.finddev:
	mov cx, [F_CX]
	mov dx, [F_DX]
	mov si, [F_SI]
	cmp dx, 0xFFFF
	je .notfound
	call pci_find_device
	jc .notfound
	mov [F_BX], bx
	jmp .ok
.findclass:
	mov ecx, [F_ECX]
	and ecx, 0x00FFFFFF
	mov si, [F_SI]
	call pci_find_class
	jc .notfound
	mov [F_BX], bx
	jmp .ok
.notfound:
	mov ah, 0x86
	jmp .err
.badreg:
	mov ah, 0x87
	jmp .err
.rd8:	mov bx, [F_BX]
	mov di, [F_DI]
	cmp di, 0xFF
	ja .badreg
	call pci_read8
	mov [F_CL], al
	jmp .ok
.rd16:	mov bx, [F_BX]
	mov di, [F_DI]
	test di, 1
	jnz .badreg
	cmp di, 0xFF
	ja .badreg
	call pci_read16
	mov [F_CX], ax
	jmp .ok
.rd32:	mov bx, [F_BX]
	mov di, [F_DI]
	test di, 3
	jnz .badreg
	cmp di, 0xFF
	ja .badreg
	call pci_read32
	mov [F_ECX], eax
	jmp .ok
.wr8:	mov bx, [F_BX]
	mov di, [F_DI]
	cmp di, 0xFF
	ja .badreg
	mov al, [F_CL]
	call pci_write8
	jmp .ok
.wr16:	mov bx, [F_BX]
	mov di, [F_DI]
	test di, 1
	jnz .badreg
	cmp di, 0xFF
	ja .badreg
	mov ax, [F_CX]
	call pci_write16
	jmp .ok
.wr32:	mov bx, [F_BX]
	mov di, [F_DI]
	test di, 3
	jnz .badreg
	cmp di, 0xFF
	ja .badreg
	mov eax, [F_ECX]
	call pci_write32
.ok:	mov byte [F_AH], 0
	CLR_CF
	LEAVE_FRAME
