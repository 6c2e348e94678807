// SPDX-License-Identifier: MIT
/*
 * System reset requested by the guest.  A PC resets the processor when the
 * 8042's output port bit 0 goes low or port 0x92 bit 0 rises; the BIOS
 * then starts over.  popek cannot yet put every device back to its
 * power-on state in place, so the run ends here, as QEMU's -no-reboot
 * does, with a line saying who pulled the line.
 */
#include "machine/machine.h"

void machine_request_reset(struct machine *m, const char *who)
{
	machine_request_exit(m, MACHINE_EXIT_RESET, POPEK_EXIT_OK,
			     "the guest reset the machine (%s); popek stops",
			     who);
}
