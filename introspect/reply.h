/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replies of a write-then-read debugfs file (translate, scan): the text of
 * the latest request, kept per VM so that `echo ... > f; cat f` works.
 */
#ifndef KVMINTRO_REPLY_H
#define KVMINTRO_REPLY_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/types.h>

/**
 * struct kvmintro_reply - text of the latest request's replies
 * @lock:	serializes requests and readers
 * @text:	the replies, or NULL
 * @len:	bytes in @text
 */
struct kvmintro_reply {
	struct mutex lock;	/* protects @text and @len */
	char *text;
	size_t len;
};

/**
 * struct kvmintro_request - text written to one open file so far
 * @len:	bytes in @text
 * @max:	room in @text
 * @text:	the requests, NUL-terminated
 *
 * Shells write a multi-line printf one line per write(): the lines of one
 * request arrive in several writes.  They are kept here, per open file, so
 * that each write can act on everything written so far.
 */
struct kvmintro_request {
	size_t len;
	size_t max;
	char text[];
};

struct kvmintro_request *kvmintro_request_alloc(size_t max);
int kvmintro_request_add(struct kvmintro_request *request,
			 const char __user *ubuf, size_t count,
			 size_t *old_len);
int kvmintro_request_open(struct file *file, size_t max);
int kvmintro_request_release(struct inode *inode, struct file *file);
struct kvmintro_request *kvmintro_request_append(struct file *file,
						 const char __user *ubuf,
						 size_t count, size_t *old_len);
void kvmintro_request_undo(struct kvmintro_request *request, size_t old_len);

void kvmintro_reply_init(struct kvmintro_reply *reply);
void kvmintro_reply_free(struct kvmintro_reply *reply);
void kvmintro_reply_set(struct kvmintro_reply *reply, char *text, size_t len);
ssize_t kvmintro_reply_read(struct kvmintro_reply *reply, char __user *ubuf,
			    size_t count, loff_t *ppos);

#endif /* KVMINTRO_REPLY_H */
