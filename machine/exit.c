// SPDX-License-Identifier: MIT
/*
 * Ending a run.  Whatever stops the machine (a device, the CPU, the run
 * loop, the host) records why here; the first reason given wins, so a
 * triple fault reported while an exit is already under way cannot hide
 * the exit the guest asked for.
 */
#include <stdarg.h>
#include <stdio.h>

#include "machine/machine.h"

void machine_request_exit(struct machine *m, enum machine_exit_kind kind,
			  int status, const char *fmt, ...)
{
	va_list ap;

	if (m->exit_kind != MACHINE_RUNNING || kind == MACHINE_RUNNING)
		return;
	m->exit_kind = kind;
	m->exit_status = status;
	va_start(ap, fmt);
	vsnprintf(m->exit_message, sizeof(m->exit_message), fmt, ap);
	va_end(ap);
}
