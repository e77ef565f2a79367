// SPDX-License-Identifier: GPL-2.0
/*
 * What every debugfs file of kvmintro uses: creation with this module as
 * the owner of its operations (see debugfs.c), and records put into a
 * seq_file.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "../lib/record.h"
#include "kvmintro.h"

/**
 * kvmintro_debugfs_create_file - debugfs_create_file() for kvmintro
 * @name:	the file's name
 * @mode:	its permissions
 * @parent:	its directory
 * @data:	its inode->i_private
 * @fops:	its operations, owned by this module
 *
 * A file that cannot be created is left out; nothing else fails with it.
 */
void kvmintro_debugfs_create_file(const char *name, umode_t mode,
				  struct dentry *parent, void *data,
				  const struct file_operations *fops)
{
	if (WARN_ON_ONCE(fops->owner != THIS_MODULE))
		return;
	debugfs_create_file(name, mode, parent, data, fops);
}

/* Put one formatted line, or fail the read if it did not fit its buffer. */
int kvmintro_seq_put_line(struct seq_file *m, const char *line, int len)
{
	if (WARN_ON_ONCE(len < 0))
		return len;
	seq_write(m, line, len);
	return 0;
}

/* Put the record of one field, @key=@value in decimal. */
int kvmintro_seq_put_u64(struct seq_file *m, const char *key, u64 value)
{
	struct kvmintro_record_writer writer;
	char line[64];

	kvmintro_record_begin(&writer, line, sizeof(line), NULL);
	kvmintro_record_u64(&writer, key, value);
	return kvmintro_seq_put_line(m, line, kvmintro_record_end(&writer));
}

/* Put the record of one field, @key=@word. */
int kvmintro_seq_put_word(struct seq_file *m, const char *key,
			  const char *word)
{
	struct kvmintro_record_writer writer;
	char line[64];

	kvmintro_record_begin(&writer, line, sizeof(line), NULL);
	kvmintro_record_word(&writer, key, word);
	return kvmintro_seq_put_line(m, line, kvmintro_record_end(&writer));
}
