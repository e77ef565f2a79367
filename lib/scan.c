// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-pattern search of guest memory, fed in pieces.
 *
 * Two searches, kvmintro_scan_choose() picks one from the patterns:
 *
 * - Sampled pairs, the usual one.  With m the shortest pattern's length,
 *   any occurrence of any pattern covers one of every m - 1 consecutive
 *   byte-pair positions, so the hot loop reads only one pair every
 *   stride = m - 1 bytes (four per round), and tests its bit in a filter:
 *   the set of the pairs at offsets 0..stride-1 of all patterns, less the
 *   top bit of the second byte (zero in ASCII), 32 Ki bits.  On random data
 *   a pair passes with probability (number of pairs) / 32768, so a round
 *   costs 4 two-byte loads, 4 loads and shifts of filter words and 3 ORs,
 *   with one branch, nearly never taken.  The filter is 4 KiB so that it
 *   stays in the L1 cache while memory streams through: with 8 KiB (the
 *   exact set) the loop ran at half the speed on memory, 2 KiB gained
 *   little.  A pair that passes is looked up in the exact set, whose rank
 *   gives the list of (pattern, offset) to verify with memcmp().  This is
 *   the filter half of Horspool, as in glibc's memmem(): a constant stride
 *   set by the shortest pattern rather than shifts, and any number of
 *   patterns in one pass.
 *
 * - Word at a time, when the stride is short: a pattern of 1 byte, of 2
 *   bytes with up to 2 distinct first pairs, or all of at most 8 bytes
 *   with the same first pair.  8 positions per 64-bit word are tested at
 *   once for each first byte (or pair), with the zero-byte trick
 *   (v - 0x01..01) & ~v & 0x80..80 on v ^ (byte repeated 8 times).
 *
 * Both report, within one buffer, in increasing address then pattern order.
 * Matches across feeds: the last (longest pattern - 1) bytes of a
 * contiguous run are kept in the scanner and searched with the head of the
 * next feed.  Those bytes are searched for no pattern until every pattern
 * can be decided there, so that the report order holds across feeds;
 * kvmintro_scan_break() decides them with the bytes there are.
 *
 * Worst case, memory made of near-matches of the patterns, every sample
 * hits and costs a memcmp() per (pattern, offset) with its pair: O(n * sum
 * of pattern lengths), like the naive search.
 */
#include "parse.h"
#include "scan.h"

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#endif

#define KVMINTRO_SCAN_ONES	0x0101010101010101ull
#define KVMINTRO_SCAN_HIGHS	0x8080808080808080ull

/*
 * Word at a time is faster than sampling pairs under QEMU's TCG, and as
 * fast on memory natively (see bench/scan_bench.c), for one anchor below
 * this stride, and for up to 2 anchors at stride 1.
 */
#define KVMINTRO_SCAN_SAMPLE_STRIDE_MIN	8

/* ---- Parsing ---- */

/* What the lines parsed so far said, besides the patterns. */
struct kvmintro_scan_parser {
	unsigned int count;
	bool have_max;
	u32 max;
};

static bool kvmintro_scan_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool kvmintro_scan_starts_with(const char *line, size_t len,
				      const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(line, prefix, n);
}

/* "max=" value: decimal, or hex after 0x, 1..KVMINTRO_SCAN_MAX_LIMIT. */
static int kvmintro_scan_parse_max(const char *text, size_t len, u32 *max)
{
	u64 value;

	if (kvmintro_parse_u64(text, len, &value) || !value ||
	    value > KVMINTRO_SCAN_MAX_LIMIT)
		return -EINVAL;
	*max = (u32)value;
	return 0;
}

/* "hex:" bytes: pairs of digits, blanks allowed between pairs. */
static int kvmintro_scan_parse_hex(const char *text, size_t len, u8 *out,
				   unsigned int *out_len)
{
	unsigned int n = 0;
	int high, low;
	size_t i = 0;

	while (i < len) {
		if (kvmintro_scan_is_blank(text[i])) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL;
		high = kvmintro_hex_digit(text[i]);
		low = kvmintro_hex_digit(text[i + 1]);
		if (high < 0 || low < 0 || n == KVMINTRO_SCAN_PATTERN_MAX)
			return -EINVAL;
		if (out)
			out[n] = high << 4 | low;
		n++;
		i += 2;
	}
	if (!n)
		return -EINVAL;
	*out_len = n;
	return 0;
}

/* Parse one non-empty line; only check it if @spec is NULL. */
static int kvmintro_scan_parse_line(struct kvmintro_scan_parser *parser,
				    struct kvmintro_scan_spec *spec,
				    const char *line, size_t len)
{
	unsigned int index = parser->count;
	u8 *out = spec ? spec->patterns[index] : NULL;
	unsigned int pattern_len;
	u8 kind;
	int ret;

	if (kvmintro_scan_starts_with(line, len, "max=")) {
		if (parser->have_max)
			return -EINVAL;
		parser->have_max = true;
		return kvmintro_scan_parse_max(line + 4, len - 4, &parser->max);
	}
	if (index == KVMINTRO_SCAN_MAX_PATTERNS)
		return -EINVAL;
	if (kvmintro_scan_starts_with(line, len, "str:")) {
		pattern_len = len - 4;
		if (!pattern_len || pattern_len > KVMINTRO_SCAN_PATTERN_MAX)
			return -EINVAL;
		if (out)
			memcpy(out, line + 4, pattern_len);
		kind = KVMINTRO_SCAN_STR;
	} else if (kvmintro_scan_starts_with(line, len, "hex:")) {
		ret = kvmintro_scan_parse_hex(line + 4, len - 4, out,
					      &pattern_len);
		if (ret)
			return ret;
		kind = KVMINTRO_SCAN_HEX;
	} else {
		return -EINVAL;
	}
	if (spec) {
		spec->lengths[index] = pattern_len;
		spec->kinds[index] = kind;
	}
	parser->count++;
	return 0;
}

/* Parse every line into @spec, or only check them if @spec is NULL. */
static int kvmintro_scan_parse_lines(struct kvmintro_scan_spec *spec,
				     const char *buf, size_t len)
{
	struct kvmintro_scan_parser parser = { .max = KVMINTRO_SCAN_DEFAULT_MAX };
	const char *end = buf + len;
	const char *line, *newline;
	int ret;

	for (line = buf; line < end; line = newline + 1) {
		newline = memchr(line, '\n', end - line);
		if (!newline)
			newline = end;
		if (newline == line)
			continue;
		ret = kvmintro_scan_parse_line(&parser, spec, line,
					       newline - line);
		if (ret)
			return ret;
	}
	if (!parser.count)
		return -EINVAL;
	if (spec) {
		spec->count = parser.count;
		spec->max = parser.max;
	}
	return 0;
}

/**
 * kvmintro_scan_parse() - parse a write to the scan file
 * @spec: filled on success, untouched on error
 * @buf: the bytes written, need not be NUL terminated
 * @len: how many, at most KVMINTRO_SCAN_INPUT_MAX
 *
 * One item per line, lines separated by '\n' (a '\r' is not special):
 * "str:<text>", the rest of the line taken literally, blanks, NUL and
 * backslashes included (no escapes); "hex:<bytes>", pairs of hex digits in
 * either case, blanks (space, tab) allowed between pairs; "max=<n>", at most
 * once, decimal (leading zeros allowed, not octal) or hex after "0x", from 1
 * to KVMINTRO_SCAN_MAX_LIMIT, default KVMINTRO_SCAN_DEFAULT_MAX.  Empty lines
 * are ignored; a line of blanks is not empty.  Each pattern is 1 to
 * KVMINTRO_SCAN_PATTERN_MAX bytes; there are 1 to KVMINTRO_SCAN_MAX_PATTERNS
 * patterns, numbered in order; duplicates are allowed and reported each.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int kvmintro_scan_parse(struct kvmintro_scan_spec *spec, const char *buf,
			size_t len)
{
	int ret;

	if (len > KVMINTRO_SCAN_INPUT_MAX)
		return -EINVAL;
	/* Check everything before writing anything to @spec. */
	ret = kvmintro_scan_parse_lines(NULL, buf, len);
	if (ret)
		return ret;
	return kvmintro_scan_parse_lines(spec, buf, len);
}

/* ---- Searching ---- */

/* Little-endian 64-bit load from any address: byte i is bits 8i..8i+7. */
static inline u64 kvmintro_scan_load(const u8 *p)
{
	u64 v;

	__builtin_memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* The pair p[0], p[1] as a number below 65536, in native byte order. */
static inline unsigned int kvmintro_scan_pair_key(const u8 *p)
{
	u16 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Bit 7 of each byte of the result is set if that byte of @v is zero; a
 * byte above a zero byte may be flagged too, never one below the lowest.
 */
static inline u64 kvmintro_scan_zero_bytes(u64 v)
{
	return (v - KVMINTRO_SCAN_ONES) & ~v & KVMINTRO_SCAN_HIGHS;
}

static unsigned int kvmintro_scan_popcount(u64 v)
{
	v -= (v >> 1) & 0x5555555555555555ull;
	v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
	v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (v * KVMINTRO_SCAN_ONES) >> 56;
}

/* Index of @key among the pairs of @s->pair_bits, which must hold it. */
static unsigned int kvmintro_scan_pair_rank(const struct kvmintro_scanner *s,
					    unsigned int key)
{
	u64 below = s->pair_bits[key / 64] & ((1ull << (key % 64)) - 1);

	return s->pair_rank[key / 64] + kvmintro_scan_popcount(below);
}

/* Count a match, call back, and turn a stop into the sticky status. */
static int kvmintro_scan_report(struct kvmintro_scanner *s,
				unsigned int pattern, u64 address,
				kvmintro_scan_match_fn fn, void *ctx)
{
	int ret;

	s->matches++;
	ret = fn(ctx, pattern, address);
	if (!ret && s->matches == s->spec.max)
		ret = KVMINTRO_SCAN_FULL;
	s->status = ret;
	return ret;
}

/* Report the patterns of at most @room bytes that occur at @p. */
static int kvmintro_scan_check(struct kvmintro_scanner *s, const u8 *p,
			       size_t room, u64 address,
			       kvmintro_scan_match_fn fn, void *ctx)
{
	const struct kvmintro_scan_spec *spec = &s->spec;
	unsigned int i;
	int ret;

	for (i = 0; i < spec->count; i++) {
		if (spec->lengths[i] > room || p[0] != spec->patterns[i][0] ||
		    memcmp(p, spec->patterns[i], spec->lengths[i]))
			continue;
		ret = kvmintro_scan_report(s, i, address, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* Verify the candidates of the pair sampled at @buf[@r]. */
static int kvmintro_scan_sample(struct kvmintro_scanner *s, const u8 *buf,
				size_t r, size_t limit, u64 base,
				kvmintro_scan_match_fn fn, void *ctx)
{
	unsigned int key = kvmintro_scan_pair_key(buf + r);
	unsigned int rank, i, end, pattern;
	size_t p;
	int ret;

	if (!((s->pair_bits[key / 64] >> (key % 64)) & 1))
		return 0;
	rank = kvmintro_scan_pair_rank(s, key);
	end = s->pair_first[rank + 1];
	/* By decreasing offset: by increasing position, then pattern. */
	for (i = s->pair_first[rank]; i < end; i++) {
		pattern = s->pairs[i].pattern;
		p = r - s->pairs[i].offset;
		if (p >= limit)
			break;
		if (memcmp(buf + p, s->spec.patterns[pattern],
			   s->spec.lengths[pattern]))
			continue;
		ret = kvmintro_scan_report(s, pattern, base + p, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* Bit 0 is set if the pair @key, less its bit 15, is in the filter. */
static inline u64 kvmintro_scan_filter(const u64 *filter, unsigned int key)
{
	return filter[key / 64 % KVMINTRO_SCAN_FILTER_WORDS] >> (key % 64);
}

/*
 * Sampled-pair search of the positions below @limit.  The pair at r covers
 * the positions r - stride + 1 .. r; pairs are read up to limit + stride - 1,
 * within the buffer as every pattern has stride + 1 bytes or more.
 */
static int kvmintro_scan_sampled(struct kvmintro_scanner *s, const u8 *buf,
				 size_t limit, u64 base,
				 kvmintro_scan_match_fn fn, void *ctx)
{
	const u64 *filter = s->pair_filter;
	size_t stride = s->stride;
	size_t end = limit + stride - 1;
	size_t r = stride - 1;
	unsigned int k0, k1, k2, k3, i;
	u64 hit;
	int ret;

	while (r + 3 * stride < end) {
		k0 = kvmintro_scan_pair_key(buf + r);
		k1 = kvmintro_scan_pair_key(buf + r + stride);
		k2 = kvmintro_scan_pair_key(buf + r + 2 * stride);
		k3 = kvmintro_scan_pair_key(buf + r + 3 * stride);
		hit = kvmintro_scan_filter(filter, k0) |
		      kvmintro_scan_filter(filter, k1) |
		      kvmintro_scan_filter(filter, k2) |
		      kvmintro_scan_filter(filter, k3);
		if (likely(!(hit & 1))) {
			r += 4 * stride;
			continue;
		}
		for (i = 0; i < 4; i++, r += stride) {
			ret = kvmintro_scan_sample(s, buf, r, limit, base, fn,
						   ctx);
			if (ret)
				return ret;
		}
	}
	for (; r < end; r += stride) {
		ret = kvmintro_scan_sample(s, buf, r, limit, base, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* Report the matches at the positions flagged in @mask, 8 from @p. */
static int kvmintro_scan_candidates(struct kvmintro_scanner *s, const u8 *buf,
				    size_t p, u64 mask, u64 base,
				    kvmintro_scan_match_fn fn, void *ctx)
{
	size_t q;
	int ret;

	while (mask) {
		q = p + __builtin_ctzll(mask) / 8;
		mask &= mask - 1;
		ret = kvmintro_scan_check(s, buf + q, KVMINTRO_SCAN_PATTERN_MAX,
					  base + q, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Flag the positions of the word at @p where an anchor starts: a byte of
 * (v ^ anchor0) | (next ^ anchor1) is zero where both bytes match.
 */
static inline u64 kvmintro_scan_anchor_mask(const struct kvmintro_scanner *s,
					    const u8 *p)
{
	u64 v = kvmintro_scan_load(p), next = 0, mask = 0;
	unsigned int i;

	if (s->anchor_pairs)
		next = kvmintro_scan_load(p + 1);
	for (i = 0; i < s->anchors; i++)
		mask |= kvmintro_scan_zero_bytes((v ^ s->anchor0[i]) |
						 (next ^ s->anchor1[i]));
	return mask;
}

/*
 * Word-at-a-time search of the positions below @limit.  Words are read
 * within [0, limit + 1): every position below @limit has a whole pattern
 * after it, of at least 2 bytes if the anchors are pairs.  One anchor, the
 * usual case, has its own loop, two words per round.
 */
static int kvmintro_scan_words(struct kvmintro_scanner *s, const u8 *buf,
			       size_t limit, u64 base,
			       kvmintro_scan_match_fn fn, void *ctx)
{
	const u64 a0 = s->anchor0[0], a1 = s->anchor1[0];
	size_t p = 0;
	u64 m0, m1;
	int ret;

	if (s->anchors == 1 && !s->anchor_pairs) {
		for (; limit - p >= 16; p += 16) {
			m0 = kvmintro_scan_load(buf + p) ^ a0;
			m1 = kvmintro_scan_load(buf + p + 8) ^ a0;
			m0 = kvmintro_scan_zero_bytes(m0);
			m1 = kvmintro_scan_zero_bytes(m1);
			if (likely(!(m0 | m1)))
				continue;
			ret = kvmintro_scan_candidates(s, buf, p, m0, base, fn,
						       ctx);
			if (!ret)
				ret = kvmintro_scan_candidates(s, buf, p + 8, m1,
							       base, fn, ctx);
			if (ret)
				return ret;
		}
	} else if (s->anchors == 1) {
		for (; limit - p >= 16; p += 16) {
			m0 = (kvmintro_scan_load(buf + p) ^ a0) |
			     (kvmintro_scan_load(buf + p + 1) ^ a1);
			m1 = (kvmintro_scan_load(buf + p + 8) ^ a0) |
			     (kvmintro_scan_load(buf + p + 9) ^ a1);
			m0 = kvmintro_scan_zero_bytes(m0);
			m1 = kvmintro_scan_zero_bytes(m1);
			if (likely(!(m0 | m1)))
				continue;
			ret = kvmintro_scan_candidates(s, buf, p, m0, base, fn,
						       ctx);
			if (!ret)
				ret = kvmintro_scan_candidates(s, buf, p + 8, m1,
							       base, fn, ctx);
			if (ret)
				return ret;
		}
	}
	for (; limit - p >= 8; p += 8) {
		m0 = kvmintro_scan_anchor_mask(s, buf + p);
		if (likely(!m0))
			continue;
		ret = kvmintro_scan_candidates(s, buf, p, m0, base, fn, ctx);
		if (ret)
			return ret;
	}
	for (; p < limit; p++) {
		ret = kvmintro_scan_check(s, buf + p, KVMINTRO_SCAN_PATTERN_MAX,
					  base + p, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* Report every match at the positions below @limit of @buf. */
static int kvmintro_scan_search(struct kvmintro_scanner *s, const u8 *buf,
				size_t limit, u64 base,
				kvmintro_scan_match_fn fn, void *ctx)
{
	if (s->stride)
		return kvmintro_scan_sampled(s, buf, limit, base, fn, ctx);
	return kvmintro_scan_words(s, buf, limit, base, fn, ctx);
}

/* Set up the word-at-a-time search; false if there are too many anchors. */
static bool kvmintro_scan_init_words(struct kvmintro_scanner *s, bool pairs,
				     unsigned int max_anchors)
{
	const struct kvmintro_scan_spec *spec = &s->spec;
	u64 a0, a1;
	unsigned int i, j;

	s->anchor_pairs = pairs;
	s->anchors = 0;
	for (i = 0; i < spec->count; i++) {
		a0 = spec->patterns[i][0] * KVMINTRO_SCAN_ONES;
		a1 = pairs ? spec->patterns[i][1] * KVMINTRO_SCAN_ONES : 0;
		for (j = 0; j < s->anchors; j++) {
			if (s->anchor0[j] == a0 && s->anchor1[j] == a1)
				break;
		}
		if (j < s->anchors)
			continue;
		if (s->anchors == max_anchors)
			return false;
		s->anchor0[s->anchors] = a0;
		s->anchor1[s->anchors] = a1;
		s->anchors++;
	}
	return true;
}

/* Build the pair set and the (pattern, offset) list of each pair. */
static void kvmintro_scan_init_pairs(struct kvmintro_scanner *s)
{
	const struct kvmintro_scan_spec *spec = &s->spec;
	unsigned int i, j, key, rank, total = 0;

	memset(s->pair_filter, 0, sizeof(s->pair_filter));
	memset(s->pair_bits, 0, sizeof(s->pair_bits));
	for (i = 0; i < spec->count; i++) {
		for (j = 0; j < s->stride; j++) {
			key = kvmintro_scan_pair_key(spec->patterns[i] + j);
			s->pair_bits[key / 64] |= 1ull << (key % 64);
			s->pair_filter[key / 64 % KVMINTRO_SCAN_FILTER_WORDS] |=
				1ull << (key % 64);
		}
	}
	for (i = 0; i < ARRAY_SIZE(s->pair_bits); i++) {
		s->pair_rank[i] = total;
		total += kvmintro_scan_popcount(s->pair_bits[i]);
	}
	/*
	 * Counting sort: pair_first[rank + 2] counts, prefix sums make
	 * pair_first[rank + 1] the start of rank's entries, and placing
	 * entries moves it to the start of rank + 1.
	 */
	memset(s->pair_first, 0, (total + 2) * sizeof(s->pair_first[0]));
	for (i = 0; i < spec->count; i++) {
		for (j = 0; j < s->stride; j++) {
			key = kvmintro_scan_pair_key(spec->patterns[i] + j);
			rank = kvmintro_scan_pair_rank(s, key);
			s->pair_first[rank + 2]++;
		}
	}
	for (i = 1; i < total + 2; i++)
		s->pair_first[i] += s->pair_first[i - 1];
	for (j = s->stride; j-- > 0;) {
		for (i = 0; i < spec->count; i++) {
			key = kvmintro_scan_pair_key(spec->patterns[i] + j);
			rank = kvmintro_scan_pair_rank(s, key);
			s->pairs[s->pair_first[rank + 1]].pattern = i;
			s->pairs[s->pair_first[rank + 1]].offset = j;
			s->pair_first[rank + 1]++;
		}
	}
}

/* Choose the faster search for these patterns, and set it up. */
static void kvmintro_scan_choose(struct kvmintro_scanner *s)
{
	unsigned int max_anchors = s->min_len == 2 ? 2 : 1;

	s->stride = 0;
	if (s->min_len == 1) {
		kvmintro_scan_init_words(s, false, KVMINTRO_SCAN_MAX_PATTERNS);
		return;
	}
	if (s->min_len - 1 < KVMINTRO_SCAN_SAMPLE_STRIDE_MIN &&
	    kvmintro_scan_init_words(s, true, max_anchors))
		return;
	s->anchors = 0;
	s->stride = s->min_len - 1;
	kvmintro_scan_init_pairs(s);
}

/**
 * kvmintro_scan_init() - start a search
 * @s: the scanner, any content; untouched on error
 * @spec: the patterns, as kvmintro_scan_parse() makes them (copied)
 *
 * A @spec->max of 0 means no limit.
 *
 * Return: 0, or -EINVAL if @spec has no pattern, too many, or one of a
 * length out of range.
 */
int kvmintro_scan_init(struct kvmintro_scanner *s,
		       const struct kvmintro_scan_spec *spec)
{
	unsigned int i, len, min_len = KVMINTRO_SCAN_PATTERN_MAX, max_len = 1;

	if (!spec->count || spec->count > KVMINTRO_SCAN_MAX_PATTERNS)
		return -EINVAL;
	for (i = 0; i < spec->count; i++) {
		len = spec->lengths[i];
		if (!len || len > KVMINTRO_SCAN_PATTERN_MAX)
			return -EINVAL;
		if (len < min_len)
			min_len = len;
		if (len > max_len)
			max_len = len;
	}
	s->spec = *spec;
	s->min_len = min_len;
	s->max_len = max_len;
	s->matches = 0;
	s->status = 0;
	s->tail_len = 0;
	s->next_address = 0;
	kvmintro_scan_choose(s);
	return 0;
}

/**
 * kvmintro_scan_feed() - search the next piece of memory
 * @s: the scanner
 * @buf: the bytes
 * @len: how many, any number
 * @base: address of @buf[0]; a piece continues the previous one if it
 *	  starts where that one ended and no kvmintro_scan_break() came between
 * @fn: called for each match (see kvmintro_scan_match_fn)
 * @ctx: passed to @fn
 *
 * Matches are reported by increasing address, then pattern index, across
 * the pieces of a contiguous run too, each once, overlapping ones included.
 * A match that ends in the last (longest pattern - 1) bytes of @buf may be
 * reported by a later call only, when the bytes after it are known: by the
 * next feed, or by kvmintro_scan_break() (also called by a feed that does
 * not continue the run).  Finish a scan with kvmintro_scan_break().
 *
 * Return: 0 to go on; KVMINTRO_SCAN_FULL once @spec->max matches have been
 * reported; what @fn returned if not 0.  Either stops the scan: from then
 * on this and kvmintro_scan_break() return the same, doing nothing.
 */
int kvmintro_scan_feed(struct kvmintro_scanner *s, const u8 *buf, size_t len,
		       u64 base, kvmintro_scan_match_fn fn, void *ctx)
{
	unsigned int keep = s->max_len - 1;
	unsigned int tail = s->tail_len;
	size_t head, limit = 0, window_len = 0;
	int ret;

	if (s->status)
		return s->status;
	if (!len)
		return 0;
	if (tail && base != s->next_address) {
		ret = kvmintro_scan_break(s, fn, ctx);
		if (ret)
			return ret;
		tail = 0;
	}
	/*
	 * The positions kept from the previous feeds, followed by the head
	 * of this one: decide those that now have max_len bytes from them on
	 * (all of the tail if len >= keep; never more, as head <= keep).
	 */
	if (tail) {
		head = len < keep ? len : keep;
		memcpy(s->window + tail, buf, head);
		window_len = tail + head;
		if (window_len >= s->max_len) {
			limit = window_len - s->max_len + 1;
			ret = kvmintro_scan_search(s, s->window, limit,
						   s->next_address - tail, fn,
						   ctx);
			if (ret)
				return ret;
		}
	}
	if (len >= s->max_len) {
		ret = kvmintro_scan_search(s, buf, len - s->max_len + 1, base,
					   fn, ctx);
		if (ret)
			return ret;
	}
	/* Keep what could not be decided for every pattern. */
	if (len >= keep) {
		memcpy(s->window, buf + len - keep, keep);
		s->tail_len = keep;
	} else if (tail) {
		memmove(s->window, s->window + limit, window_len - limit);
		s->tail_len = window_len - limit;
	} else {
		memcpy(s->window, buf, len);
		s->tail_len = len;
	}
	s->next_address = base + len;
	return 0;
}

/**
 * kvmintro_scan_break() - end a contiguous run of feeds
 * @s: the scanner
 * @fn: called for each match (see kvmintro_scan_match_fn)
 * @ctx: passed to @fn
 *
 * Report the matches left in the last bytes fed, then forget them: the next
 * feed starts a new run, even at the same address.  Call it at each hole
 * and at the end of the scan.
 *
 * Return: as kvmintro_scan_feed().
 */
int kvmintro_scan_break(struct kvmintro_scanner *s, kvmintro_scan_match_fn fn,
			void *ctx)
{
	unsigned int tail = s->tail_len;
	u64 address = s->next_address - tail;
	unsigned int p;
	int ret;

	if (s->status)
		return s->status;
	s->tail_len = 0;
	for (p = 0; p < tail; p++) {
		ret = kvmintro_scan_check(s, s->window + p, tail - p,
					  address + p, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}
