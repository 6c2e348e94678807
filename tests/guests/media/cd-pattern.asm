; cd-pattern.asm - a 16-sector CD-ROM image (2048-byte sectors) for the
; ATAPI guest test.  Sector n holds "POPEKCD\0", the dword n, bytes n,
; and the dword C0DE0000h + n at its end.
%assign lba 0
%rep 16
	db "POPEKCD", 0
	dd lba
	times 2044 - 12 db lba
	dd 0xC0DE0000 + lba
%assign lba lba + 1
%endrep
