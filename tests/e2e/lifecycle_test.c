// SPDX-License-Identifier: GPL-2.0
/*
 * VMs come and go under kvmintro: a VMM killed with SIGKILL or exiting
 * while one of its files is open, many short-lived VMs, and rmmod with VMs
 * running and files open.  Each must leave no directory, no reference on the VM (KVM
 * frees it: its own debugfs directory goes) and no kernel warning (the
 * runner checks the log after every test).
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000

/*
 * Kill or stop the VMM while @file of its VM is open: the directory must
 * go, KVM must free the VM, and the open file must fail cleanly.
 */
static void vmm_dies_with_file_open(int sig, const char *file)
{
	char path[192], buf[256];
	int fd, status;
	pid_t pid;

	kvmintro_load();
	pid = kvmintro_spawn_vmm();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), true,
				       TIMEOUT_MS), "no directory for the VMM");
	snprintf(path, sizeof(path), "%s/%s", kvmintro_vm_path(pid, 0), file);
	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open %s", path);
	TEST_ASSERT(read(fd, buf, sizeof(buf)) > 0, "first read of %s", path);

	kill(pid, sig);
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), false,
				       TIMEOUT_MS),
		    "directory stays after the VMM died");
	kvmintro_wait_kvm_frees_vm_of(pid);
	lseek(fd, 0, SEEK_SET);
	TEST_ASSERT(read(fd, buf, sizeof(buf)) < 0,
		    "a file of a dead VM still reads");
	ksft_print_msg("read after the VM died: %s\n", strerror(errno));
	TEST_ASSERT(!close(fd), "close");
	kvmintro_unload();
}

static void test_sigkill_with_memslots_open(void)
{
	vmm_dies_with_file_open(SIGKILL, "memslots");
}

static void test_exit_with_vcpus_open(void)
{
	vmm_dies_with_file_open(SIGTERM, "vcpus");
}

/* Many short-lived VMs: every directory comes and goes. */
static void test_many_vms(void)
{
	struct kvmintro_vms_line lines[64];
	int i, j, n, status;
	pid_t pids[20];

	kvmintro_load();
	for (i = 0; i < 20; i++) {
		pid_t pid = kvmintro_spawn_vmm();

		pids[i] = pid;
		TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), true,
					       TIMEOUT_MS), "VM %d: no directory", i);
		kill(pid, SIGKILL);
		TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
		TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), false,
					       TIMEOUT_MS), "VM %d: directory stays", i);
	}
	/* Other VMs may run on this host; none of ours may be left. */
	n = kvmintro_vms(lines, 64);
	TEST_ASSERT(n >= 0, "vms: %d", n);
	for (j = 0; j < n; j++)
		for (i = 0; i < 20; i++)
			TEST_ASSERT(lines[j].pid != pids[i],
				    "dead VM of pid %d still listed", pids[i]);
	kvmintro_unload();
}

/* Every file of a VM directory, and the top-level one. */
static const char *const open_files[] = {
	"memslots", "vcpus", "snapshot", "snapshot_gpa_hpa", "vcpu0/regs",
	"gpa_hpa", "translate", "mem", "scan", "gva", "stage2",
};

/*
 * rmmod with VMs running and files open: refused (EWOULDBLOCK, "in use"),
 * as for any module whose files are open, and nothing changes: the files
 * answer, a paused VM stays paused.  Files in the middle of something are
 * left so: a translate request half-written, a seq_file read halfway.
 * Once the last file is closed, rmmod goes through, resumes the VM and
 * leaves nothing behind (a reload works).
 *
 * /proc/kvmintro's files hold no module reference (procfs has no owner):
 * there rmmod goes through at once, and the files still open fail with
 * EIO from then on.
 */
static void rmmod_with_proc_files_open(int *fds, size_t nr, int vms_fd)
{
	char buf[64];
	size_t i;

	kvmintro_unload();
	TEST_ASSERT(read(fds[0], buf, 8) < 0 && errno == EIO,
		    "memslots read after rmmod: %s", strerror(errno));
	TEST_ASSERT(write(fds[nr - 1], "0x2000\n", 7) < 0 && errno == EIO,
		    "translate written after rmmod: %s", strerror(errno));
	TEST_ASSERT(read(vms_fd, buf, 8) < 0 && errno == EIO,
		    "vms read after rmmod: %s", strerror(errno));
	for (i = 0; i < nr; i++)
		TEST_ASSERT(!close(fds[i]), "close");
	TEST_ASSERT(!close(vms_fd), "close vms");
}

static void test_rmmod_with_files_open(void)
{
	int fds[ARRAY_SIZE(open_files) + 1], vms_fd, i, r;
	const char *dir;
	char path[192], buf[64];
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint64_t before;

	vm = kvmintro_vm_create_spinning(&vcpu);
	kvmintro_load();
	dir = kvmintro_vm_path(getpid(), 0);
	snprintf(path, sizeof(path), "%s/vcpu0/regs", dir);
	TEST_ASSERT(kvmintro_wait_path(path, true, TIMEOUT_MS), "no %s", path);
	TEST_ASSERT(!kvmintro_write(strcat(strcpy(path, dir), "/snapshot"),
				    "capture"), "capture");
	for (i = 0; i < (int)ARRAY_SIZE(open_files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, open_files[i]);
		fds[i] = open(path, O_RDONLY);
		TEST_ASSERT(fds[i] >= 0, "open %s: %s", path, strerror(errno));
	}
	vms_fd = open(kvmintro_vms_path(), O_RDONLY);
	TEST_ASSERT(vms_fd >= 0, "open vms");
	/* A seq_file read left halfway, a request left half-written. */
	TEST_ASSERT(read(fds[0], buf, 8) == 8, "partial read of memslots");
	snprintf(path, sizeof(path), "%s/translate", dir);
	fds[ARRAY_SIZE(open_files)] = open(path, O_WRONLY);
	TEST_ASSERT(fds[ARRAY_SIZE(open_files)] >= 0 &&
		    write(fds[ARRAY_SIZE(open_files)], "0x1000\n", 7) == 7,
		    "a first line written to translate");
	TEST_ASSERT(!kvmintro_write(strcat(strcpy(path, dir), "/snapshot"),
				    "pause"), "pause");

	if (!kvmintro_files_hold_module()) {
		rmmod_with_proc_files_open(fds, ARRAY_SIZE(fds), vms_fd);
		goto unloaded;
	}
	/* Each open file holds the module: refused, whichever is left. */
	for (i = 0; i < (int)ARRAY_SIZE(fds); i++) {
		errno = 0;
		r = syscall(SYS_delete_module, "kvmintro", O_NONBLOCK);
		TEST_ASSERT(r < 0 && errno == EWOULDBLOCK,
			    "rmmod with %zu file(s) open: %s",
			    ARRAY_SIZE(fds) + 1 - i,
			    r ? strerror(errno) : "unloaded");
		TEST_ASSERT(kvmintro_loaded(), "unloaded with files open");
		if (i == 0) {
			/* The files work on; the VM stays paused. */
			TEST_ASSERT(read(fds[0], buf, 8) == 8,
				    "memslots read on after a refused rmmod");
			TEST_ASSERT(write(fds[ARRAY_SIZE(open_files)],
					  "0x2000\n", 7) == 7,
				    "translate written on after a refused rmmod");
			before = vcpu_guest_counter(vcpu);
			sleep_ms(200);
			TEST_ASSERT_EQ(vcpu_guest_counter(vcpu), before);
		}
		TEST_ASSERT(!close(fds[i]), "close");
	}
	errno = 0;
	r = syscall(SYS_delete_module, "kvmintro", O_NONBLOCK);
	TEST_ASSERT(r < 0 && errno == EWOULDBLOCK,
		    "rmmod with vms open: %s", r ? strerror(errno) : "unloaded");
	TEST_ASSERT(!close(vms_fd), "close vms");

	/* The last file closed: rmmod goes, and resumes the paused VM. */
	kvmintro_unload();
unloaded:
	before = vcpu_guest_counter(vcpu);
	sleep_ms(200);
	TEST_ASSERT(vcpu_guest_counter(vcpu) > before,
		    "guest stopped after rmmod");
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory after reload");
	kvmintro_unload();
	vm_destroy(vm);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The files of a directory, as "name mode" lines sorted by name (mode
 * octal, "dir" for a directory), into @buf.
 */
static void list_dir(const char *path, char *buf, size_t size)
{
	char *names[32];
	size_t len = 0;
	struct dirent *d;
	struct stat st;
	int n = 0, i;
	DIR *dir;

	dir = opendir(path);
	TEST_ASSERT(dir, "opendir %s: %s", path, strerror(errno));
	while ((d = readdir(dir)) && n < 32)
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			names[n++] = strdup(d->d_name);
	qsort(names, n, sizeof(names[0]), compare_names);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		TEST_ASSERT(!fstatat(dirfd(dir), names[i], &st,
				     AT_SYMLINK_NOFOLLOW),
			    "stat %s/%s", path, names[i]);
		if (S_ISDIR(st.st_mode))
			len += snprintf(buf + len, size - len, "%s dir\n",
					names[i]);
		else
			len += snprintf(buf + len, size - len, "%s %o\n",
					names[i], st.st_mode & 0777);
		TEST_ASSERT(len < size, "%s: too many files", path);
		free(names[i]);
	}
	closedir(dir);
}

/*
 * Each directory has the files Documentation/debugfs.rst lists, with the
 * modes they have had since they came: writable where a write is a
 * request, mem read-only without allow_write=1.
 */
static void test_files_listed(void)
{
	static const char vm_files[] =
		"core 400\n"
		"gpa_hpa 400\n"
		"gva 600\n"
		"mem 400\n"
		"memslots 400\n"
		"scan 600\n"
		"snapshot 600\n"
		"snapshot_gpa_hpa 400\n"
		"stage2 600\n"
		"translate 600\n"
		"vcpu0 dir\n"
		"vcpus 400\n";
	char path[192], got[1024], name[32];
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	const char *dir;

	vm = kvmintro_vm_create_spinning(&vcpu);
	kvmintro_load();
	dir = kvmintro_vm_path(getpid(), 0);
	snprintf(path, sizeof(path), "%s/vcpu0/regs", dir);
	TEST_ASSERT(kvmintro_wait_path(path, true, TIMEOUT_MS), "no %s", path);
	list_dir(dir, got, sizeof(got));
	TEST_ASSERT(!strcmp(got, vm_files), "%s has:\n%s", dir, got);
	snprintf(path, sizeof(path), "%s/vcpu0", dir);
	list_dir(path, got, sizeof(got));
	TEST_ASSERT(!strcmp(got, "regs 400\n"), "%s has:\n%s", path, got);
	list_dir(kvmintro_root(), got, sizeof(got));
	snprintf(name, sizeof(name), "%d dir\n", getpid());
	TEST_ASSERT(strstr(got, name) && strstr(got, "vms 400\n"),
		    "%s has:\n%s", kvmintro_root(), got);
	kvmintro_unload();
	vm_destroy(vm);
}

static const struct kvmintro_case cases[] = {
	{ "lifecycle: VMM killed (SIGKILL) with memslots open",
	  test_sigkill_with_memslots_open },
	{ "lifecycle: VMM exits (SIGTERM) with vcpus open",
	  test_exit_with_vcpus_open },
	{ "lifecycle: 20 short-lived VMs come and go",
	  test_many_vms },
	{ "lifecycle: rmmod refused while any file is open, then goes",
	  test_rmmod_with_files_open },
	{ "lifecycle: every directory has its files, with their modes",
	  test_files_listed },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
