// SPDX-License-Identifier: GPL-2.0
/*
 * Replies of write-then-read debugfs files.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "reply.h"

void kvmintro_reply_init(struct kvmintro_reply *reply)
{
	mutex_init(&reply->lock);
}

void kvmintro_reply_free(struct kvmintro_reply *reply)
{
	kvfree(reply->text);
}

/* Replace the replies with @text (kvmalloc()ed, now owned); caller locks. */
void kvmintro_reply_set(struct kvmintro_reply *reply, char *text, size_t len)
{
	lockdep_assert_held(&reply->lock);
	kvfree(reply->text);
	reply->text = text;
	reply->len = len;
}

ssize_t kvmintro_reply_read(struct kvmintro_reply *reply, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	ssize_t r;

	r = mutex_lock_killable(&reply->lock);
	if (r)
		return r;
	r = simple_read_from_buffer(ubuf, count, ppos, reply->text,
				    reply->len);
	mutex_unlock(&reply->lock);
	return r;
}

/*
 * Copy a user request of at most @max bytes into a NUL-terminated kernel
 * buffer.  Return: the buffer, or ERR_PTR(-EINVAL) for an empty or too
 * long request, ERR_PTR(-EFAULT), ERR_PTR(-ENOMEM).
 */
char *kvmintro_copy_request(const char __user *ubuf, size_t count, size_t max)
{
	if (!count || count > max)
		return ERR_PTR(-EINVAL);
	return memdup_user_nul(ubuf, count);
}
