; control.asm - near/far JMP and CALL (direct, register, memory), RET,
; RET imm, RETF, RETF imm, IRET, INT n / INT3 / INTO (traps: the saved
; return address follows the instruction), LOOP/LOOPE/LOOPNE, JCXZ/JECXZ
; (with both address sizes), ENTER (nesting 0, 1, 3) / LEAVE, PUSHA/POPA,
; PUSH/POP forms (imm, memory, segment registers, ESP), IN/OUT.
; Real mode and 32-bit protected mode.  ALTCS is a second code segment
; with base 0x1000 (paragraph 0x100 / selector 0x48).
%include "lib.inc"

%macro RDW 2
%if W == 2
	movzx %1, word %2
%else
	mov %1, dword %2
%endif
%endmacro

%macro BODY 0
	; ---- near JMP / CALL / RET ----
	xor eax, eax
	jmp short %%j1
	inc eax
%%j1:	jmp near %%j2
	inc eax
%%j2:	mov ebx, %%j3
	jmp ebx
	inc eax
%%j3:	mov dword [SCRATCH], %%j4
	jmp [SCRATCH]
	inc eax
%%j4:	CHK32 eax, 0, "jmp short/near/reg/mem skip code"
	mov esi, esp
	call %%sub1
	CHK32 eax, 0x5B1, "call rel / ret"
	mov ebx, %%sub1
	xor eax, eax
	call RB
	CHK32 eax, 0x5B1, "call reg"
	mov dword [SCRATCH], %%sub2
	call [SCRATCH]
	CHK32 edx, W, "call mem: return address on stack, ret"
	push WORD_OR_DWORD 0
	push WORD_OR_DWORD 0
	call %%sub3
	mov edx, esi
	sub edx, esp
	CHK32 edx, 0, "ret imm pops the arguments"
	jmp %%far

%%sub1:	mov eax, 0x5B1
	ret
%%sub2:	mov edx, esi
	sub edx, esp
	ret
%%sub3:	ret 2*W

	; ---- far JMP / CALL / RETF ----
%%far:	jmp CODESEG:%%f1
	hlt
%%f1:	mov ax, cs
	CHK16 ax, CODESEG, "jmp far ptr"
	mov WORD_OR_DWORD [SCRATCH], %%f2 - ALTBASE
	mov word [SCRATCH+W], ALTCS
	jmp far [SCRATCH]
	hlt
%%f2:	mov bx, cs
	jmp CODESEG:%%f3
%%f3:	CHK16 bx, ALTCS, "jmp far mem into another code segment"
	call ALTCS:%%fs1 - ALTBASE
	CHK16 bx, ALTCS, "call far ptr: CS inside callee"
	CHK32 edx, CODESEG, "call far ptr: pushed CS"
	mov WORD_OR_DWORD [SCRATCH], %%fs1 - ALTBASE
	mov word [SCRATCH+W], ALTCS
	call far [SCRATCH]
	CHK16 bx, ALTCS, "call far mem"
	mov esi, esp
	push WORD_OR_DWORD 0
	push WORD_OR_DWORD 0
	push WORD_OR_DWORD 0
	call CODESEG:%%fs2
	sub esi, esp
	CHK32 esi, 0, "retf imm pops the arguments"
	jmp %%iret

%%fs1:	mov bx, cs
	mov edx, 0
	mov dx, [esp+W]
	retf
%%fs2:	retf 3*W

	; ---- IRET ----
%%iret:	SETF 0
	push WORD_OR_DWORD F_CF|F_ZF|2
	push WORD_OR_DWORD CODESEG
	push WORD_OR_DWORD %%i1
	iret
	hlt
%%i1:	CHKF ARITH, F_CF|F_ZF, "iret loads flags"

	; ---- INT n / INT3 / INTO ----
	SETF F_CF
	TRY TRAP, 0x40, -1, "int 40h", int 0x40
	CHK32 dword [EXC_EFL], F_CF|2, "int 40h pushed flags"
	CHK32 dword [EXC_CS], CODESEG, "int 40h pushed cs"
	TRY TRAP, 3, -1, "int3 (CC)", int3
	TRY TRAP, 3, -1, "int 3 (CD 03)", int 3
	SETF F_OF
	TRY TRAP, 4, -1, "into with OF=1", into
	SETF 0
	NOFAULT "into with OF=0", into

	; ---- LOOP / LOOPE / LOOPNE / JCXZ ----
	xor eax, eax
	mov ecx, 5
%%l1:	inc eax
	loop %%l1
	CHK32 eax, 5, "loop 5 times"
	CHK32 ecx, 0, "loop ends with ecx 0"
	mov dword [SCRATCH], 0x00000000
	mov dword [SCRATCH+4], 0x01000000
	mov ebx, SCRATCH
	mov ecx, 8
	xor edx, edx
%%l2:	cmp byte [ebx+edx], 0
	lea edx, [edx+1]
	loope %%l2
	CHK32 edx, 8, "loope stops on ZF=0"
	CHK32 ecx, 0, "loope: ecx at the mismatch"
	mov dword [SCRATCH], 0x01010101
	mov dword [SCRATCH+4], 0x01000101
	mov ecx, 8
	xor edx, edx
%%l3:	cmp byte [ebx+edx], 0
	lea edx, [edx+1]
	loopne %%l3
	CHK32 edx, 7, "loopne stops on ZF=1"
	CHK32 ecx, 1, "loopne: remaining count"
	mov ecx, 0x10000
	xor eax, eax
	jecxz %%z1
	inc eax
%%z1:	jcxz %%z2
	add eax, 2
%%z2:	CHK32 eax, 1, "jecxz not taken / jcxz taken with ecx=10000h"
%if __?BITS?__ == 16
	mov ecx, 0x10002
	xor eax, eax
%%l4:	inc eax
	loop %%l4               ; CX only
	CHK32 eax, 2, "loop (16-bit) counts cx"
	CHK32 ecx, 0x10000, "loop (16-bit) keeps upper ecx"
	mov ecx, 0x10000
	xor eax, eax
	a32 loop %%l5           ; ECX -> ffffh, taken
	mov eax, 7
%%l5:	CHK32 eax, 0, "a32 loop uses ecx"
	CHK32 ecx, 0xFFFF, "a32 loop decrements ecx"
%else
	mov ecx, 0x10002
	xor eax, eax
%%l4:	inc eax
	a16 loop %%l4
	CHK32 eax, 2, "a16 loop counts cx"
	CHK32 ecx, 0x10000, "a16 loop keeps upper ecx"
%endif

	; ---- ENTER / LEAVE ----
	mov ebp, 0x12345678 & WMASK
	mov esi, esp
	enter 16, 0
	mov eax, esi
	sub eax, esp
	CHK32 eax, 16+W, "enter 16,0: esp"
	mov eax, esi
	sub eax, ebp
	CHK32 eax, W, "enter 16,0: ebp = frame"
	leave
	CHK32 ebp, 0x12345678 & WMASK, "leave restores ebp"
	mov eax, esi
	sub eax, esp
	CHK32 eax, 0, "leave restores esp"
	enter 8, 1
	mov eax, esi
	sub eax, esp
	CHK32 eax, 8+2*W, "enter 8,1: esp"
	RDW ecx, [ebp-W]
	lea edx, [esi-W]
	CHK32 ecx, edx, "enter 8,1: frame pointer copy"
	leave
	; nesting level 3 needs a display in the caller's frame
	mov ebp, esi
	sub ebp, 64             ; fake outer frame
	mov WORD_OR_DWORD [ebp-W], 0x1111
	mov WORD_OR_DWORD [ebp-2*W], 0x2222
	mov WORD_OR_DWORD [ebp-3*W], 0x3333
	mov edi, ebp
	enter 4, 3
	mov eax, esi
	sub eax, esp
	CHK32 eax, 4+4*W, "enter 4,3: esp"
	RDW eax, [esi-W]
	CHK32 eax, edi, "enter 4,3: old ebp pushed"
	RDW eax, [esi-2*W]
	CHK32 eax, 0x1111, "enter 4,3: display entry 1 copied"
	RDW eax, [esi-3*W]
	CHK32 eax, 0x2222, "enter 4,3: display entry 2 copied"
	RDW eax, [esi-4*W]
	lea ecx, [esi-W]
	CHK32 eax, ecx, "enter 4,3: frame pointer pushed last"
	leave
	CHK32 ebp, edi, "leave after enter 4,3"

	; ---- PUSHA / POPA, PUSH/POP forms ----
	mov eax, 0xA0A0A0A0
	mov ebx, 0xB0B0B0B0
	mov ecx, 0xC0C0C0C0
	mov edx, 0xD0D0D0D0
	mov ebp, 0xE0E0E0E0 & WMASK
	mov esi, 0x51515151
	mov edi, 0xD1D1D1D1
	mov [SCRATCH], esp
	pushaw
	mov ax, [esp+14]
	mov bx, [esp+6]
	mov [SCRATCH+4], esp
	mov dword [SCRATCH+8], 0
	mov [SCRATCH+8], bx
	mov word [esp+14], 0x1234
	mov word [esp+6], 0x5555        ; ignored by popa
	mov word [esp], 0x9999
	popaw
	CHK16 ax, 0x1234, "popa loads ax"
	CHK16 di, 0x9999, "popa loads di"
	mov eax, [SCRATCH]
	sub eax, esp
	CHK32 eax, 0, "popa skips sp"
	movzx ecx, word [SCRATCH]
	CHK16 word [SCRATCH+8], ecx, "pusha pushes the original sp"
	mov eax, [SCRATCH]
	sub eax, [SCRATCH+4]
	CHK32 eax, 16, "pusha pushes 8 words"
	mov eax, 0xCAFE0001
	mov ebx, 0x0B0B0B0B
	mov esi, esp
	pushad
	mov ecx, [esp+28]                       ; eax slot
	mov edx, [esp+12]                       ; esp slot
	mov dword [esp+28], 0x600DF00D
	mov dword [esp+12], 0                   ; ignored by popad
	popad
	CHK32 eax, 0x600DF00D, "popad loads eax"
	CHK32 ebx, 0x0B0B0B0B, "popad loads ebx"
	mov edx, esp
	CHK32 edx, esi, "popad skips esp"
	; push imm / mem, pop mem, push esp, pop [esp]
	mov esi, esp
	push byte -1
%if W == 2
	pop ax
	movzx eax, ax
%else
	pop eax
%endif
	CHK32 eax, SZ(0xFFFFFFFF), "push simm8 sign-extends"
	mov dword [SCRATCH], 0x87654321
	push WORD_OR_DWORD [SCRATCH]
	pop WORD_OR_DWORD [SCRATCH+4]
	CHK32 dword [SCRATCH+4], SZ(0x87654321), "push mem / pop mem"
	push esp
	pop eax
	CHK32 eax, esi, "push esp pushes the old value"
	push dword 0x1111
	push dword 0x2222
	pop dword [esp]
	pop eax
	CHK32 eax, 0x2222, "pop [esp] uses esp after the pop"
	push ds
	pop fs
	mov ax, fs
	mov bx, ds
	movzx ebx, bx
	CHK16 ax, ebx, "push ds / pop fs"
	mov eax, esi
	sub eax, esp
	CHK32 eax, 0, "stack balanced"
	; ---- IN / OUT forms ----
	mov al, '#'
	out 0xE9, al            ; imm8 port form: starts a comment line
	mov al, 10
	out 0xE9, al
	mov dx, 0x3FF
	mov al, 0x81
	out dx, al
	mov al, 0
	in al, dx
	CHK8 al, 0x81, "out dx,al / in al,dx (scratch)"
%endmacro

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
%define CODESEG 0
%define ALTCS 0x100
%define ALTBASE 0x1000
%define W 2
%define RB bx
%define WMASK 0xFFFF
%define WORD_OR_DWORD word
%define SZ(x) ((x) & 0xFFFF)
	BODY
	ENTER_PM
%define CODESEG SEL_CODE32
%define ALTCS 0x48
%define W 4
%define RB ebx
%define WMASK 0xFFFFFFFF
%define WORD_OR_DWORD dword
%define SZ(x) (x)
	BODY
	FINISH

	LIB_ALL
align 8
gdt:	GDT_STD
	DESC 0x4000, 0xFFFF, 0x92, 0x4          ; 0x40 data, base 0x4000
	DESC 0x1000, 0xFFFFF, 0x9A, 0x4         ; 0x48 code32, base 0x1000
gdt_end:
	GDT_PTR
