// SPDX-License-Identifier: GPL-2.0
/*
 * The scan file against its userspace peers, run in L1 (bench/run) on a
 * 512 MiB guest of random bytes, for 1 and 256 patterns absent (8 to 16
 * bytes, random), side by side:
 *
 *  1. kvmintro's scan file over the whole guest;
 *  2. the userspace way: read /proc/<vmm>/mem in 4 MiB chunks and feed
 *     them to the same matcher (lib/scan.c);
 *  3. the matcher over a resident local buffer of the same size (the
 *     memory speed reference).
 *
 * Each figure is the median of several runs, the three in turn; read the
 * ratios.  One pattern is searched with AVX2 where the CPU has it, and
 * again without (the module's scan_simd=0, kvmintro_scan_force_scalar):
 * QEMU's TCG emulates AVX2, each instruction of it costly.  Where the
 * matcher has no SIMD (arm64), the first search was already scalar and is
 * not repeated.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "median.h"
#include "processor.h"

#include "../lib/scan.h"

#define GUEST_SIZE	(512ULL << 20)
#define RUNS		5
#define CHUNK		(4 << 20)

static struct kvmintro_scan_spec spec;
static struct kvmintro_scanner scanner;
static char request[256 * 64];

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void fill_random(uint8_t *p, uint64_t len)
{
	uint64_t x = 0x2545f4914f6cdd1dULL, i, v;

	for (i = 0; i < len; i += 8) {
		v = xorshift(&x);
		memcpy(p + i, &v, 8);
	}
}

static double mb_per_s(uint64_t bytes, uint64_t ns)
{
	return (double)bytes / (1 << 20) / ((double)ns / 1e9);
}

/* @count random hex: patterns of 8 to 16 bytes: the spec and its text. */
static void make_patterns(unsigned int count)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL + count;
	unsigned int i, j;
	char *p = request;

	TEST_ASSERT(!kvmintro_scan_parse(&spec, "str:x", 5), "parse");
	spec.count = count;
	spec.max = 0;
	for (i = 0; i < count; i++) {
		spec.kinds[i] = KVMINTRO_SCAN_HEX;
		spec.lengths[i] = 8 + i % 9;
		memset(spec.wildcards[i], 0, sizeof(spec.wildcards[i]));
		p += sprintf(p, "hex:");
		for (j = 0; j < spec.lengths[i]; j++) {
			spec.patterns[i][j] = xorshift(&x) >> 56;
			p += sprintf(p, "%02x", spec.patterns[i][j]);
		}
		*p++ = '\n';
	}
	*p = '\0';
}

static int count_match(void *ctx, unsigned int pattern, uint64_t address)
{
	(void)pattern;
	(void)address;
	(*(uint64_t *)ctx)++;
	return 0;
}

static uint64_t time_scan(const char *path)
{
	uint64_t start = clock_ns();
	char *text;

	TEST_ASSERT(!kvmintro_write(path, request), "scan");
	text = kvmintro_read(path);
	TEST_ASSERT(text && strstr(text, "summary matches=0 "), "scan found %s", text);
	free(text);
	return clock_ns() - start;
}

static uint64_t time_proc_mem(uint64_t hva)
{
	static uint8_t buf[CHUNK];
	uint64_t start = clock_ns(), off, found = 0;
	int fd = open("/proc/self/mem", O_RDONLY);

	TEST_ASSERT(fd >= 0, "open /proc/self/mem");
	TEST_ASSERT(!kvmintro_scan_init(&scanner, &spec), "init");
	for (off = 0; off < GUEST_SIZE; off += CHUNK) {
		TEST_ASSERT(pread(fd, buf, CHUNK, hva + off) == CHUNK, "pread");
		kvmintro_scan_feed(&scanner, buf, CHUNK, off, count_match, &found);
	}
	kvmintro_scan_break(&scanner, count_match, &found);
	close(fd);
	TEST_ASSERT(!found, "found %" PRIu64, found);
	return clock_ns() - start;
}

static uint64_t time_local(const uint8_t *buf)
{
	uint64_t start = clock_ns(), found = 0;

	TEST_ASSERT(!kvmintro_scan_init(&scanner, &spec), "init");
	kvmintro_scan_feed(&scanner, buf, GUEST_SIZE, 0, count_match, &found);
	kvmintro_scan_break(&scanner, count_match, &found);
	TEST_ASSERT(!found, "found %" PRIu64, found);
	return clock_ns() - start;
}

int main(void)
{
	static const unsigned int counts[] = { 1, 1, 256 };
	uint64_t scan[RUNS], procmem[RUNS], local[RUNS], hva;
	double s, p, l;
	char path[192];
	struct kvm_vm *vm;
	unsigned int c;
	uint8_t *buf;
	bool simd = false;
	int i;

	if (!getenv("KVMINTRO_KO")) {
		fprintf(stderr, "scan_l1_bench: KVMINTRO_KO is not set: run it with bench/run\n");
		return 2;
	}
	vm = vm_create();
	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, GUEST_SIZE, 0);
	hva = (uintptr_t)addr_gpa2hva(vm, 0);
	fill_random((uint8_t *)(uintptr_t)hva, GUEST_SIZE);
	buf = malloc(GUEST_SIZE);
	TEST_ASSERT(buf, "malloc");
	fill_random(buf, GUEST_SIZE);

	kvmintro_load();
	snprintf(path, sizeof(path), "%s/scan", kvmintro_vm_path(getpid(), 0));
	TEST_ASSERT(kvmintro_wait_path(path, true, 10000), "no scan file");
	for (c = 0; c < ARRAY_SIZE(counts); c++) {
		/* The second one-pattern line without SIMD, if the first had it. */
		if (c == 1 && !simd)
			continue;
		kvmintro_scan_force_scalar = c == 1;
		TEST_ASSERT(!kvmintro_write("/sys/module/kvmintro/parameters/scan_simd",
					    c == 1 ? "0" : "1"), "scan_simd");
		make_patterns(counts[c]);
		for (i = 0; i < RUNS; i++) {
			scan[i] = time_scan(path);
			procmem[i] = time_proc_mem(hva);
			local[i] = time_local(buf);
		}
		s = mb_per_s(GUEST_SIZE, median_u64(scan, RUNS));
		p = mb_per_s(GUEST_SIZE, median_u64(procmem, RUNS));
		l = mb_per_s(GUEST_SIZE, median_u64(local, RUNS));
		printf("scan 512MiB, %u pattern%s: kvmintro %.0f MB/s, /proc/pid/mem+matcher %.0f MB/s, local matcher %.0f MB/s;"
		       " kvmintro/procmem %.2fx, kvmintro/local %.2f; SIMD: %s\n",
		       counts[c], counts[c] == 1 ? "" : "s", s, p, l, s / p,
		       s / l, scanner.simd ? "yes" : "no");
		fflush(stdout);
		simd |= scanner.simd;
	}
	kvmintro_unload();
	vm_destroy(vm);
	return 0;
}
