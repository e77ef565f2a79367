/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks of the CLI's unit tests, each one TAP line of tests/lib/ksft.h:
 * "ok - name" or "not ok - name", diagnostics as "# ..." lines.
 */
#ifndef CLI_TAP_H
#define CLI_TAP_H

#include <stdbool.h>
#include <stddef.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#endif

#define __cli_printf(format_index, first_argument) \
	__attribute__((format(printf, format_index, first_argument)))

/* Report whether @condition holds, as the check named by the format. */
#define CLI_EXPECT(condition, ...)					\
	cli_tap_expect(!!(condition), __FILE__, __LINE__, #condition,	\
		       __VA_ARGS__)

/* Report whether @actual equals @expected; show both if it does not. */
#define CLI_EXPECT_STRING(actual, expected, ...)			\
	cli_tap_expect_string(actual, expected, __FILE__, __LINE__,	\
			      __VA_ARGS__)

bool cli_tap_expect(bool passed, const char *file, int line,
		    const char *condition, const char *format, ...)
	__cli_printf(5, 6);
bool cli_tap_expect_string(const char *actual, const char *expected,
			   const char *file, int line, const char *format, ...)
	__cli_printf(5, 6);
void cli_tap_skip(const char *reason, const char *format, ...)
	__cli_printf(2, 3);
void cli_tap_diagnostic(const char *text);
int cli_tap_finish(void);

#endif /* CLI_TAP_H */
