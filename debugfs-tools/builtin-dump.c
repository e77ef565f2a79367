// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro dump PID|DIR FILE [--live]: the VM's memory as an ELF core file
 * (the module's core file: Documentation/debugfs.rst), copied to FILE.
 * FILE is sparse: every 4 KiB block of zeros, pages the guest never
 * touched included, is a hole.  The VM is paused while it is copied and
 * resumed after, unless it was paused before; --live copies it running.
 * SIGINT, SIGTERM and SIGHUP stop the copy, and the VM is resumed before
 * the program dies of them.
 */
#include "kvmintro.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

/* Read from the core at once, and the unit of holes. */
#define KVMINTRO_DUMP_CHUNK	(4u << 20)
#define KVMINTRO_DUMP_BLOCK	4096u

/*
 * The signal that asked the copy to stop (SIGINT, SIGTERM, SIGHUP), or 0:
 * the copy stops, the VM is resumed, then the signal is raised again.
 */
static volatile sig_atomic_t kvmintro_dump_stop;

static void kvmintro_dump_on_signal(int signal)
{
	kvmintro_dump_stop = signal;
}

/*
 * Stop the copy, not the program, on these signals.  SA_RESTART: a read of
 * the core or a write of the snapshot file is not cut short; the copy
 * checks for a signal between its reads (4 MiB).
 */
static void kvmintro_dump_catch_signals(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction action = {
		.sa_handler = kvmintro_dump_on_signal,
		.sa_flags = SA_RESTART,
	};
	size_t i;

	sigemptyset(&action.sa_mask);
	for (i = 0; i < ARRAY_SIZE(signals); i++)
		sigaction(signals[i], &action, NULL);
}

/* Die of the signal that stopped the copy, as if it had not been caught. */
static void kvmintro_dump_reraise(void)
{
	int signal = kvmintro_dump_stop;

	if (!signal)
		return;
	sigaction(signal, &(struct sigaction){ .sa_handler = SIG_DFL }, NULL);
	raise(signal);
}

static double kvmintro_dump_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Bytes, speed and time left, on one line of a terminal. */
static void kvmintro_dump_progress(uint64_t done, uint64_t total,
				   double start, bool last)
{
	double seconds = kvmintro_dump_now() - start;
	double rate = seconds > 0 ? done / seconds : 0;

	if (done > total)
		total = done;
	fprintf(stderr, "\r%3u%% %8.1f of %.1f MiB, %6.1f MB/s, %4.0f s left ",
		total ? (unsigned int)(done * 100 / total) : 100,
		done / 1048576.0, total / 1048576.0, rate / 1e6,
		rate > 0 ? (total - done) / rate : 0);
	if (last)
		fputc('\n', stderr);
}

/* Write @buf to @fd, a hole for each block of zeros. */
static int kvmintro_dump_write(int fd, const char *buf, size_t length)
{
	size_t done, n;
	ssize_t w;

	for (done = 0; done < length; done += n) {
		n = length - done < KVMINTRO_DUMP_BLOCK ? length - done :
							  KVMINTRO_DUMP_BLOCK;
		if (!buf[done] && !memcmp(buf + done, buf + done + 1, n - 1)) {
			if (lseek(fd, n, SEEK_CUR) < 0)
				return -errno;
			continue;
		}
		for (size_t at = 0; at < n; at += w) {
			w = write(fd, buf + done + at, n - at);
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w <= 0)
				return w < 0 ? -errno : -EIO;
		}
	}
	return 0;
}

/*
 * Copy the open core @in to @out, up to its end; @total, its size as of
 * the open, only for the progress line.  0 or -errno (-EINTR: a signal
 * stopped it).
 */
static int kvmintro_dump_copy(int in, int out, uint64_t total, char *buf,
			      bool progress)
{
	double start = kvmintro_dump_now(), shown = 0;
	uint64_t done = 0;
	ssize_t n;
	int ret;

	for (;;) {
		if (kvmintro_dump_stop)
			return -EINTR;
		n = read(in, buf, KVMINTRO_DUMP_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		ret = kvmintro_dump_write(out, buf, n);
		if (ret)
			return ret;
		done += n;
		if (progress && kvmintro_dump_now() - shown > 0.2) {
			kvmintro_dump_progress(done, total, start, false);
			shown = kvmintro_dump_now();
		}
	}
	if (progress)
		kvmintro_dump_progress(done, total, start, true);
	/* The holes at the end are the file's too. */
	if (ftruncate(out, done))
		return -errno;
	return 0;
}

static int kvmintro_dump(const struct kvmintro *kvmintro,
			 const struct kvmintro_vm *vm, const char *path)
{
	char *core;
	struct stat st;
	int in, out, ret;
	char *buf;

	in = kvmintro_debugfs_open(kvmintro->debugfs_root, vm->dir, "core",
				   NULL, &core);
	if (in < 0)
		return in;
	/*
	 * Guest memory: readable by root only, even in a file that existed,
	 * and never through a symbolic link planted where FILE is.
	 */
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		   0600);
	if (out >= 0 && fchmod(out, 0600)) {
		close(out);
		out = -1;
	}
	buf = malloc(KVMINTRO_DUMP_CHUNK);
	if (out < 0 || !buf || fstat(in, &st)) {
		ret = -errno;
		kvmintro_error("%s: %s", out < 0 ? path : core,
			       strerror(errno));
	} else {
		ret = kvmintro_dump_copy(in, out, st.st_size, buf,
					 isatty(STDERR_FILENO));
		if (ret == -EINTR)
			kvmintro_error("dumping %s to %s: stopped by a signal; %s is incomplete",
				       core, path, path);
		else if (ret)
			kvmintro_error("dumping %s to %s: %s", core, path,
				       strerror(-ret));
	}
	if (out >= 0 && close(out) && !ret) {
		ret = -errno;
		kvmintro_error("%s: %s", path, strerror(errno));
	}
	free(buf);
	close(in);
	free(core);
	return ret;
}

int kvmintro_cmd_dump(struct kvmintro *kvmintro)
{
	bool live = kvmintro->options[KVMINTRO_OPTION_LIVE], paused = false;
	const struct kvmintro_vm *vm = &kvmintro->vm;
	int ret, resume;

	if (kvmintro->json)
		return kvmintro_usage_error("dump", "--json does not go with dump", "");
	/*
	 * Live, the core takes the registers of the latest capture: take one
	 * (a pause of a few milliseconds) for registers of now.
	 */
	kvmintro_dump_catch_signals();
	ret = kvmintro_snapshot_set(kvmintro, live ? "capture" : "pause",
				    &paused);
	if (ret)
		return ret;
	ret = kvmintro_dump(kvmintro, vm, kvmintro->argv[0]);
	if (!live && !paused) {
		resume = kvmintro_snapshot_set(kvmintro, "resume", NULL);
		ret = ret ?: resume;
	}
	kvmintro_dump_reraise();
	return ret;
}
