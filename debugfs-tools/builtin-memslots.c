// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro memslots PID|DIR: a VM's memory slots, every address space.
 */
#include "kvmintro.h"

static const struct kvmintro_record_key kvmintro_memslot_keys[] = {
	KVMINTRO_SCHEMA_KEY("as", KVMINTRO_RECORD_TYPES(DECIMAL)),
	KVMINTRO_SCHEMA_KEY("slot", KVMINTRO_RECORD_TYPES(DECIMAL)),
	KVMINTRO_SCHEMA_KEY("gpa", KVMINTRO_RECORD_TYPES(HEX)),
	KVMINTRO_SCHEMA_KEY("npages", KVMINTRO_RECORD_TYPES(HEX)),
	KVMINTRO_SCHEMA_KEY("size", KVMINTRO_RECORD_TYPES(HEX)),
	KVMINTRO_SCHEMA_KEY("hva", KVMINTRO_RECORD_TYPES(HEX)),
	KVMINTRO_SCHEMA_KEY("flags", KVMINTRO_RECORD_TYPES(WORD) | KVMINTRO_RECORD_TYPES(NONE)),
};

static const char *const kvmintro_memslot_lists[] = { "flags", NULL };

static const struct kvmintro_record_schema kvmintro_memslot_schema = {
	.keys = kvmintro_memslot_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_memslot_keys),
	.lists = kvmintro_memslot_lists,
};

static const struct kvmintro_column kvmintro_memslot_columns[] = {
	KVMINTRO_SHOW_RIGHT("as", "AS", VALUE),
	KVMINTRO_SHOW_RIGHT("slot", "SLOT", VALUE),
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("npages", "NPAGES", VALUE),
	KVMINTRO_SHOW_RIGHT("size", "SIZE", SIZE),
	KVMINTRO_SHOW_RIGHT("size", "BYTES", VALUE),
	KVMINTRO_SHOW_RIGHT("hva", "HVA", VALUE),
	KVMINTRO_SHOW_LEFT("flags", "FLAGS", VALUE),
};

const struct kvmintro_view kvmintro_memslot_view = {
	.file = "memslots",
	.schema = &kvmintro_memslot_schema,
	.json_key = "memslots",
	.columns = kvmintro_memslot_columns,
	.nr_columns = ARRAY_SIZE(kvmintro_memslot_columns),
	.empty = "has no memslots.",
};

int kvmintro_cmd_memslots(struct kvmintro *kvmintro)
{
	return kvmintro_show_view(kvmintro, &kvmintro_memslot_view, NULL, NULL,
				  NULL);
}
