// SPDX-License-Identifier: MIT
/*
 * The CPUID model (SDM Vol. 2 "CPUID"): exactly what the interpreter
 * implements, and what the KVM engine shows the guest too.
 */
#include <string.h>

#include "cpu/cpu.h"

/* The CPUID model: exactly what the interpreter implements. */
static const char cpu_brand[48] = "popek interpretive x86 CPU";

/*
 * Deterministic cache parameters (leaf 4, SDM Vol. 2 "CPUID", Table 3-8):
 * 32 KiB 8-way L1 data and instruction caches, a 256 KiB 8-way L2, 64-byte
 * lines.  popek models no caches; these describe a plausible machine so
 * software that sizes its buffers by them behaves as on hardware.
 */
static void cache_leaf(uint32_t subleaf, uint32_t r[4])
{
	static const struct {
		uint8_t type, level;
		uint32_t ways, sets;
	} caches[] = {
		{ 1, 1, 8, 64 }, /* L1 data */
		{ 2, 1, 8, 64 }, /* L1 instruction */
		{ 3, 2, 8, 512 }, /* L2 unified */
	};

	if (subleaf >= sizeof(caches) / sizeof(caches[0]))
		return; /* type 0: no more caches */
	r[0] = caches[subleaf].type | ((uint32_t)caches[subleaf].level << 5) |
	       (1u << 8); /* self-initializing; one thread, one core */
	r[1] = ((caches[subleaf].ways - 1) << 22) | (64 - 1);
	r[2] = caches[subleaf].sets - 1;
}

/* Extended topology (leaf 0Bh): one thread on one core. */
static void topology_leaf(uint32_t subleaf, uint32_t r[4])
{
	if (subleaf > 1) {
		r[2] = subleaf; /* level type 0: invalid */
		return;
	}
	r[0] = 0; /* no APIC ID bits for this level */
	r[1] = 1; /* one logical processor */
	r[2] = ((subleaf + 1) << 8) | subleaf; /* SMT, then core */
	r[3] = 0; /* x2APIC ID */
}

/* Public (cpu/cpu.h): the KVM engine shows the guest the same CPU. */
void cpu_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	memset(r, 0, 4 * sizeof(r[0]));
	switch (leaf) {
	case 0:
		r[0] = 0xb;
		memcpy(&r[1], "Genu", 4); /* EBX EDX ECX: GenuineIntel */
		memcpy(&r[3], "ineI", 4);
		memcpy(&r[2], "ntel", 4);
		break;
	case 1:
		r[0] = 0x00000600; /* family 6, model 0, stepping 0 */
		r[1] = 0x00010000; /* one logical CPU, initial APIC ID 0 */
		/* EDX: FPU, PSE, TSC, MSR, PAE, CX8, APIC, SEP, MTRR, PGE,
		 * CMOV, PAT, FXSR (SDM Vol. 2 Table 3-11). */
		r[3] = (1u << 0) | (1u << 3) | (1u << 4) | (1u << 5) |
		       (1u << 6) | (1u << 8) | (1u << 9) | (1u << 11) | (1u << 12) |
		       (1u << 13) | (1u << 15) | (1u << 16) | (1u << 24);
		/* MMX, SSE, SSE2, CLFSH with a 64-byte line (EBX[15:8] = 8);
		 * ECX: SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT (cpu/sse*.c). */
		r[3] |= (1u << 19) | (1u << 23) | (1u << 25) | (1u << 26);
		r[1] |= 8u << 8;
		r[2] |= (1u << 0) | (1u << 9) | (1u << 19) | (1u << 20) |
			(1u << 23);
		r[2] |= 1u << 30; /* RDRAND (cpu/ops_system.c) */
		break;
	case 4:
		cache_leaf(subleaf, r);
		break;
	case 0xb:
		topology_leaf(subleaf, r);
		break;
	case 0x80000000:
		r[0] = 0x80000008;
		break;
	case 0x80000006: /* L2: 256 KiB, 8-way, 64-byte lines */
		r[2] = (256u << 16) | (0x6u << 12) | 64;
		break;
	case 0x80000001:
		r[2] = 1u << 0; /* LAHF/SAHF in 64-bit mode */
		/* SYSCALL, NX, RDTSCP, long mode. */
		r[3] = (1u << 11) | (1u << 20) | (1u << 27) | (1u << 29);
		break;
	case 0x80000008:
		r[0] = 0x3028; /* 48 linear, 40 physical address bits */
		break;
	case 0x80000002:
	case 0x80000003:
	case 0x80000004:
		memcpy(r, cpu_brand + (leaf - 0x80000002) * 16, 16);
		break;
	}
}

