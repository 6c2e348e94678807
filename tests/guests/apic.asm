; apic.asm - the local APIC and the I/O APIC end to end, in 32-bit
; protected mode with the 8259As masked: the version register, a
; self-IPI through the ICR and the TPR holding it back, the APIC timer in
; periodic mode (twenty 1 ms periods measured with RDTSC), and the PIT's
; IRQ0 routed through I/O APIC pin 2 to a vector of its own at 100 Hz.
%include "lib.inc"

%define LAPIC   0xFEE00000
%define IOAPIC  0xFEC00000
%define TICKS   SCRATCH + 0x100
%define T_FIRST SCRATCH + 0x104
%define T_LAST  SCRATCH + 0x108
%define FLAG    SCRATCH + 0x10C
%define SLACK 300

%define V_TIMER 0x40
%define V_PIT   0x50
%define V_IPI   0x60
%define V_SPUR  0xFF

org 0x7C00
bits 16
	RM_START
	; both 8259As initialized and fully masked
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
	mov al, 0xFF
	out 0x21, al
	out 0xA1, al
	ENTER_PM
	mov eax, V_TIMER
	mov ebx, timer_isr
	mov cl, 0x8E
	mov dx, SEL_CODE32
	call pm_set_gate
	mov eax, V_PIT
	mov ebx, timer_isr
	call pm_set_gate
	mov eax, V_IPI
	mov ebx, ipi_isr
	call pm_set_gate
	mov eax, V_SPUR
	mov ebx, spurious_isr
	call pm_set_gate

	mov eax, [LAPIC + 0x30]
	CHK32 eax, 0x00050014, "local APIC version"
	mov dword [LAPIC + 0xF0], 0x100 | V_SPUR  ; software enable
	mov eax, [LAPIC + 0xF0]
	CHK32 eax, 0x1FF, "spurious-vector register"

	; self-IPI, first held back by the TPR
	mov dword [FLAG], 0
	mov dword [LAPIC + 0x80], 0x70
	sti
	mov dword [LAPIC + 0x300], 0x40000 | V_IPI
	nop
	nop
	CHK32 dword [FLAG], 0, "TPR 70h holds back vector 60h"
	mov eax, [LAPIC + 0x200 + 0x30]           ; IRR 60h-7Fh
	and eax, 1
	CHK32 eax, 1, "vector 60h waits in IRR"
	mov dword [LAPIC + 0x80], 0
	; The interpreter looks for interrupts where a decoded block ends;
	; an MMIO write does not end one (yet), a jump does.
	jmp .tpr_done
.tpr_done:
	CHK32 dword [FLAG], 1, "TPR 0: the self-IPI is taken"
	cli

	; the APIC timer: divide by 1, 100000 counts = 1 ms, periodic
	mov dword [TICKS], 0
	mov dword [LAPIC + 0x3E0], 0x0B
	mov dword [LAPIC + 0x320], 0x20000 | V_TIMER
	mov dword [LAPIC + 0x380], 100000
	sti
.wait:	hlt
	cmp dword [TICKS], 21
	jb .wait
	cli
	mov dword [LAPIC + 0x380], 0
	mov dword [LAPIC + 0x320], 0x10000 | V_TIMER
	CHK32 dword [TICKS], 21, "21 APIC timer interrupts"
	mov eax, [T_LAST]
	sub eax, [T_FIRST]
	sub eax, 2000000 - SLACK
	cmp eax, 2 * SLACK
	PASSIF b, "20 periods of 1 ms take 2000000 cycles"

	; the I/O APIC
	mov dword [IOAPIC], 1
	mov eax, [IOAPIC + 0x10]
	CHK32 eax, 0x00170011, "I/O APIC version: 24 entries"
	mov dword [IOAPIC], 0x15                  ; pin 2, high dword
	mov dword [IOAPIC + 0x10], 0              ; destination APIC 0
	mov dword [IOAPIC], 0x14                  ; pin 2: ISA IRQ0
	mov dword [IOAPIC + 0x10], V_PIT          ; fixed, edge, high
	mov eax, [IOAPIC + 0x10]
	CHK32 eax, V_PIT, "redirection entry reads back"
	mov dword [TICKS], 0
	mov al, 0x34
	out 0x43, al
	mov ax, 11932
	out 0x40, al
	mov al, ah
	out 0x40, al
	sti
.wait2:	hlt
	cmp dword [TICKS], 11
	jb .wait2
	cli
	CHK32 dword [TICKS], 11, "11 PIT interrupts through I/O APIC pin 2"
	; 10 periods of 11932 PIT clocks: 0.1000015 s, 10000151 cycles
	mov eax, [T_LAST]
	sub eax, [T_FIRST]
	sub eax, 10000151 - SLACK
	cmp eax, 2 * SLACK
	PASSIF b, "10 PIT periods through the I/O APIC take 0.1 s"
	mov dword [IOAPIC], 0x14
	mov dword [IOAPIC + 0x10], 0x10000 | V_PIT
	FINISH

timer_isr:
	push eax
	push edx
	inc dword [TICKS]
	cmp dword [TICKS], 1
	jne .a
	rdtsc
	mov [T_FIRST], eax
.a:	mov eax, [TICKS]
	cmp eax, 11
	je .last
	cmp eax, 21
	jne .eoi
.last:	rdtsc
	mov [T_LAST], eax
.eoi:	mov dword [LAPIC + 0xB0], 0
	pop edx
	pop eax
	iretd

ipi_isr:
	mov dword [FLAG], 1
	mov dword [LAPIC + 0xB0], 0
	iretd

spurious_isr:
	iretd

	LIB_ALL
	LIB_GDT
