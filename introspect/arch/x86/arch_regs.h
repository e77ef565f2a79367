/* SPDX-License-Identifier: GPL-2.0 */
/* x86's struct kvmintro_regs, for the shared code (introspect/arch.h). */
#ifndef KVMINTRO_ARCH_X86_ARCH_REGS_H
#define KVMINTRO_ARCH_X86_ARCH_REGS_H

#include "../../../lib/regs.h"

#endif /* KVMINTRO_ARCH_X86_ARCH_REGS_H */
