// SPDX-License-Identifier: MIT
/* Decimal adjustment (SDM Vol. 2: DAA, DAS, AAA, AAS, AAM, AAD) and the
 * undocumented SALC. */
#include "cpu/ops.h"

static void bcd_result(struct cpu *c, uint32_t al, bool cf, bool af)
{
	flags_logic(c, al & 0xff, 1);
	flags_set_cf_of(c, cf, false);
	flags_set_af(c, af);
}

HANDLER(op_daa)
{
	uint32_t al = reg_read(c, R_AX, 1), old_al = al;
	bool old_cf = flag_cf(c), cf = false, af = false;

	(void)i;
	if ((al & 0xf) > 9 || flag_af(c)) {
		cf = old_cf || al + 6 > 0xff;
		al = (al + 6) & 0xff;
		af = true;
	}
	if (old_al > 0x99 || old_cf) {
		al = (al + 0x60) & 0xff;
		cf = true;
	} else {
		cf = false;
	}
	reg_write(c, R_AX, 1, al);
	bcd_result(c, al, cf, af);
}

HANDLER(op_das)
{
	uint32_t al = reg_read(c, R_AX, 1), old_al = al;
	bool old_cf = flag_cf(c), cf = false, af = false;

	(void)i;
	if ((al & 0xf) > 9 || flag_af(c)) {
		cf = old_cf || al < 6;
		al = (al - 6) & 0xff;
		af = true;
	}
	if (old_al > 0x99 || old_cf) {
		al = (al - 0x60) & 0xff;
		cf = true;
	}
	reg_write(c, R_AX, 1, al);
	bcd_result(c, al, cf, af);
}

HANDLER(op_aaa)
{
	uint32_t ax = reg_read(c, R_AX, 2);
	bool adjust = (ax & 0xf) > 9 || flag_af(c);

	(void)i;
	if (adjust)
		ax += 0x106;
	ax = (ax & 0xff00) | (ax & 0x0f);
	reg_write(c, R_AX, 2, ax);
	bcd_result(c, ax & 0xff, adjust, adjust);
}

HANDLER(op_aas)
{
	uint32_t ax = reg_read(c, R_AX, 2);
	bool adjust = (ax & 0xf) > 9 || flag_af(c);

	(void)i;
	/* AX - 6 borrows from AH, then AH - 1 (SDM Vol. 2 "AAS"). */
	if (adjust) {
		ax = (ax - 6) & 0xffff;
		ax = (ax - 0x100) & 0xffff;
	}
	ax = (ax & 0xff00) | (ax & 0x0f);
	reg_write(c, R_AX, 2, ax);
	bcd_result(c, ax & 0xff, adjust, adjust);
}

HANDLER(op_aam)
{
	uint32_t al = reg_read(c, R_AX, 1), base = i->imm & 0xff;

	if (base == 0)
		cpu_raise(c, EXC_DE);
	reg_write(c, R_AX, 2, ((al / base) << 8) | (al % base));
	flags_logic(c, al % base, 1);
}

/* AAD's undefined flags come out as those of the final byte addition. */
HANDLER(op_aad)
{
	uint32_t al = reg_read(c, R_AX, 1), ah = reg_read(c, R_AH, 1);
	uint32_t product = (ah * (i->imm & 0xff)) & 0xff;
	uint32_t r = (al + product) & 0xff;

	reg_write(c, R_AX, 2, r);
	flags_add(c, al, product, r, 1);
}

HANDLER(op_salc)
{
	(void)i;
	reg_write(c, R_AX, 1, flag_cf(c) ? 0xff : 0);
}
