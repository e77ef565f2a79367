/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_RECORDS_H
#define KVMINTRO_RECORDS_H

#include <stddef.h>

#include "../lib/record.h"
#include "json.h"
#include "parse.h"

/* Ends the message of a reply that is not to the request just written. */
#define KVMINTRO_RECORD_AGAIN \
	": did another request to this VM come in between? Try again"

/* The most fields a record of any file may have. */
#define KVMINTRO_RECORD_FIELDS_MAX 128

/* A mask of the value types a key may have. */
#define KVMINTRO_RECORD_TYPES(type) (1u << KVMINTRO_RECORD_##type)

/**
 * struct kvmintro_record_key - a key the CLI needs in every record of a file
 * @name: the key
 * @types: the types its value may have, KVMINTRO_RECORD_TYPES() or'ed
 */
struct kvmintro_record_key {
	const char *name;
	unsigned int types;
};

struct kvmintro_record_list;
struct kvmintro_debugfs_explainer;

/**
 * struct kvmintro_record_schema - what the CLI needs of one file's records
 * @keys: the keys every record must have; others are kept, unread
 * @nr_keys: how many
 * @lists: the keys whose word is a comma-separated list, NULL-terminated,
 *	or NULL: --json prints them as arrays of strings, "-" as []
 * @page_sizes: the keys whose word is a page size ("4K", "2M", "1G"),
 *	NULL-terminated, or NULL: checked, and bytes in --json
 * @one_record: the file is one record, spread over its lines (one field a
 *	line): its records are joined into one, which must have @keys
 * @check: if not NULL, called on each record that has every key, to
 *	refuse values that do not go together; 0 or kvmintro_parse_fail()
 * @check_list: if not NULL, called on the whole list once every record is
 *	read, with the context of kvmintro_record_list_request(): a reply to
 *	someone else's request is -EAGAIN; 0 or kvmintro_parse_fail()
 * @write_json: if not NULL, called after a record's fields are written as
 *	a JSON object, to add what the CLI derives from them
 * @select: if not NULL, with @one_record: called on the joined record, to
 *	return the schema it must meet instead of this one (its keys say
 *	which: an arm64 regs file has x0=, x86's rax=), or NULL for this one
 */
struct kvmintro_record_schema {
	const struct kvmintro_record_key *keys;
	size_t nr_keys;
	const char *const *lists;
	const char *const *page_sizes;
	bool one_record;
	int (*check)(const struct kvmintro_record *record,
		     struct kvmintro_parse_error *error);
	int (*check_list)(const struct kvmintro_record_list *list,
			  const void *context,
			  struct kvmintro_parse_error *error);
	void (*write_json)(struct kvmintro_json *json,
			   const struct kvmintro_record *record);
	const struct kvmintro_record_schema *(*select)(
		const struct kvmintro_record *record);
};

/**
 * struct kvmintro_record_list - the records of one debugfs file
 * @text: a copy of the file, which the records point into
 * @records: the records, comments left out; each owns its fields
 * @count: how many
 */
struct kvmintro_record_list {
	char *text;
	struct kvmintro_record *records;
	size_t count;
};

int kvmintro_record_list_parse(const struct kvmintro_record_schema *schema,
			       const char *text, size_t length,
			       struct kvmintro_record_list *list,
			       struct kvmintro_parse_error *error);
int kvmintro_record_list_request(const char *root, const char *dir,
				 const char *name, const char *request,
				 const struct kvmintro_debugfs_explainer *explainer,
				 const struct kvmintro_record_schema *schema,
				 const void *context,
				 struct kvmintro_record_list *list);
void kvmintro_record_list_release(struct kvmintro_record_list *list);

uint64_t kvmintro_record_number(const struct kvmintro_record *record,
				const char *key);
struct kvmintro_maybe_u64 kvmintro_record_maybe(const struct kvmintro_record *record,
					       const char *key);
struct kvmintro_span kvmintro_record_text(const struct kvmintro_record *record,
					  const char *key);
bool kvmintro_record_is(const struct kvmintro_record *record, const char *kind);
bool kvmintro_record_says(const struct kvmintro_record *record,
			  const char *key, const char *word);
void kvmintro_record_write_json_members(struct kvmintro_json *json,
					const struct kvmintro_record *record,
					const struct kvmintro_record_schema *schema);
void kvmintro_record_write_json(struct kvmintro_json *json,
				const struct kvmintro_record *record,
				const struct kvmintro_record_schema *schema);

#endif /* KVMINTRO_RECORDS_H */
