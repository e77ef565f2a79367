// SPDX-License-Identifier: GPL-2.0
/*
 * The stage2 file's summary (Documentation/debugfs.rst, "stage2"), the
 * same on every architecture: the architecture finds its table and walks
 * one GPA at a time (kvmintro_arch_stage2_walker, introspect/arch.h),
 * lib/stage2_run.c merges the leaves into runs, and this holds the
 * architecture's locks for a bounded part of the table at a time and
 * writes the records.
 *
 * Nothing sleeps under the locks: a part reads at most
 * KVMINTRO_STAGE2_BUDGET entries and finishes at most KVMINTRO_STAGE2_RUNS
 * runs, then the locks are dropped, the records written, and the next part
 * finds the table anew (the vcpu may have replaced it meanwhile: that is
 * said in a root-changed record) and goes on from the GPA after the last
 * one read, as the TDP MMU's own iterator yields.
 */
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "../lib/record.h"
#include "../lib/stage2_run.h"
#include "kvmintro.h"
#include "text.h"

/* Entries read per hold of the architecture's locks. */
#define KVMINTRO_STAGE2_BUDGET		1024
/* Runs finished per hold, at most. */
#define KVMINTRO_STAGE2_RUNS		64

/* The record saying that from @gpa on the summary reads the root @hpa. */
static int kvmintro_stage2_format_root_changed(char *buf, size_t size,
					       u64 gpa, u64 hpa)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, "root-changed");
	kvmintro_record_hex(&writer, "gpa", gpa);
	kvmintro_record_hex(&writer, "root", hpa);
	return kvmintro_record_end(&writer);
}

/**
 * kvmintro_stage2_summary() - the summary of every leaf
 * @kvm:	the VM, referenced by the caller
 * @t:		where the records go, room for a page allocated
 *
 * A table record, the runs, and at the end a stopped record should the
 * table go away, or the err record of a walk that failed.
 *
 * Return: 0, -EFBIG past @t's limit, -EINTR if killed, -ENOMEM.
 */
int kvmintro_stage2_summary(struct kvm *kvm, struct kvmintro_text *t)
{
	const struct kvmintro_stage2_walker *w = &kvmintro_arch_stage2_walker;
	struct kvmintro_stage2_summarizer s = {
		.max_runs = KVMINTRO_STAGE2_RUNS,
	};
	u64 start, end, root_hpa = 0;
	bool first = true;
	unsigned int i;
	void *root;
	int r;

	root = kzalloc(w->root_size, GFP_KERNEL);
	s.runs = kmalloc_array(s.max_runs, sizeof(*s.runs), GFP_KERNEL);
	r = root && s.runs ? 0 : -ENOMEM;
	while (!r && !s.done) {
		start = s.gpa;
		end = w->hold(kvm, root);
		if (end) {
			kvmintro_stage2_summarize(&s, w->walk_leaf, root, end,
						  KVMINTRO_STAGE2_BUDGET);
		} else {
			s.nr_runs = 0;
			s.done = true;
		}
		w->release(kvm);

		r = kvmintro_text_reserve(t, (s.nr_runs + 3) *
					  w->summary_line_max);
		if (r)
			break;
		if (first) {
			kvmintro_text_append(t, w->format_root(t->text + t->len,
					t->size - t->len,
					end ? "table" : "err", NULL, root));
			if (!end)
				break;
			root_hpa = w->root_hpa(root);
			first = false;
		} else if (end && w->root_hpa(root) != root_hpa) {
			root_hpa = w->root_hpa(root);
			kvmintro_text_append(t,
					kvmintro_stage2_format_root_changed(
					t->text + t->len, t->size - t->len,
					start, root_hpa));
		}
		for (i = 0; i < s.nr_runs; i++)
			kvmintro_text_append(t, w->format_run(t->text + t->len,
					t->size - t->len, root, &s.runs[i]));
		if (s.done && s.cur.npages)
			kvmintro_text_append(t, w->format_run(t->text + t->len,
					t->size - t->len, root, &s.cur));
		if (!end) {
			/* The table went away: say where the summary ends. */
			kvmintro_text_append(t, w->format_root(t->text + t->len,
					t->size - t->len, "stopped", &start,
					root));
			break;
		}
		if (s.error) {
			/* A walk failed: its err record ends the summary. */
			kvmintro_text_append(t, kvmintro_stage2_format_error(
					t->text + t->len, t->size - t->len,
					s.gpa, s.last.level, s.error));
			break;
		}
		if (fatal_signal_pending(current)) {
			r = -EINTR;
			break;
		}
		cond_resched();
	}
	kfree(s.runs);
	kfree(root);
	return r;
}
