// SPDX-License-Identifier: MIT
/*
 * The RFLAGS bits the SDM leaves undefined, per instruction (SDM Vol. 2,
 * "Flags Affected" of each instruction).  Hardware, KVM's emulator and
 * the interpreter may each leave something different there, so the diff
 * masks them.  Where the rule depends on the count (shifts, rotates:
 * OF is defined only for a count of 1), the table is conservative for
 * counts held in CL or an immediate and exact for the count-1 forms.
 */
#include "diff/diff.h"

#define CF FLAG_CF
#define PF FLAG_PF
#define AF FLAG_AF
#define ZF FLAG_ZF
#define SF FLAG_SF
#define OF FLAG_OF

/* An entry: map, opcode, /digit (-1: any), undefined flags. */
struct undef_entry {
	uint8_t map;
	uint8_t opcode;
	int8_t digit;
	uint16_t flags;
};

static const struct undef_entry undef_table[] = {
	/* AND, OR, XOR, TEST: AF undefined. */
	{ 0, 0x08, -1, AF }, { 0, 0x09, -1, AF }, { 0, 0x0a, -1, AF },
	{ 0, 0x0b, -1, AF }, { 0, 0x0c, -1, AF }, { 0, 0x0d, -1, AF },
	{ 0, 0x20, -1, AF }, { 0, 0x21, -1, AF }, { 0, 0x22, -1, AF },
	{ 0, 0x23, -1, AF }, { 0, 0x24, -1, AF }, { 0, 0x25, -1, AF },
	{ 0, 0x30, -1, AF }, { 0, 0x31, -1, AF }, { 0, 0x32, -1, AF },
	{ 0, 0x33, -1, AF }, { 0, 0x34, -1, AF }, { 0, 0x35, -1, AF },
	{ 0, 0x84, -1, AF }, { 0, 0x85, -1, AF }, { 0, 0xa8, -1, AF },
	{ 0, 0xa9, -1, AF },
	{ 0, 0x80, 1, AF }, { 0, 0x80, 4, AF }, { 0, 0x80, 6, AF },
	{ 0, 0x81, 1, AF }, { 0, 0x81, 4, AF }, { 0, 0x81, 6, AF },
	{ 0, 0x83, 1, AF }, { 0, 0x83, 4, AF }, { 0, 0x83, 6, AF },
	{ 0, 0xf6, 0, AF }, { 0, 0xf6, 1, AF }, { 0, 0xf7, 0, AF },
	{ 0, 0xf7, 1, AF },
	/* DAA, DAS: OF; AAA, AAS: OF SF ZF PF; AAM, AAD: OF AF CF. */
	{ 0, 0x27, -1, OF }, { 0, 0x2f, -1, OF },
	{ 0, 0x37, -1, OF | SF | ZF | PF }, { 0, 0x3f, -1, OF | SF | ZF | PF },
	{ 0, 0xd4, -1, OF | AF | CF }, { 0, 0xd5, -1, OF | AF | CF },
	/* MUL, IMUL: SF ZF AF PF; DIV, IDIV: all six. */
	{ 0, 0xf6, 4, SF | ZF | AF | PF }, { 0, 0xf6, 5, SF | ZF | AF | PF },
	{ 0, 0xf7, 4, SF | ZF | AF | PF }, { 0, 0xf7, 5, SF | ZF | AF | PF },
	{ 0, 0x69, -1, SF | ZF | AF | PF }, { 0, 0x6b, -1, SF | ZF | AF | PF },
	{ 1, 0xaf, -1, SF | ZF | AF | PF },
	{ 0, 0xf6, 6, FLAGS_ARITH }, { 0, 0xf6, 7, FLAGS_ARITH },
	{ 0, 0xf7, 6, FLAGS_ARITH }, { 0, 0xf7, 7, FLAGS_ARITH },
	/*
	 * Rotates (/0-/3): OF undefined unless the count is 1.  Shifts
	 * (/4-/7): AF undefined, OF unless the count is 1.
	 */
	{ 0, 0xc0, -1, OF | AF }, { 0, 0xc1, -1, OF | AF },
	{ 0, 0xd2, -1, OF | AF }, { 0, 0xd3, -1, OF | AF },
	{ 0, 0xd0, 4, AF }, { 0, 0xd0, 5, AF }, { 0, 0xd0, 6, AF },
	{ 0, 0xd0, 7, AF }, { 0, 0xd1, 4, AF }, { 0, 0xd1, 5, AF },
	{ 0, 0xd1, 6, AF }, { 0, 0xd1, 7, AF },
	/* SHLD, SHRD: AF, and OF unless the count is 1. */
	{ 1, 0xa4, -1, OF | AF }, { 1, 0xa5, -1, OF | AF },
	{ 1, 0xac, -1, OF | AF }, { 1, 0xad, -1, OF | AF },
	/* BT, BTS, BTR, BTC: OF SF AF PF. */
	{ 1, 0xa3, -1, OF | SF | AF | PF }, { 1, 0xab, -1, OF | SF | AF | PF },
	{ 1, 0xb3, -1, OF | SF | AF | PF }, { 1, 0xbb, -1, OF | SF | AF | PF },
	{ 1, 0xba, -1, OF | SF | AF | PF },
	/* BSF, BSR: CF OF SF AF PF (ZF says whether the source was 0). */
	{ 1, 0xbc, -1, CF | OF | SF | AF | PF },
	{ 1, 0xbd, -1, CF | OF | SF | AF | PF },
};

/* The offset of the byte after the ModRM operand (SIB, displacement). */
static unsigned after_modrm(const struct diff_insn *i)
{
	unsigned k = i->len_guess, mod = i->modrm >> 6, rm = i->modrm & 7;
	bool a16 = i->bits == 16 ? !i->addrsize : (i->bits == 32 && i->addrsize);

	if (mod == 3)
		return k;
	if (a16)
		return k + (mod == 1 ? 1 : mod == 2 || rm == 6 ? 2 : 0);
	if (rm == 4 && k < i->avail) {
		if (mod == 0 && (i->bytes[k] & 7) == 5)
			return k + 1 + 4;
		k++;
	}
	return k + (mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 5) ? 4 : 0);
}

/* The operand size in bits (without the byte forms). */
static unsigned operand_bits(const struct diff_insn *i)
{
	if (i->bits == 64 && (i->rex & 8))
		return 64;
	return (i->bits == 16) != i->opsize ? 16 : 32;
}

/*
 * The count of a shift by CL or by an immediate, masked as the processor
 * masks it (SDM Vol. 2B SAL/SAR/SHL/SHR, SHLD, SHRD: 5 bits, 6 with a
 * 64-bit operand); -1 when the instruction is not such a shift.
 */
static int shift_count(const struct diff_insn *i, const struct cpu_state *s)
{
	unsigned mask = operand_bits(i) == 64 ? 0x3f : 0x1f, at;
	bool imm, byte = false;

	if (i->map == 1 && (i->opcode == 0xa4 || i->opcode == 0xac))
		imm = true;
	else if (i->map == 1 && (i->opcode == 0xa5 || i->opcode == 0xad))
		imm = false;
	else if (i->map == 0 && (i->opcode == 0xc0 || i->opcode == 0xc1))
		imm = true, byte = i->opcode == 0xc0;
	else if (i->map == 0 && (i->opcode == 0xd2 || i->opcode == 0xd3))
		imm = false, byte = i->opcode == 0xd2;
	else
		return -1;
	if (byte)
		mask = 0x1f;
	if (!imm)
		return (int)(s->gpr[R_CX] & mask);
	at = after_modrm(i);
	return at < i->avail ? (int)(i->bytes[at] & mask) : -1;
}

/*
 * With the count known: SHLD/SHRD of a 16-bit operand by more than 16
 * leave the destination and every flag undefined; SHL/SHR of a byte or
 * word by at least its width leave CF undefined (SDM Vol. 2B).
 */
static uint64_t count_rules(const struct diff_insn *i,
			    const struct cpu_state *s, bool *dest)
{
	int count = shift_count(i, s), digit = (i->modrm >> 3) & 7;
	bool byte = i->map == 0 && (i->opcode == 0xc0 || i->opcode == 0xd2);
	unsigned width = byte ? 8 : operand_bits(i);

	if (count < 0)
		return 0;
	if (i->map == 1 && width == 16 && count > 16) {
		*dest = true;
		return FLAGS_ARITH;
	}
	if (i->map == 0 && (digit == 4 || digit == 5 || digit == 6) &&
	    width <= 16 && (unsigned)count >= width)
		return CF;
	return 0;
}

bool diff_insn_dest_undefined(const struct diff_insn *i,
			      const struct cpu_state *before, int *reg)
{
	bool dest = false;

	if (!before)
		return false;
	count_rules(i, before, &dest);
	if (!dest)
		return false;
	*reg = (i->modrm >> 6) == 3 ?
		       (int)((i->modrm & 7) | ((i->rex & 1) ? 8 : 0)) :
		       -1;
	return true;
}

uint64_t diff_undefined_flags(const struct diff_insn *i,
			      const struct cpu_state *before)
{
	int digit = (i->modrm >> 3) & 7;
	uint64_t flags = 0;
	bool dest;

	if (before)
		flags |= count_rules(i, before, &dest);
	else if (i->map == 1 && (i->opcode == 0xa4 || i->opcode == 0xa5 ||
				 i->opcode == 0xac || i->opcode == 0xad))
		flags |= FLAGS_ARITH; /* the count is not known */

	/* POPCNT (F3 0F B8) and LZCNT/TZCNT define every flag they touch. */
	if (i->map == 1 && i->rep && (i->opcode == 0xbc || i->opcode == 0xbd))
		return 0;
	for (size_t k = 0; k < sizeof(undef_table) / sizeof(undef_table[0]);
	     k++) {
		const struct undef_entry *e = &undef_table[k];

		if (e->map == i->map && e->opcode == i->opcode &&
		    (e->digit < 0 || (i->has_modrm && e->digit == digit)))
			flags |= e->flags;
	}
	return flags;
}

bool diff_insn_dest_undefined_if_zf(const struct diff_insn *i, int *reg)
{
	if (i->map != 1 || (i->opcode != 0xbc && i->opcode != 0xbd) || i->rep)
		return false;
	*reg = ((i->modrm >> 3) & 7) | ((i->rex & 4) ? 8 : 0);
	return true;
}
