// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of the CLI's unit tests, as TAP through tests/lib/ksft.c; see
 * cli_tap.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli_tap.h"
#include "ksft.h"

/* Print @text as TAP diagnostics: "# " before each line. */
void cli_tap_diagnostic(const char *text)
{
	const char *newline;

	do {
		newline = strchr(text, '\n');
		printf("#   %.*s\n", newline ? (int)(newline - text) :
				     (int)strlen(text), text);
		text = newline ? newline + 1 : NULL;
	} while (text && *text);
}

bool cli_tap_expect(bool passed, const char *file, int line,
		    const char *condition, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	ksft_test_vresult(passed, format, arguments);
	va_end(arguments);
	if (!passed)
		printf("#   %s:%d: expected %s\n", file, line, condition);
	fflush(stdout);
	return passed;
}

bool cli_tap_expect_string(const char *actual, const char *expected,
			   const char *file, int line, const char *format, ...)
{
	bool passed = actual && !strcmp(actual, expected);
	va_list arguments;

	va_start(arguments, format);
	ksft_test_vresult(passed, format, arguments);
	va_end(arguments);
	if (!passed) {
		printf("#   %s:%d: expected:\n", file, line);
		cli_tap_diagnostic(expected);
		printf("#   got:\n");
		cli_tap_diagnostic(actual ? actual : "(null)");
	}
	fflush(stdout);
	return passed;
}

void cli_tap_skip(const char *reason, const char *format, ...)
{
	char name[512];
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(name, sizeof(name), format, arguments);
	va_end(arguments);
	ksft_test_result_skip(reason, "%s", name);
}

/* The exit status: 1 if any check failed. */
int cli_tap_finish(void)
{
	return ksft_nr_failed() ? 1 : 0;
}
