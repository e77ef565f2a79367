// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 walk behind the gva file (introspect/gva.c): the guest's
 * stage-1 tables of the EL1&0 regime with its SCTLR_EL1, TCR_EL1,
 * TTBR0_EL1 and TTBR1_EL1 (the request may override the last three),
 * lib/arm64/pagewalk.c's walk and records.
 *
 * What the walker does not handle fails the write with -EOPNOTSUPP rather
 * than giving a wrong address: a reserved TG0/TG1 encoding, a TnSZ the
 * granule does not allow.
 */
#include "../../kvmintro.h"


/* The order of the request's values: see kvmintro_arm64_gva_regs(). */
const struct kvmintro_gva_override kvmintro_arch_gva_overrides[] = {
	{ "ttbr0", 64 },
	{ "ttbr1", 64 },
	{ "tcr", 64 },
};
const unsigned int kvmintro_arch_gva_nr_overrides =
	ARRAY_SIZE(kvmintro_arch_gva_overrides);

struct kvmintro_arm64_gva_read {
	kvmintro_gva_read_fn read;
	void *ctx;
};

/* Descriptors are 8 bytes, whatever the granule. */
static int kvmintro_arm64_gva_read_desc(void *ctx, u64 gpa, u64 *value)
{
	struct kvmintro_arm64_gva_read *rd = ctx;

	return rd->read(rd->ctx, gpa, 8, value);
}

/* The registers walked with: the vcpu's, or those the request gives. */
static void kvmintro_arm64_gva_regs(const struct kvmintro_regs *regs,
				    const struct kvmintro_gva_request *req,
				    struct kvmintro_arch_gva_walk *arch)
{
	const u64 *sys = regs->sys;

	arch->sctlr = sys[KVMINTRO_ARM64_SCTLR_EL1];
	arch->ttbr0 = req->given & BIT(0) ? req->value[0] :
					    sys[KVMINTRO_ARM64_TTBR0_EL1];
	arch->ttbr1 = req->given & BIT(1) ? req->value[1] :
					    sys[KVMINTRO_ARM64_TTBR1_EL1];
	arch->tcr = req->given & BIT(2) ? req->value[2] :
					  sys[KVMINTRO_ARM64_TCR_EL1];
}

/* See introspect/arch.h. */
int kvmintro_arch_gva_walk(const struct kvmintro_regs *regs,
			   const struct kvmintro_gva_request *req,
			   kvmintro_gva_read_fn read, void *ctx,
			   struct kvmintro_gva_walk *walk)
{
	struct kvmintro_arm64_gva_read rd = { .read = read, .ctx = ctx };
	struct kvmintro_arch_gva_walk *arch = &walk->arch;
	struct kvmintro_arm64_walk *a64 = &arch->walk;
	int r;

	kvmintro_arm64_gva_regs(regs, req, arch);
	r = kvmintro_arm64_walk_gva(arch->sctlr, arch->tcr, arch->ttbr0,
				    arch->ttbr1, req->gva,
				    kvmintro_arm64_gva_read_desc, &rd, a64);
	/* A reserved granule or a TnSZ out of the granule's range. */
	if (r == -EINVAL)
		r = -EOPNOTSUPP;
	if (r)
		return r;

	switch (a64->result) {
	case KVMINTRO_ARM64_WALK_MMU_OFF:
		walk->mapped = true;
		walk->gpa = a64->gpa;
		walk->page_size = SZ_4K;
		break;
	case KVMINTRO_ARM64_WALK_MAPPED:
		walk->mapped = true;
		walk->gpa = a64->gpa;
		walk->page_size = a64->page_size;
		break;
	case KVMINTRO_ARM64_WALK_RANGE:
		walk->stop_reason = "out-of-range";
		break;
	case KVMINTRO_ARM64_WALK_DISABLED:
		walk->stop_reason = "walk-disabled";
		break;
	case KVMINTRO_ARM64_WALK_INVALID:
		walk->stop_level = a64->steps[a64->nr_steps - 1].level;
		walk->has_stop_level = true;
		walk->stop_reason = "invalid";
		break;
	}
	return 0;
}

/*
 * mmu=, the registers walked with, then, with the MMU on, the TTBR the
 * address selects, the granule and that TTBR's VA size.
 */
void kvmintro_arch_gva_format_request(struct kvmintro_record_writer *writer,
				      const struct kvmintro_gva_walk *walk)
{
	const struct kvmintro_arch_gva_walk *arch = &walk->arch;
	bool mmu = arch->walk.result != KVMINTRO_ARM64_WALK_MMU_OFF;

	kvmintro_record_word(writer, "mmu", mmu ? "on" : "off");
	kvmintro_record_hex(writer, "sctlr", arch->sctlr);
	kvmintro_record_hex(writer, "tcr", arch->tcr);
	kvmintro_record_hex(writer, "ttbr0", arch->ttbr0);
	kvmintro_record_hex(writer, "ttbr1", arch->ttbr1);
	if (!mmu)
		return;
	kvmintro_record_u64(writer, "ttbr", arch->walk.ttbr);
	kvmintro_record_size_word(writer, "granule", arch->walk.page_shift);
	kvmintro_record_u64(writer, "va_bits", arch->walk.va_bits);
	kvmintro_record_u64(writer, "lpa2", arch->walk.lpa2);
}

int kvmintro_arch_gva_format_step(char *buf, size_t size,
				  const struct kvmintro_gva_walk *walk,
				  unsigned int step)
{
	const struct kvmintro_arm64_walk *a64 = &walk->arch.walk;

	if (step >= a64->nr_steps)
		return 0;
	return kvmintro_arm64_format_walk_step(buf, size, a64, step);
}
