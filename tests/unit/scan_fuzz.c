// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for lib/scan.c.  An input is
 *
 *   [stop] [cuts] [spec length, 2 bytes LE] [spec text] [cut offsets,
 *   2 bytes LE each] [gaps, 6 bytes LE] [buffer]
 *
 * with the top bit of [cuts] set to search without SIMD. *
 * The spec text goes to kvmintro_scan_parse(): a refused text must leave
 * the spec untouched, an accepted one must be in range and survive a round
 * trip through its hex: form (wildcards as "??").  If refused, its
 * '\n'-separated pieces are the patterns anyway, of the kind their first
 * byte modulo 3 says ("str:", "hex:", "istr:"), a '?' byte of a hex: one
 * (but the first) a wildcard.  The buffer is then cut at the offsets and fed to
 * the scanner, each piece contiguous with the previous one, at a gap from
 * it or after a break (bits of "gaps"), and every match reported must be
 * exactly what a naive search of each contiguous run finds, in order, up
 * to max= or to the "stop"th match, where the callback stops the scan.
 * Any difference aborts.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/scan.h"
#include "fuzz_assert.h"

#define FUZZ_MAX_CUTS	16
#define FUZZ_MAX_MATCHES 4096
#define FUZZ_STOP_VALUE	-77

struct fuzz_match {
	unsigned int pattern;
	u64 address;
};

struct fuzz_matches {
	struct fuzz_match m[FUZZ_MAX_MATCHES];
	size_t count;
	size_t stop_at;
};

static struct kvmintro_scan_spec spec, before, again;
static struct kvmintro_scanner scanner;
static struct fuzz_matches got, want;

/* Take @n bytes from the input, or fewer if it ends. */
static const u8 *take(const u8 **data, size_t *size, size_t n, size_t *taken)
{
	const u8 *p = *data;

	if (n > *size)
		n = *size;
	*data += n;
	*size -= n;
	*taken = n;
	return p;
}

static unsigned int take_byte(const u8 **data, size_t *size)
{
	size_t n;
	const u8 *p = take(data, size, 1, &n);

	return n ? p[0] : 0;
}

static unsigned int take_u16(const u8 **data, size_t *size)
{
	return take_byte(data, size) | take_byte(data, size) << 8;
}

/* Write @sp back as text, every pattern as hex:, and parse it again. */
static void check_round_trip(const struct kvmintro_scan_spec *sp)
{
	static char text[KVMINTRO_SCAN_INPUT_MAX];
	size_t len = 0;
	unsigned int i, j;

	len += sprintf(text + len, "max=%u\n", sp->max);
	for (i = 0; i < sp->count; i++) {
		len += sprintf(text + len, "hex:");
		for (j = 0; j < sp->lengths[i]; j++) {
			if (kvmintro_scan_is_wildcard(sp, i, j))
				len += sprintf(text + len, j % 2 ? "??" : "?? ");
			else
				len += sprintf(text + len,
					       j % 2 ? "%02X" : "%02x ",
					       sp->patterns[i][j]);
		}
		text[len++] = '\n';
	}
	FUZZ_ASSERT(!kvmintro_scan_parse(&again, text, len));
	FUZZ_ASSERT(again.count == sp->count && again.max == sp->max);
	for (i = 0; i < sp->count; i++) {
		FUZZ_ASSERT(again.lengths[i] == sp->lengths[i]);
		FUZZ_ASSERT(again.kinds[i] == KVMINTRO_SCAN_HEX);
		for (j = 0; j < sp->lengths[i]; j++) {
			FUZZ_ASSERT(kvmintro_scan_is_wildcard(&again, i, j) ==
				    kvmintro_scan_is_wildcard(sp, i, j));
			FUZZ_ASSERT(kvmintro_scan_is_wildcard(sp, i, j) ||
				    again.patterns[i][j] == sp->patterns[i][j]);
		}
	}
}

/* Parse @text into spec and check the outcome; true if accepted. */
static bool fuzz_parse(const char *text, size_t len)
{
	unsigned int i;

	memset(&spec, 0x5a, sizeof(spec));
	before = spec;
	if (kvmintro_scan_parse(&spec, text, len)) {
		FUZZ_ASSERT(!memcmp(&spec, &before, sizeof(spec)));
		return false;
	}
	FUZZ_ASSERT(len <= KVMINTRO_SCAN_INPUT_MAX);
	FUZZ_ASSERT(spec.count >= 1 &&
		    spec.count <= KVMINTRO_SCAN_MAX_PATTERNS);
	FUZZ_ASSERT(spec.max >= 1 && spec.max <= KVMINTRO_SCAN_MAX_LIMIT);
	for (i = 0; i < spec.count; i++) {
		FUZZ_ASSERT(spec.lengths[i] >= 1 &&
			    spec.lengths[i] <= KVMINTRO_SCAN_PATTERN_MAX);
		FUZZ_ASSERT(spec.kinds[i] == KVMINTRO_SCAN_STR ||
			    spec.kinds[i] == KVMINTRO_SCAN_HEX ||
			    spec.kinds[i] == KVMINTRO_SCAN_ISTR);
		FUZZ_ASSERT(!kvmintro_scan_is_wildcard(&spec, i, 0));
	}
	check_round_trip(&spec);
	return true;
}

/* Patterns from the '\n'-separated pieces of a refused text. */
static bool spec_from_pieces(const char *text, size_t len)
{
	const char *end = text + len, *line, *newline;
	size_t n, j;
	u8 kind;

	memset(&spec, 0, sizeof(spec));
	spec.max = len ? (u8)text[0] : 0;
	for (line = text; line < end && spec.count < KVMINTRO_SCAN_MAX_PATTERNS;
	     line = newline + 1) {
		newline = memchr(line, '\n', end - line);
		if (!newline)
			newline = end;
		n = newline - line;
		if (!n)
			continue;
		if (n > KVMINTRO_SCAN_PATTERN_MAX)
			n = KVMINTRO_SCAN_PATTERN_MAX;
		kind = (u8)line[0] % 3;
		memcpy(spec.patterns[spec.count], line, n);
		for (j = 1; j < n && kind == KVMINTRO_SCAN_HEX; j++) {
			if (line[j] == '?')
				spec.wildcards[spec.count][j / 8] |= 1 << (j % 8);
		}
		spec.kinds[spec.count] = kind;
		spec.lengths[spec.count++] = n;
	}
	return spec.count;
}

/* Add a match to @list; false once the list is full or stopped. */
static bool add(struct fuzz_matches *list, unsigned int pattern,
		u64 address)
{
	FUZZ_ASSERT(list->count < FUZZ_MAX_MATCHES);
	list->m[list->count].pattern = pattern;
	list->m[list->count].address = address;
	list->count++;
	return list->count != list->stop_at &&
	       (!spec.max || list->count != spec.max) &&
	       list->count != FUZZ_MAX_MATCHES;
}

static int record(void *ctx, unsigned int pattern, u64 address)
{
	struct fuzz_matches *list = ctx;

	FUZZ_ASSERT(pattern < spec.count);
	add(list, pattern, address);
	if (list->count == list->stop_at)
		return FUZZ_STOP_VALUE;
	/* Enough to check; stop as if the callback wanted to. */
	if (list->count == FUZZ_MAX_MATCHES)
		return FUZZ_STOP_VALUE;
	return 0;
}

/* Pattern @k at @p, byte by byte, as its kind and wildcards say. */
static bool naive_equal(unsigned int k, const u8 *p)
{
	unsigned int j;
	u8 a, b;

	for (j = 0; j < spec.lengths[k]; j++) {
		if (spec.kinds[k] == KVMINTRO_SCAN_HEX &&
		    kvmintro_scan_is_wildcard(&spec, k, j))
			continue;
		a = p[j];
		b = spec.patterns[k][j];
		if (spec.kinds[k] == KVMINTRO_SCAN_ISTR && a < 0x80 && b < 0x80) {
			a = tolower(a);
			b = tolower(b);
		}
		if (a != b)
			return false;
	}
	return true;
}

/* The naive search of one run; false when the matches must stop. */
static bool naive_run(const u8 *buf, size_t len, u64 base)
{
	unsigned int k;
	size_t p;

	for (p = 0; p < len; p++) {
		for (k = 0; k < spec.count; k++) {
			if (spec.lengths[k] <= len - p &&
			    naive_equal(k, buf + p) &&
			    !add(&want, k, base + p))
				return false;
		}
	}
	return true;
}

/* What kvmintro_scan_feed() should return once @want is complete. */
static int expected_status(bool stopped)
{
	if (!stopped)
		return 0;
	if (want.count == want.stop_at || want.count == FUZZ_MAX_MATCHES)
		return FUZZ_STOP_VALUE;
	return KVMINTRO_SCAN_FULL;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t cuts[FUZZ_MAX_CUTS + 2], ncuts, text_len, n, i, j, len;
	size_t run_start = 0, run_len = 0;
	unsigned int stop;
	u64 gaps, bases[FUZZ_MAX_CUTS + 1], run_base = 0, next;
	bool broken[FUZZ_MAX_CUTS + 1], stopped = false;
	const char *text;
	const u8 *buf;
	int ret = 0, want_ret;

	stop = take_byte(&data, &size);
	ncuts = take_byte(&data, &size);
	/* Its top bit: search without SIMD. */
	kvmintro_scan_force_scalar = ncuts & 0x80;
	ncuts = (ncuts & 0x7f) % (FUZZ_MAX_CUTS + 1);
	text_len = take_u16(&data, &size);
	text = (const char *)take(&data, &size, text_len, &text_len);
	for (i = 0; i < ncuts; i++)
		cuts[i] = take_u16(&data, &size);
	gaps = take_u16(&data, &size);
	gaps |= (u64)take_u16(&data, &size) << 16;
	gaps |= (u64)take_u16(&data, &size) << 32;
	buf = take(&data, &size, size, &len);

	if (!fuzz_parse(text, text_len) && !spec_from_pieces(text, text_len))
		return 0;

	/* Sorted cuts within the buffer, the buffer's end last. */
	for (i = 0; i < ncuts; i++) {
		cuts[i] = len ? cuts[i] % (len + 1) : 0;
		for (j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
			n = cuts[j];
			cuts[j] = cuts[j - 1];
			cuts[j - 1] = n;
		}
	}
	cuts[ncuts] = len;
	/* Two bits per piece: 1 a gap of 1 before it, 2 a break. */
	next = (u64)stop << 56 | 0x1000;
	for (i = 0; i <= ncuts; i++) {
		bases[i] = next + ((gaps >> (2 * i)) & 1);
		broken[i] = (gaps >> (2 * i)) & 2;
		next = bases[i] + cuts[i] - (i ? cuts[i - 1] : 0);
	}

	got.count = 0;
	want.count = 0;
	got.stop_at = stop;
	want.stop_at = stop;
	FUZZ_ASSERT(!kvmintro_scan_init(&scanner, &spec));
	for (i = 0; i <= ncuts && !ret; i++) {
		if (broken[i])
			ret = kvmintro_scan_break(&scanner, record, &got);
		if (!ret)
			ret = kvmintro_scan_feed(&scanner,
						 buf + (i ? cuts[i - 1] : 0),
						 cuts[i] - (i ? cuts[i - 1] : 0),
						 bases[i], record, &got);
	}
	if (!ret)
		ret = kvmintro_scan_break(&scanner, record, &got);

	/* The reference, run by run: empty pieces change nothing. */
	for (i = 0; i <= ncuts + 1 && !stopped; i++) {
		size_t start = i && i <= ncuts + 1 ? cuts[i - 1] : 0;
		size_t end = i <= ncuts ? cuts[i] : start;

		if (i <= ncuts && !broken[i]) {
			if (start == end)
				continue;
			if (run_len && bases[i] == run_base + run_len) {
				run_len += end - start;
				continue;
			}
		}
		if (run_len)
			stopped = !naive_run(buf + run_start, run_len,
					     run_base);
		run_start = start;
		run_len = end - start;
		run_base = i <= ncuts ? bases[i] : 0;
	}
	want_ret = expected_status(stopped);

	if (ret != want_ret || got.count != want.count) {
		fprintf(stderr, "returned %d, expected %d; %zu matches, expected %zu\n",
			ret, want_ret, got.count, want.count);
		abort();
	}
	for (i = 0; i < got.count; i++) {
		FUZZ_ASSERT(got.m[i].pattern == want.m[i].pattern);
		FUZZ_ASSERT(got.m[i].address == want.m[i].address);
	}
	FUZZ_ASSERT(scanner.matches == got.count);
	return 0;
}
