/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pattern matching for the scan file: parse what the user wrote, then search
 * guest memory for up to KVMINTRO_SCAN_MAX_PATTERNS byte strings at once,
 * fed in pieces of any size.  Kernel and native builds share this code, so
 * it uses no allocation, no FPU and no SIMD.
 */
#ifndef KVMINTRO_LIB_SCAN_H
#define KVMINTRO_LIB_SCAN_H

#include "portable.h"

#define KVMINTRO_SCAN_MAX_PATTERNS	16
#define KVMINTRO_SCAN_PATTERN_MAX	256
/* Longest text kvmintro_scan_parse() accepts. */
#define KVMINTRO_SCAN_INPUT_MAX		(64 * 1024)
#define KVMINTRO_SCAN_DEFAULT_MAX	10000
#define KVMINTRO_SCAN_MAX_LIMIT		1000000

/* Returned by kvmintro_scan_feed() and kvmintro_scan_break() at spec->max. */
#define KVMINTRO_SCAN_FULL		1

enum kvmintro_scan_kind {
	KVMINTRO_SCAN_STR,
	KVMINTRO_SCAN_HEX,
};

/**
 * struct kvmintro_scan_spec - what to search for, as parsed from the user
 * @count:	number of patterns, 1..KVMINTRO_SCAN_MAX_PATTERNS
 * @max:	stop after this many matches in total, 1..KVMINTRO_SCAN_MAX_LIMIT
 * @lengths:	length in bytes of each pattern, 1..KVMINTRO_SCAN_PATTERN_MAX
 * @kinds:	enum kvmintro_scan_kind each pattern was written as
 * @patterns:	the bytes of each pattern (binary, may hold NUL)
 *
 * Pattern i is reported to the match callback as pattern_index i, in the
 * order the lines were written.
 */
struct kvmintro_scan_spec {
	unsigned int count;
	u32 max;
	u16 lengths[KVMINTRO_SCAN_MAX_PATTERNS];
	u8 kinds[KVMINTRO_SCAN_MAX_PATTERNS];
	u8 patterns[KVMINTRO_SCAN_MAX_PATTERNS][KVMINTRO_SCAN_PATTERN_MAX];
};

/*
 * Called for each match, with the address of its first byte in the caller's
 * address space, from within kvmintro_scan_feed() or kvmintro_scan_break()
 * (it must not feed the same scanner).  Return 0 to go on; anything else
 * stops the scan and is what those return.
 */
typedef int (*kvmintro_scan_match_fn)(void *ctx, unsigned int pattern_index,
				      u64 address);

/* One (pattern, offset) whose byte pair starts at that offset. */
struct kvmintro_scan_pair {
	u8 pattern;
	u8 offset;
};

#define KVMINTRO_SCAN_PAIRS_MAX \
	(KVMINTRO_SCAN_MAX_PATTERNS * (KVMINTRO_SCAN_PATTERN_MAX - 1))
#define KVMINTRO_SCAN_WINDOW_SIZE (2 * (KVMINTRO_SCAN_PATTERN_MAX - 1))
/* 64-bit words of the hot loop's filter: 4 KiB, to stay in the L1 cache. */
#define KVMINTRO_SCAN_FILTER_WORDS 512

/**
 * struct kvmintro_scanner - state of one search, about 35 KiB
 * @spec:	copy of the patterns (the caller's spec may go away)
 * @matches:	matches reported so far (read it; the rest is private)
 * @status:	0, or the sticky value the scan stopped with
 * @min_len:	shortest pattern
 * @max_len:	longest pattern
 * @stride:	distance between sampled byte pairs, 0 for the word-at-a-time
 *		search of anchors
 * @anchors:	number of distinct anchors (first byte, or first two bytes)
 * @anchor_pairs: anchors are byte pairs rather than single bytes
 * @anchor0:	each anchor's first byte repeated in every byte of a word
 * @anchor1:	each anchor's second byte likewise (if @anchor_pairs)
 * @pair_filter: @pair_bits folded in two (bit 15 of the pair dropped), for
 *		the hot loop
 * @pair_bits:	set of the byte pairs (as kvmintro_scan_pair_key() gives
 *		them) at offsets 0..@stride-1 of every pattern
 * @pair_rank:	set bits of @pair_bits before each of its words
 * @pair_first:	index in @pairs of the first entry of each pair, by rank of
 *		its bit, and one past the last entry at the end
 * @pairs:	entries of each pair, by decreasing offset then pattern
 * @tail_len:	bytes kept in @window, not yet searched for every pattern
 * @next_address: address the next feed must start at to continue the tail
 * @window:	the tail of the previous feeds, then a copy of the head of the
 *		current one, to search across the seam
 *
 * Allocate it (kvmalloc() in the kernel), it does not fit on a stack.
 */
struct kvmintro_scanner {
	struct kvmintro_scan_spec spec;
	u64 matches;
	int status;
	unsigned int min_len;
	unsigned int max_len;
	unsigned int stride;
	unsigned int anchors;
	bool anchor_pairs;
	u64 anchor0[KVMINTRO_SCAN_MAX_PATTERNS];
	u64 anchor1[KVMINTRO_SCAN_MAX_PATTERNS];
	u64 pair_filter[KVMINTRO_SCAN_FILTER_WORDS];
	u64 pair_bits[65536 / 64];
	u16 pair_rank[65536 / 64];
	u16 pair_first[KVMINTRO_SCAN_PAIRS_MAX + 2];
	struct kvmintro_scan_pair pairs[KVMINTRO_SCAN_PAIRS_MAX];
	unsigned int tail_len;
	u64 next_address;
	u8 window[KVMINTRO_SCAN_WINDOW_SIZE];
};

int kvmintro_scan_parse(struct kvmintro_scan_spec *spec, const char *buf,
			size_t len);
int kvmintro_scan_init(struct kvmintro_scanner *s,
		       const struct kvmintro_scan_spec *spec);
int kvmintro_scan_feed(struct kvmintro_scanner *s, const u8 *buf, size_t len,
		       u64 base, kvmintro_scan_match_fn fn, void *ctx);
int kvmintro_scan_break(struct kvmintro_scanner *s, kvmintro_scan_match_fn fn,
			void *ctx);

#endif /* KVMINTRO_LIB_SCAN_H */
