/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names of what a vcpu's registers hold: the flags of x86's rflags,
 * cr0, cr4 and efer and of arm64's PSTATE and SCTLR_EL1, and what an x86
 * segment is.  For people reading registers (the CLI's regs command).
 */
#ifndef KVMINTRO_LIB_REGBITS_H
#define KVMINTRO_LIB_REGBITS_H

#include "portable.h"

void kvmintro_describe_register(const char *key, u64 value, char *text,
				size_t size);
void kvmintro_describe_segment(u64 attributes, char *text, size_t size);

#endif /* KVMINTRO_LIB_REGBITS_H */
