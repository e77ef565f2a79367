// SPDX-License-Identifier: GPL-2.0
/*
 * The names of the flags of registers, and what a segment is.  See
 * regbits.h.
 */
#include "regbits.h"

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

/* Write the names of the flags set in @value, space-separated. */
static void kvmintro_describe_bits(u64 value,
				   const struct kvmintro_bit_name *bits,
				   char *text, size_t size)
{
	size_t used = 0;

	text[0] = '\0';
	for (; bits && bits->name && used < size; bits++) {
		if (value & 1ULL << bits->bit)
			used += (size_t)snprintf(text + used, size - used, "%s%s",
						 used ? " " : "", bits->name);
	}
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

/**
 * kvmintro_describe_segment() - what an x86 segment is
 * @attributes: its attributes, as VMX access rights (the regs file's)
 * @text: where the words go, like "code, readable, accessed" or
 *	"TSS (busy)"
 * @size: room in @text
 */
void kvmintro_describe_segment(u64 attributes, char *text,
				      size_t size)
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

static const struct kvmintro_bit_name kvmintro_arm64_pstate_bits[] = {
	{ 31, "N" }, { 30, "Z" }, { 29, "C" }, { 28, "V" }, { 21, "SS" },
	{ 20, "IL" }, { 9, "D" }, { 8, "A" }, { 7, "I" }, { 6, "F" },
	{ 0, NULL },
};

static const struct kvmintro_bit_name kvmintro_arm64_sctlr_bits[] = {
	{ 0, "M" }, { 1, "A" }, { 2, "C" }, { 3, "SA" }, { 12, "I" },
	{ 19, "WXN" }, { 24, "E0E" }, { 25, "EE" }, { 0, NULL },
};

/* The exception level and stack pointer of an AArch64 PSTATE. */
static const char *kvmintro_arm64_pstate_mode(u64 pstate)
{
	static const char *const modes[16] = {
		[0] = "EL0t", [4] = "EL1t", [5] = "EL1h",
		[8] = "EL2t", [9] = "EL2h",
	};

	if (pstate & 0x10)
		return "AArch32";
	return modes[pstate & 0xf] ?: "reserved";
}

/**
 * kvmintro_describe_register() - the flags set in a register, by name
 * @key: the register, as the regs file names it: rflags, cr0, cr4, efer
 *	(x86), pstate, spsr_el1, sctlr_el1 (arm64); for any other, nothing
 * @value: its value
 * @text: where the names go, space-separated, as the architecture
 *	manuals name them; for pstate and spsr_el1 then the exception level
 *	and stack pointer ("EL1h")
 * @size: room in @text
 */
void kvmintro_describe_register(const char *key, u64 value,
				   char *text, size_t size)
{
	static const struct {
		const char *key;
		const struct kvmintro_bit_name *bits;
	} described[] = {
		{ "rflags", kvmintro_rflags_bits }, { "cr0", kvmintro_cr0_bits },
		{ "cr4", kvmintro_cr4_bits }, { "efer", kvmintro_efer_bits },
		{ "pstate", kvmintro_arm64_pstate_bits },
		{ "spsr_el1", kvmintro_arm64_pstate_bits },
		{ "sctlr_el1", kvmintro_arm64_sctlr_bits },
	};
	size_t i;

	text[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(described); i++)
		if (!strcmp(key, described[i].key))
			kvmintro_describe_bits(value, described[i].bits, text,
					       size);
	if (!strcmp(key, "pstate") || !strcmp(key, "spsr_el1"))
		snprintf(text + strlen(text), size - strlen(text), "%s%s",
			 text[0] ? " " : "", kvmintro_arm64_pstate_mode(value));
}

