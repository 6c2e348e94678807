; alu.asm - ADD ADC SUB SBB CMP AND OR XOR TEST INC DEC NEG NOT with exact
; flags at 8/16/32 bits, register/memory/immediate forms; the same body runs
; in real mode (16-bit code) and in flat 32-bit protected mode.
%include "lib.inc"

; ALU chk, reg, op, a, src, flags_in, result, flags_out, "desc"
%macro ALU 9
	mov %2, %4
	SETF %6
	%3 %2, %5
	%1 %2, %7, %9
	CHKF ARITH, %8, %9
%endmacro
; LOG: same for logic ops (AF undefined)
%macro LOG 9
	mov %2, %4
	SETF %6
	%3 %2, %5
	%1 %2, %7, %9
	CHKF LOGIC, %8, %9
%endmacro
; UN chk, reg, op, a, flags_in, result, flags_out, mask, "desc"
%macro UN 9
	mov %2, %4
	SETF %5
	%3 %2
	%1 %2, %6, %9
	CHKF %8, %7, %9
%endmacro

%macro BODY 0
	; ---- 8 bit ----
	ALU CHK8, al, add, 0x7F, 1, 0, 0x80, F_AF|F_SF|F_OF, "add8 7f+1"
	mov cl, 1
	ALU CHK8, al, add, 0xFF, cl, 0, 0x00, F_CF|F_PF|F_AF|F_ZF, "add8 ff+cl(1)"
	mov ch, 0x80
	ALU CHK8, bl, adc, 0x80, ch, F_CF, 0x01, F_CF|F_OF, "adc8 80+80+1"
	ALU CHK8, dl, sub, 0x00, 1, 0, 0xFF, F_CF|F_PF|F_AF|F_SF, "sub8 0-1"
	ALU CHK8, ah, sub, 0x80, 1, 0, 0x7F, F_AF|F_OF, "sub8 80-1"
	ALU CHK8, al, sbb, 0x10, 0x0F, F_CF, 0x00, F_PF|F_AF|F_ZF, "sbb8 10-0f-1"
	ALU CHK8, al, cmp, 5, 7, 0, 5, F_CF|F_AF|F_SF, "cmp8 5,7"
	LOG CHK8, al, and, 0xF0, 0x3C, F_CF|F_OF, 0x30, F_PF, "and8 f0&3c"
	LOG CHK8, bh, or, 0x80, 0x01, F_CF, 0x81, F_PF|F_SF, "or8 80|01"
	LOG CHK8, al, xor, 0x5A, 0x5A, F_CF|F_OF, 0x00, F_PF|F_ZF, "xor8 same"
	LOG CHK8, al, test, 0x80, 0x80, F_CF|F_OF, 0x80, F_SF, "test8 80,80"
	UN CHK8, al, inc, 0xFF, F_CF, 0x00, F_CF|F_PF|F_AF|F_ZF, ARITH, "inc8 ff (CF kept)"
	UN CHK8, cl, dec, 0x80, 0, 0x7F, F_AF|F_OF, ARITH, "dec8 80"
	UN CHK8, al, neg, 0, F_CF, 0, F_PF|F_ZF, ARITH, "neg8 0"
	UN CHK8, al, neg, 0x80, 0, 0x80, F_CF|F_SF|F_OF, ARITH, "neg8 80"
	UN CHK8, dh, neg, 1, 0, 0xFF, F_CF|F_PF|F_AF|F_SF, ARITH, "neg8 1"
	UN CHK8, al, not, 0x5A, ARITH, 0xA5, ARITH, ARITH, "not8 keeps flags"
	; memory destination / source, 8 bit
	mov byte [SCRATCH], 0x99
	SETF 0
	add byte [SCRATCH], 0x67
	CHK8 byte [SCRATCH], 0x00, "add8 mem,imm"
	CHKF ARITH, F_CF|F_PF|F_AF|F_ZF, "add8 mem,imm"
	mov al, 3
	SETF F_CF
	sbb al, [SCRATCH]
	CHK8 al, 2, "sbb8 reg,mem"
	CHKF ARITH, 0, "sbb8 reg,mem"

	; ---- 16 bit ----
	ALU CHK16, ax, add, 0x7FFF, 1, 0, 0x8000, F_PF|F_AF|F_SF|F_OF, "add16 7fff+1"
	ALU CHK16, bx, adc, 0xFFFF, 0, F_CF, 0x0000, F_CF|F_PF|F_AF|F_ZF, "adc16 ffff+0+1"
	mov cx, 0x1235
	ALU CHK16, ax, sub, 0x1234, cx, 0, 0xFFFF, F_CF|F_PF|F_AF|F_SF, "sub16 1234-1235"
	ALU CHK16, dx, sbb, 0x8000, 0, F_CF, 0x7FFF, F_PF|F_AF|F_OF, "sbb16 8000-0-1"
	ALU CHK16, ax, cmp, 0x8000, 1, 0, 0x8000, F_PF|F_AF|F_OF, "cmp16 8000,1"
	LOG CHK16, ax, and, 0xFF00, 0x0FF0, 0, 0x0F00, F_PF, "and16"
	LOG CHK16, si, or, 0, 0, F_CF, 0, F_PF|F_ZF, "or16 0|0"
	LOG CHK16, ax, xor, 0xAAAA, 0x5555, 0, 0xFFFF, F_PF|F_SF, "xor16"
	LOG CHK16, di, test, 0x0100, 0x0100, 0, 0x0100, F_PF, "test16 (PF from low byte)"
	UN CHK16, ax, inc, 0x7FFF, 0, 0x8000, F_PF|F_AF|F_SF|F_OF, ARITH, "inc16 7fff"
	UN CHK16, bp, dec, 0, F_CF, 0xFFFF, F_CF|F_PF|F_AF|F_SF, ARITH, "dec16 0 (CF kept)"
	UN CHK16, ax, neg, 0x8000, 0, 0x8000, F_CF|F_PF|F_SF|F_OF, ARITH, "neg16 8000"
	UN CHK16, ax, not, 0x1234, F_SF|F_OF, 0xEDCB, F_SF|F_OF, ARITH, "not16 keeps flags"
	; sign-extended imm8 (opcode 83) and memory forms
	mov word [SCRATCH], 0x0010
	SETF 0
	sub word [SCRATCH], byte -16
	CHK16 word [SCRATCH], 0x0020, "sub16 mem,simm8(-16)"
	CHKF ARITH, F_CF, "sub16 mem,simm8(-16)"
	mov ax, 0x0F0F
	SETF 0
	and [SCRATCH], ax
	CHK16 word [SCRATCH], 0x0000, "and16 mem,reg"
	CHKF LOGIC, F_PF|F_ZF, "and16 mem,reg"

	; ---- 32 bit ----
	ALU CHK32, eax, add, 0xFFFFFFFF, 0xFFFFFFFF, 0, 0xFFFFFFFE, F_CF|F_AF|F_SF, "add32 ffffffff+ffffffff"
	mov ecx, 0x7FFFFFFF
	ALU CHK32, edx, add, 0x7FFFFFFF, ecx, 0, 0xFFFFFFFE, F_AF|F_SF|F_OF, "add32 7fffffff*2"
	ALU CHK32, eax, adc, 0, 0xFFFFFFFF, F_CF, 0, F_CF|F_PF|F_AF|F_ZF, "adc32 0+ffffffff+1"
	ALU CHK32, ebx, sub, 0, 0x80000000, 0, 0x80000000, F_CF|F_PF|F_SF|F_OF, "sub32 0-80000000"
	ALU CHK32, eax, sbb, 5, 3, F_CF, 1, 0, "sbb32 5-3-1"
	ALU CHK32, eax, cmp, 0xFFFFFFFF, byte -1, F_CF, 0xFFFFFFFF, F_PF|F_ZF, "cmp32 -1,-1"
	LOG CHK32, eax, and, 0x80000000, 0xFFFFFFFF, 0, 0x80000000, F_PF|F_SF, "and32"
	LOG CHK32, esi, or, 0x12345678, 0x87654321, 0, 0x97755779, F_SF, "or32"
	LOG CHK32, eax, xor, 0xFFFFFFFF, 0x0F0F0F0F, 0, 0xF0F0F0F0, F_PF|F_SF, "xor32"
	LOG CHK32, edi, test, 0, 0, F_CF|F_OF, 0, F_PF|F_ZF, "test32 0,0"
	UN CHK32, eax, inc, 0xFFFFFFFF, 0, 0, F_PF|F_AF|F_ZF, ARITH, "inc32 ffffffff"
	UN CHK32, ebx, dec, 1, F_CF, 0, F_CF|F_PF|F_ZF, ARITH, "dec32 1 (CF kept)"
	UN CHK32, eax, neg, 5, 0, 0xFFFFFFFB, F_CF|F_AF|F_SF, ARITH, "neg32 5"
	UN CHK32, eax, not, 0, F_CF|F_ZF, 0xFFFFFFFF, F_CF|F_ZF, ARITH, "not32"
	mov dword [SCRATCH], 0xFFFFFFFF
	SETF 0
	inc dword [SCRATCH]
	CHK32 dword [SCRATCH], 0, "inc32 mem"
	CHKF ARITH, F_PF|F_AF|F_ZF, "inc32 mem"
	mov ebx, 0x40000000
	SETF F_CF
	adc [SCRATCH], ebx
	adc [SCRATCH], ebx
	CHK32 dword [SCRATCH], 0x80000001, "adc32 mem,reg twice"
	CHKF ARITH, F_SF|F_OF, "adc32 mem,reg twice"
	mov dword [SCRATCH], 0x80000000
	SETF 0
	neg dword [SCRATCH]
	CHK32 dword [SCRATCH], 0x80000000, "neg32 mem 80000000"
	CHKF ARITH, F_CF|F_PF|F_SF|F_OF, "neg32 mem 80000000"
	; multi-precision: 64-bit add via add/adc
	mov eax, 0xFFFFFFF0
	mov edx, 0x00000001
	add eax, 0x20
	adc edx, 0
	CHK32 eax, 0x10, "add/adc 64-bit low"
	CHK32 edx, 2, "add/adc 64-bit high"
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
