// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro gpa-hpa PID|DIR: where the host holds all of a VM's memory, one
 * record of "gpa_hpa" per run of guest pages backed alike, then the bytes
 * each kind backs.
 */
#include "kvmintro.h"

static const struct kvmintro_record_key kvmintro_gpa_hpa_keys[] = {
	KVMINTRO_SCHEMA_KEY("gpa", KVMINTRO_RECORD_TYPES(HEX)),
	KVMINTRO_SCHEMA_KEY("npages", KVMINTRO_RECORD_TYPES(HEX)),
	KVMINTRO_SCHEMA_KEY("hva", KVMINTRO_RECORD_TYPES(HEX)),
	KVMINTRO_SCHEMA_KEY("hpa", KVMINTRO_RECORD_TYPES(HEX) | KVMINTRO_RECORD_TYPES(NONE)),
	KVMINTRO_SCHEMA_KEY("pfn", KVMINTRO_RECORD_TYPES(HEX) | KVMINTRO_RECORD_TYPES(NONE)),
	KVMINTRO_SCHEMA_KEY("host_size", KVMINTRO_RECORD_TYPES(WORD) | KVMINTRO_RECORD_TYPES(NONE)),
	KVMINTRO_SCHEMA_KEY("kind", KVMINTRO_RECORD_TYPES(WORD)),
};

static const char *const kvmintro_gpa_hpa_page_sizes[] = { "host_size", NULL };

/* What is not backed has no host page, and what is has one. */
static int kvmintro_gpa_hpa_check(const struct kvmintro_record *run,
				  struct kvmintro_parse_error *error)
{
	struct kvmintro_span kind = kvmintro_record_text(run, "kind");
	bool backed = !kvmintro_span_equals(kind, "none");

	if (kvmintro_record_maybe(run, "hpa").valid != backed ||
	    kvmintro_record_maybe(run, "pfn").valid != backed ||
	    kvmintro_record_maybe(run, "host_size").valid != backed)
		return kvmintro_parse_fail(error, -EBADMSG,
			"kind %.*s, but hpa, pfn and host_size are %s",
			(int)kind.length, kind.start,
			backed ? "not all given" : "not all '-'");
	if (kvmintro_record_number(run, "npages") >>
	    (KVMINTRO_GPA_BITS - KVMINTRO_PAGE_SHIFT))
		return kvmintro_parse_fail(error, -EBADMSG,
			"npages 0x%" PRIx64 " is more than guest memory can hold",
			kvmintro_record_number(run, "npages"));
	return 0;
}

/* --json adds each run's size in bytes. */
static void kvmintro_gpa_hpa_write_json(struct kvmintro_json *json,
					const struct kvmintro_record *run)
{
	kvmintro_json_u64(json, "size", kvmintro_record_number(run, "npages")
					<< KVMINTRO_PAGE_SHIFT);
}

static const struct kvmintro_record_schema kvmintro_gpa_hpa_schema = {
	.keys = kvmintro_gpa_hpa_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_gpa_hpa_keys),
	.page_sizes = kvmintro_gpa_hpa_page_sizes,
	.check = kvmintro_gpa_hpa_check,
	.write_json = kvmintro_gpa_hpa_write_json,
};

static const struct kvmintro_column kvmintro_gpa_hpa_columns[] = {
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("npages", "NPAGES", VALUE),
	KVMINTRO_SHOW_RIGHT("npages", "SIZE", PAGES),
	KVMINTRO_SHOW_RIGHT("hva", "HVA", VALUE),
	KVMINTRO_SHOW_RIGHT("hpa", "HPA", VALUE),
	KVMINTRO_SHOW_RIGHT("pfn", "PFN", VALUE),
	KVMINTRO_SHOW_RIGHT("host_size", "HOST PAGE", SIZE),
	KVMINTRO_SHOW_LEFT("kind", "KIND", VALUE),
};

static const struct kvmintro_column kvmintro_gpa_hpa_total_columns[] = {
	KVMINTRO_COLUMN("KIND", LEFT), KVMINTRO_COLUMN("RUNS", RIGHT),
	KVMINTRO_COLUMN("SIZE", RIGHT), KVMINTRO_COLUMN("BYTES", RIGHT),
};

/* Totals are kept for this many kinds: the five known, and a few more. */
#define KVMINTRO_GPA_HPA_KINDS_MAX 16

/**
 * struct kvmintro_gpa_hpa_total - the guest memory one kind backs
 * @kind: the kind, pointing into the records
 * @runs: records of that kind
 * @bytes: their guest bytes
 */
struct kvmintro_gpa_hpa_total {
	struct kvmintro_span kind;
	uint64_t runs;
	uint64_t bytes;
};

/*
 * Add up the guest bytes of @runs by kind into @totals: the five known
 * kinds always, then the kinds of a newer module as met, all that do not
 * fit as "other", then "total". Return how many totals there are.
 */
static size_t kvmintro_gpa_hpa_sum(const struct kvmintro_record_list *runs,
				   struct kvmintro_gpa_hpa_total *totals)
{
	static const char *const names[] = {
		"base", "thp", "hugetlb", "zero", "none", "other", "total",
	};
	size_t i, k, count = 5, last = KVMINTRO_GPA_HPA_KINDS_MAX - 2;
	struct kvmintro_span kind;
	uint64_t bytes;

	memset(totals, 0, KVMINTRO_GPA_HPA_KINDS_MAX * sizeof(*totals));
	for (k = 0; k < count; k++)
		totals[k].kind = kvmintro_span_from_string(names[k]);
	totals[last].kind = kvmintro_span_from_string("other");
	for (i = 0; i < runs->count; i++) {
		kind = kvmintro_record_text(&runs->records[i], "kind");
		bytes = kvmintro_record_number(&runs->records[i], "npages")
			<< KVMINTRO_PAGE_SHIFT;
		for (k = 0; k < count; k++)
			if (totals[k].kind.length == kind.length &&
			    !memcmp(totals[k].kind.start, kind.start, kind.length))
				break;
		if (k == count && count < last)
			totals[count++].kind = kind;
		else if (k == count)
			k = last;
		totals[k].runs++;
		totals[k].bytes += bytes;
		totals[last + 1].runs++;
		totals[last + 1].bytes += bytes;
	}
	if (totals[last].runs)
		totals[count++] = totals[last];
	totals[last + 1].kind = kvmintro_span_from_string("total");
	totals[count++] = totals[last + 1];
	return count;
}

static int kvmintro_gpa_hpa_print_totals(const struct kvmintro_record_list *runs,
					 FILE *out)
{
	struct kvmintro_gpa_hpa_total totals[KVMINTRO_GPA_HPA_KINDS_MAX];
	size_t i, count = kvmintro_gpa_hpa_sum(runs, totals);
	struct kvmintro_table table;

	kvmintro_table_init(&table, kvmintro_gpa_hpa_total_columns,
			    ARRAY_SIZE(kvmintro_gpa_hpa_total_columns));
	for (i = 0; i < count; i++) {
		kvmintro_table_add(&table, "%.*s", (int)totals[i].kind.length,
				   totals[i].kind.start);
		kvmintro_table_add(&table, "%" PRIu64, totals[i].runs);
		kvmintro_table_add_size(&table, totals[i].bytes);
		kvmintro_table_add(&table, "%" PRIu64, totals[i].bytes);
	}
	return kvmintro_table_finish(&table, out);
}

/* The runs, then the bytes each kind backs. */
static int kvmintro_gpa_hpa_print(const struct kvmintro_record_list *runs)
{
	return kvmintro_show_table(kvmintro_gpa_hpa_columns,
				   ARRAY_SIZE(kvmintro_gpa_hpa_columns),
				   runs->records, runs->count, stdout) ?:
	       (putchar('\n'), kvmintro_gpa_hpa_print_totals(runs, stdout));
}

/* --json adds "totals": {kind: {runs, bytes}}, "total": {runs, bytes}. */
static void kvmintro_gpa_hpa_write_totals(struct kvmintro_json *json,
					  const struct kvmintro_record_list *runs)
{
	struct kvmintro_gpa_hpa_total totals[KVMINTRO_GPA_HPA_KINDS_MAX];
	size_t i, count = kvmintro_gpa_hpa_sum(runs, totals);
	char kind[64];

	for (i = 0; i < count; i++) {
		if (i == 0)
			kvmintro_json_begin_object(json, "totals");
		if (i == count - 1)
			kvmintro_json_end_object(json);
		snprintf(kind, sizeof(kind), "%.*s", (int)totals[i].kind.length,
			 totals[i].kind.start);
		kvmintro_json_begin_object(json, kind);
		kvmintro_json_u64(json, "runs", totals[i].runs);
		kvmintro_json_u64(json, "bytes", totals[i].bytes);
		kvmintro_json_end_object(json);
	}
}

static const struct kvmintro_view kvmintro_gpa_hpa_view = {
	.file = "gpa_hpa",
	.schema = &kvmintro_gpa_hpa_schema,
	.json_key = "runs",
	.empty = "has no memory in address space 0.",
	.print = kvmintro_gpa_hpa_print,
	.write_json = kvmintro_gpa_hpa_write_totals,
};

int kvmintro_cmd_gpa_hpa(struct kvmintro *kvmintro)
{
	return kvmintro_show_view(kvmintro, &kvmintro_gpa_hpa_view, NULL, NULL,
				  NULL);
}
