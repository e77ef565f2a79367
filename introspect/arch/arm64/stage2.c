// SPDX-License-Identifier: GPL-2.0
/*
 * The stage2 file on arm64 (introspect/stage2.c keeps its requests and
 * replies): the stage-2 table KVM built for the guest, kvm->arch.mmu.pgt
 * (struct kvm_pgtable: ia_bits, start_level, pgd, the start level's
 * tables concatenated), decoded by lib/arm64/stage2.c; every level's
 * descriptor for a GPA and the leaf beside the host page, or a run-length
 * summary of all leaves.
 *
 * Protection: as KVM's own walks.  The table is read under
 * read_lock(&kvm->mmu_lock) (arm64's mmu_lock is an rwlock): KVM frees
 * the whole table (kvm_free_stage2_pgd()) only after it cleared
 * mmu->pgt under the lock held for write, and frees table pages under the
 * lock held for write (unmap) or, when a fault under the read lock
 * replaces a table by a block, after an RCU grace period
 * (free_unlinked_table, stage2_free_unlinked_table_rcu_cb()): hence
 * rcu_read_lock() too.  Descriptors are read with READ_ONCE() through
 * phys_to_virt(), as the host's mm_ops do (kvm_host_va()); every one is
 * untrusted: the walk goes at most from the start level to level 3 and
 * reads nothing at an address outside the linear map (pfn_valid() and
 * pfn_is_map_memory(), as virt_addr_valid() checks), which ends it with
 * an err record (reason=bad-table).  Nothing sleeps under the locks; a
 * summary drops them after a bounded number of reads, reschedules and
 * takes them again, resuming at the next IPA.
 */
#include <linux/rcupdate.h>
#include <asm/cpufeature.h>
#include <asm/kvm_pgtable.h>
#include <asm/virt.h>

#include "../../../lib/arm64/stage2.h"
#include "../../../lib/record.h"
#include "../../guest_memory.h"
#include "../../kvmintro.h"
#include "../../text.h"

/* Longest record of a summary. */
#define KVMINTRO_S2_LINE_MAX		160

/**
 * struct kvmintro_s2_root - the table to read, as found
 * @table:	its shape and first table
 * @why:	why there is none, else NULL
 */
struct kvmintro_s2_root {
	struct kvmintro_arm64_s2_table table;
	const char *why;
};

/*
 * Find @kvm's stage-2 table.  Caller holds kvm->mmu_lock for read and
 * rcu_read_lock().  Return: true, or false with @root->why set.
 */
static bool kvmintro_s2_find_root(struct kvm *kvm, struct kvmintro_s2_root *root)
{
	struct kvm_pgtable *pgt;

	memset(root, 0, sizeof(*root));
	lockdep_assert_held(&kvm->mmu_lock);
	/* pKVM: the hypervisor owns the guest's table, the host's is unused. */
	if (is_protected_kvm_enabled() || PAGE_SIZE != SZ_4K) {
		root->why = "unsupported";
		return false;
	}
	pgt = READ_ONCE(kvm->arch.mmu.pgt);
	if (!pgt) {
		root->why = "no-pgt";
		return false;
	}
	root->table.ia_bits = READ_ONCE(pgt->ia_bits);
	root->table.start_level = (int)READ_ONCE(pgt->start_level);
	root->table.root = virt_to_phys((__force void *)READ_ONCE(pgt->pgd));
	root->table.lpa2 = kvmintro_kvm_lpa2_enabled();
	root->table.fwb = cpus_have_final_cap(ARM64_HAS_STAGE2_FWB) &&
			  !kvmintro_kvm_s2_nofwb(pgt);
	if (!kvmintro_arm64_s2_table_ok(&root->table)) {
		root->why = "unsupported";
		return false;
	}
	return true;
}

/*
 * Read a descriptor: KVM's table pages are in the linear map; anything
 * else a descriptor points to is refused.  Under mmu_lock and RCU.
 */
static int kvmintro_s2_read_desc(void *ctx, u64 hpa, u64 *value)
{
	unsigned long pfn = PHYS_PFN(hpa);
	unsigned int *reads = ctx;

	if ((hpa & 7) || PFN_PHYS(pfn) != (hpa & PAGE_MASK) ||
	    !pfn_valid(pfn) || !pfn_is_map_memory(pfn))
		return -EFAULT;
	*value = READ_ONCE(*(u64 *)phys_to_virt(hpa));
	if (reads)
		++*reads;
	return 0;
}

/*
 * Take mmu_lock for read and RCU, and find the table into @root_.
 * Return: the first IPA past what the table maps (its IPA size), 0
 * without one.
 */
static u64 kvmintro_s2_hold(struct kvm *kvm, void *root_)
	__acquires(&kvm->mmu_lock) __acquires(RCU)
{
	struct kvmintro_s2_root *root = root_;

	read_lock(&kvm->mmu_lock);
	rcu_read_lock();
	if (!kvmintro_s2_find_root(kvm, root))
		return 0;
	return 1ULL << root->table.ia_bits;
}

static void kvmintro_s2_release(struct kvm *kvm)
	__releases(RCU) __releases(&kvm->mmu_lock)
{
	rcu_read_unlock();
	read_unlock(&kvm->mmu_lock);
}

/*
 * The record naming the table of @root, of kind @kind (NULL for none),
 * after gpa=*@gpa if @gpa; without a table, "reason=no-table why=...".
 */
static int kvmintro_s2_format_root(char *buf, size_t size, const char *kind,
				   const u64 *gpa, const void *root_)
{
	const struct kvmintro_s2_root *root = root_;
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, kind);
	if (gpa)
		kvmintro_record_hex(&writer, "gpa", *gpa);
	if (root->why) {
		kvmintro_record_word(&writer, "reason", "no-table");
		kvmintro_record_word(&writer, "why", root->why);
	} else {
		kvmintro_arm64_s2_record_table(&writer, &root->table);
	}
	return kvmintro_record_end(&writer);
}

/* The leaf record of @walk, with the VMM's page beside KVM's. */
static int kvmintro_s2_format_leaf(char *buf, size_t size,
				   struct kvmintro_guest_mem *mem,
				   const struct kvmintro_s2_root *root,
				   const struct kvmintro_arm64_s2_walk *walk)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, "leaf");
	kvmintro_arm64_s2_record_leaf(&writer, &root->table, walk);
	kvmintro_stage2_record_host(&writer, mem, false, walk->gpa, walk->hpa);
	return kvmintro_record_end(&writer);
}

/* The records of one walk: the table, every descriptor read, leaf or err. */
static size_t kvmintro_s2_walk_text(char *text, size_t size,
				    struct kvmintro_guest_mem *mem,
				    const struct kvmintro_s2_root *root,
				    const struct kvmintro_arm64_s2_walk *walk,
				    int error)
{
	unsigned int i, level;
	size_t len;

	if (root->why)
		return kvmintro_text_written(kvmintro_s2_format_root(text,
				size, "err", &walk->gpa, root));
	len = kvmintro_text_written(kvmintro_s2_format_root(text, size,
			NULL, &walk->gpa, root));
	for (i = 0; i < walk->nr_steps; i++)
		len += kvmintro_text_written(kvmintro_arm64_s2_format_step(
				text + len, size - len, &root->table,
				&walk->steps[i]));
	if (walk->present && !error)
		return len + kvmintro_text_written(kvmintro_s2_format_leaf(
				text + len, size - len, mem, root, walk));
	level = walk->nr_steps ? walk->steps[walk->nr_steps - 1].level : 0;
	return len + kvmintro_text_written(kvmintro_stage2_format_error(
			text + len, size - len, walk->gpa, level, error));
}

/*
 * Find the table and walk @n GPAs under one hold of the locks; -EINVAL,
 * and no walk, if one is at or past the table's IPA size (2^ia_bits), the
 * limit of what a guest of this VM can address, fixed at its creation.
 */
static int kvmintro_s2_read(struct kvm *kvm, const u64 *gpas, int n,
			    void *root_, void *walks, int *errors)
{
	struct kvmintro_arm64_s2_walk *walk = walks;
	struct kvmintro_s2_root *root = root_;
	int i, r = 0;

	if (kvmintro_s2_hold(kvm, root)) {
		for (i = 0; i < n; i++)
			if (gpas[i] >> root->table.ia_bits)
				r = -EINVAL;
		for (i = 0; i < n && !r; i++)
			errors[i] = kvmintro_arm64_s2_walk(&root->table, gpas[i],
							   kvmintro_s2_read_desc,
							   NULL, &walk[i]);
	}
	kvmintro_s2_release(kvm);
	return r;
}

static size_t kvmintro_s2_format(char *text, size_t size,
				 struct kvmintro_guest_mem *mem,
				 const void *root, void *walk, u64 gpa,
				 int error)
{
	struct kvmintro_arm64_s2_walk *w = walk;

	if (((const struct kvmintro_s2_root *)root)->why) {
		w->gpa = gpa;
		w->nr_steps = 0;
	}
	return kvmintro_s2_walk_text(text, size, mem, root, w, error);
}

/* A summary's walk of one IPA, under kvmintro_s2_hold(). */
static int kvmintro_s2_read_leaf(const void *root_, u64 gpa,
				 unsigned int *reads,
				 struct kvmintro_stage2_leaf *leaf)
{
	const struct kvmintro_s2_root *root = root_;

	return kvmintro_arm64_s2_walk_leaf(&root->table, gpa,
					   kvmintro_s2_read_desc, reads, leaf);
}

static u64 kvmintro_s2_root_hpa(const void *root)
{
	return ((const struct kvmintro_s2_root *)root)->table.root;
}

static int kvmintro_s2_format_run(char *buf, size_t size, const void *root,
				  const struct kvmintro_stage2_run *run)
{
	return kvmintro_arm64_s2_format_run(buf, size,
			&((const struct kvmintro_s2_root *)root)->table, run);
}

const struct kvmintro_stage2_walker kvmintro_arch_stage2_walker = {
	.root_size = sizeof(struct kvmintro_s2_root),
	.walk_size = sizeof(struct kvmintro_arm64_s2_walk),
	.summary_line_max = KVMINTRO_S2_LINE_MAX,
	.read = kvmintro_s2_read,
	.format = kvmintro_s2_format,
	.hold = kvmintro_s2_hold,
	.release = kvmintro_s2_release,
	.walk_leaf = kvmintro_s2_read_leaf,
	.root_hpa = kvmintro_s2_root_hpa,
	.format_root = kvmintro_s2_format_root,
	.format_run = kvmintro_s2_format_run,
};
