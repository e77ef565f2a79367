/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_TABLE_H
#define KVMINTRO_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

/* Longest text kvmintro_format_size() writes, NUL included ("1023.9 KiB"). */
#define KVMINTRO_SIZE_TEXT_MAX 16
/* Room for kvmintro_format_time() and kvmintro_format_latency(). */
#define KVMINTRO_TIME_TEXT_MAX 64

enum kvmintro_align {
	KVMINTRO_ALIGN_LEFT,
	KVMINTRO_ALIGN_RIGHT,
};

struct kvmintro_column {
	const char *title;
	enum kvmintro_align align;
};

/**
 * struct kvmintro_table - a text table, printed with aligned columns
 * @columns: title and alignment of each column
 * @nr_columns: number of @columns
 * @cells: the cells (char *), row after row
 * @error: first error met, 0 if none; kvmintro_table_print() returns it
 */
struct kvmintro_table {
	const struct kvmintro_column *columns;
	size_t nr_columns;
	struct kvmintro_array cells;
	int error;
};

void kvmintro_table_init(struct kvmintro_table *table,
			 const struct kvmintro_column *columns,
			 size_t nr_columns);
void kvmintro_table_add(struct kvmintro_table *table, const char *format, ...)
	__printf(2, 3);
void kvmintro_table_add_size(struct kvmintro_table *table, uint64_t bytes);
int kvmintro_table_print(struct kvmintro_table *table, FILE *out);
void kvmintro_table_release(struct kvmintro_table *table);
int kvmintro_table_finish(struct kvmintro_table *table, FILE *out);

void kvmintro_format_size(uint64_t bytes, char *text, size_t size);
void kvmintro_format_time(const struct kvmintro_time *time, char *text,
			  size_t size);
void kvmintro_format_latency(uint64_t nanoseconds, char *text, size_t size);

#endif /* KVMINTRO_TABLE_H */
