/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_VMCOREINFO_H
#define KVMINTRO_VMCOREINFO_H

#include <stdbool.h>
#include <stdint.h>

int kvmintro_vmcoreinfo_read_core(int fd, char **text);
const char *kvmintro_vmcoreinfo_line_end(const char *line);
char *kvmintro_vmcoreinfo_value(const char *text, const char *key);
bool kvmintro_vmcoreinfo_number(const char *text, const char *key, int base,
				uint64_t *value);

#endif /* KVMINTRO_VMCOREINFO_H */
