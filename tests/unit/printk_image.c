// SPDX-License-Identifier: GPL-2.0
/*
 * A printk ring buffer built as the guest kernel's writer builds one; see
 * printk_image.h.  The bootstrap (_DEFINE_PRINTKRB()), the descriptor
 * reservation that pushes the tail when the ring is full (desc_reserve()),
 * data blocks placed at the head, wrapping to the ring's start when they
 * do not fit before its end (data_alloc(), get_next_lpos()), and the data
 * tail pushed past the oldest blocks, whose descriptors become reusable
 * (data_push_tail()), as printk_ringbuffer.c does them, single-threaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printk_image.h"

void *printk_image_at(struct printk_image *image, uint64_t address)
{
	return image->mem + (address - PRINTK_IMAGE_BASE);
}

struct guest_printk_ringbuffer *printk_image_rb(struct printk_image *image)
{
	return printk_image_at(image, image->rb);
}

struct guest_prb_desc *printk_image_desc(struct printk_image *image,
					 uint64_t id)
{
	struct guest_prb_desc *descs = printk_image_at(image, image->descs);

	return &descs[id & ((1ull << image->count_bits) - 1)];
}

struct guest_printk_info *printk_image_info(struct printk_image *image,
					    uint64_t id)
{
	struct guest_printk_info *infos = printk_image_at(image, image->infos);

	return &infos[id & ((1ull << image->count_bits) - 1)];
}

/* Guest memory is the image: anything else faults. */
int printk_image_read(void *context, uint64_t address, void *buf, size_t size)
{
	struct printk_image *image = context;

	if (address < PRINTK_IMAGE_BASE ||
	    address - PRINTK_IMAGE_BASE > image->size ||
	    size > image->size - (address - PRINTK_IMAGE_BASE))
		return -EFAULT;
	memcpy(buf, printk_image_at(image, address), size);
	return 0;
}

void printk_image_init(struct printk_image *image, unsigned int count_bits,
		       unsigned int size_bits)
{
	uint64_t count = 1ull << count_bits, data_size = 1ull << size_bits;
	uint64_t desc0_id = -(count + 1) & GUEST_DESC_ID_MASK;
	struct guest_printk_ringbuffer *rb;

	memset(image, 0, sizeof(*image));
	image->count_bits = count_bits;
	image->size_bits = size_bits;
	image->prb = PRINTK_IMAGE_BASE;
	image->rb = PRINTK_IMAGE_BASE + 64;
	image->descs = PRINTK_IMAGE_BASE + 4096;
	image->infos = image->descs + count * sizeof(struct guest_prb_desc);
	image->data = image->infos + count * sizeof(struct guest_printk_info);
	image->size = image->data + data_size - PRINTK_IMAGE_BASE;
	image->mem = calloc(1, image->size);
	if (!image->mem)
		abort();
	memcpy(printk_image_at(image, image->prb), &image->rb, 8);
	rb = printk_image_rb(image);
	rb->desc_ring.count_bits = count_bits;
	rb->desc_ring.descs = image->descs;
	rb->desc_ring.infos = image->infos;
	rb->desc_ring.head_id.counter = desc0_id;
	rb->desc_ring.tail_id.counter = desc0_id;
	rb->text_data_ring.size_bits = size_bits;
	rb->text_data_ring.data = image->data;
	rb->text_data_ring.head_lpos.counter = -data_size;
	rb->text_data_ring.tail_lpos.counter = -data_size;
	/* The bootstrap: a reusable descriptor, the last, without data. */
	printk_image_desc(image, desc0_id)->state_var.counter =
		GUEST_DESC_SV(desc0_id, GUEST_DESC_REUSABLE);
	printk_image_desc(image, desc0_id)->text_blk_lpos.begin = GUEST_FAILED_LPOS;
	printk_image_desc(image, desc0_id)->text_blk_lpos.next = GUEST_FAILED_LPOS;
	((struct guest_printk_info *)printk_image_at(image, image->infos))[0].seq = -count;
	image->ring[0].id = desc0_id;
	image->nr_ring = 1;
	image->data_tail = 1;
}

void printk_image_release(struct printk_image *image)
{
	free(image->mem);
	image->mem = NULL;
}

/* Descriptor @i of @ring becomes reusable: its data is gone. */
static void printk_image_drop(struct printk_image *image, unsigned int i)
{
	struct printk_image_record *record = &image->ring[i];

	printk_image_desc(image, record->id)->state_var.counter =
		GUEST_DESC_SV(record->id, GUEST_DESC_REUSABLE);
	record->has_data = false;
	record->expected = false;
}

static void printk_image_pop(struct printk_image *image)
{
	printk_image_drop(image, 0);
	memmove(&image->ring[0], &image->ring[1],
		--image->nr_ring * sizeof(image->ring[0]));
	if (image->data_tail)
		image->data_tail--;
}

static uint64_t printk_image_store(struct printk_image *image,
				   const char *text, bool empty,
				   uint64_t ts_nsec, uint32_t caller_id)
{
	struct guest_printk_ringbuffer *rb = printk_image_rb(image);
	uint64_t count = 1ull << image->count_bits;
	uint64_t data_size = 1ull << image->size_bits;
	uint64_t id = (rb->desc_ring.head_id.counter + 1) & GUEST_DESC_ID_MASK;
	uint64_t begin = GUEST_EMPTY_LINE_LPOS, next = GUEST_EMPTY_LINE_LPOS;
	size_t length = empty ? 0 : strlen(text);
	uint64_t size = (8 + length + 7) & ~7ull, seq, at;
	struct printk_image_record *record;
	struct guest_printk_info *info;
	struct guest_prb_desc *desc;
	unsigned int i;

	/* desc_reserve(): the new id's slot is the tail's when full. */
	while (image->nr_ring &&
	       ((id - image->ring[0].id) & GUEST_DESC_ID_MASK) >= count)
		printk_image_pop(image);
	if (image->nr_ring == PRINTK_IMAGE_MAX_RECORDS)
		printk_image_pop(image);
	if (!empty) {
		begin = rb->text_data_ring.head_lpos.counter;
		if (begin >> image->size_bits == (begin + size) >> image->size_bits)
			next = begin + size;
		else	/* It wraps: the data goes at the ring's start. */
			next = ((begin + size) & ~(data_size - 1)) + size;
		/* data_push_tail(): the blocks it overwrites are dropped. */
		for (;;) {
			i = image->data_tail;
			while (i < image->nr_ring && !image->ring[i].has_data)
				i++;
			if (i == image->nr_ring ||
			    next - image->ring[i].begin <= data_size)
				break;
			printk_image_drop(image, i);
			image->data_tail = i + 1;
		}
		rb->text_data_ring.head_lpos.counter = next;
		rb->text_data_ring.tail_lpos.counter =
			i < image->nr_ring ? image->ring[i].begin : begin;
		at = begin & (data_size - 1);
		memcpy(printk_image_at(image, image->data + at), &id, 8);
		if (next - begin != size)
			at = 0;
		memcpy(printk_image_at(image, image->data + at), &id, 8);
		memcpy(printk_image_at(image, image->data + at + 8), text, length);
	}
	desc = printk_image_desc(image, id);
	info = printk_image_info(image, id);
	seq = info->seq;
	memset(info, 0, sizeof(*info));
	/* prb_reserve(): a seq keeps its index, a wrap on from the last. */
	if (seq == 0 && (id & (count - 1)))
		info->seq = id & (count - 1);
	else
		info->seq = seq + count;
	info->ts_nsec = ts_nsec;
	info->text_len = length;
	info->caller_id = caller_id;
	desc->text_blk_lpos.begin = begin;
	desc->text_blk_lpos.next = next;
	desc->state_var.counter = GUEST_DESC_SV(id, GUEST_DESC_FINALIZED);
	rb->desc_ring.head_id.counter = id;

	record = &image->ring[image->nr_ring++];
	memset(record, 0, sizeof(*record));
	record->id = id;
	record->begin = begin;
	record->next = next;
	record->has_data = !empty;
	record->expected = true;
	record->text_len = length < sizeof(record->text) ? length : sizeof(record->text);
	memcpy(record->text, text, record->text_len);
	rb->desc_ring.tail_id.counter = image->ring[0].id;
	return id;
}

/* Log @text (a NUL-terminated string) at @ts_nsec; return its id. */
uint64_t printk_image_add(struct printk_image *image, const char *text,
			  uint64_t ts_nsec, uint32_t caller_id)
{
	return printk_image_store(image, text, false, ts_nsec, caller_id);
}

/* Log an empty line: a record with no data block. */
uint64_t printk_image_add_empty(struct printk_image *image, uint64_t ts_nsec)
{
	return printk_image_store(image, "", true, ts_nsec, 0);
}

#define PRINTK_IMAGE_OFFSET(type, member) \
	"OFFSET(" #type "." #member ")=%zu\n", \
	offsetof(struct guest_##type, member)
#define PRINTK_IMAGE_SIZE(type) \
	"SIZE(" #type ")=%zu\n", sizeof(struct guest_##type)

/*
 * The VMCOREINFO lines of the ring buffer, as log_buf_vmcoreinfo_setup()
 * writes them, for one whose pointer "prb" is at @prb.  Return the length.
 */
int printk_image_vmcoreinfo(char *buf, size_t size, uint64_t prb)
{
	int n = snprintf(buf, size, "OSRELEASE=6.1.0-test\nSYMBOL(prb)=%llx\n",
			 (unsigned long long)prb);

#define APPEND(...) n += snprintf(buf + n, size - n, __VA_ARGS__)
	APPEND(PRINTK_IMAGE_SIZE(printk_ringbuffer));
	APPEND(PRINTK_IMAGE_OFFSET(printk_ringbuffer, desc_ring));
	APPEND(PRINTK_IMAGE_OFFSET(printk_ringbuffer, text_data_ring));
	APPEND(PRINTK_IMAGE_OFFSET(printk_ringbuffer, fail));
	APPEND(PRINTK_IMAGE_SIZE(prb_desc_ring));
	APPEND(PRINTK_IMAGE_OFFSET(prb_desc_ring, count_bits));
	APPEND(PRINTK_IMAGE_OFFSET(prb_desc_ring, descs));
	APPEND(PRINTK_IMAGE_OFFSET(prb_desc_ring, infos));
	APPEND(PRINTK_IMAGE_OFFSET(prb_desc_ring, head_id));
	APPEND(PRINTK_IMAGE_OFFSET(prb_desc_ring, tail_id));
	APPEND(PRINTK_IMAGE_SIZE(prb_desc));
	APPEND(PRINTK_IMAGE_OFFSET(prb_desc, state_var));
	APPEND(PRINTK_IMAGE_OFFSET(prb_desc, text_blk_lpos));
	APPEND(PRINTK_IMAGE_SIZE(prb_data_blk_lpos));
	APPEND(PRINTK_IMAGE_OFFSET(prb_data_blk_lpos, begin));
	APPEND(PRINTK_IMAGE_OFFSET(prb_data_blk_lpos, next));
	APPEND(PRINTK_IMAGE_SIZE(printk_info));
	APPEND(PRINTK_IMAGE_OFFSET(printk_info, seq));
	APPEND(PRINTK_IMAGE_OFFSET(printk_info, ts_nsec));
	APPEND(PRINTK_IMAGE_OFFSET(printk_info, text_len));
	APPEND(PRINTK_IMAGE_OFFSET(printk_info, caller_id));
	APPEND(PRINTK_IMAGE_OFFSET(printk_info, dev_info));
	APPEND(PRINTK_IMAGE_SIZE(prb_data_ring));
	APPEND(PRINTK_IMAGE_OFFSET(prb_data_ring, size_bits));
	APPEND(PRINTK_IMAGE_OFFSET(prb_data_ring, data));
	APPEND(PRINTK_IMAGE_OFFSET(prb_data_ring, head_lpos));
	APPEND(PRINTK_IMAGE_OFFSET(prb_data_ring, tail_lpos));
	APPEND("SIZE(atomic_long_t)=8\n");
	APPEND("OFFSET(atomic_long_t.counter)=%zu\n",
	       offsetof(struct guest_atomic_long, counter));
#undef APPEND
	return n;
}
