/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FUZZ_ASSERT() for the fuzzers here: a broken promise is a crash, with
 * the file, line and condition, which libFuzzer then saves as an artifact.
 */
#ifndef KVMINTRO_FUZZ_ASSERT_H
#define KVMINTRO_FUZZ_ASSERT_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(condition)						\
	do {								\
		if (!(condition)) {					\
			fprintf(stderr, "%s:%d: %s\n", __FILE__,	\
				__LINE__, #condition);			\
			abort();					\
		}							\
	} while (0)

#endif /* KVMINTRO_FUZZ_ASSERT_H */
