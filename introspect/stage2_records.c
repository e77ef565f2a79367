// SPDX-License-Identifier: GPL-2.0
/*
 * The records of a stage-2 walk that every architecture writes alike
 * (introspect/arch.h): the VMM's side of a leaf, and the err record of a
 * walk that found none.  The architectures' readers
 * (introspect/arch/<arch>/stage2.c) call them; the stage2 file
 * (introspect/stage2.c) calls the readers.
 */
#include <linux/mm.h>

#include "../lib/record.h"
#include "arch.h"
#include "guest_memory.h"

/**
 * kvmintro_stage2_record_host() - the VMM's side of a leaf record
 * @writer:	the leaf record, its stage-2 fields written
 * @mem:	the VM's memslots and the VMM's memory
 * @smm:	the GPA is of the SMM address space (x86)
 * @gpa:	the GPA walked
 * @hpa:	where the leaf maps it
 *
 * Adds hva= host_size= kind=, as translate finds the page (never faulting
 * it in): host_size=- kind=none without one, host_size=- kind=no-memslot
 * for a GPA in no memslot, and host_pfn= mismatch=1 should the VMM's page
 * not be the one the leaf maps.
 */
void kvmintro_stage2_record_host(struct kvmintro_record_writer *writer,
				 struct kvmintro_guest_mem *mem, bool smm,
				 u64 gpa, u64 hpa)
{
	struct kvmintro_guest_run run;
	u64 offset = gpa & ~PAGE_MASK;
	int r;

	r = kvmintro_guest_mem_find_page(mem, smm, gpa >> PAGE_SHIFT, &run);
	if (r == -ENOENT) {
		kvmintro_record_none(writer, "host_size");
		kvmintro_record_word(writer, "kind", "no-memslot");
		return;
	}
	if (r || run.kind == KVMINTRO_PAGE_NONE) {
		kvmintro_record_hex(writer, "hva", (u64)run.hva + offset);
		kvmintro_record_none(writer, "host_size");
		kvmintro_record_word(writer, "kind", "none");
		return;
	}
	kvmintro_record_hex(writer, "hva", (u64)run.hva + offset);
	kvmintro_record_size_word(writer, "host_size", run.host_shift);
	kvmintro_record_word(writer, "kind", kvmintro_page_kind_name(run.kind));
	/* The VMM's page and KVM's mapping disagree: say so, never hide it. */
	if (run.pfn != hpa >> PAGE_SHIFT) {
		kvmintro_record_hex(writer, "host_pfn", run.pfn);
		kvmintro_record_u64(writer, "mismatch", 1);
	}
}

/**
 * kvmintro_stage2_format_error() - the err record of a walk without a leaf
 * @buf:	where it goes
 * @size:	room in @buf
 * @gpa:	the GPA walked
 * @level:	the level of the last entry read
 * @error:	the walk's: 0 (it stopped at a non-present entry), -EINVAL
 *		(beyond the table), -EBADMSG (a reserved entry, arm64) or the
 *		reader's (a table at an address that is not RAM)
 *
 * Return: the record's length, newline included, or -ENOSPC.
 */
int kvmintro_stage2_format_error(char *buf, size_t size, u64 gpa,
				 unsigned int level, int error)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, "err");
	kvmintro_record_hex(&writer, "gpa", gpa);
	if (!error || error == -EBADMSG)
		kvmintro_record_u64(&writer, "level", level);
	kvmintro_record_word(&writer, "reason",
			     !error ? "not-present" :
			     error == -EINVAL ? "beyond-table" :
			     error == -EBADMSG ? "reserved" : "bad-table");
	return kvmintro_record_end(&writer);
}
