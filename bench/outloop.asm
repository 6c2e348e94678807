; outloop.asm - port-I/O round trips, for bench/kvm (nasm -f bin)
;
; A real-mode boot image: ITERATIONS times "out 0x80, al" (the POST
; diagnostic port), then 0 to port 0xF4.  Each OUT is one exit to the
; VMM under KVM: (time(N) - time(0)) / N is the cost of a round trip.

%ifndef ITERATIONS
%define ITERATIONS 10000
%endif

	bits 16
	org 0x7C00
	cli
	mov ecx, ITERATIONS
	test ecx, ecx
	jz .done
.loop:
	out 0x80, al
	dec ecx
	jnz .loop
.done:
	mov al, 0
	out 0xF4, al
	hlt

	times 510 - ($ - $$) db 0
	dw 0xAA55
