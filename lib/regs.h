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

#define KVMINTRO_NR_GPRS	16

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

/*
 * The names of the regs file's registers, each written here only, in the
 * file's order: X(index, name) for each.  The module writes the file and
 * the CLI reads it with these lists.
 */
#define KVMINTRO_FOR_EACH_GPR(X)					\
	X(0, "rax") X(1, "rbx") X(2, "rcx") X(3, "rdx")			\
	X(4, "rsi") X(5, "rdi") X(6, "rsp") X(7, "rbp")			\
	X(8, "r8") X(9, "r9") X(10, "r10") X(11, "r11")			\
	X(12, "r12") X(13, "r13") X(14, "r14") X(15, "r15")

/* The control registers, and the FS and GS bases the file shows with them. */
#define KVMINTRO_FOR_EACH_CONTROL_REG(X)				\
	X(0, "rip") X(1, "rflags") X(2, "cr0") X(3, "cr2") X(4, "cr3")	\
	X(5, "cr4") X(6, "cr8") X(7, "efer") X(8, "apic_base")		\
	X(9, "fs_base") X(10, "gs_base")

/* Descriptor-table registers: a line per field, "gdt.base". */
#define KVMINTRO_FOR_EACH_TABLE_REG(X)	X(0, "gdt") X(1, "idt")
#define KVMINTRO_FOR_EACH_TABLE_FIELD(X, index, name)			\
	X(index, name, base) X(index, name, limit)

/* Segment registers: a line per field, "cs.selector". */
#define KVMINTRO_FOR_EACH_SEGMENT(X)					\
	X(KVMINTRO_SEG_CS, "cs") X(KVMINTRO_SEG_DS, "ds")		\
	X(KVMINTRO_SEG_ES, "es") X(KVMINTRO_SEG_FS, "fs")		\
	X(KVMINTRO_SEG_GS, "gs") X(KVMINTRO_SEG_SS, "ss")		\
	X(KVMINTRO_SEG_TR, "tr") X(KVMINTRO_SEG_LDT, "ldt")
#define KVMINTRO_FOR_EACH_SEG_FIELD(X, index, name)			\
	X(index, name, selector) X(index, name, base)			\
	X(index, name, limit) X(index, name, attributes)

/* X(index, msr, name): the MSR numbered @msr is kvmintro_msr_names[index]. */
#define KVMINTRO_FOR_EACH_MSR(X)					\
	X(KVMINTRO_MSR_STAR, 0xc0000081, "star")			\
	X(KVMINTRO_MSR_LSTAR, 0xc0000082, "lstar")			\
	X(KVMINTRO_MSR_CSTAR, 0xc0000083, "cstar")			\
	X(KVMINTRO_MSR_SFMASK, 0xc0000084, "sfmask")			\
	X(KVMINTRO_MSR_SYSENTER_CS, 0x00000174, "sysenter_cs")		\
	X(KVMINTRO_MSR_SYSENTER_ESP, 0x00000175, "sysenter_esp")	\
	X(KVMINTRO_MSR_SYSENTER_EIP, 0x00000176, "sysenter_eip")	\
	X(KVMINTRO_MSR_KERNEL_GS_BASE, 0xc0000102, "kernel_gs_base")	\
	X(KVMINTRO_MSR_PAT, 0x00000277, "pat")				\
	X(KVMINTRO_MSR_TSC, 0x00000010, "tsc")

/**
 * struct kvmintro_regs - registers of one vcpu
 * @gpr:	rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8..r15
 * @msr:	values of kvmintro_msr_names[], valid where @msr_valid has the bit
 */
struct kvmintro_regs {
	u64 gpr[KVMINTRO_NR_GPRS];
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
 * Write record @line (0, 1, ...) of the text of @regs, one name=value
 * field, into @buf; return its length, 0 past the last one, -ENOSPC if
 * @size is too small.
 */
int kvmintro_format_regs_line(char *buf, size_t size,
			      const struct kvmintro_regs *regs,
			      unsigned int line);

#endif /* KVMINTRO_LIB_REGS_H */
