// SPDX-License-Identifier: GPL-2.0
/*
 * The records of the kvmintro debugfs files vms, memslots and vcpus, written
 * through lib/record's writer.  Each function writes one complete record,
 * newline included, and returns its length, or -ENOSPC if @size is too
 * small (nothing useful is left in @buf then).  And the one spelling of a
 * page size that every file uses (gpa_hpa, translate, gva, stage2); and
 * what people read of the values: sizes, latencies, untrusted bytes made
 * printable, guest memory as a hexdump.
 */
#include "format.h"
#include "record.h"

static int kvmintro_format_finish(int len, size_t size)
{
	if (len < 0 || (size_t)len >= size)
		return -ENOSPC;
	return len;
}

/* Append "name" to a comma separated list being built in @buf. */
static int kvmintro_append_flag(char *buf, size_t size, int len,
				const char *name)
{
	if (len < 0)
		return len;
	len += snprintf(buf + len, size - len, "%s%s", len ? "," : "", name);
	return kvmintro_format_finish(len, size);
}

/*
 * Write @slot's flags as a comma separated list of names into @buf; an
 * unknown bit as "unknown_0x<bit>"; "" for none.
 */
int kvmintro_format_memslot_flags(char *buf, size_t size,
				  const struct kvmintro_memslot_info *slot)
{
	static const struct {
		u32 bit;
		const char *name;
	} names[] = {
		{ KVMINTRO_MEMSLOT_READONLY, "readonly" },
		{ KVMINTRO_MEMSLOT_LOG_DIRTY_PAGES, "dirty_log" },
		{ KVMINTRO_MEMSLOT_GUEST_MEMFD, "guest_memfd" },
	};
	u32 unknown = slot->flags;
	char hex[24];
	int len = 0;
	size_t i;

	if (!size)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(slot->flags & names[i].bit))
			continue;
		unknown &= ~names[i].bit;
		len = kvmintro_append_flag(buf, size, len, names[i].name);
	}
	if (slot->guest_memfd_only)
		len = kvmintro_append_flag(buf, size, len, "guest_memfd_only");
	if (slot->internal)
		len = kvmintro_append_flag(buf, size, len, "internal");
	if (unknown) {
		snprintf(hex, sizeof(hex), "unknown_0x%x", unknown);
		len = kvmintro_append_flag(buf, size, len, hex);
	}
	return len;
}

/**
 * kvmintro_format_memslot() - one record of the memslots file
 * @buf: where it goes
 * @size: room in @buf
 * @slot: the slot
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_format_memslot(char *buf, size_t size,
			    const struct kvmintro_memslot_info *slot)
{
	struct kvmintro_record_writer writer;
	char flags[KVMINTRO_MEMSLOT_FLAGS_MAX];
	int len;

	len = kvmintro_format_memslot_flags(flags, sizeof(flags), slot);
	if (len < 0)
		return len;
	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_u64(&writer, "as", slot->as_id);
	kvmintro_record_u64(&writer, "slot", slot->id);
	kvmintro_record_hex(&writer, "gpa", slot->base_gfn << 12);
	kvmintro_record_hex(&writer, "npages", slot->npages);
	kvmintro_record_hex(&writer, "size", slot->npages << 12);
	kvmintro_record_hex(&writer, "hva", slot->hva);
	if (len)
		kvmintro_record_word(&writer, "flags", flags);
	else
		kvmintro_record_none(&writer, "flags");
	return kvmintro_record_end(&writer);
}

/**
 * kvmintro_format_vm() - one record of the vms file
 * @buf: where it goes
 * @size: room in @buf
 * @vm: the VM
 *
 * The directory is a string: "1234" alone would read as a number.
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_format_vm(char *buf, size_t size,
		       const struct kvmintro_vm_info *vm)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_u64(&writer, "pid", vm->pid);
	kvmintro_record_string(&writer, "dir", vm->dir, strlen(vm->dir));
	kvmintro_record_u64(&writer, "vcpus", vm->vcpus);
	kvmintro_record_u64(&writer, "slots", vm->slots);
	kvmintro_record_u64(&writer, "mem", vm->mem_bytes);
	return kvmintro_record_end(&writer);
}

/**
 * kvmintro_format_vcpu() - one record of the vcpus file
 * @buf: where it goes
 * @size: room in @buf
 * @vcpu: the vcpu
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_format_vcpu(char *buf, size_t size,
			 const struct kvmintro_vcpu_info *vcpu)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_u64(&writer, "vcpu", vcpu->id);
	kvmintro_record_u64(&writer, "index", vcpu->index);
	kvmintro_record_u64(&writer, "tid", vcpu->tid > 0 ? vcpu->tid : 0);
	kvmintro_record_u64(&writer, "runs", vcpu->runs);
	return kvmintro_record_end(&writer);
}

/* The kinds of backing as gpa_hpa, translate and stage2 name them. */
static const struct kvmintro_record_token kvmintro_page_kind_words[] = {
	[KVMINTRO_PAGE_NONE] = KVMINTRO_RECORD_WORD("none"),
	[KVMINTRO_PAGE_BASE] = KVMINTRO_RECORD_WORD("base"),
	[KVMINTRO_PAGE_THP] = KVMINTRO_RECORD_WORD("thp"),
	[KVMINTRO_PAGE_HUGETLB] = KVMINTRO_RECORD_WORD("hugetlb"),
	[KVMINTRO_PAGE_ZERO] = KVMINTRO_RECORD_WORD("zero"),
};

/* The word of @kind, one of enum kvmintro_page_kind. */
const char *kvmintro_page_kind_name(enum kvmintro_page_kind kind)
{
	return kvmintro_page_kind_words[kind].text;
}

/* The keys of a gpa_hpa record, in its order. */
static const struct kvmintro_record_token kvmintro_gpa_hpa_keys[] = {
	KVMINTRO_RECORD_KEY("gpa"),
	KVMINTRO_RECORD_KEY("npages"),
	KVMINTRO_RECORD_KEY("hva"),
	KVMINTRO_RECORD_KEY("hpa"),
	KVMINTRO_RECORD_KEY("pfn"),
	KVMINTRO_RECORD_KEY("host_size"),
	KVMINTRO_RECORD_KEY("kind"),
};

/* Room for the fast path's fields and the NUL. */
static_assert(ARRAY_SIZE(kvmintro_gpa_hpa_keys) *
	      KVMINTRO_RECORD_FAST_FIELD_MAX < KVMINTRO_GPA_HPA_RECORD_MAX,
	      "gpa_hpa records need more room for the fast path");

/* Write @run's record through the fast path, into room enough for it. */
static __always_inline int
kvmintro_format_gpa_hpa_fast(char *buf, const struct kvmintro_gpa_hpa_info *run)
{
	const struct kvmintro_record_token *key = kvmintro_gpa_hpa_keys;
	char *p = buf;

	p = kvmintro_record_fast_hex(p, &key[0], run->gpa);
	p = kvmintro_record_fast_hex(p, &key[1], run->npages);
	p = kvmintro_record_fast_hex(p, &key[2], run->hva);
	if (run->kind != KVMINTRO_PAGE_NONE) {
		p = kvmintro_record_fast_hex(p, &key[3], run->hpa);
		p = kvmintro_record_fast_hex(p, &key[4], run->pfn);
		p = kvmintro_record_fast_size_word(p, &key[5],
						   run->host_shift);
	} else {
		p = kvmintro_record_fast_none(p, &key[3]);
		p = kvmintro_record_fast_none(p, &key[4]);
		p = kvmintro_record_fast_none(p, &key[5]);
	}
	p = kvmintro_record_fast_word(p, &key[6],
				      &kvmintro_page_kind_words[run->kind]);
	return kvmintro_record_fast_end(buf, p);
}

/*
 * Write @run's record on the stack and copy it: with less room than the
 * fast path needs.  Apart, so that the fast path's caller has no buffer
 * on its stack to zero (CONFIG_INIT_STACK_ALL_ZERO) for every record.
 */
static noinline int
kvmintro_format_gpa_hpa_copy(char *buf, size_t size,
			     const struct kvmintro_gpa_hpa_info *run)
{
	char record[KVMINTRO_GPA_HPA_RECORD_MAX];
	int len;

	len = kvmintro_format_gpa_hpa_fast(record, run);
	if ((size_t)len >= size)
		return -ENOSPC;
	memcpy(buf, record, len + 1);
	return len;
}

/**
 * kvmintro_format_gpa_hpa() - one record of the gpa_hpa table
 * @buf: where it goes
 * @size: room in @buf
 * @run: the run of guest pages
 *
 * Pages not backed have no hpa, pfn or host_size: "-".  A table has one
 * record per 4 KiB page of memory whose frames descend (shared memory, on
 * 6.12 and later), so this is the writer's fast path; with less than
 * %KVMINTRO_GPA_HPA_RECORD_MAX bytes of room the record is written on the
 * stack and copied.
 *
 * Return: the record's length, newline included; -ENOSPC; or -EINVAL for
 * a kind that is not one of enum kvmintro_page_kind or a size not between
 * 2^10 and 2^61 bytes.
 */
int kvmintro_format_gpa_hpa(char *buf, size_t size,
			    const struct kvmintro_gpa_hpa_info *run)
{
	if (run->kind >= KVMINTRO_PAGE_KINDS ||
	    (run->kind != KVMINTRO_PAGE_NONE &&
	     (run->host_shift < 10 || run->host_shift > 61)))
		return -EINVAL;
	if (size >= KVMINTRO_GPA_HPA_RECORD_MAX)
		return kvmintro_format_gpa_hpa_fast(buf, run);
	return kvmintro_format_gpa_hpa_copy(buf, size, run);
}

/**
 * kvmintro_format_size() - a size as people read it
 * @bytes: the size
 * @buf: where it goes: %KVMINTRO_SIZE_TEXT_MAX bytes always suffice
 * @size: room in @buf
 *
 * A whole number of the largest binary unit that fits ("640 KiB"), or
 * one decimal, cut, when it is not whole ("1.5 GiB").
 */
void kvmintro_format_size(u64 bytes, char *buf, size_t size)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	unsigned int unit = 0, shift;
	u64 whole, rest;

	while (unit + 1 < ARRAY_SIZE(units) && bytes >> (10 * (unit + 1)))
		unit++;
	shift = 10 * unit;
	whole = bytes >> shift;
	rest = shift ? bytes & ((1ULL << shift) - 1) : 0;
	if (rest)
		snprintf(buf, size, "%llu.%llu %s", (unsigned long long)whole,
			 (unsigned long long)((rest * 10) >> shift), units[unit]);
	else
		snprintf(buf, size, "%llu %s", (unsigned long long)whole,
			 units[unit]);
}

/* A latency in microseconds, to the nanosecond: "674.985 us". */
void kvmintro_format_latency(u64 nanoseconds, char *buf, size_t size)
{
	snprintf(buf, size, "%llu.%03u us",
		 (unsigned long long)(nanoseconds / 1000),
		 (unsigned int)(nanoseconds % 1000));
}

/**
 * kvmintro_format_escape_byte() - a byte as itself, or as a C escape
 * @byte: the byte
 * @buf: where it goes, NUL-terminated: 5 bytes
 *
 * Printable ASCII is itself; the quote, the backslash, tab, CR and
 * newline their short escapes; anything else "\xNN".
 *
 * Return: the length written.
 */
size_t kvmintro_format_escape_byte(unsigned char byte, char *buf)
{
	static const char short_forms[0x80] = {
		['"'] = '"', ['\\'] = '\\', ['\t'] = 't', ['\r'] = 'r', ['\n'] = 'n',
	};

	if (byte < sizeof(short_forms) && short_forms[byte])
		return snprintf(buf, 5, "\\%c", short_forms[byte]);
	if (byte < 0x20 || byte > 0x7e)
		return snprintf(buf, 5, "\\x%02x", byte);
	buf[0] = byte;
	buf[1] = '\0';
	return 1;
}

/**
 * kvmintro_format_quote() - untrusted bytes, quoted to be safe to print
 * @bytes: the bytes
 * @len: how many
 * @buf: where the quoted text goes: a double-quoted C-like string, each
 *	byte as kvmintro_format_escape_byte() writes it
 * @size: room in @buf, at least 8: text that does not fit is cut and
 *	marked with "..."
 */
void kvmintro_format_quote(const char *bytes, size_t len, char *buf,
			   size_t size)
{
	/* Keep room for the closing quote, "..." and the NUL. */
	size_t limit = size - 5, used = 1, escaped_len, i;
	char escaped[8];

	buf[0] = '"';
	for (i = 0; i < len; i++) {
		escaped_len = kvmintro_format_escape_byte(bytes[i], escaped);
		if (used + escaped_len > limit) {
			memcpy(buf + used, "\"...", 5);
			return;
		}
		memcpy(buf + used, escaped, escaped_len);
		used += escaped_len;
	}
	memcpy(buf + used, "\"", 2);
}

/**
 * kvmintro_format_hexdump_line() - a line of a hexdump, as xxd writes it
 * @address: the address of the first byte
 * @bytes: the bytes
 * @count: how many, at most %KVMINTRO_HEXDUMP_WIDTH
 * @buf: where the line goes, newline included
 * @size: room in @buf: %KVMINTRO_HEXDUMP_LINE_MAX bytes
 *
 * The address, 16 bytes in groups of two, and the bytes as text (a '.'
 * for those not printable).
 */
void kvmintro_format_hexdump_line(u64 address, const unsigned char *bytes,
				  size_t count, char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	size_t used, i;

	used = snprintf(buf, size, "%08llx: ", (unsigned long long)address);
	for (i = 0; i < KVMINTRO_HEXDUMP_WIDTH; i++) {
		buf[used++] = i < count ? digits[bytes[i] >> 4] : ' ';
		buf[used++] = i < count ? digits[bytes[i] & 0xf] : ' ';
		if (i % 2)
			buf[used++] = ' ';
	}
	buf[used++] = ' ';
	for (i = 0; i < count; i++)
		buf[used++] = bytes[i] >= 0x20 && bytes[i] < 0x7f ? bytes[i] : '.';
	buf[used++] = '\n';
	buf[used] = '\0';
}
