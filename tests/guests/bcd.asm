; bcd.asm - DAA DAS AAA AAS AAM AAD (incl. the immediate base forms and
; AAM 0 -> #DE as a fault).  Only SDM-defined flags are checked.  Runs in
; real mode and in 32-bit protected mode.
%include "lib.inc"

%define SZPCA (F_SF|F_ZF|F_PF|F_CF|F_AF)
%define SZP (F_SF|F_ZF|F_PF)

%macro BODY 0
	; ---- DAA ----
	mov al, 0x15
	add al, 0x27
	daa
	CHK8 al, 0x42, "daa 15+27"
	CHKF SZPCA, F_AF|F_PF, "daa 15+27"
	mov al, 0x99
	add al, 0x01
	daa
	CHK8 al, 0x00, "daa 99+01"
	CHKF SZPCA, F_CF|F_AF|F_ZF|F_PF, "daa 99+01"
	mov al, 0x58
	add al, 0x58
	daa
	CHK8 al, 0x16, "daa 58+58"
	CHKF SZPCA, F_CF|F_AF, "daa 58+58"
	mov al, 0x12
	SETF 0
	daa
	CHK8 al, 0x12, "daa already valid"
	CHKF F_CF|F_AF, 0, "daa already valid"
	; ---- DAS ----
	mov al, 0x42
	sub al, 0x15
	das
	CHK8 al, 0x27, "das 42-15"
	CHKF SZPCA, F_AF|F_PF, "das 42-15"
	mov al, 0x10
	sub al, 0x20
	das
	CHK8 al, 0x90, "das 10-20 (borrow)"
	CHKF SZPCA, F_CF|F_SF|F_PF, "das 10-20 (borrow)"
	; ---- AAA ----
	mov ax, 0x0009
	add al, 8
	aaa
	CHK16 ax, 0x0107, "aaa 9+8"
	CHKF F_CF|F_AF, F_CF|F_AF, "aaa 9+8"
	mov ax, 0x0005
	add al, 3
	aaa
	CHK16 ax, 0x0008, "aaa 5+3"
	CHKF F_CF|F_AF, 0, "aaa 5+3"
	mov ax, 0x003B
	SETF 0
	aaa
	CHK16 ax, 0x0101, "aaa low nibble b"
	; ---- AAS ----
	mov ax, 0x0203
	sub al, 5
	aas
	CHK16 ax, 0x0108, "aas 23-5"
	CHKF F_CF|F_AF, F_CF|F_AF, "aas 23-5"
	mov ax, 0x0307
	sub al, 2
	aas
	CHK16 ax, 0x0305, "aas 7-2"
	CHKF F_CF|F_AF, 0, "aas 7-2"
	; ---- AAM ----
	mov ax, 0xFF4F
	aam
	CHK16 ax, 0x0709, "aam 79"
	CHKF SZP, F_PF, "aam 79"
	mov ax, 0x004F
	aam 16
	CHK16 ax, 0x040F, "aam 16"
	mov al, 0
	aam
	CHKF SZP, F_ZF|F_PF, "aam 0 value -> ZF"
	mov ax, 0x1234
	TRY FAULT, 0, -1, "aam 0 divides by zero", aam 0
	CHK16 ax, 0x1234, "aam 0 leaves ax"
	; ---- AAD ----
	mov ax, 0x0709
	aad
	CHK16 ax, 0x004F, "aad 0709"
	CHKF SZP, 0, "aad 0709"
	mov ax, 0x040F
	aad 16
	CHK16 ax, 0x004F, "aad 16"
	mov ax, 0x1919
	aad
	CHK16 ax, 0x0013, "aad wraps to 8 bits"
	mov ax, 0x0A00
	aad 0x1A
	CHK16 ax, 0x0004, "aad 1a (0a*1a = 104h)"
	CHKF SZP, 0, "aad 1a"
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
