/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_SNAPSHOT_H
#define KVMINTRO_SNAPSHOT_H

#include "arch_regs.h"


/**
 * struct kvmintro_snapshot - what one capture recorded of a paused VM
 * @generation:	capture number, from 1
 * @realtime_ns: when, CLOCK_REALTIME
 * @latency_ns:	how long the pause took to stop every vcpu
 * @gpa_hpa:	the gpa_hpa table at that instant, or NULL if it could not
 *		be recorded (@gpa_hpa_error says why)
 * @gpa_hpa_len: its length
 * @gpa_hpa_error: 0 or -errno
 * @nr_vcpus:	entries in @vcpus, by KVM vcpu index
 * @vcpus:	per vcpu: its id, 0 or why its registers could not be read,
 *		and the registers
 */
struct kvmintro_snapshot {
	u64 generation;
	u64 realtime_ns;
	u64 latency_ns;
	char *gpa_hpa;
	size_t gpa_hpa_len;
	int gpa_hpa_error;
	unsigned int nr_vcpus;
	struct {
		int vcpu_id;
		int error;
		struct kvmintro_regs regs;
	} vcpus[];
};

/* introspect/capture.c */
int kvmintro_vm_read_vcpu_regs(struct kvmintro_vm *vm, struct kvm *kvm,
			       unsigned int index, struct kvmintro_regs *to);
int kvmintro_vm_capture(struct kvmintro_vm *vm, struct kvm *kvm);

#endif /* KVMINTRO_SNAPSHOT_H */
