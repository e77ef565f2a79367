// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's "gva" file: write a guest virtual address, optionally the vcpu
 * whose registers to use and another CR3, then read the walk through the
 * guest's page tables:
 *
 *   gva=0xffffffff81000123 vcpu=0 mode=4-level cr3=0x2000
 *   level=4 table=0x2000 entry_gpa=0x2ff8 entry=0x7003 present=1 writable=1 user=0 nx=0 large=0
 *   ...
 *   gpa=0x200123 page_size=4K
 *   host hva=0x7f3c60c00123 hpa=0x3000123 host_size=4K kind=thp
 *
 * The last line is "host hva=... reason=not-backed" or "host
 * reason=no-memslot" when there is no host page, and a walk that met a
 * non-present entry ends with "stop level=N reason=not-present" instead of
 * the last two lines. The module keeps the latest reply per VM, so it must
 * be for the address asked: another request in between is caught.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/pagewalk.h"
#include "debugfs.h"
#include "gva.h"
#include "json.h"
#include "table.h"

static const char *const kvmintro_gva_bits[] = { "0", "1", NULL };

static const char *const kvmintro_gva_host_reasons[] = {
	"not-backed", "no-memslot", NULL,
};

static const struct kvmintro_field kvmintro_gva_header_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_gva_walk, gva, "gva",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_gva_walk, vcpu, "vcpu",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_gva_walk, mode, "mode",
		       KVMINTRO_FIELD_NAME,
		       .choices = kvmintro_paging_mode_names),
	KVMINTRO_FIELD(struct kvmintro_gva_walk, cr3, "cr3",
		       KVMINTRO_FIELD_HEX),
};

#define KVMINTRO_GVA_BIT(member, name)					\
	KVMINTRO_FIELD(struct kvmintro_gva_level, member, name,	\
		       KVMINTRO_FIELD_NAME, .choices = kvmintro_gva_bits)

static const struct kvmintro_field kvmintro_gva_level_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_gva_level, level, "level",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_gva_level, table, "table",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_gva_level, entry_gpa, "entry_gpa",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_gva_level, entry, "entry",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_GVA_BIT(present, "present"),
	KVMINTRO_GVA_BIT(writable, "writable"),
	KVMINTRO_GVA_BIT(user, "user"),
	KVMINTRO_GVA_BIT(nx, "nx"),
	KVMINTRO_GVA_BIT(large, "large"),
};

static const struct kvmintro_field kvmintro_gva_page_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_gva_walk, gpa, "gpa",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_gva_walk, page_size, "page_size",
		       KVMINTRO_FIELD_PAGE_SIZE),
};

static const struct kvmintro_field kvmintro_gva_host_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_gva_host, hva.value, "hva",
		       KVMINTRO_FIELD_HEX, .optional = true),
	KVMINTRO_FIELD(struct kvmintro_gva_host, hpa.value, "hpa",
		       KVMINTRO_FIELD_HEX, .optional = true),
	KVMINTRO_FIELD(struct kvmintro_gva_host, host_size, "host_size",
		       KVMINTRO_FIELD_PAGE_SIZE, .optional = true),
	KVMINTRO_FIELD(struct kvmintro_gva_host, kind, "kind",
		       KVMINTRO_FIELD_NAME, .optional = true),
	KVMINTRO_FIELD(struct kvmintro_gva_host, reason, "reason",
		       KVMINTRO_FIELD_NAME, .optional = true,
		       .choices = kvmintro_gva_host_reasons),
};

static const struct kvmintro_field kvmintro_gva_stop_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_gva_walk, stop_level, "level",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_gva_walk, stop_reason, "reason",
		       KVMINTRO_FIELD_NAME),
};

#define KVMINTRO_GVA_FORMAT(record, field_array)			\
	{								\
		.layout = KVMINTRO_LAYOUT_KEY_VALUE,			\
		.fields = field_array,					\
		.nr_fields = ARRAY_SIZE(field_array),			\
		.record_size = sizeof(record),				\
	}

static const struct kvmintro_record_format kvmintro_gva_header_format =
	KVMINTRO_GVA_FORMAT(struct kvmintro_gva_walk, kvmintro_gva_header_fields);
static const struct kvmintro_record_format kvmintro_gva_level_format =
	KVMINTRO_GVA_FORMAT(struct kvmintro_gva_level, kvmintro_gva_level_fields);
static const struct kvmintro_record_format kvmintro_gva_page_format =
	KVMINTRO_GVA_FORMAT(struct kvmintro_gva_walk, kvmintro_gva_page_fields);
static const struct kvmintro_record_format kvmintro_gva_host_format =
	KVMINTRO_GVA_FORMAT(struct kvmintro_gva_host, kvmintro_gva_host_fields);
static const struct kvmintro_record_format kvmintro_gva_stop_format =
	KVMINTRO_GVA_FORMAT(struct kvmintro_gva_walk, kvmintro_gva_stop_fields);

/*
 * Write "kind" and "error" of a host page: @kind and null if there is one
 * (@ok), else null and @reason. translate and gva write them alike.
 */
static void kvmintro_json_kind_or_error(struct kvmintro_json *json, bool ok,
				 const char *kind, const char *reason)
{
	if (ok) {
		kvmintro_json_string(json, "kind", kind);
		kvmintro_json_null(json, "error");
	} else {
		kvmintro_json_null(json, "kind");
		kvmintro_json_string(json, "error", reason);
	}
}

/* What the parser expects next. */
enum kvmintro_gva_state {
	KVMINTRO_GVA_HEADER,	/* the header line */
	KVMINTRO_GVA_LEVELS,	/* a level, the GPA or where the walk stopped */
	KVMINTRO_GVA_HOST,	/* the host line */
	KVMINTRO_GVA_DONE,	/* nothing */
};

/**
 * struct kvmintro_gva_parser - kvmintro_gva_parse() at work
 * @request: what was asked
 * @walk: the reply so far
 * @state: what comes next
 */
struct kvmintro_gva_parser {
	const struct kvmintro_gva_query *request;
	struct kvmintro_gva_walk *walk;
	enum kvmintro_gva_state state;
};

static bool kvmintro_span_starts_with(struct kvmintro_span span,
				      const char *prefix)
{
	size_t length = strlen(prefix);

	return span.length >= length && !memcmp(span.start, prefix, length);
}

static bool kvmintro_gva_bit(const char *bit)
{
	return bit[0] == '1';
}

static uint64_t kvmintro_gva_top_level(const char *mode)
{
	size_t i;

	for (i = 0; kvmintro_paging_mode_names[i]; i++) {
		if (!strcmp(kvmintro_paging_mode_names[i], mode))
			return kvmintro_paging_levels(i);
	}
	return 0;
}

/* The latest level read, or NULL if none. */
static const struct kvmintro_gva_level *
kvmintro_gva_last_level(const struct kvmintro_gva_walk *walk)
{
	return walk->nr_levels ? &walk->levels[walk->nr_levels - 1] : NULL;
}

/* Fail with -EAGAIN if the header is not the reply to @request. */
static int kvmintro_gva_check_header(const struct kvmintro_gva_walk *walk,
				     const struct kvmintro_gva_query *request,
				     struct kvmintro_parse_error *error)
{
	uint64_t vcpu = request->has_vcpu ? request->vcpu : 0;

	if (walk->gva != request->gva)
		return kvmintro_parse_fail(error, -EAGAIN,
			"the walk is of 0x%" PRIx64 ", but 0x%" PRIx64 " was asked: did another request to this VM come in between? Try again",
			walk->gva, request->gva);
	if (walk->vcpu != vcpu)
		return kvmintro_parse_fail(error, -EAGAIN,
			"the walk used vcpu %" PRIu64 ", but vcpu %" PRIu64 " was asked: did another request to this VM come in between? Try again",
			walk->vcpu, vcpu);
	if (request->has_cr3 && walk->cr3 != request->cr3)
		return kvmintro_parse_fail(error, -EAGAIN,
			"the walk started at CR3 0x%" PRIx64 ", but 0x%" PRIx64 " was asked: did another request to this VM come in between? Try again",
			walk->cr3, request->cr3);
	return 0;
}

/* A level must come right below the one before, which must be a table. */
static int kvmintro_gva_parse_level(struct kvmintro_gva_walk *walk,
				    struct kvmintro_span line,
				    struct kvmintro_parse_error *error)
{
	const struct kvmintro_gva_level *last = kvmintro_gva_last_level(walk);
	uint64_t expected = kvmintro_gva_top_level(walk->mode) - walk->nr_levels;
	struct kvmintro_gva_level level;
	int ret;

	if (!strcmp(walk->mode, "none"))
		return kvmintro_parse_fail(error, -EBADMSG,
			"a page-table level, but paging is off (mode=none)");
	if (last && !kvmintro_gva_bit(last->present))
		return kvmintro_parse_fail(error, -EBADMSG,
			"a level below the non-present entry of level %" PRIu64,
			last->level);
	memset(&level, 0, sizeof(level));
	ret = kvmintro_parse_words(&kvmintro_gva_level_format, line, &level,
				   error);
	if (ret)
		return ret;
	if (!expected)
		return kvmintro_parse_fail(error, -EBADMSG,
			"level %" PRIu64 ", but %s paging has only %" PRIu64 " levels",
			level.level, walk->mode,
			kvmintro_gva_top_level(walk->mode));
	if (level.level != expected)
		return kvmintro_parse_fail(error, -EBADMSG,
			"level %" PRIu64 " where level %" PRIu64 " comes next",
			level.level, expected);
	walk->levels[walk->nr_levels++] = level;
	return 0;
}

/* The GPA comes once the walk reached a page (or with paging off). */
static int kvmintro_gva_parse_page(struct kvmintro_gva_walk *walk,
				   struct kvmintro_span line,
				   struct kvmintro_parse_error *error)
{
	const struct kvmintro_gva_level *last = kvmintro_gva_last_level(walk);

	if (strcmp(walk->mode, "none") && (!last || !kvmintro_gva_bit(last->present)))
		return kvmintro_parse_fail(error, -EBADMSG,
			"a GPA, but the walk did not reach a present entry");
	walk->mapped = true;
	return kvmintro_parse_words(&kvmintro_gva_page_format, line, walk,
				    error);
}

static int kvmintro_gva_parse_stop(struct kvmintro_gva_walk *walk,
				   struct kvmintro_span words,
				   struct kvmintro_parse_error *error)
{
	const struct kvmintro_gva_level *last = kvmintro_gva_last_level(walk);
	int ret;

	ret = kvmintro_parse_words(&kvmintro_gva_stop_format, words, walk,
				   error);
	if (ret)
		return ret;
	if (!last || last->level != walk->stop_level ||
	    kvmintro_gva_bit(last->present))
		return kvmintro_parse_fail(error, -EBADMSG,
			"the walk stops at level %" PRIu64 ", but that is not the non-present entry it read last",
			walk->stop_level);
	return 0;
}

/*
 * The host line has hva, hpa, host_size and kind; or hva and
 * reason=not-backed; or reason=no-memslot alone.
 */
static int kvmintro_gva_parse_host(struct kvmintro_gva_host *host,
				   struct kvmintro_span words,
				   struct kvmintro_parse_error *error)
{
	static const char *const backed[] = {
		"hva", "hpa", "host_size", "kind",
	};
	const struct kvmintro_record_format *format = &kvmintro_gva_host_format;
	struct kvmintro_field_set seen = { { 0 } };
	bool not_backed;
	size_t i;
	int ret;

	ret = kvmintro_parse_key_values(format, words, host, &seen, error);
	if (ret)
		return ret;
	not_backed = !strcmp(host->reason, "not-backed");
	for (i = 0; i < ARRAY_SIZE(backed); i++) {
		bool wanted = !*host->reason || (not_backed && !i);

		if (kvmintro_field_seen(format, &seen, backed[i]) != wanted)
			return kvmintro_parse_fail(error, -EBADMSG,
				"key '%s' %s a host line with %s%s", backed[i],
				wanted ? "is missing from" : "does not belong on",
				*host->reason ? "reason=" : "a host page",
				host->reason);
	}
	host->hva.valid = kvmintro_field_seen(format, &seen, "hva");
	host->hpa.valid = kvmintro_field_seen(format, &seen, "hpa");
	return 0;
}

static int kvmintro_gva_parse_line(void *context, struct kvmintro_span line,
				   struct kvmintro_parse_error *error)
{
	struct kvmintro_gva_parser *parser = context;
	struct kvmintro_gva_walk *walk = parser->walk;
	struct kvmintro_span words = line, first;
	int ret;

	kvmintro_span_next_word(&words, &first);
	switch (parser->state) {
	case KVMINTRO_GVA_HEADER:
		if (!kvmintro_span_starts_with(first, "gva="))
			return kvmintro_parse_fail(error, -EBADMSG,
				"the walk does not start with its gva=");
		ret = kvmintro_parse_words(&kvmintro_gva_header_format, line,
					   walk, error);
		if (!ret)
			ret = kvmintro_gva_check_header(walk, parser->request,
							error);
		parser->state = KVMINTRO_GVA_LEVELS;
		return ret;
	case KVMINTRO_GVA_LEVELS:
		if (kvmintro_span_starts_with(first, "level="))
			return kvmintro_gva_parse_level(walk, line, error);
		if (kvmintro_span_equals(first, "stop")) {
			parser->state = KVMINTRO_GVA_DONE;
			return kvmintro_gva_parse_stop(walk, words, error);
		}
		if (kvmintro_span_starts_with(first, "gpa=")) {
			parser->state = KVMINTRO_GVA_HOST;
			return kvmintro_gva_parse_page(walk, line, error);
		}
		return kvmintro_parse_fail(error, -EBADMSG,
			"neither a level=, gpa= nor stop line");
	case KVMINTRO_GVA_HOST:
		if (!kvmintro_span_equals(first, "host"))
			return kvmintro_parse_fail(error, -EBADMSG,
				"not the host line that follows the GPA");
		parser->state = KVMINTRO_GVA_DONE;
		return kvmintro_gva_parse_host(&walk->host, words, error);
	case KVMINTRO_GVA_DONE:
		break;
	}
	return kvmintro_parse_fail(error, -EBADMSG,
				   "a line after the end of the walk");
}

/*
 * Parse the reply of a "gva" file to @request into @walk. On failure @error
 * says why and where, and the return value is -EBADMSG, or -EAGAIN if the
 * reply is to another request.
 */
int kvmintro_gva_parse(const char *text, size_t length,
		       const struct kvmintro_gva_query *request,
		       struct kvmintro_gva_walk *walk,
		       struct kvmintro_parse_error *error)
{
	struct kvmintro_gva_parser parser = {
		.request = request,
		.walk = walk,
		.state = KVMINTRO_GVA_HEADER,
	};
	int ret;

	memset(walk, 0, sizeof(*walk));
	ret = kvmintro_parse_lines(text, length, kvmintro_gva_parse_line,
				   &parser, error);
	if (!ret && parser.state != KVMINTRO_GVA_DONE)
		ret = kvmintro_parse_fail(error, -EBADMSG, "%s",
			parser.state == KVMINTRO_GVA_HEADER ? "no walk at all" :
			parser.state == KVMINTRO_GVA_HOST ?
			"the walk ends without its host line" :
			"the walk ends before a gpa= or stop line");
	return ret;
}

static void kvmintro_gva_print_request(FILE *out, const void *context)
{
	const struct kvmintro_gva_query *request = context;

	fprintf(out, "0x%" PRIx64, request->gva);
	if (request->has_vcpu)
		fprintf(out, " vcpu=%" PRIu64, request->vcpu);
	if (request->has_cr3)
		fprintf(out, " cr3=0x%" PRIx64, request->cr3);
	fputc('\n', out);
}

/* Write @request as the gva file takes it into @text, allocated. */
int kvmintro_gva_request_text(const struct kvmintro_gva_query *request,
			      char **text)
{
	*text = kvmintro_print_to_string(kvmintro_gva_print_request, request);
	return *text ? 0 : -ENOMEM;
}

/**
 * struct kvmintro_gva_load - a request, its VM and where its reply goes
 * @request: what is asked
 * @vm: of which VM
 * @walk: the reply
 */
struct kvmintro_gva_load {
	const struct kvmintro_gva_query *request;
	const struct kvmintro_vm *vm;
	struct kvmintro_gva_walk *walk;
};

static int kvmintro_gva_parse_file(void *context, const char *text,
				   size_t length,
				   struct kvmintro_parse_error *error)
{
	struct kvmintro_gva_load *load = context;

	return kvmintro_gva_parse(text, length, load->request, load->walk,
				  error);
}

/*
 * Explain a failed write: ENODATA is no capture, EINVAL a vcpu the VM does
 * not have (the request itself is well formed), EFAULT page tables outside
 * guest memory.
 */
static int kvmintro_gva_explain_write(const char *path, int err,
				      const void *context)
{
	const struct kvmintro_gva_load *load = context;

	switch (err) {
	case -ENODATA:
		kvmintro_error("no capture yet: run `kvmintro snapshot %s` first (or pause the VM)",
			       load->vm->dir);
		return err;
	case -EINVAL:
		kvmintro_error("%s refused the walk: VM %s has no vcpu %" PRIu64 " (or the module is of another version)",
			       path, load->vm->dir,
			       load->request->has_vcpu ? load->request->vcpu : 0);
		return -ESRCH;
	case -EFAULT:
		if (load->request->has_cr3)
			kvmintro_error("%s: the walk from --cr3 0x%" PRIx64 " met a page table outside guest memory",
				       path, load->request->cr3);
		else
			kvmintro_error("%s: the walk met a page table outside guest memory",
				       path);
		return err;
	default:
		return 0;
	}
}

/*
 * Ask the module of @vm to walk @request's address, and read the walk into
 * @walk. On failure say why and return -errno: -ENODATA if there are no
 * registers to walk with, -ESRCH if there is no such vcpu, -EAGAIN if the
 * reply is to another request.
 */
int kvmintro_gva(const char *root, const struct kvmintro_vm *vm,
		 const struct kvmintro_gva_query *request,
		 struct kvmintro_gva_walk *walk)
{
	struct kvmintro_gva_load load = {
		.request = request,
		.vm = vm,
		.walk = walk,
	};
	const struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_gva_explain_write,
		.context = &load,
	};
	char *text;
	int ret;

	memset(walk, 0, sizeof(*walk));
	if (kvmintro_gva_request_text(request, &text)) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	ret = kvmintro_debugfs_request(root, vm->dir, "gva", text, &explainer,
				       kvmintro_gva_parse_file, &load);
	free(text);
	return ret;
}

static const struct kvmintro_column kvmintro_gva_level_columns[] = {
	{ "LEVEL", KVMINTRO_ALIGN_RIGHT },
	{ "TABLE", KVMINTRO_ALIGN_RIGHT },
	{ "ENTRY GPA", KVMINTRO_ALIGN_RIGHT },
	{ "ENTRY", KVMINTRO_ALIGN_RIGHT },
	{ "FLAGS", KVMINTRO_ALIGN_LEFT },
};

static const struct kvmintro_column kvmintro_gva_page_columns[] = {
	{ "GPA", KVMINTRO_ALIGN_RIGHT },
	{ "PAGE SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "HVA", KVMINTRO_ALIGN_RIGHT },
	{ "HPA", KVMINTRO_ALIGN_RIGHT },
	{ "HOST SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "KIND", KVMINTRO_ALIGN_LEFT },
};

/* The bits of @level as letters, a '-' as wide for each clear one. */
static void kvmintro_gva_add_flags(struct kvmintro_table *table,
				   const struct kvmintro_gva_level *level)
{
	kvmintro_table_add(table, "%s %s %s %s %s",
			   kvmintro_gva_bit(level->present) ? "P" : "-",
			   kvmintro_gva_bit(level->writable) ? "W" : "-",
			   kvmintro_gva_bit(level->user) ? "U" : "-",
			   kvmintro_gva_bit(level->nx) ? "NX" : "--",
			   kvmintro_gva_bit(level->large) ? "L" : "-");
}

static int kvmintro_gva_print_levels(const struct kvmintro_gva_walk *walk,
				     FILE *out)
{
	struct kvmintro_table table;
	size_t i;

	if (!walk->nr_levels) {
		fputs("Paging is off: the GVA is the GPA.\n", out);
		return 0;
	}
	kvmintro_table_init(&table, kvmintro_gva_level_columns,
			    ARRAY_SIZE(kvmintro_gva_level_columns));
	for (i = 0; i < walk->nr_levels; i++) {
		const struct kvmintro_gva_level *level = &walk->levels[i];

		kvmintro_table_add(&table, "%" PRIu64, level->level);
		kvmintro_table_add(&table, "0x%" PRIx64, level->table);
		kvmintro_table_add(&table, "0x%" PRIx64, level->entry_gpa);
		kvmintro_table_add(&table, "0x%" PRIx64, level->entry);
		kvmintro_gva_add_flags(&table, level);
	}
	return kvmintro_table_finish(&table, out);
}

static int kvmintro_gva_print_page(const struct kvmintro_gva_walk *walk,
				   FILE *out)
{
	const struct kvmintro_gva_host *host = &walk->host;
	struct kvmintro_table table;

	kvmintro_table_init(&table, kvmintro_gva_page_columns,
			    ARRAY_SIZE(kvmintro_gva_page_columns));
	kvmintro_table_add(&table, "0x%" PRIx64, walk->gpa);
	kvmintro_table_add_size(&table, walk->page_size);
	kvmintro_table_add_maybe_hex(&table, host->hva);
	kvmintro_table_add_maybe_hex(&table, host->hpa);
	if (host->hpa.valid) {
		kvmintro_table_add_size(&table, host->host_size);
		kvmintro_table_add(&table, "%s", host->kind);
	} else {
		kvmintro_table_add(&table, "-");
		kvmintro_table_add(&table, "error: %s", host->reason);
	}
	return kvmintro_table_finish(&table, out);
}

/*
 * Print @walk for people: what was walked, a row per level, then a row for
 * the page (GPA, guest page size, host address, size and kind) or the
 * level where the walk stopped.
 */
int kvmintro_gva_print_table(const struct kvmintro_gva_walk *walk, FILE *out)
{
	int ret;

	fprintf(out, "GVA 0x%" PRIx64 " on vcpu %" PRIu64 ": %s%s, CR3 0x%" PRIx64 "\n\n",
		walk->gva, walk->vcpu, walk->nr_levels ? walk->mode : "paging off",
		walk->nr_levels ? " paging" : "", walk->cr3);
	ret = kvmintro_gva_print_levels(walk, out);
	if (ret)
		return ret;
	fputc('\n', out);
	if (!walk->mapped) {
		fprintf(out, "The walk stops at level %" PRIu64 ": %s.\n",
			walk->stop_level,
			!strcmp(walk->stop_reason, "not-present") ?
			"the entry is not present" : walk->stop_reason);
		return 0;
	}
	return kvmintro_gva_print_page(walk, out);
}

static void kvmintro_gva_write_level(struct kvmintro_json *json,
				     const struct kvmintro_gva_level *level)
{
	const char *const bits[] = {
		level->present, level->writable, level->user, level->nx,
		level->large,
	};
	const char *const keys[] = {
		"present", "writable", "user", "nx", "large",
	};
	size_t i;

	kvmintro_json_begin_object(json, NULL);
	kvmintro_json_u64(json, "level", level->level);
	kvmintro_json_u64(json, "table", level->table);
	kvmintro_json_u64(json, "entry_gpa", level->entry_gpa);
	kvmintro_json_u64(json, "entry", level->entry);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		kvmintro_json_bool(json, keys[i], kvmintro_gva_bit(bits[i]));
	kvmintro_json_end_object(json);
}

static void kvmintro_gva_write_host(struct kvmintro_json *json,
				    const struct kvmintro_gva_host *host)
{
	kvmintro_json_begin_object(json, "host");
	kvmintro_json_maybe_u64(json, "hva", host->hva);
	kvmintro_json_maybe_u64(json, "hpa", host->hpa);
	kvmintro_json_maybe_u64(json, "size", (struct kvmintro_maybe_u64){
		.value = host->host_size, .valid = host->hpa.valid });
	kvmintro_json_kind_or_error(json, host->hpa.valid, host->kind,
				    host->reason);
	kvmintro_json_end_object(json);
}

/*
 * Print @walk as a JSON object: the VM, what was walked, "levels", then
 * "gpa", "page_size" and "host" if the walk reached a page, else "stop";
 * every key always there, null where the walk leaves no value.
 */
int kvmintro_gva_print_json(const struct kvmintro_vm *vm,
			    const struct kvmintro_gva_walk *walk, FILE *out)
{
	struct kvmintro_json json;
	size_t i;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_json_u64(&json, "gva", walk->gva);
	kvmintro_json_u64(&json, "vcpu", walk->vcpu);
	kvmintro_json_string(&json, "mode", walk->mode);
	kvmintro_json_u64(&json, "cr3", walk->cr3);
	kvmintro_json_begin_array(&json, "levels");
	for (i = 0; i < walk->nr_levels; i++)
		kvmintro_gva_write_level(&json, &walk->levels[i]);
	kvmintro_json_end_array(&json);
	kvmintro_json_maybe_u64(&json, "gpa", (struct kvmintro_maybe_u64){
		.value = walk->gpa, .valid = walk->mapped });
	kvmintro_json_maybe_u64(&json, "page_size", (struct kvmintro_maybe_u64){
		.value = walk->page_size, .valid = walk->mapped });
	if (walk->mapped) {
		kvmintro_gva_write_host(&json, &walk->host);
		kvmintro_json_null(&json, "stop");
	} else {
		kvmintro_json_null(&json, "host");
		kvmintro_json_begin_object(&json, "stop");
		kvmintro_json_u64(&json, "level", walk->stop_level);
		kvmintro_json_string(&json, "reason", walk->stop_reason);
		kvmintro_json_end_object(&json);
	}
	return kvmintro_vm_json_end(&json);
}
