// SPDX-License-Identifier: MIT
/*
 * `info device NAME`: a registry of devices that can print their own
 * state.  A device (or whoever builds the machine) adds an entry with
 * debugger_register_device; the ones here are registered when the
 * debugger attaches, for the devices every machine has.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "chipset/chipset.h"
#include "chipset/pic.h"
#include "debugger/dbg.h"
#include "iodev/uart16550.h"
#include "machine/machine.h"

/* The 16550A's registers (PC16550D data sheet, Table II). */
static void uart_dump(void *dev, FILE *out)
{
	const struct uart *u = dev;

	fprintf(out, "16550A UART at 0x%03x, IRQ %u (line %s)\n", u->base,
		u->irq, u->irq_level ? "high" : "low");
	fprintf(out, "  IER=0x%02x LCR=0x%02x MCR=0x%02x MSR=0x%02x SCR=0x%02x\n",
		u->ier, u->lcr, u->mcr, u->msr, u->scr);
	fprintf(out, "  divisor=%u (%u baud), %u data bits, %s stop, parity %s\n",
		u->divisor, u->divisor ? 115200u / u->divisor : 0,
		5 + (u->lcr & 3), (u->lcr & 4) ? "2" : "1",
		(u->lcr & 8) ? ((u->lcr & 0x10) ? "even" : "odd") : "none");
	fprintf(out, "  FIFO %s (trigger %u), %u byte%s received and waiting\n",
		u->fifo_enabled ? "on" : "off", u->rx_trigger, u->rx_count,
		u->rx_count == 1 ? "" : "s");
	fprintf(out, "  THRE interrupt %s, timeout %s; %" PRIu64 " bytes sent, %" PRIu64 " received\n",
		u->thre_pending ? "pending" : "clear",
		u->timeout_pending ? "pending" : "clear", u->tx_bytes,
		u->rx_bytes);
}

static void pic_chip_dump(const struct pic_chip *c, const char *name,
			  FILE *out)
{
	fprintf(out, "  %s: IRR=0x%02x ISR=0x%02x IMR=0x%02x ELCR=0x%02x vectors 0x%02x-0x%02x%s%s%s\n",
		name, c->irr, c->isr, c->imr, c->elcr, c->vector_base,
		c->vector_base + 7,
		c->init_step ? " (initializing)" : "",
		c->auto_eoi ? " AEOI" : "",
		c->special_mask ? " SMM" : "");
}

/* The 8259A pair (8259A data sheet, ICW/OCW). */
static void pic_dump(void *dev, FILE *out)
{
	const struct pic *p = dev;

	fprintf(out, "8259A pair, INT output %s, %" PRIu64 " spurious\n",
		p->int_output ? "high" : "low", p->spurious);
	pic_chip_dump(&p->chip[0], "master", out);
	pic_chip_dump(&p->chip[1], "slave", out);
}

void dbg_devices_register_builtin(struct debugger *d)
{
	struct machine *m = d->m;

	if (m->serial)
		debugger_register_device(d, "uart", "COM1, the 16550A at 0x3f8",
					 uart_dump, m->serial);
	if (m->chipset && m->chipset->pic)
		debugger_register_device(d, "pic", "the 8259A pair",
					 pic_dump, m->chipset->pic);
}

void info_device(struct debugger *d, int argc, char **argv)
{
	if (argc < 3) {
		dbg_printf(d, "devices:\n");
		for (unsigned k = 0; k < d->ndevices; k++)
			dbg_printf(d, "  %-8s %s\n", d->devices[k].name,
				   d->devices[k].summary);
		return;
	}
	for (unsigned k = 0; k < d->ndevices; k++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f;

		if (strcmp(d->devices[k].name, argv[2]) != 0)
			continue;
		f = open_memstream(&text, &len);
		if (!f)
			return;
		d->devices[k].dump(d->devices[k].dev, f);
		fclose(f);
		dbg_printf(d, "%s", text);
		free(text);
		return;
	}
	dbg_error(d, "no device '%s' (info device lists them)", argv[2]);
}
