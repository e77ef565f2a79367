// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro stage2 PID|DIR [GPA]: the NPT/EPT table KVM built for a guest,
 * from the VM's stage2 file (Documentation/debugfs.rst, "stage2" and
 * "stage2 on arm64"): written a GPA, it replies with the walk, ending with
 * a "leaf" or an "err"; written "summary", with the table and the runs of
 * leaves alike. On arm64 the table is KVM's stage 2 (mmu=s2), whose
 * descriptors, leaves and runs have their own columns; the records' keys
 * say which architecture replied.
 */
#include "kvmintro.h"

/* A walk is of the GPA asked, @context, and ends with a leaf or an err. */
static int kvmintro_stage2_check_walk(const struct kvmintro_record_list *walk,
				      const void *context,
				      struct kvmintro_parse_error *error)
{
	const uint64_t *gpa = context;
	const struct kvmintro_record *last;
	struct kvmintro_maybe_u64 asked;

	if (!walk->count)
		return kvmintro_parse_fail(error, -EBADMSG, "no reply");
	last = &walk->records[walk->count - 1];
	asked = kvmintro_record_maybe(walk->records, "gpa");
	if (asked.valid && asked.value != *gpa) {
		error->line = 1;
		return kvmintro_parse_fail(error, -EAGAIN,
			"the reply is for 0x%" PRIx64 ", but 0x%" PRIx64 " was asked" KVMINTRO_RECORD_AGAIN,
			asked.value, *gpa);
	}
	if (!kvmintro_record_is(last, "leaf") && !kvmintro_record_is(last, "err"))
		return kvmintro_parse_fail(error, -EBADMSG,
			"the walk ends before a leaf or err line");
	return 0;
}

static const char *const kvmintro_stage2_page_sizes[] = {
	"size", "host_size", NULL,
};

static const struct kvmintro_record_schema kvmintro_stage2_walk_schema = {
	.page_sizes = kvmintro_stage2_page_sizes,
	.check_list = kvmintro_stage2_check_walk,
};

static const struct kvmintro_record_schema kvmintro_stage2_summary_schema = {
	.page_sizes = kvmintro_stage2_page_sizes,
};

/* An entry read, then its bits: NPT's, the x86-64 format, or EPT's. */
#define KVMINTRO_STAGE2_ENTRY						\
	KVMINTRO_SHOW_RIGHT("level", "LEVEL", VALUE),			\
	KVMINTRO_SHOW_RIGHT("table", "TABLE", VALUE),			\
	KVMINTRO_SHOW_RIGHT("index", "INDEX", VALUE),			\
	KVMINTRO_SHOW_RIGHT("entry", "ENTRY", VALUE)

static const struct kvmintro_column kvmintro_stage2_npt_columns[] = {
	KVMINTRO_STAGE2_ENTRY,
	KVMINTRO_SHOW_X86_BITS,
};

static const struct kvmintro_column kvmintro_stage2_ept_columns[] = {
	KVMINTRO_STAGE2_ENTRY,
	KVMINTRO_SHOW_LEFT("present", "P", FLAG),
	KVMINTRO_SHOW_LEFT("read", "R", FLAG),
	KVMINTRO_SHOW_LEFT("writable", "W", FLAG),
	KVMINTRO_SHOW_LEFT("exec", "X", FLAG),
	KVMINTRO_SHOW_LEFT("large", "L", FLAG),
};

_Static_assert(ARRAY_SIZE(kvmintro_stage2_npt_columns) ==
	       ARRAY_SIZE(kvmintro_stage2_ept_columns),
	       "NPT and EPT entries have as many columns");

static const struct kvmintro_column kvmintro_stage2_s2_columns[] = {
	KVMINTRO_STAGE2_ENTRY,
	KVMINTRO_SHOW_LEFT("valid", "V", FLAG),
	KVMINTRO_SHOW_LEFT("type", "TYPE", VALUE),
};

static const struct kvmintro_column kvmintro_stage2_s2_leaf_columns[] = {
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("hpa", "HPA", VALUE),
	KVMINTRO_SHOW_RIGHT("pfn", "PFN", VALUE),
	KVMINTRO_SHOW_RIGHT("size", "SIZE", SIZE),
	KVMINTRO_SHOW_LEFT("s2ap", "S2AP", VALUE),
	KVMINTRO_SHOW_LEFT("xn", "XN", FLAG),
	KVMINTRO_SHOW_LEFT("memtype", "MEMTYPE", VALUE),
	KVMINTRO_SHOW_LEFT("af", "AF", FLAG),
	KVMINTRO_SHOW_RIGHT("sh", "SH", VALUE),
	KVMINTRO_SHOW_RIGHT("sw", "SW", VALUE),
	KVMINTRO_SHOW_RIGHT("host_size", "HOST SIZE", SIZE),
	KVMINTRO_SHOW_LEFT("kind", "HOST KIND", VALUE),
};

static const struct kvmintro_column kvmintro_stage2_leaf_columns[] = {
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("hpa", "HPA", VALUE),
	KVMINTRO_SHOW_RIGHT("pfn", "PFN", VALUE),
	KVMINTRO_SHOW_RIGHT("size", "SIZE", SIZE),
	KVMINTRO_SHOW_LEFT("perm", "PERM", VALUE),
	KVMINTRO_SHOW_LEFT("memtype", "MEMTYPE", VALUE),
	KVMINTRO_SHOW_RIGHT("host_size", "HOST SIZE", SIZE),
	KVMINTRO_SHOW_LEFT("kind", "HOST KIND", VALUE),
};

static const struct kvmintro_column kvmintro_stage2_run_columns[] = {
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("npages", "PAGES", VALUE),
	KVMINTRO_SHOW_RIGHT("npages", "SIZE", PAGES),
	KVMINTRO_SHOW_RIGHT("size", "LEAF", SIZE),
	KVMINTRO_SHOW_RIGHT("leaves", "LEAVES", VALUE),
	KVMINTRO_SHOW_LEFT("perm", "PERM", VALUE),
	KVMINTRO_SHOW_LEFT("memtype", "MEMTYPE", VALUE),
	KVMINTRO_SHOW_RIGHT("sw", "SW", VALUE),
};

/*
 * Say which table @record (a walk's first line, a summary's "table") is:
 * "vcpu 0's NPT table, root 0x..., 4 levels"; or why there is none.
 * Return whether there is one.
 */
static bool kvmintro_stage2_print_root(const struct kvmintro_record *record)
{
	struct kvmintro_span why = kvmintro_record_text(record, "why");

	if (kvmintro_record_find(record, "why")) {
		printf("No %s: %.*s.\n",
		       kvmintro_record_says(record, "reason", "no-table") ?
		       "stage-2 table" : "TDP MMU root", (int)why.length,
		       why.start);
		return false;
	}
	if (kvmintro_record_says(record, "mmu", "s2")) {
		printf("stage-2 table, IPA %" PRIu64 " bits, start level %" PRIu64 ", root 0x%" PRIx64 ", %" PRIu64 " levels%s\n",
		       kvmintro_record_number(record, "ia_bits"),
		       kvmintro_record_number(record, "start_level"),
		       kvmintro_record_number(record, "root"),
		       kvmintro_record_number(record, "levels"),
		       kvmintro_record_number(record, "lpa2") ? ", LPA2" : "");
		return true;
	}
	printf("vcpu %" PRIu64 "'s %s table, root 0x%" PRIx64 ", %" PRIu64 " levels%s\n",
	       kvmintro_record_number(record, "vcpu"),
	       kvmintro_record_says(record, "mmu", "ept") ?
	       "EPT" : "NPT", kvmintro_record_number(record, "root"),
	       kvmintro_record_number(record, "levels"),
	       kvmintro_record_number(record, "smm") ? " (SMM)" : "");
	return true;
}

/* Print @walk: the table, the levels, then the leaf or where it stopped. */
static int kvmintro_stage2_print_walk(const struct kvmintro_record_list *walk)
{
	const struct kvmintro_record *last = &walk->records[walk->count - 1];
	bool ept = kvmintro_record_says(walk->records, "mmu", "ept");
	struct kvmintro_span reason = kvmintro_record_text(last, "reason");
	bool s2 = kvmintro_record_says(walk->records, "mmu", "s2");
	int ret;

	if (kvmintro_record_is(walk->records, "err") || walk->count < 2) {
		if (kvmintro_record_find(last, "why"))
			return kvmintro_stage2_print_root(last), 0;
	} else if (!kvmintro_stage2_print_root(walk->records)) {
		return 0;
	}
	ret = walk->count < 2 ? 0 :
	      kvmintro_show_table(s2 ? kvmintro_stage2_s2_columns :
				  ept ? kvmintro_stage2_ept_columns :
				  kvmintro_stage2_npt_columns,
				  s2 ? ARRAY_SIZE(kvmintro_stage2_s2_columns) :
				  ARRAY_SIZE(kvmintro_stage2_npt_columns),
				  walk->records + 1, walk->count - 2, stdout);
	if (ret || kvmintro_record_is(last, "leaf"))
		return ret ?:
		       kvmintro_show_table(s2 ? kvmintro_stage2_s2_leaf_columns :
					   kvmintro_stage2_leaf_columns,
					   s2 ? ARRAY_SIZE(kvmintro_stage2_s2_leaf_columns) :
					   ARRAY_SIZE(kvmintro_stage2_leaf_columns),
					   last, 1, stdout);
	printf("0x%" PRIx64 ": ", kvmintro_record_number(last, "gpa"));
	if (kvmintro_record_find(last, "level"))
		printf("stops at level %" PRIu64 ": ",
		       kvmintro_record_number(last, "level"));
	printf("%.*s\n", (int)reason.length, reason.start);
	return 0;
}

/* Print the runs; then the bytes mapped by leaves of each size. */
static int kvmintro_stage2_print_summary(const struct kvmintro_record_list *summary)
{
	static const char *const sizes[] = { "4K", "2M", "1G" };
	const struct kvmintro_record *record;
	char text[KVMINTRO_SIZE_TEXT_MAX];
	size_t i, j, count = 0, notes = 0;
	struct kvmintro_record *runs;
	uint64_t bytes[3] = { 0 };
	int ret;

	if (!summary->count || !kvmintro_stage2_print_root(summary->records))
		return 0;
	runs = calloc(summary->count, sizeof(*runs));
	if (!runs)
		return -ENOMEM;
	for (i = 1; i < summary->count; i++) {
		record = &summary->records[i];
		if (!kvmintro_record_is(record, "run")) {
			notes++;
			continue;
		}
		runs[count++] = *record;
		for (j = 0; j < ARRAY_SIZE(sizes); j++)
			if (kvmintro_record_says(record, "size", sizes[j]))
				bytes[j] += kvmintro_record_number(record, "npages")
					    << 12;
	}
	/* The last column, SW, is arm64's. */
	ret = kvmintro_show_table(kvmintro_stage2_run_columns,
				  ARRAY_SIZE(kvmintro_stage2_run_columns) -
				  !kvmintro_record_says(summary->records, "mmu",
							"s2"),
				  runs, count, stdout);
	free(runs);
	for (j = 0; j < ARRAY_SIZE(sizes); j++) {
		kvmintro_format_size(bytes[j], text, sizeof(text));
		printf("%s%s in %s leaves", j ? ", " : "Mapped: ", text, sizes[j]);
	}
	putchar('\n');
	if (notes)
		printf("The root changed or went away during the walk: %zu note(s); read again.\n",
		       notes);
	return ret;
}

static const struct kvmintro_view kvmintro_stage2_walk_view = {
	.file = "stage2",
	.schema = &kvmintro_stage2_walk_schema,
	.json_key = "walk",
	.print = kvmintro_stage2_print_walk,
};

static const struct kvmintro_view kvmintro_stage2_summary_view = {
	.file = "stage2",
	.schema = &kvmintro_stage2_summary_schema,
	.json_key = "summary",
	.print = kvmintro_stage2_print_summary,
};

int kvmintro_cmd_stage2(struct kvmintro *kvmintro)
{
	const struct kvmintro_view *view = &kvmintro_stage2_summary_view;
	char request[32] = "summary\n";
	uint64_t gpa;
	int ret;

	if (kvmintro->argc) {
		ret = kvmintro_get_address("stage2", kvmintro->argv[0], &gpa);
		if (ret)
			return ret;
		snprintf(request, sizeof(request), "0x%" PRIx64 "\n", gpa);
		view = &kvmintro_stage2_walk_view;
	}
	return kvmintro_show_view(kvmintro, view, request, NULL, &gpa);
}
