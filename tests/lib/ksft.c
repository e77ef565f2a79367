// SPDX-License-Identifier: GPL-2.0
/*
 * TAP for every C test; see ksft.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ksft.h"

static unsigned int ksft_failed;
static char *ksft_skip_buf;
static size_t ksft_skip_size;

void ksft_print_header(void)
{
	printf("TAP version 13\n");
	fflush(stdout);
}

void ksft_print_msg(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void ksft_result(const char *status, const char *why,
			const char *fmt, va_list ap)
{
	printf("%s - ", status);
	vprintf(fmt, ap);
	if (why)
		printf(" # SKIP %s", why);
	printf("\n");
	fflush(stdout);
}

bool ksft_test_vresult(bool pass, const char *fmt, va_list ap)
{
	if (!pass)
		ksft_failed++;
	ksft_result(pass ? "ok" : "not ok", NULL, fmt, ap);
	return pass;
}

bool ksft_test_result(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ksft_test_vresult(pass, fmt, ap);
	va_end(ap);
	return pass;
}

void ksft_test_result_pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ksft_test_vresult(true, fmt, ap);
	va_end(ap);
}

void ksft_test_result_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ksft_test_vresult(false, fmt, ap);
	va_end(ap);
}

void ksft_test_result_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ksft_result("ok", why, fmt, ap);
	va_end(ap);
}

void ksft_set_skip_buffer(char *buf, size_t size)
{
	ksft_skip_buf = buf;
	ksft_skip_size = size;
}

void ksft_exit_skip(const char *fmt, ...)
{
	va_list ap;

	if (ksft_skip_buf) {
		va_start(ap, fmt);
		vsnprintf(ksft_skip_buf, ksft_skip_size, fmt, ap);
		va_end(ap);
	}

	printf("# SKIP ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(KSFT_SKIP);
}

unsigned int ksft_nr_failed(void)
{
	return ksft_failed;
}

void ksft_finished(void)
{
	fflush(stdout);
	exit(ksft_failed ? KSFT_FAIL : KSFT_PASS);
}
