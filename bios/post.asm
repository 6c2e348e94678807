; SPDX-License-Identifier: MIT
;
; Power-on self test: from the reset vector to INT 19h.

post_entry:
	cli
	cld
	xor ax, ax
	mov ss, ax
	mov sp, 0x7000
	; NMI off while the machine is set up; CMOS shutdown status: normal
	mov al, 0x8F
	out PORT_CMOS_IDX, al
	xor al, al
	out PORT_CMOS_DATA, al
	mov al, 0x0D			; NMI back on, register D (read-only)
	out PORT_CMOS_IDX, al

	; IVT and BDA: zero 0x000-0x4FF
	xor ax, ax
	mov es, ax
	xor di, di
	mov cx, 0x500 / 2
	rep stosw
	; EBDA: zero its 4 KiB, first byte its size
	mov ax, EBDA_SEG
	mov es, ax
	xor di, di
	xor ax, ax
	mov cx, EBDA_KB * 512
	rep stosw
	mov byte [es:E_SIZE], EBDA_KB
	mov byte [es:E_CD_DEV], 0xFF
	mov byte [es:E_CD_DRIVE], 0xE0
	push word BDA_SEG
	pop ds
	mov word [BDA_EBDA], EBDA_SEG
	mov word [BDA_MEMKB], BASE_MEM_KB

	MSG "popek BIOS", 10
	call a20_enable
	call flat_fs_gs
	call ivt_init
	call bda_init
	call pic_init
	call lapic_init
	call pit_init
	call rtc_init
	call mem_init
	call pci_init
	call kbd_init
	call video_init
	MSG "popek BIOS (built from source, see bios/ in popek)", 10
	call mem_report
	call disk_init
	call acpi_init
	call mptable_init
	sti
	int 0x19
	; INT 19h returns only when a boot fails badly; INT 18h says so
	int 0x18
.h:	hlt
	jmp .h

; ---------------------------------------------------------------------
; CMOS / RTC (MC146818): cmos_read AL=index -> AL; cmos_write AL=index,
; AH=value.  Bit 7 of the index port is the NMI mask: left clear.
cmos_read:
	and al, 0x7F
	out PORT_CMOS_IDX, al
	call io_delay
	in al, PORT_CMOS_DATA
	ret
cmos_write:
	and al, 0x7F
	out PORT_CMOS_IDX, al
	call io_delay
	mov al, ah
	out PORT_CMOS_DATA, al
	ret

; rtc_init: 24-hour BCD, no RTC interrupts; register A's divider on
rtc_init:
	mov ax, 0x260A			; 32.768 kHz time base, 1024 Hz rate
	call cmos_write
	mov al, 0x0B
	call cmos_read
	and al, 0x80 | 0x01		; keep SET and DSE
	or al, 0x02			; 24-hour, BCD, no interrupts
	mov ah, al
	mov al, 0x0B
	call cmos_write
	mov al, 0x0C			; clear pending flags
	call cmos_read
	ret

; ---------------------------------------------------------------------
; A20 (port 0x92 bit 1, System Control Port A), checked by the wrap test;
; the 8042 output port (command D1h) when port 0x92 did not do it.
a20_enable:
	in al, PORT_A20
	or al, 0x02
	and al, 0xFE			; bit 0 would reset the CPU
	out PORT_A20, al
	call a20_test
	jnz .ok
	call kbc_wait_in
	mov al, 0xD1
	out PORT_KBSTAT, al
	call kbc_wait_in
	mov al, 0xDF
	out PORT_KBDATA, al
	call kbc_wait_in
	call a20_test
	jnz .ok
	MSG "A20: cannot enable", 10
.ok:	ret

; a20_test: ZF clear when A20 is on (0x000500 and 0x100500 differ)
a20_test:
	push ds
	push es
	push ax
	xor ax, ax
	mov ds, ax
	dec ax
	mov es, ax			; FFFF:0010 = 0x100000
	mov ax, [0x0500]
	push ax
	mov word [0x0500], 0x1234
	mov word [es:0x0510], 0x4321	; lands on 0x500 when A20 is off
	cmp word [0x0500], 0x4321
	pop ax
	mov [0x0500], ax
	pop ax
	pop es
	pop ds
	ret

; a20_disable (INT 15h AX=2400h)
a20_disable:
	in al, PORT_A20
	and al, 0xFC
	out PORT_A20, al
	ret

; kbc_wait_in: wait for the 8042 input buffer to be empty (bounded)
kbc_wait_in:
	push cx
	push ax
	mov cx, 0xFFFF
.l:	in al, PORT_KBSTAT
	test al, 0x02
	jz .e
	loop .l
.e:	pop ax
	pop cx
	ret

; kbc_wait_out: wait for 8042 output-buffer-full; CF set on timeout
kbc_wait_out:
	push cx
	push ax
	mov cx, 0xFFFF
.l:	in al, PORT_KBSTAT
	cmp al, 0xFF			; no controller at all
	je .t
	test al, 0x01
	jnz .e
	loop .l
.t:	stc
	pop ax
	pop cx
	ret
.e:	clc
	pop ax
	pop cx
	ret

; ---------------------------------------------------------------------
; flat_fs_gs: give FS and GS a 4 GiB limit (base 0) by a short trip into
; protected mode, so POST can reach memory above 1 MiB with 32-bit
; offsets ("unreal" mode; the limits stay after CR0.PE is cleared).
flat_fs_gs:
	push eax
	pushf
	cli
	o32 lgdt [cs:flat_gdt_ptr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 0x10:.pm			; 16-bit code, base 0xF0000
.pm:	mov ax, 0x08
	mov fs, ax
	mov gs, ax
	mov eax, cr0
	and al, 0xFE
	mov cr0, eax
	jmp BIOS_SEG:.rm
.rm:	xor ax, ax
	mov fs, ax
	mov gs, ax
	popf
	pop eax
	ret

; flat_ds_es: the same for DS and ES (INT 15h AH=87h); the real-mode
; selectors are reloaded with 0 afterwards.
flat_ds_es:
	push eax
	o32 lgdt [cs:flat_gdt_ptr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 0x10:.pm
.pm:	mov ax, 0x08
	mov ds, ax
	mov es, ax
	mov eax, cr0
	and al, 0xFE
	mov cr0, eax
	jmp BIOS_SEG:.rm
.rm:	xor ax, ax
	mov ds, ax
	mov es, ax
	pop eax
	ret

	align 8
flat_gdt:
	dq 0
	dw 0xFFFF, 0x0000, 0x9300, 0x00CF	; 0x08 data, base 0, 4 GiB
	dw 0xFFFF, 0x0000, 0x9B0F, 0x0000	; 0x10 code16, base 0xF0000
flat_gdt_end:
flat_gdt_ptr:
	dw flat_gdt_end - flat_gdt - 1
	dd 0xF0000 + flat_gdt

; ---------------------------------------------------------------------
; The interrupt vector table.
ivt_init:
	push ds
	xor ax, ax
	mov ds, ax
	xor bx, bx
.all:	mov word [bx], default_iret
	mov word [bx+2], BIOS_SEG
	add bx, 4
	cmp bx, 0x400
	jb .all
	; IRQ 0-7 at 08h-0Fh, IRQ 8-15 at 70h-77h
	mov bx, 0x08 * 4
	mov cx, 8
.m:	mov word [bx], irq_master_default
	add bx, 4
	loop .m
	mov bx, 0x70 * 4
	mov cx, 8
.s:	mov word [bx], irq_slave_default
	add bx, 4
	loop .s
	mov si, ivt_table
.t:	mov al, [cs:si]
	cmp al, 0xFF
	je .d
	movzx bx, al
	shl bx, 2
	mov ax, [cs:si+1]
	mov [bx], ax
	add si, 3
	jmp .t
.d:	; vectors that are data pointers
	mov word [0x1E * 4], floppy_dpt
	mov word [0x1F * 4], font8x8 + 128 * 8
	mov word [0x43 * 4], font8x8
	mov word [0x1D * 4], 0
	mov word [0x1D * 4 + 2], 0
	pop ds
	ret

ivt_table:
	db 0x08
	dw irq0_timer
	db 0x09
	dw irq1_keyboard
	db 0x0E
	dw irq6_floppy
	db 0x10
	dw int10_video
	db 0x11
	dw int11_equipment
	db 0x12
	dw int12_memsize
	db 0x13
	dw int13_disk
	db 0x14
	dw int14_serial
	db 0x15
	dw int15_system
	db 0x16
	dw int16_keyboard
	db 0x17
	dw int17_printer
	db 0x18
	dw int18_noboot
	db 0x19
	dw int19_boot
	db 0x1A
	dw int1a_time
	db 0x70
	dw irq8_rtc
	db 0xFF

default_iret:
	iret

irq_master_default:
	push ax
	mov al, 0x20
	out PORT_PIC1, al
	pop ax
	iret

irq_slave_default:
	push ax
	mov al, 0x20
	out PORT_PIC2, al
	out PORT_PIC1, al
	pop ax
	iret

irq8_rtc:
	push ax
	mov al, 0x0C			; reading C acknowledges the RTC
	call cmos_read
	mov al, 0x20
	out PORT_PIC2, al
	out PORT_PIC1, al
	pop ax
	iret

; ---------------------------------------------------------------------
; The BIOS data area.
bda_init:
	push ds
	BDA_DS
	mov word [BDA_KBHEAD], BDA_KBBUF
	mov word [BDA_KBTAIL], BDA_KBBUF
	mov word [BDA_KBSTART], BDA_KBBUF
	mov word [BDA_KBEND], BDA_KBBUF + 32
	mov byte [BDA_KBMODE], 0x10	; 101/102-key keyboard
	; equipment: bit 1 x87 absent, bits 4-5 = 10b (80x25 colour),
	; bit 2 PS/2 mouse absent; floppies and COM ports added below
	mov word [BDA_EQUIP], 0x0020
	; COM1 at 0x3F8 when its scratch register holds a value
	mov dx, 0x3FF
	mov al, 0x5A
	out dx, al
	in al, dx
	cmp al, 0x5A
	jne .nocom
	mov word [BDA_COM1], 0x3F8
	or word [BDA_EQUIP], 1 << 9	; one serial port
.nocom:	pop ds
	ret

; ---------------------------------------------------------------------
; 8259A pair (datasheet: ICW1-ICW4): master vectors 08h-0Fh, slave
; 70h-77h, slave on IR2, 8086 mode.  IRQ 0, 1, 2 and 6 unmasked.
pic_init:
	mov al, 0x11			; ICW1: edge, cascade, ICW4 needed
	out PORT_PIC1, al
	out PORT_PIC2, al
	mov al, 0x08			; ICW2
	out PORT_PIC1 + 1, al
	mov al, 0x70
	out PORT_PIC2 + 1, al
	mov al, 0x04			; ICW3: slave on IR2
	out PORT_PIC1 + 1, al
	mov al, 0x02			; ICW3: slave identity 2
	out PORT_PIC2 + 1, al
	mov al, 0x01			; ICW4: 8086 mode, normal EOI
	out PORT_PIC1 + 1, al
	out PORT_PIC2 + 1, al
	mov al, 0xB8			; OCW1: IRQ 0, 1, 2, 6 on
	out PORT_PIC1 + 1, al
	mov al, 0xFF
	out PORT_PIC2 + 1, al
	; ELCR (PIIX3): the PCI interrupts are level-triggered
	mov dx, PORT_ELCR1
	xor al, al
	out dx, al
	inc dx
	mov al, (1 << (PIRQA_IRQ - 8)) | (1 << (PIRQC_IRQ - 8))
	out dx, al
	ret

; Local APIC in virtual wire mode (MP specification 1.4 §3.6.2.2): the
; 8259's INTR reaches the CPU through LINT0 as ExtINT, NMI through LINT1.
; After reset LINT0 is masked, so without this no PIC interrupt arrives.
lapic_init:
	mov eax, 1
	cpuid
	test edx, 1 << 9		; an on-chip APIC
	jz .none
	mov edi, LAPIC_ADDR
	mov eax, [fs:edi + 0xF0]	; spurious vector register
	or eax, 0x1FF			; APIC software-enabled, vector FFh
	mov [fs:edi + 0xF0], eax
	mov dword [fs:edi + 0x350], 0x00000700	; LVT LINT0: ExtINT
	mov dword [fs:edi + 0x360], 0x00000400	; LVT LINT1: NMI
.none:	ret

; 8254 channel 0: mode 3, count 65536 -> 1193182 / 65536 = 18.2 Hz
pit_init:
	mov al, 0x36
	out PORT_PITCMD, al
	xor al, al
	out PORT_PIT0, al
	out PORT_PIT0, al
	ret

; ---------------------------------------------------------------------
; RAM size: CMOS 0x34/0x35 (64 KiB units above 16 MiB) or, below 16 MiB,
; 0x30/0x31 (KiB above 1 MiB).  Where the CMOS holds nothing (all ones
; or zero), probe 1 MiB steps through FS.
mem_init:
	push ds
	EBDA_DS
	mov al, 0x35
	call cmos_read
	mov ah, al
	mov al, 0x34
	call cmos_read
	cmp ax, 0xFFFF
	je .probe
	movzx eax, ax
	test eax, eax
	jz .low
	shl eax, 16
	add eax, 16 << 20
	jmp .have
.low:	mov al, 0x31
	call cmos_read
	mov ah, al
	mov al, 0x30
	call cmos_read
	cmp ax, 0xFFFF
	je .probe
	movzx eax, ax
	test eax, eax
	jz .probe
	shl eax, 10
	add eax, 1 << 20
	jmp .have
.probe:
	; write a marker at each MiB and read it back; stop at 3 GiB
	mov esi, 1 << 20
.pl:	mov edi, esi
	add edi, 0xFFC
	mov edx, [fs:edi]
	mov dword [fs:edi], 0x5AA5C33C
	cmp dword [fs:edi], 0x5AA5C33C
	mov [fs:edi], edx
	jne .pe
	add esi, 1 << 20
	cmp esi, 0xC0000000
	jb .pl
.pe:	mov eax, esi
.have:	cmp eax, 0xC0000000
	jbe .st
	mov eax, 0xC0000000
.st:	mov [E_RAM_END], eax
	; the ACPI tables take the last 64 KiB when there is room for them
	xor edx, edx
	cmp eax, (1 << 20) + 2 * ACPI_AREA
	jb .noacpi
	lea edx, [eax - ACPI_AREA]
.noacpi:
	mov [E_ACPI_BASE], edx
	call e820_build
	pop ds
	ret

mem_report:
	push ds
	EBDA_DS
	MSG "RAM: "
	mov eax, [E_RAM_END]
	shr eax, 10
	call print_dec
	MSG " KiB", 10
	pop ds
	ret
