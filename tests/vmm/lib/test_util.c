// SPDX-License-Identifier: GPL-2.0
/*
 * Assertions and helpers for the test VMM and the e2e tests (their TAP:
 * tests/lib/ksft.c).
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

void test_assert(bool exp, const char *exp_str, const char *file,
		 unsigned int line, const char *fmt, ...)
{
	static char message[8192];
	int saved_errno = errno;
	const char *p;
	va_list ap;

	if (exp)
		return;

	/*
	 * Print to stdout with a TAP comment prefix so the runner log shows
	 * the reason next to the `not ok` it adds, and to stderr for humans.
	 */
	fflush(stdout);
	fprintf(stderr, "==== Test Assertion Failure ====\n");
	fprintf(stderr, "  %s:%u: %s\n", file, line, exp_str);
	fprintf(stderr, "  errno=%d (%s)\n  ", saved_errno,
		strerror(saved_errno));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");

	/*
	 * Every line of the message a comment: one that starts "ok" (a
	 * reply quoted from a file) must not read as a TAP result.
	 */
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	printf("# %s:%u: assertion failed: %s: ", file, line, exp_str);
	for (p = message; *p; p++) {
		putchar(*p);
		if (*p == '\n')
			fputs("# ", stdout);
	}
	printf(" (errno=%d %s)\n", saved_errno, strerror(saved_errno));
	fflush(stdout);
	exit(KSFT_FAIL);
}

int parse_size(const char *str, uint64_t *val)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(str, &end, 0);
	if (errno || end == str)
		return -EINVAL;

	switch (*end) {
	case 'k': case 'K':
		v <<= 10;
		end++;
		break;
	case 'm': case 'M':
		v <<= 20;
		end++;
		break;
	case 'g': case 'G':
		v <<= 30;
		end++;
		break;
	}
	if (*end)
		return -EINVAL;
	*val = v;
	return 0;
}

uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int read_text_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	buf[n] = '\0';
	close(fd);
	return n;
}

int write_text_file(const char *path, const char *str)
{
	size_t len = strlen(str);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, str, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

static long hugetlb_read(const char *file)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-2048kB/%s", file);
	if (read_text_file(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

long hugetlb_reserve(long nr)
{
	long total, free_pages, resv;
	char buf[32];

	total = hugetlb_read("nr_hugepages");
	free_pages = hugetlb_read("free_hugepages");
	resv = hugetlb_read("resv_hugepages");
	if (total < 0 || free_pages < 0 || resv < 0)
		return -ENOENT;
	/* Reserved pages are free but promised to existing mappings. */
	free_pages -= resv;
	if (free_pages >= nr)
		return free_pages;

	/*
	 * Grow the pool by what is missing; the kernel may give fewer pages
	 * than asked when memory is fragmented, so read back what we got.
	 */
	snprintf(buf, sizeof(buf), "%ld", total + nr - free_pages);
	write_text_file("/proc/sys/vm/nr_hugepages", buf);
	return hugetlb_read("free_hugepages") - hugetlb_read("resv_hugepages");
}
