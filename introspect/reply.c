// SPDX-License-Identifier: GPL-2.0
/*
 * Replies of write-then-read debugfs files.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

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

/* Room for @max bytes of requests; kvfree() it. */
struct kvmintro_request *kvmintro_request_alloc(size_t max)
{
	struct kvmintro_request *request;

	request = kvzalloc(struct_size(request, text, max + 1), GFP_KERNEL);
	if (request)
		request->max = max;
	return request;
}

/* ->open() of a write-then-read file: room for @max bytes of requests. */
int kvmintro_request_open(struct file *file, size_t max)
{
	file->private_data = kvmintro_request_alloc(max);
	return file->private_data ? 0 : -ENOMEM;
}

int kvmintro_request_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

/*
 * Append a write to @request.  Return: 0, with *@old_len what the requests
 * were before, or -EINVAL for an empty write or one that does not fit,
 * -EFAULT.
 */
int kvmintro_request_add(struct kvmintro_request *request,
			 const char __user *ubuf, size_t count,
			 size_t *old_len)
{
	if (!count || count > request->max - request->len)
		return -EINVAL;
	if (copy_from_user(request->text + request->len, ubuf, count))
		return -EFAULT;
	*old_len = request->len;
	request->len += count;
	request->text[request->len] = '\0';
	return 0;
}

/*
 * Append a write to the file's requests.  Return: the requests, with
 * *@old_len what they were before, or ERR_PTR(-EINVAL) for an empty write
 * or one that does not fit, ERR_PTR(-EFAULT).
 */
struct kvmintro_request *kvmintro_request_append(struct file *file,
						 const char __user *ubuf,
						 size_t count, size_t *old_len)
{
	struct kvmintro_request *request = file->private_data;
	int r = kvmintro_request_add(request, ubuf, count, old_len);

	return r ? ERR_PTR(r) : request;
}

/* Forget a write the file could not accept. */
void kvmintro_request_undo(struct kvmintro_request *request, size_t old_len)
{
	request->len = old_len;
	request->text[old_len] = '\0';
}
