// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's "snapshot" file: write "pause", "resume" or "capture" to it, then
 * read back the VM's pause state and latest capture, one key=value a line.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "debugfs.h"
#include "json.h"
#include "snapshot.h"
#include "table.h"

static const char *const kvmintro_snapshot_states[] = {
	"running", "paused", NULL,
};

static const struct kvmintro_field kvmintro_snapshot_fields[] = {
	KVMINTRO_FIELD(struct kvmintro_snapshot, state, "state",
		       KVMINTRO_FIELD_NAME,
		       .choices = kvmintro_snapshot_states),
	KVMINTRO_FIELD(struct kvmintro_snapshot, pauses, "pauses",
		       KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_snapshot, pause_latency_ns,
		       "pause_latency_ns", KVMINTRO_FIELD_DECIMAL),
	KVMINTRO_FIELD(struct kvmintro_snapshot, generation, "generation",
		       KVMINTRO_FIELD_DECIMAL),
	/* Only with a capture, generation 1 and on. */
	KVMINTRO_FIELD(struct kvmintro_snapshot, captured, "captured",
		       KVMINTRO_FIELD_TIME, .optional = true),
	KVMINTRO_FIELD(struct kvmintro_snapshot, capture_pause_latency_ns,
		       "capture_pause_latency_ns", KVMINTRO_FIELD_DECIMAL,
		       .optional = true),
	KVMINTRO_FIELD(struct kvmintro_snapshot, vcpus, "vcpus",
		       KVMINTRO_FIELD_DECIMAL, .optional = true),
};

static const struct kvmintro_record_format kvmintro_snapshot_format = {
	.layout = KVMINTRO_LAYOUT_KEY_VALUE,
	.fields = kvmintro_snapshot_fields,
	.nr_fields = ARRAY_SIZE(kvmintro_snapshot_fields),
	.record_size = sizeof(struct kvmintro_snapshot),
};

/* A capture has every capture field; no capture, none. */
static int kvmintro_snapshot_check(const struct kvmintro_snapshot *snapshot,
				   const struct kvmintro_field_set *seen,
				   struct kvmintro_parse_error *error)
{
	static const char *const capture_fields[] = {
		"captured", "capture_pause_latency_ns", "vcpus",
	};
	size_t i;
	bool has;

	for (i = 0; i < ARRAY_SIZE(capture_fields); i++) {
		has = kvmintro_field_seen(&kvmintro_snapshot_format, seen,
					  capture_fields[i]);
		if (has != !!snapshot->generation)
			return kvmintro_parse_fail(error, -EBADMSG,
				"generation=%" PRIu64 ", but key '%s' is %s",
				snapshot->generation, capture_fields[i],
				has ? "there" : "missing");
	}
	return 0;
}

/*
 * Parse the contents of a "snapshot" file into @snapshot. Fail like
 * kvmintro_parse_record(), and if the capture keys do not go with
 * "generation" (all there for a capture, none without).
 */
int kvmintro_snapshot_parse(const char *text, size_t length,
			    struct kvmintro_snapshot *snapshot,
			    struct kvmintro_parse_error *error)
{
	struct kvmintro_field_set seen;
	int ret;

	ret = kvmintro_parse_record(&kvmintro_snapshot_format, text, length,
				    snapshot, &seen, error);
	if (!ret)
		ret = kvmintro_snapshot_check(snapshot, &seen, error);
	return ret;
}

static int kvmintro_snapshot_parse_file(void *context, const char *text,
					size_t length,
					struct kvmintro_parse_error *error)
{
	return kvmintro_snapshot_parse(text, length, context, error);
}

/*
 * Explain the errors of a write of command @context (a string) to the
 * snapshot file that the usual messages would not; see struct
 * kvmintro_debugfs_explainer.
 */
int kvmintro_snapshot_explain_write(const char *path, int err,
				    const void *context)
{
	const char *command = context;

	(void)path;
	switch (err) {
	case -ETIMEDOUT:
		kvmintro_error("%s timed out: a vcpu thread did not stop (is the VMM stopped or stuck?)",
			       command);
		kvmintro_error("the VM runs on; the module waits pause_timeout_ms (a module parameter) for its vcpus, see dmesg");
		return err;
	case -EINTR:
		kvmintro_error("interrupted while the VM was pausing for %s; it runs on",
			       command);
		return err;
	case -ENOMEM:
		kvmintro_error("%s failed: the kernel is out of memory", command);
		return err;
	}
	return 0;
}

/*
 * Write @command ("pause", "resume", "capture") to the snapshot file of
 * @vm, then read what it says now into @snapshot. On failure say why and
 * return -errno.
 */
int kvmintro_snapshot_apply(const char *root, const struct kvmintro_vm *vm,
			    const char *command,
			    struct kvmintro_snapshot *snapshot)
{
	const struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_snapshot_explain_write,
		.context = command,
	};
	char request[32];

	snprintf(request, sizeof(request), "%s\n", command);
	return kvmintro_debugfs_request(root, vm->dir, "snapshot", request,
					&explainer, kvmintro_snapshot_parse_file,
					snapshot);
}

static const struct kvmintro_column kvmintro_snapshot_columns[] = {
	{ NULL, KVMINTRO_ALIGN_LEFT },
	{ NULL, KVMINTRO_ALIGN_LEFT },
};

static void kvmintro_table_add_latency(struct kvmintro_table *table,
				       uint64_t nanoseconds)
{
	char text[KVMINTRO_TIME_TEXT_MAX];

	kvmintro_format_latency(nanoseconds, text, sizeof(text));
	kvmintro_table_add(table, "%s", text);
}

static void kvmintro_snapshot_add_capture(struct kvmintro_table *table,
					  const struct kvmintro_snapshot *snapshot)
{
	char time[KVMINTRO_TIME_TEXT_MAX], raw[KVMINTRO_TIME_TEXT_MAX];

	kvmintro_table_add(table, "capture");
	if (!snapshot->generation) {
		kvmintro_table_add(table, "none yet");
		return;
	}
	kvmintro_table_add(table, "generation %" PRIu64, snapshot->generation);
	kvmintro_format_time(&snapshot->captured, time, sizeof(time));
	kvmintro_format_time_raw(&snapshot->captured, raw, sizeof(raw));
	kvmintro_table_add(table, "captured at");
	kvmintro_table_add(table, "%s (%s)", time, raw);
	kvmintro_table_add(table, "capture pause latency");
	kvmintro_table_add_latency(table, snapshot->capture_pause_latency_ns);
	kvmintro_table_add(table, "vcpus captured");
	kvmintro_table_add(table, "%" PRIu64, snapshot->vcpus);
}

/*
 * Print what @view shows of @snapshot, a "name  value" line each, the VM
 * first. Return 0 or -errno.
 */
int kvmintro_snapshot_print_table(const struct kvmintro_vm *vm,
				  const struct kvmintro_snapshot *snapshot,
				  enum kvmintro_snapshot_view view, FILE *out)
{
	struct kvmintro_table table;

	kvmintro_table_init(&table, kvmintro_snapshot_columns,
			    ARRAY_SIZE(kvmintro_snapshot_columns));
	kvmintro_table_add(&table, "VM");
	kvmintro_table_add(&table, "%s (PID %" PRIu64 ")", vm->dir, vm->pid);
	kvmintro_table_add(&table, "state");
	kvmintro_table_add(&table, "%s", snapshot->state);
	if (view != KVMINTRO_SNAPSHOT_VIEW_STATE) {
		kvmintro_table_add(&table, "pauses");
		kvmintro_table_add(&table, "%" PRIu64, snapshot->pauses);
		kvmintro_table_add(&table, "pause latency");
		kvmintro_table_add_latency(&table, snapshot->pause_latency_ns);
	}
	if (view == KVMINTRO_SNAPSHOT_VIEW_CAPTURE)
		kvmintro_snapshot_add_capture(&table, snapshot);
	return kvmintro_table_finish(&table, out);
}

static void kvmintro_snapshot_write_capture_json(struct kvmintro_json *json,
						 const struct kvmintro_snapshot *snapshot)
{
	char time[KVMINTRO_TIME_TEXT_MAX], raw[KVMINTRO_TIME_TEXT_MAX];

	if (!snapshot->generation) {
		kvmintro_json_null(json, "captured");
		kvmintro_json_null(json, "captured_realtime");
		kvmintro_json_null(json, "capture_pause_latency_ns");
		kvmintro_json_null(json, "vcpus");
		return;
	}
	kvmintro_format_time(&snapshot->captured, time, sizeof(time));
	kvmintro_format_time_raw(&snapshot->captured, raw, sizeof(raw));
	kvmintro_json_string(json, "captured", time);
	kvmintro_json_string(json, "captured_realtime", raw);
	kvmintro_json_u64(json, "capture_pause_latency_ns",
			  snapshot->capture_pause_latency_ns);
	kvmintro_json_u64(json, "vcpus", snapshot->vcpus);
}

/*
 * Print @snapshot as a JSON object, every key always there: the capture's
 * are null without a capture. Return 0 or -errno.
 */
int kvmintro_snapshot_print_json(const struct kvmintro_vm *vm,
				 const struct kvmintro_snapshot *snapshot,
				 FILE *out)
{
	struct kvmintro_json json;

	kvmintro_vm_json_begin(&json, out, vm);
	kvmintro_json_string(&json, "state", snapshot->state);
	kvmintro_json_u64(&json, "pauses", snapshot->pauses);
	kvmintro_json_u64(&json, "pause_latency_ns", snapshot->pause_latency_ns);
	kvmintro_json_u64(&json, "generation", snapshot->generation);
	kvmintro_snapshot_write_capture_json(&json, snapshot);
	return kvmintro_vm_json_end(&json);
}

/*
 * Apply @command to @vm (see kvmintro_snapshot_apply()) and print the
 * result, a table showing @view or JSON. Return 0 or -errno.
 */
int kvmintro_snapshot_run(const struct kvmintro *kvmintro,
			  const struct kvmintro_vm *vm, const char *command,
			  enum kvmintro_snapshot_view view)
{
	struct kvmintro_snapshot snapshot;
	int ret;

	ret = kvmintro_snapshot_apply(kvmintro->debugfs_root, vm, command,
				      &snapshot);
	if (ret)
		return ret;
	if (kvmintro->json)
		ret = kvmintro_snapshot_print_json(vm, &snapshot, stdout);
	else
		ret = kvmintro_snapshot_print_table(vm, &snapshot, view, stdout);
	return kvmintro_check_output(ret);
}
