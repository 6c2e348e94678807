// SPDX-License-Identifier: MIT
/*
 * 16550A UART.  Section references are to the PC16550D datasheet
 * (National Semiconductor, June 1995; TI SNLS378).
 */
#include <stdlib.h>
#include <string.h>

#include "iodev/uart16550.h"

/* How often to look for host input when none is waiting: 1 ms. */
#define UART_IDLE_POLL_NS 1000000ull

static const unsigned rx_trigger_levels[4] = { 1, 4, 8, 14 };

uint64_t uart_char_time_ns(const struct uart *u)
{
	unsigned data_bits = 5 + (u->lcr & UART_LCR_WLEN);
	/* Counted in half bits: 5-bit words with "2" stop bits get 1.5. */
	unsigned half_bits = 2 * (1 + data_bits);
	uint64_t divisor = u->divisor ? u->divisor : 65536;
	uint64_t ns;

	if (u->lcr & UART_LCR_PARITY)
		half_bits += 2;
	if (u->lcr & UART_LCR_STOP)
		half_bits += data_bits == 5 ? 3 : 4;
	else
		half_bits += 2;
	/* One bit lasts 16 * divisor clocks (§8.10, baud generator). */
	ns = half_bits * divisor * 16 * 1000000000ull / (2ull * UART_CLOCK_HZ);
	return ns ? ns : 1;
}

/* Receive data is "available" for the interrupt at the trigger level. */
static bool rx_data_interrupt(const struct uart *u)
{
	if (u->fifo_enabled)
		return u->rx_count >= u->rx_trigger;
	return u->rx_count > 0;
}

/* The IIR value: the highest-priority pending source (Table 5). */
static uint8_t current_iir(const struct uart *u)
{
	uint8_t fifo_bits = u->fifo_enabled ? UART_IIR_FIFO_ON : 0;

	if ((u->ier & UART_IER_RLS) && (u->lsr_errors & UART_LSR_ERRORS))
		return fifo_bits | UART_IIR_RLS;
	if ((u->ier & UART_IER_RDA) && rx_data_interrupt(u))
		return fifo_bits | UART_IIR_RDA;
	if ((u->ier & UART_IER_RDA) && u->timeout_pending)
		return fifo_bits | UART_IIR_TIMEOUT;
	if ((u->ier & UART_IER_THRE) && u->thre_pending)
		return fifo_bits | UART_IIR_THRE;
	if ((u->ier & UART_IER_MS) && (u->msr & UART_MSR_DELTAS))
		return fifo_bits | UART_IIR_MS;
	return fifo_bits | UART_IIR_NO_INT;
}

/*
 * The INTR pin follows IIR bit 0.  On a PC the pin reaches the PIC
 * through a buffer enabled by OUT2 (IBM PC/AT Technical Reference, serial
 * adapter), so an interrupt counts only with MCR.OUT2 set.
 */
static void update_irq(struct uart *u)
{
	bool level = !(current_iir(u) & UART_IIR_NO_INT) &&
		     (u->mcr & UART_MCR_OUT2);

	if (level != u->irq_level) {
		u->irq_level = level;
		irq_set(u->m, u->irq, level);
	}
}

/* The modem inputs: a ready peer, or in loopback our own outputs (§8.6). */
static uint8_t modem_inputs(const struct uart *u)
{
	uint8_t msr = 0;

	if (!(u->mcr & UART_MCR_LOOP))
		return UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
	if (u->mcr & UART_MCR_RTS)
		msr |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		msr |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		msr |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		msr |= UART_MSR_DCD;
	return msr;
}

/* New input levels: latch the delta bits the change causes (§8.7). */
static void update_modem_status(struct uart *u)
{
	uint8_t old = u->msr, now = modem_inputs(u);
	uint8_t deltas = u->msr & UART_MSR_DELTAS;

	if ((old ^ now) & UART_MSR_CTS)
		deltas |= UART_MSR_DCTS;
	if ((old ^ now) & UART_MSR_DSR)
		deltas |= UART_MSR_DDSR;
	/* TERI: the ring indicator went from on to off. */
	if ((old & UART_MSR_RI) && !(now & UART_MSR_RI))
		deltas |= UART_MSR_TERI;
	if ((old ^ now) & UART_MSR_DCD)
		deltas |= UART_MSR_DDCD;
	u->msr = now | deltas;
}

static void rx_clear(struct uart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
	u->timeout_pending = false;
	timer_cancel(u->m, &u->timeout_timer);
}

/*
 * Character timeout (§8.4, FIFO interrupt mode): data in the FIFO and
 * nothing put in or taken out for four character times.  Every put or
 * take restarts the count.
 */
static void restart_timeout(struct uart *u)
{
	u->timeout_pending = false;
	if (u->fifo_enabled && u->rx_count > 0)
		timer_arm(u->m, &u->timeout_timer,
			  clock_now_ns(u->m) + 4 * uart_char_time_ns(u));
	else
		timer_cancel(u->m, &u->timeout_timer);
}

static void timeout_expired(struct machine *m, struct timer *t)
{
	struct uart *u = t->opaque;

	(void)m;
	if (u->fifo_enabled && u->rx_count > 0) {
		u->timeout_pending = true;
		update_irq(u);
	}
}

void uart_receive(struct uart *u, uint8_t byte)
{
	unsigned depth = u->fifo_enabled ? UART_FIFO_SIZE : 1;

	if (u->rx_count == depth) {
		/*
		 * Overrun (§8.6, LSR bit 1): in FIFO mode the new character
		 * is lost; without FIFOs it overwrites the unread one.
		 */
		u->lsr_errors |= UART_LSR_OE;
		if (!u->fifo_enabled)
			u->rx_fifo[u->rx_head] = byte;
	} else {
		u->rx_fifo[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = byte;
		u->rx_count++;
	}
	u->rx_bytes++;
	restart_timeout(u);
	update_irq(u);
}

static uint8_t rx_take(struct uart *u)
{
	if (u->rx_count == 0)
		return u->rbr_last;
	u->rbr_last = u->rx_fifo[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	u->rx_count--;
	restart_timeout(u);
	return u->rbr_last;
}

static void transmit(struct uart *u, uint8_t byte)
{
	u->tx_bytes++;
	if (u->mcr & UART_MCR_LOOP) {
		/* Loopback: the transmitter feeds the receiver (§8.6). */
		uart_receive(u, byte);
	} else if (!(u->lcr & UART_LCR_BREAK)) {
		chardev_write(&u->chr, byte);
	}
	/* Sent at once: THR is empty again, so THRE interrupts anew. */
	u->thre_pending = true;
}

static void write_fcr(struct uart *u, uint8_t value)
{
	bool enable = value & UART_FCR_ENABLE;

	/* Other bits are only programmed with FCR0 set (§8.5). */
	if (enable != u->fifo_enabled) {
		/* Changing the FIFO mode empties both FIFOs. */
		u->fifo_enabled = enable;
		rx_clear(u);
	}
	if (!enable)
		return;
	if (value & UART_FCR_CLEAR_RX)
		rx_clear(u);
	/* UART_FCR_CLEAR_TX: the transmitter never holds anything. */
	u->rx_trigger = rx_trigger_levels[(value & UART_FCR_TRIGGER) >> 6];
}

uint8_t uart_reg_read(struct uart *u, unsigned offset)
{
	uint8_t value = 0xff, iir;

	switch (offset) {
	case UART_RBR:
		if (u->lcr & UART_LCR_DLAB)
			return (uint8_t)u->divisor;
		value = rx_take(u);
		break;
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB)
			return (uint8_t)(u->divisor >> 8);
		return u->ier;
	case UART_IIR:
		iir = current_iir(u);
		/* Reading IIR clears a THRE interrupt it reports (Table 5). */
		if ((iir & 0x0f) == UART_IIR_THRE)
			u->thre_pending = false;
		value = iir;
		break;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		value = u->lsr_errors | UART_LSR_THRE | UART_LSR_TEMT;
		if (u->rx_count > 0)
			value |= UART_LSR_DR;
		/* Reading LSR clears the error bits (§8.6). */
		u->lsr_errors = 0;
		break;
	case UART_MSR:
		value = u->msr;
		u->msr &= (uint8_t)~UART_MSR_DELTAS;
		break;
	case UART_SCR:
		return u->scr;
	}
	update_irq(u);
	return value;
}

void uart_reg_write(struct uart *u, unsigned offset, uint8_t value)
{
	switch (offset) {
	case UART_THR:
		if (u->lcr & UART_LCR_DLAB) {
			u->divisor = (u->divisor & 0xff00) | value;
			return;
		}
		u->thre_pending = false;
		transmit(u, value);
		break;
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB) {
			u->divisor = (uint16_t)((u->divisor & 0x00ff) |
						(value << 8));
			return;
		}
		/* Enabling THRE with THR empty interrupts at once. */
		if ((value & UART_IER_THRE) && !(u->ier & UART_IER_THRE))
			u->thre_pending = true;
		u->ier = value & 0x0f;
		break;
	case UART_FCR:
		write_fcr(u, value);
		break;
	case UART_LCR:
		u->lcr = value;
		break;
	case UART_MCR:
		/* Bits 5-7 are always 0 on the 16550A. */
		u->mcr = value & 0x1f;
		update_modem_status(u);
		break;
	case UART_LSR:
		/* Writable only in factory test mode (§8.6): ignored. */
		return;
	case UART_MSR:
		return;
	case UART_SCR:
		u->scr = value;
		return;
	}
	update_irq(u);
}

static uint32_t uart_io_read(void *dev, uint16_t port, unsigned size)
{
	struct uart *u = dev;
	uint32_t value = 0;

	/* Wider accesses read consecutive byte registers. */
	for (unsigned i = 0; i < size; i++)
		value |= (uint32_t)uart_reg_read(u, (port - u->base + i) & 7)
			 << (8 * i);
	return value;
}

static void uart_io_write(void *dev, uint16_t port, unsigned size,
			  uint32_t value)
{
	struct uart *u = dev;

	for (unsigned i = 0; i < size; i++)
		uart_reg_write(u, (port - u->base + i) & 7,
			       (uint8_t)(value >> (8 * i)));
}

/*
 * Host input: read what the host has, then hand it to the receiver one
 * character time apart while the FIFO has room.
 */
static void poll_host_input(struct machine *m, struct timer *t)
{
	struct uart *u = t->opaque;
	unsigned depth = u->fifo_enabled ? UART_FIFO_SIZE : 1;
	uint64_t next = UART_IDLE_POLL_NS;

	if (u->host_count == 0) {
		int n = chardev_read(&u->chr, u->host_buf, sizeof(u->host_buf));

		if (n < 0) {
			/* End of input: stop polling, stop pacing idle time. */
			u->host_input = false;
			m->paced_idle = false;
			return;
		}
		u->host_head = 0;
		u->host_count = (unsigned)n;
	}
	/* In loopback the serial input is cut off from the receiver. */
	if (u->host_count > 0 && !(u->mcr & UART_MCR_LOOP) &&
	    u->rx_count < depth) {
		uint8_t byte = u->host_buf[u->host_head++];

		u->host_count--;
		uart_receive(u, byte);
	}
	if (u->host_count > 0)
		next = uart_char_time_ns(u);
	timer_arm(m, t, clock_now_ns(m) + next);
}

void uart_reset(struct uart *u)
{
	u->ier = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->lsr_errors = 0;
	u->fifo_enabled = false;
	u->rx_trigger = 1;
	/* The divisor is undefined after reset; 12 is 9600 baud. */
	u->divisor = 12;
	rx_clear(u);
	u->rbr_last = 0;
	u->thre_pending = false;
	u->msr = modem_inputs(u);
	update_irq(u);
}

/* The MR (master reset) input: the registers as uart_reset leaves them;
 * the host side (input polling) goes on. */
static void uart_system_reset(void *dev)
{
	struct uart *u = dev;

	timer_cancel(u->m, &u->timeout_timer);
	uart_reset(u);
}

struct uart *uart_create(struct machine *m, uint16_t base, unsigned irq,
			 const struct chardev_spec *spec)
{
	struct uart *u = calloc(1, sizeof(*u));

	if (!u) {
		fprintf(stderr, "popek: out of memory for the serial port\n");
		return NULL;
	}
	u->m = m;
	u->base = base;
	u->irq = irq;
	timer_init(&u->timeout_timer, timeout_expired, u);
	timer_init(&u->poll_timer, poll_host_input, u);
	if (chardev_open(&u->chr, spec, true, "-serial") != 0) {
		free(u);
		return NULL;
	}
	if (io_register(m, base, 8, u, uart_io_read, uart_io_write,
			"uart16550") != 0 ||
	    machine_add_reset(m, uart_system_reset, u) != 0) {
		chardev_close(&u->chr);
		free(u);
		return NULL;
	}
	uart_reset(u);
	if (u->chr.in_fd >= 0) {
		u->host_input = true;
		/*
		 * Input arrives in host time: while the guest waits for it
		 * in HLT, let the run loop idle in host time too.
		 */
		m->paced_idle = true;
		timer_arm(m, &u->poll_timer,
			  clock_now_ns(m) + UART_IDLE_POLL_NS);
	}
	return u;
}

void uart_destroy(struct uart *u)
{
	if (!u)
		return;
	timer_cancel(u->m, &u->timeout_timer);
	timer_cancel(u->m, &u->poll_timer);
	machine_remove_reset(u->m, u);
	chardev_close(&u->chr);
	free(u);
}
