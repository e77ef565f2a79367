/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_DEBUGFS_H
#define KVMINTRO_DEBUGFS_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

#define KVMINTRO_DEBUGFS_DEFAULT_ROOT "/sys/kernel/debug/kvmintro"
/* The same files where lockdown does not reach (Documentation/security.rst). */
#define KVMINTRO_PROC_ROOT "/proc/kvmintro"
/* A debugfs file larger than this is not one kvmintro wrote. */
#define KVMINTRO_DEBUGFS_FILE_MAX (16u << 20)

/**
 * struct kvmintro_debugfs_explainer - errors only one file has
 * @explain: if @err means something particular for the file at @path
 *	(like ETIMEDOUT from a pause), say what and return the error to
 *	return; else return 0 for the usual messages
 * @context: passed to @explain
 */
struct kvmintro_debugfs_explainer {
	int (*explain)(const char *path, int err, const void *context);
	const void *context;
};

/*
 * Parses the whole text of a file, like kvmintro_record_list_parse(): returns
 * 0, or -errno with @error saying why and where.
 */
typedef int (*kvmintro_file_parser_fn)(void *context, const char *text,
				       size_t length,
				       struct kvmintro_parse_error *error);

/* Where modprobe finds modules: "/lib/modules"; the unit tests change it. */
extern const char *kvmintro_modules_directory;

/* Where the kernel says its lockdown mode; the unit tests change it. */
extern const char *kvmintro_lockdown_file;

bool kvmintro_module_installed(const char *modules, const char *release);
const char *kvmintro_lockdown_mode(void);
const char *kvmintro_default_root(void);
int kvmintro_debugfs_check_root(const char *root);
int kvmintro_debugfs_report(const char *root, const char *dir,
			    const char *path, int err, const char *action);
int kvmintro_debugfs_open(const char *root, const char *dir, const char *name,
			  const struct kvmintro_debugfs_explainer *explainer,
			  char **path);
int kvmintro_debugfs_write(const char *root, const char *dir, const char *name,
			   const char *text, size_t length,
			   const struct kvmintro_debugfs_explainer *explainer);
int kvmintro_debugfs_request(const char *root, const char *dir,
			     const char *name, const char *request,
			     const struct kvmintro_debugfs_explainer *explainer,
			     kvmintro_file_parser_fn parse, void *context);
int kvmintro_debugfs_load_file(const char *root, const char *dir,
			       const char *name,
			       const struct kvmintro_debugfs_explainer *explainer,
			       kvmintro_file_parser_fn parse, void *context);
int kvmintro_debugfs_list_numbered(const char *root, const char *dir,
				   const char *prefix,
				   struct kvmintro_array *numbers);

#endif /* KVMINTRO_DEBUGFS_H */
