/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers shared by the test VMM and the e2e tests: assertions that
 * name file and line, and TAP output in the form the kvmintro runner
 * collects (`ok - name`, `not ok - name`, `ok - name # SKIP why`).
 */
#ifndef KVMINTRO_VMM_TEST_UTIL_H
#define KVMINTRO_VMM_TEST_UTIL_H

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksft.h"

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif
#ifndef __noreturn
#define __noreturn	__attribute__((noreturn))
#endif

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define SZ_4K	0x1000ULL
#define SZ_2M	0x200000ULL
#define SZ_1G	0x40000000ULL

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

void __printf(5, 6) test_assert(bool exp, const char *exp_str,
				const char *file, unsigned int line,
				const char *fmt, ...);

/*
 * TEST_ASSERT() - abort the test with file, line, the failed expression,
 * errno and a message when @e is false.  The process exits with KSFT_FAIL,
 * which the runner turns into a `not ok` line.
 */
#define TEST_ASSERT(e, fmt, ...) \
	test_assert((e), #e, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define TEST_ASSERT_EQ(a, b)						\
do {									\
	__typeof__(a) __a = (a);					\
	__typeof__(b) __b = (b);					\
	test_assert((uint64_t)__a == (uint64_t)__b, #a " == " #b,	\
		    __FILE__, __LINE__,					\
		    "%#lx != %#lx", (unsigned long)__a,			\
		    (unsigned long)__b);				\
} while (0)

#define TEST_FAIL(fmt, ...) do {					\
	TEST_ASSERT(false, fmt, ##__VA_ARGS__);				\
	__builtin_unreachable();					\
} while (0)

/* Skip the whole program when a requirement is not met. */
#define TEST_REQUIRE(f, fmt, ...) do {					\
	if (!(f))							\
		ksft_exit_skip(fmt, ##__VA_ARGS__);			\
} while (0)

/* Parse "4096", "0x1000", "4K", "2M", "1G" (binary units). */
int parse_size(const char *str, uint64_t *val);

/* Monotonic clock in nanoseconds. */
uint64_t clock_ns(void);
void sleep_ms(unsigned int ms);

/* Read a small text file (e.g. in /proc) into @buf; -errno on error. */
int read_text_file(const char *path, char *buf, size_t size);
/* Write @str to a file (e.g. /proc/sys/vm/nr_hugepages); -errno. */
int write_text_file(const char *path, const char *str);

/*
 * hugetlb_reserve() - make sure @nr free 2 MiB huge pages exist, raising
 * /proc/sys/vm/nr_hugepages when it is allowed to.  Returns the number of
 * free huge pages afterwards (may be less than @nr) or -errno.
 */
long hugetlb_reserve(long nr);

#endif /* KVMINTRO_VMM_TEST_UTIL_H */
