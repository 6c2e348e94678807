; sse.asm - MMX and SSE in 32-bit protected mode: #UD without CR4.OSFXSR
; (MMX works without it), #NM with CR0.TS, #UD with CR0.EM, #GP(0) for a
; misaligned 16-byte operand, #XM with CR4.OSXMMEXCPT for an unmasked
; exception (#UD without it), LDMXCSR's reserved bits, a few results of
; each family, MMX aliasing the x87 registers, CPUID's feature bits.
%include "lib.inc"

%define CR4_OSFXSR     0x200
%define CR4_OSXMMEXCPT 0x400
%define CR0_EM         0x4
%define CR0_TS         0x8

org 0x7C00
bits 16
	RM_START
	ENTER_PM
	mov eax, cr0
	and eax, ~(CR0_EM | CR0_TS)
	or eax, 0x22                    ; MP, NE
	mov cr0, eax

	; ---- CPUID ----
	mov eax, 1
	cpuid
	and edx, 0x07800000             ; MMX, FXSR, SSE, SSE2
	CHK32 edx, 0x07800000, "cpuid.1:edx MMX FXSR SSE SSE2"
	and ecx, 0x00980201             ; SSE3 SSSE3 SSE4.1 SSE4.2 POPCNT
	CHK32 ecx, 0x00980201, "cpuid.1:ecx SSE3 SSSE3 SSE4.1 SSE4.2 POPCNT"

	; ---- without CR4.OSFXSR: SSE is #UD, MMX is not ----
	TRY FAULT, 6, -1, "addps without OSFXSR -> #UD", addps xmm0, xmm1
	TRY FAULT, 6, -1, "ldmxcsr without OSFXSR -> #UD", ldmxcsr [SCRATCH]
	mov dword [SCRATCH], 0x04030201
	mov dword [SCRATCH+4], 0x08070605
	NOFAULT "movq mm0 without OSFXSR", movq mm0, [SCRATCH]
	paddb mm0, mm0
	movd eax, mm0
	CHK32 eax, 0x08060402, "paddb mm0, mm0 (low dword)"
	psrlq mm0, 32
	movd eax, mm0
	CHK32 eax, 0x100E0C0A, "psrlq mm0, 32"
	emms

	mov eax, cr4
	or eax, CR4_OSFXSR | CR4_OSXMMEXCPT
	mov cr4, eax
	mov dword [SCRATCH], 0x1F80     ; the reset value, as an OS sets it
	ldmxcsr [SCRATCH]
	stmxcsr [SCRATCH+4]
	CHK32 dword [SCRATCH+4], 0x1F80, "stmxcsr after ldmxcsr 1F80h"
	cmp dword [SCRATCH+4], 0x1F80
	jne .bail                       ; unmasked: the FP cases would loop

	; ---- CR0.TS and CR0.EM ----
	mov eax, cr0
	or eax, CR0_TS
	mov cr0, eax
	TRY FAULT, 7, -1, "addps with TS -> #NM", addps xmm0, xmm1
	TRY FAULT, 7, -1, "paddb mm with TS -> #NM", paddb mm0, mm1
	clts
	mov eax, cr0
	or eax, CR0_EM
	mov cr0, eax
	TRY FAULT, 6, -1, "addps with EM -> #UD", addps xmm0, xmm1
	TRY FAULT, 6, -1, "paddb mm with EM -> #UD", paddb mm0, mm1
	mov eax, cr0
	and eax, ~CR0_EM
	mov cr0, eax

	; ---- alignment ----
	mov esi, DATA_BUF
	TRY FAULT, 13, 0, "movaps from addr+8 -> #GP(0)", movaps xmm0, [esi+8]
	TRY FAULT, 13, 0, "movdqa to addr+4 -> #GP(0)", movdqa [esi+4], xmm0
	TRY FAULT, 13, 0, "paddd xmm from addr+1 -> #GP(0)", paddd xmm0, [esi+1]
	NOFAULT "movups from addr+8", movups xmm0, [esi+8]
	NOFAULT "movdqu to addr+3", movdqu [esi+3], xmm0
	NOFAULT "addss from addr+1", addss xmm0, [esi+1]

	; ---- moves and integer results ----
	mov dword [esi], 0x11111111
	mov dword [esi+4], 0x22222222
	mov dword [esi+8], 0x33333333
	mov dword [esi+12], 0x44444444
	movdqa xmm1, [esi]
	pshufd xmm2, xmm1, 0x1B         ; reverse the dwords
	movd eax, xmm2
	CHK32 eax, 0x44444444, "pshufd reverse: dword 0"
	pextrd eax, xmm2, 3
	CHK32 eax, 0x11111111, "pextrd 3"
	pxor xmm3, xmm3
	pcmpeqb xmm3, xmm3
	pmovmskb eax, xmm3
	CHK32 eax, 0xFFFF, "pcmpeqb/pmovmskb all ones"
	mov dword [esi+16], 0x64636261   ; "abcd"
	mov dword [esi+20], 0x00686766   ; "efgh" with a NUL at byte 7
	mov dword [esi+24], 0
	mov dword [esi+28], 0
	pxor xmm0, xmm0
	movdqu xmm4, [esi+16]
	pcmpeqb xmm0, xmm4
	pmovmskb eax, xmm0
	bsf eax, eax
	CHK32 eax, 7, "strlen by pcmpeqb/pmovmskb/bsf"
	mov dword [esi+32], 0x00000067   ; needle "g"
	mov dword [esi+36], 0
	mov dword [esi+40], 0
	mov dword [esi+44], 0
	movdqa xmm5, [esi+32]
	pcmpistri xmm5, [esi+16], 0x0C   ; equal ordered: find "g"
	CHK32 ecx, 5, "pcmpistri finds the needle"
	mov eax, 0xF0F0F0F0
	popcnt eax, eax
	CHK32 eax, 16, "popcnt"
	mov eax, 0xFFFFFFFF
	mov dword [SCRATCH], 0x64636261
	crc32 eax, dword [SCRATCH]
	not eax
	CHK32 eax, 0x92C80A31, "crc32c of abcd"

	; ---- floating point ----
	mov dword [esi], 0x3FC00000      ; 1.5
	mov dword [esi+4], 0x40000000    ; 2.0
	movss xmm0, [esi]
	mulss xmm0, [esi+4]
	movd eax, xmm0
	CHK32 eax, 0x40400000, "mulss 1.5 * 2.0 = 3.0"
	cvttss2si eax, xmm0
	CHK32 eax, 3, "cvttss2si 3.0"
	mov eax, 7
	cvtsi2sd xmm1, eax
	sqrtsd xmm1, xmm1
	cvtsd2si eax, xmm1               ; round to nearest: sqrt(7) = 2.65
	CHK32 eax, 3, "cvtsi2sd, sqrtsd, cvtsd2si"
	comiss xmm0, [esi+4]             ; 3.0 > 2.0
	CHKF F_CF|F_ZF|F_PF, 0, "comiss 3.0, 2.0: above"
	stmxcsr [SCRATCH]
	mov eax, [SCRATCH]
	and eax, 0xFFFF
	CHK32 eax, 0x1FA0, "mxcsr: reset value, PE from sqrt(7)"

	; ---- MXCSR and unmasked exceptions ----
	mov dword [SCRATCH], 0x10000
	TRY FAULT, 13, 0, "ldmxcsr with a reserved bit -> #GP(0)", ldmxcsr [SCRATCH]
	mov dword [SCRATCH], 0x1F80 & ~0x200   ; ZM clear
	ldmxcsr [SCRATCH]
	mov dword [esi+8], 0
	movss xmm0, [esi]
	TRY FAULT, 19, -1, "divss by zero, ZM clear -> #XM", divss xmm0, [esi+8]
	movd eax, xmm0
	CHK32 eax, 0x3FC00000, "#XM leaves the destination"
	stmxcsr [SCRATCH]
	mov eax, [SCRATCH]
	and eax, 0x3F
	CHK32 eax, 4, "#XM sets ZE"
	mov eax, cr4
	and eax, ~CR4_OSXMMEXCPT
	mov cr4, eax
	TRY FAULT, 6, -1, "unmasked exception without OSXMMEXCPT -> #UD", divss xmm0, [esi+8]
	mov dword [SCRATCH], 0x1F80
	ldmxcsr [SCRATCH]
	divss xmm0, [esi+8]
	movd eax, xmm0
	CHK32 eax, 0x7F800000, "masked divide by zero: +inf"

	; ---- MMX aliases the x87 registers ----
	fninit
	fld1                            ; R7 = 1.0, TOP = 7
	mov dword [SCRATCH], 0x89ABCDEF
	mov dword [SCRATCH+4], 0x01234567
	movq mm7, [SCRATCH]              ; R7's mantissa; TOP becomes 0
	fnstsw ax
	and eax, 0x3800
	CHK32 eax, 0, "MMX sets TOP to 0"
	fxsave [DATA_BUF+0x200]
	CHK8 byte [DATA_BUF+0x200+4], 0xFF, "MMX tags every register valid"
	CHK16 word [DATA_BUF+0x200+32+8+7*16], 0xFFFF, "MMX write sets R7's exponent"
	CHK32 dword [DATA_BUF+0x200+32+7*16], 0x89ABCDEF, "mm7 is R7's mantissa"
	emms
	fxsave [DATA_BUF+0x200]
	CHK8 byte [DATA_BUF+0x200+4], 0, "EMMS empties every tag"
.bail:
	FINISH

	LIB_ALL
	LIB_GDT
