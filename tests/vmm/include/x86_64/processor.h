/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 guest setup for the test VMM: real mode and 64-bit long mode with
 * the guest's own 4-level page tables, and the hand-assembled payloads of
 * each guest kind.  The guest's layout is kvm_util.h's; after the code and
 * data pages long mode has its PML4, then GDT, TSS, further page tables.
 */
#ifndef KVMINTRO_VMM_PROCESSOR_H
#define KVMINTRO_VMM_PROCESSOR_H

#include "kvm_util.h"

#define X86_CR0_PE	(1ULL << 0)
#define X86_CR0_MP	(1ULL << 1)
#define X86_CR0_ET	(1ULL << 4)
#define X86_CR0_NE	(1ULL << 5)
#define X86_CR0_WP	(1ULL << 16)
#define X86_CR0_PG	(1ULL << 31)
#define X86_CR4_PSE	(1ULL << 4)
#define X86_CR4_PAE	(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

#define PTE_PRESENT	(1ULL << 0)
#define PTE_WRITABLE	(1ULL << 1)
#define PTE_USER	(1ULL << 2)
#define PTE_ACCESSED	(1ULL << 5)
#define PTE_DIRTY	(1ULL << 6)
#define PTE_LARGE	(1ULL << 7)	/* PS: 2M/4M in a PDE, 1G in a PDPTE */
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

/* Selectors of the GDT the library builds for long mode. */
#define GDT_SEL_CODE64	0x08
#define GDT_SEL_DATA	0x10
#define GDT_SEL_TSS	0x18	/* 16 bytes */
#define GDT_SEL_USER_DATA	0x28	/* DPL 3; use with RPL 3 */
#define GDT_SEL_USER_CODE64	0x30	/* DPL 3; use with RPL 3 */
#define GDT_SEL_CODE32	0x38	/* compatibility mode, DPL 0 */

/* The port the exit guest writes to: nothing in KVM claims it. */
#define GUEST_EXIT_PORT		0xe9
/* Highest address a real-mode guest's code and data may use. */
#define REAL_MODE_LIMIT		0x100000ULL

/*
 * GPR numbers as in the instruction encoding; struct kvm_regs uses another
 * order, so index it with vcpu_reg_ptr().
 */
enum {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
	NR_GPRS,
};

/*
 * Value the regs guest leaves in GPR @reg of the vcpu with index @index.
 * In real mode the guest loads only the low 32 bits of rax..rdi, which
 * leaves their upper halves undefined (KVM's emulator clears them); the
 * VMM preloads the full values before the first run, r8-r15 keep them.
 */
#define GUEST_REGS_VALUE(index, reg) \
	(0x52454753c0de0000ULL | ((uint64_t)(index) & 0xff) << 8 | (reg))

const char *gpr_name(unsigned int reg);
uint64_t *vcpu_reg_ptr(struct kvm_regs *regs, unsigned int reg);

/* KVM's supported CPUID, read once and given to every vcpu. */
struct kvm_cpuid2 *kvm_get_supported_cpuid(int kvm_fd);
enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };
/* Whether leaf @function (subleaf 0) has @bit set in register @reg. */
bool kvm_cpuid_has(struct kvm_cpuid2 *cpuid, uint32_t function,
		   unsigned int reg, unsigned int bit);
/* Whether the guest may use 1 GiB pages (CPUID PDPE1GB). */
bool vm_has_1g_pages(struct kvm_vm *vm);

void vcpu_regs_get(struct kvm_vcpu *vcpu, struct kvm_regs *regs);
void vcpu_regs_set(struct kvm_vcpu *vcpu, struct kvm_regs *regs);
void vcpu_sregs_get(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs);
void vcpu_sregs_set(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs);
int __vcpu_set_msr(struct kvm_vcpu *vcpu, uint32_t index, uint64_t value);
void vcpu_set_msr(struct kvm_vcpu *vcpu, uint32_t index, uint64_t value);
int __vcpu_get_msr(struct kvm_vcpu *vcpu, uint32_t index, uint64_t *value);
uint64_t vcpu_get_msr(struct kvm_vcpu *vcpu, uint32_t index);

/*
 * Let CPL 3 use the page at @gva: set the user bit at every level of its
 * mapping (asserts that it is mapped).
 */
void virt_pg_set_user(struct kvm_vm *vm, uint64_t gva);

/*
 * The hypercall guests (long mode only) loop on a mailbox in their
 * counter's 64 bytes: they load RAX from .nr and RBX from .arg, RDX and
 * RSI with HYPERCALL_SENTINEL, execute the vendor's native hypercall
 * instruction (vmmcall on AMD, vmcall on Intel, chosen from KVM's CPUID
 * vendor so that KVM never patches the guest's code), store RAX, RDX and
 * RSI in .rax/.rdx/.rsi, increment .count and `out` to GUEST_EXIT_PORT.
 * GUEST_HYPERCALL runs at CPL 0; GUEST_HYPERCALL_USER first drops to CPL 3
 * with an iretq (user segments, user pages, IOPL 3 so that `out` works).
 * GUEST_HYPERCALL_COMPAT iretqs to a 32-bit code segment (compatibility
 * mode, CPL 0) and does the same with 32-bit registers: only the low
 * halves of .nr and .arg are used, only those of .rax/.rdx/.rsi written
 * (vcpu_hypercall() clears the three first) and the sentinel is
 * (uint32_t)HYPERCALL_SENTINEL.
 */
struct guest_hypercall_mailbox {
	uint64_t count;
	uint64_t nr;
	uint64_t arg;
	uint64_t rax;
	uint64_t rdx;
	uint64_t rsi;
};
#define HYPERCALL_SENTINEL	0x5e47e15e47e15e47ULL
struct guest_hypercall_mailbox *vcpu_hypercall_mailbox(struct kvm_vcpu *vcpu);
/* Whether KVM's CPUID vendor is AMD (or Hygon): vmmcall, else vmcall. */
bool vm_cpu_is_amd(struct kvm_vm *vm);
/*
 * Set .nr/.arg, run @vcpu (from the calling thread, no vcpu thread) until
 * the guest's next report, and return the mailbox.  Asserts on any other
 * exit.
 */
struct guest_hypercall_mailbox *vcpu_hypercall(struct kvm_vcpu *vcpu,
					       uint64_t nr, uint64_t arg);

#endif /* KVMINTRO_VMM_PROCESSOR_H */
