; bitops.asm - BT BTS BTR BTC (register/immediate bit offsets, memory
; operands with offsets beyond the operand incl. negative ones), BSF/BSR
; (incl. zero source -> ZF=1), SETcc (all 16 conditions, true and false),
; CMOVcc, CMPXCHG, XADD, BSWAP, CPUID, RDTSC.  Real mode and 32-bit
; protected mode.  Only CF is checked after BTx (other flags undefined).
%include "lib.inc"

%define BITBUF (SCRATCH+0x100)

; SETT cc, flags, expected(0/1)
%macro SETT 3
	mov dl, 0x55
	SETF %2
	set%+1 dl
	CHK8 dl, %3, %str(set%+1 with flags %2)
%endmacro

%macro BODY 0
	; ---- BT/BTS/BTR/BTC register operand ----
	mov eax, 0x20
	SETF 0
	bt eax, 5
	CHKF F_CF, F_CF, "bt r32,imm bit set"
	bt eax, 4
	CHKF F_CF, 0, "bt r32,imm bit clear"
	mov ax, 0x0002
	mov cx, 17
	bt ax, cx
	CHKF F_CF, F_CF, "bt r16,r16 offset 17 mod 16 = 1"
	mov ebx, 0
	mov ecx, 35
	bts ebx, ecx
	CHK32 ebx, 8, "bts r32,r32 offset 35 mod 32 = 3"
	CHKF F_CF, 0, "bts old bit 0"
	bts ebx, 3
	CHKF F_CF, F_CF, "bts imm old bit 1"
	mov edx, 0xFFFFFFFF
	btr edx, 31
	CHK32 edx, 0x7FFFFFFF, "btr r32,31"
	CHKF F_CF, F_CF, "btr old bit 1"
	mov si, 0x00FF
	btc si, 8
	CHK16 si, 0x01FF, "btc r16,imm"
	CHKF F_CF, 0, "btc old bit 0"
	btc si, 0
	CHK16 si, 0x01FE, "btc r16,imm again"
	CHKF F_CF, F_CF, "btc old bit 1"
	; ---- memory operand, register offset reaches outside the operand ----
	mov edi, BITBUF - 16
%%clr:	mov dword [edi], 0
	add edi, 4
	cmp edi, BITBUF + 32
	jb %%clr
	mov eax, 100
	bts dword [BITBUF], eax
	CHK32 dword [BITBUF+12], 0x10, "bts m32,r32 offset 100 -> dword +12 bit 4"
	CHKF F_CF, 0, "bts m32,r32 offset 100 old bit"
	mov cx, 100
	bt word [BITBUF], cx
	CHKF F_CF, F_CF, "bt m16,r16 offset 100 sees the same bit"
	mov eax, -1
	bts dword [BITBUF], eax
	CHK32 dword [BITBUF-4], 0x80000000, "bts m32,r32 offset -1 -> dword -4 bit 31"
	mov eax, -9
	btc dword [BITBUF], eax
	CHK8 byte [BITBUF-2], 0x80, "btc m32,r32 offset -9 -> byte -2 bit 7"
	mov cx, -16
	bts word [BITBUF], cx
	CHK16 word [BITBUF-2], 0x8081, "bts m16,r16 offset -16 -> word -2 bit 0"
	mov ecx, 100
	btr dword [BITBUF], ecx
	CHK32 dword [BITBUF+12], 0, "btr m32,r32 offset 100"
	CHKF F_CF, F_CF, "btr m32,r32 old bit 1"
	; immediate offset is taken modulo the operand size
	mov dword [BITBUF], 0
	mov dword [BITBUF+4], 0
	bts dword [BITBUF], 35
	CHK32 dword [BITBUF], 8, "bts m32,imm 35 stays in the operand (bit 3)"
	CHK32 dword [BITBUF+4], 0, "bts m32,imm 35 does not touch next dword"
	; ---- BSF / BSR ----
	mov eax, 0x000F00F0
	bsf ebx, eax
	CHK32 ebx, 4, "bsf r32"
	CHKF F_ZF, 0, "bsf nonzero ZF=0"
	bsr ebx, eax
	CHK32 ebx, 19, "bsr r32"
	mov word [SCRATCH], 0x8000
	bsf cx, [SCRATCH]
	CHK16 cx, 15, "bsf r16,m16"
	mov edx, 0
	bsf ecx, edx
	CHKF F_ZF, F_ZF, "bsf zero source ZF=1"
	bsr ecx, edx
	CHKF F_ZF, F_ZF, "bsr zero source ZF=1"
	mov eax, 1
	bsr eax, eax
	CHK32 eax, 0, "bsr 1 = 0"
	; ---- SETcc: all 16 conditions, true and false ----
	SETT o, F_OF, 1
	SETT o, 0, 0
	SETT no, 0, 1
	SETT no, F_OF, 0
	SETT b, F_CF, 1
	SETT b, F_ZF, 0
	SETT ae, F_ZF, 1
	SETT ae, F_CF, 0
	SETT e, F_ZF, 1
	SETT e, F_CF, 0
	SETT ne, F_SF, 1
	SETT ne, F_ZF, 0
	SETT be, F_CF, 1
	SETT be, F_ZF, 1
	SETT be, F_SF|F_OF|F_PF, 0
	SETT a, F_SF, 1
	SETT a, F_CF, 0
	SETT a, F_ZF, 0
	SETT s, F_SF, 1
	SETT s, F_OF, 0
	SETT ns, F_OF, 1
	SETT ns, F_SF, 0
	SETT p, F_PF, 1
	SETT p, F_CF, 0
	SETT np, F_CF, 1
	SETT np, F_PF, 0
	SETT l, F_SF, 1
	SETT l, F_OF, 1
	SETT l, F_SF|F_OF, 0
	SETT ge, F_SF|F_OF, 1
	SETT ge, F_SF, 0
	SETT le, F_ZF, 1
	SETT le, F_OF, 1
	SETT le, F_SF|F_OF, 0
	SETT g, F_SF|F_OF, 1
	SETT g, F_ZF|F_SF|F_OF, 0
	SETT g, F_SF, 0
	mov byte [SCRATCH], 0x55
	SETF F_CF
	setc byte [SCRATCH]
	CHK8 byte [SCRATCH], 1, "setc m8"
	; ---- CMOVcc ----
	mov eax, 1
	mov ebx, 2
	SETF F_ZF
	cmovz eax, ebx
	CHK32 eax, 2, "cmovz taken"
	mov eax, 1
	SETF 0
	cmovz eax, ebx
	CHK32 eax, 1, "cmovz not taken"
	mov dword [SCRATCH], 0xABCD1234
	mov ecx, 7
	SETF F_SF
	cmovl ecx, [SCRATCH]
	CHK32 ecx, 0xABCD1234, "cmovl r32,m32 taken"
	mov dx, 0x1111
	mov si, 0x2222
	SETF F_ZF
	cmovne dx, si
	CHK16 dx, 0x1111, "cmovne r16 not taken"
	SETF F_CF
	cmova dx, si
	CHK16 dx, 0x1111, "cmova not taken (CF)"
	SETF 0
	cmova dx, si
	CHK16 dx, 0x2222, "cmova taken"
	; ---- CMPXCHG ----
	mov byte [SCRATCH], 5
	mov al, 5
	mov bl, 9
	cmpxchg [SCRATCH], bl
	CHK8 byte [SCRATCH], 9, "cmpxchg8 equal: stores"
	CHKF ARITH, F_ZF|F_PF, "cmpxchg8 equal flags"
	mov al, 3
	mov bl, 7
	cmpxchg [SCRATCH], bl
	CHK8 al, 9, "cmpxchg8 unequal: loads al"
	CHK8 byte [SCRATCH], 9, "cmpxchg8 unequal: memory kept"
	CHKF ARITH, F_CF|F_PF|F_AF|F_SF, "cmpxchg8 unequal flags (cmp 3,9)"
	mov ax, 0x1234
	mov cx, 0x1234
	mov dx, 0x5678
	cmpxchg cx, dx
	CHK16 cx, 0x5678, "cmpxchg16 reg equal"
	mov eax, 0x11111111
	mov dword [SCRATCH], 0x22222222
	mov ecx, 0x33333333
	cmpxchg [SCRATCH], ecx
	CHK32 eax, 0x22222222, "cmpxchg32 unequal loads eax"
	CHKF F_ZF, 0, "cmpxchg32 unequal ZF=0"
	cmpxchg [SCRATCH], ecx
	CHK32 dword [SCRATCH], 0x33333333, "cmpxchg32 equal stores"
	CHKF F_ZF, F_ZF, "cmpxchg32 equal ZF=1"
	; ---- XADD ----
	mov dword [SCRATCH], 0xFFFFFFFF
	mov eax, 1
	xadd [SCRATCH], eax
	CHK32 eax, 0xFFFFFFFF, "xadd m32: reg gets old value"
	CHK32 dword [SCRATCH], 0, "xadd m32: memory gets sum"
	CHKF ARITH, F_CF|F_PF|F_AF|F_ZF, "xadd m32 flags"
	mov ax, 0x10
	mov bx, 0x20
	xadd ax, bx
	CHK16 ax, 0x30, "xadd r16 sum"
	CHK16 bx, 0x10, "xadd r16 old"
	mov cl, 0x7F
	mov dl, 1
	xadd cl, dl
	CHKF ARITH, F_AF|F_SF|F_OF, "xadd r8 flags"
	; ---- BSWAP ----
	mov eax, 0x12345678
	bswap eax
	CHK32 eax, 0x78563412, "bswap eax"
	mov edi, 0xAABBCCDD
	bswap edi
	CHK32 edi, 0xDDCCBBAA, "bswap edi"
	; ---- CPUID ----
	xor eax, eax
	cpuid
	cmp eax, 1
	PASSIF ae, "cpuid leaf 0: max leaf >= 1"
	or ebx, edx
	or ebx, ecx
	PASSIF nz, "cpuid leaf 0: vendor string present"
	mov eax, 1
	cpuid
	bt edx, 4
	PASSIF c, "cpuid leaf 1: TSC feature"
	; ---- RDTSC ----
	rdtsc
	mov esi, eax
	mov edi, edx
	mov ecx, 100
%%w:	loop %%w
	rdtsc
	sub esi, eax
	sbb edi, edx
	PASSIF c, "rdtsc: second read is larger"
%endmacro

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	BODY
	ENTER_PM
	BODY
	FINISH

	LIB_ALL
	LIB_GDT
