; SPDX-License-Identifier: MIT
;
; The MP configuration (Intel MultiProcessor Specification 1.4, chapter
; 4): the floating pointer structure in the EBDA's first KiB and the
; configuration table after it: one processor, buses PCI (0) and ISA (1),
; the IOAPIC, the I/O interrupt assignments (ExtINT on pin 0, ISA IRQs on
; their pins with IRQ 0 on pin 2, each PCI function's INTx# on the pin of
; its routed IRQ) and the local interrupts (ExtINT on LINT0, NMI on
; LINT1).

%define MP_BUS_PCI	0
%define MP_BUS_ISA	1

mp_oem:
	db "POPEK   "			; OEM ID (8)
	db "POPEK PC    "		; product ID (12)

; mp_ioint: DI = entry; AL = type, AH = source bus, BL = source IRQ,
; BH = IOAPIC pin, CX = flags
mp_ioint:
	mov byte [di], 3
	mov [di + 1], al
	mov [di + 2], cx
	mov [di + 4], ah
	mov [di + 5], bl
	mov byte [di + 6], IOAPIC_ID
	mov [di + 7], bh
	add di, 8
	inc word [E_MPCT + 34]
	ret

mptable_init:
	push ds
	push es
	EBDA_DS
	push ds
	pop es
	mov di, E_MPCT
	mov cx, E_MPCT_END - E_MPCT
	xor al, al
	rep stosb
	; header
	mov dword [E_MPCT], 'PCMP'
	mov byte [E_MPCT + 6], 4	; specification 1.4
	mov si, mp_oem
	mov di, E_MPCT + 8
	mov cx, 20
.oem:	mov al, [cs:si]
	mov [di], al
	inc si
	inc di
	loop .oem
	mov dword [E_MPCT + 36], LAPIC_ADDR
	mov di, E_MPCT + 44
	; processor: local APIC 0, version 14h, enabled, bootstrap
	push di
	mov eax, 1
	cpuid
	pop di
	mov word [di], 0x0000
	mov byte [di + 2], 0x14
	mov byte [di + 3], 0x03
	mov [di + 4], eax		; signature
	mov [di + 8], edx		; features
	add di, 20
	inc word [E_MPCT + 34]
	; buses
	mov word [di], MP_BUS_PCI << 8 | 1
	mov dword [di + 2], 'PCI '
	mov word [di + 6], '  '
	add di, 8
	mov word [di], MP_BUS_ISA << 8 | 1
	mov dword [di + 2], 'ISA '
	mov word [di + 6], '  '
	add di, 8
	add word [E_MPCT + 34], 2
	; IOAPIC
	mov byte [di], 2
	mov byte [di + 1], IOAPIC_ID
	mov byte [di + 2], 0x11
	mov byte [di + 3], 1
	mov dword [di + 4], IOAPIC_ADDR
	add di, 8
	inc word [E_MPCT + 34]
	; ExtINT through pin 0
	mov al, 3
	mov ah, MP_BUS_ISA
	xor bx, bx
	xor cx, cx
	call mp_ioint
	; ISA IRQs, not the two the PCI interrupts use, not the cascade
	xor bl, bl
.isa:	cmp bl, 2
	je .nisa
	cmp bl, PIRQA_IRQ
	je .nisa
	cmp bl, PIRQC_IRQ
	je .nisa
	mov bh, bl
	test bl, bl
	jnz .pin
	mov bh, 2			; IRQ 0 -> pin 2
.pin:	xor al, al
	mov ah, MP_BUS_ISA
	xor cx, cx
	call mp_ioint
.nisa:	inc bl
	cmp bl, 16
	jb .isa
	; PCI: source IRQ = device << 2 | (pin - 1); level, active high
	xor si, si
.pci:	cmp byte [E_PCI_INTS + si + 3], 0
	je .npci
	cmp di, E_MPCT_END - 24
	ja .npci
	mov bl, [E_PCI_INTS + si]	; devfn
	shr bl, 1
	and bl, 0x7C			; device << 2
	mov al, [E_PCI_INTS + si + 1]
	dec al
	or bl, al
	mov bh, [E_PCI_INTS + si + 2]	; IRQ = IOAPIC pin
	xor al, al
	mov ah, MP_BUS_PCI
	mov cx, 0x000D
	call mp_ioint
.npci:	add si, 4
	cmp si, E_PCI_INTS_MAX * 4
	jb .pci
	; local interrupts: ExtINT -> LINT0, NMI -> LINT1 on every CPU
	mov dword [di], 0x00000304
	mov dword [di + 4], 0x00FF0000 | (MP_BUS_ISA << 0)
	mov byte [di + 4], MP_BUS_ISA
	mov byte [di + 5], 0
	mov byte [di + 6], 0xFF
	mov byte [di + 7], 0
	add di, 8
	mov dword [di], 0x00000104
	mov byte [di + 4], MP_BUS_ISA
	mov byte [di + 5], 0
	mov byte [di + 6], 0xFF
	mov byte [di + 7], 1
	add di, 8
	add word [E_MPCT + 34], 2
	; length and checksum
	mov ax, di
	sub ax, E_MPCT
	mov [E_MPCT + 4], ax
	mov si, E_MPCT
	mov cx, ax
	call acpi_sum
	mov [E_MPCT + 7], al
	; the floating pointer
	mov dword [E_MPFP], '_MP_'
	mov ax, ds
	movzx eax, ax
	shl eax, 4
	add eax, E_MPCT
	mov [E_MPFP + 4], eax
	mov byte [E_MPFP + 8], 1	; length in 16-byte units
	mov byte [E_MPFP + 9], 4	; specification 1.4
	mov byte [E_MPFP + 10], 0
	mov dword [E_MPFP + 11], 0	; feature bytes: table present, no IMCR
	mov byte [E_MPFP + 15], 0
	mov si, E_MPFP
	mov cx, 16
	call acpi_sum
	mov [E_MPFP + 10], al
	pop es
	pop ds
	ret
