// SPDX-License-Identifier: GPL-2.0
/*
 * The records of the kvmintro debugfs files vms, memslots and vcpus, written
 * through lib/record's writer.  Each function writes one complete record,
 * newline included, and returns its length, or -ENOSPC if @size is too
 * small (nothing useful is left in @buf then).  And the one spelling of a
 * page size that every file uses (gpa_hpa, translate, gva, stage2).
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
	char flags[64];
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

/*
 * The page of 2^@shift bytes (10 to 61) as a word: "4K", "2M", "1G", or
 * "64K" for a smaller multi-page folio; cut to fit @size.  Spelt once, by
 * kvmintro_record_size_word(), which gpa_hpa calls for each run.
 */
void kvmintro_format_page_size(char *buf, size_t size, unsigned int shift)
{
	struct kvmintro_record_writer writer;
	char field[32];
	size_t len;

	if (!size)
		return;
	kvmintro_record_begin(&writer, field, sizeof(field), NULL);
	kvmintro_record_size_word(&writer, "s", shift);
	/* "s=" and the word: it always fits in the field. */
	len = writer.error ? 0 : writer.len - 2;
	if (len >= size)
		len = size - 1;
	memcpy(buf, field + 2, len);
	buf[len] = '\0';
}
