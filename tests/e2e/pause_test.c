// SPDX-License-Identifier: GPL-2.0
/*
 * Pausing, resuming and capturing a VM through <dir>/snapshot, against
 * what this process, as the VMM, sees of its own guest:
 *  - a spinning guest's counter (read through the VMM's mapping) freezes
 *    while paused and moves again after resume;
 *  - four vcpus, exiting to the VMM, spinning, halted in the kernel and
 *    never run, paused and resumed 1000 times, then all still run;
 *  - a pause that cannot reach a vcpu times out, with the VM running;
 *  - a VM whose VMM dies while paused, and rmmod while paused;
 *  - garbage written to snapshot is -EINVAL and changes nothing;
 *  - in a VM of 70 vcpus, the hook counts the KVM_RUNs a thread makes on
 *    vcpus either side of the 64th, and holds each while paused.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000

static char snapshot_path[192];

static struct kvm_vm *vm_create_guests(const enum vm_guest_kind *kinds,
				       unsigned int nr_vcpus)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu;
	unsigned int i;

	vm_create_irqchip(vm);
	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_DEFAULT);
	virt_identity_map_memslots(vm, SZ_2M);
	for (i = 0; i < nr_vcpus; i++) {
		vcpu = vcpu_add(vm, i);
		vcpu_guest_load(vcpu, kinds[i]);
		if (kinds[i] == GUEST_IDLE)
			continue;
		vcpu_thread_create(vcpu, NULL);
		vcpu_thread_go(vcpu);
	}
	return vm;
}

static void snapshot(const char *command)
{
	int r = kvmintro_write(snapshot_path, command);

	TEST_ASSERT(!r, "echo %s > snapshot: %s", command, strerror(-r));
}

static char *snapshot_state(char *state, size_t size)
{
	char *text = kvmintro_read(snapshot_path);

	TEST_ASSERT(text, "reading snapshot: %s", strerror(errno));
	TEST_ASSERT(kvmintro_kv_str(text, "state", state, size),
		    "no state= in '%s'", text);
	return text;
}

static void load_and_find(pid_t pid)
{
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), true,
				       TIMEOUT_MS), "no VM directory");
	snprintf(snapshot_path, sizeof(snapshot_path), "%s/snapshot",
		 kvmintro_vm_path(pid, 0));
}

/* Is thread @tid asleep in ioctl(KVM_RUN)?  (/proc/<tid>/syscall) */
static bool thread_in_kvm_run(pid_t tid)
{
	unsigned long nr, fd, cmd;
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	if (read_text_file(path, buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%lu %lx %lx", &nr, &fd, &cmd) != 3)
		return false;
	return nr == SYS_ioctl && cmd == KVM_RUN;
}

static void test_progress_freezes(void)
{
	const enum vm_guest_kind kinds[] = { GUEST_SPIN, GUEST_EXIT };
	struct kvm_vm *vm = vm_create_guests(kinds, 2);
	uint64_t spin, exits;
	char state[16];

	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);
	load_and_find(getpid());

	snapshot("pause");
	free(snapshot_state(state, sizeof(state)));
	TEST_ASSERT(!strcmp(state, "paused"), "state=%s after pause", state);
	spin = vcpu_guest_counter(vm->vcpus[0]);
	exits = vcpu_guest_counter(vm->vcpus[1]);
	sleep_ms(500);
	TEST_ASSERT(vcpu_guest_counter(vm->vcpus[0]) == spin,
		    "spinning guest ran while paused");
	TEST_ASSERT(vcpu_guest_counter(vm->vcpus[1]) == exits,
		    "exiting guest ran while paused");

	snapshot("resume");
	free(snapshot_state(state, sizeof(state)));
	TEST_ASSERT(!strcmp(state, "running"), "state=%s after resume", state);
	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);

	/* capture = pause + record + resume: running again afterwards. */
	snapshot("capture");
	free(snapshot_state(state, sizeof(state)));
	TEST_ASSERT(!strcmp(state, "running"), "state=%s after capture", state);
	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	vm_destroy(vm);
	kvmintro_unload();
}

static void test_four_vcpus_1000_pauses(void)
{
	const enum vm_guest_kind kinds[] = {
		GUEST_EXIT, GUEST_SPIN, GUEST_HALT, GUEST_IDLE,
	};
	struct kvm_vm *vm = vm_create_guests(kinds, 4);
	uint64_t latency, max_latency = 0, spin, exits, eintr;
	struct vcpu_stats stats;
	char *text, state[16];
	bool blocked;
	int i;

	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);
	TEST_ASSERT(vcpu_guest_counter(vm->vcpus[2]) == 1 ||
		    (sleep_ms(500), vcpu_guest_counter(vm->vcpus[2]) == 1),
		    "halt guest did not reach its halt");
	load_and_find(getpid());

	for (i = 0; i < 1000; i++) {
		snapshot("pause");
		exits = vcpu_guest_counter(vm->vcpus[0]);
		spin = vcpu_guest_counter(vm->vcpus[1]);
		if (i % 100 == 0) {
			/* Stopped means stopped, even for a little while. */
			sleep_ms(20);
			TEST_ASSERT(vcpu_guest_counter(vm->vcpus[0]) == exits &&
				    vcpu_guest_counter(vm->vcpus[1]) == spin,
				    "pause %d: a guest ran while paused", i);
		}
		text = snapshot_state(state, sizeof(state));
		TEST_ASSERT(!strcmp(state, "paused"), "pause %d: state=%s", i,
			    state);
		TEST_ASSERT(kvmintro_kv_u64(text, "pause_latency_ns", &latency),
			    "no pause_latency_ns");
		if (latency > max_latency)
			max_latency = latency;
		free(text);
		snapshot("resume");
	}
	ksft_print_msg("1000 pauses, slowest reached all vcpus in %" PRIu64 " us\n",
		       max_latency / 1000);

	/* Every vcpu still does what it did. */
	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);
	/*
	 * The halted vcpu went back into KVM_RUN after the last resume; on a
	 * slow L1 it may take a while to be blocked there again (the file
	 * says "running" until then): give it up to TIMEOUT_MS.  One sample
	 * decides: a second one could catch the thread on a CPU for a moment
	 * (halt polling, a wakeup) and read "running".
	 */
	for (i = 0, blocked = false; i < TIMEOUT_MS / 10; i++) {
		blocked = thread_in_kvm_run(vm->vcpus[2]->tid);
		if (blocked)
			break;
		sleep_ms(10);
	}
	TEST_ASSERT(blocked, "halted vcpu is no longer halted in KVM_RUN");
	TEST_ASSERT_EQ(vcpu_guest_counter(vm->vcpus[2]), 1);
	TEST_ASSERT_EQ(vcpu_guest_counter(vm->vcpus[3]), 0);
	for (i = 0; i < 3; i++)
		TEST_ASSERT(!vm->vcpus[i]->error[0], "vcpu %d: %s", i,
			    vm->vcpus[i]->error);
	vcpu_stats_read(vm->vcpus[0], &stats);
	eintr = stats.eintr;
	ksft_print_msg("exiting vcpu saw KVM_RUN return -EINTR %" PRIu64 " times\n",
		       eintr);
	vm_destroy(vm);
	kvmintro_unload();
}

static void test_pause_times_out(void)
{
	char state[16];
	int r, status;
	pid_t pid;

	pid = kvmintro_spawn_vmm();
	load_and_find(pid);
	TEST_ASSERT(!kvmintro_write("/sys/module/kvmintro/parameters/pause_timeout_ms",
				    "300"), "setting pause_timeout_ms");
	kill(pid, SIGSTOP);
	sleep_ms(100);
	r = kvmintro_write(snapshot_path, "pause");
	TEST_ASSERT(r == -ETIMEDOUT, "pause of a stopped VMM: %s",
		    strerror(-r));
	free(snapshot_state(state, sizeof(state)));
	TEST_ASSERT(!strcmp(state, "running"), "state=%s after a failed pause",
		    state);
	kill(pid, SIGCONT);
	r = kvmintro_write(snapshot_path, "capture");
	TEST_ASSERT(!r, "capture after SIGCONT: %s", strerror(-r));

	/* And a VMM that dies while paused is released cleanly. */
	snapshot("pause");
	kill(pid, SIGKILL);
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), false,
				       TIMEOUT_MS),
		    "directory of a VM killed while paused stays");
	kvmintro_unload();
}

static void test_rmmod_while_paused(void)
{
	const enum vm_guest_kind kinds[] = { GUEST_SPIN, GUEST_EXIT };
	struct kvm_vm *vm = vm_create_guests(kinds, 2);
	uint64_t spin;

	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	load_and_find(getpid());
	snapshot("pause");
	spin = vcpu_guest_counter(vm->vcpus[0]);
	sleep_ms(200);
	TEST_ASSERT_EQ(vcpu_guest_counter(vm->vcpus[0]), spin);
	kvmintro_unload();
	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);
	vm_destroy(vm);
}

struct held_run {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	bool returned;
};

static const unsigned int probe_vcpus[] = { 0, 63, 64, 69 };

/*
 * Vcpu probe_vcpus[i] runs 3 + i times, in a thread of its own (not the one
 * that pauses: pausing would kick it); returns the thread's id.
 */
static void *counted_runs_thread(void *arg)
{
	struct kvm_vm *vm = arg;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(probe_vcpus); i++)
		for (j = 0; j < 3 + i; j++)
			vcpu_run_immediate_exit(vm->vcpus[probe_vcpus[i]]);
	return (void *)(intptr_t)gettid();
}

static void *held_run_thread(void *arg)
{
	struct held_run *run = arg;

	vcpu_run_immediate_exit(run->vcpu);
	__atomic_store_n(&run->returned, true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * The KVM_RUN hook finds the first 64 vcpus of a VM by array index and the
 * others in an xarray: vcpus on both sides are counted (each a different
 * number of times, made here), their thread recorded, and held while the
 * VM is paused.  No guest runs: a KVM_RUN with immediate_exit set passes
 * the hook and returns without entering the guest.
 */
static void test_vcpus_past_the_64th(void)
{
	struct held_run held[ARRAY_SIZE(probe_vcpus)];
	struct kvmintro_vcpus_line lines[80];
	const unsigned int nr_vcpus = 70;
	struct kvm_vm *vm = vm_create();
	uint64_t start, want;
	char vm_path[128];
	pthread_t runner;
	unsigned int i, j;
	void *tid;
	int n;

	for (i = 0; i < nr_vcpus; i++)
		vcpu_add(vm, i);
	load_and_find(getpid());
	snprintf(vm_path, sizeof(vm_path), "%s", kvmintro_vm_path(getpid(), 0));
	start = clock_ns();
	while ((n = kvmintro_vcpus(vm_path, lines, 80)) != (int)nr_vcpus &&
	       clock_ns() - start < TIMEOUT_MS * 1000000ULL)
		sleep_ms(20);
	TEST_ASSERT_EQ(n, (int)nr_vcpus);

	TEST_ASSERT(!pthread_create(&runner, NULL, counted_runs_thread, vm),
		    "pthread_create");
	pthread_join(runner, &tid);
	TEST_ASSERT_EQ(kvmintro_vcpus(vm_path, lines, 80), (int)nr_vcpus);
	for (i = 0; i < nr_vcpus; i++) {
		for (j = 0, want = 0; j < ARRAY_SIZE(probe_vcpus); j++)
			if (probe_vcpus[j] == i)
				want = 3 + j;
		TEST_ASSERT_EQ(lines[i].index, i);
		TEST_ASSERT(lines[i].runs == want,
			    "vcpu %u: runs %" PRIu64 ", the runner made %" PRIu64,
			    i, lines[i].runs, want);
		TEST_ASSERT(!want || lines[i].tid == (pid_t)(intptr_t)tid,
			    "vcpu %u: tid %d, run by %d", i, lines[i].tid,
			    (pid_t)(intptr_t)tid);
	}

	snapshot("pause");
	for (i = 0; i < ARRAY_SIZE(held); i++) {
		held[i] = (struct held_run){ .vcpu = vm->vcpus[probe_vcpus[i]] };
		TEST_ASSERT(!pthread_create(&held[i].thread, NULL,
					    held_run_thread, &held[i]),
			    "pthread_create");
	}
	sleep_ms(500);
	for (i = 0; i < ARRAY_SIZE(held); i++)
		TEST_ASSERT(!__atomic_load_n(&held[i].returned, __ATOMIC_ACQUIRE),
			    "vcpu %u: KVM_RUN came back while the VM was paused",
			    probe_vcpus[i]);
	snapshot("resume");
	for (i = 0; i < ARRAY_SIZE(held); i++) {
		pthread_join(held[i].thread, NULL);
		TEST_ASSERT(held[i].returned, "vcpu %u: no return", probe_vcpus[i]);
	}
	vm_destroy(vm);
	kvmintro_unload();
}

/* Every rejected write leaves the file's state exactly as it was. */
static void test_snapshot_bad_input(void)
{
	const enum vm_guest_kind kinds[] = { GUEST_SPIN };
	static const char *const garbage[] = {
		"", "\n", "paus", "pausee", "PAUSE", "pause resume",
		"capture 1", "resume\nresume", "-1", "0x10", "\xff\xfe",
	};
	struct kvm_vm *vm = vm_create_guests(kinds, 1);
	char *before, *after, huge[8192];
	unsigned int i;
	int r, fd;

	load_and_find(getpid());
	snapshot("capture");
	before = kvmintro_read(snapshot_path);
	TEST_ASSERT(before, "read snapshot");
	for (i = 0; i < ARRAY_SIZE(garbage); i++) {
		r = kvmintro_write(snapshot_path, garbage[i]);
		if (!garbage[i][0]) {
			/* write(fd, "", 0): nothing to parse. */
			TEST_ASSERT(r == 0 || r == -EINVAL, "empty write: %d", r);
			continue;
		}
		TEST_ASSERT(r == -EINVAL, "'%s': %s, want EINVAL", garbage[i],
			    strerror(-r));
	}
	/* An embedded NUL is not the end of the command. */
	fd = open(snapshot_path, O_WRONLY);
	TEST_ASSERT(fd >= 0, "open snapshot");
	TEST_ASSERT(write(fd, "pause\0x", 7) < 0 && errno == EINVAL,
		    "'pause\\0x' accepted");
	close(fd);
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	TEST_ASSERT_EQ(kvmintro_write(snapshot_path, huge), -EINVAL);
	memcpy(huge, "pause", 5);
	TEST_ASSERT_EQ(kvmintro_write(snapshot_path, huge), -EINVAL);
	after = kvmintro_read(snapshot_path);
	TEST_ASSERT(after && !strcmp(before, after),
		    "state changed by rejected writes:\n%s---\n%s", before, after);
	/* Accepted forms: a trailing newline, surrounding blanks. */
	snapshot("pause\n");
	snapshot("  resume \n");
	free(before);
	free(after);
	vm_destroy(vm);
	kvmintro_unload();
}

static const struct kvmintro_case cases[] = {
	{ "pause: guest progress freezes while paused, resumes after",
	  test_progress_freezes },
	{ "pause: 4 vcpus (exit, spin, halt, never run) x 1000 pause/resume",
	  test_four_vcpus_1000_pauses },
	{ "pause: vcpus either side of the 64th counted and held at KVM_RUN",
	  test_vcpus_past_the_64th },
	{ "pause: a stuck vcpu thread times out the pause, VMM death while paused",
	  test_pause_times_out },
	{ "pause: rmmod while paused resumes the VM",
	  test_rmmod_while_paused },
	{ "pause: bad input to snapshot is -EINVAL, state unchanged",
	  test_snapshot_bad_input },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
