// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro pause PID|DIR: stop every vcpu of a VM until 'kvmintro resume'.
 */
#include "kvmintro.h"

int kvmintro_cmd_pause(struct kvmintro *kvmintro, int argc, char **argv)
{
	return kvmintro_snapshot_command(kvmintro, "pause", argc, argv, "pause",
					 KVMINTRO_SNAPSHOT_VIEW_PAUSE);
}
