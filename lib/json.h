/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer, and the JSON of a record (lib/record.h):
 * an object with every field of the record, typed by the record grammar.
 * Whatever bytes it is given, it writes valid JSON (RFC 8259): strings are
 * escaped, and bytes that are not UTF-8 become U+FFFD.  Misuse (a key
 * inside an array, unbalanced ends) is caught and reported by
 * kvmintro_json_finish() instead of writing broken text.  Portable: the
 * caller supplies the function that takes the text.
 */
#ifndef KVMINTRO_LIB_JSON_H
#define KVMINTRO_LIB_JSON_H

#include "portable.h"
#include "record.h"

#define KVMINTRO_JSON_DEPTH_MAX 16

/* Take @len bytes of JSON text; 0 or -errno, which stops the writer. */
typedef int (*kvmintro_json_write_fn)(void *out, const char *text,
				      size_t len);

/**
 * struct kvmintro_json - writes one JSON value, pretty-printed
 * @write: takes the text, a piece at a time
 * @out: for @write
 * @depth: number of objects and arrays open
 * @in_object: for each open container, whether it is an object
 * @has_members: for each open container, whether it has a member yet
 * @done: the top-level value has been started
 * @error: first error met, 0 if none; later calls then do nothing
 *
 * Members of an object take a key, members of an array take NULL. Check
 * the result once, with kvmintro_json_finish().
 */
struct kvmintro_json {
	kvmintro_json_write_fn write;
	void *out;
	unsigned int depth;
	bool in_object[KVMINTRO_JSON_DEPTH_MAX];
	bool has_members[KVMINTRO_JSON_DEPTH_MAX];
	bool done;
	int error;
};

void kvmintro_json_init(struct kvmintro_json *json,
			kvmintro_json_write_fn write, void *out);
void kvmintro_json_begin_object(struct kvmintro_json *json, const char *key);
void kvmintro_json_end_object(struct kvmintro_json *json);
void kvmintro_json_begin_array(struct kvmintro_json *json, const char *key);
void kvmintro_json_end_array(struct kvmintro_json *json);
void kvmintro_json_string(struct kvmintro_json *json, const char *key,
			  const char *value);
void kvmintro_json_string_bytes(struct kvmintro_json *json, const char *key,
				const char *bytes, size_t length);
void kvmintro_json_u64(struct kvmintro_json *json, const char *key,
		       u64 value);
void kvmintro_json_s64(struct kvmintro_json *json, const char *key,
		       s64 value);
void kvmintro_json_null(struct kvmintro_json *json, const char *key);
void kvmintro_json_hex_string(struct kvmintro_json *json, const char *key,
			      const unsigned char *bytes, size_t length);
int kvmintro_json_finish(struct kvmintro_json *json);

void kvmintro_json_record_members(struct kvmintro_json *json,
				  const struct kvmintro_record *record,
				  const char *const *lists,
				  const char *const *page_sizes);

#endif /* KVMINTRO_LIB_JSON_H */
