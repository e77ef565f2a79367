// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/format.c, the debugfs line formats users' scripts
 * parse, and what people read of values (sizes, latencies, quoted bytes,
 * hexdumps).  Expected lines are written out by hand from the documented
 * format (Documentation/debugfs.rst), not produced by the code under test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/format.h"
#include "../../lib/record.h"


static void check_line(const char *name, int len, const char *buf,
		       const char *expected)
{
	if (!ksft_test_result(len == (int)strlen(expected) &&
			      !strcmp(buf, expected), "%s", name))
		ksft_print_msg("  got (%d) '%s'\n#   expected '%s'\n", len,
			       len >= 0 ? buf : "", expected);
}

static void check_int(const char *name, int got, int expected)
{
	if (!ksft_test_result(got == expected, "%s", name))
		ksft_print_msg("  got %d, expected %d\n", got, expected);
}

static void test_memslot_lines(void)
{
	struct kvmintro_memslot_info slot = {
		.as_id = 0, .id = 0, .base_gfn = 0, .npages = 0xa0,
		.hva = 0x7f5c2c000000ull,
	};
	char buf[KVMINTRO_MEMSLOT_RECORD_MAX + 64];
	int len;

	len = kvmintro_format_memslot(buf, sizeof(buf), &slot);
	check_line("memslot: plain slot", len, buf,
		   "as=0 slot=0 gpa=0x0 npages=0xa0 size=0xa0000 hva=0x7f5c2c000000 flags=-\n");

	slot = (struct kvmintro_memslot_info){
		.as_id = 1, .id = 7, .base_gfn = 0x100000, .npages = 0x400,
		.hva = 0x7f0000000000ull,
		.flags = KVMINTRO_MEMSLOT_READONLY |
			 KVMINTRO_MEMSLOT_LOG_DIRTY_PAGES,
	};
	len = kvmintro_format_memslot(buf, sizeof(buf), &slot);
	check_line("memslot: above 4 GiB, readonly and dirty_log", len, buf,
		   "as=1 slot=7 gpa=0x100000000 npages=0x400 size=0x400000 "
		   "hva=0x7f0000000000 flags=readonly,dirty_log\n");

	slot = (struct kvmintro_memslot_info){
		.id = 32764, .internal = true, .base_gfn = 0xfee00,
		.npages = 1, .hva = 0x7fff0000, .flags = 0x80000004,
	};
	len = kvmintro_format_memslot(buf, sizeof(buf), &slot);
	check_line("memslot: internal, guest_memfd and unknown bits", len, buf,
		   "as=0 slot=32764 gpa=0xfee00000 npages=0x1 size=0x1000 "
		   "hva=0x7fff0000 flags=guest_memfd,internal,unknown_0x80000000\n");

	slot = (struct kvmintro_memslot_info){
		.id = 3, .base_gfn = 0x100, .npages = 0x200, .hva = 0x7f0000000000ull,
		.flags = KVMINTRO_MEMSLOT_GUEST_MEMFD, .guest_memfd_only = true,
	};
	len = kvmintro_format_memslot(buf, sizeof(buf), &slot);
	check_line("memslot: memory from guest_memfd only", len, buf,
		   "as=0 slot=3 gpa=0x100000 npages=0x200 size=0x200000 "
		   "hva=0x7f0000000000 flags=guest_memfd,guest_memfd_only\n");

	slot = (struct kvmintro_memslot_info){
		.id = 65535, .as_id = 65535, .base_gfn = 0xfffffffffull,
		.npages = 0xfffffffffull, .hva = ~0ull, .flags = ~0u,
		.internal = true, .guest_memfd_only = true,
	};
	len = kvmintro_format_memslot(buf, sizeof(buf), &slot);
	check_int("memslot: widest possible record fits the module's buffer",
		  len > 0 && len < KVMINTRO_MEMSLOT_RECORD_MAX, 1);

	len = kvmintro_format_memslot(buf, 20, &slot);
	check_int("memslot: too small a buffer is -ENOSPC", len, -ENOSPC);
	len = kvmintro_format_memslot_flags(buf, 0, &slot);
	check_int("memslot flags: zero-sized buffer is -ENOSPC", len, -ENOSPC);
}

static void test_vm_and_vcpu_lines(void)
{
	struct kvmintro_vm_info vm = {
		.pid = 1234, .dir = "1234-1", .vcpus = 2, .slots = 3,
		.mem_bytes = 268435456,
	};
	struct kvmintro_vcpu_info vcpu = {
		.index = 1, .id = 4, .tid = 1240, .runs = 51234,
	};
	char buf[128];
	int len;

	len = kvmintro_format_vm(buf, sizeof(buf), &vm);
	check_line("vms: line", len, buf,
		   "pid=1234 dir=\"1234-1\" vcpus=2 slots=3 mem=268435456\n");
	len = kvmintro_format_vm(buf, 10, &vm);
	check_int("vms: too small a buffer is -ENOSPC", len, -ENOSPC);

	len = kvmintro_format_vcpu(buf, sizeof(buf), &vcpu);
	check_line("vcpus: line", len, buf, "vcpu=4 index=1 tid=1240 runs=51234\n");
	vcpu.tid = 0;
	vcpu.runs = 0;
	len = kvmintro_format_vcpu(buf, sizeof(buf), &vcpu);
	check_line("vcpus: never run", len, buf, "vcpu=4 index=1 tid=0 runs=0\n");
}

static void check_text(const char *name, const char *buf, const char *expected)
{
	check_line(name, strlen(buf), buf, expected);
}

static void test_sizes(void)
{
	static const struct {
		u64 bytes;
		const char *text;
	} sizes[] = {
		{ 0, "0 B" }, { 1023, "1023 B" }, { 1024, "1 KiB" },
		{ 1536, "1.5 KiB" }, { 0xa0000, "640 KiB" }, { 2 << 20, "2 MiB" },
		{ 268435456, "256 MiB" }, { (1ull << 30) + 1, "1.0 GiB" },
		{ 4ull << 30, "4 GiB" }, { 1ull << 60, "1 EiB" },
		{ ~0ull, "15.9 EiB" },
	};
	char buf[KVMINTRO_SIZE_TEXT_MAX], name[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		kvmintro_format_size(sizes[i].bytes, buf, sizeof(buf));
		snprintf(name, sizeof(name), "size: %llu bytes is %s",
			 (unsigned long long)sizes[i].bytes, sizes[i].text);
		check_text(name, buf, sizes[i].text);
	}
	kvmintro_format_latency(674985, buf, sizeof(buf));
	check_text("latency: microseconds to the nanosecond", buf, "674.985 us");
	kvmintro_format_latency(42, buf, sizeof(buf));
	check_text("latency: below a microsecond", buf, "0.042 us");
}

static void test_quote(void)
{
	char quoted[100], long_text[300];

	kvmintro_format_quote("a\"b\\c\n\x7f\xff", 8, quoted, sizeof(quoted));
	check_text("quote: escapes what is not printable", quoted,
		   "\"a\\\"b\\\\c\\n\\x7f\\xff\"");
	kvmintro_format_quote("", 0, quoted, sizeof(quoted));
	check_text("quote: empty", quoted, "\"\"");
	memset(long_text, '\x01', sizeof(long_text));
	kvmintro_format_quote(long_text, sizeof(long_text), quoted,
			      sizeof(quoted));
	check_int("quote: long text is cut and marked",
		  strlen(quoted) < sizeof(quoted) &&
		  !strcmp(quoted + strlen(quoted) - 4, "\"..."), 1);
}

static void test_hexdump_line(void)
{
	char line[KVMINTRO_HEXDUMP_LINE_MAX];

	kvmintro_format_hexdump_line(0x1ff8, (const unsigned char *)
				     "Hello, world\x01\x02 with more", 16,
				     line, sizeof(line));
	check_text("hexdump: a whole line, as xxd writes it", line,
		   "00001ff8: 4865 6c6c 6f2c 2077 6f72 6c64 0102 2077  Hello, world.. w\n");
	kvmintro_format_hexdump_line(0x123456789, (const unsigned char *)"ab\xff",
				     3, line, sizeof(line));
	check_text("hexdump: a short line, a wider address", line,
		   "123456789: 6162 ff                                  ab.\n");
}

/*
 * The gpa_hpa record as the writer's general path writes it, field by
 * field with the keys as strings: what kvmintro_format_gpa_hpa() wrote
 * before its fast path, and must still write.
 */
static int gpa_hpa_general(char *buf, size_t size,
			   const struct kvmintro_gpa_hpa_info *run)
{
	struct kvmintro_record_writer writer;

	kvmintro_record_begin(&writer, buf, size, NULL);
	kvmintro_record_hex(&writer, "gpa", run->gpa);
	kvmintro_record_hex(&writer, "npages", run->npages);
	kvmintro_record_hex(&writer, "hva", run->hva);
	if (run->kind != KVMINTRO_PAGE_NONE) {
		kvmintro_record_hex(&writer, "hpa", run->hpa);
		kvmintro_record_hex(&writer, "pfn", run->pfn);
		kvmintro_record_size_word(&writer, "host_size",
					  run->host_shift);
	} else {
		kvmintro_record_none(&writer, "hpa");
		kvmintro_record_none(&writer, "pfn");
		kvmintro_record_none(&writer, "host_size");
	}
	kvmintro_record_word(&writer, "kind",
			     kvmintro_page_kind_name(run->kind));
	return kvmintro_record_end(&writer);
}

static void test_gpa_hpa_lines(void)
{
	struct kvmintro_gpa_hpa_info run = {
		.gpa = 0x100000, .npages = 1, .hva = 0x7f3a00100000ULL,
		.hpa = 0x10a2b3000ULL, .pfn = 0x10a2b3, .host_shift = 12,
		.kind = KVMINTRO_PAGE_BASE,
	};
	char buf[KVMINTRO_GPA_HPA_RECORD_MAX];
	int len;

	len = kvmintro_format_gpa_hpa(buf, sizeof(buf), &run);
	check_line("gpa_hpa: a base page", len, buf,
		   "gpa=0x100000 npages=0x1 hva=0x7f3a00100000 hpa=0x10a2b3000 "
		   "pfn=0x10a2b3 host_size=4K kind=base\n");
	run = (struct kvmintro_gpa_hpa_info){
		.gpa = 0, .npages = 0x200, .hva = 0x7f0000000000ULL,
		.kind = KVMINTRO_PAGE_NONE,
	};
	len = kvmintro_format_gpa_hpa(buf, sizeof(buf), &run);
	check_line("gpa_hpa: pages not backed", len, buf,
		   "gpa=0x0 npages=0x200 hva=0x7f0000000000 hpa=- pfn=- "
		   "host_size=- kind=none\n");
	run = (struct kvmintro_gpa_hpa_info){
		.gpa = 0x40000000, .npages = 0x40000, .hva = 0x7f0040000000ULL,
		.hpa = 0x140000000ULL, .pfn = 0x140000, .host_shift = 30,
		.kind = KVMINTRO_PAGE_HUGETLB,
	};
	len = kvmintro_format_gpa_hpa(buf, sizeof(buf), &run);
	check_line("gpa_hpa: a 1 GiB hugetlb page", len, buf,
		   "gpa=0x40000000 npages=0x40000 hva=0x7f0040000000 "
		   "hpa=0x140000000 pfn=0x140000 host_size=1G kind=hugetlb\n");
	run.host_shift = 21;
	run.kind = KVMINTRO_PAGE_THP;
	len = kvmintro_format_gpa_hpa(buf, sizeof(buf), &run);
	check_line("gpa_hpa: a THP", len, buf,
		   "gpa=0x40000000 npages=0x40000 hva=0x7f0040000000 "
		   "hpa=0x140000000 pfn=0x140000 host_size=2M kind=thp\n");
	run.host_shift = 12;
	run.kind = KVMINTRO_PAGE_ZERO;
	len = kvmintro_format_gpa_hpa(buf, sizeof(buf), &run);
	check_line("gpa_hpa: the zero page", len, buf,
		   "gpa=0x40000000 npages=0x40000 hva=0x7f0040000000 "
		   "hpa=0x140000000 pfn=0x140000 host_size=4K kind=zero\n");
	run.kind = KVMINTRO_PAGE_KINDS;
	check_int("gpa_hpa: an unknown kind is refused",
		  kvmintro_format_gpa_hpa(buf, sizeof(buf), &run), -EINVAL);
	run.kind = KVMINTRO_PAGE_BASE;
	run.host_shift = 9;
	check_int("gpa_hpa: a page size under 1 KiB is refused",
		  kvmintro_format_gpa_hpa(buf, sizeof(buf), &run), -EINVAL);
}

static u64 gpa_hpa_random(u64 *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

/* A value of @digits hex digits (0: zero), smallest, largest or random. */
static u64 gpa_hpa_value(unsigned int digits, unsigned int how, u64 *seed)
{
	u64 top = digits ? 1ULL << (4 * (digits - 1)) : 0;
	u64 mask = digits == 16 ? ~0ULL : (1ULL << (4 * digits)) - 1;

	if (!digits)
		return 0;
	return how == 0 ? top : how == 1 ? mask :
	       (gpa_hpa_random(seed) & mask) | top;
}

/* Fast and general paths agree on @run in buffers of every size. */
static bool gpa_hpa_agrees(const struct kvmintro_gpa_hpa_info *run,
			   bool every_size)
{
	char fast[KVMINTRO_GPA_HPA_RECORD_MAX + 64];
	char general[KVMINTRO_GPA_HPA_RECORD_MAX + 64];
	struct kvmintro_record_field fields[8];
	struct kvmintro_record record;
	int fast_len, general_len;
	size_t size;

	fast_len = kvmintro_format_gpa_hpa(fast, sizeof(fast), run);
	general_len = gpa_hpa_general(general, sizeof(general), run);
	if (fast_len <= 0 || fast_len != general_len || strcmp(fast, general))
		return false;
	if (kvmintro_record_parse(fast, fast_len, &record, fields, 8) ||
	    record.nr_fields != 7 || record.kind ||
	    fields[0].number != run->gpa || fields[1].number != run->npages ||
	    fields[2].number != run->hva ||
	    (run->kind != KVMINTRO_PAGE_NONE &&
	     (fields[3].number != run->hpa || fields[4].number != run->pfn)) ||
	    fields[6].type != KVMINTRO_RECORD_WORD)
		return false;
	for (size = 0; every_size && size <= (size_t)fast_len + 1; size++) {
		char *small = malloc(size ? size : 1);
		int len = kvmintro_format_gpa_hpa(size ? small : NULL, size, run);
		bool ok = size > (size_t)fast_len ?
			  len == fast_len && !strcmp(small, fast) :
			  len == -ENOSPC;

		free(small);
		if (!ok)
			return false;
	}
	return true;
}

static void test_gpa_hpa_fast_path(void)
{
	struct kvmintro_gpa_hpa_info run;
	u64 seed = 0x2545f4914f6cdd1dULL;
	unsigned int i, digits, how;
	bool all = true, sizes = true;

	for (i = 0; i < 200000; i++) {
		digits = i % 17;
		how = (i / 17) % 3;
		run = (struct kvmintro_gpa_hpa_info){
			.gpa = gpa_hpa_value(digits, how, &seed),
			.npages = gpa_hpa_value((i / 51) % 17, how, &seed),
			.hva = gpa_hpa_value((i + 5) % 17, how, &seed),
			.hpa = gpa_hpa_value((i + 9) % 17, how, &seed),
			.pfn = gpa_hpa_value((i + 13) % 17, how, &seed),
			.host_shift = 10 + (i / 3) % 52,
			.kind = i % KVMINTRO_PAGE_KINDS,
		};
		if (i % 1000 == 999)
			run.hva = gpa_hpa_random(&seed);
		all &= gpa_hpa_agrees(&run, false);
		if (i < 2000)
			sizes &= gpa_hpa_agrees(&run, true);
	}
	check_int("gpa_hpa: the fast path writes what the general one does, read back, 0 to 2^64-1, every digit count, kind and size",
		  all, true);
	check_int("gpa_hpa: in a buffer of every size, the same record or -ENOSPC",
		  sizes, true);
}

int main(void)
{
	test_sizes();
	test_quote();
	test_hexdump_line();
	test_memslot_lines();
	test_vm_and_vcpu_lines();
	test_gpa_hpa_lines();
	test_gpa_hpa_fast_path();
	ksft_finished();
}
