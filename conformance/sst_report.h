/* SPDX-License-Identifier: MIT */
/* Printing one test's initial, expected and actual state side by side. */
#ifndef POPEK_CONFORMANCE_SST_REPORT_H
#define POPEK_CONFORMANCE_SST_REPORT_H

#include <stdio.h>

#include "conformance/moo.h"
#include "conformance/sst_meta.h"
#include "conformance/sst_runner.h"

void sst_report_test(FILE *out, const char *file, const struct moo_test *t,
		     const struct sst_form *form, const struct sst_result *res,
		     const struct sst_runner *r);

#endif
