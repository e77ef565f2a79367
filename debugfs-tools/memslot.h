/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_MEMSLOT_H
#define KVMINTRO_MEMSLOT_H

#include <stdio.h>

#include "records.h"
#include "vm.h"

extern const struct kvmintro_record_schema kvmintro_memslot_schema;

int kvmintro_memslot_list_print_table(const struct kvmintro_record_list *list,
				      FILE *out);
int kvmintro_memslot_list_print_json(const struct kvmintro_vm *vm,
				     const struct kvmintro_record_list *list,
				     FILE *out);

#endif /* KVMINTRO_MEMSLOT_H */
