/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vcpu's registers as kvmintro reports them, and their text format:
 * one name=value per line, values in hex with 0x.
 */
#ifndef KVMINTRO_LIB_REGS_H
#define KVMINTRO_LIB_REGS_H

#include "portable.h"

enum kvmintro_segment_index {
	KVMINTRO_SEG_CS, KVMINTRO_SEG_DS, KVMINTRO_SEG_ES, KVMINTRO_SEG_FS,
	KVMINTRO_SEG_GS, KVMINTRO_SEG_SS, KVMINTRO_SEG_TR, KVMINTRO_SEG_LDT,
	KVMINTRO_NR_SEGMENTS,
};

/**
 * struct kvmintro_segment - a segment register, hidden part included
 * @attributes: in the VMX access-rights layout: type (bits 0-3), S (4),
 *		DPL (5-6), P (7), AVL (12), L (13), D/B (14), G (15),
 *		unusable (16)
 */
struct kvmintro_segment {
	u64 base;
	u32 limit;
	u16 selector;
	u32 attributes;
};

/* MSRs reported, in the order they are printed. */
enum kvmintro_msr_index {
	KVMINTRO_MSR_STAR, KVMINTRO_MSR_LSTAR, KVMINTRO_MSR_CSTAR,
	KVMINTRO_MSR_SFMASK, KVMINTRO_MSR_SYSENTER_CS,
	KVMINTRO_MSR_SYSENTER_ESP, KVMINTRO_MSR_SYSENTER_EIP,
	KVMINTRO_MSR_KERNEL_GS_BASE, KVMINTRO_MSR_PAT, KVMINTRO_MSR_TSC,
	KVMINTRO_NR_MSRS,
};

struct kvmintro_msr_name {
	u32 index;
	const char *name;
};

extern const struct kvmintro_msr_name kvmintro_msr_names[KVMINTRO_NR_MSRS];

/**
 * struct kvmintro_regs - registers of one vcpu
 * @gpr:	rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8..r15
 * @msr:	values of kvmintro_msr_names[], valid where @msr_valid has the bit
 */
struct kvmintro_regs {
	u64 gpr[16];
	u64 rip, rflags;
	u64 cr0, cr2, cr3, cr4, cr8, efer, apic_base;
	struct kvmintro_segment seg[KVMINTRO_NR_SEGMENTS];
	u64 gdt_base, idt_base;
	u16 gdt_limit, idt_limit;
	u64 msr[KVMINTRO_NR_MSRS];
	u32 msr_valid;
};

u32 kvmintro_segment_attributes(u8 type, u8 s, u8 dpl, u8 present, u8 avl,
				u8 l, u8 db, u8 g, u8 unusable);

/*
 * Write line @line (0, 1, ...) of the text of @regs into @buf; return its
 * length, 0 past the last line, -ENOSPC if @size is too small.
 */
int kvmintro_format_regs_line(char *buf, size_t size,
			      const struct kvmintro_regs *regs,
			      unsigned int line);

#endif /* KVMINTRO_LIB_REGS_H */
