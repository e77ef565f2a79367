// SPDX-License-Identifier: GPL-2.0
/*
 * Reading kvmintro's debugfs files, and, when they cannot be read, telling
 * the user what to do: mount debugfs, load the module, or become root.
 */
#include "kvmintro.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>

/* From include/uapi/linux/magic.h: statfs()'s f_type on a debugfs mount. */
#define KVMINTRO_DEBUGFS_MAGIC 0x64626720

const char *kvmintro_modules_directory = "/lib/modules";
const char *kvmintro_lockdown_file = "/sys/kernel/security/lockdown";

#define KVMINTRO_POINT_ROOT_HINT \
	"point --debugfs or KVMINTRO_DEBUGFS at kvmintro's debugfs directory"
#define KVMINTRO_VERSION_HINT \
	"use the kvmintro CLI built with the loaded module, from the same source tree"

/* Return "<root>/<dir>/<name>", or "<root>/<name>" if @dir is NULL. */
static char *kvmintro_debugfs_path(const char *root, const char *dir,
				   const char *name)
{
	char *path;
	int ret;

	if (dir)
		ret = asprintf(&path, "%s/%s/%s", root, dir, name);
	else
		ret = asprintf(&path, "%s/%s", root, name);
	return ret < 0 ? NULL : path;
}

/* Return the directory @path is in, allocated, or NULL if memory runs out. */
static char *kvmintro_parent_directory(const char *path)
{
	char *parent = strdup(path);
	size_t length;
	char *slash;

	if (!parent)
		return NULL;
	length = strlen(parent);
	while (length > 1 && parent[length - 1] == '/')
		parent[--length] = '\0';
	slash = strrchr(parent, '/');
	if (!slash) {
		free(parent);
		return strdup(".");
	}
	slash[slash == parent ? 1 : 0] = '\0';
	return parent;
}

/*
 * Return whether modprobe finds kvmintro for kernel @release: whether
 * @modules/@release/modules.dep names a kvmintro.ko, compressed or not.
 */
bool kvmintro_module_installed(const char *modules, const char *release)
{
	bool installed = false;
	size_t capacity = 0;
	char *line = NULL;
	char *path;
	FILE *dep;

	if (asprintf(&path, "%s/%s/modules.dep", modules, release) < 0)
		return false;
	dep = fopen(path, "r");
	free(path);
	if (!dep)
		return false;
	while (!installed && getline(&line, &capacity, dep) > 0) {
		char *colon = strchr(line, ':');
		char *name;

		if (!colon)
			continue;
		*colon = '\0';
		name = strrchr(line, '/');
		name = name ? name + 1 : line;
		installed = !strcmp(name, "kvmintro.ko") ||
			    !strncmp(name, "kvmintro.ko.", strlen("kvmintro.ko."));
	}
	free(line);
	fclose(dep);
	return installed;
}

/*
 * Say how to load the module on this host, @first and @last around the
 * first line: modprobe if it is installed for the running kernel, else
 * how to install it.
 */
static void kvmintro_hint_load_module(const char *first, const char *last)
{
	struct utsname kernel;

	if (uname(&kernel)) {
		kvmintro_error("%sload the kvmintro module%s", first, last);
		return;
	}
	if (kvmintro_module_installed(kvmintro_modules_directory,
				      kernel.release)) {
		kvmintro_error("%sload the module with 'modprobe kvmintro'%s",
			       first, last);
		return;
	}
	kvmintro_error("%sload the module%s; it is not installed for this kernel (%s):",
		       first, last, kernel.release);
	kvmintro_error("install the kvmintro-dkms package and linux-headers-%s,",
		       kernel.release);
	kvmintro_error("or run 'make install' in kvmintro's source; then 'modprobe kvmintro'");
}

static bool kvmintro_is_debugfs(const char *path)
{
	struct statfs filesystem;

	return !statfs(path, &filesystem) &&
	       filesystem.f_type == KVMINTRO_DEBUGFS_MAGIC;
}

/* An empty directory where debugfs belongs is its mount point, unmounted. */
static bool kvmintro_is_empty_directory(const char *path)
{
	struct dirent *entry;
	bool empty = true;
	DIR *directory;

	directory = opendir(path);
	if (!directory)
		return false;
	while ((entry = readdir(directory))) {
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) {
			empty = false;
			break;
		}
	}
	closedir(directory);
	return empty;
}

/**
 * kvmintro_lockdown_mode() - the kernel's lockdown mode
 *
 * Return: "integrity" or "confidentiality", the word in brackets in
 * /sys/kernel/security/lockdown ("none [integrity] confidentiality"); NULL
 * for "none", or if the file cannot be read (no lockdown LSM, no
 * securityfs): nothing is known to be locked then.
 */
const char *kvmintro_lockdown_mode(void)
{
	static const char *const modes[] = { "integrity", "confidentiality" };
	char line[128], word[32];
	const char *open;
	int length = 0;
	size_t i;
	FILE *in;

	in = fopen(kvmintro_lockdown_file, "re");
	if (!in)
		return NULL;
	open = fgets(line, sizeof(line), in) ? strchr(line, '[') : NULL;
	fclose(in);
	if (!open || sscanf(open, "[%31[a-z]]%n", word, &length) != 1 || !length)
		return NULL;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(word, modes[i]))
			return modes[i];
	return NULL;
}

/**
 * kvmintro_default_root() - where the module's files are, unless told
 *
 * /sys/kernel/debug/kvmintro; /proc/kvmintro, the same files, when the
 * kernel is locked down (debugfs then opens read-only files only) or when
 * debugfs has no kvmintro directory (not mounted, or debugfs=off) but
 * /proc has.
 */
const char *kvmintro_default_root(void)
{
	if (access(KVMINTRO_PROC_ROOT, F_OK))
		return KVMINTRO_DEBUGFS_DEFAULT_ROOT;
	if (kvmintro_lockdown_mode() || access(KVMINTRO_DEBUGFS_DEFAULT_ROOT, F_OK))
		return KVMINTRO_PROC_ROOT;
	return KVMINTRO_DEBUGFS_DEFAULT_ROOT;
}

static int kvmintro_report_denied(const char *path, int err,
				  const char *action)
{
	const char *lockdown = kvmintro_lockdown_mode();

	if (err == -EPERM && !geteuid()) {
		if (!lockdown) {
			kvmintro_error("%s %s is not permitted, even to root",
				       action, path);
			kvmintro_error("is the kernel locked down? See %s",
				       kvmintro_lockdown_file);
		} else if (kvmintro_is_debugfs(path)) {
			kvmintro_error("cannot %s %s: the kernel is locked down (%s), and debugfs opens read-only files only",
				       action, path, lockdown);
			kvmintro_error("the same files are in " KVMINTRO_PROC_ROOT ", which kvmintro reads when not told otherwise (--debugfs, KVMINTRO_DEBUGFS)");
		} else {
			kvmintro_error("cannot %s %s: the kernel is locked down (%s), which forbids it",
				       action, path, lockdown);
		}
		return err;
	}
	kvmintro_error("kvmintro needs root: cannot %s %s: %s", action, path,
		       strerror(-err));
	kvmintro_error("run it as root, for example with sudo");
	return -EACCES;
}

/* Tell why @root, which does not exist, is missing. */
static int kvmintro_report_missing_root(const char *root)
{
	char *parent = kvmintro_parent_directory(root);

	if (!parent) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	if (kvmintro_is_debugfs(parent) || !strcmp(root, KVMINTRO_PROC_ROOT)) {
		kvmintro_error("%s does not exist: the kvmintro module is not loaded",
			       root);
		kvmintro_hint_load_module("", ", then try again");
	} else if (kvmintro_is_empty_directory(parent)) {
		kvmintro_error("debugfs is not mounted on %s", parent);
		kvmintro_error("mount it with 'mount -t debugfs none %s'", parent);
		kvmintro_hint_load_module("then ", "");
	} else if (access(parent, F_OK)) {
		kvmintro_error("debugfs is not mounted: %s does not exist", parent);
		kvmintro_error("mount it with 'mount -t debugfs none /sys/kernel/debug' (needs CONFIG_DEBUG_FS),");
		kvmintro_error("or " KVMINTRO_POINT_ROOT_HINT);
	} else {
		kvmintro_error("%s does not exist: is the kvmintro module loaded?",
			       root);
		kvmintro_hint_load_module("", "");
		kvmintro_error("or, if it is loaded, " KVMINTRO_POINT_ROOT_HINT);
	}
	free(parent);
	return -ENODEV;
}

/*
 * Check that @root, kvmintro's debugfs directory, is there. If it is not,
 * say why and what to do, and return -ENODEV (debugfs or module missing),
 * -EACCES (not root) or another -errno.
 */
int kvmintro_debugfs_check_root(const char *root)
{
	struct stat status;
	int err;

	if (stat(root, &status)) {
		err = -errno;
		if (err == -EACCES || err == -EPERM)
			return kvmintro_report_denied(root, err, "read");
		if (err == -ENOENT)
			return kvmintro_report_missing_root(root);
		kvmintro_error("cannot access %s: %s", root, strerror(-err));
		return err == -ENOTDIR ? -ENODEV : err;
	}
	if (!S_ISDIR(status.st_mode)) {
		kvmintro_error("%s is not a directory", root);
		kvmintro_error(KVMINTRO_POINT_ROOT_HINT);
		return -ENODEV;
	}
	return 0;
}

static bool kvmintro_vm_directory_exists(const char *root, const char *dir)
{
	char *path;
	bool exists;

	if (asprintf(&path, "%s/%s", root, dir) < 0)
		return true;
	exists = !access(path, F_OK);
	free(path);
	return exists;
}

/* A file kvmintro should have is missing: find out which part is. */
static int kvmintro_report_missing_file(const char *root, const char *path)
{
	int ret;

	ret = kvmintro_debugfs_check_root(root);
	if (ret)
		return ret;
	kvmintro_error("%s does not exist: the loaded kvmintro module does not provide it",
		       path);
	kvmintro_error(KVMINTRO_VERSION_HINT);
	return -ENOENT;
}

/*
 * Say why @action ("read", "write", "open") on @path, a file in the VM
 * directory @dir (or at the root if @dir is NULL), failed with @err, and
 * what to do. A VM whose directory is gone has exited, whatever the error:
 * return -ESRCH then, as for a VM that is exiting (ENODEV); else @err, or
 * -EACCES for "not root", -ENODEV for "no debugfs or no module".
 */
int kvmintro_debugfs_report(const char *root, const char *dir,
			    const char *path, int err, const char *action)
{
	int ret;

	if (dir && err != -EACCES && err != -EPERM && err != -ENOMEM &&
	    !kvmintro_vm_directory_exists(root, dir)) {
		ret = kvmintro_debugfs_check_root(root);
		if (ret)
			return ret;
		kvmintro_error("%s/%s is gone: the VM has exited", root, dir);
		kvmintro_error("run 'kvmintro list' to see the VMs running now");
		return -ESRCH;
	}
	switch (err) {
	case -EACCES:
	case -EPERM:
		return kvmintro_report_denied(path, err, action);
	case -ENOENT:
	case -ENOTDIR:
		return kvmintro_report_missing_file(root, path);
	case -ENODEV:
		kvmintro_error("cannot %s %s: the VM is exiting", action, path);
		return -ESRCH;
	case -EFBIG:
		kvmintro_error("%s is larger than %u MiB: it is not a file kvmintro wrote",
			       path, KVMINTRO_DEBUGFS_FILE_MAX >> 20);
		return err;
	case -ENOMEM:
		kvmintro_error("out of memory: cannot %s %s", action, path);
		return err;
	}
	kvmintro_error("cannot %s %s: %s", action, path, strerror(-err));
	return err;
}

/* Let @explainer say what @err means, if it knows; else return 0. */
static int kvmintro_explained(const struct kvmintro_debugfs_explainer *explainer,
			      const char *path, int err)
{
	return explainer ? explainer->explain(path, err, explainer->context) : 0;
}

/*
 * Open "<root>/<dir>/<name>" (or "<root>/<name>" without @dir) with @flags
 * and return the file descriptor; set @path, which the caller frees. On
 * failure let @explainer (if not NULL) say why, else say it and what to do
 * (kvmintro_debugfs_report() for @action), free @path and return -errno.
 */
static int kvmintro_debugfs_open_flags(const char *root, const char *dir,
				       const char *name, int flags,
				       const char *action,
				       const struct kvmintro_debugfs_explainer *explainer,
				       char **path)
{
	int fd;

	*path = kvmintro_debugfs_path(root, dir, name);
	if (!*path) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	fd = open(*path, flags | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	fd = -errno;
	fd = kvmintro_explained(explainer, *path, fd) ?:
	     kvmintro_debugfs_report(root, dir, *path, fd, action);
	free(*path);
	*path = NULL;
	return fd;
}

/*
 * Open a file for reading a piece at a time, with pread(); see
 * kvmintro_debugfs_open_flags(). Later errors are for the caller to report,
 * with kvmintro_debugfs_report().
 */
int kvmintro_debugfs_open(const char *root, const char *dir, const char *name,
			  const struct kvmintro_debugfs_explainer *explainer,
			  char **path)
{
	return kvmintro_debugfs_open_flags(root, dir, name, O_RDONLY, "read",
					   explainer, path);
}

/* Write @text in one write() to @fd; return 0 or -errno. */
static int kvmintro_write_once(int fd, const char *text, size_t length)
{
	ssize_t count;

	do {
		count = write(fd, text, length);
	} while (count < 0 && errno == EINTR);
	if (count < 0)
		return -errno;
	return (size_t)count == length ? 0 : -EIO;
}

/*
 * Write @text to "<root>/<dir>/<name>" in one write(), as the module's
 * command files want: they take a whole request per write and keep no file
 * position. On failure let @explainer (if not NULL) say why, else say it
 * and what to do, and return -errno: -EPROTO if the module refused the
 * text (EINVAL), else see kvmintro_debugfs_report().
 *
 * The file is opened, written and closed: the module keeps its reply per
 * VM, and a fresh open reads it from the start. This also works, and can
 * be tested, on a regular file.
 */
int kvmintro_debugfs_write(const char *root, const char *dir, const char *name,
			   const char *text, size_t length,
			   const struct kvmintro_debugfs_explainer *explainer)
{
	char quoted[KVMINTRO_QUOTE_MAX];
	int fd, ret, explained;
	char *path;

	fd = kvmintro_debugfs_open_flags(root, dir, name, O_WRONLY, "write",
					 explainer, &path);
	if (fd < 0)
		return fd;
	ret = kvmintro_write_once(fd, text, length);
	if (close(fd) && !ret)
		ret = -errno;
	explained = ret ? kvmintro_explained(explainer, path, ret) : 0;
	if (explained) {
		ret = explained;
	} else if (ret == -EINVAL) {
		kvmintro_format_quote(text, length, quoted, sizeof(quoted));
		kvmintro_error("the module refused what was written to %s: %s",
			       path, quoted);
		kvmintro_error(KVMINTRO_VERSION_HINT);
		ret = -EPROTO;
	} else if (ret) {
		ret = kvmintro_debugfs_report(root, dir, path, ret, "write");
	}
	free(path);
	return ret;
}

/*
 * Say why the text of @path, a file kvmintro wrote, is not what this CLI
 * reads (@err from a parser, @error from kvmintro_parse_fail()), naming
 * the line at fault.
 */
void kvmintro_debugfs_report_parse_error(const char *path, int err,
					 const struct kvmintro_parse_error *error)
{
	if (error->line)
		kvmintro_error("%s:%zu: %s", path, error->line, error->message);
	else
		kvmintro_error("%s: %s", path, error->message);
	if (err != -EBADMSG)
		return;
	if (error->line)
		kvmintro_error("the line reads %s", error->line_text);
	kvmintro_error("this CLI cannot read what the module wrote: "
		       KVMINTRO_VERSION_HINT);
}

/*
 * Read all of "<root>/<dir>/<name>" (or "<root>/<name>" without @dir) into
 * @text, NUL-terminated, its length in @length, and set @path; the caller
 * frees both. debugfs files report no size (seq_file makes them up as they
 * are read), so the whole file is read until read() returns 0. On failure
 * let @explainer (if not NULL) say why, else say it and what to do (see
 * kvmintro_debugfs_report()), and return -errno.
 */
int kvmintro_debugfs_read_file(const char *root, const char *dir,
			       const char *name,
			       const struct kvmintro_debugfs_explainer *explainer,
			       char **text, size_t *length, char **path)
{
	int fd, ret;

	fd = kvmintro_debugfs_open(root, dir, name, explainer, path);
	if (fd < 0)
		return fd;
	ret = kvmintro_read_fd(fd, KVMINTRO_DEBUGFS_FILE_MAX, text, length);
	close(fd);
	if (!ret)
		return 0;
	ret = kvmintro_explained(explainer, *path, ret) ?:
	      kvmintro_debugfs_report(root, dir, *path, ret, "read");
	free(*path);
	*path = NULL;
	return ret;
}

static int kvmintro_compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Find the entries of the VM directory @dir named @prefix and a number
 * (like "vcpu0", "vcpu1") and put the numbers in @numbers, a uint64_t
 * array the caller releases, sorted. Fail like kvmintro_debugfs_read_file().
 */
int kvmintro_debugfs_list_numbered(const char *root, const char *dir,
				   const char *prefix,
				   struct kvmintro_array *numbers)
{
	size_t length = strlen(prefix);
	struct dirent *entry;
	uint64_t *number;
	DIR *directory;
	char *path;
	int ret = 0;

	kvmintro_array_init(numbers, sizeof(uint64_t));
	path = kvmintro_debugfs_path(root, NULL, dir);
	if (!path) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	directory = opendir(path);
	if (!directory) {
		ret = kvmintro_debugfs_report(root, dir, path, -errno, "read");
		free(path);
		return ret;
	}
	while (!ret && (entry = readdir(directory))) {
		if (strncmp(entry->d_name, prefix, length))
			continue;
		number = kvmintro_array_append(numbers);
		if (!number)
			ret = -ENOMEM;
		else if (kvmintro_parse_digits(entry->d_name + length,
					       strlen(entry->d_name + length),
					       10, number))
			numbers->count--;
	}
	closedir(directory);
	free(path);
	if (ret) {
		kvmintro_error("out of memory");
		kvmintro_array_release(numbers);
		return ret;
	}
	if (numbers->count)
		qsort(numbers->elements, numbers->count, sizeof(uint64_t),
		      kvmintro_compare_u64);
	return 0;
}
