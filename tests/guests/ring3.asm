; ring3.asm - privilege transitions: a TSS with SS0:ESP0 and LTR, IRET to a
; ring-3 code segment (data segment registers with DPL < CPL are nulled),
; INT n through a DPL-3 gate switches to the ring-0 stack from the TSS and
; pushes the user SS:ESP, IRET back to ring 3; INT n through a DPL-0 gate
; from ring 3 -> #GP(vector*8+2); CLI/HLT/MOV CR0/IN at CPL 3 with IOPL 0
; -> #GP(0); LTR/LGDT at ring 3 -> #GP(0).
%define WANT_TSS
%include "lib.inc"

%define R        (SCRATCH+0x100)       ; results written by both rings
%define ESP0     0x60000
%define ESP3     0x50000

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	ENTER_PM
	mov dword [tss32 + 4], ESP0
	mov dword [tss32 + 8], SEL_DATA32
	mov word [tss32 + 0x66], 104            ; I/O bitmap beyond the limit
	mov ax, SEL_TSS
	ltr ax
	mov eax, 0x80
	mov ebx, int80_handler
	mov cl, 0xEE                            ; interrupt gate, DPL 3
	mov dx, SEL_CODE32
	call pm_set_gate
	mov eax, 0x81
	mov ebx, int81_back_to_ring0
	call pm_set_gate
	mov edi, R
	mov ecx, 32
	xor eax, eax
	rep stosd
	; ---- IRET to ring 3 ----
	push dword SEL_UDATA32                  ; SS
	push dword ESP3                         ; ESP
	push dword 0x0002                       ; EFLAGS: IOPL 0, IF 0
	push dword SEL_UCODE32                  ; CS
	push dword user_code                    ; EIP
	iretd

ring0_again:
	mov ax, SEL_DATA32
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	CHK32 dword [R+0x40], 0, "iret to ring 3 nulls DS (DPL 0 < CPL 3)"
	CHK32 dword [R+0x44], 3, "ring 3: CPL = 3"
	CHK32 dword [R+0x48], SEL_UDATA32, "ring 3: SS = user stack selector"
	CHK32 dword [R+0x00], SEL_DATA32, "int 80h: SS = TSS.SS0"
	CHK32 dword [R+0x04], ESP0 - 20, "int 80h: ESP = TSS.ESP0 - 5 dwords"
	CHK32 dword [R+0x08], user_after_int80, "int 80h frame: EIP after INT"
	CHK32 dword [R+0x0C], SEL_UCODE32, "int 80h frame: user CS"
	CHK32 dword [R+0x14], ESP3, "int 80h frame: user ESP"
	CHK32 dword [R+0x18], SEL_UDATA32, "int 80h frame: user SS"
	CHK32 dword [R+0x1C], 0, "int 80h handler runs at CPL 0"
	CHK32 dword [R+0x50], 0x1234, "iret back to ring 3 returns the handler's eax"
	CHK32 dword [R+0x54], 3, "iret back to ring 3: CPL 3"
	CHK32 dword [R+0x58], ESP3, "iret back to ring 3: ESP restored"
	CHK32 dword [R+0x60], 13, "int 41h (DPL 0 gate) from ring 3 -> #GP"
	CHK32 dword [R+0x64], 0x41*8+2, "#GP error code = gate index | IDT"
	CHK32 dword [R+0x68], user_int41, "#GP saved EIP at the INT (fault)"
	CHK32 dword [R+0x6C], ESP3, "#GP frame: user ESP"
	CHK32 dword [R+0x70], SEL_UDATA32, "#GP frame: user SS"
	CHK32 dword [R+0x74], 1, "cli at CPL 3, IOPL 0 -> #GP"
	CHK32 dword [R+0x78], 1, "hlt at CPL 3 -> #GP"
	CHK32 dword [R+0x7C], 1, "mov eax, cr0 at CPL 3 -> #GP"
	CHK32 dword [R+0x80], 1, "in al, dx at CPL 3 without I/O permission -> #GP"
	CHK32 dword [R+0x84], 1, "lgdt at CPL 3 -> #GP"
	CHK32 dword [R+0x88], 1, "mov ss, DPL 0 selector at CPL 3 -> #GP(sel)"
	CHK32 dword [R+0x8C], 1, "int 81h reached ring 0 again"
	FINISH

; ring-3 helper: run one instruction that must #GP with error code %1;
; sets dword [%2] = 1 when vector, error code and saved EIP all match
%macro GP3 3+
	mov dword [RECOVER], %%rec
	mov dword [EXC_VEC], -1
%%f:	%3
%%rec:	xor eax, eax
	cmp dword [EXC_VEC], 13
	jne %%bad
	cmp dword [EXC_ERR], %1
	jne %%bad
	cmp dword [EXC_EIP], %%f
	jne %%bad
	inc eax
%%bad:	mov [%2], eax
%endmacro

user_code:                              ; CPL 3
	xor eax, eax
	mov ax, ds
	mov bx, SEL_UDATA32
	mov ds, bx
	mov es, bx
	mov [R+0x40], eax
	mov ax, cs
	and eax, 3
	mov [R+0x44], eax
	mov ax, ss
	mov [R+0x48], eax
	mov eax, 0
	int 0x80
user_after_int80:
	mov [R+0x50], eax
	xor eax, eax
	mov ax, cs
	and eax, 3
	mov [R+0x54], eax
	mov [R+0x58], esp
	mov dword [RECOVER], user_int41_rec
	mov dword [EXC_VEC], -1
user_int41:
	int 0x41
user_int41_rec:
	mov eax, [EXC_VEC]
	mov [R+0x60], eax
	mov eax, [EXC_ERR]
	mov [R+0x64], eax
	mov eax, [EXC_EIP]
	mov [R+0x68], eax
	mov eax, [EXC_UESP]
	mov [R+0x6C], eax
	mov eax, [EXC_USS]
	mov [R+0x70], eax
	GP3 0, R+0x74, cli
	GP3 0, R+0x78, hlt
	GP3 0, R+0x7C, mov eax, cr0
	mov dx, 0x3FF
	GP3 0, R+0x80, in al, dx
	GP3 0, R+0x84, lgdt [gdt_ptr]
	mov bx, SEL_DATA32
	GP3 SEL_DATA32, R+0x88, mov ss, bx
	int 0x81
	jmp $                                   ; not reached

int80_handler:                          ; CPL 0, interrupt gate
	push ds
	push eax
	mov ax, SEL_DATA32
	mov ds, ax
	xor eax, eax
	mov ax, ss
	mov [R+0x00], eax
	lea eax, [esp+8]
	mov [R+0x04], eax
	mov eax, [esp+8]
	mov [R+0x08], eax
	mov eax, [esp+12]
	mov [R+0x0C], eax
	mov eax, [esp+16]
	mov [R+0x10], eax
	mov eax, [esp+20]
	mov [R+0x14], eax
	mov eax, [esp+24]
	mov [R+0x18], eax
	mov ax, cs
	and eax, 3
	mov [R+0x1C], eax
	pop eax
	pop ds
	mov eax, 0x1234
	iretd

int81_back_to_ring0:
	mov ax, SEL_DATA32
	mov ds, ax
	mov dword [R+0x8C], 1
	mov esp, 0x80000
	jmp ring0_again

	LIB_ALL
align 8
tss32:	times 104 db 0
	LIB_GDT
