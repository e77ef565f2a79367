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

#endif /* KVMINTRO_LIB_PARSE_H */
