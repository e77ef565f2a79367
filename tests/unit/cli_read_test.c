// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of what "read" and the other commands take on the command
 * line (numbers, guest physical addresses, lengths) and of how "read"
 * shows guest memory: like xxd, as JSON, raw.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "kvmintro.h"

static const struct kvmintro_vm test_vm = FIXTURE_VM;

typedef int (*argument_parser_fn)(const char *text, uint64_t *value);

/**
 * struct argument_case - a command line argument and how it parses
 * @text: the argument
 * @ret: 0, -EINVAL or -ERANGE
 * @value: its value, if it parses
 */
struct argument_case {
	const char *text;
	int ret;
	uint64_t value;
};

static const struct argument_case number_cases[] = {
	{ "0", 0, 0 }, { "4096", 0, 4096 }, { "0x1000", 0, 4096 },
	{ "0X1f", 0, 31 }, { "0xffffffffffffffff", 0, UINT64_MAX },
	{ "0x10000000000000000", -ERANGE, 0 },
	{ "18446744073709551616", -ERANGE, 0 }, { "", -EINVAL, 0 },
	{ "0x", -EINVAL, 0 }, { "-1", -EINVAL, 0 }, { "1e3", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
};

static const struct argument_case address_cases[] = {
	{ "0x1234", 0, 0x1234 }, { "4660", 0, 0x1234 },
	{ "gfn=0x1", 0, 0x1000 }, { "gfn=16", 0, 0x10000 },
	{ "gpa=0x5000000000", 0, 0x5000000000 },
	{ "0xfffffffffffff", 0, 0xfffffffffffff },
	{ "0x10000000000000", -ERANGE, 0 },
	{ "gfn=0xffffffffff", 0, 0xffffffffff000 },
	{ "gfn=1099511627775", 0, 0xffffffffff000 },
	{ "gfn=0x10000000000", -ERANGE, 0 }, { "gfn=", -EINVAL, 0 },
	/* Frames whose shift would wrap past 64 bits, to a small GPA. */
	{ "gfn=0x10000000000000", -ERANGE, 0 },
	{ "gfn=0x1000000000000000", -ERANGE, 0 },
	{ "gfn=0xffffffffffffffff", -ERANGE, 0 },
	{ "gfn=0x10000000000000000", -ERANGE, 0 },
	{ "pfn=1", -EINVAL, 0 }, { "0x12 34", -EINVAL, 0 },
};

static const struct argument_case length_cases[] = {
	{ "256", 0, 256 }, { "0x100", 0, 256 }, { "4K", 0, 4096 },
	{ "4k", 0, 4096 }, { "64M", 0, 64 << 20 }, { "0x10K", 0, 16 << 10 },
	{ "K", -EINVAL, 0 }, { "4G", -EINVAL, 0 }, { "4KiB", -EINVAL, 0 },
	{ "17592186044416M", -ERANGE, 0 },
};

static void expect_arguments(argument_parser_fn parse, const char *what,
			     const struct argument_case *tests, size_t count)
{
	const char *outcome;
	uint64_t value;
	size_t i;
	int ret;

	for (i = 0; i < count; i++) {
		value = 0;
		ret = parse(tests[i].text, &value);
		outcome = tests[i].ret ? "is refused" : "parses";
		if (!CLI_EXPECT(ret == tests[i].ret &&
				(ret || value == tests[i].value),
				"%s: \"%s\" %s", what, tests[i].text, outcome))
			printf("#   %d, 0x%llx\n", ret, (unsigned long long)value);
	}
}

/*
 * The CLI takes a gfn= exactly where the module's translate file does
 * (lib/parse.c), for the same GPA.
 */
static void test_gfn_as_the_module(void)
{
	uint64_t cli_gpa, module_gpa;
	bool same = true;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(address_cases); i++) {
		const char *text = address_cases[i].text;

		if (strncmp(text, "gfn=", 4))
			continue;
		ret = kvmintro_parse_address_argument(text, &cli_gpa);
		if ((kvmintro_parse_addresses(text, strlen(text), &module_gpa,
					      1) == 1) != !ret ||
		    (!ret && cli_gpa != module_gpa)) {
			printf("# \"%s\": %d\n", text, ret);
			same = false;
		}
	}
	CLI_EXPECT(same,
		   "address: gfn= is taken or refused as the module does");
}

static void test_arguments(void)
{
	expect_arguments(kvmintro_parse_number_argument, "number",
			 number_cases, ARRAY_SIZE(number_cases));
	expect_arguments(kvmintro_parse_address_argument, "address",
			 address_cases, ARRAY_SIZE(address_cases));
	expect_arguments(kvmintro_parse_length_argument, "length",
			 length_cases, ARRAY_SIZE(length_cases));
	test_gfn_as_the_module();
}

/* The bytes, then zeros. */
static const unsigned char sample[48] = "Hello, world\x01\x02 with more text here..";

static char *print_memory(uint64_t gpa, size_t length, int kind)
{
	struct kvmintro_memory memory = {
		.gpa = gpa,
		.bytes = (unsigned char *)sample,
		.length = length,
		.requested = length,
	};
	struct cli_capture capture;
	FILE *out = cli_capture_begin(&capture);
	int ret;

	if (kind == 0)
		ret = kvmintro_memory_print_hexdump(&memory, out);
	else if (kind == 1)
		ret = kvmintro_memory_print_json(&test_vm, &memory, out);
	else
		ret = kvmintro_memory_print_raw(&memory, out);
	if (ret)
		printf("#   printing failed\n");
	cli_capture_end(&capture);
	return capture.text;
}

static void test_hexdump(void)
{
	char *text = print_memory(0x1ff8, 42, 0);

	/* What "xxd -o 0x1ff8" prints for the same bytes. */
	CLI_EXPECT_STRING(text,
			  "00001ff8: 4865 6c6c 6f2c 2077 6f72 6c64 0102 2077  Hello, world.. w\n"
			  "00002008: 6974 6820 6d6f 7265 2074 6578 7420 6865  ith more text he\n"
			  "00002018: 7265 2e2e 0000 0000 0000                 re........\n",
			  "hexdump: like xxd, addressed by GPA");
	free(text);
	text = print_memory(0x100000000, 3, 0);
	CLI_EXPECT_STRING(text,
			  "100000000: 4865 6c                                  Hel\n",
			  "hexdump: a wider address, a short line");
	free(text);
	text = print_memory(0, 16, 0);
	CLI_EXPECT_STRING(text,
			  "00000000: 4865 6c6c 6f2c 2077 6f72 6c64 0102 2077  Hello, world.. w\n",
			  "hexdump: exactly one line");
	free(text);
}

static void test_json_and_raw(void)
{
	char *text = print_memory(0x1ff8, 4, 1);

	cli_json_expect_valid(text, "read JSON");
	CLI_EXPECT(strstr(text, "  },\n  \"gpa\": 8184,\n  \"len\": 4,\n"
			  "  \"hex\": \"48656c6c\"\n}\n"),
		   "read JSON: gpa, len, hex");
	free(text);
	text = print_memory(0, 0, 1);
	CLI_EXPECT(strstr(text, "\"len\": 0,\n  \"hex\": \"\"\n"),
		   "read JSON: nothing read");
	free(text);
	text = print_memory(0, 5, 2);
	CLI_EXPECT_STRING(text, "Hello", "read raw: the bytes as they are");
	free(text);
}

static void test_end_of_memory(void)
{
	struct kvmintro_memory memory = {
		.gpa = 0x9f000, .length = 0x1000, .requested = 0x2000,
	};
	struct cli_stderr_capture capture;
	int ret;

	cli_stderr_capture_begin(&capture);
	ret = kvmintro_memory_report_end(&test_vm, &memory);
	cli_stderr_capture_end(&capture);
	CLI_EXPECT(ret == -EIO &&
		   strstr(capture.text,
			  "kvmintro: guest memory ends at 0xa0000: 4096 of 8192 bytes shown\n"
			  "kvmintro: see 'kvmintro memslots 5678'"),
		   "read: where guest memory ends, and what to do");
	free(capture.text);
	memory.length = 0;
	cli_stderr_capture_begin(&capture);
	ret = kvmintro_memory_report_end(&test_vm, &memory);
	cli_stderr_capture_end(&capture);
	CLI_EXPECT(ret == -EIO &&
		   strstr(capture.text,
			  "no guest memory at 0x9f000: no memslot holds it"),
		   "read: no guest memory at all there");
	free(capture.text);
}

int main(void)
{
	test_arguments();
	test_hexdump();
	test_json_and_raw();
	test_end_of_memory();
	return cli_tap_finish();
}
