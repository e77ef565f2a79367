/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records gathered in kernel memory before they are kept whole (a stage2
 * summary, a capture's gpa_hpa table): a buffer that doubles as records
 * are added, up to a limit.
 */
#ifndef KVMINTRO_TEXT_H
#define KVMINTRO_TEXT_H

#include <linux/types.h>

/**
 * struct kvmintro_text - records being gathered
 * @text:	kvmalloc()ed by kvmintro_text_init(); the caller keeps or
 *		kvfree()s it
 * @len:	bytes written
 * @size:	bytes allocated
 * @max:	the most @size may grow to
 */
struct kvmintro_text {
	char *text;
	size_t len, size, max;
};

int kvmintro_text_init(struct kvmintro_text *t, size_t max);
int kvmintro_text_reserve(struct kvmintro_text *t, size_t more);
int kvmintro_text_append(struct kvmintro_text *t, int len);
size_t kvmintro_text_written(int len);

#endif /* KVMINTRO_TEXT_H */
