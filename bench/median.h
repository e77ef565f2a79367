/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Medians for the benchmarks: each sorts its array in place; an even count
 * gives the mean of the two middle values.
 */
#ifndef KVMINTRO_BENCH_MEDIAN_H
#define KVMINTRO_BENCH_MEDIAN_H

#include <stdint.h>
#include <stdlib.h>

static int median_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int median_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static inline uint64_t median_u64(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), median_cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static inline double median_double(double *v, int n)
{
	qsort(v, n, sizeof(*v), median_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif /* KVMINTRO_BENCH_MEDIAN_H */
