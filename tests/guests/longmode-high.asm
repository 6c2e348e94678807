; longmode-high.asm - 64-bit code and data in the upper canonical half
; (0xffffffff80000000, where Linux maps itself): RIP-relative and absolute
; loads, a GS base written by WRMSR, and LGDT/SGDT with a 64-bit base (SDM
; Vol. 2 "LGDT").
bits 16
org 0x7c00
  cli
  xor ax, ax
  mov ds, ax
  mov ss, ax
  mov sp, 0x7c00
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
  mov edi, 0x70000
  xor eax, eax
  mov ecx, 4 * 1024
  rep stosd
  mov dword [0x70000], 0x71003
  mov dword [0x70000 + 511*8], 0x73003   ; PML4[511] -> PDPT at 0x73000
  mov dword [0x71000], 0x72003
  mov dword [0x72000], 0x000083
  mov dword [0x73000 + 510*8], 0x72003   ; PDPT[510] -> same PD: 0xffffffff80000000 -> 0
  mov eax, cr4
  or eax, 1 << 5
  mov cr4, eax
  mov eax, 0x70000
  mov cr3, eax
  mov ecx, 0xc0000080
  rdmsr
  or eax, (1 << 8)
  wrmsr
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax
  jmp 0x18:lm64
bits 64
lm64:
  mov rax, 0xffffffff80000000 + high
  jmp rax
high:
  mov rbx, [rel value]        ; RIP-relative from a high address
  cmp rbx, 0x1234
  jne .bad
  mov rcx, 0xffffffff80000000 + value
  mov rdx, [rcx]
  cmp rdx, 0x1234
  jne .bad
  lgdt [rel gdtr64]
  ; WRMSR to GS_BASE takes effect for the next GS-relative access
  mov ecx, 0xc0000101
  mov rax, 0xffffffff80000000 + value - 8
  mov rdx, rax
  shr rdx, 32
  wrmsr
  mov rbx, gs:[8]
  cmp rbx, 0x1234
  jne .bad
  sgdt [rel stored]
  mov rax, [rel stored + 2]
  mov rdx, 0xffffffff80000000 + gdt
  cmp rax, rdx
  jne .bad
  lea rsi, [rel okmsg]
.p:
  lodsb
  test al, al
  jz .done
  out 0xe9, al
  jmp .p
.done:
  mov al, 0
  out 0xf4, al
.bad:
  lea rsi, [rel badmsg]
.q:
  lodsb
  test al, al
  jz .e
  out 0xe9, al
  jmp .q
.e:
  mov al, 1
  out 0xf4, al
okmsg: db "ok 1 - lm64: RIP-relative, absolute, GS-relative (WRMSR GS_BASE), LGDT and SGDT at 0xffffffff8xxxxxxx", 10, 0
badmsg: db "not ok 1 - lm64: an access in the upper half went wrong", 10, 0
stored: times 10 db 0
align 8
value: dq 0x1234
gdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff, 0x00af9a000000ffff
gdtr: dw 31
  dd gdt
gdtr64: dw 31
  dq 0xffffffff80000000 + gdt
