// SPDX-License-Identifier: GPL-2.0
/*
 * Records gathered in kernel memory: see text.h.  A record is written by
 * lib/record.h's writer straight into the room reserved at the end of the
 * text, then accounted for.
 */
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "text.h"

/**
 * kvmintro_text_init() - start an empty text of a page
 * @t:		the text
 * @max:	the most it may grow to, at least a page
 *
 * Return: 0 or -ENOMEM.
 */
int kvmintro_text_init(struct kvmintro_text *t, size_t max)
{
	*t = (struct kvmintro_text) { .size = PAGE_SIZE, .max = max };
	t->text = kvmalloc(t->size, GFP_KERNEL);
	return t->text ? 0 : -ENOMEM;
}

/**
 * kvmintro_text_reserve() - make room for @more bytes at the end
 * @t:		the text
 * @more:	bytes the next records take at the most
 *
 * Doubles the text until they fit; sleeps, so never under a spinlock.
 *
 * Return: 0, -EFBIG if it would grow past @t->max, or -ENOMEM.
 */
int kvmintro_text_reserve(struct kvmintro_text *t, size_t more)
{
	size_t size = t->size;
	char *bigger;

	while (size - t->len < more)
		size *= 2;
	if (size == t->size)
		return 0;
	if (size > t->max)
		return -EFBIG;
	bigger = kvmintro_kvrealloc(t->text, t->size, size);
	if (!bigger)
		return -ENOMEM;
	t->text = bigger;
	t->size = size;
	return 0;
}

/**
 * kvmintro_text_append() - account for a record written at the end
 * @t:		the text, room reserved
 * @len:	what the record's writer returned
 *
 * Return: 0, or the writer's error, which adds nothing.
 */
int kvmintro_text_append(struct kvmintro_text *t, int len)
{
	if (WARN_ON_ONCE(len < 0))
		return len;
	if (len >= t->size - t->len)
		return -ENOSPC;
	t->len += len;
	return 0;
}

/*
 * What a record written into a buffer sized for it adds: its length, or
 * nothing if its writer failed.
 */
size_t kvmintro_text_written(int len)
{
	return WARN_ON_ONCE(len < 0) ? 0 : len;
}
