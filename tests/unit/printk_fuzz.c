// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for lib/printk.c, the reader of a guest
 * kernel's printk ring buffer: the input is guest memory (the pointer
 * "prb", the ring buffer, its descriptors, infos and text, laid out as
 * printk_image.c lays them out) read with the VMCOREINFO lines of the
 * kernel's structures; an input starting with 'V' brings its own
 * VMCOREINFO text, up to a NUL, before the memory.  Besides the
 * sanitizers' checks, it aborts when
 *   - the read returns an error it does not promise,
 *   - a record is passed on that is longer than printk_info.text_len can say,
 *   - the records counted are not those passed on.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "printk_image.h"
#include "fuzz_assert.h"
#include "../../lib/printk.h"

static uint64_t taken;

static int fuzz_take(void *context, const struct kvmintro_printk_record *record)
{
	(void)context;
	FUZZ_ASSERT(record->text_len <= 0xffff);
	FUZZ_ASSERT(record->text_len == 0 || record->text);
	taken++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct printk_image image;
	static char text[KVMINTRO_PRINTK_TEXT_MAX];
	struct kvmintro_printk_layout layout;
	struct kvmintro_printk_stats stats;
	char vmcoreinfo[4096];
	const uint8_t *end;
	const char *missing;
	size_t length;
	int ret;

	if (size && data[0] == 'V') {
		end = memchr(data, '\0', size);
		if (!end)
			return 0;
		length = end - data - 1;
		if (length >= sizeof(vmcoreinfo))
			return 0;
		memcpy(vmcoreinfo, data + 1, length);
		vmcoreinfo[length] = '\0';
		size -= length + 2;
		data = end + 1;
	} else {
		printk_image_vmcoreinfo(vmcoreinfo, sizeof(vmcoreinfo),
					PRINTK_IMAGE_BASE);
	}
	if (kvmintro_printk_layout_parse(vmcoreinfo, &layout, &missing)) {
		FUZZ_ASSERT(missing);
		return 0;
	}
	image.mem = malloc(size ?: 1);
	FUZZ_ASSERT(image.mem);
	memcpy(image.mem, data, size);
	image.size = size;
	taken = 0;
	ret = kvmintro_printk_read(&layout, printk_image_read, &image,
				   fuzz_take, NULL, text, &stats);
	FUZZ_ASSERT(!ret || ret == -EFAULT || ret == -EBADMSG || ret == -E2BIG);
	FUZZ_ASSERT((ret != -EBADMSG && ret != -E2BIG) || stats.problem);
	FUZZ_ASSERT(stats.records == taken);
	FUZZ_ASSERT(stats.records + stats.skipped + stats.invalid <=
		    1ull << KVMINTRO_PRINTK_COUNT_BITS_MAX);
	free(image.mem);
	image.mem = NULL;
	return 0;
}
