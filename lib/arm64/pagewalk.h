/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walk of an arm64 guest's stage-1 tables (the EL1&0 translation regime),
 * GVA to GPA, as the hardware walks them: TTBR0_EL1 or TTBR1_EL1 chosen by
 * bit 55 of the address, the VA size from TCR_EL1.T0SZ/T1SZ, top-byte
 * ignore (TBI0/TBI1), table, block and page descriptors, the 4K, 16K and
 * 64K granules (TCR_EL1.TG0/TG1), 52-bit addresses (LPA2's TCR_EL1.DS with
 * 4K and 16K, 52-bit VAs and PAs with 64K) and big-endian tables
 * (SCTLR_EL1.EE), from level -1 (4K with LPA2 and more than 48 bits of
 * VA) down.  Portable: the caller supplies the function that reads a descriptor
 * from guest physical memory.
 */
#ifndef KVMINTRO_LIB_ARM64_PAGEWALK_H
#define KVMINTRO_LIB_ARM64_PAGEWALK_H

#include "../portable.h"

#define KVMINTRO_ARM64_WALK_MAX_LEVELS	5

/* Why a walk stopped before a page, or that it did not. */
enum kvmintro_arm64_walk_result {
	KVMINTRO_ARM64_WALK_MAPPED,	/* @gpa, @page_size valid */
	KVMINTRO_ARM64_WALK_MMU_OFF,	/* SCTLR_EL1.M clear: GPA = GVA */
	KVMINTRO_ARM64_WALK_RANGE,	/* outside both TTBRs' ranges */
	KVMINTRO_ARM64_WALK_DISABLED,	/* TCR_EL1.EPD0/EPD1 set */
	KVMINTRO_ARM64_WALK_INVALID,	/* an invalid descriptor */
};

/* What a descriptor is, where the walk read it. */
enum kvmintro_arm64_entry_type {
	KVMINTRO_ARM64_ENTRY_INVALID,	/* not valid, or not allowed there */
	KVMINTRO_ARM64_ENTRY_TABLE,
	KVMINTRO_ARM64_ENTRY_BLOCK,
	KVMINTRO_ARM64_ENTRY_PAGE,
};

/**
 * struct kvmintro_arm64_walk_step - one level of a walk
 * @level:	-1..3, the lookup level (3: the page table)
 * @table:	guest physical address of the table
 * @entry_gpa:	guest physical address of the descriptor read
 * @entry:	the descriptor, raw (byte-swapped from big-endian tables)
 * @type:	what it is, at that level with that granule
 */
struct kvmintro_arm64_walk_step {
	int level;
	u64 table;
	u64 entry_gpa;
	u64 entry;
	enum kvmintro_arm64_entry_type type;
};

/**
 * struct kvmintro_arm64_walk - a whole walk
 * @result:	how it ended
 * @ttbr:	0 or 1, the TTBR the address selected
 * @va_bits:	the size of that TTBR's range, 64 - TnSZ
 * @page_shift:	that TTBR's granule: 12 (4K), 14 (16K) or 16 (64K)
 * @lpa2:	TCR_EL1.DS: 52-bit addresses, bits 9:8 of a descriptor
 *		holding address bits 51:50 rather than shareability
 * @nr_steps:	descriptors read
 * @steps:	the descriptors, from the start level down
 * @gpa:	the guest physical address, if mapped (or the GVA, MMU off)
 * @page_size:	the size of the page or block, if mapped
 */
struct kvmintro_arm64_walk {
	enum kvmintro_arm64_walk_result result;
	unsigned int ttbr;
	unsigned int va_bits;
	unsigned int page_shift;
	bool lpa2;
	unsigned int nr_steps;
	struct kvmintro_arm64_walk_step steps[KVMINTRO_ARM64_WALK_MAX_LEVELS];
	u64 gpa;
	u64 page_size;
};

/* Read the 8-byte descriptor at guest physical @gpa. */
typedef int (*kvmintro_arm64_read_desc_fn)(void *ctx, u64 gpa, u64 *value);

int kvmintro_arm64_walk_gva(u64 sctlr, u64 tcr, u64 ttbr0, u64 ttbr1,
			    u64 gva, kvmintro_arm64_read_desc_fn read,
			    void *ctx, struct kvmintro_arm64_walk *walk);
int kvmintro_arm64_format_walk_step(char *buf, size_t size,
				    const struct kvmintro_arm64_walk *walk,
				    unsigned int step);

#endif /* KVMINTRO_LIB_ARM64_PAGEWALK_H */
