/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small KVM userspace library for kvmintro's tests, modelled on the
 * kernel's tools/testing/selftests/kvm: VMs, memslots, vcpus and the
 * threads that run them.  `__x()` returns -errno, `x()` asserts.
 */
#ifndef KVMINTRO_VMM_KVM_UTIL_H
#define KVMINTRO_VMM_KVM_UTIL_H

#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <linux/kvm.h>

#include "kvm_compat.h"
#include "test_util.h"

/* enum vm_guest_mode, struct kvm_vm_arch: include/<arch>/kvm_util_arch.h */
#include "kvm_util_arch.h"

#define VM_MAX_MEMSLOTS		64
/* vcpus of one VM; guest programs (processor.h) for the first 64 only */
#define VM_MAX_VCPUS		128
#define VM_PAGE_SIZE		0x1000ULL
/* Each vcpu gets 256 bytes of its own guest code. */
#define VCPU_CODE_SIZE		256
#define VCPUS_PER_CODE_PAGE	(VM_PAGE_SIZE / VCPU_CODE_SIZE)
/* Counter of vcpu N is at vm->data_gpa + N * GUEST_COUNTER_STRIDE. */
#define GUEST_COUNTER_STRIDE	64
/* vcpus that can be given a guest program: one page of counters. */
#define GUEST_MAX_VCPUS		((int)(VM_PAGE_SIZE / GUEST_COUNTER_STRIDE))

/* How the host memory behind a memslot is obtained. */
enum vm_mem_backing {
	VM_MEM_ANON,		/* private anonymous mmap */
	VM_MEM_ANON_SHARED,	/* MAP_SHARED | MAP_ANONYMOUS (shmem) */
	VM_MEM_SHARED,		/* memfd_create() + MAP_SHARED */
	VM_MEM_HUGETLB,		/* MAP_HUGETLB, 2 MiB pages */
	VM_MEM_THP,		/* 2 MiB aligned anonymous + MADV_HUGEPAGE */
	VM_MEM_HUGETLB_1G,	/* MAP_HUGETLB, 1 GiB pages */
	/*
	 * A guest_memfd (GUEST_MEMFD_FLAG_MMAP | _INIT_SHARED, Linux 6.18+)
	 * mapped MAP_SHARED at the hva: KVM faults the guest's pages in from
	 * the file alone (KVM_MEMSLOT_GMEM_ONLY), not through the hva.
	 */
	VM_MEM_GUEST_MEMFD,
	/* memfd_create(MFD_HUGETLB | MFD_HUGE_2MB) + MAP_SHARED: 2 MiB pages */
	VM_MEM_HUGETLB_MEMFD,
	/*
	 * A memfd mapped MAP_SHARED at a 2 MiB-aligned hva, MADV_HUGEPAGE (as
	 * QEMU advises its RAM): shmem THP, where
	 * /sys/kernel/mm/transparent_hugepage/shmem_enabled allows it.
	 */
	VM_MEM_SHARED_THP,
	/*
	 * A file (a memfd) mapped MAP_PRIVATE, as QEMU's
	 * memory-backend-file,share=off and snapshot restores map theirs: the
	 * file's pages until written, then anonymous copies.
	 */
	VM_MEM_FILE_PRIVATE,
	NR_VM_MEM_BACKINGS,
};

/*
 * What a vcpu's guest code does; see <arch>/processor.h for the payloads.
 * "Exit" is the architecture's cheapest exit to the VMM: an `out` to
 * GUEST_EXIT_PORT on x86, a store to GUEST_EXIT_GPA (in no memslot: an
 * MMIO exit) on arm64.  "Halt" is hlt (cli first) on x86, wfi (interrupts
 * masked) on arm64.
 */
enum vm_guest_kind {
	GUEST_SPIN,		/* increment a counter forever, never exit */
	GUEST_EXIT,		/* increment a counter, exit, repeat */
	GUEST_HALT,		/* increment a counter once, halt */
	GUEST_IDLE,		/* created, set up, never run */
	GUEST_REGS,		/* load known GPR values, then spin */
	GUEST_HYPERCALL,	/* x86 long mode, CPL 0: hypercall, report, `out` */
	GUEST_HYPERCALL_USER,	/* the same after an iretq to CPL 3 */
	GUEST_HYPERCALL_COMPAT,	/* the same in a 32-bit code segment, CPL 0 */
	NR_VM_GUEST_KINDS,
};

struct vm_memslot {
	/* .slot carries the address space id in bits 16+, as KVM wants. */
	struct kvm_userspace_memory_region region;
	enum vm_mem_backing backing;
	void *mmap_start;	/* what to munmap(): may precede the hva */
	size_t mmap_size;
	/* the memfd or guest_memfd mapped at the hva, or -1 */
	int fd;
};

/* Counters a vcpu thread updates and other threads read (READ_ONCE()). */
struct vcpu_stats {
	uint64_t runs;		/* KVM_RUN ioctls issued */
	uint64_t eintr;		/* KVM_RUN returns of -EINTR we did not ask for */
	uint64_t io_exits;	/* the exit guest's exits (port I/O or MMIO) */
	uint64_t hlt_exits;	/* KVM_EXIT_HLT (x86 halt guest, no irqchip) */
};

struct kvm_vm;
struct kvm_vcpu;

/* Called in the vcpu thread when its guest loop ends on an error. */
typedef void (*vcpu_thread_error_fn)(struct kvm_vcpu *vcpu);

struct kvm_vcpu {
	struct kvm_vm *vm;
	unsigned int index;	/* position in vm->vcpus[] */
	uint32_t id;		/* vcpu_id given to KVM_CREATE_VCPU */
	int fd;
	struct kvm_run *run;
	size_t run_size;

	enum vm_guest_kind guest;
	uint64_t code_gpa;	/* this vcpu's code (identity mapped) */
	uint64_t counter_gpa;	/* its 64-bit progress counter */

	struct vcpu_stats stats;

	/* Thread that runs the vcpu, see vcpu_thread_create(). */
	pthread_t thread;
	bool has_thread;
	pid_t tid;		/* 0 until the thread has started */
	pthread_mutex_t lock;	/* protects go, stop, done */
	pthread_cond_t cond;
	bool go;
	bool stop;
	bool done;
	vcpu_thread_error_fn error_fn;
	char error[256];	/* why the guest loop failed, "" if it did not */
};

struct kvm_vm {
	int kvm_fd;		/* /dev/kvm, for system ioctls */
	int fd;			/* the VM */
	size_t run_size;	/* KVM_GET_VCPU_MMAP_SIZE */
	bool has_irqchip;

	unsigned int nr_memslots;
	struct vm_memslot memslots[VM_MAX_MEMSLOTS];
	unsigned int nr_vcpus;
	struct kvm_vcpu *vcpus[VM_MAX_VCPUS];

	/* Guest layout: kvm_util.c and <arch>/processor.c. */
	enum vm_guest_mode mode;
	struct vm_memslot *sys_slot;	/* where code/data/tables live */
	uint64_t sys_next;		/* next free page in sys_slot */
	uint64_t data_gpa;		/* page of per-vcpu counters */
	/* One page of code per VCPUS_PER_CODE_PAGE vcpus, as needed. */
	uint64_t code_pages[VM_MAX_VCPUS / VCPUS_PER_CODE_PAGE];
	unsigned int nr_code_pages;
	/* The top page table: x86's CR3, arm64's TTBR0_EL1. */
	uint64_t pgd;
	struct kvm_vm_arch arch;
};

/* Raw ioctls: __x() returns the ioctl's value or -errno, x() asserts. */
int __kvm_ioctl(int fd, unsigned long cmd, void *arg);
#define __vm_ioctl(vm, cmd, arg)	__kvm_ioctl((vm)->fd, cmd, arg)
#define __vcpu_ioctl(vcpu, cmd, arg)	__kvm_ioctl((vcpu)->fd, cmd, arg)
#define kvm_ioctl_assert(fd, cmd, arg, name) ({				\
	int __r = __kvm_ioctl(fd, cmd, arg);				\
	TEST_ASSERT(__r >= 0, "%s failed: %d (%s)", name, __r,		\
		    strerror(-__r));					\
	__r;								\
})
#define vm_ioctl(vm, cmd, arg)	kvm_ioctl_assert((vm)->fd, cmd, arg, #cmd)
#define vcpu_ioctl(vcpu, cmd, arg) kvm_ioctl_assert((vcpu)->fd, cmd, arg, #cmd)

const char *exit_reason_str(unsigned int exit_reason);
const char *vm_mem_backing_name(enum vm_mem_backing backing);
int vm_mem_backing_parse(const char *name);
const char *vm_guest_kind_name(enum vm_guest_kind kind);
int vm_guest_kind_parse(const char *name);
const char *vm_guest_mode_name(enum vm_guest_mode mode);

/* /dev/kvm, with a message that says what to do when it is missing. */
int open_kvm_dev(void);
int kvm_check_cap(long cap);

struct kvm_vm *vm_create(void);
void vm_destroy(struct kvm_vm *vm);
int vm_check_cap(struct kvm_vm *vm, long cap);
/*
 * vm_create_irqchip() - what a VMM's in-kernel interrupt controller gives
 * the tests: a halted vcpu that stays in KVM_RUN, and every vcpu runnable
 * from its first run.  x86 needs one for that (KVM_CREATE_IRQCHIP, then
 * has_irqchip); KVM/arm64 gives both without one, and creates nothing.
 * Call it before adding vcpus.
 */
int __vm_create_irqchip(struct kvm_vm *vm);
void vm_create_irqchip(struct kvm_vm *vm);

/*
 * vm_add_memslot() - back @size bytes with host memory of @backing and
 * register it at @gpa.  @slot is (as_id << 16) | id.  @flags takes
 * KVM_MEM_READONLY and KVM_MEM_LOG_DIRTY_PAGES.  The hugetlb backings skip
 * the program (KSFT_SKIP) when no huge pages can be had; use
 * __vm_add_memslot() to handle that (-ENOMEM) yourself.
 */
int __vm_add_memslot(struct kvm_vm *vm, enum vm_mem_backing backing,
		     uint32_t slot, uint64_t gpa, uint64_t size,
		     uint32_t flags);
struct vm_memslot *vm_add_memslot(struct kvm_vm *vm,
				  enum vm_mem_backing backing, uint32_t slot,
				  uint64_t gpa, uint64_t size, uint32_t flags);
/* First id not used in address space @as, for callers that don't care. */
uint32_t vm_memslot_free_id(struct kvm_vm *vm, uint16_t as);
struct vm_memslot *vm_memslot_find(struct kvm_vm *vm, uint16_t as,
				   uint64_t gpa);
int vm_get_dirty_log(struct kvm_vm *vm, uint32_t slot, void *bitmap);

/* Host address of guest physical @gpa in address space 0 (asserts). */
void *addr_gpa2hva(struct kvm_vm *vm, uint64_t gpa);
void *addr_as_gpa2hva(struct kvm_vm *vm, uint16_t as, uint64_t gpa);
/* Guest physical address of a host address inside a memslot (asserts). */
uint64_t addr_hva2gpa(struct kvm_vm *vm, void *hva);

/*
 * vcpu_add() - KVM_CREATE_VCPU plus what a VMM does before the first run:
 * map kvm_run and vcpu_arch_init() (x86: KVM's supported CPUID and, with
 * an in-kernel irqchip, APs made runnable; arm64: KVM_ARM_VCPU_INIT with
 * KVM's preferred target).
 */
struct kvm_vcpu *vcpu_add(struct kvm_vm *vm, uint32_t id);

/*
 * __vcpu_run() - one KVM_RUN; returns 0 or -errno.  vcpu_run() retries
 * -EINTR like a real VMM (counting each in stats.eintr) and asserts on any
 * other error; it returns with exit_reason KVM_EXIT_INTR only when
 * vcpu_thread_stop() (or the caller) set run->immediate_exit.
 */
int __vcpu_run(struct kvm_vcpu *vcpu);
void vcpu_run(struct kvm_vcpu *vcpu);
/*
 * vcpu_run_immediate_exit() - one KVM_RUN with run->immediate_exit set (and
 * left set): KVM returns -EINTR without entering the guest, which it
 * asserts; no guest program is needed.
 */
void vcpu_run_immediate_exit(struct kvm_vcpu *vcpu);

/* One register by KVM_{GET,SET}_ONE_REG id (arm64's KVM_REG_ARM64_*). */
int __vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t *value);
uint64_t vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id);
void vcpu_set_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t value);
void vcpu_mp_state_get(struct kvm_vcpu *vcpu, struct kvm_mp_state *state);
void vcpu_mp_state_set(struct kvm_vcpu *vcpu, struct kvm_mp_state *state);

/*
 * vcpu threads: vcpu_thread_create() starts a thread that records its tid
 * and waits; vcpu_thread_go() lets it enter vcpu_guest_loop();
 * vcpu_thread_stop() forces it out of KVM_RUN (immediate_exit + a signal,
 * repeated until it leaves) and joins it.  The kick signal is SIGUSR1; the
 * library installs a handler for it without SA_RESTART.
 */
#define VCPU_KICK_SIGNAL	SIGUSR1
void vcpu_thread_create(struct kvm_vcpu *vcpu, vcpu_thread_error_fn fn);
void vcpu_thread_go(struct kvm_vcpu *vcpu);
void vcpu_thread_stop(struct kvm_vcpu *vcpu);
/* Snapshot of the stats, safe from any thread. */
void vcpu_stats_read(struct kvm_vcpu *vcpu, struct vcpu_stats *stats);

/*
 * Guest setup, the same on every architecture; each one's own part is in
 * lib/<arch>/processor.c, behind the calls declared at the end of this
 * file.
 *
 * Guest layout (all in the "system" memslot, the lowest-addressed writable
 * memslot of address space 0, allocated page by page from its start):
 *   +0x0000  code of vcpus 0-15, VCPU_CODE_SIZE bytes each
 *   +0x1000  data: the 64-bit counter of vcpu N at +N * 64
 *   +0x2000  the architecture's: page tables (x86: and GDT, TSS)
 * and one more code page per 16 vcpus as they are added.
 *
 * vm_guest_init() - pick the system memslot and lay out the guest: code
 * and data pages, then the architecture's.  Call after adding memslots and
 * before vcpu_guest_load().
 */
void vm_guest_init(struct kvm_vm *vm, enum vm_guest_mode mode);
/* A zeroed guest page from the system memslot. */
uint64_t vm_phy_page_alloc(struct kvm_vm *vm);

/*
 * virt_map() - map [@gva, @gva + @size) to @gpa in the guest's page
 * tables with pages of @page_size (4K, 2M or 1G); all three must be
 * aligned to it.  Mapping a page again to the same place, including one
 * already covered by a larger page, is a no-op; any other overlap asserts.
 */
int __virt_pg_map(struct kvm_vm *vm, uint64_t gva, uint64_t gpa,
		  uint64_t page_size);
void virt_pg_map(struct kvm_vm *vm, uint64_t gva, uint64_t gpa,
		 uint64_t page_size);
void virt_map(struct kvm_vm *vm, uint64_t gva, uint64_t gpa, uint64_t size,
	      uint64_t page_size);
/* Identity map every address space 0 memslot, rounded out to @page_size. */
/*
 * The range virt_identity_map_memslots() maps for memslot @i: its GPAs
 * widened to @page_size; false for a slot of another address space.
 */
bool memslot_identity_range(const struct kvm_vm *vm, unsigned int i,
			    uint64_t page_size, uint64_t *start, uint64_t *size);
void virt_identity_map_memslots(struct kvm_vm *vm, uint64_t page_size);
/* Make sure a paged guest sees page @gpa at the same virtual address. */
void virt_identity_map_page(struct kvm_vm *vm, uint64_t gpa);
/*
 * Walk the guest page tables: 0 and *@gpa (and *@page_size if not NULL)
 * when @gva is mapped, -EFAULT when not.  addr_gva2gpa() asserts.
 */
int __addr_gva2gpa(struct kvm_vm *vm, uint64_t gva, uint64_t *gpa,
		   uint64_t *page_size);
uint64_t addr_gva2gpa(struct kvm_vm *vm, uint64_t gva);

/*
 * Write the payload of @kind for @vcpu and point its registers at it.
 * GUEST_IDLE loads the spin payload, so that running it anyway is benign.
 */
void vcpu_guest_load(struct kvm_vcpu *vcpu, enum vm_guest_kind kind);
/* The vcpu's guest counter, read through addr_gpa2hva(). */
uint64_t vcpu_guest_counter(struct kvm_vcpu *vcpu);
/*
 * Run the vcpu until vcpu->stop: re-enter after each exit the guest kind
 * expects (its exit, x86's HLT without irqchip, -EINTR), and on any other
 * exit describe it in vcpu->error and return.
 */
void vcpu_guest_loop(struct kvm_vcpu *vcpu);
/* Print the exit, the program counter and the GPRs to @out. */
void vcpu_dump(FILE *out, struct kvm_vcpu *vcpu);

/*
 * The architecture's part, in lib/<arch>/processor.c, for the library's
 * own use: vcpu_add() calls vcpu_arch_init(), vm_destroy() vm_arch_free(),
 * __vm_create_irqchip() __vm_arch_create_irqchip(), vm_guest_init() vm_arch_guest_init() (with vm->mode, the code page and
 * the data page set), vcpu_guest_load() vcpu_arch_guest_load() (with the
 * vcpu's code_gpa and counter_gpa set, its code and data pages mapped and
 * @code, its VCPU_CODE_SIZE bytes, filled with a trapping instruction).
 * vcpu_guest_loop() asks vcpu_exit_is_guest_exit() and
 * vcpu_exit_is_guest_halt() about each exit.
 */
void vcpu_arch_init(struct kvm_vcpu *vcpu);
void vm_arch_free(struct kvm_vm *vm);
int __vm_arch_create_irqchip(struct kvm_vm *vm);
void vm_arch_guest_init(struct kvm_vm *vm);
/* Whether the guest's mode translates addresses through its page tables. */
bool vm_guest_paged(const struct kvm_vm *vm);
/* The byte that fills a vcpu's code: an instruction that traps. */
uint8_t vm_guest_code_fill(void);
void vcpu_arch_guest_load(struct kvm_vcpu *vcpu, enum vm_guest_kind kind,
			  uint8_t *code);
bool vcpu_exit_is_guest_exit(struct kvm_vcpu *vcpu);
bool vcpu_exit_is_guest_halt(struct kvm_vcpu *vcpu);
/* The vcpu's program counter (RIP, PC), 0 if KVM will not say. */
uint64_t vcpu_pc(struct kvm_vcpu *vcpu);
/* The program counter, flags and GPRs, one line, for vcpu_dump(). */
void vcpu_arch_dump(FILE *out, struct kvm_vcpu *vcpu);

#endif /* KVMINTRO_VMM_KVM_UTIL_H */
