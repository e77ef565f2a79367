// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's "gpa_hpa" file: a header, then one line per run of guest pages
 * (address space 0) backed alike, with "-" for what pages not backed yet
 * lack. Shown with readable sizes, then the bytes each kind backs.
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

#define KVMINTRO_GPA_HPA_FIELD(member, name, type, ...)			\
	KVMINTRO_FIELD(struct kvmintro_gpa_hpa_run, member, name, type,	\
		       __VA_ARGS__)

static const struct kvmintro_field kvmintro_gpa_hpa_fields[] = {
	KVMINTRO_GPA_HPA_FIELD(gpa, "gpa", KVMINTRO_FIELD_HEX),
	KVMINTRO_GPA_HPA_FIELD(npages, "npages", KVMINTRO_FIELD_HEX),
	KVMINTRO_GPA_HPA_FIELD(hva, "hva", KVMINTRO_FIELD_HEX),
	KVMINTRO_GPA_HPA_FIELD(hpa, "hpa", KVMINTRO_FIELD_HEX, .absent = "-"),
	KVMINTRO_GPA_HPA_FIELD(pfn, "pfn", KVMINTRO_FIELD_HEX, .absent = "-"),
	KVMINTRO_GPA_HPA_FIELD(host_size, "host_size",
			       KVMINTRO_FIELD_PAGE_SIZE, .absent = "-"),
	KVMINTRO_GPA_HPA_FIELD(kind, "kind", KVMINTRO_FIELD_NAME),
};

/* What is not backed has no host page, and what is has one. */
static int kvmintro_gpa_hpa_check(const void *record,
				  struct kvmintro_parse_error *error)
{
	const struct kvmintro_gpa_hpa_run *run = record;
	bool backed = strcmp(run->kind, "none");

	if (run->hpa.valid != backed || run->pfn.valid != backed ||
	    run->host_size.valid != backed)
		return kvmintro_parse_fail(error, -EBADMSG,
			"kind %s, but hpa, pfn and host_size are %s", run->kind,
			backed ? "not all given" : "not all '-'");
	if (run->npages >> (KVMINTRO_GPA_BITS - KVMINTRO_PAGE_SHIFT))
		return kvmintro_parse_fail(error, -EBADMSG,
			"npages 0x%" PRIx64 " is more than guest memory can hold",
			run->npages);
	return 0;
}

static const struct kvmintro_record_format kvmintro_gpa_hpa_format = {
	.layout = KVMINTRO_LAYOUT_COLUMNS,
	.fields = kvmintro_gpa_hpa_fields,
	.nr_fields = ARRAY_SIZE(kvmintro_gpa_hpa_fields),
	.record_size = sizeof(struct kvmintro_gpa_hpa_run),
	.check = kvmintro_gpa_hpa_check,
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

/* Parse the contents of a "gpa_hpa" file; see kvmintro_parse_records(). */
int kvmintro_gpa_hpa_parse(const char *text, size_t length,
			   struct kvmintro_array *runs,
			   struct kvmintro_parse_error *error)
{
	return kvmintro_parse_records(&kvmintro_gpa_hpa_format, text, length,
				      runs, error);
}

/*
 * Read and parse "<root>/<dir>/gpa_hpa"; on failure say why and return
 * -errno (-ESRCH if the VM is gone).
 */
int kvmintro_gpa_hpa_load(const char *root, const char *dir,
			  struct kvmintro_array *runs)
{
	return kvmintro_debugfs_load(root, dir, "gpa_hpa",
				     &kvmintro_gpa_hpa_format, runs);
}

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

/* Return the total of @kind, a new one if there is room, else the last. */
static struct kvmintro_gpa_hpa_total *
kvmintro_gpa_hpa_find_total(struct kvmintro_gpa_hpa_totals *totals,
			    const char *kind)
{
	size_t i;

	for (i = 0; i < totals->count; i++) {
		if (!strcmp(totals->kinds[i].kind, kind))
			return &totals->kinds[i];
	}
	if (totals->count < ARRAY_SIZE(totals->kinds) - 1) {
		totals->kinds[totals->count].kind = kind;
		return &totals->kinds[totals->count++];
	}
	/* Every kind that does not fit goes into the last entry. */
	totals->count = ARRAY_SIZE(totals->kinds);
	totals->kinds[totals->count - 1].kind = "other";
	return &totals->kinds[totals->count - 1];
}

/*
 * Add up the guest bytes of @list by kind: the five known kinds always,
 * zero if there are none, then the kinds of a newer module.
 */
void kvmintro_gpa_hpa_sum(const struct kvmintro_array *runs,
			  struct kvmintro_gpa_hpa_totals *totals)
{
	const struct kvmintro_gpa_hpa_run *run;
	uint64_t bytes;
	size_t i;

	memset(totals, 0, sizeof(*totals));
	totals->all.kind = "total";
	for (i = 0; i < ARRAY_SIZE(kvmintro_page_kinds); i++)
		totals->kinds[totals->count++].kind = kvmintro_page_kinds[i];
	for (i = 0; i < runs->count; i++) {
		run = (const struct kvmintro_gpa_hpa_run *)runs->elements + i;
		bytes = run->npages << KVMINTRO_PAGE_SHIFT;
		kvmintro_gpa_hpa_total_add(kvmintro_gpa_hpa_find_total(totals,
								       run->kind),
					   bytes);
		kvmintro_gpa_hpa_total_add(&totals->all, bytes);
	}
}

static void kvmintro_gpa_hpa_add_run(struct kvmintro_table *table,
				     const struct kvmintro_gpa_hpa_run *run)
{
	kvmintro_table_add(table, "0x%" PRIx64, run->gpa);
	kvmintro_table_add(table, "0x%" PRIx64, run->npages);
	kvmintro_table_add_size(table, run->npages << KVMINTRO_PAGE_SHIFT);
	kvmintro_table_add(table, "0x%" PRIx64, run->hva);
	kvmintro_table_add_maybe_hex(table, run->hpa);
	kvmintro_table_add_maybe_hex(table, run->pfn);
	if (run->host_size.valid)
		kvmintro_table_add_size(table, run->host_size.value);
	else
		kvmintro_table_add(table, "-");
	kvmintro_table_add(table, "%s", run->kind);
}

static void kvmintro_gpa_hpa_add_total(struct kvmintro_table *table,
				       const struct kvmintro_gpa_hpa_total *total)
{
	kvmintro_table_add(table, "%s", total->kind);
	kvmintro_table_add(table, "%" PRIu64, total->runs);
	kvmintro_table_add_size(table, total->bytes);
	kvmintro_table_add(table, "%" PRIu64, total->bytes);
}

static int kvmintro_gpa_hpa_print_totals(const struct kvmintro_array *runs,
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
int kvmintro_gpa_hpa_print_table(const struct kvmintro_array *runs,
				 FILE *out)
{
	const struct kvmintro_gpa_hpa_run *run = runs->elements;
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

static void kvmintro_gpa_hpa_write_run_json(struct kvmintro_json *json,
					    const struct kvmintro_gpa_hpa_run *run)
{
	kvmintro_json_begin_object(json, NULL);
	kvmintro_json_u64(json, "gpa", run->gpa);
	kvmintro_json_u64(json, "npages", run->npages);
	kvmintro_json_u64(json, "size", run->npages << KVMINTRO_PAGE_SHIFT);
	kvmintro_json_u64(json, "hva", run->hva);
	kvmintro_json_maybe_u64(json, "hpa", run->hpa);
	kvmintro_json_maybe_u64(json, "pfn", run->pfn);
	kvmintro_json_maybe_u64(json, "host_size", run->host_size);
	kvmintro_json_string(json, "kind", run->kind);
	kvmintro_json_end_object(json);
}

static void kvmintro_gpa_hpa_write_total_json(struct kvmintro_json *json,
					      const struct kvmintro_gpa_hpa_total *total)
{
	kvmintro_json_begin_object(json, total->kind);
	kvmintro_json_u64(json, "runs", total->runs);
	kvmintro_json_u64(json, "bytes", total->bytes);
	kvmintro_json_end_object(json);
}

/*
 * Print @runs as a JSON object: the VM, "runs" (null where a run is not
 * backed), "totals" by kind, and "total" of them all. Return 0 or -errno.
 */
int kvmintro_gpa_hpa_print_json(const struct kvmintro_vm *vm,
				const struct kvmintro_array *runs, FILE *out)
{
	const struct kvmintro_gpa_hpa_run *run = runs->elements;
	struct kvmintro_gpa_hpa_totals totals;
	struct kvmintro_json json;
	size_t i;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_json_begin_array(&json, "runs");
	for (i = 0; i < runs->count; i++)
		kvmintro_gpa_hpa_write_run_json(&json, &run[i]);
	kvmintro_json_end_array(&json);
	kvmintro_gpa_hpa_sum(runs, &totals);
	kvmintro_json_begin_object(&json, "totals");
	for (i = 0; i < totals.count; i++)
		kvmintro_gpa_hpa_write_total_json(&json, &totals.kinds[i]);
	kvmintro_json_end_object(&json);
	kvmintro_gpa_hpa_write_total_json(&json, &totals.all);
	return kvmintro_vm_json_end(&json);
}
