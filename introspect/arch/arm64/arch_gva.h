/* SPDX-License-Identifier: GPL-2.0 */
/* arm64's struct kvmintro_arch_gva_walk, for the gva file (introspect/arch.h). */
#ifndef KVMINTRO_ARCH_ARM64_ARCH_GVA_H
#define KVMINTRO_ARCH_ARM64_ARCH_GVA_H

#include "../../../lib/arm64/pagewalk.h"

/**
 * struct kvmintro_arch_gva_walk - an arm64 stage-1 walk
 * @sctlr:	the vcpu's SCTLR_EL1
 * @tcr:	TCR_EL1 walked with: the vcpu's, or the request's tcr=
 * @ttbr0:	TTBR0_EL1 walked with: the vcpu's, or the request's ttbr0=
 * @ttbr1:	TTBR1_EL1 walked with: the vcpu's, or the request's ttbr1=
 * @walk:	the walk (lib/arm64/pagewalk.c)
 */
struct kvmintro_arch_gva_walk {
	u64 sctlr;
	u64 tcr;
	u64 ttbr0;
	u64 ttbr1;
	struct kvmintro_arm64_walk walk;
};

#endif /* KVMINTRO_ARCH_ARM64_ARCH_GVA_H */
