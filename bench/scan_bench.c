// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput of lib/scan.c against glibc's memmem() over a resident buffer
 * of random bytes, patterns absent:
 *
 *   scan-1:  one pattern, kvmintro fed in chunks vs one memmem() call
 *   scan-16: 16 patterns, kvmintro in one pass vs 16 memmem() passes
 *
 * Each figure is the median of the runs; the two sides of a line run
 * alternately, so that a noisy neighbour slows both alike.
 *
 *   scan_bench [-s MiB] [-r runs] [-c chunk KiB] [-l length] [-a] [-1] [-t]
 *
 * -l sets the length of the scan-1 pattern (12 bytes); -a adds one scan-1
 * line per pattern length, 1 to 256 bytes; -1 leaves scan-16 out; -t
 * measures the thread's CPU time rather than the wall clock, for a busy
 * machine.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/scan.h"

#define MIB (1024 * 1024)

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

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), compare_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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
	u64 libc_found;
};

/* Random patterns: from 5 bytes on, they almost surely do not occur. */
static void make_patterns(struct bench *b, unsigned int count,
			  unsigned int len)
{
	unsigned int i, j;

	memset(&b->spec, 0, sizeof(b->spec));
	b->spec.count = count;
	b->spec.max = 0;	/* no limit: count them all, as memmem() does */
	for (i = 0; i < count; i++) {
		for (j = 0; j < KVMINTRO_SCAN_PATTERN_MAX; j++)
			b->spec.patterns[i][j] = rng_next() >> 56;
		b->spec.lengths[i] = len;
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

/* Every occurrence of each pattern, one memmem() pass per pattern. */
static double run_memmem(struct bench *b)
{
	double start = now();
	const u8 *p, *end = b->buf + b->size;
	unsigned int i;

	for (i = 0; i < b->spec.count; i++) {
		for (p = b->buf; p < end; p++) {
			p = memmem(p, end - p, b->spec.patterns[i],
				   b->spec.lengths[i]);
			if (!p)
				break;
			b->libc_found++;
		}
	}
	return now() - start;
}

/*
 * Print one line, kvmintro and memmem alternating over the runs.  memmem()
 * makes one pass per pattern, kvmintro one in all.
 */
static void compare(struct bench *b, const char *name)
{
	double kvmintro[b->runs], libc[b->runs];
	double mb = b->size / 1e6, k, m;
	char passes[32] = "";
	int i;

	b->found = 0;
	b->libc_found = 0;
	for (i = 0; i < b->runs; i++) {
		kvmintro[i] = run_kvmintro(b);
		libc[i] = run_memmem(b);
	}
	k = mb / median(kvmintro, b->runs);
	m = mb / median(libc, b->runs);
	if (b->spec.count > 1)
		snprintf(passes, sizeof(passes), " (%u passes)", b->spec.count);
	printf("%s: kvmintro %.0f MB/s, memmem %.0f MB/s%s, ratio %.2f", name,
	       k, m, passes, k / m);
	if (b->found || b->libc_found)
		printf(", %llu matches", (unsigned long long)b->found / b->runs);
	if (b->found != b->libc_found)
		printf(" MISMATCH: memmem found %llu",
		       (unsigned long long)b->libc_found / b->runs);
	printf("\n");
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: scan_bench [-s MiB] [-r runs] [-c chunk KiB] [-l length] [-a] [-1] [-t]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const unsigned int lengths[] = { 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 32,
						64, 256 };
	struct bench b = { .size = 256, .chunk = 2048, .runs = 9 };
	unsigned int len = 12, i;
	bool all = false, one = false;
	char name[32];
	u64 *words;
	size_t n;
	int opt;

	while ((opt = getopt(argc, argv, "s:r:c:l:a1t")) != -1) {
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
		case 'a':
			all = true;
			break;
		case '1':
			one = true;
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
	printf("# %zu MiB random, chunks of %zu KiB, median of %d runs, %s time\n",
	       b.size / MIB, b.chunk / 1024, b.runs,
	       clock_id == CLOCK_MONOTONIC ? "wall" : "CPU");

	make_patterns(&b, 1, len);
	compare(&b, "scan-1");
	if (!one) {
		make_patterns(&b, KVMINTRO_SCAN_MAX_PATTERNS, len);
		for (i = 0; i < KVMINTRO_SCAN_MAX_PATTERNS; i++)
			b.spec.lengths[i] = 8 + i % 9;
		compare(&b, "scan-16");
	}
	for (i = 0; all && i < ARRAY_SIZE(lengths); i++) {
		make_patterns(&b, 1, lengths[i]);
		snprintf(name, sizeof(name), "scan-1 len %u", lengths[i]);
		compare(&b, name);
	}
	return 0;
}
