; pic_pit.asm - the 8259A pair and the 8254 end to end, in real mode: the
; PICs initialized at vectors 20h/28h, PIT channel 0 in mode 2 at 100 Hz,
; STI/HLT taking IRQ0 fifty times, the time between the first and the
; fifty-first interrupt measured with RDTSC against the programmed rate
; (virtual time is cycles / 100 MHz, so the figure is exact), the ISR seen
; from inside the handler, a masked IRQ0 waiting in IRR and taken once
; unmasked, a latched count, and channel 2's OUT through port 61h.
%include "lib.inc"

%define TICKS   SCRATCH + 0x100
%define T_FIRST SCRATCH + 0x104
%define T_LAST  SCRATCH + 0x108
%define ISRVAL  SCRATCH + 0x10C
%define SEEN    SCRATCH + 0x110

%define PIT_COUNT 11932                 ; 1193182 / 11932 = 100.0 Hz
; 50 periods: 596600 PIT clocks = 0.50000754 s = 50000754 cycles
%define EXPECT_50 50000754
%define SLACK 200

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	mov word [0x20*4], irq0_handler
	mov word [0x20*4+2], 0
	mov dword [TICKS], 0
	mov dword [ISRVAL], 0xFF

	; ICW1-4 for both chips: edge, cascade on IR2, 8086 mode
	mov al, 0x11
	out 0x20, al
	out 0xA0, al
	mov al, 0x20
	out 0x21, al
	mov al, 0x28
	out 0xA1, al
	mov al, 0x04
	out 0x21, al
	mov al, 0x02
	out 0xA1, al
	mov al, 0x01
	out 0x21, al
	out 0xA1, al
	mov al, 0xFE                    ; only IRQ0
	out 0x21, al
	mov al, 0xFF
	out 0xA1, al
	in al, 0x21
	CHK8 al, 0xFE, "IMR reads back"

	; channel 0, lo/hi, mode 2, binary
	mov al, 0x34
	out 0x43, al
	mov ax, PIT_COUNT
	out 0x40, al
	mov al, ah
	out 0x40, al
	sti
.wait:	hlt
	cmp dword [TICKS], 51
	jb .wait
	cli
	CHK32 dword [TICKS], 51, "51 timer interrupts taken with HLT"
	CHK8 byte [ISRVAL], 0x01, "ISR bit 0 set inside the IRQ0 handler"
	mov eax, [T_LAST]
	sub eax, [T_FIRST]
	sub eax, EXPECT_50 - SLACK
	cmp eax, 2 * SLACK
	PASSIF b, "50 periods of 11932 PIT clocks take 0.5 s of virtual time"

	; a latched count lies within the period
	mov al, 0x00
	out 0x43, al
	in al, 0x40
	mov ah, al
	in al, 0x40
	xchg al, ah
	dec ax
	cmp ax, PIT_COUNT
	PASSIF b, "latched count within 1..11932"

	; mask IRQ0: the request waits in IRR while time passes
	mov al, 0xFF
	out 0x21, al
	mov ebx, [TICKS]
	sti
	rdtsc
	mov ecx, eax
.spin:	rdtsc
	sub eax, ecx
	cmp eax, 3000000                ; 30 ms
	jb .spin
	CHK32 dword [TICKS], ebx, "masked IRQ0 is not taken"
	mov al, 0x0A                    ; OCW3: read IRR
	out 0x20, al
	in al, 0x20
	and al, 0x01
	CHK8 al, 0x01, "masked IRQ0 waits in IRR"
	mov al, 0xFE
	out 0x21, al
	nop
	nop
	cli
	inc ebx
	CHK32 dword [TICKS], ebx, "unmasking takes the waiting IRQ0 at once"

	; channel 2, mode 3, count 100, gate on: OUT2 toggles in port 61h
	mov al, 0xB6
	out 0x43, al
	mov al, 100
	out 0x42, al
	mov al, 0
	out 0x42, al
	in al, 0x61
	or al, 0x01
	out 0x61, al
	mov byte [SEEN], 0
	mov ecx, 2000
.poll:	in al, 0x61
	and al, 0x20
	shr al, 5
	inc al                          ; 1 low seen, 2 high seen
	or [SEEN], al
	dec ecx
	jnz .poll
	CHK8 byte [SEEN], 3, "OUT2 seen both low and high in port 61h"
	in al, 0x61
	and al, 0xFE
	out 0x61, al
	in al, 0x61
	and al, 0x21
	CHK8 al, 0x20, "gate 2 low: OUT2 high"
	FINISH

irq0_handler:
	push eax
	push edx
	inc dword [TICKS]
	cmp dword [TICKS], 1
	jne .notfirst
	mov al, 0x0B                    ; OCW3: read ISR
	out 0x20, al
	in al, 0x20
	mov [ISRVAL], al
	rdtsc
	mov [T_FIRST], eax
.notfirst:
	cmp dword [TICKS], 51
	jne .eoi
	rdtsc
	mov [T_LAST], eax
.eoi:	mov al, 0x20
	out 0x20, al
	pop edx
	pop eax
	iret

	LIB_ALL
	LIB_GDT
