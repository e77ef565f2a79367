// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro translate PID|DIR GPA...: guest physical to host addresses, one
 * "ok" or "err" reply of the VM's translate file per address, in order
 * (Documentation/debugfs.rst, "translate"). The module keeps the replies
 * of the latest write per VM: each must be for the address asked, so that
 * another request in between is caught.
 */
#include "kvmintro.h"

/**
 * struct kvmintro_translate_request - the addresses asked
 * @gpas: in order
 * @count: how many
 */
struct kvmintro_translate_request {
	uint64_t gpas[KVMINTRO_TRANSLATE_MAX];
	size_t count;
};

static const struct kvmintro_record_key kvmintro_translate_keys[] = {
	KVMINTRO_SCHEMA_KEY("gpa", KVMINTRO_RECORD_TYPES(HEX)),
};

static const char *const kvmintro_translate_page_sizes[] = { "size", NULL };

/* An "ok" has where, an "err" why. */
static int kvmintro_translate_check(const struct kvmintro_record *reply,
				    struct kvmintro_parse_error *error)
{
	static const char *const ok_keys[] = { "phys", "hva", "pfn", "size" };
	const char *missing = NULL;
	size_t i;

	if (kvmintro_record_is(reply, "ok")) {
		for (i = 0; i < ARRAY_SIZE(ok_keys); i++)
			if (!kvmintro_record_maybe(reply, ok_keys[i]).valid)
				missing = ok_keys[i];
		if (!kvmintro_record_find(reply, "kind"))
			missing = "kind";
	} else if (kvmintro_record_is(reply, "err")) {
		if (!kvmintro_record_find(reply, "reason"))
			missing = "reason";
	} else {
		return kvmintro_parse_fail(error, -EBADMSG,
					   "a reply is 'ok' or 'err'");
	}
	if (missing)
		return kvmintro_parse_fail(error, -EBADMSG, "no key '%s'",
					   missing);
	return 0;
}

/* One reply per address asked, each for its address. */
static int kvmintro_translate_check_list(const struct kvmintro_record_list *list,
					 const void *context,
					 struct kvmintro_parse_error *error)
{
	const struct kvmintro_translate_request *request = context;
	uint64_t gpa;
	size_t i;

	if (list->count != request->count)
		return kvmintro_parse_fail(error, -EBADMSG,
			"%zu replies for %zu addresses", list->count,
			request->count);
	for (i = 0; i < list->count; i++) {
		gpa = kvmintro_record_number(&list->records[i], "gpa");
		if (gpa == request->gpas[i])
			continue;
		error->line = i + 1;
		return kvmintro_parse_fail(error, -EAGAIN,
			"reply %zu is for 0x%" PRIx64 ", but 0x%" PRIx64 " was asked" KVMINTRO_RECORD_AGAIN,
			i + 1, gpa, request->gpas[i]);
	}
	return 0;
}

static const struct kvmintro_record_schema kvmintro_translate_schema = {
	.keys = kvmintro_translate_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_translate_keys),
	.page_sizes = kvmintro_translate_page_sizes,
	.check = kvmintro_translate_check,
	.check_list = kvmintro_translate_check_list,
};

static const struct kvmintro_column kvmintro_translate_columns[] = {
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("hva", "HVA", VALUE),
	KVMINTRO_SHOW_RIGHT("phys", "HPA", VALUE),
	KVMINTRO_SHOW_RIGHT("pfn", "PFN", VALUE),
	KVMINTRO_SHOW_RIGHT("size", "SIZE", SIZE),
	KVMINTRO_SHOW_OR("kind", "KIND", "reason"),
};

static const struct kvmintro_view kvmintro_translate_view = {
	.file = "translate",
	.schema = &kvmintro_translate_schema,
	.json_key = "translations",
	.columns = kvmintro_translate_columns,
	.nr_columns = ARRAY_SIZE(kvmintro_translate_columns),
};

int kvmintro_cmd_translate(struct kvmintro *kvmintro)
{
	struct kvmintro_translate_request request;
	char text[KVMINTRO_TRANSLATE_MAX * 20], *end = text;
	int i, ret;

	if (kvmintro->argc > KVMINTRO_TRANSLATE_MAX)
		return kvmintro_usage_error("translate",
			"at most " KVMINTRO_STRINGIFY(KVMINTRO_TRANSLATE_MAX)
			" addresses at once", "");
	request.count = kvmintro->argc;
	for (i = 0; i < kvmintro->argc; i++) {
		ret = kvmintro_get_address("translate", kvmintro->argv[i],
					   &request.gpas[i]);
		if (ret)
			return ret;
		end += sprintf(end, "%s0x%" PRIx64, i ? " " : "",
			       request.gpas[i]);
	}
	strcpy(end, "\n");
	return kvmintro_show_view(kvmintro, &kvmintro_translate_view, text,
				  NULL, &request);
}
