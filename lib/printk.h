/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Linux guest's kernel, read with no more than what its VMCOREINFO says
 * of it: the numbers of its VMCOREINFO, where its page tables are, and its
 * log, from its printk ring buffer (the lockless printk_ringbuffer of Linux
 * 5.10 and later).  Portable: the caller supplies the function that reads
 * guest memory, so the unit tests and the fuzzer give it rings built by
 * hand; every value read from the guest is checked before it is used.
 */
#ifndef KVMINTRO_LIB_PRINTK_H
#define KVMINTRO_LIB_PRINTK_H

#include "pagewalk.h"
#include "portable.h"

/* The largest descriptor ring read: 2^24 records, a 512 MiB log buffer. */
#define KVMINTRO_PRINTK_COUNT_BITS_MAX	24
/* The largest text ring: the kernel's own limit (LOG_BUF_LEN_MAX). */
#define KVMINTRO_PRINTK_SIZE_BITS_MAX	31
/* The largest structure offset or size taken from VMCOREINFO. */
#define KVMINTRO_PRINTK_STRUCT_MAX	4096
/* printk_info.text_len is a u16: room for the longest text of a record. */
#define KVMINTRO_PRINTK_TEXT_MAX	0xffff

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
	u64 prb;
	u64 rb_desc_ring;
	u64 rb_text_data_ring;
	u64 desc_ring_count_bits;
	u64 desc_ring_descs;
	u64 desc_ring_infos;
	u64 desc_ring_head_id;
	u64 desc_ring_tail_id;
	u64 desc_size;
	u64 desc_state_var;
	u64 desc_text_blk_lpos;
	u64 lpos_begin;
	u64 lpos_next;
	u64 data_ring_size_bits;
	u64 data_ring_data;
	u64 info_size;
	u64 info_seq;
	u64 info_ts_nsec;
	u64 info_text_len;
	u64 info_caller_id;
	u64 counter;
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
	u64 seq;
	u64 ts_nsec;
	u32 caller_id;
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
	u64 records;
	u64 skipped;
	u64 invalid;
	const char *problem;
};

/* Read @size bytes at guest kernel virtual address @address into @buf. */
typedef int (*kvmintro_printk_read_fn)(void *context, u64 address,
				       void *buf, size_t size);
/* Take one record; non-zero stops the read and is returned. */
typedef int (*kvmintro_printk_record_fn)(void *context,
					 const struct kvmintro_printk_record *record);

/* Read @size bytes at guest physical address @gpa into @buf; 0 or -errno. */
typedef int (*kvmintro_read_gpa_fn)(void *context, u64 gpa, void *buf,
				    size_t size);

/**
 * struct kvmintro_kernel_memory - guest kernel memory, read through the
 *	guest's own page tables (kvmintro_kernel_read())
 * @read_gpa: reads guest physical memory
 * @context: for @read_gpa
 * @mode: the kernel's paging mode, from kvmintro_vmcoreinfo_page_tables()
 * @cr3: the physical address of its top page table, from there too
 * @page_gva: the guest page the last walk found, if @page_size
 * @page_gpa: where it is in guest physical memory
 * @page_size: its size, 0 if no walk yet
 * @fault_gva: the address that could not be read, for messages
 * @faulted: a read failed
 */
struct kvmintro_kernel_memory {
	kvmintro_read_gpa_fn read_gpa;
	void *context;
	enum kvmintro_paging_mode mode;
	u64 cr3;
	u64 page_gva, page_gpa, page_size;
	u64 fault_gva;
	bool faulted;
};

const char *kvmintro_vmcoreinfo_value(const char *text, const char *key,
				      size_t *len);
bool kvmintro_vmcoreinfo_number(const char *text, const char *key, int base,
				u64 *value);
int kvmintro_vmcoreinfo_page_tables(const char *text,
				    struct kvmintro_kernel_memory *memory);
int kvmintro_kernel_read(void *memory, u64 gva, void *buf, size_t size);

int kvmintro_printk_layout_parse(const char *vmcoreinfo,
				 struct kvmintro_printk_layout *layout,
				 const char **missing);
int kvmintro_printk_read(const struct kvmintro_printk_layout *layout,
			 kvmintro_printk_read_fn read, void *read_context,
			 kvmintro_printk_record_fn take, void *take_context,
			 char *text, struct kvmintro_printk_stats *stats);

#endif /* KVMINTRO_LIB_PRINTK_H */
