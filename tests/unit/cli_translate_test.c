// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the "translate" file as the CLI uses it: the request it
 * writes, the replies it reads ("ok" and "err" lines, one per address, in
 * order), what a broken module or a request by someone else in between
 * would leave there, the table and the JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "translate.h"

static const struct kvmintro_vm test_vm = FIXTURE_VM;

static const uint64_t fixture_gpas[] = {
	0x1234, 0x5000000000, 0x200000, 0x400000,
};

static int parse_replies(const char *text, const uint64_t *gpas, size_t count,
			 struct kvmintro_translation_list *list,
			 struct kvmintro_parse_error *error)
{
	return kvmintro_translate_parse(text, strlen(text), gpas, count, list,
					error);
}

static void test_request(void)
{
	char *text = NULL;

	CLI_EXPECT(!kvmintro_translate_request(fixture_gpas, 4, &text),
		   "request: written");
	CLI_EXPECT_STRING(text, "0x1234 0x5000000000 0x200000 0x400000\n",
			  "request: every address in hex, in one line");
	free(text);
}

static void test_replies(void)
{
	const struct kvmintro_translation *translation;
	struct kvmintro_translation_list list;
	struct kvmintro_parse_error error;

	if (!CLI_EXPECT(!parse_replies(FIXTURE_TRANSLATE, fixture_gpas, 4,
				       &list, &error) && list.count == 4,
			"replies: the contract's lines parse")) {
		printf("#   line %zu: %s\n", error.line, error.message);
		return;
	}
	translation = &list.translations[0];
	CLI_EXPECT(translation->ok && translation->gpa == 0x1234 &&
		   translation->hpa == 0x1ad725234 &&
		   translation->hva == 0x7f5c2c001234 &&
		   translation->pfn == 0x1ad725 && translation->size == 4096 &&
		   !strcmp(translation->kind, "base"), "replies: an ok line");
	translation = &list.translations[1];
	CLI_EXPECT(!translation->ok && translation->gpa == 0x5000000000 &&
		   !strcmp(translation->reason, "no-memslot"),
		   "replies: an err line");
	CLI_EXPECT(list.translations[2].size == 2 << 20 &&
		   !strcmp(list.translations[3].reason, "not-backed"),
		   "replies: a 2M page, not backed");
	kvmintro_translation_list_release(&list);
}

static void expect_refused(const char *text, size_t count, size_t line,
			   const char *message, const char *name)
{
	struct kvmintro_translation_list list;
	struct kvmintro_parse_error error;
	int expected = strstr(message, "did another request") ? -EAGAIN :
						-EBADMSG;
	int ret;

	ret = parse_replies(text, fixture_gpas, count, &list, &error);
	if (!CLI_EXPECT(ret == expected && error.line == line && !list.count &&
			strstr(error.message, message), "replies: %s", name))
		printf("#   %d, line %zu: %s\n", ret, error.line, error.message);
	kvmintro_translation_list_release(&list);
}

static void test_refused(void)
{
	expect_refused("", 1, 0, "0 replies for 1 addresses", "no reply");
	expect_refused(FIXTURE_TRANSLATE, 3, 4,
		       "a reply too many: 3 addresses were asked",
		       "more replies than addresses");
	expect_refused("err gpa=0x1000 reason=no-memslot\n", 1, 1,
		       "reply 1 is for 0x1000, but 0x1234 was asked: did another request",
		       "a reply to someone else's request");
	expect_refused("maybe gpa=0x1234\n", 1, 1,
		       "\"maybe\" is neither 'ok' nor 'err'", "unknown status");
	expect_refused("ok phys=0x1 kind=base gpa=0x1234 hva=0x1 pfn=0x1\n", 1,
		       1, "key 'size' is missing", "ok without its size");
	expect_refused("ok phys=0x1 kind=base gpa=0x1234 hva=0x1 pfn=0x1 size=4096\n",
		       1, 1, "size: \"4096\" is not a size like 4K",
		       "size without a unit");
	expect_refused("err gpa=0x1234\n", 1, 1, "key 'reason' is missing",
		       "err without its reason");
	expect_refused("err gpa=4660 reason=no-memslot\n", 1, 1,
		       "gpa: \"4660\" is not a hex number", "decimal gpa");
	expect_refused("ok\n", 1, 1, "key 'phys' is missing", "a bare ok");
}

static char *print_list(bool json)
{
	struct kvmintro_translation_list list;
	struct kvmintro_parse_error error;
	struct cli_capture capture;
	int ret;

	parse_replies(FIXTURE_TRANSLATE, fixture_gpas, 4, &list, &error);
	if (json)
		ret = kvmintro_translation_list_print_json(&test_vm, &list,
							   cli_capture_begin(&capture));
	else
		ret = kvmintro_translation_list_print_table(&list,
							    cli_capture_begin(&capture));
	if (ret)
		printf("#   printing failed\n");
	cli_capture_end(&capture);
	kvmintro_translation_list_release(&list);
	return capture.text;
}

static void test_output(void)
{
	char *text = print_list(false);

	CLI_EXPECT_STRING(text, FIXTURE_TRANSLATE_TABLE,
			  "translate table: errors in the KIND column");
	free(text);
	text = print_list(true);
	cli_json_expect_valid(text, "translate JSON");
	CLI_EXPECT(strstr(text, "      \"gpa\": 4660,\n      \"ok\": true,\n"
			  "      \"hva\": 140033851920948,\n"
			  "      \"hpa\": 7204917812,\n      \"pfn\": 1759013,\n"
			  "      \"size\": 4096,\n      \"kind\": \"base\",\n"
			  "      \"error\": null\n"),
		   "translate JSON: a translation, every key");
	CLI_EXPECT(strstr(text, "      \"gpa\": 343597383680,\n      \"ok\": false,\n"
			  "      \"hva\": null,\n      \"hpa\": null,\n"
			  "      \"pfn\": null,\n      \"size\": null,\n"
			  "      \"kind\": null,\n      \"error\": \"no-memslot\"\n"),
		   "translate JSON: an error, the same keys");
	free(text);
}

int main(void)
{
	test_request();
	test_replies();
	test_refused();
	test_output();
	return cli_tap_finish();
}
