/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_MEMSLOT_H
#define KVMINTRO_MEMSLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"
#include "vm.h"

#define KVMINTRO_MEMSLOT_FLAGS_MAX 128

/**
 * struct kvmintro_memslot - one row of a VM's "memslots" file
 * @address_space: KVM address space ("as"; 1 is SMM on x86)
 * @slot: slot id within its address space
 * @gpa: guest physical address of the first page
 * @npages: number of pages
 * @size: size in bytes
 * @hva: host virtual address, in the VMM, of the first page
 * @flags: "-", or a comma-separated list such as "readonly,dirty_log"
 */
struct kvmintro_memslot {
	uint64_t address_space;
	uint64_t slot;
	uint64_t gpa;
	uint64_t npages;
	uint64_t size;
	uint64_t hva;
	char flags[KVMINTRO_MEMSLOT_FLAGS_MAX];
};

struct kvmintro_memslot_list {
	struct kvmintro_memslot *memslots;
	size_t count;
};

int kvmintro_memslot_list_parse(const char *text, size_t length,
				struct kvmintro_memslot_list *list,
				struct kvmintro_parse_error *error);
int kvmintro_memslot_list_load(const char *root, const char *dir,
			       struct kvmintro_memslot_list *list);
void kvmintro_memslot_list_release(struct kvmintro_memslot_list *list);
bool kvmintro_memslot_next_flag(struct kvmintro_span *flags,
				struct kvmintro_span *flag);
int kvmintro_memslot_list_print_table(const struct kvmintro_memslot_list *list,
				      FILE *out);
int kvmintro_memslot_list_print_json(const struct kvmintro_vm *vm,
				     const struct kvmintro_memslot_list *list,
				     FILE *out);

#endif /* KVMINTRO_MEMSLOT_H */
