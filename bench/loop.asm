; loop.asm - integer-mix workload for bench/mips (nasm -f bin)
;
; A 512-byte boot sector.  It switches to 32-bit protected mode with flat
; segments, then runs an outer loop ITERATIONS times.  Each outer iteration
; walks a 16-dword array with an inner loop that mixes register ALU work
; (mov/add/sub/xor/and/cmp/sbb/test/inc/dec/shl/lea), conditional branches,
; push/pop, call/ret and memory loads and stores.  The instruction count per
; outer iteration is fixed (data-dependent work is branch-free; the
; conditional branches depend only on the loop counters), so
; instructions(N) - instructions(0) is exactly N times the loop length
; (LOOP_LEN below) on every emulator.
;
; Ending: "Shutdown" to port 0x8900 (Bochs), 0 to port 0xF4 (QEMU
; isa-debug-exit, popek), then cli; hlt.
;
; Runs both with no BIOS (popek -boot-sector: loaded at 0000:7C00) and
; booted from a floppy by a BIOS (Bochs, QEMU/SeaBIOS).

; Instructions per outer iteration (bench/mips checks popek's and Bochs's counts
; against it): outer overhead 6 (mov, mov, xor ... mov, dec, jnz) + 16 inner
; iterations of 28 (10 before the call, 6 in mix, 8 after it, 4 at the end)
; + 12 taken "jnz .odd" paths of 1 + 4 fall-through paths of 2 = 474.
%define LOOP_LEN 474

%ifndef ITERATIONS
%define ITERATIONS 1000
%endif

%define ARRAY   0x10000         ; 16 dwords; data and stack stay off the
%define RESULT  0x10100         ; code page (0x7000-0x7FFF), so no emulator
%define STACK   0x20000         ; sees self-modifying code

	bits 16
	org 0x7C00

start:
	cli
	cld
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7C00
	jmp 0:.cs0                      ; some BIOSes enter at 07C0:0000
.cs0:
	lgdt [gdt_desc]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp dword 0x08:pm

	bits 32
pm:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov esp, STACK
%ifdef PAGING
	; -DPAGING: the same loop with 32-bit paging on, 0-4 MiB identity
	; mapped with 4 KiB pages (the page tables at 0x30000/0x31000).
	mov edi, 0x31000
	mov eax, 0x003
	mov ecx, 1024
.pt:	stosd
	add eax, 0x1000
	loop .pt
	mov dword [0x30000], 0x31003
	mov eax, 0x30000
	mov cr3, eax
	mov eax, cr0
	or eax, 0x80000000
	mov cr0, eax
%endif

	; fill the array with 0x1234567 * (i + 1)
	mov edi, ARRAY
	xor eax, eax
	mov ecx, 16
.fill:
	add eax, 0x01234567
	mov [edi], eax
	add edi, 4
	dec ecx
	jnz .fill

	mov ebp, ITERATIONS
	test ebp, ebp
	jz done

outer:
	mov esi, ARRAY
	mov ecx, 16
	xor ebx, ebx
inner:
	mov eax, [esi]                  ; load
	add eax, ebx
	mov edx, eax
	shl edx, 3
	xor edx, ecx
	sub edx, eax
	and edx, 0x00FFFFFF
	lea ebx, [ebx + edx * 2 + 7]
	push eax
	call mix
	add ebx, eax
	pop eax
	cmp eax, edx                    ; data-dependent, branch-free:
	sbb edi, edi                    ;   edi = (eax < edx) ? -1 : 0
	and edi, 3
	add ebx, edi
	test ecx, 3                     ; branch taken 1 time in 4
	jnz .odd
	inc ebx
	jmp .store
.odd:
	dec ebx
.store:
	mov [esi], edx                  ; store
	add esi, 4
	dec ecx
	jnz inner
	mov [RESULT], ebx
	dec ebp
	jnz outer

done:
	mov dx, 0x8900                  ; Bochs shutdown port
	mov esi, shutdown_msg
	mov ecx, shutdown_len
	rep outsb
	mov dx, 0xF4                    ; isa-debug-exit / popek: exit code 0
	xor eax, eax
	out dx, al
	cli
.halt:
	hlt
	jmp .halt

; mix(x on stack): returns a value derived from x, ebx and ecx in eax
mix:
	mov eax, [esp + 4]
	xor eax, 0x5A5A5A5A
	add eax, ecx
	sub eax, ebx
	and eax, 0xFF
	ret

shutdown_msg:
	db "Shutdown"
shutdown_len equ $ - shutdown_msg

	align 8
gdt:
	dq 0
	dq 0x00CF9A000000FFFF           ; 0x08: code, flat, 32-bit
	dq 0x00CF92000000FFFF           ; 0x10: data, flat, 32-bit
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt

	times 510 - ($ - $$) db 0
	dw 0xAA55
