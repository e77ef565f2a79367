// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/parse.c: numbers, page sizes and times as records have
 * them;
 * what the snapshot, translate, gva and stage2 files accept, and that
 * everything else is -EINVAL.
 */
#include <stdio.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/parse.h"


static void check(const char *name, bool ok)
{
	ksft_test_result(ok, "%s", name);
}

static int addresses(const char *text, u64 *gpas)
{
	return kvmintro_parse_addresses(text, strlen(text), gpas,
					KVMINTRO_TRANSLATE_MAX);
}

/* x86's override, and arm64's (introspect/arch/<arch>/gva.c). */
static const struct kvmintro_gva_override x86_overrides[] = {
	{ "cr3", KVMINTRO_GPA_BITS },
};
static const struct kvmintro_gva_override arm64_overrides[] = {
	{ "ttbr0", 64 }, { "ttbr1", 64 }, { "tcr", 64 },
};

static int gva(const char *text, struct kvmintro_gva_request *req)
{
	return kvmintro_parse_gva_request(text, strlen(text), x86_overrides, 1,
					  req);
}

static int gva_arm64(const char *text, struct kvmintro_gva_request *req)
{
	return kvmintro_parse_gva_request(text, strlen(text), arm64_overrides,
					  3, req);
}

static int parse_decimal(const char *text, u64 *value)
{
	return kvmintro_parse_digits(text, strlen(text), 10, value);
}

static void test_decimal(void)
{
	u64 value = 1;

	check("decimal: 0",
	      !parse_decimal("0", &value) && value == 0);
	check("decimal: 268435456",
	      !parse_decimal("268435456", &value) && value == 268435456);
	check("decimal: largest 64-bit number",
	      !parse_decimal("18446744073709551615", &value) && value == ~(u64)0);
	check("decimal: leading zeros",
	      !parse_decimal("000042", &value) && value == 42);
	check("decimal: 2^64 does not fit",
	      parse_decimal("18446744073709551616", &value) == -ERANGE);
	check("decimal: huge number does not fit",
	      parse_decimal("99999999999999999999999999999", &value) == -ERANGE);
	check("decimal: garbage after a huge number is garbage",
	      parse_decimal("99999999999999999999999x", &value) == -EINVAL);
	check("decimal: empty",
	      parse_decimal("", &value) == -EINVAL);
	check("decimal: no sign",
	      parse_decimal("-1", &value) == -EINVAL);
	check("decimal: no plus",
	      parse_decimal("+1", &value) == -EINVAL);
	check("decimal: no blank",
	      parse_decimal(" 1", &value) == -EINVAL);
	check("decimal: trailing garbage",
	      parse_decimal("12x", &value) == -EINVAL);
	check("decimal: hex is not decimal",
	      parse_decimal("0x10", &value) == -EINVAL);
	check("decimal: NUL byte inside",
	      kvmintro_parse_digits("12\0" "3", 4, 10, &value) == -EINVAL);
}

static void expect_page_size(const char *text, int expected_ret,
			     u64 expected)
{
	char name[64];
	u64 bytes = 0;
	int ret = kvmintro_parse_page_size(text, strlen(text), &bytes);

	snprintf(name, sizeof(name), "page size: \"%s\" %s", text,
		 expected_ret ? "is refused" : "parses");
	check(name, ret == expected_ret && (ret || bytes == expected));
}

static void test_page_sizes(void)
{
	expect_page_size("4K", 0, 4096);
	expect_page_size("64K", 0, 65536);
	expect_page_size("2M", 0, 2 << 20);
	expect_page_size("1G", 0, 1 << 30);
	expect_page_size("0K", 0, 0);
	expect_page_size("17179869183G", 0, 17179869183ull << 30);
	expect_page_size("17179869184G", -ERANGE, 0);
	expect_page_size("4k", -EINVAL, 0);
	expect_page_size("4", -EINVAL, 0);
	expect_page_size("K", -EINVAL, 0);
	expect_page_size("", -EINVAL, 0);
	expect_page_size("-4K", -EINVAL, 0);
	expect_page_size("4KB", -EINVAL, 0);
	expect_page_size("0x4K", -EINVAL, 0);
}

static void expect_time(const char *text, int expected_ret, u64 seconds,
			u32 nanoseconds)
{
	u64 got_seconds = 0;
	u32 got_nanoseconds = 0;
	char name[80];
	int ret = kvmintro_parse_time(text, strlen(text), &got_seconds,
				      &got_nanoseconds);

	snprintf(name, sizeof(name), "time: \"%s\" %s", text,
		 expected_ret ? "is refused" : "parses");
	check(name, ret == expected_ret &&
		    (ret || (got_seconds == seconds &&
			     got_nanoseconds == nanoseconds)));
}

static void test_times(void)
{
	expect_time("1795332144.297468151", 0, 1795332144, 297468151);
	expect_time("0.000000000", 0, 0, 0);
	expect_time("1.5", 0, 1, 500000000);
	expect_time("18446744073709551615.999999999", 0, ~(u64)0, 999999999);
	expect_time("18446744073709551616.0", -ERANGE, 0, 0);
	expect_time("1", -EINVAL, 0, 0);
	expect_time("1.", -EINVAL, 0, 0);
	expect_time(".5", -EINVAL, 0, 0);
	expect_time("1.1234567890", -EINVAL, 0, 0);
	expect_time("1.2.3", -EINVAL, 0, 0);
	expect_time("1.x", -EINVAL, 0, 0);
	expect_time("-1.0", -EINVAL, 0, 0);
}

int main(void)
{
	static const char *const bad_addresses[] = {
		"", " \n", "0x", "0xg", "gfn=", "gfn=0x10000000000000", "zzz",
		"18446744073709551616", "-1", "0x1,0x2", "gpa=",
	};
	static const char *const bad_gva[] = {
		"", "zzz", "0x1 0x2", "0x1 vcpu=", "0x1 vcpu=1 vcpu=1",
		"0x1 cr3=0xq", "vcpu=0", "0x1 foo=1", "0x1 cr3=1 cr3=2",
		"0x1000 vcpu=4294967296", "0x1000 vcpu=0x100000000",
		"0x1000 vcpu=18446744073709551615", "0x1000 cr3=0x10000000000000",
		"0x1000 cr3=18446744073709551615",
	};
	struct kvmintro_gva_request req;
	char many[KVMINTRO_TRANSLATE_INPUT_MAX];
	u64 gpas[KVMINTRO_TRANSLATE_MAX];
	bool all_bad = true;
	unsigned int i;

	test_decimal();
	test_page_sizes();
	test_times();
	check("snapshot: words with blanks around",
	      kvmintro_parse_snapshot_command(" pause\n", 7) == KVMINTRO_SNAPSHOT_PAUSE &&
	      kvmintro_parse_snapshot_command("resume", 6) == KVMINTRO_SNAPSHOT_RESUME &&
	      kvmintro_parse_snapshot_command("capture\n", 8) == KVMINTRO_SNAPSHOT_CAPTURE);
	check("snapshot: anything else",
	      kvmintro_parse_snapshot_command("pause\0x", 7) == -EINVAL &&
	      kvmintro_parse_snapshot_command("PAUSE", 5) == -EINVAL &&
	      kvmintro_parse_snapshot_command("", 0) == -EINVAL);

	check("translate: hex, decimal, gpa= and gfn=",
	      addresses(" 0x1234\n4660 gpa=0x10\tgfn=0x2 ", gpas) == 4 &&
	      gpas[0] == 0x1234 && gpas[1] == 4660 && gpas[2] == 0x10 &&
	      gpas[3] == 0x2000);
	for (i = 0; i < sizeof(bad_addresses) / sizeof(*bad_addresses); i++)
		all_bad &= addresses(bad_addresses[i], gpas) == -EINVAL;
	check("translate: garbage, empty, out of range", all_bad);
	for (i = 0; i <= KVMINTRO_TRANSLATE_MAX; i++)
		memcpy(many + i * 4, "0x1 ", 4);
	check("translate: 64 addresses, not 65",
	      kvmintro_parse_addresses(many, KVMINTRO_TRANSLATE_MAX * 4, gpas,
				       KVMINTRO_TRANSLATE_MAX) == KVMINTRO_TRANSLATE_MAX &&
	      kvmintro_parse_addresses(many, (KVMINTRO_TRANSLATE_MAX + 1) * 4,
				       gpas, KVMINTRO_TRANSLATE_MAX) == -EINVAL);

	check("gva: address alone", !gva("0xffffffff81000000\n", &req) &&
	      req.gva == 0xffffffff81000000ULL && !req.vcpu && !req.given);
	check("gva: the largest vcpu index, 32 bits",
	      !gva("0x1000 vcpu=4294967295", &req) && req.vcpu == 0xffffffffULL);
	check("gva: the largest cr3, 52 bits",
	      !gva("0x1000 cr3=0xffffffffff000", &req) &&
	      req.given == 1 && req.value[0] == 0xffffffffff000ULL);
	check("gva: options in any order",
	      !gva("cr3=0x2000 0x1234 vcpu=3", &req) && req.gva == 0x1234 &&
	      req.vcpu == 3 && req.given == 1 && req.value[0] == 0x2000);
	all_bad = true;
	for (i = 0; i < sizeof(bad_gva) / sizeof(*bad_gva); i++)
		all_bad &= gva(bad_gva[i], &req) == -EINVAL;
	check("gva: garbage, empty, repeated options", all_bad);
	check("gva: arm64's ttbr0, ttbr1, tcr, any 64 bits, any order",
	      !gva_arm64("tcr=0x5b5103510 0xffff000000001000 ttbr1=0xffff000040003000 vcpu=1 ttbr0=0x40004001",
			 &req) &&
	      req.gva == 0xffff000000001000ULL && req.vcpu == 1 &&
	      req.given == 7 && req.value[0] == 0x40004001 &&
	      req.value[1] == 0xffff000040003000ULL &&
	      req.value[2] == 0x5b5103510ULL);
	check("gva: arm64 refuses cr3, a repeated ttbr0, ttbr=",
	      gva_arm64("0x1 cr3=0x1000", &req) == -EINVAL &&
	      gva_arm64("0x1 ttbr0=1 ttbr0=2", &req) == -EINVAL &&
	      gva_arm64("0x1 ttbr=1", &req) == -EINVAL &&
	      gva_arm64("0x1 ttbr0=", &req) == -EINVAL);
	check("gva: x86 refuses arm64's keys",
	      gva("0x1 ttbr0=0x1000", &req) == -EINVAL &&
	      gva("0x1 tcr=0", &req) == -EINVAL);

	check("stage2: addresses as translate takes them",
	      kvmintro_parse_stage2_request("0x1000 gfn=0x2\n", 14, gpas,
					    KVMINTRO_TRANSLATE_MAX) == 2 &&
	      gpas[0] == 0x1000 && gpas[1] == 0x2000);
	check("stage2: summary", !kvmintro_parse_stage2_request("summary\n", 8,
						gpas, KVMINTRO_TRANSLATE_MAX) &&
	      !kvmintro_parse_stage2_request(" summary", 8, gpas,
					     KVMINTRO_TRANSLATE_MAX));
	all_bad = true;
	for (i = 0; i < sizeof(bad_addresses) / sizeof(*bad_addresses); i++)
		all_bad &= kvmintro_parse_stage2_request(bad_addresses[i],
				strlen(bad_addresses[i]), gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	all_bad &= kvmintro_parse_stage2_request("summary 0x1", 11, gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	all_bad &= kvmintro_parse_stage2_request("0x1 summary", 11, gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	all_bad &= kvmintro_parse_stage2_request("summaryx", 8, gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	all_bad &= kvmintro_parse_stage2_request("summary summary", 15, gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	check("stage2: garbage, summary with anything else", all_bad);
	ksft_finished();
}
