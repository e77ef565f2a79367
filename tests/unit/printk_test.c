// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/printk.c: rings built by hand as the guest
 * kernel's writer builds them (printk_image.c, from the kernel's own
 * structures and algorithm), read back: every record the kernel's readers
 * would find, in order, and nothing else; then rings a hostile or broken
 * guest could leave, which must give an error or fewer records, never a
 * crash (the sanitizers watch) or a loop beyond the ring's size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printk_image.h"
#include "cli_tap.h"
#include "../../lib/printk.h"

/* What a read found. */
struct found {
	struct {
		uint64_t seq, ts_nsec;
		uint32_t caller_id;
		char text[256];
		size_t text_len;
	} records[PRINTK_IMAGE_MAX_RECORDS];
	unsigned int count;
	struct kvmintro_printk_stats stats;
	int ret;
};

static struct found found;
static struct printk_image image;
static char text[KVMINTRO_PRINTK_TEXT_MAX];

static int take(void *context, const struct kvmintro_printk_record *record)
{
	struct found *f = context;

	if (f->count == PRINTK_IMAGE_MAX_RECORDS)
		return -ENOSPC;
	f->records[f->count].seq = record->seq;
	f->records[f->count].ts_nsec = record->ts_nsec;
	f->records[f->count].caller_id = record->caller_id;
	f->records[f->count].text_len = record->text_len;
	memcpy(f->records[f->count].text, record->text,
	       record->text_len < 256 ? record->text_len : 256);
	f->count++;
	return 0;
}

/* Read @image with its own VMCOREINFO into found. */
static int read_image(struct printk_image *img)
{
	struct kvmintro_printk_layout layout;
	char vmcoreinfo[4096];
	const char *missing;
	int ret;

	printk_image_vmcoreinfo(vmcoreinfo, sizeof(vmcoreinfo), img->prb);
	memset(&found, 0, sizeof(found));
	ret = kvmintro_printk_layout_parse(vmcoreinfo, &layout, &missing);
	if (ret)
		return found.ret = ret;
	found.ret = kvmintro_printk_read(&layout, printk_image_read, img, take,
					 &found, text, &found.stats);
	return found.ret;
}

/* Did the read find exactly the records the image says a reader finds? */
static bool found_expected(const struct printk_image *img)
{
	unsigned int i, n = 0;

	for (i = 0; i < img->nr_ring; i++) {
		const struct printk_image_record *r = &img->ring[i];

		if (!r->expected)
			continue;
		if (n >= found.count || found.records[n].text_len != r->text_len ||
		    memcmp(found.records[n].text, r->text, r->text_len)) {
			printf("# record %u: expected \"%.*s\"\n", n,
			       (int)r->text_len, r->text);
			return false;
		}
		n++;
	}
	if (n != found.count)
		printf("# %u records found, %u expected\n", found.count, n);
	return n == found.count;
}

static void test_basic(void)
{
	printk_image_init(&image, 4, 12);
	printk_image_add(&image, "Linux version 6.1.0-test", 0, 0);
	CLI_EXPECT(!read_image(&image) && found.count == 1 &&
		   found.records[0].seq == 0 && found_expected(&image),
		   "one record (head one past the bootstrap tail) reads back");
	printk_image_add(&image, "Command line: console=ttyS0", 1500, 1);
	printk_image_add(&image, "first line\nsecond line", 2000123456, 0x80000001);
	CLI_EXPECT(!read_image(&image) && found_expected(&image) &&
		   found.count == 3, "three records, in order");
	CLI_EXPECT(found.records[2].seq == 2 &&
		   found.records[2].ts_nsec == 2000123456 &&
		   found.records[2].caller_id == 0x80000001,
		   "seq, time and caller of a record are its printk_info's");
	CLI_EXPECT(found.stats.skipped == 1 && found.stats.invalid == 0,
		   "the bootstrap descriptor, reusable, is skipped");
	printk_image_release(&image);
}

static void test_head_is_tail(void)
{
	struct guest_printk_ringbuffer *rb;

	printk_image_init(&image, 4, 12);
	CLI_EXPECT(!read_image(&image) && found.count == 0,
		   "an empty ring (head == tail, the bootstrap) has no records");
	printk_image_add(&image, "only", 7, 0);
	rb = printk_image_rb(&image);
	rb->desc_ring.tail_id.counter = rb->desc_ring.head_id.counter;
	CLI_EXPECT(!read_image(&image) && found.count == 1 &&
		   !memcmp(found.records[0].text, "only", 4),
		   "head == tail on a record: that one record");
	printk_image_release(&image);
}

static void test_wrap(void)
{
	char text[64];
	unsigned int i, wrapped = 0, reusable = 0;

	/* 16 descriptors, 256 bytes of text: both rings wrap many times. */
	printk_image_init(&image, 4, 8);
	for (i = 0; i < 100; i++) {
		snprintf(text, sizeof(text), "message %u%.*s", i, (int)(i % 23),
			 "abcdefghijklmnopqrstuvwxyz");
		printk_image_add(&image, text, i * 1000, i);
	}
	for (i = 0; i < image.nr_ring; i++) {
		wrapped += image.ring[i].expected &&
			   image.ring[i].next - image.ring[i].begin !=
			   ((8 + image.ring[i].text_len + 7) & ~7ull);
		reusable += !image.ring[i].expected;
	}
	printf("# %u descriptors from tail to head, %u wrapped, %u reusable\n",
	       image.nr_ring, wrapped, reusable);
	read_image(&image);
	CLI_EXPECT(!found.ret && found_expected(&image) && found.count > 3,
		   "wrapped rings: the records still in them, in order (%u)",
		   found.count);
	CLI_EXPECT(found.count &&
		   !memcmp(found.records[found.count - 1].text, "message 99", 10),
		   "the newest record is the last one logged");
	CLI_EXPECT(reusable && found.stats.skipped == reusable,
		   "descriptors whose data was overwritten are skipped (%u)",
		   reusable);
	/* Find a ring whose kept records include a wrapping block. */
	for (i = 100; !wrapped && i < 400; i++) {
		snprintf(text, sizeof(text), "more %u%.*s", i, (int)(i % 31),
			 "abcdefghijklmnopqrstuvwxyz0123456789");
		printk_image_add(&image, text, i * 1000, i);
		wrapped = image.ring[image.nr_ring - 1].next -
			  image.ring[image.nr_ring - 1].begin !=
			  ((8 + image.ring[image.nr_ring - 1].text_len + 7) & ~7ull);
	}
	CLI_EXPECT(wrapped && !read_image(&image) && found_expected(&image),
		   "a block that wraps to the ring's start reads from there");
	printk_image_release(&image);
}

static void test_dataless(void)
{
	struct guest_prb_desc *desc;
	uint64_t id;

	printk_image_init(&image, 4, 12);
	printk_image_add(&image, "before", 1, 0);
	printk_image_add_empty(&image, 2);
	id = printk_image_add(&image, "lost", 3, 0);
	printk_image_add(&image, "after", 4, 0);
	desc = printk_image_desc(&image, id);
	desc->text_blk_lpos.begin = GUEST_FAILED_LPOS;
	desc->text_blk_lpos.next = GUEST_FAILED_LPOS;
	CLI_EXPECT(!read_image(&image) && found.count == 3 &&
		   found.records[1].text_len == 0 &&
		   !memcmp(found.records[2].text, "after", 5),
		   "an empty line (no data block) is a record with no text; lost text is left out");
	CLI_EXPECT(found.stats.invalid == 1, "lost text counts as invalid");

	desc->state_var.counter = GUEST_DESC_SV(id, GUEST_DESC_RESERVED);
	printk_image_desc(&image, id + 1)->state_var.counter =
		GUEST_DESC_SV(id + 1, GUEST_DESC_COMMITTED);
	CLI_EXPECT(!read_image(&image) && found.count == 3 &&
		   !memcmp(found.records[2].text, "after", 5),
		   "reserved descriptors are skipped, committed ones read");
	printk_image_release(&image);
}

static void test_hostile(void)
{
	struct guest_printk_ringbuffer *rb;
	struct guest_printk_info *info;
	struct guest_prb_desc *desc;
	uint64_t id, block;
	unsigned int i;

	printk_image_init(&image, 4, 10);
	for (i = 0; i < 10; i++)
		printk_image_add(&image, "a line of text", i, 0);
	rb = printk_image_rb(&image);

	rb->desc_ring.count_bits = 200;
	CLI_EXPECT(read_image(&image) == -E2BIG && found.stats.problem,
		   "huge count_bits: -E2BIG, and why");
	rb->desc_ring.count_bits = 4;
	rb->text_data_ring.size_bits = 0;
	CLI_EXPECT(read_image(&image) == -EBADMSG && found.count == 0,
		   "size_bits 0: -EBADMSG");
	rb->text_data_ring.size_bits = 64;
	CLI_EXPECT(read_image(&image) == -EBADMSG, "size_bits 64: -EBADMSG");
	rb->text_data_ring.size_bits = 10;

	/* Ids that loop: tail one after head, 2^62 - 1 ids apart. */
	rb->desc_ring.tail_id.counter = (rb->desc_ring.head_id.counter + 1) &
					GUEST_DESC_ID_MASK;
	CLI_EXPECT(!read_image(&image) && found.count == 10 &&
		   found.stats.records + found.stats.skipped +
		   found.stats.invalid <= 16,
		   "tail after head: at most a ring's worth of descriptors read");
	rb->desc_ring.tail_id.counter = image.ring[0].id;

	id = image.ring[image.nr_ring - 1].id;
	info = printk_image_info(&image, id);
	desc = printk_image_desc(&image, id);
	info->text_len = 60000;
	CLI_EXPECT(!read_image(&image) && found.count == 10 &&
		   found.records[9].text_len ==
		   desc->text_blk_lpos.next - desc->text_blk_lpos.begin - 8,
		   "text_len past its block: cut at the block's end");
	info->text_len = 14;

	info->seq += 1;
	CLI_EXPECT(!read_image(&image) && found.count == 9 &&
		   found.stats.invalid == 1,
		   "a seq not of its descriptor's index: left out");
	info->seq -= 1;

	memcpy(&block, printk_image_at(&image, image.data +
			(desc->text_blk_lpos.begin & 1023)), 8);
	block ^= 1;
	memcpy(printk_image_at(&image, image.data +
			(desc->text_blk_lpos.begin & 1023)), &block, 8);
	CLI_EXPECT(!read_image(&image) && found.count == 9,
		   "a data block of another id (overwritten): left out");
	block ^= 1;
	memcpy(printk_image_at(&image, image.data +
			(desc->text_blk_lpos.begin & 1023)), &block, 8);

	desc->state_var.counter ^= 1;
	CLI_EXPECT(!read_image(&image) && found.count == 9,
		   "a descriptor of another id: left out");
	desc->state_var.counter ^= 1;

	desc->text_blk_lpos.begin += 4;
	CLI_EXPECT(!read_image(&image) && found.count == 9 &&
		   found.stats.invalid == 1, "an unaligned block: left out");
	desc->text_blk_lpos.begin -= 4;
	desc->text_blk_lpos.next = desc->text_blk_lpos.begin + 4096;
	CLI_EXPECT(!read_image(&image) && found.count == 9,
		   "a block larger than the ring: left out");
	desc->text_blk_lpos.next = desc->text_blk_lpos.begin;
	CLI_EXPECT(!read_image(&image) && found.count == 9,
		   "a block that ends where it begins: left out");
	desc->text_blk_lpos.next = desc->text_blk_lpos.begin + 24;

	rb->desc_ring.descs = 0x1000;
	CLI_EXPECT(read_image(&image) == -EFAULT && found.count == 0,
		   "descriptors outside guest memory: the read's error");
	rb->desc_ring.descs = image.descs;
	rb->text_data_ring.data = image.data + (1ull << 40);
	CLI_EXPECT(read_image(&image) == -EFAULT,
		   "text data outside guest memory: the read's error");
	rb->text_data_ring.data = image.data;
	memset(printk_image_at(&image, image.prb), 0xff, 8);
	CLI_EXPECT(read_image(&image) == -EFAULT, "prb pointing nowhere: an error");
	printk_image_release(&image);
}

/* Exact-fit: a block that ends right at the ring's end, as newer kernels
 * place it (next at the next wrap's start), is not a wrapped one. */
static void test_exact_fit(void)
{
	struct guest_prb_desc *desc;
	uint64_t id, at;

	printk_image_init(&image, 4, 8);
	id = printk_image_add(&image, "0123456789abcdef", 5, 0);	/* 24 bytes */
	desc = printk_image_desc(&image, id);
	at = 256 - 24;
	desc->text_blk_lpos.begin = 0x1000 + at;
	desc->text_blk_lpos.next = 0x1000 + 256;
	memcpy(printk_image_at(&image, image.data + at), &id, 8);
	memcpy(printk_image_at(&image, image.data + at + 8), "0123456789abcdef", 16);
	memset(printk_image_at(&image, image.data), 0, 24);
	CLI_EXPECT(!read_image(&image) && found.count == 1 &&
		   !memcmp(found.records[0].text, "0123456789abcdef", 16),
		   "a block that ends at the ring's end reads where it begins");
	printk_image_release(&image);
}

static void test_layout(void)
{
	struct kvmintro_printk_layout layout;
	char vmcoreinfo[4096], *at;
	const char *missing;

	printk_image_vmcoreinfo(vmcoreinfo, sizeof(vmcoreinfo), PRINTK_IMAGE_BASE);
	CLI_EXPECT(!kvmintro_printk_layout_parse(vmcoreinfo, &layout, &missing) &&
		   layout.prb == PRINTK_IMAGE_BASE && layout.desc_size == 24 &&
		   layout.info_size == 88 && layout.info_text_len == 16,
		   "the VMCOREINFO lines give the kernel's layout");
	CLI_EXPECT(kvmintro_printk_layout_parse("OSRELEASE=4.19.0\n", &layout,
						&missing) == -ENOENT &&
		   missing && !strcmp(missing, "SYMBOL(prb)"),
		   "a kernel without the lockless ring: -ENOENT, naming the key");
	at = strstr(vmcoreinfo, "SIZE(prb_desc)=");
	memcpy(at, "SIZE(prb_desc)=8\n", 17);
	memmove(at + 17, strchr(at + 15, '\n') + 1,
		strlen(strchr(at + 15, '\n') + 1) + 1);
	CLI_EXPECT(kvmintro_printk_layout_parse(vmcoreinfo, &layout, &missing) == -EBADMSG,
		   "a descriptor too small for its fields: -EBADMSG");
	printk_image_vmcoreinfo(vmcoreinfo, sizeof(vmcoreinfo), PRINTK_IMAGE_BASE);
	at = strstr(vmcoreinfo, "OFFSET(printk_info.seq)=") + 24;
	memmove(at + 8, at + 1, strlen(at + 1) + 1);
	memcpy(at, "99999999", 8);
	CLI_EXPECT(kvmintro_printk_layout_parse(vmcoreinfo, &layout, &missing) == -EBADMSG,
		   "an offset beyond any structure: -EBADMSG");
}

/* The numbers of a VMCOREINFO, and the page tables they locate. */
static void test_vmcoreinfo(void)
{
	static const char text[] =
		"OSRELEASE=6.1.0-test\n"
		"KERNELOFFSET=24600000\n"
		"SYMBOL(init_top_pgt)=ffffffff82a0a000\n"
		"NUMBER(phys_base)=-16777216\n"
		"NUMBER(pgtable_l5_enabled)=1\n"
		"OFFSET(big)=18446744073709551616\n"
		"SYMBOL(bad)=12g4\n"
		"SIZE(empty)=";
	struct kvmintro_kernel_memory memory = { .cr3 = 0 };
	const char *value;
	size_t len;
	u64 n;

	value = kvmintro_vmcoreinfo_value(text, "OSRELEASE", &len);
	CLI_EXPECT(value && len == 10 && !memcmp(value, "6.1.0-test", len),
		   "a value runs to the end of its line");
	CLI_EXPECT(!kvmintro_vmcoreinfo_value(text, "OSREL", &len),
		   "a key is matched whole");
	CLI_EXPECT(kvmintro_vmcoreinfo_number(text, "KERNELOFFSET", 16, &n) &&
		   n == 0x24600000, "SYMBOL() and KERNELOFFSET are hex");
	CLI_EXPECT(kvmintro_vmcoreinfo_number(text, "NUMBER(phys_base)", 10, &n) &&
		   n == (u64)-16777216, "a NUMBER() may be negative");
	CLI_EXPECT(!kvmintro_vmcoreinfo_number(text, "OFFSET(big)", 10, &n) &&
		   !kvmintro_vmcoreinfo_number(text, "SYMBOL(bad)", 16, &n) &&
		   !kvmintro_vmcoreinfo_number(text, "SIZE(empty)", 10, &n) &&
		   !kvmintro_vmcoreinfo_number(text, "SIZE(none)", 10, &n),
		   "no number past 64 bits, with a stray letter, empty or missing");
	CLI_EXPECT(!kvmintro_vmcoreinfo_page_tables(text, &memory) &&
		   memory.mode == KVMINTRO_PAGING_5LEVEL &&
		   memory.cr3 == 0x2a0a000 - 16777216,
		   "init_top_pgt at __pa_symbol(), 5-level as the kernel says");
	CLI_EXPECT(kvmintro_vmcoreinfo_page_tables("OSRELEASE=5.4\n", &memory) ==
		   -ENOENT, "no init_top_pgt: -ENOENT");
}

int main(void)
{
	test_vmcoreinfo();
	test_basic();
	test_head_is_tail();
	test_wrap();
	test_dataless();
	test_hostile();
	test_exact_fit();
	test_layout();
	return cli_tap_finish();
}
