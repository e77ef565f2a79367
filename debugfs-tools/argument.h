/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_ARGUMENT_H
#define KVMINTRO_ARGUMENT_H

#include <stdint.h>

#include "../lib/parse.h"

int kvmintro_parse_number_argument(const char *text, uint64_t *value);
int kvmintro_parse_address_argument(const char *text, uint64_t *gpa);
int kvmintro_parse_length_argument(const char *text, uint64_t *bytes);

#endif /* KVMINTRO_ARGUMENT_H */
