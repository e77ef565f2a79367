// SPDX-License-Identifier: GPL-2.0
/*
 * The module writes its debugfs lines with lib/format.c and lib/regs.c;
 * the CLI reads them with debugfs-tools/records.c. Format lines with the
 * module's code, parse them with the CLI's, and check that every value
 * comes back unchanged: hand-picked edge cases, then many pseudo-random
 * ones.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/format.h"
#include "../../lib/regs.h"
#include "cli_tap.h"
#include "kvmintro.h"

#define ROUNDTRIP_RANDOM_ROUNDS 20000

/* Every key the module writes is read back: none is required. */
static const struct kvmintro_record_schema any_schema;

static uint64_t roundtrip_random_state = 0x9e3779b97f4a7c15ull;

/* xorshift64: the same sequence every run, so failures reproduce. */
static uint64_t roundtrip_random(void)
{
	uint64_t x = roundtrip_random_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	roundtrip_random_state = x;
	return x;
}

/*
 * Format @slot with the module's code and parse it back; return whether
 * every field survived. Say what differed if @verbose.
 */
static bool roundtrip_memslot(const struct kvmintro_memslot_info *slot,
			      bool verbose)
{
	struct kvmintro_parse_error error;
	struct kvmintro_record_list list;
	const struct kvmintro_record *parsed;
	char text[256], flags[KVMINTRO_MEMSLOT_FLAGS_MAX];
	int flags_length;
	bool same;

	flags_length = kvmintro_format_memslot_flags(flags, sizeof(flags), slot);
	if (kvmintro_format_memslot(text, sizeof(text), slot) < 0 ||
	    flags_length < 0)
		return false;
	if (kvmintro_record_schema_parse(&any_schema, text,
					 strlen(text), &list, &error)) {
		if (verbose)
			printf("#   %s#   %s\n", text, error.message);
		return false;
	}
	parsed = &list.records[0];
	same = list.count == 1 &&
	       kvmintro_record_number(parsed, "as") == slot->as_id &&
	       kvmintro_record_number(parsed, "slot") == slot->id &&
	       kvmintro_record_number(parsed, "gpa") == slot->base_gfn << 12 &&
	       kvmintro_record_number(parsed, "npages") == slot->npages &&
	       kvmintro_record_number(parsed, "size") == slot->npages << 12 &&
	       kvmintro_record_number(parsed, "hva") == slot->hva &&
	       kvmintro_span_equals(kvmintro_record_text(parsed, "flags"),
				    flags_length ? flags : "-");
	if (!same && verbose)
		printf("#   %s", text);
	kvmintro_record_list_release(&list);
	return same;
}

static bool roundtrip_vm(const struct kvmintro_vm_info *vm, bool verbose)
{
	struct kvmintro_parse_error error;
	struct kvmintro_vm_list list;
	char text[256];
	bool same;

	if (kvmintro_format_vm(text, sizeof(text), vm) < 0)
		return false;
	if (kvmintro_vm_list_parse(text, strlen(text), &list, &error)) {
		if (verbose)
			printf("#   %s#   %s\n", text, error.message);
		return false;
	}
	same = list.count == 1 && list.vms[0].pid == (uint64_t)vm->pid &&
	       !strcmp(list.vms[0].dir, vm->dir) &&
	       kvmintro_record_number(list.records.records, "vcpus") ==
	       vm->vcpus &&
	       kvmintro_record_number(list.records.records, "slots") ==
	       vm->slots &&
	       kvmintro_record_number(list.records.records, "mem") ==
	       vm->mem_bytes;
	if (!same && verbose)
		printf("#   %s", text);
	kvmintro_vm_list_release(&list);
	return same;
}

static void test_memslot_edges(void)
{
	static const struct kvmintro_memslot_info slots[] = {
		{ .npages = 0xa0, .hva = 0x7f5c2c000000ull },
		{ .as_id = 1, .id = 0xffff, .base_gfn = 0x100000,
		  .npages = 0x400, .hva = 0x7f5c00000000ull,
		  .flags = KVMINTRO_MEMSLOT_READONLY },
		{ .id = 509, .internal = true, .base_gfn = 0xfee00,
		  .npages = 1, .hva = 0x7fff00000000ull },
		{ .flags = KVMINTRO_MEMSLOT_READONLY |
			   KVMINTRO_MEMSLOT_LOG_DIRTY_PAGES |
			   KVMINTRO_MEMSLOT_GUEST_MEMFD | 0x80000008u,
		  .internal = true, .guest_memfd_only = true },
		{ .base_gfn = 0xfffffffffffffull, .npages = 0xfffffffffffffull,
		  .hva = UINT64_MAX },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(slots); i++)
		CLI_EXPECT(roundtrip_memslot(&slots[i], true),
			   "roundtrip: memslot edge case %zu", i);
}

static void test_vm_edges(void)
{
	static const struct kvmintro_vm_info vms[] = {
		{ .pid = 1234, .dir = "1234", .vcpus = 2, .slots = 3,
		  .mem_bytes = 268435456 },
		{ .pid = 1234, .dir = "1234-1" },
		{ .pid = INT_MAX, .dir = "2147483647-4294967295",
		  .vcpus = UINT_MAX, .slots = UINT_MAX, .mem_bytes = UINT64_MAX },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vms); i++)
		CLI_EXPECT(roundtrip_vm(&vms[i], true),
			   "roundtrip: vm edge case %zu", i);
}

static void test_memslot_random(void)
{
	struct kvmintro_memslot_info slot;
	unsigned int round, failures = 0;

	for (round = 0; round < ROUNDTRIP_RANDOM_ROUNDS; round++) {
		slot.as_id = roundtrip_random() & 1;
		slot.id = (u16)roundtrip_random();
		slot.internal = roundtrip_random() & 1;
		slot.guest_memfd_only = roundtrip_random() & 1;
		slot.flags = (u32)(roundtrip_random() >> (roundtrip_random() & 31));
		/* Guest frame numbers fit in 52 bits, so gpa does not overflow. */
		slot.base_gfn = roundtrip_random() >> 12;
		slot.npages = roundtrip_random() >> 12;
		slot.hva = roundtrip_random() >> (roundtrip_random() & 63);
		if (!roundtrip_memslot(&slot, !failures))
			failures++;
	}
	CLI_EXPECT(!failures, "roundtrip: %d random memslots, %u differ",
		   ROUNDTRIP_RANDOM_ROUNDS, failures);
}

static void test_vm_random(void)
{
	struct kvmintro_vm_info vm;
	unsigned int round, failures = 0;
	char dir[32];

	for (round = 0; round < ROUNDTRIP_RANDOM_ROUNDS; round++) {
		vm.pid = (int)(roundtrip_random() & INT_MAX);
		if (roundtrip_random() & 1)
			snprintf(dir, sizeof(dir), "%d", vm.pid);
		else
			snprintf(dir, sizeof(dir), "%d-%u", vm.pid,
				 (unsigned int)roundtrip_random());
		vm.dir = dir;
		vm.vcpus = (unsigned int)roundtrip_random();
		vm.slots = (unsigned int)roundtrip_random();
		vm.mem_bytes = roundtrip_random() >> (roundtrip_random() & 63);
		if (!roundtrip_vm(&vm, !failures))
			failures++;
	}
	CLI_EXPECT(!failures, "roundtrip: %d random vms lines, %u differ",
		   ROUNDTRIP_RANDOM_ROUNDS, failures);
}

/* Write what the module's regs file holds for @regs into @text. */
static void roundtrip_format_regs(const struct kvmintro_regs *regs,
				  unsigned int vcpu, char *text, size_t size)
{
	unsigned int line;
	size_t used;
	int length;

	used = (size_t)snprintf(text, size,
				"vcpu=%u\nsource=capture\ngeneration=%u\n",
				vcpu, vcpu + 1);
	for (line = 0;; line++) {
		length = kvmintro_format_regs_line(text + used, size - used,
						   regs, line);
		if (length <= 0)
			break;
		used += (size_t)length;
	}
}

/* Whether @record's @key is @value, as the CLI reads it. */
static bool roundtrip_is(const struct kvmintro_record *record, const char *key,
			 u64 value)
{
	struct kvmintro_maybe_u64 read = kvmintro_record_maybe(record, key);

	return read.valid && read.value == value;
}

static bool roundtrip_same_regs(const struct kvmintro_regs *module,
				const struct kvmintro_record *cli)
{
	static const char *const gprs[] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	static const char *const segments[] = {
		"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt",
	};
	static const char *const msrs[] = {
		"star", "lstar", "cstar", "sfmask", "sysenter_cs",
		"sysenter_esp", "sysenter_eip", "kernel_gs_base", "pat", "tsc",
	};
	bool same = roundtrip_is(cli, "rip", module->rip) &&
		    roundtrip_is(cli, "rflags", module->rflags) &&
		    roundtrip_is(cli, "cr0", module->cr0) &&
		    roundtrip_is(cli, "cr2", module->cr2) &&
		    roundtrip_is(cli, "cr3", module->cr3) &&
		    roundtrip_is(cli, "cr4", module->cr4) &&
		    roundtrip_is(cli, "cr8", module->cr8) &&
		    roundtrip_is(cli, "efer", module->efer) &&
		    roundtrip_is(cli, "apic_base", module->apic_base) &&
		    roundtrip_is(cli, "fs_base", module->seg[KVMINTRO_SEG_FS].base) &&
		    roundtrip_is(cli, "gs_base", module->seg[KVMINTRO_SEG_GS].base) &&
		    roundtrip_is(cli, "gdt.base", module->gdt_base) &&
		    roundtrip_is(cli, "gdt.limit", module->gdt_limit) &&
		    roundtrip_is(cli, "idt.base", module->idt_base) &&
		    roundtrip_is(cli, "idt.limit", module->idt_limit);
	char key[32];
	unsigned int i;

	for (i = 0; i < KVMINTRO_NR_GPRS; i++)
		same = same && roundtrip_is(cli, gprs[i], module->gpr[i]);
	for (i = 0; i < KVMINTRO_NR_SEGMENTS; i++) {
		snprintf(key, sizeof(key), "%s.selector", segments[i]);
		same = same && roundtrip_is(cli, key, module->seg[i].selector);
		snprintf(key, sizeof(key), "%s.base", segments[i]);
		same = same && roundtrip_is(cli, key, module->seg[i].base);
		snprintf(key, sizeof(key), "%s.limit", segments[i]);
		same = same && roundtrip_is(cli, key, module->seg[i].limit);
		snprintf(key, sizeof(key), "%s.attributes", segments[i]);
		same = same && roundtrip_is(cli, key, module->seg[i].attributes);
	}
	for (i = 0; i < KVMINTRO_NR_MSRS; i++) {
		if (module->msr_valid & 1u << i)
			same = same && roundtrip_is(cli, msrs[i], module->msr[i]);
		else
			same = same && kvmintro_span_equals(
				kvmintro_record_text(cli, msrs[i]), "unavailable");
	}
	return same;
}

/* Format @regs with the module's code, read them back, compare. */
static bool roundtrip_regs(const struct kvmintro_regs *regs, unsigned int vcpu,
			   bool verbose)
{
	static const struct kvmintro_record_schema one_record = {
		.one_record = true,
	};
	struct kvmintro_parse_error error;
	struct kvmintro_record_list parsed;
	char text[4096];
	bool same;

	roundtrip_format_regs(regs, vcpu, text, sizeof(text));
	if (kvmintro_record_schema_parse(&one_record, text, strlen(text),
					 &parsed, &error)) {
		if (verbose)
			printf("#   line %zu: %s\n", error.line, error.message);
		return false;
	}
	same = roundtrip_is(parsed.records, "vcpu", vcpu) &&
	       roundtrip_is(parsed.records, "generation", vcpu + 1) &&
	       roundtrip_same_regs(regs, parsed.records);
	kvmintro_record_list_release(&parsed);
	return same;
}

static void test_regs_edges(void)
{
	struct kvmintro_regs regs;
	unsigned int i;

	memset(&regs, 0, sizeof(regs));
	CLI_EXPECT(roundtrip_regs(&regs, 0, true),
		   "roundtrip: regs all zero, every MSR unavailable");
	memset(&regs, 0xff, sizeof(regs));
	for (i = 0; i < KVMINTRO_NR_SEGMENTS; i++)
		regs.seg[i].attributes =
			kvmintro_segment_attributes(0xf, 1, 3, 1, 1, 1, 1, 1, 1);
	regs.msr_valid = (1u << KVMINTRO_NR_MSRS) - 1;
	CLI_EXPECT(roundtrip_regs(&regs, UINT_MAX - 1, true),
		   "roundtrip: regs all ones, every MSR there");
}

static void test_regs_random(void)
{
	unsigned int round, failures = 0;
	struct kvmintro_regs regs;
	u64 *word;

	for (round = 0; round < ROUNDTRIP_RANDOM_ROUNDS; round++) {
		/* Random bits everywhere, then what the types allow. */
		for (word = (u64 *)&regs;
		     word < (u64 *)((char *)&regs + sizeof(regs)); word++)
			*word = roundtrip_random() >> (roundtrip_random() & 63);
		regs.msr_valid &= (1u << KVMINTRO_NR_MSRS) - 1;
		if (!roundtrip_regs(&regs, round, !failures))
			failures++;
	}
	CLI_EXPECT(!failures, "roundtrip: %d random register sets, %u differ",
		   ROUNDTRIP_RANDOM_ROUNDS, failures);
}

int main(void)
{
	test_memslot_edges();
	test_vm_edges();
	test_memslot_random();
	test_vm_random();
	test_regs_edges();
	test_regs_random();
	return cli_tap_finish();
}
