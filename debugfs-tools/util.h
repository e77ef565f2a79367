/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMINTRO_UTIL_H
#define KVMINTRO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#endif
#define __KVMINTRO_STRINGIFY(x) #x
#define KVMINTRO_STRINGIFY(x) __KVMINTRO_STRINGIFY(x)
#define __printf(format_index, first_argument) \
	__attribute__((format(printf, format_index, first_argument)))

/* Room kvmintro_quote() needs at most, quotes and "..." included. */
#define KVMINTRO_QUOTE_MAX 100

/**
 * struct kvmintro_array - a growable array of fixed-size elements
 * @elements: the elements, or NULL while empty
 * @count: elements in use
 * @capacity: elements allocated
 * @element_size: size of one element in bytes
 */
struct kvmintro_array {
	void *elements;
	size_t count;
	size_t capacity;
	size_t element_size;
};

/**
 * struct kvmintro_maybe_u64 - a number, or none (a "-" or "unavailable")
 * @value: the number, 0 if none
 * @valid: whether there is one
 */
struct kvmintro_maybe_u64 {
	uint64_t value;
	bool valid;
};

/**
 * struct kvmintro_time - a CLOCK_REALTIME time as the module writes it
 * @seconds: whole seconds since the epoch
 * @nanoseconds: the rest, below one second
 */
struct kvmintro_time {
	uint64_t seconds;
	uint32_t nanoseconds;
};

void kvmintro_array_init(struct kvmintro_array *array, size_t element_size);
void *kvmintro_array_append(struct kvmintro_array *array);
void kvmintro_array_release(struct kvmintro_array *array);

void kvmintro_error(const char *format, ...) __printf(1, 2);
void kvmintro_quote(const char *bytes, size_t length, char *quoted,
		    size_t size);
char *kvmintro_escape(const char *bytes, size_t length);
int kvmintro_check_output(int ret);

/* Largest file kvmintro_read_file() reads. */
#define KVMINTRO_READ_FILE_MAX (64 << 20)
int kvmintro_read_file(const char *path, char **contents, size_t *length);
int kvmintro_read_fd(int fd, size_t max, char **contents, size_t *length);
ssize_t kvmintro_pread(int fd, void *buf, size_t size, uint64_t offset);
int kvmintro_pread_all(int fd, void *buf, size_t size, uint64_t offset);

#endif /* KVMINTRO_UTIL_H */
