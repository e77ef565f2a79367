// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 stage-2 translation tables, 4K granule (Arm ARM D8, "The AArch64
 * Virtual Memory System Architecture": D8.3 descriptors, D8.2.5
 * concatenated tables; D8.6.5 stage-2 memory attributes), as KVM builds
 * them (arch/arm64/kvm/hyp/pgtable.c).  Nothing here knows KVM's
 * structures: the kernel side finds the table and reads the descriptors.
 */
#include "../record.h"
#include "../stage2.h"
#include "stage2.h"

#define S2_PAGE_SHIFT		12
#define S2_LEVEL_BITS		9
#define S2_LAST_LEVEL		3

#define S2_DESC_VALID		(1ULL << 0)
#define S2_DESC_TABLE		(1ULL << 1)	/* a page at level 3 */
#define S2_DESC_MEMATTR(e)	(((e) >> 2) & 0xf)
#define S2_DESC_S2AP_R		(1ULL << 6)
#define S2_DESC_S2AP_W		(1ULL << 7)
#define S2_DESC_SH(e)		(((e) >> 8) & 3)
#define S2_DESC_AF		(1ULL << 10)
#define S2_DESC_XN		(1ULL << 54)
#define S2_DESC_SW(e)		(((e) >> 55) & 0xf)
/* What the leaves of a summary's run share beside level and permissions. */
#define S2_DESC_RUN_ATTRS	((0xfULL << 2) | (0xfULL << 55))
/* Output address: bits 47..12; with LPA2 49..12, and 51..50 in 9..8. */
#define S2_DESC_ADDR		0x0000fffffffff000ULL
#define S2_DESC_ADDR_LPA2	0x0003fffffffff000ULL
#define S2_DESC_ADDR_51_50(e)	(((e) >> 8) & 3)

/* The lowest IPA bit a level-@level descriptor translates. */
unsigned int kvmintro_arm64_s2_shift(int level)
{
	return S2_PAGE_SHIFT + S2_LEVEL_BITS * (S2_LAST_LEVEL - level);
}

/*
 * A table of a shape the 4K granule allows: start level 0..3 (-1, with
 * LPA2 and 52-bit IPAs only, is not handled), at most 16 tables
 * concatenated there, an IPA size the descriptors can address.
 */
bool kvmintro_arm64_s2_table_ok(const struct kvmintro_arm64_s2_table *t)
{
	unsigned int shift;

	if (t->start_level < 0 || t->start_level > S2_LAST_LEVEL)
		return false;
	shift = kvmintro_arm64_s2_shift(t->start_level);
	return t->ia_bits > shift && t->ia_bits <= (t->lpa2 ? 52U : 48U) &&
	       t->ia_bits - shift <= S2_LEVEL_BITS + 4;
}

void kvmintro_arm64_s2_decode(const struct kvmintro_arm64_s2_table *t,
			      int level, u64 entry,
			      struct kvmintro_arm64_s2_desc *desc)
{
	/* Blocks: at levels 1 and 2, and 0 with LPA2. */
	bool block_ok = level > 0 || (level == 0 && t->lpa2);

	memset(desc, 0, sizeof(*desc));
	desc->valid = entry & S2_DESC_VALID;
	if (!desc->valid)
		return;
	if (level == S2_LAST_LEVEL)
		desc->leaf = entry & S2_DESC_TABLE;
	else if (entry & S2_DESC_TABLE)
		desc->table = true;
	else
		desc->leaf = block_ok;
	desc->reserved = !desc->table && !desc->leaf;
	if (t->lpa2)
		desc->addr = (entry & S2_DESC_ADDR_LPA2) |
			     S2_DESC_ADDR_51_50(entry) << 50;
	else
		desc->addr = entry & S2_DESC_ADDR;
	if (!desc->leaf)
		return;
	/* A block's address is that of the whole block. */
	desc->addr &= ~((1ULL << kvmintro_arm64_s2_shift(level)) - 1);
	desc->s2ap_r = entry & S2_DESC_S2AP_R;
	desc->s2ap_w = entry & S2_DESC_S2AP_W;
	desc->xn = entry & S2_DESC_XN;
	desc->memattr = S2_DESC_MEMATTR(entry);
	desc->sh = t->lpa2 ? 0 : S2_DESC_SH(entry);
	desc->af = entry & S2_DESC_AF;
	desc->sw = S2_DESC_SW(entry);
}

/*
 * The memory types KVM maps with (PAGE_S2_MEMATTR(): MT_S2_* without
 * FEAT_S2FWB, MT_S2_FWB_* with it, arch/arm64/include/asm/memory.h); any
 * other MemAttr has no name here.
 */
const char *kvmintro_arm64_s2_memtype_name(bool fwb, unsigned int memattr)
{
	switch (memattr) {
	case 0x0:
		return "device-ngnrne";
	case 0x1:
		return "device-ngnre";
	case 0x5:
		return "normal-nc";
	case 0x6:
		return fwb ? "normal" : "other";
	case 0xf:
		return fwb ? "other" : "normal";
	default:
		return "other";
	}
}

const char *kvmintro_arm64_s2_size_name(int level)
{
	static const char *const names[] = { "512G", "1G", "2M", "4K" };

	return level >= 0 && level <= S2_LAST_LEVEL ? names[level] : "?";
}

/**
 * kvmintro_arm64_s2_walk() - walk a stage-2 table for one IPA
 * @t:		the table
 * @gpa:	the IPA
 * @read:	reads a descriptor
 * @ctx:	for @read
 * @walk:	the result; an invalid descriptor stops the walk there
 *
 * Every descriptor is untrusted: the walk goes down at most from the
 * start level to level 3, and reads only where @read lets it.
 *
 * Return: 0, -EINVAL for a table of a shape not handled or an IPA beyond
 * its size, -EBADMSG at a reserved descriptor (the last step), or
 * @read's error (the last step is then the table descriptor pointing
 * where @read refused to read, if any).
 */
int kvmintro_arm64_s2_walk(const struct kvmintro_arm64_s2_table *t, u64 gpa,
			   kvmintro_arm64_s2_read_fn read, void *ctx,
			   struct kvmintro_arm64_s2_walk *walk)
{
	struct kvmintro_arm64_s2_step *step;
	int level = t->start_level;
	u64 table = t->root, entry, index;
	unsigned int shift = 0;
	int r;

	memset(walk, 0, sizeof(*walk));
	walk->gpa = gpa;
	if (!kvmintro_arm64_s2_table_ok(t) || gpa >> t->ia_bits)
		return -EINVAL;
	for (; level <= S2_LAST_LEVEL; level++) {
		shift = kvmintro_arm64_s2_shift(level);
		/* The start level's index spans its concatenated tables. */
		index = gpa >> shift;
		if (level != t->start_level)
			index &= (1U << S2_LEVEL_BITS) - 1;
		r = read(ctx, table + index * 8, &entry);
		if (r)
			return r;
		step = &walk->steps[walk->nr_steps++];
		step->level = level;
		step->table = table;
		step->index = index;
		step->entry = entry;
		kvmintro_arm64_s2_decode(t, level, entry, &walk->leaf);
		if (!walk->leaf.valid)
			return 0;
		if (walk->leaf.reserved)
			return -EBADMSG;
		if (walk->leaf.leaf)
			break;
		table = walk->leaf.addr;
	}
	/* Level 3 descriptors are pages or reserved: the loop broke. */
	walk->present = true;
	walk->hpa = walk->leaf.addr | (gpa & ((1ULL << shift) - 1));
	return 0;
}

/* What @desc lets the guest do, as kvmintro_format_stage2_perm(). */
static void kvmintro_arm64_s2_perm(char *buf,
				   const struct kvmintro_arm64_s2_desc *desc)
{
	struct kvmintro_spte spte = {
		.read = desc->s2ap_r,
		.write = desc->s2ap_w,
		.exec = !desc->xn,
	};

	kvmintro_format_stage2_perm(buf, &spte);
}

/**
 * kvmintro_arm64_s2_walk_leaf() - walk one IPA for a summary
 * @t:		the table
 * @gpa:	the IPA
 * @read:	reads a descriptor
 * @ctx:	for @read
 * @leaf:	what the walk reached: the block or page, or the invalid
 *		descriptor that stopped it and the range it stands for
 *
 * @leaf->attrs holds the leaf's MemAttr and software bits.
 *
 * Return: as kvmintro_arm64_s2_walk().
 */
int kvmintro_arm64_s2_walk_leaf(const struct kvmintro_arm64_s2_table *t,
				u64 gpa, kvmintro_arm64_s2_read_fn read,
				void *ctx, struct kvmintro_stage2_leaf *leaf)
{
	const struct kvmintro_arm64_s2_step *last;
	struct kvmintro_arm64_s2_walk walk;
	int r;

	r = kvmintro_arm64_s2_walk(t, gpa, read, ctx, &walk);
	last = &walk.steps[walk.nr_steps ? walk.nr_steps - 1 : 0];
	if (kvmintro_stage2_leaf_init(leaf, gpa, walk.nr_steps, last->level,
				      kvmintro_arm64_s2_shift(last->level),
				      walk.present)) {
		kvmintro_arm64_s2_perm(leaf->perm, &walk.leaf);
		leaf->attrs = last->entry & S2_DESC_RUN_ATTRS;
	}
	return r;
}

/* mmu=s2 root=... ia_bits=... start_level=... levels=... lpa2=... fwb=... */
void kvmintro_arm64_s2_record_table(struct kvmintro_record_writer *writer,
				    const struct kvmintro_arm64_s2_table *t)
{
	kvmintro_record_word(writer, "mmu", "s2");
	kvmintro_record_hex(writer, "root", t->root);
	kvmintro_record_u64(writer, "ia_bits", t->ia_bits);
	kvmintro_record_u64(writer, "start_level", t->start_level);
	kvmintro_record_u64(writer, "levels", S2_LAST_LEVEL + 1 - t->start_level);
	kvmintro_record_u64(writer, "lpa2", t->lpa2);
	kvmintro_record_u64(writer, "fwb", t->fwb);
}

/**
 * kvmintro_arm64_s2_format_step() - the record of one descriptor of a walk
 * @buf: where it goes
 * @size: room in @buf
 * @t: the table, which says how the descriptor is decoded
 * @step: the descriptor
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_arm64_s2_format_step(char *buf, size_t size,
				  const struct kvmintro_arm64_s2_table *t,
				  const struct kvmintro_arm64_s2_step *step)
{
	struct kvmintro_record_writer writer;
	struct kvmintro_arm64_s2_desc d;
	const char *type;

	kvmintro_arm64_s2_decode(t, step->level, step->entry, &d);
	type = !d.valid ? "invalid" : d.table ? "table" : d.reserved ?
	       "reserved" : step->level == S2_LAST_LEVEL ? "page" : "block";
	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_u64(&writer, "level", step->level);
	kvmintro_record_hex(&writer, "table", step->table);
	kvmintro_record_hex(&writer, "index", step->index);
	kvmintro_record_hex(&writer, "entry", step->entry);
	kvmintro_record_u64(&writer, "valid", d.valid);
	kvmintro_record_word(&writer, "type", type);
	return kvmintro_record_end(&writer);
}

/* S2AP as the letters granted, r then w; "-" for neither. */
static void kvmintro_arm64_s2_record_s2ap(struct kvmintro_record_writer *w,
					  const struct kvmintro_arm64_s2_desc *d)
{
	char s2ap[3], *p = s2ap;

	if (d->s2ap_r)
		*p++ = 'r';
	if (d->s2ap_w)
		*p++ = 'w';
	*p = '\0';
	if (*s2ap)
		kvmintro_record_word(w, "s2ap", s2ap);
	else
		kvmintro_record_none(w, "s2ap");
}

/*
 * The fields of a leaf record after "leaf": gpa pfn hpa level size perm
 * s2ap xn memattr memtype af sh sw desc.  The caller adds the host side.
 */
void kvmintro_arm64_s2_record_leaf(struct kvmintro_record_writer *writer,
				   const struct kvmintro_arm64_s2_table *t,
				   const struct kvmintro_arm64_s2_walk *walk)
{
	const struct kvmintro_arm64_s2_step *last =
		&walk->steps[walk->nr_steps - 1];
	const struct kvmintro_arm64_s2_desc *d = &walk->leaf;
	char perm[4];

	kvmintro_arm64_s2_perm(perm, d);
	kvmintro_record_hex(writer, "gpa", walk->gpa);
	kvmintro_record_hex(writer, "pfn", walk->hpa >> S2_PAGE_SHIFT);
	kvmintro_record_hex(writer, "hpa", walk->hpa);
	kvmintro_record_u64(writer, "level", last->level);
	kvmintro_record_word(writer, "size",
			     kvmintro_arm64_s2_size_name(last->level));
	kvmintro_stage2_record_perm(writer, perm);
	kvmintro_arm64_s2_record_s2ap(writer, d);
	kvmintro_record_u64(writer, "xn", d->xn);
	kvmintro_record_hex(writer, "memattr", d->memattr);
	kvmintro_record_word(writer, "memtype",
			     kvmintro_arm64_s2_memtype_name(t->fwb, d->memattr));
	kvmintro_record_u64(writer, "af", d->af);
	if (t->lpa2)
		kvmintro_record_none(writer, "sh");
	else
		kvmintro_record_u64(writer, "sh", d->sh);
	kvmintro_record_hex(writer, "sw", d->sw);
	kvmintro_record_hex(writer, "desc", last->entry);
}

/**
 * kvmintro_arm64_s2_format_run() - the run record of a summary
 * @buf: where it goes
 * @size: room in @buf
 * @t: the table
 * @run: the run
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_arm64_s2_format_run(char *buf, size_t size,
				 const struct kvmintro_arm64_s2_table *t,
				 const struct kvmintro_stage2_run *run)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, "run");
	kvmintro_stage2_record_run(&writer, run,
				   kvmintro_arm64_s2_size_name(run->level));
	kvmintro_record_word(&writer, "memtype",
			     kvmintro_arm64_s2_memtype_name(t->fwb,
					S2_DESC_MEMATTR(run->attrs)));
	kvmintro_record_hex(&writer, "sw", S2_DESC_SW(run->attrs));
	return kvmintro_record_end(&writer);
}
