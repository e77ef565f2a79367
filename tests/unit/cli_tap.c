// SPDX-License-Identifier: GPL-2.0
/*
 * TAP output for the CLI's unit tests; see cli_tap.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli_tap.h"

static unsigned int cli_tap_count;
static unsigned int cli_tap_failures;

static void cli_tap_result(bool passed, const char *format, va_list arguments)
{
	cli_tap_count++;
	if (!passed)
		cli_tap_failures++;
	printf("%s - ", passed ? "ok" : "not ok");
	vprintf(format, arguments);
	putchar('\n');
}

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
	cli_tap_result(passed, format, arguments);
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
	cli_tap_result(passed, format, arguments);
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
	va_list arguments;

	cli_tap_count++;
	printf("ok - ");
	va_start(arguments, format);
	vprintf(format, arguments);
	va_end(arguments);
	printf(" # SKIP %s\n", reason);
	fflush(stdout);
}

/* Print the plan; return the exit status: 1 if any check failed. */
int cli_tap_finish(void)
{
	printf("1..%u\n", cli_tap_count);
	if (cli_tap_failures)
		printf("# %u of %u checks failed\n", cli_tap_failures,
		       cli_tap_count);
	return cli_tap_failures ? 1 : 0;
}
