// SPDX-License-Identifier: GPL-2.0
/*
 * Run-length summaries of a second-stage table's leaves, whatever the
 * architecture: see stage2_run.h.
 */
#include "record.h"
#include "stage2_run.h"

/**
 * kvmintro_stage2_leaf_init() - what a summary keeps of a walk of one GPA
 * @leaf:	where it goes
 * @gpa:	the GPA walked
 * @nr_steps:	the entries the walk read: none leaves @leaf empty
 * @level:	the level of the last one
 * @shift:	log2 of the bytes it covers
 * @present:	it is a leaf
 *
 * Return: @present and @nr_steps: the caller adds the leaf's permissions
 * and attributes.
 */
bool kvmintro_stage2_leaf_init(struct kvmintro_stage2_leaf *leaf, u64 gpa,
			       unsigned int nr_steps, int level,
			       unsigned int shift, bool present)
{
	memset(leaf, 0, sizeof(*leaf));
	if (!nr_steps)
		return false;
	leaf->present = present;
	leaf->level = level;
	leaf->gpa = gpa & ~((1ULL << shift) - 1);
	leaf->shift = shift;
	return present;
}

/*
 * Add @leaf to @run if it continues it; return false (and leave @run
 * alone) if it does not: the caller emits @run and starts anew with an
 * empty one.  An empty run (npages 0) takes any leaf.
 */
bool kvmintro_stage2_run_add(struct kvmintro_stage2_run *run,
			     const struct kvmintro_stage2_leaf *leaf)
{
	if (run->npages &&
	    (run->level != leaf->level || strcmp(run->perm, leaf->perm) ||
	     run->attrs != leaf->attrs ||
	     run->gpa + run->npages * 4096 != leaf->gpa))
		return false;
	if (!run->npages) {
		run->gpa = leaf->gpa;
		run->level = leaf->level;
		run->attrs = leaf->attrs;
		memcpy(run->perm, leaf->perm, sizeof(run->perm));
	}
	run->npages += 1ULL << (leaf->shift - 12);
	run->leaves++;
	return true;
}

/* Add perm=@perm, the letters of kvmintro_format_stage2_perm(), or perm=-. */
void kvmintro_stage2_record_perm(struct kvmintro_record_writer *writer,
				 const char *perm)
{
	if (*perm)
		kvmintro_record_word(writer, "perm", perm);
	else
		kvmintro_record_none(writer, "perm");
}

/*
 * The fields every architecture's run record starts with, after "run":
 * gpa npages size leaves perm, @size the name of the run's leaf size.
 */
void kvmintro_stage2_record_run(struct kvmintro_record_writer *writer,
				const struct kvmintro_stage2_run *run,
				const char *size)
{
	kvmintro_record_hex(writer, "gpa", run->gpa);
	kvmintro_record_hex(writer, "npages", run->npages);
	kvmintro_record_word(writer, "size", size);
	kvmintro_record_hex(writer, "leaves", run->leaves);
	kvmintro_stage2_record_perm(writer, run->perm);
}

/**
 * kvmintro_stage2_summarize() - summarize a part of a table
 * @s:		the summary: walks from @s->gpa on
 * @walk:	walks one GPA of @table
 * @table:	the table, as the architecture found it
 * @end:	the first GPA past what @table maps
 * @budget:	entries the part may read; it reads at most one walk past it
 *
 * Walks leaf after leaf, each from the first GPA after what the one
 * before covered, merging them into runs, until @budget entries were
 * read, @s->max_runs runs finished (into @s->runs, @s->nr_runs of them),
 * @end was reached (@s->done) or a walk failed (@s->done, @s->error, and
 * @s->gpa and @s->last are that walk's).  The caller may hand on a part
 * that did not end the summary to the next, with the same table or
 * another found anew.
 */
void kvmintro_stage2_summarize(struct kvmintro_stage2_summarizer *s,
			       kvmintro_stage2_leaf_fn walk,
			       const void *table, u64 end,
			       unsigned int budget)
{
	struct kvmintro_stage2_leaf *leaf = &s->last;
	unsigned int reads = 0;

	s->nr_runs = 0;
	s->error = 0;
	s->done = s->gpa >= end;
	while (!s->done && reads < budget && s->nr_runs < s->max_runs) {
		s->error = walk(table, s->gpa, &reads, leaf);
		if (s->error) {
			s->done = true;
			break;
		}
		if (leaf->present && !kvmintro_stage2_run_add(&s->cur, leaf)) {
			s->runs[s->nr_runs++] = s->cur;
			memset(&s->cur, 0, sizeof(s->cur));
			kvmintro_stage2_run_add(&s->cur, leaf);
		}
		/* 0 past the top of the 64-bit space. */
		s->gpa = leaf->gpa + (1ULL << leaf->shift);
		s->done = !s->gpa || s->gpa >= end;
	}
}
