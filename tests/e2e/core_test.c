// SPDX-License-Identifier: GPL-2.0
/*
 * The core file against the truth this process, as the VMM, has:
 *  - readelf (binutils) parses it: an x86-64 core, one LOAD per memslot
 *    the VMM made (anonymous 4K pages, THP, a slot never touched, holes
 *    between slots, two slots adjacent), p_paddr its GPA;
 *  - every LOAD's bytes equal the VMM's memory at the slot's HVA, zeros
 *    where the VMM's pagemap has no page, read whole and at odd offsets
 *    and sizes across the boundaries of headers and LOADs;
 *  - one NT_PRSTATUS per vcpu whose RIP and RSP are what KVM_GET_REGS
 *    gives the VMM for the paused vcpu;
 *  - a page the VMM wrote to start with "OSRELEASE=" is the VMCOREINFO
 *    note, as it is; the KVMINTRO note says the VM was paused;
 *  - reading it faults nothing in: the VMM's RSS and present pages stay;
 *  - no capture and not paused: ENODATA; reads past the end, at huge
 *    offsets, of zero bytes: 0;
 *  - `kvmintro dump` of a 256 MiB guest that touched 16 MiB: the VMM's
 *    RSS, present pages and the kernel's pin counters stay as they were,
 *    the file holds the touched pages and allocates little more.
 */
#include <elf.h>
#include <fcntl.h>
#include <malloc.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/procfs.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000
#define NR_VCPUS	2
/* What VmRSS may be off by: 32 pages per cpu of L1, 8 cpus at most. */
#define RSS_SLACK_KB	(8 * 32 * 4)

#define SLOT1_GPA	0x10000000ULL		/* 4K pages, every 4th touched */
#define SLOT2_GPA	0x100000000ULL		/* THP, first 2 MiB touched */
#define SLOT3_GPA	(SLOT2_GPA + 4 * SZ_2M)	/* adjacent, never touched */
/* A page of slot 1 made to look like a Linux guest's vmcoreinfo. */
#define VMCOREINFO_GPA	(SLOT1_GPA + 8 * 4096)
#define VMCOREINFO_TEXT	"OSRELEASE=6.1.0-core-test\nPAGESIZE=4096\n"
/* The KVMINTRO note of a paused VM, as Documentation/debugfs.rst says. */
#define KVMINTRO_PAUSED	"state=paused source=live\n"

/* The dump case: a big slot, one page in 16 of it touched. */
#define BIG_GPA		0x40000000ULL
#define BIG_SIZE	(256ULL << 20)
#define BIG_STRIDE	16
#define BIG_TOUCHED	((uint64_t)BIG_SIZE / BIG_STRIDE)

static char core_path[192];
static const char copy_path[] = "/tmp/core_test.core";

static struct kvm_vm *vm_create_core(void)
{
	struct kvm_vm *vm = vm_create();
	unsigned int i;
	uint8_t *p;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_ANON, 1, SLOT1_GPA, 4 * SZ_2M, 0);
	TEST_ASSERT(!madvise(addr_gpa2hva(vm, SLOT1_GPA), 4 * SZ_2M,
			     MADV_NOHUGEPAGE), "madvise");
	vm_add_memslot(vm, VM_MEM_THP, 2, SLOT2_GPA, 4 * SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_ANON, 3, SLOT3_GPA, SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_DEFAULT);
	virt_identity_map_memslots(vm, SZ_2M);

	for (i = 0; i < 4 * 512; i += 4) {
		p = addr_gpa2hva(vm, SLOT1_GPA + i * 4096ULL);
		memset(p, 0x40 + i % 64, 4096);
		p[0] = i;
	}
	p = addr_gpa2hva(vm, VMCOREINFO_GPA);
	memset(p, 0, 4096);
	memcpy(p, VMCOREINFO_TEXT, sizeof(VMCOREINFO_TEXT));
	p = addr_gpa2hva(vm, SLOT2_GPA);
	for (i = 0; i < SZ_2M; i++)
		p[i] = (uint8_t)(i * 7 + (i >> 12));
	for (i = 0; i < NR_VCPUS; i++) {
		struct kvm_vcpu *vcpu = vcpu_add(vm, i);

		vcpu_guest_load(vcpu, GUEST_SPIN);
		vcpu_thread_create(vcpu, NULL);
		vcpu_thread_go(vcpu);
	}
	return vm;
}

/* Read [@offset, @offset + @size) of @fd whole, in reads of at most 1 MiB. */
static void read_at(int fd, uint8_t *buf, uint64_t size, uint64_t offset)
{
	ssize_t n;

	while (size) {
		n = pread(fd, buf, size < (1 << 20) ? size : (1 << 20), offset);
		TEST_ASSERT(n > 0, "read core at 0x%" PRIx64 ": %zd %s", offset,
			    n, n < 0 ? strerror(errno) : "end of file");
		buf += n;
		offset += n;
		size -= n;
	}
}

/*
 * The core, read whole into @core (mapped once, so that a second copy
 * allocates nothing) and copied to a file of its own for readelf.
 */
static uint8_t *copy_core(uint8_t *core, uint64_t *size)
{
	struct stat st;
	int fd, out;

	fd = open(core_path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open core: %s", strerror(errno));
	TEST_ASSERT(!fstat(fd, &st), "fstat");
	*size = st.st_size;
	TEST_ASSERT(lseek(fd, 0, SEEK_END) == st.st_size, "SEEK_END is not the size");
	if (!core) {
		core = mmap(NULL, *size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		TEST_ASSERT(core != MAP_FAILED, "mmap");
		TEST_ASSERT(!madvise(core, *size, MADV_NOHUGEPAGE), "madvise");
	}
	read_at(fd, core, *size, 0);
	TEST_ASSERT(pread(fd, core, 1, *size) == 0, "read at the end is not 0");
	close(fd);
	out = open(copy_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	TEST_ASSERT(out >= 0, "create %s", copy_path);
	TEST_ASSERT(write(out, core, *size) == (ssize_t)*size, "write copy");
	close(out);
	return core;
}

struct load {
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* readelf -h -l -n on the copy: its LOADs, and what it says of the rest. */
static int readelf_loads(struct load *loads, int max)
{
	char command[256], line[512];
	int n = 0, prstatus = 0, qemu = 0, vmcoreinfo = 0, kvmintro = 0;
	bool core_type = false, machine = false;
	FILE *out;

	snprintf(command, sizeof(command), "readelf -h -l -n -W %s 2>&1", copy_path);
	out = popen(command, "r");
	TEST_ASSERT(out, "popen readelf");
	while (fgets(line, sizeof(line), out)) {
		struct load l;

		TEST_ASSERT(!strstr(line, "Warning") && !strstr(line, "Error"),
			    "readelf: %s", line);
		core_type |= strstr(line, "Type:") && strstr(line, "CORE (Core file)");
		machine |= strstr(line, "Machine:") && strstr(line, "X86-64");
		prstatus += strstr(line, "CORE") && strstr(line, "NT_PRSTATUS");
		qemu += !!strstr(line, "  QEMU ");
		vmcoreinfo += !!strstr(line, "  VMCOREINFO ");
		kvmintro += !!strstr(line, "  KVMINTRO ");
		if (sscanf(line, " LOAD 0x%" SCNx64 " 0x%" SCNx64 " 0x%" SCNx64
			   " 0x%" SCNx64 " 0x%" SCNx64, &l.offset, &l.vaddr,
			   &l.paddr, &l.filesz, &l.memsz) == 5) {
			TEST_ASSERT(n < max, "too many LOADs");
			loads[n++] = l;
		}
	}
	TEST_ASSERT(pclose(out) == 0, "readelf failed");
	/* What Documentation/debugfs.rst shows of it. */
	snprintf(command, sizeof(command), "readelf -l %s 2>&1", copy_path);
	out = popen(command, "r");
	while (out && fgets(line, sizeof(line), out))
		ksft_print_msg("readelf -l: %s", line);
	if (out)
		pclose(out);
	TEST_ASSERT(core_type && machine, "readelf: not an x86-64 core");
	TEST_ASSERT(prstatus == NR_VCPUS, "readelf: %d NT_PRSTATUS", prstatus);
	TEST_ASSERT(qemu == NR_VCPUS, "readelf: %d QEMU notes", qemu);
	TEST_ASSERT(vmcoreinfo == 1, "readelf: %d VMCOREINFO notes", vmcoreinfo);
	TEST_ASSERT(kvmintro == 1, "readelf: %d KVMINTRO notes", kvmintro);
	return n;
}

/* The LOADs are the VMM's memslots, in GPA order (the VMM made them so). */
static void expect_loads_are_memslots(struct kvm_vm *vm, const struct load *loads,
				      int n)
{
	int i;

	TEST_ASSERT(n == (int)vm->nr_memslots, "%d LOADs for %u memslots", n,
		    vm->nr_memslots);
	for (i = 0; i < n; i++) {
		const struct kvm_userspace_memory_region *r = &vm->memslots[i].region;

		TEST_ASSERT(loads[i].paddr == r->guest_phys_addr &&
			    loads[i].filesz == r->memory_size &&
			    loads[i].memsz == r->memory_size &&
			    loads[i].vaddr == 0 && loads[i].offset % 4096 == 0,
			    "LOAD %d: paddr 0x%" PRIx64 " size 0x%" PRIx64
			    ", memslot 0x%llx size 0x%llx", i, loads[i].paddr,
			    loads[i].filesz, r->guest_phys_addr, r->memory_size);
	}
}

/* Each page of each LOAD: the VMM's bytes, or zeros where it has none. */
static void expect_loads_hold_memory(struct kvm_vm *vm, const uint8_t *core,
				     const struct load *loads, int n)
{
	static const uint8_t zeros[4096];
	uint64_t off, hva, backed = 0, unbacked = 0;
	int i;

	for (i = 0; i < n; i++) {
		hva = vm->memslots[i].region.userspace_addr;
		for (off = 0; off < loads[i].filesz; off += 4096) {
			const uint8_t *page = core + loads[i].offset + off;

			if (kvmintro_pagemap_entry(hva + off) & KVMINTRO_PM_PRESENT) {
				TEST_ASSERT(!memcmp(page, (void *)(hva + off), 4096),
					    "gpa 0x%" PRIx64 ": core differs from the VMM",
					    loads[i].paddr + off);
				backed++;
			} else {
				TEST_ASSERT(!memcmp(page, zeros, 4096),
					    "gpa 0x%" PRIx64 ": unbacked, not zeros",
					    loads[i].paddr + off);
				unbacked++;
			}
		}
	}
	TEST_ASSERT(backed && unbacked, "backed %" PRIu64 " unbacked %" PRIu64,
		    backed, unbacked);
	ksft_print_msg("%" PRIu64 " backed pages equal the VMM's, %" PRIu64 " unbacked read as zeros\n",
		       backed, unbacked);
}

/* NT_PRSTATUS of each vcpu, as the C library's structures read it. */
static void expect_prstatus(struct kvm_vm *vm, const uint8_t *core)
{
	const Elf64_Ehdr *ehdr = (const void *)core;
	const Elf64_Phdr *note = (const void *)(core + ehdr->e_phoff);
	uint64_t off = note->p_offset, end = note->p_offset + note->p_filesz;
	unsigned int seen = 0, vmcoreinfo = 0, kvmintro = 0;

	TEST_ASSERT(note->p_type == PT_NOTE, "first program header is not PT_NOTE");
	while (off + sizeof(Elf64_Nhdr) <= end) {
		const Elf64_Nhdr *nhdr = (const void *)(core + off);
		const char *name = (const char *)(nhdr + 1);
		const uint8_t *desc = (const uint8_t *)name + ((nhdr->n_namesz + 3) & ~3u);

		if (nhdr->n_type == NT_PRSTATUS && !strcmp(name, "CORE")) {
			struct user_regs_struct regs;
			struct elf_prstatus prstatus;
			struct kvm_regs kregs;
			struct kvm_vcpu *vcpu;

			TEST_ASSERT(nhdr->n_descsz == sizeof(prstatus), "descsz %u",
				    nhdr->n_descsz);
			memcpy(&prstatus, desc, sizeof(prstatus));
			memcpy(&regs, prstatus.pr_reg, sizeof(regs));
			TEST_ASSERT(prstatus.pr_pid >= 1 && prstatus.pr_pid <= NR_VCPUS,
				    "pr_pid %d", prstatus.pr_pid);
			vcpu = vm->vcpus[prstatus.pr_pid - 1];
			vcpu_regs_get(vcpu, &kregs);
			TEST_ASSERT(regs.rip == kregs.rip && regs.rsp == kregs.rsp,
				    "vcpu %d: rip 0x%llx rsp 0x%llx, KVM_GET_REGS 0x%llx 0x%llx",
				    prstatus.pr_pid - 1, regs.rip, regs.rsp,
				    kregs.rip, kregs.rsp);
			TEST_ASSERT(regs.rax == kregs.rax && regs.eflags == kregs.rflags,
				    "vcpu %d: rax or eflags differ", prstatus.pr_pid - 1);
			seen |= 1u << (prstatus.pr_pid - 1);
		} else if (nhdr->n_namesz == 11 && !strcmp(name, "VMCOREINFO")) {
			TEST_ASSERT(nhdr->n_descsz == 4096 &&
				    !memcmp(desc, addr_gpa2hva(vm, VMCOREINFO_GPA), 4096),
				    "VMCOREINFO is not the page the VMM wrote");
			vmcoreinfo++;
		} else if (nhdr->n_namesz == 9 && !strcmp(name, "KVMINTRO")) {
			/* The test paused the VM before it opened the core. */
			TEST_ASSERT(nhdr->n_type == 0 &&
				    nhdr->n_descsz == strlen(KVMINTRO_PAUSED) &&
				    !memcmp(desc, KVMINTRO_PAUSED, nhdr->n_descsz),
				    "KVMINTRO note: %.*s", (int)nhdr->n_descsz, desc);
			kvmintro++;
		}
		off = desc + ((nhdr->n_descsz + 3) & ~3u) - core;
	}
	TEST_ASSERT(seen == (1u << NR_VCPUS) - 1, "NT_PRSTATUS of vcpus 0x%x", seen);
	TEST_ASSERT(vmcoreinfo == 1, "%u VMCOREINFO notes", vmcoreinfo);
	TEST_ASSERT(kvmintro == 1, "%u KVMINTRO notes", kvmintro);
}

/* Reads at odd offsets and sizes, across every boundary, equal the copy. */
static void expect_odd_reads(const uint8_t *core, uint64_t size,
			     const struct load *loads, int n)
{
	static uint8_t buf[3 * 4096 + 17];
	uint64_t x = 0x9e3779b97f4a7c15ULL, offset, len, boundaries[16];
	unsigned int nb = 0, i;
	ssize_t r;
	int fd, j;

	fd = open(core_path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open core");
	boundaries[nb++] = 64;			/* ELF header / program headers */
	boundaries[nb++] = loads[0].offset;	/* notes and padding / LOAD 0 */
	for (j = 1; j < n; j++)
		boundaries[nb++] = loads[j].offset;
	boundaries[nb++] = size;
	for (i = 0; i < 2000; i++) {
		if (i & 1) {
			offset = boundaries[kvmintro_random(&x) % nb];
			offset -= kvmintro_random(&x) % (offset < 4099 ? offset + 1 : 4099);
		} else
			offset = kvmintro_random(&x) % size;
		len = 1 + kvmintro_random(&x) % sizeof(buf);
		r = pread(fd, buf, len, offset);
		if (offset >= size) {
			TEST_ASSERT(r == 0, "read at 0x%" PRIx64 " past the end: %zd",
				    offset, r);
			continue;
		}
		if (len > size - offset)
			len = size - offset;
		TEST_ASSERT(r == (ssize_t)len && !memcmp(buf, core + offset, len),
			    "read of %" PRIu64 " at 0x%" PRIx64 ": %zd, or other bytes",
			    len, offset, r);
	}
	TEST_ASSERT(pread(fd, buf, 0, 100) == 0, "zero-size read");
	TEST_ASSERT(pread(fd, buf, sizeof(buf), size) == 0, "read at the end");
	TEST_ASSERT(pread(fd, buf, sizeof(buf), size + 4096) == 0, "read past the end");
	TEST_ASSERT(pread(fd, buf, sizeof(buf), 1LL << 62) == 0, "read at 2^62");
	r = pread(fd, buf, sizeof(buf), INT64_MAX - 10);
	TEST_ASSERT(r == 0 || (r < 0 && errno == EINVAL),
		    "read at INT64_MAX - 10: %zd", r);
	TEST_ASSERT(lseek(fd, -1, SEEK_SET) < 0, "seek to -1");
	close(fd);
}

static void test_core(void)
{
	struct vm_memslot *slot3;
	uint64_t rss, present, size;
	struct kvm_vm *vm = vm_create_core();
	struct load loads[16];
	char snapshot[192];
	uint8_t *core;
	int fd, n, i;

	mallopt(M_MMAP_THRESHOLD, 64 << 10);
	for (i = 0; i < NR_VCPUS; i++)
		kvmintro_wait_counter_moves(vm->vcpus[i], TIMEOUT_MS);
	kvmintro_load();
	snprintf(core_path, sizeof(core_path), "%s/core", kvmintro_vm_path(getpid(), 0));
	snprintf(snapshot, sizeof(snapshot), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(core_path, true, TIMEOUT_MS), "no core file");

	fd = open(core_path, O_RDONLY);
	TEST_ASSERT(fd < 0 && errno == ENODATA,
		    "open core, running and no capture: %s", fd < 0 ? strerror(errno) : "opened");
	TEST_ASSERT(open(core_path, O_WRONLY) < 0, "core opened for writing");

	TEST_ASSERT(!kvmintro_write(snapshot, "pause"), "pause");
	slot3 = &vm->memslots[3];
	present = kvmintro_present_pages(vm);
	/* Twice the same steps: the test's own allocations settle in the first. */
	core = copy_core(NULL, &size);
	TEST_ASSERT(kvmintro_present_pages(vm) == present, "present pages moved");
	rss = kvmintro_rss_kb();
	core = copy_core(core, &size);
	TEST_ASSERT(kvmintro_present_pages(vm) == present,
		    "present guest pages %" PRIu64 " -> %" PRIu64 ": reading core faulted pages in",
		    present, kvmintro_present_pages(vm));
	/*
	 * The exact check is pagemap's, above.  VmRSS comes from per-cpu
	 * counters read without folding (Linux 6.2 on): it may lag by a batch
	 * of 32 pages per cpu, whatever the test does.
	 */
	TEST_ASSERT(kvmintro_rss_kb() <= rss + RSS_SLACK_KB,
		    "VmRSS %" PRIu64 " kB -> %" PRIu64 " kB", rss, kvmintro_rss_kb());
	TEST_ASSERT(!(kvmintro_pagemap_entry(slot3->region.userspace_addr) &
		      KVMINTRO_PM_PRESENT), "the untouched slot has pages");

	n = readelf_loads(loads, 16);
	expect_loads_are_memslots(vm, loads, n);
	TEST_ASSERT(size == loads[n - 1].offset + loads[n - 1].filesz,
		    "size 0x%" PRIx64 " is not the end of the last LOAD", size);
	expect_loads_hold_memory(vm, core, loads, n);
	expect_prstatus(vm, core);
	expect_odd_reads(core, size, loads, n);
	ksft_print_msg("core of %" PRIu64 " bytes, %d LOADs, %" PRIu64 " present pages before and after\n",
		       size, n, present);

	TEST_ASSERT(!kvmintro_write(snapshot, "resume"), "resume");
	munmap(core, size);
	unlink(copy_path);
	vm_destroy(vm);
	kvmintro_unload();
}

/* The LOAD of @fd's core whose p_paddr is @gpa: its file offset. */
static uint64_t core_load_offset(int fd, uint64_t gpa)
{
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdr;
	unsigned int i;

	TEST_ASSERT(pread(fd, &ehdr, sizeof(ehdr), 0) == sizeof(ehdr) &&
		    !memcmp(ehdr.e_ident, ELFMAG, SELFMAG), "dump: no ELF header");
	for (i = 0; i < ehdr.e_phnum; i++) {
		TEST_ASSERT(pread(fd, &phdr, sizeof(phdr),
				  ehdr.e_phoff + i * sizeof(phdr)) == sizeof(phdr),
			    "dump: program header %u", i);
		if (phdr.p_type == PT_LOAD && phdr.p_paddr == gpa)
			return phdr.p_offset;
	}
	TEST_ASSERT(false, "dump: no LOAD at gpa 0x%" PRIx64, (uint64_t)gpa);
	return 0;
}

/* Run the CLI, `kvmintro dump PID FILE`, as its own process: 0 on success. */
static int kvmintro_cli_dump(const char *file)
{
	char cli[256], pid[16];
	char *argv[] = { cli, "dump", pid, (char *)file, NULL };
	extern char **environ;
	pid_t child;
	int status;

	TEST_ASSERT(getenv("KVMINTRO_BIN"), "KVMINTRO_BIN is not set");
	snprintf(cli, sizeof(cli), "%s/kvmintro", getenv("KVMINTRO_BIN"));
	snprintf(pid, sizeof(pid), "%d", getpid());
	/* posix_spawn() shares the VMM's memory until the exec: nothing copied. */
	TEST_ASSERT(!posix_spawn(&child, cli, NULL, NULL, argv, environ),
		    "spawn %s", cli);
	TEST_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void test_dump_big(void)
{
	uint64_t rss, present, acquired, released, offset, allocated, i;
	char dump_path[256], snapshot[192];
	static uint8_t page[4096];
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct stat st;
	uint8_t *big;
	char *state;
	int fd;

	vm = vm_create();
	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_ANON, 1, BIG_GPA, BIG_SIZE, 0);
	big = addr_gpa2hva(vm, BIG_GPA);
	TEST_ASSERT(!madvise(big, BIG_SIZE, MADV_NOHUGEPAGE), "madvise");
	vm_guest_init(vm, VM_MODE_DEFAULT);
	for (i = 0; i < BIG_SIZE; i += BIG_STRIDE * 4096)
		memset(big + i, 1 + (i >> 16) % 255, 4096);	/* never 0 */
	vcpu = vcpu_add(vm, 0);
	vcpu_guest_load(vcpu, GUEST_SPIN);
	vcpu_thread_create(vcpu, NULL);
	vcpu_thread_go(vcpu);
	kvmintro_wait_counter_moves(vcpu, TIMEOUT_MS);
	kvmintro_load();
	snprintf(snapshot, sizeof(snapshot), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(snapshot, true, TIMEOUT_MS), "no snapshot file");
	snprintf(dump_path, sizeof(dump_path), "%s/core_test.dump",
		 getenv("KVMINTRO_TMP") ?: "/tmp");

	present = kvmintro_present_pages(vm);
	rss = kvmintro_rss_kb();
	acquired = kvmintro_vmstat("nr_foll_pin_acquired");
	released = kvmintro_vmstat("nr_foll_pin_released");
	TEST_ASSERT(!kvmintro_cli_dump(dump_path), "kvmintro dump failed");
	TEST_ASSERT(kvmintro_vmstat("nr_foll_pin_acquired") - acquired ==
		    kvmintro_vmstat("nr_foll_pin_released") - released,
		    "pins taken and released differ");
	TEST_ASSERT(kvmintro_present_pages(vm) == present,
		    "present guest pages %" PRIu64 " -> %" PRIu64 ": the dump faulted pages in",
		    present, kvmintro_present_pages(vm));
	TEST_ASSERT(kvmintro_rss_kb() <= rss + RSS_SLACK_KB,
		    "VmRSS %" PRIu64 " kB -> %" PRIu64 " kB", rss, kvmintro_rss_kb());
	state = kvmintro_read(snapshot);
	TEST_ASSERT(state && strstr(state, "state=running\n"),
		    "the dump did not resume the VM");
	free(state);

	fd = open(dump_path, O_RDONLY);
	TEST_ASSERT(fd >= 0 && !fstat(fd, &st), "open %s", dump_path);
	offset = core_load_offset(fd, BIG_GPA);
	for (i = 0; i < BIG_SIZE; i += BIG_STRIDE * 4096) {
		TEST_ASSERT(pread(fd, page, sizeof(page), offset + i) == sizeof(page) &&
			    !memcmp(page, big + i, sizeof(page)),
			    "dump: gpa 0x%" PRIx64 " differs from the VMM's page",
			    (uint64_t)(BIG_GPA + i));
	}
	close(fd);
	allocated = (uint64_t)st.st_blocks * 512;
	ksft_print_msg("dump of %" PRIu64 " MiB: %" PRIu64 " KiB allocated, %" PRIu64
		       " KiB touched by the guest\n", (uint64_t)st.st_size >> 20,
		       allocated >> 10, BIG_TOUCHED >> 10);
	/* Slot 0 (2 MiB, guest code and page tables) and the headers on top. */
	TEST_ASSERT(allocated >= BIG_TOUCHED &&
		    allocated <= BIG_TOUCHED + SZ_2M + (1 << 20),
		    "dump allocates %" PRIu64 " KiB for %" PRIu64 " KiB touched",
		    allocated >> 10, BIG_TOUCHED >> 10);
	unlink(dump_path);
	vm_destroy(vm);
	kvmintro_unload();
}

static const struct kvmintro_case cases[] = {
	{ "core: readelf reads the VM's memslots, memory and registers",
	  test_core },
	{ "core: kvmintro dump of 256 MiB, 16 touched: no RSS, pins, or blocks beyond them",
	  test_dump_big },
};

int main(void)
{
	if (system("readelf --version >/dev/null 2>&1"))
		ksft_exit_skip("no readelf (binutils)\n");
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
