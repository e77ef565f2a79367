// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers every part of the CLI uses: a growable array, error messages, and
 * quoting of untrusted bytes for those messages and for tables.
 */
#include "kvmintro.h"

#include <fcntl.h>
#include <stdarg.h>

#define KVMINTRO_ARRAY_INITIAL_CAPACITY 16

void kvmintro_array_init(struct kvmintro_array *array, size_t element_size)
{
	array->elements = NULL;
	array->count = 0;
	array->capacity = 0;
	array->element_size = element_size;
}

/*
 * Return room for one more element at the end of @array, zeroed, or NULL if
 * memory runs out (the array is then unchanged).
 */
void *kvmintro_array_append(struct kvmintro_array *array)
{
	void *element;

	if (array->count == array->capacity) {
		size_t capacity = array->capacity ? array->capacity * 2 :
						    KVMINTRO_ARRAY_INITIAL_CAPACITY;
		void *grown;

		if (capacity < array->capacity ||
		    capacity > SIZE_MAX / array->element_size)
			return NULL;
		grown = realloc(array->elements, capacity * array->element_size);
		if (!grown)
			return NULL;
		array->elements = grown;
		array->capacity = capacity;
	}
	element = (char *)array->elements + array->count * array->element_size;
	memset(element, 0, array->element_size);
	array->count++;
	return element;
}

void kvmintro_array_release(struct kvmintro_array *array)
{
	free(array->elements);
	kvmintro_array_init(array, array->element_size);
}

/* Print "kvmintro: <message>" on stderr; the message has no newline. */
void kvmintro_error(const char *format, ...)
{
	va_list arguments;

	fputs("kvmintro: ", stderr);
	va_start(arguments, format);
	vfprintf(stderr, format, arguments);
	va_end(arguments);
	fputc('\n', stderr);
}

/* Write @byte into @escaped as itself, or as a C escape if not printable. */
static size_t kvmintro_quote_byte(unsigned char byte, char *escaped)
{
	static const char short_forms[0x80] = {
		['"'] = '"', ['\\'] = '\\', ['\t'] = 't', ['\r'] = 'r', ['\n'] = 'n',
	};

	if (byte < sizeof(short_forms) && short_forms[byte])
		return (size_t)sprintf(escaped, "\\%c", short_forms[byte]);
	if (byte < 0x20 || byte > 0x7e)
		return (size_t)sprintf(escaped, "\\x%02x", byte);
	escaped[0] = (char)byte;
	escaped[1] = '\0';
	return 1;
}

/*
 * Write @bytes into @quoted as a double-quoted C-like string that is safe to
 * print: non-printable bytes are escaped, and text that does not fit in @size
 * is cut and marked with "...". @size must be at least 8.
 */
void kvmintro_quote(const char *bytes, size_t length, char *quoted,
		    size_t size)
{
	/* Keep room for the closing quote, "..." and the NUL. */
	size_t limit = size - 5;
	size_t used = 1;
	size_t i;

	quoted[0] = '"';
	for (i = 0; i < length; i++) {
		char escaped[8];
		size_t escaped_length = kvmintro_quote_byte((unsigned char)bytes[i],
							    escaped);

		if (used + escaped_length > limit) {
			memcpy(quoted + used, "\"...", 5);
			return;
		}
		memcpy(quoted + used, escaped, escaped_length);
		used += escaped_length;
	}
	memcpy(quoted + used, "\"", 2);
}

/*
 * Return @bytes with every byte that is not printable ASCII, and the
 * backslash, written as a C escape, allocated, or NULL if memory runs out.
 * Unlike kvmintro_quote(), nothing is cut and no quotes are added.
 */
char *kvmintro_escape(const char *bytes, size_t length)
{
	/* The longest escape, "\xff", is 4 bytes. */
	char *escaped = length < SIZE_MAX / 4 ? malloc(length * 4 + 1) : NULL;
	size_t used = 0, i;

	if (!escaped)
		return NULL;
	escaped[0] = '\0';
	for (i = 0; i < length; i++)
		used += kvmintro_quote_byte((unsigned char)bytes[i],
					    escaped + used);
	return escaped;
}

/*
 * Report that printing a command's result failed (@ret from a print function)
 * and return -EIO, or 0 if it did not.
 */
int kvmintro_check_output(int ret)
{
	if (!ret)
		return 0;
	if (ret == -ENOMEM)
		kvmintro_error("out of memory while printing the result");
	else if (ret == -EIO)
		kvmintro_error("cannot write the output: %s", strerror(errno));
	else
		kvmintro_error("cannot print the result: %s", strerror(-ret));
	return -EIO;
}

/*
 * Read all of @fd, up to @max bytes, into @contents, allocated and
 * NUL-terminated, its size in @length. Return 0, -EFBIG beyond @max bytes,
 * -ENOMEM or -errno; @contents is NULL on failure.
 */
int kvmintro_read_fd(int fd, size_t max, char **contents, size_t *length)
{
	size_t capacity = 4096, used = 0;
	char *buffer = NULL, *grown;
	ssize_t count;
	int ret;

	*contents = NULL;
	for (;;) {
		if (!buffer || used == capacity) {
			ret = -EFBIG;
			if (buffer && capacity >= max)
				goto out_free;
			ret = -ENOMEM;
			capacity = buffer ? capacity * 2 : capacity;
			grown = realloc(buffer, capacity + 1);
			if (!grown)
				goto out_free;
			buffer = grown;
		}
		count = read(fd, buffer + used, capacity - used);
		if (count < 0 && errno == EINTR)
			continue;
		ret = -errno;
		if (count < 0)
			goto out_free;
		if (!count)
			break;
		used += (size_t)count;
	}
	buffer[used] = '\0';
	*contents = buffer;
	*length = used;
	return 0;

out_free:
	free(buffer);
	return ret;
}

/*
 * Read up to @size bytes at @offset of @fd, until the file ends or EIO
 * (where no guest memory is). Return how many were read, or -errno.
 */
ssize_t kvmintro_pread(int fd, void *buf, size_t size, uint64_t offset)
{
	size_t done = 0;
	ssize_t count;

	while (done < size) {
		count = pread(fd, (char *)buf + done, size - done,
			      (off_t)(offset + done));
		if (count < 0 && errno == EINTR)
			continue;
		if (count < 0 && errno != EIO)
			return -errno;
		if (count <= 0)
			break;
		done += (size_t)count;
	}
	return (ssize_t)done;
}

/* Read all @size bytes at @offset of @fd; 0, -EIO if fewer, or -errno. */
int kvmintro_pread_all(int fd, void *buf, size_t size, uint64_t offset)
{
	ssize_t count = kvmintro_pread(fd, buf, size, offset);

	return count < 0 ? (int)count : (size_t)count == size ? 0 : -EIO;
}

/*
 * Read all of the file at @path ("-" for standard input) into @contents,
 * allocated and NUL-terminated, its size in @length. Return 0, -EFBIG
 * beyond KVMINTRO_READ_FILE_MAX bytes, -EIO if reading fails, or -errno.
 */
int kvmintro_read_file(const char *path, char **contents, size_t *length)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	int ret;

	if (fd < 0)
		return -errno;
	ret = kvmintro_read_fd(fd, KVMINTRO_READ_FILE_MAX, contents, length);
	if (fd)
		close(fd);
	return ret == -EFBIG || ret == -ENOMEM ? ret : ret ? -EIO : 0;
}
