/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kvmintro does differently on each architecture: the one interface
 * the shared code calls, implemented once per architecture in
 * introspect/arch/<arch>/ (Kbuild picks the folder by $(SRCARCH)).  The
 * shared code has no per-architecture conditional beyond this.
 *
 * x86 implements all of it: the table behind the shared stage2 file,
 * the opt-in hypercall, and the walk behind the shared gva file.  arm64
 * implements the same: its stage-1 walk, its stage-2 table, and the
 * opt-in hypercall (an SMCCC vendor hypervisor call there).  Both
 * architectures' hypercalls answer with the shared translation
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
#include "files.h"
#include "../lib/parse.h"
#include "../lib/record.h"
#include "../lib/stage2_run.h"

/*
 * The files only this architecture has, in the directories their scope
 * says: made after the shared ones of introspect/debugfs.c's table, and
 * described alike.  Neither architecture has one yet: each file's
 * architecture-specific part is behind the interface below (regs, gva,
 * stage2).
 */
extern const struct kvmintro_file kvmintro_arch_files[];
extern const unsigned int kvmintro_arch_nr_files;

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
 * @stop_level:	if not @mapped and @has_stop_level: the level whose entry
 *		stopped the walk (arm64's may be -1)
 * @has_stop_level: the walk stopped at an entry, not before reading one
 * @stop_reason: if not @mapped: why, a record word ("not-present")
 * @arch:	the architecture's walk, for its formatters
 */
struct kvmintro_gva_walk {
	bool mapped;
	u64 gpa;
	u64 page_size;
	int stop_level;
	bool has_stop_level;
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

/*
 * The stage2 file (introspect/stage2.c) keeps the requests and replies,
 * and its summary (introspect/stage2_summary.c) merges leaves into runs;
 * the architecture reads KVM's second-stage table and writes the records
 * (Documentation/debugfs.rst, "stage2").
 */

/*
 * introspect/stage2_records.c: the records every architecture's walks
 * write alike.
 */
struct kvmintro_guest_mem;
void kvmintro_stage2_record_host(struct kvmintro_record_writer *writer,
				 struct kvmintro_guest_mem *mem, bool smm,
				 u64 gpa, u64 hpa);
int kvmintro_stage2_format_error(char *buf, size_t size, u64 gpa,
				 unsigned int level, int error);

/**
 * struct kvmintro_stage2_walker - how the architecture reads its table
 * @root_size:	size of its record of the table found
 * @walk_size:	size of its walk of one GPA
 * @summary_line_max: the longest record of a summary
 * @read:	find the table into @root and walk @n GPAs into @walks (an
 *		array of @walk_size each), each walk's error in @errors,
 *		under the locks KVM's own walks take; never sleeps.  Return:
 *		0, or -EINVAL for a GPA the table cannot hold (arm64: at or
 *		past its IPA size)
 * @format:	the records of one walk, into @text (room for
 *		KVMINTRO_STAGE2_WALK_TEXT bytes), after @read and without
 *		its locks; when @read found no table, the walk is not
 *		filled: only @gpa says which it was.  Return: its length
 * @hold:	for a summary (introspect/stage2_summary.c): take the locks
 *		KVM's own walks take and find the table into @root.  Return:
 *		the first GPA past what it maps, or 0 without a table (@root
 *		says why); @release is due either way
 * @release:	drop the locks @hold took
 * @walk_leaf:	walk one GPA of the table @hold found, under its locks,
 *		into what a summary keeps of it; never sleeps
 * @root_hpa:	the host physical address of the table @hold found: a
 *		summary says when it changes
 * @format_root: the record naming the table @hold found, of kind @kind
 *		(NULL for none), after gpa=*@gpa if @gpa; without a table,
 *		why.  Return: its length or -ENOSPC
 * @format_run:	the record of a run of the table's leaves.  Return: its
 *		length or -ENOSPC
 */
struct kvmintro_stage2_walker {
	size_t root_size;
	size_t walk_size;
	size_t summary_line_max;
	int (*read)(struct kvm *kvm, const u64 *gpas, int n, void *root,
		    void *walks, int *errors);
	size_t (*format)(char *text, size_t size,
			 struct kvmintro_guest_mem *mem, const void *root,
			 void *walk, u64 gpa, int error);
	u64 (*hold)(struct kvm *kvm, void *root);
	void (*release)(struct kvm *kvm);
	kvmintro_stage2_leaf_fn walk_leaf;
	u64 (*root_hpa)(const void *root);
	int (*format_root)(char *buf, size_t size, const char *kind,
			   const u64 *gpa, const void *root);
	int (*format_run)(char *buf, size_t size, const void *root,
			  const struct kvmintro_stage2_run *run);
};

/* Room for the records of one walk. */
#define KVMINTRO_STAGE2_WALK_TEXT	1536

extern const struct kvmintro_stage2_walker kvmintro_arch_stage2_walker;

#endif /* KVMINTRO_ARCH_H */
