; x87.asm - the x87 FPU in real and protected mode: CPUID's FPU and FXSR
; bits, FNINIT state, loads, stores and arithmetic with known results,
; rounding control, compares into C0-C3 and EFLAGS, the FNSTENV layouts,
; FSAVE/FRSTOR and FXSAVE/FXRSTOR round trips, #NM with CR0.EM and CR0.TS
; (and WAIT with MP and TS), #MF for an unmasked exception with CR0.NE,
; and FXSAVE's #GP for a misaligned operand or FXRSTOR's for a reserved
; MXCSR bit.
%include "lib.inc"

%define BUF      0x2000         ; 16-byte aligned scratch for FSAVE/FXSAVE
%define CR0_MP   0x02
%define CR0_EM   0x04
%define CR0_TS   0x08
%define CR0_NE   0x20

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	; ---- CPUID ----
	mov eax, 1
	cpuid
	and edx, 0x01000001
	CHK32 edx, 0x01000001, "cpuid.1: EDX.FPU and EDX.FXSR"
	; ---- FNINIT state ----
	fninit
	fnstcw [SCRATCH]
	CHK16 word [SCRATCH], 0x037F, "fninit: FCW 037Fh"
	fnstsw ax
	CHK16 ax, 0, "fninit: FSW 0"
	fnstenv [SCRATCH]
	CHK16 word [SCRATCH+4], 0xFFFF, "fninit: tag word all empty"
	; ---- arithmetic with known results ----
	fld1
	fld1
	faddp st1, st0
	fistp dword [SCRATCH]
	CHK32 dword [SCRATCH], 2, "1 + 1 = 2"
	fldpi
	fstp qword [SCRATCH]
	CHK32 dword [SCRATCH], 0x54442D18, "fldpi as binary64, low"
	CHK32 dword [SCRATCH+4], 0x400921FB, "fldpi as binary64, high"
	mov dword [SCRATCH], 2
	fild dword [SCRATCH]
	fsqrt
	fstp qword [SCRATCH]
	CHK32 dword [SCRATCH], 0x667F3BCD, "sqrt(2) as binary64, low"
	CHK32 dword [SCRATCH+4], 0x3FF6A09E, "sqrt(2) as binary64, high"
	mov dword [SCRATCH], 7
	mov dword [SCRATCH+4], 2
	fild dword [SCRATCH]
	fidiv dword [SCRATCH+4]
	fist dword [SCRATCH+8]
	CHK32 dword [SCRATCH+8], 4, "fist 3.5, round to nearest even: 4"
	fnstcw [SCRATCH+12]
	or word [SCRATCH+12], 0x0C00
	fldcw [SCRATCH+12]
	fistp dword [SCRATCH+8]
	CHK32 dword [SCRATCH+8], 3, "fistp 3.5, chop: 3"
	fninit
	fld1
	fld dword [three]
	fdivp st1, st0
	fstp dword [SCRATCH]
	CHK32 dword [SCRATCH], 0x3EAAAAAB, "1/3 as binary32"
	; ---- compares ----
	fld1
	fld dword [three]
	fcom st1                        ; 3 > 1
	fnstsw ax
	and ax, 0x4500
	CHK16 ax, 0, "fcom 3 > 1: C3 C2 C0 clear"
	fxch
	fcomi st0, st1                  ; 1 < 3
	PASSIF b, "fcomi 1 < 3: CF"
	fcompp
	fnstsw ax
	and ax, 0x4500
	CHK16 ax, 0x0100, "fcompp 1 < 3: C0"
	fldz
	ftst
	fnstsw ax
	and ax, 0x4500
	CHK16 ax, 0x4000, "ftst 0: C3"
	fxam
	fnstsw ax
	and ax, 0x4700
	CHK16 ax, 0x4000, "fxam +0: C3 (zero)"
	fstp st0
	fxam
	fnstsw ax
	and ax, 0x4500
	CHK16 ax, 0x4100, "fxam empty: C3 C0"
	; ---- FNSTENV in real mode, 16-bit layout ----
	fninit
fld1_site:
	fld1
	fnstenv [SCRATCH]
	CHK16 word [SCRATCH], 0x037F, "fnstenv (real, 16-bit): FCW"
	CHK16 word [SCRATCH+2], 0x3800, "fnstenv: FSW with TOP 7"
	CHK16 word [SCRATCH+4], 0x3FFF, "fnstenv: tag of ST0 valid, rest empty"
	CHK16 word [SCRATCH+6], fld1_site, "fnstenv: IP of the last FPU instruction"
	mov ax, [SCRATCH+8]
	and ax, 0x07FF
	CHK16 ax, 0x01E8, "fnstenv: opcode D9 E8 (fld1)"
	fnstcw [SCRATCH]
	CHK16 word [SCRATCH], 0x037F, "fnstenv masks exceptions (already masked)"
	; ---- #NM ----
	mov eax, cr0
	or eax, CR0_EM
	mov cr0, eax
	TRY FAULT, 7, -1, "CR0.EM: fld1 raises #NM", fld1
	NOFAULT "CR0.EM only: wait does not fault", wait
	mov eax, cr0
	and eax, ~CR0_EM
	or eax, CR0_TS
	mov cr0, eax
	TRY FAULT, 7, -1, "CR0.TS: fadd raises #NM", fadd st0, st1
	NOFAULT "CR0.TS without MP: wait does not fault", wait
	mov eax, cr0
	or eax, CR0_MP
	mov cr0, eax
	TRY FAULT, 7, -1, "CR0.TS and MP: wait raises #NM", wait
	clts
	NOFAULT "clts: fld1 runs", fld1
	; ---- #MF (real mode) ----
	mov eax, cr0
	or eax, CR0_NE
	mov cr0, eax
	fninit
	mov word [SCRATCH], 0x037B      ; ZE unmasked
	fldcw [SCRATCH]
	fld1
	fldz
	NOFAULT "1/0 with ZE unmasked: the division itself does not fault", fdivp st1, st0
	fnstsw ax
	and ax, 0x8085
	CHK16 ax, 0x8084, "FSW: ZE, ES and B set, no IE"
	TRY FAULT, 16, -1, "next waiting instruction: #MF", fwait
	TRY FAULT, 16, -1, "still pending: fld1 raises #MF", fld1
	fnclex
	NOFAULT "after fnclex: fwait runs", fwait
	fninit

	ENTER_PM
	; ---- protected mode ----
	fninit
	fld1
	fldl2t
	fnstenv [SCRATCH]
	CHK16 word [SCRATCH], 0x037F, "fnstenv (pm, 32-bit): FCW"
	CHK16 word [SCRATCH+4], 0x3000, "fnstenv: FSW with TOP 6"
	CHK16 word [SCRATCH+8], 0x0FFF, "fnstenv: tags of ST0, ST1 valid"
	CHK16 word [SCRATCH+16], SEL_CODE32, "fnstenv: FCS"
	mov eax, [SCRATCH+16]
	shr eax, 16
	CHK32 eax, 0x01E9, "fnstenv: opcode D9 E9 (fldl2t)"
	; FSAVE / FRSTOR round trip
	fsave [BUF]
	fnstsw ax
	CHK16 ax, 0, "fsave reinitializes: FSW 0"
	fldz
	frstor [BUF]
	fnstsw ax
	CHK16 ax, 0x3000, "frstor: TOP 6 again"
	fistp dword [SCRATCH]
	CHK32 dword [SCRATCH], 3, "frstor: ST0 = log2(10), rounds to 3"
	fistp dword [SCRATCH]
	CHK32 dword [SCRATCH], 1, "frstor: ST1 = 1"
	; FXSAVE / FXRSTOR
	fninit
	fld1
	fxsave [BUF]
	CHK16 word [BUF], 0x037F, "fxsave: FCW"
	CHK16 word [BUF+2], 0x3800, "fxsave: FSW"
	CHK8 byte [BUF+4], 0x80, "fxsave: abridged tag, register 7 valid"
	CHK32 dword [BUF+24], 0x1F80, "fxsave: MXCSR"
	CHK32 dword [BUF+28], 0xFFFF, "fxsave: MXCSR_MASK"
	CHK32 dword [BUF+36], 0x80000000, "fxsave: ST0 significand, high"
	CHK16 word [BUF+40], 0x3FFF, "fxsave: ST0 exponent"
	fninit
	fxrstor [BUF]
	fistp dword [SCRATCH]
	CHK32 dword [SCRATCH], 1, "fxrstor: ST0 = 1 back"
	TRY FAULT, 13, 0, "fxsave misaligned: #GP(0)", fxsave [BUF+8]
	or dword [BUF+24], 0x10000
	TRY FAULT, 13, 0, "fxrstor with a reserved MXCSR bit: #GP(0)", fxrstor [BUF]
	; #MF (protected mode)
	fninit
	mov word [SCRATCH], 0x037E      ; IE unmasked
	fldcw [SCRATCH]
	fld1
	fchs
fsqrt_site:
	fsqrt                           ; IE unmasked: pending, no fault yet
	fnstsw ax
	and ax, 0x0081
	CHK16 ax, 0x0081, "FSW: IE and ES"
	fnstenv [SCRATCH]
	CHK32 dword [SCRATCH+12], fsqrt_site, "FIP: the faulting fsqrt"
	fldcw [SCRATCH]                 ; restore the masks fnstenv set
	TRY FAULT, 16, -1, "pm: next waiting instruction raises #MF", fld1
	fnstsw ax
	and ax, 0x3800
	CHK16 ax, 0x3800, "#MF: the faulting fld1 did not push"
	fninit
	NOFAULT "fninit clears it", fwait
	FINISH

three:	dd 3.0

	LIB_ALL
	LIB_GDT
