// SPDX-License-Identifier: GPL-2.0
/*
 * spin_vm: a minimal arm64 VM for the arm64 end-to-end test (basic_test.sh).
 *
 * Two memslots of anonymous memory; the guest, at EL1 with its MMU off,
 * counts in a loop at the start of slot 0; the VMM writes a known string
 * into each slot.  It prints what it made, one record a line, in the
 * memslots file's own field names, then "ready", and runs the vcpu in a
 * thread until SIGTERM or SIGINT:
 *
 *   slot=0 gpa=0x40000000 size=0x200000 hva=0x...
 *   text gpa=0x40002000 value="kvmintro-arm64-slot0"
 *   counter gpa=0x40001000
 *   ready pid=123
 *
 * Before the vcpu first runs, it sets known values in the registers the
 * guest loop does not touch (spin_set_regs[]).  On SIGUSR1 the main
 * thread reads the vcpu's registers with KVM_GET_ONE_REG, as they are
 * then (the test sends it while kvmintro holds the VM paused, the vcpu
 * thread outside KVM_RUN), and prints each as "truth <name>=0x<hex>", in
 * the regs file's names, then "truth-end".
 *
 * The vcpu is made as KVM's selftests do on aarch64 (lib/aarch64/
 * processor.c): KVM_ARM_PREFERRED_TARGET, KVM_ARM_VCPU_INIT, the PC set
 * through KVM_SET_ONE_REG.  No interrupt controller: the guest takes no
 * interrupt.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#define TEST_ASSERT(cond, fmt, ...)						\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: %s: " fmt " (errno %d: %s)\n",	\
				__FILE__, __LINE__, #cond, ##__VA_ARGS__,	\
				errno, strerror(errno));			\
			exit(1);						\
		}								\
	} while (0)

#define ARM64_CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 |		\
				 KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))
#define ARM64_X(n)		ARM64_CORE_REG(regs.regs[n])

/* The registers of the regs file, by its names, for KVM_GET_ONE_REG. */
static const struct {
	const char *name;
	uint64_t id;
} spin_reg_ids[] = {
	{ "sp", ARM64_CORE_REG(regs.sp) },
	{ "pc", ARM64_CORE_REG(regs.pc) },
	{ "pstate", ARM64_CORE_REG(regs.pstate) },
	{ "sp_el1", ARM64_CORE_REG(sp_el1) },
	{ "elr_el1", ARM64_CORE_REG(elr_el1) },
	{ "spsr_el1", ARM64_CORE_REG(spsr[KVM_SPSR_EL1]) },
	{ "sctlr_el1", ARM64_SYS_REG(3, 0, 1, 0, 0) },
	{ "ttbr0_el1", ARM64_SYS_REG(3, 0, 2, 0, 0) },
	{ "ttbr1_el1", ARM64_SYS_REG(3, 0, 2, 0, 1) },
	{ "tcr_el1", ARM64_SYS_REG(3, 0, 2, 0, 2) },
	{ "mair_el1", ARM64_SYS_REG(3, 0, 10, 2, 0) },
	{ "vbar_el1", ARM64_SYS_REG(3, 0, 12, 0, 0) },
	{ "esr_el1", ARM64_SYS_REG(3, 0, 5, 2, 0) },
	{ "far_el1", ARM64_SYS_REG(3, 0, 6, 0, 0) },
	{ "contextidr_el1", ARM64_SYS_REG(3, 0, 13, 0, 1) },
	{ "tpidr_el1", ARM64_SYS_REG(3, 0, 13, 0, 4) },
};

/*
 * Known values in registers the guest loop leaves alone (it uses x0 and
 * x1 only, with the MMU off and no exception taken).
 */
static const struct {
	uint64_t id;
	uint64_t value;
} spin_set_regs[] = {
	{ ARM64_X(2), 0x2222222222222222 },
	{ ARM64_X(3), 0x3333333333333333 },
	{ ARM64_X(19), 0x1919191919191919 },
	{ ARM64_X(28), 0x2828282828282828 },
	{ ARM64_X(30), 0x3030303030303030 },
	{ ARM64_CORE_REG(regs.sp), 0x40100000 },
	{ ARM64_CORE_REG(sp_el1), 0x40180000 },
	{ ARM64_CORE_REG(elr_el1), 0xffff800012345678 },
	{ ARM64_SYS_REG(3, 0, 2, 0, 0), 0x40010000 },		/* TTBR0_EL1 */
	{ ARM64_SYS_REG(3, 0, 12, 0, 0), 0xffff800010000800 },	/* VBAR_EL1 */
	{ ARM64_SYS_REG(3, 0, 13, 0, 1), 0x4242 },		/* CONTEXTIDR_EL1 */
	{ ARM64_SYS_REG(3, 0, 13, 0, 4), 0xffff0000deadb000 },	/* TPIDR_EL1 */
};

struct spin_slot {
	uint32_t slot;
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
	const char *text;	/* written at gpa + SPIN_TEXT_OFFSET */
};

#define SPIN_CODE_OFFSET	0x0
#define SPIN_COUNTER_OFFSET	0x1000
#define SPIN_TEXT_OFFSET	0x2000

static struct spin_slot spin_slots[] = {
	{ .slot = 0, .gpa = 0x40000000, .size = 0x200000,
	  .text = "kvmintro-arm64-slot0" },
	{ .slot = 1, .gpa = 0x80000000, .size = 0x100000,
	  .text = "kvmintro-arm64-slot1" },
};

/*
 * The guest, at slot 0's start: load the counter's address from the
 * literal, then increment the counter for ever.  The literal is 8-byte
 * aligned: with the MMU off every access is to Device memory, which
 * faults when unaligned.
 */
static const uint32_t spin_code[] = {
	0x580000c1,	/* 0x00: ldr x1, 0x18 */
	0xf9400020,	/* 0x04: ldr x0, [x1] */
	0x91000400,	/* 0x08: add x0, x0, #1 */
	0xf9000020,	/* 0x0c: str x0, [x1] */
	0x17fffffd,	/* 0x10: b 0x04 */
	0xd503201f,	/* 0x14: nop */
	/* 0x18: the counter's GPA, filled in by vm_load_code() */
};

struct spin_vcpu {
	int fd;
	struct kvm_run *run;
};

static int kvm_ioctl_checked(int fd, unsigned long cmd, void *arg,
			     const char *name)
{
	int r = ioctl(fd, cmd, arg);

	TEST_ASSERT(r >= 0, "%s failed", name);
	return r;
}
#define kvm_ioctl(fd, cmd, arg)	kvm_ioctl_checked(fd, cmd, arg, #cmd)

static void vm_add_memslot(int vm_fd, struct spin_slot *s)
{
	struct kvm_userspace_memory_region region;

	s->hva = mmap(NULL, s->size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(s->hva != MAP_FAILED, "mmap of %#llx bytes",
		    (unsigned long long)s->size);
	region = (struct kvm_userspace_memory_region) {
		.slot = s->slot,
		.guest_phys_addr = s->gpa,
		.memory_size = s->size,
		.userspace_addr = (uintptr_t)s->hva,
	};
	kvm_ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region);
	strcpy((char *)s->hva + SPIN_TEXT_OFFSET, s->text);
}

static void vm_load_code(struct spin_slot *s)
{
	uint64_t counter_gpa = s->gpa + SPIN_COUNTER_OFFSET;

	memcpy(s->hva + SPIN_CODE_OFFSET, spin_code, sizeof(spin_code));
	memcpy(s->hva + SPIN_CODE_OFFSET + 0x18, &counter_gpa,
	       sizeof(counter_gpa));
}

static void vcpu_set_reg(int vcpu_fd, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	kvm_ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg);
}

static uint64_t vcpu_get_reg(int vcpu_fd, uint64_t id)
{
	uint64_t value;
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	kvm_ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg);
	return value;
}

/* Print the vcpu's registers as KVM_GET_ONE_REG gives them. */
static void vcpu_print_regs(int vcpu_fd)
{
	size_t i;

	for (i = 0; i < 31; i++)
		printf("truth x%zu=0x%llx\n", i,
		       (unsigned long long)vcpu_get_reg(vcpu_fd, ARM64_X(i)));
	for (i = 0; i < sizeof(spin_reg_ids) / sizeof(spin_reg_ids[0]); i++)
		printf("truth %s=0x%llx\n", spin_reg_ids[i].name,
		       (unsigned long long)vcpu_get_reg(vcpu_fd,
							spin_reg_ids[i].id));
	printf("truth-end\n");
	fflush(stdout);
}

static void vcpu_create(int kvm_fd, int vm_fd, uint64_t pc,
			struct spin_vcpu *vcpu)
{
	struct kvm_vcpu_init init;
	int size;

	vcpu->fd = kvm_ioctl(vm_fd, KVM_CREATE_VCPU, (void *)0);
	kvm_ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init);
	kvm_ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init);
	vcpu_set_reg(vcpu->fd, ARM64_CORE_REG(regs.pc), pc);
	for (size_t i = 0; i < sizeof(spin_set_regs) / sizeof(spin_set_regs[0]); i++)
		vcpu_set_reg(vcpu->fd, spin_set_regs[i].id, spin_set_regs[i].value);
	size = kvm_ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, NULL);
	vcpu->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	TEST_ASSERT(vcpu->run != MAP_FAILED, "mmap of kvm_run");
}

/*
 * Run the vcpu for ever.  KVM_RUN returns EINTR when kvmintro pauses the
 * VM (a task work, handled like a signal): run again.
 */
static void *vcpu_thread(void *arg)
{
	struct spin_vcpu *vcpu = arg;

	for (;;) {
		if (ioctl(vcpu->fd, KVM_RUN, NULL) < 0) {
			TEST_ASSERT(errno == EINTR || errno == EAGAIN, "KVM_RUN");
			continue;
		}
		fprintf(stderr, "spin_vm: unexpected exit, reason %u\n",
			vcpu->run->exit_reason);
		exit(1);
	}
	return NULL;
}

int main(void)
{
	struct spin_vcpu vcpu;
	pthread_t thread;
	int kvm_fd, vm_fd, sig;
	sigset_t stop;
	size_t i;

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	TEST_ASSERT(kvm_fd >= 0, "open /dev/kvm (is KVM enabled in this kernel?)");
	vm_fd = kvm_ioctl(kvm_fd, KVM_CREATE_VM, (void *)0);
	for (i = 0; i < sizeof(spin_slots) / sizeof(spin_slots[0]); i++)
		vm_add_memslot(vm_fd, &spin_slots[i]);
	vm_load_code(&spin_slots[0]);
	vcpu_create(kvm_fd, vm_fd, spin_slots[0].gpa + SPIN_CODE_OFFSET, &vcpu);

	/*
	 * SIGTERM and SIGINT end the VMM, SIGUSR1 prints the registers; the
	 * vcpu thread never takes them.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	errno = pthread_create(&thread, NULL, vcpu_thread, &vcpu);
	TEST_ASSERT(!errno, "pthread_create");

	for (i = 0; i < sizeof(spin_slots) / sizeof(spin_slots[0]); i++) {
		printf("slot=%u gpa=%#llx size=%#llx hva=%#llx\n",
		       spin_slots[i].slot,
		       (unsigned long long)spin_slots[i].gpa,
		       (unsigned long long)spin_slots[i].size,
		       (unsigned long long)(uintptr_t)spin_slots[i].hva);
		printf("text gpa=%#llx value=\"%s\"\n",
		       (unsigned long long)(spin_slots[i].gpa + SPIN_TEXT_OFFSET),
		       spin_slots[i].text);
	}
	printf("counter gpa=%#llx\n",
	       (unsigned long long)(spin_slots[0].gpa + SPIN_COUNTER_OFFSET));
	printf("ready pid=%d\n", getpid());
	fflush(stdout);

	for (;;) {
		sigwait(&stop, &sig);
		if (sig != SIGUSR1)
			return 0;
		vcpu_print_regs(vcpu.fd);
	}
}
