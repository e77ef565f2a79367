/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gpa_hpa.ko: what gpa_hpa_main.c asks of the architecture's call
 * (guest/<arch>/gpa_hpa_arch.c, picked by guest/Kbuild).
 */
#ifndef GPA_HPA_H
#define GPA_HPA_H

#include <linux/types.h>

/**
 * struct gpa_hpa_answer - what the host put in the call's result registers
 * @ret:	the host physical address, or a negative error
 * @pfn:	the host frame number
 * @flags:	GPA_HPA_FLAG_*
 */
struct gpa_hpa_answer {
	long ret;
	unsigned long pfn;
	unsigned long flags;
};

/*
 * Refuse a number that is the hypervisor's own, or a guest that cannot
 * make the call.  Return: 0, -EINVAL or -ENODEV (said in the log).
 */
int gpa_hpa_arch_check_guest(int nr);

/* Make call @nr for @gpa. */
void gpa_hpa_arch_call(int nr, u64 gpa, struct gpa_hpa_answer *answer);

/* The word for a negative answer ("not-backed"). */
const char *gpa_hpa_arch_error_reason(long ret);

#endif /* GPA_HPA_H */
