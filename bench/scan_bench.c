// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput of lib/scan.c over a resident buffer of random bytes, beside
 * Hyperscan (the field's reference multi-pattern engine, block mode, one
 * call over the whole buffer) and a plain streaming read of the same
 * buffer (a sum of its 64-bit words), for 1, 16, 256 and 4096 literal
 * patterns: absent, then with matches planted.
 *
 *   scan_bench [-s MiB] [-r runs] [-c chunk KiB] [-l length] [-n counts] [-t]
 *
 * The single pattern is -l bytes (12); sets of more have patterns of 8 to
 * 16 bytes (8 + i % 9), random, so that they almost surely do not occur.
 * -n lists the pattern counts (1,16,256,4096).  kvmintro is fed in chunks
 * of -c KiB (2048, as a huge page of guest memory).  Each figure is the
 * median of the runs; the three sides of a line run in turn, so that a
 * noisy neighbour slows them alike.  -t measures the thread's CPU time
 * rather than the wall clock, for a busy machine.  The matches each side
 * found are compared: a difference is printed as MISMATCH.
 *
 * Hyperscan (Debian's libhyperscan-dev) is a benchmark-only dependency:
 * without it the program is built without that column and says so.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

#include "../lib/scan.h"
#include "median.h"

#define MIB (1024 * 1024)
/* Matches planted per line "planted": about one per 64 KiB. */
#define PLANTS_PER_MIB 16

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static clockid_t clock_id = CLOCK_MONOTONIC;

static double now(void)
{
	struct timespec t;

	clock_gettime(clock_id, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int count_match(void *ctx, unsigned int pattern, u64 address)
{
	(void)pattern;
	(void)address;
	(*(u64 *)ctx)++;
	return 0;
}

struct bench {
	u8 *buf;
	size_t size;
	size_t chunk;
	int runs;
	struct kvmintro_scan_spec spec;
	struct kvmintro_scanner *scanner;
	u64 found;
	u64 read_sum;
#ifdef HAVE_HYPERSCAN
	hs_database_t *database;
	hs_scratch_t *scratch;
	u64 hs_found;
#endif
};

/* @count random patterns: -l bytes if one, else 8 to 16 bytes. */
static void make_patterns(struct bench *b, unsigned int count,
			  unsigned int len)
{
	unsigned int i, j;

	memset(&b->spec, 0, sizeof(b->spec));
	b->spec.count = count;
	b->spec.max = 0;	/* no limit: count them all, as Hyperscan does */
	for (i = 0; i < count; i++) {
		b->spec.kinds[i] = KVMINTRO_SCAN_HEX;
		b->spec.lengths[i] = count == 1 ? len : 8 + i % 9;
		for (j = 0; j < b->spec.lengths[i]; j++)
			b->spec.patterns[i][j] = rng_next() >> 56;
	}
}

static double run_kvmintro(struct bench *b)
{
	double start = now();
	size_t off, n;
	int ret = 0;

	if (kvmintro_scan_init(b->scanner, &b->spec)) {
		fprintf(stderr, "scan_bench: bad spec\n");
		exit(1);
	}
	for (off = 0; off < b->size && !ret; off += n) {
		n = b->size - off < b->chunk ? b->size - off : b->chunk;
		ret = kvmintro_scan_feed(b->scanner, b->buf + off, n, off,
					 count_match, &b->found);
	}
	if (!ret)
		kvmintro_scan_break(b->scanner, count_match, &b->found);
	return now() - start;
}

/* Read every byte once, 64 bits at a time, and keep the sum. */
static double run_read(struct bench *b)
{
	const u64 *p = (const u64 *)b->buf, *end = p + b->size / 8;
	double start = now();
	u64 s0 = 0, s1 = 0, s2 = 0, s3 = 0;

	for (; p < end; p += 4) {
		s0 += p[0];
		s1 += p[1];
		s2 += p[2];
		s3 += p[3];
	}
	b->read_sum += s0 + s1 + s2 + s3;
	return now() - start;
}

#ifdef HAVE_HYPERSCAN
static int hs_count_match(unsigned int id, unsigned long long from,
			  unsigned long long to, unsigned int flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(*(u64 *)ctx)++;
	return 0;
}

/* Compile the patterns as literals, every match reported. */
static void hs_prepare(struct bench *b)
{
	static const char *expressions[KVMINTRO_SCAN_MAX_PATTERNS];
	static unsigned int flags[KVMINTRO_SCAN_MAX_PATTERNS];
	static unsigned int ids[KVMINTRO_SCAN_MAX_PATTERNS];
	static size_t lengths[KVMINTRO_SCAN_MAX_PATTERNS];
	hs_compile_error_t *error;
	unsigned int i;

	hs_free_scratch(b->scratch);
	hs_free_database(b->database);
	b->scratch = NULL;
	for (i = 0; i < b->spec.count; i++) {
		expressions[i] = (const char *)b->spec.patterns[i];
		lengths[i] = b->spec.lengths[i];
		flags[i] = 0;
		ids[i] = i;
	}
	if (hs_compile_lit_multi(expressions, flags, ids, lengths,
				 b->spec.count, HS_MODE_BLOCK, NULL,
				 &b->database, &error) != HS_SUCCESS) {
		fprintf(stderr, "scan_bench: Hyperscan: %s\n", error->message);
		exit(1);
	}
	if (hs_alloc_scratch(b->database, &b->scratch) != HS_SUCCESS) {
		fprintf(stderr, "scan_bench: Hyperscan: no scratch\n");
		exit(1);
	}
}

static double run_hyperscan(struct bench *b)
{
	double start = now();

	if (hs_scan(b->database, (const char *)b->buf, b->size, 0, b->scratch,
		    hs_count_match, &b->hs_found) != HS_SUCCESS) {
		fprintf(stderr, "scan_bench: Hyperscan: scan failed\n");
		exit(1);
	}
	return now() - start;
}
#endif

/* Print one line: the three sides in turn over the runs. */
static void compare(struct bench *b, const char *name)
{
	double kvmintro[b->runs], reads[b->runs];
	double mb = b->size / 1e6, k, r;
#ifdef HAVE_HYPERSCAN
	double hyperscan[b->runs], h;
#endif
	int i;

	b->found = 0;
#ifdef HAVE_HYPERSCAN
	hs_prepare(b);
	b->hs_found = 0;
#endif
	for (i = 0; i < b->runs; i++) {
		kvmintro[i] = run_kvmintro(b);
#ifdef HAVE_HYPERSCAN
		hyperscan[i] = run_hyperscan(b);
#endif
		reads[i] = run_read(b);
	}
	k = mb / median_double(kvmintro, b->runs);
	r = mb / median_double(reads, b->runs);
	printf("%-14s kvmintro %6.0f MB/s (%5.1f ms)  read %6.0f MB/s  kvmintro/read %.2f",
	       name, k, 1e3 * mb / k, r, k / r);
#ifdef HAVE_HYPERSCAN
	h = mb / median_double(hyperscan, b->runs);
	printf("  hyperscan %6.0f MB/s (%5.1f ms)  kvmintro/hyperscan %.2f",
	       h, 1e3 * mb / h, k / h);
#endif
	printf("  matches %llu", (unsigned long long)b->found / b->runs);
#ifdef HAVE_HYPERSCAN
	if (b->found != b->hs_found)
		printf(" MISMATCH: Hyperscan found %llu",
		       (unsigned long long)b->hs_found / b->runs);
#endif
	printf("\n");
	fflush(stdout);
}

/* Copy random patterns to random places; save what they covered. */
static u8 *plant(struct bench *b, size_t **where, size_t *count)
{
	size_t n = b->size / MIB * PLANTS_PER_MIB, i, at;
	u8 *saved = malloc(n * KVMINTRO_SCAN_PATTERN_MAX);
	unsigned int k;

	*where = malloc(n * sizeof(**where));
	if (!saved || !*where) {
		perror("scan_bench");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		k = rng_next() % b->spec.count;
		at = rng_next() % (b->size - KVMINTRO_SCAN_PATTERN_MAX);
		(*where)[i] = at;
		memcpy(saved + i * KVMINTRO_SCAN_PATTERN_MAX, b->buf + at,
		       KVMINTRO_SCAN_PATTERN_MAX);
		memcpy(b->buf + at, b->spec.patterns[k], b->spec.lengths[k]);
	}
	*count = n;
	return saved;
}

/* Put back what plant() covered, last first. */
static void unplant(struct bench *b, u8 *saved, size_t *where, size_t n)
{
	while (n-- > 0)
		memcpy(b->buf + where[n], saved + n * KVMINTRO_SCAN_PATTERN_MAX,
		       KVMINTRO_SCAN_PATTERN_MAX);
	free(saved);
	free(where);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: scan_bench [-s MiB] [-r runs] [-c chunk KiB] [-l length] [-n counts] [-t]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench b = { .size = 512, .chunk = 2048, .runs = 5 };
	const char *counts = "1,16,256,4096";
	unsigned int len = 12, count;
	size_t n, nplants, *where;
	char name[32], *end;
	const char *c;
	u64 *words;
	u8 *saved;
	int opt;

	while ((opt = getopt(argc, argv, "s:r:c:l:n:t")) != -1) {
		switch (opt) {
		case 's':
			b.size = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			b.runs = atoi(optarg);
			break;
		case 'c':
			b.chunk = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			len = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			counts = optarg;
			break;
		case 't':
			clock_id = CLOCK_THREAD_CPUTIME_ID;
			break;
		default:
			usage();
		}
	}
	if (!b.size || b.runs < 1 || !b.chunk || !len ||
	    len > KVMINTRO_SCAN_PATTERN_MAX)
		usage();
	b.size *= MIB;
	b.chunk *= 1024;
	b.buf = aligned_alloc(4096, b.size);
	b.scanner = malloc(sizeof(*b.scanner));
	if (!b.buf || !b.scanner) {
		perror("scan_bench");
		return 1;
	}
	/* Write every byte: the buffer is resident before the clock starts. */
	words = (u64 *)b.buf;
	for (n = 0; n < b.size / 8; n++)
		words[n] = rng_next();
	printf("# %zu MiB random, kvmintro in chunks of %zu KiB, median of %d runs, %s time\n",
	       b.size / MIB, b.chunk / 1024, b.runs,
	       clock_id == CLOCK_MONOTONIC ? "wall" : "CPU");
#ifdef HAVE_HYPERSCAN
	printf("# Hyperscan %s, block mode, literals\n", hs_version());
#else
	printf("# no Hyperscan: install Debian's libhyperscan-dev and rebuild for its column\n");
#endif
	for (c = counts; *c; c = *end ? end + 1 : end) {
		count = strtoul(c, &end, 10);
		if (!count || count > KVMINTRO_SCAN_MAX_PATTERNS ||
		    (*end && *end != ','))
			usage();
		make_patterns(&b, count, len);
		snprintf(name, sizeof(name), "%u absent", count);
		compare(&b, name);
		saved = plant(&b, &where, &nplants);
		snprintf(name, sizeof(name), "%u planted", count);
		compare(&b, name);
		unplant(&b, saved, where, nplants);
	}
	return 0;
}
