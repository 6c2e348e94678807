; loop64.asm - a CPU-bound loop in 64-bit long mode, for bench/kvm (nasm -f bin)
;
; A boot image loaded at 0000:7C00.  It builds identity page tables for
; the first 2 MiB (one 2 MiB page), enables PAE, EFER.LME and paging, and
; jumps to 64-bit code.  With RING=3 it then IRETQs to a 64-bit ring-3
; code segment (IOPL 3, so the final OUT works there); with RING=0 it
; stays in ring 0.  The loop runs ITERATIONS times, LOOP_LEN instructions
; each; then it writes 0 to port 0xF4 (popek/QEMU isa-debug-exit).
;
; nasm -f bin -DITERATIONS=N -DRING=0|3 -o loop64.bin loop64.asm

%define LOOP_LEN 6
%ifndef ITERATIONS
%define ITERATIONS 1000000
%endif
%ifndef RING
%define RING 3
%endif

%define PML4 0x1000
%define PDPT 0x2000
%define PD   0x3000
%define STACK 0x80000

	bits 16
	org 0x7C00
start:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7C00
	; page tables: PML4[0] -> PDPT[0] -> PD[0] = 2 MiB page at 0, user
	mov di, PML4
	mov cx, 0x3000 / 2
	rep stosw
	mov dword [PML4], PDPT | 7
	mov dword [PDPT], PD | 7
	mov dword [PD], 0x87            ; present, writable, user, 2 MiB
	lgdt [gdt_desc]
	mov eax, 0x20                   ; CR4.PAE
	mov cr4, eax
	mov eax, PML4
	mov cr3, eax
	mov ecx, 0xC0000080             ; EFER.LME
	rdmsr
	or eax, 0x100
	wrmsr
	mov eax, 0x80000011             ; PG | ET | PE
	mov cr0, eax
	jmp 0x08:long_mode

	bits 64
long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov rsp, STACK
%if RING == 3
	push 0x1B                       ; SS: ring-3 data
	push STACK - 0x1000             ; RSP
	push 0x3002                     ; RFLAGS: IOPL 3
	push 0x23                       ; CS: ring-3 64-bit code
	push work
	iretq
%endif
work:
	mov rcx, ITERATIONS
	xor rax, rax
	mov rbx, 0x12345
	test rcx, rcx
	jz .done
.loop:
	add rax, rbx                    ; 6 instructions per iteration
	xor rbx, rax
	rol rax, 7
	sub rbx, 3
	dec rcx
	jnz .loop
.done:
	mov dx, 0xF4
	xor eax, eax
	out dx, al
	hlt                             ; #GP at ring 3: never reached

	align 8
gdt:
	dq 0
	dq 0x00AF9A000000FFFF           ; 0x08: ring-0 64-bit code
	dq 0x00CF92000000FFFF           ; 0x10: ring-0 data
	dq 0x00CFF2000000FFFF           ; 0x18: ring-3 data (0x1B)
	dq 0x00AFFA000000FFFF           ; 0x20: ring-3 64-bit code (0x23)
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt

	times 510 - ($ - $$) db 0
	dw 0xAA55
