/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_GVA_H
#define KVMINTRO_GVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"
#include "json.h"
#include "parse.h"
#include "vm.h"

#define KVMINTRO_PAGE_KIND_MAX 16
#define KVMINTRO_TRANSLATE_REASON_MAX 32
#include "vm.h"

#define KVMINTRO_PAGE_KIND_MAX 16
#define KVMINTRO_TRANSLATE_REASON_MAX 32

/* 5-level paging has the most levels. */
#define KVMINTRO_GVA_LEVELS_MAX 5
#define KVMINTRO_PAGING_MODE_MAX 16

/**
 * struct kvmintro_gva_query - what "kvmintro gva" asks
 * @gva: the guest virtual address
 * @vcpu: whose registers the walk uses
 * @has_vcpu: @vcpu was given (else the module uses vcpu 0)
 * @cr3: the page-table root to use instead of the vcpu's CR3
 * @has_cr3: @cr3 was given
 */
struct kvmintro_gva_query {
	uint64_t gva;
	uint64_t vcpu;
	bool has_vcpu;
	uint64_t cr3;
	bool has_cr3;
};

/**
 * struct kvmintro_gva_level - one page-table entry the walk read
 * @level: 5 (PML5) down to 1 (PT)
 * @table: guest physical address of the table
 * @entry_gpa: guest physical address of the entry
 * @entry: the entry, raw
 * @present, @writable, @user, @nx, @large: its bits, "0" or "1"
 */
struct kvmintro_gva_level {
	uint64_t level;
	uint64_t table;
	uint64_t entry_gpa;
	uint64_t entry;
	char present[2];
	char writable[2];
	char user[2];
	char nx[2];
	char large[2];
};

/**
 * struct kvmintro_gva_host - where the GPA of a walk lies on the host
 * @hva: host virtual address, in the VMM (invalid: no memslot)
 * @hpa: host physical address (invalid: not backed)
 * @host_size: size of the host page, in bytes (if @hpa is valid)
 * @kind: what backs it, like translate's kinds (if @hpa is valid)
 * @reason: why there is no @hpa: "not-backed", "no-memslot"; "" if any
 */
struct kvmintro_gva_host {
	struct kvmintro_maybe_u64 hva;
	struct kvmintro_maybe_u64 hpa;
	uint64_t host_size;
	char kind[KVMINTRO_PAGE_KIND_MAX];
	char reason[KVMINTRO_TRANSLATE_REASON_MAX];
};

/**
 * struct kvmintro_gva_walk - the reply of a VM's "gva" file
 * @gva: the address walked
 * @vcpu: whose registers were used
 * @mode: paging mode: "none", "32-bit", "pae", "4-level", "5-level"
 * @cr3: the root of the walk
 * @levels: the entries read, top level first
 * @nr_levels: how many (0 when paging is off)
 * @mapped: the walk reached a page; else it stopped at a non-present entry
 * @gpa: guest physical address (if @mapped)
 * @page_size: size of the guest page, in bytes (if @mapped)
 * @host: where @gpa lies on the host (if @mapped)
 * @stop_level: the level of the non-present entry (if not @mapped)
 * @stop_reason: why the walk stopped, "not-present" (if not @mapped)
 */
struct kvmintro_gva_walk {
	uint64_t gva;
	uint64_t vcpu;
	char mode[KVMINTRO_PAGING_MODE_MAX];
	uint64_t cr3;
	struct kvmintro_gva_level levels[KVMINTRO_GVA_LEVELS_MAX];
	size_t nr_levels;
	bool mapped;
	uint64_t gpa;
	uint64_t page_size;
	struct kvmintro_gva_host host;
	uint64_t stop_level;
	char stop_reason[KVMINTRO_TRANSLATE_REASON_MAX];
};

int kvmintro_gva_request_text(const struct kvmintro_gva_query *request,
			      char **text);
int kvmintro_gva_parse(const char *text, size_t length,
		       const struct kvmintro_gva_query *request,
		       struct kvmintro_gva_walk *walk,
		       struct kvmintro_parse_error *error);
int kvmintro_gva(const char *root, const struct kvmintro_vm *vm,
		 const struct kvmintro_gva_query *request,
		 struct kvmintro_gva_walk *walk);
int kvmintro_gva_print_table(const struct kvmintro_gva_walk *walk, FILE *out);
int kvmintro_gva_print_json(const struct kvmintro_vm *vm,
			    const struct kvmintro_gva_walk *walk, FILE *out);

#endif /* KVMINTRO_GVA_H */
