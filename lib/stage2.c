// SPDX-License-Identifier: GPL-2.0
/*
 * Second-stage page tables as the hardware defines them (AMD APM vol. 2
 * 15.25 for NPT, which uses the x86-64 PTE format; Intel SDM vol. 3 29.3
 * for EPT), plus KVM's own present bit.  Nothing here knows KVM's
 * structures: the kernel side finds the root and reads the entries.
 */
#include "record.h"
#include "stage2.h"
#include "stage2_run.h"

#define X86_PTE_PRESENT		(1ULL << 0)
#define X86_PTE_WRITABLE	(1ULL << 1)
#define X86_PTE_USER		(1ULL << 2)
#define X86_PTE_NX		(1ULL << 63)
#define EPT_READ		(1ULL << 0)
#define EPT_WRITE		(1ULL << 1)
#define EPT_EXEC		(1ULL << 2)
#define EPT_MEMTYPE_SHIFT	3
#define EPT_MEMTYPE_MASK	(7ULL << EPT_MEMTYPE_SHIFT)
#define EPT_IPAT		(1ULL << 6)
/* Bit 7 in both formats: this level-2/3 entry maps a page. */
#define SPTE_LARGE		(1ULL << 7)

const char *kvmintro_tdp_kind_name(enum kvmintro_tdp_kind kind)
{
	return kind == KVMINTRO_TDP_EPT ? "ept" : "npt";
}

/* EPT memory types (SDM vol. 3 29.3.7): the values MTRRs use. */
const char *kvmintro_ept_memtype_name(unsigned int memtype)
{
	static const char *const names[8] = {
		[0] = "uc", [1] = "wc", [4] = "wt", [5] = "wp", [6] = "wb",
	};

	return memtype < 8 && names[memtype] ? names[memtype] : "reserved";
}

void kvmintro_spte_decode(enum kvmintro_tdp_kind kind, unsigned int level,
			  u64 entry, u64 addr_mask, struct kvmintro_spte *spte)
{
	memset(spte, 0, sizeof(*spte));
	spte->present = entry & KVMINTRO_SPTE_MMU_PRESENT;
	spte->large = level > 1 && level < 4 && (entry & SPTE_LARGE);
	spte->leaf = spte->present && (level == 1 || spte->large);
	spte->addr = entry & addr_mask;
	if (kind == KVMINTRO_TDP_EPT) {
		spte->read = entry & EPT_READ;
		spte->write = entry & EPT_WRITE;
		spte->exec = entry & EPT_EXEC;
		if (spte->leaf) {
			spte->memtype = (entry & EPT_MEMTYPE_MASK) >>
					EPT_MEMTYPE_SHIFT;
			spte->ipat = entry & EPT_IPAT;
		}
	} else {
		spte->read = entry & X86_PTE_PRESENT;
		spte->write = entry & X86_PTE_WRITABLE;
		spte->user = entry & X86_PTE_USER;
		spte->exec = !(entry & X86_PTE_NX);
	}
	/* A leaf's address is that of its whole (large) page. */
	if (spte->leaf)
		spte->addr &= ~((1ULL << kvmintro_stage2_shift(level)) - 1);
}

/**
 * kvmintro_stage2_walk() - walk the stage-2 table for one GPA
 * @mmu:	the table
 * @gpa:	the guest physical address
 * @read:	reads an entry
 * @ctx:	for @read
 * @walk:	the result; a non-present entry stops the walk there
 *
 * Return: 0, -EINVAL for a table of an unknown shape or a GPA beyond what
 * it maps, or @read's error.
 */
int kvmintro_stage2_walk(const struct kvmintro_stage2_mmu *mmu, u64 gpa,
			 kvmintro_read_spte_fn read, void *ctx,
			 struct kvmintro_stage2_walk *walk)
{
	struct kvmintro_stage2_step *step;
	unsigned int level = mmu->levels, shift;
	u64 table = mmu->root, entry;
	int r;

	memset(walk, 0, sizeof(*walk));
	walk->gpa = gpa;
	if (level < 2 || level > KVMINTRO_STAGE2_MAX_LEVELS ||
	    gpa >> kvmintro_stage2_shift(level + 1))
		return -EINVAL;
	for (;; level--) {
		shift = kvmintro_stage2_shift(level);
		step = &walk->steps[walk->nr_steps++];
		step->level = level;
		step->table = table;
		step->index = (gpa >> shift) & 511;
		r = read(ctx, table + step->index * 8ULL, &entry);
		if (r)
			return r;
		step->entry = entry;
		kvmintro_spte_decode(mmu->kind, level, entry, mmu->addr_mask,
				     &walk->leaf);
		if (!walk->leaf.present)
			return 0;
		if (walk->leaf.leaf)
			break;
		table = walk->leaf.addr;
	}
	walk->present = true;
	walk->hpa = walk->leaf.addr | (gpa & ((1ULL << shift) - 1));
	return 0;
}

/**
 * kvmintro_stage2_walk_leaf() - walk one GPA for a summary
 * @mmu:	the table
 * @gpa:	the guest physical address
 * @read:	reads an entry
 * @ctx:	for @read
 * @leaf:	what the walk reached: the leaf, or the non-present entry
 *		that stopped it and the range that entry stands for
 *
 * @leaf->attrs holds an EPT leaf's memory type, nothing on NPT.
 *
 * Return: as kvmintro_stage2_walk().
 */
int kvmintro_stage2_walk_leaf(const struct kvmintro_stage2_mmu *mmu, u64 gpa,
			      kvmintro_read_spte_fn read, void *ctx,
			      struct kvmintro_stage2_leaf *leaf)
{
	const struct kvmintro_stage2_step *last;
	struct kvmintro_stage2_walk walk;
	int r;

	r = kvmintro_stage2_walk(mmu, gpa, read, ctx, &walk);
	last = &walk.steps[walk.nr_steps ? walk.nr_steps - 1 : 0];
	if (kvmintro_stage2_leaf_init(leaf, gpa, walk.nr_steps, last->level,
				      kvmintro_stage2_shift(last->level),
				      walk.present)) {
		kvmintro_format_stage2_perm(leaf->perm, &walk.leaf);
		if (mmu->kind == KVMINTRO_TDP_EPT)
			leaf->attrs = last->entry & EPT_MEMTYPE_MASK;
	}
	return r;
}

const char *kvmintro_stage2_size_name(unsigned int level)
{
	static const char *const names[] = { "?", "4K", "2M", "1G", "512G",
					     "256T" };

	return level < ARRAY_SIZE(names) ? names[level] : "?";
}

/*
 * What @spte lets the guest do, as the letters granted in the order r, w,
 * x ("rwx", "rx", "x"...); "" when none is: a word cannot start with '-'.
 */
void kvmintro_format_stage2_perm(char *buf, const struct kvmintro_spte *spte)
{
	char *p = buf;

	if (spte->read)
		*p++ = 'r';
	if (spte->write)
		*p++ = 'w';
	if (spte->exec)
		*p++ = 'x';
	*p = '\0';
}

/**
 * kvmintro_format_stage2_step() - the record of one entry of a walk
 * @buf: where it goes
 * @size: room in @buf
 * @kind: NPT or EPT, which says how the entry is decoded
 * @step: the entry
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_format_stage2_step(char *buf, size_t size,
				enum kvmintro_tdp_kind kind,
				const struct kvmintro_stage2_step *step)
{
	struct kvmintro_record_writer writer;
	struct kvmintro_spte s;

	kvmintro_spte_decode(kind, step->level, step->entry,
			     KVMINTRO_SPTE_ADDR_MASK, &s);
	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_u64(&writer, "level", step->level);
	kvmintro_record_hex(&writer, "table", step->table);
	kvmintro_record_hex(&writer, "index", step->index);
	kvmintro_record_hex(&writer, "entry", step->entry);
	kvmintro_record_u64(&writer, "present", s.present);
	if (kind == KVMINTRO_TDP_EPT) {
		kvmintro_record_u64(&writer, "read", s.read);
		kvmintro_record_u64(&writer, "writable", s.write);
		kvmintro_record_u64(&writer, "exec", s.exec);
	} else {
		kvmintro_record_u64(&writer, "writable", s.write);
		kvmintro_record_u64(&writer, "user", s.user);
		kvmintro_record_u64(&writer, "nx", !s.exec);
	}
	kvmintro_record_u64(&writer, "large", s.large);
	return kvmintro_record_end(&writer);
}

/**
 * kvmintro_format_stage2_run() - the run record of a summary
 * @buf: where it goes
 * @size: room in @buf
 * @kind: NPT or EPT: the memory type is EPT's only
 * @run: the run
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_format_stage2_run(char *buf, size_t size,
			       enum kvmintro_tdp_kind kind,
			       const struct kvmintro_stage2_run *run)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, "run");
	kvmintro_stage2_record_run(&writer, run,
				   kvmintro_stage2_size_name(run->level));
	if (kind == KVMINTRO_TDP_EPT)
		kvmintro_record_word(&writer, "memtype",
				     kvmintro_ept_memtype_name((run->attrs &
					EPT_MEMTYPE_MASK) >> EPT_MEMTYPE_SHIFT));
	else
		kvmintro_record_none(&writer, "memtype");
	return kvmintro_record_end(&writer);
}
