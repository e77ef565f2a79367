/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_REGS_H
#define KVMINTRO_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/regs.h"
#include "parse.h"
#include "vm.h"

/* rip, rflags, cr0, cr2, cr3, cr4, cr8, efer, apic_base, fs_base, gs_base */
#define KVMINTRO_REGS_NR_CONTROL 11
/* gdt, idt */
#define KVMINTRO_REGS_NR_TABLES 2
#define KVMINTRO_REGS_SOURCE_MAX 16

/**
 * struct kvmintro_descriptor_table - the GDT or the IDT register
 */
struct kvmintro_descriptor_table {
	uint64_t base;
	uint64_t limit;
};

/**
 * struct kvmintro_vcpu_segment - a segment register, hidden part included
 * @attributes: VMX access rights: type (bits 0-3), S (4), DPL (5-6), P (7),
 *	AVL (12), L (13), D/B (14), G (15), unusable (16)
 */
struct kvmintro_vcpu_segment {
	uint64_t selector;
	uint64_t base;
	uint64_t limit;
	uint64_t attributes;
};

/**
 * struct kvmintro_vcpu_regs - a vcpu's "regs" file
 * @vcpu: the vcpu id
 * @source: "live" (the VM is paused) or "capture"
 * @generation: the capture's number, if @has_generation (a capture)
 * @has_generation: whether the file had one
 * @gprs: rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8 to r15
 * @control: rip, rflags, cr0, cr2, cr3, cr4, cr8, efer, apic_base, fs_base,
 *	gs_base
 * @tables: gdt, idt
 * @segments: cs, ds, es, fs, gs, ss, tr, ldt
 * @msrs: star, lstar, cstar, sfmask, sysenter_cs, sysenter_esp,
 *	sysenter_eip, kernel_gs_base, pat, tsc; not valid if "unavailable"
 */
struct kvmintro_vcpu_regs {
	uint64_t vcpu;
	char source[KVMINTRO_REGS_SOURCE_MAX];
	uint64_t generation;
	bool has_generation;
	uint64_t gprs[KVMINTRO_NR_GPRS];
	uint64_t control[KVMINTRO_REGS_NR_CONTROL];
	struct kvmintro_descriptor_table tables[KVMINTRO_REGS_NR_TABLES];
	struct kvmintro_vcpu_segment segments[KVMINTRO_NR_SEGMENTS];
	struct kvmintro_maybe_u64 msrs[KVMINTRO_NR_MSRS];
};

struct kvmintro_regs_list {
	struct kvmintro_vcpu_regs *regs;
	size_t count;
};

int kvmintro_regs_parse(const char *text, size_t length,
			struct kvmintro_vcpu_regs *regs,
			struct kvmintro_parse_error *error);
int kvmintro_regs_explain_read(const char *path, int err, const void *context);
int kvmintro_regs_list_load(const char *root, const struct kvmintro_vm *vm,
			    const uint64_t *vcpu, struct kvmintro_regs_list *list);
void kvmintro_regs_list_release(struct kvmintro_regs_list *list);
void kvmintro_describe_segment(uint64_t attributes, char *text, size_t size);
int kvmintro_regs_list_print_table(const struct kvmintro_regs_list *list,
				   FILE *out);
int kvmintro_regs_list_print_json(const struct kvmintro_vm *vm,
				  const struct kvmintro_regs_list *list,
				  FILE *out);

#endif /* KVMINTRO_REGS_H */
