/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Write-then-read debugfs files (translate, scan): the requests written to
 * a file and the text of the latest replies, kept per VM so that
 * `echo ... > f; cat f` works.
 */
#ifndef KVMINTRO_REPLY_H
#define KVMINTRO_REPLY_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/types.h>

/**
 * struct kvmintro_request - text written through one open file so far
 * @len:	bytes in @text
 * @max:	room in @text
 * @text:	the requests, NUL-terminated
 */
struct kvmintro_request {
	size_t len;
	size_t max;
	char text[];
};

/**
 * struct kvmintro_reply - requests and replies of one file of one VM
 * @lock:	serializes readers and the replacement of @text
 * @text:	the replies of the latest request, or NULL
 * @len:	bytes in @text
 * @request_lock: serializes writers, held while a request is served
 * @request_owner: the open file (kvmintro_request_open() id) @request is of
 * @request:	what @request_owner wrote so far, or NULL
 *
 * Shells write a multi-line printf one line per write(): the lines of one
 * request arrive in several writes, and each write acts on everything the
 * same open file wrote so far.  That text is kept here rather than with
 * the open file, which has nothing to free on close: kvmintro's files
 * must be closable after the module is gone (see debugfs.c).  A write
 * through another open file starts a new request.
 */
struct kvmintro_reply {
	struct mutex lock;		/* protects @text and @len */
	char *text;
	size_t len;
	struct mutex request_lock;	/* protects the request fields */
	u64 request_owner;
	struct kvmintro_request *request;
};

int kvmintro_request_open(struct inode *inode, struct file *file);
struct kvmintro_request *kvmintro_request_append(struct kvmintro_reply *reply,
						 struct file *file,
						 const char __user *ubuf,
						 size_t count, size_t max,
						 size_t *old_len);
void kvmintro_request_undo(struct kvmintro_request *request, size_t old_len);
void kvmintro_request_done(struct kvmintro_reply *reply);

void kvmintro_reply_init(struct kvmintro_reply *reply);
void kvmintro_reply_free(struct kvmintro_reply *reply);
void kvmintro_reply_set(struct kvmintro_reply *reply, char *text, size_t len);
ssize_t kvmintro_reply_read(struct kvmintro_reply *reply, char __user *ubuf,
			    size_t count, loff_t *ppos);

#endif /* KVMINTRO_REPLY_H */
