// SPDX-License-Identifier: GPL-2.0
/*
 * Walk of an arm64 guest's stage-1 tables, EL1&0 regime, 4K granule
 * (Arm ARM D8, "The AArch64 Virtual Memory System Architecture").
 */
#include "../record.h"
#include "pagewalk.h"

#define KVMINTRO_ARM64_SCTLR_M		(1ULL << 0)

/* TCR_EL1 fields of each half: TnSZ, EPDn, TGn, TBIn. */
#define KVMINTRO_ARM64_TCR_T0SZ(tcr)	((tcr) & 0x3f)
#define KVMINTRO_ARM64_TCR_EPD0		(1ULL << 7)
#define KVMINTRO_ARM64_TCR_TG0(tcr)	(((tcr) >> 14) & 3)
#define KVMINTRO_ARM64_TCR_T1SZ(tcr)	(((tcr) >> 16) & 0x3f)
#define KVMINTRO_ARM64_TCR_EPD1		(1ULL << 23)
#define KVMINTRO_ARM64_TCR_TG1(tcr)	(((tcr) >> 30) & 3)
#define KVMINTRO_ARM64_TCR_TBI0		(1ULL << 37)
#define KVMINTRO_ARM64_TCR_TBI1		(1ULL << 38)
#define KVMINTRO_ARM64_TG0_4K		0
#define KVMINTRO_ARM64_TG1_4K		2

/* The 4K granule: 12 bits of page offset, 9 bits a level. */
#define KVMINTRO_ARM64_PAGE_SHIFT	12
#define KVMINTRO_ARM64_LEVEL_BITS	9
/* TnSZ the 4K granule allows without LPA2: 16 (48 bits) to 39 (25 bits). */
#define KVMINTRO_ARM64_TXSZ_MIN		16
#define KVMINTRO_ARM64_TXSZ_MAX		39

/* Descriptor bits (D8.3). */
#define KVMINTRO_ARM64_DESC_VALID	(1ULL << 0)
#define KVMINTRO_ARM64_DESC_TABLE	(1ULL << 1)	/* or page at level 3 */
#define KVMINTRO_ARM64_DESC_ADDR	0x0000fffffffff000ULL
/* TTBRn_EL1.BADDR, CnP (bit 0) and the ASID (63:48) left out. */
#define KVMINTRO_ARM64_TTBR_BADDR	0x0000fffffffffffeULL

/* The lowest address bit a level-@level descriptor translates. */
static unsigned int kvmintro_arm64_level_shift(unsigned int level)
{
	return KVMINTRO_ARM64_PAGE_SHIFT +
	       KVMINTRO_ARM64_LEVEL_BITS * (3 - level);
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
 * Return: 0 (@walk->result says how it ended), -EOPNOTSUPP for a granule
 * other than 4K, -EINVAL for a TnSZ the 4K granule does not allow, or
 * @read's error.
 */
int kvmintro_arm64_walk_gva(u64 sctlr, u64 tcr, u64 ttbr0, u64 ttbr1,
			    u64 gva, kvmintro_arm64_read_desc_fn read,
			    void *ctx, struct kvmintro_arm64_walk *walk)
{
	unsigned int txsz, level, shift, index_bits;
	bool tbi, disabled, granule_4k;
	u64 table, entry, index;
	int r;

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
		granule_4k = KVMINTRO_ARM64_TCR_TG1(tcr) == KVMINTRO_ARM64_TG1_4K;
		table = ttbr1 & KVMINTRO_ARM64_TTBR_BADDR;
	} else {
		txsz = KVMINTRO_ARM64_TCR_T0SZ(tcr);
		tbi = tcr & KVMINTRO_ARM64_TCR_TBI0;
		disabled = tcr & KVMINTRO_ARM64_TCR_EPD0;
		granule_4k = KVMINTRO_ARM64_TCR_TG0(tcr) == KVMINTRO_ARM64_TG0_4K;
		table = ttbr0 & KVMINTRO_ARM64_TTBR_BADDR;
	}
	if (!granule_4k)
		return -EOPNOTSUPP;
	if (txsz < KVMINTRO_ARM64_TXSZ_MIN || txsz > KVMINTRO_ARM64_TXSZ_MAX)
		return -EINVAL;
	walk->va_bits = 64 - txsz;
	if (!kvmintro_arm64_in_range(gva, walk->ttbr, walk->va_bits, tbi)) {
		walk->result = KVMINTRO_ARM64_WALK_RANGE;
		return 0;
	}
	if (disabled) {
		walk->result = KVMINTRO_ARM64_WALK_DISABLED;
		return 0;
	}

	/* The start level resolves what the levels below it leave. */
	level = 4 - (walk->va_bits - KVMINTRO_ARM64_PAGE_SHIFT +
		     KVMINTRO_ARM64_LEVEL_BITS - 1) / KVMINTRO_ARM64_LEVEL_BITS;
	for (;; level++) {
		struct kvmintro_arm64_walk_step *step =
			&walk->steps[walk->nr_steps++];

		shift = kvmintro_arm64_level_shift(level);
		index_bits = walk->va_bits - shift;
		if (index_bits > KVMINTRO_ARM64_LEVEL_BITS)
			index_bits = KVMINTRO_ARM64_LEVEL_BITS;
		index = (gva >> shift) & ((1ULL << index_bits) - 1);
		step->level = level;
		step->table = table;
		step->entry_gpa = table + index * 8;
		r = read(ctx, step->entry_gpa, &entry);
		if (r)
			return r;
		step->entry = entry;
		if (!(entry & KVMINTRO_ARM64_DESC_VALID) ||
		    /* no block at level 0 with 4K, no "table" at level 3 */
		    (level == 0 && !(entry & KVMINTRO_ARM64_DESC_TABLE)) ||
		    (level == 3 && !(entry & KVMINTRO_ARM64_DESC_TABLE))) {
			walk->result = KVMINTRO_ARM64_WALK_INVALID;
			return 0;
		}
		if (level == 3 || !(entry & KVMINTRO_ARM64_DESC_TABLE))
			break;
		table = entry & KVMINTRO_ARM64_DESC_ADDR;
	}
	walk->result = KVMINTRO_ARM64_WALK_MAPPED;
	walk->page_size = 1ULL << shift;
	walk->gpa = (entry & KVMINTRO_ARM64_DESC_ADDR & ~(walk->page_size - 1)) |
		    (gva & (walk->page_size - 1));
	return 0;
}

/**
 * kvmintro_arm64_format_walk_step() - the record of one descriptor
 * @buf:	where it goes
 * @size:	room in @buf
 * @step:	the descriptor
 *
 * Its level, where it is, its raw value, its type (invalid, table, block,
 * page), and decoded: for a table, NSTable, APTable, UXNTable, PXNTable;
 * for a block or page, AttrIndx, NS, AP, SH, AF, nG, DBM, Contiguous, PXN,
 * UXN.
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_arm64_format_walk_step(char *buf, size_t size,
				    const struct kvmintro_arm64_walk_step *step)
{
	struct kvmintro_record_writer writer;
	u64 e = step->entry;
	const char *type;

	if (!(e & KVMINTRO_ARM64_DESC_VALID) ||
	    (step->level == 0 && !(e & KVMINTRO_ARM64_DESC_TABLE)))
		type = "invalid";
	else if (step->level == 3)
		type = e & KVMINTRO_ARM64_DESC_TABLE ? "page" : "invalid";
	else
		type = e & KVMINTRO_ARM64_DESC_TABLE ? "table" : "block";

	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_u64(&writer, "level", step->level);
	kvmintro_record_hex(&writer, "table", step->table);
	kvmintro_record_hex(&writer, "entry_gpa", step->entry_gpa);
	kvmintro_record_hex(&writer, "entry", e);
	kvmintro_record_word(&writer, "type", type);
	if (!strcmp(type, "table")) {
		kvmintro_record_u64(&writer, "ns_table", (e >> 63) & 1);
		kvmintro_record_u64(&writer, "ap_table", (e >> 61) & 3);
		kvmintro_record_u64(&writer, "uxn_table", (e >> 60) & 1);
		kvmintro_record_u64(&writer, "pxn_table", (e >> 59) & 1);
	} else if (strcmp(type, "invalid")) {
		kvmintro_record_u64(&writer, "attr_index", (e >> 2) & 7);
		kvmintro_record_u64(&writer, "ns", (e >> 5) & 1);
		kvmintro_record_u64(&writer, "ap", (e >> 6) & 3);
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
