// SPDX-License-Identifier: GPL-2.0
/*
 * Walk of an arm64 guest's stage-1 tables, EL1&0 regime (Arm ARM D8, "The
 * AArch64 Virtual Memory System Architecture").
 */
#include "../record.h"
#include "pagewalk.h"

#define KVMINTRO_ARM64_SCTLR_M		(1ULL << 0)
#define KVMINTRO_ARM64_SCTLR_EE		(1ULL << 25)

/* TCR_EL1 fields of each half: TnSZ, EPDn, TGn, TBIn; IPS and DS. */
#define KVMINTRO_ARM64_TCR_T0SZ(tcr)	((tcr) & 0x3f)
#define KVMINTRO_ARM64_TCR_EPD0		(1ULL << 7)
#define KVMINTRO_ARM64_TCR_TG0(tcr)	(((tcr) >> 14) & 3)
#define KVMINTRO_ARM64_TCR_T1SZ(tcr)	(((tcr) >> 16) & 0x3f)
#define KVMINTRO_ARM64_TCR_EPD1		(1ULL << 23)
#define KVMINTRO_ARM64_TCR_TG1(tcr)	(((tcr) >> 30) & 3)
#define KVMINTRO_ARM64_TCR_IPS(tcr)	(((tcr) >> 32) & 7)
#define KVMINTRO_ARM64_TCR_TBI0		(1ULL << 37)
#define KVMINTRO_ARM64_TCR_TBI1		(1ULL << 38)
#define KVMINTRO_ARM64_TCR_DS		(1ULL << 59)
#define KVMINTRO_ARM64_IPS_52		6

/*
 * TnSZ the granules allow: from 16 (48 bits), 12 (52 bits) with LPA2 or
 * with 64K, to 48 (16 bits; 47 with 64K), FEAT_TTST's bound; 39 without
 * it, where a larger TnSZ is constrained unpredictable: walked as set.
 */
#define KVMINTRO_ARM64_TXSZ_MIN		16
#define KVMINTRO_ARM64_TXSZ_MIN_52	12
#define KVMINTRO_ARM64_TXSZ_MAX		48
#define KVMINTRO_ARM64_TXSZ_MAX_64K	47

/* Descriptor bits (D8.3). */
#define KVMINTRO_ARM64_DESC_VALID	(1ULL << 0)
#define KVMINTRO_ARM64_DESC_TABLE	(1ULL << 1)	/* or page at level 3 */
#define KVMINTRO_ARM64_ADDR_47		0x0000ffffffffffffULL
#define KVMINTRO_ARM64_ADDR_49		0x0003ffffffffffffULL

/* The granule TGn gives, as a page shift; 0 for a reserved encoding. */
static unsigned int kvmintro_arm64_granule(u64 tcr, unsigned int ttbr)
{
	/* TG0: 4K, 64K, 16K; TG1: -, 16K, 4K, 64K. */
	static const unsigned char tg0[4] = { 12, 16, 14, 0 };
	static const unsigned char tg1[4] = { 0, 14, 12, 16 };

	return ttbr ? tg1[KVMINTRO_ARM64_TCR_TG1(tcr)] :
		      tg0[KVMINTRO_ARM64_TCR_TG0(tcr)];
}

/*
 * The address bits [51:@low] of descriptor @d: bits 47:@low, then with
 * LPA2 bits 49:48, and 51:50 from bits 9:8; with 64K and 52-bit PAs
 * (@pa52), bits 51:48 from bits 15:12.
 */
static u64 kvmintro_arm64_address(const struct kvmintro_arm64_walk *walk,
				  bool pa52, u64 d, unsigned int low)
{
	u64 mask = ~((1ULL << low) - 1);

	if (walk->lpa2)
		return (d & KVMINTRO_ARM64_ADDR_49 & mask) |
		       ((d >> 8) & 3) << 50;
	if (pa52)
		return (d & KVMINTRO_ARM64_ADDR_47 & mask) |
		       ((d >> 12) & 0xf) << 48;
	return d & KVMINTRO_ARM64_ADDR_47 & mask;
}

/*
 * TTBRn_EL1.BADDR: bits 47:1, or with 52-bit addresses (@pa52: LPA2, or
 * 64K and 52-bit PAs) bits 47:6, and 51:48 from bits 5:2.
 */
static u64 kvmintro_arm64_ttbr_base(u64 ttbr, bool pa52)
{
	if (!pa52)
		return ttbr & KVMINTRO_ARM64_ADDR_47 & ~1ULL;
	return (ttbr & KVMINTRO_ARM64_ADDR_47 & ~0x3fULL) |
	       ((ttbr >> 2) & 0xf) << 48;
}

/* May a level-@level descriptor of @walk's granule be a block? */
static bool kvmintro_arm64_block_allowed(const struct kvmintro_arm64_walk *walk,
					 bool pa52, int level)
{
	switch (walk->page_shift) {
	case 12:
		return level == 1 || level == 2 || (level == 0 && walk->lpa2);
	case 14:
		return level == 2 || (level == 1 && walk->lpa2);
	default:
		return level == 2 || (level == 1 && pa52);
	}
}

/*
 * Is @gva in the selected half's range: bits 63 (55 with top-byte ignore)
 * down to @va_bits all 0 for TTBR0, all 1 for TTBR1?
 */
static bool kvmintro_arm64_in_range(u64 gva, unsigned int ttbr,
				    unsigned int va_bits, bool tbi)
{
	unsigned int top = tbi ? 56 : 64;
	u64 mask = (top == 64 ? ~0ULL : (1ULL << top) - 1) &
		   ~((1ULL << va_bits) - 1);

	return (gva & mask) == (ttbr ? mask : 0);
}

/**
 * kvmintro_arm64_walk_gva() - translate a guest virtual address
 * @sctlr:	the vcpu's SCTLR_EL1
 * @tcr:	its TCR_EL1
 * @ttbr0:	its TTBR0_EL1
 * @ttbr1:	its TTBR1_EL1
 * @gva:	the address
 * @read:	reads a descriptor from guest physical memory
 * @ctx:	passed to @read
 * @walk:	the walk, filled in
 *
 * Return: 0 (@walk->result says how it ended), -EINVAL for a reserved
 * granule encoding or a TnSZ the granule does not allow, or @read's
 * error.
 */
int kvmintro_arm64_walk_gva(u64 sctlr, u64 tcr, u64 ttbr0, u64 ttbr1,
			    u64 gva, kvmintro_arm64_read_desc_fn read,
			    void *ctx, struct kvmintro_arm64_walk *walk)
{
	unsigned int txsz, shift, index_bits, level_bits, levels;
	bool tbi, disabled, pa52;
	u64 table, entry, index;
	int level, r;

	memset(walk, 0, sizeof(*walk));
	if (!(sctlr & KVMINTRO_ARM64_SCTLR_M)) {
		walk->result = KVMINTRO_ARM64_WALK_MMU_OFF;
		walk->gpa = gva;
		return 0;
	}
	walk->ttbr = (gva >> 55) & 1;
	if (walk->ttbr) {
		txsz = KVMINTRO_ARM64_TCR_T1SZ(tcr);
		tbi = tcr & KVMINTRO_ARM64_TCR_TBI1;
		disabled = tcr & KVMINTRO_ARM64_TCR_EPD1;
		table = ttbr1;
	} else {
		txsz = KVMINTRO_ARM64_TCR_T0SZ(tcr);
		tbi = tcr & KVMINTRO_ARM64_TCR_TBI0;
		disabled = tcr & KVMINTRO_ARM64_TCR_EPD0;
		table = ttbr0;
	}
	walk->page_shift = kvmintro_arm64_granule(tcr, walk->ttbr);
	if (!walk->page_shift)
		return -EINVAL;
	/* DS means LPA2 with 4K and 16K only; 64K has its own 52 bits. */
	walk->lpa2 = walk->page_shift != 16 && tcr & KVMINTRO_ARM64_TCR_DS;
	pa52 = walk->page_shift == 16 &&
	       KVMINTRO_ARM64_TCR_IPS(tcr) == KVMINTRO_ARM64_IPS_52;
	if (txsz < (walk->lpa2 || walk->page_shift == 16 ?
		    KVMINTRO_ARM64_TXSZ_MIN_52 : KVMINTRO_ARM64_TXSZ_MIN) ||
	    txsz > (walk->page_shift == 16 ? KVMINTRO_ARM64_TXSZ_MAX_64K :
					     KVMINTRO_ARM64_TXSZ_MAX))
		return -EINVAL;
	walk->va_bits = 64 - txsz;
	/* Levels of (page_shift - 3) bits each resolve what the page leaves. */
	level_bits = walk->page_shift - 3;
	levels = (walk->va_bits - walk->page_shift + level_bits - 1) / level_bits;
	if (!kvmintro_arm64_in_range(gva, walk->ttbr, walk->va_bits, tbi)) {
		walk->result = KVMINTRO_ARM64_WALK_RANGE;
		return 0;
	}
	if (disabled) {
		walk->result = KVMINTRO_ARM64_WALK_DISABLED;
		return 0;
	}

	table = kvmintro_arm64_ttbr_base(table, walk->lpa2 || pa52);
	for (level = 4 - (int)levels;; level++) {
		struct kvmintro_arm64_walk_step *step =
			&walk->steps[walk->nr_steps++];

		shift = walk->page_shift + level_bits * (3 - level);
		index_bits = walk->va_bits - shift;
		if (index_bits > level_bits)
			index_bits = level_bits;
		index = (gva >> shift) & ((1ULL << index_bits) - 1);
		step->level = level;
		step->table = table;
		step->entry_gpa = table + index * 8;
		r = read(ctx, step->entry_gpa, &entry);
		if (r)
			return r;
		if (sctlr & KVMINTRO_ARM64_SCTLR_EE)
			entry = __builtin_bswap64(entry);
		step->entry = entry;
		if (!(entry & KVMINTRO_ARM64_DESC_VALID))
			step->type = KVMINTRO_ARM64_ENTRY_INVALID;
		else if (level == 3)	/* bits 1:0 0b01 are reserved there */
			step->type = entry & KVMINTRO_ARM64_DESC_TABLE ?
				     KVMINTRO_ARM64_ENTRY_PAGE :
				     KVMINTRO_ARM64_ENTRY_INVALID;
		else if (entry & KVMINTRO_ARM64_DESC_TABLE)
			step->type = KVMINTRO_ARM64_ENTRY_TABLE;
		else
			step->type = kvmintro_arm64_block_allowed(walk, pa52,
								  level) ?
				     KVMINTRO_ARM64_ENTRY_BLOCK :
				     KVMINTRO_ARM64_ENTRY_INVALID;
		if (step->type == KVMINTRO_ARM64_ENTRY_INVALID) {
			walk->result = KVMINTRO_ARM64_WALK_INVALID;
			return 0;
		}
		if (step->type != KVMINTRO_ARM64_ENTRY_TABLE)
			break;
		table = kvmintro_arm64_address(walk, pa52, entry,
					       walk->page_shift);
	}
	walk->result = KVMINTRO_ARM64_WALK_MAPPED;
	walk->page_size = 1ULL << shift;
	walk->gpa = kvmintro_arm64_address(walk, pa52, entry, shift) |
		    (gva & (walk->page_size - 1));
	return 0;
}

/**
 * kvmintro_arm64_format_walk_step() - the record of one descriptor
 * @buf:	where it goes
 * @size:	room in @buf
 * @walk:	the walk
 * @i:		which of its descriptors
 *
 * Its level, where it is, its raw value, its type (invalid, table, block,
 * page), and decoded: for a table, NSTable, APTable, UXNTable, PXNTable;
 * for a block or page, AttrIndx, NS, AP, SH (not with LPA2, whose
 * descriptors hold address bits there), AF, nG, DBM, Contiguous, PXN,
 * UXN.
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_arm64_format_walk_step(char *buf, size_t size,
				    const struct kvmintro_arm64_walk *walk,
				    unsigned int i)
{
	static const char *const types[] = {
		[KVMINTRO_ARM64_ENTRY_INVALID] = "invalid",
		[KVMINTRO_ARM64_ENTRY_TABLE] = "table",
		[KVMINTRO_ARM64_ENTRY_BLOCK] = "block",
		[KVMINTRO_ARM64_ENTRY_PAGE] = "page",
	};
	const struct kvmintro_arm64_walk_step *step = &walk->steps[i];
	struct kvmintro_record_writer writer;
	u64 e = step->entry;

	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_s64(&writer, "level", step->level);
	kvmintro_record_hex(&writer, "table", step->table);
	kvmintro_record_hex(&writer, "entry_gpa", step->entry_gpa);
	kvmintro_record_hex(&writer, "entry", e);
	kvmintro_record_word(&writer, "type", types[step->type]);
	if (step->type == KVMINTRO_ARM64_ENTRY_TABLE) {
		kvmintro_record_u64(&writer, "ns_table", (e >> 63) & 1);
		kvmintro_record_u64(&writer, "ap_table", (e >> 61) & 3);
		kvmintro_record_u64(&writer, "uxn_table", (e >> 60) & 1);
		kvmintro_record_u64(&writer, "pxn_table", (e >> 59) & 1);
	} else if (step->type != KVMINTRO_ARM64_ENTRY_INVALID) {
		kvmintro_record_u64(&writer, "attr_index", (e >> 2) & 7);
		kvmintro_record_u64(&writer, "ns", (e >> 5) & 1);
		kvmintro_record_u64(&writer, "ap", (e >> 6) & 3);
		if (!walk->lpa2)
			kvmintro_record_u64(&writer, "sh", (e >> 8) & 3);
		kvmintro_record_u64(&writer, "af", (e >> 10) & 1);
		kvmintro_record_u64(&writer, "ng", (e >> 11) & 1);
		kvmintro_record_u64(&writer, "dbm", (e >> 51) & 1);
		kvmintro_record_u64(&writer, "contiguous", (e >> 52) & 1);
		kvmintro_record_u64(&writer, "pxn", (e >> 53) & 1);
		kvmintro_record_u64(&writer, "uxn", (e >> 54) & 1);
	}
	return kvmintro_record_end(&writer);
}
