; smc.asm - self-modifying code: a new immediate written into an
; instruction that already ran (in a loop) must be seen by its next
; execution; the very next instruction modified by a store; a store through
; another segment (alias at a different offset); code generated into a
; buffer, run, changed and run again; REP MOVSB copying over the code that
; follows it.  Real mode and 32-bit protected mode.
%include "lib.inc"

%define GENBUF 0x6000

%macro BODY 0
	; ---- immediate of an instruction that already ran ----
	mov ecx, 3
	xor ebx, ebx
	mov dword [%%imm1 - 4], 0x11111111
%%lp:	add ebx, dword 0x11111111
%%imm1:	mov dword [%%imm1 - 4], 0x22222222
	dec ecx
	jnz %%lp
	CHK32 ebx, 0x55555555, "loop sees the patched immediate"
	; ---- the very next instruction ----
	mov byte [%%nx + 1], 0x42
%%nx:	mov al, 0x00
	CHK8 al, 0x42, "store into the next instruction"
	mov byte [%%nx + 1], 0x00
	mov dword [%%nx2 - 4], 0xA5A5A5A5
	mov edx, 0
	mov edx, dword 0x00000000
%%nx2:	CHK32 edx, 0xA5A5A5A5, "store into an imm32 two instructions ahead"
	mov dword [%%nx2 - 4], 0
	; ---- through an alias segment (base 4000h) ----
	mov ax, SEGB
	mov es, ax
	mov byte [es:%%al1 + 1 - 0x4000], 0x5C
%%al1:	mov al, 0x00
	CHK8 al, 0x5C, "store through a segment alias"
	mov byte [es:%%al1 + 1 - 0x4000], 0x00
	mov ax, FLATDS
	mov es, ax
	; ---- generated code ----
	mov edi, GENBUF
%if __?BITS?__ == 16
	mov al, 0x66
	stosb
%endif
	mov al, 0xB8                    ; mov eax, imm32
	stosb
	mov eax, 0x01234567
	stosd
	mov al, 0xC3                    ; ret
	stosb
	xor eax, eax
	mov ebx, GENBUF
	call RB
	CHK32 eax, 0x01234567, "run generated code"
	mov dword [GENBUF + GENIMM], 0x89ABCDEF
	xor eax, eax
	call RB
	CHK32 eax, 0x89ABCDEF, "run generated code after changing it"
	mov byte [GENBUF + GENIMM - 1], 0xBA  ; mov edx, imm32
	mov edx, 0
	mov eax, 0
	call RB
	CHK32 edx, 0x89ABCDEF, "run generated code after changing the opcode"
	CHK32 eax, 0, "... and the old opcode is gone"
	; ---- REP MOVSB over the code that follows ----
	mov esi, %%tmpl
	mov edi, %%dst
	mov ecx, %%tmpl_end - %%tmpl
	mov edx, 0
	rep movsb
%%dst:	mov edx, dword 0x11111111
	jmp %%after
%%tmpl:	mov edx, dword 0x77777777
%%tmpl_end:
%%after:
	CHK32 edx, 0x77777777, "rep movsb over the following instruction"
	mov dword [%%dst + (%%tmpl_end - %%tmpl) - 4], 0x11111111
%endmacro

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
%define SEGB 0x0400
%define FLATDS 0
%define RB bx
%define GENIMM 2
	BODY
	ENTER_PM
%define SEGB 0x40
%define FLATDS SEL_DATA32
%define RB ebx
%define GENIMM 1
	BODY
	FINISH

	LIB_ALL
align 8
gdt:	GDT_STD
	DESC 0x4000, 0xFFFFF, 0x92, 0xC         ; 0x40 data, base 0x4000
gdt_end:
	GDT_PTR
