; string.asm - MOVS CMPS SCAS LODS STOS INS OUTS (byte/word/dword), REP,
; REPE, REPNE, count 0, DF=1 (backwards), segment overrides on the source,
; the other address size (67h: ECX/ESI/EDI from 16-bit code, CX/SI/DI from
; 32-bit code).  INS/OUTS use the 16550 scratch register at port 0x3FF.
; Real mode and 32-bit protected mode; SEGB has base 0x4000 in both.
%include "lib.inc"

%define SRC  0x5000
%define DST  0x5800
%define STRA 0x5F00
%define STRB 0x5F80

%macro BODY 0
	cld
	; source pattern: SRC[i] = 3*i + 1, i = 0..63
	xor ecx, ecx
	mov al, 1
%%f:	mov [SRC+ecx], al
	add al, 3
	inc ecx
	cmp ecx, 64
	jb %%f
	mov edi, DST
	mov ecx, 64
	xor eax, eax
	rep stosd
	CHK32 edi, DST+256, "rep stosd edi advanced"
	CHK32 ecx, 0, "rep stosd ecx=0"
	; ---- MOVS ----
	mov esi, SRC
	mov edi, DST
	mov ecx, 10
	rep movsb
	CHK32 dword [DST+6], 0x1C191613, "rep movsb data"
	CHK32 dword [DST+10], 0, "rep movsb stops after count"
	CHK32 ecx, 0, "rep movsb ecx"
	CHK32 esi, SRC+10, "rep movsb esi"
	CHK32 edi, DST+10, "rep movsb edi"
	mov ecx, 3
	rep movsw
	CHK32 esi, SRC+16, "rep movsw esi"
	CHK16 word [DST+14], 0x2E2B, "rep movsw data"
	mov ecx, 2
	rep movsd
	CHK32 edi, DST+24, "rep movsd edi"
	CHK32 dword [DST+20], 0x4643403D, "rep movsd data"
	; backwards
	std
	mov esi, SRC+3
	mov edi, DST+0x23
	mov ecx, 4
	rep movsb
	cld
	CHK32 dword [DST+0x20], 0x0A070401, "std rep movsb data"
	CHK32 esi, SRC-1, "std rep movsb esi"
	CHK32 edi, DST+0x1F, "std rep movsb edi"
	std
	mov esi, SRC+8
	mov edi, DST+0x30
	movsd
	cld
	CHK32 esi, SRC+4, "std movsd esi -= 4"
	CHK32 dword [DST+0x30], 0x221F1C19, "std movsd data"
	; count 0 does nothing
	mov esi, SRC
	mov edi, DST+0x40
	xor ecx, ecx
	rep movsb
	CHK32 esi, SRC, "rep movsb ecx=0: esi unchanged"
	CHK32 dword [DST+0x40], 0, "rep movsb ecx=0: no data"
	; segment override on the source
	mov dword [0x4000+0x10], 0xFEEDFACE
	mov ax, SEGB
	mov fs, ax
	mov esi, 0x10
	mov edi, DST+0x44
	mov ecx, 4
	fs rep movsb
	CHK32 dword [DST+0x44], 0xFEEDFACE, "fs: rep movsb source override"
	; ---- STOS / LODS ----
	mov edi, DST+0x50
	mov eax, 0xA5A5A5A5
	mov ecx, 4
	rep stosd
	CHK32 dword [DST+0x5C], 0xA5A5A5A5, "rep stosd data"
	std
	mov edi, DST+0x5E
	mov ax, 0x1234
	stosw
	stosw
	cld
	CHK32 edi, DST+0x5A, "std stosw edi"
	CHK32 dword [DST+0x5C], 0x12341234, "std stosw data"
	mov esi, SRC
	lodsb
	CHK8 al, 0x01, "lodsb"
	lodsw
	CHK16 ax, 0x0704, "lodsw"
	lodsd
	CHK32 eax, 0x1310_0D0A, "lodsd"
	CHK32 esi, SRC+7, "lods esi"
	mov esi, SRC
	gs lodsd
	CHK32 eax, 0x0A070401, "gs: lodsd (GS base 0)"
	mov esi, 0x10
	fs lodsd
	CHK32 eax, 0xFEEDFACE, "fs: lodsd (FS base 4000h)"
	; ---- CMPS ----
	mov dword [STRA], "ABCD"
	mov dword [STRA+4], "EFGH"
	mov dword [STRB], "ABCD"
	mov dword [STRB+4], "xFGH"
	mov esi, STRA
	mov edi, STRB
	mov ecx, 8
	repe cmpsb
	CHK32 ecx, 3, "repe cmpsb stops at mismatch: ecx"
	CHK32 esi, STRA+5, "repe cmpsb esi"
	CHKF ARITH, F_CF|F_SF|F_AF, "repe cmpsb flags (cmp 'E','x')"
	mov esi, STRA
	mov edi, STRA
	mov ecx, 4
	repe cmpsw
	CHK32 ecx, 0, "repe cmpsw all equal: ecx"
	CHKF F_ZF, F_ZF, "repe cmpsw all equal: ZF"
	mov esi, STRA
	mov edi, STRB
	mov ecx, 8
	repne cmpsb
	CHK32 ecx, 7, "repne cmpsb stops at first equal"
	xor ecx, ecx
	SETF F_CF
	mov esi, STRA
	mov edi, STRB+4
	repe cmpsb
	CHKF ARITH, F_CF, "repe cmpsb ecx=0 keeps flags"
	CHK32 esi, STRA, "repe cmpsb ecx=0 keeps esi"
	std
	mov esi, STRA+4
	mov edi, STRB+4
	cmpsd
	cld
	CHK32 edi, STRB, "std cmpsd edi"
	CHKF F_ZF|F_CF, F_CF, "cmpsd EFGH vs xFGH (borrow from low byte)"
	; ---- SCAS ----
	mov edi, STRA
	mov al, 'F'
	mov ecx, 8
	repne scasb
	CHK32 ecx, 2, "repne scasb found: ecx"
	CHK32 edi, STRA+6, "repne scasb found: edi"
	CHKF F_ZF, F_ZF, "repne scasb found: ZF"
	mov edi, STRA
	mov al, 'z'
	mov ecx, 8
	repne scasb
	CHK32 ecx, 0, "repne scasb not found: ecx"
	CHKF F_ZF, 0, "repne scasb not found: ZF"
	mov edi, DST+0x50
	mov eax, 0xA5A5A5A5
	mov ecx, 8
	repe scasd
	CHK32 ecx, 4, "repe scasd stops at first different"
	CHK32 edi, DST+0x60, "repe scasd edi"
	; ---- IN / OUT / INS / OUTS via the UART scratch register ----
	mov dx, 0x3FF
	mov al, 0xA7
	out dx, al
	xor al, al
	in al, dx
	CHK8 al, 0xA7, "out/in dx scratch register"
	mov dword [STRA], "XYZ"
	mov esi, STRA
	mov ecx, 3
	rep outsb
	CHK32 esi, STRA+3, "rep outsb esi"
	in al, dx
	CHK8 al, 'Z', "rep outsb last byte in scratch"
	mov edi, DST+0x80
	mov ecx, 4
	rep insb
	CHK32 dword [DST+0x80], "ZZZZ", "rep insb data"
	CHK32 edi, DST+0x84, "rep insb edi"
	mov al, 0x3C
	out dx, al
	std
	mov edi, DST+0x83
	insb
	cld
	CHK32 edi, DST+0x82, "std insb edi"
	CHK32 dword [DST+0x80], 0x3C5A5A5A, "std insb data"
	mov esi, 0x10
	fs outsb
	in al, dx
	CHK8 al, 0xCE, "fs: outsb source override"
	; ---- the other address size ----
%if __?BITS?__ == 16
	; a32: ECX/ESI/EDI.  64 KiB copy from 1000:0000 to 2000:0000
	mov ax, 0x1000
	mov ds, ax
	mov dword [0xFFFC], 0x600DC0DE
	mov ax, 0x2000
	mov es, ax
	xor esi, esi
	xor edi, edi
	mov ecx, 0x10000
	a32 rep movsb
	xor ax, ax
	mov ds, ax
	mov ax, 0x2000
	mov es, ax
	mov ebx, [es:0xFFFC]
	xor ax, ax
	mov es, ax
	CHK32 ebx, 0x600DC0DE, "a32 rep movsb ecx=10000h copies 64 KiB"
	CHK32 ecx, 0, "a32 rep movsb uses ecx"
	CHK32 esi, 0x10000, "a32 rep movsb esi is 32-bit"
	CHK32 edi, 0x10000, "a32 rep movsb edi is 32-bit"
	mov ecx, 0x10000
	mov esi, SRC
	mov edi, DST+0x90
	rep movsb
	CHK32 ecx, 0x10000, "a16 rep movsb with cx=0 does nothing"
	CHK32 esi, SRC, "a16 rep movsb with cx=0: esi"
	mov ecx, 0x00050002
	mov edi, 0x00070000 + DST+0x90
	mov al, 0x77
	rep stosb
	CHK32 ecx, 0x00050000, "a16 rep stosb counts cx only"
	CHK32 edi, 0x00070000 + DST+0x92, "a16 rep stosb keeps upper edi"
	CHK16 word [DST+0x90], 0x7777, "a16 rep stosb data"
%else
	; a16: CX/SI/DI in 32-bit code
	mov ecx, 0x00010003
	mov esi, 0xABCD0000 + SRC
	mov edi, 0x12340000 + DST+0x90
	a16 rep movsb
	CHK32 ecx, 0x00010000, "a16 rep movsb counts cx only"
	CHK32 esi, 0xABCD0000 + SRC+3, "a16 rep movsb si only"
	CHK32 edi, 0x12340000 + DST+0x93, "a16 rep movsb di only"
	CHK32 dword [DST+0x90], 0x00070401, "a16 rep movsb data"
	mov edi, 0x5555FFFF
	mov ecx, 2
	mov al, 0x42
	mov byte [0], 0
	mov byte [0xFFFF], 0
	a16 rep stosb
	CHK32 edi, 0x55550001, "a16 stosb di wraps at 64K"
	CHK8 byte [0], 0x42, "a16 stosb wrapped store lands at offset 0"
	mov byte [0], 0         ; restore IVT byte 0 (unused in pmode)
%endif
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

	LIB_ALL
align 8
gdt:	GDT_STD
	DESC 0x4000, 0xFFFF, 0x92, 0x4          ; 0x40 data, base 0x4000
gdt_end:
	GDT_PTR
