/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_GPA_HPA_H
#define KVMINTRO_GPA_HPA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"
#include "translate.h"
#include "vm.h"

/* Totals are kept for this many kinds: the five known, and a few more. */
#define KVMINTRO_GPA_HPA_KINDS_MAX 16

/**
 * struct kvmintro_gpa_hpa_run - one line of a VM's "gpa_hpa" file: guest
 * pages backed alike
 * @gpa: guest physical address of the first page
 * @npages: number of 4 KiB guest pages
 * @hva: host virtual address of the first, in the VMM
 * @hpa: host physical address of the first; none if not backed
 * @pfn: its host frame; none if not backed
 * @host_size: size of the host pages, in bytes; none if not backed
 * @kind: "base", "thp", "hugetlb", "zero" or "none"
 */
struct kvmintro_gpa_hpa_run {
	uint64_t gpa;
	uint64_t npages;
	uint64_t hva;
	struct kvmintro_maybe_u64 hpa;
	struct kvmintro_maybe_u64 pfn;
	struct kvmintro_maybe_u64 host_size;
	char kind[KVMINTRO_PAGE_KIND_MAX];
};

/**
 * struct kvmintro_gpa_hpa_total - the guest memory one kind backs
 * @kind: the kind
 * @runs: lines of that kind
 * @bytes: their guest bytes
 */
struct kvmintro_gpa_hpa_total {
	const char *kind;
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

/*
 * The runs of a file are a struct kvmintro_array of struct
 * kvmintro_gpa_hpa_run, which the caller releases with
 * kvmintro_array_release().
 */
int kvmintro_gpa_hpa_parse(const char *text, size_t length,
			   struct kvmintro_array *runs,
			   struct kvmintro_parse_error *error);
int kvmintro_gpa_hpa_load(const char *root, const char *dir,
			  struct kvmintro_array *runs);
void kvmintro_gpa_hpa_sum(const struct kvmintro_array *runs,
			  struct kvmintro_gpa_hpa_totals *totals);
int kvmintro_gpa_hpa_print_table(const struct kvmintro_array *runs,
				 FILE *out);
int kvmintro_gpa_hpa_print_json(const struct kvmintro_vm *vm,
				const struct kvmintro_array *runs, FILE *out);

#endif /* KVMINTRO_GPA_HPA_H */
