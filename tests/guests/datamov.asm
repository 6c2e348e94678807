; datamov.asm - MOV (all forms incl. moffs and segment registers), MOVZX,
; MOVSX, XCHG, LEA with 16- and 32-bit addressing (incl. SIB), segment
; overrides, CBW/CWDE/CWD/CDQ, XLAT, LAHF/SAHF, PUSHF/POPF.  The body runs
; in real mode and in 32-bit protected mode; SEGB is a segment whose base
; is 0x4000 in both (paragraph 0x400 / GDT selector 0x40).
%include "lib.inc"

%macro BODY 0
	; ---- MOV immediate / register / memory ----
	mov eax, 0x11223344
	mov ebx, eax
	mov cx, bx
	mov dl, ch
	mov dh, cl
	CHK32 ebx, 0x11223344, "mov r32,r32"
	CHK16 cx, 0x3344, "mov r16,r16"
	CHK16 dx, 0x4433, "mov r8,r8 (dl<-ch, dh<-cl)"
	mov dword [SCRATCH], 0xDEADBEEF
	mov word [SCRATCH+4], 0x1234
	mov byte [SCRATCH+6], 0x56
	mov esi, [SCRATCH]
	mov di, [SCRATCH+4]
	mov bl, [SCRATCH+6]
	CHK32 esi, 0xDEADBEEF, "mov r32,m32 / m32,imm32"
	CHK16 di, 0x1234, "mov r16,m16 / m16,imm16"
	CHK8 bl, 0x56, "mov r8,m8 / m8,imm8"
	mov ebx, SCRATCH
	mov dword [ebx+8], 0xCAFEBABE
	mov al, [ebx+9]
	CHK8 al, 0xBA, "mov r8,[base+disp] byte order"
	; moffs forms (A0-A3): native address size ...
	mov eax, 0x55667788
	mov [SCRATCH+0x10], eax
	mov al, [SCRATCH+0x11]
	CHK8 al, 0x77, "mov al,moffs8"
	mov ax, [SCRATCH+0x12]
	CHK16 ax, 0x5566, "mov ax,moffs16"
	xor eax, eax
	mov eax, [SCRATCH+0x10]
	CHK32 eax, 0x55667788, "mov eax,moffs32"
	mov al, 0xA5
	mov [SCRATCH+0x14], al
	CHK8 byte [SCRATCH+0x14], 0xA5, "mov moffs8,al"
	; ... and the other address size (67h prefix)
%if __?BITS?__ == 16
	a32 mov eax, [dword SCRATCH+0x10]
	CHK32 eax, 0x55667788, "mov eax,moffs with 67h (32-bit offset)"
%else
	a16 mov eax, [word SCRATCH+0x10]
	CHK32 eax, 0x55667788, "mov eax,moffs with 67h (16-bit offset)"
%endif
	; segment registers
	mov ax, SEGB
	mov es, ax
	mov bx, es
	CHK16 bx, SEGB, "mov sreg,r16 / r16,sreg"
	mov word [SCRATCH], SEGB
	mov fs, [SCRATCH]
	mov [SCRATCH+2], fs
	CHK16 word [SCRATCH+2], SEGB, "mov sreg,m16 / m16,sreg"
	push fs
	pop gs
	mov cx, gs
	CHK16 cx, SEGB, "push fs / pop gs"

	; ---- MOVZX / MOVSX ----
	mov byte [SCRATCH], 0x80
	mov word [SCRATCH+2], 0x8001
	mov eax, 0xFFFFFFFF
	movzx ax, byte [SCRATCH]
	CHK32 eax, 0xFFFF0080, "movzx r16,m8 keeps upper half"
	movzx eax, byte [SCRATCH]
	CHK32 eax, 0x00000080, "movzx r32,m8"
	movsx eax, byte [SCRATCH]
	CHK32 eax, 0xFFFFFF80, "movsx r32,m8"
	movsx bx, byte [SCRATCH]
	CHK16 bx, 0xFF80, "movsx r16,m8"
	movzx ecx, word [SCRATCH+2]
	CHK32 ecx, 0x00008001, "movzx r32,m16"
	mov dx, 0x7FFF
	movsx edx, dx
	CHK32 edx, 0x00007FFF, "movsx r32,r16 positive"
	mov dl, 0xFE
	movsx edx, dl
	CHK32 edx, 0xFFFFFFFE, "movsx r32,r8 negative"

	; ---- XCHG ----
	mov eax, 1
	mov ebx, 2
	xchg eax, ebx
	CHK32 eax, 2, "xchg eax,ebx (short form) eax"
	CHK32 ebx, 1, "xchg eax,ebx (short form) ebx"
	mov cx, 0x1234
	xchg ch, cl
	CHK16 cx, 0x3412, "xchg ch,cl"
	mov dword [SCRATCH], 0xAAAAAAAA
	mov edx, 0x55555555
	xchg [SCRATCH], edx
	CHK32 edx, 0xAAAAAAAA, "xchg m32,r32 reg"
	CHK32 dword [SCRATCH], 0x55555555, "xchg m32,r32 mem"
	mov si, 0x1111
	mov word [SCRATCH], 0x2222
	xchg si, [SCRATCH]
	CHK16 si, 0x2222, "xchg r16,m16"

	; ---- LEA, 16-bit addressing (all 8 r/m forms, wrap at 64K) ----
	mov ebx, 0x1000
	mov esi, 0x0200
	mov edi, 0x0030
	mov ebp, 0x4000
	xor eax, eax
	lea ax, [bx+si+5]
	CHK16 ax, 0x1205, "lea [bx+si+d8]"
	lea ax, [bx+di-1]
	CHK16 ax, 0x102F, "lea [bx+di-1]"
	lea ax, [bp+si+0x1234]
	CHK16 ax, 0x5434, "lea [bp+si+d16]"
	lea ax, [bp+di]
	CHK16 ax, 0x4030, "lea [bp+di]"
	lea ax, [si+0x10]
	CHK16 ax, 0x0210, "lea [si+d8]"
	lea ax, [di]
	CHK16 ax, 0x0030, "lea [di]"
	lea ax, [bp+0]
	CHK16 ax, 0x4000, "lea [bp+0]"
	lea ax, [word 0x9876]
	CHK16 ax, 0x9876, "lea [d16]"
	mov bx, 0xFFFF
	mov si, 2
	mov eax, 0xFFFFFFFF
	lea eax, [bx+si]
	CHK32 eax, 0x00000001, "lea r32,[bx+si] wraps at 64K, zero-extends"
	; ---- LEA, 32-bit addressing incl. SIB ----
	mov eax, 0x100
	mov ecx, 0x10
	mov edx, 0x80000000
	lea ebx, [eax+ecx*4+0x10]
	CHK32 ebx, 0x150, "lea [eax+ecx*4+d8] (SIB)"
	lea ebx, [ecx*8+0x12345678]
	CHK32 ebx, 0x123456F8, "lea [ecx*8+d32] (SIB, no base)"
	lea ebx, [edx+edx]
	CHK32 ebx, 0, "lea [edx+edx] wraps at 4G"
	lea ebx, [eax+ecx*2-0x200]
	CHK32 ebx, 0xFFFFFF20, "lea [eax+ecx*2-d32]"
	mov ebp, 0x3000
	lea ebx, [ebp+ecx]
	CHK32 ebx, 0x3010, "lea [ebp+ecx] (SIB, ebp base needs disp8)"
	mov esi, esp
	lea ebx, [esp+8]
	sub ebx, esi
	CHK32 ebx, 8, "lea [esp+8] (SIB, esp base)"
	lea bx, [eax+ecx*8+0x12345]
	CHK16 bx, 0x24C5, "lea r16,[32-bit address] truncates"
	; 32-bit addressing memory access with SIB
	mov dword [SCRATCH+0x40+3*4], 0x0BADF00D
	mov ebx, SCRATCH
	mov ecx, 3
	mov eax, [ebx+ecx*4+0x40]
	CHK32 eax, 0x0BADF00D, "mov r32,[ebx+ecx*4+0x40]"

	; ---- segment overrides (SEGB base 0x4000) ----
	mov dword [0x4000+0x20], 0x01020304
	mov ax, SEGB
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov eax, [es:0x20]
	CHK32 eax, 0x01020304, "es: override read"
	mov dword [fs:0x24], 0xA1B2C3D4
	CHK32 dword [0x4024], 0xA1B2C3D4, "fs: override write"
	mov ebx, 0x22
	mov ax, [gs:ebx]
	CHK16 ax, 0x0102, "gs: override with 32-bit base register"
	mov eax, [cs:cs_const]
	CHK32 eax, 0x13572468, "cs: override read"
	; BP-based addressing defaults to SS
	mov ax, SEGB
	mov cx, ss
	xor ebp, ebp
	mov ss, ax
	mov edx, [bp+0x20]
	mov esi, [ebp+0x24]
	mov ebx, [ds:ebp+0x4024]
	mov ss, cx
	CHK32 edx, 0x01020304, "[bp+d] defaults to SS"
	CHK32 esi, 0xA1B2C3D4, "[ebp+d] defaults to SS"
	CHK32 ebx, 0xA1B2C3D4, "ds: override on [ebp+d]"
	xor ax, ax
%if __?BITS?__ == 32
	mov ax, SEL_DATA32
%endif
	mov es, ax
	mov fs, ax
	mov gs, ax

	; ---- CBW / CWDE / CWD / CDQ ----
	mov eax, 0x12345680
	cbw
	CHK32 eax, 0x1234FF80, "cbw"
	mov eax, 0x0000807F
	cwde
	CHK32 eax, 0xFFFF807F, "cwde"
	mov eax, 0x00008000
	mov edx, 0x11111111
	cwd
	CHK32 edx, 0x1111FFFF, "cwd negative"
	mov ax, 0x7FFF
	cwd
	CHK32 edx, 0x11110000, "cwd positive"
	mov eax, 0x80000000
	cdq
	CHK32 edx, 0xFFFFFFFF, "cdq negative"
	mov eax, 1
	cdq
	CHK32 edx, 0, "cdq positive"

	; ---- XLAT ----
	mov ecx, 0
%%xl:	mov [SCRATCH+ecx], cl
	not byte [SCRATCH+ecx]
	inc ecx
	cmp ecx, 256
	jb %%xl
	mov ebx, SCRATCH
	mov eax, 0x12345603
	xlatb
	CHK32 eax, 0x123456FC, "xlat"
	mov byte [0x4000+0x10+5], 0x77
	mov ax, SEGB
	mov es, ax
	mov ebx, 0x10
	mov al, 5
	es xlatb
	CHK8 al, 0x77, "es: xlat"
	xor ax, ax
%if __?BITS?__ == 32
	mov ax, SEL_DATA32
%endif
	mov es, ax

	; ---- LAHF / SAHF ----
	SETF F_CF|F_ZF|F_OF
	mov ah, 0
	lahf
	CHK8 ah, 0x43, "lahf (bit 1 reads 1)"
	SETF F_OF
	mov ah, 0xFF
	sahf
	CHKF ARITH, F_CF|F_PF|F_AF|F_ZF|F_SF|F_OF, "sahf all ones (OF untouched)"
	SETF ARITH
	mov ah, 0x00
	sahf
	CHKF ARITH, F_OF, "sahf zero"

	; ---- PUSHF / POPF ----
	SETF F_CF|F_DF|F_OF
	pushf
	pop ax
	cld
	CHK16 ax, 0x0C03, "pushf"
	push word F_ZF|F_SF
	popf
	CHKF ARITH|F_DF, F_ZF|F_SF, "popf 16"
	SETF 0
	pushfd
	pop eax
	CHK32 eax, 2, "pushfd after popfd 0"
	push dword F_DF|F_PF
	popfd
	pushfd
	pop ebx
	cld
	CHK32 ebx, F_DF|F_PF|2, "popfd/pushfd DF|PF"
%endmacro

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
%define SEGB 0x0400
	BODY
	ENTER_PM
%define SEGB 0x40
	BODY
	FINISH

cs_const: dd 0x13572468

	LIB_ALL
align 8
gdt:	GDT_STD
	DESC 0x4000, 0xFFFF, 0x92, 0x4          ; 0x40 data, base 0x4000
gdt_end:
	GDT_PTR
