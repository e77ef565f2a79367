// SPDX-License-Identifier: GPL-2.0
/*
 * x86 guest setup: real mode, long mode with the guest's own page tables,
 * GDT and segments, and the guest payloads, hand-assembled so that no
 * cross toolchain is needed.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"

static const char * const gpr_names[NR_GPRS] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

const char *gpr_name(unsigned int reg)
{
	return reg < NR_GPRS ? gpr_names[reg] : "?";
}

uint64_t *vcpu_reg_ptr(struct kvm_regs *regs, unsigned int reg)
{
	switch (reg) {
	case GPR_RAX: return (uint64_t *)&regs->rax;
	case GPR_RCX: return (uint64_t *)&regs->rcx;
	case GPR_RDX: return (uint64_t *)&regs->rdx;
	case GPR_RBX: return (uint64_t *)&regs->rbx;
	case GPR_RSP: return (uint64_t *)&regs->rsp;
	case GPR_RBP: return (uint64_t *)&regs->rbp;
	case GPR_RSI: return (uint64_t *)&regs->rsi;
	case GPR_RDI: return (uint64_t *)&regs->rdi;
	case GPR_R8:  return (uint64_t *)&regs->r8;
	case GPR_R9:  return (uint64_t *)&regs->r9;
	case GPR_R10: return (uint64_t *)&regs->r10;
	case GPR_R11: return (uint64_t *)&regs->r11;
	case GPR_R12: return (uint64_t *)&regs->r12;
	case GPR_R13: return (uint64_t *)&regs->r13;
	case GPR_R14: return (uint64_t *)&regs->r14;
	case GPR_R15: return (uint64_t *)&regs->r15;
	}
	TEST_FAIL("bad GPR number %u", reg);
}

const char *vm_guest_mode_name(enum vm_guest_mode mode)
{
	switch (mode) {
	case VM_MODE_REAL:
		return "real";
	case VM_MODE_LONG:
		return "long";
	case VM_MODE_PAE:
		return "pae";
	case VM_MODE_PAGED32:
		return "paged32";
	default:
		return "none";
	}
}

struct kvm_cpuid2 *kvm_get_supported_cpuid(int kvm_fd)
{
	struct kvm_cpuid2 *cpuid = NULL;
	unsigned int nent;
	int r = -E2BIG;

	/* KVM says E2BIG until the buffer is large enough. */
	for (nent = 64; r == -E2BIG && nent <= 4096; nent *= 2) {
		free(cpuid);
		cpuid = calloc(1, sizeof(*cpuid) +
				  nent * sizeof(struct kvm_cpuid_entry2));
		TEST_ASSERT(cpuid, "out of memory");
		cpuid->nent = nent;
		r = __kvm_ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid);
	}
	TEST_ASSERT(!r, "KVM_GET_SUPPORTED_CPUID: %s", strerror(-r));
	errno = 0;	/* don't let a later assertion report our E2BIG */
	return cpuid;
}

bool kvm_cpuid_has(struct kvm_cpuid2 *cpuid, uint32_t function,
		   unsigned int reg, unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];
		uint32_t regs[] = { e->eax, e->ebx, e->ecx, e->edx };

		if (e->function == function && !e->index && reg < 4)
			return regs[reg] & (1U << bit);
	}
	return false;
}

bool vm_has_1g_pages(struct kvm_vm *vm)
{
	if (!vm->arch.cpuid)
		vm->arch.cpuid = kvm_get_supported_cpuid(vm->kvm_fd);
	return kvm_cpuid_has(vm->arch.cpuid, 0x80000001, CPUID_EDX, 26);
}

void vcpu_regs_get(struct kvm_vcpu *vcpu, struct kvm_regs *regs)
{
	vcpu_ioctl(vcpu, KVM_GET_REGS, regs);
}

void vcpu_regs_set(struct kvm_vcpu *vcpu, struct kvm_regs *regs)
{
	vcpu_ioctl(vcpu, KVM_SET_REGS, regs);
}

void vcpu_sregs_get(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs)
{
	vcpu_ioctl(vcpu, KVM_GET_SREGS, sregs);
}

void vcpu_sregs_set(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs)
{
	vcpu_ioctl(vcpu, KVM_SET_SREGS, sregs);
}

/* One struct kvm_msrs with room for a single entry. */
struct kvm_msrs_one {
	struct kvm_msrs hdr;
	struct kvm_msr_entry entry;
};

int __vcpu_set_msr(struct kvm_vcpu *vcpu, uint32_t index, uint64_t value)
{
	struct kvm_msrs_one msrs = {
		.hdr.nmsrs = 1,
		.entry = { .index = index, .data = value },
	};
	int r = __vcpu_ioctl(vcpu, KVM_SET_MSRS, &msrs);

	/* KVM_SET_MSRS returns how many it set: 0 means refused. */
	return r == 1 ? 0 : (r < 0 ? r : -EINVAL);
}

void vcpu_set_msr(struct kvm_vcpu *vcpu, uint32_t index, uint64_t value)
{
	int r = __vcpu_set_msr(vcpu, index, value);

	TEST_ASSERT(!r, "KVM_SET_MSRS %#x = %#" PRIx64 ": %s", index, value,
		    strerror(-r));
}

int __vcpu_get_msr(struct kvm_vcpu *vcpu, uint32_t index, uint64_t *value)
{
	struct kvm_msrs_one msrs = {
		.hdr.nmsrs = 1,
		.entry = { .index = index },
	};
	int r = __vcpu_ioctl(vcpu, KVM_GET_MSRS, &msrs);

	if (r != 1)
		return r < 0 ? r : -EINVAL;
	*value = msrs.entry.data;
	return 0;
}

uint64_t vcpu_get_msr(struct kvm_vcpu *vcpu, uint32_t index)
{
	uint64_t value = 0;
	int r = __vcpu_get_msr(vcpu, index, &value);

	TEST_ASSERT(!r, "KVM_GET_MSRS %#x: %s", index, strerror(-r));
	return value;
}

void vm_arch_free(struct kvm_vm *vm)
{
	free(vm->arch.cpuid);
}

int __vm_arch_create_irqchip(struct kvm_vm *vm)
{
	int r = __vm_ioctl(vm, KVM_CREATE_IRQCHIP, NULL);

	if (!r)
		vm->has_irqchip = true;
	return r;
}

void vcpu_arch_init(struct kvm_vcpu *vcpu)
{
	struct kvm_vm *vm = vcpu->vm;

	/*
	 * Without KVM_SET_CPUID2 the guest has no CPUID at all, and KVM then
	 * refuses EFER.LME and treats 1G page bits as reserved in its own
	 * page walks: give every vcpu what KVM supports, as VMMs do.
	 */
	if (!vm->arch.cpuid)
		vm->arch.cpuid = kvm_get_supported_cpuid(vm->kvm_fd);
	vcpu_ioctl(vcpu, KVM_SET_CPUID2, vm->arch.cpuid);

	/* With an in-kernel LAPIC, APs would wait for INIT/SIPI. */
	if (vm->has_irqchip) {
		struct kvm_mp_state state = {
			.mp_state = KVM_MP_STATE_RUNNABLE,
		};

		vcpu_mp_state_set(vcpu, &state);
	}
}

/* An 8-byte code or data descriptor for base 0, limit 4 GiB. */
#define GDT_CODE64	0x00af9b000000ffffULL	/* P, DPL0, S, exec/read, L, G */
#define GDT_DATA	0x00cf93000000ffffULL	/* P, DPL0, S, read/write, D, G */
#define GDT_USER_CODE64	0x00affb000000ffffULL	/* the same at DPL 3 */
#define GDT_USER_DATA	0x00cff3000000ffffULL
#define GDT_CODE32	0x00cf9b000000ffffULL	/* P, DPL0, S, exec/read, D, G */
#define TSS_LIMIT	0x67

static void vm_gdt_init(struct kvm_vm *vm)
{
	uint64_t *gdt = addr_gpa2hva(vm, vm->arch.gdt_gpa);
	uint64_t base = vm->arch.tss_gpa;

	gdt[0] = 0;
	gdt[GDT_SEL_CODE64 / 8] = GDT_CODE64;
	gdt[GDT_SEL_DATA / 8] = GDT_DATA;
	/* 16-byte system descriptor: busy 64-bit TSS (type 0xb), present. */
	gdt[GDT_SEL_TSS / 8] = TSS_LIMIT | (base & 0xffffff) << 16 |
			       0xbULL << 40 | 1ULL << 47 |
			       ((base >> 24) & 0xff) << 56;
	gdt[GDT_SEL_TSS / 8 + 1] = base >> 32;
	gdt[GDT_SEL_USER_DATA / 8] = GDT_USER_DATA;
	gdt[GDT_SEL_USER_CODE64 / 8] = GDT_USER_CODE64;
	gdt[GDT_SEL_CODE32 / 8] = GDT_CODE32;
}

void vm_arch_guest_init(struct kvm_vm *vm)
{
	TEST_ASSERT(vm->mode == VM_MODE_REAL || vm->mode == VM_MODE_LONG ||
		    vm->mode == VM_MODE_PAE || vm->mode == VM_MODE_PAGED32,
		    "bad guest mode %d", vm->mode);
	if (vm->mode == VM_MODE_REAL) {
		TEST_ASSERT(vm->data_gpa + VM_PAGE_SIZE <= REAL_MODE_LIMIT,
			    "real mode needs a writable memslot below 1 MiB (lowest is at %#llx)",
			    vm->sys_slot->region.guest_phys_addr);
		return;
	}

	vm->pgd = vm_phy_page_alloc(vm);
	vm->arch.gdt_gpa = vm_phy_page_alloc(vm);
	vm->arch.tss_gpa = vm_phy_page_alloc(vm);
	vm_gdt_init(vm);
}

/*
 * The guest's paging, by mode: long mode has 4 levels of 512 8-byte
 * entries; PAE 3 levels, the top one (PDPT) of 4 entries holding only the
 * present bit; 32-bit paging 2 levels of 1024 4-byte entries, 4M pages
 * with CR4.PSE.  Level 1 is the page table.
 */
bool vm_guest_paged(const struct kvm_vm *vm)
{
	return vm->mode == VM_MODE_LONG || vm->mode == VM_MODE_PAE ||
	       vm->mode == VM_MODE_PAGED32;
}

static int pt_levels(const struct kvm_vm *vm)
{
	return vm->mode == VM_MODE_LONG ? 4 : vm->mode == VM_MODE_PAE ? 3 : 2;
}

static unsigned int pt_index_bits(const struct kvm_vm *vm)
{
	return vm->mode == VM_MODE_PAGED32 ? 10 : 9;
}

/* Index of @gva in the table at @level. */
static unsigned int pt_index(const struct kvm_vm *vm, uint64_t gva, int level)
{
	unsigned int bits = pt_index_bits(vm);

	return (gva >> (12 + bits * (level - 1))) & ((1U << bits) - 1);
}

static uint64_t level_page_size(const struct kvm_vm *vm, int level)
{
	return 1ULL << (12 + pt_index_bits(vm) * (level - 1));
}

/* Whether a page of @level may be large (PS) in this mode. */
static bool level_may_be_large(const struct kvm_vm *vm, int level)
{
	return level == 2 || (vm->mode == VM_MODE_LONG && level == 3);
}

static uint64_t pte_read(const struct kvm_vm *vm, uint64_t table, unsigned int index)
{
	void *t = addr_gpa2hva((struct kvm_vm *)vm, table);

	return vm->mode == VM_MODE_PAGED32 ? ((uint32_t *)t)[index] :
					     ((uint64_t *)t)[index];
}

static void pte_write(struct kvm_vm *vm, uint64_t table, unsigned int index,
		      uint64_t pte)
{
	void *t = addr_gpa2hva(vm, table);

	if (vm->mode == VM_MODE_PAGED32)
		((uint32_t *)t)[index] = (uint32_t)pte;
	else
		((uint64_t *)t)[index] = pte;
}

/* Flags of an entry pointing at a table at @level - 1. */
static uint64_t pte_table_flags(const struct kvm_vm *vm, int level)
{
	/* PAE PDPTEs have no writable bit: it is reserved there. */
	if (vm->mode == VM_MODE_PAE && level == 3)
		return PTE_PRESENT;
	return PTE_PRESENT | PTE_WRITABLE;
}

static bool gva_valid(const struct kvm_vm *vm, uint64_t gva)
{
	if (vm->mode != VM_MODE_LONG)
		return gva < (1ULL << 32);
	return (uint64_t)((int64_t)(gva << 16) >> 16) == gva;
}

int __virt_pg_map(struct kvm_vm *vm, uint64_t gva, uint64_t gpa,
		  uint64_t page_size)
{
	uint64_t table = vm->pgd, pte, val;
	int level, target;

	if (!vm_guest_paged(vm))
		return -EINVAL;
	for (target = 1; target <= pt_levels(vm); target++)
		if (level_page_size(vm, target) == page_size)
			break;
	if (target > pt_levels(vm) ||
	    (target > 1 && !level_may_be_large(vm, target)))
		return -EINVAL;
	/* The guest would take a reserved-bit #PF, then triple fault. */
	if (page_size == SZ_1G && !vm_has_1g_pages(vm))
		return -EOPNOTSUPP;
	if (!IS_ALIGNED(gva, page_size) || !IS_ALIGNED(gpa, page_size) ||
	    !gva_valid(vm, gva) || (gpa & ~PTE_ADDR_MASK & ~(page_size - 1)) ||
	    (vm->mode == VM_MODE_PAGED32 && gpa >= (1ULL << 32)))
		return -EINVAL;

	for (level = pt_levels(vm); level > target; level--) {
		unsigned int index = pt_index(vm, gva, level);

		pte = pte_read(vm, table, index);
		if (!(pte & PTE_PRESENT)) {
			pte = vm_phy_page_alloc(vm) | pte_table_flags(vm, level);
			pte_write(vm, table, index, pte);
		} else if (level_may_be_large(vm, level) && (pte & PTE_LARGE)) {
			uint64_t size = level_page_size(vm, level);
			uint64_t base = pte & PTE_ADDR_MASK & ~(size - 1);

			/* Already covered by a larger page: same place? */
			return base + (gva & (size - 1)) == gpa ? 0 : -EEXIST;
		}
		table = pte & PTE_ADDR_MASK;
	}

	pte = pte_read(vm, table, pt_index(vm, gva, target));
	val = gpa | PTE_PRESENT | PTE_WRITABLE | (target > 1 ? PTE_LARGE : 0);
	if (pte & PTE_PRESENT)
		return (pte & (PTE_ADDR_MASK | PTE_LARGE)) ==
		       (val & (PTE_ADDR_MASK | PTE_LARGE)) ? 0 : -EEXIST;
	pte_write(vm, table, pt_index(vm, gva, target), val);
	return 0;
}

int __addr_gva2gpa(struct kvm_vm *vm, uint64_t gva, uint64_t *gpa,
		   uint64_t *page_size)
{
	uint64_t table = vm->pgd;
	int level;

	if (!vm_guest_paged(vm) || !gva_valid(vm, gva))
		return -EFAULT;

	for (level = pt_levels(vm); level >= 1; level--) {
		uint64_t pte = pte_read(vm, table, pt_index(vm, gva, level));
		uint64_t size = level_page_size(vm, level);

		if (!(pte & PTE_PRESENT))
			return -EFAULT;
		if (level == 1 ||
		    (level_may_be_large(vm, level) && (pte & PTE_LARGE))) {
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

void virt_pg_set_user(struct kvm_vm *vm, uint64_t gva)
{
	uint64_t table = vm->pgd, pte;
	unsigned int index;
	int level;

	TEST_ASSERT(vm_guest_paged(vm) && gva_valid(vm, gva),
		    "gva %#" PRIx64 ": no page tables for it", gva);
	for (level = pt_levels(vm); level >= 1; level--) {
		index = pt_index(vm, gva, level);
		pte = pte_read(vm, table, index);
		TEST_ASSERT(pte & PTE_PRESENT, "gva %#" PRIx64 " not mapped",
			    gva);
		/* PAE PDPTEs have no user bit: it is reserved there. */
		if (!(vm->mode == VM_MODE_PAE && level == 3))
			pte_write(vm, table, index, pte | PTE_USER);
		if (level == 1 ||
		    (level_may_be_large(vm, level) && (pte & PTE_LARGE)))
			return;
		table = pte & PTE_ADDR_MASK;
	}
}

/* A small buffer to assemble guest code into. */
struct code_buf {
	uint8_t *p;
	size_t len;
};

static void emit(struct code_buf *c, const void *bytes, size_t n)
{
	TEST_ASSERT(c->len + n <= VCPU_CODE_SIZE, "guest code too long");
	memcpy(c->p + c->len, bytes, n);
	c->len += n;
}

#define EMIT(c, ...) do {						\
	const uint8_t __b[] = { __VA_ARGS__ };				\
	emit(c, __b, sizeof(__b));					\
} while (0)

static void emit_u16(struct code_buf *c, uint16_t v)
{
	emit(c, &v, sizeof(v));
}

static void emit_u32(struct code_buf *c, uint32_t v)
{
	emit(c, &v, sizeof(v));
}

static void emit_u64(struct code_buf *c, uint64_t v)
{
	emit(c, &v, sizeof(v));
}

/* jmp rel8 back to offset @target of the buffer. */
static void emit_jmp_back(struct code_buf *c, size_t target)
{
	int8_t rel = (int8_t)(target - (c->len + 2));

	EMIT(c, 0xeb, (uint8_t)rel);
}

bool vm_cpu_is_amd(struct kvm_vm *vm)
{
	unsigned int i;

	if (!vm->arch.cpuid)
		vm->arch.cpuid = kvm_get_supported_cpuid(vm->kvm_fd);
	for (i = 0; i < vm->arch.cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &vm->arch.cpuid->entries[i];

		/* "AuthenticAMD", "HygonGenuine": ebx holds "Auth", "Hygo" */
		if (!e->function && !e->index)
			return e->ebx == 0x68747541 || e->ebx == 0x6f677948;
	}
	return false;
}

/*
 * The hypercall guests' loop, see struct guest_hypercall_mailbox.  In a
 * 32-bit code segment the same bytes without REX.W are the 32-bit forms.
 */
static void guest_code_hypercall(struct code_buf *c, bool amd, bool bits64)
{
	size_t loop = c->len;

#define EMIT_W(c, ...) do {						\
	if (bits64)							\
		EMIT(c, 0x48);						\
	EMIT(c, __VA_ARGS__);						\
} while (0)
	EMIT_W(c, 0x8b, 0x47, 0x08);		/* mov rax, [rdi + 8] (nr) */
	EMIT_W(c, 0x8b, 0x5f, 0x10);		/* mov rbx, [rdi + 16] (arg) */
	EMIT_W(c, 0xba);			/* mov rdx, imm64/32 */
	emit(c, &(uint64_t){ HYPERCALL_SENTINEL }, bits64 ? 8 : 4);
	EMIT_W(c, 0xbe);			/* mov rsi, imm64/32 */
	emit(c, &(uint64_t){ HYPERCALL_SENTINEL }, bits64 ? 8 : 4);
	if (amd)
		EMIT(c, 0x0f, 0x01, 0xd9);	/* vmmcall */
	else
		EMIT(c, 0x0f, 0x01, 0xc1);	/* vmcall */
	EMIT_W(c, 0x89, 0x47, 0x18);		/* mov [rdi + 24], rax */
	EMIT_W(c, 0x89, 0x57, 0x20);		/* mov [rdi + 32], rdx */
	EMIT_W(c, 0x89, 0x77, 0x28);		/* mov [rdi + 40], rsi */
	EMIT_W(c, 0xff, 0x07);			/* inc qword [rdi] (count) */
#undef EMIT_W
	EMIT(c, 0xe6, GUEST_EXIT_PORT);		/* out GUEST_EXIT_PORT, al */
	emit_jmp_back(c, loop);			/* jmp loop */
}

/*
 * iretq to the code that follows, with the segments @cs and @ss, @rsp and
 * @rflags: a frame of SS, RSP, RFLAGS, CS and RIP.
 */
static void guest_code_iretq(struct code_buf *c, uint64_t code_gva,
			     uint8_t cs, uint8_t ss, uint64_t rsp,
			     uint32_t rflags)
{
	uint64_t rip;
	size_t imm;

	EMIT(c, 0x6a, ss);			/* push imm8: ss */
	EMIT(c, 0x48, 0xb8);			/* mov rax, imm64 */
	emit_u64(c, rsp);
	EMIT(c, 0x50);				/* push rax: rsp */
	EMIT(c, 0x68);				/* push imm32: rflags */
	emit_u32(c, rflags);
	EMIT(c, 0x6a, cs);			/* push imm8: cs */
	EMIT(c, 0x48, 0xb8);			/* mov rax, imm64: rip */
	imm = c->len;
	emit_u64(c, 0);
	EMIT(c, 0x50);				/* push rax */
	EMIT(c, 0x48, 0xcf);			/* iretq */
	rip = code_gva + c->len;
	memcpy(c->p + imm, &rip, sizeof(rip));
}

/*
 * Long mode payloads.  rdi holds the counter's address except in the regs
 * guest, which needs every GPR and uses rip-relative addressing instead.
 */
static void guest_code_long(struct code_buf *c, enum vm_guest_kind kind,
			    unsigned int index, uint64_t code_gva,
			    uint64_t counter_gva, uint64_t stack_top,
			    struct kvm_vm *vm)
{
	size_t loop;
	unsigned int r;
	int64_t disp;

	switch (kind) {
	case GUEST_HYPERCALL_USER:
		/*
		 * To CPL 3, with IOPL 3 so that `out` is allowed; CPL 3
		 * never touches its stack: give it the same one.
		 */
		guest_code_iretq(c, code_gva, GDT_SEL_USER_CODE64 | 3,
				 GDT_SEL_USER_DATA | 3, stack_top, 0x3002);
		guest_code_hypercall(c, vm_cpu_is_amd(vm), true);
		break;
	case GUEST_HYPERCALL_COMPAT:
		TEST_ASSERT(code_gva + VCPU_CODE_SIZE <= SZ_1G * 4 &&
			    counter_gva < SZ_1G * 4,
			    "compatibility mode code and data above 4 GiB");
		guest_code_iretq(c, code_gva, GDT_SEL_CODE32, GDT_SEL_DATA,
				 stack_top, 0x2);
		guest_code_hypercall(c, vm_cpu_is_amd(vm), false);
		break;
	case GUEST_HYPERCALL:
		guest_code_hypercall(c, vm_cpu_is_amd(vm), true);
		break;
	case GUEST_SPIN:
	case GUEST_IDLE:
		loop = c->len;
		EMIT(c, 0x48, 0xff, 0x07);	/* inc qword [rdi] */
		emit_jmp_back(c, loop);		/* jmp loop */
		break;
	case GUEST_EXIT:
		loop = c->len;
		EMIT(c, 0x48, 0xff, 0x07);	/* inc qword [rdi] */
		EMIT(c, 0xe6, GUEST_EXIT_PORT);	/* out GUEST_EXIT_PORT, al */
		emit_jmp_back(c, loop);		/* jmp loop */
		break;
	case GUEST_HALT:
		EMIT(c, 0x48, 0xff, 0x07);	/* inc qword [rdi]: got here */
		EMIT(c, 0xfa);			/* cli: nothing may wake us */
		loop = c->len;
		EMIT(c, 0xf4);			/* hlt */
		emit_jmp_back(c, loop);		/* jmp back to hlt (NMI) */
		break;
	case GUEST_REGS:
		for (r = 0; r < NR_GPRS; r++) {
			/* mov r64, imm64: REX.W (+REX.B for r8-r15), B8+r */
			EMIT(c, r < 8 ? 0x48 : 0x49, 0xb8 + (r & 7));
			emit_u64(c, GUEST_REGS_VALUE(index, r));
		}
		loop = c->len;
		/* inc qword [rip + disp32]; disp from the next instruction */
		disp = (int64_t)counter_gva - (int64_t)(code_gva + c->len + 7);
		TEST_ASSERT(disp == (int32_t)disp, "counter too far from code");
		EMIT(c, 0x48, 0xff, 0x05);
		emit_u32(c, (uint32_t)disp);
		emit_jmp_back(c, loop);		/* jmp loop */
		break;
	default:
		TEST_FAIL("bad guest kind %d", kind);
	}
}

/*
 * 32-bit protected mode payloads (PAE or 32-bit paging).  edi holds the
 * counter's address except in the regs guest; add/adc carry into the
 * upper half of the 64-bit counter.
 */
static void guest_code_prot32(struct code_buf *c, enum vm_guest_kind kind,
			      unsigned int index, uint32_t counter_gva)
{
	size_t loop;
	unsigned int r;

	switch (kind) {
	case GUEST_SPIN:
	case GUEST_IDLE:
	case GUEST_EXIT:
		loop = c->len;
		EMIT(c, 0x83, 0x07, 0x01);		/* add dword [edi], 1 */
		EMIT(c, 0x83, 0x57, 0x04, 0x00);	/* adc dword [edi+4], 0 */
		if (kind == GUEST_EXIT)
			EMIT(c, 0xe6, GUEST_EXIT_PORT);	/* out port, al */
		emit_jmp_back(c, loop);			/* jmp loop */
		break;
	case GUEST_HALT:
		EMIT(c, 0x83, 0x07, 0x01);		/* add dword [edi], 1 */
		EMIT(c, 0x83, 0x57, 0x04, 0x00);	/* adc dword [edi+4], 0 */
		EMIT(c, 0xfa);				/* cli */
		loop = c->len;
		EMIT(c, 0xf4);				/* hlt */
		emit_jmp_back(c, loop);			/* jmp back to hlt */
		break;
	case GUEST_REGS:
		for (r = 0; r < 8; r++) {
			EMIT(c, 0xb8 + r);		/* mov r32, imm32 */
			emit_u32(c, (uint32_t)GUEST_REGS_VALUE(index, r));
		}
		loop = c->len;
		EMIT(c, 0x83, 0x05);			/* add dword [abs32], 1 */
		emit_u32(c, counter_gva);
		EMIT(c, 0x01);
		EMIT(c, 0x83, 0x15);			/* adc dword [abs32], 0 */
		emit_u32(c, counter_gva + 4);
		EMIT(c, 0x00);
		emit_jmp_back(c, loop);			/* jmp loop */
		break;
	default:
		TEST_FAIL("bad guest kind %d", kind);
	}
}

/*
 * Real mode payloads.  ds:bx points at the counter; 0x66 makes the adds
 * 32-bit, and add/adc carry into the upper half of the 64-bit counter.
 */
static void guest_code_real(struct code_buf *c, enum vm_guest_kind kind,
			    unsigned int index, uint16_t counter_off)
{
	size_t loop;
	unsigned int r;

	switch (kind) {
	case GUEST_SPIN:
	case GUEST_IDLE:
		loop = c->len;
		EMIT(c, 0x66, 0x83, 0x07, 0x01);	/* add dword [bx], 1 */
		EMIT(c, 0x66, 0x83, 0x57, 0x04, 0x00);	/* adc dword [bx+4], 0 */
		emit_jmp_back(c, loop);			/* jmp loop */
		break;
	case GUEST_EXIT:
		loop = c->len;
		EMIT(c, 0x66, 0x83, 0x07, 0x01);	/* add dword [bx], 1 */
		EMIT(c, 0x66, 0x83, 0x57, 0x04, 0x00);	/* adc dword [bx+4], 0 */
		EMIT(c, 0xe6, GUEST_EXIT_PORT);		/* out port, al */
		emit_jmp_back(c, loop);			/* jmp loop */
		break;
	case GUEST_HALT:
		EMIT(c, 0x66, 0x83, 0x07, 0x01);	/* add dword [bx], 1 */
		EMIT(c, 0x66, 0x83, 0x57, 0x04, 0x00);	/* adc dword [bx+4], 0 */
		EMIT(c, 0xfa);				/* cli */
		loop = c->len;
		EMIT(c, 0xf4);				/* hlt */
		emit_jmp_back(c, loop);			/* jmp back to hlt */
		break;
	case GUEST_REGS:
		for (r = 0; r < 8; r++) {
			/* mov r32, imm32: 0x66 selects 32-bit, B8+r */
			EMIT(c, 0x66, 0xb8 + r);
			emit_u32(c, (uint32_t)GUEST_REGS_VALUE(index, r));
		}
		loop = c->len;
		/* add dword [disp16], 1: bx is taken, address directly */
		EMIT(c, 0x66, 0x83, 0x06);
		emit_u16(c, counter_off);
		EMIT(c, 0x01);
		/* adc dword [disp16 + 4], 0 */
		EMIT(c, 0x66, 0x83, 0x16);
		emit_u16(c, counter_off + 4);
		EMIT(c, 0x00);
		emit_jmp_back(c, loop);			/* jmp loop */
		break;
	default:
		TEST_FAIL("bad guest kind %d", kind);
	}
}

static void kvm_seg_set_real(struct kvm_segment *seg, uint64_t base,
			     uint8_t type)
{
	memset(seg, 0, sizeof(*seg));
	seg->base = base;
	seg->selector = base >> 4;
	seg->limit = 0xffff;
	seg->type = type;
	seg->present = 1;
	seg->s = 1;
}

static void kvm_seg_set_flat(struct kvm_segment *seg, uint16_t selector,
			     bool code)
{
	memset(seg, 0, sizeof(*seg));
	seg->selector = selector;
	seg->limit = 0xffffffff;
	seg->type = code ? 0xb : 0x3;	/* exec/read or read/write, accessed */
	seg->present = 1;
	seg->s = 1;
	seg->l = code;
	seg->db = !code;	/* L and D together are reserved */
	seg->g = 1;
}

static void vcpu_sregs_init_real(struct kvm_vcpu *vcpu)
{
	struct kvm_sregs sregs;

	vcpu_sregs_get(vcpu, &sregs);
	kvm_seg_set_real(&sregs.cs, vcpu->code_gpa, 0xb);
	kvm_seg_set_real(&sregs.ds, vcpu->vm->data_gpa, 0x3);
	sregs.es = sregs.ds;
	sregs.ss = sregs.ds;
	sregs.cr0 &= ~(X86_CR0_PE | X86_CR0_PG);
	sregs.efer = 0;
	vcpu_sregs_set(vcpu, &sregs);
}

/* Flat segments, GDT, TSS, no IDT, paging on: what paged modes share. */
static void sregs_init_paged(struct kvm_vm *vm, struct kvm_sregs *sregs)
{
	kvm_seg_set_flat(&sregs->cs, GDT_SEL_CODE64, true);
	kvm_seg_set_flat(&sregs->ds, GDT_SEL_DATA, false);
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;

	memset(&sregs->tr, 0, sizeof(sregs->tr));
	sregs->tr.selector = GDT_SEL_TSS;
	sregs->tr.base = vm->arch.tss_gpa;
	sregs->tr.limit = TSS_LIMIT;
	sregs->tr.type = 0xb;
	sregs->tr.present = 1;

	memset(&sregs->ldt, 0, sizeof(sregs->ldt));
	sregs->ldt.unusable = 1;

	sregs->gdt.base = vm->arch.gdt_gpa;
	sregs->gdt.limit = GDT_SEL_CODE32 + 8 - 1;
	/* No IDT: any exception triple faults into KVM_EXIT_SHUTDOWN. */
	sregs->idt.base = 0;
	sregs->idt.limit = 0;

	sregs->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		     X86_CR0_WP | X86_CR0_PG;
	sregs->cr3 = vm->pgd;
}

static void vcpu_sregs_init_long(struct kvm_vcpu *vcpu)
{
	struct kvm_sregs sregs;

	vcpu_sregs_get(vcpu, &sregs);
	sregs_init_paged(vcpu->vm, &sregs);
	sregs.cr4 = X86_CR4_PAE;
	sregs.efer = EFER_LME | EFER_LMA;
	vcpu_sregs_set(vcpu, &sregs);
}

/* 32-bit protected mode with paging: PAE (3 levels) or 32-bit with PSE. */
static void vcpu_sregs_init_prot32(struct kvm_vcpu *vcpu)
{
	struct kvm_sregs sregs;

	vcpu_sregs_get(vcpu, &sregs);
	sregs_init_paged(vcpu->vm, &sregs);
	kvm_seg_set_flat(&sregs.cs, GDT_SEL_CODE32, true);
	sregs.cs.l = 0;
	sregs.cs.db = 1;
	sregs.cr4 = vcpu->vm->mode == VM_MODE_PAE ? X86_CR4_PAE : X86_CR4_PSE;
	sregs.efer = 0;
	vcpu_sregs_set(vcpu, &sregs);
}

struct guest_hypercall_mailbox *vcpu_hypercall_mailbox(struct kvm_vcpu *vcpu)
{
	return addr_gpa2hva(vcpu->vm, vcpu->counter_gpa);
}

struct guest_hypercall_mailbox *vcpu_hypercall(struct kvm_vcpu *vcpu,
					       uint64_t nr, uint64_t arg)
{
	struct guest_hypercall_mailbox *mb = vcpu_hypercall_mailbox(vcpu);
	struct kvm_run *run = vcpu->run;
	uint64_t count = mb->count;

	TEST_ASSERT(vcpu->guest == GUEST_HYPERCALL ||
		    vcpu->guest == GUEST_HYPERCALL_USER ||
		    vcpu->guest == GUEST_HYPERCALL_COMPAT,
		    "vcpu %u is not a hypercall guest", vcpu->id);
	WRITE_ONCE(mb->nr, nr);
	WRITE_ONCE(mb->arg, arg);
	WRITE_ONCE(mb->rax, 0);
	WRITE_ONCE(mb->rdx, 0);
	WRITE_ONCE(mb->rsi, 0);
	vcpu_run(vcpu);
	if (run->exit_reason != KVM_EXIT_IO ||
	    run->io.port != GUEST_EXIT_PORT ||
	    run->io.direction != KVM_EXIT_IO_OUT) {
		vcpu_dump(stderr, vcpu);
		TEST_FAIL("hypercall guest: exit %u (%s), not its report",
			  run->exit_reason, exit_reason_str(run->exit_reason));
	}
	TEST_ASSERT_EQ(READ_ONCE(mb->count), count + 1);
	return mb;
}

uint8_t vm_guest_code_fill(void)
{
	return 0xf4;	/* hlt, should the guest run off its code */
}

void vcpu_arch_guest_load(struct kvm_vcpu *vcpu, enum vm_guest_kind kind,
			  uint8_t *code_p)
{
	struct kvm_vm *vm = vcpu->vm;
	struct code_buf code = { .p = code_p };
	struct kvm_regs regs;
	unsigned int r;

	TEST_ASSERT(vm->mode != VM_MODE_REAL ||
		    vcpu->code_gpa < REAL_MODE_LIMIT,
		    "real-mode code of vcpu %u above 1 MiB", vcpu->index);
	TEST_ASSERT(vm_guest_paged(vm) || vm->mode == VM_MODE_REAL, "bad mode");

	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2;	/* bit 1 is reserved-set; IF stays clear */
	if (kind == GUEST_REGS) {
		/* Preload them all, so even real mode has full 64-bit values. */
		for (r = 0; r < NR_GPRS; r++)
			*vcpu_reg_ptr(&regs, r) = GUEST_REGS_VALUE(vcpu->index,
								   r);
	}

	if (vm->mode == VM_MODE_LONG) {
		if (kind == GUEST_HYPERCALL_USER ||
		    kind == GUEST_HYPERCALL_COMPAT) {
			/*
			 * iretq reads the GDT through its linear address and
			 * needs a stack for its frame; CPL 3 uses code and
			 * data only.
			 */
			virt_identity_map_page(vm, vm->arch.gdt_gpa);
			regs.rsp = vm_phy_page_alloc(vm);
			virt_identity_map_page(vm, regs.rsp);
			regs.rsp += VM_PAGE_SIZE;
		}
		if (kind == GUEST_HYPERCALL_USER) {
			virt_pg_set_user(vm, ALIGN_DOWN(vcpu->code_gpa,
							VM_PAGE_SIZE));
			virt_pg_set_user(vm, vm->data_gpa);
		}
		guest_code_long(&code, kind, vcpu->index, vcpu->code_gpa,
				vcpu->counter_gpa, regs.rsp, vm);
		vcpu_sregs_init_long(vcpu);
		regs.rip = vcpu->code_gpa;
		if (kind != GUEST_REGS)
			regs.rdi = vcpu->counter_gpa;
	} else if (vm_guest_paged(vm)) {
		TEST_ASSERT(vcpu->counter_gpa + 8 <= (1ULL << 32),
			    "32-bit guest data above 4 GiB");
		guest_code_prot32(&code, kind, vcpu->index,
				  (uint32_t)vcpu->counter_gpa);
		vcpu_sregs_init_prot32(vcpu);
		regs.rip = vcpu->code_gpa;
		if (kind != GUEST_REGS)
			regs.rdi = vcpu->counter_gpa;
	} else {
		uint16_t off = vcpu->counter_gpa - vm->data_gpa;

		guest_code_real(&code, kind, vcpu->index, off);
		vcpu_sregs_init_real(vcpu);
		regs.rip = 0;	/* cs.base is the code itself */
		if (kind != GUEST_REGS)
			regs.rbx = off;
	}
	vcpu_regs_set(vcpu, &regs);
}

bool vcpu_exit_is_guest_exit(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	return run->exit_reason == KVM_EXIT_IO &&
	       run->io.port == GUEST_EXIT_PORT &&
	       run->io.direction == KVM_EXIT_IO_OUT;
}

/* Without an in-kernel irqchip hlt comes to the VMM. */
bool vcpu_exit_is_guest_halt(struct kvm_vcpu *vcpu)
{
	return vcpu->run->exit_reason == KVM_EXIT_HLT;
}

uint64_t vcpu_pc(struct kvm_vcpu *vcpu)
{
	struct kvm_regs regs = { 0 };

	__vcpu_ioctl(vcpu, KVM_GET_REGS, &regs);
	return regs.rip;
}

void vcpu_arch_dump(FILE *out, struct kvm_vcpu *vcpu)
{
	struct kvm_regs regs;
	unsigned int r;

	if (__vcpu_ioctl(vcpu, KVM_GET_REGS, &regs))
		return;
	fprintf(out, "# rip=%#llx rflags=%#llx", regs.rip, regs.rflags);
	for (r = 0; r < NR_GPRS; r++)
		fprintf(out, " %s=%#" PRIx64, gpr_name(r),
			*vcpu_reg_ptr(&regs, r));
	fprintf(out, "\n");
}
