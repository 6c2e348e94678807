/* SPDX-License-Identifier: MIT */
/*
 * The MC146818-compatible real-time clock and CMOS RAM at ports 0x70/0x71
 * (Motorola MC146818A datasheet), with the PC's standard CMOS bytes, and
 * the NMI mask in bit 7 of port 0x70.  The alarm, periodic and
 * update-ended interrupts reach IRQ8.
 *
 * The clock starts at the host's UTC time and then advances with virtual
 * time; timers are armed only while an interrupt is enabled, so a guest
 * that enables none can still halt for good.
 */
#ifndef POPEK_CHIPSET_RTC_H
#define POPEK_CHIPSET_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"

struct machine;

#define RTC_PORT 0x70
#define RTC_IRQ 8
#define CMOS_SIZE 128

/* Register and CMOS byte indexes (datasheet Figure 4; IBM PC/AT map). */
enum cmos_index {
	RTC_SECONDS = 0x00,
	RTC_SECONDS_ALARM = 0x01,
	RTC_MINUTES = 0x02,
	RTC_MINUTES_ALARM = 0x03,
	RTC_HOURS = 0x04,
	RTC_HOURS_ALARM = 0x05,
	RTC_DAY_OF_WEEK = 0x06,
	RTC_DAY_OF_MONTH = 0x07,
	RTC_MONTH = 0x08,
	RTC_YEAR = 0x09,
	RTC_REG_A = 0x0a,
	RTC_REG_B = 0x0b,
	RTC_REG_C = 0x0c,
	RTC_REG_D = 0x0d,
	CMOS_FLOPPY_TYPES = 0x10, /* drive A in bits 7-4, B in 3-0 */
	CMOS_DISK_TYPES = 0x12,
	CMOS_EQUIPMENT = 0x14,
	CMOS_BASE_MEM_LO = 0x15, /* KiB below 1 MiB */
	CMOS_BASE_MEM_HI = 0x16,
	CMOS_EXT_MEM_LO = 0x17, /* KiB above 1 MiB, at most 0xFFFF */
	CMOS_EXT_MEM_HI = 0x18,
	CMOS_CHECKSUM_HI = 0x2e, /* sum of bytes 0x10-0x2D */
	CMOS_CHECKSUM_LO = 0x2f,
	CMOS_EXT_MEM2_LO = 0x30, /* the same, as POST found it */
	CMOS_EXT_MEM2_HI = 0x31,
	CMOS_CENTURY = 0x32, /* BCD */
	CMOS_MEM_ABOVE_16M_LO = 0x34, /* in 64 KiB units */
	CMOS_MEM_ABOVE_16M_HI = 0x35,
	CMOS_BOOT_ORDER_3 = 0x38, /* third device in bits 7-4 */
	CMOS_BOOT_ORDER_12 = 0x3d, /* first in bits 3-0, second in 7-4 */
	CMOS_MEM_ABOVE_4G_LO = 0x5b, /* in 64 KiB units, 3 bytes */
	CMOS_MEM_ABOVE_4G_MID = 0x5c,
	CMOS_MEM_ABOVE_4G_HI = 0x5d,
};

#define RTC_A_UIP 0x80
#define RTC_A_DIVIDER 0x70
#define RTC_A_RATE 0x0f
#define RTC_B_SET 0x80
#define RTC_B_PIE 0x40
#define RTC_B_AIE 0x20
#define RTC_B_UIE 0x10
#define RTC_B_BINARY 0x04
#define RTC_B_24H 0x02
#define RTC_C_IRQF 0x80
#define RTC_C_PF 0x40
#define RTC_C_AF 0x20
#define RTC_C_UF 0x10
#define RTC_D_VRT 0x80

/* Boot device codes in the boot-order bytes (the Bochs/SeaBIOS use). */
enum cmos_boot_device {
	CMOS_BOOT_NONE = 0,
	CMOS_BOOT_FLOPPY = 1,
	CMOS_BOOT_DISK = 2,
	CMOS_BOOT_CDROM = 3,
	CMOS_BOOT_NETWORK = 4,
};

struct rtc {
	struct machine *m;
	uint8_t cmos[CMOS_SIZE];
	uint8_t index; /* port 0x70, bits 6-0 */
	bool irq_level;

	uint64_t divider_start_ns; /* when the divider chain left reset */
	uint64_t first_update_ns; /* the first update after that */
	uint64_t updates_done; /* update cycles accounted for */
	uint64_t periodic_done; /* periodic boundaries accounted for */
	struct timer timer;
	uint64_t updates, alarms, periodic; /* counts, for tests and stats */
};

/* Registers ports 0x70-0x71; CMOS from the machine's RAM and options. */
struct rtc *rtc_create(struct machine *m);
void rtc_destroy(struct rtc *r);

/*
 * Set a CMOS byte from the board (floppy and disk types, equipment); the
 * checksum over 0x10-0x2D is kept right.
 */
void rtc_cmos_set(struct rtc *r, unsigned index, uint8_t value);
uint8_t rtc_cmos_get(struct rtc *r, unsigned index);

/*
 * Check a -boot order string: one to three of the letters a (floppy),
 * c (disk), d (CD-ROM), n (network), none twice.  Returns 0 or -1.
 */
int rtc_boot_order_valid(const char *order);

#endif
