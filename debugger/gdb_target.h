/* SPDX-License-Identifier: MIT */
/*
 * The registers gdb sees, per CPU mode, and the target description XML
 * that names them (gdb manual, "Target Descriptions" and "i386
 * Features"): i8086 in real mode, i386 in protected mode, i386:x86-64
 * in long mode, each with popek's system registers.
 */
#ifndef POPEK_DEBUGGER_GDB_TARGET_H
#define POPEK_DEBUGGER_GDB_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/state.h"

enum gdb_arch { GDB_ARCH_I8086, GDB_ARCH_I386, GDB_ARCH_X86_64 };

/* The layout for a CPU state. */
enum gdb_arch gdb_arch_of(const struct cpu_state *s);
const char *gdb_arch_name(enum gdb_arch a);

/* The whole description into xml[cap]; its length, or 0 if too long. */
size_t gdb_target_xml(enum gdb_arch a, char *xml, size_t cap);

/* How many registers, and register n's size in bytes (0: none). */
unsigned gdb_reg_count(enum gdb_arch a);
unsigned gdb_reg_size(enum gdb_arch a, unsigned n);

/* Register n of s as target bytes (little-endian); its size, or 0. */
unsigned gdb_reg_get(enum gdb_arch a, const struct cpu_state *s, unsigned n,
		     uint8_t *out);
/* Set register n from bytes; 0, or -1 (no such register, read-only). */
int gdb_reg_set(enum gdb_arch a, struct cpu_state *s, unsigned n,
		const uint8_t *in);

#endif
