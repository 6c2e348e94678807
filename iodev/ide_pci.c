// SPDX-License-Identifier: MIT
/*
 * The IDE controller as PCI function 00:01.1: PIIX3-compatible IDs
 * (Intel 82371SB datasheet, §2.3 "PCI Configuration Registers - IDE
 * Interface"), class 01h/01h with programming interface 80h: both
 * channels in compatibility mode at their legacy ports and IRQs 14/15,
 * which no BAR describes.
 *
 * The bus-master registers (BAR4) are not implemented yet: BAR4 reads
 * as 0, so drivers see no DMA engine and use PIO.
 */
#include "iodev/ide.h"
#include "machine/machine.h"

#define PIIX3_VENDOR 0x8086
#define PIIX3_IDE_DEVICE 0x7010
#define IDE_CLASS 0x010180 /* mass storage, IDE, legacy, bus-master bit */
#define IDE_PCI_DEV 1
#define IDE_PCI_FN 1

/* IDETIM (40h-43h), SIDETIM (44h) (82371SB §2.3.x). */
#define PIIX_IDETIM 0x40
#define PIIX_SIDETIM 0x44

int ide_pci_register(struct ide *ide)
{
	struct pci_function *f = &ide->pci;

	pci_function_init(f, PIIX3_VENDOR, PIIX3_IDE_DEVICE, IDE_CLASS, 0x00);
	f->name = "piix3-ide";
	f->opaque = ide;
	f->int_pin = 0; /* compatibility mode: IRQ 14 and 15, not INTx */
	/* The timing registers are plain storage here; IDE decode is
	 * always on (bit 15 of IDETIM is not honoured). */
	for (unsigned i = PIIX_IDETIM; i <= PIIX_SIDETIM; i++)
		f->wmask[i] = 0xff;
	return pci_register(ide->m, f, IDE_PCI_DEV, IDE_PCI_FN);
}
