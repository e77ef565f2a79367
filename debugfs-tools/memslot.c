// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's memory slots: its "memslots" debugfs file, one record per slot of
 * every address space.
 */
#include <inttypes.h>

#include "json.h"
#include "memslot.h"
#include "table.h"

static const struct kvmintro_record_key kvmintro_memslot_keys[] = {
	{ "as", KVMINTRO_RECORD_TYPES(DECIMAL) },
	{ "slot", KVMINTRO_RECORD_TYPES(DECIMAL) },
	{ "gpa", KVMINTRO_RECORD_TYPES(HEX) },
	{ "npages", KVMINTRO_RECORD_TYPES(HEX) },
	{ "size", KVMINTRO_RECORD_TYPES(HEX) },
	{ "hva", KVMINTRO_RECORD_TYPES(HEX) },
	{ "flags", KVMINTRO_RECORD_TYPES(WORD) | KVMINTRO_RECORD_TYPES(NONE) },
};

static const char *const kvmintro_memslot_lists[] = { "flags", NULL };

const struct kvmintro_record_schema kvmintro_memslot_schema = {
	.keys = kvmintro_memslot_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_memslot_keys),
	.lists = kvmintro_memslot_lists,
};

static const struct kvmintro_column kvmintro_memslot_columns[] = {
	{ "AS", KVMINTRO_ALIGN_RIGHT },
	{ "SLOT", KVMINTRO_ALIGN_RIGHT },
	{ "GPA", KVMINTRO_ALIGN_RIGHT },
	{ "NPAGES", KVMINTRO_ALIGN_RIGHT },
	{ "SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "BYTES", KVMINTRO_ALIGN_RIGHT },
	{ "HVA", KVMINTRO_ALIGN_RIGHT },
	{ "FLAGS", KVMINTRO_ALIGN_LEFT },
};

/* Print @list as a table with a title row; return 0 or -errno. */
int kvmintro_memslot_list_print_table(const struct kvmintro_record_list *list,
				      FILE *out)
{
	struct kvmintro_table table;
	struct kvmintro_span flags;
	size_t i;

	kvmintro_table_init(&table, kvmintro_memslot_columns,
			    ARRAY_SIZE(kvmintro_memslot_columns));
	for (i = 0; i < list->count; i++) {
		const struct kvmintro_record *memslot = &list->records[i];
		uint64_t size = kvmintro_record_number(memslot, "size");

		kvmintro_table_add(&table, "%" PRIu64,
				   kvmintro_record_number(memslot, "as"));
		kvmintro_table_add(&table, "%" PRIu64,
				   kvmintro_record_number(memslot, "slot"));
		kvmintro_table_add(&table, "0x%" PRIx64,
				   kvmintro_record_number(memslot, "gpa"));
		kvmintro_table_add(&table, "0x%" PRIx64,
				   kvmintro_record_number(memslot, "npages"));
		kvmintro_table_add_size(&table, size);
		kvmintro_table_add(&table, "0x%" PRIx64, size);
		kvmintro_table_add(&table, "0x%" PRIx64,
				   kvmintro_record_number(memslot, "hva"));
		flags = kvmintro_record_text(memslot, "flags");
		kvmintro_table_add(&table, "%.*s", (int)flags.length,
				   flags.start);
	}
	return kvmintro_table_finish(&table, out);
}

static void kvmintro_memslot_write_json(struct kvmintro_json *json,
					const void *element)
{
	kvmintro_record_write_json(json, element, &kvmintro_memslot_schema);
}

/*
 * Print @list as a JSON object: {"vm": {...}, "memslots": [...]}, every
 * field of every record, flags as an array of strings. Return 0 or -errno.
 */
int kvmintro_memslot_list_print_json(const struct kvmintro_vm *vm,
				     const struct kvmintro_record_list *list,
				     FILE *out)
{
	return kvmintro_vm_json_print_array(out, vm, "memslots", list->records,
					    list->count,
					    sizeof(*list->records),
					    kvmintro_memslot_write_json);
}
