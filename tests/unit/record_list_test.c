// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/record_list.c, the reader of a whole file that the CLI
 * and the end-to-end tests share: every line a record, comments counted and
 * left out, the line that fails named, nothing kept on failure; the text is
 * copied, so the records outlive the caller's buffer.  Texts are parsed
 * from copies of exactly their length, so that ASan catches a read past
 * their end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/record_list.h"

/* Parse @text from a copy of exactly its length, which is then freed. */
static int parse(const char *text, struct kvmintro_record_list *list,
		 size_t *line)
{
	size_t length = strlen(text);
	char *copy = malloc(length ? length : 1);
	int ret;

	memcpy(copy, text, length);
	ret = kvmintro_record_list_parse(copy, length, list, line);
	memset(copy, 'x', length);
	free(copy);
	return ret;
}

static bool list_is_empty(const struct kvmintro_record_list *list)
{
	return !list->text && !list->records && !list->count && !list->comments;
}

static void test_records_and_comments(void)
{
	const char *text = "# a comment\n"
			   "slot=0 gpa=0x1000\n"
			   "ok phys=0x2000 kind=base\n"
			   "# another\n"
			   "err reason=not-present";
	const struct kvmintro_record *r;
	struct kvmintro_record_list list;
	size_t line = 99;
	int ret;

	ret = parse(text, &list, &line);
	ksft_test_result(!ret && line == 0 && list.count == 3 &&
			 list.comments == 2,
			 "three records and two comments, no final newline");
	if (ret)
		return;
	r = &list.records[0];
	ksft_test_result(kvmintro_record_is(r, NULL) && !kvmintro_record_is(r, "ok") &&
			 r->nr_fields == 2 &&
			 kvmintro_record_find(r, "gpa")->number == 0x1000,
			 "a record without a kind: its fields, read after the caller's text is gone");
	r = &list.records[1];
	ksft_test_result(kvmintro_record_is(r, "ok") && !kvmintro_record_is(r, "o") &&
			 !kvmintro_record_is(r, "okay") && !kvmintro_record_is(r, NULL),
			 "kvmintro_record_is(): the whole kind, no prefix, not NULL");
	ksft_test_result(kvmintro_record_start(&list.records[0]) == list.text + 12 &&
			 kvmintro_record_line_number(&list, kvmintro_record_start(r)) == 3 &&
			 kvmintro_record_line_number(&list,
				kvmintro_record_start(&list.records[2])) == 5,
			 "each record's start and line number in the copy of the text");
	ksft_test_result(kvmintro_record_line_number(&list, NULL) == 0 &&
			 kvmintro_record_line_number(&list, text) == 0,
			 "a place outside the copy has no line number");
	kvmintro_record_list_release(&list);
	ksft_test_result(list_is_empty(&list), "release leaves the list empty");
	kvmintro_record_list_release(&list);
	ksft_test_result(list_is_empty(&list), "releasing twice is harmless");
}

static void test_empty_text(void)
{
	struct kvmintro_record_list list;
	size_t line = 99;

	ksft_test_result(!parse("", &list, &line) && line == 0 && !list.count &&
			 list.text && !list.text[0],
			 "an empty file: no record");
	kvmintro_record_list_release(&list);
	ksft_test_result(!parse("# only\n", &list, &line) && !list.count &&
			 list.comments == 1,
			 "a file of one comment: no record");
	kvmintro_record_list_release(&list);
}

/* Each text fails at @line with @err; the list is left empty. */
static void test_refused(void)
{
	static const struct {
		const char *text;
		int err;
		size_t line;
		const char *what;
	} cases[] = {
		{ "a=1\n\nb=2\n", -EBADMSG, 2, "an empty line" },
		{ "a=1\nb=2\nc=1 c=2\n", -EBADMSG, 3, "a key twice" },
		{ "# c\na=1  b=2\n", -EBADMSG, 2, "two spaces" },
		{ "a=1\nok kind\n", -EBADMSG, 2, "a second word" },
		{ "\n", -EBADMSG, 1, "a lone newline" },
		{ "a=1\n\n", -EBADMSG, 2, "an empty last line" },
		{ "a=1\nb=0x\n", -EBADMSG, 2, "a hex value without digits" },
	};
	struct kvmintro_record_list list;
	size_t i, line;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = parse(cases[i].text, &list, &line);
		ksft_test_result(ret == cases[i].err && line == cases[i].line &&
				 list_is_empty(&list),
				 "refused at line %zu: %s (got %d at %zu)",
				 cases[i].line, cases[i].what, ret, line);
	}
}

/* KVMINTRO_RECORD_FIELDS_MAX fields are read, one more is -ENOSPC. */
static void test_fields_max(void)
{
	char text[KVMINTRO_RECORD_FIELDS_MAX * 8 + 16];
	struct kvmintro_record_list list;
	size_t used = 0, line;
	int i, ret;

	used += snprintf(text + used, sizeof(text) - used, "x=1\n");
	for (i = 0; i < KVMINTRO_RECORD_FIELDS_MAX; i++)
		used += snprintf(text + used, sizeof(text) - used, "%sk%d=%d",
				 i ? " " : "", i, i);
	ret = parse(text, &list, &line);
	ksft_test_result(!ret && list.count == 2 &&
			 list.records[1].nr_fields == KVMINTRO_RECORD_FIELDS_MAX &&
			 kvmintro_record_find(&list.records[1], "k127")->number == 127,
			 "a record of KVMINTRO_RECORD_FIELDS_MAX fields is read");
	kvmintro_record_list_release(&list);
	snprintf(text + used, sizeof(text) - used, " k%d=0\n",
		 KVMINTRO_RECORD_FIELDS_MAX);
	ret = parse(text, &list, &line);
	ksft_test_result(ret == -ENOSPC && line == 2 && list_is_empty(&list),
			 "one field more is -ENOSPC, at its line");
}

/* Many records: the list grows past its first allocations. */
static void test_many(void)
{
	const size_t count = 10000;
	struct kvmintro_record_list list;
	size_t i, length = 0, line;
	char *text = malloc(count * 32);
	bool ok;

	for (i = 0; i < count; i++)
		length += sprintf(text + length, "run gpa=0x%zx\n", i << 12);
	ok = !kvmintro_record_list_parse(text, length, &list, &line) &&
	     list.count == count;
	for (i = 0; ok && i < count; i++)
		ok = kvmintro_record_is(&list.records[i], "run") &&
		     kvmintro_record_find(&list.records[i], "gpa")->number == i << 12;
	ksft_test_result(ok, "%zu records, in order", count);
	kvmintro_record_list_release(&list);
	free(text);
}

int main(void)
{
	ksft_print_header();
	test_records_and_comments();
	test_empty_text();
	test_refused();
	test_fields_max();
	test_many();
	ksft_finished();
}
