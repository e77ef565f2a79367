/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CLI_JSON_CHECK_H
#define CLI_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

bool cli_json_check(const char *text, size_t length, char *why,
		    size_t why_size);
bool cli_json_expect_valid(const char *text, const char *name);

#endif /* CLI_JSON_CHECK_H */
