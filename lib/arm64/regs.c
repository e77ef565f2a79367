// SPDX-License-Identifier: GPL-2.0
/*
 * Text of an arm64 vcpu's registers, one record of one field per line, in
 * the order lib/arm64/regs.h lists them: x0..x30, sp, pc, pstate, sp_el1,
 * elr_el1, spsr_el1, then the EL1 system registers.
 */
#include "../record.h"
#include "regs.h"

#define KVMINTRO_ARM64_NAME(index, name)		[index] = name,
#define KVMINTRO_ARM64_CORE_NAME(index, name, field)	[index] = name,
#define KVMINTRO_ARM64_CORE_VALUE(index, name, field)	[index] = regs->field,

static const char *const kvmintro_arm64_gpr_names[KVMINTRO_ARM64_NR_GPRS] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
	"x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19",
	"x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29",
	"x30",
};

static const char *const
kvmintro_arm64_core_names[KVMINTRO_ARM64_NR_CORE_REGS] = {
	KVMINTRO_ARM64_FOR_EACH_CORE_REG(KVMINTRO_ARM64_CORE_NAME)
};

static const char *const
kvmintro_arm64_sys_names[KVMINTRO_ARM64_NR_SYS_REGS] = {
	KVMINTRO_ARM64_FOR_EACH_SYS_REG(KVMINTRO_ARM64_NAME)
};

static int kvmintro_arm64_format_value(char *buf, size_t size,
				       const char *name, u64 value)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_hex(&writer, name, value);
	return kvmintro_record_end(&writer);
}

int kvmintro_format_regs_line(char *buf, size_t size,
			      const struct kvmintro_regs *regs,
			      unsigned int line)
{
	const u64 core[KVMINTRO_ARM64_NR_CORE_REGS] = {
		KVMINTRO_ARM64_FOR_EACH_CORE_REG(KVMINTRO_ARM64_CORE_VALUE)
	};

	if (line < KVMINTRO_ARM64_NR_GPRS)
		return kvmintro_arm64_format_value(buf, size,
				kvmintro_arm64_gpr_names[line], regs->x[line]);
	line -= KVMINTRO_ARM64_NR_GPRS;
	if (line < KVMINTRO_ARM64_NR_CORE_REGS)
		return kvmintro_arm64_format_value(buf, size,
				kvmintro_arm64_core_names[line], core[line]);
	line -= KVMINTRO_ARM64_NR_CORE_REGS;
	if (line < KVMINTRO_ARM64_NR_SYS_REGS)
		return kvmintro_arm64_format_value(buf, size,
				kvmintro_arm64_sys_names[line], regs->sys[line]);
	return 0;
}
