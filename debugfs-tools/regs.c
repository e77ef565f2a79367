// SPDX-License-Identifier: GPL-2.0
/*
 * A vcpu's registers: its "vcpu<N>/regs" file, one name=value a line, live
 * while the VM is paused, else from the latest capture. Shown grouped for
 * people, with the flags of the control registers and the attributes of
 * the segments decoded, or as JSON, every value a number.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"
#include "json.h"
#include "regs.h"
#include "table.h"

#define KVMINTRO_REGS_HEX(member, name)					\
	KVMINTRO_FIELD(struct kvmintro_vcpu_regs, member, name,		\
		       KVMINTRO_FIELD_HEX),
#define KVMINTRO_REGS_GPR(index, name)	KVMINTRO_REGS_HEX(gprs[index], name)
#define KVMINTRO_REGS_CONTROL(index, name)				\
	KVMINTRO_REGS_HEX(control[index], name)
#define KVMINTRO_REGS_TABLE_FIELD(index, name, field)			\
	KVMINTRO_REGS_HEX(tables[index].field, name "." #field)
#define KVMINTRO_REGS_TABLE(index, name)				\
	KVMINTRO_FOR_EACH_TABLE_FIELD(KVMINTRO_REGS_TABLE_FIELD, index, name)
#define KVMINTRO_REGS_SEGMENT_FIELD(index, name, field)			\
	KVMINTRO_REGS_HEX(segments[index].field, name "." #field)
#define KVMINTRO_REGS_SEGMENT(index, name)				\
	KVMINTRO_FOR_EACH_SEG_FIELD(KVMINTRO_REGS_SEGMENT_FIELD, index, name)
#define KVMINTRO_REGS_MSR(index, msr, name)				\
	KVMINTRO_FIELD(struct kvmintro_vcpu_regs, msrs[index], name,	\
		       KVMINTRO_FIELD_HEX, .absent = "unavailable"),

static const char *const kvmintro_regs_sources[] = { "live", "capture", NULL };

/*
 * The keys of the regs file, in its order, named by lib/regs.h's lists,
 * which the module writes the file with. Printing walks the groups below
 * by index.
 */
static const struct kvmintro_field kvmintro_regs_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_vcpu_regs, vcpu, "vcpu",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_vcpu_regs, source, "source",
		       KVMINTRO_FIELD_NAME, .choices = kvmintro_regs_sources),
	KVMINTRO_FIELD(struct kvmintro_vcpu_regs, generation, "generation",
		       KVMINTRO_FIELD_DECIMAL, .optional = true),
	KVMINTRO_FOR_EACH_GPR(KVMINTRO_REGS_GPR)
	KVMINTRO_FOR_EACH_CONTROL_REG(KVMINTRO_REGS_CONTROL)
	KVMINTRO_FOR_EACH_TABLE_REG(KVMINTRO_REGS_TABLE)
	KVMINTRO_FOR_EACH_SEGMENT(KVMINTRO_REGS_SEGMENT)
	KVMINTRO_FOR_EACH_MSR(KVMINTRO_REGS_MSR)
};

/* Where each group of registers starts in kvmintro_regs_fields[]. */
enum {
	KVMINTRO_REGS_FIELD_GPRS = 3,
	KVMINTRO_REGS_FIELD_CONTROL = KVMINTRO_REGS_FIELD_GPRS +
				      KVMINTRO_NR_GPRS,
	KVMINTRO_REGS_FIELD_TABLES = KVMINTRO_REGS_FIELD_CONTROL +
				     KVMINTRO_REGS_NR_CONTROL,
	KVMINTRO_REGS_FIELD_SEGMENTS = KVMINTRO_REGS_FIELD_TABLES +
				       2 * KVMINTRO_REGS_NR_TABLES,
	KVMINTRO_REGS_FIELD_MSRS = KVMINTRO_REGS_FIELD_SEGMENTS +
				   4 * KVMINTRO_NR_SEGMENTS,
	KVMINTRO_REGS_NR_FIELDS = KVMINTRO_REGS_FIELD_MSRS +
				  KVMINTRO_NR_MSRS,
};

_Static_assert(ARRAY_SIZE(kvmintro_regs_fields) == KVMINTRO_REGS_NR_FIELDS,
	       "the groups of kvmintro_regs_fields[] are out of step");

static const struct kvmintro_record_format kvmintro_regs_format = {
	.layout = KVMINTRO_LAYOUT_KEY_VALUE,
	.fields = kvmintro_regs_fields,
	.nr_fields = ARRAY_SIZE(kvmintro_regs_fields),
	.record_size = sizeof(struct kvmintro_vcpu_regs),
};

/* The name of field @index; for "cs.base", only "cs" if @group. */
static void kvmintro_regs_field_name(size_t index, bool group, char *name,
				     size_t size)
{
	const char *full = kvmintro_regs_fields[index].name;
	int length = (int)strcspn(full, group ? "." : "");

	snprintf(name, size, "%.*s", length, full);
}

/*
 * Parse the contents of a vcpu's "regs" file into @regs; see
 * kvmintro_parse_record(). A capture must say its generation.
 */
int kvmintro_regs_parse(const char *text, size_t length,
			struct kvmintro_vcpu_regs *regs,
			struct kvmintro_parse_error *error)
{
	struct kvmintro_field_set seen;
	int ret;

	ret = kvmintro_parse_record(&kvmintro_regs_format, text, length, regs,
				    &seen, error);
	if (ret)
		return ret;
	regs->has_generation = kvmintro_field_seen(&kvmintro_regs_format,
						   &seen, "generation");
	if (regs->has_generation != !strcmp(regs->source, "capture"))
		return kvmintro_parse_fail(error, -EBADMSG,
			"source=%s, but key 'generation' is %s", regs->source,
			regs->has_generation ? "there" : "missing");
	return 0;
}

/**
 * struct kvmintro_regs_load - what one regs file is parsed into
 * @regs: where the registers go
 * @vcpu: the vcpu the file is of
 */
struct kvmintro_regs_load {
	struct kvmintro_vcpu_regs *regs;
	uint64_t vcpu;
};

static int kvmintro_regs_parse_file(void *context, const char *text,
				    size_t length,
				    struct kvmintro_parse_error *error)
{
	struct kvmintro_regs_load *load = context;
	int ret;

	ret = kvmintro_regs_parse(text, length, load->regs, error);
	if (!ret && load->regs->vcpu != load->vcpu)
		ret = kvmintro_parse_fail(error, -EBADMSG,
			"vcpu=%" PRIu64 " in the file of vcpu %" PRIu64,
			load->regs->vcpu, load->vcpu);
	return ret;
}

/*
 * Explain a failed read of a regs file: ENODATA means that the VM runs and
 * was never captured. @context is the name of the VM.
 */
int kvmintro_regs_explain_read(const char *path, int err, const void *context)
{
	(void)path;
	if (err != -ENODATA)
		return 0;
	kvmintro_error("no capture yet: run `kvmintro snapshot %s` first (or pause the VM)",
		       (const char *)context);
	return err;
}

static int kvmintro_regs_load(const char *root, const struct kvmintro_vm *vm,
			      uint64_t vcpu, struct kvmintro_vcpu_regs *regs)
{
	const struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_regs_explain_read,
		.context = vm->dir,
	};
	struct kvmintro_regs_load load = { .regs = regs, .vcpu = vcpu };
	char dir[KVMINTRO_VM_DIR_MAX + 32];

	snprintf(dir, sizeof(dir), "%s/vcpu%" PRIu64, vm->dir, vcpu);
	return kvmintro_debugfs_load_file(root, dir, "regs", &explainer,
					  kvmintro_regs_parse_file, &load);
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

/* Keep in @ids only @vcpu, or say that there is none. */
static int kvmintro_regs_select_vcpu(const struct kvmintro_vm *vm,
				     uint64_t vcpu, struct kvmintro_array *ids)
{
	uint64_t *id = ids->elements;
	size_t i;

	for (i = 0; i < ids->count; i++) {
		if (id[i] == vcpu) {
			id[0] = vcpu;
			ids->count = 1;
			return 0;
		}
	}
	return kvmintro_regs_report_no_vcpu(vm, vcpu, ids);
}

/* Read the registers of the vcpus @ids (uint64_t) into @list. */
static int kvmintro_regs_list_load_vcpus(const char *root,
					 const struct kvmintro_vm *vm,
					 const struct kvmintro_array *ids,
					 struct kvmintro_regs_list *list)
{
	const uint64_t *id = ids->elements;
	size_t i;
	int ret;

	list->regs = calloc(ids->count ?: 1, sizeof(*list->regs));
	if (!list->regs) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < ids->count; i++) {
		ret = kvmintro_regs_load(root, vm, id[i], &list->regs[i]);
		if (ret) {
			kvmintro_regs_list_release(list);
			return ret;
		}
		list->count++;
	}
	return 0;
}

/*
 * Read the registers of vcpu *@vcpu of @vm, or, if @vcpu is NULL, of every
 * vcpu (every vcpu<N> directory, by N), into @list, which the caller
 * releases. On failure say why and return -errno: -ESRCH if there is no
 * such vcpu, -ENODATA if there is no capture to show.
 */
int kvmintro_regs_list_load(const char *root, const struct kvmintro_vm *vm,
			    const uint64_t *vcpu, struct kvmintro_regs_list *list)
{
	struct kvmintro_array ids;
	int ret;

	memset(list, 0, sizeof(*list));
	ret = kvmintro_debugfs_list_numbered(root, vm->dir, "vcpu", &ids);
	if (ret)
		return ret;
	if (vcpu)
		ret = kvmintro_regs_select_vcpu(vm, *vcpu, &ids);
	if (!ret)
		ret = kvmintro_regs_list_load_vcpus(root, vm, &ids, list);
	kvmintro_array_release(&ids);
	return ret;
}

void kvmintro_regs_list_release(struct kvmintro_regs_list *list)
{
	free(list->regs);
	list->regs = NULL;
	list->count = 0;
}

/**
 * struct kvmintro_bit_name - a flag of a control register
 * @bit: its bit number
 * @name: its name in the architecture manuals
 */
struct kvmintro_bit_name {
	unsigned int bit;
	const char *name;
};

static const struct kvmintro_bit_name kvmintro_rflags_bits[] = {
	{ 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" }, { 7, "SF" },
	{ 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 11, "OF" }, { 14, "NT" },
	{ 16, "RF" }, { 17, "VM" }, { 18, "AC" }, { 19, "VIF" }, { 20, "VIP" },
	{ 21, "ID" }, { 0, NULL },
};

static const struct kvmintro_bit_name kvmintro_cr0_bits[] = {
	{ 0, "PE" }, { 1, "MP" }, { 2, "EM" }, { 3, "TS" }, { 4, "ET" },
	{ 5, "NE" }, { 16, "WP" }, { 18, "AM" }, { 29, "NW" }, { 30, "CD" },
	{ 31, "PG" }, { 0, NULL },
};

static const struct kvmintro_bit_name kvmintro_cr4_bits[] = {
	{ 0, "VME" }, { 1, "PVI" }, { 2, "TSD" }, { 3, "DE" }, { 4, "PSE" },
	{ 5, "PAE" }, { 6, "MCE" }, { 7, "PGE" }, { 8, "PCE" },
	{ 9, "OSFXSR" }, { 10, "OSXMMEXCPT" }, { 11, "UMIP" }, { 12, "LA57" },
	{ 13, "VMXE" }, { 14, "SMXE" }, { 16, "FSGSBASE" }, { 17, "PCIDE" },
	{ 18, "OSXSAVE" }, { 20, "SMEP" }, { 21, "SMAP" }, { 22, "PKE" },
	{ 23, "CET" }, { 24, "PKS" }, { 0, NULL },
};

static const struct kvmintro_bit_name kvmintro_efer_bits[] = {
	{ 0, "SCE" }, { 8, "LME" }, { 10, "LMA" }, { 11, "NXE" },
	{ 12, "SVME" }, { 13, "LMSLE" }, { 14, "FFXSR" }, { 15, "TCE" },
	{ 0, NULL },
};

/* The flags to decode for each control register, by index in @control. */
static const struct kvmintro_bit_name *const
kvmintro_control_bits[KVMINTRO_REGS_NR_CONTROL] = {
	[1] = kvmintro_rflags_bits,
	[2] = kvmintro_cr0_bits,
	[5] = kvmintro_cr4_bits,
	[7] = kvmintro_efer_bits,
};

/* Write the names of the flags set in @value, space-separated. */
static void kvmintro_describe_bits(uint64_t value,
				   const struct kvmintro_bit_name *bits,
				   char *text, size_t size)
{
	size_t used = 0;

	text[0] = '\0';
	for (; bits && bits->name && used < size; bits++) {
		if (value & UINT64_C(1) << bits->bit)
			used += (size_t)snprintf(text + used, size - used, "%s%s",
						 used ? " " : "", bits->name);
	}
}

/**
 * struct kvmintro_attribute - a field of a segment's attributes
 * @key: its name in JSON
 * @shift: its first bit
 * @width: its number of bits
 */
struct kvmintro_attribute {
	const char *key;
	unsigned int shift;
	unsigned int width;
};

/* In the order of the segment table's columns, then the rest. */
static const struct kvmintro_attribute kvmintro_attributes[] = {
	{ "type", 0, 4 }, { "s", 4, 1 }, { "dpl", 5, 2 }, { "p", 7, 1 },
	{ "l", 13, 1 }, { "db", 14, 1 }, { "g", 15, 1 },
	{ "avl", 12, 1 }, { "unusable", 16, 1 },
};

/* The attributes that have a column in the segment table. */
#define KVMINTRO_ATTRIBUTE_COLUMNS 7

static unsigned int kvmintro_attribute_value(uint64_t attributes,
					     const struct kvmintro_attribute *field)
{
	return (unsigned int)(attributes >> field->shift) &
	       ((1u << field->width) - 1);
}

static const char *kvmintro_system_segment_type(unsigned int type)
{
	static const char *const names[16] = {
		[1] = "16-bit TSS (available)", [2] = "LDT",
		[3] = "16-bit TSS (busy)", [4] = "16-bit call gate",
		[5] = "task gate", [6] = "16-bit interrupt gate",
		[7] = "16-bit trap gate", [9] = "TSS (available)",
		[11] = "TSS (busy)", [12] = "call gate",
		[14] = "interrupt gate", [15] = "trap gate",
	};

	return names[type & 0xf] ?: "reserved";
}

/*
 * Describe the segment @attributes are of, like "code, readable, accessed"
 * or "TSS (busy)".
 */
void kvmintro_describe_segment(uint64_t attributes, char *text, size_t size)
{
	unsigned int type = attributes & 0xf;
	bool code = type & 8;

	if (attributes & 1u << 16)
		snprintf(text, size, "unusable");
	else if (!(attributes & 1u << 4))
		snprintf(text, size, "%s", kvmintro_system_segment_type(type));
	else
		snprintf(text, size, "%s%s%s%s", code ? "code" : "data",
			 type & 4 ? code ? ", conforming" : ", expand-down" : "",
			 type & 2 ? code ? ", readable" : ", writable" : "",
			 type & 1 ? ", accessed" : "");
}

/* Untitled columns for "name value" pairs, up to four on a line. */
static const struct kvmintro_column kvmintro_regs_pair_columns[] = {
	{ NULL, KVMINTRO_ALIGN_LEFT }, { NULL, KVMINTRO_ALIGN_LEFT },
	{ NULL, KVMINTRO_ALIGN_LEFT }, { NULL, KVMINTRO_ALIGN_LEFT },
	{ NULL, KVMINTRO_ALIGN_LEFT }, { NULL, KVMINTRO_ALIGN_LEFT },
	{ NULL, KVMINTRO_ALIGN_LEFT }, { NULL, KVMINTRO_ALIGN_LEFT },
};

static const struct kvmintro_column kvmintro_segment_columns[] = {
	{ "SEG", KVMINTRO_ALIGN_LEFT },
	{ "SELECTOR", KVMINTRO_ALIGN_RIGHT },
	{ "BASE", KVMINTRO_ALIGN_RIGHT },
	{ "LIMIT", KVMINTRO_ALIGN_RIGHT },
	{ "ATTRIBUTES", KVMINTRO_ALIGN_RIGHT },
	{ "TYPE", KVMINTRO_ALIGN_RIGHT },
	{ "S", KVMINTRO_ALIGN_RIGHT },
	{ "DPL", KVMINTRO_ALIGN_RIGHT },
	{ "P", KVMINTRO_ALIGN_RIGHT },
	{ "L", KVMINTRO_ALIGN_RIGHT },
	{ "D/B", KVMINTRO_ALIGN_RIGHT },
	{ "G", KVMINTRO_ALIGN_RIGHT },
	{ "DESCRIPTION", KVMINTRO_ALIGN_LEFT },
};

static void kvmintro_table_add_field_name(struct kvmintro_table *table,
					  size_t index, bool group)
{
	char name[32];

	kvmintro_regs_field_name(index, group, name, sizeof(name));
	kvmintro_table_add(table, "%s", name);
}

/*
 * Print @count registers, named by the fields from @first on, as "name
 * value" pairs, @per_line pairs a line; "unavailable" where there is none.
 */
static int kvmintro_regs_print_pairs(const struct kvmintro_maybe_u64 *values,
				     size_t first, size_t count,
				     size_t per_line, FILE *out)
{
	struct kvmintro_table table;
	size_t i;

	kvmintro_table_init(&table, kvmintro_regs_pair_columns, 2 * per_line);
	for (i = 0; i < count; i++) {
		kvmintro_table_add_field_name(&table, first + i, false);
		if (values[i].valid)
			kvmintro_table_add(&table, "0x%016" PRIx64,
					   values[i].value);
		else
			kvmintro_table_add(&table, "unavailable");
	}
	return kvmintro_table_finish(&table, out);
}

/* The general-purpose registers, four pairs a line. */
static int kvmintro_regs_print_gprs(const struct kvmintro_vcpu_regs *regs,
				    FILE *out)
{
	struct kvmintro_maybe_u64 values[KVMINTRO_NR_GPRS];
	size_t i;

	for (i = 0; i < KVMINTRO_NR_GPRS; i++)
		values[i] = (struct kvmintro_maybe_u64){ regs->gprs[i], true };
	return kvmintro_regs_print_pairs(values, KVMINTRO_REGS_FIELD_GPRS,
					 KVMINTRO_NR_GPRS, 4, out);
}

/* rip, rflags, the control registers with their flags, gdt and idt. */
static int kvmintro_regs_print_control(const struct kvmintro_vcpu_regs *regs,
				       FILE *out)
{
	struct kvmintro_table table;
	char flags[256];
	size_t i;

	kvmintro_table_init(&table, kvmintro_regs_pair_columns, 3);
	for (i = 0; i < KVMINTRO_REGS_NR_CONTROL; i++) {
		kvmintro_table_add_field_name(&table,
					      KVMINTRO_REGS_FIELD_CONTROL + i,
					      false);
		kvmintro_table_add(&table, "0x%016" PRIx64, regs->control[i]);
		kvmintro_describe_bits(regs->control[i],
				       kvmintro_control_bits[i], flags,
				       sizeof(flags));
		kvmintro_table_add(&table, "%s", flags);
	}
	for (i = 0; i < KVMINTRO_REGS_NR_TABLES; i++) {
		kvmintro_table_add_field_name(&table,
					      KVMINTRO_REGS_FIELD_TABLES + 2 * i,
					      true);
		kvmintro_table_add(&table, "0x%016" PRIx64, regs->tables[i].base);
		kvmintro_table_add(&table, "limit 0x%" PRIx64,
				   regs->tables[i].limit);
	}
	return kvmintro_table_finish(&table, out);
}

static void kvmintro_regs_add_segment(struct kvmintro_table *table,
				      const struct kvmintro_vcpu_segment *segment,
				      size_t index)
{
	char description[64];
	size_t i;

	kvmintro_table_add_field_name(table, KVMINTRO_REGS_FIELD_SEGMENTS +
					     4 * index, true);
	kvmintro_table_add(table, "0x%04" PRIx64, segment->selector);
	kvmintro_table_add(table, "0x%" PRIx64, segment->base);
	kvmintro_table_add(table, "0x%" PRIx64, segment->limit);
	kvmintro_table_add(table, "0x%" PRIx64, segment->attributes);
	for (i = 0; i < KVMINTRO_ATTRIBUTE_COLUMNS; i++)
		kvmintro_table_add(table, i ? "%u" : "0x%x",
				   kvmintro_attribute_value(segment->attributes,
							    &kvmintro_attributes[i]));
	kvmintro_describe_segment(segment->attributes, description,
				  sizeof(description));
	kvmintro_table_add(table, "%s", description);
}

static int kvmintro_regs_print_segments(const struct kvmintro_vcpu_regs *regs,
					FILE *out)
{
	struct kvmintro_table table;
	size_t i;

	kvmintro_table_init(&table, kvmintro_segment_columns,
			    ARRAY_SIZE(kvmintro_segment_columns));
	for (i = 0; i < KVMINTRO_NR_SEGMENTS; i++)
		kvmintro_regs_add_segment(&table, &regs->segments[i], i);
	return kvmintro_table_finish(&table, out);
}

/* The MSRs, two pairs a line. */
static int kvmintro_regs_print_msrs(const struct kvmintro_vcpu_regs *regs,
				    FILE *out)
{
	return kvmintro_regs_print_pairs(regs->msrs, KVMINTRO_REGS_FIELD_MSRS,
					 KVMINTRO_NR_MSRS, 2, out);
}

static int kvmintro_regs_print_one(const struct kvmintro_vcpu_regs *regs,
				   FILE *out)
{
	int (*const sections[])(const struct kvmintro_vcpu_regs *, FILE *) = {
		kvmintro_regs_print_gprs, kvmintro_regs_print_control,
		kvmintro_regs_print_segments, kvmintro_regs_print_msrs,
	};
	size_t i;
	int ret;

	if (regs->has_generation)
		fprintf(out, "vcpu %" PRIu64 " (capture, generation %" PRIu64 ")\n",
			regs->vcpu, regs->generation);
	else
		fprintf(out, "vcpu %" PRIu64 " (live: the VM is paused)\n",
			regs->vcpu);
	for (i = 0; i < ARRAY_SIZE(sections); i++) {
		fputc('\n', out);
		ret = sections[i](regs, out);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Print the registers of every vcpu in @list, grouped, vcpus apart by a
 * blank line. Return 0 or -errno.
 */
int kvmintro_regs_list_print_table(const struct kvmintro_regs_list *list,
				   FILE *out)
{
	size_t i;
	int ret;

	for (i = 0; i < list->count; i++) {
		if (i)
			fputc('\n', out);
		ret = kvmintro_regs_print_one(&list->regs[i], out);
		if (ret)
			return ret;
	}
	return ferror(out) ? -EIO : 0;
}

/* Write fields @first to @first + @count - 1, all but the group name. */
static void kvmintro_regs_write_fields_json(struct kvmintro_json *json,
					    const uint64_t *values,
					    size_t first, size_t count)
{
	const char *name;
	size_t i;

	for (i = 0; i < count; i++) {
		name = kvmintro_regs_fields[first + i].name;
		kvmintro_json_u64(json, strchr(name, '.') ? strchr(name, '.') + 1 :
				  name, values[i]);
	}
}

static void kvmintro_regs_begin_group_json(struct kvmintro_json *json,
					   size_t index)
{
	char name[32];

	kvmintro_regs_field_name(index, true, name, sizeof(name));
	kvmintro_json_begin_object(json, name);
}

static void kvmintro_segment_write_json(struct kvmintro_json *json,
					const struct kvmintro_vcpu_segment *segment,
					size_t index)
{
	const uint64_t values[] = {
		segment->selector, segment->base, segment->limit,
		segment->attributes,
	};
	size_t first = KVMINTRO_REGS_FIELD_SEGMENTS + 4 * index, i;

	kvmintro_regs_begin_group_json(json, first);
	kvmintro_regs_write_fields_json(json, values, first, ARRAY_SIZE(values));
	for (i = 0; i < ARRAY_SIZE(kvmintro_attributes); i++)
		kvmintro_json_u64(json, kvmintro_attributes[i].key,
				  kvmintro_attribute_value(segment->attributes,
							   &kvmintro_attributes[i]));
	kvmintro_json_end_object(json);
}

static void kvmintro_regs_write_tables_json(struct kvmintro_json *json,
					    const struct kvmintro_vcpu_regs *regs)
{
	size_t i, first;

	for (i = 0; i < KVMINTRO_REGS_NR_TABLES; i++) {
		const uint64_t values[] = {
			regs->tables[i].base, regs->tables[i].limit,
		};

		first = KVMINTRO_REGS_FIELD_TABLES + 2 * i;
		kvmintro_regs_begin_group_json(json, first);
		kvmintro_regs_write_fields_json(json, values, first, 2);
		kvmintro_json_end_object(json);
	}
}

static void kvmintro_regs_write_json(struct kvmintro_json *json,
				     const void *element)
{
	const struct kvmintro_vcpu_regs *regs = element;
	const char *name;
	size_t i;

	kvmintro_json_begin_object(json, NULL);
	kvmintro_json_u64(json, "vcpu", regs->vcpu);
	kvmintro_json_string(json, "source", regs->source);
	kvmintro_json_maybe_u64(json, "generation", (struct kvmintro_maybe_u64){
		.value = regs->generation, .valid = regs->has_generation });
	kvmintro_regs_write_fields_json(json, regs->gprs,
					KVMINTRO_REGS_FIELD_GPRS,
					KVMINTRO_NR_GPRS);
	kvmintro_regs_write_fields_json(json, regs->control,
					KVMINTRO_REGS_FIELD_CONTROL,
					KVMINTRO_REGS_NR_CONTROL);
	kvmintro_regs_write_tables_json(json, regs);
	kvmintro_json_begin_object(json, "segments");
	for (i = 0; i < KVMINTRO_NR_SEGMENTS; i++)
		kvmintro_segment_write_json(json, &regs->segments[i], i);
	kvmintro_json_end_object(json);
	kvmintro_json_begin_object(json, "msrs");
	for (i = 0; i < KVMINTRO_NR_MSRS; i++) {
		name = kvmintro_regs_fields[KVMINTRO_REGS_FIELD_MSRS + i].name;
		kvmintro_json_maybe_u64(json, name, regs->msrs[i]);
	}
	kvmintro_json_end_object(json);
	kvmintro_json_end_object(json);
}

/*
 * Print @list as a JSON object: the VM, and "vcpus", an array with an
 * object per vcpu, every register a number (null if unavailable), the
 * segments objects with their attributes decoded. Return 0 or -errno.
 */
int kvmintro_regs_list_print_json(const struct kvmintro_vm *vm,
				  const struct kvmintro_regs_list *list,
				  FILE *out)
{
	return kvmintro_vm_json_print_array(out, vm, "vcpus", list->regs,
					    list->count, sizeof(*list->regs),
					    kvmintro_regs_write_json);
}
