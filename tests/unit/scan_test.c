// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/scan.c: the scan file's syntax, written out by hand
 * from its documentation, and the search, checked against a naive search
 * written here (every pattern compared byte by byte at every offset, as
 * its kind says) on chosen and on random inputs, cut into pieces at every
 * place, for every pattern form, count and length.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/scan.h"


static bool expect(bool passed, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static bool expect(bool passed, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	ksft_test_vresult(passed, format, args);
	va_end(args);
	return passed;
}

/* ---- Parser ---- */

static struct kvmintro_scan_spec spec;

static int parse(const char *text)
{
	return kvmintro_scan_parse(&spec, text, strlen(text));
}

static bool pattern_is(unsigned int i, const void *bytes, size_t len,
		       enum kvmintro_scan_kind kind)
{
	return i < spec.count && spec.lengths[i] == len &&
	       spec.kinds[i] == kind && !memcmp(spec.patterns[i], bytes, len);
}

static void test_parse_accepted(void)
{
	static const char nul_line[] = "str:a\0b\nhex:00";
	char text[1200], *big;
	unsigned int i, n;

	expect(!parse("str:Linux version") && spec.count == 1 &&
	       pattern_is(0, "Linux version", 13, KVMINTRO_SCAN_STR) &&
	       spec.max == KVMINTRO_SCAN_DEFAULT_MAX,
	       "parse: str: with a space, default max=10000");
	expect(!parse("str:Linux version\n") && spec.count == 1 &&
	       pattern_is(0, "Linux version", 13, KVMINTRO_SCAN_STR),
	       "parse: str: ending in a newline");
	expect(!parse("str: a \t") && pattern_is(0, " a \t", 4, KVMINTRO_SCAN_STR),
	       "parse: str: keeps blanks around its text");
	expect(!parse("str:a\\n\\x00\"") &&
	       pattern_is(0, "a\\n\\x00\"", 8, KVMINTRO_SCAN_STR),
	       "parse: str: takes backslashes literally");
	expect(!parse("str:a\r\n") && pattern_is(0, "a\r", 2, KVMINTRO_SCAN_STR),
	       "parse: str: keeps a carriage return");
	expect(!parse("str:str:x") && pattern_is(0, "str:x", 5, KVMINTRO_SCAN_STR),
	       "parse: str: text may look like a keyword");
	expect(!kvmintro_scan_parse(&spec, nul_line, sizeof(nul_line) - 1) &&
	       spec.count == 2 && pattern_is(0, "a\0b", 3, KVMINTRO_SCAN_STR) &&
	       pattern_is(1, "", 1, KVMINTRO_SCAN_HEX),
	       "parse: str: with a NUL byte, hex:00");
	expect(!parse("hex:4c 69 6e") &&
	       pattern_is(0, "Lin", 3, KVMINTRO_SCAN_HEX),
	       "parse: hex: lowercase, spaces between bytes");
	expect(!parse("hex:4C696E") && pattern_is(0, "Lin", 3, KVMINTRO_SCAN_HEX),
	       "parse: hex: uppercase, no spaces");
	expect(!parse("hex:aBcD\tEf") &&
	       pattern_is(0, "\xab\xcd\xef", 3, KVMINTRO_SCAN_HEX),
	       "parse: hex: mixed case, a tab between bytes");
	expect(!parse("hex:  4c  69  ") &&
	       pattern_is(0, "Li", 2, KVMINTRO_SCAN_HEX),
	       "parse: hex: blanks before, between and after bytes");
	expect(!parse("hex:00ff0080") &&
	       pattern_is(0, "\0\xff\0\x80", 4, KVMINTRO_SCAN_HEX),
	       "parse: hex: NUL and high bytes");
	expect(!parse("max=5\nstr:a") && spec.max == 5 && spec.count == 1,
	       "parse: max=5 before the pattern");
	expect(!parse("str:a\nmax=7\nstr:b") && spec.max == 7 &&
	       spec.count == 2 && pattern_is(1, "b", 1, KVMINTRO_SCAN_STR),
	       "parse: max= between patterns");
	expect(!parse("max=0x10\nstr:a") && spec.max == 16, "parse: max=0x10");
	expect(!parse("max=0XfF\nstr:a") && spec.max == 255, "parse: max=0XfF");
	expect(!parse("max=010\nstr:a") && spec.max == 10,
	       "parse: max=010 is decimal 10, not octal");
	expect(!parse("max=1\nstr:a") && spec.max == 1, "parse: max=1");
	expect(!parse("max=1000000\nstr:a") && spec.max == 1000000,
	       "parse: max=1000000");
	expect(!parse("max=0xf4240\nstr:a") && spec.max == 1000000,
	       "parse: max=0xf4240 (1000000)");
	expect(!parse("\n\nstr:a\n\n\nhex:62\n\n") && spec.count == 2 &&
	       pattern_is(0, "a", 1, KVMINTRO_SCAN_STR) &&
	       pattern_is(1, "b", 1, KVMINTRO_SCAN_HEX),
	       "parse: empty lines ignored");
	expect(!parse("str:a\nstr:a") && spec.count == 2 &&
	       pattern_is(1, "a", 1, KVMINTRO_SCAN_STR),
	       "parse: duplicate patterns kept");

	memset(text, 0, sizeof(text));
	memcpy(text, "str:", 4);
	memset(text + 4, 'x', 256);
	expect(!parse(text) && spec.lengths[0] == 256,
	       "parse: str: of 256 bytes");
	memcpy(text, "hex:", 4);
	for (i = 0; i < 256; i++)
		sprintf(text + 4 + 2 * i, "%02x", i);
	expect(!parse(text) && spec.lengths[0] == 256 &&
	       spec.patterns[0][255] == 0xff && spec.patterns[0][128] == 0x80,
	       "parse: hex: of 256 bytes");
	for (i = 0; i < 256; i++)
		sprintf(text + 4 + 3 * i, "%02X ", i);
	expect(!parse(text) && spec.lengths[0] == 256,
	       "parse: hex: of 256 spaced bytes");

	expect(!parse("istr:Linux Version") &&
	       pattern_is(0, "Linux Version", 13, KVMINTRO_SCAN_ISTR),
	       "parse: istr: kept as written");
	expect(!parse("hex:4d 5a ?? 00") &&
	       pattern_is(0, "MZ\0\0", 4, KVMINTRO_SCAN_HEX) &&
	       kvmintro_scan_is_wildcard(&spec, 0, 2) &&
	       !kvmintro_scan_is_wildcard(&spec, 0, 1) &&
	       !kvmintro_scan_is_wildcard(&spec, 0, 3),
	       "parse: hex: with a ?? wildcard");
	expect(!parse("hex:4d????\t??") && spec.lengths[0] == 4 &&
	       spec.wildcards[0][0] == 0x0e,
	       "parse: hex: ending in wildcards, without blanks");
	memcpy(text, "istr:", 5);
	memset(text + 5, 'X', 256);
	text[5 + 256] = '\0';
	expect(!parse(text) && spec.lengths[0] == 256 &&
	       spec.kinds[0] == KVMINTRO_SCAN_ISTR, "parse: istr: of 256 bytes");
	memcpy(text, "hex:41", 6);
	for (i = 1; i < 256; i++)
		memcpy(text + 4 + 2 * i, "??", 2);
	text[4 + 2 * 256] = '\0';
	expect(!parse(text) && spec.lengths[0] == 256 &&
	       kvmintro_scan_is_wildcard(&spec, 0, 255),
	       "parse: hex: of 1 byte and 255 wildcards");

	big = malloc(KVMINTRO_SCAN_MAX_PATTERNS * 16 + 16);
	big[0] = '\0';
	for (i = 0, n = 0; i < KVMINTRO_SCAN_MAX_PATTERNS; i++)
		n += sprintf(big + n, "str:p%u\n", i);
	strcpy(big + n, "max=3\n");
	expect(!parse(big) && spec.count == 4096 && spec.max == 3 &&
	       pattern_is(4095, "p4095", 5, KVMINTRO_SCAN_STR),
	       "parse: 4096 patterns and max=");
	free(big);
}

/* Check that @text is refused and leaves the spec as it was. */
static void expect_rejected(const char *text, size_t len, const char *name)
{
	static struct kvmintro_scan_spec before;

	memset(&spec, 0xa5, sizeof(spec));
	before = spec;
	expect(kvmintro_scan_parse(&spec, text, len) == -EINVAL &&
	       !memcmp(&spec, &before, sizeof(spec)),
	       "parse: rejects %s, spec untouched", name);
}

#define EXPECT_REJECTED(text, name) expect_rejected(text, strlen(text), name)

static void test_parse_rejected(void)
{
	char *big = malloc(KVMINTRO_SCAN_INPUT_MAX + 2);
	char text[1200];
	unsigned int i, n;

	EXPECT_REJECTED("", "empty input");
	EXPECT_REJECTED("\n\n\n", "only empty lines");
	EXPECT_REJECTED("max=5\n", "max= without a pattern");
	EXPECT_REJECTED("str:", "empty str:");
	EXPECT_REJECTED("str:\nstr:a", "empty str: before a good one");
	EXPECT_REJECTED("hex:", "empty hex:");
	EXPECT_REJECTED("hex:   ", "hex: of blanks");
	EXPECT_REJECTED("hex:4", "one hex digit");
	EXPECT_REJECTED("hex:4c6", "odd hex digit count");
	EXPECT_REJECTED("hex:4 c", "hex: blank inside a byte");
	EXPECT_REJECTED("hex:4c 6", "hex: odd digit after a blank");
	EXPECT_REJECTED("hex:zz", "hex: non-hex digits");
	EXPECT_REJECTED("hex:0x4c", "hex: 0x prefix");
	EXPECT_REJECTED("hex:4c,69", "hex: comma");
	EXPECT_REJECTED("hex:4c\r", "hex: carriage return");
	EXPECT_REJECTED("hex:??", "hex: only a wildcard");
	EXPECT_REJECTED("hex:?? 4d", "hex: starting with a wildcard");
	EXPECT_REJECTED("hex:  ?? 4d", "hex: starting with a wildcard after blanks");
	EXPECT_REJECTED("hex:4d ?", "hex: a single ?");
	EXPECT_REJECTED("hex:4d ?0", "hex: a half wildcard ?0");
	EXPECT_REJECTED("hex:4d 0?", "hex: a half wildcard 0?");
	EXPECT_REJECTED("hex:4d ? ?", "hex: blank inside a wildcard");
	EXPECT_REJECTED("hex:4d *", "hex: a * wildcard");
	EXPECT_REJECTED("hex:4d [2]", "hex: a YARA jump");
	EXPECT_REJECTED("istr:", "empty istr:");
	EXPECT_REJECTED("ISTR:a", "uppercase ISTR:");
	EXPECT_REJECTED("istr a", "istr without colon");
	EXPECT_REJECTED("is:a", "unknown is: keyword");
	EXPECT_REJECTED("foo", "unknown line");
	EXPECT_REJECTED("STR:a", "uppercase keyword");
	EXPECT_REJECTED(" str:a", "blank before the keyword");
	EXPECT_REJECTED("str a", "str without colon");
	EXPECT_REJECTED("str:a\n  \n", "line of blanks");
	EXPECT_REJECTED("str:a\nbogus", "garbage after a good line");
	EXPECT_REJECTED("str:a\nmax=0", "max=0");
	EXPECT_REJECTED("str:a\nmax=0x0", "max=0x0");
	EXPECT_REJECTED("str:a\nmax=1000001", "max=1000001");
	EXPECT_REJECTED("str:a\nmax=0xf4241", "max=0xf4241");
	EXPECT_REJECTED("str:a\nmax=99999999999999999999999",
			"max= overflowing 64 bits");
	EXPECT_REJECTED("str:a\nmax=", "empty max=");
	EXPECT_REJECTED("str:a\nmax=0x", "max=0x without digits");
	EXPECT_REJECTED("str:a\nmax=-1", "negative max=");
	EXPECT_REJECTED("str:a\nmax=+1", "max= with plus");
	EXPECT_REJECTED("str:a\nmax=1k", "max= with a suffix");
	EXPECT_REJECTED("str:a\nmax= 5", "max= with a blank before");
	EXPECT_REJECTED("str:a\nmax=5 ", "max= with a blank after");
	EXPECT_REJECTED("str:a\nmax=0x1g", "max= with a bad hex digit");
	EXPECT_REJECTED("max=5\nstr:a\nmax=5", "duplicate max=");
	EXPECT_REJECTED("MAX=5\nstr:a", "uppercase MAX=");
	expect_rejected("hex:4c\0", 7, "NUL in hex:");

	memcpy(text, "str:", 4);
	memset(text + 4, 'x', 257);
	text[4 + 257] = '\0';
	EXPECT_REJECTED(text, "str: of 257 bytes");
	memcpy(text, "hex:", 4);
	for (i = 0; i < 257; i++)
		sprintf(text + 4 + 2 * i, "%02x", i & 0xff);
	EXPECT_REJECTED(text, "hex: of 257 bytes");
	memcpy(text, "hex:41", 6);
	for (i = 1; i < 257; i++)
		memcpy(text + 4 + 2 * i, "??", 2);
	text[4 + 2 * 257] = '\0';
	EXPECT_REJECTED(text, "hex: of 257 bytes, 256 of them wildcards");
	memcpy(text, "istr:", 5);
	memset(text + 5, 'x', 257);
	text[5 + 257] = '\0';
	EXPECT_REJECTED(text, "istr: of 257 bytes");

	big[0] = '\0';
	for (i = 0, n = 0; i < KVMINTRO_SCAN_MAX_PATTERNS + 1; i++)
		n += sprintf(big + n, "hex:%02x\n", i & 0xff);
	EXPECT_REJECTED(big, "4097 patterns");
	big[n - 7] = '\0';
	expect(!kvmintro_scan_parse(&spec, big, strlen(big)) &&
	       spec.count == KVMINTRO_SCAN_MAX_PATTERNS,
	       "parse: ... and the same less its last line is 4096");
	strcpy(big + n - 7, "bogus\n");
	EXPECT_REJECTED(big, "4096 patterns then a bad line");

	/* The input size limit, with valid text. */
	memset(big, '\n', KVMINTRO_SCAN_INPUT_MAX + 1);
	memcpy(big, "str:a", 5);
	expect(!kvmintro_scan_parse(&spec, big, KVMINTRO_SCAN_INPUT_MAX) &&
	       spec.count == 1, "parse: input of exactly 4 MiB");
	expect_rejected(big, KVMINTRO_SCAN_INPUT_MAX + 1, "input of 4 MiB + 1");
	free(big);
}

/* ---- Search ---- */

struct match {
	unsigned int pattern;
	u64 address;
};

struct matches {
	struct match *m;
	size_t count;
	size_t size;
	/* Stop with this, at match number stop_at (1-based), if not 0. */
	int stop_value;
	size_t stop_at;
};

static void matches_add(struct matches *list, unsigned int pattern,
			u64 address)
{
	if (list->count == list->size) {
		list->size = list->size ? 2 * list->size : 64;
		list->m = realloc(list->m, list->size * sizeof(*list->m));
		if (!list->m)
			abort();
	}
	list->m[list->count].pattern = pattern;
	list->m[list->count].address = address;
	list->count++;
}

static bool matches_equal(const struct match *a, size_t na,
			  const struct match *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		if (a[i].pattern != b[i].pattern ||
		    a[i].address != b[i].address)
			return false;
	}
	return true;
}

static int record_match(void *ctx, unsigned int pattern, u64 address)
{
	struct matches *list = ctx;

	matches_add(list, pattern, address);
	if (list->stop_value && list->count == list->stop_at)
		return list->stop_value;
	return 0;
}

/* Pattern @k at @p, byte by byte, as its kind and wildcards say. */
static bool naive_equal(const struct kvmintro_scan_spec *sp, unsigned int k,
			const u8 *p)
{
	unsigned int j;
	u8 a, b;

	for (j = 0; j < sp->lengths[k]; j++) {
		if (sp->kinds[k] == KVMINTRO_SCAN_HEX &&
		    kvmintro_scan_is_wildcard(sp, k, j))
			continue;
		a = p[j];
		b = sp->patterns[k][j];
		if (sp->kinds[k] == KVMINTRO_SCAN_ISTR && a < 0x80 && b < 0x80) {
			a = tolower(a);
			b = tolower(b);
		}
		if (a != b)
			return false;
	}
	return true;
}

/*
 * The reference: a search of one contiguous run, every offset, every
 * pattern.  Returns false once @max matches are listed.
 */
static bool naive_search(const struct kvmintro_scan_spec *sp, const u8 *buf,
			 size_t len, u64 base, struct matches *list)
{
	unsigned int k;
	size_t p;

	for (p = 0; p < len; p++) {
		for (k = 0; k < sp->count; k++) {
			if (sp->lengths[k] > len - p ||
			    !naive_equal(sp, k, buf + p))
				continue;
			matches_add(list, k, base + p);
			if (sp->max && list->count == sp->max)
				return false;
		}
	}
	return true;
}

/*
 * A feed plan: the buffer cut at @cuts (increasing offsets), each piece at
 * its own address (@bases, or contiguous from @base when NULL), with a
 * break before the pieces flagged in @breaks.
 */
struct plan {
	const u8 *buf;
	size_t len;
	u64 base;
	const size_t *cuts;
	size_t ncuts;
	const u64 *bases;
	const bool *breaks;
};

static size_t piece_start(const struct plan *plan, size_t i)
{
	return i ? plan->cuts[i - 1] : 0;
}

static size_t piece_end(const struct plan *plan, size_t i)
{
	return i < plan->ncuts ? plan->cuts[i] : plan->len;
}

static u64 piece_base(const struct plan *plan, size_t i)
{
	return plan->bases ? plan->bases[i] : plan->base + piece_start(plan, i);
}

/*
 * What the scanner should report for @plan: the naive search of each run
 * of pieces, a piece continuing the run if it starts at the address where
 * the run ends and no break comes before it.  Empty pieces are no-ops.
 */
static int naive_plan(const struct kvmintro_scan_spec *sp,
		      const struct plan *plan, struct matches *list)
{
	size_t i, start, run_start = 0, run_len = 0;
	u64 run_base = 0;

	for (i = 0; i <= plan->ncuts + 1; i++) {
		start = i <= plan->ncuts ? piece_start(plan, i) : 0;
		if (i <= plan->ncuts && start == piece_end(plan, i) &&
		    !(plan->breaks && plan->breaks[i]))
			continue;
		if (i <= plan->ncuts && run_len &&
		    !(plan->breaks && plan->breaks[i]) &&
		    piece_base(plan, i) == run_base + run_len) {
			run_len += piece_end(plan, i) - start;
			continue;
		}
		/* Piece i starts a new run: search the one before. */
		if (run_len && !naive_search(sp, plan->buf + run_start, run_len,
					     run_base, list))
			return KVMINTRO_SCAN_FULL;
		if (i > plan->ncuts)
			break;
		run_start = start;
		run_len = piece_end(plan, i) - start;
		run_base = piece_base(plan, i);
	}
	return 0;
}

static struct kvmintro_scanner *scanner;

static int scan_plan(const struct kvmintro_scan_spec *sp,
		     const struct plan *plan, struct matches *list)
{
	size_t i;
	int ret;

	if (kvmintro_scan_init(scanner, sp))
		return -1000;
	for (i = 0; i <= plan->ncuts; i++) {
		if (plan->breaks && plan->breaks[i]) {
			ret = kvmintro_scan_break(scanner, record_match, list);
			if (ret)
				return ret;
		}
		ret = kvmintro_scan_feed(scanner, plan->buf + piece_start(plan, i),
					 piece_end(plan, i) - piece_start(plan, i),
					 piece_base(plan, i), record_match, list);
		if (ret)
			return ret;
	}
	return kvmintro_scan_break(scanner, record_match, list);
}

static void print_matches(const char *what, const struct matches *list)
{
	size_t i;

	printf("#   %s (%zu):", what, list->count);
	for (i = 0; i < list->count && i < 12; i++)
		printf(" %u@0x%llx", list->m[i].pattern,
		       (unsigned long long)list->m[i].address);
	printf("%s\n", list->count > 12 ? " ..." : "");
}

/* Run @plan through the scanner and the reference; true if they agree. */
static bool compare_plan(const struct kvmintro_scan_spec *sp,
			 const struct plan *plan, bool verbose)
{
	struct matches got = { 0 }, want = { 0 };
	int got_ret, want_ret;
	bool same;

	want_ret = naive_plan(sp, plan, &want);
	got_ret = scan_plan(sp, plan, &got);
	same = got_ret == want_ret &&
	       matches_equal(got.m, got.count, want.m, want.count);
	if (!same && verbose) {
		printf("#   returned %d, expected %d\n", got_ret, want_ret);
		print_matches("got", &got);
		print_matches("expected", &want);
	}
	free(got.m);
	free(want.m);
	return same;
}

/* Compare with @buf in one piece, then cut in 2 and 3 at every place. */
static bool compare_all_cuts(const struct kvmintro_scan_spec *sp,
			     const u8 *buf, size_t len, u64 base)
{
	struct plan plan = { .buf = buf, .len = len, .base = base };
	size_t cuts[2];

	plan.cuts = cuts;
	if (!compare_plan(sp, &plan, true))
		return false;
	for (cuts[0] = 0; cuts[0] <= len; cuts[0]++) {
		plan.ncuts = 1;
		if (!compare_plan(sp, &plan, true)) {
			printf("#   cut at %zu\n", cuts[0]);
			return false;
		}
		plan.ncuts = 2;
		for (cuts[1] = cuts[0]; cuts[1] <= len; cuts[1]++) {
			if (!compare_plan(sp, &plan, true)) {
				printf("#   cuts at %zu, %zu\n", cuts[0], cuts[1]);
				return false;
			}
		}
	}
	return true;
}

/* Spec from a parsed text; abort the test on a bad one. */
static const struct kvmintro_scan_spec *spec_of(const char *text)
{
	static struct kvmintro_scan_spec sp;

	if (kvmintro_scan_parse(&sp, text, strlen(text))) {
		printf("Bail out! bad test spec %s\n", text);
		exit(1);
	}
	return &sp;
}

/* Scan @buf in one piece; true if the matches are exactly @want. */
static bool scan_is(const char *spec_text, const void *buf, size_t len,
		    const struct match *want, size_t nwant)
{
	const struct kvmintro_scan_spec *sp = spec_of(spec_text);
	struct plan plan = { .buf = buf, .len = len, .base = 0x1000 };
	struct matches got = { 0 };
	bool same;

	scan_plan(sp, &plan, &got);
	same = matches_equal(got.m, got.count, want, nwant);
	if (!same)
		print_matches("got", &got);
	free(got.m);
	return same;
}

#define SCAN_BYTES_ARE(spec_text, buf, len, ...)			\
	scan_is(spec_text, buf, len, (const struct match[]){ __VA_ARGS__ }, \
		sizeof((const struct match[]){ __VA_ARGS__ }) /		\
			sizeof(struct match))
#define SCAN_IS(spec_text, text, ...) \
	SCAN_BYTES_ARE(spec_text, text, strlen(text), __VA_ARGS__)

static void test_search_by_hand(void)
{
	static const u8 zeros[] = { 0, 0, 0, 1, 'x', '\\', '0', 0 };

	expect(SCAN_IS("str:Linux version",
		       "Linux version 6.1.0 (Linux version",
		       { 0, 0x1000 }, { 0, 0x1000 + 21 }),
	       "search: at offset 0 and at the last possible offset");
	expect(SCAN_IS("str:aa", "aaa", { 0, 0x1000 }, { 0, 0x1001 }),
	       "search: overlapping matches, aa in aaa");
	expect(SCAN_IS("str:abcab", "abcabcabcab", { 0, 0x1000 },
		       { 0, 0x1003 }, { 0, 0x1006 }),
	       "search: overlapping matches, abcab in abcabcabcab");
	expect(SCAN_IS("str:abc\nstr:ab\nstr:a\nstr:b",
		       "xabc", { 0, 0x1001 }, { 1, 0x1001 }, { 2, 0x1001 },
		       { 3, 0x1002 }),
	       "search: prefixes, same address by pattern index");
	expect(SCAN_IS("str:a\nstr:ab\nstr:abc", "abcab", { 0, 0x1000 },
		       { 1, 0x1000 }, { 2, 0x1000 }, { 0, 0x1003 },
		       { 1, 0x1003 }),
	       "search: prefixes, longest last");
	expect(scan_is("hex:00 00 01\nhex:00", "abc", 3, NULL, 0),
	       "search: no match");
	expect(scan_is("str:abc", "ab", 2, NULL, 0) &&
	       scan_is("str:abc", "", 0, NULL, 0),
	       "search: buffer shorter than the pattern");
	expect(SCAN_BYTES_ARE("hex:00 00 01\nhex:00\nstr:x\\0", zeros,
			      sizeof(zeros), { 1, 0x1000 }, { 0, 0x1001 },
			      { 1, 0x1001 }, { 1, 0x1002 }, { 2, 0x1004 },
			      { 1, 0x1007 }),
	       "search: NUL bytes in patterns and data");
}

static void test_search_cuts(void)
{
	static const char *const specs[] = {
		"str:abcabd",
		"str:aa",
		"str:a",
		"str:ab",
		"str:abc\nstr:ab\nstr:a\nstr:bca",
		"str:a\nstr:abcdefghijk\nstr:cabcab",
		"str:abababab\nstr:bab",
		"str:abcdefghij\nstr:bcdefghijk\nstr:jk",
		"hex:00 00\nhex:00 01",
		"str:cabcabcabcabcabcabc\nstr:bcabcabca",
	};
	static const char text[] =
		"aabcabdabcabcabdxxaaaabababababcdefghijkcabcabcabc";
	u8 zeros[40] = { 0 };
	static struct kvmintro_scan_spec sp;
	unsigned int i;

	zeros[7] = 1;
	zeros[30] = 1;
	char name[128], *c;

	for (i = 0; i < ARRAY_SIZE(specs); i++) {
		sp = *spec_of(specs[i]);
		snprintf(name, sizeof(name), "%s", specs[i]);
		for (c = name; *c; c++) {
			if (*c == '\n')
				*c = ',';
		}
		expect(compare_all_cuts(&sp, (const u8 *)text, strlen(text),
					0x7000) &&
		       compare_all_cuts(&sp, zeros, sizeof(zeros), 0),
		       "search: cut in 1, 2 and 3 pieces at every place: %s",
		       name);
	}
}

static void test_search_breaks(void)
{
	static struct kvmintro_scan_spec sp;
	const u8 *text = (const u8 *)"xxabcdxx";
	size_t cuts[] = { 4 };
	u64 bases[] = { 0x100, 0x104 };
	bool breaks[] = { false, true };
	struct plan plan = { .buf = text, .len = 8, .cuts = cuts, .ncuts = 1,
			     .bases = bases };
	struct matches got = { 0 };
	int ret;

	sp = *spec_of("str:abcd\nstr:c");

	scan_plan(&sp, &plan, &got);
	expect(got.count == 2 && got.m[0].pattern == 0 &&
	       got.m[0].address == 0x102 && got.m[1].pattern == 1 &&
	       got.m[1].address == 0x104 && compare_plan(&sp, &plan, true),
	       "search: match across contiguous feeds");
	got.count = 0;

	plan.breaks = breaks;
	scan_plan(&sp, &plan, &got);
	expect(got.count == 1 && got.m[0].pattern == 1 &&
	       got.m[0].address == 0x104 && compare_plan(&sp, &plan, true),
	       "search: break() between feeds suppresses the straddling match");
	got.count = 0;

	plan.breaks = NULL;
	bases[1] = 0x204;
	scan_plan(&sp, &plan, &got);
	expect(got.count == 1 && got.m[0].address == 0x204,
	       "search: a feed at another address suppresses it too");
	got.count = 0;

	bases[1] = 0x100;
	scan_plan(&sp, &plan, &got);
	expect(got.count == 1 && got.m[0].address == 0x100 &&
	       compare_plan(&sp, &plan, true),
	       "search: a feed going back to the first address starts afresh");
	got.count = 0;

	/* The last bytes of a run are decided by break(), in order. */
	sp = *spec_of("str:abcdefgh\nstr:b\nstr:h");
	kvmintro_scan_init(scanner, &sp);
	ret = kvmintro_scan_feed(scanner, (const u8 *)"xxxabcdefg", 10, 0,
				 record_match, &got);
	expect(!ret && got.count == 0,
	       "search: a short match near the end waits for the next bytes");
	ret = kvmintro_scan_feed(scanner, (const u8 *)"h", 1, 10,
				 record_match, &got);
	expect(!ret && got.count == 1 && got.m[0].pattern == 0 &&
	       got.m[0].address == 3,
	       "search: ... and comes after the longer match before it");
	ret = kvmintro_scan_break(scanner, record_match, &got);
	expect(!ret && got.count == 3 && got.m[1].pattern == 1 &&
	       got.m[1].address == 4 && got.m[2].pattern == 2 &&
	       got.m[2].address == 10,
	       "search: break() reports the matches in the last bytes");
	ret = kvmintro_scan_break(scanner, record_match, &got);
	expect(!ret && got.count == 3, "search: a second break() reports none");
	ret = kvmintro_scan_feed(scanner, (const u8 *)"", 0, 77, record_match,
				 &got);
	expect(!ret && got.count == 3, "search: an empty feed does nothing");
	free(got.m);
}

static void test_search_stops(void)
{
	static struct kvmintro_scan_spec sp;
	const u8 *text = (const u8 *)"abababababab";
	struct matches got = { 0 };
	int ret;

	sp = *spec_of("str:ab\nmax=3");

	kvmintro_scan_init(scanner, &sp);
	ret = kvmintro_scan_feed(scanner, text, 12, 0, record_match, &got);
	expect(ret == KVMINTRO_SCAN_FULL && got.count == 3 &&
	       got.m[2].address == 4 && scanner->matches == 3,
	       "search: max=3 stops at the third match");
	ret = kvmintro_scan_feed(scanner, text, 12, 12, record_match, &got);
	expect(ret == KVMINTRO_SCAN_FULL && got.count == 3,
	       "search: feeds after max= do nothing");
	ret = kvmintro_scan_break(scanner, record_match, &got);
	expect(ret == KVMINTRO_SCAN_FULL && got.count == 3,
	       "search: break() after max= does nothing");

	got.count = 0;
	sp = *spec_of("str:ab\nmax=6");
	kvmintro_scan_init(scanner, &sp);
	ret = kvmintro_scan_feed(scanner, text, 12, 0, record_match, &got);
	expect(ret == KVMINTRO_SCAN_FULL && got.count == 6,
	       "search: max= equal to the number of matches is full");

	got.count = 0;
	sp = *spec_of("str:abcde\nstr:e\nmax=2");
	kvmintro_scan_init(scanner, &sp);
	ret = kvmintro_scan_feed(scanner, (const u8 *)"abcdexe", 7, 0,
				 record_match, &got);
	expect(!ret && got.count == 1 && got.m[0].pattern == 0,
	       "search: max=2, one match in the feed");
	ret = kvmintro_scan_break(scanner, record_match, &got);
	expect(ret == KVMINTRO_SCAN_FULL && got.count == 2 &&
	       got.m[1].pattern == 1 && got.m[1].address == 4,
	       "search: max=2 reached in break()");

	got.count = 0;
	got.stop_value = -42;
	got.stop_at = 2;
	sp = *spec_of("str:ab");
	kvmintro_scan_init(scanner, &sp);
	ret = kvmintro_scan_feed(scanner, text, 12, 0, record_match, &got);
	expect(ret == -42 && got.count == 2,
	       "search: the callback stops the scan at its second match");
	ret = kvmintro_scan_feed(scanner, text, 12, 12, record_match, &got);
	expect(ret == -42 && got.count == 2,
	       "search: feeds after a stop return the callback's value");
	got.stop_value = 0;

	got.count = 0;
	got.stop_value = 7;
	got.stop_at = 3;
	sp = *spec_of("str:ab\nmax=3");
	kvmintro_scan_init(scanner, &sp);
	ret = kvmintro_scan_feed(scanner, text, 12, 0, record_match, &got);
	expect(ret == 7 && got.count == 3,
	       "search: the callback's value wins over max= at the same match");
	free(got.m);
}

static void test_init_rejected(void)
{
	struct kvmintro_scanner *before = malloc(sizeof(*before));
	static struct kvmintro_scan_spec sp;

	sp = *spec_of("str:a");
	sp.count = 0;
	expect(kvmintro_scan_init(scanner, &sp) == -EINVAL,
	       "init: rejects a spec without patterns");
	sp.count = KVMINTRO_SCAN_MAX_PATTERNS + 1;
	expect(kvmintro_scan_init(scanner, &sp) == -EINVAL,
	       "init: rejects a spec of 4097 patterns");
	sp = *spec_of("str:a");
	sp.lengths[0] = 257;
	expect(kvmintro_scan_init(scanner, &sp) == -EINVAL,
	       "init: rejects a pattern of 257 bytes");
	sp = *spec_of("str:a");
	sp.kinds[0] = 3;
	expect(kvmintro_scan_init(scanner, &sp) == -EINVAL,
	       "init: rejects a pattern of an unknown kind");
	sp = *spec_of("hex:41 42");
	sp.wildcards[0][0] = 1;
	expect(kvmintro_scan_init(scanner, &sp) == -EINVAL,
	       "init: rejects a pattern starting with a wildcard");
	sp = *spec_of("str:a");
	sp.lengths[0] = 0;
	memset(scanner, 0x77, sizeof(*scanner));
	memcpy(before, scanner, sizeof(*before));
	expect(kvmintro_scan_init(scanner, &sp) == -EINVAL &&
	       !memcmp(scanner, before, sizeof(*before)),
	       "init: rejects an empty pattern, scanner untouched");
	free(before);
}

static u64 rng_state = 0x2545f4914f6cdd1dull;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t rng_below(size_t n)
{
	return n ? rng() % n : 0;
}

/*
 * A random byte from an alphabet of @letters (1..256) values: the small
 * ones hold letters of both cases and bytes equal but for bit 5 (which the
 * filter drops), or bit 7.
 */
static u8 rng_byte(unsigned int letters)
{
	static const u8 alphabet[] = { 'a', 'A', 'b', 0x00, 0x80, 0x20, '@',
				       '`', 0x81, 0xff };

	if (letters <= ARRAY_SIZE(alphabet))
		return alphabet[rng_below(letters)];
	return rng();
}

static unsigned int rng_length(void)
{
	switch (rng_below(4)) {
	case 0:
		return 1 + rng_below(3);
	case 1:
		return 1 + rng_below(8);
	case 2:
		return 1 + rng_below(24);
	default:
		return 1 + rng_below(KVMINTRO_SCAN_PATTERN_MAX);
	}
}

/* Make pattern @i of @sp of kind @kind: flip letters' case, add wildcards. */
static void random_form(struct kvmintro_scan_spec *sp, unsigned int i,
			unsigned int kind)
{
	unsigned int j, n = sp->lengths[i];
	u8 *c;

	sp->kinds[i] = kind;
	memset(sp->wildcards[i], 0, sizeof(sp->wildcards[i]));
	for (j = 0; j < n; j++) {
		c = &sp->patterns[i][j];
		if (kind == KVMINTRO_SCAN_ISTR && isalpha(*c) && rng_below(2))
			*c ^= 0x20;
		if (kind == KVMINTRO_SCAN_HEX && j && !rng_below(3)) {
			sp->wildcards[i][j / 8] |= 1 << (j % 8);
			*c = 0;
		}
	}
}

/* Random patterns of every form, some cut from @buf so that they occur. */
static void random_spec(struct kvmintro_scan_spec *sp, const u8 *buf,
			size_t len, unsigned int letters, unsigned int most)
{
	unsigned int i, j, n, kind = rng_below(4);
	size_t at;

	sp->count = 1 + rng_below(rng_below(2) ? 2 : most);
	sp->max = rng_below(4) ? 0 : 1 + rng_below(50);
	for (i = 0; i < sp->count; i++) {
		n = rng_length();
		sp->lengths[i] = n;
		if (len >= n && rng_below(3)) {
			at = rng_below(len - n + 1);
			memcpy(sp->patterns[i], buf + at, n);
		} else {
			for (j = 0; j < n; j++)
				sp->patterns[i][j] = rng_byte(letters);
		}
		/* One form for all, or each its own. */
		random_form(sp, i, kind < 3 ? kind : rng_below(3));
	}
}

/* Random buffer, with copies of the patterns planted in it. */
static void random_buffer(u8 *buf, size_t len, unsigned int letters,
			  const struct kvmintro_scan_spec *sp)
{
	unsigned int plants, i, k;
	size_t at;

	for (i = 0; i < len; i++)
		buf[i] = rng_byte(letters);
	if (!sp)
		return;
	plants = rng_below(8);
	for (i = 0; i < plants; i++) {
		k = rng_below(sp->count);
		if (sp->lengths[k] > len)
			continue;
		at = rng_below(len - sp->lengths[k] + 1);
		memcpy(buf + at, sp->patterns[k], sp->lengths[k]);
	}
}

/* Random cuts, addresses and breaks for a buffer of @len bytes. */
static void random_plan(struct plan *plan, size_t *cuts, u64 *bases,
			bool *breaks, size_t max_cuts)
{
	size_t i, n = rng_below(max_cuts + 1), tmp, j;

	for (i = 0; i < n; i++)
		cuts[i] = rng_below(4) ? rng_below(plan->len + 1) :
			  rng_below(16);
	for (i = 0; i < n; i++) {
		if (cuts[i] > plan->len)
			cuts[i] = plan->len;
		for (j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
			tmp = cuts[j];
			cuts[j] = cuts[j - 1];
			cuts[j - 1] = tmp;
		}
	}
	plan->cuts = cuts;
	plan->ncuts = n;
	plan->base = rng_below(2) ? rng() : rng_below(1 << 20);
	plan->bases = NULL;
	plan->breaks = NULL;
	if (rng_below(4))
		return;
	for (i = 0; i <= n; i++) {
		bases[i] = plan->base + (i ? cuts[i - 1] : 0);
		if (!rng_below(4))
			bases[i] += rng_below(3) ? 1 : rng();
		breaks[i] = !rng_below(4);
	}
	plan->bases = bases;
	plan->breaks = breaks;
}

static const unsigned int letter_counts[] = { 1, 2, 3, 8, 10, 256 };

static void test_search_random(void)
{
	unsigned int iterations = 10000, i, failed = 0, letters;
	size_t cuts[64];
	u64 bases[65];
	bool breaks[65];
	static struct kvmintro_scan_spec sp;
	struct plan plan;
	u8 *buf = malloc(4096);

	for (i = 0; i < iterations; i++) {
		letters = letter_counts[rng_below(ARRAY_SIZE(letter_counts))];
		plan.buf = buf;
		plan.len = rng_below(3) ? rng_below(300) : rng_below(4096);
		random_buffer(buf, plan.len, letters, NULL);
		random_spec(&sp, buf, plan.len, letters, 16);
		random_buffer(buf, plan.len, letters, &sp);
		random_plan(&plan, cuts, bases, breaks,
			    rng_below(2) ? 3 : ARRAY_SIZE(cuts));
		if (!compare_plan(&sp, &plan, !failed)) {
			if (!failed)
				printf("#   iteration %u: %u patterns, %zu bytes, %zu cuts\n",
				       i, sp.count, plan.len, plan.ncuts);
			failed++;
		}
	}
	expect(!failed, "search: %u random specs of 1 to 16 patterns of every form, buffers and cuts (%u differ)",
	       iterations, failed);
	free(buf);
}

/* As test_search_random(), with up to 4096 patterns. */
static void test_search_random_many(void)
{
	unsigned int iterations = 100, i, failed = 0, letters;
	size_t cuts[16];
	u64 bases[17];
	bool breaks[17];
	static struct kvmintro_scan_spec sp;
	struct plan plan;
	u8 *buf = malloc(2048);

	for (i = 0; i < iterations; i++) {
		letters = letter_counts[rng_below(ARRAY_SIZE(letter_counts))];
		plan.buf = buf;
		plan.len = rng_below(2048);
		random_buffer(buf, plan.len, letters, NULL);
		random_spec(&sp, buf, plan.len, letters,
			    KVMINTRO_SCAN_MAX_PATTERNS);
		random_buffer(buf, plan.len, letters, &sp);
		random_plan(&plan, cuts, bases, breaks, ARRAY_SIZE(cuts));
		if (!compare_plan(&sp, &plan, !failed)) {
			if (!failed)
				printf("#   iteration %u: %u patterns, %zu bytes, %zu cuts\n",
				       i, sp.count, plan.len, plan.ncuts);
			failed++;
		}
	}
	expect(!failed, "search: %u random specs of up to 4096 patterns of every form (%u differ)",
	       iterations, failed);
	free(buf);
}

/*
 * Every pattern length, count and form, so every gram size and stride the
 * scanner may choose.
 */
static void test_search_modes(void)
{
	static const unsigned int counts[] = { 1, 2, 3, 16, 300 };
	unsigned int len, c, i, j, failed = 0, grams[5] = { 0 }, form;
	size_t cuts[8];
	u64 bases[9];
	bool breaks[9];
	static struct kvmintro_scan_spec sp;
	struct plan plan;
	u8 *buf = malloc(3000);

	for (len = 1; len <= KVMINTRO_SCAN_PATTERN_MAX; len++) {
		for (c = 0; c < ARRAY_SIZE(counts); c++) {
			if (counts[c] > 16 && len % 17)
				continue;
			form = rng_below(3);
			sp.count = counts[c];
			sp.max = 0;
			for (i = 0; i < sp.count; i++) {
				sp.lengths[i] = len + (i ? rng_below(8) : 0);
				if (sp.lengths[i] > KVMINTRO_SCAN_PATTERN_MAX)
					sp.lengths[i] = KVMINTRO_SCAN_PATTERN_MAX;
				for (j = 0; j < sp.lengths[i]; j++)
					sp.patterns[i][j] = rng_byte(7);
				random_form(&sp, i, form);
			}
			plan.buf = buf;
			plan.len = 3000;
			random_buffer(buf, plan.len, 7, &sp);
			random_plan(&plan, cuts, bases, breaks, 8);
			if (!compare_plan(&sp, &plan, !failed)) {
				if (!failed)
					printf("#   length %u, %u patterns\n", len,
					       sp.count);
				failed++;
			}
			grams[scanner->gram]++;
		}
	}
	expect(!failed && grams[1] && grams[2] && grams[3] && grams[4],
	       "search: every shortest length 1..256, 1 to 300 patterns, grams of 1/2/3/4 bytes %u/%u/%u/%u times (%u differ)",
	       grams[1], grams[2], grams[3], grams[4], failed);
	free(buf);
}

static void test_search_choice(void)
{
	static struct kvmintro_scan_spec sp;
	unsigned int i;

	sp = *spec_of("str:Linux version");
	kvmintro_scan_init(scanner, &sp);
	expect(scanner->gram == 4 && scanner->stride == 10 &&
	       scanner->filter_shift == 32 - 15,
	       "choice: 13 bytes: grams of 4 every 10 bytes, 32 Ki bits");
	sp = *spec_of("str:a");
	kvmintro_scan_init(scanner, &sp);
	expect(scanner->gram == 1 && scanner->stride == 1,
	       "choice: 1 byte: every byte");
	sp = *spec_of("hex:4d 5a ?? 00 01 02 03 04 05");
	kvmintro_scan_init(scanner, &sp);
	expect(scanner->gram == 2 && scanner->stride == 1,
	       "choice: hex:4d 5a ?? ...: 2 known bytes, every pair");
	sp = *spec_of("istr:abcdefgh\nstr:abcdefghijklmnop");
	kvmintro_scan_init(scanner, &sp);
	expect(scanner->gram == 4 && scanner->stride == 5,
	       "choice: shortest of 8 bytes: every 5 bytes");
	sp.count = KVMINTRO_SCAN_MAX_PATTERNS;
	for (i = 0; i < sp.count; i++) {
		sp.lengths[i] = KVMINTRO_SCAN_PATTERN_MAX;
		sp.kinds[i] = KVMINTRO_SCAN_STR;
		memset(sp.wildcards[i], 0, sizeof(sp.wildcards[i]));
		memset(sp.patterns[i], i, KVMINTRO_SCAN_PATTERN_MAX);
	}
	kvmintro_scan_init(scanner, &sp);
	expect(scanner->gram == 4 && scanner->stride == 16 &&
	       scanner->filter_shift == 32 - KVMINTRO_SCAN_FILTER_BITS_MAX,
	       "choice: 4096 patterns of 256 bytes: every 16 bytes, 1 Mi bits");
}

/*
 * Grams equal but for bit 5 of a byte, which the filter drops: letters in
 * either case, '@' and '`', in every form.
 */
static void test_search_filter_collisions(void)
{
	static const char *const specs[] = {
		"str:AbAb@`Ab@\nstr:@@@@@",
		"istr:AbAb@`Ab@\nistr:@@@@@",
		"hex:41 62 41 62 40 ?? 41 62 40\nhex:60 ?? 60",
	};
	static struct kvmintro_scan_spec sp;
	static const u8 alphabet[] = { 'a', 'A', 'b', 'B', '@', '`' };
	u8 buf[4096];
	struct plan plan = { .buf = buf, .len = sizeof(buf) };
	unsigned int i, j, k;
	bool same = true;

	for (k = 0; k < ARRAY_SIZE(specs); k++) {
		sp = *spec_of(specs[k]);
		for (i = 0; i < 100 && same; i++) {
			for (j = 0; j < sizeof(buf); j++)
				buf[j] = alphabet[rng_below(sizeof(alphabet))];
			/* Every cut of the first 30 bytes, now and then. */
			same = (i % 10 || compare_all_cuts(&sp, buf, 30, 0)) &&
			       compare_plan(&sp, &plan, true);
		}
	}
	expect(same, "search: grams equal but for the bit the filter drops");
}

static void test_search_forms_by_hand(void)
{
	expect(SCAN_IS("istr:LiNuX", "linux LINUX Linux lInUx l1nux",
		       { 0, 0x1000 }, { 0, 0x1006 }, { 0, 0x100c },
		       { 0, 0x1012 }),
	       "search: istr: in any case");
	expect(SCAN_IS("istr:a@[", "A@[ a`[ A@{ a@[", { 0, 0x1000 },
		       { 0, 0x100c }),
	       "search: istr: folds letters only, not @` or [{");
	expect(SCAN_IS("str:Linux", "linux Linux", { 0, 0x1006 }),
	       "search: str: keeps case");
	expect(SCAN_BYTES_ARE("hex:4d 5a ?? 00", "MZ\x90" "\0MZ\x01" "\0MZ\0\x01",
			      12, { 0, 0x1000 }, { 0, 0x1004 }),
	       "search: hex: with a wildcard");
	expect(SCAN_IS("hex:61 ?? ??", "abcab", { 0, 0x1000 }),
	       "search: hex: ending in wildcards needs those bytes");
}

/* A large buffer in many piece sizes, page-sized ones included. */
static bool search_large(unsigned int count, size_t len, unsigned int plants,
			 struct matches *want)
{
	static const size_t piece_sizes[] = { 1, 7, 4095, 4096, 65536,
					      2 * 1024 * 1024 };
	size_t *cuts = malloc((len + 1) * sizeof(*cuts));
	struct matches got = { 0 };
	u8 *buf = malloc(len);
	struct plan plan = { .buf = buf, .len = len, .base = 0x100000000ull,
			     .cuts = cuts };
	static struct kvmintro_scan_spec sp;
	size_t i, n, at;
	unsigned int k;
	bool same = true;

	sp.count = count;
	sp.max = 0;
	for (k = 0; k < sp.count; k++) {
		sp.lengths[k] = 8 + k % 9;
		for (i = 0; i < sp.lengths[k]; i++)
			sp.patterns[k][i] = rng();
		random_form(&sp, k, k % 3);
	}
	random_buffer(buf, len, 256, NULL);
	for (i = 0; i < plants; i++) {
		k = rng_below(sp.count);
		at = rng_below(len - sp.lengths[k] + 1);
		memcpy(buf + at, sp.patterns[k], sp.lengths[k]);
	}
	naive_plan(&sp, &plan, want);
	for (i = 0; i < ARRAY_SIZE(piece_sizes) && same; i++) {
		plan.ncuts = 0;
		for (n = piece_sizes[i]; n < len; n += piece_sizes[i])
			cuts[plan.ncuts++] = n;
		got.count = 0;
		same = !scan_plan(&sp, &plan, &got) &&
		       matches_equal(got.m, got.count, want->m, want->count);
		if (!same)
			printf("#   pieces of %zu bytes: %zu matches, expected %zu\n",
			       piece_sizes[i], got.count, want->count);
	}
	free(got.m);
	free(cuts);
	free(buf);
	return same;
}

static void test_search_large(void)
{
	struct matches want = { 0 };
	bool same;

	same = search_large(16, 3 * 1024 * 1024 + 17, 2000, &want);
	expect(same && want.count >= 1900,
	       "search: 3 MiB, 16 patterns, %zu matches, pieces of 1 byte to 2 MiB",
	       want.count);
	want.count = 0;
	same = search_large(KVMINTRO_SCAN_MAX_PATTERNS, 128 * 1024 + 5, 1500,
			    &want);
	expect(same && want.count >= 1100,
	       "search: 128 KiB, 4096 patterns, %zu matches, pieces of 1 byte to 2 MiB",
	       want.count);
	free(want.m);
}

static void test_search_simd_choice(int simd)
{
	static struct kvmintro_scan_spec sp;
	bool usable = simd && __builtin_cpu_supports("avx2");

	sp = *spec_of("str:Linux version");
	kvmintro_scan_init(scanner, &sp);
	expect(scanner->simd == usable, "choice: 1 pattern: SIMD %s",
	       usable ? "on" : "off");
	sp = *spec_of("istr:Linux version\nhex:4d 5a ?? 00");
	kvmintro_scan_init(scanner, &sp);
	expect(scanner->simd == usable, "choice: 2 patterns: SIMD %s",
	       usable ? "on" : "off");
	sp = *spec_of("str:a\nstr:b\nstr:c");
	kvmintro_scan_init(scanner, &sp);
	expect(!scanner->simd, "choice: 3 patterns: SIMD off");
}

/* Each pattern's name, written by hand, and the name parses back to it. */
static void test_pattern_names(void)
{
	static const struct {
		const char *spec;
		const char *name;
		size_t name_len;
	} cases[] = {
		{ "str:Linux version", "str:Linux version", 17 },
		{ "istr:MZ\\x", "istr:MZ\\x", 9 },
		{ "hex:4D 5a ?? 00 fF", "hex:4d5a??00ff", 14 },
		{ "str:a\\0b", "str:a\\0b", 8 },
	};
	static struct kvmintro_scan_spec again;
	char name[KVMINTRO_SCAN_NAME_MAX];
	char longest[5 + KVMINTRO_SCAN_PATTERN_MAX * 3];
	unsigned int i;
	size_t len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse(cases[i].spec);
		len = kvmintro_scan_pattern_name(name, &spec, 0);
		expect(len == cases[i].name_len &&
		       !memcmp(name, cases[i].name, len) &&
		       !kvmintro_scan_parse(&again, name, len) &&
		       again.lengths[0] == spec.lengths[0] &&
		       again.kinds[0] == spec.kinds[0] &&
		       !memcmp(again.patterns[0], spec.patterns[0],
			       spec.lengths[0]) &&
		       !memcmp(again.wildcards[0], spec.wildcards[0],
			       sizeof(spec.wildcards[0])),
		       "pattern name: %s is %s and parses back", cases[i].spec,
		       cases[i].name);
	}
	/* The longest name, 256 bytes in hex, fills the buffer exactly. */
	len = 4;
	memcpy(longest, "hex:", 4);
	for (i = 0; i < KVMINTRO_SCAN_PATTERN_MAX; i++) {
		memcpy(longest + len, i % 7 ? "a5" : "??", 2);
		len += 2;
	}
	longest[4] = longest[5] = 'f';
	expect(!kvmintro_scan_parse(&spec, longest, len) &&
	       kvmintro_scan_pattern_name(name, &spec, 0) ==
	       KVMINTRO_SCAN_NAME_MAX && !memcmp(name, longest, len),
	       "pattern name: 256 hex bytes take KVMINTRO_SCAN_NAME_MAX");
}

int main(void)
{
	int simd;

	scanner = malloc(sizeof(*scanner));
	if (!scanner)
		return 1;
	test_parse_accepted();
	test_parse_rejected();
	test_pattern_names();
	test_init_rejected();
	test_search_choice();
	/* The search with SIMD where the CPU has it, then without. */
	for (simd = 1; simd >= 0; simd--) {
		kvmintro_scan_force_scalar = !simd;
		printf("# search %s SIMD\n", simd ? "with" : "without");
		test_search_simd_choice(simd);
		test_search_by_hand();
		test_search_forms_by_hand();
		test_search_cuts();
		test_search_breaks();
		test_search_stops();
		test_search_filter_collisions();
		test_search_modes();
		test_search_random();
		test_search_random_many();
		test_search_large();
	}
	free(scanner);
	ksft_finished();
}
