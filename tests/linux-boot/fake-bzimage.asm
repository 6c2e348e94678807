; A minimal bzImage for testing popek's Linux boot loader: a setup header
; as boot.rst describes, and a 32-bit "kernel" that checks what the loader
; handed it (registers, segments, the zero page, the command line, the
; E820 map and the initrd) and reports on port 0xE9, ending through 0xF4.
; Assembled by tests/linux-boot/run with nasm -f bin.

SETUP_SECTS equ 4

section setup start=0 vstart=0
	times 0x1f1 db 0
	db SETUP_SECTS          ; 0x1f1 setup_sects
	dw 0                    ; 0x1f2 root_flags
	dd (kernel_end - kernel_start + 15) / 16 ; 0x1f4 syssize
	dw 0                    ; 0x1f8 ram_size
	dw 0                    ; 0x1fa vid_mode
	dw 0                    ; 0x1fc root_dev
	dw 0xaa55               ; 0x1fe boot_flag
	db 0xeb, header_end - 0x202 ; 0x200 jump over the header
	db "HdrS"               ; 0x202 header
	dw 0x020f               ; 0x206 version 2.15
	dd 0                    ; 0x208 realmode_swtch
	dw 0                    ; 0x20c start_sys_seg
	dw 0                    ; 0x20e kernel_version
	db 0                    ; 0x210 type_of_loader
	db 0x01                 ; 0x211 loadflags: LOADED_HIGH
	dw 0                    ; 0x212 setup_move_size
	dd 0x100000             ; 0x214 code32_start
	dd 0                    ; 0x218 ramdisk_image
	dd 0                    ; 0x21c ramdisk_size
	dd 0                    ; 0x220 bootsect_kludge
	dw 0                    ; 0x224 heap_end_ptr
	db 0                    ; 0x226 ext_loader_ver
	db 0                    ; 0x227 ext_loader_type
	dd 0                    ; 0x228 cmd_line_ptr
	dd 0x37ffffff           ; 0x22c initrd_addr_max
	dd 0x200000             ; 0x230 kernel_alignment
	db 0                    ; 0x234 relocatable_kernel
	db 0                    ; 0x235 min_alignment
	dw 0                    ; 0x236 xloadflags
	dd 64                   ; 0x238 cmdline_size
	dd 0                    ; 0x23c hardware_subarch
	dq 0                    ; 0x240 hardware_subarch_data
	dd 0                    ; 0x248 payload_offset
	dd 0                    ; 0x24c payload_length
	dq 0                    ; 0x250 setup_data
	dq 0                    ; 0x258 pref_address
	dd 0x10000              ; 0x260 init_size
	dd 0                    ; 0x264 handover_offset
	dd 0                    ; 0x268 kernel_info_offset
header_end:
	times (SETUP_SECTS + 1) * 512 - ($ - $$) db 0

section kernel follows=setup vstart=0x100000
bits 32
kernel_start:
	mov esp, 0x90000         ; the protocol leaves the stack to the kernel
%define ok_count ebp
	xor ebp, ebp
	xor edi, edi            ; failures
	cmp esi, 0x10000
	call check
	db "ESI points at the zero page", 0
	mov ax, cs
	cmp ax, 0x10
	call check
	db "CS is __BOOT_CS (0x10)", 0
	mov ax, ds
	cmp ax, 0x18
	call check
	db "DS is __BOOT_DS (0x18)", 0
	mov ax, ss
	cmp ax, 0x18
	call check
	db "SS is __BOOT_DS (0x18)", 0
	cmp byte [esi + 0x210], 0xff
	call check
	db "type_of_loader is 0xff", 0
	cmp dword [esi + 0x202], 'HdrS'
	call check
	db "the setup header was copied", 0
	; the command line, as the run script passes it
	mov ebx, [esi + 0x228]
	cmp dword [ebx], 'cons'
	call check
	db "cmd_line_ptr: 'cons...'", 0
	cmp dword [ebx + 4], 'ole='
	call check
	db "cmd_line_ptr: '...ole='", 0
	; at least two E820 entries, the first RAM from 0
	cmp byte [esi + 0x1e8], 2
	setae al
	cmp al, 1
	call check
	db "e820_entries >= 2", 0
	cmp dword [esi + 0x2d0], 0
	call check
	db "first E820 entry starts at 0", 0
	cmp dword [esi + 0x2d0 + 16], 1
	call check
	db "first E820 entry is RAM", 0
	; the initrd (the run script passes a file that starts with "INITRD!!")
	mov ebx, [esi + 0x218]
	test ebx, 0xfff
	call check_zero
	db "ramdisk_image is page aligned", 0
	cmp dword [ebx], 'INIT'
	call check
	db "ramdisk_image holds the initrd", 0
	cmp dword [esi + 0x21c], 4096
	call check
	db "ramdisk_size is the file size", 0
	cmp ebx, 0x37ffffff - 4096 + 1
	setbe al
	cmp al, 1
	call check
	db "initrd below initrd_addr_max", 0
	mov eax, edi
	out 0xf4, al
	hlt

; check: ZF set = pass; the message follows the call.
check_zero:
check:
	pushf
	pop eax
	mov edx, [esp]          ; message address
	test eax, 0x40
	jnz .ok
	inc edi
	mov ecx, not_ok
	call puts
	jmp .msg
.ok:
	mov ecx, ok
	call puts
.msg:
	inc ebp
	mov ecx, edx
	call puts
	mov al, 10
	out 0xe9, al
.skip:	cmp byte [edx], 0
	je .done
	inc edx
	jmp .skip
.done:	inc edx
	mov [esp], edx
	ret

puts:
	push eax
.l:	mov al, [ecx]
	test al, al
	jz .d
	out 0xe9, al
	inc ecx
	jmp .l
.d:	pop eax
	ret

ok: db "ok - ", 0
not_ok: db "not ok - ", 0
kernel_end:
