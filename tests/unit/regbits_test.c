// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/regbits.c: the names of the flags set in registers of
 * both architectures, as their manuals name them, and what x86 segments
 * are, from the values a vcpu of each holds (Documentation/cli.rst's).
 */
#include <stdio.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/regbits.h"

static void check(const char *name, const char *got, const char *expected)
{
	if (!ksft_test_result(!strcmp(got, expected), "%s", name))
		ksft_print_msg("  got '%s', expected '%s'\n", got, expected);
}

static const char *reg(const char *key, u64 value)
{
	static char text[256];

	kvmintro_describe_register(key, value, text, sizeof(text));
	return text;
}

static const char *segment(u64 attributes)
{
	static char text[64];

	kvmintro_describe_segment(attributes, text, sizeof(text));
	return text;
}

int main(void)
{
	check("rflags", reg("rflags", 0x246), "PF ZF IF");
	check("cr0", reg("cr0", 0x80050033), "PE MP ET NE WP AM PG");
	check("cr4", reg("cr4", 0x20), "PAE");
	check("efer", reg("efer", 0xd00), "LME LMA NXE");
	check("a register without named flags", reg("rax", ~0ull), "");
	check("pstate: flags, then EL and SP", reg("pstate", 0x600003c5),
	      "Z C D A I F EL1h");
	check("spsr_el1: EL0t alone", reg("spsr_el1", 0), "EL0t");
	check("pstate of AArch32", reg("pstate", 0x10), "AArch32");
	check("sctlr_el1", reg("sctlr_el1", 0xc5107d), "M C SA I");
	check("code segment", segment(0xa09b), "code, readable, accessed");
	check("data segment", segment(0xc093), "data, writable, accessed");
	check("unusable segment", segment(0x10000), "unusable");
	check("busy TSS", segment(0x8b), "TSS (busy)");
	check("LDT", segment(0x82), "LDT");
	check("reserved system type", segment(0x80), "reserved");
	ksft_finished();
}
