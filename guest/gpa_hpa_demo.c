// SPDX-License-Identifier: GPL-2.0
/*
 * gpa_hpa_demo: runs in the guest, next to gpa_hpa.ko.
 *
 *   gpa_hpa_demo             lock one page holding a recognisable value,
 *                            find its guest physical address through
 *                            /proc/self/pagemap, ask /proc/gpa_hpa where
 *                            it lies on the host, print
 *                              gpa_hpa_demo: gva=0x.. gpa=0x.. hpa=0x..
 *                              pfn=0x.. flags=0x.. value=0x..
 *                            (one line), then keep the page until a newline
 *                            on stdin, or a signal if stdin ends.
 *   gpa_hpa_demo -q ADDR     ask about one address, print the reply line.
 *   gpa_hpa_demo -g ADDR     ask about ADDR, then write garbage: every
 *                            garbage write must fail with EINVAL and leave
 *                            the reply as it was; print "garbage: ok" or
 *                            "garbage: FAIL ...".
 *
 * Exit status: 0 done, 1 an error (printed), 2 the host answered an error
 * (the reply line is printed, prefixed with "gpa_hpa_demo: ").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PROC_GPA_HPA	"/proc/gpa_hpa"
#define PAGEMAP_PRESENT	(1ULL << 63)
#define PAGEMAP_PFN	((1ULL << 55) - 1)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void die(const char *what)
{
	fprintf(stderr, "gpa_hpa_demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Ask /proc/gpa_hpa about one address (text as written); the reply in @reply. */
static int ask(int fd, const char *addr, char *reply, size_t size)
{
	ssize_t n;

	if (write(fd, addr, strlen(addr)) < 0)
		return -errno;
	n = pread(fd, reply, size - 1, 0);
	if (n < 0)
		return -errno;
	reply[n] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	return 0;
}

static uint64_t reply_field(const char *reply, const char *key)
{
	const char *p = strstr(reply, key);

	return p ? strtoull(p + strlen(key), NULL, 0) : 0;
}

static int check_garbage(int fd, const char *addr)
{
	static const char *const bad[] = {
		"", "\n", "bogus\n", "0x\n", "0xg\n", "-1\n", "1 2\n",
		"0x10000000000000000\n", "gfn=0x10000000000000\n", "12abc\n",
	};
	char before[256], after[256];
	unsigned int i;
	int r;

	r = ask(fd, addr, before, sizeof(before));
	if (r) {
		errno = -r;
		die(PROC_GPA_HPA);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/* write() of 0 bytes never reaches the file: skip "". */
		if (!bad[i][0])
			continue;
		if (write(fd, bad[i], strlen(bad[i])) >= 0 || errno != EINVAL) {
			printf("garbage: FAIL write of '%.*s' was not EINVAL\n",
			       (int)strcspn(bad[i], "\n"), bad[i]);
			return 1;
		}
		if (pread(fd, after, sizeof(after) - 1, 0) < 0)
			die(PROC_GPA_HPA);
		after[strcspn(after, "\n")] = '\0';
		if (strcmp(before, after)) {
			printf("garbage: FAIL reply changed to '%s'\n", after);
			return 1;
		}
	}
	printf("garbage: ok (%s)\n", before);
	return 0;
}

/* Keep the page until a newline on stdin; if stdin ends, until a signal. */
static void hold(void)
{
	char c;
	ssize_t n;

	while ((n = read(0, &c, 1)) == 1)
		if (c == '\n')
			return;
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	uint64_t entry, gpa, value;
	char reply[256], addr[32];
	volatile uint64_t *page;
	long page_size = sysconf(_SC_PAGESIZE);
	int fd, pagemap, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(PROC_GPA_HPA, O_RDWR);
	if (fd < 0)
		die(PROC_GPA_HPA " (is gpa_hpa.ko loaded?)");
	if (argc == 3 && !strcmp(argv[1], "-g"))
		return check_garbage(fd, argv[2]);
	if (argc == 3 && !strcmp(argv[1], "-q")) {
		r = ask(fd, argv[2], reply, sizeof(reply));
		if (r) {
			errno = -r;
			die(PROC_GPA_HPA);
		}
		printf("gpa_hpa_demo: %s\n", reply);
		return strncmp(reply, "ok ", 3) ? 2 : 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: gpa_hpa_demo [-q ADDR | -g ADDR]\n");
		return 1;
	}

	page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		die("mmap");
	if (mlock((void *)page, page_size))
		die("mlock");
	/* "KI" on top, then something that differs per run. */
	value = 0x4b49000000000000ULL |
		(((uint64_t)getpid() << 32 ^ (uint64_t)time(NULL)) &
		 0xffffffffffffULL);
	page[0] = value;

	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap < 0)
		die("/proc/self/pagemap");
	if (pread(pagemap, &entry, sizeof(entry),
		  (uintptr_t)page / page_size * sizeof(entry)) != sizeof(entry))
		die("/proc/self/pagemap");
	close(pagemap);
	if (!(entry & PAGEMAP_PRESENT) || !(entry & PAGEMAP_PFN)) {
		fprintf(stderr, "gpa_hpa_demo: no frame in pagemap entry 0x%" PRIx64 " (not root?)\n",
			entry);
		return 1;
	}
	gpa = (entry & PAGEMAP_PFN) * page_size;

	snprintf(addr, sizeof(addr), "0x%" PRIx64 "\n", gpa);
	r = ask(fd, addr, reply, sizeof(reply));
	if (r) {
		errno = -r;
		die(PROC_GPA_HPA);
	}
	if (strncmp(reply, "ok ", 3)) {
		printf("gpa_hpa_demo: gva=%p gpa=0x%" PRIx64 " value=0x%" PRIx64 " reply=%s\n",
		       (void *)page, gpa, value, reply);
		return 2;
	}
	printf("gpa_hpa_demo: gva=%p gpa=0x%" PRIx64 " hpa=0x%" PRIx64
	       " pfn=0x%" PRIx64 " flags=0x%" PRIx64 " value=0x%" PRIx64 "\n",
	       (void *)page, gpa, reply_field(reply, "hpa="),
	       reply_field(reply, "pfn="), reply_field(reply, "flags="), value);
	hold();
	return 0;
}
