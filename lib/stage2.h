/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The second-stage (TDP) page tables KVM builds for a guest, AMD NPT or
 * Intel EPT, decoded: entries, walks of one GPA, and the leaves of a
 * run-length summary (lib/stage2_run.h).  Portable: the caller supplies the function that reads
 * an entry at a host physical address.
 */
#ifndef KVMINTRO_LIB_STAGE2_H
#define KVMINTRO_LIB_STAGE2_H

#include "portable.h"
#include "stage2_run.h"

enum kvmintro_tdp_kind {
	KVMINTRO_TDP_NPT,	/* AMD nested page tables: x86 PTE format */
	KVMINTRO_TDP_EPT,	/* Intel extended page tables */
};

#define KVMINTRO_STAGE2_MAX_LEVELS	5

/*
 * KVM's own "this SPTE is present" bit (SPTE_MMU_PRESENT_MASK in
 * arch/x86/kvm/mmu/spte.h, 6.1 and 6.12): set in every shadow-present
 * entry, whatever the hardware permission bits (EPT access tracking may
 * clear R/W/X of a present leaf).
 */
#define KVMINTRO_SPTE_MMU_PRESENT	(1ULL << 11)
/* Bits 12..51, before the kernel removes its encryption bit (SME). */
#define KVMINTRO_SPTE_ADDR_MASK		0x000ffffffffff000ULL

/**
 * struct kvmintro_spte - one stage-2 entry, decoded
 * @present:	KVM's present bit (bit 11)
 * @leaf:	maps a page (level 1, or the large bit at level 2 or 3)
 * @large:	the large-page bit (bit 7) at level 2 or 3
 * @read, @write, @exec: what the hardware lets the guest do through it
 * @user:	NPT's U/S bit (NPT only)
 * @memtype:	EPT memory type, bits 3..5 of a leaf (EPT only)
 * @ipat:	EPT "ignore PAT", bit 6 of a leaf (EPT only)
 * @addr:	the next table's or the page's host physical address
 */
struct kvmintro_spte {
	bool present, leaf, large;
	bool read, write, exec, user;
	unsigned int memtype;
	bool ipat;
	u64 addr;
};

void kvmintro_spte_decode(enum kvmintro_tdp_kind kind, unsigned int level,
			  u64 entry, u64 addr_mask, struct kvmintro_spte *spte);
const char *kvmintro_tdp_kind_name(enum kvmintro_tdp_kind kind);
const char *kvmintro_ept_memtype_name(unsigned int memtype);

static inline unsigned int kvmintro_stage2_shift(unsigned int level)
{
	return 12 + 9 * (level - 1);
}

/**
 * struct kvmintro_stage2_step - one level of a stage-2 walk
 * @level:	5..1 (1 = the 4 KiB page table)
 * @table:	host physical address of the table
 * @index:	index of the entry in it
 * @entry:	the entry, raw
 */
struct kvmintro_stage2_step {
	unsigned int level;
	u64 table;
	unsigned int index;
	u64 entry;
};

/**
 * struct kvmintro_stage2_walk - a walk of one GPA
 * @gpa:	the address
 * @nr_steps:	entries read, from the root down
 * @steps:	the entries
 * @present:	the walk reached a leaf; else it stopped at the last step's
 *		level, at a non-present entry
 * @leaf:	the leaf, decoded, if @present
 * @hpa:	host physical address of @gpa, if @present
 */
struct kvmintro_stage2_walk {
	u64 gpa;
	unsigned int nr_steps;
	struct kvmintro_stage2_step steps[KVMINTRO_STAGE2_MAX_LEVELS];
	bool present;
	struct kvmintro_spte leaf;
	u64 hpa;
};

/* Read the 8-byte entry at host physical @hpa. */
typedef int (*kvmintro_read_spte_fn)(void *ctx, u64 hpa, u64 *value);

/**
 * struct kvmintro_stage2_mmu - which stage-2 table to walk
 * @kind:	NPT or EPT
 * @levels:	levels of the table (4, or 5 with 5-level paging)
 * @root:	host physical address of the root table
 * @addr_mask:	bits of an entry that hold an address
 */
struct kvmintro_stage2_mmu {
	enum kvmintro_tdp_kind kind;
	unsigned int levels;
	u64 root;
	u64 addr_mask;
};

int kvmintro_stage2_walk(const struct kvmintro_stage2_mmu *mmu, u64 gpa,
			 kvmintro_read_spte_fn read, void *ctx,
			 struct kvmintro_stage2_walk *walk);
int kvmintro_stage2_walk_leaf(const struct kvmintro_stage2_mmu *mmu, u64 gpa,
			      kvmintro_read_spte_fn read, void *ctx,
			      struct kvmintro_stage2_leaf *leaf);
int kvmintro_format_stage2_step(char *buf, size_t size,
				enum kvmintro_tdp_kind kind,
				const struct kvmintro_stage2_step *step);
void kvmintro_format_stage2_perm(char *buf, const struct kvmintro_spte *spte);
const char *kvmintro_stage2_size_name(unsigned int level);

int kvmintro_format_stage2_run(char *buf, size_t size,
			       enum kvmintro_tdp_kind kind,
			       const struct kvmintro_stage2_run *run);

#endif /* KVMINTRO_LIB_STAGE2_H */
