// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the "snapshot" file as the CLI reads it: the contract's
 * example, a VM never captured, what a broken module could write; the
 * tables pause, resume and snapshot print, the JSON, and the messages for
 * a pause that times out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_capture.h"
#include "cli_fixtures.h"
#include "cli_json_check.h"
#include "cli_tap.h"
#include "snapshot.h"
#include "table.h"

static const struct kvmintro_vm test_vm = FIXTURE_VM;

static int parse_snapshot(const char *text, struct kvmintro_snapshot *snapshot,
			  struct kvmintro_parse_error *error)
{
	return kvmintro_snapshot_parse(text, strlen(text), snapshot, error);
}

static void test_contract(void)
{
	struct kvmintro_parse_error error;
	struct kvmintro_snapshot snapshot;

	if (!CLI_EXPECT(!parse_snapshot(FIXTURE_SNAPSHOT, &snapshot, &error),
			"snapshot: contract example parses"))
		printf("#   line %zu: %s\n", error.line, error.message);
	CLI_EXPECT(!strcmp(snapshot.state, "paused") && snapshot.pauses == 3 &&
		   snapshot.pause_latency_ns == 674985 &&
		   snapshot.generation == 1 &&
		   snapshot.captured.seconds == 1795332144 &&
		   snapshot.captured.nanoseconds == 297468151 &&
		   snapshot.capture_pause_latency_ns == 674985 &&
		   snapshot.vcpus == 2, "snapshot: values");
	CLI_EXPECT(!parse_snapshot(FIXTURE_SNAPSHOT_RUNNING, &snapshot, &error) &&
		   !strcmp(snapshot.state, "running") && !snapshot.generation &&
		   !snapshot.vcpus, "snapshot: never captured, no more lines");
	CLI_EXPECT(!parse_snapshot("generation=0 state=running pauses=0 "
				   "pause_latency_ns=0 colour=blue\n",
				   &snapshot, &error),
		   "snapshot: keys on one line, in any order, unknown ignored");
}

static void expect_refused(const char *text, size_t line, const char *message,
			   const char *name)
{
	struct kvmintro_parse_error error;
	struct kvmintro_snapshot snapshot;
	int ret;

	ret = parse_snapshot(text, &snapshot, &error);
	if (!CLI_EXPECT(ret == -EBADMSG && error.line == line &&
			strstr(error.message, message), "snapshot: %s", name))
		printf("#   %d, line %zu: %s\n", ret, error.line, error.message);
}

static void test_refused(void)
{
	expect_refused("", 0, "key 'state' is missing", "empty file");
	expect_refused("state=stopped\npauses=0\npause_latency_ns=0\ngeneration=0\n",
		       1, "state: \"stopped\" is not 'running' or 'paused'",
		       "unknown state");
	expect_refused("state=paused\npauses=1\npause_latency_ns=1\ngeneration=2\n",
		       0, "generation=2, but key 'captured' is missing",
		       "a generation without its capture");
	expect_refused(FIXTURE_SNAPSHOT_RUNNING "vcpus=2\n", 0,
		       "generation=0, but key 'vcpus' is there",
		       "capture keys without a capture");
	expect_refused("state=paused\npauses=1\npause_latency_ns=1\ngeneration=1\n"
		       "captured=1795332144\ncapture_pause_latency_ns=1\nvcpus=1\n",
		       5, "captured: \"1795332144\" is not a time",
		       "a time without its fraction");
	expect_refused(FIXTURE_SNAPSHOT "pauses=4\n", 8,
		       "key 'pauses' appears twice", "a key twice");
	expect_refused("state=paused\npauses=-1\n", 2,
		       "pauses: \"-1\" is not a decimal number", "negative count");
}

static char *print_table(const struct kvmintro_snapshot *snapshot,
			 enum kvmintro_snapshot_view view)
{
	struct cli_capture capture;

	if (kvmintro_snapshot_print_table(&test_vm, snapshot, view,
					  cli_capture_begin(&capture)))
		printf("#   printing failed\n");
	cli_capture_end(&capture);
	return capture.text;
}

static void test_tables(void)
{
	struct kvmintro_parse_error error;
	struct kvmintro_snapshot snapshot;
	char *text;

	parse_snapshot(FIXTURE_SNAPSHOT, &snapshot, &error);
	text = print_table(&snapshot, KVMINTRO_SNAPSHOT_VIEW_CAPTURE);
	CLI_EXPECT_STRING(text, FIXTURE_SNAPSHOT_TABLE,
			  "snapshot table: all of it, time in ISO 8601 UTC and raw");
	free(text);
	text = print_table(&snapshot, KVMINTRO_SNAPSHOT_VIEW_PAUSE);
	CLI_EXPECT_STRING(text,
			  "VM             5678 (PID 5678)\n"
			  "state          paused\n"
			  "pauses         3\n"
			  "pause latency  674.985 us\n",
			  "pause table: state and latency");
	free(text);
	parse_snapshot(FIXTURE_SNAPSHOT_RUNNING, &snapshot, &error);
	text = print_table(&snapshot, KVMINTRO_SNAPSHOT_VIEW_STATE);
	CLI_EXPECT_STRING(text, "VM     5678 (PID 5678)\nstate  running\n",
			  "resume table: the state");
	free(text);
	text = print_table(&snapshot, KVMINTRO_SNAPSHOT_VIEW_CAPTURE);
	CLI_EXPECT_STRING(text,
			  "VM             5678 (PID 5678)\n"
			  "state          running\n"
			  "pauses         0\n"
			  "pause latency  0.000 us\n"
			  "capture        none yet\n",
			  "snapshot table: no capture yet");
	free(text);
}

static void test_times(void)
{
	struct kvmintro_time huge = { .seconds = UINT64_MAX };
	struct kvmintro_time epoch = { 0, 5 };
	char text[KVMINTRO_TIME_TEXT_MAX];

	kvmintro_format_time(&epoch, text, sizeof(text));
	CLI_EXPECT_STRING(text, "1970-01-01T00:00:00.000000005Z",
			  "time: the epoch, to the nanosecond");
	kvmintro_format_time(&huge, text, sizeof(text));
	CLI_EXPECT_STRING(text, "(out of range)", "time: beyond any calendar");
	kvmintro_format_latency(1234567890, text, sizeof(text));
	CLI_EXPECT_STRING(text, "1234567.890 us", "latency: in microseconds");
}

static char *print_json(const char *snapshot_text)
{
	struct kvmintro_parse_error error;
	struct kvmintro_snapshot snapshot;
	struct cli_capture capture;

	parse_snapshot(snapshot_text, &snapshot, &error);
	if (kvmintro_snapshot_print_json(&test_vm, &snapshot,
					 cli_capture_begin(&capture)))
		printf("#   printing failed\n");
	cli_capture_end(&capture);
	return capture.text;
}

static void test_json(void)
{
	char *text = print_json(FIXTURE_SNAPSHOT);

	cli_json_expect_valid(text, "snapshot JSON");
	CLI_EXPECT(strstr(text, "  \"state\": \"paused\",\n") &&
		   strstr(text, "  \"pause_latency_ns\": 674985,\n") &&
		   strstr(text, "  \"captured\": \"2026-11-22T07:22:24.297468151Z\",\n") &&
		   strstr(text, "  \"captured_realtime\": \"1795332144.297468151\",\n") &&
		   strstr(text, "  \"vcpus\": 2\n}\n"),
		   "snapshot JSON: numbers, ISO and raw time");
	free(text);
	text = print_json(FIXTURE_SNAPSHOT_RUNNING);
	cli_json_expect_valid(text, "snapshot JSON, no capture");
	CLI_EXPECT(strstr(text, "  \"generation\": 0,\n  \"captured\": null,\n") &&
		   strstr(text, "  \"vcpus\": null\n"),
		   "snapshot JSON, no capture: the same keys, null");
	free(text);
}

static void expect_explained(int err, const char *command, const char *message)
{
	struct cli_stderr_capture capture;
	int ret;

	cli_stderr_capture_begin(&capture);
	ret = kvmintro_snapshot_explain_write("/x/snapshot", err, command);
	cli_stderr_capture_end(&capture);
	CLI_EXPECT(ret == err && strstr(capture.text, message),
		   "explain %s: %s", command, strerror(-err));
	free(capture.text);
}

static void test_explain(void)
{
	expect_explained(-ETIMEDOUT, "pause",
			 "kvmintro: pause timed out: a vcpu thread did not stop (is the VMM stopped or stuck?)\n");
	expect_explained(-ETIMEDOUT, "capture", "pause_timeout_ms");
	expect_explained(-EINTR, "pause", "interrupted");
	expect_explained(-ENOMEM, "capture", "out of memory");
	CLI_EXPECT(!kvmintro_snapshot_explain_write("/x", -ENOENT, "pause"),
		   "explain: the usual errors are left to the usual messages");
}

int main(void)
{
	test_contract();
	test_refused();
	test_tables();
	test_times();
	test_json();
	test_explain();
	return cli_tap_finish();
}
