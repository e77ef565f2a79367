/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Linux guest's kernel log, read from its printk ring buffer (the
 * lockless printk_ringbuffer of Linux 5.10 and later) with no more than
 * what the guest's VMCOREINFO says of it.  Portable: the caller supplies
 * the function that reads guest kernel memory, so the unit tests and the
 * fuzzer give it rings built by hand.
 */
#ifndef KVMINTRO_PRINTK_H
#define KVMINTRO_PRINTK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest descriptor ring read: 2^24 records, a 512 MiB log buffer. */
#define KVMINTRO_PRINTK_COUNT_BITS_MAX	24
/* The largest text ring: the kernel's own limit (LOG_BUF_LEN_MAX). */
#define KVMINTRO_PRINTK_SIZE_BITS_MAX	31
/* The largest structure offset or size taken from VMCOREINFO. */
#define KVMINTRO_PRINTK_STRUCT_MAX	4096

/**
 * struct kvmintro_printk_layout - the ring buffer, as VMCOREINFO has it
 * @prb: SYMBOL(prb), the address of the pointer to the ring buffer
 * @rb_desc_ring: OFFSET(printk_ringbuffer.desc_ring)
 * @rb_text_data_ring: OFFSET(printk_ringbuffer.text_data_ring)
 * @desc_ring_count_bits: OFFSET(prb_desc_ring.count_bits)
 * @desc_ring_descs: OFFSET(prb_desc_ring.descs)
 * @desc_ring_infos: OFFSET(prb_desc_ring.infos)
 * @desc_ring_head_id: OFFSET(prb_desc_ring.head_id)
 * @desc_ring_tail_id: OFFSET(prb_desc_ring.tail_id)
 * @desc_size: SIZE(prb_desc)
 * @desc_state_var: OFFSET(prb_desc.state_var)
 * @desc_text_blk_lpos: OFFSET(prb_desc.text_blk_lpos)
 * @lpos_begin: OFFSET(prb_data_blk_lpos.begin)
 * @lpos_next: OFFSET(prb_data_blk_lpos.next)
 * @data_ring_size_bits: OFFSET(prb_data_ring.size_bits)
 * @data_ring_data: OFFSET(prb_data_ring.data)
 * @info_size: SIZE(printk_info)
 * @info_seq: OFFSET(printk_info.seq)
 * @info_ts_nsec: OFFSET(printk_info.ts_nsec)
 * @info_text_len: OFFSET(printk_info.text_len)
 * @info_caller_id: OFFSET(printk_info.caller_id)
 * @counter: OFFSET(atomic_long_t.counter)
 */
struct kvmintro_printk_layout {
	uint64_t prb;
	uint64_t rb_desc_ring;
	uint64_t rb_text_data_ring;
	uint64_t desc_ring_count_bits;
	uint64_t desc_ring_descs;
	uint64_t desc_ring_infos;
	uint64_t desc_ring_head_id;
	uint64_t desc_ring_tail_id;
	uint64_t desc_size;
	uint64_t desc_state_var;
	uint64_t desc_text_blk_lpos;
	uint64_t lpos_begin;
	uint64_t lpos_next;
	uint64_t data_ring_size_bits;
	uint64_t data_ring_data;
	uint64_t info_size;
	uint64_t info_seq;
	uint64_t info_ts_nsec;
	uint64_t info_text_len;
	uint64_t info_caller_id;
	uint64_t counter;
};

/**
 * struct kvmintro_printk_record - one record of the log
 * @seq: its sequence number
 * @ts_nsec: when it was logged, nanoseconds since boot
 * @caller_id: the printk caller: a thread id, or with bit 31 a CPU number
 * @text: its text, not NUL-terminated; '\n' separates lines
 * @text_len: its length in bytes
 */
struct kvmintro_printk_record {
	uint64_t seq;
	uint64_t ts_nsec;
	uint32_t caller_id;
	const char *text;
	size_t text_len;
};

/**
 * struct kvmintro_printk_stats - what a read of the ring found
 * @records: records passed on
 * @skipped: descriptors not committed nor finalized, or reused (by
 *	the guest, while they were read)
 * @invalid: descriptors whose sequence number or data block is not one
 *	the kernel writes
 * @problem: why the ring could not be read at all, if the read returned
 *	-EBADMSG or -E2BIG
 */
struct kvmintro_printk_stats {
	uint64_t records;
	uint64_t skipped;
	uint64_t invalid;
	const char *problem;
};

/* Read @size bytes at guest kernel virtual address @address into @buf. */
typedef int (*kvmintro_printk_read_fn)(void *context, uint64_t address,
				       void *buf, size_t size);
/* Take one record; non-zero stops the read and is returned. */
typedef int (*kvmintro_printk_record_fn)(void *context,
					 const struct kvmintro_printk_record *record);

int kvmintro_printk_layout_parse(const char *vmcoreinfo,
				 struct kvmintro_printk_layout *layout,
				 const char **missing);
int kvmintro_printk_read(const struct kvmintro_printk_layout *layout,
			 kvmintro_printk_read_fn read, void *read_context,
			 kvmintro_printk_record_fn take, void *take_context,
			 struct kvmintro_printk_stats *stats);

/* vmcoreinfo.c: the guest's VMCOREINFO, in its core file, and its keys. */
int kvmintro_vmcoreinfo_read_core(int fd, char **text);
const char *kvmintro_vmcoreinfo_line_end(const char *line);
char *kvmintro_vmcoreinfo_value(const char *text, const char *key);
bool kvmintro_vmcoreinfo_number(const char *text, const char *key, int base,
				uint64_t *value);

#endif /* KVMINTRO_PRINTK_H */
