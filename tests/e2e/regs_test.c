// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu<N>/regs against the truth:
 *  - while paused, every line equals what this process, as the VMM, reads
 *    of the same stopped vcpu with KVM_GET_REGS / KVM_GET_SREGS /
 *    KVM_GET_MSRS (a running vcpu could not match twice);
 *  - values the VMM planted (FS/GS base, MSRs) and the long-mode state it
 *    built (CR3, EFER.LMA) are in the capture;
 *  - a guest that loads known values into every GPR and spins is captured
 *    with exactly those values;
 *  - no capture and not paused: -ENODATA.
 */
#include <fcntl.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000

#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_SYSENTER_ESP	0x175
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_IA32_CR_PAT		0x277
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define EFER_LME		(1ULL << 8)
#define EFER_LMA		(1ULL << 10)

static const struct {
	const char *name;
	uint32_t index;
	uint64_t planted;
} msrs[] = {
	{ "star", MSR_STAR, 0x0023001000000000ULL },
	{ "lstar", MSR_LSTAR, 0xffffffff81a00000ULL },
	{ "cstar", MSR_CSTAR, 0xffffffff81a00100ULL },
	{ "sfmask", MSR_SYSCALL_MASK, 0x47700 },
	{ "sysenter_cs", MSR_IA32_SYSENTER_CS, 0x10 },
	/* 32-bit values: on AMD, SYSENTER_ESP/EIP hold 32 bits. */
	{ "sysenter_esp", MSR_IA32_SYSENTER_ESP, 0x81001000 },
	{ "sysenter_eip", MSR_IA32_SYSENTER_EIP, 0x81a00200 },
	{ "kernel_gs_base", MSR_KERNEL_GS_BASE, 0xffff888012340000ULL },
	{ "pat", MSR_IA32_CR_PAT, 0x0407050600070106ULL },
};

/* VMX access-rights layout, as Documentation/debugfs.rst gives it. */
static uint64_t attributes(const struct kvm_segment *s)
{
	return s->type | s->s << 4 | s->dpl << 5 | s->present << 7 |
	       s->avl << 12 | s->l << 13 | s->db << 14 | s->g << 15 |
	       (uint64_t)s->unusable << 16;
}

static char *regs_path(struct kvm_vcpu *vcpu)
{
	static char path[192];

	snprintf(path, sizeof(path), "%s/vcpu%u/regs",
		 kvmintro_vm_path(getpid(), 0), vcpu->id);
	return path;
}

static void expect(const char *text, const char *name, uint64_t want)
{
	uint64_t got;

	TEST_ASSERT(kvmintro_kv_u64(text, name, &got), "no %s= line", name);
	TEST_ASSERT(got == want, "%s=0x%" PRIx64 ", want 0x%" PRIx64, name,
		    got, want);
}

static void expect_segment(const char *text, const char *name,
			   const struct kvm_segment *s)
{
	char key[32];

	snprintf(key, sizeof(key), "%s.selector", name);
	expect(text, key, s->selector);
	snprintf(key, sizeof(key), "%s.base", name);
	expect(text, key, s->base);
	snprintf(key, sizeof(key), "%s.limit", name);
	expect(text, key, s->limit);
	snprintf(key, sizeof(key), "%s.attributes", name);
	expect(text, key, attributes(s));
}

/* Every line of @text against the VMM's own reading of the vcpu. */
static void expect_vmm_view(const char *text, struct kvm_vcpu *vcpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	unsigned int r, i;

	vcpu_regs_get(vcpu, &regs);
	vcpu_sregs_get(vcpu, &sregs);
	for (r = 0; r < NR_GPRS; r++)
		expect(text, gpr_name(r), *vcpu_reg_ptr(&regs, r));
	expect(text, "rip", regs.rip);
	expect(text, "rflags", regs.rflags);
	expect(text, "cr0", sregs.cr0);
	expect(text, "cr2", sregs.cr2);
	expect(text, "cr3", sregs.cr3);
	expect(text, "cr4", sregs.cr4);
	expect(text, "cr8", sregs.cr8);
	expect(text, "efer", sregs.efer);
	expect(text, "apic_base", sregs.apic_base);
	expect(text, "fs_base", sregs.fs.base);
	expect(text, "gs_base", sregs.gs.base);
	expect(text, "gdt.base", sregs.gdt.base);
	expect(text, "gdt.limit", sregs.gdt.limit);
	expect(text, "idt.base", sregs.idt.base);
	expect(text, "idt.limit", sregs.idt.limit);
	expect_segment(text, "cs", &sregs.cs);
	expect_segment(text, "ds", &sregs.ds);
	expect_segment(text, "es", &sregs.es);
	expect_segment(text, "fs", &sregs.fs);
	expect_segment(text, "gs", &sregs.gs);
	expect_segment(text, "ss", &sregs.ss);
	expect_segment(text, "tr", &sregs.tr);
	expect_segment(text, "ldt", &sregs.ldt);
	for (i = 0; i < ARRAY_SIZE(msrs); i++)
		expect(text, msrs[i].name, vcpu_get_msr(vcpu, msrs[i].index));
}

static struct kvm_vm *vm_create_planted(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_sregs sregs;
	struct kvm_vcpu *vcpu;
	unsigned int i, id;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_LONG);
	virt_identity_map_memslots(vm, SZ_2M);
	for (id = 0; id < 2; id++) {
		vcpu = vcpu_add(vm, id);
		vcpu_guest_load(vcpu, id ? GUEST_REGS : GUEST_SPIN);
		for (i = 0; i < ARRAY_SIZE(msrs); i++)
			vcpu_set_msr(vcpu, msrs[i].index, msrs[i].planted);
		vcpu_sregs_get(vcpu, &sregs);
		sregs.fs.base = 0x7f0012340000ULL + id;
		sregs.gs.base = 0xffff888076540000ULL + id;
		vcpu_sregs_set(vcpu, &sregs);
		vcpu_thread_create(vcpu, NULL);
		vcpu_thread_go(vcpu);
	}
	return vm;
}

static void test_capture_has_planted_values(void)
{
	struct kvm_vm *vm = vm_create_planted();
	char path[192], *text, source[16];
	unsigned int i, r;

	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	kvmintro_wait_counter_moves(vm->vcpus[1], TIMEOUT_MS);
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(regs_path(vm->vcpus[1]), true,
				       TIMEOUT_MS), "no vcpu1/regs");
	text = kvmintro_read(regs_path(vm->vcpus[0]));
	TEST_ASSERT(!text && errno == ENODATA,
		    "regs before any capture: %s", text ? text : strerror(errno));

	snprintf(path, sizeof(path), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(!kvmintro_write(path, "capture"), "capture");
	for (i = 0; i < 2; i++) {
		text = kvmintro_read(regs_path(vm->vcpus[i]));
		TEST_ASSERT(text, "read regs: %s", strerror(errno));
		expect(text, "vcpu", i);
		TEST_ASSERT(kvmintro_kv_str(text, "source", source, sizeof(source)) &&
			    !strcmp(source, "capture"), "not a capture");
		expect(text, "cr3", vm->pgd);
		{
			uint64_t efer;

			TEST_ASSERT(kvmintro_kv_u64(text, "efer", &efer), "efer");
			TEST_ASSERT((efer & (EFER_LME | EFER_LMA)) ==
				    (EFER_LME | EFER_LMA), "efer=0x%" PRIx64
				    ": not in long mode", efer);
		}
		expect(text, "fs_base", 0x7f0012340000ULL + i);
		expect(text, "gs_base", 0xffff888076540000ULL + i);
		for (r = 0; r < ARRAY_SIZE(msrs); r++)
			expect(text, msrs[r].name, msrs[r].planted);
		if (i == 1)
			for (r = 0; r < NR_GPRS; r++)
				expect(text, gpr_name(r), GUEST_REGS_VALUE(1, r));
		free(text);
	}
	vm_destroy(vm);
	kvmintro_unload();
}

static void test_live_regs_equal_vmm_view(void)
{
	struct kvm_vm *vm = vm_create_planted();
	char path[192], *text, source[16];
	int round;

	kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	kvmintro_load();
	snprintf(path, sizeof(path), "%s/snapshot", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(path, true, TIMEOUT_MS), "no snapshot");
	for (round = 0; round < 5; round++) {
		TEST_ASSERT(!kvmintro_write(path, "pause"), "pause");
		text = kvmintro_read(regs_path(vm->vcpus[0]));
		TEST_ASSERT(text, "read regs: %s", strerror(errno));
		TEST_ASSERT(kvmintro_kv_str(text, "source", source, sizeof(source)) &&
			    !strcmp(source, "live"), "not live");
		expect_vmm_view(text, vm->vcpus[0]);
		free(text);
		text = kvmintro_read(regs_path(vm->vcpus[1]));
		expect_vmm_view(text, vm->vcpus[1]);
		free(text);
		TEST_ASSERT(!kvmintro_write(path, "resume"), "resume");
		kvmintro_wait_counter_moves(vm->vcpus[0], TIMEOUT_MS);
	}
	vm_destroy(vm);
	kvmintro_unload();
}

static const struct kvmintro_case cases[] = {
	{ "regs: capture holds the values the VMM and the guest planted",
	  test_capture_has_planted_values },
	{ "regs: live regs of a paused vcpu equal the VMM's own KVM_GET_*",
	  test_live_regs_equal_vmm_view },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
