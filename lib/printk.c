// SPDX-License-Identifier: GPL-2.0
/*
 * The guest kernel's printk ring buffer (kernel/printk/printk_ringbuffer.h
 * of Linux 5.10 and later), read as makedumpfile and the kernel's own
 * readers do, from a running guest:
 *
 *  - the ring buffer's address is in the pointer at SYMBOL(prb); its
 *    descriptor ring holds 2^count_bits descriptors (state and data block
 *    of each record) and as many printk_info (sequence number, time, text
 *    length, caller), indexed by id modulo that count; its text data ring
 *    is 2^size_bits bytes of blocks, each the descriptor's id (an unsigned
 *    long) and then the text;
 *  - the records are the descriptors from tail_id to head_id whose state
 *    (the top two bits of state_var) is committed or finalized and whose
 *    id (the other bits) is the one looked for;
 *  - a data block is at [begin, next) of the logical positions, or, when
 *    @begin is one wrap behind @next, at the start of the ring; begin and
 *    next both odd is a block with no data: an empty line (3, 3) or a
 *    lost text (1, 1).
 *
 * The guest writes the ring while it is read, and may be hostile: every
 * value read is checked before it is used, every loop is bounded by the
 * ring's size, a record is read again after its text to see it was not
 * reused meanwhile, and a record that makes no sense is counted and left
 * out, never followed.
 */
#include "parse.h"
#include "printk.h"

/* The guest's unsigned long: x86-64. */
#define KVMINTRO_PRINTK_ULONG_BITS	64
/* state_var: the state in the top two bits, the id below. */
#define KVMINTRO_PRINTK_STATE_SHIFT	(KVMINTRO_PRINTK_ULONG_BITS - 2)
#define KVMINTRO_PRINTK_ID_MASK		((1ULL << KVMINTRO_PRINTK_STATE_SHIFT) - 1)
#define KVMINTRO_PRINTK_COMMITTED	1
#define KVMINTRO_PRINTK_FINALIZED	2
/* Both positions of a block with no data: an empty line. */
#define KVMINTRO_PRINTK_EMPTY_LINE_LPOS	3

/**
 * struct kvmintro_printk_key - a VMCOREINFO line the ring needs
 * @key: its key
 * @field: where its value goes in struct kvmintro_printk_layout
 * @base: 16 for a SYMBOL(), 10 for an OFFSET() or SIZE()
 */
struct kvmintro_printk_key {
	const char *key;
	size_t field;
	int base;
};

#define KVMINTRO_PRINTK_KEY(text, name, base) \
	{ text, offsetof(struct kvmintro_printk_layout, name), base }

static const struct kvmintro_printk_key kvmintro_printk_keys[] = {
	KVMINTRO_PRINTK_KEY("SYMBOL(prb)", prb, 16),
	KVMINTRO_PRINTK_KEY("OFFSET(printk_ringbuffer.desc_ring)", rb_desc_ring, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(printk_ringbuffer.text_data_ring)", rb_text_data_ring, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_desc_ring.count_bits)", desc_ring_count_bits, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_desc_ring.descs)", desc_ring_descs, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_desc_ring.infos)", desc_ring_infos, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_desc_ring.head_id)", desc_ring_head_id, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_desc_ring.tail_id)", desc_ring_tail_id, 10),
	KVMINTRO_PRINTK_KEY("SIZE(prb_desc)", desc_size, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_desc.state_var)", desc_state_var, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_desc.text_blk_lpos)", desc_text_blk_lpos, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_data_blk_lpos.begin)", lpos_begin, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_data_blk_lpos.next)", lpos_next, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_data_ring.size_bits)", data_ring_size_bits, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(prb_data_ring.data)", data_ring_data, 10),
	KVMINTRO_PRINTK_KEY("SIZE(printk_info)", info_size, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(printk_info.seq)", info_seq, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(printk_info.ts_nsec)", info_ts_nsec, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(printk_info.text_len)", info_text_len, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(printk_info.caller_id)", info_caller_id, 10),
	KVMINTRO_PRINTK_KEY("OFFSET(atomic_long_t.counter)", counter, 10),
};

/* __START_KERNEL_map: where x86-64 maps the kernel image. */
#define KVMINTRO_START_KERNEL_MAP	0xffffffff80000000ull

/**
 * kvmintro_vmcoreinfo_value() - the value of a line of a VMCOREINFO
 * @text: the VMCOREINFO, NUL-terminated: "KEY=VALUE" lines
 * @key: the key, like "OSRELEASE"
 * @len: set to the value's length, up to its newline
 *
 * Return: the value, not NUL-terminated, in @text; NULL if no line has
 * @key.
 */
const char *kvmintro_vmcoreinfo_value(const char *text, const char *key,
				      size_t *len)
{
	size_t key_len = strlen(key);
	const char *line, *end;

	for (line = text; *line; line = end + (*end == '\n')) {
		end = strchr(line, '\n') ?: line + strlen(line);
		if ((size_t)(end - line) > key_len && line[key_len] == '=' &&
		    !memcmp(line, key, key_len)) {
			*len = end - line - key_len - 1;
			return line + key_len + 1;
		}
	}
	return NULL;
}

/**
 * kvmintro_vmcoreinfo_number() - a number of a VMCOREINFO
 * @text: the VMCOREINFO
 * @key: its key, like "OFFSET(prb_desc.state_var)"
 * @base: 16 for SYMBOL() and KERNELOFFSET (hex without 0x), 10 for
 *	OFFSET(), SIZE() and NUMBER() (NUMBER() may be negative)
 * @value: set to the number
 *
 * Return: whether @key is there with a whole number of that base that
 * fits in 64 bits.
 */
bool kvmintro_vmcoreinfo_number(const char *text, const char *key, int base,
				u64 *value)
{
	const char *digits;
	bool negative;
	size_t len;

	digits = kvmintro_vmcoreinfo_value(text, key, &len);
	if (!digits)
		return false;
	negative = base == 10 && len && *digits == '-';
	if (kvmintro_parse_digits(digits + negative, len - negative, base,
				  value))
		return false;
	if (negative)
		*value = -*value;
	return true;
}

/**
 * kvmintro_vmcoreinfo_page_tables() - where an x86-64 guest kernel's page
 *	tables are
 * @text: its VMCOREINFO
 * @memory: its @mode and @cr3 are set
 *
 * The top table is init_top_pgt, at __pa_symbol(): the symbol minus
 * __START_KERNEL_map plus phys_base; 5-level if pgtable_l5_enabled.
 *
 * Return: 0, or -ENOENT if @text does not say (not an x86-64 kernel).
 */
int kvmintro_vmcoreinfo_page_tables(const char *text,
				    struct kvmintro_kernel_memory *memory)
{
	u64 pgt, phys_base, l5 = 0;

	if (!kvmintro_vmcoreinfo_number(text, "SYMBOL(init_top_pgt)", 16,
					&pgt) ||
	    !kvmintro_vmcoreinfo_number(text, "NUMBER(phys_base)", 10,
					&phys_base) ||
	    pgt < KVMINTRO_START_KERNEL_MAP)
		return -ENOENT;
	kvmintro_vmcoreinfo_number(text, "NUMBER(pgtable_l5_enabled)", 10, &l5);
	memory->mode = l5 ? KVMINTRO_PAGING_5LEVEL : KVMINTRO_PAGING_4LEVEL;
	memory->cr3 = pgt - KVMINTRO_START_KERNEL_MAP + phys_base;
	return 0;
}

static int kvmintro_kernel_read_entry(void *context, u64 gpa,
				      unsigned int size, u64 *value)
{
	struct kvmintro_kernel_memory *memory = context;

	*value = 0;
	return memory->read_gpa(memory->context, gpa, value, size);
}

/**
 * kvmintro_kernel_read() - read guest kernel memory
 * @context: a struct kvmintro_kernel_memory
 * @gva: the guest virtual address to read at
 * @buf: where the bytes go
 * @size: how many
 *
 * A kvmintro_printk_read_fn: each page is found through the guest's page
 * tables (the last one found is kept), then read with @read_gpa.
 *
 * Return: 0; -EFAULT if the page tables map nothing at an address, or
 * @read_gpa's error.  Either sets @fault_gva and @faulted.
 */
int kvmintro_kernel_read(void *context, u64 gva, void *buf, size_t size)
{
	struct kvmintro_kernel_memory *memory = context;
	struct kvmintro_walk walk;
	u64 offset, chunk;
	int ret;

	while (size) {
		if (!memory->page_size || gva < memory->page_gva ||
		    gva - memory->page_gva >= memory->page_size) {
			ret = kvmintro_walk_gva(memory->mode, memory->cr3, 0, gva,
						kvmintro_kernel_read_entry,
						memory, &walk);
			if (!ret && !walk.present)
				ret = -EFAULT;
			if (ret)
				goto out_fault;
			memory->page_size = walk.page_size;
			memory->page_gva = gva & ~(walk.page_size - 1);
			memory->page_gpa = walk.gpa & ~(walk.page_size - 1);
		}
		offset = gva - memory->page_gva;
		chunk = memory->page_size - offset;
		if (chunk > size)
			chunk = size;
		ret = memory->read_gpa(memory->context, memory->page_gpa + offset,
				       buf, chunk);
		if (ret)
			goto out_fault;
		buf = (char *)buf + chunk;
		size -= chunk;
		gva += chunk;
	}
	return 0;

out_fault:
	memory->fault_gva = gva;
	memory->faulted = true;
	return ret;
}

/* Does a field of @size bytes at @offset fit in a struct of @struct_size? */
static bool kvmintro_printk_fits(u64 offset, u64 size,
				 u64 struct_size)
{
	return offset <= struct_size && size <= struct_size - offset;
}

/**
 * kvmintro_printk_layout_parse() - the ring buffer's layout from VMCOREINFO
 * @vmcoreinfo: the guest's VMCOREINFO text
 * @layout: set to what it says
 * @missing: set to the first key missing or out of range, on -ENOENT
 *	or -EBADMSG
 *
 * Return: 0; -ENOENT if a key is missing (a kernel before 5.10 has none
 * of them); -EBADMSG if an offset or size is beyond
 * %KVMINTRO_PRINTK_STRUCT_MAX or a field of a descriptor or printk_info
 * lies outside it.
 */
int kvmintro_printk_layout_parse(const char *vmcoreinfo,
				 struct kvmintro_printk_layout *layout,
				 const char **missing)
{
	const struct kvmintro_printk_key *key;
	u64 *value;
	size_t i;

	memset(layout, 0, sizeof(*layout));
	*missing = NULL;
	for (i = 0; i < sizeof(kvmintro_printk_keys) / sizeof(*key); i++) {
		key = &kvmintro_printk_keys[i];
		value = (u64 *)((char *)layout + key->field);
		if (!kvmintro_vmcoreinfo_number(vmcoreinfo, key->key, key->base,
						value)) {
			*missing = key->key;
			return -ENOENT;
		}
		if (key->base == 10 && *value > KVMINTRO_PRINTK_STRUCT_MAX) {
			*missing = key->key;
			return -EBADMSG;
		}
	}
	/* The fields read of a descriptor and of a printk_info fit in them. */
	if (!kvmintro_printk_fits(layout->desc_state_var + layout->counter, 8,
				  layout->desc_size) ||
	    !kvmintro_printk_fits(layout->desc_text_blk_lpos + layout->lpos_begin,
				  8, layout->desc_size) ||
	    !kvmintro_printk_fits(layout->desc_text_blk_lpos + layout->lpos_next,
				  8, layout->desc_size)) {
		*missing = "SIZE(prb_desc)";
		return -EBADMSG;
	}
	if (!kvmintro_printk_fits(layout->info_seq, 8, layout->info_size) ||
	    !kvmintro_printk_fits(layout->info_ts_nsec, 8, layout->info_size) ||
	    !kvmintro_printk_fits(layout->info_text_len, 2, layout->info_size) ||
	    !kvmintro_printk_fits(layout->info_caller_id, 4, layout->info_size)) {
		*missing = "SIZE(printk_info)";
		return -EBADMSG;
	}
	return 0;
}

/**
 * struct kvmintro_printk_ring - a ring being read
 * @layout: its layout
 * @read: reads guest memory
 * @read_context: for @read
 * @descs: address of the descriptors
 * @infos: address of the printk_infos
 * @data: address of the text data ring
 * @count_bits: log2 of the number of descriptors
 * @size_bits: log2 of the text data ring's size
 * @text: room for one record's text, %KVMINTRO_PRINTK_TEXT_MAX bytes
 */
struct kvmintro_printk_ring {
	const struct kvmintro_printk_layout *layout;
	kvmintro_printk_read_fn read;
	void *read_context;
	u64 descs, infos, data;
	unsigned int count_bits, size_bits;
	char *text;
};

/* Little-endian values of 2, 4 or 8 bytes at @address: x86 guests. */
static int kvmintro_printk_read_number(struct kvmintro_printk_ring *ring,
				       u64 address, unsigned int size,
				       u64 *value)
{
	unsigned char bytes[8];
	unsigned int i;
	int ret;

	ret = ring->read(ring->read_context, address, bytes, size);
	if (ret)
		return ret;
	*value = 0;
	for (i = size; i--;)
		*value = *value << 8 | bytes[i];
	return 0;
}

/*
 * Where the data block of [@begin, @next) lies in the text data ring:
 * @offset and @size, id included.  Return 1 for a block, 0 for an empty
 * line (no block), -EBADMSG for positions the kernel never writes,
 * lost text included: as get_data() of printk_ringbuffer.c, but a block
 * that ends right at the end of the ring is read as not wrapping, as the
 * kernels that write such blocks read them (older kernels wrap it).
 */
static int kvmintro_printk_block(unsigned int size_bits, u64 begin,
				 u64 next, u64 *offset,
				 u64 *size)
{
	u64 ring_size = 1ULL << size_bits, mask = ring_size - 1;

	if ((begin & 1) && (next & 1))
		return begin == KVMINTRO_PRINTK_EMPTY_LINE_LPOS &&
		       next == KVMINTRO_PRINTK_EMPTY_LINE_LPOS ? 0 : -EBADMSG;
	if ((begin | next) & 7)
		return -EBADMSG;
	if (begin < next && begin >> size_bits == (next - 1) >> size_bits) {
		*offset = begin & mask;
		*size = next - begin;
	} else if ((begin + ring_size) >> size_bits == next >> size_bits) {
		*offset = 0;
		*size = next & mask;
	} else {
		return -EBADMSG;
	}
	return *size >= 8 ? 1 : -EBADMSG;
}

/*
 * Read the record of descriptor @id and pass it to @take.  A record that
 * is not there (yet, or any more) or makes no sense is counted in @stats;
 * a failed read of guest memory or @take's non-zero is returned.
 */
static int kvmintro_printk_record(struct kvmintro_printk_ring *ring,
				  u64 id,
				  kvmintro_printk_record_fn take,
				  void *take_context,
				  struct kvmintro_printk_stats *stats)
{
	const struct kvmintro_printk_layout *layout = ring->layout;
	u64 index = id & ((1ULL << ring->count_bits) - 1);
	u64 desc = ring->descs + index * layout->desc_size;
	u64 info = ring->infos + index * layout->info_size;
	u64 state_var, again, begin, next, seq, text_len, caller_id;
	u64 offset = 0, size = 8, block_id;
	struct kvmintro_printk_record record;
	unsigned int state;
	int ret, block;

	ret = kvmintro_printk_read_number(ring, desc + layout->desc_state_var +
					  layout->counter, 8, &state_var);
	if (ret)
		return ret;
	state = state_var >> KVMINTRO_PRINTK_STATE_SHIFT;
	if ((state_var & KVMINTRO_PRINTK_ID_MASK) != id ||
	    (state != KVMINTRO_PRINTK_COMMITTED &&
	     state != KVMINTRO_PRINTK_FINALIZED)) {
		stats->skipped++;
		return 0;
	}
	ret = kvmintro_printk_read_number(ring, desc + layout->desc_text_blk_lpos +
					  layout->lpos_begin, 8, &begin) ?:
	      kvmintro_printk_read_number(ring, desc + layout->desc_text_blk_lpos +
					  layout->lpos_next, 8, &next) ?:
	      kvmintro_printk_read_number(ring, info + layout->info_seq, 8, &seq) ?:
	      kvmintro_printk_read_number(ring, info + layout->info_ts_nsec, 8,
					  &record.ts_nsec) ?:
	      kvmintro_printk_read_number(ring, info + layout->info_text_len, 2,
					  &text_len) ?:
	      kvmintro_printk_read_number(ring, info + layout->info_caller_id, 4,
					  &caller_id);
	if (ret)
		return ret;
	/* A record's sequence number keeps its descriptor's index. */
	block = kvmintro_printk_block(ring->size_bits, begin, next, &offset,
				      &size);
	if (block < 0 || (seq & ((1ULL << ring->count_bits) - 1)) != index) {
		stats->invalid++;
		return 0;
	}
	if (!block) {
		text_len = 0;
	} else {
		/* The block starts with its descriptor's id. */
		ret = kvmintro_printk_read_number(ring, ring->data + offset, 8,
						  &block_id);
		if (ret)
			return ret;
		if (block_id != id) {
			stats->skipped++;
			return 0;
		}
		if (text_len > size - 8)
			text_len = size - 8;
		ret = ring->read(ring->read_context, ring->data + offset + 8,
				 ring->text, text_len);
		if (ret)
			return ret;
	}
	/* Reused while it was read: its text may be another's. */
	ret = kvmintro_printk_read_number(ring, desc + layout->desc_state_var +
					  layout->counter, 8, &again);
	if (ret)
		return ret;
	if (again != state_var &&
	    again != (state_var & KVMINTRO_PRINTK_ID_MASK) +
		     ((u64)KVMINTRO_PRINTK_FINALIZED << KVMINTRO_PRINTK_STATE_SHIFT)) {
		stats->skipped++;
		return 0;
	}
	record.seq = seq;
	record.caller_id = caller_id;
	record.text = ring->text;
	record.text_len = text_len;
	stats->records++;
	return take(take_context, &record);
}

static int kvmintro_printk_fail(struct kvmintro_printk_stats *stats, int err,
				const char *problem)
{
	stats->problem = problem;
	return err;
}

/**
 * kvmintro_printk_read() - every record of a guest's printk ring buffer
 * @layout: the ring's layout, from kvmintro_printk_layout_parse()
 * @read: reads guest kernel memory
 * @read_context: for @read
 * @take: called with each record, oldest first
 * @take_context: for @take
 * @text: room for one record's text, %KVMINTRO_PRINTK_TEXT_MAX bytes (the
 *	records passed to @take point into it)
 * @stats: set to what was found
 *
 * Return: 0; -EBADMSG or -E2BIG if the ring buffer itself makes no sense
 * or is too large (@stats->problem says why); @read's error, which stops
 * the read (the records before were taken); or @take's non-zero.
 */
int kvmintro_printk_read(const struct kvmintro_printk_layout *layout,
			 kvmintro_printk_read_fn read, void *read_context,
			 kvmintro_printk_record_fn take, void *take_context,
			 char *text, struct kvmintro_printk_stats *stats)
{
	struct kvmintro_printk_ring ring = {
		.layout = layout,
		.read = read,
		.read_context = read_context,
		.text = text,
	};
	u64 rb, desc_ring, data_ring, count_bits, size_bits;
	u64 head_id, tail_id, count, n, i;
	int ret;

	memset(stats, 0, sizeof(*stats));
	ret = kvmintro_printk_read_number(&ring, layout->prb, 8, &rb);
	if (ret)
		return ret;
	desc_ring = rb + layout->rb_desc_ring;
	data_ring = rb + layout->rb_text_data_ring;
	ret = kvmintro_printk_read_number(&ring, desc_ring + layout->desc_ring_count_bits,
					  4, &count_bits) ?:
	      kvmintro_printk_read_number(&ring, desc_ring + layout->desc_ring_descs,
					  8, &ring.descs) ?:
	      kvmintro_printk_read_number(&ring, desc_ring + layout->desc_ring_infos,
					  8, &ring.infos) ?:
	      kvmintro_printk_read_number(&ring, desc_ring + layout->desc_ring_head_id +
					  layout->counter, 8, &head_id) ?:
	      kvmintro_printk_read_number(&ring, desc_ring + layout->desc_ring_tail_id +
					  layout->counter, 8, &tail_id) ?:
	      kvmintro_printk_read_number(&ring, data_ring + layout->data_ring_size_bits,
					  4, &size_bits) ?:
	      kvmintro_printk_read_number(&ring, data_ring + layout->data_ring_data,
					  8, &ring.data);
	if (ret)
		return ret;
	if (count_bits > KVMINTRO_PRINTK_COUNT_BITS_MAX)
		return kvmintro_printk_fail(stats, -E2BIG,
			"more descriptors than kvmintro reads (count_bits above "
			KVMINTRO_STRINGIFY(KVMINTRO_PRINTK_COUNT_BITS_MAX) ")");
	if (size_bits < 3 || size_bits > KVMINTRO_PRINTK_SIZE_BITS_MAX)
		return kvmintro_printk_fail(stats, -EBADMSG,
			"a text data ring of a size the kernel never has (size_bits)");
	ring.count_bits = count_bits;
	ring.size_bits = size_bits;

	/*
	 * From the oldest record to the newest: at most a ring's worth,
	 * the newest ones if the ids say more (the guest moved its tail
	 * between the two reads, or wrote garbage).
	 */
	count = 1ULL << count_bits;
	head_id &= KVMINTRO_PRINTK_ID_MASK;
	tail_id &= KVMINTRO_PRINTK_ID_MASK;
	n = ((head_id - tail_id) & KVMINTRO_PRINTK_ID_MASK) + 1;
	if (n > count) {
		n = count;
		tail_id = (head_id - count + 1) & KVMINTRO_PRINTK_ID_MASK;
	}
	for (i = 0; i < n && !ret; i++)
		ret = kvmintro_printk_record(&ring,
					     (tail_id + i) & KVMINTRO_PRINTK_ID_MASK,
					     take, take_context, stats);
	return ret;
}
