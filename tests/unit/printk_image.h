/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest kernel's printk ring buffer, built by hand for the tests and the
 * fuzzer of lib/printk.c: the structures as
 * kernel/printk/printk_ringbuffer.h declares them on x86-64, filled as the
 * kernel's writer (prb_reserve(), data_alloc(), prb_final_commit()) fills
 * them, with its VMCOREINFO lines from the structures' own offsetof()s.
 * Nothing here comes from printk.c.
 */
#ifndef PRINTK_IMAGE_H
#define PRINTK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* include/linux/types.h: atomic_long_t on 64-bit. */
struct guest_atomic_long {
	int64_t counter;
};

struct guest_prb_data_blk_lpos {
	uint64_t begin;
	uint64_t next;
};

struct guest_prb_desc {
	struct guest_atomic_long state_var;
	struct guest_prb_data_blk_lpos text_blk_lpos;
};

/* include/linux/dev_printk.h */
struct guest_dev_printk_info {
	char subsystem[16];
	char device[48];
};

struct guest_printk_info {
	uint64_t seq;
	uint64_t ts_nsec;
	uint16_t text_len;
	uint8_t facility;
	uint8_t flags : 5;
	uint8_t level : 3;
	uint32_t caller_id;
	struct guest_dev_printk_info dev_info;
};

struct guest_prb_desc_ring {
	unsigned int count_bits;
	uint64_t descs;		/* struct prb_desc * */
	uint64_t infos;		/* struct printk_info * */
	struct guest_atomic_long head_id;
	struct guest_atomic_long tail_id;
	struct guest_atomic_long last_finalized_seq;
};

struct guest_prb_data_ring {
	unsigned int size_bits;
	uint64_t data;		/* char * */
	struct guest_atomic_long head_lpos;
	struct guest_atomic_long tail_lpos;
};

struct guest_printk_ringbuffer {
	struct guest_prb_desc_ring desc_ring;
	struct guest_prb_data_ring text_data_ring;
	struct guest_atomic_long fail;
};

/* enum desc_state, and state_var's layout (DESC_SV()). */
#define GUEST_DESC_RESERVED	0ull
#define GUEST_DESC_COMMITTED	1ull
#define GUEST_DESC_FINALIZED	2ull
#define GUEST_DESC_REUSABLE	3ull
#define GUEST_DESC_SV(id, state) (((uint64_t)(state) << 62) | (id))
#define GUEST_DESC_ID_MASK	((1ull << 62) - 1)
#define GUEST_FAILED_LPOS	1ull
#define GUEST_EMPTY_LINE_LPOS	3ull

#define PRINTK_IMAGE_BASE	0xffff888001000000ull
#define PRINTK_IMAGE_MAX_RECORDS 4096

/**
 * struct printk_image - guest memory holding a ring buffer, at
 *	PRINTK_IMAGE_BASE: the pointer "prb", the ring buffer, its
 *	descriptors, infos and text data ring, one after the other
 * @mem: the bytes
 * @size: how many
 * @count_bits: the descriptor ring has 2^count_bits descriptors
 * @size_bits: the text data ring has 2^size_bits bytes
 * @prb, @rb, @descs, @infos, @data: where each part is (guest addresses)
 * @ring: the descriptors from tail_id to head_id, oldest first
 * @nr_ring: how many
 * @data_tail: the first of @ring whose data block is still in the ring
 */
struct printk_image {
	unsigned char *mem;
	size_t size;
	unsigned int count_bits, size_bits;
	uint64_t prb, rb, descs, infos, data;
	struct printk_image_record {
		uint64_t id, begin, next;
		bool has_data;
		bool expected;		/* a reader finds it */
		char text[256];
		size_t text_len;
	} ring[PRINTK_IMAGE_MAX_RECORDS];
	unsigned int nr_ring;
	unsigned int data_tail;
};

void printk_image_init(struct printk_image *image, unsigned int count_bits,
		       unsigned int size_bits);
void printk_image_release(struct printk_image *image);
uint64_t printk_image_add(struct printk_image *image, const char *text,
			  uint64_t ts_nsec, uint32_t caller_id);
uint64_t printk_image_add_empty(struct printk_image *image, uint64_t ts_nsec);
void *printk_image_at(struct printk_image *image, uint64_t address);
struct guest_prb_desc *printk_image_desc(struct printk_image *image,
					 uint64_t id);
struct guest_printk_info *printk_image_info(struct printk_image *image,
					    uint64_t id);
struct guest_printk_ringbuffer *printk_image_rb(struct printk_image *image);
int printk_image_read(void *context, uint64_t address, void *buf,
		      size_t size);
int printk_image_vmcoreinfo(char *buf, size_t size, uint64_t prb);

#endif /* PRINTK_IMAGE_H */
