/* SPDX-License-Identifier: MIT */
/*
 * A 16550A UART (National Semiconductor / TI PC16550D datasheet): the
 * eight registers, the divisor latch, 16-byte FIFOs with receive trigger
 * levels and character timeout, loopback, and the four interrupt sources
 * in their priority order.
 *
 * Transmission is instantaneous: a byte written to THR goes to the host at
 * once, so THR and the transmitter are always empty again by the next
 * access.  Host input is flow-controlled: a byte waits on the host side
 * until the receive FIFO has room, and bytes arrive no faster than the
 * programmed baud rate, so a guest never loses typed or pasted input.
 */
#ifndef POPEK_IODEV_UART16550_H
#define POPEK_IODEV_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#include "iodev/chardev.h"
#include "machine/machine.h"

#define UART_COM1_PORT 0x3f8
#define UART_COM1_IRQ 4
#define UART_FIFO_SIZE 16
/* The input clock of a PC serial port: 1.8432 MHz, 16 per bit. */
#define UART_CLOCK_HZ 1843200u

/* Register offsets from the base port (datasheet Table 2). */
enum uart_reg {
	UART_RBR = 0, /* read, DLAB=0: receiver buffer */
	UART_THR = 0, /* write, DLAB=0: transmitter holding */
	UART_DLL = 0, /* DLAB=1: divisor latch, low byte */
	UART_IER = 1, /* DLAB=0: interrupt enable */
	UART_DLM = 1, /* DLAB=1: divisor latch, high byte */
	UART_IIR = 2, /* read: interrupt identification */
	UART_FCR = 2, /* write: FIFO control */
	UART_LCR = 3, /* line control */
	UART_MCR = 4, /* modem control */
	UART_LSR = 5, /* line status */
	UART_MSR = 6, /* modem status */
	UART_SCR = 7, /* scratch */
};

#define UART_IER_RDA 0x01 /* received data available (and timeout) */
#define UART_IER_THRE 0x02 /* transmitter holding register empty */
#define UART_IER_RLS 0x04 /* receiver line status */
#define UART_IER_MS 0x08 /* modem status */

#define UART_IIR_NO_INT 0x01
#define UART_IIR_MS 0x00
#define UART_IIR_THRE 0x02
#define UART_IIR_RDA 0x04
#define UART_IIR_RLS 0x06
#define UART_IIR_TIMEOUT 0x0c
#define UART_IIR_FIFO_ON 0xc0

#define UART_FCR_ENABLE 0x01
#define UART_FCR_CLEAR_RX 0x02
#define UART_FCR_CLEAR_TX 0x04
#define UART_FCR_DMA 0x08
#define UART_FCR_TRIGGER 0xc0

#define UART_LCR_WLEN 0x03
#define UART_LCR_STOP 0x04
#define UART_LCR_PARITY 0x08
#define UART_LCR_BREAK 0x40
#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08 /* gates the IRQ line on a PC */
#define UART_MCR_LOOP 0x10

#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_PE 0x04
#define UART_LSR_FE 0x08
#define UART_LSR_BI 0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LSR_FIFO_ERR 0x80
#define UART_LSR_ERRORS (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80
#define UART_MSR_DELTAS 0x0f

struct uart {
	struct machine *m;
	uint16_t base;
	unsigned irq;
	struct chardev chr;

	uint8_t ier, lcr, mcr, scr;
	uint8_t lsr_errors; /* OE/PE/FE/BI until LSR is read */
	uint8_t msr; /* status bits 4-7 and deltas 0-3 */
	uint16_t divisor;
	bool fifo_enabled;
	unsigned rx_trigger; /* 1, 4, 8 or 14 bytes */

	uint8_t rx_fifo[UART_FIFO_SIZE];
	unsigned rx_head, rx_count;
	uint8_t rbr_last; /* what RBR reads when nothing is there */

	bool thre_pending; /* THRE interrupt: cleared by IIR read or THR write */
	bool timeout_pending; /* character timeout interrupt */
	struct timer timeout_timer;

	/* Host input read but not yet received by the UART. */
	uint8_t host_buf[256];
	unsigned host_head, host_count;
	bool host_input; /* the back end has input to poll */
	struct timer poll_timer;

	bool irq_level; /* what we last drove on the line */
	uint64_t tx_bytes, rx_bytes;
};

/* Returns NULL after one line on stderr. */
struct uart *uart_create(struct machine *m, uint16_t base, unsigned irq,
			 const struct chardev_spec *spec);
void uart_destroy(struct uart *u);

/* The master reset state (datasheet Table 4). */
void uart_reset(struct uart *u);

/* A byte arrives at the serial input, as if from the wire. */
void uart_receive(struct uart *u, uint8_t byte);

/* Register access by offset 0-7, for the port handlers and tests. */
uint8_t uart_reg_read(struct uart *u, unsigned offset);
void uart_reg_write(struct uart *u, unsigned offset, uint8_t value);

/* Nanoseconds one character takes at the programmed rate and format. */
uint64_t uart_char_time_ns(const struct uart *u);

#endif
