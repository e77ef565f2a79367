/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_STAGE2_H
#define KVMINTRO_STAGE2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"
#include "util.h"
#include "vm.h"

#define KVMINTRO_STAGE2_LEVELS_MAX 5
#define KVMINTRO_STAGE2_WORD_MAX 32

/**
 * struct kvmintro_stage2_root - which table the module read
 * @ok: there is one; if not, @why says why (no-root, shadow-paging, ...)
 * @vcpu: the vcpu whose root it is
 * @mmu: "npt" or "ept"
 * @root: host physical address of the root table
 * @levels: levels of the table
 * @smm: the root maps the SMM address space
 * @why: why there is no TDP MMU root
 */
struct kvmintro_stage2_root {
	bool ok;
	uint64_t vcpu;
	char mmu[8];
	uint64_t root;
	uint64_t levels;
	uint64_t smm;
	char why[KVMINTRO_STAGE2_WORD_MAX];
};

/**
 * struct kvmintro_stage2_level - one entry of a walk
 * @level: 5..1
 * @table: host physical address of its table
 * @index: its index there
 * @entry: the raw entry
 * @present, @writable, @large: decoded by the module
 */
struct kvmintro_stage2_level {
	uint64_t level;
	uint64_t table;
	uint64_t index;
	uint64_t entry;
	uint64_t present;
	uint64_t writable;
	uint64_t large;
};

/**
 * struct kvmintro_stage2_leaf - where a walk ended on a page
 * @gpa, @pfn, @hpa: the address, its host frame and host address
 * @level: level of the leaf
 * @size: bytes the leaf maps
 * @perm: "rwx", '-' for what is denied
 * @memtype: EPT memory type, "" for NPT
 * @host_size: size of the VMM's page behind it, none if not backed
 * @kind: what backs it in the VMM (base, thp, hugetlb, zero, none,
 *	no-memslot)
 */
struct kvmintro_stage2_leaf {
	uint64_t gpa;
	uint64_t pfn;
	uint64_t hpa;
	uint64_t level;
	uint64_t size;
	char perm[8];
	char memtype[16];
	struct kvmintro_maybe_u64 host_size;
	char kind[KVMINTRO_STAGE2_WORD_MAX];
};

/**
 * struct kvmintro_stage2_reply - the module's reply for one GPA
 * @gpa: the GPA
 * @root: the table walked
 * @levels: the entries read, from the root down
 * @nr_levels: how many
 * @present: the walk reached @leaf; else it stopped, see @reason
 * @leaf: the leaf
 * @stop_level: where a not-present walk stopped (0: not at a level)
 * @reason: why it stopped: not-present, no-tdp-mmu, beyond-table...
 */
struct kvmintro_stage2_reply {
	uint64_t gpa;
	struct kvmintro_stage2_root root;
	struct kvmintro_stage2_level levels[KVMINTRO_STAGE2_LEVELS_MAX];
	size_t nr_levels;
	bool present;
	struct kvmintro_stage2_leaf leaf;
	uint64_t stop_level;
	char reason[KVMINTRO_STAGE2_WORD_MAX];
};

/**
 * struct kvmintro_stage2_row - one line of the summary: leaves alike
 * @gpa: first GPA
 * @npages: 4 KiB pages covered
 * @size: bytes each leaf maps
 * @leaves: how many leaves
 * @perm: their permissions
 * @memtype: EPT memory type, "-" for NPT
 */
struct kvmintro_stage2_row {
	uint64_t gpa;
	uint64_t npages;
	uint64_t size;
	uint64_t leaves;
	char perm[8];
	char memtype[16];
};

/**
 * struct kvmintro_stage2_summary - the stage2 file read without a GPA
 * @root: the table
 * @runs: struct kvmintro_stage2_row, in GPA order
 * @notes: '#' lines after the first (the root changed, the walk stopped)
 */
struct kvmintro_stage2_summary {
	struct kvmintro_stage2_root root;
	struct kvmintro_array runs;
	size_t notes;
};

int kvmintro_stage2_walk_parse(const char *text, size_t length, uint64_t gpa,
			       struct kvmintro_stage2_reply *walk,
			       struct kvmintro_parse_error *error);
int kvmintro_stage2_summary_parse(const char *text, size_t length,
				  struct kvmintro_stage2_summary *summary,
				  struct kvmintro_parse_error *error);
int kvmintro_stage2_walk_load(const char *root, const struct kvmintro_vm *vm,
			      uint64_t gpa, struct kvmintro_stage2_reply *walk);
int kvmintro_stage2_summary_load(const char *root,
				 const struct kvmintro_vm *vm,
				 struct kvmintro_stage2_summary *summary);
void kvmintro_stage2_summary_release(struct kvmintro_stage2_summary *summary);
int kvmintro_stage2_walk_print_table(const struct kvmintro_stage2_reply *walk,
				     FILE *out);
int kvmintro_stage2_walk_print_json(const struct kvmintro_vm *vm,
				    const struct kvmintro_stage2_reply *walk,
				    FILE *out);
int kvmintro_stage2_summary_print_table(const struct kvmintro_stage2_summary *summary,
					FILE *out);
int kvmintro_stage2_summary_print_json(const struct kvmintro_vm *vm,
				       const struct kvmintro_stage2_summary *summary,
				       FILE *out);

#endif /* KVMINTRO_STAGE2_H */
