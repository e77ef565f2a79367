/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a libc's <linux/kvm.h> older than Linux 6.8 and 6.18 lacks, for the
 * VMMs of kvmintro's tests (tests/vmm and tests/e2e/arm64/spin_vm.c), which
 * are built with each Debian release's own headers.
 */
#ifndef KVMINTRO_VMM_KVM_COMPAT_H
#define KVMINTRO_VMM_KVM_COMPAT_H

#include <linux/kvm.h>

#ifndef KVM_CREATE_GUEST_MEMFD
#define KVM_MEM_GUEST_MEMFD		(1UL << 2)
#define KVM_CAP_USER_MEMORY2		231
#define KVM_CAP_GUEST_MEMFD		234
struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};
#define KVM_SET_USER_MEMORY_REGION2	_IOW(KVMIO, 0x49, \
					     struct kvm_userspace_memory_region2)
struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};
#define KVM_CREATE_GUEST_MEMFD	_IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)
#endif
#ifndef KVM_CAP_GUEST_MEMFD_FLAGS
#define KVM_CAP_GUEST_MEMFD_FLAGS	244
#define GUEST_MEMFD_FLAG_MMAP		(1ULL << 0)
#define GUEST_MEMFD_FLAG_INIT_SHARED	(1ULL << 1)
#endif

#endif /* KVMINTRO_VMM_KVM_COMPAT_H */
