/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run-length summaries of a second-stage table's leaves, the same on
 * every architecture: the architecture walks one GPA and decodes what the
 * walk reached into a struct kvmintro_stage2_leaf (lib/stage2.c for x86's
 * NPT and EPT, lib/arm64/stage2.c for arm64's stage 2); here consecutive
 * leaves alike merge into runs, a bounded part of the table at a time.
 * Portable: the caller supplies the walk.
 */
#ifndef KVMINTRO_LIB_STAGE2_RUN_H
#define KVMINTRO_LIB_STAGE2_RUN_H

#include "portable.h"

/**
 * struct kvmintro_stage2_leaf - a walk of one GPA, as a summary sees it
 * @present:	the walk reached a leaf; else it stopped at an entry that
 *		maps nothing
 * @level:	the level of the last entry read (the leaf's, if @present),
 *		as the architecture numbers them
 * @gpa:	the first GPA that entry covers
 * @shift:	log2 of the bytes it covers
 * @perm:	if @present: what the guest may do through it, as
 *		kvmintro_format_stage2_perm() writes it
 * @attrs:	if @present: the bits of the entry, other than its address
 *		and permissions, that the leaves of one run share (memory
 *		type, software bits), as the entry holds them
 */
struct kvmintro_stage2_leaf {
	bool present;
	int level;
	u64 gpa;
	unsigned int shift;
	char perm[4];
	u64 attrs;
};

/**
 * struct kvmintro_stage2_run - consecutive leaves alike: same level,
 * permissions and attributes, covering consecutive GPAs
 * @gpa:	first GPA
 * @npages:	length in 4 KiB pages
 * @leaves:	how many leaf entries
 * @level:	their level
 * @perm:	what the guest may do: "rwx", "rx"... ("" for nothing)
 * @attrs:	their kvmintro_stage2_leaf.attrs
 */
struct kvmintro_stage2_run {
	u64 gpa;
	u64 npages;
	u64 leaves;
	int level;
	char perm[4];
	u64 attrs;
};

bool kvmintro_stage2_leaf_init(struct kvmintro_stage2_leaf *leaf, u64 gpa,
			       unsigned int nr_steps, int level,
			       unsigned int shift, bool present);
bool kvmintro_stage2_run_add(struct kvmintro_stage2_run *run,
			     const struct kvmintro_stage2_leaf *leaf);
struct kvmintro_record_writer;
void kvmintro_stage2_record_perm(struct kvmintro_record_writer *writer,
				 const char *perm);
void kvmintro_stage2_record_run(struct kvmintro_record_writer *writer,
				const struct kvmintro_stage2_run *run,
				const char *size);

/*
 * Walk @gpa of @table into @leaf, adding the entries read to *@reads.
 * Return: 0, or the error that stops the summary (@leaf->level valid).
 */
typedef int (*kvmintro_stage2_leaf_fn)(const void *table, u64 gpa,
				       unsigned int *reads,
				       struct kvmintro_stage2_leaf *leaf);

/**
 * struct kvmintro_stage2_summarizer - a summary being built, a part at a time
 * @gpa:	the next GPA to walk
 * @runs:	where a part puts the runs it finishes
 * @max_runs:	room in @runs: a part ends once it has finished that many
 * @nr_runs:	the runs the last part finished
 * @cur:	the run not finished yet (npages 0: none)
 * @done:	nothing is left to walk, or a walk failed
 * @error:	that walk's error, else 0
 * @last:	the last walk, as far as it went
 */
struct kvmintro_stage2_summarizer {
	u64 gpa;
	struct kvmintro_stage2_run *runs;
	unsigned int max_runs;
	unsigned int nr_runs;
	struct kvmintro_stage2_run cur;
	bool done;
	int error;
	struct kvmintro_stage2_leaf last;
};

void kvmintro_stage2_summarize(struct kvmintro_stage2_summarizer *s,
			       kvmintro_stage2_leaf_fn walk,
			       const void *table, u64 end,
			       unsigned int budget);

#endif /* KVMINTRO_LIB_STAGE2_RUN_H */
