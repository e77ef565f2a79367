// SPDX-License-Identifier: GPL-2.0
/*
 * Reading kvmintro's debugfs files, and, when they cannot be read, telling
 * the user why and what to do: mount debugfs, load the module, become root.
 * The reasons are one table, kvmintro_diagnoses[], tried in order.
 */
#include "kvmintro.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>

const char *kvmintro_modules_directory = "/lib/modules";
const char *kvmintro_lockdown_file = "/sys/kernel/security/lockdown";

#define KVMINTRO_POINT_ROOT_HINT \
	"point --debugfs or KVMINTRO_DEBUGFS at kvmintro's debugfs directory"
#define KVMINTRO_VERSION_HINT \
	"use the kvmintro CLI built with the loaded module, from the same source tree"

/* What may be true of a failed access; a diagnosis names those it needs. */
enum kvmintro_fact {
	KVMINTRO_AS_ROOT = 1 << 0,	/* the CLI runs as root */
	KVMINTRO_LOCKED_DOWN = 1 << 1,	/* kvmintro_lockdown_mode() names one */
	KVMINTRO_DENIED = 1 << 2,	/* the error is EACCES or EPERM */
	KVMINTRO_AT_ROOT = 1 << 3,	/* the root is missing or unusable */
	KVMINTRO_NOT_DIRECTORY = 1 << 4, /* the root is there, not a directory */
	KVMINTRO_IN_DEBUGFS = 1 << 5,	/* the parent is a debugfs mount */
	KVMINTRO_IN_KERNEL_FS = 1 << 6,	/* the parent is debugfs or /proc */
	KVMINTRO_EMPTY_PARENT = 1 << 7,	/* the parent is an empty directory */
	KVMINTRO_NO_PARENT = 1 << 8,	/* the parent is not there either */
	KVMINTRO_VM_GONE = 1 << 9,	/* the VM's directory is gone */
	KVMINTRO_WRITTEN = 1 << 10,	/* write() of a request failed */
};

/**
 * struct kvmintro_diagnosis - one reason an access fails, and what to do
 * @err: the error it explains, or 0 for any
 * @facts: what else must be true, enum kvmintro_fact or'ed
 * @ret: what to return, or 0 for the error
 * @message: its lines, separated by '\n'; {name} stands for a value of
 *	struct kvmintro_failure (see kvmintro_failure_say())
 */
struct kvmintro_diagnosis {
	int err;
	unsigned int facts;
	int ret;
	const char *message;
};

/* The first that applies is said; the last applies to any failure. */
static const struct kvmintro_diagnosis kvmintro_diagnoses[] = {
	{ -EPERM, KVMINTRO_AS_ROOT | KVMINTRO_LOCKED_DOWN | KVMINTRO_IN_DEBUGFS, 0,
	  "cannot {action} {path}: the kernel is locked down ({lockdown}), and debugfs opens read-only files only\n"
	  "the same files are in " KVMINTRO_PROC_ROOT ", which kvmintro reads when not told otherwise (--debugfs, KVMINTRO_DEBUGFS)" },
	{ -EPERM, KVMINTRO_AS_ROOT | KVMINTRO_LOCKED_DOWN, 0,
	  "cannot {action} {path}: the kernel is locked down ({lockdown}), which forbids it" },
	{ -EPERM, KVMINTRO_AS_ROOT, 0,
	  "{action} {path} is not permitted, even to root\n"
	  "is the kernel locked down? See {lockdown_file}" },
	{ 0, KVMINTRO_DENIED, -EACCES,
	  "kvmintro needs root: cannot {action} {path}: {error}\n"
	  "run it as root, for example with sudo" },
	{ -ENOENT, KVMINTRO_AT_ROOT | KVMINTRO_IN_KERNEL_FS, -ENODEV,
	  "{path} does not exist: the kvmintro module is not loaded\n"
	  "load the module{modprobe}, then try again{install}" },
	{ -ENOENT, KVMINTRO_AT_ROOT | KVMINTRO_EMPTY_PARENT, -ENODEV,
	  "debugfs is not mounted on {parent}\n"
	  "mount it with 'mount -t debugfs none {parent}'\n"
	  "then load the module{modprobe}{install}" },
	{ -ENOENT, KVMINTRO_AT_ROOT | KVMINTRO_NO_PARENT, -ENODEV,
	  "debugfs is not mounted: {parent} does not exist\n"
	  "mount it with 'mount -t debugfs none /sys/kernel/debug' (needs CONFIG_DEBUG_FS),\n"
	  "or " KVMINTRO_POINT_ROOT_HINT },
	{ -ENOENT, KVMINTRO_AT_ROOT, -ENODEV,
	  "{path} does not exist: is the kvmintro module loaded?\n"
	  "load the module{modprobe}{install}\n"
	  "or, if it is loaded, " KVMINTRO_POINT_ROOT_HINT },
	{ -ENOTDIR, KVMINTRO_AT_ROOT | KVMINTRO_NOT_DIRECTORY, -ENODEV,
	  "{path} is not a directory\n" KVMINTRO_POINT_ROOT_HINT },
	{ -ENOTDIR, KVMINTRO_AT_ROOT, -ENODEV, "cannot {action} {path}: {error}" },
	{ 0, KVMINTRO_VM_GONE, -ESRCH,
	  "{root}/{dir} is gone: the VM has exited\n"
	  "run 'kvmintro list' to see the VMs running now" },
	{ -ENOENT, 0, 0,
	  "{path} does not exist: the loaded kvmintro module does not provide it\n"
	  KVMINTRO_VERSION_HINT },
	{ -ENODEV, 0, -ESRCH, "cannot {action} {path}: the VM is exiting" },
	{ -EFBIG, 0, 0,
	  "{path} is larger than 16 MiB: it is not a file kvmintro wrote" },
	{ -EINVAL, KVMINTRO_WRITTEN, -EPROTO,
	  "the module refused what was written to {path}: {text}\n"
	  KVMINTRO_VERSION_HINT },
	{ 0, 0, 0, "cannot {action} {path}: {error}" },
};
_Static_assert(KVMINTRO_DEBUGFS_FILE_MAX == 16u << 20,
	       "kvmintro_diagnoses[] says 16 MiB");

/**
 * struct kvmintro_failure - a failed access, and what is known of it
 * @root: kvmintro's debugfs directory
 * @dir: the VM directory the file is in, or NULL
 * @path: the file, or @root if that is at fault
 * @action: "read", "write", or "access" for @root
 * @err: what failed, -errno
 * @text: a write()'s text, quoted, or NULL
 * @lockdown: kvmintro_lockdown_mode()
 * @parent: the directory @path is in
 * @modprobe: how to load the module if modprobe finds it, or ""
 * @install: how to install it if modprobe does not, or ""
 */
struct kvmintro_failure {
	const char *root;
	const char *dir;
	const char *path;
	const char *action;
	int err;
	const char *text;
	const char *lockdown;
	const char *parent;
	const char *modprobe;
	const char *install;
};

/* Return "<root>/<dir>/<name>", or "<root>/<name>" if @dir is NULL. */
static char *kvmintro_debugfs_path(const char *root, const char *dir,
				   const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s%s%s", root, dir ?: "", dir ? "/" : "",
		     name) < 0)
		return NULL;
	return path;
}

/*
 * Return whether modprobe finds kvmintro for kernel @release: whether
 * @modules/@release/modules.dep names a kvmintro.ko, compressed or not.
 */
bool kvmintro_module_installed(const char *modules, const char *release)
{
	char *path = kvmintro_debugfs_path(modules, release, "modules.dep");
	char *text = NULL, *line, *next, *name;
	bool installed = false;
	size_t length;

	if (!path || kvmintro_read_file(path, &text, &length))
		text = NULL;
	for (line = text ? strtok_r(text, "\n", &next) : NULL;
	     line && !installed; line = strtok_r(NULL, "\n", &next)) {
		/* The module a line is about: before its ':', without its dir. */
		line[strcspn(line, ":")] = '\0';
		name = basename(line);
		installed = !fnmatch("kvmintro.ko", name, 0) ||
			    !fnmatch("kvmintro.ko.*", name, 0);
	}
	free(text);
	free(path);
	return installed;
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
	const char *mode = NULL;
	char *line, bracketed[32];
	size_t length, i;

	if (kvmintro_read_file(kvmintro_lockdown_file, &line, &length))
		return NULL;
	for (i = 0; !mode && i < ARRAY_SIZE(modes); i++) {
		snprintf(bracketed, sizeof(bracketed), "[%s]", modes[i]);
		if (strstr(line, bracketed))
			mode = modes[i];
	}
	free(line);
	return mode;
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

/* An empty directory where debugfs belongs is its mount point, unmounted. */
static bool kvmintro_is_empty_directory(const char *path)
{
	DIR *directory = opendir(path);
	struct dirent *entry;
	int entries = 0;

	if (!directory)
		return false;
	while ((entry = readdir(directory)))
		entries += strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..");
	closedir(directory);
	return !entries;
}

/* Put @text on stderr, up to @end, with "kvmintro: " after each newline. */
static void kvmintro_put_lines(const char *text, const char *end)
{
	for (; text != end && *text; text++) {
		if (*text == '\n')
			fputs("\nkvmintro: ", stderr);
		else
			fputc(*text, stderr);
	}
}

/* Say @message, as kvmintro_error() does, each {name} in it replaced. */
static void kvmintro_failure_say(const struct kvmintro_failure *failure,
				 const char *message)
{
	const struct {
		const char *name;
		const char *value;
	} values[] = {
		{ "path", failure->path }, { "action", failure->action },
		{ "root", failure->root }, { "dir", failure->dir },
		{ "parent", failure->parent }, { "error", strerror(-failure->err) },
		{ "lockdown", failure->lockdown },
		{ "lockdown_file", kvmintro_lockdown_file },
		{ "modprobe", failure->modprobe },
		{ "install", failure->install }, { "text", failure->text },
	};
	const char *name;
	size_t i;

	fputs("kvmintro: ", stderr);
	while (*message) {
		name = strchrnul(message, '{');
		kvmintro_put_lines(message, name);
		if (!*name++)
			break;
		message = strchr(name, '}');
		for (i = 0; i < ARRAY_SIZE(values); i++)
			if (strlen(values[i].name) == (size_t)(message - name) &&
			    !strncmp(name, values[i].name, message - name))
				kvmintro_put_lines(values[i].value ?: "", NULL);
		message++;
	}
	fputc('\n', stderr);
}

/*
 * Say why @failure failed and what to do, and return the error to return.
 * Find out what is true of it, then say the first diagnosis that applies.
 * Unless access was denied, look at the root first: if it is missing or no
 * directory, it is at fault, and @failure becomes about it.
 */
static int kvmintro_failure_report(struct kvmintro_failure *failure)
{
	const struct kvmintro_diagnosis *diagnosis = kvmintro_diagnoses;
	unsigned int facts = geteuid() ? 0 : KVMINTRO_AS_ROOT;
	char directory[PATH_MAX], install[512] = "";
	struct statfs filesystem;
	struct utsname kernel;
	struct stat status;
	char *path;
	int err = 0;

	if (failure->err != -EACCES && failure->err != -EPERM) {
		if (stat(failure->root, &status)) {
			err = -errno;
		} else if (!S_ISDIR(status.st_mode)) {
			err = -ENOTDIR;
			facts |= KVMINTRO_NOT_DIRECTORY;
		}
	}
	if (err) {
		facts |= KVMINTRO_AT_ROOT;
		failure->path = failure->root;
		failure->action = "access";
		failure->err = err;
	} else if (failure->dir) {
		path = kvmintro_debugfs_path(failure->root, NULL, failure->dir);
		if (path && access(path, F_OK))
			facts |= KVMINTRO_VM_GONE;
		free(path);
	}
	if (failure->err == -EACCES || failure->err == -EPERM)
		facts |= KVMINTRO_DENIED;
	failure->lockdown = kvmintro_lockdown_mode();
	if (failure->lockdown)
		facts |= KVMINTRO_LOCKED_DOWN;
	if (failure->text)
		facts |= KVMINTRO_WRITTEN;

	snprintf(directory, sizeof(directory), "%s", failure->path);
	failure->parent = dirname(directory);
	if (statfs(failure->parent, &filesystem))
		facts |= KVMINTRO_NO_PARENT;
	else if (filesystem.f_type == DEBUGFS_MAGIC)
		facts |= KVMINTRO_IN_DEBUGFS | KVMINTRO_IN_KERNEL_FS;
	else if (filesystem.f_type == PROC_SUPER_MAGIC)
		facts |= KVMINTRO_IN_KERNEL_FS;
	if (kvmintro_is_empty_directory(failure->parent))
		facts |= KVMINTRO_EMPTY_PARENT;

	failure->modprobe = "";
	failure->install = install;
	if (!uname(&kernel) &&
	    !kvmintro_module_installed(kvmintro_modules_directory,
				       kernel.release))
		snprintf(install, sizeof(install),
			 "; it is not installed for this kernel (%s):\n"
			 "install the kvmintro-dkms package and linux-headers-%s,\n"
			 "or run 'make install' in kvmintro's source; then 'modprobe kvmintro'",
			 kernel.release, kernel.release);
	else
		failure->modprobe = " with 'modprobe kvmintro'";

	while ((diagnosis->err && diagnosis->err != failure->err) ||
	       (diagnosis->facts & facts) != diagnosis->facts)
		diagnosis++;
	kvmintro_failure_say(failure, diagnosis->message);
	return diagnosis->ret ?: failure->err;
}

/*
 * Say why @action ("read" or "write") on @path, a file in the VM
 * directory @dir (or at the root if @dir is NULL), failed with @err, and
 * what to do. A VM whose directory is gone has exited, whatever the error:
 * return -ESRCH then, as for a VM that is exiting (ENODEV); else @err, or
 * -EACCES for "not root", -ENODEV for "no debugfs or no module".
 */
int kvmintro_debugfs_report(const char *root, const char *dir,
			    const char *path, int err, const char *action)
{
	struct kvmintro_failure failure = {
		.root = root, .dir = dir, .path = path, .action = action,
		.err = err,
	};

	return kvmintro_failure_report(&failure);
}

/*
 * Open "<root>/<dir>/<name>" (or "<root>/<name>" without @dir) and set
 * @path, which the caller frees. Then write @text, @length bytes, if not
 * NULL, in one write(), and close; else read it all into @contents, its
 * length in @length, if not NULL, and close; else return the descriptor.
 * On failure let @explainer (if not NULL) say why, else say it and what
 * to do (kvmintro_debugfs_report(); -EPROTO if the module refused @text),
 * free @path and return -errno.
 */
static int kvmintro_debugfs_access(const char *root, const char *dir,
				   const char *name,
				   const struct kvmintro_debugfs_explainer *explainer,
				   const char *text, char **contents,
				   size_t *length, char **path)
{
	struct kvmintro_failure failure = {
		.root = root, .dir = dir, .action = text ? "write" : "read",
	};
	char quoted[KVMINTRO_QUOTE_MAX];
	ssize_t count;
	int fd, ret;

	failure.path = *path = kvmintro_debugfs_path(root, dir, name);
	if (!*path) {
		kvmintro_error("out of memory");
		return -ENOMEM;
	}
	fd = open(*path, (text ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		failure.err = -errno;
	} else if (text) {
		count = write(fd, text, *length);
		failure.err = count < 0 ? -errno : (size_t)count == *length ? 0 : -EIO;
		kvmintro_format_quote(text, *length, quoted, sizeof(quoted));
		failure.text = quoted;
	} else if (contents) {
		failure.err = kvmintro_read_fd(fd, KVMINTRO_DEBUGFS_FILE_MAX,
					       contents, length);
	} else {
		return fd;
	}
	if (fd >= 0 && close(fd) && !failure.err)
		failure.err = -errno;
	if (!failure.err)
		return 0;
	ret = explainer ? explainer->explain(*path, failure.err,
					     explainer->context) : 0;
	ret = ret ?: kvmintro_failure_report(&failure);
	free(*path);
	*path = NULL;
	return ret;
}

/*
 * Open a file for reading a piece at a time, with pread(); see
 * kvmintro_debugfs_access(). Later errors are for the caller to report,
 * with kvmintro_debugfs_report().
 */
int kvmintro_debugfs_open(const char *root, const char *dir, const char *name,
			  const struct kvmintro_debugfs_explainer *explainer,
			  char **path)
{
	return kvmintro_debugfs_access(root, dir, name, explainer, NULL, NULL,
				       NULL, path);
}

/*
 * Write @text to "<root>/<dir>/<name>" in one write(), as the module's
 * command files want: they take a whole request per write and keep no file
 * position. Fail like kvmintro_debugfs_access().
 *
 * The file is opened, written and closed: the module keeps its reply per
 * VM, and a fresh open reads it from the start. This also works, and can
 * be tested, on a regular file.
 */
int kvmintro_debugfs_write(const char *root, const char *dir, const char *name,
			   const char *text, size_t length,
			   const struct kvmintro_debugfs_explainer *explainer)
{
	char *path;
	int ret;

	ret = kvmintro_debugfs_access(root, dir, name, explainer, text, NULL,
				      &length, &path);
	free(path);
	return ret;
}

/*
 * Read all of "<root>/<dir>/<name>" (or "<root>/<name>" without @dir) into
 * @text, NUL-terminated, its length in @length, and set @path; the caller
 * frees both. debugfs files report no size (seq_file makes them up as they
 * are read), so the whole file is read until read() returns 0. Fail like
 * kvmintro_debugfs_access().
 */
int kvmintro_debugfs_read_file(const char *root, const char *dir,
			       const char *name,
			       const struct kvmintro_debugfs_explainer *explainer,
			       char **text, size_t *length, char **path)
{
	return kvmintro_debugfs_access(root, dir, name, explainer, NULL, text,
				       length, path);
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
	char *path = kvmintro_debugfs_path(root, NULL, dir);
	DIR *directory = path ? opendir(path) : NULL;
	size_t length = strlen(prefix);
	struct dirent *entry;
	uint64_t *number;
	int ret;

	kvmintro_array_init(numbers, sizeof(uint64_t));
	if (!directory) {
		ret = kvmintro_debugfs_report(root, dir, path ?: dir,
					      path ? -errno : -ENOMEM, "read");
		free(path);
		return ret;
	}
	ret = 0;
	while (!ret && (entry = readdir(directory))) {
		if (strncmp(entry->d_name, prefix, length))
			continue;
		number = kvmintro_array_append(numbers);
		ret = number ? 0 : -ENOMEM;
		if (number && kvmintro_parse_digits(entry->d_name + length,
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
