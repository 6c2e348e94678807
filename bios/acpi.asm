; SPDX-License-Identifier: MIT
;
; ACPI 2.0 tables (ACPI specification 2.0, chapter 5): RSDP in the EBDA's
; first KiB, RSDT and XSDT, FADT (revision 3), FACS, a DSDT holding an
; empty \_SB scope, and a MADT with the local APIC, the IOAPIC at
; FEC00000h and the interrupt source overrides (IRQ 0 -> GSI 2; the SCI
; and the PCI IRQs level-triggered, active high).
;
; The tables are put together in the EBDA's scratch buffer, checksummed
; there and copied to the ACPI area at the top of RAM: the FACS in its
; first 4 KiB (ACPI NVS), the rest from +4 KiB (ACPI reclaimable).
;
; popek has no ACPI power-management block yet: the FADT names ports
; 600h-60Bh (PM1a event, PM1a control, PM timer), where QEMU's PIIX4 PM
; function answers once the BIOS set its base (pci.asm); on popek those
; ports are unclaimed.  SMI_CMD is 0: the machine is always in ACPI mode.

%define AS		E_SCRATCH	; assembly buffer
%define AS_FACS		0x000
%define AS_RSDT		0x040
%define AS_XSDT		0x080
%define AS_FADT		0x0C0
%define AS_DSDT		0x1C0
%define AS_MADT		0x200
%define AS_END		0x280
%define FADT_LEN	244
%define MADT_LEN	110

acpi_oem:
	db "POPEK "			; OEM ID (6)
	db "POPEKPC "			; OEM table ID (8)

; acpi_phys: DI = offset in the assembly buffer -> EAX = its address
acpi_phys:
	mov eax, [E_ACPI_BASE]
	cmp di, AS_RSDT
	jb .facs
	add eax, 0x1000 - AS_RSDT
.facs:	push edx
	movzx edx, di
	add eax, edx
	pop edx
	ret

; acpi_header: DI = table offset, EAX = signature, CX = length,
; BL = revision
acpi_header:
	push si
	mov [AS + di], eax
	movzx eax, cx
	mov [AS + di + 4], eax
	mov [AS + di + 8], bl
	mov byte [AS + di + 9], 0
	mov si, acpi_oem
	push di
	add di, AS + 10
	mov cx, 14
.o:	mov al, [cs:si]
	mov [di], al
	inc si
	inc di
	loop .o
	pop di
	mov dword [AS + di + 24], 1	; OEM revision
	mov dword [AS + di + 28], 'PPEK'	; creator ID
	mov dword [AS + di + 32], 1	; creator revision
	pop si
	ret

; acpi_sum: DS:SI, CX bytes -> AL = the byte that makes the sum zero
acpi_sum:
	push si
	push cx
	xor al, al
.s:	sub al, [si]
	inc si
	loop .s
	pop cx
	pop si
	ret

; acpi_table_sum: DI = table offset: fill its checksum byte
acpi_table_sum:
	push si
	push cx
	lea si, [AS + di]
	mov cx, [si + 4]
	call acpi_sum
	mov [si + 9], al
	pop cx
	pop si
	ret

acpi_init:
	push ds
	push es
	EBDA_DS
	push ds
	pop es
	cmp dword [E_ACPI_BASE], 0
	jne .room
	MSG "ACPI: not enough RAM for the tables", 10
	jmp .ret
.room:	mov di, AS
	mov cx, AS_END
	xor al, al
	rep stosb

	; FACS
	mov dword [AS + AS_FACS], 'FACS'
	mov dword [AS + AS_FACS + 4], 64
	mov byte [AS + AS_FACS + 32], 1	; version (ACPI 2.0)

	; DSDT: Scope (\_SB) {}
	mov di, AS_DSDT
	mov eax, 'DSDT'
	mov cx, 36 + 7
	mov bl, 2
	call acpi_header
	mov dword [AS + AS_DSDT + 36], 0x5F5C0610	; ScopeOp, PkgLength 6, '\', '_'
	mov word [AS + AS_DSDT + 40], 'SB'
	mov byte [AS + AS_DSDT + 42], '_'
	call acpi_table_sum

	; FADT
	mov di, AS_FADT
	mov eax, 'FACP'
	mov cx, FADT_LEN
	mov bl, 3
	call acpi_header
	push di
	mov di, AS_FACS
	call acpi_phys
	pop di
	mov [AS + AS_FADT + 36], eax	; FIRMWARE_CTRL
	mov [AS + AS_FADT + 132], eax	; X_FIRMWARE_CTRL
	push di
	mov di, AS_DSDT
	call acpi_phys
	pop di
	mov [AS + AS_FADT + 40], eax	; DSDT
	mov [AS + AS_FADT + 140], eax	; X_DSDT
	mov word [AS + AS_FADT + 46], ACPI_SCI_IRQ
	mov dword [AS + AS_FADT + 56], ACPI_PM_BASE		; PM1a_EVT_BLK
	mov dword [AS + AS_FADT + 64], ACPI_PM_BASE + 4	; PM1a_CNT_BLK
	mov dword [AS + AS_FADT + 76], ACPI_PM_BASE + 8	; PM_TMR_BLK
	mov byte [AS + AS_FADT + 88], 4	; PM1_EVT_LEN
	mov byte [AS + AS_FADT + 89], 2	; PM1_CNT_LEN
	mov byte [AS + AS_FADT + 91], 4	; PM_TMR_LEN
	mov word [AS + AS_FADT + 96], 101	; no C2
	mov word [AS + AS_FADT + 98], 1001	; no C3
	mov byte [AS + AS_FADT + 108], 0x32	; CMOS century
	mov word [AS + AS_FADT + 109], 0x0003	; legacy devices, 8042
	; WBINVD, C1, power and sleep buttons not fixed features
	mov dword [AS + AS_FADT + 112], 0x00000035
	; X_PM1a_EVT_BLK, X_PM1a_CNT_BLK, X_PM_TMR_BLK: system I/O
	mov dword [AS + AS_FADT + 148], 0x00002001
	mov dword [AS + AS_FADT + 152], ACPI_PM_BASE
	mov dword [AS + AS_FADT + 172], 0x00001001
	mov dword [AS + AS_FADT + 176], ACPI_PM_BASE + 4
	mov dword [AS + AS_FADT + 208], 0x00002001
	mov dword [AS + AS_FADT + 212], ACPI_PM_BASE + 8
	call acpi_table_sum

	; MADT
	mov di, AS_MADT
	mov eax, 'APIC'
	mov cx, MADT_LEN
	mov bl, 1
	call acpi_header
	mov si, AS + AS_MADT
	mov dword [si + 36], LAPIC_ADDR
	mov dword [si + 40], 1		; PC-AT compatible (8259s present)
	; processor local APIC: processor 0, APIC ID 0, enabled
	mov dword [si + 44], 0x00000800
	mov dword [si + 48], 1
	; IOAPIC
	mov word [si + 52], 0x0C01
	mov byte [si + 54], IOAPIC_ID
	mov byte [si + 55], 0
	mov dword [si + 56], IOAPIC_ADDR
	mov dword [si + 60], 0		; GSI base
	; interrupt source overrides: ISA IRQ 0 -> GSI 2
	mov word [si + 64], 0x0A02
	mov word [si + 66], 0x0000	; bus ISA, IRQ 0
	mov dword [si + 68], 2
	mov word [si + 72], 0
	; SCI (IRQ 9) and the PCI IRQs: level, active high
	mov word [si + 74], 0x0A02
	mov word [si + 76], ACPI_SCI_IRQ << 8
	mov dword [si + 78], ACPI_SCI_IRQ
	mov word [si + 82], 0x000D
	mov word [si + 84], 0x0A02
	mov word [si + 86], PIRQA_IRQ << 8
	mov dword [si + 88], PIRQA_IRQ
	mov word [si + 92], 0x000D
	mov word [si + 94], 0x0A02
	mov word [si + 96], PIRQC_IRQ << 8
	mov dword [si + 98], PIRQC_IRQ
	mov word [si + 102], 0x000D
	; local APIC NMI: every processor, LINT1
	mov word [si + 104], 0x0604
	mov byte [si + 106], 0xFF
	mov word [si + 107], 0
	mov byte [si + 109], 1
	call acpi_table_sum

	; RSDT and XSDT: the FADT and the MADT
	mov di, AS_RSDT
	mov eax, 'RSDT'
	mov cx, 36 + 8
	mov bl, 1
	call acpi_header
	mov di, AS_XSDT
	mov eax, 'XSDT'
	mov cx, 36 + 16
	mov bl, 1
	call acpi_header
	mov di, AS_FADT
	call acpi_phys
	mov [AS + AS_RSDT + 36], eax
	mov [AS + AS_XSDT + 36], eax
	mov di, AS_MADT
	call acpi_phys
	mov [AS + AS_RSDT + 40], eax
	mov [AS + AS_XSDT + 44], eax
	mov di, AS_RSDT
	call acpi_table_sum
	mov di, AS_XSDT
	call acpi_table_sum

	; RSDP (ACPI 2.0, 36 bytes) in the EBDA
	mov dword [E_RSDP], 'RSD '
	mov dword [E_RSDP + 4], 'PTR '
	mov si, acpi_oem
	mov di, E_RSDP + 9
	mov cx, 6
.oem:	mov al, [cs:si]
	mov [di], al
	inc si
	inc di
	loop .oem
	mov byte [E_RSDP + 15], 2	; revision
	mov di, AS_RSDT
	call acpi_phys
	mov [E_RSDP + 16], eax
	mov dword [E_RSDP + 20], 36
	mov di, AS_XSDT
	call acpi_phys
	mov [E_RSDP + 24], eax
	mov dword [E_RSDP + 28], 0
	mov byte [E_RSDP + 8], 0
	mov si, E_RSDP
	mov cx, 20
	call acpi_sum
	mov [E_RSDP + 8], al
	mov byte [E_RSDP + 32], 0
	mov cx, 36
	call acpi_sum
	mov [E_RSDP + 32], al

	; copy to the top of RAM through FS (4 GiB limit since POST began)
	mov edi, [E_ACPI_BASE]
	mov si, AS
	mov cx, AS_RSDT
.c1:	mov al, [si]
	mov [fs:edi], al
	inc si
	inc edi
	loop .c1
	mov edi, [E_ACPI_BASE]
	add edi, 0x1000
	mov cx, AS_END - AS_RSDT
.c2:	mov al, [si]
	mov [fs:edi], al
	inc si
	inc edi
	loop .c2
	MSG "ACPI: RSDP at "
	mov ax, ds
	movzx eax, ax
	shl eax, 4
	add eax, E_RSDP
	call print_hex32
	MSG ", tables at "
	mov eax, [E_ACPI_BASE]
	call print_hex32
	mov al, 10
	call print_char
.ret:	pop es
	pop ds
	ret
