// SPDX-License-Identifier: GPL-2.0
/*
 * The stage2 file on x86 (introspect/stage2.c keeps its requests and
 * replies): the second-stage table KVM built for the guest (AMD NPT or
 * Intel EPT), read from the root of KVM's TDP MMU; every level's entry
 * for a GPA, the leaf and the host page behind it side by side, or a
 * run-length summary of all its leaves.
 *
 * The root is vcpu 0's (the first vcpu whose L1 MMU has a direct, i.e.
 * TDP, root): vcpu->arch.root_mmu, which stays the L1 guest's MMU while
 * vcpu->arch.mmu points to the nested one.
 *
 * Protection.  Entries are read exactly as KVM's lockless walkers read
 * them (kvm_tdp_mmu_get_walk()): under rcu_read_lock(), with READ_ONCE(),
 * since the TDP MMU frees a table page only after an RCU grace period.
 * The root itself is different: it is freed (call_rcu()) when its last
 * reference goes, and the vcpu drops its reference before it clears
 * root.hpa, so a root read from the vcpu under RCU alone may already be
 * queued for freeing.  So the root is read, and the walk done, with
 * kvm->mmu_lock held for write, as KVM's own mmu_rmaps_stat debugfs file
 * does: the vcpu puts its root with mmu_lock held (for write on 6.1, for
 * read on 6.12), so while we hold it the vcpu's reference keeps the root,
 * and every table reachable from it, alive.  Nothing sleeps under it; a
 * summary drops both locks after a bounded number of entries, reschedules
 * and takes the root again, resuming at the next GPA, as tdp_iter's
 * yield does.
 */
#include <linux/rcupdate.h>

#include "../../../lib/format.h"
#include "../../../lib/parse.h"
#include "../../../lib/record.h"
#include "../../../lib/stage2.h"
#include "../../guest_memory.h"
#include "../../kvmintro.h"
#include "../../text.h"
#include "x86.h"
#include "../../reply.h"

/* Longest record of a summary. */
#define KVMINTRO_STAGE2_LINE_MAX	128

/**
 * struct kvmintro_stage2_root - the table to read, as found
 * @vcpu:	index of the vcpu whose root it is
 * @mmu:	its shape
 * @smm:	the vcpu was in SMM: the root maps address space 1
 * @why:	why there is none, else NULL
 */
struct kvmintro_stage2_root {
	unsigned int vcpu;
	struct kvmintro_stage2_mmu mmu;
	bool smm;
	const char *why;
};

/* NPT or EPT, from the name of KVM's vendor module; false if unknown. */
static bool kvmintro_tdp_kind(enum kvmintro_tdp_kind *kind)
{
	const char *name;

	if (!kvmintro_kvm_x86_ops)
		return false;
	name = READ_ONCE(kvmintro_kvm_x86_ops->name);
	if (name && !strcmp(name, "kvm_amd")) {
		*kind = KVMINTRO_TDP_NPT;
		return true;
	}
	if (name && !strcmp(name, "kvm_intel")) {
		*kind = KVMINTRO_TDP_EPT;
		return true;
	}
	return false;
}

/*
 * Find the TDP MMU root of @kvm.  Caller holds kvm->mmu_lock for write and
 * rcu_read_lock().  Return: true, or false with @root->why set.
 */
static bool kvmintro_stage2_find_root(struct kvm *kvm,
				      struct kvmintro_stage2_root *root)
{
	union kvm_mmu_page_role role;
	struct kvm_vcpu *vcpu;
	unsigned int i, n;
	hpa_t hpa;

	memset(root, 0, sizeof(*root));
	lockdep_assert_held_write(&kvm->mmu_lock);
	if (!kvmintro_kvm_tdp_enabled || !kvmintro_tdp_kind(&root->mmu.kind)) {
		root->why = "unsupported";
		return false;
	}
	if (!READ_ONCE(*kvmintro_kvm_tdp_enabled)) {
		root->why = "shadow-paging";
		return false;
	}
	if (!kvmintro_tdp_mmu_enabled(kvm, kvmintro_kvm_tdp_mmu_param)) {
		root->why = "tdp-mmu-disabled";
		return false;
	}
	n = atomic_read(&kvm->online_vcpus);
	for (i = 0; i < n; i++) {
		vcpu = kvm_get_vcpu(kvm, i);
		if (!vcpu)
			continue;
		hpa = READ_ONCE(vcpu->arch.root_mmu.root.hpa);
		role.word = READ_ONCE(vcpu->arch.root_mmu.root_role.word);
		if (!VALID_PAGE(hpa) || !role.direct)
			continue;
		root->vcpu = i;
		root->mmu.root = hpa;
		root->mmu.levels = role.level;
		root->mmu.addr_mask = PTE_PFN_MASK;
		root->smm = role.smm;
		return true;
	}
	root->why = n ? "no-root" : "no-vcpu";
	return false;
}

/*
 * Read a table entry.  The tables are KVM's own pages, in the direct map;
 * under mmu_lock and RCU (see above).
 */
static int kvmintro_stage2_read_spte(void *ctx, u64 hpa, u64 *value)
{
	unsigned int *reads = ctx;

	if (!pfn_valid(PHYS_PFN(hpa)))
		return -EFAULT;
	*value = READ_ONCE(*(u64 *)__va(hpa));
	if (reads)
		++*reads;
	return 0;
}

/*
 * Take mmu_lock for write and RCU, and find the root into @root_.
 * Return: the first GPA past what the root maps, 0 without one.
 */
static u64 kvmintro_stage2_hold(struct kvm *kvm, void *root_)
	__acquires(&kvm->mmu_lock) __acquires(RCU)
{
	struct kvmintro_stage2_root *root = root_;

	write_lock(&kvm->mmu_lock);
	rcu_read_lock();
	if (!kvmintro_stage2_find_root(kvm, root))
		return 0;
	return 1ULL << kvmintro_stage2_shift(root->mmu.levels + 1);
}

static void kvmintro_stage2_release(struct kvm *kvm)
	__releases(RCU) __releases(&kvm->mmu_lock)
{
	rcu_read_unlock();
	write_unlock(&kvm->mmu_lock);
}

/*
 * The record naming the table @root, of kind @kind (NULL for none), after
 * gpa=*@gpa if @gpa; when there is no table, "reason=no-tdp-mmu why=...".
 */
static int kvmintro_stage2_format_root(char *buf, size_t size,
				       const char *kind, const u64 *gpa,
				       const void *root_)
{
	const struct kvmintro_stage2_root *root = root_;
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, kind);
	if (gpa)
		kvmintro_record_hex(&writer, "gpa", *gpa);
	if (root->why) {
		kvmintro_record_word(&writer, "reason", "no-tdp-mmu");
		kvmintro_record_word(&writer, "why", root->why);
		return kvmintro_record_end(&writer);
	}
	kvmintro_record_u64(&writer, "vcpu", root->vcpu);
	kvmintro_record_word(&writer, "mmu",
			     kvmintro_tdp_kind_name(root->mmu.kind));
	kvmintro_record_hex(&writer, "root", root->mmu.root);
	kvmintro_record_u64(&writer, "levels", root->mmu.levels);
	kvmintro_record_u64(&writer, "smm", root->smm);
	return kvmintro_record_end(&writer);
}

/* The leaf record of @walk, with the VMM's page beside KVM's. */
static int kvmintro_stage2_format_leaf(char *buf, size_t size,
				       struct kvmintro_guest_mem *mem,
				       const struct kvmintro_stage2_root *root,
				       const struct kvmintro_stage2_walk *walk)
{
	unsigned int level = walk->steps[walk->nr_steps - 1].level;
	struct kvmintro_record_writer writer;
	char perm[4];

	kvmintro_format_stage2_perm(perm, &walk->leaf);
	kvmintro_record_begin(&writer, buf, size, "leaf");
	kvmintro_record_hex(&writer, "gpa", walk->gpa);
	kvmintro_record_hex(&writer, "pfn", walk->hpa >> PAGE_SHIFT);
	kvmintro_record_hex(&writer, "hpa", walk->hpa);
	kvmintro_record_u64(&writer, "level", level);
	kvmintro_record_word(&writer, "size", kvmintro_stage2_size_name(level));
	kvmintro_stage2_record_perm(&writer, perm);
	if (root->mmu.kind == KVMINTRO_TDP_EPT) {
		kvmintro_record_word(&writer, "memtype",
				     kvmintro_ept_memtype_name(walk->leaf.memtype));
		kvmintro_record_u64(&writer, "ipat", walk->leaf.ipat);
	}
	kvmintro_stage2_record_host(&writer, mem, root->smm, walk->gpa,
				    walk->hpa);
	return kvmintro_record_end(&writer);
}

/* The records of one walk: the table, every entry read, the leaf or err. */
static size_t kvmintro_stage2_walk_text(char *text, size_t size,
					struct kvmintro_guest_mem *mem,
					const struct kvmintro_stage2_root *root,
					const struct kvmintro_stage2_walk *walk,
					int error)
{
	size_t len;
	unsigned int i;

	if (root->why)
		return kvmintro_text_written(kvmintro_stage2_format_root(text,
				size, "err", &walk->gpa, root));
	len = kvmintro_text_written(kvmintro_stage2_format_root(text, size,
			NULL, &walk->gpa, root));
	for (i = 0; i < walk->nr_steps; i++)
		len += kvmintro_text_written(kvmintro_format_stage2_step(
				text + len, size - len, root->mmu.kind,
				&walk->steps[i]));
	if (walk->present && !error)
		return len + kvmintro_text_written(kvmintro_stage2_format_leaf(
				text + len, size - len, mem, root, walk));
	return len + kvmintro_text_written(kvmintro_stage2_format_error(
			text + len, size - len, walk->gpa,
			walk->steps[walk->nr_steps - 1].level, error));
}

/* Find the root and walk @n GPAs under one hold of the locks. */
static int kvmintro_stage2_read(struct kvm *kvm, const u64 *gpas, int n,
				void *root_, void *walks, int *errors)
{
	struct kvmintro_stage2_root *root = root_;
	struct kvmintro_stage2_walk *walk = walks;
	int i;

	if (kvmintro_stage2_hold(kvm, root)) {
		for (i = 0; i < n; i++)
			errors[i] = kvmintro_stage2_walk(&root->mmu, gpas[i],
							 kvmintro_stage2_read_spte,
							 NULL, &walk[i]);
	}
	kvmintro_stage2_release(kvm);
	return 0;
}

static size_t kvmintro_stage2_format(char *text, size_t size,
				     struct kvmintro_guest_mem *mem,
				     const void *root, void *walk, u64 gpa,
				     int error)
{
	struct kvmintro_stage2_walk *w = walk;

	if (((const struct kvmintro_stage2_root *)root)->why) {
		w->gpa = gpa;
		w->nr_steps = 0;
	}
	return kvmintro_stage2_walk_text(text, size, mem, root, w, error);
}

/* A summary's walk of one GPA, under kvmintro_stage2_hold(). */
static int kvmintro_stage2_read_leaf(const void *root_, u64 gpa,
				     unsigned int *reads,
				     struct kvmintro_stage2_leaf *leaf)
{
	const struct kvmintro_stage2_root *root = root_;

	return kvmintro_stage2_walk_leaf(&root->mmu, gpa,
					 kvmintro_stage2_read_spte, reads,
					 leaf);
}

static u64 kvmintro_stage2_root_hpa(const void *root)
{
	return ((const struct kvmintro_stage2_root *)root)->mmu.root;
}

static int kvmintro_stage2_format_run(char *buf, size_t size,
				      const void *root,
				      const struct kvmintro_stage2_run *run)
{
	return kvmintro_format_stage2_run(buf, size,
			((const struct kvmintro_stage2_root *)root)->mmu.kind,
			run);
}

const struct kvmintro_stage2_walker kvmintro_arch_stage2_walker = {
	.root_size = sizeof(struct kvmintro_stage2_root),
	.walk_size = sizeof(struct kvmintro_stage2_walk),
	.summary_line_max = KVMINTRO_STAGE2_LINE_MAX,
	.read = kvmintro_stage2_read,
	.format = kvmintro_stage2_format,
	.hold = kvmintro_stage2_hold,
	.release = kvmintro_stage2_release,
	.walk_leaf = kvmintro_stage2_read_leaf,
	.root_hpa = kvmintro_stage2_root_hpa,
	.format_root = kvmintro_stage2_format_root,
	.format_run = kvmintro_stage2_format_run,
};
