; shift.asm - SHL SHR SAR ROL ROR RCL RCR by 1, by CL and by imm8, with
; count 0 (flags untouched), counts masked to 5 bits, counts larger than
; the operand; SHLD/SHRD.  Only flags the SDM defines for the given count
; are checked (OF only for count 1, AF never, CF not for SHL/SHR counts
; >= the operand size).  Runs in real mode and in 32-bit protected mode.
%include "lib.inc"

%define SZPC (F_SF|F_ZF|F_PF|F_CF)
%define SZPCO (F_SF|F_ZF|F_PF|F_CF|F_OF)

; SH chk, reg, op, a, count, flags_in, result, flags_out, mask, "desc"
; (count may be "cl": CL is loaded from CNT beforehand)
%macro SH 10
	mov %2, %4
	SETF %6
	%3 %2, %5
	%1 %2, %7, %10
	CHKF %9, %8, %10
%endmacro

%macro BODY 0
	; ---- SHL ----
	SH CHK8, al, shl, 0x81, 1, 0, 0x02, F_CF|F_OF, SZPCO, "shl8 81,1"
	mov cl, 4
	SH CHK16, ax, shl, 0x1234, cl, 0, 0x2340, F_CF, SZPC, "shl16 1234,cl=4"
	SH CHK32, eax, shl, 3, 31, 0, 0x80000000, F_CF|F_SF|F_PF, SZPC, "shl32 3,31"
	SH CHK32, ebx, shl, 0x40000000, 33, 0, 0x80000000, F_SF|F_PF|F_OF, SZPCO, "shl32 count 33 masked to 1"
	mov cl, 0
	SH CHK8, dl, shl, 0x7F, cl, ARITH, 0x7F, ARITH, ARITH, "shl8 count 0 keeps flags"
	mov cl, 9
	SH CHK8, al, shl, 0xFF, cl, 0, 0x00, F_ZF|F_PF, F_SF|F_ZF|F_PF, "shl8 count 9 > size"
	mov cl, 32
	SH CHK32, eax, shl, 0x12345678, cl, F_CF|F_ZF, 0x12345678, F_CF|F_ZF, ARITH, "shl32 count 32 masked to 0"
	mov cl, 17
	SH CHK16, ax, shl, 0xFFFF, cl, 0, 0, F_ZF|F_PF, F_SF|F_ZF|F_PF, "shl16 count 17 > size"
	; ---- SHR ----
	SH CHK8, al, shr, 0x81, 1, 0, 0x40, F_CF|F_OF, SZPCO, "shr8 81,1 (OF=old MSB)"
	SH CHK16, si, shr, 0x8000, 8, 0, 0x0080, 0, SZPC, "shr16 8000,8"
	mov cl, 31
	SH CHK32, eax, shr, 0xC0000000, cl, 0, 1, F_CF, SZPC, "shr32 c0000000,cl=31"
	mov byte [SCRATCH], 0x03
	SETF 0
	shr byte [SCRATCH], 2
	CHK8 byte [SCRATCH], 0, "shr8 mem,2"
	CHKF SZPC, F_CF|F_ZF|F_PF, "shr8 mem,2"
	; ---- SAR ----
	SH CHK8, al, sar, 0x81, 1, F_OF, 0xC0, F_CF|F_SF|F_PF, SZPCO, "sar8 81,1 (OF=0)"
	SH CHK32, eax, sar, 0x80000010, 4, 0, 0xF8000001, F_SF, SZPC, "sar32 80000010,4"
	mov cl, 10
	SH CHK8, al, sar, 0x80, cl, 0, 0xFF, F_SF|F_PF, F_SF|F_ZF|F_PF, "sar8 count 10 > size"
	mov word [SCRATCH], 3
	SETF 0
	sar word [SCRATCH], 1
	CHK16 word [SCRATCH], 1, "sar16 mem,1"
	CHKF SZPCO, F_CF, "sar16 mem,1"
	mov cl, 0x3F
	SH CHK32, edx, sar, 0x80000000, cl, 0, 0xFFFFFFFF, F_SF|F_PF, SZPC, "sar32 count 63 masked to 31"
	; ---- ROL / ROR (CF, OF only) ----
	SH CHK8, al, rol, 0x81, 1, 0, 0x03, F_CF|F_OF, F_CF|F_OF, "rol8 81,1"
	SH CHK16, ax, rol, 0x1234, 4, F_CF, 0x2341, F_CF, F_CF, "rol16 1234,4"
	mov cl, 36
	SH CHK32, eax, rol, 0x12345678, cl, 0, 0x23456781, F_CF, F_CF, "rol32 count 36 masked to 4"
	mov cl, 8
	SH CHK8, al, rol, 0x01, cl, 0, 0x01, F_CF, F_CF, "rol8 by 8: value kept, CF=LSB"
	mov cl, 0
	SH CHK8, al, rol, 0x80, cl, F_OF|F_SF, 0x80, F_OF|F_SF, ARITH, "rol8 count 0 keeps flags"
	SH CHK8, bl, ror, 0x01, 1, 0, 0x80, F_CF|F_OF, F_CF|F_OF, "ror8 01,1"
	SH CHK32, eax, ror, 0x12345678, 8, F_CF, 0x78123456, 0, F_CF, "ror32 8"
	mov cl, 20
	SH CHK16, ax, ror, 0x1234, cl, F_CF, 0x4123, 0, F_CF, "ror16 count 20 (mod 16 = 4)"
	SH CHK16, ax, ror, 0x8001, 1, 0, 0xC000, F_CF, F_CF|F_OF, "ror16 8001,1 (OF=0)"
	; ---- RCL / RCR ----
	SH CHK8, al, rcl, 0x80, 1, F_CF, 0x01, F_CF|F_OF, F_CF|F_OF, "rcl8 80,1 CF=1"
	mov cl, 9
	SH CHK8, al, rcl, 0x55, cl, F_CF, 0x55, F_CF, F_CF, "rcl8 count 9 (mod 9 = 0)"
	SH CHK16, ax, rcl, 0x1234, 4, F_CF, 0x2348, F_CF, F_CF, "rcl16 1234,4 CF=1"
	SH CHK32, eax, rcl, 0x80000000, 1, 0, 0, F_CF|F_OF, F_CF|F_OF, "rcl32 80000000,1"
	mov cl, 10
	SH CHK8, al, rcl, 0x01, cl, 0, 0x02, 0, F_CF, "rcl8 count 10 (mod 9 = 1)"
	SH CHK8, al, rcr, 0x01, 1, F_CF, 0x80, F_CF|F_OF, F_CF|F_OF, "rcr8 01,1 CF=1"
	mov cl, 17
	SH CHK16, ax, rcr, 0x1234, cl, 0, 0x1234, 0, F_CF, "rcr16 count 17 (mod 17 = 0)"
	SH CHK32, eax, rcr, 0x12345678, 8, 0, 0xF0123456, 0, F_CF, "rcr32 8"
	SH CHK32, eax, rcr, 0x12345678, 8, F_CF, 0xF1123456, 0, F_CF, "rcr32 8 CF=1"
	mov dword [SCRATCH], 1
	SETF 0
	rcr dword [SCRATCH], 1
	rcr dword [SCRATCH], 1
	CHK32 dword [SCRATCH], 0x80000000, "rcr32 mem twice"
	CHKF F_CF, 0, "rcr32 mem twice"
	; ---- SHLD / SHRD ----
	mov ebx, 0x9ABCDEF0
	SH CHK32, eax, shld, 0x12345678, {ebx, 8}, 0, 0x3456789A, F_PF, SZPC, "shld32 8"
	mov bx, 0xABCD
	mov cl, 4
	SH CHK16, ax, shld, 0x1234, {bx, cl}, 0, 0x234A, F_CF, SZPC, "shld16 cl=4"
	mov ebx, 0x9ABCDEF0
	SH CHK32, eax, shrd, 0x12345678, {ebx, 4}, 0, 0x01234567, F_CF, SZPC, "shrd32 4"
	mov ebx, 1
	SH CHK32, eax, shrd, 1, {ebx, 1}, 0, 0x80000000, F_CF|F_OF|F_SF|F_PF, SZPCO, "shrd32 1 (OF on sign change)"
	mov cl, 0
	SH CHK32, eax, shld, 0x11111111, {ebx, cl}, ARITH, 0x11111111, ARITH, ARITH, "shld32 count 0 keeps flags"
	mov ebx, 0xFFFFFFFF
	mov cl, 36
	SH CHK32, edx, shld, 0x80000001, {ebx, cl}, 0, 0x0000001F, 0, SZPC, "shld32 count 36 masked to 4"
	mov dword [SCRATCH], 0x0000ABCD
	mov ebx, 0x12345678
	SETF 0
	shrd [SCRATCH], ebx, 16
	CHK32 dword [SCRATCH], 0x56780000, "shrd32 mem,reg,16"
	CHKF SZPC, F_CF|F_PF, "shrd32 mem,reg,16"
	mov word [SCRATCH], 0x8000
	mov dx, 0x0001
	mov cl, 1
	SETF 0
	shrd [SCRATCH], dx, cl
	CHK16 word [SCRATCH], 0xC000, "shrd16 mem,reg,cl=1"
	CHKF SZPCO, F_SF|F_PF, "shrd16 mem,reg,cl=1"
%endmacro

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	BODY
	ENTER_PM
	BODY
	FINISH

	LIB_ALL
	LIB_GDT
