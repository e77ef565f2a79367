/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kvmintro does differently on each architecture: the one interface
 * the shared code calls, implemented once per architecture in
 * introspect/arch/<arch>/ (Kbuild picks the folder by $(SRCARCH)).  The
 * shared code has no per-architecture conditional beyond this.
 *
 * x86 implements all of it: the stage2 file, the opt-in hypercall, and
 * the walk behind the shared gva file.  arm64 implements what the shared
 * files need, its stage-1 walk included, and the opt-in hypercall (an
 * SMCCC vendor hypervisor call there); its stage2 file is not written
 * yet, and the module makes no such file (Documentation/kernels.rst).
 * Both architectures' hypercalls answer with the shared translation
 * (introspect/hypercall.c).
 *
 * Each architecture's arch_regs.h (found through the include path Kbuild
 * sets) defines struct kvmintro_regs, its register block, which the shared
 * code stores and passes but does not look into; lib/ formats it
 * (kvmintro_format_regs_line()) and writes a core's notes of it
 * (kvmintro_elfcore_arch).  Likewise its arch_gva.h defines struct
 * kvmintro_arch_gva_walk, what its guest page-table walk keeps for the
 * shared gva file (introspect/gva.c) to format.
 */
#ifndef KVMINTRO_ARCH_H
#define KVMINTRO_ARCH_H

#include <linux/kvm_host.h>
#include <linux/ptrace.h>

#include "arch_regs.h"
#include "arch_gva.h"
#include "../lib/parse.h"
#include "../lib/record.h"

struct kvmintro_vcpu;
struct kvmintro_vm;

/* Looks a kernel symbol up by name: kallsyms_lookup_name() (symbols.c). */
typedef unsigned long (*kvmintro_lookup_t)(const char *name);

/*
 * Check the architecture's module parameters: called first at load, so
 * that a refused value leaves nothing behind.  Return: 0 or -EINVAL.
 */
int kvmintro_arch_check_params(void);

/*
 * Resolve the architecture's KVM symbols with @lookup.  Return: 0, or
 * -ENOENT if one the module cannot work without is missing (said in the
 * log).
 */
int kvmintro_arch_resolve_symbols(kvmintro_lookup_t lookup);

/* Register the architecture's hooks (enabled ones only), and undo it. */
int kvmintro_arch_hooks_register(void);
void kvmintro_arch_hooks_unregister(void);

/* Make the architecture's files of a VM's and of a vcpu's directory. */
void kvmintro_arch_debugfs_create_vm(struct kvmintro_vm *vm);
void kvmintro_arch_debugfs_create_vcpu(struct kvmintro_vcpu *state);

/*
 * Is @regs, a task's user registers, a system call of the kernel's own
 * ABI (not a compat one), whose number and arguments syscall_get_nr() and
 * syscall_get_arguments() give as the native system call table has them?
 */
bool kvmintro_arch_native_syscall(struct pt_regs *regs);

/**
 * kvmintro_arch_vcpu_read_regs() - read a vcpu's registers
 * @kvm:	its VM, referenced by the caller
 * @vcpu:	the vcpu, out of guest mode (its VM paused)
 * @to:		where to put them
 *
 * Takes the vcpu mutex.
 *
 * Return: 0, -EINTR if killed waiting for the vcpu mutex, -EBUSY if the
 * VMM held it longer than a pause may take, or KVM's error (e.g. -EINVAL
 * for a vcpu whose state is protected).
 */
int kvmintro_arch_vcpu_read_regs(struct kvm *kvm, struct kvm_vcpu *vcpu,
				 struct kvmintro_regs *to);

/*
 * The gva file (introspect/gva.c) parses the request, gets the vcpu's
 * registers, reads guest memory and writes the records; the architecture
 * walks its guest's tables and formats what only it knows.
 */

/* The registers a gva request may override ("cr3=" on x86). */
extern const struct kvmintro_gva_override kvmintro_arch_gva_overrides[];
extern const unsigned int kvmintro_arch_gva_nr_overrides;

/*
 * Read the @size-byte (4 or 8) entry at guest physical @gpa: 0, or
 * -EFAULT for an address in no memslot.
 */
typedef int (*kvmintro_gva_read_fn)(void *ctx, u64 gpa, unsigned int size,
				    u64 *value);

/**
 * struct kvmintro_gva_walk - a guest page-table walk, for the gva file
 * @mapped:	the walk reached a page: @gpa and @page_size are valid
 * @gpa:	the guest physical address of the GVA
 * @page_size:	the size of the guest page (or block) it is in
 * @stop_level:	if not @mapped: the level whose entry stopped the walk, or
 *		-1 if it stopped before reading one
 * @stop_reason: if not @mapped: why, a record word ("not-present")
 * @arch:	the architecture's walk, for its formatters
 */
struct kvmintro_gva_walk {
	bool mapped;
	u64 gpa;
	u64 page_size;
	int stop_level;
	const char *stop_reason;
	struct kvmintro_arch_gva_walk arch;
};

/**
 * kvmintro_arch_gva_walk() - walk the guest's tables for a gva request
 * @regs:	the vcpu's registers
 * @req:	the request, its overrides by kvmintro_arch_gva_overrides[]
 * @read:	reads a table entry from guest memory
 * @ctx:	for @read
 * @walk:	the result
 *
 * Return: 0 (@walk says how the walk ended), @read's error, or an error
 * for registers the walker does not handle (-EOPNOTSUPP).
 */
int kvmintro_arch_gva_walk(const struct kvmintro_regs *regs,
			   const struct kvmintro_gva_request *req,
			   kvmintro_gva_read_fn read, void *ctx,
			   struct kvmintro_gva_walk *walk);

/*
 * Add the fields of the walk's first record that follow gva= and vcpu=
 * (x86: mode=, cr3=) to @writer.
 */
void kvmintro_arch_gva_format_request(struct kvmintro_record_writer *writer,
				      const struct kvmintro_gva_walk *walk);

/*
 * Write the record of entry @step (0: the first read) of @walk into @buf.
 * Return: its length, 0 past the last entry, -ENOSPC if @size is too
 * small.
 */
int kvmintro_arch_gva_format_step(char *buf, size_t size,
				  const struct kvmintro_gva_walk *walk,
				  unsigned int step);

#endif /* KVMINTRO_ARCH_H */
