/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_VM_H
#define KVMINTRO_VM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "parse.h"
#include "records.h"

#define KVMINTRO_VM_DIR_MAX 64
#define KVMINTRO_VM_LINE_MAX 512

/**
 * struct kvmintro_vm - one line of the "vms" file
 * @pid: process that created the VM
 * @dir: the VM's directory under kvmintro's debugfs root
 * @line: its record as the module wrote it, for --json: every field
 *	(vcpus=, slots=, mem= and any other)
 */
struct kvmintro_vm {
	uint64_t pid;
	char dir[KVMINTRO_VM_DIR_MAX];
	char line[KVMINTRO_VM_LINE_MAX];
};

/**
 * struct kvmintro_vm_list - the "vms" file
 * @vms: its VMs
 * @count: how many
 * @records: its records, every field
 */
struct kvmintro_vm_list {
	struct kvmintro_vm *vms;
	size_t count;
	struct kvmintro_record_list records;
};

int kvmintro_vm_list_parse(const char *text, size_t length,
			   struct kvmintro_vm_list *list,
			   struct kvmintro_parse_error *error);
int kvmintro_vm_list_load(const char *root, struct kvmintro_vm_list *list);
void kvmintro_vm_list_release(struct kvmintro_vm_list *list);
int kvmintro_vm_list_find(const struct kvmintro_vm_list *list,
			  const char *name, const struct kvmintro_vm **vm);
int kvmintro_vm_lookup(const char *root, const char *name,
		       struct kvmintro_vm *vm);
int kvmintro_vm_list_print_table(const struct kvmintro_vm_list *list,
				 FILE *out);
void kvmintro_vm_write_json(struct kvmintro_json *json, const char *key,
			    const struct kvmintro_vm *vm);
int kvmintro_vm_list_print_json(const struct kvmintro_vm_list *list,
				FILE *out);

void kvmintro_vm_json_begin(struct kvmintro_json *json, FILE *out,
			    const struct kvmintro_vm *vm);
int kvmintro_vm_json_end(struct kvmintro_json *json);

#endif /* KVMINTRO_VM_H */
