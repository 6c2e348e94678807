; muldiv.asm - MUL, IMUL (one-, two- and three-operand forms), DIV, IDIV at
; 8/16/32 bits; #DE on divide by zero and on quotient overflow, with the
; saved return address pointing AT the faulting instruction (incl. its
; prefixes) and the destination registers left unchanged.  MUL/IMUL: only
; CF/OF are defined; DIV/IDIV flags are undefined and are not checked.
; Runs in real mode (IVT handlers) and in 32-bit protected mode (IDT).
%include "lib.inc"

%define CO (F_CF|F_OF)

%macro BODY 0
	; ---- MUL ----
	mov ax, 0x1180
	mov bl, 2
	mul bl
	CHK16 ax, 0x0100, "mul8 80*2"
	CHKF CO, CO, "mul8 80*2 CF=OF=1"
	mov al, 0x10
	mov bl, 0x0F
	mul bl
	CHK16 ax, 0x00F0, "mul8 10*0f"
	CHKF CO, 0, "mul8 10*0f CF=OF=0"
	mov ax, 0xFFFF
	mov cx, 0xFFFF
	mov dx, 0x1234
	mul cx
	CHK16 dx, 0xFFFE, "mul16 ffff*ffff high"
	CHK16 ax, 0x0001, "mul16 ffff*ffff low"
	CHKF CO, CO, "mul16 CF=OF=1"
	mov eax, 0x12345678
	mov ecx, 0x100
	mul ecx
	CHK32 edx, 0x12, "mul32 high"
	CHK32 eax, 0x34567800, "mul32 low"
	mov dword [SCRATCH], 3
	mov eax, 0x55555555
	mul dword [SCRATCH]
	CHK32 eax, 0xFFFFFFFF, "mul32 mem low"
	CHK32 edx, 0, "mul32 mem high"
	CHKF CO, 0, "mul32 mem CF=OF=0"
	; ---- IMUL one operand ----
	mov al, 0xFE
	mov bl, 3
	imul bl
	CHK16 ax, 0xFFFA, "imul8 -2*3"
	CHKF CO, 0, "imul8 -2*3 fits"
	mov al, 0x40
	mov bl, 2
	imul bl
	CHK16 ax, 0x0080, "imul8 64*2"
	CHKF CO, CO, "imul8 64*2 overflows al"
	mov ax, 0xFFFF
	mov cx, 0x7FFF
	imul cx
	CHK16 dx, 0xFFFF, "imul16 -1*7fff high"
	CHK16 ax, 0x8001, "imul16 -1*7fff low"
	CHKF CO, 0, "imul16 fits"
	mov eax, 0x80000000
	mov ecx, -1
	imul ecx
	CHK32 edx, 0, "imul32 80000000*-1 high"
	CHK32 eax, 0x80000000, "imul32 80000000*-1 low"
	CHKF CO, CO, "imul32 80000000*-1 CF=OF=1"
	; ---- IMUL two operands ----
	mov eax, 0x10000
	mov ebx, 0x10000
	imul eax, ebx
	CHK32 eax, 0, "imul r32,r32 truncates"
	CHKF CO, CO, "imul r32,r32 overflow"
	mov ax, 100
	mov bx, -3
	imul ax, bx
	CHK16 ax, 0xFED4, "imul r16,r16 100*-3"
	CHKF CO, 0, "imul r16,r16 fits"
	mov dword [SCRATCH], -7
	mov esi, 6
	imul esi, [SCRATCH]
	CHK32 esi, -42, "imul r32,m32"
	; ---- IMUL three operands ----
	mov ebx, 7
	imul eax, ebx, -5
	CHK32 eax, 0xFFFFFFDD, "imul r32,r32,simm8"
	CHKF CO, 0, "imul r32,r32,simm8 fits"
	mov word [SCRATCH], 0x4000
	imul cx, [SCRATCH], 4
	CHK16 cx, 0, "imul r16,m16,imm8 truncates"
	CHKF CO, CO, "imul r16,m16,imm8 overflow"
	mov edx, 0x1000
	imul edi, edx, 0x12345
	CHK32 edi, 0x12345000, "imul r32,r32,imm32"
	; ---- DIV ----
	mov ax, 260
	mov bl, 7
	div bl
	CHK16 ax, 0x0125, "div8 260/7 (ah=rem, al=quot)"
	mov dx, 1
	mov ax, 0
	mov cx, 3
	div cx
	CHK16 ax, 0x5555, "div16 10000h/3 quotient"
	CHK16 dx, 1, "div16 10000h/3 remainder"
	mov edx, 1
	xor eax, eax
	mov ecx, 0x10
	div ecx
	CHK32 eax, 0x10000000, "div32 quotient"
	CHK32 edx, 0, "div32 remainder"
	mov dword [SCRATCH], 10
	mov edx, 0
	mov eax, 0xFFFFFFFF
	div dword [SCRATCH]
	CHK32 eax, 0x19999999, "div32 mem quotient"
	CHK32 edx, 5, "div32 mem remainder"
	; ---- IDIV ----
	mov ax, -7
	mov bl, 2
	idiv bl
	CHK16 ax, 0xFFFD, "idiv8 -7/2 (q=-3, r=-1)"
	mov ax, -100
	cwd
	mov cx, 7
	idiv cx
	CHK16 ax, 0xFFF2, "idiv16 -100/7 quotient -14"
	CHK16 dx, 0xFFFE, "idiv16 -100/7 remainder -2"
	mov eax, 100
	cdq
	mov ecx, -7
	idiv ecx
	CHK32 eax, -14, "idiv32 100/-7 quotient"
	CHK32 edx, 2, "idiv32 100/-7 remainder"
	mov ax, -128
	mov bl, 1
	idiv bl
	CHK8 al, 0x80, "idiv8 -128/1 fits (no #DE)"
	; ---- #DE ----
	mov ax, 0x1234
	mov bl, 0
	TRY FAULT, 0, -1, "div8 by zero", div bl
	CHK16 ax, 0x1234, "div8 by zero leaves ax"
	mov ax, 0x0100
	mov cl, 1
	TRY FAULT, 0, -1, "div8 quotient 256 overflow", div cl
	mov ax, 0x8000
	mov cl, -1
	TRY FAULT, 0, -1, "idiv8 -32768/-1 overflow", idiv cl
	mov ax, 256
	mov cl, 2
	TRY FAULT, 0, -1, "idiv8 quotient +128 overflow", idiv cl
	mov edx, 0xFFFFFFFF
	mov eax, 0x80000000
	mov ecx, -1
	TRY FAULT, 0, -1, "idiv32 -2^31/-1 overflow", idiv ecx
	CHK32 eax, 0x80000000, "idiv32 overflow leaves eax"
	CHK32 edx, 0xFFFFFFFF, "idiv32 overflow leaves edx"
	mov dword [SCRATCH], 0
	mov edx, 0
	mov eax, 5
	TRY FAULT, 0, -1, "div32 by zero mem with es: prefix", div dword [es:SCRATCH]
	mov dx, 5
	mov ax, 0
	mov word [SCRATCH], 5
	TRY FAULT, 0, -1, "div16 quotient 10000h overflow", div word [SCRATCH]
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
