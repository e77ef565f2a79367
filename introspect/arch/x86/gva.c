// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 walk behind the gva file (introspect/gva.c): the paging mode
 * from CR0, CR4 and EFER, the root from CR3 or the request's cr3=, and
 * lib/pagewalk.c's walk and records.
 */
#include "../../kvmintro.h"

const struct kvmintro_gva_override kvmintro_arch_gva_overrides[] = {
	{ "cr3", KVMINTRO_GPA_BITS },
};
const unsigned int kvmintro_arch_gva_nr_overrides =
	ARRAY_SIZE(kvmintro_arch_gva_overrides);

/* See introspect/arch.h. */
int kvmintro_arch_gva_walk(const struct kvmintro_regs *regs,
			   const struct kvmintro_gva_request *req,
			   kvmintro_gva_read_fn read, void *ctx,
			   struct kvmintro_gva_walk *walk)
{
	struct kvmintro_walk *x86 = &walk->arch.walk;
	enum kvmintro_paging_mode mode;
	int r;

	mode = kvmintro_paging_mode(regs->cr0, regs->cr4, regs->efer);
	walk->arch.cr3 = req->given & 1 ? req->value[0] : regs->cr3;
	r = kvmintro_walk_gva(mode, walk->arch.cr3, regs->cr4, req->gva, read,
			      ctx, x86);
	if (r)
		return r;
	walk->mapped = x86->present;
	walk->gpa = x86->gpa;
	walk->page_size = x86->page_size;
	if (!x86->present) {
		walk->stop_level = x86->steps[x86->nr_steps - 1].level;
		walk->has_stop_level = true;
		walk->stop_reason = "not-present";
	}
	return 0;
}

/* mode= and cr3=, after gva= and vcpu=. */
void kvmintro_arch_gva_format_request(struct kvmintro_record_writer *writer,
				      const struct kvmintro_gva_walk *walk)
{
	kvmintro_record_word(writer, "mode",
			     kvmintro_paging_mode_name(walk->arch.walk.mode));
	kvmintro_record_hex(writer, "cr3", walk->arch.cr3);
}

int kvmintro_arch_gva_format_step(char *buf, size_t size,
				  const struct kvmintro_gva_walk *walk,
				  unsigned int step)
{
	const struct kvmintro_walk *x86 = &walk->arch.walk;

	if (step >= x86->nr_steps)
		return 0;
	return kvmintro_format_walk_step(buf, size, x86->mode,
					 &x86->steps[step]);
}
