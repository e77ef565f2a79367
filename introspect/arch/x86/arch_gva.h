/* SPDX-License-Identifier: GPL-2.0 */
/* x86's struct kvmintro_arch_gva_walk, for the gva file (introspect/arch.h). */
#ifndef KVMINTRO_ARCH_X86_ARCH_GVA_H
#define KVMINTRO_ARCH_X86_ARCH_GVA_H

#include "../../../lib/pagewalk.h"

/**
 * struct kvmintro_arch_gva_walk - an x86 walk
 * @cr3:	the root walked: the vcpu's CR3, or the request's cr3=
 * @walk:	the walk (lib/pagewalk.c)
 */
struct kvmintro_arch_gva_walk {
	u64 cr3;
	struct kvmintro_walk walk;
};

#endif /* KVMINTRO_ARCH_X86_ARCH_GVA_H */
