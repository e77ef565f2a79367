/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_JSON_H
#define KVMINTRO_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define KVMINTRO_JSON_DEPTH_MAX 16

/**
 * struct kvmintro_json - writes one JSON value, pretty-printed, to a stream
 * @out: where the text goes
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
	FILE *out;
	unsigned int depth;
	bool in_object[KVMINTRO_JSON_DEPTH_MAX];
	bool has_members[KVMINTRO_JSON_DEPTH_MAX];
	bool done;
	int error;
};

void kvmintro_json_init(struct kvmintro_json *json, FILE *out);
void kvmintro_json_begin_object(struct kvmintro_json *json, const char *key);
void kvmintro_json_end_object(struct kvmintro_json *json);
void kvmintro_json_begin_array(struct kvmintro_json *json, const char *key);
void kvmintro_json_end_array(struct kvmintro_json *json);
void kvmintro_json_string(struct kvmintro_json *json, const char *key,
			  const char *value);
void kvmintro_json_string_bytes(struct kvmintro_json *json, const char *key,
				const char *bytes, size_t length);
void kvmintro_json_u64(struct kvmintro_json *json, const char *key,
		       uint64_t value);
void kvmintro_json_s64(struct kvmintro_json *json, const char *key,
		       int64_t value);
void kvmintro_json_null(struct kvmintro_json *json, const char *key);
void kvmintro_json_hex_string(struct kvmintro_json *json, const char *key,
			      const unsigned char *bytes, size_t length);
int kvmintro_json_finish(struct kvmintro_json *json);

#endif /* KVMINTRO_JSON_H */
