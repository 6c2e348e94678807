; SPDX-License-Identifier: MIT
;
; popek's built-in demo guest (`popek run -demo`, or `popek` with no image).
;
; Loaded at 0000:7C00 like a boot sector and entered in real mode, it
;   1. greets on the debug console (port 0xE9) and, after programming the
;      16550 UART (115200 baud, 8N1, FIFOs on), on the serial port COM1;
;   2. switches to 32-bit protected mode with a flat GDT;
;   3. says so on both ports;
;   4. ends with CLI; HLT.  A halt with interrupts off can never wake, and
;      for the demo popek treats it as the normal end: exit status 0.
;
; It exercises what every test guest needs: port I/O in and out, string
; loads, LGDT, MOV CR0, a far jump into a 32-bit code segment, segment
; loads and HLT.

	bits 16
	org 0x7c00

COM1		equ 0x3f8
UART_THR	equ COM1 + 0	; DLAB=0: transmit holding register
UART_DLL	equ COM1 + 0	; DLAB=1: divisor latch, low byte
UART_IER	equ COM1 + 1	; DLAB=0: interrupt enable
UART_DLM	equ COM1 + 1	; DLAB=1: divisor latch, high byte
UART_FCR	equ COM1 + 2	; FIFO control
UART_LCR	equ COM1 + 3	; line control
UART_MCR	equ COM1 + 4	; modem control
UART_LSR	equ COM1 + 5	; line status
LSR_THRE	equ 0x20	; transmit holding register empty
DEBUGCON	equ 0xe9

CODE32		equ gdt.code32 - gdt
DATA32		equ gdt.data32 - gdt

start:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7c00
	cld

	call serial_init
	mov si, real_debugcon
	call debugcon_puts16
	mov si, real_serial
	call serial_puts16

	; Into protected mode (SDM Vol. 3A §9.9.1): load a GDT, set CR0.PE,
	; and far-jump to reload CS with a 32-bit code segment.
	lgdt [gdt_pointer]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp CODE32:protected_entry

; Program COM1: no interrupts, divisor 1 (115200 baud), 8 data bits, no
; parity, 1 stop bit, FIFOs enabled and cleared, DTR and RTS on.
serial_init:
	mov dx, UART_IER
	xor al, al
	out dx, al
	mov dx, UART_LCR
	mov al, 0x80		; DLAB: the divisor latch appears at 0 and 1
	out dx, al
	mov dx, UART_DLL
	mov al, 1
	out dx, al
	mov dx, UART_DLM
	xor al, al
	out dx, al
	mov dx, UART_LCR
	mov al, 0x03		; 8N1, DLAB off
	out dx, al
	mov dx, UART_FCR
	mov al, 0xc7		; enable, clear both FIFOs, trigger at 14
	out dx, al
	mov dx, UART_MCR
	mov al, 0x03		; DTR, RTS
	out dx, al
	ret

; DS:SI = a NUL-terminated string, out to port 0xE9.
debugcon_puts16:
	lodsb
	test al, al
	jz .done
	out DEBUGCON, al
	jmp debugcon_puts16
.done:
	ret

; DS:SI = a NUL-terminated string, out to COM1, waiting for THR each time.
serial_puts16:
	lodsb
	test al, al
	jz .done
	mov ah, al
	mov dx, UART_LSR
.wait:
	in al, dx
	test al, LSR_THRE
	jz .wait
	mov dx, UART_THR
	mov al, ah
	out dx, al
	jmp serial_puts16
.done:
	ret

	bits 32
protected_entry:
	mov ax, DATA32
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov esp, 0x7c00

	mov esi, protected_debugcon
	call debugcon_puts32
	mov esi, protected_serial
	call serial_puts32

	; The end: nothing can wake a CPU halted with interrupts off.
	cli
.halt:
	hlt
	jmp .halt

debugcon_puts32:
	lodsb
	test al, al
	jz .done
	out DEBUGCON, al
	jmp debugcon_puts32
.done:
	ret

serial_puts32:
	lodsb
	test al, al
	jz .done
	mov ah, al
	mov dx, UART_LSR
.wait:
	in al, dx
	test al, LSR_THRE
	jz .wait
	mov dx, UART_THR
	mov al, ah
	out dx, al
	jmp serial_puts32
.done:
	ret

real_debugcon:
	db `Hello from popek! Real mode, debug console (port 0xE9).\n`, 0
real_serial:
	db `Hello from popek! Real mode, serial port COM1 (0x3F8).\n`, 0
protected_debugcon:
	db `Now in 32-bit protected mode (port 0xE9). Goodbye.\n`, 0
protected_serial:
	db `Now in 32-bit protected mode (COM1). Goodbye.\n`, 0

; A flat GDT: null, 4 GiB code and data, both 32-bit (SDM Vol. 3A §3.4.5).
	align 8
gdt:
	dq 0
.code32:
	dw 0xffff, 0x0000	; limit 15:0, base 15:0
	db 0x00, 0x9a, 0xcf, 0x00 ; base 23:16, present code r/x, G+D, base 31:24
.data32:
	dw 0xffff, 0x0000
	db 0x00, 0x92, 0xcf, 0x00 ; present data r/w
.end:

gdt_pointer:
	dw gdt.end - gdt - 1
	dd gdt
