/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers of what users write into kvmintro's debugfs files.  Each either
 * accepts the whole input or returns -EINVAL; none has side effects.
 */
#ifndef KVMINTRO_LIB_PARSE_H
#define KVMINTRO_LIB_PARSE_H

#include "portable.h"

enum kvmintro_snapshot_command {
	KVMINTRO_SNAPSHOT_PAUSE,
	KVMINTRO_SNAPSHOT_RESUME,
	KVMINTRO_SNAPSHOT_CAPTURE,
};

/* Longest write the command files accept, newline included. */
#define KVMINTRO_COMMAND_MAX 64

int kvmintro_parse_snapshot_command(const char *buf, size_t len);

/* Most addresses one write to the translate file may hold. */
#define KVMINTRO_TRANSLATE_MAX		64
/* Longest write the translate file accepts. */
#define KVMINTRO_TRANSLATE_INPUT_MAX	4096

int kvmintro_hex_digit(char c);
int kvmintro_parse_digits(const char *buf, size_t len, unsigned int base,
			  u64 *value);
int kvmintro_parse_u64(const char *buf, size_t len, u64 *value);
int kvmintro_parse_page_size(const char *buf, size_t len, u64 *bytes);
int kvmintro_parse_time(const char *buf, size_t len, u64 *seconds,
			u32 *nanoseconds);
int kvmintro_parse_address(const char *buf, size_t len, u64 *gpa);
int kvmintro_parse_addresses(const char *buf, size_t len, u64 *gpas,
			     int max);

int kvmintro_parse_stage2_request(const char *buf, size_t len, u64 *gpas,
				  int max);

/* Bits of a guest physical address, the most x86-64 and arm64 define. */
#define KVMINTRO_GPA_BITS	52
/* A guest frame number is a guest physical address shifted by this. */
#define KVMINTRO_PAGE_SHIFT	12

/* The largest vcpu index a request may name: KVM's indexes are 32 bits. */
#define KVMINTRO_VCPU_INDEX_MAX	0xffffffffULL

/* Longest write the gva file accepts: room for three 64-bit overrides. */
#define KVMINTRO_GVA_REQUEST_MAX	160

/* Most register overrides a gva request may name (arm64: ttbr0, ttbr1, tcr). */
#define KVMINTRO_GVA_MAX_OVERRIDES	3

/**
 * struct kvmintro_gva_override - a register a gva request may override
 * @key:	its key, e.g. "cr3" (written "cr3=<value>")
 * @bits:	the value must be below 2^@bits (64: any)
 */
struct kvmintro_gva_override {
	const char *key;
	unsigned int bits;
};

/**
 * struct kvmintro_gva_request - a write to the gva file
 * @gva:	the guest virtual address
 * @vcpu:	whose registers to use (default 0)
 * @value:	the overrides' values, in the order of the overrides list
 * @given:	bit i set: @value[i] was given, use it instead of the vcpu's
 */
struct kvmintro_gva_request {
	u64 gva;
	u64 vcpu;
	u64 value[KVMINTRO_GVA_MAX_OVERRIDES];
	unsigned int given;
};

int kvmintro_parse_gva_request(const char *buf, size_t len,
			       const struct kvmintro_gva_override *overrides,
			       unsigned int nr_overrides,
			       struct kvmintro_gva_request *request);

#endif /* KVMINTRO_LIB_PARSE_H */
