/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Portable base for the code in lib/: the same source is built into the
 * kernel module and into native unit tests and fuzzers, so it may use only
 * fixed-width types, snprintf() and string helpers that both sides provide.
 */
#ifndef KVMINTRO_LIB_PORTABLE_H
#define KVMINTRO_LIB_PORTABLE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline __attribute__((__noinline__))
#endif
#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif
#endif /* __KERNEL__ */

#define __KVMINTRO_STRINGIFY(x) #x
#define KVMINTRO_STRINGIFY(x) __KVMINTRO_STRINGIFY(x)

#endif /* KVMINTRO_LIB_PORTABLE_H */
