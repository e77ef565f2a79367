// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro resume PID|DIR: let a paused VM run again.
 */
#include "kvmintro.h"

int kvmintro_cmd_resume(struct kvmintro *kvmintro, int argc, char **argv)
{
	return kvmintro_snapshot_command(kvmintro, "resume", argc, argv, "resume",
					 KVMINTRO_SNAPSHOT_VIEW_STATE);
}
