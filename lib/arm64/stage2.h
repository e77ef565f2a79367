/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stage-2 table KVM/arm64 builds for a guest (the EL1&0 regime's
 * second stage, VTTBR_EL2), decoded: descriptors, walks of one IPA (GPA)
 * and run-length summaries of the leaves.  The 4K granule, with or
 * without LPA2, as KVM's struct kvm_pgtable describes the table: its IPA
 * size, its start level (-1 to 3; the start level's tables concatenated)
 * and the physical address of its first table.  Portable: the caller
 * supplies the function that reads a descriptor at a host physical
 * address.
 */
#ifndef KVMINTRO_LIB_ARM64_STAGE2_H
#define KVMINTRO_LIB_ARM64_STAGE2_H

#include "../portable.h"
#include "../stage2_run.h"

/* Levels -1 (LPA2 only) to 3. */
#define KVMINTRO_ARM64_S2_MIN_LEVEL	(-1)
#define KVMINTRO_ARM64_S2_MAX_LEVELS	5
/* At most 16 tables concatenated at the start level (Arm ARM D8.2.5). */
#define KVMINTRO_ARM64_S2_MAX_CONCAT	16

/**
 * struct kvmintro_arm64_s2_table - which table to walk
 * @ia_bits:	its input (IPA) size, kvm_pgtable.ia_bits
 * @start_level: the level of its first table, kvm_pgtable.start_level
 * @root:	host physical address of the first table
 * @lpa2:	descriptors hold 52-bit addresses (FEAT_LPA2), which moves
 *		the shareability out of them
 * @fwb:	KVM uses FEAT_S2FWB's MemAttr encoding
 */
struct kvmintro_arm64_s2_table {
	unsigned int ia_bits;
	int start_level;
	u64 root;
	bool lpa2, fwb;
};

/**
 * struct kvmintro_arm64_s2_desc - a stage-2 descriptor, decoded
 * @valid:	bit 0
 * @table:	a table descriptor (bit 1 set above level 3)
 * @leaf:	a block or a page descriptor
 * @reserved:	valid but neither (bit 1 clear at level 3, or a block where
 *		the 4K granule has none)
 * @addr:	the next table's, the block's or the page's address
 * @s2ap_r, @s2ap_w: S2AP, bits 6 and 7: the guest may read, write
 * @xn:		bit 54: the guest may not execute (KVM sets XN[0] only)
 * @memattr:	MemAttr, bits 2..5
 * @sh:		SH, bits 8..9 (0 with LPA2, where they are address bits)
 * @af:		the access flag, bit 10
 * @sw:		the software bits 55..58, as 0..15
 */
struct kvmintro_arm64_s2_desc {
	bool valid, table, leaf, reserved;
	u64 addr;
	bool s2ap_r, s2ap_w, xn;
	unsigned int memattr, sh;
	bool af;
	unsigned int sw;
};

void kvmintro_arm64_s2_decode(const struct kvmintro_arm64_s2_table *t,
			      int level, u64 entry,
			      struct kvmintro_arm64_s2_desc *desc);
unsigned int kvmintro_arm64_s2_shift(int level);
const char *kvmintro_arm64_s2_memtype_name(bool fwb, unsigned int memattr);
const char *kvmintro_arm64_s2_size_name(int level);

/**
 * struct kvmintro_arm64_s2_step - one level of a walk
 * @level:	the start level .. 3 (3: the page table)
 * @table:	host physical address of the table (the start level's
 *		first one: its index may run past 511)
 * @index:	index of the descriptor in it
 * @entry:	the descriptor, raw
 */
struct kvmintro_arm64_s2_step {
	int level;
	u64 table;
	unsigned int index;
	u64 entry;
};

/**
 * struct kvmintro_arm64_s2_walk - a walk of one IPA
 * @gpa:	the address
 * @nr_steps:	descriptors read, from the start level down
 * @steps:	the descriptors
 * @present:	the walk reached a block or a page; else it stopped at the
 *		last step, an invalid descriptor
 * @leaf:	the block or page descriptor, decoded, if @present
 * @hpa:	host physical address of @gpa, if @present
 */
struct kvmintro_arm64_s2_walk {
	u64 gpa;
	unsigned int nr_steps;
	struct kvmintro_arm64_s2_step steps[KVMINTRO_ARM64_S2_MAX_LEVELS];
	bool present;
	struct kvmintro_arm64_s2_desc leaf;
	u64 hpa;
};

/* Read the 8-byte descriptor at host physical @hpa. */
typedef int (*kvmintro_arm64_s2_read_fn)(void *ctx, u64 hpa, u64 *value);

bool kvmintro_arm64_s2_table_ok(const struct kvmintro_arm64_s2_table *t);
int kvmintro_arm64_s2_walk(const struct kvmintro_arm64_s2_table *t, u64 gpa,
			   kvmintro_arm64_s2_read_fn read, void *ctx,
			   struct kvmintro_arm64_s2_walk *walk);
int kvmintro_arm64_s2_walk_leaf(const struct kvmintro_arm64_s2_table *t,
				u64 gpa, kvmintro_arm64_s2_read_fn read,
				void *ctx, struct kvmintro_stage2_leaf *leaf);

struct kvmintro_record_writer;
void kvmintro_arm64_s2_record_table(struct kvmintro_record_writer *writer,
				    const struct kvmintro_arm64_s2_table *t);
int kvmintro_arm64_s2_format_step(char *buf, size_t size,
				  const struct kvmintro_arm64_s2_table *t,
				  const struct kvmintro_arm64_s2_step *step);
void kvmintro_arm64_s2_record_leaf(struct kvmintro_record_writer *writer,
				   const struct kvmintro_arm64_s2_table *t,
				   const struct kvmintro_arm64_s2_walk *walk);

int kvmintro_arm64_s2_format_run(char *buf, size_t size,
				 const struct kvmintro_arm64_s2_table *t,
				 const struct kvmintro_stage2_run *run);

#endif /* KVMINTRO_LIB_ARM64_STAGE2_H */
