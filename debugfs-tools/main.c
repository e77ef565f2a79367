// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro: look into the KVM VMs running on this host through the debugfs
 * files of the kvmintro kernel module. kvmintro.c has all of it, so that
 * the unit tests link it, and every command, but for main().
 */
#include "kvmintro.h"

int main(int argc, char **argv)
{
	return kvmintro_main(argc, argv);
}
