/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_GPA_HPA_H
#define KVMINTRO_GPA_HPA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "records.h"
#include "translate.h"
#include "vm.h"

/* Totals are kept for this many kinds: the five known, and a few more. */
#define KVMINTRO_GPA_HPA_KINDS_MAX 16

/**
 * struct kvmintro_gpa_hpa_total - the guest memory one kind backs
 * @kind: the kind, not NUL-terminated
 * @kind_length: its length
 * @runs: records of that kind
 * @bytes: their guest bytes
 */
struct kvmintro_gpa_hpa_total {
	const char *kind;
	size_t kind_length;
	uint64_t runs;
	uint64_t bytes;
};

/**
 * struct kvmintro_gpa_hpa_totals - guest memory by kind
 * @kinds: the known kinds first, in a fixed order, then others as met;
 *	the last entry holds all that did not fit
 * @count: entries in use
 * @all: every kind together
 */
struct kvmintro_gpa_hpa_totals {
	struct kvmintro_gpa_hpa_total kinds[KVMINTRO_GPA_HPA_KINDS_MAX];
	size_t count;
	struct kvmintro_gpa_hpa_total all;
};

extern const struct kvmintro_record_schema kvmintro_gpa_hpa_schema;

void kvmintro_gpa_hpa_sum(const struct kvmintro_record_list *runs,
			  struct kvmintro_gpa_hpa_totals *totals);
int kvmintro_gpa_hpa_print_table(const struct kvmintro_record_list *runs,
				 FILE *out);
int kvmintro_gpa_hpa_print_json(const struct kvmintro_vm *vm,
				const struct kvmintro_record_list *runs,
				FILE *out);

#endif /* KVMINTRO_GPA_HPA_H */
