; SPDX-License-Identifier: MIT
;
; PCI bus 0 through configuration mechanism #1 (PCI Local Bus 2.1
; §3.7.4.1): enumeration, BAR sizing and placement, the PIIX3 PIRQ
; routing and each function's interrupt line.
;
; BARs: I/O from 0xC000 in order, memory from 0xE0000000 largest first
; (each aligned to its size), ending below the IOAPIC at 0xFEC00000.
; The interrupt line of a function on device d with pin p (1 = INTA#) is
; PIRQ[(d + p - 1) mod 4], as the i440FX/PIIX3 boards wire INTx#.

%define E_VGA_DEVFN	0x44D		; byte: the display's devfn, 0xFF none
%define PCIBAR_MAX	64
%define   PB_DEVFN	0
%define   PB_OFF	1
%define   PB_FLAGS	2		; bit 0 I/O, bit 1 64-bit, bit 7 done
%define   PB_SIZE	4
%define PB_LEN		8

; pci_addr: BX = bus:devfn, DI = register -> address latched, DX = data
; port for that register's byte lane
pci_addr:
	push eax
	movzx eax, bx
	shl eax, 8
	or eax, 0x80000000
	push di
	and di, 0xFC
	or ax, di
	pop di
	mov dx, PORT_PCI_ADDR
	out dx, eax
	pop eax
	mov dx, di
	and dx, 3
	add dx, PORT_PCI_DATA
	ret

pci_read32:
	push dx
	call pci_addr
	in eax, dx
	pop dx
	ret
pci_read16:
	push dx
	call pci_addr
	in ax, dx
	pop dx
	ret
pci_read8:
	push dx
	call pci_addr
	in al, dx
	pop dx
	ret
pci_write32:
	push dx
	call pci_addr
	out dx, eax
	pop dx
	ret
pci_write16:
	push dx
	call pci_addr
	out dx, ax
	pop dx
	ret
pci_write8:
	push dx
	call pci_addr
	out dx, al
	pop dx
	ret

; pci_present: ZF set when mechanism #1 answers
pci_present:
	push eax
	push dx
	mov dx, PORT_PCI_ADDR
	mov eax, 0x80000000
	out dx, eax
	in eax, dx
	cmp eax, 0x80000000
	pop dx
	pop eax
	ret

pirq_irqs:
	db PIRQA_IRQ, PIRQB_IRQ, PIRQC_IRQ, PIRQD_IRQ

pci_init:
	push ds
	EBDA_DS
	mov byte [E_VGA_DEVFN], 0xFF
	call pci_present
	jz .have
	MSG "PCI: no configuration mechanism #1", 10
	pop ds
	ret
.have:	mov dword [E_PCI_IO], PCI_IO_START
	mov dword [E_PCI_MEM], PCI_MEM_START
	mov si, E_PCIBARS
	xor bx, bx
.fn:	xor di, di
	call pci_read32
	cmp ax, 0xFFFF
	je .absent
	call pci_setup_function
	test bl, 7
	jnz .next
	mov di, 0x0E
	call pci_read8
	test al, 0x80
	jnz .next
.absent:
	test bl, 7
	jnz .next
	or bl, 7			; function 0 absent/single: next device
.next:	inc bl
	jnz .fn
	call pci_assign_io
	call pci_assign_mem
	call pci_enable_all
	; the display's framebuffer is its BAR0
	mov bl, [E_VGA_DEVFN]
	cmp bl, 0xFF
	je .done
	xor bh, bh
	mov di, 0x10
	call pci_read32
	and eax, 0xFFFFFFF0
	mov [E_LFB], eax
.done:	pop ds
	ret

; pci_setup_function: BX = devfn, EAX = device:vendor, SI = next BAR slot
pci_setup_function:
	push eax
	MSG "PCI 00:"
	mov al, bl
	shr al, 3
	call print_hex8
	mov al, '.'
	call print_char
	mov al, bl
	and al, 7
	add al, '0'
	call print_char
	mov al, ' '
	call print_char
	pop eax
	push eax
	call print_hex16
	mov al, ':'
	call print_char
	shr eax, 16
	call print_hex16
	mov al, ' '
	call print_char
	mov di, 0x08
	call pci_read32
	shr eax, 8
	call print_hex32
	mov al, 10
	call print_char
	pop eax
	inc byte [E_PCI_DEVS]

	cmp eax, 0x70008086		; PIIX3 ISA bridge: PIRQ routing
	jne .n1
	mov di, 0x60
	mov eax, PIRQA_IRQ | (PIRQB_IRQ << 8) | (PIRQC_IRQ << 16) | (PIRQD_IRQ << 24)
	call pci_write32
	jmp .bars
.n1:	cmp eax, 0x70108086		; PIIX3 IDE: legacy decode on
	je .ide
	cmp eax, 0x71118086		; PIIX4 IDE
	jne .n2
.ide:	mov di, 0x40
	mov eax, 0x80008000
	call pci_write32
	jmp .bars
.n2:	cmp eax, 0x71138086		; PIIX4 power management (QEMU)
	jne .n3
	mov di, 0x40
	mov eax, ACPI_PM_BASE | 1
	call pci_write32
	mov di, 0x80
	mov al, 1
	call pci_write8
	jmp .bars
.n3:	; a display controller (class 03): remember it for the VBE LFB
	mov di, 0x0A
	call pci_read16
	cmp ax, 0x0300
	jne .bars
	cmp byte [E_VGA_DEVFN], 0xFF
	jne .bars
	mov [E_VGA_DEVFN], bl

.bars:	mov di, 0x0E
	call pci_read8
	test al, 0x7F
	jnz .irq			; bridges: no BARs placed here
	mov di, 0x10
.bar:	cmp si, E_PCIBARS + PCIBAR_MAX * PB_LEN
	jae .irq
	call pci_read32
	mov ecx, eax			; original value
	mov eax, 0xFFFFFFFF
	call pci_write32
	call pci_read32
	xchg eax, ecx
	call pci_write32		; restore
	test ecx, ecx
	jz .nextbar
	mov byte [si + PB_FLAGS], 0
	test cl, 1
	jz .mem
	or ecx, 0xFFFF0000		; I/O BARs decode 16 bits
	and cl, 0xFC
	mov byte [si + PB_FLAGS], 1
	jmp .size
.mem:	mov al, cl
	and cl, 0xF0
	and al, 0x06
	cmp al, 0x04			; 64-bit
	jne .size
	or byte [si + PB_FLAGS], 2
.size:	not ecx
	inc ecx
	mov [si + PB_SIZE], ecx
	mov [si + PB_DEVFN], bl
	mov ax, di
	mov [si + PB_OFF], al
	add si, PB_LEN
	test byte [si - PB_LEN + PB_FLAGS], 2
	jz .nextbar
	add di, 4			; the upper half of a 64-bit BAR
.nextbar:
	add di, 4
	cmp di, 0x28
	jb .bar

.irq:	mov di, 0x3D
	call pci_read8
	test al, al
	jz .ret
	cmp al, 4
	ja .ret
	mov ah, al			; pin
	mov al, bl
	shr al, 3
	add al, ah
	dec al
	and al, 3
	push bx
	movzx bx, al
	mov al, [cs:pirq_irqs + bx]
	pop bx
	mov di, 0x3C
	call pci_write8
	; remember it for the MP table
	push si
	movzx si, byte [E_PCI_DEVS]
	dec si
	cmp si, E_PCI_INTS_MAX
	jae .full
	shl si, 2
	mov [E_PCI_INTS + si], bl
	mov [E_PCI_INTS + si + 1], ah
	mov [E_PCI_INTS + si + 2], al
	mov byte [E_PCI_INTS + si + 3], 1
.full:	pop si
.ret:	ret

; pci_assign_io: SI = end of the BAR list
pci_assign_io:
	push si
	mov di, si
	mov si, E_PCIBARS
.l:	cmp si, di
	jae .e
	test byte [si + PB_FLAGS], 1
	jz .n
	mov ecx, [si + PB_SIZE]
	mov eax, [E_PCI_IO]
	dec ecx
	add eax, ecx
	not ecx
	and eax, ecx			; aligned up to the size
	not ecx
	inc ecx
	lea edx, [eax + ecx]
	cmp edx, PCI_IO_END
	ja .n
	mov [E_PCI_IO], edx
	call pci_write_bar
.n:	add si, PB_LEN
	jmp .l
.e:	pop si
	ret

; pci_assign_mem: largest BAR first
pci_assign_mem:
	push si
	mov di, si
.pass:	xor bx, bx			; best entry
	xor ecx, ecx			; its size
	mov si, E_PCIBARS
.scan:	cmp si, di
	jae .pick
	test byte [si + PB_FLAGS], 0x81
	jnz .sn
	cmp [si + PB_SIZE], ecx
	jbe .sn
	mov ecx, [si + PB_SIZE]
	mov bx, si
.sn:	add si, PB_LEN
	jmp .scan
.pick:	test bx, bx
	jz .e
	mov si, bx
	or byte [si + PB_FLAGS], 0x80
	mov eax, [E_PCI_MEM]
	dec ecx
	add eax, ecx
	jc .pass			; does not fit below 4 GiB
	not ecx
	and eax, ecx
	not ecx
	inc ecx
	mov edx, eax
	add edx, ecx
	jc .pass
	cmp edx, PCI_MEM_END
	ja .pass
	mov [E_PCI_MEM], edx
	push di
	call pci_write_bar
	pop di
	jmp .pass
.e:	pop si
	ret

; pci_write_bar: SI = BAR entry, EAX = address
pci_write_bar:
	push di
	push bx
	xor bh, bh
	mov bl, [si + PB_DEVFN]
	movzx di, byte [si + PB_OFF]
	call pci_write32
	test byte [si + PB_FLAGS], 2
	jz .e
	add di, 4
	push eax
	xor eax, eax
	call pci_write32
	pop eax
.e:	pop bx
	pop di
	ret

; pci_enable_all: I/O, memory and bus mastering on for every function
; but the host bridge
pci_enable_all:
	xor bx, bx
.fn:	xor di, di
	call pci_read16
	cmp ax, 0xFFFF
	je .absent
	mov di, 0x0A
	call pci_read16
	cmp ax, 0x0600
	je .skip
	mov di, 0x04
	call pci_read16
	or ax, 0x0007
	call pci_write16
.skip:	test bl, 7
	jnz .next
	mov di, 0x0E
	call pci_read8
	test al, 0x80
	jnz .next
.absent:
	test bl, 7
	jnz .next
	or bl, 7
.next:	inc bl
	jnz .fn
	ret

; pci_find_device: DX = vendor, CX = device, SI = index -> BX = devfn,
; CF set when not found (bus 0 only)
pci_find_device:
	push eax
	push di
	xor bx, bx
.fn:	xor di, di
	call pci_read32
	cmp ax, 0xFFFF
	je .absent
	cmp ax, dx
	jne .skip
	push eax
	shr eax, 16
	cmp ax, cx
	pop eax
	jne .skip
	test si, si
	jz .found
	dec si
.skip:	test bl, 7
	jnz .next
	mov di, 0x0E
	call pci_read8
	test al, 0x80
	jnz .next
.absent:
	test bl, 7
	jnz .next
	or bl, 7
.next:	inc bl
	jnz .fn
	stc
	jmp .e
.found:	clc
.e:	pop di
	pop eax
	ret

; pci_find_class: ECX = class code (24 bits), SI = index -> BX, CF
pci_find_class:
	push eax
	push di
	xor bx, bx
.fn:	xor di, di
	call pci_read16
	cmp ax, 0xFFFF
	je .absent
	mov di, 0x08
	call pci_read32
	shr eax, 8
	cmp eax, ecx
	jne .skip
	test si, si
	jz .found
	dec si
.skip:	test bl, 7
	jnz .next
	mov di, 0x0E
	call pci_read8
	test al, 0x80
	jnz .next
.absent:
	test bl, 7
	jnz .next
	or bl, 7
.next:	inc bl
	jnz .fn
	stc
	jmp .e
.found:	clc
.e:	pop di
	pop eax
	ret
