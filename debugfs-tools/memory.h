/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_MEMORY_H
#define KVMINTRO_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vm.h"

/* The most guest memory one read command shows. */
#define KVMINTRO_READ_MAX (64u << 20)

/**
 * struct kvmintro_memory - guest memory read from a VM's "mem" file
 * @gpa: guest physical address of the first byte
 * @bytes: the bytes read
 * @length: how many were read: fewer than @requested if guest memory
 *	ended (no memslot) before
 * @requested: how many were asked
 */
struct kvmintro_memory {
	uint64_t gpa;
	unsigned char *bytes;
	size_t length;
	size_t requested;
};

int kvmintro_memory_read(const char *root, const struct kvmintro_vm *vm,
			 uint64_t gpa, size_t length,
			 struct kvmintro_memory *memory);
int kvmintro_memory_report_end(const struct kvmintro_vm *vm,
			       const struct kvmintro_memory *memory);
void kvmintro_memory_release(struct kvmintro_memory *memory);
int kvmintro_memory_print_hexdump(const struct kvmintro_memory *memory,
				  FILE *out);
int kvmintro_memory_print_json(const struct kvmintro_vm *vm,
			       const struct kvmintro_memory *memory, FILE *out);
int kvmintro_memory_print_raw(const struct kvmintro_memory *memory,
			      FILE *out);

#endif /* KVMINTRO_MEMORY_H */
