/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_ARGUMENT_H
#define KVMINTRO_ARGUMENT_H

#include <stdint.h>

/* Guest physical addresses have at most 52 bits on x86. */
#define KVMINTRO_GPA_BITS 52
#define KVMINTRO_PAGE_SHIFT 12

int kvmintro_parse_number_argument(const char *text, uint64_t *value);
int kvmintro_parse_address_argument(const char *text, uint64_t *gpa);
int kvmintro_parse_length_argument(const char *text, uint64_t *bytes);

#endif /* KVMINTRO_ARGUMENT_H */
