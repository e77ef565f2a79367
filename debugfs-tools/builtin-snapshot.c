// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro snapshot PID|DIR: record the registers of every vcpu; and what
 * the commands of the snapshot file (pause, resume, snapshot) share.
 */
#include "kvmintro.h"
#include "snapshot.h"

/*
 * Run command @name: find the VM its command line names, write @command
 * to the VM's snapshot file and show the state it reads back, as @view
 * says.
 */
int kvmintro_snapshot_command(struct kvmintro *kvmintro, const char *name,
			      int argc, char **argv, const char *command,
			      enum kvmintro_snapshot_view view)
{
	struct kvmintro_vm vm;
	int ret;

	ret = kvmintro_get_vm(kvmintro, name, NULL, &argc, argv, &vm);
	if (ret)
		return ret;
	return kvmintro_snapshot_run(kvmintro, &vm, command, view);
}

int kvmintro_cmd_snapshot(struct kvmintro *kvmintro, int argc, char **argv)
{
	return kvmintro_snapshot_command(kvmintro, "snapshot", argc, argv,
					 "capture",
					 KVMINTRO_SNAPSHOT_VIEW_CAPTURE);
}
