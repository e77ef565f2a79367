// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the test VMM library and of testvmm, run in L1 like any
 * other e2e test (installed as vmm_lib_test).  Each case runs in a child
 * process so that an assertion or a hung guest fails that case alone, and
 * the VMs it made die with it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"

#define CASE_TIMEOUT_S		90
/* Under TCG a nested guest is slow: allow seconds, not milliseconds. */
#define PROGRESS_TIMEOUT_MS	20000

static char *skip_reason;	/* shared with the children */

static void __printf(1, 2) __noreturn case_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, 256, fmt, ap);
	va_end(ap);
	exit(KSFT_SKIP);
}

/* A VM with one memslot of @backing at @gpa and its guest laid out. */
static struct kvm_vm *vm_create_simple(enum vm_guest_mode mode,
				       enum vm_mem_backing backing,
				       uint64_t gpa, uint64_t size,
				       uint64_t page_size, bool irqchip)
{
	struct kvm_vm *vm = vm_create();

	if (irqchip)
		vm_create_irqchip(vm);
	vm_add_memslot(vm, backing, 0, gpa, size, 0);
	vm_guest_init(vm, mode);
	if (mode != VM_MODE_REAL)
		/* 32-bit paging has 4M large pages, not 2M. */
		virt_identity_map_memslots(vm, mode == VM_MODE_PAGED32 &&
					       page_size == SZ_2M ? SZ_4K :
								    page_size);
	return vm;
}

static struct kvm_vcpu *vcpu_add_guest(struct kvm_vm *vm, uint32_t id,
				       enum vm_guest_kind kind)
{
	struct kvm_vcpu *vcpu = vcpu_add(vm, id);

	vcpu_guest_load(vcpu, kind);
	return vcpu;
}

static void vcpu_start(struct kvm_vcpu *vcpu)
{
	vcpu_thread_create(vcpu, NULL);
	vcpu_thread_go(vcpu);
}

/* Wait until the guest counter exceeds @min; assert on timeout. */
static uint64_t wait_counter_above(struct kvm_vcpu *vcpu, uint64_t min)
{
	uint64_t deadline = clock_ns() + PROGRESS_TIMEOUT_MS * 1000000ULL;
	uint64_t v;

	while ((v = vcpu_guest_counter(vcpu)) <= min) {
		TEST_ASSERT(!vcpu->error[0], "%s", vcpu->error);
		TEST_ASSERT(clock_ns() < deadline,
			    "vcpu id=%u: counter stuck at %" PRIu64 " (want > %" PRIu64 ")",
			    vcpu->id, v, min);
		sleep_ms(5);
	}
	return v;
}

/* The counter moves on its own, twice in a row: the guest runs. */
static void assert_spinning(struct kvm_vcpu *vcpu)
{
	uint64_t v = wait_counter_above(vcpu, 0);

	wait_counter_above(vcpu, v);
}

/*
 * Whether thread @tid sleeps in ioctl(KVM_RUN): /proc/<tid>/syscall
 * reads "16 0x<fd> 0xae80 ..." for a blocked thread ("running" for one
 * on a CPU, e.g. executing guest code, which we cannot see this way).
 */
static bool thread_blocked_in_kvm_run(pid_t tid)
{
	char path[64], buf[256];
	unsigned long nr, fd, cmd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	if (read_text_file(path, buf, sizeof(buf)) < 0)
		return false;
	if (sscanf(buf, "%lu %lx %lx", &nr, &fd, &cmd) != 3)
		return false;
	return nr == 16 && cmd == KVM_RUN;
}

static void test_spin(enum vm_guest_mode mode)
{
	struct kvm_vm *vm = vm_create_simple(mode, VM_MEM_ANON, 0, SZ_2M,
					     SZ_2M, false);
	struct kvm_vcpu *vcpu = vcpu_add_guest(vm, 0, GUEST_SPIN);
	struct vcpu_stats st;

	TEST_ASSERT_EQ(vcpu->counter_gpa, 0x1000);
	vcpu_start(vcpu);
	assert_spinning(vcpu);
	/* One KVM_RUN, never returned: the guest spins inside it. */
	vcpu_stats_read(vcpu, &st);
	TEST_ASSERT(st.runs == 1, "runs=%" PRIu64 ", want 1", st.runs);
	vm_destroy(vm);
}

static void test_long_spin(void)
{
	test_spin(VM_MODE_LONG);
}

static void test_real_spin(void)
{
	test_spin(VM_MODE_REAL);
}

static void test_pae_spin(void)
{
	test_spin(VM_MODE_PAE);
}

static void test_paged32_spin(void)
{
	test_spin(VM_MODE_PAGED32);
}

static void test_exit(enum vm_guest_mode mode)
{
	struct kvm_vm *vm = vm_create_simple(mode, VM_MEM_ANON, 0, SZ_2M,
					     SZ_2M, false);
	struct kvm_vcpu *vcpu = vcpu_add_guest(vm, 0, GUEST_EXIT);
	struct kvm_run *run = vcpu->run;
	int i;

	/* Drive it by hand: every KVM_RUN must end in our `out`. */
	for (i = 1; i <= 3; i++) {
		vcpu_run(vcpu);
		TEST_ASSERT(run->exit_reason == KVM_EXIT_IO,
			    "exit %u (%s), want IO", run->exit_reason,
			    exit_reason_str(run->exit_reason));
		TEST_ASSERT_EQ(run->io.port, GUEST_EXIT_PORT);
		TEST_ASSERT_EQ(run->io.direction, KVM_EXIT_IO_OUT);
		TEST_ASSERT_EQ(vcpu_guest_counter(vcpu), (uint64_t)i);
	}
	vm_destroy(vm);
}

static void test_long_exit(void)
{
	test_exit(VM_MODE_LONG);
}

static void test_real_exit(void)
{
	test_exit(VM_MODE_REAL);
}

static void test_exit_thread(void)
{
	struct kvm_vm *vm = vm_create_simple(VM_MODE_LONG, VM_MEM_ANON, 0,
					     SZ_2M, SZ_2M, false);
	struct kvm_vcpu *vcpu = vcpu_add_guest(vm, 0, GUEST_EXIT);
	struct vcpu_stats st;

	vcpu_start(vcpu);
	wait_counter_above(vcpu, 100);
	vcpu_thread_stop(vcpu);
	vcpu_stats_read(vcpu, &st);
	TEST_ASSERT(st.io_exits >= 100 && st.runs >= st.io_exits,
		    "runs=%" PRIu64 " io_exits=%" PRIu64, st.runs,
		    st.io_exits);
	/* Each `out` follows one increment; the last may not be out yet. */
	TEST_ASSERT(vcpu_guest_counter(vcpu) - st.io_exits <= 1,
		    "counter %" PRIu64 " vs io_exits %" PRIu64,
		    vcpu_guest_counter(vcpu), st.io_exits);
	vm_destroy(vm);
}

static void test_halt(enum vm_guest_mode mode)
{
	struct kvm_vm *vm = vm_create_simple(mode, VM_MEM_ANON, 0, SZ_2M,
					     SZ_2M, true);
	struct kvm_vcpu *vcpu = vcpu_add_guest(vm, 0, GUEST_HALT);
	uint64_t deadline = clock_ns() + PROGRESS_TIMEOUT_MS * 1000000ULL;
	struct vcpu_stats st;

	vcpu_start(vcpu);
	wait_counter_above(vcpu, 0);
	while (!thread_blocked_in_kvm_run(vcpu->tid)) {
		TEST_ASSERT(clock_ns() < deadline,
			    "halted vcpu thread %d never blocked in KVM_RUN",
			    vcpu->tid);
		sleep_ms(10);
	}
	sleep_ms(200);
	vcpu_stats_read(vcpu, &st);
	TEST_ASSERT(st.runs == 1 && st.hlt_exits == 0,
		    "runs=%" PRIu64 " hlt_exits=%" PRIu64 ", want 1 and 0",
		    st.runs, st.hlt_exits);
	TEST_ASSERT_EQ(vcpu_guest_counter(vcpu), 1);
	TEST_ASSERT(thread_blocked_in_kvm_run(vcpu->tid),
		    "left KVM_RUN");
	vm_destroy(vm);
}

static void test_long_halt(void)
{
	test_halt(VM_MODE_LONG);
}

static void test_real_halt(void)
{
	test_halt(VM_MODE_REAL);
}

static void test_halt_no_irqchip(void)
{
	struct kvm_vm *vm = vm_create_simple(VM_MODE_LONG, VM_MEM_ANON, 0,
					     SZ_2M, SZ_2M, false);
	struct kvm_vcpu *vcpu = vcpu_add_guest(vm, 0, GUEST_HALT);

	vcpu_run(vcpu);
	TEST_ASSERT(vcpu->run->exit_reason == KVM_EXIT_HLT,
		    "exit %s, want HLT",
		    exit_reason_str(vcpu->run->exit_reason));
	TEST_ASSERT_EQ(vcpu_guest_counter(vcpu), 1);
	vm_destroy(vm);
}

static void test_idle(void)
{
	struct kvm_vm *vm = vm_create_simple(VM_MODE_LONG, VM_MEM_ANON, 0,
					     SZ_2M, SZ_2M, true);
	struct kvm_vcpu *idle = vcpu_add_guest(vm, 0, GUEST_IDLE);
	struct kvm_vcpu *spin = vcpu_add_guest(vm, 1, GUEST_SPIN);

	vcpu_start(spin);
	assert_spinning(spin);
	TEST_ASSERT(!idle->has_thread && !idle->stats.runs,
		    "idle vcpu ran");
	TEST_ASSERT_EQ(vcpu_guest_counter(idle), 0);
	vm_destroy(vm);
}

static void test_regs(enum vm_guest_mode mode)
{
	struct kvm_vm *vm = vm_create_simple(mode, VM_MEM_ANON, 0, SZ_2M,
					     SZ_2M, false);
	struct kvm_vcpu *vcpu;
	struct kvm_regs regs;
	unsigned int r;

	vcpu_add_guest(vm, 0, GUEST_SPIN);
	vcpu = vcpu_add_guest(vm, 3, GUEST_REGS);	/* index 1 */
	vcpu_start(vcpu);
	assert_spinning(vcpu);
	vcpu_thread_stop(vcpu);

	vcpu_regs_get(vcpu, &regs);
	for (r = 0; r < NR_GPRS; r++) {
		uint64_t want = GUEST_REGS_VALUE(1, r);
		uint64_t got = *vcpu_reg_ptr(&regs, r);

		/*
		 * Outside 64-bit mode a 32-bit mov leaves the upper half
		 * undefined (KVM's emulator clears it): compare the low half.
		 */
		if (mode != VM_MODE_LONG && r < 8) {
			want = (uint32_t)want;
			got = (uint32_t)got;
		}
		TEST_ASSERT(got == want,
			    "%s=%#" PRIx64 ", want %#" PRIx64, gpr_name(r),
			    got, want);
	}
	vm_destroy(vm);
}

static void test_long_regs(void)
{
	test_regs(VM_MODE_LONG);
}

static void test_real_regs(void)
{
	test_regs(VM_MODE_REAL);
}

static void test_pae_regs(void)
{
	test_regs(VM_MODE_PAE);
}

/*
 * The hypercall guests get KVM's own answers: KVM_HC_VAPIC_POLL_IRQ (1) is
 * 0 at CPL 0, a number no one implements -KVM_ENOSYS (-1000), anything at
 * CPL 3 -KVM_EPERM (-1), in 32-bit registers for a compatibility mode
 * caller; RDX and RSI keep what the guest put there.  The
 * memory is identity mapped with 2M pages, so the CPL 3 guest's user bit
 * goes on a large page.
 */
static void test_hypercall(void)
{
	struct kvm_vm *vm = vm_create_simple(VM_MODE_LONG, VM_MEM_ANON, 0,
					     SZ_2M, SZ_2M, false);
	struct kvm_vcpu *kernel = vcpu_add_guest(vm, 0, GUEST_HYPERCALL);
	struct kvm_vcpu *user = vcpu_add_guest(vm, 1, GUEST_HYPERCALL_USER);
	struct kvm_vcpu *compat = vcpu_add_guest(vm, 2, GUEST_HYPERCALL_COMPAT);
	const uint64_t unknown = 0x1234567890ULL;	/* wider than any int */
	struct guest_hypercall_mailbox *mb;
	int i;

	for (i = 0; i < 3; i++) {
		mb = vcpu_hypercall(kernel, 1, 0);
		TEST_ASSERT_EQ(mb->rax, 0);
		mb = vcpu_hypercall(kernel, unknown, 0);
		TEST_ASSERT_EQ(mb->rax, (uint64_t)-1000);
		TEST_ASSERT_EQ(mb->rdx, HYPERCALL_SENTINEL);
		TEST_ASSERT_EQ(mb->rsi, HYPERCALL_SENTINEL);
		mb = vcpu_hypercall(user, 1, 0);
		TEST_ASSERT_EQ(mb->rax, (uint64_t)-1);
		TEST_ASSERT_EQ(mb->rdx, HYPERCALL_SENTINEL);
		TEST_ASSERT_EQ(mb->rsi, HYPERCALL_SENTINEL);
		/* 32-bit: KVM truncates the number and its answer. */
		mb = vcpu_hypercall(compat, 1, 0);
		TEST_ASSERT_EQ(mb->rax, 0);
		mb = vcpu_hypercall(compat, unknown, 0);
		TEST_ASSERT_EQ(mb->rax, (uint32_t)-1000);
		TEST_ASSERT_EQ(mb->rdx, (uint32_t)HYPERCALL_SENTINEL);
		TEST_ASSERT_EQ(mb->rsi, (uint32_t)HYPERCALL_SENTINEL);
	}
	TEST_ASSERT_EQ(mb->count, 6);
	vm_destroy(vm);
}

/* KVM_RUN interrupted by signals comes back as -EINTR and is retried. */
static void test_eintr(void)
{
	struct kvm_vm *vm = vm_create_simple(VM_MODE_LONG, VM_MEM_ANON, 0,
					     SZ_2M, SZ_2M, false);
	struct kvm_vcpu *vcpu = vcpu_add_guest(vm, 0, GUEST_SPIN);
	struct vcpu_stats st;
	int i;

	vcpu_start(vcpu);
	assert_spinning(vcpu);
	for (i = 0; i < 5; i++) {
		pthread_kill(vcpu->thread, VCPU_KICK_SIGNAL);
		sleep_ms(50);
	}
	assert_spinning(vcpu);
	vcpu_stats_read(vcpu, &st);
	TEST_ASSERT(st.eintr >= 1 && st.eintr <= 5 && st.runs == st.eintr + 1,
		    "runs=%" PRIu64 " eintr=%" PRIu64 " after 5 signals",
		    st.runs, st.eintr);
	vm_destroy(vm);
}

/* Several memslots, one above 4 GiB and read-only, an SMM one if KVM can. */
static void test_memslots(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu;
	uint64_t *p;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_SHARED, 1, 0x200000, SZ_2M,
		       KVM_MEM_LOG_DIRTY_PAGES);
	vm_add_memslot(vm, VM_MEM_THP, 2, 0x100000000ULL, 2 * SZ_2M,
		       KVM_MEM_READONLY);
	vm_add_memslot(vm, VM_MEM_ANON_SHARED, 3, 0x180000000ULL, SZ_2M, 0);
	if (vm_check_cap(vm, KVM_CAP_MULTI_ADDRESS_SPACE) >= 2)
		vm_add_memslot(vm, VM_MEM_ANON, 1 << 16 | 0, 0, SZ_2M, 0);

	/* Every slot's host memory is where addr_gpa2hva() says. */
	p = addr_gpa2hva(vm, 0x100000000ULL + 0x1000);
	*p = 0x1234;
	TEST_ASSERT_EQ(addr_hva2gpa(vm, p), 0x100000000ULL + 0x1000);
	TEST_ASSERT(vm->nr_memslots >= 4, "%u memslots", vm->nr_memslots);

	vm_guest_init(vm, VM_MODE_LONG);
	virt_identity_map_memslots(vm, SZ_2M);
	vcpu = vcpu_add_guest(vm, 0, GUEST_SPIN);
	vcpu_start(vcpu);
	assert_spinning(vcpu);
	vm_destroy(vm);
}

/* All of the guest (code, counters, page tables) above 4 GiB. */
static void test_above_4g(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0x140000000ULL, SZ_2M,
		       KVM_MEM_READONLY);
	vm_add_memslot(vm, VM_MEM_ANON, 1, 0x100000000ULL, 2 * SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_LONG);
	virt_identity_map_memslots(vm, SZ_4K);
	TEST_ASSERT(vm->pgd >= 0x100000000ULL, "pgd %#" PRIx64, vm->pgd);
	vcpu = vcpu_add_guest(vm, 0, GUEST_SPIN);
	TEST_ASSERT_EQ(vcpu->counter_gpa, 0x100001000ULL);
	vcpu_start(vcpu);
	assert_spinning(vcpu);
	vm_destroy(vm);
}

static void test_dirty_log(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu;
	uint64_t bitmap[SZ_2M / VM_PAGE_SIZE / 64] = { 0 };
	int r;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, KVM_MEM_LOG_DIRTY_PAGES);
	vm_guest_init(vm, VM_MODE_LONG);
	virt_identity_map_memslots(vm, SZ_4K);
	vcpu = vcpu_add_guest(vm, 0, GUEST_SPIN);
	vcpu_start(vcpu);
	assert_spinning(vcpu);
	r = vm_get_dirty_log(vm, 0, bitmap);
	TEST_ASSERT(!r, "KVM_GET_DIRTY_LOG: %s", strerror(-r));
	/* The counter page (gpa 0x1000 = page 1) is written by the guest. */
	TEST_ASSERT(bitmap[0] & 2, "counter page not dirty: %#" PRIx64,
		    bitmap[0]);
	vm_destroy(vm);
}

/* AnonHugePages of the smaps entry that contains @addr, in kB. */
static long smaps_anon_huge_kb(void *addr)
{
	uintptr_t a = (uintptr_t)addr, start, end;
	bool in = false;
	char line[512];
	long kb = -1;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = a >= start && a < end;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static void test_thp(void)
{
	char mode[128] = "";
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	void *hva;
	long kb;

	read_text_file("/sys/kernel/mm/transparent_hugepage/enabled", mode,
		       sizeof(mode));
	if (!strstr(mode, "[always]") && !strstr(mode, "[madvise]"))
		case_skip("transparent hugepages disabled: %s", mode);

	vm = vm_create_simple(VM_MODE_LONG, VM_MEM_THP, 0, 2 * SZ_2M, SZ_2M,
			      false);
	hva = addr_gpa2hva(vm, 0);
	TEST_ASSERT(IS_ALIGNED((uintptr_t)hva, SZ_2M), "hva %p", hva);
	/* Fault the second 2 MiB in from the host: it should be huge. */
	memset((char *)hva + SZ_2M, 0x5a, SZ_2M);
	kb = smaps_anon_huge_kb(hva);
	TEST_ASSERT(kb >= 2048, "AnonHugePages %ld kB for the THP memslot",
		    kb);

	vcpu = vcpu_add_guest(vm, 0, GUEST_SPIN);
	vcpu_start(vcpu);
	assert_spinning(vcpu);
	vm_destroy(vm);
}

static void test_hugetlb(void)
{
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	long n = hugetlb_reserve(2);

	if (n < 2)
		case_skip("cannot reserve 2 huge pages of 2 MiB (free: %ld)",
			  n);
	vm = vm_create_simple(VM_MODE_LONG, VM_MEM_HUGETLB, 0, 2 * SZ_2M,
			      SZ_2M, false);
	vcpu = vcpu_add_guest(vm, 0, GUEST_SPIN);
	vcpu_start(vcpu);
	assert_spinning(vcpu);
	vm_destroy(vm);
}

static void test_two_vms(void)
{
	struct kvm_vm *a = vm_create_simple(VM_MODE_LONG, VM_MEM_ANON, 0,
					    SZ_2M, SZ_2M, false);
	struct kvm_vm *b = vm_create_simple(VM_MODE_REAL, VM_MEM_SHARED, 0,
					    SZ_2M, 0, true);
	struct kvm_vcpu *va = vcpu_add_guest(a, 0, GUEST_SPIN);
	struct kvm_vcpu *vb = vcpu_add_guest(b, 0, GUEST_SPIN);

	TEST_ASSERT(a->fd != b->fd, "same fd");
	vcpu_start(va);
	vcpu_start(vb);
	assert_spinning(va);
	assert_spinning(vb);
	vm_destroy(b);
	assert_spinning(va);
	vm_destroy(a);
}

static void test_four_vcpus(void)
{
	struct kvm_vm *vm = vm_create_simple(VM_MODE_LONG, VM_MEM_ANON, 0,
					     SZ_2M, SZ_2M, true);
	struct kvm_vcpu *vcpus[4];
	int i;

	/* Sparse ids; APs must run without INIT/SIPI. */
	for (i = 0; i < 4; i++)
		vcpus[i] = vcpu_add_guest(vm, i * 2, i == 3 ? GUEST_HALT
							     : GUEST_SPIN);
	for (i = 0; i < 4; i++)
		vcpu_start(vcpus[i]);
	for (i = 0; i < 3; i++)
		assert_spinning(vcpus[i]);
	wait_counter_above(vcpus[3], 0);
	for (i = 0; i < 4; i++)
		TEST_ASSERT_EQ(vcpus[i]->counter_gpa,
			       0x1000 + i * GUEST_COUNTER_STRIDE);
	vm_destroy(vm);
}

/*
 * Long mode with @page_size pages: identity map, then run the guest
 * through an alias far from its physical address, code and counter, so
 * the CPU's walk of our tables with that page size is what makes it go.
 */
static void test_pages(uint64_t page_size)
{
	const uint64_t alias = 0x7f0000000000ULL;	/* 1G aligned */
	struct kvm_vm *vm = vm_create_simple(VM_MODE_LONG, VM_MEM_ANON, 0,
					     2 * SZ_2M, page_size, false);
	struct kvm_vcpu *vcpu = vcpu_add_guest(vm, 0, GUEST_SPIN);
	struct kvm_regs regs;
	uint64_t gpa, size;
	uint64_t map_size = page_size == SZ_4K ? 2 * SZ_4K : page_size;

	TEST_ASSERT(!__addr_gva2gpa(vm, 0x1008, &gpa, &size) &&
		    gpa == 0x1008 && size == page_size,
		    "identity walk: gpa %#" PRIx64 " page %#" PRIx64, gpa,
		    size);

	virt_map(vm, alias, 0, map_size, page_size);
	TEST_ASSERT(!__addr_gva2gpa(vm, alias + 0x1008, &gpa, &size) &&
		    gpa == 0x1008 && size == page_size,
		    "alias walk: gpa %#" PRIx64 " page %#" PRIx64, gpa, size);

	vcpu_regs_get(vcpu, &regs);
	regs.rip = alias + vcpu->code_gpa;
	regs.rdi = alias + vcpu->counter_gpa;
	vcpu_regs_set(vcpu, &regs);
	/* Drop the identity mapping of the first page: only the alias works. */
	if (page_size == SZ_4K) {
		uint64_t pt_gpa, *pte;

		pt_gpa = vm->pgd;
		pt_gpa = ((uint64_t *)addr_gpa2hva(vm, pt_gpa))[0] &
			 PTE_ADDR_MASK;
		pt_gpa = ((uint64_t *)addr_gpa2hva(vm, pt_gpa))[0] &
			 PTE_ADDR_MASK;
		pt_gpa = ((uint64_t *)addr_gpa2hva(vm, pt_gpa))[0] &
			 PTE_ADDR_MASK;
		pte = addr_gpa2hva(vm, pt_gpa);
		pte[0] = 0;	/* code page 0x0 */
		pte[1] = 0;	/* data page 0x1000 */
		TEST_ASSERT(__addr_gva2gpa(vm, 0x1000, &gpa, NULL),
			    "still mapped");
	}

	vcpu_start(vcpu);
	assert_spinning(vcpu);
	vcpu_thread_stop(vcpu);
	vcpu_regs_get(vcpu, &regs);
	TEST_ASSERT(regs.rip >= alias && regs.rip < alias + map_size,
		    "rip %#llx outside the alias", regs.rip);
	vm_destroy(vm);
}

static void test_pages_4k(void)
{
	test_pages(SZ_4K);
}

static void test_pages_2m(void)
{
	test_pages(SZ_2M);
}

static void test_pages_1g(void)
{
	struct kvm_vm *vm = vm_create();
	bool has_1g = vm_has_1g_pages(vm);

	vm_destroy(vm);
	if (!has_1g)
		case_skip("KVM offers no 1 GiB guest pages (CPUID PDPE1GB)");
	test_pages(SZ_1G);
}

static char testvmm_path[4096];

/* Read one line from @f into @line (no newline); false on EOF. */
static bool read_line(FILE *f, char *line, size_t size)
{
	size_t len;

	if (!fgets(line, size, f))
		return false;
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	return true;
}

/* Run the testvmm program, check its truth lines, stats and exit. */
static void test_testvmm(void)
{
	int in[2], out[2], status, nr_vm = 0, nr_slot = 0, nr_vcpu = 0;
	int nr_stats = 0;
	char line[512];
	bool ready = false, exited = false;
	pid_t pid;
	FILE *f;

	if (access(testvmm_path, X_OK))
		case_skip("%s not found", testvmm_path);
	TEST_ASSERT(!pipe(in) && !pipe(out), "pipe");
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(testvmm_path, "testvmm",
		      "--vm", "--slot", "gpa=0,size=2M,backing=anon",
		      "--slot", "gpa=0x100000000,size=4M,backing=thp,flags=readonly",
		      "--vcpus", "2", "--guest", "spin,halt",
		      "--vm", "--mode", "real", "--guest", "exit",
		      "--slot", "gpa=0,size=1M,backing=shared,flags=dirty_log",
		      "--stats", NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f = fdopen(out[0], "r");

	while (!ready && read_line(f, line, sizeof(line))) {
		int tid;

		ksft_print_msg("testvmm: %s\n", line);
		if (!strncmp(line, "vm ", 3))
			nr_vm++;
		if (!strncmp(line, "slot ", 5))
			nr_slot++;
		if (!strncmp(line, "vcpu ", 5)) {
			char path[64];

			TEST_ASSERT(sscanf(strstr(line, "tid="), "tid=%d",
					   &tid) == 1 && tid > 0,
				    "bad vcpu line: %s", line);
			snprintf(path, sizeof(path), "/proc/%d/task/%d", pid,
				 tid);
			TEST_ASSERT(!access(path, F_OK), "no thread %s", path);
			nr_vcpu++;
		}
		ready = !strcmp(line, "ready");
	}
	TEST_ASSERT(ready && nr_vm == 2 && nr_slot == 3 && nr_vcpu == 3,
		    "ready=%d vms=%d slots=%d vcpus=%d", ready, nr_vm, nr_slot,
		    nr_vcpu);

	sleep_ms(500);
	TEST_ASSERT(write(in[1], "stats\n", 6) == 6, "write");
	close(in[1]);	/* EOF: testvmm cleans up and exits */
	while (read_line(f, line, sizeof(line))) {
		ksft_print_msg("testvmm: %s\n", line);
		if (!strncmp(line, "stats ", 6))
			nr_stats++;
		if (!strcmp(line, "exit reason=stdin-eof"))
			exited = true;
	}
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	TEST_ASSERT(WIFEXITED(status) && !WEXITSTATUS(status),
		    "testvmm status %#x", status);
	/* stats on request and again on exit (--stats), 3 vcpus each */
	TEST_ASSERT(nr_stats == 6 && exited, "stats lines %d, exit line %d",
		    nr_stats, exited);
	fclose(f);
}

/* testvmm must fail loudly, not hang or exit 0, on a bad setup. */
static void test_testvmm_error(void)
{
	char cmd[4200];
	int status;

	if (access(testvmm_path, X_OK))
		case_skip("%s not found", testvmm_path);
	/* Real mode needs memory below 1 MiB. */
	snprintf(cmd, sizeof(cmd),
		 "%s --mode real --slot gpa=0x100000000,size=2M </dev/null >/dev/null 2>&1",
		 testvmm_path);
	status = system(cmd);
	TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		    "status %#x", status);
	snprintf(cmd, sizeof(cmd), "%s --bogus >/dev/null 2>&1",
		 testvmm_path);
	status = system(cmd);
	TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 2,
		    "status %#x", status);
}

struct selftest_case {
	const char *name;
	void (*fn)(void);
};

static const struct selftest_case cases[] = {
	{ "long_spin",		test_long_spin },
	{ "real_spin",		test_real_spin },
	{ "pae_spin",		test_pae_spin },
	{ "paged32_spin",	test_paged32_spin },
	{ "long_exit",		test_long_exit },
	{ "real_exit",		test_real_exit },
	{ "exit_thread",	test_exit_thread },
	{ "long_halt",		test_long_halt },
	{ "real_halt",		test_real_halt },
	{ "halt_no_irqchip",	test_halt_no_irqchip },
	{ "idle",		test_idle },
	{ "long_regs",		test_long_regs },
	{ "real_regs",		test_real_regs },
	{ "pae_regs",		test_pae_regs },
	{ "hypercall",		test_hypercall },
	{ "eintr",		test_eintr },
	{ "memslots",		test_memslots },
	{ "above_4g",		test_above_4g },
	{ "dirty_log",		test_dirty_log },
	{ "thp",		test_thp },
	{ "hugetlb",		test_hugetlb },
	{ "two_vms",		test_two_vms },
	{ "four_vcpus",		test_four_vcpus },
	{ "pages_4k",		test_pages_4k },
	{ "pages_2m",		test_pages_2m },
	{ "pages_1g",		test_pages_1g },
	{ "testvmm",		test_testvmm },
	{ "testvmm_error",	test_testvmm_error },
};

static void run_case(const struct selftest_case *c)
{
	int status;
	pid_t pid;

	skip_reason[0] = '\0';
	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		alarm(CASE_TIMEOUT_S);
		c->fn();
		exit(KSFT_PASS);
	}
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");

	if (WIFEXITED(status) && WEXITSTATUS(status) == KSFT_PASS)
		ksft_test_result_pass("vmm_lib.%s", c->name);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == KSFT_SKIP)
		ksft_test_result_skip(skip_reason[0] ? skip_reason : "?",
				      "vmm_lib.%s", c->name);
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		ksft_test_result_fail("vmm_lib.%s (timed out after %ds)",
				      c->name, CASE_TIMEOUT_S);
	else
		ksft_test_result_fail("vmm_lib.%s", c->name);
}

/*
 * Creating the first VM of the system and destroying the last one flips
 * static keys in hot kernel code (preempt_notifier_key in __schedule(),
 * kvm_has_noapic_vcpu and apic_sw_disabled in KVM's run loop): the
 * kernel patches itself through int3, which QEMU TCG in L1 has been seen
 * to get wrong ("Oops: int3" in __schedule() on 6.12).  Keep one VM of
 * each flavour alive for the whole run so that the cases' own VMs never
 * take those counts to or from zero.
 */
static struct kvm_vm *keeper_vms[2];

static void keeper_vms_create(void)
{
	keeper_vms[0] = vm_create();
	vcpu_add(keeper_vms[0], 0);
	keeper_vms[1] = vm_create();
	vm_create_irqchip(keeper_vms[1]);
	vcpu_add(keeper_vms[1], 0);
}

static void keeper_vms_destroy(void)
{
	vm_destroy(keeper_vms[1]);
	vm_destroy(keeper_vms[0]);
}

int main(int argc, char **argv)
{
	char self[4096];
	unsigned int i;
	int fd;

	skip_reason = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(skip_reason != MAP_FAILED, "mmap");
	ksft_set_skip_buffer(skip_reason, 256);

	/* testvmm is installed next to us. */
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(testvmm_path, sizeof(testvmm_path), "%s/testvmm",
		 dirname(self));

	ksft_print_header();
	fd = open("/dev/kvm", O_RDWR);
	if (fd < 0)
		ksft_exit_skip("/dev/kvm: %s", strerror(errno));
	close(fd);
	keeper_vms_create();

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (argc < 2 || strstr(cases[i].name, argv[1]))
			run_case(&cases[i]);
	keeper_vms_destroy();
	ksft_finished();
}
