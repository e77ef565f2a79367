/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmintro: the model shared by introspect/ and hooks/.
 */
#ifndef KVMINTRO_H
#define KVMINTRO_H

#include <linux/hashtable.h>
#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/ptrace.h>
#include <linux/rculist.h>
#include <linux/task_work.h>
#include <linux/xarray.h>

#include "arch.h"
#include "compat.h"
#include "reply.h"

struct dentry;
struct proc_dir_entry;
struct seq_file;
struct kvmintro_snapshot;

/**
 * struct kvmintro_dir - one of kvmintro's directories, in both its trees
 * @debugfs:	under /sys/kernel/debug/kvmintro, or NULL or an ERR_PTR()
 * @proc:	the same under /proc/kvmintro, or NULL
 *
 * Every file is made in both (introspect/debugfs.c): debugfs is the
 * kernel's place for such files, /proc/kvmintro what is left of them when
 * lockdown makes debugfs refuse writable files.
 */
struct kvmintro_dir {
	struct dentry *debugfs;
	struct proc_dir_entry *proc;
};

/**
 * struct kvmintro_vcpu - what kvmintro tracks of one vcpu
 * @vm:		the VM it belongs to
 * @index:	KVM's vcpu index
 * @tid:	thread that last entered KVM_RUN, written by the KVM_RUN hook
 * @runs:	KVM_RUN calls seen, written by the KVM_RUN hook
 * @dir:	the vcpu<N> directory
 *
 * Allocated in process context by kvmintro_vm_sync_vcpus(), looked up by the
 * hook under RCU, freed after a grace period when the VM goes away.
 */
struct kvmintro_vcpu {
	struct kvmintro_vm *vm;
	unsigned int index;
	pid_t tid;
	u64 runs;
	struct kvmintro_dir dir;
};

/**
 * struct kvmintro_pause - pause state of one VM
 * @lock:	serializes pause, resume and capture of the VM
 * @paused:	no vcpu may enter guest mode; read by the KVM_RUN hook
 * @generation:	number of pauses so far
 * @pending:	threads of the current pause not yet seen out of guest mode
 * @stopped_wq:	the pausing thread waits here for @pending to reach zero
 * @resume_wq:	parked threads wait here for @paused to clear
 * @parks_lock:	protects @parks and the fields of its entries
 * @parks:	struct kvmintro_park (pause.c) queued or running
 * @parks_seq:	bumped under @lock once a pause has queued its parks
 * @works:	park works queued or running; the VM entry outlives them
 * @latency_ns:	time from the last pause request until all vcpus stopped
 * @snapshot:	the latest capture, or NULL; under @lock
 */
struct kvmintro_pause {
	struct mutex lock;		/* serializes pause, resume, capture */
	bool paused;
	u64 generation;
	atomic_t pending;
	wait_queue_head_t stopped_wq;
	wait_queue_head_t resume_wq;
	spinlock_t parks_lock;		/* protects @parks */
	struct list_head parks;
	unsigned long parks_seq;
	atomic_t works;
	u64 latency_ns;
	struct kvmintro_snapshot *snapshot;
};

/* vcpus the KVM_RUN hook finds by array index; the rest by xa_load() */
#define KVMINTRO_RUN_VCPUS	64

/**
 * struct kvmintro_vm - one VM known to kvmintro
 * @hash_node:	in kvmintro_vm_hash, keyed by @key; RCU for readers, changes
 *		under kvmintro_vm_lock
 * @list_node:	in kvmintro_vm_list, under kvmintro_registry_mutex
 * @key:	the struct kvm this entry was made for; a hash key only, never
 *		dereferenced
 * @mm:		that VM's kvm->mm, grabbed (mmgrab()) for the entry's life: with
 *		@key, what tells this VM from a later one at the same address
 * @kvm:	the struct kvm, or NULL once the entry is retired (the VM was
 *		seen dying or gone); cleared under kvmintro_vm_lock; never
 *		dereferenced but through kvmintro_vm_get_kvm()
 * @pid:	process that created the VM
 * @name:	directory name under the roots: "<pid>" or "<pid>-<n>"
 * @dir:	that directory
 * @files:	the file layer, which makes the files of this VM's vcpus
 * @vcpus:	struct kvmintro_vcpu by KVM vcpu index
 * @run_vcpus:	the first KVMINTRO_RUN_VCPUS of @vcpus again, for the KVM_RUN
 *		hook: an array index rather than xa_load() on every run;
 *		published with a release once in @vcpus, never cleared
 * @unseen_tids: threads the KVM_RUN hook saw enter KVM_RUN of a vcpu it had
 *		no state for yet, by vcpu index (the last slot for every index
 *		past KVMINTRO_RUN_VCPUS): candidates for a pause, as
 *		kvmintro_vcpu.tid is for known vcpus
 * @pause:	pause and snapshot state
 * @translate:	replies of the latest write to the translate file
 * @scan:	results of the latest scan
 * @gva:	the latest walk written to the gva file
 * @stage2:	the latest walks written to the stage2 file; none: summary
 * @stage2_summary: the stage2 summary of the latest read from offset 0
 */
struct kvmintro_vm {
	struct hlist_node hash_node;
	struct list_head list_node;
	const struct kvm *key;
	struct mm_struct *mm;
	struct kvm *kvm;
	pid_t pid;
	char name[24];
	struct kvmintro_dir dir;
	const struct kvmintro_files *files;
	struct xarray vcpus;
	struct kvmintro_vcpu *run_vcpus[KVMINTRO_RUN_VCPUS];
	pid_t unseen_tids[KVMINTRO_RUN_VCPUS + 1];
	struct kvmintro_pause pause;
	struct kvmintro_reply translate;
	struct kvmintro_reply scan;
	struct kvmintro_reply gva;
	struct kvmintro_reply stage2;
	struct kvmintro_reply stage2_summary;
};

/* introspect/symbols.c */
int kvmintro_symbols_resolve(void);
/*
 * Typed after the kernel's own declarations: a kernel that changes one of
 * these signatures fails to build kvmintro rather than being called wrong.
 */
extern typeof(&task_work_cancel) kvmintro_task_work_cancel;
extern typeof(&ptrace_may_access) kvmintro_ptrace_may_access;
extern typeof(&kvm_get_running_vcpu) kvmintro_kvm_get_running_vcpu;
/* The translation hypercall's, optional (NULL if not found; it checks). */
extern unsigned long (*kvmintro_kvm_vcpu_gfn_to_hva)(struct kvm_vcpu *vcpu,
						     gfn_t gfn);

/* introspect/kvms.c */
int kvmintro_kvms_resolve(kvmintro_lookup_t lookup);
unsigned int kvmintro_kvms_count(void);
unsigned int kvmintro_kvms_collect(struct kvm **found, unsigned int capacity,
				   bool *truncated);
struct kvm *kvmintro_kvms_get(const struct kvm *key,
			      const struct mm_struct *mm);

/* introspect/param.c */

/**
 * struct kvmintro_param_uint - an unsigned int module parameter in bounds
 * @value:	its value, READ_ONCE() by users
 * @min:	the least it may be set to
 * @max:	the most
 *
 * module_param_cb(name, &kvmintro_param_uint_ops, &param, perm).
 */
struct kvmintro_param_uint {
	unsigned int value;
	unsigned int min;
	unsigned int max;
};
extern const struct kernel_param_ops kvmintro_param_uint_ops;

/**
 * struct kvmintro_files - the file layer, as the model calls it
 * @root:	the directory VMs' directories go in
 * @create_vm:	make the directory of a VM found (vm->dir) and its files
 * @create_vcpu: make the directory and files of a vcpu found
 * @remove_vm:	remove the VM's directory with its vcpus'; waits for file
 *		operations in flight, and later ones fail with -EIO
 *
 * The model (registry, vcpus) never calls the file layer by name: main.c
 * hands it these, made by kvmintro_debugfs_create_root(), at
 * kvmintro_registry_init().
 */
struct kvmintro_files {
	struct kvmintro_dir root;
	void (*create_vm)(struct kvmintro_vm *vm);
	void (*create_vcpu)(struct kvmintro_vcpu *state, struct kvm_vcpu *vcpu);
	void (*remove_vm)(struct kvmintro_vm *vm);
};

/* introspect/registry.c */
extern struct mutex kvmintro_registry_mutex;
extern struct list_head kvmintro_vm_list;
int kvmintro_registry_init(const struct kvmintro_files *files);
void kvmintro_registry_close(void);
void kvmintro_registry_exit(void);
void kvmintro_registry_rescan(void);
void kvmintro_registry_request_rescan(void);
void kvmintro_registry_rescan_before_user(void);
struct kvm *kvmintro_vm_get_kvm(struct kvmintro_vm *vm);
struct kvm *kvmintro_vm_access_kvm(struct kvmintro_vm *vm);
int kvmintro_vm_check_access(struct kvmintro_vm *vm);
void kvmintro_vm_destroyed(struct kvm *kvm);

/* introspect/vcpu.c */
int kvmintro_vm_sync_vcpus(struct kvmintro_vm *vm, struct kvm *kvm);
void kvmintro_vm_free_vcpus(struct kvmintro_vm *vm);
pid_t kvmintro_vcpu_tid(struct kvm_vcpu *vcpu, struct kvmintro_vcpu *state);

/* introspect/pause.c */
void kvmintro_vm_pause_init(struct kvmintro_vm *vm);
int kvmintro_vm_pause(struct kvmintro_vm *vm, struct kvm *kvm);
void kvmintro_vm_resume(struct kvmintro_vm *vm);
void kvmintro_vm_release_pause(struct kvmintro_vm *vm);
void kvmintro_vm_hold_at_run(struct kvmintro_vm *vm);
int kvmintro_vcpu_lock(struct kvm_vcpu *vcpu);

/* introspect/snapshot.c */
extern const struct file_operations kvmintro_snapshot_fops;
extern const struct file_operations kvmintro_snapshot_gpa_hpa_fops;

/* introspect/capture.c */
void kvmintro_snapshot_free(struct kvmintro_snapshot *snapshot);

/* introspect/gpa_hpa.c, translate.c, mem.c, scan.c: guest memory */
extern const struct file_operations kvmintro_gpa_hpa_fops;
extern const struct file_operations kvmintro_translate_fops;
extern const struct file_operations kvmintro_mem_fops;
bool kvmintro_mem_may_write(void);
extern const struct file_operations kvmintro_scan_fops;

/*
 * introspect/hypercall.c: the opt-in translation hypercall's answer, the
 * same on every architecture (Documentation/hypercall.rst); each
 * architecture has its own call, parameter check and hook.
 */
#define KVMINTRO_HC_HUGE		BIT_ULL(0)	/* folio order > 0 */
#define KVMINTRO_HC_MAPPED		BIT_ULL(1)	/* a resident page */
#define KVMINTRO_HC_ORDER_SHIFT		2		/* bits 2-6: order */
#define KVMINTRO_HC_ORDER_MASK		GENMASK_ULL(6, 2)
void kvmintro_hypercall_translate(struct kvm_vcpu *vcpu, u64 gpa,
				  u64 *hpa, u64 *pfn, u64 *flags);

/* introspect/core.c */
extern const struct file_operations kvmintro_core_fops;

/* introspect/gva.c */
extern const struct file_operations kvmintro_gva_fops;

/* introspect/stage2.c */
extern const struct file_operations kvmintro_stage2_fops;

/* introspect/stage2_summary.c */
struct kvmintro_text;
int kvmintro_stage2_summary(struct kvm *kvm, struct kvmintro_text *t);

/* introspect/regs.c */
int kvmintro_regs_show(struct seq_file *m, void *unused);

/* introspect/debugfs.c */
const struct kvmintro_files *kvmintro_debugfs_create_root(void);
void kvmintro_debugfs_remove_root(void);

/* introspect/files.c */
void kvmintro_debugfs_create_file(const char *name, umode_t mode,
				  struct kvmintro_dir *parent, void *data,
				  const struct file_operations *fops);
int kvmintro_lockdown_check_load(void);
int kvmintro_lockdown_check_mem_write(void);
int kvmintro_seq_put_line(struct seq_file *m, const char *line, int len);
int kvmintro_seq_put_u64(struct seq_file *m, const char *key, u64 value);
int kvmintro_seq_put_word(struct seq_file *m, const char *key,
			  const char *word);

/* introspect/memslots.c */
int kvmintro_memslots_show(struct seq_file *m, void *unused);

/* introspect/vms.c */
int kvmintro_vms_show(struct seq_file *m, void *unused);

/* introspect/vcpus.c */
int kvmintro_vcpus_show(struct seq_file *m, void *unused);

/* hooks/ */
int kvmintro_hook_kvm_vcpu_ioctl_register(void);
void kvmintro_hook_kvm_vcpu_ioctl_unregister(void);
int kvmintro_hook_kvm_dev_ioctl_register(void);
void kvmintro_hook_kvm_dev_ioctl_unregister(void);
int kvmintro_hook_kvm_destroy_vm_register(void);
void kvmintro_hook_kvm_destroy_vm_unregister(void);

/*
 * The KVM_RUN hook's path, inline so that the hook's handler is one
 * function with no calls on its common path: it runs on every KVM_RUN of
 * every VM of the host.
 */

/* Live entries by struct kvm pointer; RCU for readers, see registry.c. */
#define KVMINTRO_VM_HASH_BITS	6
extern DECLARE_HASHTABLE(kvmintro_vm_hash, KVMINTRO_VM_HASH_BITS);

/* The live entry made for @kvm, or NULL; caller is an RCU reader. */
static inline struct kvmintro_vm *kvmintro_vm_find_rcu(const struct kvm *kvm)
{
	struct kvmintro_vm *vm;

	hash_for_each_possible_rcu(kvmintro_vm_hash, vm, hash_node,
				   (unsigned long)kvm) {
		if (vm->key == kvm)
			return vm;
	}
	return NULL;
}

/* The state of vcpu @index of @vm, or NULL; caller is an RCU reader. */
static inline struct kvmintro_vcpu *kvmintro_vcpu_find_rcu(struct kvmintro_vm *vm,
							   unsigned int index)
{
	if (likely(index < KVMINTRO_RUN_VCPUS))
		/* Pairs with the release in kvmintro_vm_sync_vcpus(). */
		return smp_load_acquire(&vm->run_vcpus[index]);
	return xa_load(&vm->vcpus, index);
}

/* No vcpu of @vm may enter guest mode. */
static inline bool kvmintro_vm_paused(struct kvmintro_vm *vm)
{
	/* Pairs with the release in kvmintro_vm_pause(): see its generation. */
	return smp_load_acquire(&vm->pause.paused);
}

/**
 * kvmintro_vcpu_run_enter() - a thread enters KVM_RUN of @vcpu
 * @vcpu: the vcpu
 *
 * Called by the KVM_RUN hook in the calling thread with preemption disabled
 * (ftrace's recursion lock): records the thread, holds it while the VM is
 * paused, and asks for a rescan of a VM or vcpu kvmintro does not know
 * yet.  Never sleeps.  With preemption off the hook is already an RCU
 * reader, which the registry's synchronize_rcu() waits for; the sched
 * flavour says so without a call into RCU.
 *
 * A thread outside the VM's mm (a forked child of the VMM) is ignored:
 * KVM refuses its KVM_RUN with -EIO.  A thread that is not the one
 * recorded is recorded with a full barrier before @paused is read, which
 * pairs with the one in kvmintro_vm_pause(): see pause.c.
 */
static __always_inline void kvmintro_vcpu_run_enter(struct kvm_vcpu *vcpu)
{
	struct kvmintro_vcpu *state = NULL;
	struct kvmintro_vm *vm;
	pid_t tid;

	rcu_read_lock_sched_notrace();
	vm = kvmintro_vm_find_rcu(vcpu->kvm);
	if (likely(vm)) {
		if (unlikely(vm->mm != current->mm)) {
			/* A child, or a stale entry: only a VMM thread rescans. */
			vm = NULL;
		} else {
			state = kvmintro_vcpu_find_rcu(vm, vcpu->vcpu_idx);
		}
	}
	if (likely(state)) {
		tid = task_pid_nr(current);
		if (unlikely(READ_ONCE(state->tid) != tid)) {
			WRITE_ONCE(state->tid, tid);
			smp_mb();
		}
		WRITE_ONCE(state->runs, state->runs + 1);
	} else if (vm) {
		/* A vcpu made since the last rescan: the pause still sees us. */
		WRITE_ONCE(vm->unseen_tids[min_t(unsigned int, vcpu->vcpu_idx,
						 KVMINTRO_RUN_VCPUS)],
			   task_pid_nr(current));
		smp_mb();
	}
	if (likely(vm) && unlikely(kvmintro_vm_paused(vm)))
		kvmintro_vm_hold_at_run(vm);
	rcu_read_unlock_sched_notrace();

	if (unlikely(!state) && vcpu->kvm->mm == current->mm)
		kvmintro_registry_request_rescan();
}

#endif /* KVMINTRO_H */
