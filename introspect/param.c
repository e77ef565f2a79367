// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters with bounds: a value out of range is refused with
 * -EINVAL, at load and through /sys/module/kvmintro/parameters/, and the
 * parameter keeps its value.
 */
#include <linux/moduleparam.h>

#include "kvmintro.h"

static int kvmintro_param_uint_set(const char *val,
				   const struct kernel_param *kp)
{
	struct kvmintro_param_uint *param = kp->arg;
	unsigned int value;

	if (kstrtouint(val, 0, &value) || value < param->min ||
	    value > param->max)
		return -EINVAL;
	WRITE_ONCE(param->value, value);
	return 0;
}

static int kvmintro_param_uint_get(char *buffer,
				   const struct kernel_param *kp)
{
	const struct kvmintro_param_uint *param = kp->arg;

	return sysfs_emit(buffer, "%u\n", READ_ONCE(param->value));
}

const struct kernel_param_ops kvmintro_param_uint_ops = {
	.set = kvmintro_param_uint_set,
	.get = kvmintro_param_uint_get,
};
