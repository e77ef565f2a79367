// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers every part of the CLI uses: a growable array, error messages,
 * quoting of untrusted bytes for those messages and for tables, reading
 * files; what the CLI reads in the values of records that the grammar
 * leaves as words: directory names; and the numbers users type on the command line:
 * addresses, lengths, counts.  Numbers and addresses are read by
 * lib/parse.c, as the module reads them; lengths may also end in K or M.
 * Anything else is refused, never half-read.
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

/*
 * Return @bytes with every byte that is not printable ASCII, and the
 * backslash, written as a C escape, allocated, or NULL if memory runs out.
 * Unlike kvmintro_format_quote(), nothing is cut and no quotes are added.
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
		used += kvmintro_format_escape_byte(bytes[i], escaped + used);
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

/* kvmintro_json_write_fn: to the stdio stream @out; -EIO if it fails. */
int kvmintro_json_fwrite(void *out, const char *text, size_t len)
{
	return fwrite(text, 1, len, out) == len ? 0 : -EIO;
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

struct kvmintro_span kvmintro_span_from_string(const char *string)
{
	return (struct kvmintro_span){ string, strlen(string) };
}

bool kvmintro_span_equals(struct kvmintro_span span, const char *string)
{
	return span.length == strlen(string) &&
	       !memcmp(span.start, string, span.length);
}

/* A directory name: printable, no blank or '/', not "." or "..". */
bool kvmintro_is_valid_name(struct kvmintro_span value)
{
	size_t i;

	if (kvmintro_span_equals(value, ".") || kvmintro_span_equals(value, ".."))
		return false;
	for (i = 0; i < value.length; i++) {
		if (value.start[i] <= ' ' || value.start[i] > '~' ||
		    value.start[i] == '/')
			return false;
	}
	return value.length > 0;
}

/* Say in @error what is wrong, like printf(); return @err. */
int kvmintro_parse_fail(struct kvmintro_parse_error *error, int err,
			const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(error->message, sizeof(error->message), format, arguments);
	va_end(arguments);
	return err;
}

/*
 * Parse a whole number: decimal, or hex after 0x or 0X, as the module's
 * files take it (kvmintro_parse_u64()). Return -EINVAL if @text is not
 * one, -ERANGE if it does not fit in 64 bits.
 */
int kvmintro_parse_number_argument(const char *text, uint64_t *value)
{
	return kvmintro_parse_u64(text, strlen(text), value);
}

/*
 * Parse a guest physical address as the module's translate file takes it
 * (kvmintro_parse_address()): a number, "gpa=" and a number, or "gfn="
 * and a guest frame number. Return -EINVAL if @text is not one, -ERANGE if
 * it is beyond the 52 bits of guest physical addresses; the module would
 * take a gpa= beyond them, to answer that no memslot holds it.
 */
int kvmintro_parse_address_argument(const char *text, uint64_t *gpa)
{
	uint64_t value;
	int ret;

	ret = kvmintro_parse_address(text, strlen(text), &value);
	if (ret)
		return ret;
	if (value >> KVMINTRO_GPA_BITS)
		return -ERANGE;
	*gpa = value;
	return 0;
}

/*
 * Parse a length in bytes: a number (see kvmintro_parse_number_argument()),
 * optionally followed by K or M (KiB, MiB; either case). Return -EINVAL or
 * -ERANGE like the numbers.
 */
int kvmintro_parse_length_argument(const char *text, uint64_t *bytes)
{
	size_t length = strlen(text);
	unsigned int shift = 0;
	uint64_t value;
	int ret;

	if (length && strchr("kK", text[length - 1]))
		shift = 10;
	else if (length && strchr("mM", text[length - 1]))
		shift = 20;
	ret = kvmintro_parse_u64(text, length - !!shift, &value);
	if (ret)
		return ret;
	if (value > UINT64_MAX >> shift)
		return -ERANGE;
	*bytes = value << shift;
	return 0;
}
