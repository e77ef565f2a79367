// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro snapshot, pause and resume PID|DIR: record the registers of
 * every vcpu, stop every vcpu, let them run again.  All three write
 * "capture", "pause" or "resume" to the VM's snapshot file, then read back
 * the VM's pause state and latest capture, one record of one field a line.
 */
#include "kvmintro.h"

/* The lines of the table of the snapshot file, after the VM's. */
static const struct kvmintro_column kvmintro_snapshot_rows[] = {
	KVMINTRO_SHOW_LEFT("state", "state", VALUE),
	KVMINTRO_SHOW_LEFT("pauses", "pauses", VALUE),
	KVMINTRO_SHOW_LEFT("pause_latency_ns", "pause latency", LATENCY),
	KVMINTRO_SHOW_LEFT("generation", "capture", VALUE),
	KVMINTRO_SHOW_LEFT("captured", "captured at", TIME),
	KVMINTRO_SHOW_LEFT("capture_pause_latency_ns", "capture pause latency",
			   LATENCY),
	KVMINTRO_SHOW_LEFT("vcpus", "vcpus captured", VALUE),
};

/* What a command shows of the snapshot file: how many lines of the table. */
enum kvmintro_snapshot_view {
	KVMINTRO_SNAPSHOT_VIEW_STATE = 1,	/* the state */
	KVMINTRO_SNAPSHOT_VIEW_PAUSE = 3,	/* and the pause latency */
	KVMINTRO_SNAPSHOT_VIEW_CAPTURE = ARRAY_SIZE(kvmintro_snapshot_rows),
};

static const struct kvmintro_record_key kvmintro_snapshot_keys[] = {
	KVMINTRO_SCHEMA_KEY("state", KVMINTRO_RECORD_TYPES(WORD)),
	KVMINTRO_SCHEMA_KEY("pauses", KVMINTRO_RECORD_TYPES(DECIMAL)),
	KVMINTRO_SCHEMA_KEY("pause_latency_ns", KVMINTRO_RECORD_TYPES(DECIMAL)),
	KVMINTRO_SCHEMA_KEY("generation", KVMINTRO_RECORD_TYPES(DECIMAL)),
};

/* Only with a capture, generation 1 and on. */
static const char *const kvmintro_snapshot_capture_keys[] = {
	"captured", "capture_pause_latency_ns", "vcpus",
};

/* The time @snapshot was captured; -EINVAL if it is not one. */
static int kvmintro_snapshot_time(const struct kvmintro_record *snapshot,
				  struct kvmintro_time *time)
{
	const struct kvmintro_record_field *field;

	field = kvmintro_record_find(snapshot, "captured");
	if (!field || field->type != KVMINTRO_RECORD_WORD)
		return -EINVAL;
	return kvmintro_parse_time(field->value, field->value_len,
				   &time->seconds, &time->nanoseconds);
}

/* A known state; a capture has every capture key, no capture none. */
static int kvmintro_snapshot_check(const struct kvmintro_record *snapshot,
				   struct kvmintro_parse_error *error)
{
	struct kvmintro_span state = kvmintro_record_text(snapshot, "state");
	uint64_t generation = kvmintro_record_number(snapshot, "generation");
	struct kvmintro_time time;
	const char *key;
	size_t i;
	bool has;

	if (!kvmintro_span_equals(state, "running") &&
	    !kvmintro_span_equals(state, "paused"))
		return kvmintro_parse_fail(error, -EBADMSG,
			"state: \"%.*s\" is not 'running' or 'paused'",
			(int)state.length, state.start);
	for (i = 0; i < ARRAY_SIZE(kvmintro_snapshot_capture_keys); i++) {
		key = kvmintro_snapshot_capture_keys[i];
		has = kvmintro_record_find(snapshot, key);
		if (has != !!generation)
			return kvmintro_parse_fail(error, -EBADMSG,
				"generation=%" PRIu64 ", but key '%s' is %s",
				generation, key, has ? "there" : "missing");
	}
	if (generation && (kvmintro_snapshot_time(snapshot, &time) ||
			   !kvmintro_record_maybe(snapshot, key).valid))
		return kvmintro_parse_fail(error, -EBADMSG,
			"captured is not <seconds>.<fraction>, or vcpus not a number");
	return 0;
}

/* --json adds when the capture was taken in UTC. */
static void kvmintro_snapshot_write_json(struct kvmintro_json *json,
					 const struct kvmintro_record *snapshot)
{
	char text[KVMINTRO_TIME_TEXT_MAX];
	struct kvmintro_time time;

	if (kvmintro_snapshot_time(snapshot, &time))
		return;
	kvmintro_format_time(&time, text, sizeof(text));
	kvmintro_json_string(json, "captured_utc", text);
}

static const struct kvmintro_record_schema kvmintro_snapshot_schema = {
	.keys = kvmintro_snapshot_keys,
	.nr_keys = ARRAY_SIZE(kvmintro_snapshot_keys),
	.one_record = true,
	.check = kvmintro_snapshot_check,
	.write_json = kvmintro_snapshot_write_json,
};

/*
 * Explain the errors of a write of command @context (a string) to the
 * snapshot file that the usual messages would not; see struct
 * kvmintro_debugfs_explainer.
 */
static int kvmintro_snapshot_explain_write(const char *path, int err,
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
 * Print the first @view lines of the table of @snapshot, "name  value",
 * the VM first; the capture's only if there is one. Return 0 or -errno.
 */
static int kvmintro_snapshot_print_table(const struct kvmintro_vm *vm,
					 const struct kvmintro_record *snapshot,
					 enum kvmintro_snapshot_view view)
{
	static const struct kvmintro_column columns[] = {
		KVMINTRO_COLUMN(NULL, LEFT), KVMINTRO_COLUMN(NULL, LEFT),
	};
	uint64_t generation = kvmintro_record_number(snapshot, "generation");
	const struct kvmintro_column *row;
	struct kvmintro_table table;

	kvmintro_table_init(&table, columns, ARRAY_SIZE(columns));
	kvmintro_table_add(&table, "VM");
	kvmintro_table_add(&table, "%s (PID %" PRIu64 ")", vm->dir, vm->pid);
	for (row = kvmintro_snapshot_rows; row < kvmintro_snapshot_rows + view;
	     row++) {
		kvmintro_table_add(&table, "%s", row->title);
		if (strcmp(row->key, "generation")) {
			kvmintro_show_add_cell(&table, row, snapshot);
			continue;
		}
		if (!generation) {
			kvmintro_table_add(&table, "none yet");
			break;
		}
		kvmintro_table_add(&table, "generation %" PRIu64, generation);
	}
	return kvmintro_table_finish(&table, stdout);
}

/*
 * Write @command to the VM's snapshot file and show the state it reads
 * back, as @view says, or as JSON: every field of the file in one object.
 */
static int kvmintro_snapshot_command(struct kvmintro *kvmintro,
				     const char *command,
				     enum kvmintro_snapshot_view view)
{
	const struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_snapshot_explain_write,
		.context = command,
	};
	const struct kvmintro_vm *vm = &kvmintro->vm;
	struct kvmintro_record_list list;
	struct kvmintro_json json;
	char request[32];
	int ret;

	snprintf(request, sizeof(request), "%s\n", command);
	ret = kvmintro_record_list_request(kvmintro->debugfs_root, vm->dir,
					   "snapshot", request, &explainer,
					   &kvmintro_snapshot_schema, NULL,
					   &list);
	if (ret)
		return ret;
	if (kvmintro->json) {
		kvmintro_vm_json_begin(&json, stdout, vm);
		kvmintro_record_write_json_members(&json, list.records,
						   &kvmintro_snapshot_schema);
		ret = kvmintro_vm_json_end(&json);
	} else {
		ret = kvmintro_snapshot_print_table(vm, list.records, view);
	}
	kvmintro_record_list_release(&list);
	return kvmintro_check_output(ret);
}

/*
 * An explainer for the files that need registers (regs, core): ENODATA is
 * a VM that runs and was never captured.  @context is the VM's directory.
 */
int kvmintro_snapshot_explain_none(const char *path, int err,
				   const void *context)
{
	(void)path;
	if (err != -ENODATA)
		return 0;
	kvmintro_error("no capture yet: run `kvmintro snapshot %s` first (or pause the VM)",
		       (const char *)context);
	return err;
}

/**
 * kvmintro_snapshot_set() - pause, resume or capture the VM, quietly
 * @kvmintro: the command line, and the VM
 * @command: "pause", "resume" or "capture"
 * @paused: if not NULL, set to whether the VM was paused before
 *
 * For commands that pause a VM for what they do (dump): nothing is
 * printed but errors.
 *
 * Return: 0 or -errno, said.
 */
int kvmintro_snapshot_set(const struct kvmintro *kvmintro,
			  const char *command, bool *paused)
{
	const struct kvmintro_vm *vm = &kvmintro->vm;
	const struct kvmintro_debugfs_explainer explainer = {
		.explain = kvmintro_snapshot_explain_write,
		.context = command,
	};
	struct kvmintro_record_list list;
	char request[32];
	int ret;

	if (paused) {
		ret = kvmintro_record_list_request(kvmintro->debugfs_root,
						   vm->dir, "snapshot", NULL,
						   NULL, &kvmintro_snapshot_schema,
						   NULL, &list);
		if (ret)
			return ret;
		*paused = kvmintro_record_says(list.records, "state", "paused");
		kvmintro_record_list_release(&list);
	}
	snprintf(request, sizeof(request), "%s\n", command);
	return kvmintro_debugfs_write(kvmintro->debugfs_root, vm->dir,
				      "snapshot", request, strlen(request),
				      &explainer);
}

int kvmintro_cmd_snapshot(struct kvmintro *kvmintro)
{
	return kvmintro_snapshot_command(kvmintro, "capture",
					 KVMINTRO_SNAPSHOT_VIEW_CAPTURE);
}

/* kvmintro pause PID|DIR: stop every vcpu of a VM until 'kvmintro resume'. */
int kvmintro_cmd_pause(struct kvmintro *kvmintro)
{
	return kvmintro_snapshot_command(kvmintro, "pause",
					 KVMINTRO_SNAPSHOT_VIEW_PAUSE);
}

/* kvmintro resume PID|DIR: let a paused VM run again. */
int kvmintro_cmd_resume(struct kvmintro *kvmintro)
{
	return kvmintro_snapshot_command(kvmintro, "resume",
					 KVMINTRO_SNAPSHOT_VIEW_STATE);
}
