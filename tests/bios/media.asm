; SPDX-License-Identifier: MIT
;
; media: a disk image made of a boot program and marker sectors.
;   nasm -f bin -DPROG='"prog.bin"' -DFIRST=n -DTOTAL=m -o disk.img media.asm
; Sectors 0 .. FIRST-1 are PROG; every later sector LBA starts with
; "MARK" and the LBA as a dword, so a test can tell which sector it read.

	incbin PROG
%assign lba FIRST
%rep TOTAL - FIRST
	db "MARK"
	dd lba
	times 504 db 0
%assign lba lba + 1
%endrep
