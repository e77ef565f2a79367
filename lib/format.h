/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The records of the vms, memslots and vcpus files (the grammar is
 * lib/record.h's), and the names of page sizes.  Users' scripts parse
 * these, so they are written once, here, and shared by the module and the
 * native tests.  And what people read of values: sizes, latencies, bytes
 * quoted, hexdumps (the CLI's).
 */
#ifndef KVMINTRO_LIB_FORMAT_H
#define KVMINTRO_LIB_FORMAT_H

#include "portable.h"

/* Flag bits of struct kvmintro_memslot_info.flags, as KVM's uapi defines them. */
#define KVMINTRO_MEMSLOT_LOG_DIRTY_PAGES	(1u << 0)
#define KVMINTRO_MEMSLOT_READONLY		(1u << 1)
#define KVMINTRO_MEMSLOT_GUEST_MEMFD		(1u << 2)

/**
 * struct kvmintro_memslot_info - one memory slot, as the memslots file shows it
 * @as_id:	address space (0: normal, 1: SMM on x86)
 * @id:		slot id within the address space
 * @internal:	a slot KVM made for itself (id >= KVM_USER_MEM_SLOTS)
 * @guest_memfd_only: KVM faults the slot's pages in from its guest_memfd
 *		alone, not through @hva (KVM_MEMSLOT_GMEM_ONLY, 6.18)
 * @flags:	KVM_MEM_* flags of the slot (uapi bits only)
 * @base_gfn:	first guest frame number
 * @npages:	number of 4 KiB guest pages
 * @hva:	host virtual address of the first page in the VMM
 */
struct kvmintro_memslot_info {
	u16 as_id;
	u16 id;
	bool internal;
	bool guest_memfd_only;
	u32 flags;
	u64 base_gfn;
	u64 npages;
	u64 hva;
};

/**
 * struct kvmintro_vm_info - one VM, as the vms file shows it
 * @pid:	process that created the VM
 * @dir:	name of the VM's directory under the debugfs root
 * @vcpus:	vcpus created
 * @slots:	memory slots in all address spaces
 * @mem_bytes:	bytes of guest memory in address space 0, KVM's own slots excluded
 */
struct kvmintro_vm_info {
	int pid;
	const char *dir;
	unsigned int vcpus;
	unsigned int slots;
	u64 mem_bytes;
};

/**
 * struct kvmintro_vcpu_info - one vcpu, as the vcpus file shows it
 * @index:	KVM's vcpu index (order of creation)
 * @id:		vcpu id given to KVM_CREATE_VCPU (the APIC id on x86)
 * @tid:	thread that last issued KVM_RUN on it, 0 if none yet
 * @runs:	KVM_RUN calls seen by kvmintro
 */
struct kvmintro_vcpu_info {
	unsigned int index;
	unsigned int id;
	int tid;
	u64 runs;
};

/* What backs a guest page on the host. */
enum kvmintro_page_kind {
	KVMINTRO_PAGE_NONE,	/* nothing yet: the guest has not touched it */
	KVMINTRO_PAGE_BASE,	/* an ordinary 4 KiB page */
	KVMINTRO_PAGE_THP,	/* part of a transparent huge page */
	KVMINTRO_PAGE_HUGETLB,	/* part of a hugetlbfs page */
	KVMINTRO_PAGE_ZERO,	/* the shared zero page: read, never written */
	KVMINTRO_PAGE_KINDS
};

/**
 * struct kvmintro_gpa_hpa_info - one run of the gpa_hpa table: consecutive
 * guest pages backed by nothing, or by physically consecutive host pages
 * of one size and kind
 * @gpa:	guest physical address of the first
 * @npages:	how many 4 KiB guest pages
 * @hva:	host virtual address of the first
 * @hpa:	host physical address of the first (ignored for none)
 * @pfn:	its host frame (ignored for none)
 * @host_shift:	log2 of the host page size backing them (ignored for none)
 * @kind:	what backs them
 */
struct kvmintro_gpa_hpa_info {
	u64 gpa;
	u64 npages;
	u64 hva;
	u64 hpa;
	u64 pfn;
	unsigned int host_shift;
	enum kvmintro_page_kind kind;
};

/*
 * Room for the longest record kvmintro_format_gpa_hpa() writes, NUL
 * included, and more: with this much it writes straight into the buffer.
 */
#define KVMINTRO_GPA_HPA_RECORD_MAX	256

const char *kvmintro_page_kind_name(enum kvmintro_page_kind kind);
int kvmintro_format_gpa_hpa(char *buf, size_t size,
			    const struct kvmintro_gpa_hpa_info *run);

/* Room for the longest flags kvmintro_format_memslot_flags() writes, NUL included. */
#define KVMINTRO_MEMSLOT_FLAGS_MAX 96
/* Room for the longest record kvmintro_format_memslot() writes, NUL included. */
#define KVMINTRO_MEMSLOT_RECORD_MAX 192

int kvmintro_format_memslot_flags(char *buf, size_t size,
				  const struct kvmintro_memslot_info *slot);
int kvmintro_format_memslot(char *buf, size_t size,
			    const struct kvmintro_memslot_info *slot);
int kvmintro_format_vm(char *buf, size_t size,
		       const struct kvmintro_vm_info *vm);
int kvmintro_format_vcpu(char *buf, size_t size,
			 const struct kvmintro_vcpu_info *vcpu);

/* Longest text kvmintro_format_size() writes, NUL included ("1023.9 KiB"). */
#define KVMINTRO_SIZE_TEXT_MAX 16
/* Bytes on a line of kvmintro_format_hexdump_line(), and room for it. */
#define KVMINTRO_HEXDUMP_WIDTH 16
#define KVMINTRO_HEXDUMP_LINE_MAX 128

void kvmintro_format_size(u64 bytes, char *buf, size_t size);
void kvmintro_format_latency(u64 nanoseconds, char *buf, size_t size);
size_t kvmintro_format_escape_byte(unsigned char byte, char *buf);
void kvmintro_format_quote(const char *bytes, size_t len, char *buf,
			   size_t size);
void kvmintro_format_hexdump_line(u64 address, const unsigned char *bytes,
				  size_t count, char *buf, size_t size);

#endif /* KVMINTRO_LIB_FORMAT_H */
