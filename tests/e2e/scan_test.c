// SPDX-License-Identifier: GPL-2.0
/*
 * scan against the truth: a naive search over this process's own view of
 * its guest's memory (adjacent memslots joined, as the guest sees them)
 * must give exactly the matches kvmintro reports, with each HVA and HPA
 * right (pagemap).  Patterns are planted at the first and last byte of
 * RAM and across page, huge-page and memslot boundaries; scanning leaves
 * the VMM's memory as it was; garbage is -EINVAL; a VMM exit or rmmod
 * during a long scan ends it cleanly.  4096 patterns of every form at
 * once, planted at random and across page, huge-page and memslot edges,
 * give exactly the matches of a reference search; every limit of the
 * scan file is exact.  The module's scan_simd=0 gives the same matches.
 */
#include <ctype.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000
#define SCAN_SIMD_PARAM	"/sys/module/kvmintro/parameters/scan_simd"

static const char pattern_a[] = "kvmintro-needle";
static const uint8_t pattern_b[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x5a };

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void fill_random(uint8_t *p, uint64_t len)
{
	uint64_t i, v;

	for (i = 0; i + 8 <= len; i += 8) {
		v = rng();
		memcpy(p + i, &v, 8);
	}
}

/*
 * Slots: 4K pages at 0x0 (8 MiB) and, adjacent, THP at 0x800000 (8 MiB);
 * another 4K slot at 4 GiB.  Only some pages are touched.
 */
static struct kvm_vm *vm_create_scanned(void)
{
	struct kvm_vm *vm = vm_create();
	uint8_t *p;
	uint64_t i;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, 4 * SZ_2M, 0);
	TEST_ASSERT(!madvise(addr_gpa2hva(vm, 0), 4 * SZ_2M, MADV_NOHUGEPAGE),
		    "madvise");
	vm_add_memslot(vm, VM_MEM_THP, 1, 4 * SZ_2M, 4 * SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_ANON, 2, 0x100000000ULL, SZ_2M, 0);

	/* Touch: first 64 pages, the last 4K page of slot 0, 2 THPs, slot 2. */
	fill_random(addr_gpa2hva(vm, 0), 64 * 4096);
	fill_random(addr_gpa2hva(vm, 4 * SZ_2M - 4096), 4096);
	fill_random(addr_gpa2hva(vm, 4 * SZ_2M), 2 * SZ_2M);
	fill_random(addr_gpa2hva(vm, 0x100000000ULL), SZ_2M);

	/* First byte of RAM, last byte of RAM. */
	memcpy(addr_gpa2hva(vm, 0), pattern_a, sizeof(pattern_a) - 1);
	p = addr_gpa2hva(vm, 0x100000000ULL + SZ_2M - sizeof(pattern_b));
	memcpy(p, pattern_b, sizeof(pattern_b));
	/* Across a 4K page boundary and twice overlapping-adjacent. */
	memcpy(addr_gpa2hva(vm, 3 * 4096 - 5), pattern_a, sizeof(pattern_a) - 1);
	memcpy(addr_gpa2hva(vm, 10 * 4096 + 100), pattern_b, sizeof(pattern_b));
	memcpy(addr_gpa2hva(vm, 10 * 4096 + 106), pattern_b, sizeof(pattern_b));
	/* Across the memslot boundary at 8 MiB (4K slot -> THP slot). */
	for (i = 0; i < sizeof(pattern_a) - 1; i++)
		*(uint8_t *)addr_gpa2hva(vm, 4 * SZ_2M - 7 + i) = pattern_a[i];
	/* Across the 2 MiB boundary between the two THPs. */
	for (i = 0; i < sizeof(pattern_b); i++)
		*(uint8_t *)addr_gpa2hva(vm, 5 * SZ_2M - 3 + i) = pattern_b[i];
	return vm;
}

struct match {
	uint64_t gpa;
	int pattern;
};

/* Naive search of both patterns over the VMM's view; slots joined. */
static int truth_matches(struct kvm_vm *vm, struct match *out, int max)
{
	static const struct { uint64_t gpa, len; } spans[] = {
		{ 0, 8 * SZ_2M }, { 0x100000000ULL, SZ_2M },
	};
	const uint8_t *pats[2] = { (const uint8_t *)pattern_a, pattern_b };
	const size_t lens[2] = { sizeof(pattern_a) - 1, sizeof(pattern_b) };
	uint64_t off, j;
	unsigned int s;
	int n = 0, k;

	for (s = 0; s < ARRAY_SIZE(spans); s++) {
		for (off = 0; off < spans[s].len; off++) {
			for (k = 0; k < 2; k++) {
				if (off + lens[k] > spans[s].len)
					continue;
				for (j = 0; j < lens[k]; j++)
					if (*(uint8_t *)addr_gpa2hva(vm, spans[s].gpa + off + j) !=
					    pats[k][j])
						break;
				if (j == lens[k]) {
					TEST_ASSERT(n < max, "too many truths");
					out[n].gpa = spans[s].gpa + off;
					out[n++].pattern = k;
				}
			}
		}
	}
	return n;
}

static char *scan(const char *request, int *error)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/scan", kvmintro_vm_path(getpid(), 0));
	*error = kvmintro_write(path, request);
	return *error ? NULL : kvmintro_read(path);
}

/* A match record, parsed. */
struct result {
	uint64_t gpa, hva, hpa, index;
	char pattern[600];	/* "hex:" and 256 bytes in hex, with a NUL */
	int pattern_len;
};

/*
 * The records of a scan's results: match records, then one summary record,
 * last.  Parse them; check the summary's fields and fill *@matches,
 * *@bytes and @truncated (a "yes" or "no").
 */
static struct kvmintro_record_list *scan_records(const char *text,
					     uint64_t *matches, uint64_t *bytes,
					     char *truncated)
{
	struct kvmintro_record_list *records;
	const struct kvmintro_record *summary;
	size_t i;

	TEST_ASSERT(text, "no results");
	records = kvmintro_records_parse(strdup(text));
	TEST_ASSERT(records->count, "no summary");
	for (i = 0; i < records->count - 1; i++)
		TEST_ASSERT(kvmintro_record_is(kvmintro_records_at(records, i), "match"),
			    "not a match: '%s'",
			    kvmintro_record_line(kvmintro_records_at(records, i)));
	summary = kvmintro_records_at(records, records->count - 1);
	TEST_ASSERT(kvmintro_record_is(summary, "summary") && summary->nr_fields == 3,
		    "last is not the summary: '%s'", kvmintro_record_line(summary));
	*matches = kvmintro_field_u64(summary, "matches");
	*bytes = kvmintro_field_u64(summary, "bytes");
	kvmintro_field_str(summary, "truncated", truncated, 8);
	TEST_ASSERT(!strcmp(truncated, "yes") || !strcmp(truncated, "no"),
		    "truncated=%s", truncated);
	TEST_ASSERT_EQ(*matches, (uint64_t)records->count - 1);
	return records;
}

/* Match @i of @records: its five fields, the pattern a string. */
static void scan_result(const struct kvmintro_record_list *records, size_t i,
			struct result *result)
{
	const struct kvmintro_record *r = kvmintro_records_at(records, i);
	const struct kvmintro_record_field *pattern;

	TEST_ASSERT(kvmintro_record_is(r, "match") && r->nr_fields == 5,
		    "bad match '%s'", kvmintro_record_line(r));
	result->gpa = kvmintro_field_u64(r, "gpa");
	result->hva = kvmintro_field_u64(r, "hva");
	result->hpa = kvmintro_field_u64(r, "hpa");
	result->index = kvmintro_field_u64(r, "index");
	pattern = kvmintro_record_find(r, "pattern");
	TEST_ASSERT(pattern && pattern->type == KVMINTRO_RECORD_STRING &&
		    r->fields[4].key == pattern->key,
		    "pattern is not the last field, a string: '%s'",
		    kvmintro_record_line(r));
	result->pattern_len = kvmintro_record_decode_string(pattern,
							    result->pattern,
							    sizeof(result->pattern));
	TEST_ASSERT(result->pattern_len > 0, "pattern of '%s'",
		    kvmintro_record_line(r));
}

static void test_scan_finds_exactly_the_planted(void)
{
	static struct match truth[256];
	struct kvm_vm *vm = vm_create_scanned();
	struct kvmintro_record_list *records;
	uint64_t matches, bytes;
	char *text, trunc[8], *scalar;
	int n, found = 0, r;
	size_t i;
	struct result m;

	n = truth_matches(vm, truth, 256);
	TEST_ASSERT(n >= 7, "only %d planted matches in the truth", n);
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	text = scan("str:kvmintro-needle\nhex:de ad BE ef 00 5a\n", &r);
	TEST_ASSERT(text, "scan: %s", strerror(-r));
	records = scan_records(text, &matches, &bytes, trunc);
	for (i = 0; i < records->count - 1; i++) {
		scan_result(records, i, &m);
		TEST_ASSERT(found < n, "more matches than planted");
		TEST_ASSERT(m.gpa == truth[found].gpa, "match %d at 0x%" PRIx64 ", truth 0x%" PRIx64,
			    found, m.gpa, truth[found].gpa);
		/* The patterns as written: 0 and 1, in the order written. */
		TEST_ASSERT_EQ(m.index, (uint64_t)truth[found].pattern);
		TEST_ASSERT(!strcmp(m.pattern, truth[found].pattern ? "hex:deadbeef005a" :
				    "str:kvmintro-needle"), "pattern name '%s'", m.pattern);
		TEST_ASSERT_EQ(m.hva, (uint64_t)(uintptr_t)addr_gpa2hva(vm, m.gpa));
		TEST_ASSERT_EQ(m.hpa, (kvmintro_pagemap_pfn(m.hva) << 12) | (m.hva & 0xfff));
		found++;
	}
	kvmintro_records_free(records);
	TEST_ASSERT(found == n, "%d of %d planted matches found", found, n);
	TEST_ASSERT(matches == (uint64_t)n && !strcmp(trunc, "no"),
		    "summary: %" PRIu64 " matches, truncated=%s", matches, trunc);
	ksft_print_msg("%d matches, all planted ones, over %" PRIu64 " backed bytes\n",
		       found, bytes);

	/* Two patterns are searched with SIMD if the CPU has it: not here. */
	TEST_ASSERT(!kvmintro_write(SCAN_SIMD_PARAM, "0"), "scan_simd=0");
	scalar = scan("str:kvmintro-needle\nhex:de ad BE ef 00 5a\n", &r);
	TEST_ASSERT(!kvmintro_write(SCAN_SIMD_PARAM, "1"), "scan_simd=1");
	TEST_ASSERT(scalar && !strcmp(scalar, text),
		    "scan_simd=0 gave:\n%s\nnot:\n%s", scalar, text);
	free(scalar);
	free(text);

	/* max= stops early and says so. */
	text = scan("str:kvmintro-needle\nhex:deadbeef005a\nmax=3\n", &r);
	TEST_ASSERT(text, "scan max=3: %s", strerror(-r));
	records = scan_records(text, &matches, &bytes, trunc);
	TEST_ASSERT(matches == 3 && !strcmp(trunc, "yes"), "max=3 gave:\n%s",
		    text);
	kvmintro_records_free(records);
	free(text);
	vm_destroy(vm);
	kvmintro_unload();
}

#define SCAN_PATTERNS		4096
#define SCAN_INPUT_MAX		(4 << 20)

/*
 * 4096 patterns: hex: of random bytes, some with ?? after their first two
 * bytes, and istr: of random letters, 8 to 40 bytes, their first two bytes
 * known and not zero.
 */
struct many {
	unsigned int count;
	unsigned int len[SCAN_PATTERNS];
	bool istr[SCAN_PATTERNS];
	uint8_t bytes[SCAN_PATTERNS][40];
	bool wild[SCAN_PATTERNS][40];
	/* Patterns by their first two bytes, letters in lower case. */
	int first[65536 + 1];
	int order[SCAN_PATTERNS];
};

static struct many many;

static uint8_t fold(uint8_t c, bool istr)
{
	return istr ? tolower(c) : c;
}

static unsigned int many_key(const uint8_t *p, bool istr)
{
	return fold(p[0], istr) | fold(p[1], istr) << 8;
}

static void many_make(void)
{
	static int next[65536];
	unsigned int i, j, key;

	many.count = SCAN_PATTERNS;
	for (i = 0; i < many.count; i++) {
		many.len[i] = 8 + rng() % 33;
		many.istr[i] = i % 4 == 1;
		for (j = 0; j < many.len[i]; j++) {
			if (many.istr[i])
				many.bytes[i][j] = "abcdefghijklmnopqrstuvwxyz"
						   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rng() % 52];
			else
				many.bytes[i][j] = 1 + rng() % 255;
			many.wild[i][j] = !many.istr[i] && i % 4 == 2 &&
					  j >= 2 && !(rng() % 4);
		}
	}
	/*
	 * Counting sort by key (an istr: pattern's in lower case), pattern
	 * order kept within a key.
	 */
	memset(many.first, 0, sizeof(many.first));
	for (i = 0; i < many.count; i++)
		many.first[many_key(many.bytes[i], many.istr[i]) + 1]++;
	for (key = 0; key < 65536; key++)
		many.first[key + 1] += many.first[key];
	memcpy(next, many.first, sizeof(next));
	for (i = 0; i < many.count; i++) {
		key = many_key(many.bytes[i], many.istr[i]);
		many.order[next[key]++] = i;
	}
}

/* The patterns, one a line, as the scan file takes them. */
static char *many_request(void)
{
	char *text = malloc(SCAN_PATTERNS * 128), *p = text;
	unsigned int i, j;

	for (i = 0; i < many.count; i++) {
		if (many.istr[i]) {
			p += sprintf(p, "istr:%.*s\n", many.len[i],
				     (const char *)many.bytes[i]);
			continue;
		}
		p += sprintf(p, "hex:");
		for (j = 0; j < many.len[i]; j++)
			p += many.wild[i][j] ? sprintf(p, "?? ") :
			     sprintf(p, "%02X ", many.bytes[i][j]);
		p[-1] = '\n';
	}
	*p = '\0';
	return text;
}

/* The name the module gives pattern @i. */
static void many_name(unsigned int i, char *name)
{
	unsigned int j;

	if (many.istr[i]) {
		sprintf(name, "istr:%.*s", many.len[i], (const char *)many.bytes[i]);
		return;
	}
	name += sprintf(name, "hex:");
	for (j = 0; j < many.len[i]; j++)
		name += many.wild[i][j] ? sprintf(name, "??") :
			sprintf(name, "%02x", many.bytes[i][j]);
}

static bool many_equal(unsigned int i, const uint8_t *p)
{
	unsigned int j;

	for (j = 0; j < many.len[i]; j++) {
		if (!many.wild[i][j] &&
		    fold(p[j], many.istr[i]) != fold(many.bytes[i][j], many.istr[i]))
			return false;
	}
	return true;
}

/*
 * The reference: at every position of each span (slots joined), every
 * pattern whose first two bytes are there, compared byte by byte.
 */
static int many_truth(struct kvm_vm *vm, struct match *out, int max)
{
	static const struct { uint64_t gpa, len; } spans[] = {
		{ 0, 8 * SZ_2M }, { 0x100000000ULL, SZ_2M },
	};
	unsigned int s, key, k, i;
	const uint8_t *base;
	uint8_t *copy;
	uint64_t off;
	int n = 0;

	for (s = 0; s < ARRAY_SIZE(spans); s++) {
		/* The slots of a span are apart in the VMM: join them. */
		copy = malloc(spans[s].len);
		TEST_ASSERT(copy, "malloc");
		for (off = 0; off < spans[s].len; off += 4096)
			memcpy(copy + off, addr_gpa2hva(vm, spans[s].gpa + off),
			       4096);
		base = copy;
		for (off = 0; off + 8 <= spans[s].len; off++) {
			key = many_key(base + off, true);
			for (k = many.first[key]; k < (unsigned int)many.first[key + 1]; k++) {
				i = many.order[k];
				if (off + many.len[i] > spans[s].len ||
				    !many_equal(i, base + off))
					continue;
				TEST_ASSERT(n < max, "too many truths");
				out[n].gpa = spans[s].gpa + off;
				out[n++].pattern = i;
			}
			/* Exact-case keys of hex: patterns with letters. */
			if (key == many_key(base + off, false))
				continue;
			key = many_key(base + off, false);
			for (k = many.first[key]; k < (unsigned int)many.first[key + 1]; k++) {
				i = many.order[k];
				if (many.istr[i] || off + many.len[i] > spans[s].len ||
				    !many_equal(i, base + off))
					continue;
				TEST_ASSERT(n < max, "too many truths");
				out[n].gpa = spans[s].gpa + off;
				out[n++].pattern = i;
			}
		}
		free(copy);
	}
	return n;
}

static int match_compare(const void *a, const void *b)
{
	const struct match *x = a, *y = b;

	if (x->gpa != y->gpa)
		return x->gpa < y->gpa ? -1 : 1;
	return x->pattern - y->pattern;
}

static struct match plants[SCAN_PATTERNS];

/*
 * Copy pattern @i to @gpa (its wildcards as random bytes), byte by byte:
 * adjacent slots are apart in the VMM.
 */
static void many_plant(struct kvm_vm *vm, unsigned int i, uint64_t gpa)
{
	uint8_t *p;
	unsigned int j;

	plants[i].gpa = gpa;
	plants[i].pattern = i;
	for (j = 0; j < many.len[i]; j++) {
		p = addr_gpa2hva(vm, gpa + j);
		*p = many.wild[i][j] ? rng() : many.bytes[i][j];
		/* An istr: pattern is planted in the other case. */
		if (many.istr[i] && !j)
			*p ^= 0x20;
	}
}

static void test_scan_4096_patterns(void)
{
	static struct match truth[3 * SCAN_PATTERNS];
	struct kvm_vm *vm = vm_create_scanned();
	struct kvmintro_record_list *records;
	char *text, *request, name[600], want[600], trunc[8];
	uint64_t gpa, matches, bytes;
	unsigned int i, planted = 0;
	int n, found = 0, r;
	struct result m;

	many_make();
	/* Across 4K page edges in slot 0, the slot edge, the THP edge. */
	for (i = 1; i < 64; i++)
		many_plant(vm, planted++, i * 4096 - 1 - i % 7);
	many_plant(vm, planted++, 4 * SZ_2M - 4);
	many_plant(vm, planted++, 5 * SZ_2M - 20);
	many_plant(vm, planted++, 0x100000000ULL + 4096 - 3);
	/* The others 64 bytes apart in the THPs and in slot 2. */
	for (gpa = 4 * SZ_2M + 64; planted < SCAN_PATTERNS && gpa < 5 * SZ_2M - 64;
	     gpa += 64)
		many_plant(vm, planted++, gpa);
	for (gpa = 0x100000000ULL + 8192; planted < SCAN_PATTERNS; gpa += 64)
		many_plant(vm, planted++, gpa);

	n = many_truth(vm, truth, ARRAY_SIZE(truth));
	qsort(truth, n, sizeof(truth[0]), match_compare);
	for (i = 0; i < planted; i++) {
		if (bsearch(&plants[i], truth, n, sizeof(truth[0]), match_compare))
			continue;
		many_name(i, name);
		ksft_print_msg("planted %s at 0x%" PRIx64 " not in the truth\n",
			       name, plants[i].gpa);
	}
	TEST_ASSERT(n >= SCAN_PATTERNS, "only %d matches in the truth", n);
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	request = many_request();
	text = scan(request, &r);
	TEST_ASSERT(text, "scan of 4096 patterns (%zu bytes): %s",
		    strlen(request), strerror(-r));
	records = scan_records(text, &matches, &bytes, trunc);
	for (i = 0; i < (unsigned int)records->count - 1; i++) {
		scan_result(records, i, &m);
		TEST_ASSERT(found < n, "more matches than the truth's %d", n);
		many_name(truth[found].pattern, want);
		TEST_ASSERT(m.gpa == truth[found].gpa &&
			    m.index == (uint64_t)truth[found].pattern &&
			    m.pattern_len == (int)strlen(want) &&
			    !memcmp(m.pattern, want, m.pattern_len),
			    "match %d: 0x%" PRIx64 " %" PRIu64 " %s, truth 0x%" PRIx64 " %d %s",
			    found, m.gpa, m.index, m.pattern, truth[found].gpa,
			    truth[found].pattern, want);
		TEST_ASSERT_EQ(m.hva, (uint64_t)(uintptr_t)addr_gpa2hva(vm, m.gpa));
		if (found % 64 == 0)
			TEST_ASSERT_EQ(m.hpa, (kvmintro_pagemap_pfn(m.hva) << 12) |
					      (m.hva & 0xfff));
		found++;
	}
	kvmintro_records_free(records);
	TEST_ASSERT(found == n && matches == (uint64_t)n && !strcmp(trunc, "no"),
		    "%d of %d matches, summary %" PRIu64 " truncated=%s", found,
		    n, matches, trunc);
	ksft_print_msg("4096 patterns (%zu bytes of request): %d matches, %u planted, over %" PRIu64 " backed bytes\n",
		       strlen(request), found, planted, bytes);
	free(text);
	free(request);
	vm_destroy(vm);
	kvmintro_unload();
}

/* "str:" and @len bytes of @c, then a newline, in @buf. */
static char *long_line(char *buf, const char *prefix, char c, size_t len)
{
	size_t n = strlen(prefix);

	memcpy(buf, prefix, n);
	memset(buf + n, c, len);
	buf[n + len] = '\0';
	return buf;
}

static void test_scan_bad_input(void)
{
	static const char *const bad[] = {
		"\n", "str:", "hex:", "hex:abc", "hex:zz", "foo:bar", "strx",
		"str:a\nmax=0", "str:a\nmax=x", "str:a\nmax=1\nmax=2",
		"istr:", "ISTR:a", "hex:??", "hex:?? 4d", "hex:4d ?", "hex:4d ?0",
		"hex:4d 5a * 00", "hex:4d [2] 00", "str:a\nmax=1000001",
		"\x01\x02\xff\xfe garbage \x80",
	};
	struct kvm_vm *vm = vm_create_scanned();
	char path[192], *before, *after, *big, line[1200];
	unsigned int i;
	size_t n;
	int r;

	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	snprintf(path, sizeof(path), "%s/scan", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(!kvmintro_write(path, "str:kvmintro-needle"), "good scan");
	before = kvmintro_read(path);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r = kvmintro_write(path, bad[i]);
		TEST_ASSERT(r == -EINVAL, "'%s': %s", bad[i], strerror(-r));
	}
	/* One past each limit refused; the limit itself taken, after. */
	TEST_ASSERT_EQ(kvmintro_write(path, long_line(line, "hex:", 'a', 514)),
		       -EINVAL);
	TEST_ASSERT_EQ(kvmintro_write(path, long_line(line, "str:", 'a', 257)),
		       -EINVAL);
	TEST_ASSERT_EQ(kvmintro_write(path, long_line(line, "istr:", 'a', 257)),
		       -EINVAL);
	big = malloc(SCAN_INPUT_MAX + 2);
	for (i = 0, n = 0; i < SCAN_PATTERNS + 1; i++)
		n += sprintf(big + n, "hex:%02x %02x\n", 1 + i % 255, i / 255);
	TEST_ASSERT_EQ(kvmintro_write(path, big), -EINVAL);	/* 4097 */
	memset(big, '\n', SCAN_INPUT_MAX + 1);
	memcpy(big, "str:kvmintro-needle", 19);
	big[SCAN_INPUT_MAX + 1] = '\0';
	TEST_ASSERT_EQ(kvmintro_write(path, big), -EINVAL);	/* 4 MiB + 1 */
	memset(big, 'x', 1 << 20);
	big[1 << 20] = '\0';
	TEST_ASSERT_EQ(kvmintro_write(path, big), -EINVAL);	/* 1 MiB of x */
	after = kvmintro_read(path);
	TEST_ASSERT(before && after && !strcmp(before, after),
		    "results changed by rejected writes");
	free(before);
	free(after);

	TEST_ASSERT_EQ(kvmintro_write(path, long_line(line, "str:", 'a', 256)), 0);
	TEST_ASSERT_EQ(kvmintro_write(path, long_line(line, "istr:", 'A', 256)), 0);
	TEST_ASSERT_EQ(kvmintro_write(path, long_line(line, "hex:", 'a', 512)), 0);
	TEST_ASSERT_EQ(kvmintro_write(path, "hex:4d ?? ?? 00\nmax=1000000"), 0);
	for (i = 0, n = 0; i < SCAN_PATTERNS; i++)
		n += sprintf(big + n, "hex:%02x %02x\n", 1 + i % 255, i / 255);
	TEST_ASSERT_EQ(kvmintro_write(path, big), 0);		/* 4096 */
	memset(big, '\n', SCAN_INPUT_MAX);
	memcpy(big, "str:kvmintro-needle", 19);
	big[SCAN_INPUT_MAX] = '\0';
	TEST_ASSERT_EQ(kvmintro_write(path, big), 0);		/* 4 MiB */
	after = kvmintro_read(path);
	TEST_ASSERT(after && strstr(after, " index=0 pattern=\"str:kvmintro-needle\"\n"),
		    "a 4 MiB request gave:\n%.300s", after);
	free(after);
	free(big);
	vm_destroy(vm);
	kvmintro_unload();
}

/*
 * A shell's printf 'str:..\nhex:..\nmax=..\n' > scan arrives as one
 * write() per line: the writes to one open file make one request.
 */
static void test_scan_line_by_line(void)
{
	static const char *const lines[] = {
		"max=2\n", "str:kvmintro-needle\n", "hex:de ad be ef 00 5a\n",
	};
	struct kvm_vm *vm = vm_create_scanned();
	struct kvmintro_record_list *records;
	char path[192], *text, trunc[8];
	uint64_t matches, bytes;
	struct result m;
	unsigned int i;
	int fd;

	kvmintro_load();
	snprintf(path, sizeof(path), "%s/scan", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(path, true, TIMEOUT_MS), "no scan file");
	fd = open(path, O_WRONLY);
	TEST_ASSERT(fd >= 0, "open scan");
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		TEST_ASSERT(write(fd, lines[i], strlen(lines[i])) ==
			    (ssize_t)strlen(lines[i]), "write '%s'", lines[i]);
	TEST_ASSERT(write(fd, "bogus\n", 6) < 0 && errno == EINVAL,
		    "a bad line after good ones");
	close(fd);
	text = kvmintro_read(path);
	TEST_ASSERT(text, "read scan");
	records = scan_records(text, &matches, &bytes, trunc);
	/* max=2 applies; both patterns were searched: needle at 0x0 first. */
	TEST_ASSERT(matches == 2 && !strcmp(trunc, "yes"),
		    "line-by-line request gave:\n%s", text);
	scan_result(records, 0, &m);
	TEST_ASSERT(m.gpa == 0 && m.index == 0 &&
		    !strcmp(m.pattern, "str:kvmintro-needle"),
		    "line-by-line request gave:\n%s", text);
	kvmintro_records_free(records);
	free(text);
	vm_destroy(vm);
	kvmintro_unload();
}

/*
 * cat and dd write a long list in blocks of a page or more, cut inside a
 * line: a block whose cut line is not yet a pattern waits for the rest.
 */
static void test_scan_written_in_blocks(void)
{
	struct kvm_vm *vm = vm_create_scanned();
	struct kvmintro_record_list *records;
	char path[192], *text, *p, trunc[8];
	uint64_t matches, bytes;
	size_t len, off, n;
	struct result m;
	unsigned int i;
	int fd;

	/* 21-byte lines: the blocks end in "h" and "he". */
	text = malloc(500 * 21 + 64);
	for (i = 0, p = text; i < 400; i++)
		p += sprintf(p, "hex:0102030405060708\n");
	p += sprintf(p, "str:kvmintro-needle\n");
	len = p - text;
	kvmintro_load();
	snprintf(path, sizeof(path), "%s/scan", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(path, true, TIMEOUT_MS), "no scan file");
	fd = open(path, O_WRONLY);
	TEST_ASSERT(fd >= 0, "open scan");
	for (off = 0; off < len; off += n) {
		n = len - off < 4096 ? len - off : 4096;
		TEST_ASSERT(write(fd, text + off, n) == (ssize_t)n,
			    "block at %zu: %s", off, strerror(errno));
	}
	close(fd);
	free(text);
	text = kvmintro_read(path);
	records = scan_records(text, &matches, &bytes, trunc);
	scan_result(records, 0, &m);
	/* The needle is pattern 400, after 400 lines of hex. */
	TEST_ASSERT(m.gpa == 0 && m.index == 400 &&
		    !strcmp(m.pattern, "str:kvmintro-needle"),
		    "a request in 4 KiB blocks gave:\n%s", text);
	kvmintro_records_free(records);
	free(text);
	vm_destroy(vm);
	kvmintro_unload();
}

/* Rss of the mapping that holds @hva, from /proc/self/smaps: the VMM's
 * resident guest memory, whatever the test itself allocates. */
static uint64_t mapping_rss_kb(uint64_t hva)
{
	char *text = kvmintro_read("/proc/self/smaps"), *line;
	unsigned long start, end;
	bool in = false;
	uint64_t v = 0;

	TEST_ASSERT(text, "read smaps");
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' '))
			in = hva >= start && hva < end;
		else if (in && sscanf(line, "Rss: %" SCNu64, &v) == 1)
			break;
	}
	free(text);
	return v;
}

/* A 256 MiB guest that touched 16 MiB: scanning it changes nothing. */
static void test_scan_no_side_effects(void)
{
	struct kvm_vm *vm = vm_create();
	uint64_t rss, acquired, released, hva;
	char *text, summary[96];
	int r;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, 256ULL << 20, 0);
	hva = (uintptr_t)addr_gpa2hva(vm, 0);
	fill_random(addr_gpa2hva(vm, 64ULL << 20), 16ULL << 20);
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	rss = mapping_rss_kb(hva);
	acquired = kvmintro_vmstat("nr_foll_pin_acquired");
	released = kvmintro_vmstat("nr_foll_pin_released");
	text = scan("str:nothing-like-this\nhex:0102030405060708", &r);
	snprintf(summary, sizeof(summary), "summary matches=0 bytes=%" PRIu64 " truncated=no\n",
		 rss * 1024);
	TEST_ASSERT(text && !strcmp(text, summary), "scan, want '%s': %s", summary,
		    text ? text : strerror(-r));
	free(text);
	TEST_ASSERT(mapping_rss_kb(hva) == rss,
		    "guest RSS %" PRIu64 " kB -> %" PRIu64 " kB", rss,
		    mapping_rss_kb(hva));
	TEST_ASSERT(kvmintro_vmstat("nr_foll_pin_acquired") - acquired ==
		    kvmintro_vmstat("nr_foll_pin_released") - released, "pins differ");
	vm_destroy(vm);
	kvmintro_unload();
}

/*
 * A str: pattern holds any byte but a newline: blanks, quotes, backslashes,
 * tabs, control and high bytes come back in a string, escaped as the
 * record grammar says, and decode to the bytes written.
 */
static void test_scan_pattern_encoding(void)
{
	static const char needle[] = "kv \"in\\tro\t\x01\xfe=x";
	static const char want[] =
		" index=1 pattern=\"str:kv \\\"in\\\\tro\\t\\x01\\xfe=x\"\n";
	struct kvm_vm *vm = vm_create_scanned();
	struct kvmintro_record_list *records;
	char request[64], *text, trunc[8];
	uint64_t matches, bytes;
	struct result m;
	int r;

	memcpy(addr_gpa2hva(vm, 20 * 4096 + 7), needle, sizeof(needle) - 1);
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	snprintf(request, sizeof(request), "hex:ffffffffffffffffff\nstr:%s\n",
		 needle);
	text = scan(request, &r);
	TEST_ASSERT(text, "scan: %s", strerror(-r));
	ksft_print_msg("%s", text);
	records = scan_records(text, &matches, &bytes, trunc);
	TEST_ASSERT(matches == 1 && !strcmp(trunc, "no"), "scan gave:\n%s", text);
	scan_result(records, 0, &m);
	TEST_ASSERT(m.gpa == 20 * 4096 + 7 && m.index == 1 &&
		    m.pattern_len == 4 + (int)sizeof(needle) - 1 &&
		    !memcmp(m.pattern, "str:", 4) &&
		    !memcmp(m.pattern + 4, needle, sizeof(needle) - 1),
		    "scan gave:\n%s", text);
	TEST_ASSERT(strstr(text, want), "'%s' not in:\n%s", want, text);
	kvmintro_records_free(records);
	free(text);
	vm_destroy(vm);
	kvmintro_unload();
}

/* A big touched guest in a child; the scan runs while it is killed. */
static void test_vmm_exit_during_scan(void)
{
	int pipefd[2], status, r;
	char path[192], c;
	struct kvm_vm *vm;
	pid_t pid;

	TEST_ASSERT(!pipe(pipefd), "pipe");
	pid = fork();
	if (!pid) {
		vm = vm_create();
		vm_add_memslot(vm, VM_MEM_ANON, 0, 0, 512ULL << 20, 0);
		fill_random(addr_gpa2hva(vm, 0), 512ULL << 20);
		TEST_ASSERT(write(pipefd[1], "r", 1) == 1, "write");
		for (;;)
			pause();
	}
	TEST_ASSERT(read(pipefd[0], &c, 1) == 1, "child died");
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), true,
				       TIMEOUT_MS), "no VM directory");
	if (!fork()) {
		sleep_ms(300);
		kill(pid, SIGKILL);
		exit(0);
	}
	snprintf(path, sizeof(path), "%s/scan", kvmintro_vm_path(pid, 0));
	r = kvmintro_write(path, "str:never-there-at-all");
	ksft_print_msg("scan while the VMM was killed: %s\n",
		       r ? strerror(-r) : "finished first");
	TEST_ASSERT(!r || r == -ESRCH || r == -EIO || r == -ENODEV,
		    "scan ended with %s", strerror(-r));
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(pid, 0), false,
				       TIMEOUT_MS), "directory stays");
	kvmintro_unload();
}

static volatile int scans_done;

static void *scan_thread(void *path)
{
	long r = 0;

	while (scans_done < 4 &&
	       !(r = kvmintro_write(path, "str:never-there-at-all\nhex:0001020304050607")))
		scans_done++;
	return (void *)r;
}

/*
 * rmmod during a scan: refused while the scan's file is open (the file
 * holds the module), and the scan goes on to its end; rmmod goes once
 * the file is closed.
 */
static void test_rmmod_during_scan(void)
{
	struct kvm_vm *vm = vm_create();
	static char path[192];
	pthread_t thread;
	void *result;
	int r;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, 512ULL << 20, 0);
	fill_random(addr_gpa2hva(vm, 0), 512ULL << 20);
	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(kvmintro_vm_path(getpid(), 0), true,
				       TIMEOUT_MS), "no VM directory");
	snprintf(path, sizeof(path), "%s/scan", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(!pthread_create(&thread, NULL, scan_thread, path), "thread");
	while (!scans_done)
		sleep_ms(1);
	r = syscall(SYS_delete_module, "kvmintro", O_NONBLOCK) ? -errno : 0;
	TEST_ASSERT(!pthread_join(thread, &result), "join");
	ksft_print_msg("rmmod during scan %d: %s; the scan thread ended with: %s\n",
		       scans_done, r ? strerror(-r) : "unloaded",
		       result ? strerror(-(long)result) : "all scans done");
	/* Between two scans no file is open: rmmod may go through then. */
	TEST_ASSERT(r == -EWOULDBLOCK || (!r && !kvmintro_loaded()),
		    "rmmod during a scan: %s", strerror(-r));
	/* Opened while the module went: ENXIO; after: ENOENT. */
	TEST_ASSERT(scans_done == 4 || (!r && ((long)result == -ENOENT ||
					      (long)result == -EIO ||
					      (long)result == -ENXIO)),
		    "scan %d ended with %s", scans_done + 1,
		    strerror(-(long)result));
	if (kvmintro_loaded())
		kvmintro_unload();
	vm_destroy(vm);
}

static const struct kvmintro_case cases[] = {
	{ "scan: exactly the planted matches, across page, THP and slot edges",
	  test_scan_finds_exactly_the_planted },
	{ "scan: 4096 patterns of every form, planted across page, THP and slot edges: exactly the reference's matches",
	  test_scan_4096_patterns },
	{ "scan: bad input and one past every limit are -EINVAL, results unchanged; every limit taken",
	  test_scan_bad_input },
	{ "scan: a pattern with blanks, quotes and any byte comes back as a string of the record grammar",
	  test_scan_pattern_encoding },
	{ "scan: a request written line by line, as shells do",
	  test_scan_line_by_line },
	{ "scan: a long request in 4 KiB blocks cut inside lines, as cat writes",
	  test_scan_written_in_blocks },
	{ "scan: 256 MiB guest, 16 MiB touched: RSS and pins unchanged",
	  test_scan_no_side_effects },
	{ "scan: VMM killed during a long scan",
	  test_vmm_exit_during_scan },
	{ "scan: rmmod during a scan is refused, the scan goes on",
	  test_rmmod_during_scan },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
