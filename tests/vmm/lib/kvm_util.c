// SPDX-License-Identifier: GPL-2.0
/*
 * VMs, memslots, vcpus, vcpu threads and the guest's layout: the
 * architecture-neutral part of the test VMM library.  Each architecture's
 * own is in lib/<arch>/processor.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << 26)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << 26)
#endif
#ifndef MFD_HUGE_2MB
#define MFD_HUGE_2MB	MAP_HUGE_2MB	/* <linux/memfd.h>: the same bits */
#endif

static const char * const vm_mem_backing_names[NR_VM_MEM_BACKINGS] = {
	[VM_MEM_ANON]		= "anon",
	[VM_MEM_ANON_SHARED]	= "anon_shared",
	[VM_MEM_SHARED]		= "shared",
	[VM_MEM_HUGETLB]	= "hugetlb",
	[VM_MEM_THP]		= "thp",
	[VM_MEM_HUGETLB_1G]	= "hugetlb_1g",
	[VM_MEM_GUEST_MEMFD]	= "guest_memfd",
	[VM_MEM_HUGETLB_MEMFD]	= "hugetlb_memfd",
	[VM_MEM_SHARED_THP]	= "shared_thp",
	[VM_MEM_FILE_PRIVATE]	= "file_private",
};

static const char * const vm_guest_kind_names[NR_VM_GUEST_KINDS] = {
	[GUEST_SPIN]	= "spin",
	[GUEST_EXIT]	= "exit",
	[GUEST_HALT]	= "halt",
	[GUEST_IDLE]	= "idle",
	[GUEST_REGS]	= "regs",
	[GUEST_HYPERCALL] = "hypercall",
	[GUEST_HYPERCALL_USER] = "hypercall_user",
	[GUEST_HYPERCALL_COMPAT] = "hypercall_compat",
};

const char *vm_mem_backing_name(enum vm_mem_backing backing)
{
	return backing < NR_VM_MEM_BACKINGS ? vm_mem_backing_names[backing]
					    : "?";
}

int vm_mem_backing_parse(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_VM_MEM_BACKINGS; i++)
		if (!strcmp(name, vm_mem_backing_names[i]))
			return i;
	return -EINVAL;
}

const char *vm_guest_kind_name(enum vm_guest_kind kind)
{
	return kind < NR_VM_GUEST_KINDS ? vm_guest_kind_names[kind] : "?";
}

int vm_guest_kind_parse(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_VM_GUEST_KINDS; i++)
		if (!strcmp(name, vm_guest_kind_names[i]))
			return i;
	return -EINVAL;
}

const char *exit_reason_str(unsigned int exit_reason)
{
	static const char * const names[] = {
		[KVM_EXIT_UNKNOWN]		= "UNKNOWN",
		[KVM_EXIT_EXCEPTION]		= "EXCEPTION",
		[KVM_EXIT_IO]			= "IO",
		[KVM_EXIT_HYPERCALL]		= "HYPERCALL",
		[KVM_EXIT_DEBUG]		= "DEBUG",
		[KVM_EXIT_HLT]			= "HLT",
		[KVM_EXIT_MMIO]			= "MMIO",
		[KVM_EXIT_IRQ_WINDOW_OPEN]	= "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN]		= "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY]		= "FAIL_ENTRY",
		[KVM_EXIT_INTR]			= "INTR",
		[KVM_EXIT_SET_TPR]		= "SET_TPR",
		[KVM_EXIT_TPR_ACCESS]		= "TPR_ACCESS",
		[KVM_EXIT_NMI]			= "NMI",
		[KVM_EXIT_INTERNAL_ERROR]	= "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT]		= "SYSTEM_EVENT",
		[KVM_EXIT_X86_RDMSR]		= "X86_RDMSR",
		[KVM_EXIT_X86_WRMSR]		= "X86_WRMSR",
	};

	if (exit_reason < ARRAY_SIZE(names) && names[exit_reason])
		return names[exit_reason];
	return "?";
}

int __kvm_ioctl(int fd, unsigned long cmd, void *arg)
{
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

int open_kvm_dev(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	TEST_ASSERT(fd >= 0,
		    "open /dev/kvm: %s: make sure " KVM_MODULES_HINT " and you are root",
		    strerror(errno));
	return fd;
}

int kvm_check_cap(long cap)
{
	int fd = open_kvm_dev();
	int r = __kvm_ioctl(fd, KVM_CHECK_EXTENSION, (void *)cap);

	close(fd);
	return r < 0 ? 0 : r;
}

struct kvm_vm *vm_create(void)
{
	struct kvm_vm *vm = calloc(1, sizeof(*vm));
	int r;

	TEST_ASSERT(vm, "out of memory");
	vm->kvm_fd = open_kvm_dev();

	r = __kvm_ioctl(vm->kvm_fd, KVM_GET_API_VERSION, NULL);
	TEST_ASSERT(r == KVM_API_VERSION, "KVM_GET_API_VERSION: %d, want %d",
		    r, KVM_API_VERSION);

	/*
	 * With x86's kvm.ko loaded but no vendor module, /dev/kvm exists and
	 * KVM_CREATE_VM fails: say what is missing.
	 */
	vm->fd = __kvm_ioctl(vm->kvm_fd, KVM_CREATE_VM, NULL);
	TEST_ASSERT(vm->fd >= 0, "KVM_CREATE_VM: %s: make sure " KVM_MODULES_HINT,
		    strerror(-vm->fd));

	r = __kvm_ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, NULL);
	TEST_ASSERT(r > 0, "KVM_GET_VCPU_MMAP_SIZE: %d", r);
	vm->run_size = r;
	return vm;
}

static void vcpu_destroy(struct kvm_vcpu *vcpu)
{
	if (vcpu->has_thread)
		vcpu_thread_stop(vcpu);
	munmap(vcpu->run, vcpu->run_size);
	close(vcpu->fd);
	pthread_cond_destroy(&vcpu->cond);
	pthread_mutex_destroy(&vcpu->lock);
	free(vcpu);
}

void vm_destroy(struct kvm_vm *vm)
{
	unsigned int i;

	if (!vm)
		return;

	/* vcpus first: their threads may still be touching guest memory. */
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_destroy(vm->vcpus[i]);

	/*
	 * Close the VM before unmapping: the memslots stay registered until
	 * the last reference to the VM goes, and KVM copes with an unmapped
	 * hva, but this order is the one a real VMM uses.
	 */
	close(vm->fd);
	close(vm->kvm_fd);
	for (i = 0; i < vm->nr_memslots; i++) {
		struct vm_memslot *ms = &vm->memslots[i];

		munmap(ms->mmap_start, ms->mmap_size);
		if (ms->fd >= 0)
			close(ms->fd);
	}
	vm_arch_free(vm);
	free(vm);
}

int vm_check_cap(struct kvm_vm *vm, long cap)
{
	int r = __vm_ioctl(vm, KVM_CHECK_EXTENSION, (void *)cap);

	return r < 0 ? 0 : r;
}

int __vm_create_irqchip(struct kvm_vm *vm)
{
	if (vm->nr_vcpus)
		return -EBUSY;	/* KVM wants the irqchip before any vcpu */
	return __vm_arch_create_irqchip(vm);
}

void vm_create_irqchip(struct kvm_vm *vm)
{
	int r = __vm_create_irqchip(vm);

	TEST_ASSERT(!r, "KVM_CREATE_IRQCHIP: %s%s", strerror(-r),
		    r == -EBUSY ? " (create the irqchip before any vcpu)"
				: "");
}

uint32_t vm_memslot_free_id(struct kvm_vm *vm, uint16_t as)
{
	uint32_t id;
	unsigned int i;

	for (id = 0;; id++) {
		for (i = 0; i < vm->nr_memslots; i++)
			if (vm->memslots[i].region.slot ==
			    ((uint32_t)as << 16 | id))
				break;
		if (i == vm->nr_memslots)
			return id;
	}
}

/*
 * A guest_memfd of @size bytes the VMM can mmap(), its memory shared with
 * the host from the start, close-on-exec as the library's other fds;
 * -EOPNOTSUPP if KVM has none (before 6.18).
 */
static int vm_guest_memfd_create(struct kvm_vm *vm, uint64_t size)
{
	const uint64_t flags = GUEST_MEMFD_FLAG_MMAP |
			       GUEST_MEMFD_FLAG_INIT_SHARED;
	struct kvm_create_guest_memfd gmem = { .size = size, .flags = flags };
	int r, fd;

	r = vm_check_cap(vm, KVM_CAP_GUEST_MEMFD_FLAGS);
	if (r < 0 || ((uint64_t)r & flags) != flags)
		return -EOPNOTSUPP;
	fd = __vm_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &gmem);
	if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC)) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* A memfd of @size bytes (memfd_create() @flags, CLOEXEC), or -errno. */
static int vm_memfd_create(uint64_t size, unsigned int flags)
{
	int fd = memfd_create("kvmintro-testvmm", MFD_CLOEXEC | flags);
	int r;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size)) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/*
 * Map @size bytes of @fd (-1: anonymous memory) with @flags at a 2 MiB
 * aligned address, for huge pages: only aligned ranges can be backed by
 * them, and KVM maps a guest huge page only when gpa and hva agree modulo
 * 2 MiB.  Over-allocates by 2 MiB; fills ms->mmap_* and the region's hva.
 */
static int vm_memslot_mmap_aligned(struct vm_memslot *ms, uint64_t size,
				   int fd, int flags)
{
	int prot = PROT_READ | PROT_WRITE;
	void *mem;

	if (!IS_ALIGNED(size, SZ_2M))
		return -EINVAL;
	ms->mmap_size = size + SZ_2M;
	mem = mmap(NULL, ms->mmap_size, prot,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	ms->mmap_start = mem;
	mem = (void *)ALIGN_UP((uintptr_t)mem, SZ_2M);
	if (fd >= 0 &&
	    mmap(mem, size, prot, flags | MAP_FIXED, fd, 0) == MAP_FAILED)
		return -errno;
	if (madvise(mem, size, MADV_HUGEPAGE))
		return -errno;
	ms->region.userspace_addr = (uintptr_t)mem;
	return 0;
}

/* Map host memory for a memslot; fills ms->mmap_* and the region's hva. */
static int vm_memslot_mmap(struct kvm_vm *vm, struct vm_memslot *ms,
			   uint64_t size)
{
	int prot = PROT_READ | PROT_WRITE;
	int fd = -1, r = 0;
	void *mem;

	/* The file the backing maps, if it maps one. */
	ms->fd = -1;
	switch (ms->backing) {
	case VM_MEM_GUEST_MEMFD:
		r = fd = vm_guest_memfd_create(vm, size);
		break;
	case VM_MEM_SHARED:
	case VM_MEM_SHARED_THP:
	case VM_MEM_FILE_PRIVATE:
		r = fd = vm_memfd_create(size, 0);
		break;
	case VM_MEM_HUGETLB_MEMFD:
		/* hugetlbfs reserves at mmap() time: ENOMEM = no free pages. */
		r = fd = IS_ALIGNED(size, SZ_2M) ?
			 vm_memfd_create(size, MFD_HUGETLB | MFD_HUGE_2MB) :
			 -EINVAL;
		break;
	default:
		break;
	}
	if (r < 0)
		return r;
	ms->fd = fd;

	switch (ms->backing) {
	case VM_MEM_ANON:
		mem = mmap(NULL, size, prot,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		break;
	case VM_MEM_ANON_SHARED:
		mem = mmap(NULL, size, prot, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		break;
	case VM_MEM_SHARED:
	case VM_MEM_GUEST_MEMFD:
	case VM_MEM_HUGETLB_MEMFD:
		mem = mmap(NULL, size, prot, MAP_SHARED, fd, 0);
		break;
	case VM_MEM_FILE_PRIVATE:
		mem = mmap(NULL, size, prot, MAP_PRIVATE, fd, 0);
		break;
	case VM_MEM_HUGETLB:
	case VM_MEM_HUGETLB_1G:
		if (!IS_ALIGNED(size, ms->backing == VM_MEM_HUGETLB ? SZ_2M : SZ_1G))
			return -EINVAL;
		mem = mmap(NULL, size, prot,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			   (ms->backing == VM_MEM_HUGETLB ? MAP_HUGE_2MB
							  : MAP_HUGE_1GB),
			   -1, 0);
		break;
	case VM_MEM_THP:
		return vm_memslot_mmap_aligned(ms, size, -1, 0);
	case VM_MEM_SHARED_THP:
		return vm_memslot_mmap_aligned(ms, size, fd, MAP_SHARED);
	default:
		return -EINVAL;
	}
	if (mem == MAP_FAILED)
		return -errno;
	ms->mmap_start = mem;
	ms->mmap_size = size;
	ms->region.userspace_addr = (uintptr_t)mem;
	return 0;
}

int __vm_add_memslot(struct kvm_vm *vm, enum vm_mem_backing backing,
		     uint32_t slot, uint64_t gpa, uint64_t size, uint32_t flags)
{
	uint16_t as = slot >> 16;
	struct vm_memslot *ms;
	int r;

	if (vm->nr_memslots == VM_MAX_MEMSLOTS)
		return -ENOSPC;
	if (!size || !IS_ALIGNED(size, VM_PAGE_SIZE) ||
	    !IS_ALIGNED(gpa, VM_PAGE_SIZE))
		return -EINVAL;
	if (flags & ~(KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES))
		return -EINVAL;
	/* Refuse early with a clear error rather than KVM's -EINVAL. */
	if (as && (int)as >= vm_check_cap(vm, KVM_CAP_MULTI_ADDRESS_SPACE))
		return -EOPNOTSUPP;
	if ((flags & KVM_MEM_READONLY) &&
	    !vm_check_cap(vm, KVM_CAP_READONLY_MEM))
		return -EOPNOTSUPP;

	ms = &vm->memslots[vm->nr_memslots];
	memset(ms, 0, sizeof(*ms));
	ms->backing = backing;
	ms->region.slot = slot;
	ms->region.flags = flags;
	ms->region.guest_phys_addr = gpa;
	ms->region.memory_size = size;

	r = vm_memslot_mmap(vm, ms, size);
	if (r) {
		if (ms->mmap_start)
			munmap(ms->mmap_start, ms->mmap_size);
		if (ms->fd >= 0)
			close(ms->fd);
		return r;
	}

	if (backing == VM_MEM_GUEST_MEMFD) {
		struct kvm_userspace_memory_region2 region2 = {
			.slot = slot,
			.flags = flags | KVM_MEM_GUEST_MEMFD,
			.guest_phys_addr = gpa,
			.memory_size = size,
			.userspace_addr = ms->region.userspace_addr,
			.guest_memfd = ms->fd,
		};

		r = __vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &region2);
	} else {
		r = __vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &ms->region);
	}
	if (r) {
		munmap(ms->mmap_start, ms->mmap_size);
		if (ms->fd >= 0)
			close(ms->fd);
		return r;
	}
	vm->nr_memslots++;
	return 0;
}

struct vm_memslot *vm_add_memslot(struct kvm_vm *vm,
				  enum vm_mem_backing backing, uint32_t slot,
				  uint64_t gpa, uint64_t size, uint32_t flags)
{
	int r = __vm_add_memslot(vm, backing, slot, gpa, size, flags);

	if (r == -ENOMEM &&
	    (backing == VM_MEM_HUGETLB || backing == VM_MEM_HUGETLB_MEMFD))
		ksft_exit_skip("hugetlb memslot of %#lx bytes: not enough free 2 MiB huge pages; raise /proc/sys/vm/nr_hugepages", size);
	if (r == -ENOMEM && backing == VM_MEM_HUGETLB_1G)
		ksft_exit_skip("hugetlb memslot of %#lx bytes: not enough free 1 GiB huge pages; raise /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", size);
	TEST_ASSERT(r != -EOPNOTSUPP, "memslot as=%u: KVM lacks %s",
		    slot >> 16, (slot >> 16) ? "KVM_CAP_MULTI_ADDRESS_SPACE >= 2" :
		    backing == VM_MEM_GUEST_MEMFD ?
		    "KVM_CAP_GUEST_MEMFD_FLAGS with MMAP and INIT_SHARED (6.18+)" :
		    "KVM_CAP_READONLY_MEM");
	TEST_ASSERT(!r, "memslot as=%u slot=%u gpa=%#lx size=%#lx backing=%s flags=%#x: %s",
		    slot >> 16, slot & 0xffff, gpa, size,
		    vm_mem_backing_name(backing), flags, strerror(-r));
	return &vm->memslots[vm->nr_memslots - 1];
}

struct vm_memslot *vm_memslot_find(struct kvm_vm *vm, uint16_t as,
				   uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < vm->nr_memslots; i++) {
		struct vm_memslot *ms = &vm->memslots[i];
		struct kvm_userspace_memory_region *r = &ms->region;

		if ((r->slot >> 16) == as && gpa >= r->guest_phys_addr &&
		    gpa - r->guest_phys_addr < r->memory_size)
			return ms;
	}
	return NULL;
}

int vm_get_dirty_log(struct kvm_vm *vm, uint32_t slot, void *bitmap)
{
	struct kvm_dirty_log log = {
		.slot = slot,
		.dirty_bitmap = bitmap,
	};

	return __vm_ioctl(vm, KVM_GET_DIRTY_LOG, &log);
}

void *addr_as_gpa2hva(struct kvm_vm *vm, uint16_t as, uint64_t gpa)
{
	struct vm_memslot *ms = vm_memslot_find(vm, as, gpa);

	TEST_ASSERT(ms, "no memslot for gpa %#" PRIx64 " in as %u", gpa, as);
	return (void *)(uintptr_t)(ms->region.userspace_addr +
				   (gpa - ms->region.guest_phys_addr));
}

void *addr_gpa2hva(struct kvm_vm *vm, uint64_t gpa)
{
	return addr_as_gpa2hva(vm, 0, gpa);
}

uint64_t addr_hva2gpa(struct kvm_vm *vm, void *hva)
{
	uintptr_t addr = (uintptr_t)hva;
	unsigned int i;

	for (i = 0; i < vm->nr_memslots; i++) {
		struct kvm_userspace_memory_region *r =
			&vm->memslots[i].region;

		if (addr >= r->userspace_addr &&
		    addr - r->userspace_addr < r->memory_size)
			return r->guest_phys_addr + (addr - r->userspace_addr);
	}
	TEST_FAIL("no memslot maps hva %p", hva);
}

struct kvm_vcpu *vcpu_add(struct kvm_vm *vm, uint32_t id)
{
	struct kvm_vcpu *vcpu;

	TEST_ASSERT(vm->nr_vcpus < VM_MAX_VCPUS, "more than %d vcpus",
		    VM_MAX_VCPUS);
	vcpu = calloc(1, sizeof(*vcpu));
	TEST_ASSERT(vcpu, "out of memory");
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->index = vm->nr_vcpus;
	vcpu->guest = GUEST_IDLE;
	pthread_mutex_init(&vcpu->lock, NULL);
	pthread_cond_init(&vcpu->cond, NULL);

	vcpu->fd = __vm_ioctl(vm, KVM_CREATE_VCPU, (void *)(uintptr_t)id);
	TEST_ASSERT(vcpu->fd >= 0, "KVM_CREATE_VCPU id=%u: %s", id,
		    strerror(-vcpu->fd));

	vcpu->run_size = vm->run_size;
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vcpu->fd, 0);
	TEST_ASSERT(vcpu->run != MAP_FAILED, "mmap of kvm_run failed");

	vcpu_arch_init(vcpu);
	vm->vcpus[vm->nr_vcpus++] = vcpu;
	return vcpu;
}

int __vcpu_run(struct kvm_vcpu *vcpu)
{
	/* Count on entry: a spinning guest's KVM_RUN may never return. */
	WRITE_ONCE(vcpu->stats.runs, vcpu->stats.runs + 1);
	return __vcpu_ioctl(vcpu, KVM_RUN, NULL);
}

void vcpu_run_immediate_exit(struct kvm_vcpu *vcpu)
{
	int r;

	WRITE_ONCE(vcpu->run->immediate_exit, 1);
	r = __vcpu_run(vcpu);
	TEST_ASSERT(r == -EINTR, "vcpu %u: KVM_RUN with immediate_exit: %s",
		    vcpu->index, r ? strerror(-r) : "returned 0");
}

void vcpu_run(struct kvm_vcpu *vcpu)
{
	int r;

	for (;;) {
		r = __vcpu_run(vcpu);
		if (r != -EINTR)
			break;
		/*
		 * A stop request is ours to act on, not an interruption to
		 * count or retry; anything else (a signal, task work such as
		 * kvmintro pausing the vcpu) is retried as a VMM would.
		 */
		if (READ_ONCE(vcpu->run->immediate_exit)) {
			vcpu->run->exit_reason = KVM_EXIT_INTR;
			return;
		}
		WRITE_ONCE(vcpu->stats.eintr, vcpu->stats.eintr + 1);
	}
	TEST_ASSERT(!r, "KVM_RUN vcpu id=%u: %s", vcpu->id, strerror(-r));
}


int __vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t *value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)value };

	return __vcpu_ioctl(vcpu, KVM_GET_ONE_REG, &reg);
}

uint64_t vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id)
{
	uint64_t value = 0;
	int r = __vcpu_get_reg(vcpu, id, &value);

	TEST_ASSERT(!r, "KVM_GET_ONE_REG %#" PRIx64 ": %s", id, strerror(-r));
	return value;
}

void vcpu_set_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };
	int r = __vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &reg);

	TEST_ASSERT(!r, "KVM_SET_ONE_REG %#" PRIx64 " = %#" PRIx64 ": %s", id,
		    value, strerror(-r));
}

void vcpu_mp_state_get(struct kvm_vcpu *vcpu, struct kvm_mp_state *state)
{
	vcpu_ioctl(vcpu, KVM_GET_MP_STATE, state);
}

void vcpu_mp_state_set(struct kvm_vcpu *vcpu, struct kvm_mp_state *state)
{
	vcpu_ioctl(vcpu, KVM_SET_MP_STATE, state);
}

void vcpu_stats_read(struct kvm_vcpu *vcpu, struct vcpu_stats *stats)
{
	stats->runs = READ_ONCE(vcpu->stats.runs);
	stats->eintr = READ_ONCE(vcpu->stats.eintr);
	stats->io_exits = READ_ONCE(vcpu->stats.io_exits);
	stats->hlt_exits = READ_ONCE(vcpu->stats.hlt_exits);
}

/* The kick only has to interrupt KVM_RUN; the handler has nothing to do. */
static void vcpu_kick_handler(int sig)
{
	(void)sig;
}

static void vcpu_kick_handler_init(void)
{
	struct sigaction sa = { .sa_handler = vcpu_kick_handler };

	/* No SA_RESTART: KVM_RUN must come back with -EINTR. */
	sigemptyset(&sa.sa_mask);
	TEST_ASSERT(!sigaction(VCPU_KICK_SIGNAL, &sa, NULL), "sigaction");
}

static void vcpu_kick_handler_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, vcpu_kick_handler_init);
}

static void *vcpu_thread_main(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	sigset_t set;
	bool run;

	sigemptyset(&set);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	pthread_mutex_lock(&vcpu->lock);
	vcpu->tid = gettid();
	pthread_cond_broadcast(&vcpu->cond);
	while (!vcpu->go && !vcpu->stop)
		pthread_cond_wait(&vcpu->cond, &vcpu->lock);
	run = !vcpu->stop;
	pthread_mutex_unlock(&vcpu->lock);

	if (run)
		vcpu_guest_loop(vcpu);

	pthread_mutex_lock(&vcpu->lock);
	vcpu->done = true;
	pthread_cond_broadcast(&vcpu->cond);
	pthread_mutex_unlock(&vcpu->lock);

	if (vcpu->error[0] && vcpu->error_fn)
		vcpu->error_fn(vcpu);
	return NULL;
}

void vcpu_thread_create(struct kvm_vcpu *vcpu, vcpu_thread_error_fn fn)
{
	int r;

	TEST_ASSERT(!vcpu->has_thread, "vcpu %u already has a thread",
		    vcpu->id);
	vcpu_kick_handler_install();
	vcpu->error_fn = fn;
	r = pthread_create(&vcpu->thread, NULL, vcpu_thread_main, vcpu);
	TEST_ASSERT(!r, "pthread_create: %s", strerror(r));
	vcpu->has_thread = true;

	/* Callers print the tid right away: wait until it is known. */
	pthread_mutex_lock(&vcpu->lock);
	while (!vcpu->tid)
		pthread_cond_wait(&vcpu->cond, &vcpu->lock);
	pthread_mutex_unlock(&vcpu->lock);
}

void vcpu_thread_go(struct kvm_vcpu *vcpu)
{
	pthread_mutex_lock(&vcpu->lock);
	vcpu->go = true;
	pthread_cond_broadcast(&vcpu->cond);
	pthread_mutex_unlock(&vcpu->lock);
}

void vcpu_thread_stop(struct kvm_vcpu *vcpu)
{
	struct timespec deadline;

	if (!vcpu->has_thread)
		return;

	pthread_mutex_lock(&vcpu->lock);
	vcpu->stop = true;
	/* KVM checks this on entry, closing the race with the signal. */
	WRITE_ONCE(vcpu->run->immediate_exit, 1);
	pthread_cond_broadcast(&vcpu->cond);

	/*
	 * A signal that lands just before the thread enters KVM_RUN is lost
	 * on the thread's user side; immediate_exit catches that case, and
	 * kicking again until the thread is done covers any other window.
	 */
	while (!vcpu->done) {
		pthread_kill(vcpu->thread, VCPU_KICK_SIGNAL);
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 10 * 1000 * 1000;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&vcpu->cond, &vcpu->lock, &deadline);
	}
	pthread_mutex_unlock(&vcpu->lock);

	pthread_join(vcpu->thread, NULL);
	vcpu->has_thread = false;
	WRITE_ONCE(vcpu->run->immediate_exit, 0);
}

uint64_t vm_phy_page_alloc(struct kvm_vm *vm)
{
	struct kvm_userspace_memory_region *r;
	uint64_t gpa;

	TEST_ASSERT(vm->sys_slot, "vm_guest_init() not called");
	r = &vm->sys_slot->region;
	gpa = vm->sys_next;
	TEST_ASSERT(gpa + VM_PAGE_SIZE <= r->guest_phys_addr + r->memory_size,
		    "system memslot at gpa %#llx (size %#llx) is full: give it more room for code and page tables",
		    r->guest_phys_addr, r->memory_size);
	vm->sys_next += VM_PAGE_SIZE;
	memset(addr_gpa2hva(vm, gpa), 0, VM_PAGE_SIZE);
	return gpa;
}

/* Pick the lowest writable memslot of address space 0. */
static struct vm_memslot *vm_sys_slot_find(struct kvm_vm *vm)
{
	struct vm_memslot *best = NULL;
	unsigned int i;

	for (i = 0; i < vm->nr_memslots; i++) {
		struct vm_memslot *ms = &vm->memslots[i];

		if ((ms->region.slot >> 16) ||
		    (ms->region.flags & KVM_MEM_READONLY))
			continue;
		if (!best || ms->region.guest_phys_addr <
			     best->region.guest_phys_addr)
			best = ms;
	}
	return best;
}

void vm_guest_init(struct kvm_vm *vm, enum vm_guest_mode mode)
{
	TEST_ASSERT(vm->mode == VM_MODE_NONE, "guest already set up");
	TEST_ASSERT(mode != VM_MODE_NONE, "bad guest mode %d", mode);

	vm->sys_slot = vm_sys_slot_find(vm);
	TEST_ASSERT(vm->sys_slot,
		    "no writable memslot in address space 0 for guest code and data");
	vm->sys_next = vm->sys_slot->region.guest_phys_addr;
	vm->mode = mode;

	vm->code_pages[vm->nr_code_pages++] = vm_phy_page_alloc(vm);
	vm->data_gpa = vm_phy_page_alloc(vm);
	vm_arch_guest_init(vm);
}

void virt_pg_map(struct kvm_vm *vm, uint64_t gva, uint64_t gpa,
		 uint64_t page_size)
{
	int r = __virt_pg_map(vm, gva, gpa, page_size);

	TEST_ASSERT(!r,
		    "map gva %#" PRIx64 " -> gpa %#" PRIx64 " page %#" PRIx64 ": %s",
		    gva, gpa, page_size,
		    r == -EEXIST ? "gva already mapped elsewhere or with smaller pages" :
		    r == -EOPNOTSUPP ? "the guest cannot have pages of that size (x86: KVM's CPUID has no PDPE1GB)" :
		    "bad mode, alignment or page size");
}

void virt_map(struct kvm_vm *vm, uint64_t gva, uint64_t gpa, uint64_t size,
	      uint64_t page_size)
{
	uint64_t off;

	TEST_ASSERT(page_size && IS_ALIGNED(size, page_size),
		    "size %#" PRIx64 " not a multiple of page size %#" PRIx64,
		    size, page_size);
	for (off = 0; off < size; off += page_size)
		virt_pg_map(vm, gva + off, gpa + off, page_size);
}

bool memslot_identity_range(const struct kvm_vm *vm, unsigned int i,
			    uint64_t page_size, uint64_t *start, uint64_t *size)
{
	const struct kvm_userspace_memory_region *r = &vm->memslots[i].region;
	uint64_t end;

	if (r->slot >> 16)
		return false;
	*start = ALIGN_DOWN((uint64_t)r->guest_phys_addr, page_size);
	end = ALIGN_UP((uint64_t)r->guest_phys_addr + r->memory_size,
		       page_size);
	*size = end - *start;
	return true;
}

void virt_identity_map_memslots(struct kvm_vm *vm, uint64_t page_size)
{
	uint64_t start, size;
	unsigned int i;

	for (i = 0; i < vm->nr_memslots; i++) {
		if (memslot_identity_range(vm, i, page_size, &start, &size))
			virt_map(vm, start, start, size, page_size);
	}
}

uint64_t addr_gva2gpa(struct kvm_vm *vm, uint64_t gva)
{
	uint64_t gpa;

	TEST_ASSERT(!__addr_gva2gpa(vm, gva, &gpa, NULL),
		    "gva %#" PRIx64 " not mapped", gva);
	return gpa;
}

void virt_identity_map_page(struct kvm_vm *vm, uint64_t gpa)
{
	uint64_t cur;

	if (!vm_guest_paged(vm))
		return;
	if (!__addr_gva2gpa(vm, gpa, &cur, NULL) && cur == gpa)
		return;
	virt_pg_map(vm, gpa, gpa, SZ_4K);
}

void vcpu_guest_load(struct kvm_vcpu *vcpu, enum vm_guest_kind kind)
{
	struct kvm_vm *vm = vcpu->vm;
	unsigned int page = vcpu->index / VCPUS_PER_CODE_PAGE;
	uint8_t *code;

	TEST_ASSERT(vm->mode != VM_MODE_NONE, "vm_guest_init() not called");
	TEST_ASSERT(vcpu->index < GUEST_MAX_VCPUS,
		    "vcpu %u: guest programs for the first %d vcpus only",
		    vcpu->index, GUEST_MAX_VCPUS);
	while (vm->nr_code_pages <= page)
		vm->code_pages[vm->nr_code_pages++] = vm_phy_page_alloc(vm);
	vcpu->guest = kind;
	vcpu->code_gpa = vm->code_pages[page] +
			 (vcpu->index % VCPUS_PER_CODE_PAGE) * VCPU_CODE_SIZE;
	vcpu->counter_gpa = vm->data_gpa +
			    vcpu->index * GUEST_COUNTER_STRIDE;
	virt_identity_map_page(vm, ALIGN_DOWN(vcpu->code_gpa, VM_PAGE_SIZE));
	virt_identity_map_page(vm, vm->data_gpa);

	code = addr_gpa2hva(vm, vcpu->code_gpa);
	memset(code, vm_guest_code_fill(), VCPU_CODE_SIZE);
	*(uint64_t *)addr_gpa2hva(vm, vcpu->counter_gpa) = 0;
	vcpu_arch_guest_load(vcpu, kind, code);
}

uint64_t vcpu_guest_counter(struct kvm_vcpu *vcpu)
{
	uint64_t *counter = addr_gpa2hva(vcpu->vm, vcpu->counter_gpa);

	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

void vcpu_dump(FILE *out, struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	fprintf(out, "# vcpu id=%u exit_reason=%u (%s)", vcpu->id,
		run->exit_reason, exit_reason_str(run->exit_reason));
	if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		fprintf(out, " hardware_entry_failure_reason=%#llx",
			run->fail_entry.hardware_entry_failure_reason);
	if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		fprintf(out, " suberror=%u", run->internal.suberror);
	if (run->exit_reason == KVM_EXIT_IO)
		fprintf(out, " port=%#x dir=%s", run->io.port,
			run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in");
	if (run->exit_reason == KVM_EXIT_MMIO)
		fprintf(out, " mmio_gpa=%#llx write=%u", run->mmio.phys_addr,
			run->mmio.is_write);
	fprintf(out, "\n");
	vcpu_arch_dump(out, vcpu);
}

/* Park a vcpu whose guest halted to userspace until we are told to stop. */
static void vcpu_wait_for_stop(struct kvm_vcpu *vcpu)
{
	pthread_mutex_lock(&vcpu->lock);
	while (!vcpu->stop)
		pthread_cond_wait(&vcpu->cond, &vcpu->lock);
	pthread_mutex_unlock(&vcpu->lock);
}

void vcpu_guest_loop(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	while (!READ_ONCE(vcpu->stop)) {
		vcpu_run(vcpu);

		if (run->exit_reason == KVM_EXIT_INTR)
			continue;	/* asked to stop: the loop checks */
		if (vcpu->guest == GUEST_EXIT && vcpu_exit_is_guest_exit(vcpu)) {
			WRITE_ONCE(vcpu->stats.io_exits,
				   vcpu->stats.io_exits + 1);
			continue;
		}
		/*
		 * A halt that comes to us (x86 without an in-kernel irqchip):
		 * no interrupt will ever come, so just wait to be told.
		 */
		if (vcpu->guest == GUEST_HALT && vcpu_exit_is_guest_halt(vcpu)) {
			WRITE_ONCE(vcpu->stats.hlt_exits,
				   vcpu->stats.hlt_exits + 1);
			vcpu_wait_for_stop(vcpu);
			return;
		}

		snprintf(vcpu->error, sizeof(vcpu->error),
			 "vcpu id=%u guest=%s: unexpected exit %u (%s) at pc=%#" PRIx64,
			 vcpu->id, vm_guest_kind_name(vcpu->guest),
			 run->exit_reason, exit_reason_str(run->exit_reason),
			 vcpu_pc(vcpu));
		vcpu_dump(stderr, vcpu);
		return;
	}
}
