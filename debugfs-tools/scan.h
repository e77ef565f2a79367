/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_SCAN_H
#define KVMINTRO_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"
#include "vm.h"

/* What the module's scan file takes. */
#define KVMINTRO_SCAN_PATTERNS_MAX 4096
#define KVMINTRO_SCAN_PATTERN_BYTES_MAX 256
#define KVMINTRO_SCAN_LIMIT_MAX 1000000
#define KVMINTRO_SCAN_WRITE_MAX (4 << 20)

/**
 * struct kvmintro_scan_pattern - a pattern to search for
 * @text: as the user gave it, like "hex:de ad be ef"
 * @normalized: as the module writes it back: "str:" and "istr:" patterns
 *	as they are, "hex:" ones in lowercase without blanks ("hex:4d5a??00")
 */
struct kvmintro_scan_pattern {
	const char *text;
	char *normalized;
};

/**
 * struct kvmintro_scan_request - what to search for
 * @patterns: the patterns, in order
 * @count: how many
 * @max: stop after this many matches, if @has_max
 * @has_max: else the module's default applies
 * @file_text: the contents of a file of patterns they point into, or NULL
 */
struct kvmintro_scan_request {
	struct kvmintro_scan_pattern patterns[KVMINTRO_SCAN_PATTERNS_MAX];
	size_t count;
	uint64_t max;
	bool has_max;
	char *file_text;
};

/**
 * struct kvmintro_scan_match - where a pattern was found
 * @gpa: guest physical address of its first byte
 * @hva: host virtual address, in the VMM
 * @hpa: host physical address; none if not backed (zeros)
 * @pattern: index of the pattern in the request
 */
struct kvmintro_scan_match {
	uint64_t gpa;
	uint64_t hva;
	struct kvmintro_maybe_u64 hpa;
	size_t pattern;
};

/**
 * struct kvmintro_scan_result - a VM's "scan" file after a search
 * @matches: the matches, in the order of the file
 * @count: how many
 * @matched: matches found, as the summary line says
 * @bytes: bytes of guest memory searched
 * @truncated: the search stopped at the request's limit of matches
 */
struct kvmintro_scan_result {
	struct kvmintro_scan_match *matches;
	size_t count;
	uint64_t matched;
	uint64_t bytes;
	bool truncated;
};

int kvmintro_scan_request_add(struct kvmintro_scan_request *request,
			      const char *text, const char **problem);
int kvmintro_scan_request_add_file(struct kvmintro_scan_request *request,
				   const char *path);
void kvmintro_scan_request_release(struct kvmintro_scan_request *request);
int kvmintro_scan_request_text(const struct kvmintro_scan_request *request,
			       char **text);
int kvmintro_scan_parse_reply(const char *text, size_t length,
			      const struct kvmintro_scan_request *request,
			      struct kvmintro_scan_result *result,
			      struct kvmintro_parse_error *error);
int kvmintro_scan(const char *root, const struct kvmintro_vm *vm,
		  const struct kvmintro_scan_request *request,
		  struct kvmintro_scan_result *result);
void kvmintro_scan_result_release(struct kvmintro_scan_result *result);
int kvmintro_scan_print_table(const struct kvmintro_scan_request *request,
			      const struct kvmintro_scan_result *result,
			      FILE *out);
int kvmintro_scan_print_json(const struct kvmintro_vm *vm,
			     const struct kvmintro_scan_request *request,
			     const struct kvmintro_scan_result *result,
			     FILE *out);

#endif /* KVMINTRO_SCAN_H */
