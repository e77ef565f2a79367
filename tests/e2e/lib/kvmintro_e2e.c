// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for kvmintro's end-to-end tests.  Parsers are strict: a line that
 * does not have exactly the documented shape is an error, so a format
 * change breaks the tests as it would break users' scripts.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../../lib/record_list.h"
#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

int __kvmintro_load_params(const char *params)
{
	const char *ko = getenv("KVMINTRO_KO");
	int fd, r;

	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = syscall(SYS_finit_module, fd, params, 0);
	r = r ? -errno : 0;
	close(fd);
	return r;
}

int __kvmintro_load(void)
{
	return __kvmintro_load_params("");
}

void kvmintro_load(void)
{
	int r = __kvmintro_load();

	TEST_ASSERT(!r, "loading %s: %s (is KVMINTRO_KO set?)",
		    getenv("KVMINTRO_KO"), strerror(-r));
}

bool kvmintro_loaded(void)
{
	return access("/sys/module/kvmintro", F_OK) == 0;
}

int __kvmintro_unload(void)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		if (!syscall(SYS_delete_module, "kvmintro", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		sleep_ms(100);
	}
	return -EBUSY;
}

void kvmintro_unload(void)
{
	int r = __kvmintro_unload();

	TEST_ASSERT(!r, "unloading kvmintro: %s", strerror(-r));
}

char *kvmintro_read(const char *path)
{
	size_t size = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	int fd, saved;

	TEST_ASSERT(buf, "malloc");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto err;
	for (;;) {
		if (cap - size < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			TEST_ASSERT(buf, "realloc");
		}
		n = read(fd, buf + size, cap - size - 1);
		if (n < 0)
			goto err_close;
		if (!n)
			break;
		size += n;
	}
	close(fd);
	buf[size] = '\0';
	return buf;

err_close:
	saved = errno;
	close(fd);
	errno = saved;
err:
	saved = errno;
	free(buf);
	errno = saved;
	return NULL;
}

int kvmintro_write(const char *path, const char *text)
{
	ssize_t n;
	int fd, r = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		r = -errno;
	else if ((size_t)n != strlen(text))
		r = -EIO;
	close(fd);
	return r;
}

bool kvmintro_wait_path(const char *path, bool exists, int timeout_ms)
{
	int waited;

	for (waited = 0; waited <= timeout_ms; waited += 10) {
		if ((access(path, F_OK) == 0) == exists)
			return true;
		sleep_ms(10);
	}
	return false;
}

const char *kvmintro_root(void)
{
	const char *root = getenv("KVMINTRO_DEBUGFS");

	return root && *root ? root : "/sys/kernel/debug/kvmintro";
}

const char *kvmintro_vms_path(void)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/vms", kvmintro_root());
	return path;
}

bool kvmintro_files_hold_module(void)
{
	return strncmp(kvmintro_root(), "/proc/", strlen("/proc/"));
}

bool kvmintro_locked_down(void)
{
	char *text = kvmintro_read("/sys/kernel/security/lockdown");
	bool locked = text && !strstr(text, "[none]");

	free(text);
	return locked;
}

const char *kvmintro_vm_path(pid_t pid, int nth)
{
	static char path[128];

	if (nth)
		snprintf(path, sizeof(path), "%s/%d-%d", kvmintro_root(), pid,
			 nth);
	else
		snprintf(path, sizeof(path), "%s/%d", kvmintro_root(), pid);
	return path;
}

/* Set *@value to @record's field @key, a number of @type; false if none. */
static bool record_number(const struct kvmintro_record *record,
			  const char *key, enum kvmintro_record_type type,
			  uint64_t *value)
{
	const struct kvmintro_record_field *field;

	field = kvmintro_record_find(record, key);
	if (!field || field->type != type) {
		printf("# no %s number %s=\n",
		       type == KVMINTRO_RECORD_HEX ? "hex" : "decimal", key);
		return false;
	}
	*value = field->number;
	return true;
}

/*
 * Read @text into @list with lib/record_list.c (the records point into
 * the list's copy): every line a record ending with a newline, no
 * comment.  Return 0, or -EBADMSG with @list empty and why in @why.
 */
static int records_of_lines(const char *text, struct kvmintro_record_list *list,
			    char *why, size_t size)
{
	size_t line;
	int r = 0;

	if (*text && text[strlen(text) - 1] != '\n') {
		snprintf(why, size, "the last line has no newline");
		memset(list, 0, sizeof(*list));
		r = -EBADMSG;
	} else if (kvmintro_record_list_parse(text, strlen(text), list, &line)) {
		snprintf(why, size, "line %zu is not a record", line);
		r = -EBADMSG;
	} else if (list->comments) {
		snprintf(why, size, "a comment among the records");
		kvmintro_record_list_release(list);
		r = -EBADMSG;
	}
	return r;
}

/*
 * Read the file @path (records_of_lines()) and convert its records, each
 * of @nr_fields fields and no kind, with @convert into @records, @size
 * bytes each; at most @max.  Return how many, or -errno, or -EBADMSG for
 * a file that is not such records or a record @convert refuses.
 */
static int read_records(const char *path, const char *name,
			unsigned int nr_fields,
			bool (*convert)(const struct kvmintro_record *, void *),
			void *records, size_t size, int max)
{
	const struct kvmintro_record *record;
	struct kvmintro_record_list list;
	char *text, why[64];
	int n;

	text = kvmintro_read(path);
	if (!text)
		return -errno;
	n = records_of_lines(text, &list, why, sizeof(why));
	free(text);
	if (n) {
		printf("# %s: %s\n", name, why);
		return n;
	}
	for (n = 0; n < max && (size_t)n < list.count; n++) {
		record = &list.records[n];
		if (record->kind || record->nr_fields != nr_fields ||
		    !convert(record, (char *)records + n * size)) {
			printf("# bad %s record: '%s'\n", name,
			       kvmintro_record_line(record));
			n = -EBADMSG;
			break;
		}
	}
	kvmintro_record_list_release(&list);
	return n;
}

/*
 * Parse @text (malloc()ed, freed here) with records_of_lines(); a text
 * it refuses fails the test, naming the line.
 */
struct kvmintro_record_list *kvmintro_records_parse(char *text)
{
	struct kvmintro_record_list *records = calloc(1, sizeof(*records));
	char why[64];

	TEST_ASSERT(records && text, "records of nothing");
	TEST_ASSERT(!records_of_lines(text, records, why, sizeof(why)),
		    "%s:\n%s", why, text);
	free(text);
	return records;
}

struct kvmintro_record_list *kvmintro_records_read(const char *path)
{
	char *text = kvmintro_read(path);

	return text ? kvmintro_records_parse(text) : NULL;
}

void kvmintro_records_free(struct kvmintro_record_list *records)
{
	if (!records)
		return;
	kvmintro_record_list_release(records);
	free(records);
}

const struct kvmintro_record *kvmintro_records_at(const struct kvmintro_record_list *records,
						  size_t i)
{
	TEST_ASSERT(i < records->count, "record %zu of %zu", i,
		    records->count);
	return &records->records[i];
}

const struct kvmintro_record *kvmintro_records_find(const struct kvmintro_record_list *records,
						    const char *kind, size_t from)
{
	size_t i;

	for (i = from; i < records->count; i++) {
		if (kvmintro_record_is(&records->records[i], kind))
			return &records->records[i];
	}
	return NULL;
}

const char *kvmintro_record_line(const struct kvmintro_record *record)
{
	static char line[1024];
	const char *start = kvmintro_record_start(record) ?: "";

	snprintf(line, sizeof(line), "%.*s", (int)strcspn(start, "\n"), start);
	return line;
}

bool kvmintro_field_has(const struct kvmintro_record *record, const char *key)
{
	return kvmintro_record_find(record, key);
}

uint64_t kvmintro_field_u64(const struct kvmintro_record *record,
			    const char *key)
{
	const struct kvmintro_record_field *field;

	field = kvmintro_record_find(record, key);
	TEST_ASSERT(field && (field->type == KVMINTRO_RECORD_HEX ||
			      field->type == KVMINTRO_RECORD_DECIMAL),
		    "no number %s= in '%s'", key, kvmintro_record_line(record));
	return field->number;
}

const char *kvmintro_field_str(const struct kvmintro_record *record,
			       const char *key, char *buf, size_t size)
{
	const struct kvmintro_record_field *field;
	int len;

	field = kvmintro_record_find(record, key);
	TEST_ASSERT(field, "no %s= in '%s'", key, kvmintro_record_line(record));
	if (field->type == KVMINTRO_RECORD_STRING) {
		len = kvmintro_record_decode_string(field, buf, size);
		TEST_ASSERT(len >= 0 && strlen(buf) == (size_t)len,
			    "string %s= in '%s'", key,
			    kvmintro_record_line(record));
		return buf;
	}
	TEST_ASSERT(field->value_len < size, "%s= too long in '%s'", key,
		    kvmintro_record_line(record));
	memcpy(buf, field->value, field->value_len);
	buf[field->value_len] = '\0';
	return buf;
}

/* Parse one record of the vms file into @l. */
static bool vms_record(const struct kvmintro_record *record,
		       void *record_line)
{
	struct kvmintro_vms_line *l = record_line;
	const struct kvmintro_record_field *dir;
	uint64_t pid, vcpus, slots;
	int len;

	if (!record_number(record, "pid", KVMINTRO_RECORD_DECIMAL, &pid) ||
	    !record_number(record, "vcpus", KVMINTRO_RECORD_DECIMAL, &vcpus) ||
	    !record_number(record, "slots", KVMINTRO_RECORD_DECIMAL, &slots) ||
	    !record_number(record, "mem", KVMINTRO_RECORD_DECIMAL, &l->mem))
		return false;
	dir = kvmintro_record_find(record, "dir");
	len = dir ? kvmintro_record_decode_string(dir, l->dir, sizeof(l->dir)) :
		    -EINVAL;
	if (len <= 0 || strlen(l->dir) != (size_t)len || pid > INT32_MAX ||
	    vcpus > UINT32_MAX || slots > UINT32_MAX) {
		return false;
	}
	l->pid = pid;
	l->vcpus = vcpus;
	l->slots = slots;
	return true;
}

int kvmintro_vms(struct kvmintro_vms_line *lines, int max)
{
	return read_records(kvmintro_vms_path(), "vms", 5, vms_record, lines,
			    sizeof(*lines), max);
}

/* Parse one record of a memslots file into @l. */
static bool memslots_record(const struct kvmintro_record *record,
			    void *record_line)
{
	struct kvmintro_memslots_line *l = record_line;
	const struct kvmintro_record_field *flags;
	uint64_t as, slot;

	if (!record_number(record, "as", KVMINTRO_RECORD_DECIMAL, &as) ||
	    !record_number(record, "slot", KVMINTRO_RECORD_DECIMAL, &slot) ||
	    !record_number(record, "gpa", KVMINTRO_RECORD_HEX, &l->gpa) ||
	    !record_number(record, "npages", KVMINTRO_RECORD_HEX, &l->npages) ||
	    !record_number(record, "size", KVMINTRO_RECORD_HEX, &l->size) ||
	    !record_number(record, "hva", KVMINTRO_RECORD_HEX, &l->hva))
		return false;
	flags = kvmintro_record_find(record, "flags");
	if (!flags || (flags->type != KVMINTRO_RECORD_WORD &&
		       flags->type != KVMINTRO_RECORD_NONE) ||
	    flags->value_len >= sizeof(l->flags) || as > 0xffff ||
	    slot > 0xffff) {
		return false;
	}
	l->as = as;
	l->slot = slot;
	memcpy(l->flags, flags->value, flags->value_len);
	l->flags[flags->value_len] = '\0';
	return true;
}

int kvmintro_memslots(const char *vm_path,
		      struct kvmintro_memslots_line *lines, int max)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/memslots", vm_path);
	return read_records(path, "memslots", 7, memslots_record, lines,
			    sizeof(*lines), max);
}

/* Copy the word or "-" of @record's field @key into @buf. */
static bool record_word(const struct kvmintro_record *record, const char *key,
			bool none, char *buf, size_t size)
{
	const struct kvmintro_record_field *field;

	field = kvmintro_record_find(record, key);
	if (!field || field->value_len >= size ||
	    field->type != (none ? KVMINTRO_RECORD_NONE : KVMINTRO_RECORD_WORD)) {
		printf("# no %s %s=\n", none ? "-" : "word", key);
		return false;
	}
	memcpy(buf, field->value, field->value_len);
	buf[field->value_len] = '\0';
	return true;
}

/* Parse one record of a gpa_hpa table into @l. */
static bool gpa_hpa_record(const struct kvmintro_record *record,
			   void *record_line)
{
	struct kvmintro_gpa_hpa_line *l = record_line;
	const struct kvmintro_record_field *kind;
	bool none;

	kind = kvmintro_record_find(record, "kind");
	none = kind && kind->value_len == 4 && !memcmp(kind->value, "none", 4);
	l->hpa = l->pfn = 0;
	if (!record_number(record, "gpa", KVMINTRO_RECORD_HEX, &l->gpa) ||
	    !record_number(record, "npages", KVMINTRO_RECORD_HEX, &l->npages) ||
	    !record_number(record, "hva", KVMINTRO_RECORD_HEX, &l->hva) ||
	    !record_word(record, "kind", false, l->kind, sizeof(l->kind)) ||
	    !record_word(record, "host_size", none, l->host_size,
			 sizeof(l->host_size)))
		return false;
	if (none) {
		char dash[2];

		if (!record_word(record, "hpa", true, dash, sizeof(dash)) ||
		    !record_word(record, "pfn", true, dash, sizeof(dash)))
			return false;
		return true;
	}
	return record_number(record, "hpa", KVMINTRO_RECORD_HEX, &l->hpa) &&
	       record_number(record, "pfn", KVMINTRO_RECORD_HEX, &l->pfn);
}

int kvmintro_gpa_hpa(const char *vm_path, const char *name,
		     struct kvmintro_gpa_hpa_line *lines, int max)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", vm_path, name);
	return read_records(path, name, 7, gpa_hpa_record, lines,
			    sizeof(*lines), max);
}

/* Parse one record of a vcpus file into @l. */
static bool vcpus_record(const struct kvmintro_record *record,
			 void *record_line)
{
	struct kvmintro_vcpus_line *l = record_line;
	uint64_t vcpu, index, tid;

	if (!record_number(record, "vcpu", KVMINTRO_RECORD_DECIMAL, &vcpu) ||
	    !record_number(record, "index", KVMINTRO_RECORD_DECIMAL, &index) ||
	    !record_number(record, "tid", KVMINTRO_RECORD_DECIMAL, &tid) ||
	    !record_number(record, "runs", KVMINTRO_RECORD_DECIMAL, &l->runs))
		return false;
	if (vcpu > UINT32_MAX || index > UINT32_MAX || tid > INT32_MAX) {
		return false;
	}
	l->vcpu = vcpu;
	l->index = index;
	l->tid = tid;
	return true;
}

int kvmintro_vcpus(const char *vm_path, struct kvmintro_vcpus_line *lines,
		   int max)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/vcpus", vm_path);
	return read_records(path, "vcpus", 4, vcpus_record, lines,
			    sizeof(*lines), max);
}

/*
 * The field @name of a file of one-field records (snapshot, regs), read
 * with lib/record.c's reader: every line must be a record of one field,
 * without a kind, and no key may come twice.  NULL if @name is absent;
 * @records is set to free.
 */
static const struct kvmintro_record_field *
kv_find(const char *text, const char *name, struct kvmintro_record_list **records)
{
	const struct kvmintro_record_field *found = NULL;
	const struct kvmintro_record *r, *other;
	size_t i, j;

	*records = kvmintro_records_parse(strdup(text));
	for (i = 0; i < (*records)->count; i++) {
		r = kvmintro_records_at(*records, i);
		TEST_ASSERT(!r->kind && r->nr_fields == 1,
			    "not a one-field record: '%s'", kvmintro_record_line(r));
		for (j = 0; j < i; j++) {
			other = kvmintro_records_at(*records, j);
			TEST_ASSERT(other->fields[0].key_len != r->fields[0].key_len ||
				    memcmp(other->fields[0].key, r->fields[0].key,
					   r->fields[0].key_len),
				    "a key twice: '%s'", kvmintro_record_line(r));
		}
		if (!found)
			found = kvmintro_record_find(r, name);
	}
	return found;
}

bool kvmintro_kv_u64(const char *text, const char *name, uint64_t *value)
{
	const struct kvmintro_record_field *field;
	struct kvmintro_record_list *records;
	bool ok;

	field = kv_find(text, name, &records);
	ok = field && (field->type == KVMINTRO_RECORD_HEX ||
		       field->type == KVMINTRO_RECORD_DECIMAL);
	if (ok)
		*value = field->number;
	kvmintro_records_free(records);
	return ok;
}

bool kvmintro_kv_str(const char *text, const char *name, char *value,
		     size_t size)
{
	const struct kvmintro_record_field *field;
	struct kvmintro_record_list *records;
	bool ok;

	field = kv_find(text, name, &records);
	ok = field && field->type != KVMINTRO_RECORD_STRING &&
	     field->value_len < size;
	if (ok) {
		memcpy(value, field->value, field->value_len);
		value[field->value_len] = '\0';
	}
	kvmintro_records_free(records);
	return ok;
}

void __kvmintro_run_case(const char *name, void (*fn)(void), bool unload)
{
	static char *skip_reason;
	int status;
	pid_t pid;

	if (!skip_reason) {
		skip_reason = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		TEST_ASSERT(skip_reason != MAP_FAILED, "mmap");
		ksft_set_skip_buffer(skip_reason, 4096);
	}
	strcpy(skip_reason, "no reason given");
	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		fn();
		exit(0);
	}
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == KSFT_SKIP)
		ksft_test_result_skip(skip_reason, "%s", name);
	else
		ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
				 "%s", name);
	/* A failed case must not leave the module loaded for the next. */
	if (unload && kvmintro_loaded())
		__kvmintro_unload();
}

void kvmintro_run_case(const char *name, void (*fn)(void))
{
	__kvmintro_run_case(name, fn, true);
}

void kvmintro_main(const struct kvmintro_case *cases, unsigned int nr)
{
	unsigned int i;

	ksft_print_header();
	if (!getenv("KVMINTRO_KO"))
		ksft_exit_skip("KVMINTRO_KO is not set: run inside the harness\n");
	for (i = 0; i < nr; i++)
		kvmintro_run_case(cases[i].name, cases[i].fn);
	ksft_finished();
}

void kvmintro_wait_counter_moves(struct kvm_vcpu *vcpu, int timeout_ms)
{
	uint64_t start = vcpu_guest_counter(vcpu);
	uint64_t deadline = clock_ns() + timeout_ms * 1000000ULL;

	while (vcpu_guest_counter(vcpu) == start) {
		TEST_ASSERT(!vcpu->error[0], "vcpu %u: %s", vcpu->id,
			    vcpu->error);
		TEST_ASSERT(clock_ns() < deadline, "vcpu %u makes no progress",
			    vcpu->id);
		sleep_ms(2);
	}
}

/* Entry @index of a /proc file of 64-bit entries, opened once in *@fd. */
static uint64_t proc_u64_entry(int *fd, const char *path, uint64_t index)
{
	uint64_t entry;

	if (*fd < 0)
		*fd = open(path, O_RDONLY | O_CLOEXEC);
	TEST_ASSERT(*fd >= 0, "open %s", path);
	TEST_ASSERT(pread(*fd, &entry, 8, index * 8) == 8, "pread %s", path);
	return entry;
}

/* Present host pages behind all of @vm's memory, per pagemap. */
uint64_t kvmintro_present_pages(struct kvm_vm *vm)
{
	uint64_t n = 0, off;
	unsigned int i;

	for (i = 0; i < vm->nr_memslots; i++) {
		struct kvm_userspace_memory_region *r = &vm->memslots[i].region;

		for (off = 0; off < r->memory_size; off += 4096)
			n += !!(kvmintro_pagemap_entry(r->userspace_addr + off) &
				KVMINTRO_PM_PRESENT);
	}
	return n;
}

/* This process's resident set (VmRSS), in KiB. */
uint64_t kvmintro_rss_kb(void)
{
	char *text = kvmintro_read("/proc/self/status"), *p;
	uint64_t v = 0;

	TEST_ASSERT(text, "read status");
	p = strstr(text, "VmRSS:");
	TEST_ASSERT(p && sscanf(p + 6, " %" SCNu64, &v) == 1, "VmRSS");
	free(text);
	return v;
}

uint64_t kvmintro_pagemap_entry(uint64_t hva)
{
	static int fd = -1;

	return proc_u64_entry(&fd, "/proc/self/pagemap", hva / 4096);
}

uint64_t kvmintro_pagemap_pfn(uint64_t hva)
{
	uint64_t entry = kvmintro_pagemap_entry(hva);

	return entry & KVMINTRO_PM_PRESENT ? entry & KVMINTRO_PM_PFN_MASK : 0;
}

uint64_t kvmintro_kpageflags(uint64_t pfn)
{
	static int fd = -1;

	return proc_u64_entry(&fd, "/proc/kpageflags", pfn);
}

uint64_t kvmintro_vmstat(const char *name)
{
	char *text = kvmintro_read("/proc/vmstat"), *p;
	uint64_t v = 0;

	TEST_ASSERT(text, "read /proc/vmstat");
	p = strstr(text, name);
	TEST_ASSERT(p && sscanf(p + strlen(name), " %" SCNu64, &v) == 1,
		    "no %s in /proc/vmstat", name);
	free(text);
	return v;
}

bool kvmintro_reserve_hugepages(unsigned int count)
{
	char buf[32];

	if (read_text_file("/proc/sys/vm/nr_hugepages", buf, sizeof(buf)) >= 0 &&
	    (unsigned int)atoi(buf) >= count)
		return true;
	snprintf(buf, sizeof(buf), "%u", count);
	kvmintro_write("/proc/sys/vm/nr_hugepages", buf);
	return read_text_file("/proc/sys/vm/nr_hugepages", buf, sizeof(buf)) >= 0 &&
	       (unsigned int)atoi(buf) >= count;
}

struct kvm_vcpu *kvmintro_vm_add_spinner(struct kvm_vm *vm)
{
	struct kvm_vcpu *vcpu;

	vm_guest_init(vm, VM_MODE_DEFAULT);
	virt_identity_map_memslots(vm, SZ_2M);
	vcpu = vcpu_add(vm, 0);
	vcpu_guest_load(vcpu, GUEST_SPIN);
	vcpu_thread_create(vcpu, NULL);
	return vcpu;
}

struct kvm_vm *kvmintro_vm_create_spin_ready(struct kvm_vcpu **vcpu)
{
	struct kvm_vm *vm = vm_create();

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	*vcpu = kvmintro_vm_add_spinner(vm);
	return vm;
}

/* A VM of 2 MiB with one vcpu spinning in long mode, already running. */
struct kvm_vm *kvmintro_vm_create_spinning(struct kvm_vcpu **vcpu)
{
	struct kvm_vm *vm = kvmintro_vm_create_spin_ready(vcpu);

	vcpu_thread_go(*vcpu);
	return vm;
}

struct kvm_vm *kvmintro_vm_create_exiting(unsigned int nr_vcpus)
{
	struct kvm_vm *vm = vm_create();
	unsigned int i;

	vm_create_irqchip(vm);
	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_guest_init(vm, VM_MODE_DEFAULT);
	virt_identity_map_memslots(vm, SZ_2M);
	for (i = 0; i < nr_vcpus; i++)
		vcpu_guest_load(vcpu_add(vm, i), GUEST_EXIT);
	return vm;
}

uint64_t kvmintro_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

bool kvmintro_kprobes_enable(bool on)
{
	int r;

	/* A writable debugfs file: lockdown refuses it. */
	if (kvmintro_locked_down())
		return false;
	r = kvmintro_write("/sys/kernel/debug/kprobes/enabled", on ? "1" : "0");
	TEST_ASSERT(!r, "kprobes/enabled: %s", strerror(-r));
	return true;
}

void kvmintro_wait_kvm_frees_vm_of(pid_t pid)
{
	char cmd[128];
	int waited;

	snprintf(cmd, sizeof(cmd),
		 "ls /sys/kernel/debug/kvm 2>/dev/null | grep -q '^%d-'", pid);
	for (waited = 0; !system(cmd); waited += 10) {
		TEST_ASSERT(waited < 10000,
			    "KVM never freed the VM: a reference is held");
		sleep_ms(10);
	}
}

/*
 * A child VMM with one vcpu spinning in long mode and, if @data_bytes, a
 * second memslot of that many bytes of pseudo-random data at 4 GiB; it
 * waits forever once its VM exists, which is when this returns.  The caller
 * kills it.
 */
pid_t kvmintro_spawn_vmm_data(uint64_t data_bytes)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint64_t *data, x = 0x9e3779b97f4a7c15ULL, i;
	int pipefd[2];
	char c = 0;
	pid_t pid;

	TEST_ASSERT(!pipe(pipefd), "pipe");
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		close(pipefd[0]);
		vm = kvmintro_vm_create_spinning(&vcpu);
		if (data_bytes) {
			vm_add_memslot(vm, VM_MEM_ANON, 1, 4 * SZ_1G,
				       data_bytes, 0);
			data = addr_gpa2hva(vm, 4 * SZ_1G);
			for (i = 0; i < data_bytes / 8; i++)
				data[i] = kvmintro_random(&x);
		}
		TEST_ASSERT(write(pipefd[1], &c, 1) == 1, "write");
		for (;;)
			pause();
	}
	close(pipefd[1]);
	TEST_ASSERT(read(pipefd[0], &c, 1) == 1, "child VMM died early");
	close(pipefd[0]);
	return pid;
}

pid_t kvmintro_spawn_vmm(void)
{
	return kvmintro_spawn_vmm_data(0);
}

/*
 * Write @request to file @name of this process's first VM and read the
 * reply; the write must succeed.  The caller frees the reply.
 */
char *kvmintro_vm_request(const char *name, const char *request)
{
	char path[192];
	int r;

	snprintf(path, sizeof(path), "%s/%s", kvmintro_vm_path(getpid(), 0),
		 name);
	r = kvmintro_write(path, request);
	TEST_ASSERT(!r, "%s '%s': %s", name, request, strerror(-r));
	return kvmintro_read(path);
}

struct kvmintro_churn {
	struct kvm_vm *vm;
	unsigned int nr_slots;
	char *mem;
	pthread_t thread;
	bool stop;
	unsigned long changes;
};

static int churn_set_slot(struct kvmintro_churn *churn, unsigned int id,
			  bool present)
{
	struct kvm_userspace_memory_region region = {
		.slot = id,
		.guest_phys_addr = KVMINTRO_CHURN_GPA + id * 0x10000ULL,
		.memory_size = present ? 0x10000 : 0,
		.userspace_addr = (uintptr_t)churn->mem + id * 0x10000ULL,
	};

	return __vm_ioctl(churn->vm, KVM_SET_USER_MEMORY_REGION, &region);
}

static void *churn_main(void *arg)
{
	struct kvmintro_churn *churn = arg;
	bool present[64] = { false };
	unsigned int id, seed = 1;
	int r;

	while (!READ_ONCE(churn->stop)) {
		id = 1 + rand_r(&seed) % churn->nr_slots;
		r = churn_set_slot(churn, id, !present[id]);
		TEST_ASSERT(!r, "slot %u %s: %s", id,
			    present[id] ? "removal" : "creation", strerror(-r));
		present[id] = !present[id];
		WRITE_ONCE(churn->changes, churn->changes + 1);
	}
	for (id = 1; id <= churn->nr_slots; id++)
		if (present[id])
			churn_set_slot(churn, id, false);
	return NULL;
}

struct kvmintro_churn *kvmintro_churn_start(struct kvm_vm *vm,
					    unsigned int nr_slots)
{
	struct kvmintro_churn *churn = calloc(1, sizeof(*churn));
	size_t size = (nr_slots + 1) * 0x10000ULL;

	TEST_ASSERT(churn && nr_slots && nr_slots < 64, "churn of %u slots",
		    nr_slots);
	churn->vm = vm;
	churn->nr_slots = nr_slots;
	churn->mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(churn->mem != MAP_FAILED, "mmap");
	memset(churn->mem, 0x5a, size);
	TEST_ASSERT(!pthread_create(&churn->thread, NULL, churn_main, churn),
		    "pthread_create");
	return churn;
}

unsigned long kvmintro_churn_stop(struct kvmintro_churn *churn)
{
	unsigned long changes;

	WRITE_ONCE(churn->stop, true);
	pthread_join(churn->thread, NULL);
	changes = churn->changes;
	munmap(churn->mem, (churn->nr_slots + 1) * 0x10000ULL);
	free(churn);
	return changes;
}

/* Write @request to @vm_path/@name; 0 or -errno. */
static int churn_request(const char *vm_path, const char *name,
			 const char *request)
{
	char file[256];

	snprintf(file, sizeof(file), "%s/%s", vm_path, name);
	return kvmintro_write(file, request);
}

static void churn_read(const char *vm_path, const char *name)
{
	char file[256], *text;

	snprintf(file, sizeof(file), "%s/%s", vm_path, name);
	text = kvmintro_read(file);
	TEST_ASSERT(text, "read %s during memslot churn: %s", name,
		    strerror(errno));
	free(text);
}

void kvmintro_churn_readers(const char *vm_path, unsigned int ms,
			    struct kvmintro_churn_stats *stats)
{
	uint64_t deadline = clock_ns() + ms * 1000000ULL;
	char file[256], buf[4096];
	unsigned int seed = 7;
	uint64_t gpa;
	ssize_t n;
	int fd, r;

	memset(stats, 0, sizeof(*stats));
	snprintf(file, sizeof(file), "%s/mem", vm_path);
	while (clock_ns() < deadline) {
		/* mem: a churned slot reads 0x5a or, gone, EIO. */
		fd = open(file, O_RDONLY);
		TEST_ASSERT(fd >= 0, "open mem: %s", strerror(errno));
		gpa = KVMINTRO_CHURN_GPA + (1 + rand_r(&seed) % 8) * 0x10000ULL;
		n = pread(fd, buf, sizeof(buf), gpa);
		TEST_ASSERT((n == sizeof(buf) && buf[0] == 0x5a &&
			     buf[4095] == 0x5a) || (n < 0 && errno == EIO),
			    "mem at %#lx: %zd (%s)", (unsigned long)gpa, n,
			    n < 0 ? strerror(errno) : "data");
		close(fd);
		churn_read(vm_path, "gpa_hpa");
		churn_read(vm_path, "memslots");
		/* translate, scan, stage2: every request is answered. */
		r = churn_request(vm_path, "translate",
				  "0x10010000 0x10020000 0x10030000 0x0");
		TEST_ASSERT(!r, "translate: %s", strerror(-r));
		churn_read(vm_path, "translate");
		r = churn_request(vm_path, "scan", "hex:5a5a5a5a5a5a5a5a\nmax=4\n");
		TEST_ASSERT(!r, "scan: %s", strerror(-r));
		churn_read(vm_path, "scan");
		r = churn_request(vm_path, "stage2", "0x10010000 0x10020000");
		TEST_ASSERT(!r || r == -ENODATA || r == -EOPNOTSUPP,
			    "stage2: %s", strerror(-r));
		r = churn_request(vm_path, "snapshot", "capture");
		TEST_ASSERT(!r, "capture: %s", strerror(-r));
		churn_read(vm_path, "snapshot_gpa_hpa");
		stats->reads++;
	}
}
