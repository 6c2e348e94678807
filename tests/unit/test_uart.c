// SPDX-License-Identifier: MIT
/*
 * The 16550A UART through the port bus: reset values, the divisor latch,
 * loopback, FIFOs and trigger levels, the character timeout, interrupt
 * priorities and the IRQ line as an interrupt controller sees it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "iodev/uart16550.h"

#define COM1 UART_COM1_PORT

/* A fake interrupt controller: remembers each line's level and edges. */
struct fake_intc {
	bool level[IRQ_LINES];
	unsigned changes[IRQ_LINES];
};

static void fake_line_changed(void *ctl, unsigned line, bool level)
{
	struct fake_intc *intc = ctl;

	intc->level[line] = level;
	intc->changes[line]++;
}

static bool fake_pending(void *ctl)
{
	(void)ctl;
	return false;
}

static uint8_t fake_acknowledge(void *ctl)
{
	(void)ctl;
	return 0;
}

static const struct intc_ops fake_intc_ops = {
	.line_changed = fake_line_changed,
	.pending = fake_pending,
	.acknowledge = fake_acknowledge,
};

struct fixture {
	struct machine *m;
	struct fake_intc intc;
	struct uart *u;
	char path[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct chardev_spec spec;
	int fd;

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	irq_attach_controller(f->m, &fake_intc_ops, &f->intc);
	snprintf(f->path, sizeof(f->path), "/tmp/popek-uart-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	spec.kind = CHARDEV_FILE;
	spec.path = f->path;
	f->u = uart_create(f->m, COM1, UART_COM1_IRQ, &spec);
	assert_non_null(f->u);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	uart_destroy(f->u);
	unlink(f->path);
	free(f->m);
	free(f);
	return 0;
}

static uint8_t rd(struct fixture *f, unsigned reg)
{
	return (uint8_t)io_read(f->m, COM1 + reg, 1);
}

static void wr(struct fixture *f, unsigned reg, uint8_t value)
{
	io_write(f->m, COM1 + reg, 1, value);
}

static bool irq4(struct fixture *f)
{
	return f->intc.level[UART_COM1_IRQ];
}

/* What the host side received, after the UART let go of the file. */
static size_t host_output(struct fixture *f, char *buf, size_t size)
{
	FILE *in;
	size_t n;

	chardev_flush(&f->u->chr);
	in = fopen(f->path, "rb");
	assert_non_null(in);
	n = fread(buf, 1, size - 1, in);
	fclose(in);
	buf[n] = '\0';
	return n;
}

static void test_reset_values(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, UART_IER), 0x00);
	assert_int_equal(rd(f, UART_IIR), 0x01);
	assert_int_equal(rd(f, UART_LCR), 0x00);
	assert_int_equal(rd(f, UART_MCR), 0x00);
	assert_int_equal(rd(f, UART_LSR), 0x60);
	/* A ready peer: CTS, DSR and DCD, no deltas. */
	assert_int_equal(rd(f, UART_MSR), 0xb0);
	assert_false(irq4(f));

	wr(f, UART_SCR, 0x5a);
	assert_int_equal(rd(f, UART_SCR), 0x5a);
	/* Only the implemented bits stick. */
	wr(f, UART_IER, 0xff);
	assert_int_equal(rd(f, UART_IER), 0x0f);
	wr(f, UART_MCR, 0xff);
	assert_int_equal(rd(f, UART_MCR), 0x1f);
}

static void test_divisor_latch(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_IER, 0x05);
	wr(f, UART_LCR, 0x83); /* DLAB on, 8 bits */
	wr(f, UART_DLL, 0x01);
	wr(f, UART_DLM, 0x02);
	assert_int_equal(rd(f, UART_DLL), 0x01);
	assert_int_equal(rd(f, UART_DLM), 0x02);
	assert_int_equal(f->u->divisor, 0x0201);
	wr(f, UART_LCR, 0x03);
	/* DLAB off: offsets 0 and 1 are RBR/THR and IER again. */
	assert_int_equal(rd(f, UART_IER), 0x05);
	assert_int_equal(f->u->divisor, 0x0201);
	/* A divisor write did not transmit anything. */
	assert_int_equal(f->u->tx_bytes, 0);

	/* A 16-bit access reaches both latch bytes. */
	wr(f, UART_LCR, 0x83);
	io_write(f->m, COM1, 2, 0x0003);
	assert_int_equal(f->u->divisor, 3);
	assert_int_equal(io_read(f->m, COM1, 2), 0x0003);
}

static void test_char_time(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_LCR, 0x80);
	wr(f, UART_DLL, 1);
	wr(f, UART_DLM, 0);
	wr(f, UART_LCR, 0x03); /* 8N1: 10 bits at 115200 baud */
	assert_int_equal(uart_char_time_ns(f->u), 86805);
	wr(f, UART_LCR, 0x0f); /* 8 bits, parity, 2 stop bits: 12 bits */
	assert_int_equal(uart_char_time_ns(f->u), 104166);
	wr(f, UART_LCR, 0x04); /* 5 bits, 1.5 stop bits: 7.5 bits */
	assert_int_equal(uart_char_time_ns(f->u), 65104);
}

static void test_transmit_to_host(void **state)
{
	struct fixture *f = *state;
	char out[16];

	wr(f, UART_THR, 'h');
	wr(f, UART_THR, 'i');
	/* Sent at once: the transmitter is empty again. */
	assert_int_equal(rd(f, UART_LSR) & 0x60, 0x60);
	wr(f, UART_LCR, UART_LCR_BREAK); /* break: nothing goes out */
	wr(f, UART_THR, 'X');
	wr(f, UART_LCR, 0x03);
	wr(f, UART_THR, '!');
	assert_int_equal(host_output(f, out, sizeof(out)), 3);
	assert_string_equal(out, "hi!");
}

static void test_loopback(void **state)
{
	struct fixture *f = *state;
	char out[16];

	wr(f, UART_MCR, UART_MCR_LOOP);
	wr(f, UART_THR, 'A');
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	assert_int_equal(rd(f, UART_RBR), 'A');
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);
	/* Nothing reached the host. */
	assert_int_equal(host_output(f, out, sizeof(out)), 0);
}

static void test_loopback_modem_lines(void **state)
{
	struct fixture *f = *state;

	/* Entering loopback with all outputs off drops CTS, DSR and DCD. */
	wr(f, UART_MCR, UART_MCR_LOOP);
	assert_int_equal(rd(f, UART_MSR),
			 UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
	assert_int_equal(rd(f, UART_MSR), 0x00); /* deltas clear on read */

	/* DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS);
	assert_int_equal(rd(f, UART_MSR), UART_MSR_CTS | UART_MSR_DCTS);
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT2);
	assert_int_equal(rd(f, UART_MSR),
			 UART_MSR_DSR | UART_MSR_DCD | UART_MSR_DCTS |
				 UART_MSR_DDSR | UART_MSR_DDCD);
	/* RI rising sets no delta; falling sets TERI. */
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	assert_int_equal(rd(f, UART_MSR) & (UART_MSR_RI | UART_MSR_TERI),
			 UART_MSR_RI);
	wr(f, UART_MCR, UART_MCR_LOOP);
	assert_int_equal(rd(f, UART_MSR) & (UART_MSR_RI | UART_MSR_TERI),
			 UART_MSR_TERI);
}

static void test_fifo_and_overrun(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(rd(f, UART_IIR) & 0xc0, 0xc0);
	wr(f, UART_MCR, UART_MCR_LOOP);
	for (int i = 0; i < UART_FIFO_SIZE; i++)
		wr(f, UART_THR, (uint8_t)('a' + i));
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_OE, 0);
	wr(f, UART_THR, 'Z'); /* the 17th: lost */
	assert_int_equal(rd(f, UART_LSR) & (UART_LSR_OE | UART_LSR_DR),
			 UART_LSR_OE | UART_LSR_DR);
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_OE, 0); /* cleared */
	for (int i = 0; i < UART_FIFO_SIZE; i++)
		assert_int_equal(rd(f, UART_RBR), 'a' + i);
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);

	/* Clearing the receive FIFO through FCR. */
	wr(f, UART_THR, 'q');
	wr(f, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX);
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);

	/* Turning the FIFOs off empties them and clears the IIR bits. */
	wr(f, UART_THR, 'r');
	wr(f, UART_FCR, 0);
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);
	assert_int_equal(rd(f, UART_IIR) & 0xc0, 0);
}

static void test_no_fifo_overrun_overwrites(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_MCR, UART_MCR_LOOP);
	wr(f, UART_THR, 'a');
	wr(f, UART_THR, 'b');
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_OE, UART_LSR_OE);
	assert_int_equal(rd(f, UART_RBR), 'b');
}

static void test_trigger_level(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_FCR, UART_FCR_ENABLE | 0x80); /* trigger at 8 */
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
	wr(f, UART_IER, UART_IER_RDA);
	for (int i = 0; i < 7; i++)
		wr(f, UART_THR, (uint8_t)i);
	assert_int_equal(rd(f, UART_IIR), 0xc1);
	assert_false(irq4(f));
	wr(f, UART_THR, 7);
	assert_int_equal(rd(f, UART_IIR), 0xc4);
	assert_true(irq4(f));
	assert_int_equal(rd(f, UART_RBR), 0);
	assert_int_equal(rd(f, UART_IIR), 0xc1);
	assert_false(irq4(f));
}

static void test_trigger_levels_all(void **state)
{
	struct fixture *f = *state;
	const unsigned levels[4] = { 1, 4, 8, 14 };

	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
	wr(f, UART_IER, UART_IER_RDA);
	for (unsigned t = 0; t < 4; t++) {
		wr(f, UART_FCR,
		   (uint8_t)(UART_FCR_ENABLE | UART_FCR_CLEAR_RX | (t << 6)));
		for (unsigned i = 1; i < levels[t]; i++)
			wr(f, UART_THR, 'x');
		assert_false(irq4(f));
		wr(f, UART_THR, 'x');
		assert_true(irq4(f));
	}
}

static void test_character_timeout(void **state)
{
	struct fixture *f = *state;
	uint64_t four_chars;

	wr(f, UART_FCR, UART_FCR_ENABLE | 0xc0); /* trigger at 14 */
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
	wr(f, UART_IER, UART_IER_RDA);
	wr(f, UART_THR, 'x');
	wr(f, UART_THR, 'y');
	four_chars = 4 * uart_char_time_ns(f->u);

	/* Not yet after just under four character times. */
	f->m->clock.cycles = clock_ns_to_cycles(f->m, four_chars - 100);
	clock_run_expired(f->m);
	assert_int_equal(rd(f, UART_IIR), 0xc1);
	f->m->clock.cycles = clock_ns_to_cycles(f->m, four_chars);
	clock_run_expired(f->m);
	assert_int_equal(rd(f, UART_IIR), 0xcc);
	assert_true(irq4(f));

	/* Reading a byte clears it and starts the count again. */
	assert_int_equal(rd(f, UART_RBR), 'x');
	assert_int_equal(rd(f, UART_IIR), 0xc1);
	assert_false(irq4(f));
	f->m->clock.cycles += clock_ns_to_cycles(f->m, four_chars);
	clock_run_expired(f->m);
	assert_int_equal(rd(f, UART_IIR), 0xcc);
	assert_int_equal(rd(f, UART_RBR), 'y');
	/* Empty: no timeout ever again. */
	f->m->clock.cycles += clock_ns_to_cycles(f->m, 10 * four_chars);
	clock_run_expired(f->m);
	assert_int_equal(rd(f, UART_IIR), 0xc1);
}

static void test_thre_interrupt(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_MCR, UART_MCR_OUT2);
	wr(f, UART_IER, UART_IER_THRE);
	/* Enabling it with THR empty interrupts at once. */
	assert_true(irq4(f));
	assert_int_equal(rd(f, UART_IIR), 0x02);
	/* Reading IIR that reports THRE clears it. */
	assert_false(irq4(f));
	assert_int_equal(rd(f, UART_IIR), 0x01);
	/* A THR write makes THR empty again afterwards: a new interrupt. */
	wr(f, UART_THR, '.');
	assert_true(irq4(f));
	assert_int_equal(rd(f, UART_IIR), 0x02);
}

static void test_iir_priorities(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
	wr(f, UART_THR, 'a');
	wr(f, UART_THR, 'b'); /* overrun: line status */
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	/* Every source at once, highest first. */
	wr(f, UART_IER, 0x0f);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_RLS);
	assert_true(irq4(f));
	(void)rd(f, UART_LSR);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_RDA);
	(void)rd(f, UART_RBR);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_THRE);
	/* That read cleared THRE; modem status is left. */
	assert_int_equal(rd(f, UART_IIR), UART_IIR_MS);
	assert_true(irq4(f));
	(void)rd(f, UART_MSR);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);
	assert_false(irq4(f));
}

static void test_out2_gates_irq(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_IER, UART_IER_THRE);
	/* Pending in IIR, but OUT2 is off: the line stays low. */
	assert_false(irq4(f));
	wr(f, UART_MCR, UART_MCR_OUT2);
	assert_true(irq4(f));
	wr(f, UART_MCR, 0);
	assert_false(irq4(f));
	assert_int_equal(rd(f, UART_IIR), UART_IIR_THRE);
}

static void test_receive_from_wire(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_MCR, UART_MCR_OUT2);
	wr(f, UART_IER, UART_IER_RDA);
	uart_receive(f->u, 'k');
	assert_true(irq4(f));
	assert_int_equal(f->intc.changes[UART_COM1_IRQ], 1);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_RDA);
	assert_int_equal(rd(f, UART_RBR), 'k');
	assert_false(irq4(f));
	assert_int_equal(f->intc.changes[UART_COM1_IRQ], 2);
	/* RBR keeps its last byte when read empty. */
	assert_int_equal(rd(f, UART_RBR), 'k');
}

#define UART_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		UART_TEST(test_reset_values),
		UART_TEST(test_divisor_latch),
		UART_TEST(test_char_time),
		UART_TEST(test_transmit_to_host),
		UART_TEST(test_loopback),
		UART_TEST(test_loopback_modem_lines),
		UART_TEST(test_fifo_and_overrun),
		UART_TEST(test_no_fifo_overrun_overwrites),
		UART_TEST(test_trigger_level),
		UART_TEST(test_trigger_levels_all),
		UART_TEST(test_character_timeout),
		UART_TEST(test_thre_interrupt),
		UART_TEST(test_iir_priorities),
		UART_TEST(test_out2_gates_irq),
		UART_TEST(test_receive_from_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
