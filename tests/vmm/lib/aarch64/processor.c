// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 guest setup: vcpus (KVM_ARM_VCPU_INIT), EL1 with the MMU off or on
 * through the guest's own stage-1 tables, and the guest payloads,
 * hand-assembled so that the library needs no guest toolchain.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"

const char *vm_guest_mode_name(enum vm_guest_mode mode)
{
	switch (mode) {
	case VM_MODE_MMU_OFF:
		return "mmu_off";
	case VM_MODE_4K:
		return "4k";
	default:
		return "none";
	}
}

void vcpu_arch_init(struct kvm_vcpu *vcpu)
{
	struct kvm_vm *vm = vcpu->vm;

	if (!vm->arch.has_vcpu_init) {
		vm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &vm->arch.vcpu_init);
		vm->arch.has_vcpu_init = true;
	}
	vcpu_ioctl(vcpu, KVM_ARM_VCPU_INIT, &vm->arch.vcpu_init);
}

void vm_arch_free(struct kvm_vm *vm)
{
	(void)vm;
}

/*
 * KVM/arm64 keeps a vcpu in wfi inside KVM_RUN with or without a vGIC, and
 * every vcpu is runnable from its first run: nothing to create.  (A vGIC
 * would also refuse vcpus added after the first run, which tests do.)
 */
int __vm_arch_create_irqchip(struct kvm_vm *vm)
{
	(void)vm;
	return 0;
}

bool vm_guest_paged(const struct kvm_vm *vm)
{
	return vm->mode == VM_MODE_4K;
}

/* Stage-1 levels 0 (512 GiB an entry) to 3 (4 KiB pages). */
static unsigned int pt_index(uint64_t gva, int level)
{
	return (gva >> (12 + 9 * (3 - level))) & 0x1ff;
}

static uint64_t level_page_size(int level)
{
	return 1ULL << (12 + 9 * (3 - level));
}

static uint64_t *pte_ptr(struct kvm_vm *vm, uint64_t table, unsigned int index)
{
	return (uint64_t *)addr_gpa2hva(vm, table) + index;
}

/* A block (levels 1 and 2) or page (level 3) descriptor is a leaf. */
static bool pte_is_leaf(uint64_t pte, int level)
{
	return level == 3 || !(pte & PTE_TABLE);
}

static int __virt_pg_map_attr(struct kvm_vm *vm, uint64_t gva, uint64_t gpa,
			      uint64_t page_size, unsigned int attr)
{
	uint64_t table = vm->pgd, *pte, val;
	int level, target;

	if (!vm_guest_paged(vm))
		return -EINVAL;
	for (target = 1; target <= 3; target++)
		if (level_page_size(target) == page_size)
			break;
	if (target > 3 || !IS_ALIGNED(gva, page_size) ||
	    !IS_ALIGNED(gpa, page_size) || gva >> GUEST_VA_BITS ||
	    gpa >> GUEST_PA_BITS)
		return -EINVAL;

	for (level = 0; level < target; level++) {
		pte = pte_ptr(vm, table, pt_index(gva, level));
		if (!(*pte & PTE_VALID)) {
			*pte = vm_phy_page_alloc(vm) | PTE_TABLE | PTE_VALID;
		} else if (pte_is_leaf(*pte, level)) {
			uint64_t size = level_page_size(level);
			uint64_t base = *pte & PTE_ADDR_MASK & ~(size - 1);

			/* Already covered by a larger block: same place? */
			return base + (gva & (size - 1)) == gpa ? 0 : -EEXIST;
		}
		table = *pte & PTE_ADDR_MASK;
	}

	pte = pte_ptr(vm, table, pt_index(gva, target));
	val = gpa | PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(attr) | PTE_VALID |
	      (target == 3 ? PTE_TABLE : 0);
	if (*pte & PTE_VALID)
		return (*pte & (PTE_ADDR_MASK | PTE_TABLE)) ==
		       (val & (PTE_ADDR_MASK | PTE_TABLE)) ? 0 : -EEXIST;
	*pte = val;
	return 0;
}

int __virt_pg_map(struct kvm_vm *vm, uint64_t gva, uint64_t gpa,
		  uint64_t page_size)
{
	return __virt_pg_map_attr(vm, gva, gpa, page_size, MAIR_ATTR_NORMAL);
}

int __addr_gva2gpa(struct kvm_vm *vm, uint64_t gva, uint64_t *gpa,
		   uint64_t *page_size)
{
	uint64_t table = vm->pgd, pte, size;
	int level;

	if (!vm_guest_paged(vm) || gva >> GUEST_VA_BITS)
		return -EFAULT;

	for (level = 0; level <= 3; level++) {
		pte = *pte_ptr(vm, table, pt_index(gva, level));
		if (!(pte & PTE_VALID))
			return -EFAULT;
		if (pte_is_leaf(pte, level)) {
			size = level_page_size(level);
			*gpa = (pte & PTE_ADDR_MASK & ~(size - 1)) +
			       (gva & (size - 1));
			if (page_size)
				*page_size = size;
			return 0;
		}
		table = pte & PTE_ADDR_MASK;
	}
	return -EFAULT;
}

void vm_arch_guest_init(struct kvm_vm *vm)
{
	int r;

	TEST_ASSERT(vm->mode == VM_MODE_MMU_OFF || vm->mode == VM_MODE_4K,
		    "bad guest mode %d", vm->mode);
	if (vm->mode == VM_MODE_MMU_OFF)
		return;

	vm->pgd = vm_phy_page_alloc(vm);
	r = __virt_pg_map_attr(vm, GUEST_EXIT_GPA, GUEST_EXIT_GPA, SZ_4K,
			       MAIR_ATTR_DEVICE);
	TEST_ASSERT(!r, "map the exit page: %s", strerror(-r));
}

/* Instructions of the payloads, A64. */
#define A64_LDR_X0_X1		0xf9400020U	/* ldr x0, [x1] */
#define A64_ADD_X0_1		0x91000400U	/* add x0, x0, #1 */
#define A64_STR_X0_X1		0xf9000020U	/* str x0, [x1] */
#define A64_STR_X0_X2		0xf9000040U	/* str x0, [x2] */
#define A64_WFI			0xd503207fU

/* Where the literals (counter and exit addresses) sit in a vcpu's code. */
#define CODE_LITERALS		0x80

/* A vcpu's code, assembled word by word, its literals at CODE_LITERALS. */
struct code_buf {
	uint32_t *p;
	size_t len;		/* in words */
};

static void emit(struct code_buf *c, uint32_t insn)
{
	TEST_ASSERT((c->len + 1) * 4 <= CODE_LITERALS, "guest code too long");
	c->p[c->len++] = insn;
}

/* ldr x<rt>, literal <slot> (8 bytes each) */
static void emit_ldr_literal(struct code_buf *c, unsigned int rt,
			     unsigned int slot, uint64_t value)
{
	uint32_t words = (CODE_LITERALS + slot * 8) / 4 - c->len;

	memcpy((uint8_t *)c->p + CODE_LITERALS + slot * 8, &value, 8);
	emit(c, 0x58000000U | (words & 0x7ffff) << 5 | rt);
}

/* b back to word @target */
static void emit_b_back(struct code_buf *c, size_t target)
{
	emit(c, 0x14000000U | ((uint32_t)(target - c->len) & 0x3ffffff));
}

uint8_t vm_guest_code_fill(void)
{
	return 0;	/* the word 0 is udf #0: should the guest run off */
}

static void guest_code(struct code_buf *c, enum vm_guest_kind kind,
		       uint64_t counter_gva)
{
	size_t loop;

	emit_ldr_literal(c, 1, 0, counter_gva);
	switch (kind) {
	case GUEST_SPIN:
	case GUEST_IDLE:
	case GUEST_REGS:
		loop = c->len;
		emit(c, A64_LDR_X0_X1);
		emit(c, A64_ADD_X0_1);
		emit(c, A64_STR_X0_X1);
		emit_b_back(c, loop);
		break;
	case GUEST_EXIT:
		emit_ldr_literal(c, 2, 1, GUEST_EXIT_GPA);
		loop = c->len;
		emit(c, A64_LDR_X0_X1);
		emit(c, A64_ADD_X0_1);
		emit(c, A64_STR_X0_X1);
		emit(c, A64_STR_X0_X2);		/* the exit: MMIO */
		emit_b_back(c, loop);
		break;
	case GUEST_HALT:
		/* Interrupts stay masked (PSTATE.DAIF as KVM resets it). */
		emit(c, A64_LDR_X0_X1);
		emit(c, A64_ADD_X0_1);
		emit(c, A64_STR_X0_X1);
		loop = c->len;
		emit(c, A64_WFI);
		emit_b_back(c, loop);
		break;
	default:
		TEST_FAIL("guest kind %s: x86 only", vm_guest_kind_name(kind));
	}
}

/*
 * Turn the vcpu's MMU on before its first run: SCTLR_EL1 keeps KVM's
 * reset value (its RES1 bits) with M, C and I set, WXN and EE clear.
 */
static void vcpu_mmu_on(struct kvm_vcpu *vcpu)
{
	uint64_t sctlr = vcpu_get_reg(vcpu, SYS_SCTLR_EL1);

	sctlr = (sctlr | SCTLR_M | SCTLR_C | SCTLR_I) & ~(SCTLR_WXN | SCTLR_EE);
	vcpu_set_reg(vcpu, SYS_MAIR_EL1, GUEST_MAIR);
	vcpu_set_reg(vcpu, SYS_TCR_EL1, GUEST_TCR);
	vcpu_set_reg(vcpu, SYS_TTBR0_EL1, vcpu->vm->pgd);
	vcpu_set_reg(vcpu, SYS_SCTLR_EL1, sctlr);
}

void vcpu_arch_guest_load(struct kvm_vcpu *vcpu, enum vm_guest_kind kind,
			  uint8_t *code_p)
{
	struct code_buf code = { .p = (uint32_t *)code_p };
	unsigned int r;

	guest_code(&code, kind, vcpu->counter_gpa);
	/* What the host wrote must be what the guest fetches. */
	__builtin___clear_cache((char *)code_p, (char *)code_p + VCPU_CODE_SIZE);

	if (vm_guest_paged(vcpu->vm))
		vcpu_mmu_on(vcpu);
	if (kind == GUEST_REGS)
		for (r = GUEST_REGS_FIRST; r <= 30; r++)
			vcpu_set_reg(vcpu, ARM64_X(r),
				     GUEST_REGS_VALUE(vcpu->index, r));
	vcpu_set_reg(vcpu, ARM64_PC, vcpu->code_gpa);
}

bool vcpu_exit_is_guest_exit(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	return run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
	       run->mmio.phys_addr == GUEST_EXIT_GPA;
}

/* KVM/arm64 keeps a vcpu in wfi in the kernel: no halt comes to us. */
bool vcpu_exit_is_guest_halt(struct kvm_vcpu *vcpu)
{
	(void)vcpu;
	return false;
}

uint64_t vcpu_pc(struct kvm_vcpu *vcpu)
{
	uint64_t pc = 0;

	__vcpu_get_reg(vcpu, ARM64_PC, &pc);
	return pc;
}

void vcpu_arch_dump(FILE *out, struct kvm_vcpu *vcpu)
{
	uint64_t value;
	unsigned int r;

	if (__vcpu_get_reg(vcpu, ARM64_PSTATE, &value))
		return;
	fprintf(out, "# pc=%#" PRIx64 " pstate=%#" PRIx64, vcpu_pc(vcpu),
		value);
	for (r = 0; r <= 30; r++)
		if (!__vcpu_get_reg(vcpu, ARM64_X(r), &value))
			fprintf(out, " x%u=%#" PRIx64, r, value);
	fprintf(out, "\n");
}
