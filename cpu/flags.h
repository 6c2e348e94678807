/* SPDX-License-Identifier: MIT */
/*
 * Lazy arithmetic flags.  Each arithmetic instruction stores its result
 * and a carry vector; flags are derived only when something reads them.
 * Included from interp.h.
 */
#ifndef POPEK_CPU_FLAGS_H
#define POPEK_CPU_FLAGS_H

static inline uint64_t lf_extend(uint64_t r, int size)
{
	switch (size) {
	case 1:
		return (uint64_t)(int64_t)(int8_t)r;
	case 2:
		return (uint64_t)(int64_t)(int16_t)r;
	case 4:
		return (uint64_t)(int64_t)(int32_t)r;
	default:
		return r;
	}
}

/* Carry bits c[top] and c[top-1] to bits 31/30, c[3] to bit 3. */
static inline uint32_t lf_carries(uint64_t cv, int size)
{
	return (uint32_t)(cv & LF_AF_MASK) |
	       (uint32_t)(((cv >> (size * 8 - 2)) & 3) << LF_PO_BIT);
}

static inline void flags_add(struct cpu *c, uint64_t a, uint64_t b,
			     uint64_t r, int size)
{
	uint64_t cv = (a & b) | ((a | b) & ~r);

	c->lf_res = lf_extend(r, size);
	c->lf_aux = lf_carries(cv, size);
}

static inline void flags_sub(struct cpu *c, uint64_t a, uint64_t b,
			     uint64_t r, int size)
{
	/* Borrow out of each bit: ~a & b, or a borrow in (a ^ b ^ r) that
	 * a == b passes on. */
	uint64_t bv = (~a & b) | (~(a ^ b) & r);

	c->lf_res = lf_extend(r, size);
	c->lf_aux = lf_carries(bv, size);
}

static inline void flags_logic(struct cpu *c, uint64_t r, int size)
{
	c->lf_res = lf_extend(r, size);
	c->lf_aux = 0;
}

static inline bool flag_cf(const struct cpu *c)
{
	return c->lf_aux >> LF_CF_BIT;
}

static inline bool flag_of(const struct cpu *c)
{
	return ((c->lf_aux >> LF_CF_BIT) ^ (c->lf_aux >> LF_PO_BIT)) & 1;
}

static inline bool flag_af(const struct cpu *c)
{
	return (c->lf_aux & LF_AF_MASK) != 0;
}

static inline bool flag_zf(const struct cpu *c)
{
	return c->lf_res == 0;
}

static inline bool flag_sf(const struct cpu *c)
{
	return ((c->lf_res >> 63) ^ (c->lf_aux >> LF_SD_BIT)) & 1;
}

static inline bool flag_pf(const struct cpu *c)
{
	uint8_t low = (uint8_t)(c->lf_res ^ (c->lf_aux >> LF_PD_SHIFT));

	return !__builtin_parity(low);
}

/* Set CF and OF explicitly, leaving ZF/SF/PF/AF as they are. */
static inline void flags_set_cf_of(struct cpu *c, bool cf, bool of)
{
	c->lf_aux = (c->lf_aux & ~(3u << LF_PO_BIT)) |
		    ((uint32_t)cf << LF_CF_BIT) |
		    ((uint32_t)(cf ^ of) << LF_PO_BIT);
}

static inline void flags_set_cf(struct cpu *c, bool cf)
{
	flags_set_cf_of(c, cf, flag_of(c));
}

static inline void flags_set_of(struct cpu *c, bool of)
{
	flags_set_cf_of(c, flag_cf(c), of);
}

static inline void flags_set_af(struct cpu *c, bool af)
{
	c->lf_aux = (c->lf_aux & ~LF_AF_MASK) | (af ? LF_AF_MASK : 0);
}

/* Store an arbitrary combination of the six arithmetic flags. */
static inline void flags_load(struct cpu *c, uint32_t f)
{
	bool zf = f & FLAG_ZF, pf = f & FLAG_PF;
	bool cf = f & FLAG_CF, of = f & FLAG_OF;
	/* res 0 has even parity (PF=1), res 1 odd (PF=0). */
	bool res_pf = zf;

	c->lf_res = zf ? 0 : 1;
	c->lf_aux = ((uint32_t)cf << LF_CF_BIT) |
		    ((uint32_t)(cf ^ of) << LF_PO_BIT) |
		    ((f & FLAG_AF) ? LF_AF_MASK : 0) |
		    ((f & FLAG_SF) ? 1u << LF_SD_BIT : 0) |
		    ((pf != res_pf) ? 1u << LF_PD_SHIFT : 0);
}

static inline uint32_t flags_arith(const struct cpu *c)
{
	return (flag_cf(c) ? FLAG_CF : 0) | (flag_pf(c) ? FLAG_PF : 0) |
	       (flag_af(c) ? FLAG_AF : 0) | (flag_zf(c) ? FLAG_ZF : 0) |
	       (flag_sf(c) ? FLAG_SF : 0) | (flag_of(c) ? FLAG_OF : 0);
}

#endif
