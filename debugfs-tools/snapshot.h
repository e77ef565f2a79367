/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_SNAPSHOT_H
#define KVMINTRO_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kvmintro.h"
#include "parse.h"
#include "vm.h"

#define KVMINTRO_SNAPSHOT_STATE_MAX 16

/**
 * struct kvmintro_snapshot - a VM's "snapshot" file: its pause state and
 * its latest capture
 * @state: "running" or "paused"
 * @pauses: pauses so far
 * @pause_latency_ns: time from request to all vcpus stopped, latest pause
 * @generation: the latest capture's number, 0 if there is none (then the
 *	fields below are 0)
 * @captured: when it was taken, CLOCK_REALTIME
 * @capture_pause_latency_ns: the latency of the pause it was taken in
 * @vcpus: vcpus captured
 */
struct kvmintro_snapshot {
	char state[KVMINTRO_SNAPSHOT_STATE_MAX];
	uint64_t pauses;
	uint64_t pause_latency_ns;
	uint64_t generation;
	struct kvmintro_time captured;
	uint64_t capture_pause_latency_ns;
	uint64_t vcpus;
};

/* What a command shows of the snapshot file in a table. */
enum kvmintro_snapshot_view {
	KVMINTRO_SNAPSHOT_VIEW_STATE,	/* the state */
	KVMINTRO_SNAPSHOT_VIEW_PAUSE,	/* the state and the pause latency */
	KVMINTRO_SNAPSHOT_VIEW_CAPTURE,	/* all of it */
};

int kvmintro_snapshot_parse(const char *text, size_t length,
			    struct kvmintro_snapshot *snapshot,
			    struct kvmintro_parse_error *error);
int kvmintro_snapshot_explain_write(const char *path, int err,
				    const void *context);
int kvmintro_snapshot_apply(const char *root, const struct kvmintro_vm *vm,
			    const char *command,
			    struct kvmintro_snapshot *snapshot);
int kvmintro_snapshot_print_table(const struct kvmintro_vm *vm,
				  const struct kvmintro_snapshot *snapshot,
				  enum kvmintro_snapshot_view view, FILE *out);
int kvmintro_snapshot_print_json(const struct kvmintro_vm *vm,
				 const struct kvmintro_snapshot *snapshot,
				 FILE *out);
int kvmintro_snapshot_run(const struct kvmintro *kvmintro,
			  const struct kvmintro_vm *vm, const char *command,
			  enum kvmintro_snapshot_view view);

/* In builtin-snapshot.c, for the commands of the snapshot file. */
int kvmintro_snapshot_command(struct kvmintro *kvmintro, const char *name,
			      int argc, char **argv, const char *command,
			      enum kvmintro_snapshot_view view);

#endif /* KVMINTRO_SNAPSHOT_H */
