/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walk of an x86 guest's own page tables, GVA to GPA, in every paging mode:
 * none (CR0.PG clear), 32-bit, PAE, 4-level and 5-level.  Portable: the
 * caller supplies the function that reads a table entry from guest
 * physical memory.
 */
#ifndef KVMINTRO_LIB_PAGEWALK_H
#define KVMINTRO_LIB_PAGEWALK_H

#include "portable.h"

enum kvmintro_paging_mode {
	KVMINTRO_PAGING_NONE,		/* CR0.PG clear: GVA = GPA */
	KVMINTRO_PAGING_32BIT,		/* 2 levels of 4-byte entries */
	KVMINTRO_PAGING_PAE,		/* 3 levels of 8-byte entries */
	KVMINTRO_PAGING_4LEVEL,		/* long mode */
	KVMINTRO_PAGING_5LEVEL,		/* long mode with CR4.LA57 */
};

#define KVMINTRO_WALK_MAX_LEVELS	5

/**
 * struct kvmintro_walk_step - one level of a walk
 * @level:	5..1, the level of the table (1 = the page table)
 * @table:	guest physical address of the table
 * @entry_gpa:	guest physical address of the entry read
 * @entry:	the entry, raw
 */
struct kvmintro_walk_step {
	unsigned int level;
	u64 table;
	u64 entry_gpa;
	u64 entry;
};

/**
 * struct kvmintro_walk - a whole walk
 * @mode:	paging mode used
 * @nr_steps:	entries read
 * @steps:	the entries, from the top level down
 * @present:	the walk reached a page
 * @gpa:	the guest physical address @gva maps to, if @present
 * @page_size:	size of the guest page, if @present
 */
struct kvmintro_walk {
	enum kvmintro_paging_mode mode;
	unsigned int nr_steps;
	struct kvmintro_walk_step steps[KVMINTRO_WALK_MAX_LEVELS];
	bool present;
	u64 gpa;
	u64 page_size;
};

/* Read the @size-byte (4 or 8) entry at guest physical @gpa. */
typedef int (*kvmintro_read_entry_fn)(void *ctx, u64 gpa, unsigned int size,
				      u64 *value);

enum kvmintro_paging_mode kvmintro_paging_mode(u64 cr0, u64 cr4, u64 efer);
extern const char *const kvmintro_paging_mode_names[];
const char *kvmintro_paging_mode_name(enum kvmintro_paging_mode mode);
unsigned int kvmintro_paging_levels(enum kvmintro_paging_mode mode);
int kvmintro_walk_gva(enum kvmintro_paging_mode mode, u64 cr3, u64 cr4,
		      u64 gva, kvmintro_read_entry_fn read, void *ctx,
		      struct kvmintro_walk *walk);
int kvmintro_format_walk_step(char *buf, size_t size,
			      enum kvmintro_paging_mode mode,
			      const struct kvmintro_walk_step *step);

#endif /* KVMINTRO_LIB_PAGEWALK_H */
