// SPDX-License-Identifier: MIT
/* The shape of a test's instruction: prefixes, ModRM, stack use. */
#include "conformance/sst_insn.h"

bool sst_insn_is_prefix(uint8_t b)
{
	switch (b) {
	case 0x26:
	case 0x2E:
	case 0x36:
	case 0x3E:
	case 0xF0:
	case 0xF2:
	case 0xF3:
		return true;
	default:
		return false;
	}
}

uint32_t sst_insn_prefix_count(const struct moo_test *t)
{
	uint32_t i = 0;

	while (i < t->byte_count && sst_insn_is_prefix(t->bytes[i]))
		i++;
	return i;
}

uint32_t sst_insn_length(const struct moo_test *t)
{
	if (t->byte_count && t->bytes[t->byte_count - 1] == 0xF4)
		return t->byte_count - 1;
	return t->byte_count;
}

bool sst_insn_has_lock(const struct moo_test *t)
{
	uint32_t i, n = sst_insn_prefix_count(t);

	for (i = 0; i < n; i++)
		if (t->bytes[i] == 0xF0)
			return true;
	return false;
}

/* Does the one-byte opcode take a ModRM byte (80286 opcode map)? */
static bool has_modrm(uint8_t op)
{
	if (op < 0x40)
		return (op & 7) < 4;
	switch (op) {
	case 0x62:
	case 0x63:
	case 0x69:
	case 0x6B:
	case 0xC0:
	case 0xC1:
	case 0xC4:
	case 0xC5:
	case 0xC6:
	case 0xC7:
	case 0xF6:
	case 0xF7:
	case 0xFE:
	case 0xFF:
		return true;
	default:
		return (op >= 0x80 && op <= 0x8F) ||
		       (op >= 0xD0 && op <= 0xD3) || (op >= 0xD8 && op <= 0xDF);
	}
}

bool sst_insn_lock_allowed(const struct moo_test *t)
{
	uint32_t i = sst_insn_prefix_count(t);
	uint8_t op, reg;

	if (i + 1 >= t->byte_count)
		return false;
	op = t->bytes[i];
	if (!has_modrm(op) || (t->bytes[i + 1] >> 6) == 3)
		return false; /* no memory destination */
	reg = (t->bytes[i + 1] >> 3) & 7;
	if (op < 0x40)
		return (op & 7) <= 1 && (op >> 3) != 7; /* not CMP */
	switch (op) {
	case 0x80:
	case 0x81:
	case 0x82:
	case 0x83:
		return reg != 7; /* not CMP */
	case 0x86:
	case 0x87:
		return true;
	case 0xF6:
	case 0xF7:
		return reg == 2 || reg == 3; /* NOT, NEG */
	case 0xFE:
	case 0xFF:
		return reg <= 1; /* INC, DEC */
	default:
		return false;
	}
}

/* Instructions that push or pop, implicitly through SS:SP. */
static bool uses_stack(uint8_t op, uint8_t reg)
{
	switch (op) {
	case 0x06:
	case 0x07:
	case 0x0E:
	case 0x16:
	case 0x17:
	case 0x1E:
	case 0x1F:
	case 0x60:
	case 0x61:
	case 0x68:
	case 0x6A:
	case 0x8F:
	case 0x9A:
	case 0x9C:
	case 0x9D:
	case 0xC2:
	case 0xC3:
	case 0xC8:
	case 0xC9:
	case 0xCA:
	case 0xCB:
	case 0xCC:
	case 0xCD:
	case 0xCE:
	case 0xCF:
	case 0xE8:
		return true;
	case 0xFF:
		return reg == 2 || reg == 3 || reg == 6; /* CALL, PUSH */
	default:
		return op >= 0x50 && op <= 0x5F;
	}
}

bool sst_insn_may_use_ss(const struct moo_test *t)
{
	uint32_t i, n = sst_insn_prefix_count(t);
	bool override = false;
	uint8_t op, modrm, mod, rm;

	for (i = 0; i < n; i++) {
		if (t->bytes[i] == 0x36)
			return true;
		if (t->bytes[i] != 0xF0 && t->bytes[i] != 0xF2 &&
		    t->bytes[i] != 0xF3)
			override = true;
	}
	if (n >= t->byte_count)
		return false;
	op = t->bytes[n];
	modrm = n + 1 < t->byte_count ? t->bytes[n + 1] : 0;
	if (uses_stack(op, (modrm >> 3) & 7))
		return true;
	if (!has_modrm(op) || override || n + 1 >= t->byte_count)
		return false;
	mod = modrm >> 6;
	rm = modrm & 7;
	/* [bp+si], [bp+di], [bp+disp] default to SS (SDM Vol. 2A Table 2-1). */
	return mod != 3 && (rm == 2 || rm == 3 || (rm == 6 && mod != 0));
}
