// SPDX-License-Identifier: GPL-2.0
/*
 * s2_swbit: a test-only module for tests/e2e/arm64/stage2_test.sh.  Loaded
 * with pid=<VMM pid> gpa=<IPA>, it finds that VMM's struct kvm, takes a
 * reference to it, and sets software bit 55 in the stage-2 leaf (page or
 * block descriptor) that maps the IPA; rmmod clears it again and drops
 * the reference.  The test then checks that kvmintro's stage2 file shows
 * the bit (sw=0x1) while the module is loaded and not after.  No stock
 * interface sets a stage-2 software bit, hence this module; it is built
 * for L1 only, never installed.
 *
 * Independent of kvmintro: its own lookup of the VM (the "kvm-vm" file in
 * the VMM's file table, whose reference on the VM makes kvm_get_kvm_safe()
 * safe under the table's lock, matched by kvm->userspace_pid) and its own walk
 * of kvm->arch.mmu.pgt (struct kvm_pgtable: ia_bits, start_level, pgd,
 * concatenated start-level tables; 4K granule, with or without LPA2,
 * descriptors' addresses through phys_to_virt() as KVM's host mm_ops),
 * done under write_lock(&kvm->mmu_lock), which excludes every software
 * writer of the table (KVM's own fault path writes under the read lock).  The bit is set
 * and cleared with cmpxchg, so that an access flag the hardware may set
 * meanwhile (VTCR_EL2.HA) is not lost.
 *
 * Why this is safe for the guest and for KVM (checked against 6.12's
 * arch/arm64/kvm/hyp/pgtable.c and mmu.c):
 *  - bits 58:55 of a stage-2 block or page descriptor are reserved for
 *    software: the MMU ignores them (Arm ARM D8.3), so changing them
 *    changes no translation and needs no break-before-make nor TLB
 *    invalidation;
 *  - KVM never sets them for a VM it manages from the host (VHE, or nVHE
 *    without pKVM): user_mem_abort() asks for R, W, X and the memory type
 *    only, and stage2_set_prot_attr() copies nothing else into a leaf.
 *    Where it reads them, it only carries them along:
 *    kvm_pgtable_stage2_pte_prot() for eager splitting (the smaller leaves
 *    inherit the bit), stage2_update_leaf_attrs() (permission and
 *    access-flag changes keep the other bits), and a remap of the same
 *    page by stage2_map_walker_try_leaf() sees an entry that differs
 *    outside the permissions and writes its own, dropping the bit.  None
 *    of these changes what the guest can do;
 *  - only pKVM gives them a meaning (the host stage-2's page ownership
 *    states, KVM_PGTABLE_PROT_SW0/SW1); this module refuses to load with
 *    protected KVM (is_protected_kvm_enabled()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <asm/kvm_pgtable.h>
#include <asm/virt.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "the VMM's pid (kvm->userspace_pid)");
static unsigned long long gpa;
module_param(gpa, ullong, 0444);
MODULE_PARM_DESC(gpa, "the IPA whose stage-2 leaf gets software bit 55");

#define S2_SWBIT		BIT_ULL(55)
#define S2_VALID		BIT_ULL(0)
#define S2_TABLE		BIT_ULL(1)
#define S2_ADDR			GENMASK_ULL(47, 12)
/* With LPA2: bits 49:12, and 51:50 in bits 9:8. */
#define S2_ADDR_LPA2		GENMASK_ULL(49, 12)
#define S2_ADDR_51_50		GENMASK_ULL(9, 8)

static struct kvm *s2_kvm;

/* What s2_match_file() looks for in a file table, and finds. */
struct s2_match {
	pid_t pid;
	struct kvm *kvm;
};

/* If @file is a VM of @arg's pid, reference it there and stop the walk. */
static int s2_match_file(const void *arg, struct file *file, unsigned int fd)
{
	struct s2_match *match = (struct s2_match *)arg;
	struct kvm *kvm;

	/* anon_inode_getfile("kvm-vm", ...) names every VM's file so. */
	if (strcmp(file->f_path.dentry->d_name.name, "kvm-vm"))
		return 0;
	kvm = file->private_data;
	if (kvm->userspace_pid != match->pid || !kvm_get_kvm_safe(kvm))
		return 0;
	match->kvm = kvm;
	return 1;
}

/* The VM of the VMM @pid, referenced; NULL if none. */
static struct kvm *s2_find_kvm(pid_t pid)
{
	struct s2_match match = { .pid = pid };
	struct task_struct *task;
	struct pid *vmm;

	vmm = find_get_pid(pid);
	task = get_pid_task(vmm, PIDTYPE_PID);
	put_pid(vmm);
	if (!task)
		return NULL;
	task_lock(task);
	iterate_fd(task->files, 0, s2_match_file, &match);
	task_unlock(task);
	put_task_struct(task);
	return match.kvm;
}

/* KVM uses LPA2's descriptors (6.9 on; never before). */
static bool s2_lpa2(void)
{
#ifdef kvm_lpa2_is_enabled
	return kvm_lpa2_is_enabled();
#else
	return false;
#endif
}

/* The next table's physical address in table descriptor @pte. */
static phys_addr_t s2_table_addr(u64 pte)
{
	if (!s2_lpa2())
		return pte & S2_ADDR;
	return (pte & S2_ADDR_LPA2) | FIELD_GET(S2_ADDR_51_50, pte) << 50;
}

/*
 * The leaf descriptor mapping @ipa, or NULL if the walk meets an invalid
 * descriptor first.  Caller holds kvm->mmu_lock for write.
 */
static u64 *s2_find_leaf(struct kvm *kvm, u64 ipa)
{
	struct kvm_pgtable *pgt = kvm->arch.mmu.pgt;
	int level, start;
	unsigned int shift;
	u64 *table, pte, index;

	lockdep_assert_held_write(&kvm->mmu_lock);
	if (!pgt || ipa >> pgt->ia_bits)
		return NULL;
	start = (int)pgt->start_level;
	if (start < 0 || start > 3)
		return NULL;
	table = (__force u64 *)pgt->pgd;
	for (level = start; level <= 3; level++) {
		shift = 12 + 9 * (3 - level);
		index = ipa >> shift;
		if (level != start)
			index &= 511;
		pte = READ_ONCE(table[index]);
		if (!(pte & S2_VALID))
			return NULL;
		if (level == 3 || !(pte & S2_TABLE))
			return &table[index];
		table = phys_to_virt(s2_table_addr(pte));
	}
	return NULL;
}

/* Set or clear @bit in @kvm's leaf for @ipa.  Return: 0 or -ENOENT. */
static int s2_update(struct kvm *kvm, u64 ipa, u64 bit, bool set)
{
	u64 *ptep, old;
	int r = -ENOENT;

	write_lock(&kvm->mmu_lock);
	ptep = s2_find_leaf(kvm, ipa);
	if (ptep) {
		do {
			old = READ_ONCE(*ptep);
		} while (cmpxchg64(ptep, old, set ? old | bit : old & ~bit) != old);
		r = 0;
	}
	write_unlock(&kvm->mmu_lock);
	return r;
}

static int __init s2_swbit_init(void)
{
	int r;

	if (is_protected_kvm_enabled() || PAGE_SIZE != SZ_4K)
		return -EOPNOTSUPP;
	s2_kvm = s2_find_kvm(pid);
	if (!s2_kvm) {
		pr_err("no VM of pid %d\n", pid);
		return -ESRCH;
	}
	r = s2_update(s2_kvm, gpa, S2_SWBIT, true);
	if (r) {
		pr_err("no stage-2 leaf for 0x%llx\n", gpa);
		kvm_put_kvm(s2_kvm);
		return r;
	}
	pr_info("set bit 55 of the leaf of 0x%llx, VM of pid %d\n", gpa, pid);
	return 0;
}

static void __exit s2_swbit_exit(void)
{
	s2_update(s2_kvm, gpa, S2_SWBIT, false);
	kvm_put_kvm(s2_kvm);
}

module_init(s2_swbit_init);
module_exit(s2_swbit_exit);
MODULE_DESCRIPTION("kvmintro test: set a stage-2 software bit (test-only)");
MODULE_LICENSE("GPL");
