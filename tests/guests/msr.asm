; msr.asm - model-specific registers and the CPUID model (SDM Vol. 4;
; Vol. 2 "CPUID", "RDMSR", "WRMSR"): an MSR the model does not have is
; #GP(0) both ways; EFER's reserved bits are #GP; the TSC counts up and
; takes a write; CPUID reports the features popek implements, its cache
; and topology leaves.
%include "lib.inc"

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	ENTER_PM
%define TAG "msr"
	mov ecx, 0x12345
	TRY FAULT, 13, 0, "RDMSR of an unknown MSR", rdmsr
	xor eax, eax
	xor edx, edx
	TRY FAULT, 13, 0, "WRMSR to an unknown MSR", wrmsr
	mov ecx, 0xc0000080
	mov eax, 1 << 2                         ; a reserved EFER bit
	xor edx, edx
	TRY FAULT, 13, 0, "WRMSR of a reserved EFER bit", wrmsr
	mov eax, 1 << 11                        ; NXE
	NOFAULT "WRMSR EFER.NXE", wrmsr
	rdmsr
	CHK32 eax, 1 << 11, "EFER reads back NXE"
	xor eax, eax
	wrmsr
	; the TSC: a write, then it counts on from there
	mov ecx, 0x10
	xor eax, eax
	mov edx, 5
	wrmsr
	rdtsc
	CHK32 edx, 5, "RDTSC after WRMSR TSC: high half as written"
	mov esi, eax
	rdtsc
	sub eax, esi
	setnz al
	movzx eax, al
	CHK32 eax, 1, "the TSC counts on"
	mov ecx, 0x277
	rdmsr
	CHK32 eax, 0x00070406, "PAT power-on value (low)"
	; CPUID
	xor eax, eax
	cpuid
	cmp eax, 0xb
	setae al
	movzx eax, al
	CHK32 eax, 1, "CPUID.0: max leaf at least 0Bh"
	CHK32 ebx, 'Genu', "CPUID.0: vendor EBX"
	mov eax, 1
	cpuid
	mov eax, edx
	and eax, (1 << 0) | (1 << 6) | (1 << 9) | (1 << 24) | (1 << 26)
	CHK32 eax, (1 << 0) | (1 << 6) | (1 << 9) | (1 << 24) | (1 << 26), "CPUID.1:EDX FPU PAE APIC FXSR SSE2"
	mov eax, 4
	xor ecx, ecx
	cpuid
	and eax, 0x1f
	CHK32 eax, 1, "CPUID.4.0: a data cache"
	mov eax, 4
	mov ecx, 3
	cpuid
	and eax, 0x1f
	CHK32 eax, 0, "CPUID.4.3: no more caches"
	mov eax, 0xb
	xor ecx, ecx
	cpuid
	CHK32 ebx, 1, "CPUID.0Bh.0: one logical processor"
	mov eax, 0x80000001
	cpuid
	and edx, 1 << 29
	CHK32 edx, 1 << 29, "CPUID.80000001h: long mode"
	FINISH

	LIB_ALL
	LIB_GDT
