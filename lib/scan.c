// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-pattern search of guest memory, fed in pieces.
 *
 * With m the shortest run of known bytes any pattern starts with (all of
 * a "str:" or "istr:" pattern, a "hex:" one up to its first "??"), any
 * occurrence of any pattern covers a gram of g = min(m, 4) known bytes at
 * each of its first m - g + 1 offsets.  So the hot loop reads only one gram
 * every stride = m - g + 1 bytes (four per round), hashes it, and tests its
 * bit in a filter: the set of the grams at offsets 0..stride-1 of every
 * pattern, less bit 5 of each byte so that case does not matter (and
 * "istr:" costs nothing).  The filter has about 32 bits per gram, 4 KiB
 * (in the L1 cache) to 128 KiB (in L2) of them: on random data a gram
 * passes with probability 1/32 or less, so a round costs 4 loads, 4
 * multiplications, 4 loads of filter words and one branch, nearly never
 * taken.  A gram that passes is looked up by the rank of its bit, which
 * gives the list of (pattern, offset) to compare its 32-bit key with, then
 * to verify (memcmp(), or a masked compare for wildcards and letters of
 * any case).  This is the filter half of Horspool, as in glibc's memmem(),
 * with hashed grams in the way of Rabin-Karp's: a constant stride set by
 * the shortest pattern rather than shifts, and thousands of patterns in
 * one pass.  The number of (pattern, offset) entries is bounded, the
 * stride shrinking if need be, so that the scanner's memory is fixed.
 *
 * Within one buffer matches are reported in increasing address then
 * pattern order: the gram at r finds the positions r - stride + 1 .. r
 * only.  Matches across feeds: the last (longest pattern - 1) bytes of a
 * contiguous run are kept in the scanner and searched with the head of the
 * next feed.  Those bytes are searched for no pattern until every pattern
 * can be decided there, so that the report order holds across feeds;
 * kvmintro_scan_break() decides them with the bytes there are.
 *
 * Worst case, memory made of near-matches of the patterns, every sample
 * hits and costs a verification per (pattern, offset) with its gram: O(n *
 * sum of pattern lengths), like the naive search.  A pattern whose known
 * prefix is short makes the stride short for all.
 */
#include "parse.h"
#include "scan.h"

#if defined(__x86_64__)
#define KVMINTRO_SCAN_HAVE_SIMD 1
#ifdef __KERNEL__
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/simd.h>
#endif
#endif

bool kvmintro_scan_force_scalar;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#endif

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

/*
 * "hex:" bytes: pairs of hex digits or "??" (any byte), blanks allowed
 * between pairs; the first byte is known.  Fill @out and @wildcards (of
 * KVMINTRO_SCAN_PATTERN_MAX / 8 bytes, cleared here) unless NULL.
 */
static int kvmintro_scan_parse_hex(const char *text, size_t len, u8 *out,
				   u8 *wildcards, unsigned int *out_len)
{
	unsigned int n = 0;
	int high, low;
	size_t i = 0;

	if (wildcards)
		memset(wildcards, 0, KVMINTRO_SCAN_PATTERN_MAX / 8);
	while (i < len) {
		if (kvmintro_scan_is_blank(text[i])) {
			i++;
			continue;
		}
		if (i + 1 >= len || n == KVMINTRO_SCAN_PATTERN_MAX)
			return -EINVAL;
		if (text[i] == '?' && text[i + 1] == '?') {
			if (!n)
				return -EINVAL;
			if (out)
				out[n] = 0;
			if (wildcards)
				wildcards[n / 8] |= 1 << (n % 8);
		} else {
			high = kvmintro_hex_digit(text[i]);
			low = kvmintro_hex_digit(text[i + 1]);
			if (high < 0 || low < 0)
				return -EINVAL;
			if (out)
				out[n] = high << 4 | low;
		}
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
	u8 *wildcards = spec ? spec->wildcards[index] : NULL;
	unsigned int pattern_len, skip;
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
	if (kvmintro_scan_starts_with(line, len, "str:") ||
	    kvmintro_scan_starts_with(line, len, "istr:")) {
		kind = line[0] == 'i' ? KVMINTRO_SCAN_ISTR : KVMINTRO_SCAN_STR;
		skip = kind == KVMINTRO_SCAN_ISTR ? 5 : 4;
		pattern_len = len - skip;
		if (!pattern_len || pattern_len > KVMINTRO_SCAN_PATTERN_MAX)
			return -EINVAL;
		if (out) {
			memcpy(out, line + skip, pattern_len);
			memset(wildcards, 0, KVMINTRO_SCAN_PATTERN_MAX / 8);
		}
	} else if (kvmintro_scan_starts_with(line, len, "hex:")) {
		ret = kvmintro_scan_parse_hex(line + 4, len - 4, out,
					      wildcards, &pattern_len);
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
 * kvmintro_scan_pattern_name() - name a pattern as the scan file writes it
 * @buf: KVMINTRO_SCAN_NAME_MAX bytes, not NUL terminated on return
 * @spec: a parsed spec
 * @index: the pattern's number, below @spec->count
 *
 * "str:" or "istr:" and the pattern's bytes as written; "hex:" and its
 * bytes as lowercase hex pairs without blanks, "??" for a wildcard.  The
 * name parses back into the same pattern.
 *
 * Return: the name's length.
 */
size_t kvmintro_scan_pattern_name(char *buf,
				  const struct kvmintro_scan_spec *spec,
				  unsigned int index)
{
	static const char digits[] = "0123456789abcdef";
	const u8 *p = spec->patterns[index];
	size_t len, i;
	char *end;

	if (spec->kinds[index] != KVMINTRO_SCAN_HEX) {
		len = spec->kinds[index] == KVMINTRO_SCAN_STR ? 4 : 5;
		memcpy(buf, spec->kinds[index] == KVMINTRO_SCAN_STR ? "str:" :
		       "istr:", len);
		memcpy(buf + len, p, spec->lengths[index]);
		return len + spec->lengths[index];
	}
	memcpy(buf, "hex:", 4);
	end = buf + 4;
	for (i = 0; i < spec->lengths[index]; i++) {
		bool any = kvmintro_scan_is_wildcard(spec, index, i);

		*end++ = any ? '?' : digits[p[i] >> 4];
		*end++ = any ? '?' : digits[p[i] & 0xf];
	}
	return end - buf;
}

/**
 * kvmintro_scan_parse() - parse a write to the scan file
 * @spec: filled on success, untouched on error
 * @buf: the bytes written, need not be NUL terminated
 * @len: how many, at most KVMINTRO_SCAN_INPUT_MAX
 *
 * One item per line, lines separated by '\n' (a '\r' is not special):
 * "str:<text>", the rest of the line taken literally, blanks, NUL and
 * backslashes included (no escapes); "istr:<text>", the same with ASCII
 * letters matching in either case; "hex:<bytes>", pairs of hex digits in
 * either case or "??" for any byte, blanks (space, tab) allowed between
 * pairs, the first byte not "??"; "max=<n>", at most once, decimal
 * (leading zeros allowed, not octal) or hex after "0x", from 1 to
 * KVMINTRO_SCAN_MAX_LIMIT, default KVMINTRO_SCAN_DEFAULT_MAX.  Empty lines
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
static inline u64 kvmintro_scan_load64(const u8 *p)
{
	u64 v;

	__builtin_memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* Little-endian 32-bit load from any address. */
static inline u32 kvmintro_scan_load32(const u8 *p)
{
	u32 v;

	__builtin_memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/*
 * The @gram bytes at @p, little-endian: reads exactly @gram bytes, so that
 * a gram may end where the memory does.
 */
static inline u32 kvmintro_scan_gram(const u8 *p, unsigned int gram)
{
	u32 v;

	switch (gram) {
	case 4:
		v = kvmintro_scan_load32(p);
		break;
	case 3:
		v = p[0] | p[1] << 8 | (u32)p[2] << 16;
		break;
	case 2:
		v = p[0] | p[1] << 8;
		break;
	default:
		v = p[0];
		break;
	}
	return v;
}

/* Bit of the filter for @key: a multiplicative (Fibonacci) hash. */
static inline u32 kvmintro_scan_hash(u32 key, unsigned int shift)
{
	return (key * 0x9e3779b1u) >> shift;
}

static unsigned int kvmintro_scan_popcount(u64 v)
{
	v -= (v >> 1) & 0x5555555555555555ull;
	v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
	v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (v * 0x0101010101010101ull) >> 56;
}

/* Index of @bit among the set bits of @s->filter, which must hold it. */
static unsigned int kvmintro_scan_rank(const struct kvmintro_scanner *s,
				       u32 bit)
{
	u64 below = s->filter[bit / 64] & ((1ull << (bit % 64)) - 1);

	return s->filter_rank[bit / 64] + kvmintro_scan_popcount(below);
}

/* Does pattern @i occur at @p (which has its length in bytes)? */
static bool kvmintro_scan_equal(const struct kvmintro_scanner *s,
				unsigned int i, const u8 *p)
{
	const u8 *value = s->values[i], *mask = s->masks[i];
	unsigned int len = s->spec.lengths[i], k = 0;

	if (s->exact[i])
		return !memcmp(p, value, len);
	for (; k + 8 <= len; k += 8) {
		if ((kvmintro_scan_load64(p + k) & kvmintro_scan_load64(mask + k)) !=
		    kvmintro_scan_load64(value + k))
			return false;
	}
	for (; k < len; k++) {
		if ((p[k] & mask[k]) != value[k])
			return false;
	}
	return true;
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

/*
 * Verify the candidates of the gram sampled at @buf[@r]: those that start
 * below @limit and end by @end.
 */
static int kvmintro_scan_sample(struct kvmintro_scanner *s, const u8 *buf,
				size_t r, size_t limit, size_t end, u64 base,
				kvmintro_scan_match_fn fn, void *ctx)
{
	u32 key = kvmintro_scan_gram(buf + r, s->gram) & s->gram_mask;
	u32 bit = kvmintro_scan_hash(key, s->filter_shift);
	const struct kvmintro_scan_entry *entry, *last;
	unsigned int rank, pattern;
	size_t p;
	int ret;

	if (!((s->filter[bit / 64] >> (bit % 64)) & 1))
		return 0;
	rank = kvmintro_scan_rank(s, bit);
	entry = &s->entries[s->first[rank]];
	last = &s->entries[s->first[rank + 1]];
	/* By decreasing offset: by increasing position, then pattern. */
	for (; entry < last; entry++) {
		p = r - entry->offset;
		if (p >= limit)
			break;
		pattern = entry->pattern;
		if (entry->key != key || s->spec.lengths[pattern] > end - p ||
		    !kvmintro_scan_equal(s, pattern, buf + p))
			continue;
		ret = kvmintro_scan_report(s, pattern, base + p, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* Bit 0 is set if @key may be the key of an entry. */
static inline u64 kvmintro_scan_filter(const u64 *filter, unsigned int shift,
				       u32 key)
{
	u32 bit = kvmintro_scan_hash(key, shift);

	return filter[bit / 64] >> (bit % 64);
}

/*
 * Report every match at the positions below @limit of @buf, whose bytes
 * end at @end.  The gram at r covers the positions r - stride + 1 .. r;
 * grams are read up to limit + stride - 2 + gram, within the shortest
 * pattern from limit - 1 on, so within @end if the caller padded it.  The
 * hot loop tests 4 grams per round against the filter, with one branch,
 * nearly never taken on data unlike the patterns.
 */
static int kvmintro_scan_sampled(struct kvmintro_scanner *s, const u8 *buf,
				 size_t limit, size_t end, u64 base,
				 kvmintro_scan_match_fn fn, void *ctx)
{
	const u64 *filter = s->filter;
	const unsigned int shift = s->filter_shift;
	const u32 mask = s->gram_mask;
	size_t stride = s->stride;
	size_t stop = limit + stride - 1;
	size_t r = stride - 1;
	unsigned int i;
	u64 hit;
	int ret;

	if (s->gram == 4) {
		while (r + 3 * stride < stop) {
			hit = kvmintro_scan_filter(filter, shift,
				kvmintro_scan_load32(buf + r) & mask) |
			      kvmintro_scan_filter(filter, shift,
				kvmintro_scan_load32(buf + r + stride) & mask) |
			      kvmintro_scan_filter(filter, shift,
				kvmintro_scan_load32(buf + r + 2 * stride) & mask) |
			      kvmintro_scan_filter(filter, shift,
				kvmintro_scan_load32(buf + r + 3 * stride) & mask);
			if (likely(!(hit & 1))) {
				r += 4 * stride;
				continue;
			}
			for (i = 0; i < 4; i++, r += stride) {
				ret = kvmintro_scan_sample(s, buf, r, limit, end,
							   base, fn, ctx);
				if (ret)
					return ret;
			}
		}
	}
	for (; r < stop; r += stride) {
		ret = kvmintro_scan_sample(s, buf, r, limit, end, base, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* Report the patterns that occur at @p, which has @room bytes. */
static int kvmintro_scan_check(struct kvmintro_scanner *s, const u8 *p,
			       size_t room, u64 address,
			       kvmintro_scan_match_fn fn, void *ctx)
{
	unsigned int i;
	int ret;

	for (i = 0; i < s->spec.count; i++) {
		if (s->spec.lengths[i] > room ||
		    (p[0] & s->masks[i][0]) != s->values[i][0] ||
		    !kvmintro_scan_equal(s, i, p))
			continue;
		ret = kvmintro_scan_report(s, i, address, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

#ifdef KVMINTRO_SCAN_HAVE_SIMD
typedef u8 kvmintro_v32u8 __attribute__((vector_size(32)));
typedef char kvmintro_v32i8 __attribute__((vector_size(32)));
#ifdef __CHECKER__
/* GCC's, unknown to sparse. */
int __builtin_ia32_pmovmskb256(kvmintro_v32i8 v);
#endif

/* Positions of the 32 at @p where anchor @a has both its bytes. */
static inline __attribute__((target("avx2"), __always_inline__)) kvmintro_v32u8
kvmintro_scan_avx2_anchor(const struct kvmintro_scan_simd_anchor *a,
			  const u8 *p)
{
	kvmintro_v32u8 v0, v1;

	__builtin_memcpy(&v0, p, sizeof(v0));
	__builtin_memcpy(&v1, p + a->offset, sizeof(v1));
	return (kvmintro_v32u8)((v0 & a->mask0) == a->value0) &
	       (kvmintro_v32u8)((v1 & a->mask1) == a->value1);
}

/*
 * Return the first multiple of 32 from @p on, below @stop, where a block
 * of 32 positions holds a candidate, or @stop.  No call, no allocation:
 * the caller brackets it as an FPU section.
 */
static __attribute__((target("avx2"), __noinline__)) size_t
kvmintro_scan_avx2_skip(const struct kvmintro_scanner *s, const u8 *buf,
			size_t p, size_t stop)
{
	const struct kvmintro_scan_simd_anchor *a = s->anchors;
	unsigned int n = s->spec.count, i;
	kvmintro_v32u8 hit;

	/* One pattern of exact bytes, the usual case: 64 positions a round. */
	if (n == 1 && a->mask0 == 0xff && a->mask1 == 0xff) {
		kvmintro_v32u8 v0, v1, w0, w1;

		for (; stop - p >= 64; p += 64) {
			/* Natively 10% faster on memory, as fast as a read. */
			__builtin_prefetch(buf + p + 2048);
			__builtin_memcpy(&v0, buf + p, sizeof(v0));
			__builtin_memcpy(&v1, buf + p + a->offset, sizeof(v1));
			__builtin_memcpy(&w0, buf + p + 32, sizeof(w0));
			__builtin_memcpy(&w1, buf + p + 32 + a->offset,
					 sizeof(w1));
			hit = (kvmintro_v32u8)(v0 == a->value0) &
			      (kvmintro_v32u8)(v1 == a->value1);
			v0 = (kvmintro_v32u8)(w0 == a->value0) &
			     (kvmintro_v32u8)(w1 == a->value1);
			if (!__builtin_ia32_pmovmskb256((kvmintro_v32i8)(hit | v0)))
				continue;
			if (__builtin_ia32_pmovmskb256((kvmintro_v32i8)hit))
				return p;
			return p + 32;
		}
	}
	if (n == 1) {
		kvmintro_v32u8 hit1;

		for (; stop - p >= 64; p += 64) {
			__builtin_prefetch(buf + p + 2048);
			hit = kvmintro_scan_avx2_anchor(a, buf + p);
			hit1 = kvmintro_scan_avx2_anchor(a, buf + p + 32);
			if (!__builtin_ia32_pmovmskb256((kvmintro_v32i8)(hit | hit1)))
				continue;
			if (__builtin_ia32_pmovmskb256((kvmintro_v32i8)hit))
				return p;
			return p + 32;
		}
	}
	for (; p < stop; p += 32) {
		hit = kvmintro_scan_avx2_anchor(a, buf + p);
		for (i = 1; i < n; i++)
			hit |= kvmintro_scan_avx2_anchor(a + i, buf + p);
		if (__builtin_ia32_pmovmskb256((kvmintro_v32i8)hit))
			return p;
	}
	return stop;
}

/* Can this CPU search with AVX2 at all? */
static bool kvmintro_scan_simd_supported(void)
{
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_AVX2) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL);
#else
	return __builtin_cpu_supports("avx2");
#endif
}

/*
 * kvmintro_scan_avx2_skip() in an FPU section of its own in the kernel,
 * or (size_t)-1 if this context may not use SIMD.
 */
static size_t kvmintro_scan_simd_skip(const struct kvmintro_scanner *s,
				      const u8 *buf, size_t p, size_t stop)
{
#ifdef __KERNEL__
	if (!may_use_simd())
		return (size_t)-1;
	kernel_fpu_begin();
	p = kvmintro_scan_avx2_skip(s, buf, p, stop);
	kernel_fpu_end();
	return p;
#else
	return kvmintro_scan_avx2_skip(s, buf, p, stop);
#endif
}
#else
static bool kvmintro_scan_simd_supported(void)
{
	return false;
}

static size_t kvmintro_scan_simd_skip(const struct kvmintro_scanner *s,
				      const u8 *buf, size_t p, size_t stop)
{
	(void)s;
	(void)buf;
	(void)p;
	(void)stop;
	return (size_t)-1;
}
#endif

/*
 * Bytes one FPU section searches at most: about 10 us natively, so that
 * preemption is not held off for long.
 */
#define KVMINTRO_SCAN_SIMD_CHUNK	(64 * 1024)

/*
 * SIMD search of the positions below @limit: 32 at a time, each pattern's
 * first and last known bytes compared; a block with a candidate is
 * verified position by position, outside the FPU section, so that the
 * callback may sleep.  Reads stay within the patterns of the positions
 * below @limit, so within @end (or the caller's padding).
 */
static int kvmintro_scan_simd(struct kvmintro_scanner *s, const u8 *buf,
			      size_t limit, size_t end, u64 base,
			      kvmintro_scan_match_fn fn, void *ctx)
{
	size_t p = 0, q, r, stop;
	int ret;

	while (limit - p >= 32) {
		stop = p + ((limit - p) & ~(size_t)31);
		if (stop - p > KVMINTRO_SCAN_SIMD_CHUNK)
			stop = p + KVMINTRO_SCAN_SIMD_CHUNK;
		q = kvmintro_scan_simd_skip(s, buf, p, stop);
		if (q == (size_t)-1)
			return kvmintro_scan_sampled(s, buf + p, limit - p,
						     end - p, base + p, fn, ctx);
		p = q;
		if (p == stop)
			continue;
		for (r = p, p += 32; r < p; r++) {
			ret = kvmintro_scan_check(s, buf + r, end - r, base + r,
						  fn, ctx);
			if (ret)
				return ret;
		}
	}
	for (; p < limit; p++) {
		ret = kvmintro_scan_check(s, buf + p, end - p, base + p, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* Report every match at the positions below @limit of @buf (see above). */
static int kvmintro_scan_search(struct kvmintro_scanner *s, const u8 *buf,
				size_t limit, size_t end, u64 base,
				kvmintro_scan_match_fn fn, void *ctx)
{
	if (s->simd)
		return kvmintro_scan_simd(s, buf, limit, end, base, fn, ctx);
	return kvmintro_scan_sampled(s, buf, limit, end, base, fn, ctx);
}

/* Compare the first and the last known byte of each pattern. */
static void kvmintro_scan_init_simd(struct kvmintro_scanner *s)
{
	const struct kvmintro_scan_spec *spec = &s->spec;
	struct kvmintro_scan_simd_anchor *a;
	unsigned int i, j;

	s->simd = !kvmintro_scan_force_scalar &&
		  spec->count <= KVMINTRO_SCAN_SIMD_PATTERNS &&
		  kvmintro_scan_simd_supported();
	for (i = 0; s->simd && i < spec->count; i++) {
		a = &s->anchors[i];
		for (j = spec->lengths[i] - 1; s->masks[i][j] == 0; j--)
			;
		a->offset = j;
		a->value0 = s->values[i][0];
		a->mask0 = s->masks[i][0];
		a->value1 = s->values[i][j];
		a->mask1 = s->masks[i][j];
	}
}

/* Known bytes pattern @i starts with, before its first wildcard. */
static unsigned int kvmintro_scan_known_prefix(const struct kvmintro_scan_spec *spec,
					       unsigned int i)
{
	unsigned int j;

	for (j = 0; j < spec->lengths[i]; j++) {
		if (kvmintro_scan_is_wildcard(spec, i, j))
			break;
	}
	return j;
}

static bool kvmintro_scan_is_letter(u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Fill @values, @masks and @exact from the spec. */
static void kvmintro_scan_init_patterns(struct kvmintro_scanner *s)
{
	const struct kvmintro_scan_spec *spec = &s->spec;
	unsigned int i, j;
	u8 c, mask;

	for (i = 0; i < spec->count; i++) {
		s->exact[i] = 1;
		for (j = 0; j < spec->lengths[i]; j++) {
			c = spec->patterns[i][j];
			mask = 0xff;
			if (kvmintro_scan_is_wildcard(spec, i, j))
				mask = 0;
			else if (spec->kinds[i] == KVMINTRO_SCAN_ISTR &&
				 kvmintro_scan_is_letter(c))
				mask = 0xdf;
			s->values[i][j] = c & mask;
			s->masks[i][j] = mask;
			if (mask != 0xff)
				s->exact[i] = 0;
		}
	}
}

/* Build the filter and the (pattern, offset) entries of each of its bits. */
static void kvmintro_scan_init_entries(struct kvmintro_scanner *s)
{
	const struct kvmintro_scan_spec *spec = &s->spec;
	unsigned int i, j, rank, total = 0, words;
	u32 key, bit;

	words = (1u << (32 - s->filter_shift)) / 64;
	memset(s->filter, 0, words * sizeof(s->filter[0]));
	for (i = 0; i < spec->count; i++) {
		for (j = 0; j < s->stride; j++) {
			key = kvmintro_scan_gram(spec->patterns[i] + j,
						 s->gram) & s->gram_mask;
			bit = kvmintro_scan_hash(key, s->filter_shift);
			s->filter[bit / 64] |= 1ull << (bit % 64);
		}
	}
	for (i = 0; i < words; i++) {
		s->filter_rank[i] = total;
		total += kvmintro_scan_popcount(s->filter[i]);
	}
	/*
	 * Counting sort: first[rank + 2] counts, prefix sums make
	 * first[rank + 1] the start of rank's entries, and placing entries
	 * moves it to the start of rank + 1.
	 */
	memset(s->first, 0, (total + 2) * sizeof(s->first[0]));
	for (i = 0; i < spec->count; i++) {
		for (j = 0; j < s->stride; j++) {
			key = kvmintro_scan_gram(spec->patterns[i] + j,
						 s->gram) & s->gram_mask;
			bit = kvmintro_scan_hash(key, s->filter_shift);
			s->first[kvmintro_scan_rank(s, bit) + 2]++;
		}
	}
	for (i = 1; i < total + 2; i++)
		s->first[i] += s->first[i - 1];
	for (j = s->stride; j-- > 0;) {
		for (i = 0; i < spec->count; i++) {
			key = kvmintro_scan_gram(spec->patterns[i] + j,
						 s->gram) & s->gram_mask;
			bit = kvmintro_scan_hash(key, s->filter_shift);
			rank = kvmintro_scan_rank(s, bit);
			s->entries[s->first[rank + 1]] = (struct kvmintro_scan_entry) {
				.key = key, .pattern = i, .offset = j,
			};
			s->first[rank + 1]++;
		}
	}
}

/*
 * Choose the gram, the stride and the filter's size for these patterns.
 * Any occurrence of a pattern covers known bytes at its offsets 0..m-1, m
 * the shortest known prefix of any pattern; sampling a gram of g bytes
 * every m - g + 1 positions reads one of them within those bytes, at an
 * offset below the stride.  The stride shrinks so that (patterns x stride)
 * entries stay within KVMINTRO_SCAN_ENTRIES_MAX; the filter has about 32
 * bits per entry, so that data unlike the patterns passes it rarely.
 */
static void kvmintro_scan_choose(struct kvmintro_scanner *s)
{
	const struct kvmintro_scan_spec *spec = &s->spec;
	unsigned int i, known, shortest = KVMINTRO_SCAN_PATTERN_MAX, bits;

	for (i = 0; i < spec->count; i++) {
		known = kvmintro_scan_known_prefix(spec, i);
		if (known < shortest)
			shortest = known;
	}
	s->gram = shortest < 4 ? shortest : 4;
	s->gram_mask = 0xdfdfdfdfu;
	if (s->gram < 4)
		s->gram_mask &= (1u << (8 * s->gram)) - 1;
	s->stride = shortest - s->gram + 1;
	if (s->stride > KVMINTRO_SCAN_ENTRIES_MAX / spec->count)
		s->stride = KVMINTRO_SCAN_ENTRIES_MAX / spec->count;
	bits = KVMINTRO_SCAN_FILTER_BITS_MIN;
	while (bits < KVMINTRO_SCAN_FILTER_BITS_MAX &&
	       (1u << bits) < 32 * spec->count * s->stride)
		bits++;
	s->filter_shift = 32 - bits;
	kvmintro_scan_init_entries(s);
}

/* Is @spec one kvmintro_scan_parse() could have made? */
static int kvmintro_scan_check_spec(const struct kvmintro_scan_spec *spec,
				    unsigned int *min_len,
				    unsigned int *max_len)
{
	unsigned int i, len;

	*min_len = KVMINTRO_SCAN_PATTERN_MAX;
	*max_len = 1;
	if (!spec->count || spec->count > KVMINTRO_SCAN_MAX_PATTERNS)
		return -EINVAL;
	for (i = 0; i < spec->count; i++) {
		len = spec->lengths[i];
		if (!len || len > KVMINTRO_SCAN_PATTERN_MAX ||
		    spec->kinds[i] > KVMINTRO_SCAN_ISTR ||
		    kvmintro_scan_is_wildcard(spec, i, 0))
			return -EINVAL;
		if (len < *min_len)
			*min_len = len;
		if (len > *max_len)
			*max_len = len;
	}
	return 0;
}

/**
 * kvmintro_scan_init() - start a search
 * @s: the scanner, any content; untouched on error
 * @spec: the patterns, as kvmintro_scan_parse() makes them (copied)
 *
 * A @spec->max of 0 means no limit.  Wildcard bits past a pattern's length
 * are ignored.
 *
 * Return: 0, or -EINVAL if @spec has no pattern, too many, one of a length
 * out of range, of an unknown kind, or starting with a wildcard.
 */
int kvmintro_scan_init(struct kvmintro_scanner *s,
		       const struct kvmintro_scan_spec *spec)
{
	unsigned int min_len, max_len;
	int ret;

	ret = kvmintro_scan_check_spec(spec, &min_len, &max_len);
	if (ret)
		return ret;
	s->spec = *spec;
	s->min_len = min_len;
	s->max_len = max_len;
	s->matches = 0;
	s->status = 0;
	s->tail_len = 0;
	s->next_address = 0;
	kvmintro_scan_init_patterns(s);
	kvmintro_scan_choose(s);
	kvmintro_scan_init_simd(s);
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
						   window_len,
						   s->next_address - tail, fn,
						   ctx);
			if (ret)
				return ret;
		}
	}
	if (len >= s->max_len) {
		ret = kvmintro_scan_search(s, buf, len - s->max_len + 1, len,
					   base, fn, ctx);
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

	if (s->status)
		return s->status;
	s->tail_len = 0;
	if (!tail)
		return 0;
	/* Zeros after the tail, for the grams read past its last position. */
	memset(s->window + tail, 0, KVMINTRO_SCAN_PATTERN_MAX);
	return kvmintro_scan_search(s, s->window, tail, tail,
				    s->next_address - tail, fn, ctx);
}
