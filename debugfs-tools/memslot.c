// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's memory slots: its "memslots" debugfs file, a header line and one
 * row per slot of every address space.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "debugfs.h"
#include "json.h"
#include "memslot.h"
#include "table.h"

static const struct kvmintro_field kvmintro_memslot_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_memslot, address_space, "as",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_memslot, slot, "slot",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_memslot, gpa, "gpa", KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_memslot, npages, "npages",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_memslot, size, "size", KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_memslot, hva, "hva", KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_memslot, flags, "flags",
		       KVMINTRO_FIELD_FLAGS),
};

static const struct kvmintro_record_format kvmintro_memslot_format = {
	.layout = KVMINTRO_LAYOUT_COLUMNS,
	.fields = kvmintro_memslot_fields,
	.nr_fields = ARRAY_SIZE(kvmintro_memslot_fields),
	.record_size = sizeof(struct kvmintro_memslot),
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

static void kvmintro_memslot_list_take(struct kvmintro_memslot_list *list,
				       struct kvmintro_array *records)
{
	list->memslots = records->elements;
	list->count = records->count;
}

/* Parse the contents of a "memslots" file; see kvmintro_parse_records(). */
int kvmintro_memslot_list_parse(const char *text, size_t length,
				struct kvmintro_memslot_list *list,
				struct kvmintro_parse_error *error)
{
	struct kvmintro_array records;
	int ret;

	ret = kvmintro_parse_records(&kvmintro_memslot_format, text, length,
				     &records, error);
	kvmintro_memslot_list_take(list, &records);
	return ret;
}

/*
 * Read and parse "<root>/<dir>/memslots"; on failure say why and return
 * -errno (-ESRCH if the VM is gone).
 */
int kvmintro_memslot_list_load(const char *root, const char *dir,
			       struct kvmintro_memslot_list *list)
{
	struct kvmintro_array records;
	int ret;

	ret = kvmintro_debugfs_load(root, dir, "memslots",
				    &kvmintro_memslot_format, &records);
	kvmintro_memslot_list_take(list, &records);
	return ret;
}

void kvmintro_memslot_list_release(struct kvmintro_memslot_list *list)
{
	free(list->memslots);
	list->memslots = NULL;
	list->count = 0;
}

/*
 * Split the next flag off @flags, a memslot's flags field; "-" holds none.
 * Return false when there are no more.
 */
bool kvmintro_memslot_next_flag(struct kvmintro_span *flags,
				struct kvmintro_span *flag)
{
	if (kvmintro_span_equals(*flags, "-"))
		return false;
	return kvmintro_span_next_token(flags, ',', flag);
}

/* Print @list as a table with a title row; return 0 or -errno. */
int kvmintro_memslot_list_print_table(const struct kvmintro_memslot_list *list,
				      FILE *out)
{
	struct kvmintro_table table;
	size_t i;

	kvmintro_table_init(&table, kvmintro_memslot_columns,
			    ARRAY_SIZE(kvmintro_memslot_columns));
	for (i = 0; i < list->count; i++) {
		const struct kvmintro_memslot *memslot = &list->memslots[i];

		kvmintro_table_add(&table, "%" PRIu64, memslot->address_space);
		kvmintro_table_add(&table, "%" PRIu64, memslot->slot);
		kvmintro_table_add(&table, "0x%" PRIx64, memslot->gpa);
		kvmintro_table_add(&table, "0x%" PRIx64, memslot->npages);
		kvmintro_table_add_size(&table, memslot->size);
		kvmintro_table_add(&table, "0x%" PRIx64, memslot->size);
		kvmintro_table_add(&table, "0x%" PRIx64, memslot->hva);
		kvmintro_table_add(&table, "%s", memslot->flags);
	}
	return kvmintro_table_finish(&table, out);
}

static void kvmintro_memslot_write_json(struct kvmintro_json *json,
					const void *element)
{
	const struct kvmintro_memslot *memslot = element;
	struct kvmintro_span flags = kvmintro_span_from_string(memslot->flags);
	struct kvmintro_span flag;

	kvmintro_json_begin_object(json, NULL);
	kvmintro_json_u64(json, "as", memslot->address_space);
	kvmintro_json_u64(json, "slot", memslot->slot);
	kvmintro_json_u64(json, "gpa", memslot->gpa);
	kvmintro_json_u64(json, "npages", memslot->npages);
	kvmintro_json_u64(json, "size", memslot->size);
	kvmintro_json_u64(json, "hva", memslot->hva);
	kvmintro_json_begin_array(json, "flags");
	while (kvmintro_memslot_next_flag(&flags, &flag))
		kvmintro_json_string_bytes(json, NULL, flag.start, flag.length);
	kvmintro_json_end_array(json);
	kvmintro_json_end_object(json);
}

/*
 * Print @list as a JSON object: {"vm": {...}, "memslots": [...]}, numbers
 * as numbers, flags as an array of strings. Return 0 or -errno.
 */
int kvmintro_memslot_list_print_json(const struct kvmintro_vm *vm,
				     const struct kvmintro_memslot_list *list,
				     FILE *out)
{
	return kvmintro_vm_json_print_array(out, vm, "memslots", list->memslots,
					    list->count,
					    sizeof(*list->memslots),
					    kvmintro_memslot_write_json);
}
