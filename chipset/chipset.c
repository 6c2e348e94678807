// SPDX-License-Identifier: MIT
/*
 * Assembling the chipset: each chip registers its own ports and MMIO; the
 * interrupt router (irq_router.c) then ties the PIC, the I/O APIC and the
 * local APIC to the machine's interrupt lines and to the CPU.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chipset/apic.h"
#include "chipset/chipset.h"
#include "chipset/i440fx.h"
#include "chipset/pci_bus.h"
#include "chipset/pic.h"
#include "chipset/piix3.h"
#include "chipset/pit.h"
#include "chipset/port92.h"
#include "chipset/rtc.h"
#include "machine/machine.h"

struct chipset *chipset_create(struct machine *m)
{
	struct chipset *c = calloc(1, sizeof(*c));

	if (!c) {
		fprintf(stderr, "popek: out of memory for the chipset\n");
		return NULL;
	}
	c->m = m;
	m->chipset = c;
	if (!(c->pic = pic_create(m)) || !(c->pit = pit_create(m)) ||
	    !(c->rtc = rtc_create(m)) || !(c->port92 = port92_create(m)) ||
	    !(c->pci = pci_bus_create(m)) ||
	    !(c->host_bridge = i440fx_create(m)) ||
	    !(c->isa_bridge = piix3_create(m)) ||
	    !(c->lapic = lapic_create(m)) ||
	    !(c->ioapic = ioapic_create(m, c->lapic))) {
		chipset_destroy(c);
		return NULL;
	}
	irq_router_attach(c);
	return c;
}

void chipset_destroy(struct chipset *c)
{
	if (!c)
		return;
	if (c->m->irq.intc_ctl == c)
		irq_attach_controller(c->m, NULL, NULL);
	ioapic_destroy(c->ioapic);
	lapic_destroy(c->lapic);
	piix3_destroy(c->isa_bridge);
	i440fx_destroy(c->host_bridge);
	pci_bus_destroy(c->pci);
	port92_destroy(c->port92);
	rtc_destroy(c->rtc);
	pit_destroy(c->pit);
	pic_destroy(c->pic);
	if (c->m->chipset == c)
		c->m->chipset = NULL;
	free(c);
}

/* The CPU wrote IA32_APIC_BASE (SDM Vol. 3A §10.4.4): the local APIC
 * follows its base and global enable. */
void machine_apic_base_write(struct machine *m, uint64_t value)
{
	if (m->chipset && m->chipset->lapic)
		lapic_set_base_msr(m->chipset->lapic, value);
}
