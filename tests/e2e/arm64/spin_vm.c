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

static void vcpu_create(int kvm_fd, int vm_fd, uint64_t pc,
			struct spin_vcpu *vcpu)
{
	struct kvm_vcpu_init init;
	int size;

	vcpu->fd = kvm_ioctl(vm_fd, KVM_CREATE_VCPU, (void *)0);
	kvm_ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init);
	kvm_ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init);
	vcpu_set_reg(vcpu->fd, ARM64_CORE_REG(regs.pc), pc);
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

	/* SIGTERM and SIGINT end the VMM; the vcpu thread never takes them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
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

	sigwait(&stop, &sig);
	return 0;
}
