; rtc.asm - the MC146818 RTC end to end, in real mode: status registers,
; a time read between updates (UIP) in BCD, setting the clock with SET,
; the periodic interrupt at 1024 Hz on IRQ8 through the cascaded PIC
; (register C read in the handler), 1024 of them taking one second of
; virtual time, and the clock rolling over midnight while they run.
%include "lib.inc"

%define TICKS   SCRATCH + 0x100
%define T_FIRST SCRATCH + 0x104
%define T_LAST  SCRATCH + 0x108
%define CFLAGS  SCRATCH + 0x10C
%define SLACK 200

%macro CMOS_RD 1
	mov al, %1
	out 0x70, al
	in al, 0x71
%endmacro
%macro CMOS_WR 2
	mov al, %1
	out 0x70, al
	mov al, %2
	out 0x71, al
%endmacro

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	mov word [0x28*4], irq8_handler
	mov word [0x28*4+2], 0
	mov dword [TICKS], 0
	mov dword [CFLAGS], 0

	CMOS_RD 0x0D
	CHK8 al, 0x80, "register D: valid RAM and time"
	CMOS_RD 0x0A
	and al, 0x7F
	CHK8 al, 0x26, "register A: 32.768 kHz, 1024 Hz rate"
	CMOS_RD 0x0B
	CHK8 al, 0x02, "register B: 24-hour BCD"
	CMOS_RD 0x0C
	CHK8 al, 0x00, "register C: nothing pending"

	; read the seconds outside an update
.uip:	CMOS_RD 0x0A
	test al, 0x80
	jnz .uip
	CMOS_RD 0x00
	mov bl, al
	and bl, 0x0F
	cmp bl, 10
	PASSIF b, "seconds: low BCD digit"
	shr al, 4
	cmp al, 6
	PASSIF b, "seconds: high BCD digit"
	CMOS_RD 0x08
	dec al
	cmp al, 0x12
	PASSIF b, "month 01-12"

	; set 23:59:58 with SET held
	CMOS_WR 0x0B, 0x82
	CMOS_WR 0x04, 0x23
	CMOS_WR 0x02, 0x59
	CMOS_WR 0x00, 0x58
	CMOS_RD 0x00
	CHK8 al, 0x58, "seconds written with SET"

	; PIC: vectors 20h/28h, only IRQ2 (cascade) and IRQ8 unmasked
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
	mov al, 0xFB
	out 0x21, al
	mov al, 0xFE
	out 0xA1, al

	CMOS_WR 0x0B, 0x42              ; PIE, 24-hour, BCD; SET off
	sti
.wait:	hlt
	cmp dword [TICKS], 1025
	jb .wait
	cli
	CHK32 dword [TICKS], 1025, "1025 periodic interrupts"
	mov eax, [CFLAGS]
	and eax, 0xC0
	CHK32 eax, 0xC0, "register C had IRQF and PF"
	mov eax, [T_LAST]
	sub eax, [T_FIRST]
	sub eax, 100000000 - SLACK
	cmp eax, 2 * SLACK
	PASSIF b, "1024 periods at 1024 Hz take one second"
	CMOS_RD 0x00
	cmp al, 0x58
	PASSIF ne, "the seconds moved on"
	; two more seconds: past midnight
	mov dword [TICKS], 0
	sti
.wait2:	hlt
	cmp dword [TICKS], 2048
	jb .wait2
	cli
	CMOS_RD 0x04
	CHK8 al, 0x00, "hours rolled over to 00"
	CMOS_RD 0x02
	CHK8 al, 0x00, "minutes rolled over to 00"
	CMOS_WR 0x0B, 0x02
	CMOS_RD 0x0C
	FINISH

irq8_handler:
	push eax
	push edx
	mov al, 0x0C                    ; reading C acknowledges the RTC
	out 0x70, al
	in al, 0x71
	or [CFLAGS], al
	inc dword [TICKS]
	cmp dword [TICKS], 1
	jne .notfirst
	rdtsc
	mov [T_FIRST], eax
.notfirst:
	cmp dword [TICKS], 1025
	jne .eoi
	rdtsc
	mov [T_LAST], eax
.eoi:	mov al, 0x20
	out 0xA0, al
	out 0x20, al
	pop edx
	pop eax
	iret

	LIB_ALL
	LIB_GDT
