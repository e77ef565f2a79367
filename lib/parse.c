// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers of user input.  Input is a byte buffer that need not be NUL
 * terminated and may hold anything.
 */
#include "parse.h"

static bool kvmintro_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Trim leading and trailing blanks of [*buf, *buf + *len). */
static void kvmintro_trim(const char **buf, size_t *len)
{
	while (*len && kvmintro_is_space(**buf)) {
		(*buf)++;
		(*len)--;
	}
	while (*len && kvmintro_is_space((*buf)[*len - 1]))
		(*len)--;
}

/**
 * kvmintro_parse_snapshot_command() - parse a write to the snapshot file
 * @buf: the bytes written
 * @len: how many
 *
 * Return: one enum kvmintro_snapshot_command for exactly "pause", "resume"
 * or "capture" (blanks around allowed), else -EINVAL.
 */
int kvmintro_parse_snapshot_command(const char *buf, size_t len)
{
	static const char *const words[] = {
		[KVMINTRO_SNAPSHOT_PAUSE] = "pause",
		[KVMINTRO_SNAPSHOT_RESUME] = "resume",
		[KVMINTRO_SNAPSHOT_CAPTURE] = "capture",
	};
	size_t i;

	if (len >= KVMINTRO_COMMAND_MAX)
		return -EINVAL;
	kvmintro_trim(&buf, &len);
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (len == strlen(words[i]) && !memcmp(buf, words[i], len))
			return i;
	}
	return -EINVAL;
}
