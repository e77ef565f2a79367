/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pattern matching for the scan file: parse what the user wrote, then search
 * guest memory for up to KVMINTRO_SCAN_MAX_PATTERNS patterns at once, fed
 * in pieces of any size.  Kernel and native builds share this code, so it
 * uses no allocation; SIMD (x86-64 AVX2) only for a few patterns, in short
 * sections the kernel brackets with kernel_fpu_begin()/kernel_fpu_end(),
 * with a scalar path for CPUs and contexts without it.
 */
#ifndef KVMINTRO_LIB_SCAN_H
#define KVMINTRO_LIB_SCAN_H

#include "portable.h"

#define KVMINTRO_SCAN_MAX_PATTERNS	4096
#define KVMINTRO_SCAN_PATTERN_MAX	256
/*
 * Longest name of a pattern: "istr:" and 256 bytes, or "hex:" and 256
 * bytes as two digits each.
 */
#define KVMINTRO_SCAN_NAME_MAX		(4 + 2 * KVMINTRO_SCAN_PATTERN_MAX)
/* Longest text kvmintro_scan_parse() accepts: 1 KiB a pattern. */
#define KVMINTRO_SCAN_INPUT_MAX		(4 << 20)
#define KVMINTRO_SCAN_DEFAULT_MAX	10000
#define KVMINTRO_SCAN_MAX_LIMIT		1000000

/* Returned by kvmintro_scan_feed() and kvmintro_scan_break() at spec->max. */
#define KVMINTRO_SCAN_FULL		1

enum kvmintro_scan_kind {
	KVMINTRO_SCAN_STR,
	KVMINTRO_SCAN_HEX,
	KVMINTRO_SCAN_ISTR,
};

/**
 * struct kvmintro_scan_spec - what to search for, as parsed from the user
 * @count:	number of patterns, 1..KVMINTRO_SCAN_MAX_PATTERNS
 * @max:	stop after this many matches in total, 1..KVMINTRO_SCAN_MAX_LIMIT
 * @lengths:	length in bytes of each pattern, 1..KVMINTRO_SCAN_PATTERN_MAX
 * @kinds:	enum kvmintro_scan_kind each pattern was written as
 * @patterns:	the bytes of each pattern (binary, may hold NUL); an "istr:"
 *		pattern as written, a "??" of "hex:" as 0
 * @wildcards:	bit j of pattern i set if its byte j is "??" (hex: only;
 *		never byte 0)
 *
 * Pattern i is reported to the match callback as pattern_index i, in the
 * order the lines were written.  About 1.2 MiB: allocate it.
 */
struct kvmintro_scan_spec {
	unsigned int count;
	u32 max;
	u16 lengths[KVMINTRO_SCAN_MAX_PATTERNS];
	u8 kinds[KVMINTRO_SCAN_MAX_PATTERNS];
	u8 patterns[KVMINTRO_SCAN_MAX_PATTERNS][KVMINTRO_SCAN_PATTERN_MAX];
	u8 wildcards[KVMINTRO_SCAN_MAX_PATTERNS][KVMINTRO_SCAN_PATTERN_MAX / 8];
};

static inline bool kvmintro_scan_is_wildcard(const struct kvmintro_scan_spec *spec,
					     unsigned int pattern,
					     unsigned int byte)
{
	return (spec->wildcards[pattern][byte / 8] >> (byte % 8)) & 1;
}

/*
 * Called for each match, with the address of its first byte in the caller's
 * address space, from within kvmintro_scan_feed() or kvmintro_scan_break()
 * (it must not feed the same scanner).  Return 0 to go on; anything else
 * stops the scan and is what those return.
 */
typedef int (*kvmintro_scan_match_fn)(void *ctx, unsigned int pattern_index,
				      u64 address);

/*
 * One (pattern, offset) whose gram starts at that offset of the pattern:
 * @key is the gram as kvmintro_scan_gram() reads it.
 */
struct kvmintro_scan_entry {
	u32 key;
	u16 pattern;
	u8 offset;
	u8 reserved;
};

/* Patterns searched with SIMD, two bytes of each compared 32 at a time. */
#define KVMINTRO_SCAN_SIMD_PATTERNS	2

/**
 * struct kvmintro_scan_simd_anchor - two bytes of a pattern, for SIMD
 * @offset:	of the second byte (the last known one); the first is byte 0
 * @value0:	byte 0 as kvmintro_scanner.values has it
 * @mask0:	and its mask
 * @value1:	byte @offset likewise
 * @mask1:	and its mask
 */
struct kvmintro_scan_simd_anchor {
	unsigned int offset;
	u8 value0, mask0, value1, mask1;
};

/* Set to search without SIMD, for tests and benchmarks (native only). */
extern bool kvmintro_scan_force_scalar;

/* Most (pattern, offset) entries: the stride shrinks to stay within. */
#define KVMINTRO_SCAN_ENTRIES_MAX	65536
/* Largest filter: 2^20 bits, 128 KiB. */
#define KVMINTRO_SCAN_FILTER_BITS_MAX	20
#define KVMINTRO_SCAN_FILTER_BITS_MIN	15
#define KVMINTRO_SCAN_FILTER_WORDS \
	((1u << KVMINTRO_SCAN_FILTER_BITS_MAX) / 64)
#define KVMINTRO_SCAN_WINDOW_SIZE \
	(2 * (KVMINTRO_SCAN_PATTERN_MAX - 1) + KVMINTRO_SCAN_PATTERN_MAX)

/**
 * struct kvmintro_scanner - state of one search, about 4.2 MiB
 * @spec:	copy of the patterns (the caller's spec may go away)
 * @matches:	matches reported so far (read it; the rest is private)
 * @status:	0, or the sticky value the scan stopped with
 * @min_len:	shortest pattern
 * @max_len:	longest pattern
 * @gram:	bytes of a sampled gram, 1..4: at most the shortest run of
 *		known bytes a pattern starts with
 * @gram_mask:	the bytes of a 32-bit load kept in a gram, less bit 5 of
 *		each (so that case does not matter)
 * @stride:	distance between sampled grams, 1 or more
 * @simd:	search with SIMD, not by sampling grams
 * @anchors:	what SIMD compares, one per pattern
 * @filter_shift: 32 - the filter's bits, for the multiplicative hash
 * @filter:	bit hash(key) set for the key of every entry
 * @filter_rank: set bits of @filter before each of its words
 * @first:	index in @entries of the first entry of each set bit of
 *		@filter, by rank, and one past the last entry at the end
 * @entries:	the grams at offsets 0..@stride-1 of every pattern, by bit,
 *		then decreasing offset, then pattern
 * @exact:	pattern i has neither wildcard nor case-blind letter
 * @values:	the bytes each pattern must have once masked with @masks:
 *		letters of "istr:" in upper case, wildcards 0
 * @masks:	0xff for a byte that must be equal, 0xdf for a letter of
 *		"istr:", 0 for a wildcard
 * @tail_len:	bytes kept in @window, not yet searched for every pattern
 * @next_address: address the next feed must start at to continue the tail
 * @window:	the tail of the previous feeds, then a copy of the head of the
 *		current one, to search across the seam; zeros after them
 *
 * Allocate it (kvmalloc() in the kernel), it does not fit on a stack.
 */
struct kvmintro_scanner {
	struct kvmintro_scan_spec spec;
	u64 matches;
	int status;
	unsigned int min_len;
	unsigned int max_len;
	unsigned int gram;
	u32 gram_mask;
	unsigned int stride;
	bool simd;
	struct kvmintro_scan_simd_anchor anchors[KVMINTRO_SCAN_SIMD_PATTERNS];
	unsigned int filter_shift;
	u64 filter[KVMINTRO_SCAN_FILTER_WORDS];
	u32 filter_rank[KVMINTRO_SCAN_FILTER_WORDS];
	u32 first[KVMINTRO_SCAN_ENTRIES_MAX + 2];
	struct kvmintro_scan_entry entries[KVMINTRO_SCAN_ENTRIES_MAX];
	u8 exact[KVMINTRO_SCAN_MAX_PATTERNS];
	u8 values[KVMINTRO_SCAN_MAX_PATTERNS][KVMINTRO_SCAN_PATTERN_MAX];
	u8 masks[KVMINTRO_SCAN_MAX_PATTERNS][KVMINTRO_SCAN_PATTERN_MAX];
	unsigned int tail_len;
	u64 next_address;
	u8 window[KVMINTRO_SCAN_WINDOW_SIZE];
};

int kvmintro_scan_parse(struct kvmintro_scan_spec *spec, const char *buf,
			size_t len);
size_t kvmintro_scan_pattern_name(char *buf,
				  const struct kvmintro_scan_spec *spec,
				  unsigned int index);
int kvmintro_scan_init(struct kvmintro_scanner *s,
		       const struct kvmintro_scan_spec *spec);
int kvmintro_scan_feed(struct kvmintro_scanner *s, const u8 *buf, size_t len,
		       u64 base, kvmintro_scan_match_fn fn, void *ctx);
int kvmintro_scan_break(struct kvmintro_scanner *s, kvmintro_scan_match_fn fn,
			void *ctx);

#endif /* KVMINTRO_LIB_SCAN_H */
