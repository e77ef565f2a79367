// SPDX-License-Identifier: GPL-2.0
/*
 * What a hostile or just unusual VMM, host or caller did to kvmintro, one
 * case each (issue 9); every case failed before its fix:
 *  - memslots added and removed while every reader of guest memory runs
 *    (the copy of the slots overflowed its buffer: slub_debug in L1 shows
 *    it as "BUG kmalloc-...", which fails the run);
 *  - a VM destroyed while kprobes are disabled, so that kvmintro's
 *    kvm_destroy_vm() hook never fires: its files must fail cleanly, not
 *    touch the freed struct kvm; and a new VM at the same address is a new
 *    VM;
 *  - one thread running two vcpus: every pause must stop it;
 *  - a vcpu created and first run while the VM is paused stays out;
 *  - a capture of a table larger than capture_table_max_kb keeps the
 *    registers and refuses the table with EFBIG;
 *  - gva's vcpu= beyond 32 bits is refused, not truncated to vcpu 0;
 *  - a forked child's KVM_RUN (refused by KVM) changes no vcpu's thread;
 *  - Yama's ptrace_scope=2 applies to kvmintro's files as to
 *    /proc/<pid>/mem;
 *  - a write through mem shows in KVM's dirty log;
 *  - a VM's directory exists as soon as KVM_CREATE_VM returns, also when
 *    64 VMMs create theirs at once (the hook was a kretprobe, which
 *    watches a bounded number of calls at once and misses the rest);
 *  - a VM whose creating thread exited, its id since taken by another
 *    process, is named after its VMM, not that process.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000

static char path[256];

static const char *vm_file(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", kvmintro_vm_path(getpid(), 0),
		 name);
	return path;
}

static void load_and_wait(void)
{
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
}

/*
 * Memslots added and removed in a loop while every reader of guest memory
 * reads: 5 s here, 30 s in the stress test.
 */
static void test_memslot_churn(void)
{
	struct kvmintro_churn_stats stats;
	struct kvmintro_churn *churn;
	struct kvm_vm *vm = vm_create();

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	memset(addr_gpa2hva(vm, 0), 0x5a, SZ_2M);
	load_and_wait();
	churn = kvmintro_churn_start(vm, 8);
	kvmintro_churn_readers(kvmintro_vm_path(getpid(), 0), 5000, &stats);
	stats.slot_changes = kvmintro_churn_stop(churn);
	ksft_print_msg("churn: %lu slot changes, %lu reads of mem, gpa_hpa, memslots, translate, scan, stage2, gva, capture\n",
		       stats.slot_changes, stats.reads);
	TEST_ASSERT(stats.slot_changes > 100, "the VMM changed slots %lu times",
		    stats.slot_changes);
	kvmintro_unload();
	vm_destroy(vm);
}



/*
 * With kprobes off kvmintro never sees the VM die; its files must answer
 * ENODEV (or be gone), and the next vms read must drop it.
 */
static void test_destroy_unseen(void)
{
	struct kvmintro_vms_line lines[64];
	char file[192], *text;
	int status, n, i;
	pid_t pid;

	if (kvmintro_locked_down())
		ksft_exit_skip("locked down: kprobes/enabled is a writable debugfs file, which the kernel refuses to open\n");
	kvmintro_load();
	pid = kvmintro_spawn_vmm();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), true,
				       TIMEOUT_MS), "no directory");
	snprintf(file, sizeof(file), "%s/memslots", kvmintro_vm_path(pid, 0));
	text = kvmintro_read(file);
	TEST_ASSERT(text, "memslots of the live VM: %s", strerror(errno));
	free(text);

	kvmintro_kprobes_enable(false);
	kill(pid, SIGKILL);
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	kvmintro_wait_kvm_frees_vm_of(pid);
	for (i = 0; i < 20; i++) {
		text = kvmintro_read(file);
		TEST_ASSERT(!text && (errno == ENODEV || errno == ENOENT),
			    "memslots of a freed VM: %s",
			    text ? "read" : strerror(errno));
	}
	kvmintro_kprobes_enable(true);
	n = kvmintro_vms(lines, 64);
	TEST_ASSERT(n >= 0, "vms: %d", n);
	for (i = 0; i < n; i++)
		TEST_ASSERT(lines[i].pid != pid, "freed VM still listed");
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), false,
				       TIMEOUT_MS), "directory stays");
	kvmintro_unload();
}

/*
 * One process destroys a VM and creates another while kprobes are off:
 * the slab often gives the new struct kvm the old one's address.  The new
 * VM must show its own memslots, never the old one's.
 */
static void test_new_vm_where_old_was(void)
{
	struct kvmintro_memslots_line slots[8];
	struct kvmintro_vms_line lines[64];
	char dir[192];
	struct kvm_vm *vm;
	int round, n, i, mine;

	if (kvmintro_locked_down())
		ksft_exit_skip("locked down: kprobes/enabled is a writable debugfs file, which the kernel refuses to open\n");
	kvmintro_load();
	for (round = 0; round < 5; round++) {
		vm = vm_create();
		vm_add_memslot(vm, VM_MEM_ANON, 0, 0x100000ULL * (round + 1),
			       SZ_2M, 0);
		n = kvmintro_vms(lines, 64);
		TEST_ASSERT(n > 0, "vms: %d", n);
		for (i = 0, mine = 0; i < n; i++) {
			if (lines[i].pid != getpid())
				continue;
			mine++;
			snprintf(dir, sizeof(dir), "%s/%s", kvmintro_root(),
				 lines[i].dir);
		}
		TEST_ASSERT(mine == 1, "round %d: %d VMs of this process listed",
			    round, mine);
		n = kvmintro_memslots(dir, slots, 8);
		TEST_ASSERT(n == 1, "round %d: %d slots", round, n);
		TEST_ASSERT_EQ(slots[0].gpa, 0x100000ULL * (round + 1));
		kvmintro_kprobes_enable(false);
		vm_destroy(vm);
	}
	kvmintro_kprobes_enable(true);
	kvmintro_unload();
}

struct one_thread {
	struct kvm_vm *vm;
	pthread_t thread;
	bool stop;
};

/* One thread runs both vcpus of the VM, taking turns, as some VMMs do. */
static void *one_thread_main(void *arg)
{
	struct one_thread *t = arg;

	while (!READ_ONCE(t->stop)) {
		vcpu_run(t->vm->vcpus[0]);
		vcpu_run(t->vm->vcpus[1]);
	}
	return NULL;
}


static void test_one_thread_two_vcpus(void)
{
	struct kvm_vm *vm = kvmintro_vm_create_exiting(2);
	struct one_thread t = { .vm = vm };
	uint64_t c0, c1;
	int i, r;

	TEST_ASSERT(!pthread_create(&t.thread, NULL, one_thread_main, &t),
		    "pthread_create");
	kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);
	load_and_wait();
	for (i = 0; i < 10; i++) {
		r = kvmintro_write(vm_file("snapshot"), "pause");
		TEST_ASSERT(!r, "pause %d of a thread running two vcpus: %s",
			    i, strerror(-r));
		c0 = vcpu_guest_counter(vm->vcpus[0]);
		c1 = vcpu_guest_counter(vm->vcpus[1]);
		sleep_ms(50);
		TEST_ASSERT(vcpu_guest_counter(vm->vcpus[0]) == c0 &&
			    vcpu_guest_counter(vm->vcpus[1]) == c1,
			    "pause %d: a vcpu ran while paused", i);
		r = kvmintro_write(vm_file("snapshot"), "resume");
		TEST_ASSERT(!r, "resume: %s", strerror(-r));
		kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);
	}
	WRITE_ONCE(t.stop, true);
	pthread_join(t.thread, NULL);
	kvmintro_unload();
	vm_destroy(vm);
}

/* A vcpu created and started while paused must not run until resume. */
static void test_vcpu_created_while_paused(void)
{
	struct kvm_vcpu *first, *late;
	struct kvm_vm *vm = kvmintro_vm_create_spinning(&first);
	uint64_t runs;
	int r;

	kvmintro_wait_counter_moves(first, TIMEOUT_MS);
	load_and_wait();

	r = kvmintro_write(vm_file("snapshot"), "pause");
	TEST_ASSERT(!r, "pause: %s", strerror(-r));
	late = vcpu_add(vm, 1);
	vcpu_guest_load(late, GUEST_SPIN);
	vcpu_thread_create(late, NULL);
	vcpu_thread_go(late);
	sleep_ms(500);
	runs = READ_ONCE(late->stats.runs);
	TEST_ASSERT(runs >= 1, "the late vcpu's thread never called KVM_RUN");
	TEST_ASSERT(vcpu_guest_counter(late) == 0,
		    "a vcpu created while paused ran %lu guest iterations",
		    (unsigned long)vcpu_guest_counter(late));
	r = kvmintro_write(vm_file("snapshot"), "capture");
	TEST_ASSERT(!r, "capture while paused with the late vcpu: %s",
		    strerror(-r));
	r = kvmintro_write(vm_file("snapshot"), "resume");
	TEST_ASSERT(!r, "resume: %s", strerror(-r));
	kvmintro_wait_counter_moves(late, TIMEOUT_MS);
	kvmintro_unload();
	vm_destroy(vm);
}

/*
 * Every other page of 8 MiB touched, in a shuffled order so that no two
 * neighbours are physically consecutive: over a thousand runs, about
 * 100 KiB of table.
 */
static struct kvm_vm *vm_create_scattered(void)
{
	struct kvm_vm *vm = vm_create();
	unsigned int order[1024], i, j, tmp;
	char *hva;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, 8ULL << 20, 0);
	hva = addr_gpa2hva(vm, 0);
	TEST_ASSERT(!madvise(hva, 8ULL << 20, MADV_NOHUGEPAGE), "madvise");
	for (i = 0; i < 1024; i++)
		order[i] = i;
	srand(9);
	for (i = 1023; i > 0; i--) {
		j = rand() % (i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < 1024; i++)
		hva[order[i] * 2 * SZ_4K] = 1;
	vcpu_add(vm, 0);
	return vm;
}

static void test_capture_table_bounded(void)
{
	struct kvm_vm *vm;
	char *text, *regs, source[16];
	int r;

	/* The limit's own bounds: 4 and 1 GiB accepted, one past refused. */
	TEST_ASSERT(__kvmintro_load_params("capture_table_max_kb=3") == -EINVAL,
		    "capture_table_max_kb=3 accepted");
	TEST_ASSERT(__kvmintro_load_params("capture_table_max_kb=1048577") ==
		    -EINVAL, "capture_table_max_kb=1048577 accepted");
	TEST_ASSERT(__kvmintro_load_params("capture_table_max_kb=junk") ==
		    -EINVAL, "capture_table_max_kb=junk accepted");
	TEST_ASSERT(!kvmintro_loaded(), "loaded with a refused parameter");

	vm = vm_create_scattered();
	TEST_ASSERT(!__kvmintro_load_params("capture_table_max_kb=16"),
		    "capture_table_max_kb=16");
	TEST_ASSERT(kvmintro_wait_path(vm_file("vcpu0/regs"), true, TIMEOUT_MS),
		    "no vcpu0/regs");
	text = kvmintro_read(vm_file("gpa_hpa"));
	TEST_ASSERT(text && strlen(text) > 32 * 1024,
		    "the live table is %zu bytes, want over 32 KiB",
		    text ? strlen(text) : 0);
	free(text);
	r = kvmintro_write(vm_file("snapshot"), "capture");
	TEST_ASSERT(!r, "capture: %s", strerror(-r));
	text = kvmintro_read(vm_file("snapshot_gpa_hpa"));
	TEST_ASSERT(!text && errno == EFBIG,
		    "a table over 16 KiB captured: %s",
		    text ? "read" : strerror(errno));
	regs = kvmintro_read(vm_file("vcpu0/regs"));
	TEST_ASSERT(regs && kvmintro_kv_str(regs, "source", source, sizeof(source)) &&
		    !strcmp(source, "capture"),
		    "registers not captured with the table refused");
	free(regs);

	TEST_ASSERT(!kvmintro_write("/sys/module/kvmintro/parameters/capture_table_max_kb",
				    "4096"), "raise the limit at run time");
	TEST_ASSERT(kvmintro_write("/sys/module/kvmintro/parameters/capture_table_max_kb",
				   "2") == -EINVAL, "2 KiB accepted at run time");
	r = kvmintro_write(vm_file("snapshot"), "capture");
	TEST_ASSERT(!r, "capture: %s", strerror(-r));
	text = kvmintro_read(vm_file("snapshot_gpa_hpa"));
	TEST_ASSERT(text && strlen(text) > 32 * 1024,
		    "the table under a 4 MiB limit: %s",
		    text ? "short" : strerror(errno));
	free(text);
	kvmintro_unload();
	vm_destroy(vm);
}

/* vcpu= is a 32-bit index: 2^32 is refused, not read as vcpu 0. */
static void test_gva_vcpu_width(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = kvmintro_vm_create_spinning(&vcpu);
	static const char *const bad[] = {
		"0x1000 vcpu=4294967296", "0x1000 vcpu=0x100000000",
		"0x1000 vcpu=18446744073709551615", "0x1000 vcpu=4294967295",
		"0x1000 vcpu=1",
	};
	struct kvmintro_record_list *walk;
	char *before, *after;
	unsigned int i;
	int r;

	load_and_wait();
	TEST_ASSERT(!kvmintro_write(vm_file("snapshot"), "capture"), "capture");
	before = kvmintro_vm_request("gva", "0x1000 vcpu=0");
	TEST_ASSERT(before, "gva of vcpu 0: %s", strerror(errno));
	walk = kvmintro_records_parse(strdup(before));
	TEST_ASSERT(kvmintro_field_u64(kvmintro_records_at(walk, 0), "vcpu") == 0,
		    "gva of vcpu 0:\n%s", before);
	kvmintro_records_free(walk);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r = kvmintro_write(vm_file("gva"), bad[i]);
		TEST_ASSERT(r == -EINVAL, "gva '%s': %s", bad[i],
			    r ? strerror(-r) : "accepted");
		after = kvmintro_read(vm_file("gva"));
		TEST_ASSERT(after && !strcmp(before, after),
			    "gva '%s' changed the reply", bad[i]);
		free(after);
	}
	free(before);
	kvmintro_unload();
	vm_destroy(vm);
}

/* A forked child's KVM_RUN fails (-EIO) and must not count as the vcpu's. */
static void test_forked_child_run(void)
{
	struct kvmintro_vcpus_line before[2], after[2];
	struct kvm_vm *vm = kvmintro_vm_create_exiting(1);
	struct kvm_vcpu *vcpu = vm->vcpus[0];
	int status, i, n;
	pid_t pid;

	for (i = 0; i < 3; i++)
		vcpu_run(vcpu);
	load_and_wait();
	vcpu_run(vcpu);
	n = kvmintro_vcpus(kvmintro_vm_path(getpid(), 0), before, 2);
	TEST_ASSERT(n == 1 && before[0].tid == gettid() && before[0].runs == 1,
		    "vcpus: %d lines, tid %d runs %lu", n, before[0].tid,
		    (unsigned long)before[0].runs);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		for (i = 0; i < 5; i++)
			if (__vcpu_run(vcpu) != -EIO)
				_exit(1);
		_exit(0);
	}
	TEST_ASSERT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    !WEXITSTATUS(status), "the child's KVM_RUN was not -EIO");
	n = kvmintro_vcpus(kvmintro_vm_path(getpid(), 0), after, 2);
	TEST_ASSERT(n == 1 && after[0].tid == before[0].tid &&
		    after[0].runs == before[0].runs,
		    "after the child's KVM_RUNs: tid %d runs %lu",
		    after[0].tid, (unsigned long)after[0].runs);
	kvmintro_unload();
	vm_destroy(vm);
}

/*
 * Open and read a byte of @path in a child that dropped CAP_SYS_PTRACE
 * from its bounding, effective, permitted and inheritable sets (as
 * `setpriv --inh-caps=-sys_ptrace --bounding-set=-sys_ptrace` does, which
 * busybox's setpriv cannot): 0 if it could, else the errno it got.
 */
static int read_without_cap_sys_ptrace(const char *path)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int status, fd;
	pid_t pid;
	char c;

	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		if (prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE) ||
		    syscall(SYS_capget, &header, data))
			_exit(255);
		data[0].effective &= ~(1U << CAP_SYS_PTRACE);
		data[0].permitted &= ~(1U << CAP_SYS_PTRACE);
		data[0].inheritable &= ~(1U << CAP_SYS_PTRACE);
		if (syscall(SYS_capset, &header, data))
			_exit(255);
		fd = open(path, O_RDONLY);
		if (fd < 0 || read(fd, &c, 1) < 0)
			_exit(errno);
		_exit(0);
	}
	TEST_ASSERT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) != 255,
		    "child without CAP_SYS_PTRACE for %s", path);
	return WEXITSTATUS(status);
}

/*
 * Yama's ptrace_scope=2: attaching needs CAP_SYS_PTRACE.  A root process
 * without it reads neither /proc/<vmm>/mem nor kvmintro's files of that
 * VMM; with it, both.
 */
static void test_ptrace_policy(void)
{
	static const char *const files[] = {
		"memslots", "vcpus", "gpa_hpa", "mem", "snapshot",
		"snapshot_gpa_hpa", "vcpu0/regs", "gva", "translate",
	};
	const char *scope = "/proc/sys/kernel/yama/ptrace_scope";
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	char old[16], mem[64], *text;
	unsigned int i;
	int r;

	if (read_text_file(scope, old, sizeof(old)) < 0)
		ksft_exit_skip("no Yama in this kernel (%s)\n", scope);
	vm = kvmintro_vm_create_spinning(&vcpu);
	load_and_wait();
	TEST_ASSERT(!kvmintro_write(vm_file("snapshot"), "capture"), "capture");
	TEST_ASSERT(!kvmintro_write(scope, "2"), "ptrace_scope=2");
	/* The independent truth: the kernel's own rule for /proc/<pid>/mem. */
	snprintf(mem, sizeof(mem), "/proc/%d/mem", getpid());
	r = read_without_cap_sys_ptrace(mem);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		TEST_ASSERT(read_without_cap_sys_ptrace(vm_file(files[i])) ==
			    EACCES, "%s readable without CAP_SYS_PTRACE",
			    files[i]);
		if (!strcmp(files[i], "mem") || !strcmp(files[i], "gva") ||
		    !strcmp(files[i], "translate"))
			continue;
		text = kvmintro_read(vm_file(files[i]));
		TEST_ASSERT(text, "%s unreadable with CAP_SYS_PTRACE: %s",
			    files[i], strerror(errno));
		free(text);
	}
	TEST_ASSERT(!kvmintro_write(scope, old), "ptrace_scope back");
	TEST_ASSERT(r == EACCES, "/proc/<pid>/mem readable without CAP_SYS_PTRACE (%s): the check proves nothing",
		    r ? strerror(r) : "read");
	kvmintro_unload();
	vm_destroy(vm);
}

static bool dirty_bit(struct kvm_vm *vm, uint64_t page)
{
	uint64_t bitmap[8] = { 0 };

	TEST_ASSERT(!vm_get_dirty_log(vm, 0, bitmap), "KVM_GET_DIRTY_LOG");
	return bitmap[page / 64] >> (page % 64) & 1;
}

/* With dirty logging on, a write through mem is in KVM's dirty log. */
static void test_mem_write_logged(void)
{
	struct kvm_vm *vm = vm_create();
	uint64_t value = 0x1122334455667788ULL;
	int fd;

	if (kvmintro_locked_down())
		ksft_exit_skip("locked down: writing guest memory is refused (memory_test checks that)\n");
	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, KVM_MEM_LOG_DIRTY_PAGES);
	memset(addr_gpa2hva(vm, 0), 0, SZ_2M);
	TEST_ASSERT(!__kvmintro_load_params("allow_write=1"), "allow_write=1");
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	dirty_bit(vm, 0);	/* clears the log */
	TEST_ASSERT(!dirty_bit(vm, 0x37), "page 0x37 dirty before the write");
	fd = open(vm_file("mem"), O_WRONLY);
	TEST_ASSERT(fd >= 0, "open mem");
	TEST_ASSERT(pwrite(fd, &value, 8, 0x37ff8) == 8, "write to mem");
	close(fd);
	TEST_ASSERT(*(uint64_t *)addr_gpa2hva(vm, 0x37ff8) == value,
		    "the write did not reach guest memory");
	TEST_ASSERT(dirty_bit(vm, 0x37), "a write through mem is not logged");
	TEST_ASSERT(!dirty_bit(vm, 0x37), "the log was not cleared");
	kvmintro_unload();
	vm_destroy(vm);
}

/* The directory is there when the VMM gets its VM, not some time later. */
static void test_directory_at_create(void)
{
	struct kvm_vm *vm;
	int round;

	kvmintro_load();
	for (round = 0; round < 20; round++) {
		vm = vm_create();
		TEST_ASSERT(!access(kvmintro_vm_path(getpid(), 0), F_OK),
			    "round %d: no directory when KVM_CREATE_VM returned",
			    round);
		vm_destroy(vm);
		TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0),
					       false, TIMEOUT_MS),
			    "round %d: directory stays", round);
	}
	kvmintro_unload();
}

#define CREATORS	64

/*
 * Many VMMs creating their VMs at the same moment, many /dev/kvm ioctls in
 * flight at once: each finds its directory when its KVM_CREATE_VM returns.
 */
static void test_directory_at_create_many(void)
{
	int go[2], status, missing = 0, i;
	pid_t pids[CREATORS];
	char byte;

	kvmintro_load();
	TEST_ASSERT(!pipe(go), "pipe");
	for (i = 0; i < CREATORS; i++) {
		pids[i] = fork();
		TEST_ASSERT(pids[i] >= 0, "fork");
		if (pids[i])
			continue;
		close(go[1]);
		/* Everyone starts when the parent closes its end. */
		if (read(go[0], &byte, 1))
			_exit(2);
		vm_create();
		_exit(access(kvmintro_vm_path(getpid(), 0), F_OK) ? 1 : 0);
	}
	close(go[0]);
	close(go[1]);
	for (i = 0; i < CREATORS; i++) {
		TEST_ASSERT(waitpid(pids[i], &status, 0) == pids[i], "waitpid");
		/* 0: directory there, 1: missing; anything else: it failed. */
		TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) <= 1,
			    "creator %d: status 0x%x", i, status);
		missing += WEXITSTATUS(status);
	}
	TEST_ASSERT(!missing, "%d of %d VMs had no directory when KVM_CREATE_VM returned",
		    missing, CREATORS);
	ksft_print_msg("reliability: %d VMs created at once, each with its directory at KVM_CREATE_VM's return\n",
		       CREATORS);
	kvmintro_unload();
}

struct creator {
	struct kvm_vm *vm;
	pid_t tid;
};

static void *create_vm_thread(void *arg)
{
	struct creator *c = arg;

	c->tid = gettid();
	c->vm = vm_create();
	return NULL;
}

/*
 * KVM names a VM's stats "kvm-<tid>" after the thread that created it.
 * That thread exits; another process gets its id (ns_last_pid); kvmintro
 * then loads: the VM must still be named after this process.
 */
static void test_creator_id_reused(void)
{
	struct kvmintro_vms_line lines[64];
	struct creator c = { 0 };
	pthread_t thread;
	int pipefd[2], n, i, mine = 0, theirs = 0, status;
	char last[32], byte = 0;
	pid_t other;

	TEST_ASSERT(!pthread_create(&thread, NULL, create_vm_thread, &c) &&
		    !pthread_join(thread, NULL) && c.vm, "VM from a thread");
	TEST_ASSERT(!pipe(pipefd), "pipe");
	snprintf(last, sizeof(last), "%d", c.tid - 1);
	if (kvmintro_write("/proc/sys/kernel/ns_last_pid", last))
		ksft_exit_skip("cannot set ns_last_pid\n");
	other = fork();
	TEST_ASSERT(other >= 0, "fork");
	if (!other) {
		close(pipefd[1]);
		/* Hold the id until told. */
		TEST_ASSERT(read(pipefd[0], &byte, 1) >= 0, "read");
		_exit(0);
	}
	close(pipefd[0]);
	if (other != c.tid) {
		TEST_ASSERT(write(pipefd[1], &byte, 1) == 1, "write");
		waitpid(other, &status, 0);
		ksft_exit_skip("another process took id %d first\n", c.tid);
	}
	kvmintro_load();
	n = kvmintro_vms(lines, 64);
	TEST_ASSERT(n > 0, "vms: %d", n);
	for (i = 0; i < n; i++) {
		mine += lines[i].pid == getpid();
		theirs += lines[i].pid == other;
	}
	TEST_ASSERT(write(pipefd[1], &byte, 1) == 1, "write");
	waitpid(other, &status, 0);
	TEST_ASSERT(mine == 1 && !theirs,
		    "VM listed as %d's %d time(s), as %d's (the reused id) %d time(s)",
		    getpid(), mine, other, theirs);
	TEST_ASSERT(!access(kvmintro_vm_path(getpid(), 0), F_OK),
		    "no directory named after the VMM");
	kvmintro_unload();
	vm_destroy(c.vm);
}

static const struct kvmintro_case cases[] = {
	{ "reliability: memslots change under every reader",
	  test_memslot_churn },
	{ "reliability: a VM destroyed unseen (kprobes off)",
	  test_destroy_unseen },
	{ "reliability: a new VM where a dead one was (kprobes off)",
	  test_new_vm_where_old_was },
	{ "reliability: pause a thread that runs two vcpus",
	  test_one_thread_two_vcpus },
	{ "reliability: a vcpu created while paused stays out",
	  test_vcpu_created_while_paused },
	{ "reliability: capture's table bounded by capture_table_max_kb",
	  test_capture_table_bounded },
	{ "reliability: gva vcpu= beyond 32 bits is EINVAL",
	  test_gva_vcpu_width },
	{ "reliability: a forked child's KVM_RUN is not the vcpu's",
	  test_forked_child_run },
	{ "reliability: Yama ptrace_scope=2 applies to kvmintro's files",
	  test_ptrace_policy },
	{ "reliability: a write through mem is in the dirty log",
	  test_mem_write_logged },
	{ "reliability: a VM's directory is there when KVM_CREATE_VM returns",
	  test_directory_at_create },
	{ "reliability: 64 VMs created at once each have their directory at KVM_CREATE_VM's return",
	  test_directory_at_create_many },
	{ "reliability: a VM is named after its VMM, not a reused thread id",
	  test_creator_id_reused },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
