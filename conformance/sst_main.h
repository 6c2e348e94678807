/* SPDX-License-Identifier: MIT */
/* The `popek sst` subcommand: SingleStepTests conformance runs. */
#ifndef POPEK_CONFORMANCE_SST_MAIN_H
#define POPEK_CONFORMANCE_SST_MAIN_H

/*
 * argv holds the options after "sst" (argv[0] is the first one), as
 * main.c's subcommand table passes them; returns the exit status.
 */
int sst_main(int argc, char **argv);

#endif
