// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro regs PID|DIR [--vcpu N]: the registers of a VM's vcpus, from
 * each "vcpu<N>/regs" file, one record of one field a line: live while the
 * VM is paused, else from the latest capture. Shown grouped for people,
 * with the flags of the control registers and the attributes of the
 * segments decoded; --json has every field of each file.
 *
 * The file says whose registers they are: x86's have rax=, arm64's x0=
 * (lib/regs.h and lib/arm64/regs.h name them).  The CLI goes by that, not
 * by the host it runs on, so that it reads either architecture's files
 * wherever they were taken.
 */
#include "kvmintro.h"

#include "../lib/arm64/reg_names.h"
#include "../lib/regbits.h"
#include "../lib/regs.h"

/* How a register shows; each kind has its table's columns. */
enum kvmintro_regs_show {
	KVMINTRO_REGS_HIDDEN,		/* not in the table */
	KVMINTRO_REGS_PAIR,		/* "name value", four to a line */
	KVMINTRO_REGS_MSR,		/* the same, or "unavailable", two to a line */
	KVMINTRO_REGS_DESCRIBED,	/* "name value flags" */
	KVMINTRO_REGS_DTABLE,		/* gdt.base and gdt.limit: "name base limit" */
	KVMINTRO_REGS_SEGMENT,		/* cs.selector to cs.attributes, decoded */
	KVMINTRO_REGS_SYSTEM,		/* described, in a table of their own */
};

/* A key, its types, and how it shows. */
#define KVMINTRO_REGS_KEY(key, key_types, how) \
	{ .name = (key), .types = (key_types), .show = (how) },
#define KVMINTRO_REGS_SHOW(key) ((key)->show)
#define KVMINTRO_REGS_HEX(name, show) \
	KVMINTRO_REGS_KEY(name, KVMINTRO_RECORD_TYPES(HEX), \
			  KVMINTRO_REGS_##show)
#define KVMINTRO_REGS_GPR_KEY(index, name) KVMINTRO_REGS_HEX(name, PAIR)
#define KVMINTRO_REGS_CONTROL_KEY(index, name) \
	KVMINTRO_REGS_HEX(name, DESCRIBED)
#define KVMINTRO_REGS_DTABLE_KEY(index, name, field) \
	KVMINTRO_REGS_HEX(name "." #field, DTABLE)
#define KVMINTRO_REGS_DTABLE_KEYS(index, name) \
	KVMINTRO_FOR_EACH_TABLE_FIELD(KVMINTRO_REGS_DTABLE_KEY, index, name)
#define KVMINTRO_REGS_SEGMENT_KEY(index, name, field) \
	KVMINTRO_REGS_HEX(name "." #field, SEGMENT)
#define KVMINTRO_REGS_SEGMENT_KEYS(index, name) \
	KVMINTRO_FOR_EACH_SEG_FIELD(KVMINTRO_REGS_SEGMENT_KEY, index, name)
#define KVMINTRO_REGS_MSR_KEY(index, msr, name) \
	KVMINTRO_REGS_KEY(name, KVMINTRO_RECORD_TYPES(HEX) | \
			  KVMINTRO_RECORD_TYPES(WORD), KVMINTRO_REGS_MSR)
#define KVMINTRO_REGS_SOURCE_KEYS \
	KVMINTRO_SCHEMA_KEY("vcpu", KVMINTRO_RECORD_TYPES(DECIMAL)), \
	KVMINTRO_SCHEMA_KEY("source", KVMINTRO_RECORD_TYPES(WORD)),

/*
 * The keys of a regs file, named by lib/regs.h's lists, as the module's,
 * and the layout of the table: GPRs, control registers, segments, MSRs.
 */
static const struct kvmintro_record_key kvmintro_regs_keys[] = {
	KVMINTRO_REGS_SOURCE_KEYS
	KVMINTRO_FOR_EACH_GPR(KVMINTRO_REGS_GPR_KEY)
	KVMINTRO_FOR_EACH_CONTROL_REG(KVMINTRO_REGS_CONTROL_KEY)
	KVMINTRO_FOR_EACH_TABLE_REG(KVMINTRO_REGS_DTABLE_KEYS)
	KVMINTRO_FOR_EACH_SEGMENT(KVMINTRO_REGS_SEGMENT_KEYS)
	KVMINTRO_FOR_EACH_MSR(KVMINTRO_REGS_MSR_KEY)
};

#define KVMINTRO_ARM64_REGS_GPR_KEYS(X) \
	X("x0") X("x1") X("x2") X("x3") X("x4") X("x5") X("x6") X("x7") \
	X("x8") X("x9") X("x10") X("x11") X("x12") X("x13") X("x14") \
	X("x15") X("x16") X("x17") X("x18") X("x19") X("x20") X("x21") \
	X("x22") X("x23") X("x24") X("x25") X("x26") X("x27") X("x28") \
	X("x29") X("x30")
#define KVMINTRO_ARM64_REGS_GPR_KEY(name) KVMINTRO_REGS_HEX(name, PAIR)
/* sp (SP_EL0) goes with x0-x30; pc, PSTATE and the EL1 banked are described. */
#define KVMINTRO_ARM64_REGS_CORE_KEY(index, name, field) \
	KVMINTRO_REGS_KEY(name, KVMINTRO_RECORD_TYPES(HEX), (index) ? \
			  KVMINTRO_REGS_DESCRIBED : KVMINTRO_REGS_PAIR)
#define KVMINTRO_ARM64_REGS_SYS_KEY(index, name) \
	KVMINTRO_REGS_HEX(name, SYSTEM)

/*
 * The keys of an arm64 regs file, in lib/arm64/regs.c's order, and the
 * layout of the table: x0-x30 and sp, pc to spsr_el1, the EL1 system ones.
 */
static const struct kvmintro_record_key kvmintro_arm64_regs_keys[] = {
	KVMINTRO_REGS_SOURCE_KEYS
	KVMINTRO_ARM64_REGS_GPR_KEYS(KVMINTRO_ARM64_REGS_GPR_KEY)
	KVMINTRO_ARM64_FOR_EACH_CORE_REG(KVMINTRO_ARM64_REGS_CORE_KEY)
	KVMINTRO_ARM64_FOR_EACH_SYS_REG(KVMINTRO_ARM64_REGS_SYS_KEY)
};

/* Either architecture's: a capture says its generation. */
static int kvmintro_regs_check_source(const struct kvmintro_record *regs,
				      struct kvmintro_parse_error *error)
{
	struct kvmintro_span source = kvmintro_record_text(regs, "source");
	bool capture = kvmintro_span_equals(source, "capture");
	bool has = kvmintro_record_maybe(regs, "generation").valid;

	if (!capture && !kvmintro_span_equals(source, "live"))
		return kvmintro_parse_fail(error, -EBADMSG,
			"source: \"%.*s\" is not 'live' or 'capture'",
			(int)source.length, source.start);
	if (has != capture)
		return kvmintro_parse_fail(error, -EBADMSG,
			"source=%.*s, but key 'generation' is %s",
			(int)source.length, source.start,
			has ? "there" : "missing");
	return 0;
}

/* x86: and an MSR is a number or "unavailable". */
static int kvmintro_regs_check(const struct kvmintro_record *regs,
			       struct kvmintro_parse_error *error)
{
	struct kvmintro_span value;
	const char *key;
	size_t i;
	int ret;

	ret = kvmintro_regs_check_source(regs, error);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(kvmintro_regs_keys); i++) {
		key = kvmintro_regs_keys[i].name;
		value = kvmintro_record_text(regs, key);
		if (KVMINTRO_REGS_SHOW(&kvmintro_regs_keys[i]) == KVMINTRO_REGS_MSR &&
		    !kvmintro_record_maybe(regs, key).valid &&
		    !kvmintro_span_equals(value, "unavailable"))
			return kvmintro_parse_fail(error, -EBADMSG,
				"%s: \"%.*s\" is not a hex number or 'unavailable'",
				key, (int)value.length, value.start);
	}
	return 0;
}

/* The vcpu of a file must be the vcpu of its directory, @context. */
static int kvmintro_regs_check_list(const struct kvmintro_record_list *list,
				    const void *context,
				    struct kvmintro_parse_error *error)
{
	uint64_t vcpu = kvmintro_record_number(list->records, "vcpu");

	if (vcpu != *(const uint64_t *)context)
		return kvmintro_parse_fail(error, -EBADMSG,
			"vcpu=%" PRIu64 " in the file of vcpu %" PRIu64, vcpu,
			*(const uint64_t *)context);
	return 0;
}

static const struct kvmintro_record_schema kvmintro_arm64_regs_schema = {
	.keys = kvmintro_arm64_regs_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_arm64_regs_keys),
	.one_record = true,
	.check = kvmintro_regs_check_source,
	.check_list = kvmintro_regs_check_list,
};

/* Are @regs arm64's (x0=, no rax=)? */
static bool kvmintro_regs_is_arm64(const struct kvmintro_record *regs)
{
	return kvmintro_record_find(regs, "x0") &&
	       !kvmintro_record_find(regs, "rax");
}

static const struct kvmintro_record_schema *
kvmintro_regs_select(const struct kvmintro_record *regs)
{
	return kvmintro_regs_is_arm64(regs) ? &kvmintro_arm64_regs_schema : NULL;
}

/* x86's, or arm64's when the file has arm64's keys. */
static const struct kvmintro_record_schema kvmintro_regs_schema = {
	.keys = kvmintro_regs_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_regs_keys),
	.one_record = true,
	.check = kvmintro_regs_check,
	.check_list = kvmintro_regs_check_list,
	.select = kvmintro_regs_select,
};

/* Untitled columns for "name value" pairs, up to four on a line. */
static const struct kvmintro_column kvmintro_regs_pair_columns[8];

static const struct kvmintro_column kvmintro_segment_columns[] = {
	KVMINTRO_COLUMN("SEG", LEFT), KVMINTRO_COLUMN("SELECTOR", RIGHT),
	KVMINTRO_COLUMN("BASE", RIGHT), KVMINTRO_COLUMN("LIMIT", RIGHT),
	KVMINTRO_COLUMN("ATTRIBUTES", RIGHT), KVMINTRO_COLUMN("TYPE", RIGHT),
	KVMINTRO_COLUMN("S", RIGHT), KVMINTRO_COLUMN("DPL", RIGHT),
	KVMINTRO_COLUMN("P", RIGHT), KVMINTRO_COLUMN("L", RIGHT),
	KVMINTRO_COLUMN("D/B", RIGHT), KVMINTRO_COLUMN("G", RIGHT),
	KVMINTRO_COLUMN("DESCRIPTION", LEFT),
};

/* The columns of each kind's table: how many. */
static const size_t kvmintro_regs_table_width[] = {
	[KVMINTRO_REGS_PAIR] = 8,
	[KVMINTRO_REGS_MSR] = 4,
	[KVMINTRO_REGS_DESCRIBED] = 3,
	[KVMINTRO_REGS_DTABLE] = 3,
	[KVMINTRO_REGS_SEGMENT] = ARRAY_SIZE(kvmintro_segment_columns),
	[KVMINTRO_REGS_SYSTEM] = 3,
};

/* A segment's attributes with a column: type, S, DPL, P, L, D/B, G. */
static const unsigned int kvmintro_attribute_bits[][2] = {
	{ 0, 4 }, { 4, 1 }, { 5, 2 }, { 7, 1 }, { 13, 1 }, { 14, 1 }, { 15, 1 },
};

/*
 * Add the cells of @key to @table: a register's name, value and what
 * its show adds; a field of a segment or descriptor table (cs.base) its
 * own cell, led by the register's name for the first.
 */
static void kvmintro_regs_add(struct kvmintro_table *table,
			      const struct kvmintro_record *regs,
			      const struct kvmintro_record_key *key)
{
	uint64_t value = kvmintro_record_number(regs, key->name);
	bool dtable = KVMINTRO_REGS_SHOW(key) == KVMINTRO_REGS_DTABLE;
	const char *field = strchr(key->name, '.');
	char text[256];
	size_t i;

	if (!field) {
		kvmintro_table_add(table, "%s", key->name);
		if (kvmintro_record_maybe(regs, key->name).valid)
			kvmintro_table_add(table, "0x%016" PRIx64, value);
		else
			kvmintro_table_add(table, "unavailable");
		if (KVMINTRO_REGS_SHOW(key) != KVMINTRO_REGS_DESCRIBED &&
		    KVMINTRO_REGS_SHOW(key) != KVMINTRO_REGS_SYSTEM)
			return;
		kvmintro_describe_register(key->name, value, text, sizeof(text));
		kvmintro_table_add(table, "%s", text);
	} else if (!strcmp(field, dtable ? ".base" : ".selector")) {
		kvmintro_table_add(table, "%.*s", (int)(field - key->name),
				   key->name);
		kvmintro_table_add(table, dtable ? "0x%016" PRIx64 :
				   "0x%04" PRIx64, value);
	} else {
		kvmintro_table_add(table, dtable ? "limit 0x%" PRIx64 :
				   "0x%" PRIx64, value);
	}
	if (!field || strcmp(field, ".attributes"))
		return;
	for (i = 0; i < ARRAY_SIZE(kvmintro_attribute_bits); i++)
		kvmintro_table_add(table, i ? "%u" : "0x%x",
			(unsigned int)(value >> kvmintro_attribute_bits[i][0]) &
			((1u << kvmintro_attribute_bits[i][1]) - 1));
	kvmintro_describe_segment(value, text, sizeof(text));
	kvmintro_table_add(table, "%s", text);
}

/*
 * Print one vcpu's registers as their @keys (@count) lay them out: whence
 * they are, then a table for each run of keys of a kind, a blank line
 * apart. Return 0 or -errno.
 */
static int kvmintro_regs_print_one(const struct kvmintro_record *regs,
				   const struct kvmintro_record_key *keys,
				   size_t count, FILE *out)
{
	struct kvmintro_table table;
	unsigned int show, next;
	size_t i;
	int ret = 0;

	if (kvmintro_record_maybe(regs, "generation").valid)
		fprintf(out, "vcpu %" PRIu64 " (capture, generation %" PRIu64 ")\n",
			kvmintro_record_number(regs, "vcpu"),
			kvmintro_record_number(regs, "generation"));
	else
		fprintf(out, "vcpu %" PRIu64 " (live: the VM is paused)\n",
			kvmintro_record_number(regs, "vcpu"));
	for (i = 0; i < count && !ret; i++) {
		show = KVMINTRO_REGS_SHOW(&keys[i]);
		if (!show)
			continue;
		kvmintro_table_init(&table, show == KVMINTRO_REGS_SEGMENT ?
				    kvmintro_segment_columns :
				    kvmintro_regs_pair_columns,
				    kvmintro_regs_table_width[show]);
		for (; i < count; i++) {
			kvmintro_regs_add(&table, regs, &keys[i]);
			/* gdt and idt go on with the control registers. */
			next = i + 1 < count ? KVMINTRO_REGS_SHOW(&keys[i + 1]) :
						show;
			if (next != show && next != KVMINTRO_REGS_DTABLE)
				break;
		}
		fputc('\n', out);
		ret = kvmintro_table_finish(&table, out);
	}
	return ret;
}

/* Say that @vm has no vcpu @vcpu, listing those it has; return -ESRCH. */
static int kvmintro_regs_report_no_vcpu(const struct kvmintro_vm *vm,
					uint64_t vcpu,
					const struct kvmintro_array *ids)
{
	const uint64_t *id = ids->elements;
	char list[256] = "";
	size_t i, used = 0;

	for (i = 0; i < ids->count && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%" PRIu64, i ? ", " : "", id[i]);
	if (ids->count)
		kvmintro_error("VM %s has no vcpu %" PRIu64 "; its vcpus are: %s",
			       vm->dir, vcpu, list);
	else
		kvmintro_error("VM %s has no vcpu %" PRIu64 ": it has no vcpus",
			       vm->dir, vcpu);
	return -ESRCH;
}

/*
 * Read the regs files of the vcpus @ids (uint64_t) of @vm, keep them in
 * @lists and print them, as a table or as JSON. Return 0 or -errno.
 */
static int kvmintro_regs_show(const struct kvmintro *kvmintro,
			      const struct kvmintro_vm *vm,
			      const struct kvmintro_array *ids,
			      struct kvmintro_record_list *lists)
{
	const struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_snapshot_explain_none,
		.context = vm->dir,
	};
	const uint64_t *id = ids->elements;
	char dir[KVMINTRO_VM_DIR_MAX + 32];
	struct kvmintro_json json;
	size_t i;
	int ret;

	for (i = 0; i < ids->count; i++) {
		snprintf(dir, sizeof(dir), "%s/vcpu%" PRIu64, vm->dir, id[i]);
		ret = kvmintro_record_list_request(kvmintro->debugfs_root, dir,
						   "regs", NULL, &explainer,
						   &kvmintro_regs_schema, &id[i],
						   &lists[i]);
		if (ret)
			return ret;
	}
	ret = 0;
	if (kvmintro->json) {
		kvmintro_vm_json_begin(&json, stdout, vm);
		kvmintro_json_begin_array(&json, "vcpus");
		for (i = 0; i < ids->count; i++)
			kvmintro_record_write_json(&json, lists[i].records,
						   &kvmintro_regs_schema);
		kvmintro_json_end_array(&json);
		ret = kvmintro_vm_json_end(&json);
	} else if (!ids->count) {
		printf("VM %s (PID %" PRIu64 ") has no vcpus.\n", vm->dir,
		       vm->pid);
	}
	for (i = 0; !kvmintro->json && i < ids->count && !ret; i++) {
		if (i)
			fputc('\n', stdout);
		ret = kvmintro_regs_is_arm64(lists[i].records) ?
		      kvmintro_regs_print_one(lists[i].records,
				kvmintro_arm64_regs_keys,
				ARRAY_SIZE(kvmintro_arm64_regs_keys), stdout) :
		      kvmintro_regs_print_one(lists[i].records,
				kvmintro_regs_keys,
				ARRAY_SIZE(kvmintro_regs_keys), stdout);
	}
	return kvmintro_check_output(ret);
}

int kvmintro_cmd_regs(struct kvmintro *kvmintro)
{
	const char *vcpu_text = kvmintro->options[KVMINTRO_OPTION_VCPU];
	const struct kvmintro_vm *vm = &kvmintro->vm;
	struct kvmintro_record_list *lists;
	bool vcpu_given = vcpu_text;
	struct kvmintro_array ids;
	uint64_t vcpu, *id;
	size_t i;
	int ret;

	if (vcpu_given && kvmintro_parse_number_argument(vcpu_text, &vcpu))
		return kvmintro_usage_error("regs", "--vcpu takes a vcpu id, not",
					    vcpu_text);
	ret = kvmintro_debugfs_list_numbered(kvmintro->debugfs_root, vm->dir,
					     "vcpu", &ids);
	if (ret)
		return ret;
	id = ids.elements;
	for (i = 0; vcpu_given && i < ids.count && id[i] != vcpu; i++)
		;
	if (vcpu_given && i == ids.count) {
		ret = kvmintro_regs_report_no_vcpu(vm, vcpu, &ids);
		kvmintro_array_release(&ids);
		return ret;
	}
	if (vcpu_given) {
		id[0] = vcpu;
		ids.count = 1;
	}
	lists = calloc(ids.count + 1, sizeof(*lists));
	ret = lists ? kvmintro_regs_show(kvmintro, vm, &ids, lists) : -ENOMEM;
	for (i = 0; lists && i < ids.count; i++)
		kvmintro_record_list_release(&lists[i]);
	free(lists);
	kvmintro_array_release(&ids);
	return ret;
}
