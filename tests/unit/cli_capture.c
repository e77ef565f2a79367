// SPDX-License-Identifier: GPL-2.0
/*
 * Capture what code under test prints, to a FILE * or to stderr; see
 * cli_capture.h.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_capture.h"

/* Start capturing; give up the whole test if no stream can be had. */
FILE *cli_capture_begin(struct cli_capture *capture)
{
	capture->text = NULL;
	capture->length = 0;
	capture->stream = open_memstream(&capture->text, &capture->length);
	if (!capture->stream) {
		perror("open_memstream");
		abort();
	}
	return capture->stream;
}

/* Stop capturing and return the text, which the caller frees. */
const char *cli_capture_end(struct cli_capture *capture)
{
	if (fclose(capture->stream)) {
		perror("fclose");
		abort();
	}
	return capture->text;
}

/* Send stderr to a temporary file until cli_stderr_capture_end(). */
void cli_stderr_capture_begin(struct cli_stderr_capture *capture)
{
	fflush(stderr);
	capture->text = NULL;
	capture->file = tmpfile();
	capture->saved = dup(STDERR_FILENO);
	if (!capture->file || capture->saved < 0 ||
	    dup2(fileno(capture->file), STDERR_FILENO) < 0) {
		perror("capturing stderr");
		abort();
	}
}

/* Give stderr back and return what was written, which the caller frees. */
const char *cli_stderr_capture_end(struct cli_stderr_capture *capture)
{
	struct stat status;
	int fd = fileno(capture->file);

	fflush(stderr);
	if (dup2(capture->saved, STDERR_FILENO) < 0 || fstat(fd, &status)) {
		perror("giving stderr back");
		abort();
	}
	close(capture->saved);
	capture->text = calloc(1, (size_t)status.st_size + 1);
	if (!capture->text ||
	    pread(fd, capture->text, (size_t)status.st_size, 0) !=
	    status.st_size) {
		perror("reading captured stderr");
		abort();
	}
	fclose(capture->file);
	return capture->text;
}
