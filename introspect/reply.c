// SPDX-License-Identifier: GPL-2.0
/*
 * Requests and replies of write-then-read debugfs files.
 */
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "reply.h"

void kvmintro_reply_init(struct kvmintro_reply *reply)
{
	mutex_init(&reply->lock);
	mutex_init(&reply->request_lock);
}

void kvmintro_reply_free(struct kvmintro_reply *reply)
{
	kvfree(reply->text);
	kvfree(reply->request);
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
 * ->open() of a write-then-read file: name the open file with a number
 * never used before, so that its writes are told from those of a later
 * open file that happens to get the same struct file.
 */
int kvmintro_request_open(struct inode *inode, struct file *file)
{
	static atomic64_t last_id;

	file->private_data = (void *)(uintptr_t)atomic64_inc_return(&last_id);
	return 0;
}

/*
 * Make room for @len bytes of requests (and a NUL) in @reply, keeping those
 * there: grow by doubling from a page, so that a file whose requests may
 * be megabytes (scan) takes that much only once someone writes that much.
 */
static int kvmintro_request_reserve(struct kvmintro_reply *reply, size_t len)
{
	struct kvmintro_request *old = reply->request, *request;
	size_t size = PAGE_SIZE;

	lockdep_assert_held(&reply->request_lock);
	if (old && old->max >= len)
		return 0;
	while (size < len)
		size *= 2;
	request = kvmalloc(struct_size(request, text, size + 1), GFP_KERNEL);
	if (!request)
		return -ENOMEM;
	request->max = size;
	request->len = old ? old->len : 0;
	if (old)
		memcpy(request->text, old->text, old->len);
	request->text[request->len] = '\0';
	kvfree(old);
	reply->request = request;
	return 0;
}

/*
 * Append a write to the requests of its open file, starting over if the
 * previous writes came through another one.  Return: the requests, with
 * *@old_len what they were before and @reply->request_lock held until
 * kvmintro_request_done(); or ERR_PTR(-EINVAL) for an empty write or one
 * that makes them longer than @max, -EFAULT, -ENOMEM, -EINTR, unlocked.
 */
struct kvmintro_request *kvmintro_request_append(struct kvmintro_reply *reply,
						 struct file *file,
						 const char __user *ubuf,
						 size_t count, size_t max,
						 size_t *old_len)
{
	u64 owner = (uintptr_t)file->private_data;
	struct kvmintro_request *request;
	int r;

	if (!count || count > max)
		return ERR_PTR(-EINVAL);
	if (mutex_lock_killable(&reply->request_lock))
		return ERR_PTR(-EINTR);
	request = reply->request;
	if (request && reply->request_owner != owner) {
		reply->request_owner = owner;
		request->len = 0;
		request->text[0] = '\0';
	}
	r = -EINVAL;
	if (request && count > max - request->len)
		goto out_unlock;
	r = kvmintro_request_reserve(reply, request ? request->len + count :
					    count);
	if (r)
		goto out_unlock;
	request = reply->request;
	reply->request_owner = owner;
	r = -EFAULT;
	if (copy_from_user(request->text + request->len, ubuf, count))
		goto out_unlock;
	*old_len = request->len;
	request->len += count;
	request->text[request->len] = '\0';
	return request;

out_unlock:
	mutex_unlock(&reply->request_lock);
	return ERR_PTR(r);
}

/* Forget a write the file could not accept. */
void kvmintro_request_undo(struct kvmintro_request *request, size_t old_len)
{
	request->len = old_len;
	request->text[old_len] = '\0';
}

/* End the write that kvmintro_request_append() started. */
void kvmintro_request_done(struct kvmintro_reply *reply)
{
	mutex_unlock(&reply->request_lock);
}
