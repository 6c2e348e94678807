; target.asm - the guest the debugger tests drive (tests/run-debugger.sh).
; Real mode at 0x7C00, then 32-bit protected mode with 32-bit paging
; (identity map of 0-4 MiB, the page at 0x300000 left not present).
; Built with -DFLAT (target-flat.bin) paging stays off: the KVM cases use
; it, as this project's kvm_pvm host cannot run 32-bit paging
; (docs/kvm.md); every address below is the same.
; Key instructions sit at fixed addresses the scripts name:
;   0x7D00  mov dword [0x9000], 0x12345678   (paging on; the watched write)
;   0x7D0A  call func                         (n steps over it)
;   0x7D0F  xchg bx, bx                       (-magic-break)
;   0x7D12  mov al, 0x21; then out 0x80 (a POST code, for I/O catches)
;   0x7D16  the exit through port 0xF4 with value 0x21 (status 0x43)
org 0x7C00
bits 16
start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7C00
	lgdt [gdt_desc]
	mov eax, cr0
	or eax, 1
	mov cr0, eax
	jmp 0x08:pm32

bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x7C00
	; page table at 0x11000: identity map 0-4 MiB, present+writable
	mov edi, 0x11000
	mov eax, 0x003
	mov ecx, 1024
.fill:	stosd
	add eax, 0x1000
	loop .fill
	mov dword [0x11000 + 0x300 * 4], 0	; 0x300000 not present
	; page directory at 0x10000: one entry
	mov edi, 0x10000
	xor eax, eax
	mov ecx, 1024
	rep stosd
	mov dword [0x10000], 0x11000 | 0x003
%ifndef FLAT
	mov eax, 0x10000
	mov cr3, eax
	mov eax, cr0
	or eax, 0x80000000
	mov cr0, eax
%endif
	jmp after_paging

	times 0x100 - ($ - $$) db 0x90
after_paging:				; 0x7D00
	mov dword [0x9000], 0x12345678	; 10 bytes
	call func			; 0x7D0A, 5 bytes
	xchg bx, bx			; 0x7D0F (66 87 DB)
	mov al, 0x21			; 0x7D12
	out 0x80, al			; 0x7D14
	out 0xF4, al			; 0x7D16
	hlt

func:
	mov eax, [0x9000]
	ret

	align 8
gdt:
	dq 0
	dq 0x00CF9A000000FFFF		; 0x08: 32-bit code, base 0, 4 GiB
	dq 0x00CF92000000FFFF		; 0x10: data
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt
