// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for lib/arm64/stage2.c.  An input is
 *
 *   [ia_bits] [start_level] [flags: bit 0 LPA2, bit 1 FWB] [gpa, 8 bytes
 *   LE] [host memory: descriptors, 8 bytes LE each, from address 0]
 *
 * The table's first level is at host address 0 of that memory, which is
 * as hostile as a guest could make KVM's table: any descriptor may be
 * anything.  A walk must refuse a shape not handled or an IPA past the
 * table's size, read only inside the memory (the reader refuses the rest,
 * as the kernel's refuses what is not RAM), read at most one descriptor a
 * level, never more than 4, from the start level down (a refused read
 * is no step), end at a leaf only
 * with its host address inside the leaf's block, and every record it
 * formats must parse back.  The summary's walk must agree with it and
 * cover a range that holds the IPA (so the summary moves forward).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/record.h"
#include "../../lib/arm64/stage2.h"
#include "fuzz_assert.h"

struct fuzz_mem {
	const u8 *data;
	size_t size;
	unsigned int reads;
};

static int fuzz_read(void *ctx, u64 hpa, u64 *value)
{
	struct fuzz_mem *mem = ctx;

	mem->reads++;
	if (hpa >= mem->size || mem->size - hpa < 8 || hpa % 8)
		return -EFAULT;
	memcpy(value, mem->data + hpa, 8);
	return 0;
}

/* @len bytes at @buf must parse as one record. */
static void fuzz_parses(const char *buf, int len)
{
	struct kvmintro_record_field fields[32];
	struct kvmintro_record record;

	FUZZ_ASSERT(len > 0 && buf[len - 1] == '\n');
	FUZZ_ASSERT(kvmintro_record_parse(buf, len - 1, &record, fields, 32) == 0);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct kvmintro_arm64_s2_table t = { 0 };
	struct kvmintro_record_writer writer;
	struct kvmintro_arm64_s2_walk w;
	struct kvmintro_stage2_run run = { 0 };
	struct kvmintro_stage2_leaf leaf;
	struct fuzz_mem mem;
	char buf[512];
	unsigned int i;
	u64 gpa, next, size_leaf;
	int r, len;

	if (size < 11)
		return 0;
	t.ia_bits = data[0];
	t.start_level = (signed char)data[1];
	t.lpa2 = data[2] & 1;
	t.fwb = data[2] & 2;
	memcpy(&gpa, data + 3, 8);
	mem.data = data + 11;
	mem.size = size - 11;
	mem.reads = 0;

	r = kvmintro_arm64_s2_walk(&t, gpa, fuzz_read, &mem, &w);
	if (!kvmintro_arm64_s2_table_ok(&t) || (t.ia_bits < 64 && gpa >> t.ia_bits)) {
		FUZZ_ASSERT(r == -EINVAL && !mem.reads);
		return 0;
	}
	FUZZ_ASSERT(t.start_level >= 0 && t.start_level <= 3);
	FUZZ_ASSERT(r == 0 || r == -EFAULT || r == -EBADMSG);
	/* A refused read is no step; every other read is one. */
	FUZZ_ASSERT(mem.reads == w.nr_steps + (r == -EFAULT) &&
		    mem.reads >= 1 &&
		    mem.reads <= (unsigned int)(4 - t.start_level));
	for (i = 0; i < w.nr_steps; i++) {
		FUZZ_ASSERT(w.steps[i].level == t.start_level + (int)i);
		len = kvmintro_arm64_s2_format_step(buf, sizeof(buf), &t,
						    &w.steps[i]);
		fuzz_parses(buf, len);
	}
	if (r)
		return 0;
	/* The summary's walk: the same walk, and a range that holds @gpa. */
	mem.reads = 0;
	FUZZ_ASSERT(!kvmintro_arm64_s2_walk_leaf(&t, gpa, fuzz_read, &mem,
						 &leaf));
	FUZZ_ASSERT(leaf.present == w.present && mem.reads == w.nr_steps &&
		    leaf.level == w.steps[w.nr_steps - 1].level);
	size_leaf = 1ULL << leaf.shift;
	next = leaf.gpa + size_leaf;
	FUZZ_ASSERT(leaf.gpa <= gpa && next > gpa);
	if (!w.present)
		return 0;
	FUZZ_ASSERT(w.leaf.leaf && (w.hpa & (size_leaf - 1)) == (gpa & (size_leaf - 1)));
	kvmintro_record_begin(&writer, buf, sizeof(buf), "leaf");
	kvmintro_arm64_s2_record_table(&writer, &t);
	kvmintro_arm64_s2_record_leaf(&writer, &t, &w);
	fuzz_parses(buf, kvmintro_record_end(&writer));
	FUZZ_ASSERT(kvmintro_stage2_run_add(&run, &leaf));
	FUZZ_ASSERT(run.npages == size_leaf >> 12 && run.leaves == 1);
	fuzz_parses(buf, kvmintro_arm64_s2_format_run(buf, sizeof(buf), &t, &run));
	return 0;
}
