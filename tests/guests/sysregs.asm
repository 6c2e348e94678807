; sysregs.asm - system registers: LGDT/SGDT, LIDT/SIDT (incl. a relocated
; real-mode IVT), LLDT/SLDT with a segment loaded from the LDT, LTR/STR
; (TSS descriptor becomes busy, LTR of a busy TSS -> #GP(sel)), MOV to and
; from CR0/CR2/CR3/CR4 and DR0-DR3/DR7, SMSW/LMSW, CLTS.  Paging stays off.
%define WANT_TSS
%include "lib.inc"

%define ALT_IVT  0x3000
%define ALT_GDT  0x3400

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	; ---- real mode ----
	mov eax, cr0
	and eax, 1
	CHK32 eax, 0, "cr0.PE is 0 in real mode"
	sidt [SCRATCH]
	CHK16 word [SCRATCH], 0x3FF, "sidt in real mode: limit"
	CHK32 dword [SCRATCH+2], 0, "sidt in real mode: base"
	; relocated IVT: vector 41h of the new table -> the 40h recorder stub
	mov si, 0
	mov di, ALT_IVT
	mov cx, 512
	rep movsw
	mov eax, [0x40*4]
	mov [ALT_IVT + 0x41*4], eax
	lidt [alt_ivt_ptr]
	TRY TRAP, 0x40, -1, "real-mode lidt relocates the IVT (int 41h)", int 0x41
	lidt [rm_ivt_ptr]
	TRY TRAP, 0x41, -1, "lidt back to 0:3ffh (int 41h)", int 0x41
	mov eax, 0x00ABC000
	mov cr3, eax
	mov ebx, cr3
	xor eax, eax
	mov cr3, eax
	CHK32 ebx, 0x00ABC000, "mov cr3 in real mode"

	ENTER_PM
	; ---- GDTR / IDTR ----
	sgdt [SCRATCH]
	CHK16 word [SCRATCH], gdt_end - gdt - 1, "sgdt limit"
	CHK32 dword [SCRATCH+2], gdt, "sgdt base"
	sidt [SCRATCH]
	CHK16 word [SCRATCH], 0x7FF, "sidt limit"
	CHK32 dword [SCRATCH+2], IDT_BASE, "sidt base"
	; move the GDT, reload every segment register from the copy
	mov esi, gdt
	mov edi, ALT_GDT
	mov ecx, gdt_end - gdt
	rep movsb
	mov word [SCRATCH], gdt_end - gdt - 1
	mov dword [SCRATCH+2], ALT_GDT
	lgdt [SCRATCH]
	mov byte [gdt + SEL_DATA32 + 5], 0      ; original entry now unusable
	mov ax, SEL_DATA32
	mov ds, ax
	mov es, ax
	mov ss, ax
	jmp SEL_CODE32:.reloaded
.reloaded:
	sgdt [SCRATCH+8]
	CHK32 dword [SCRATCH+10], ALT_GDT, "lgdt: new base in effect"
	mov eax, [ALT_GDT + SEL_DATA32 + 4]
	CHK32 eax, 0x00CF9300, "segment load from the new GDT sets the accessed bit"
	mov byte [gdt + SEL_DATA32 + 5], 0x92
	lgdt [gdt_ptr]
	mov ax, SEL_DATA32
	mov ds, ax
	mov es, ax
	mov ss, ax
	; ---- LDT ----
	sldt ax
	CHK16 ax, 0, "sldt initially 0"
	mov ax, 0x40
	lldt ax
	sldt bx
	CHK16 bx, 0x40, "lldt / sldt"
	mov ax, 0x0C                            ; LDT entry 1, RPL 0
	mov es, ax
	mov dword [es:0x10], 0x1D71D7
	mov ax, SEL_DATA32
	mov es, ax
	CHK32 dword [0x4010], 0x1D71D7, "data segment from the LDT (base 4000h)"
	mov ax, 0x14                            ; LDT entry 2: beyond the LDT limit
	TRY FAULT, 13, 0x14, "LDT selector beyond the LDT limit", mov es, ax
	xor ax, ax
	lldt ax
	sldt bx
	CHK16 bx, 0, "lldt null"
	mov ax, 0x0C
	TRY FAULT, 13, 0x0C, "LDT selector with a null LDTR", mov es, ax
	mov ax, SEL_DATA32
	TRY FAULT, 13, SEL_DATA32, "lldt of a non-LDT descriptor", lldt ax
	; ---- TR ----
	mov ax, SEL_TSS
	ltr ax
	str bx
	CHK16 bx, SEL_TSS, "ltr / str"
	CHK8 byte [gdt + SEL_TSS + 5], 0x8B, "ltr marks the TSS busy"
	mov ax, SEL_TSS
	TRY FAULT, 13, SEL_TSS, "ltr of a busy TSS", ltr ax
	; ---- control registers ----
	mov eax, cr0
	mov esi, eax
	and eax, 0x80000001
	CHK32 eax, 1, "cr0: PE=1, PG=0"
	mov eax, esi
	or eax, 0x0A                            ; MP, TS
	mov cr0, eax
	mov ebx, cr0
	and ebx, 0x0E
	CHK32 ebx, 0x0A, "cr0 MP/TS written"
	clts
	mov ebx, cr0
	and ebx, 0x0E
	CHK32 ebx, 0x02, "clts clears TS"
	smsw bx
	and bx, 0x0F
	CHK16 bx, 0x03 | (0x10 & 0), "smsw (PE|MP)"
	mov ax, 0x0009                          ; PE|TS, MP clear
	lmsw ax
	mov ebx, cr0
	and ebx, 0x0F
	CHK32 ebx, 0x09, "lmsw sets TS, clears MP"
	xor ax, ax
	lmsw ax
	mov ebx, cr0
	and ebx, 1
	CHK32 ebx, 1, "lmsw cannot clear PE"
	mov cr0, esi
	mov eax, 0x12345678
	mov cr2, eax
	mov ebx, cr2
	CHK32 ebx, 0x12345678, "mov cr2"
	mov eax, 0x00123000
	mov cr3, eax
	mov ebx, cr3
	CHK32 ebx, 0x00123000, "mov cr3"
	xor eax, eax
	mov cr3, eax
	mov eax, cr4
	mov esi, eax
	mov eax, 4                              ; TSD
	mov cr4, eax
	mov ebx, cr4
	CHK32 ebx, 4, "mov cr4 (TSD)"
	mov cr4, esi
	; ---- debug registers ----
	mov eax, 0x11110000
	mov dr0, eax
	mov eax, 0x22220000
	mov dr1, eax
	mov eax, 0x33330000
	mov dr2, eax
	mov eax, 0x44440000
	mov dr3, eax
	xor eax, eax
	mov dr7, eax
	mov eax, dr0
	CHK32 eax, 0x11110000, "mov dr0"
	mov eax, dr1
	CHK32 eax, 0x22220000, "mov dr1"
	mov eax, dr2
	CHK32 eax, 0x33330000, "mov dr2"
	mov eax, dr3
	CHK32 eax, 0x44440000, "mov dr3"
	mov eax, dr7
	and eax, 0xFF
	CHK32 eax, 0, "mov dr7 (no breakpoint enabled)"
	FINISH

alt_ivt_ptr:
	dw 0x3FF
	dd ALT_IVT
rm_ivt_ptr:
	dw 0x3FF
	dd 0

	LIB_ALL
align 8
tss32:	times 104 db 0
align 8
ldt:	dq 0
	DESC 0x4000, 0xFFFF, 0x92, 0x4          ; LDT 0x0C: data base 0x4000
ldt_end:
align 8
gdt:	GDT_STD
	DESC (ldt - $$ + 0x7C00), ldt_end - ldt - 1, 0x82, 0x0 ; 0x40 LDT
gdt_end:
	GDT_PTR
