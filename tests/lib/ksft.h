/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP for every C test, as the kernel's kselftest.h names it: the unit
 * tests (tests/unit), the test VMM and the end-to-end tests (tests/vmm,
 * tests/e2e).  One line per outcome, "ok - name", "not ok - name" or
 * "ok - name # SKIP why", unnumbered (the runners number them), and "# "
 * before diagnostics; flushed, so that a crash loses nothing.
 */
#ifndef KVMINTRO_TESTS_KSFT_H
#define KVMINTRO_TESTS_KSFT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

#define __ksft_printf(a, b)	__attribute__((format(printf, a, b)))

void ksft_print_header(void);
void __ksft_printf(1, 2) ksft_print_msg(const char *fmt, ...);
void __ksft_printf(1, 2) ksft_test_result_pass(const char *fmt, ...);
void __ksft_printf(1, 2) ksft_test_result_fail(const char *fmt, ...);
void __ksft_printf(2, 3) ksft_test_result_skip(const char *why,
					       const char *fmt, ...);
/* Pass or fail as @pass says; returns @pass. */
bool __ksft_printf(2, 3) ksft_test_result(bool pass, const char *fmt, ...);
bool ksft_test_vresult(bool pass, const char *fmt, va_list ap);
void __ksft_printf(1, 2) __attribute__((noreturn))
ksft_exit_skip(const char *fmt, ...);
/*
 * If set, ksft_exit_skip() also copies its reason here (size bytes): a
 * parent that forks test cases can then report why a child skipped.
 */
void ksft_set_skip_buffer(char *buf, size_t size);
unsigned int ksft_nr_failed(void);
/* Exit KSFT_PASS if no test failed so far, else KSFT_FAIL. */
void __attribute__((noreturn)) ksft_finished(void);

#endif /* KVMINTRO_TESTS_KSFT_H */
