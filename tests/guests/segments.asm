; segments.asm - protected-mode segment register loads with descriptor
; checks (SDM Vol. 3A ch. 5): null selector into DS/FS is fine; selector beyond the GDT limit -> #GP(sel); not-present
; data -> #NP(sel), not-present stack -> #SS(sel); SS with wrong DPL/RPL,
; read-only SS, code into SS -> #GP(sel); execute-only code into DS ->
; #GP(sel); readable code into DS is fine; system descriptor into DS,
; RPL > DPL -> #GP(sel); far JMP to not-present code -> #NP, to data ->
; #GP; MOV CS -> #UD; POP DS faulting leaves ESP unchanged.
; (The checks made when a segment is *used* - null selector, limits,
; write to code/read-only - are in segaccess.asm.)
%include "lib.inc"

%define S_NP     0x40   ; data, not present
%define S_XO     0x48   ; code, execute-only
%define S_XR     0x50   ; code, readable, base 4000h
%define S_D3     0x58   ; data, DPL 3
%define S_RO     0x60   ; data, read-only
%define S_SNP    0x68   ; writable data, not present
%define S_SYS    0x70   ; LDT descriptor (system)
%define S_CNP    0x78   ; code, not present

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	ENTER_PM

	; ---- null selectors ----
	xor ax, ax
	NOFAULT "mov es, null selector", mov es, ax
	mov ax, 3                               ; null with RPL 3
	NOFAULT "mov fs, null selector with RPL 3", mov fs, ax
	xor ax, ax
	TRY FAULT, 13, 0, "mov ss, null selector", mov ss, ax
	mov ax, SEL_DATA32
	mov es, ax
	mov fs, ax
	; ---- GDT limit ----
	mov ax, 0x80                            ; = gdt_end - gdt
	TRY FAULT, 13, 0x80, "selector beyond the GDT limit", mov ds, ax
	mov ax, 0x80 | 3
	TRY FAULT, 13, 0x80, "selector beyond the GDT limit, RPL 3 (error code drops RPL)", mov gs, ax
	; ---- present bit ----
	mov ax, S_NP
	TRY FAULT, 11, S_NP, "not-present data into ds -> #NP", mov ds, ax
	mov ax, S_SNP
	TRY FAULT, 12, S_SNP, "not-present data into ss -> #SS", mov ss, ax
	; ---- types ----
	mov ax, S_XO
	TRY FAULT, 13, S_XO, "execute-only code into ds", mov ds, ax
	mov ax, S_XR
	NOFAULT "readable code into es", mov es, ax
	mov eax, [es:0x7C00 - 0x4000]
	CHK32 eax, [0x7C00], "read through a readable code segment"
	mov ax, SEL_DATA32
	mov es, ax
	mov ax, S_SYS
	TRY FAULT, 13, S_SYS, "system descriptor into ds", mov ds, ax
	mov ax, S_RO
	NOFAULT "read-only data into fs", mov fs, ax
	TRY FAULT, 13, S_RO, "read-only data into ss", mov ss, ax
	mov ax, SEL_CODE32
	TRY FAULT, 13, SEL_CODE32, "code segment into ss", mov ss, ax
	mov ax, SEL_DATA32
	mov fs, ax
	; ---- privilege ----
	mov ax, S_D3
	TRY FAULT, 13, S_D3, "DPL 3 data into ss at CPL 0", mov ss, ax
	mov ax, SEL_DATA32 | 3
	TRY FAULT, 13, SEL_DATA32, "ss with RPL 3 at CPL 0", mov ss, ax
	TRY FAULT, 13, SEL_DATA32, "ds with RPL 3 > DPL 0", mov ds, ax
	mov ax, S_D3 | 3
	NOFAULT "DPL 3 data with RPL 3 into ds at CPL 0", mov gs, ax
	mov ax, SEL_DATA32
	mov gs, ax
	; ---- far transfers ----
	TRY FAULT, 11, S_CNP, "jmp far to not-present code -> #NP", jmp S_CNP:0
	TRY FAULT, 13, SEL_DATA32, "jmp far to a data segment", jmp SEL_DATA32:0
	TRY FAULT, 13, 0x1000, "call far beyond the GDT limit", call 0x1000:0
	; ---- mov cs / pop ds ----
	TRY FAULT, 6, -1, "mov cs, ax -> #UD", db 0x8E, 0xC8
	mov esi, esp
	push dword S_NP
	TRY FAULT, 11, S_NP, "pop ds of a not-present segment", pop ds
	mov ebx, esi
	sub ebx, esp
	CHK32 ebx, 4, "faulting pop ds leaves esp unchanged"
	add esp, 4
	mov ax, ds
	CHK16 ax, SEL_DATA32, "ds unchanged after the faulting load"
	FINISH

	LIB_ALL
align 8
gdt:	GDT_STD
	DESC 0, 0xFFFFF, 0x12, 0xC              ; 0x40 data, P=0
	DESC 0, 0xFFFFF, 0x98, 0xC              ; 0x48 code, execute-only
	DESC 0x4000, 0xFFFFF, 0x9A, 0xC         ; 0x50 code, readable
	DESC 0, 0xFFFFF, 0xF2, 0xC              ; 0x58 data, DPL 3
	DESC 0, 0xFFFFF, 0x90, 0xC              ; 0x60 data, read-only
	DESC 0, 0xFFFFF, 0x12, 0xC              ; 0x68 data, P=0
	DESC 0, 0xFF, 0x82, 0x0                 ; 0x70 LDT (system)
	DESC 0, 0xFFFFF, 0x1A, 0xC              ; 0x78 code, P=0
gdt_end:
	GDT_PTR
