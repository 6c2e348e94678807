// SPDX-License-Identifier: MIT
/*
 * Disassembly through Zydis 4's one-call API.  The machine mode follows
 * the code size the debugger derives from CS (real and 16-bit protected
 * code, 32-bit, 64-bit long mode).
 */
#include <stdio.h>
#include <string.h>

#include <Zydis/Zydis.h>

#include "debugger/disasm.h"

static ZydisMachineMode mode_of(int bits)
{
	switch (bits) {
	case 64:
		return ZYDIS_MACHINE_MODE_LONG_64;
	case 32:
		return ZYDIS_MACHINE_MODE_LEGACY_32;
	default:
		return ZYDIS_MACHINE_MODE_LEGACY_16;
	}
}

unsigned disasm_one(int bits, uint64_t pc, const uint8_t *bytes, size_t n,
		    char *out, size_t outlen)
{
	ZydisDisassembledInstruction insn;

	if (n > 15)
		n = 15;
	if (n == 0 ||
	    !ZYAN_SUCCESS(ZydisDisassembleIntel(mode_of(bits), pc, bytes, n,
						&insn))) {
		snprintf(out, outlen, "(bad)");
		return 0;
	}
	snprintf(out, outlen, "%s", insn.text);
	return insn.info.length;
}

int disasm_is_step_over(int bits, const uint8_t *bytes, size_t n)
{
	ZydisDisassembledInstruction insn;

	if (n > 15)
		n = 15;
	if (n == 0 ||
	    !ZYAN_SUCCESS(ZydisDisassembleIntel(mode_of(bits), 0, bytes, n,
						&insn)))
		return 0;
	switch (insn.info.mnemonic) {
	case ZYDIS_MNEMONIC_CALL:
	case ZYDIS_MNEMONIC_INT:
	case ZYDIS_MNEMONIC_INT3:
	case ZYDIS_MNEMONIC_INTO:
	case ZYDIS_MNEMONIC_INT1:
	case ZYDIS_MNEMONIC_LOOP:
	case ZYDIS_MNEMONIC_LOOPE:
	case ZYDIS_MNEMONIC_LOOPNE:
		return insn.info.length;
	default:
		break;
	}
	if (insn.info.attributes &
	    (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE |
	     ZYDIS_ATTRIB_HAS_REPNE))
		return insn.info.length;
	return 0;
}
