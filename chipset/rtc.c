// SPDX-License-Identifier: MIT
/*
 * The MC146818 RTC and CMOS RAM.  Section names refer to the Motorola
 * MC146818A datasheet: "Address Map", "Time, Calendar and Alarm
 * Locations" (Table 3: binary and BCD, 12/24-hour), "Register A" (UIP,
 * DV2-0, RS3-0 and Table 4, the periodic rates), "Register B", "Register
 * C", "Register D", "Update Cycle" (UIP is set 244 us before the update,
 * which takes 1984 us).  The CMOS byte map is the IBM PC/AT's (Technical
 * Reference, "CMOS RAM Address Map").
 *
 * The time registers hold what the guest wrote, in whatever format
 * register B says; each update cycle decodes them, adds the seconds that
 * passed, and encodes them back.  Registers that hold no valid date are
 * left alone by the update.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chipset/rtc.h"
#include "machine/machine.h"

#define NS_PER_SEC 1000000000ull
#define NS_PER_US 1000ull
#define TIME_BASE_HZ 32768u /* the PC's crystal, DV = 010 */
#define UIP_BEFORE_UPDATE_NS ((244ull + 1984ull) * NS_PER_US)
#define FIRST_UPDATE_DELAY_NS (NS_PER_SEC / 2)
#define SECS_PER_DAY 86400ull
#define ALARM_DONT_CARE 0xc0
#define NMI_MASK_BIT 0x80

/* Register A divider values: 11x holds the divider chain in reset. */
#define DIVIDER_RESET 0x60

/* --- calendar arithmetic ----------------------------------------------- */

static bool leap_year(uint64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(uint64_t y, unsigned month)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };

	return days[month - 1] + (month == 2 && leap_year(y));
}

/* Days from 1 January of year 0 to 1 January of year y. */
static uint64_t days_before_year(uint64_t y)
{
	if (y == 0)
		return 0;
	y--;
	return y * 365 + y / 4 - y / 100 + y / 400 + 366;
}

struct date_time {
	uint64_t year; /* four digits */
	unsigned month, day, hour, minute, second;
};

static uint64_t to_seconds(const struct date_time *t)
{
	uint64_t days = days_before_year(t->year);

	for (unsigned mo = 1; mo < t->month; mo++)
		days += days_in_month(t->year, mo);
	days += t->day - 1;
	return days * SECS_PER_DAY + t->hour * 3600ull + t->minute * 60ull +
	       t->second;
}

static void from_seconds(uint64_t secs, struct date_time *t)
{
	uint64_t days = secs / SECS_PER_DAY, rest = secs % SECS_PER_DAY;
	uint64_t y = days / 366;

	while (days_before_year(y + 1) <= days)
		y++;
	days -= days_before_year(y);
	t->year = y;
	t->month = 1;
	while (days >= days_in_month(y, t->month)) {
		days -= days_in_month(y, t->month);
		t->month++;
	}
	t->day = (unsigned)days + 1;
	t->hour = (unsigned)(rest / 3600);
	t->minute = (unsigned)(rest / 60 % 60);
	t->second = (unsigned)(rest % 60);
}

/* --- register formats (Table 3) ---------------------------------------- */

static bool binary_mode(const struct rtc *r)
{
	return r->cmos[RTC_REG_B] & RTC_B_BINARY;
}

static bool decode(const struct rtc *r, uint8_t v, unsigned *out)
{
	if (binary_mode(r)) {
		*out = v;
		return true;
	}
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return false;
	*out = (v >> 4) * 10u + (v & 0x0f);
	return true;
}

static uint8_t encode(const struct rtc *r, unsigned v)
{
	return binary_mode(r) ? (uint8_t)v : (uint8_t)((v / 10) << 4 | v % 10);
}

static bool decode_hour(const struct rtc *r, uint8_t v, unsigned *hour)
{
	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return decode(r, v, hour) && *hour < 24;
	/* 12-hour: 1-12 with bit 7 for PM. */
	if (!decode(r, v & 0x7f, hour) || *hour < 1 || *hour > 12)
		return false;
	*hour = *hour % 12 + ((v & 0x80) ? 12 : 0);
	return true;
}

static uint8_t encode_hour(const struct rtc *r, unsigned hour)
{
	unsigned h12 = hour % 12 ? hour % 12 : 12;

	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return encode(r, hour);
	return (uint8_t)(encode(r, h12) | (hour >= 12 ? 0x80 : 0));
}

static bool read_time(const struct rtc *r, struct date_time *t)
{
	unsigned year, century;

	if (!decode(r, r->cmos[RTC_SECONDS], &t->second) ||
	    !decode(r, r->cmos[RTC_MINUTES], &t->minute) ||
	    !decode_hour(r, r->cmos[RTC_HOURS], &t->hour) ||
	    !decode(r, r->cmos[RTC_DAY_OF_MONTH], &t->day) ||
	    !decode(r, r->cmos[RTC_MONTH], &t->month) ||
	    !decode(r, r->cmos[RTC_YEAR], &year))
		return false;
	/* The century byte is BCD whatever register B says. */
	century = (r->cmos[CMOS_CENTURY] >> 4) * 10u +
		  (r->cmos[CMOS_CENTURY] & 15);
	t->year = century * 100ull + year;
	return t->second < 60 && t->minute < 60 && year < 100 &&
	       t->month >= 1 && t->month <= 12 && t->day >= 1 &&
	       t->day <= days_in_month(t->year, t->month);
}

static void write_time(struct rtc *r, const struct date_time *t)
{
	unsigned century = (unsigned)(t->year / 100 % 100);

	r->cmos[RTC_SECONDS] = encode(r, t->second);
	r->cmos[RTC_MINUTES] = encode(r, t->minute);
	r->cmos[RTC_HOURS] = encode_hour(r, t->hour);
	r->cmos[RTC_DAY_OF_MONTH] = encode(r, t->day);
	r->cmos[RTC_MONTH] = encode(r, t->month);
	r->cmos[RTC_YEAR] = encode(r, (unsigned)(t->year % 100));
	r->cmos[CMOS_CENTURY] = (uint8_t)((century / 10) << 4 | century % 10);
}

/* An alarm byte matches its time byte, or is "don't care" (11xxxxxx). */
static bool alarm_matches(const struct rtc *r)
{
	static const uint8_t pairs[3][2] = {
		{ RTC_SECONDS_ALARM, RTC_SECONDS },
		{ RTC_MINUTES_ALARM, RTC_MINUTES },
		{ RTC_HOURS_ALARM, RTC_HOURS },
	};

	for (unsigned i = 0; i < 3; i++) {
		uint8_t a = r->cmos[pairs[i][0]];

		if ((a & ALARM_DONT_CARE) != ALARM_DONT_CARE &&
		    a != r->cmos[pairs[i][1]])
			return false;
	}
	return true;
}

/* --- the divider chain, update cycles and periodic interrupts ---------- */

static bool divider_running(const struct rtc *r)
{
	return (r->cmos[RTC_REG_A] & DIVIDER_RESET) != DIVIDER_RESET;
}

/* log2 of the periodic period in 32.768 kHz clocks (Table 4), or -1. */
static int periodic_shift(const struct rtc *r)
{
	unsigned rs = r->cmos[RTC_REG_A] & RTC_A_RATE;

	if (rs == 0)
		return -1;
	return rs <= 2 ? (int)rs + 6 : (int)rs - 1;
}

static uint64_t base_clocks_at(const struct rtc *r, uint64_t ns)
{
	uint64_t d = ns - r->divider_start_ns;

	return d / NS_PER_SEC * TIME_BASE_HZ +
	       d % NS_PER_SEC * TIME_BASE_HZ / NS_PER_SEC;
}

static uint64_t base_clock_ns(const struct rtc *r, uint64_t clocks)
{
	return r->divider_start_ns + clocks / TIME_BASE_HZ * NS_PER_SEC +
	       (clocks % TIME_BASE_HZ * NS_PER_SEC + TIME_BASE_HZ - 1) /
		       TIME_BASE_HZ;
}

static uint64_t periodic_index_at(const struct rtc *r, uint64_t ns)
{
	int shift = periodic_shift(r);

	return shift < 0 ? 0 : base_clocks_at(r, ns) >> shift;
}

/* Update cycles that have ended by ns. */
static uint64_t updates_by(const struct rtc *r, uint64_t ns)
{
	if (ns < r->first_update_ns)
		return 0;
	return (ns - r->first_update_ns) / NS_PER_SEC + 1;
}

static uint64_t update_ns(const struct rtc *r, uint64_t n)
{
	return r->first_update_ns + (n - 1) * NS_PER_SEC;
}

/* n update cycles: the time advances n seconds; AF if the alarm hit. */
static void run_updates(struct rtc *r, uint64_t n)
{
	struct date_time t;
	uint64_t secs, days;
	bool alarm = false;

	r->updates += n;
	r->cmos[RTC_REG_C] |= RTC_C_UF;
	if (!read_time(r, &t))
		return;
	secs = to_seconds(&t);
	/* A day of seconds covers every alarm an hour:minute:second can
	 * name; beyond that the alarm has surely hit. */
	if (n > SECS_PER_DAY) {
		alarm = true;
		from_seconds(secs + n, &t);
		write_time(r, &t);
	} else {
		for (uint64_t i = 1; i <= n; i++) {
			from_seconds(secs + i, &t);
			write_time(r, &t);
			alarm |= alarm_matches(r);
		}
	}
	days = to_seconds(&t) / SECS_PER_DAY - secs / SECS_PER_DAY;
	/* Day of week 1-7: (d - 1 + days) mod 7 + 1. */
	r->cmos[RTC_DAY_OF_WEEK] =
		(uint8_t)((r->cmos[RTC_DAY_OF_WEEK] + 6 + days) % 7 + 1);
	if (alarm) {
		r->alarms++;
		r->cmos[RTC_REG_C] |= RTC_C_AF;
	}
}

static void update_irq(struct rtc *r)
{
	uint8_t b = r->cmos[RTC_REG_B], c = r->cmos[RTC_REG_C] & 0x70;
	bool level = (c & b & (RTC_B_PIE | RTC_B_AIE | RTC_B_UIE)) != 0;

	if (level)
		r->cmos[RTC_REG_C] |= RTC_C_IRQF;
	if (level != r->irq_level) {
		r->irq_level = level;
		irq_set(r->m, RTC_IRQ, level);
	}
}

/* Account for everything that happened up to now. */
static void rtc_sync(struct rtc *r)
{
	uint64_t now = clock_now_ns(r->m), n, p;

	if (!divider_running(r))
		return;
	p = periodic_index_at(r, now);
	if (periodic_shift(r) >= 0 && p > r->periodic_done) {
		r->periodic += p - r->periodic_done;
		r->cmos[RTC_REG_C] |= RTC_C_PF;
	}
	r->periodic_done = p;
	n = updates_by(r, now);
	if (n > r->updates_done) {
		/* With SET, updates do not reach the registers ("Register B"). */
		if (!(r->cmos[RTC_REG_B] & RTC_B_SET))
			run_updates(r, n - r->updates_done);
		r->updates_done = n;
	}
	update_irq(r);
}

/* Arm the timer for the next event an enabled interrupt needs. */
static void rtc_arm(struct rtc *r)
{
	uint8_t b = r->cmos[RTC_REG_B];
	uint64_t next = UINT64_MAX;
	int shift = periodic_shift(r);

	if (divider_running(r)) {
		if ((b & RTC_B_PIE) && shift >= 0)
			next = base_clock_ns(r, (r->periodic_done + 1)
							<< shift);
		if ((b & (RTC_B_UIE | RTC_B_AIE)) && !(b & RTC_B_SET)) {
			uint64_t u = update_ns(r, r->updates_done + 1);

			if (u < next)
				next = u;
		}
	}
	if (next == UINT64_MAX)
		timer_cancel(r->m, &r->timer);
	else
		timer_arm(r->m, &r->timer, next);
}

static void rtc_timer_fired(struct machine *m, struct timer *t)
{
	struct rtc *r = t->opaque;

	(void)m;
	rtc_sync(r);
	rtc_arm(r);
}

static bool update_in_progress(const struct rtc *r)
{
	uint64_t now = clock_now_ns(r->m);
	uint64_t next = update_ns(r, updates_by(r, now) + 1);

	return divider_running(r) && !(r->cmos[RTC_REG_B] & RTC_B_SET) &&
	       next - now <= UIP_BEFORE_UPDATE_NS;
}

/* --- register access --------------------------------------------------- */

static void write_reg_a(struct rtc *r, uint8_t v)
{
	bool was_running = divider_running(r);

	r->cmos[RTC_REG_A] = v & (uint8_t)~RTC_A_UIP;
	if (!was_running && divider_running(r)) {
		/* The first update comes 500 ms after reset ends. */
		uint64_t now = clock_now_ns(r->m);

		r->divider_start_ns = now;
		r->first_update_ns = now + FIRST_UPDATE_DELAY_NS;
		r->updates_done = 0;
	}
	r->periodic_done = periodic_index_at(r, clock_now_ns(r->m));
}

static uint8_t rtc_reg_read(struct rtc *r, unsigned index)
{
	uint8_t v;

	rtc_sync(r);
	switch (index) {
	case RTC_REG_A:
		v = r->cmos[RTC_REG_A];
		if (update_in_progress(r))
			v |= RTC_A_UIP;
		return v;
	case RTC_REG_C:
		/* Reading C clears every flag and the IRQ ("Register C"). */
		v = r->cmos[RTC_REG_C];
		r->cmos[RTC_REG_C] = 0;
		update_irq(r);
		rtc_arm(r);
		return v;
	case RTC_REG_D:
		return RTC_D_VRT;
	default:
		return r->cmos[index];
	}
}

static void rtc_reg_write(struct rtc *r, unsigned index, uint8_t v)
{
	rtc_sync(r);
	switch (index) {
	case RTC_REG_A:
		write_reg_a(r, v);
		break;
	case RTC_REG_B:
		/* SET clears UIE ("Register B"). */
		if (v & RTC_B_SET)
			v &= (uint8_t)~RTC_B_UIE;
		r->cmos[RTC_REG_B] = v;
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		return; /* read-only */
	default:
		r->cmos[index] = v;
		return;
	}
	update_irq(r);
	rtc_arm(r);
}

static uint32_t rtc_io_read(void *dev, uint16_t port, unsigned size)
{
	struct rtc *r = dev;

	(void)size;
	/* The index port is write-only on the AT. */
	if (port == RTC_PORT)
		return 0xff;
	return rtc_reg_read(r, r->index);
}

static void rtc_io_write(void *dev, uint16_t port, unsigned size,
			 uint32_t value)
{
	struct rtc *r = dev;

	(void)size;
	if (port == RTC_PORT) {
		r->index = value & (CMOS_SIZE - 1);
		/* Bit 7 masks NMI at the chipset (PC/AT port 70h). */
		r->m->irq.nmi_masked = value & NMI_MASK_BIT;
		return;
	}
	rtc_reg_write(r, r->index, (uint8_t)value);
}

/* --- the PC's CMOS contents -------------------------------------------- */

static void update_checksum(struct rtc *r)
{
	unsigned sum = 0;

	for (unsigned i = CMOS_FLOPPY_TYPES; i < CMOS_CHECKSUM_HI; i++)
		sum += r->cmos[i];
	r->cmos[CMOS_CHECKSUM_HI] = (uint8_t)(sum >> 8);
	r->cmos[CMOS_CHECKSUM_LO] = (uint8_t)sum;
}

void rtc_cmos_set(struct rtc *r, unsigned index, uint8_t value)
{
	if (index >= CMOS_SIZE)
		return;
	r->cmos[index] = value;
	if (index >= CMOS_FLOPPY_TYPES && index < CMOS_CHECKSUM_HI)
		update_checksum(r);
}

uint8_t rtc_cmos_get(struct rtc *r, unsigned index)
{
	return index < CMOS_SIZE ? r->cmos[index] : 0xff;
}

static void set_word(struct rtc *r, unsigned lo, uint64_t value)
{
	if (value > 0xffff)
		value = 0xffff;
	r->cmos[lo] = (uint8_t)value;
	r->cmos[lo + 1] = (uint8_t)(value >> 8);
}

static enum cmos_boot_device boot_device(char letter)
{
	switch (letter) {
	case 'a':
		return CMOS_BOOT_FLOPPY;
	case 'c':
		return CMOS_BOOT_DISK;
	case 'd':
		return CMOS_BOOT_CDROM;
	case 'n':
		return CMOS_BOOT_NETWORK;
	default:
		return CMOS_BOOT_NONE;
	}
}

int rtc_boot_order_valid(const char *order)
{
	size_t len = strlen(order);

	if (len < 1 || len > 3)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (boot_device(order[i]) == CMOS_BOOT_NONE)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (order[j] == order[i])
				return -1;
	}
	return 0;
}

static void set_boot_order(struct rtc *r, const char *order)
{
	uint8_t dev[3] = { 0, 0, 0 };

	if (!order || rtc_boot_order_valid(order) != 0)
		order = "cdn";
	for (size_t i = 0; i < 3 && order[i]; i++)
		dev[i] = boot_device(order[i]);
	r->cmos[CMOS_BOOT_ORDER_12] = (uint8_t)(dev[1] << 4 | dev[0]);
	r->cmos[CMOS_BOOT_ORDER_3] = (uint8_t)(dev[2] << 4);
}

/* The memory sizes (AT Technical Reference, CMOS bytes 15h-18h, 30h-31h;
 * 34h-35h and 5Bh-5Dh as later BIOSes use them). */
static void set_memory_sizes(struct rtc *r, uint64_t ram)
{
	uint64_t above_4g = ram > (4ull << 30) ? (ram - (4ull << 30)) >> 16 : 0;
	uint64_t extended_kib = ram > (1u << 20) ? (ram - (1u << 20)) >> 10 : 0;

	set_word(r, CMOS_BASE_MEM_LO, 640);
	set_word(r, CMOS_EXT_MEM_LO, extended_kib);
	set_word(r, CMOS_EXT_MEM2_LO, extended_kib);
	set_word(r, CMOS_MEM_ABOVE_16M_LO,
		 ram > (16u << 20) ? (ram - (16u << 20)) >> 16 : 0);
	r->cmos[CMOS_MEM_ABOVE_4G_LO] = (uint8_t)above_4g;
	r->cmos[CMOS_MEM_ABOVE_4G_MID] = (uint8_t)(above_4g >> 8);
	r->cmos[CMOS_MEM_ABOVE_4G_HI] = (uint8_t)(above_4g >> 16);
}

static void set_host_time(struct rtc *r)
{
	time_t now = time(NULL);
	struct tm tm;
	struct date_time t;

	if (!gmtime_r(&now, &tm))
		memset(&tm, 0, sizeof(tm));
	t.year = (uint64_t)tm.tm_year + 1900;
	t.month = (unsigned)tm.tm_mon + 1;
	t.day = (unsigned)tm.tm_mday;
	t.hour = (unsigned)tm.tm_hour;
	t.minute = (unsigned)tm.tm_min;
	t.second = (unsigned)tm.tm_sec;
	write_time(r, &t);
	r->cmos[RTC_DAY_OF_WEEK] = encode(r, (unsigned)tm.tm_wday + 1);
}

/*
 * The RESET input (MC146818A datasheet, "RESET"): the interrupt enables
 * PIE, AIE, UIE and SQWE in register B and the flags IRQF, PF, AF, UF in
 * register C clear; the time, the calendar and the CMOS bytes stay, and
 * the clock keeps running through it.
 */
#define RTC_B_SQWE 0x08

static void rtc_reset(void *dev)
{
	struct rtc *r = dev;

	rtc_sync(r);
	r->cmos[RTC_REG_B] &=
		(uint8_t) ~(RTC_B_PIE | RTC_B_AIE | RTC_B_UIE | RTC_B_SQWE);
	r->cmos[RTC_REG_C] = 0;
	update_irq(r);
	rtc_arm(r);
}

struct rtc *rtc_create(struct machine *m)
{
	struct rtc *r = calloc(1, sizeof(*r));

	if (!r) {
		fprintf(stderr, "popek: out of memory for the RTC\n");
		return NULL;
	}
	r->m = m;
	timer_init(&r->timer, rtc_timer_fired, r);
	/* 32.768 kHz, 1024 Hz periodic rate; BCD, 24-hour (PC BIOS use). */
	r->cmos[RTC_REG_A] = 0x26;
	r->cmos[RTC_REG_B] = RTC_B_24H;
	r->cmos[RTC_REG_D] = RTC_D_VRT;
	r->divider_start_ns = clock_now_ns(m);
	r->first_update_ns = r->divider_start_ns + NS_PER_SEC;
	set_host_time(r);
	set_memory_sizes(r, m->ram_size);
	set_boot_order(r, m->opt.boot_order);
	update_checksum(r);
	if (io_register(m, RTC_PORT, 2, r, rtc_io_read, rtc_io_write,
			"rtc-cmos") != 0 ||
	    machine_add_reset(m, rtc_reset, r) != 0) {
		free(r);
		return NULL;
	}
	return r;
}

void rtc_destroy(struct rtc *r)
{
	if (!r)
		return;
	timer_cancel(r->m, &r->timer);
	machine_remove_reset(r->m, r);
	free(r);
}
