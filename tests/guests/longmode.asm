; longmode.asm - IA-32e mode (SDM Vol. 3A §9.8.5, ch. 6.14): entry through
; PAE paging, EFER.LME and CR0.PG; 64-bit operands, REX registers,
; RIP-relative addressing, MOVSXD, 64-bit stack and CMPXCHG16B; a 64-bit
; IDT gate with an IST stack; SYSCALL/SYSRET to ring 3 and back; SWAPGS;
; compatibility mode through a far return.  Reports its own ok lines
; (lib.inc is 16/32-bit code).

%define PML4 0x70000
%define PDPT 0x71000
%define PD   0x72000
%define FAILS 0x600
%define COUNT 0x604
%define IDT  0x1000
%define TSS  0x3000
%define IST1_TOP 0x60000

; CHK value, expected, "desc": value and expected are r64 or imm32
%macro CHK 3
	push rax
	push rbx
	push rsi
	push qword %2
	push qword %1
	pop rax
	pop rbx
	lea rsi, [rel %%m]
	call check
	pop rsi
	pop rbx
	pop rax
	jmp %%s
%%m:	db %3, 0
%%s:
%endmacro

org 0x7C00
bits 16
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7c00
	mov dword [FAILS], 0
	mov dword [COUNT], 0
	lgdt [gdtr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 0x08:pm32
bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x90000
	; identity map 0-4 MiB with 2 MiB pages, user-accessible
	mov edi, PML4
	xor eax, eax
	mov ecx, 3 * 1024
	rep stosd
	mov dword [PML4], PDPT | 7
	mov dword [PDPT], PD | 7
	mov dword [PD], 0x000087
	mov dword [PD + 8], 0x200087
	mov eax, cr4
	or eax, 1 << 5
	mov cr4, eax
	mov eax, PML4
	mov cr3, eax
	mov ecx, 0xc0000080
	rdmsr
	or eax, (1 << 8) | 1                    ; LME, SCE
	wrmsr
	mov eax, cr0
	or eax, 1 << 31
	mov cr0, eax
	jmp 0x18:lm64
bits 64
lm64:
	mov ax, 0x10
	mov ds, ax
	mov ss, ax
	mov rsp, 0x90000
	mov ecx, 0xc0000080
	rdmsr
	and eax, 1 << 10
	CHK rax, 1 << 10, "EFER.LMA is set"
	mov rax, 0x123456789abcdef0
	mov rbx, rax
	shr rbx, 32
	CHK rbx, 0x12345678, "64-bit shift"
	mov r8, 5
	mov r9, 7
	imul r8, r9
	CHK r8, 35, "IMUL r64 with REX registers"
	mov r15, -1
	mov r15d, 1
	CHK r15, 1, "a 32-bit write zero-extends"
	mov r14, -1
	mov r14w, 2
	mov rax, 0xffffffffffff0002
	CHK r14, rax, "a 16-bit write keeps the upper bits"
	mov rdx, [rel data64]
	mov rax, 0x1122334455667788
	CHK rdx, rax, "RIP-relative load"
	movsxd rax, dword [rel neg32]
	CHK rax, -2, "MOVSXD sign-extends"
	push 42
	pop rsi
	CHK rsi, 42, "PUSH imm / POP r64"
	mov rbx, rsp
	push rax
	mov rcx, rsp
	pop rax
	sub rbx, rcx
	CHK rbx, 8, "PUSH moves RSP by 8"
	mov al, 0x11
	mov sil, 0x22
	movzx eax, sil
	CHK rax, 0x22, "SIL exists with REX"
	mov rax, 0xffffffffffffffff
	add rax, 1
	setc cl
	movzx rcx, cl
	CHK rcx, 1, "64-bit ADD carries out of bit 63"
	; CMPXCHG16B on an aligned pair
	mov rax, [rel pair]
	mov rdx, [rel pair + 8]
	mov rbx, 0xaaaa
	mov rcx, 0xbbbb
	lock cmpxchg16b [rel pair]
	setz al
	movzx rax, al
	CHK rax, 1, "CMPXCHG16B succeeds"
	mov rax, [rel pair + 8]
	CHK rax, 0xbbbb, "CMPXCHG16B stored RCX"

	; a 64-bit TSS with IST1, and #BP through an IST gate
	mov rax, TSS
	mov word [gdt_tss], 0x67
	mov [gdt_tss + 2], ax
	shr rax, 16
	mov [gdt_tss + 4], al
	mov byte [gdt_tss + 5], 0x89
	mov [gdt_tss + 7], ah
	mov qword [TSS + 36], IST1_TOP          ; IST1
	mov qword [TSS + 4], 0x80000            ; RSP0
	mov ax, 0x40
	ltr ax
	mov rdi, IDT
	xor eax, eax
	mov ecx, 512
	rep stosq
	mov rax, bp_handler
	mov rdi, IDT + 3 * 16
	call set_gate
	mov byte [IDT + 3 * 16 + 4], 1          ; IST1
	mov byte [IDT + 3 * 16 + 5], 0xee       ; DPL 3 interrupt gate
	lidt [idtr]
	xor r10, r10
	int3
	CHK r10, 1, "INT3 through a 64-bit gate"
	CHK r11, IST1_TOP - 40, "the handler ran on the IST1 stack"
	CHK r12, 0x18, "the frame holds the old CS"

	; SYSCALL/SYSRET: STAR[47:32] = 0x18 (kernel CS, SS = 0x20),
	; STAR[63:48] = 0x28 (user CS32 0x28, SS 0x30, CS64 0x38)
	mov ecx, 0xc0000081
	xor eax, eax
	mov edx, 0x00280018
	wrmsr
	mov ecx, 0xc0000082
	mov rax, sys_entry
	mov rdx, rax
	shr rdx, 32
	wrmsr
	mov ecx, 0xc0000084
	mov eax, 0x200                          ; SFMASK: IF
	xor edx, edx
	wrmsr
	; SWAPGS swaps GS.base with KERNEL_GS_BASE
	mov ecx, 0xc0000102
	mov eax, 0x5000
	xor edx, edx
	wrmsr
	swapgs
	mov ecx, 0xc0000101
	rdmsr
	CHK rax, 0x5000, "SWAPGS loads GS.base"
	; to ring 3 with SYSRET, and back with SYSCALL
	mov rcx, user_code
	mov r11, 0x202
	xor r13, r13
	o64 sysret
user_code:
	mov ax, cs
	movzx rbx, ax
	mov rdi, 1                              ; "syscall number"
	syscall
back_in_kernel:
	CHK rbx, 0x3b, "SYSRET entered ring 3 (CS 0x3B)"
	CHK r13, 1, "SYSCALL reached the kernel entry"
	mov ax, cs
	movzx rax, ax
	CHK rax, 0x18, "back at CPL 0"

	; compatibility mode: far return to a 32-bit code segment
	push 0x08
	lea rax, [rel compat]
	push rax
	o64 retf
bits 32
compat:
	mov eax, 0x12345678
	push dword 0x18
	push dword in64
	retf
bits 64
in64:
	CHK rax, 0x12345678, "ran compatibility-mode code and came back"

	mov eax, [FAILS]
	out 0xf4, al
	hlt

sys_entry:
	; RCX holds the return RIP, R11 the user RFLAGS; IF was masked
	pushfq
	pop rax
	and eax, 0x200
	mov r13, 1
	mov rsp, 0x90000
	jmp back_in_kernel

bp_handler:
	mov r10, 1
	lea r11, [rsp]
	mov r12, [rsp + 8]
	iretq

; RAX = handler, RDI = gate address: a 64-bit interrupt gate to CS 0x18
set_gate:
	mov [rdi], ax
	mov word [rdi + 2], 0x18
	mov word [rdi + 4], 0x8e00
	shr rax, 16
	mov [rdi + 6], ax
	shr rax, 16
	mov [rdi + 8], eax
	mov dword [rdi + 12], 0
	ret

; check: RAX = value, RBX = expected, RSI = message
check:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	inc dword [COUNT]
	cmp rax, rbx
	je .ok
	inc dword [FAILS]
	lea rsi, [rel s_not]
	call puts
	jmp .num
.ok:	lea rsi, [rel s_ok]
	call puts
.num:	mov eax, [COUNT]
	call putdec
	lea rsi, [rel s_dash]
	call puts
	mov rsi, [rsp]
	call puts
	mov rax, [rsp + 32]
	cmp rax, [rsp + 24]
	je .nl
	lea rsi, [rel s_got]
	call puts
	mov rax, [rsp + 32]
	call puthex
	lea rsi, [rel s_exp]
	call puts
	mov rax, [rsp + 24]
	call puthex
	mov al, ')'
	out 0xe9, al
.nl:	mov al, 10
	out 0xe9, al
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	ret
puts:
	mov al, [rsi]
	test al, al
	jz .d
	out 0xe9, al
	inc rsi
	jmp puts
.d:	ret
putdec:
	mov ecx, 10
	xor edx, edx
	div ecx
	test eax, eax
	jz .last
	push rdx
	call putdec
	pop rdx
.last:	lea eax, [rdx + '0']
	out 0xe9, al
	ret
puthex:
	mov rdx, rax
	mov ecx, 16
.h:	rol rdx, 4
	mov al, dl
	and al, 15
	add al, '0'
	cmp al, '9'
	jbe .p
	add al, 7
.p:	out 0xe9, al
	loop .h
	ret

s_ok: db "ok ", 0
s_not: db "not ok ", 0
s_dash: db " - lm64: ", 0
s_got: db " (got 0x", 0
s_exp: db ", expected 0x", 0

align 16
pair: dq 0x1111, 0x2222
data64: dq 0x1122334455667788
neg32: dd -2
align 8
gdt:	dq 0
	dq 0x00cf9a000000ffff           ; 0x08 code32, DPL 0
	dq 0x00cf92000000ffff           ; 0x10 data, DPL 0
	dq 0x00af9a000000ffff           ; 0x18 code64, DPL 0
	dq 0x00cf92000000ffff           ; 0x20 data (SYSCALL SS)
	dq 0x00cffa000000ffff           ; 0x28 code32, DPL 3
	dq 0x00cff2000000ffff           ; 0x30 data, DPL 3 (SYSRET SS)
	dq 0x00affa000000ffff           ; 0x38 code64, DPL 3 (SYSRET CS)
gdt_tss: dq 0, 0                        ; 0x40 64-bit TSS (16 bytes)
gdtr:	dw $ - gdt - 1
	dd gdt
idtr:	dw 256 * 16 - 1
	dq IDT
