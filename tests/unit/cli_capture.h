/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CLI_CAPTURE_H
#define CLI_CAPTURE_H

#include <stddef.h>
#include <stdio.h>

/**
 * struct cli_capture - a memory stream whose text a test reads afterwards
 * @stream: write here, between cli_capture_begin() and cli_capture_end()
 * @text: what was written, after cli_capture_end(); the caller frees it
 * @length: its length
 */
struct cli_capture {
	FILE *stream;
	char *text;
	size_t length;
};

FILE *cli_capture_begin(struct cli_capture *capture);
const char *cli_capture_end(struct cli_capture *capture);

/**
 * struct cli_stderr_capture - what code under test writes to stderr
 * @saved: the real stderr, while capturing
 * @file: where it goes meanwhile
 * @text: what was written, after cli_stderr_capture_end(); caller frees
 */
struct cli_stderr_capture {
	int saved;
	FILE *file;
	char *text;
};

void cli_stderr_capture_begin(struct cli_stderr_capture *capture);
const char *cli_stderr_capture_end(struct cli_stderr_capture *capture);

#endif /* CLI_CAPTURE_H */
