// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's "translate" file: write guest physical addresses, all in one
 * write, then read one reply line for each, in order:
 *
 *   ok phys=0x1ad725234 kind=base gpa=0x1234 hva=0x7f5c2c001234 pfn=0x1ad725 size=4K
 *   err gpa=0x5000000000 reason=no-memslot
 *
 * The module keeps the replies of the latest write per VM, so a fresh open
 * reads them. Each reply must be for the address asked: another request
 * in between (by someone else) is caught, not shown as ours.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"
#include "json.h"
#include "table.h"
#include "translate.h"

static const struct kvmintro_field kvmintro_translation_ok_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_translation, hpa, "phys",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_translation, kind, "kind",
		       KVMINTRO_FIELD_NAME),
	KVMINTRO_FIELD(struct kvmintro_translation, gpa, "gpa",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_translation, hva, "hva",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_translation, pfn, "pfn",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_translation, size, "size",
		       KVMINTRO_FIELD_PAGE_SIZE),
};

static const struct kvmintro_field kvmintro_translation_err_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_translation, gpa, "gpa",
		       KVMINTRO_FIELD_HEX),
	KVMINTRO_FIELD(struct kvmintro_translation, reason, "reason",
		       KVMINTRO_FIELD_NAME),
};

static const struct kvmintro_record_format kvmintro_translation_formats[] = {
	{
		.layout = KVMINTRO_LAYOUT_KEY_VALUE,
		.fields = kvmintro_translation_err_fields,
		.nr_fields = ARRAY_SIZE(kvmintro_translation_err_fields),
		.record_size = sizeof(struct kvmintro_translation),
	},
	{
		.layout = KVMINTRO_LAYOUT_KEY_VALUE,
		.fields = kvmintro_translation_ok_fields,
		.nr_fields = ARRAY_SIZE(kvmintro_translation_ok_fields),
		.record_size = sizeof(struct kvmintro_translation),
	},
};

static const struct kvmintro_column kvmintro_translation_columns[] = {
	{ "GPA", KVMINTRO_ALIGN_RIGHT },
	{ "HVA", KVMINTRO_ALIGN_RIGHT },
	{ "HPA", KVMINTRO_ALIGN_RIGHT },
	{ "PFN", KVMINTRO_ALIGN_RIGHT },
	{ "SIZE", KVMINTRO_ALIGN_RIGHT },
	{ "KIND", KVMINTRO_ALIGN_LEFT },
};

/**
 * struct kvmintro_translate_parser - kvmintro_translate_parse() at work
 * @gpas: the addresses asked, in order
 * @count: how many
 * @replies: the replies so far
 */
struct kvmintro_translate_parser {
	const uint64_t *gpas;
	size_t count;
	struct kvmintro_array *replies;
};

/* Parse the words after "ok" or "err" into @translation. */
static int kvmintro_translate_parse_reply(struct kvmintro_translation *translation,
					  struct kvmintro_span status,
					  struct kvmintro_span words,
					  struct kvmintro_parse_error *error)
{
	char quoted[KVMINTRO_QUOTE_MAX];

	translation->ok = kvmintro_span_equals(status, "ok");
	if (!translation->ok && !kvmintro_span_equals(status, "err")) {
		kvmintro_quote(status.start, status.length, quoted,
			       sizeof(quoted));
		return kvmintro_parse_fail(error, -EBADMSG,
					   "%s is neither 'ok' nor 'err'", quoted);
	}
	return kvmintro_parse_words(&kvmintro_translation_formats[translation->ok],
				    words, translation, error);
}

static int kvmintro_translate_parse_line(void *context,
					 struct kvmintro_span line,
					 struct kvmintro_parse_error *error)
{
	struct kvmintro_translate_parser *parser = context;
	size_t index = parser->replies->count;
	struct kvmintro_translation *translation;
	struct kvmintro_span status;
	int ret;

	if (index == parser->count)
		return kvmintro_parse_fail(error, -EBADMSG,
			"a reply too many: %zu addresses were asked",
			parser->count);
	translation = kvmintro_array_append(parser->replies);
	if (!translation)
		return kvmintro_parse_fail(error, -ENOMEM, "out of memory");
	kvmintro_span_next_word(&line, &status);
	ret = kvmintro_translate_parse_reply(translation, status, line, error);
	if (ret)
		return ret;
	if (translation->gpa != parser->gpas[index])
		return kvmintro_parse_fail(error, -EAGAIN,
			"reply %zu is for 0x%" PRIx64 ", but 0x%" PRIx64 " was asked: did another request to this VM come in between? Try again",
			index + 1, translation->gpa, parser->gpas[index]);
	return 0;
}

/*
 * Parse the replies of a "translate" file to the request for @gpas into
 * @list, which the caller releases: one line per address, in order. On
 * failure @list is empty, @error says why and where, and the return value
 * is -EBADMSG, -EAGAIN if the replies are to another request, or -ENOMEM.
 */
int kvmintro_translate_parse(const char *text, size_t length,
			     const uint64_t *gpas, size_t count,
			     struct kvmintro_translation_list *list,
			     struct kvmintro_parse_error *error)
{
	struct kvmintro_array replies;
	struct kvmintro_translate_parser parser = {
		.gpas = gpas,
		.count = count,
		.replies = &replies,
	};
	int ret;

	kvmintro_array_init(&replies, sizeof(struct kvmintro_translation));
	ret = kvmintro_parse_lines(text, length, kvmintro_translate_parse_line,
				   &parser, error);
	if (!ret && replies.count < count)
		ret = kvmintro_parse_fail(error, -EBADMSG,
			"%zu replies for %zu addresses", replies.count, count);
	if (ret)
		kvmintro_array_release(&replies);
	list->translations = replies.elements;
	list->count = replies.count;
	return ret;
}

/**
 * struct kvmintro_translate_load - a request and where its replies go
 * @gpas: the addresses asked
 * @count: how many
 * @list: the replies
 */
struct kvmintro_translate_load {
	const uint64_t *gpas;
	size_t count;
	struct kvmintro_translation_list *list;
};

/* Print the request of @context: each address in hex, on one line. */
static void kvmintro_translate_print_request(FILE *out, const void *context)
{
	const struct kvmintro_translate_load *load = context;
	size_t i;

	for (i = 0; i < load->count; i++)
		fprintf(out, "%s0x%" PRIx64, i ? " " : "", load->gpas[i]);
	fputc('\n', out);
}

/*
 * Write the request for @gpas, @count of them, into @text, allocated.
 * Return 0 or -ENOMEM.
 */
int kvmintro_translate_request(const uint64_t *gpas, size_t count,
			       char **text)
{
	const struct kvmintro_translate_load load = {
		.gpas = gpas,
		.count = count,
	};

	*text = kvmintro_print_to_string(kvmintro_translate_print_request,
					 &load);
	return *text ? 0 : -ENOMEM;
}

static int kvmintro_translate_parse_file(void *context, const char *text,
					 size_t length,
					 struct kvmintro_parse_error *error)
{
	struct kvmintro_translate_load *load = context;

	return kvmintro_translate_parse(text, length, load->gpas, load->count,
					load->list, error);
}

/*
 * Ask the module of @vm to translate @gpas, @count of them (at most
 * %KVMINTRO_TRANSLATE_MAX), and read its replies into @list, which the
 * caller releases. On failure say why and return -errno.
 */
int kvmintro_translate(const char *root, const struct kvmintro_vm *vm,
		       const uint64_t *gpas, size_t count,
		       struct kvmintro_translation_list *list)
{
	struct kvmintro_translate_load load = {
		.gpas = gpas,
		.count = count,
		.list = list,
	};
	char *request;
	int ret;

	memset(list, 0, sizeof(*list));
	if (kvmintro_translate_request(gpas, count, &request)) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	ret = kvmintro_debugfs_request(root, vm->dir, "translate", request,
				       NULL, kvmintro_translate_parse_file,
				       &load);
	free(request);
	return ret;
}

void kvmintro_translation_list_release(struct kvmintro_translation_list *list)
{
	free(list->translations);
	list->translations = NULL;
	list->count = 0;
}

static void kvmintro_translation_add_row(struct kvmintro_table *table,
					 const struct kvmintro_translation *translation)
{
	kvmintro_table_add(table, "0x%" PRIx64, translation->gpa);
	if (!translation->ok) {
		kvmintro_table_add(table, "-");
		kvmintro_table_add(table, "-");
		kvmintro_table_add(table, "-");
		kvmintro_table_add(table, "-");
		kvmintro_table_add(table, "error: %s", translation->reason);
		return;
	}
	kvmintro_table_add(table, "0x%" PRIx64, translation->hva);
	kvmintro_table_add(table, "0x%" PRIx64, translation->hpa);
	kvmintro_table_add(table, "0x%" PRIx64, translation->pfn);
	kvmintro_table_add_size(table, translation->size);
	kvmintro_table_add(table, "%s", translation->kind);
}

/* Print @list as a table, an error's reason in its KIND column. */
int kvmintro_translation_list_print_table(const struct kvmintro_translation_list *list,
					  FILE *out)
{
	struct kvmintro_table table;
	size_t i;

	kvmintro_table_init(&table, kvmintro_translation_columns,
			    ARRAY_SIZE(kvmintro_translation_columns));
	for (i = 0; i < list->count; i++)
		kvmintro_translation_add_row(&table, &list->translations[i]);
	return kvmintro_table_finish(&table, out);
}

/*
 * Write "kind" and "error" of a host page: @kind and null if there is one
 * (@ok), else null and @reason. translate and gva write them alike.
 */
void kvmintro_json_kind_or_error(struct kvmintro_json *json, bool ok,
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

static void kvmintro_translation_write_json(struct kvmintro_json *json,
					    const void *element)
{
	const struct kvmintro_translation *translation = element;
	const char *const keys[] = { "hva", "hpa", "pfn", "size" };
	const uint64_t values[] = {
		translation->hva, translation->hpa, translation->pfn,
		translation->size,
	};
	size_t i;

	kvmintro_json_begin_object(json, NULL);
	kvmintro_json_u64(json, "gpa", translation->gpa);
	kvmintro_json_bool(json, "ok", translation->ok);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		kvmintro_json_maybe_u64(json, keys[i], (struct kvmintro_maybe_u64){
			.value = values[i], .valid = translation->ok });
	kvmintro_json_kind_or_error(json, translation->ok, translation->kind,
				    translation->reason);
	kvmintro_json_end_object(json);
}

/*
 * Print @list as a JSON object: the VM and "translations", every key in
 * every one, null where an error leaves no value. Return 0 or -errno.
 */
int kvmintro_translation_list_print_json(const struct kvmintro_vm *vm,
					 const struct kvmintro_translation_list *list,
					 FILE *out)
{
	return kvmintro_vm_json_print_array(out, vm, "translations",
					    list->translations, list->count,
					    sizeof(*list->translations),
					    kvmintro_translation_write_json);
}
