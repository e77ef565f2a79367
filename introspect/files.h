/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One entry of the table of kvmintro's files (introspect/debugfs.c, and
 * the architecture's, introspect/arch.h): which directories have the
 * file, its name, its mode and its operations.  Creation walks the
 * tables; nothing else makes a file.
 */
#ifndef KVMINTRO_FILES_H
#define KVMINTRO_FILES_H

#include <linux/fs.h>
#include <linux/types.h>

/**
 * enum kvmintro_file_scope - which directories have a file
 * @KVMINTRO_FILE_ROOT:	the roots, once; its inode->i_private is NULL
 * @KVMINTRO_FILE_VM:	each VM's directory; i_private its struct kvmintro_vm
 * @KVMINTRO_FILE_VCPU:	each vcpu<N> directory; i_private its struct
 *			kvmintro_vcpu
 */
enum kvmintro_file_scope {
	KVMINTRO_FILE_ROOT,
	KVMINTRO_FILE_VM,
	KVMINTRO_FILE_VCPU,
};

/**
 * struct kvmintro_file - one file of kvmintro's trees
 * @name:	its name
 * @mode:	its permissions
 * @may_write:	if set, asked when the file is made: false takes the
 *		write bits off @mode (a module parameter's choice)
 * @scope:	which directories have it
 * @fops:	its operations, owned by this module
 */
struct kvmintro_file {
	const char *name;
	umode_t mode;
	bool (*may_write)(void);
	enum kvmintro_file_scope scope;
	const struct file_operations *fops;
};

#define KVMINTRO_FILE(_scope, _name, _mode, _fops)			\
	{ .name = (_name), .mode = (_mode), .scope = (_scope),		\
	  .fops = (_fops) }

#endif /* KVMINTRO_FILES_H */
