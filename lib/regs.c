// SPDX-License-Identifier: GPL-2.0
/*
 * Text of a vcpu's registers, one record of one field per line, so that
 * the module can stream it into a seq_file and the tests can check every
 * line.
 */
#include "record.h"
#include "regs.h"

#define KVMINTRO_MSR_NAME(index, msr, name)	[index] = { msr, name },
#define KVMINTRO_REG_NAME(index, name)		[index] = name,

const struct kvmintro_msr_name kvmintro_msr_names[KVMINTRO_NR_MSRS] = {
	KVMINTRO_FOR_EACH_MSR(KVMINTRO_MSR_NAME)
};

static const char *const kvmintro_gpr_names[KVMINTRO_NR_GPRS] = {
	KVMINTRO_FOR_EACH_GPR(KVMINTRO_REG_NAME)
};

static const char *const kvmintro_segment_names[KVMINTRO_NR_SEGMENTS] = {
	KVMINTRO_FOR_EACH_SEGMENT(KVMINTRO_REG_NAME)
};

u32 kvmintro_segment_attributes(u8 type, u8 s, u8 dpl, u8 present, u8 avl,
				u8 l, u8 db, u8 g, u8 unusable)
{
	return (type & 0xf) | (s & 1) << 4 | (dpl & 3) << 5 |
	       (present & 1) << 7 | (avl & 1) << 12 | (l & 1) << 13 |
	       (db & 1) << 14 | (g & 1) << 15 | (u32)(unusable & 1) << 16;
}

/* The record @prefix@name=@value, in hex; its length or -ENOSPC. */
static int kvmintro_format_value(char *buf, size_t size, const char *prefix,
				 const char *name, u64 value)
{
	struct kvmintro_record_writer writer;
	char key[32];

	snprintf(key, sizeof(key), "%s%s", prefix, name);
	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_hex(&writer, key, value);
	return kvmintro_record_end(&writer);
}

/* The lines after the general-purpose registers, in order. */
enum {
	KVMINTRO_LINE_RIP, KVMINTRO_LINE_RFLAGS, KVMINTRO_LINE_CR0,
	KVMINTRO_LINE_CR2, KVMINTRO_LINE_CR3, KVMINTRO_LINE_CR4,
	KVMINTRO_LINE_CR8, KVMINTRO_LINE_EFER, KVMINTRO_LINE_APIC_BASE,
	KVMINTRO_LINE_FS_BASE, KVMINTRO_LINE_GS_BASE,
	KVMINTRO_LINE_GDT_BASE, KVMINTRO_LINE_GDT_LIMIT,
	KVMINTRO_LINE_IDT_BASE, KVMINTRO_LINE_IDT_LIMIT,
	KVMINTRO_NR_CONTROL_LINES,
};

#define KVMINTRO_TABLE_FIELD_NAME(index, name, field)	name "." #field,
#define KVMINTRO_TABLE_FIELD_NAMES(index, name)				\
	KVMINTRO_FOR_EACH_TABLE_FIELD(KVMINTRO_TABLE_FIELD_NAME, index, name)

static int kvmintro_format_control_line(char *buf, size_t size,
					const struct kvmintro_regs *regs,
					unsigned int line)
{
	static const char *const names[KVMINTRO_NR_CONTROL_LINES] = {
		KVMINTRO_FOR_EACH_CONTROL_REG(KVMINTRO_REG_NAME)
		KVMINTRO_FOR_EACH_TABLE_REG(KVMINTRO_TABLE_FIELD_NAMES)
	};
	const u64 values[KVMINTRO_NR_CONTROL_LINES] = {
		regs->rip, regs->rflags, regs->cr0, regs->cr2, regs->cr3,
		regs->cr4, regs->cr8, regs->efer, regs->apic_base,
		regs->seg[KVMINTRO_SEG_FS].base,
		regs->seg[KVMINTRO_SEG_GS].base,
		regs->gdt_base, regs->gdt_limit, regs->idt_base,
		regs->idt_limit,
	};

	return kvmintro_format_value(buf, size, "", names[line], values[line]);
}

#define KVMINTRO_SEG_FIELD_NAME(index, name, field)	#field,
#define KVMINTRO_SEG_FIELD_VALUE(seg, name, field)	(seg)->field,

/* Field @field (0: selector, 1: base, 2: limit, 3: attributes) of @seg. */
static int kvmintro_format_segment_line(char *buf, size_t size,
					const struct kvmintro_segment *seg,
					const char *name, unsigned int field)
{
	static const char *const fields[] = {
		KVMINTRO_FOR_EACH_SEG_FIELD(KVMINTRO_SEG_FIELD_NAME, 0, "")
	};
	const u64 values[] = {
		KVMINTRO_FOR_EACH_SEG_FIELD(KVMINTRO_SEG_FIELD_VALUE, seg, "")
	};
	char prefix[8];

	snprintf(prefix, sizeof(prefix), "%s.", name);
	return kvmintro_format_value(buf, size, prefix, fields[field],
				     values[field]);
}

static int kvmintro_format_msr_line(char *buf, size_t size,
				    const struct kvmintro_regs *regs,
				    unsigned int msr)
{
	const char *name = kvmintro_msr_names[msr].name;
	struct kvmintro_record_writer writer;

	if (regs->msr_valid & (1u << msr))
		return kvmintro_format_value(buf, size, "", name,
					     regs->msr[msr]);
	/* KVM refused to read it: a word, not a number. */
	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_word(&writer, name, "unavailable");
	return kvmintro_record_end(&writer);
}

int kvmintro_format_regs_line(char *buf, size_t size,
			      const struct kvmintro_regs *regs,
			      unsigned int line)
{
	if (line < ARRAY_SIZE(kvmintro_gpr_names))
		return kvmintro_format_value(buf, size, "",
					     kvmintro_gpr_names[line],
					     regs->gpr[line]);
	line -= ARRAY_SIZE(kvmintro_gpr_names);
	if (line < KVMINTRO_NR_CONTROL_LINES)
		return kvmintro_format_control_line(buf, size, regs, line);
	line -= KVMINTRO_NR_CONTROL_LINES;
	if (line < KVMINTRO_NR_SEGMENTS * 4)
		return kvmintro_format_segment_line(buf, size,
				&regs->seg[line / 4],
				kvmintro_segment_names[line / 4], line % 4);
	line -= KVMINTRO_NR_SEGMENTS * 4;
	if (line < KVMINTRO_NR_MSRS)
		return kvmintro_format_msr_line(buf, size, regs, line);
	return 0;
}
