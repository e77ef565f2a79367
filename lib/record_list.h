/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The records of a whole debugfs file, read with lib/record.c's reader,
 * one per line: the one list reader of the CLI and of the end-to-end tests.
 * User space only (it allocates with malloc()); the module only writes
 * records.
 */
#ifndef KVMINTRO_LIB_RECORD_LIST_H
#define KVMINTRO_LIB_RECORD_LIST_H

#include "record.h"

/* The most fields a record read here may have. */
#define KVMINTRO_RECORD_FIELDS_MAX	128

/**
 * struct kvmintro_record_list - the records of one file
 * @text:	a NUL-terminated copy of the file, which the records point into
 * @records:	the records in the order of their lines, comments left out;
 *		each owns its fields
 * @count:	how many
 * @comments:	how many comment lines were left out
 */
struct kvmintro_record_list {
	char *text;
	struct kvmintro_record *records;
	size_t count;
	size_t comments;
};

int kvmintro_record_list_parse(const char *text, size_t length,
			       struct kvmintro_record_list *list, size_t *line);
void kvmintro_record_list_release(struct kvmintro_record_list *list);
const char *kvmintro_record_start(const struct kvmintro_record *record);
size_t kvmintro_record_line_number(const struct kvmintro_record_list *list,
				   const char *where);
bool kvmintro_record_is(const struct kvmintro_record *record, const char *kind);

#endif /* KVMINTRO_LIB_RECORD_LIST_H */
