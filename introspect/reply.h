/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replies of a write-then-read debugfs file (translate, scan): the text of
 * the latest request, kept per VM so that `echo ... > f; cat f` works.
 */
#ifndef KVMINTRO_REPLY_H
#define KVMINTRO_REPLY_H

#include <linux/mutex.h>
#include <linux/types.h>

/**
 * struct kvmintro_reply - text of the latest request's replies
 * @lock:	serializes requests and readers
 * @text:	the replies, or NULL
 * @len:	bytes in @text
 */
struct kvmintro_reply {
	struct mutex lock;
	char *text;
	size_t len;
};

void kvmintro_reply_init(struct kvmintro_reply *reply);
void kvmintro_reply_free(struct kvmintro_reply *reply);
void kvmintro_reply_set(struct kvmintro_reply *reply, char *text, size_t len);
ssize_t kvmintro_reply_read(struct kvmintro_reply *reply, char __user *ubuf,
			    size_t count, loff_t *ppos);
char *kvmintro_copy_request(const char __user *ubuf, size_t count,
			    size_t max);

#endif /* KVMINTRO_REPLY_H */
