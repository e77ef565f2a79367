/* SPDX-License-Identifier: GPL-2.0 */
/* arm64's struct kvmintro_regs, for the shared code (introspect/arch.h). */
#ifndef KVMINTRO_ARCH_ARM64_ARCH_REGS_H
#define KVMINTRO_ARCH_ARM64_ARCH_REGS_H

#include "../../../lib/arm64/regs.h"

#endif /* KVMINTRO_ARCH_ARM64_ARCH_REGS_H */
