; paging.asm - paging (SDM Vol. 3A ch. 4) in 32-bit protected mode:
; 32-bit paging with 4 KiB and 4 MiB (PSE) pages, not-present and
; protection #PF with error codes and CR2, CR0.WP for supervisor writes,
; accessed and dirty bits as the hardware sets them, INVLPG and CR3 loads;
; then PAE paging with EFER.NXE: execute-disable and reserved-bit faults.
; (QEMU TCG reports a reserved-bit fault as error code 8; the SDM, Vol. 3A
; §4.7, says P is always set with RSVD, so 9 is expected here.)
%include "lib.inc"

%define PD      0x40000         ; 32-bit page directory
%define PT      0x41000         ; its page table for 0-4 MiB
%define PDPT    0x42000         ; PAE: page-directory-pointer table
%define PD_PAE  0x43000
%define PT_PAE  0x44000
%define P_NP    0x50000         ; a page left not present
%define P_RO    0x51000         ; a read-only page
%define P_AD    0x52000         ; accessed/dirty watch page
%define P_MOVE  0x53000         ; remapped to P_OTHER
%define P_OTHER 0x54000
%define P_NX    0x55000         ; execute-disable under PAE
%define P_RSVD  0x56000         ; reserved bit set under PAE

%define PTE(a) (PT + ((a) >> 12) * 4)
%define PTE_PAE(a) (PT_PAE + ((a) >> 12) * 8)

org 0x7C00
bits 16
	RM_START
	call rm_ivt_init
	ENTER_PM
%define TAG "paging32"
	; identity map 0-4 MiB with 4 KiB pages, user, writable
	mov edi, PT
	mov eax, 0x007
	mov ecx, 1024
.fill:	stosd
	add eax, 0x1000
	loop .fill
	mov edi, PD
	xor eax, eax
	mov ecx, 1024
	rep stosd
	mov dword [PD], PT | 0x007
	; 4-8 MiB as one 4 MiB page (PSE)
	mov dword [PD + 4], 0x400000 | 0x083
	mov dword [PTE(P_NP)], 0                ; not present
	and dword [PTE(P_RO)], ~2                ; read-only
	mov dword [P_MOVE], 0x11111111
	mov dword [P_OTHER], 0x22222222
	mov eax, cr4
	or eax, 0x10                            ; PSE
	mov cr4, eax
	mov eax, PD
	mov cr3, eax
	mov eax, cr0
	or eax, 0x80000000
	mov cr0, eax
	jmp .paged
.paged:
	CHK32 dword [0x7C00], [0x7C00], "identity map reads the guest itself"
	; not present: #PF, error code 0 (supervisor read), CR2 = address
	TRY FAULT, 14, 0, "read of a not-present page", mov eax, [P_NP + 0x123]
	mov eax, cr2
	CHK32 eax, P_NP + 0x123, "CR2 holds the faulting address"
	TRY FAULT, 14, 2, "write to a not-present page", mov dword [P_NP + 8], 1
	; read-only page: supervisor writes pass while CR0.WP = 0
	NOFAULT "supervisor write to a read-only page, WP=0", mov dword [P_RO], 5
	CHK32 dword [P_RO], 5, "the write landed"
	mov eax, cr0
	or eax, 0x10000                         ; WP
	mov cr0, eax
	TRY FAULT, 14, 3, "supervisor write to a read-only page, WP=1", mov dword [P_RO], 6
	CHK32 dword [P_RO], 5, "the faulting write changed nothing"
	mov eax, cr2
	CHK32 eax, P_RO, "CR2 after the protection fault"
	mov eax, cr0
	and eax, ~0x10000
	mov cr0, eax
	; accessed and dirty bits
	and dword [PTE(P_AD)], ~0x60
	invlpg [P_AD]
	mov eax, [P_AD]
	mov eax, [PTE(P_AD)]
	and eax, 0x60
	CHK32 eax, 0x20, "a read sets A, not D"
	mov dword [P_AD], 1
	mov eax, [PTE(P_AD)]
	and eax, 0x60
	CHK32 eax, 0x60, "a write sets D"
	mov eax, [PD]
	and eax, 0x20
	CHK32 eax, 0x20, "the page-directory entry gets A too"
	; a 4 MiB page
	mov dword [0x400000 + 0x1234], 0xabcdef01
	CHK32 dword [0x401234], 0xabcdef01, "4 MiB page: the write reads back"
	mov eax, [PD + 4]
	and eax, 0x60
	CHK32 eax, 0x60, "4 MiB page: A and D in the directory entry"
	; INVLPG: a changed mapping shows after the flush
	CHK32 dword [P_MOVE], 0x11111111, "before the remap"
	mov dword [PTE(P_MOVE)], P_OTHER | 0x007
	invlpg [P_MOVE]
	CHK32 dword [P_MOVE], 0x22222222, "INVLPG makes the new mapping visible"
	mov dword [PTE(P_MOVE)], P_MOVE | 0x007
	mov eax, cr3
	mov cr3, eax
	CHK32 dword [P_MOVE], 0x11111111, "a CR3 load flushes the old mapping"
	; paging off again
	mov eax, cr0
	and eax, ~0x80000000
	mov cr0, eax
	jmp .pae
.pae:
%define TAG "pae"
	; PAE tables: PDPT[0] -> PD_PAE; PD_PAE[0] -> PT_PAE (0-2 MiB)
	mov edi, PDPT
	xor eax, eax
	mov ecx, (0x5000) / 4
	rep stosd
	mov dword [PDPT], PD_PAE | 1
	mov dword [PD_PAE], PT_PAE | 0x007
	mov edi, PT_PAE
	mov eax, 0x007
	mov ecx, 512
.fill2:	mov [edi], eax
	mov dword [edi + 4], 0
	add edi, 8
	add eax, 0x1000
	loop .fill2
	mov dword [PTE_PAE(P_NX) + 4], 0x80000000        ; XD
	mov dword [PTE_PAE(P_RSVD) + 4], 0x00080000      ; bit 51: reserved
	mov byte [P_NX], 0xc3                           ; ret
	mov ecx, 0xc0000080
	rdmsr
	or eax, 1 << 11                                 ; NXE
	wrmsr
	mov eax, cr4
	or eax, 0x20                                    ; PAE
	mov cr4, eax
	mov eax, PDPT
	mov cr3, eax
	mov eax, cr0
	or eax, 0x80000000
	mov cr0, eax
	jmp .paged2
.paged2:
	CHK32 dword [0x7C00], [0x7C00], "PAE identity map reads the guest"
	NOFAULT "data read from an execute-disable page", mov eax, [P_NX]
	; a fetch fault saves the address fetched from (the jump is done)
	mov dword [RECOVER], .nx_rec
	EXC_CLEAR
	jmp P_NX
.nx_rec:
	mov dword [RECOVER], 0
	CHK32 dword [EXC_VEC], 14, "fetch from an execute-disable page -> #PF"
	CHK32 dword [EXC_ERR], 0x11, "fetch from an execute-disable page -> error code P|I/D"
	CHK32 dword [EXC_EIP], P_NX, "fetch fault: saved EIP is the target"
	mov eax, cr2
	CHK32 eax, P_NX, "CR2 is the fetch address"
	TRY FAULT, 14, 0x09, "a reserved bit in the PTE", mov eax, [P_RSVD]
	mov eax, [PTE_PAE(P_RO)]
	and eax, 0x20
	CHK32 eax, 0, "an untouched page has A clear"
	mov eax, [P_RO]
	mov eax, [PTE_PAE(P_RO)]
	and eax, 0x20
	CHK32 eax, 0x20, "PAE: a read sets A"
	mov eax, cr0
	and eax, ~0x80000000
	mov cr0, eax
	jmp .done
.done:
	FINISH

	LIB_ALL
	LIB_GDT
