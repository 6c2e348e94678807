; exceptions.asm - exception and interrupt delivery (SDM Vol. 3A ch. 6):
; faults restart (saved EIP = faulting instruction: #UD, #BR, #GP, #TS),
; traps follow (#DB single-step, INT3, INT n); error codes for #NP/#TS and
; the IDT bit for a missing gate; a benign exception whose gate is missing
; becomes #NP; a contributory fault during delivery of a contributory
; fault -> #DF with error code 0; interrupt gates clear IF, trap gates do
; not, IRET restores it; real-mode INT clears IF.
%define WANT_TSS
%include "lib.inc"

%define V_IGATE 0x30
%define V_TGATE 0x31

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	; ---- real mode: INT clears IF, IRET restores it ----
	mov word [V_IGATE*4], rm_flag_handler
	mov word [V_IGATE*4+2], 0
	sti
	int V_IGATE
	pushf
	cli
	pop bx
	CHK16 word [SCRATCH], 0, "real mode: IF=0 inside INT handler"
	and bx, F_IF
	CHK16 bx, F_IF, "real mode: IRET restores IF=1"
	mov dword [SCRATCH+0x10], 10
	mov dword [SCRATCH+0x14], 20
	mov ax, 25
	mov word [SCRATCH+0x10], 10
	mov word [SCRATCH+0x12], 20
	TRY FAULT, 5, -1, "real mode: bound out of range -> #BR", bound ax, [SCRATCH+0x10]
	TRY FAULT, 6, -1, "real mode: ud2 -> #UD", ud2

	ENTER_PM
	; ---- faults restart, traps follow ----
	TRY FAULT, 6, -1, "ud2 -> #UD", ud2
	TRY FAULT, 6, -1, "lock nop -> #UD", db 0xF0, 0x90
	mov dword [SCRATCH+0x10], 10
	mov dword [SCRATCH+0x14], 20
	mov eax, 25
	TRY FAULT, 5, -1, "bound out of range -> #BR", bound eax, [SCRATCH+0x10]
	mov eax, 9
	TRY FAULT, 5, -1, "bound below range -> #BR", bound eax, [SCRATCH+0x10]
	mov eax, 20
	NOFAULT "bound at the upper bound", bound eax, [SCRATCH+0x10]
	TRY TRAP, 3, -1, "int3 -> #BP", int3
	TRY TRAP, 0x40, -1, "int 40h", int 0x40
	; single step: TF set by POPF traps after the next instruction
	mov dword [RECOVER], .ss_rec
	EXC_CLEAR
	xor eax, eax
	mov dr6, eax
	pushfd
	or dword [esp], F_TF
	popfd
	inc eax
.ss_after:
	inc eax
	inc eax
.ss_rec:
	mov dword [RECOVER], 0
	CHK32 dword [EXC_VEC], 1, "single step -> #DB"
	CHK32 dword [EXC_EIP], .ss_after, "single step: trap after the first instruction"
	CHK32 eax, 1, "single step: exactly one instruction ran"
	mov eax, dr6
	and eax, 0x4000
	CHK32 eax, 0x4000, "single step sets DR6.BS"
	; ---- missing gates ----
	TRY FAULT, 13, 0x51*8+2, "int 51h with an empty (invalid) gate -> #GP(IDT)", int 0x51
	mov eax, 0x50
	mov ebx, pm_flag_handler
	mov cl, 0x0E                                    ; interrupt gate, P=0
	mov dx, SEL_CODE32
	call pm_set_gate
	TRY FAULT, 11, 0x50*8+2, "int 50h with a not-present gate -> #NP(IDT)", int 0x50
	mov eax, [IDT_BASE + 6*8 + 4]
	mov [SCRATCH+0x20], eax
	and dword [IDT_BASE + 6*8 + 4], ~0x8000         ; #UD gate not present
	mov dword [RECOVER], .ud_rec
	EXC_CLEAR
.ud_f:	ud2
.ud_rec:
	mov eax, [SCRATCH+0x20]
	mov [IDT_BASE + 6*8 + 4], eax
	mov dword [RECOVER], 0
	CHK32 dword [EXC_VEC], 11, "#UD with a not-present gate -> #NP (benign + contributory)"
	mov eax, [EXC_ERR]
	and eax, ~1                                     ; EXT
	CHK32 eax, 6*8+2, "#NP error code names IDT vector 6"
	CHK32 dword [EXC_EIP], .ud_f, "#NP during #UD delivery: saved EIP at ud2"
	; #GP whose gate is not present: #NP during #GP delivery -> #DF(0)
	mov eax, [IDT_BASE + 13*8 + 4]
	mov [SCRATCH+0x20], eax
	and dword [IDT_BASE + 13*8 + 4], ~0x8000
	mov dword [RECOVER], .df_rec
	EXC_CLEAR
	mov ax, 0x7FF8                                  ; beyond the GDT limit
	mov ds, ax
.df_rec:
	mov ax, SEL_DATA32
	mov ds, ax
	mov eax, [SCRATCH+0x20]
	mov [IDT_BASE + 13*8 + 4], eax
	mov dword [RECOVER], 0
	CHK32 dword [EXC_VEC], 8, "#GP with a not-present gate -> #DF"
	CHK32 dword [EXC_ERR], 0, "#DF error code is 0"
	CHK32 dword [EXC_CNT], 1, "#DF delivered once"
	; #DE with a not-present gate: contributory + contributory -> #DF
	mov eax, [IDT_BASE + 0*8 + 4]
	mov [SCRATCH+0x20], eax
	and dword [IDT_BASE + 0*8 + 4], ~0x8000
	mov dword [RECOVER], .df2_rec
	EXC_CLEAR
	xor ecx, ecx
	div ecx
.df2_rec:
	mov eax, [SCRATCH+0x20]
	mov [IDT_BASE + 0*8 + 4], eax
	mov dword [RECOVER], 0
	CHK32 dword [EXC_VEC], 8, "#DE with a not-present gate -> #DF"
	; ---- #TS: IRET with NT=1 and a back link that is not a TSS ----
	mov ax, SEL_TSS
	ltr ax
	mov word [tss32], SEL_DATA32                    ; back link
	pushfd
	or dword [esp], 0x4000                          ; NT
	popfd
	TRY FAULT, 10, SEL_DATA32, "iret with NT=1 to a non-TSS back link -> #TS", iretd
	pushfd
	pop eax
	and eax, 0x4000
	CHK32 eax, 0, "NT cleared again"
	; ---- interrupt gate clears IF, trap gate keeps it ----
	mov eax, V_IGATE
	mov ebx, pm_flag_handler
	mov cl, 0x8E
	mov dx, SEL_CODE32
	call pm_set_gate
	mov eax, V_TGATE
	mov cl, 0x8F
	call pm_set_gate
	SETF F_IF
	int V_IGATE
	cli
	CHK32 dword [SCRATCH], 0, "interrupt gate: IF=0 in the handler"
	CHK32 dword [SCRATCH+4], F_IF, "interrupt gate: IF=1 in the pushed EFLAGS"
	sti
	int V_TGATE
	pushfd
	cli
	CHK32 dword [SCRATCH], F_IF, "trap gate: IF=1 in the handler"
	pop eax
	and eax, F_IF
	CHK32 eax, F_IF, "iret restores IF=1"
	SETF F_CF|F_OF
	int V_TGATE
	CHK32 dword [SCRATCH+4], F_CF|F_OF, "INT n pushes the current flags"
	FINISH

bits 16
rm_flag_handler:
	pushf
	pop word [SCRATCH]
	and word [SCRATCH], F_IF
	iret
bits 32
pm_flag_handler:
	push eax
	pushfd
	pop eax
	and eax, F_IF
	mov [SCRATCH], eax
	mov eax, [esp+12]                               ; pushed EFLAGS
	and eax, F_IF|F_CF|F_OF
	mov [SCRATCH+4], eax
	pop eax
	iretd

	LIB_ALL
align 8
tss32:	times 104 db 0
	LIB_GDT
