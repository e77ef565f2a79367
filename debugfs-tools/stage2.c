// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's "stage2" file: the NPT/EPT table KVM built for the guest.
 *
 * Written a GPA, it answers with the table walked (one header line, one
 * line per level, then a "leaf" line, or an "err" line where the walk
 * stopped):
 *
 *   gpa=0x1000 vcpu=0 mmu=npt root=0x1d3d000 levels=4 smm=0
 *   level=4 table=0x1d3d000 index=0x0 entry=0x1d3e827 present=1 ...
 *   leaf gpa=0x1000 pfn=0xe9e6 hpa=0xe9e6000 level=1 size=4K perm=rwx ...
 *
 * Written "summary" (or never written), it gives a '#' line naming the
 * table, then columns "gpa npages size leaves perm memtype", one line per
 * run of leaves alike.  Without a TDP MMU root, either is one line,
 * "err ... reason=no-tdp-mmu why=<why>".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"
#include "json.h"
#include "stage2.h"
#include "table.h"

static const char *const kvmintro_stage2_mmus[] = { "npt", "ept", NULL };

/* The header of a walk, or the '#' line of a summary (no gpa). */
struct kvmintro_stage2_header {
	uint64_t gpa;
	struct kvmintro_stage2_root root;
};

#define KVMINTRO_STAGE2_HEADER_FIELD(member, name, type, ...)		\
	KVMINTRO_FIELD(struct kvmintro_stage2_header, member, name, type, \
		       __VA_ARGS__)

static const struct kvmintro_field kvmintro_stage2_header_fields[] = {
	KVMINTRO_STAGE2_HEADER_FIELD(gpa, "gpa", KVMINTRO_FIELD_HEX,
				     .optional = true),
	KVMINTRO_STAGE2_HEADER_FIELD(root.vcpu, "vcpu", KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_STAGE2_HEADER_FIELD(root.mmu, "mmu", KVMINTRO_FIELD_NAME,
				     .choices = kvmintro_stage2_mmus),
	KVMINTRO_STAGE2_HEADER_FIELD(root.root, "root", KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_HEADER_FIELD(root.levels, "levels",
				     KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_STAGE2_HEADER_FIELD(root.smm, "smm", KVMINTRO_FIELD_DECIMAL),
};

/* An "err" line: no root, or where a walk stopped. */
struct kvmintro_stage2_err {
	uint64_t gpa;
	uint64_t level;
	char reason[KVMINTRO_STAGE2_WORD_MAX];
	char why[KVMINTRO_STAGE2_WORD_MAX];
};

static const struct kvmintro_field kvmintro_stage2_err_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_stage2_err, gpa, "gpa",
		       KVMINTRO_FIELD_HEX, .optional = true),
	KVMINTRO_FIELD(struct kvmintro_stage2_err, level, "level",
		       KVMINTRO_FIELD_DECIMAL, .optional = true),
	KVMINTRO_FIELD(struct kvmintro_stage2_err, reason, "reason",
		       KVMINTRO_FIELD_NAME),
	KVMINTRO_FIELD(struct kvmintro_stage2_err, why, "why",
		       KVMINTRO_FIELD_NAME, .optional = true),
};

#define KVMINTRO_STAGE2_LEVEL_FIELD(member, type)			\
	KVMINTRO_FIELD(struct kvmintro_stage2_level, member, #member, type)

static const struct kvmintro_field kvmintro_stage2_level_fields[] = {
	KVMINTRO_STAGE2_LEVEL_FIELD(level, KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_STAGE2_LEVEL_FIELD(table, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_LEVEL_FIELD(index, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_LEVEL_FIELD(entry, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_LEVEL_FIELD(present, KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_STAGE2_LEVEL_FIELD(writable, KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_STAGE2_LEVEL_FIELD(large, KVMINTRO_FIELD_DECIMAL),
};

#define KVMINTRO_STAGE2_LEAF_FIELD(member, type, ...)			\
	KVMINTRO_FIELD(struct kvmintro_stage2_leaf, member, #member, type, \
		       __VA_ARGS__)

static const struct kvmintro_field kvmintro_stage2_leaf_fields[] = {
	KVMINTRO_STAGE2_LEAF_FIELD(gpa, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_LEAF_FIELD(pfn, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_LEAF_FIELD(hpa, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_LEAF_FIELD(level, KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_STAGE2_LEAF_FIELD(size, KVMINTRO_FIELD_PAGE_SIZE),
	KVMINTRO_STAGE2_LEAF_FIELD(perm, KVMINTRO_FIELD_NAME),
	KVMINTRO_STAGE2_LEAF_FIELD(memtype, KVMINTRO_FIELD_NAME,
				   .optional = true),
	KVMINTRO_STAGE2_LEAF_FIELD(host_size, KVMINTRO_FIELD_PAGE_SIZE,
				   .absent = "-"),
	KVMINTRO_STAGE2_LEAF_FIELD(kind, KVMINTRO_FIELD_NAME),
};

#define KVMINTRO_STAGE2_FORMAT(record, layout_, fields_)		\
	{								\
		.layout = layout_,					\
		.fields = fields_,					\
		.nr_fields = ARRAY_SIZE(fields_),			\
		.record_size = sizeof(record),				\
	}

static const struct kvmintro_record_format kvmintro_stage2_header_format =
	KVMINTRO_STAGE2_FORMAT(struct kvmintro_stage2_header,
			       KVMINTRO_LAYOUT_KEY_VALUE,
			       kvmintro_stage2_header_fields);
static const struct kvmintro_record_format kvmintro_stage2_err_format =
	KVMINTRO_STAGE2_FORMAT(struct kvmintro_stage2_err,
			       KVMINTRO_LAYOUT_KEY_VALUE,
			       kvmintro_stage2_err_fields);
static const struct kvmintro_record_format kvmintro_stage2_level_format =
	KVMINTRO_STAGE2_FORMAT(struct kvmintro_stage2_level,
			       KVMINTRO_LAYOUT_KEY_VALUE,
			       kvmintro_stage2_level_fields);
static const struct kvmintro_record_format kvmintro_stage2_leaf_format =
	KVMINTRO_STAGE2_FORMAT(struct kvmintro_stage2_leaf,
			       KVMINTRO_LAYOUT_KEY_VALUE,
			       kvmintro_stage2_leaf_fields);

#define KVMINTRO_STAGE2_RUN_FIELD(member, type)				\
	KVMINTRO_FIELD(struct kvmintro_stage2_row, member, #member, type)

static const struct kvmintro_field kvmintro_stage2_run_fields[] = {
	KVMINTRO_STAGE2_RUN_FIELD(gpa, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_RUN_FIELD(npages, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_RUN_FIELD(size, KVMINTRO_FIELD_PAGE_SIZE),
	KVMINTRO_STAGE2_RUN_FIELD(leaves, KVMINTRO_FIELD_HEX),
	KVMINTRO_STAGE2_RUN_FIELD(perm, KVMINTRO_FIELD_NAME),
	KVMINTRO_STAGE2_RUN_FIELD(memtype, KVMINTRO_FIELD_NAME),
};

/* A run is whole leaves of its size. */
static int kvmintro_stage2_run_check(const void *record,
				     struct kvmintro_parse_error *error)
{
	const struct kvmintro_stage2_row *run = record;

	if (!run->size || run->size % 4096 || !run->leaves ||
	    run->npages != run->leaves * (run->size / 4096))
		return kvmintro_parse_fail(error, -EBADMSG,
			"0x%" PRIx64 " leaves of %" PRIu64 " bytes do not make 0x%" PRIx64 " pages",
			run->leaves, run->size, run->npages);
	return 0;
}

static const struct kvmintro_record_format kvmintro_stage2_run_format = {
	.layout = KVMINTRO_LAYOUT_COLUMNS,
	.fields = kvmintro_stage2_run_fields,
	.nr_fields = ARRAY_SIZE(kvmintro_stage2_run_fields),
	.record_size = sizeof(struct kvmintro_stage2_row),
	.check = kvmintro_stage2_run_check,
};

/* Parse @words (a whole line, or the rest after its first word). */
static int kvmintro_stage2_parse_words(const struct kvmintro_record_format *format,
				       struct kvmintro_span words, void *record,
				       struct kvmintro_parse_error *error)
{
	memset(record, 0, format->record_size);
	return kvmintro_parse_words(format, words, record, error);
}

/* An "err" line without a root: set @root from it. */
static int kvmintro_stage2_parse_no_root(const struct kvmintro_stage2_err *err,
					 struct kvmintro_stage2_root *root,
					 struct kvmintro_parse_error *error)
{
	if (strcmp(err->reason, "no-tdp-mmu") || !err->why[0])
		return kvmintro_parse_fail(error, -EBADMSG,
			"an error before the table is named must be reason=no-tdp-mmu why=...");
	memset(root, 0, sizeof(*root));
	snprintf(root->why, sizeof(root->why), "%s", err->why);
	return 0;
}

/**
 * struct kvmintro_stage2_walk_parser - kvmintro_stage2_walk_parse() at work
 * @walk: the result
 * @lines: lines parsed so far
 * @done: the leaf or the error was seen: nothing may follow
 */
struct kvmintro_stage2_walk_parser {
	struct kvmintro_stage2_reply *walk;
	size_t lines;
	bool done;
};

static int kvmintro_stage2_walk_parse_line(void *context,
					   struct kvmintro_span line,
					   struct kvmintro_parse_error *error)
{
	struct kvmintro_stage2_walk_parser *parser = context;
	struct kvmintro_stage2_reply *walk = parser->walk;
	struct kvmintro_stage2_header header;
	struct kvmintro_stage2_err err;
	struct kvmintro_span rest = line, word;
	int ret;

	if (parser->done)
		return kvmintro_parse_fail(error, -EBADMSG,
					   "a line after the end of the walk");
	kvmintro_span_next_word(&rest, &word);
	if (kvmintro_span_equals(word, "err")) {
		ret = kvmintro_stage2_parse_words(&kvmintro_stage2_err_format,
						  rest, &err, error);
		if (ret)
			return ret;
		if (err.gpa != walk->gpa)
			return kvmintro_parse_fail(error, -EAGAIN,
				"the reply is for 0x%" PRIx64 ", but 0x%" PRIx64 " was asked: did another request to this VM come in between? Try again",
				err.gpa, walk->gpa);
		parser->done = true;
		snprintf(walk->reason, sizeof(walk->reason), "%s", err.reason);
		walk->stop_level = err.level;
		if (!parser->lines++)
			return kvmintro_stage2_parse_no_root(&err, &walk->root,
							     error);
		return 0;
	}
	if (!parser->lines++) {
		ret = kvmintro_stage2_parse_words(&kvmintro_stage2_header_format,
						  line, &header, error);
		if (ret)
			return ret;
		if (header.gpa != walk->gpa)
			return kvmintro_parse_fail(error, -EAGAIN,
				"the walk is of 0x%" PRIx64 ", but 0x%" PRIx64 " was asked: did another request to this VM come in between? Try again",
				header.gpa, walk->gpa);
		walk->root = header.root;
		walk->root.ok = true;
		return 0;
	}
	if (kvmintro_span_equals(word, "leaf")) {
		parser->done = true;
		walk->present = true;
		return kvmintro_stage2_parse_words(&kvmintro_stage2_leaf_format,
						   rest, &walk->leaf, error);
	}
	if (walk->nr_levels == KVMINTRO_STAGE2_LEVELS_MAX)
		return kvmintro_parse_fail(error, -EBADMSG,
			"more than %d levels", KVMINTRO_STAGE2_LEVELS_MAX);
	return kvmintro_stage2_parse_words(&kvmintro_stage2_level_format, line,
					   &walk->levels[walk->nr_levels++],
					   error);
}

/*
 * Parse the reply of a "stage2" file to a walk of @gpa into @walk. Return
 * 0, or -EBADMSG, or -EAGAIN when the reply is to another request, with
 * @error saying why and where.
 */
int kvmintro_stage2_walk_parse(const char *text, size_t length, uint64_t gpa,
			       struct kvmintro_stage2_reply *walk,
			       struct kvmintro_parse_error *error)
{
	struct kvmintro_stage2_walk_parser parser = { .walk = walk };
	int ret;

	memset(walk, 0, sizeof(*walk));
	walk->gpa = gpa;
	ret = kvmintro_parse_lines(text, length,
				   kvmintro_stage2_walk_parse_line, &parser,
				   error);
	if (!ret && !parser.done)
		ret = kvmintro_parse_fail(error, -EBADMSG,
			"the walk has neither a leaf nor an error line");
	return ret;
}

/*
 * Parse a "stage2" file read without a GPA into @summary; the caller
 * releases it. Return 0, -EBADMSG or -ENOMEM, with @error saying why.
 */
int kvmintro_stage2_summary_parse(const char *text, size_t length,
				  struct kvmintro_stage2_summary *summary,
				  struct kvmintro_parse_error *error)
{
	struct kvmintro_stage2_header header;
	struct kvmintro_line_reader reader;
	struct kvmintro_stage2_err err;
	struct kvmintro_span line, rest, word;
	char *columns;
	size_t used = 0;
	int ret;

	memset(summary, 0, sizeof(*summary));
	kvmintro_array_init(&summary->runs, sizeof(struct kvmintro_stage2_row));
	kvmintro_line_reader_init(&reader, text, length);
	if (!kvmintro_line_reader_next(&reader, &line))
		return kvmintro_parse_fail(error, -EBADMSG, "the file is empty");
	rest = line;
	kvmintro_span_next_word(&rest, &word);
	if (kvmintro_span_equals(word, "err")) {
		ret = kvmintro_stage2_parse_words(&kvmintro_stage2_err_format,
						  rest, &err, error);
		if (!ret)
			ret = kvmintro_stage2_parse_no_root(&err, &summary->root,
							    error);
		if (!ret && kvmintro_line_reader_next(&reader, &line))
			ret = kvmintro_parse_fail(error, -EBADMSG,
				"a line after the error");
		return ret;
	}
	if (!kvmintro_span_equals(word, "#"))
		return kvmintro_parse_fail(error, -EBADMSG,
			"the summary does not start with '# vcpu=...'");
	ret = kvmintro_stage2_parse_words(&kvmintro_stage2_header_format, rest,
					  &header, error);
	if (ret)
		return ret;
	summary->root = header.root;
	summary->root.ok = true;

	/* The columns, without the notes: the '#' lines further down. */
	columns = malloc(length + 1);
	if (!columns)
		return kvmintro_parse_fail(error, -ENOMEM, "out of memory");
	while (kvmintro_line_reader_next(&reader, &line)) {
		if (line.length && line.start[0] == '#') {
			summary->notes++;
			continue;
		}
		memcpy(columns + used, line.start, line.length);
		used += line.length;
		columns[used++] = '\n';
	}
	ret = kvmintro_parse_records(&kvmintro_stage2_run_format, columns, used,
				     &summary->runs, error);
	free(columns);
	return ret;
}

void kvmintro_stage2_summary_release(struct kvmintro_stage2_summary *summary)
{
	kvmintro_array_release(&summary->runs);
}

struct kvmintro_stage2_walk_load {
	uint64_t gpa;
	struct kvmintro_stage2_reply *walk;
};

static int kvmintro_stage2_walk_parse_file(void *context, const char *text,
					   size_t length,
					   struct kvmintro_parse_error *error)
{
	struct kvmintro_stage2_walk_load *load = context;

	return kvmintro_stage2_walk_parse(text, length, load->gpa, load->walk,
					  error);
}

/* Ask the module of @vm to walk @gpa; read its reply into @walk. */
int kvmintro_stage2_walk_load(const char *root, const struct kvmintro_vm *vm,
			      uint64_t gpa, struct kvmintro_stage2_reply *walk)
{
	struct kvmintro_stage2_walk_load load = { .gpa = gpa, .walk = walk };
	char request[32];

	snprintf(request, sizeof(request), "0x%" PRIx64 "\n", gpa);
	return kvmintro_debugfs_request(root, vm->dir, "stage2", request, NULL,
					kvmintro_stage2_walk_parse_file, &load);
}

static int kvmintro_stage2_summary_parse_file(void *context, const char *text,
					      size_t length,
					      struct kvmintro_parse_error *error)
{
	return kvmintro_stage2_summary_parse(text, length, context, error);
}

/* Read the summary of @vm's table into @summary; the caller releases it. */
int kvmintro_stage2_summary_load(const char *root,
				 const struct kvmintro_vm *vm,
				 struct kvmintro_stage2_summary *summary)
{
	return kvmintro_debugfs_request(root, vm->dir, "stage2", "summary\n",
					NULL, kvmintro_stage2_summary_parse_file,
					summary);
}

/* "vcpu 0's NPT, root 0x..., 4 levels" */
static void kvmintro_stage2_print_root(const struct kvmintro_stage2_root *root,
				       FILE *out)
{
	if (!root->ok) {
		fprintf(out, "No TDP MMU root: %s.\n", root->why);
		return;
	}
	fprintf(out, "vcpu %" PRIu64 "'s %s table, root 0x%" PRIx64 ", %" PRIu64 " levels%s\n",
		root->vcpu, strcmp(root->mmu, "ept") ? "NPT" : "EPT",
		root->root, root->levels, root->smm ? " (SMM)" : "");
}

static const struct kvmintro_column kvmintro_stage2_level_columns[] = {
	{ "LEVEL", KVMINTRO_ALIGN_RIGHT },
	{ "TABLE", KVMINTRO_ALIGN_RIGHT },
	{ "INDEX", KVMINTRO_ALIGN_RIGHT },
	{ "ENTRY", KVMINTRO_ALIGN_RIGHT },
	{ "FLAGS", KVMINTRO_ALIGN_LEFT },
};

static const struct kvmintro_column kvmintro_stage2_leaf_columns[] = {
	{ "GPA", KVMINTRO_ALIGN_RIGHT },
	{ "HPA", KVMINTRO_ALIGN_RIGHT },
	{ "PFN", KVMINTRO_ALIGN_RIGHT },
	{ "SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "PERM", KVMINTRO_ALIGN_LEFT },
	{ "MEMTYPE", KVMINTRO_ALIGN_LEFT },
	{ "HOST SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "HOST KIND", KVMINTRO_ALIGN_LEFT },
};

/* Print @walk: the levels, then the leaf or where the walk stopped. */
int kvmintro_stage2_walk_print_table(const struct kvmintro_stage2_reply *walk,
				     FILE *out)
{
	const struct kvmintro_stage2_level *level;
	const struct kvmintro_stage2_leaf *leaf = &walk->leaf;
	struct kvmintro_table table;
	size_t i;
	int ret;

	kvmintro_stage2_print_root(&walk->root, out);
	if (!walk->root.ok)
		return 0;
	kvmintro_table_init(&table, kvmintro_stage2_level_columns,
			    ARRAY_SIZE(kvmintro_stage2_level_columns));
	for (i = 0; i < walk->nr_levels; i++) {
		level = &walk->levels[i];
		kvmintro_table_add(&table, "%" PRIu64, level->level);
		kvmintro_table_add(&table, "0x%" PRIx64, level->table);
		kvmintro_table_add(&table, "0x%" PRIx64, level->index);
		kvmintro_table_add(&table, "0x%" PRIx64, level->entry);
		kvmintro_table_add(&table, "%s%s%s",
				   level->present ? "present" : "not-present",
				   level->writable ? ",writable" : "",
				   level->large ? ",large" : "");
	}
	ret = kvmintro_table_finish(&table, out);
	if (ret)
		return ret;
	if (!walk->present) {
		if (walk->stop_level)
			fprintf(out, "0x%" PRIx64 ": stops at level %" PRIu64 ": %s\n",
				walk->gpa, walk->stop_level, walk->reason);
		else
			fprintf(out, "0x%" PRIx64 ": %s\n", walk->gpa,
				walk->reason);
		return 0;
	}
	kvmintro_table_init(&table, kvmintro_stage2_leaf_columns,
			    ARRAY_SIZE(kvmintro_stage2_leaf_columns));
	kvmintro_table_add(&table, "0x%" PRIx64, leaf->gpa);
	kvmintro_table_add(&table, "0x%" PRIx64, leaf->hpa);
	kvmintro_table_add(&table, "0x%" PRIx64, leaf->pfn);
	kvmintro_table_add_size(&table, leaf->size);
	kvmintro_table_add(&table, "%s", leaf->perm);
	kvmintro_table_add(&table, "%s", leaf->memtype[0] ? leaf->memtype : "-");
	if (leaf->host_size.valid)
		kvmintro_table_add_size(&table, leaf->host_size.value);
	else
		kvmintro_table_add(&table, "-");
	kvmintro_table_add(&table, "%s", leaf->kind);
	return kvmintro_table_finish(&table, out);
}

static void kvmintro_stage2_root_write_json(struct kvmintro_json *json,
					    const struct kvmintro_stage2_root *root)
{
	kvmintro_json_begin_object(json, "table");
	kvmintro_json_bool(json, "ok", root->ok);
	kvmintro_json_maybe_u64(json, "vcpu", (struct kvmintro_maybe_u64){
		.value = root->vcpu, .valid = root->ok });
	if (root->ok)
		kvmintro_json_string(json, "mmu", root->mmu);
	else
		kvmintro_json_null(json, "mmu");
	kvmintro_json_maybe_u64(json, "root", (struct kvmintro_maybe_u64){
		.value = root->root, .valid = root->ok });
	kvmintro_json_maybe_u64(json, "levels", (struct kvmintro_maybe_u64){
		.value = root->levels, .valid = root->ok });
	kvmintro_json_bool(json, "smm", root->smm);
	if (root->ok)
		kvmintro_json_null(json, "error");
	else
		kvmintro_json_string(json, "error", root->why);
	kvmintro_json_end_object(json);
}

/* {"vm": ..., "table": ..., "walk": {"gpa", "levels": [...], "leaf"}} */
int kvmintro_stage2_walk_print_json(const struct kvmintro_vm *vm,
				    const struct kvmintro_stage2_reply *walk,
				    FILE *out)
{
	const struct kvmintro_stage2_leaf *leaf = &walk->leaf;
	const struct kvmintro_stage2_level *level;
	struct kvmintro_json json;
	size_t i;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_stage2_root_write_json(&json, &walk->root);
	kvmintro_json_begin_object(&json, "walk");
	kvmintro_json_u64(&json, "gpa", walk->gpa);
	kvmintro_json_begin_array(&json, "levels");
	for (i = 0; i < walk->nr_levels; i++) {
		level = &walk->levels[i];
		kvmintro_json_begin_object(&json, NULL);
		kvmintro_json_u64(&json, "level", level->level);
		kvmintro_json_u64(&json, "table", level->table);
		kvmintro_json_u64(&json, "index", level->index);
		kvmintro_json_u64(&json, "entry", level->entry);
		kvmintro_json_bool(&json, "present", level->present);
		kvmintro_json_bool(&json, "writable", level->writable);
		kvmintro_json_bool(&json, "large", level->large);
		kvmintro_json_end_object(&json);
	}
	kvmintro_json_end_array(&json);
	kvmintro_json_bool(&json, "present", walk->present);
	if (walk->present) {
		kvmintro_json_begin_object(&json, "leaf");
		kvmintro_json_u64(&json, "hpa", leaf->hpa);
		kvmintro_json_u64(&json, "pfn", leaf->pfn);
		kvmintro_json_u64(&json, "level", leaf->level);
		kvmintro_json_u64(&json, "size", leaf->size);
		kvmintro_json_string(&json, "perm", leaf->perm);
		if (leaf->memtype[0])
			kvmintro_json_string(&json, "memtype", leaf->memtype);
		else
			kvmintro_json_null(&json, "memtype");
		kvmintro_json_maybe_u64(&json, "host_size", leaf->host_size);
		kvmintro_json_string(&json, "host_kind", leaf->kind);
		kvmintro_json_end_object(&json);
		kvmintro_json_null(&json, "error");
	} else {
		kvmintro_json_null(&json, "leaf");
		kvmintro_json_string(&json, "error", walk->reason);
	}
	kvmintro_json_maybe_u64(&json, "stop_level", (struct kvmintro_maybe_u64){
		.value = walk->stop_level, .valid = walk->stop_level != 0 });
	kvmintro_json_end_object(&json);
	return kvmintro_vm_json_end(&json);
}

static const struct kvmintro_column kvmintro_stage2_run_columns[] = {
	{ "GPA", KVMINTRO_ALIGN_RIGHT },
	{ "PAGES", KVMINTRO_ALIGN_RIGHT },
	{ "SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "LEAF", KVMINTRO_ALIGN_RIGHT },
	{ "LEAVES", KVMINTRO_ALIGN_RIGHT },
	{ "PERM", KVMINTRO_ALIGN_LEFT },
	{ "MEMTYPE", KVMINTRO_ALIGN_LEFT },
};

/* Print the runs; then the bytes mapped by leaves of each size. */
int kvmintro_stage2_summary_print_table(const struct kvmintro_stage2_summary *summary,
					FILE *out)
{
	const struct kvmintro_stage2_row *runs = summary->runs.elements, *run;
	uint64_t bytes[3] = { 0 }, sizes[3] = { 1 << 12, 1 << 21, 1 << 30 };
	char text[KVMINTRO_SIZE_TEXT_MAX];
	struct kvmintro_table table;
	size_t i, j;
	int ret;

	kvmintro_stage2_print_root(&summary->root, out);
	if (!summary->root.ok)
		return 0;
	kvmintro_table_init(&table, kvmintro_stage2_run_columns,
			    ARRAY_SIZE(kvmintro_stage2_run_columns));
	for (i = 0; i < summary->runs.count; i++) {
		run = &runs[i];
		kvmintro_table_add(&table, "0x%" PRIx64, run->gpa);
		kvmintro_table_add(&table, "0x%" PRIx64, run->npages);
		kvmintro_table_add_size(&table, run->npages * 4096);
		kvmintro_table_add_size(&table, run->size);
		kvmintro_table_add(&table, "%" PRIu64, run->leaves);
		kvmintro_table_add(&table, "%s", run->perm);
		kvmintro_table_add(&table, "%s", run->memtype);
		for (j = 0; j < ARRAY_SIZE(sizes); j++)
			if (run->size == sizes[j])
				bytes[j] += run->npages * 4096;
	}
	ret = kvmintro_table_finish(&table, out);
	if (ret)
		return ret;
	for (j = 0; j < ARRAY_SIZE(sizes); j++) {
		kvmintro_format_size(bytes[j], text, sizeof(text));
		fprintf(out, "%s%s in %s leaves", j ? ", " : "Mapped: ", text,
			j == 0 ? "4K" : j == 1 ? "2M" : "1G");
	}
	fputc('\n', out);
	if (summary->notes)
		fprintf(out, "The root changed or went away during the walk: %zu note(s); read again.\n",
			summary->notes);
	return 0;
}

static void kvmintro_stage2_run_write_json(struct kvmintro_json *json,
					   const void *element)
{
	const struct kvmintro_stage2_row *run = element;

	kvmintro_json_begin_object(json, NULL);
	kvmintro_json_u64(json, "gpa", run->gpa);
	kvmintro_json_u64(json, "npages", run->npages);
	kvmintro_json_u64(json, "size", run->size);
	kvmintro_json_u64(json, "leaves", run->leaves);
	kvmintro_json_string(json, "perm", run->perm);
	if (strcmp(run->memtype, "-"))
		kvmintro_json_string(json, "memtype", run->memtype);
	else
		kvmintro_json_null(json, "memtype");
	kvmintro_json_end_object(json);
}

/* {"vm": ..., "table": ..., "runs": [...], "notes": N} */
int kvmintro_stage2_summary_print_json(const struct kvmintro_vm *vm,
				       const struct kvmintro_stage2_summary *summary,
				       FILE *out)
{
	const struct kvmintro_stage2_row *rows = summary->runs.elements;
	struct kvmintro_json json;
	size_t i;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_stage2_root_write_json(&json, &summary->root);
	kvmintro_json_begin_array(&json, "runs");
	for (i = 0; i < summary->runs.count; i++)
		kvmintro_stage2_run_write_json(&json, &rows[i]);
	kvmintro_json_end_array(&json);
	kvmintro_json_u64(&json, "notes", summary->notes);
	return kvmintro_vm_json_end(&json);
}
