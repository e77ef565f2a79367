// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro gva PID|DIR GVA [--vcpu N] [--cr3 GPA | --ttbr0 V --ttbr1 V
 * --tcr V]: a guest virtual address through the guest's page tables down
 * to the host page, as the VM's gva file walks it (Documentation/debugfs.rst,
 * "gva" and "gva on arm64"). The first record says whose walk it is: x86's
 * has mode= and cr3=, arm64's mmu= and the TTBRs and TCR; the CLI prints
 * each its own way, whatever host it runs on.
 */
#include "kvmintro.h"

/* The options of gva are these, --vcpu to --tcr of enum kvmintro_option. */
#define KVMINTRO_GVA_FIRST_OPTION KVMINTRO_OPTION_VCPU
#define KVMINTRO_GVA_NR_OPTIONS (KVMINTRO_OPTION_TCR + 1)

/* What each option writes in the request, and what a bad value is not. */
static const struct {
	const char *format;
	const char *problem;
} kvmintro_gva_options[KVMINTRO_GVA_NR_OPTIONS] = {
	[KVMINTRO_OPTION_VCPU] = { " vcpu=%" PRIu64,
				   "--vcpu takes a vcpu index, not" },
	[KVMINTRO_OPTION_CR3] = { " cr3=0x%" PRIx64,
				  "--cr3 takes a guest physical address, not" },
	[KVMINTRO_OPTION_TTBR0] = { " ttbr0=0x%" PRIx64,
		"--ttbr0, --ttbr1 and --tcr take a register value, not" },
	[KVMINTRO_OPTION_TTBR1] = { " ttbr1=0x%" PRIx64,
		"--ttbr0, --ttbr1 and --tcr take a register value, not" },
	[KVMINTRO_OPTION_TCR] = { " tcr=0x%" PRIx64,
		"--ttbr0, --ttbr1 and --tcr take a register value, not" },
};

/**
 * struct kvmintro_gva_walk_request - the walk asked
 * @vm: of this VM
 * @gva: the address
 * @given: which options were given, by enum kvmintro_option: with the
 *	registers of vcpu index --vcpu, from page-table root --cr3 (x86),
 *	with these TTBR0_EL1, TTBR1_EL1 and TCR_EL1 (arm64)
 * @values: their values
 */
struct kvmintro_gva_walk_request {
	const struct kvmintro_vm *vm;
	uint64_t gva;
	bool given[KVMINTRO_GVA_NR_OPTIONS];
	uint64_t values[KVMINTRO_GVA_NR_OPTIONS];
};

/* Is @header the first record of an arm64 walk (else x86's)? */
static bool kvmintro_gva_is_arm64(const struct kvmintro_record *header)
{
	return kvmintro_record_find(header, "mmu") &&
	       kvmintro_record_maybe(header, "ttbr0").valid &&
	       kvmintro_record_maybe(header, "ttbr1").valid &&
	       kvmintro_record_maybe(header, "tcr").valid;
}

/* Where the walk ends: the "stop" record, or the "gpa=" before "host". */
static size_t kvmintro_gva_end(const struct kvmintro_record_list *walk)
{
	size_t i;

	for (i = 1; i < walk->count; i++) {
		if (kvmintro_record_is(&walk->records[i], "stop"))
			return i;
		if (kvmintro_record_find(&walk->records[i], "page_size") &&
		    i + 1 < walk->count &&
		    kvmintro_record_is(&walk->records[i + 1], "host"))
			return i;
	}
	return 0;
}

/* The walk is of the address, vcpu and CR3 asked, and whole. */
static int kvmintro_gva_check_list(const struct kvmintro_record_list *walk,
				   const void *context,
				   struct kvmintro_parse_error *error)
{
	const struct kvmintro_gva_walk_request *request = context;
	const struct kvmintro_record *header = walk->records;
	uint64_t vcpu = request->values[KVMINTRO_OPTION_VCPU];
	uint64_t cr3 = request->values[KVMINTRO_OPTION_CR3];

	if (!walk->count || !kvmintro_record_maybe(header, "gva").valid ||
	    !kvmintro_record_maybe(header, "vcpu").valid ||
	    (!kvmintro_gva_is_arm64(header) &&
	     (!kvmintro_record_find(header, "mode") ||
	      !kvmintro_record_maybe(header, "cr3").valid)))
		return kvmintro_parse_fail(error, -EBADMSG,
			"the walk does not start with gva= vcpu= mode= cr3= (x86) or gva= vcpu= mmu= ... ttbr0= ttbr1= (arm64)");
	error->line = 1;
	if (kvmintro_record_number(header, "gva") != request->gva)
		return kvmintro_parse_fail(error, -EAGAIN,
			"the walk is of 0x%" PRIx64 ", but 0x%" PRIx64 " was asked" KVMINTRO_RECORD_AGAIN,
			kvmintro_record_number(header, "gva"), request->gva);
	if (kvmintro_record_number(header, "vcpu") != vcpu)
		return kvmintro_parse_fail(error, -EAGAIN,
			"the walk used vcpu %" PRIu64 ", but vcpu %" PRIu64 " was asked" KVMINTRO_RECORD_AGAIN,
			kvmintro_record_number(header, "vcpu"), vcpu);
	if (request->given[KVMINTRO_OPTION_CR3] &&
	    kvmintro_record_number(header, "cr3") != cr3)
		return kvmintro_parse_fail(error, -EAGAIN,
			"the walk started at CR3 0x%" PRIx64 ", but 0x%" PRIx64 " was asked" KVMINTRO_RECORD_AGAIN,
			kvmintro_record_number(header, "cr3"), cr3);
	error->line = 0;
	if (!kvmintro_gva_end(walk))
		return kvmintro_parse_fail(error, -EBADMSG,
			"the walk ends before a gpa= or stop line");
	return 0;
}

static const struct kvmintro_record_schema kvmintro_gva_schema = {
	.check_list = kvmintro_gva_check_list,
};

/*
 * Explain a failed write: ENODATA is no capture, EINVAL a vcpu the VM does
 * not have (the request itself is well formed), EFAULT page tables outside
 * guest memory.
 */
static int kvmintro_gva_explain_write(const char *path, int err,
				      const void *context)
{
	const struct kvmintro_gva_walk_request *request = context;
	const bool *given = request->given;

	switch (err) {
	case -ENODATA:
		kvmintro_error("no capture yet: run `kvmintro snapshot %s` first (or pause the VM)",
			       request->vm->dir);
		return err;
	case -EINVAL:
		kvmintro_error("%s refused the walk: VM %s has no vcpu %" PRIu64 ", or %s (or the module is of another version)",
			       path, request->vm->dir,
			       request->values[KVMINTRO_OPTION_VCPU],
			       given[KVMINTRO_OPTION_CR3] ? "--cr3 is x86's and this is an arm64 host" :
			       given[KVMINTRO_OPTION_TTBR0] ||
			       given[KVMINTRO_OPTION_TTBR1] ||
			       given[KVMINTRO_OPTION_TCR] ?
			       "--ttbr0, --ttbr1 and --tcr are arm64's and this is an x86 host" :
			       "the address is not one");
		return -ESRCH;
	case -EOPNOTSUPP:
		kvmintro_error("%s: kvmintro does not walk this guest's tables: on arm64, a reserved granule or VA size (see man 4 kvmintro, gva)",
			       path);
		return err;
	case -EFAULT:
		if (given[KVMINTRO_OPTION_CR3])
			kvmintro_error("%s: the walk from --cr3 0x%" PRIx64 " met a page table outside guest memory",
				       path, request->values[KVMINTRO_OPTION_CR3]);
		else
			kvmintro_error("%s: the walk met a page table outside guest memory",
				       path);
		return err;
	default:
		return 0;
	}
}

static const struct kvmintro_column kvmintro_gva_level_columns[] = {
	KVMINTRO_SHOW_RIGHT("level", "LEVEL", VALUE),
	KVMINTRO_SHOW_RIGHT("table", "TABLE", VALUE),
	KVMINTRO_SHOW_RIGHT("entry_gpa", "ENTRY GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("entry", "ENTRY", VALUE),
	KVMINTRO_SHOW_X86_BITS,
};

/* arm64's descriptors: their type, then what decides access. */
static const struct kvmintro_column kvmintro_gva_arm64_level_columns[] = {
	KVMINTRO_SHOW_RIGHT("level", "LEVEL", VALUE),
	KVMINTRO_SHOW_RIGHT("table", "TABLE", VALUE),
	KVMINTRO_SHOW_RIGHT("entry_gpa", "ENTRY GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("entry", "ENTRY", VALUE),
	KVMINTRO_SHOW_LEFT("type", "TYPE", VALUE),
	KVMINTRO_SHOW_RIGHT("attr_index", "ATTR", VALUE),
	KVMINTRO_SHOW_RIGHT("ap", "AP", VALUE),
	KVMINTRO_SHOW_LEFT("af", "AF", FLAG),
	KVMINTRO_SHOW_LEFT("pxn", "PXN", FLAG),
	KVMINTRO_SHOW_LEFT("uxn", "UXN", FLAG),
};

static const struct kvmintro_column kvmintro_gva_page_columns[] = {
	KVMINTRO_SHOW_RIGHT("gpa", "GPA", VALUE),
	KVMINTRO_SHOW_RIGHT("page_size", "PAGE SIZE", SIZE),
	KVMINTRO_SHOW_RIGHT("hva", "HVA", VALUE),
	KVMINTRO_SHOW_RIGHT("hpa", "HPA", VALUE),
	KVMINTRO_SHOW_RIGHT("host_size", "HOST SIZE", SIZE),
	KVMINTRO_SHOW_OR("kind", "KIND", "reason"),
};

/* arm64: the registers walked with, and the half of the range used. */
static void kvmintro_gva_print_arm64_header(const struct kvmintro_record *header)
{
	struct kvmintro_span granule = kvmintro_record_text(header, "granule");

	printf("GVA 0x%" PRIx64 " on vcpu %" PRIu64 ": ",
	       kvmintro_record_number(header, "gva"),
	       kvmintro_record_number(header, "vcpu"));
	if (kvmintro_record_says(header, "mmu", "off"))
		printf("MMU off (SCTLR_EL1 0x%" PRIx64 ")\n\n",
		       kvmintro_record_number(header, "sctlr"));
	else
		printf("TTBR%" PRIu64 "_EL1 0x%" PRIx64 ", %" PRIu64 "-bit range, %.*s granule, TCR_EL1 0x%" PRIx64 "\n\n",
		       kvmintro_record_number(header, "ttbr"),
		       kvmintro_record_number(header,
			       kvmintro_record_number(header, "ttbr") ? "ttbr1" : "ttbr0"),
		       kvmintro_record_number(header, "va_bits"),
		       (int)granule.length, granule.start,
		       kvmintro_record_number(header, "tcr"));
}

/* Where and why a walk stopped, in words. */
static void kvmintro_gva_print_stop(const struct kvmintro_record *stop)
{
	static const struct {
		const char *reason, *words;
	} reasons[] = {
		{ "not-present", "the entry is not present" },
		{ "invalid", "the descriptor is invalid" },
		{ "out-of-range", "the address is outside both TTBRs' ranges" },
		{ "walk-disabled", "TCR_EL1 disables walks of this half (EPD0/EPD1)" },
	};
	struct kvmintro_span reason = kvmintro_record_text(stop, "reason");
	const char *words = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		if (kvmintro_span_equals(reason, reasons[i].reason))
			words = reasons[i].words;
	if (kvmintro_record_maybe(stop, "level").valid)
		printf("The walk stops at level %" PRId64 ": ",
		       (int64_t)kvmintro_record_number(stop, "level"));
	else
		printf("The walk stops: ");
	printf("%.*s.\n", words ? (int)strlen(words) : (int)reason.length,
	       words ? words : reason.start);
}

/*
 * Print @walk for people: what was walked, a row per level, then a row for
 * the page (GPA, guest page size, host address, size and kind) or the
 * level where the walk stopped.
 */
static int kvmintro_gva_print_table(const struct kvmintro_record_list *walk)
{
	const struct kvmintro_record *header = walk->records;
	struct kvmintro_record_field fields[KVMINTRO_RECORD_FIELDS_MAX];
	struct kvmintro_span mode = kvmintro_record_text(header, "mode");
	bool arm64 = kvmintro_gva_is_arm64(header);
	size_t end = kvmintro_gva_end(walk);
	struct kvmintro_record page = { .fields = fields };
	const struct kvmintro_record *last = &walk->records[end];
	bool paging = end > 1;
	unsigned int i;
	int ret;

	if (arm64)
		kvmintro_gva_print_arm64_header(header);
	else
		printf("GVA 0x%" PRIx64 " on vcpu %" PRIu64 ": %.*s%s, CR3 0x%" PRIx64 "\n\n",
		       kvmintro_record_number(header, "gva"),
		       kvmintro_record_number(header, "vcpu"),
		       paging ? (int)mode.length : 10,
		       paging ? mode.start : "paging off",
		       paging ? " paging" : "",
		       kvmintro_record_number(header, "cr3"));
	if (arm64)
		ret = kvmintro_show_table(kvmintro_gva_arm64_level_columns,
					  ARRAY_SIZE(kvmintro_gva_arm64_level_columns),
					  walk->records + 1, end - 1, stdout);
	else
		ret = kvmintro_show_table(kvmintro_gva_level_columns,
					  ARRAY_SIZE(kvmintro_gva_level_columns),
					  walk->records + 1, end - 1, stdout);
	if (ret)
		return ret;
	putchar('\n');
	if (kvmintro_record_is(last, "stop")) {
		kvmintro_gva_print_stop(last);
		return 0;
	}
	/* The page: the gpa= record and the host record on one row. */
	for (i = 0; i < last[0].nr_fields + last[1].nr_fields &&
		    i < ARRAY_SIZE(fields); i++)
		fields[page.nr_fields++] = i < last[0].nr_fields ?
			last[0].fields[i] : last[1].fields[i - last[0].nr_fields];
	return kvmintro_show_table(kvmintro_gva_page_columns,
				   ARRAY_SIZE(kvmintro_gva_page_columns),
				   &page, 1, stdout);
}

static const struct kvmintro_view kvmintro_gva_view = {
	.file = "gva",
	.schema = &kvmintro_gva_schema,
	.json_key = "walk",
	.print = kvmintro_gva_print_table,
};

int kvmintro_cmd_gva(struct kvmintro *kvmintro)
{
	struct kvmintro_gva_walk_request request = { .vm = &kvmintro->vm };
	const struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_gva_explain_write,
		.context = &request,
	};
	const char *value;
	char text[160];
	size_t i, used;

	if (kvmintro_parse_number_argument(kvmintro->argv[0], &request.gva))
		return kvmintro_usage_error("gva",
			"not a guest virtual address like 0xffffffff81000000:",
			kvmintro->argv[0]);
	/* The request, as the gva file takes it: "<gva>[ key=value...]\n". */
	used = snprintf(text, sizeof(text), "0x%" PRIx64, request.gva);
	for (i = KVMINTRO_GVA_FIRST_OPTION; i < KVMINTRO_GVA_NR_OPTIONS; i++) {
		value = kvmintro->options[i];
		request.given[i] = value;
		if (value && (i == KVMINTRO_OPTION_CR3 ?
			      kvmintro_parse_address_argument(value, &request.values[i]) :
			      kvmintro_parse_number_argument(value, &request.values[i]) ||
			      (i == KVMINTRO_OPTION_VCPU &&
			       request.values[i] > 0xffffffffULL)))
			return kvmintro_usage_error("gva",
					kvmintro_gva_options[i].problem, value);
		if (value)
			used += snprintf(text + used, sizeof(text) - used,
					 kvmintro_gva_options[i].format,
					 request.values[i]);
	}
	strcpy(text + used, "\n");
	return kvmintro_show_view(kvmintro, &kvmintro_gva_view, text,
				  &explainer, &request);
}
