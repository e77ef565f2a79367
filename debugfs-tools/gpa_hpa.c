// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's "gpa_hpa" file: one record per run of guest pages (address
 * space 0) backed alike, with "-" for what pages not backed yet lack. Shown with readable sizes, then the bytes each kind backs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "argument.h"
#include "debugfs.h"
#include "gpa_hpa.h"
#include "json.h"
#include "table.h"

static const struct kvmintro_record_key kvmintro_gpa_hpa_keys[] = {
	{ "gpa", KVMINTRO_RECORD_TYPES(HEX) },
	{ "npages", KVMINTRO_RECORD_TYPES(HEX) },
	{ "hva", KVMINTRO_RECORD_TYPES(HEX) },
	{ "hpa", KVMINTRO_RECORD_TYPES(HEX) | KVMINTRO_RECORD_TYPES(NONE) },
	{ "pfn", KVMINTRO_RECORD_TYPES(HEX) | KVMINTRO_RECORD_TYPES(NONE) },
	{ "host_size", KVMINTRO_RECORD_TYPES(WORD) | KVMINTRO_RECORD_TYPES(NONE) },
	{ "kind", KVMINTRO_RECORD_TYPES(WORD) },
};

static const char *const kvmintro_gpa_hpa_page_sizes[] = { "host_size", NULL };

/* The guest bytes of @run. */
static uint64_t kvmintro_gpa_hpa_bytes(const struct kvmintro_record *run)
{
	return kvmintro_record_number(run, "npages") << KVMINTRO_PAGE_SHIFT;
}

static bool kvmintro_gpa_hpa_backed(const struct kvmintro_record *run)
{
	return !kvmintro_span_equals(kvmintro_record_text(run, "kind"), "none");
}

/* What is not backed has no host page, and what is has one. */
static int kvmintro_gpa_hpa_check(const struct kvmintro_record *run,
				  struct kvmintro_parse_error *error)
{
	struct kvmintro_span kind = kvmintro_record_text(run, "kind");
	bool backed = kvmintro_gpa_hpa_backed(run);
	uint64_t npages = kvmintro_record_number(run, "npages");

	if (kvmintro_record_maybe(run, "hpa").valid != backed ||
	    kvmintro_record_maybe(run, "pfn").valid != backed ||
	    kvmintro_record_maybe(run, "host_size").valid != backed)
		return kvmintro_parse_fail(error, -EBADMSG,
			"kind %.*s, but hpa, pfn and host_size are %s",
			(int)kind.length, kind.start,
			backed ? "not all given" : "not all '-'");
	if (npages >> (KVMINTRO_GPA_BITS - KVMINTRO_PAGE_SHIFT))
		return kvmintro_parse_fail(error, -EBADMSG,
			"npages 0x%" PRIx64 " is more than guest memory can hold",
			npages);
	return 0;
}

/* --json adds each run's size in bytes. */
static void kvmintro_gpa_hpa_write_json(struct kvmintro_json *json,
					const struct kvmintro_record *run)
{
	kvmintro_json_u64(json, "size", kvmintro_gpa_hpa_bytes(run));
}

const struct kvmintro_record_schema kvmintro_gpa_hpa_schema = {
	.keys = kvmintro_gpa_hpa_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_gpa_hpa_keys),
	.page_sizes = kvmintro_gpa_hpa_page_sizes,
	.check = kvmintro_gpa_hpa_check,
	.write_json = kvmintro_gpa_hpa_write_json,
};

static const struct kvmintro_column kvmintro_gpa_hpa_columns[] = {
	{ "GPA", KVMINTRO_ALIGN_RIGHT },
	{ "NPAGES", KVMINTRO_ALIGN_RIGHT },
	{ "SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "HVA", KVMINTRO_ALIGN_RIGHT },
	{ "HPA", KVMINTRO_ALIGN_RIGHT },
	{ "PFN", KVMINTRO_ALIGN_RIGHT },
	{ "HOST PAGE", KVMINTRO_ALIGN_RIGHT },
	{ "KIND", KVMINTRO_ALIGN_LEFT },
};

static const struct kvmintro_column kvmintro_gpa_hpa_total_columns[] = {
	{ "KIND", KVMINTRO_ALIGN_LEFT },
	{ "RUNS", KVMINTRO_ALIGN_RIGHT },
	{ "SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "BYTES", KVMINTRO_ALIGN_RIGHT },
};

/* Always in the totals, in this order; other kinds follow. */
static const char *const kvmintro_page_kinds[] = {
	"base", "thp", "hugetlb", "zero", "none",
};

static uint64_t kvmintro_add_saturating(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void kvmintro_gpa_hpa_total_add(struct kvmintro_gpa_hpa_total *total,
				       uint64_t bytes)
{
	total->runs++;
	total->bytes = kvmintro_add_saturating(total->bytes, bytes);
}

/*
 * Return the total of @kind, a new one if there is room, else the last.
 * @kind points into the records, which outlive the totals.
 */
static struct kvmintro_gpa_hpa_total *
kvmintro_gpa_hpa_find_total(struct kvmintro_gpa_hpa_totals *totals,
			    struct kvmintro_span kind)
{
	size_t i;

	for (i = 0; i < totals->count; i++) {
		if (totals->kinds[i].kind_length == kind.length &&
		    !memcmp(totals->kinds[i].kind, kind.start, kind.length))
			return &totals->kinds[i];
	}
	if (totals->count < ARRAY_SIZE(totals->kinds) - 1) {
		totals->kinds[totals->count].kind = kind.start;
		totals->kinds[totals->count].kind_length = kind.length;
		return &totals->kinds[totals->count++];
	}
	/* Every kind that does not fit goes into the last entry. */
	totals->count = ARRAY_SIZE(totals->kinds);
	totals->kinds[totals->count - 1].kind = "other";
	totals->kinds[totals->count - 1].kind_length = strlen("other");
	return &totals->kinds[totals->count - 1];
}

/*
 * Add up the guest bytes of @list by kind: the five known kinds always,
 * zero if there are none, then the kinds of a newer module.
 */
void kvmintro_gpa_hpa_sum(const struct kvmintro_record_list *runs,
			  struct kvmintro_gpa_hpa_totals *totals)
{
	const struct kvmintro_record *run;
	uint64_t bytes;
	size_t i;

	memset(totals, 0, sizeof(*totals));
	totals->all.kind = "total";
	totals->all.kind_length = strlen("total");
	for (i = 0; i < ARRAY_SIZE(kvmintro_page_kinds); i++) {
		totals->kinds[totals->count].kind = kvmintro_page_kinds[i];
		totals->kinds[totals->count++].kind_length =
			strlen(kvmintro_page_kinds[i]);
	}
	for (i = 0; i < runs->count; i++) {
		run = &runs->records[i];
		bytes = kvmintro_gpa_hpa_bytes(run);
		kvmintro_gpa_hpa_total_add(kvmintro_gpa_hpa_find_total(totals,
					   kvmintro_record_text(run, "kind")),
					   bytes);
		kvmintro_gpa_hpa_total_add(&totals->all, bytes);
	}
}

static void kvmintro_gpa_hpa_add_run(struct kvmintro_table *table,
				     const struct kvmintro_record *run)
{
	struct kvmintro_maybe_u64 host_size;
	struct kvmintro_span kind;

	kvmintro_table_add(table, "0x%" PRIx64,
			   kvmintro_record_number(run, "gpa"));
	kvmintro_table_add(table, "0x%" PRIx64,
			   kvmintro_record_number(run, "npages"));
	kvmintro_table_add_size(table, kvmintro_gpa_hpa_bytes(run));
	kvmintro_table_add(table, "0x%" PRIx64,
			   kvmintro_record_number(run, "hva"));
	kvmintro_table_add_maybe_hex(table, kvmintro_record_maybe(run, "hpa"));
	kvmintro_table_add_maybe_hex(table, kvmintro_record_maybe(run, "pfn"));
	host_size = kvmintro_record_maybe(run, "host_size");
	if (host_size.valid)
		kvmintro_table_add_size(table, host_size.value);
	else
		kvmintro_table_add(table, "-");
	kind = kvmintro_record_text(run, "kind");
	kvmintro_table_add(table, "%.*s", (int)kind.length, kind.start);
}

static void kvmintro_gpa_hpa_add_total(struct kvmintro_table *table,
				       const struct kvmintro_gpa_hpa_total *total)
{
	kvmintro_table_add(table, "%.*s", (int)total->kind_length, total->kind);
	kvmintro_table_add(table, "%" PRIu64, total->runs);
	kvmintro_table_add_size(table, total->bytes);
	kvmintro_table_add(table, "%" PRIu64, total->bytes);
}

static int kvmintro_gpa_hpa_print_totals(const struct kvmintro_record_list *runs,
					 FILE *out)
{
	struct kvmintro_gpa_hpa_totals totals;
	struct kvmintro_table table;
	size_t i;

	kvmintro_gpa_hpa_sum(runs, &totals);
	kvmintro_table_init(&table, kvmintro_gpa_hpa_total_columns,
			    ARRAY_SIZE(kvmintro_gpa_hpa_total_columns));
	for (i = 0; i < totals.count; i++)
		kvmintro_gpa_hpa_add_total(&table, &totals.kinds[i]);
	kvmintro_gpa_hpa_add_total(&table, &totals.all);
	return kvmintro_table_finish(&table, out);
}

/*
 * Print @runs as a table, then, after a blank line, the runs and bytes of
 * each kind. Return 0 or -errno.
 */
int kvmintro_gpa_hpa_print_table(const struct kvmintro_record_list *runs,
				 FILE *out)
{
	const struct kvmintro_record *run = runs->records;
	struct kvmintro_table table;
	size_t i;
	int ret;

	kvmintro_table_init(&table, kvmintro_gpa_hpa_columns,
			    ARRAY_SIZE(kvmintro_gpa_hpa_columns));
	for (i = 0; i < runs->count; i++)
		kvmintro_gpa_hpa_add_run(&table, &run[i]);
	ret = kvmintro_table_finish(&table, out);
	if (ret)
		return ret;
	fputc('\n', out);
	return kvmintro_gpa_hpa_print_totals(runs, out);
}

static void kvmintro_gpa_hpa_write_total_json(struct kvmintro_json *json,
					      const struct kvmintro_gpa_hpa_total *total)
{
	char *kind = strndup(total->kind, total->kind_length);

	if (!kind) {
		json->error = json->error ? json->error : -ENOMEM;
		return;
	}
	kvmintro_json_begin_object(json, kind);
	kvmintro_json_u64(json, "runs", total->runs);
	kvmintro_json_u64(json, "bytes", total->bytes);
	kvmintro_json_end_object(json);
	free(kind);
}

/*
 * Print @runs as a JSON object: the VM, "runs" (every field of the file,
 * null where a run is not backed, and each run's size), "totals" by kind,
 * and "total" of them all. Return 0 or -errno.
 */
int kvmintro_gpa_hpa_print_json(const struct kvmintro_vm *vm,
				const struct kvmintro_record_list *runs,
				FILE *out)
{
	struct kvmintro_gpa_hpa_totals totals;
	struct kvmintro_json json;
	size_t i;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_json_begin_array(&json, "runs");
	for (i = 0; i < runs->count; i++)
		kvmintro_record_write_json(&json, &runs->records[i],
					   &kvmintro_gpa_hpa_schema);
	kvmintro_json_end_array(&json);
	kvmintro_gpa_hpa_sum(runs, &totals);
	kvmintro_json_begin_object(&json, "totals");
	for (i = 0; i < totals.count; i++)
		kvmintro_gpa_hpa_write_total_json(&json, &totals.kinds[i]);
	kvmintro_json_end_object(&json);
	kvmintro_gpa_hpa_write_total_json(&json, &totals.all);
	return kvmintro_vm_json_end(&json);
}
