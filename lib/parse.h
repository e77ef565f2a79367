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
int kvmintro_parse_u64(const char *buf, size_t len, u64 *value);
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

/**
 * struct kvmintro_gva_request - a write to the gva file
 * @gva:	the guest virtual address
 * @vcpu:	whose registers to use (default 0)
 * @cr3:	page-table root to use instead of the vcpu's, if @has_cr3
 */
struct kvmintro_gva_request {
	u64 gva;
	u64 vcpu;
	u64 cr3;
	bool has_cr3;
};

int kvmintro_parse_gva_request(const char *buf, size_t len,
			       struct kvmintro_gva_request *request);

#endif /* KVMINTRO_LIB_PARSE_H */
