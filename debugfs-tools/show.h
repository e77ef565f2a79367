/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_SHOW_H
#define KVMINTRO_SHOW_H

#include <stdio.h>

#include "records.h"
#include "table.h"
#include "vm.h"

/* How a column shows the value of its key. */
enum kvmintro_show {
	KVMINTRO_SHOW_VALUE,	/* as the module wrote it; strings escaped */
	KVMINTRO_SHOW_SIZE,	/* bytes, or a page size word, as "2 MiB" */
	KVMINTRO_SHOW_PAGES,	/* 4 KiB pages, as a size: "2 MiB" */
	KVMINTRO_SHOW_FLAG,	/* the column's title if not 0, else "-" */
};

/**
 * struct kvmintro_show_column - one column of a command's table
 * @key: the key whose value it shows; a record without it shows "-"
 * @title: its title
 * @show: how
 * @align: which side it is aligned to
 * @otherwise: if not NULL, a record without @key shows "error: " and the
 *	value of this key instead ("reason" of an "err" record)
 */
struct kvmintro_show_column {
	const char *key;
	const char *title;
	enum kvmintro_show show;
	enum kvmintro_align align;
	const char *otherwise;
};

#define KVMINTRO_SHOW_RIGHT(key, title, show) \
	{ key, title, KVMINTRO_SHOW_##show, KVMINTRO_ALIGN_RIGHT, NULL }
#define KVMINTRO_SHOW_LEFT(key, title, show) \
	{ key, title, KVMINTRO_SHOW_##show, KVMINTRO_ALIGN_LEFT, NULL }

/**
 * struct kvmintro_view - a command that shows one file of a VM
 * @file: the file's name in the VM's directory
 * @schema: the keys its records must have
 * @json_key: the name of the array of records in --json
 * @columns: its table
 * @nr_columns: how many columns
 * @empty: what to say, after "VM <dir> (PID <pid>) ", when there is no
 *	record, or NULL
 * @print: if not NULL, prints the table instead of @columns
 * @write_json: if not NULL, adds members after the records in --json
 */
struct kvmintro_view {
	const char *file;
	const struct kvmintro_record_schema *schema;
	const char *json_key;
	const struct kvmintro_show_column *columns;
	size_t nr_columns;
	const char *empty;
	int (*print)(const struct kvmintro_record_list *list);
	void (*write_json)(struct kvmintro_json *json,
			   const struct kvmintro_record_list *list);
};

struct kvmintro;

struct kvmintro_debugfs_explainer;

int kvmintro_show_view(const struct kvmintro *kvmintro,
		       const struct kvmintro_vm *vm,
		       const struct kvmintro_view *view, const char *request,
		       const struct kvmintro_debugfs_explainer *explainer,
		       const void *context);
/* The bits of an x86-64 page-table entry (a guest's, or AMD NPT's). */
#define KVMINTRO_SHOW_X86_BITS						\
	KVMINTRO_SHOW_LEFT("present", "P", FLAG),			\
	KVMINTRO_SHOW_LEFT("writable", "W", FLAG),			\
	KVMINTRO_SHOW_LEFT("user", "U", FLAG),				\
	KVMINTRO_SHOW_LEFT("nx", "NX", FLAG),				\
	KVMINTRO_SHOW_LEFT("large", "L", FLAG)

int kvmintro_show_table(const struct kvmintro_show_column *columns,
			size_t nr_columns,
			const struct kvmintro_record *records, size_t count,
			FILE *out);
int kvmintro_show_json(const struct kvmintro_vm *vm, const char *key,
		       const struct kvmintro_record_list *list,
		       const struct kvmintro_record_schema *schema, FILE *out);

#endif /* KVMINTRO_SHOW_H */
