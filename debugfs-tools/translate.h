/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_TRANSLATE_H
#define KVMINTRO_TRANSLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/parse.h"
#include "json.h"
#include "parse.h"
#include "vm.h"

#define KVMINTRO_PAGE_KIND_MAX 16
#define KVMINTRO_TRANSLATE_REASON_MAX 32

/**
 * struct kvmintro_translation - one reply line of a VM's "translate" file
 * @gpa: the guest physical address asked
 * @ok: whether it translated; if not, only @reason is set
 * @hpa: host physical address
 * @hva: host virtual address, in the VMM
 * @pfn: host frame of the page
 * @size: size of the host page, in bytes
 * @kind: what backs the page: "base", "thp", "hugetlb", "zero"
 * @reason: why it did not translate: "no-memslot", "not-backed"
 */
struct kvmintro_translation {
	uint64_t gpa;
	bool ok;
	uint64_t hpa;
	uint64_t hva;
	uint64_t pfn;
	uint64_t size;
	char kind[KVMINTRO_PAGE_KIND_MAX];
	char reason[KVMINTRO_TRANSLATE_REASON_MAX];
};

struct kvmintro_translation_list {
	struct kvmintro_translation *translations;
	size_t count;
};

int kvmintro_translate_request(const uint64_t *gpas, size_t count,
			       char **text);
int kvmintro_translate_parse(const char *text, size_t length,
			     const uint64_t *gpas, size_t count,
			     struct kvmintro_translation_list *list,
			     struct kvmintro_parse_error *error);
int kvmintro_translate(const char *root, const struct kvmintro_vm *vm,
		       const uint64_t *gpas, size_t count,
		       struct kvmintro_translation_list *list);
void kvmintro_translation_list_release(struct kvmintro_translation_list *list);
int kvmintro_translation_list_print_table(const struct kvmintro_translation_list *list,
					  FILE *out);
void kvmintro_json_kind_or_error(struct kvmintro_json *json, bool ok,
				 const char *kind, const char *reason);
int kvmintro_translation_list_print_json(const struct kvmintro_vm *vm,
					 const struct kvmintro_translation_list *list,
					 FILE *out);

#endif /* KVMINTRO_TRANSLATE_H */
