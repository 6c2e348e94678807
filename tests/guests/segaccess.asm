; segaccess.asm - checks made when a segment is USED (SDM Vol. 3A 5.3,
; 5.4, 3.4.5.1): access through a null selector -> #GP(0); write to a code
; or read-only data segment -> #GP(0); access past a segment limit ->
; #GP(0), past the SS limit -> #SS(0), also with G=1 and multi-byte
; operands straddling the limit; expand-down segments with B=0 and B=1;
; real-mode accesses that wrap at offset FFFFh -> #GP / #SS.
; NOTE: QEMU's TCG does not model these checks, so this guest can only be
; validated on a CPU that does (qemu-check.sh with ACCEL=kvm, or bochs).
%include "lib.inc"

%define S_XR     0x40   ; code, readable
%define S_RO     0x48   ; data, read-only
%define S_LIM    0x50   ; data, base 0, limit FFFh (G=0)
%define S_LIMG   0x58   ; data, base 0, limit 0 with G=1 (-> FFFh)
%define S_STK    0x60   ; stack data, base 0, limit 7FFFFh
%define S_ED16   0x68   ; expand-down, B=0, base 20000h, limit FFFh
%define S_ED32   0x70   ; expand-down, B=1, base 200000h, limit FFFFh

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	; ---- real mode: 64 KiB wrap ----
	mov bx, 0xFFFF
	TRY FAULT, 13, -1, "real mode: word at ds:ffff -> #GP", mov ax, [bx]
	mov bp, 0xFFFF
	TRY FAULT, 12, -1, "real mode: word at ss:ffff -> #SS", mov ax, [bp]
	mov ebx, 0x10000
	TRY FAULT, 13, -1, "real mode: 32-bit offset 10000h -> #GP", mov al, [ebx]
	mov bx, 0xFFFE
	NOFAULT "real mode: word at ds:fffe", mov ax, [bx]

	ENTER_PM
	; ---- null selector use ----
	xor ax, ax
	mov es, ax
	TRY FAULT, 13, 0, "read through null es", mov eax, [es:SCRATCH]
	TRY FAULT, 13, 0, "write through null es", mov [es:SCRATCH], eax
	mov edi, SCRATCH
	TRY FAULT, 13, 0, "stosb through null es", stosb
	CHK32 edi, SCRATCH, "faulting stosb leaves edi"
	mov ax, 3
	mov fs, ax
	TRY FAULT, 13, 0, "read through null fs (RPL 3)", mov al, [fs:0]
	; ---- write protection ----
	mov ax, S_XR
	mov es, ax
	NOFAULT "read through readable code", mov eax, [es:SCRATCH]
	TRY FAULT, 13, 0, "write through a code segment", mov [es:SCRATCH], eax
	mov ax, S_RO
	mov fs, ax
	NOFAULT "read through read-only data", mov al, [fs:SCRATCH]
	TRY FAULT, 13, 0, "write through read-only data", mov byte [fs:SCRATCH], 1
	mov edi, SCRATCH
	mov ax, S_RO
	mov es, ax
	TRY FAULT, 13, 0, "stosd into read-only es", stosd
	; ---- limits ----
	mov ax, S_LIM
	mov es, ax
	NOFAULT "dword at the last 4 bytes below the limit", mov eax, [es:0xFFC]
	NOFAULT "byte at the limit", mov al, [es:0xFFF]
	TRY FAULT, 13, 0, "dword straddling the limit", mov eax, [es:0xFFD]
	TRY FAULT, 13, 0, "byte past the limit", mov al, [es:0x1000]
	TRY FAULT, 13, 0, "write far past the limit", mov [es:0x12345], eax
	mov esi, 0xFFE
	mov edi, SCRATCH
	mov ax, SEL_DATA32
	mov fs, ax
	mov ecx, 4
	TRY FAULT, 13, 0, "rep movsb source crossing the limit", es rep movsb
	CHK32 ecx, 2, "rep movsb stopped at the faulting element"
	CHK32 esi, 0x1000, "rep movsb esi at the faulting element"
	mov ax, S_LIMG
	mov gs, ax
	NOFAULT "G=1 limit 0 covers offset FFFh", mov al, [gs:0xFFF]
	TRY FAULT, 13, 0, "G=1 limit 0: offset 1000h", mov al, [gs:0x1000]
	; ---- stack segment limit ----
	mov ebp, esp
	mov bx, ss
	mov ax, S_STK
	mov ss, ax
	mov esp, 0x7FF00
	NOFAULT "ss: dword below the limit", mov eax, [ss:0x7FFFC]
	TRY FAULT, 12, 0, "ss: dword straddling the limit -> #SS(0)", mov eax, [ss:0x7FFFE]
	mov edx, 0x80000
	TRY FAULT, 12, 0, "[ebp-based] past the SS limit -> #SS(0)", mov eax, [ebp+edx-0x7FFF0+0x10]
	mov ecx, 0x80000
	TRY FAULT, 12, 0, "[esp+ecx] past the SS limit -> #SS(0)", mov eax, [esp+ecx]
	mov ss, bx
	mov esp, ebp
	; ---- expand-down, B=0: valid offsets 1000h..FFFFh ----
	mov byte [0x20000 + 0x1000], 0x3D
	mov ax, S_ED16
	mov es, ax
	NOFAULT "expand-down 16: offset limit+1", mov al, [es:0x1000]
	CHK8 al, 0x3D, "expand-down 16: data at offset limit+1"
	NOFAULT "expand-down 16: offset FFFFh", mov al, [es:0xFFFF]
	TRY FAULT, 13, 0, "expand-down 16: offset = limit", mov al, [es:0xFFF]
	TRY FAULT, 13, 0, "expand-down 16: offset 0", mov al, [es:0]
	TRY FAULT, 13, 0, "expand-down 16: word at FFFFh crosses the top", mov ax, [es:0xFFFF]
	TRY FAULT, 13, 0, "expand-down 16: offset 10000h above the top", mov al, [es:0x10000]
	; ---- expand-down, B=1: valid offsets 10000h..FFFFFFFFh ----
	mov dword [0x100000], 0xED32ED32
	mov ax, S_ED32
	mov fs, ax
	NOFAULT "expand-down 32: offset FFF00000h", mov eax, [fs:0xFFF00000]
	CHK32 eax, 0xED32ED32, "expand-down 32: data (base wraps to 100000h)"
	NOFAULT "expand-down 32: dword at FFFFFFFCh", mov eax, [fs:0xFFFFFFFC]
	TRY FAULT, 13, 0, "expand-down 32: offset = limit", mov al, [fs:0xFFFF]
	TRY FAULT, 13, 0, "expand-down 32: dword straddling limit+1", mov eax, [fs:0xFFFE]
	mov ax, SEL_DATA32
	mov es, ax
	mov fs, ax
	mov gs, ax
	FINISH

	LIB_ALL
align 8
gdt:	GDT_STD
	DESC 0, 0xFFFFF, 0x9A, 0xC              ; 0x40 code, readable
	DESC 0, 0xFFFFF, 0x90, 0xC              ; 0x48 data, read-only
	DESC 0, 0xFFF, 0x92, 0x4                ; 0x50 data, limit FFFh
	DESC 0, 0, 0x92, 0xC                    ; 0x58 data, limit 0, G=1
	DESC 0, 0x7FFFF, 0x92, 0x4              ; 0x60 stack, limit 7FFFFh
	DESC 0x20000, 0xFFF, 0x96, 0x0          ; 0x68 expand-down, B=0
	DESC 0x200000, 0xFFFF, 0x96, 0x4        ; 0x70 expand-down, B=1
gdt_end:
	GDT_PTR
