// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro dmesg PID|DIR: the guest Linux kernel's log, read live from
 * guest memory with what its VMCOREINFO says (lib/printk.c reads the
 * ring), printed as dmesg prints it: "[seconds.micros] text", a line each.
 *
 * Guest kernel addresses are translated through the guest's own page
 * tables (lib/printk.c's kvmintro_kernel_read()); the bytes come from the
 * VM's mem file.  Nothing runs in the guest, no vcpu is paused, and all of
 * this parsing of guest data happens here, in user space.
 */
#include "kvmintro.h"

/* kvmintro_read_gpa_fn: the VM's mem file, @context its descriptor. */
static int kvmintro_dmesg_read_gpa(void *context, u64 gpa, void *buf,
				   size_t size)
{
	return kvmintro_pread_all(*(int *)context, buf, size, gpa);
}

/* Write guest text as it is, but \xNN for bytes that are not printable. */
static void kvmintro_dmesg_print_text(const char *text, size_t length)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < length; i++) {
		c = (unsigned char)text[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\t')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

/* kvmintro_printk_record_fn: the record as dmesg prints it. */
static int kvmintro_dmesg_print_plain(void *context,
				      const struct kvmintro_printk_record *record)
{
	unsigned long seconds = record->ts_nsec / 1000000000;
	unsigned long micros = record->ts_nsec % 1000000000 / 1000;
	const char *line = record->text, *end = line + record->text_len;
	const char *newline;

	(void)context;
	/* A line each, all with the record's time, as the kernel's syslog. */
	for (;;) {
		newline = memchr(line, '\n', end - line);
		printf("[%5lu.%06lu] ", seconds, micros);
		kvmintro_dmesg_print_text(line, (newline ?: end) - line);
		putchar('\n');
		if (!newline)
			break;
		line = newline + 1;
	}
	return ferror(stdout) ? -EIO : 0;
}

/* kvmintro_printk_record_fn: the record as an object of "records". */
static int kvmintro_dmesg_print_json(void *context,
				     const struct kvmintro_printk_record *record)
{
	struct kvmintro_json *json = context;
	char caller[16];

	/* As the kernel prints it with CONFIG_PRINTK_CALLER. */
	snprintf(caller, sizeof(caller), "%c%" PRIu32,
		 record->caller_id & 0x80000000u ? 'C' : 'T',
		 record->caller_id & ~0x80000000u);
	kvmintro_json_begin_object(json, NULL);
	kvmintro_json_u64(json, "seq", record->seq);
	kvmintro_json_u64(json, "ts_nsec", record->ts_nsec);
	kvmintro_json_string(json, "caller", caller);
	kvmintro_json_string_bytes(json, "text", record->text,
				   record->text_len);
	kvmintro_json_end_object(json);
	return json->error;
}

/*
 * Say why the ring could not be read, or not all of it, or printed; return
 * -EIO, or -ENOMEM.
 */
static int kvmintro_dmesg_report(const struct kvmintro_vm *vm, int ret,
				 const struct kvmintro_kernel_memory *memory,
				 const struct kvmintro_printk_stats *stats)
{
	const char *done = stats->records ? " after the records printed" : "";

	if (stats->problem) {
		kvmintro_error("VM %s: the guest's printk ring buffer is not one kvmintro reads: %s",
			       vm->dir, stats->problem);
	} else if (!memory->faulted) {
		return kvmintro_check_output(ret);
	} else if (ret == -EFAULT) {
		kvmintro_error("VM %s: the guest's page tables map nothing at 0x%" PRIx64 "%s: its log cannot be read there",
			       vm->dir, memory->fault_gva, done);
	} else if (ret == -EIO) {
		kvmintro_error("VM %s: the guest's page tables put 0x%" PRIx64 " in no memslot%s",
			       vm->dir, memory->fault_gva, done);
	} else {
		kvmintro_error("VM %s: reading guest memory at 0x%" PRIx64 "%s: %s",
			       vm->dir, memory->fault_gva, done, strerror(-ret));
	}
	return -EIO;
}

int kvmintro_cmd_dmesg(struct kvmintro *kvmintro)
{
	const struct kvmintro_vm *vm = &kvmintro->vm;
	int fd = -1;
	struct kvmintro_kernel_memory memory = {
		.read_gpa = kvmintro_dmesg_read_gpa,
		.context = &fd,
	};
	struct kvmintro_printk_layout layout;
	struct kvmintro_printk_stats stats;
	char *vmcoreinfo, *mem = NULL, *text = NULL;
	struct kvmintro_json json;
	const char *missing;
	int ret;

	ret = kvmintro_vmcoreinfo_load(kvmintro, &vmcoreinfo);
	if (ret)
		goto out_free;
	ret = kvmintro_printk_layout_parse(vmcoreinfo, &layout, &missing);
	if (ret) {
		kvmintro_error("VM %s: the guest's VMCOREINFO %s %s: a kernel without the lockless printk ring buffer of Linux 5.10 and later?",
			       vm->dir, ret == -ENOENT ? "has no" : "has an impossible",
			       missing);
		goto out_free;
	}
	ret = kvmintro_vmcoreinfo_page_tables(vmcoreinfo, &memory);
	if (ret) {
		kvmintro_error("VM %s: the guest's VMCOREINFO gives no SYMBOL(init_top_pgt) and NUMBER(phys_base): not an x86-64 Linux kernel kvmintro reads",
			       vm->dir);
		goto out_free;
	}
	text = malloc(KVMINTRO_PRINTK_TEXT_MAX);
	if (!text) {
		kvmintro_error("out of memory");
		ret = -ENOMEM;
		goto out_free;
	}
	fd = kvmintro_debugfs_open(kvmintro->debugfs_root, vm->dir, "mem",
				   NULL, &mem);
	ret = fd;
	if (fd < 0)
		goto out_free;
	if (kvmintro->json) {
		kvmintro_vm_json_begin(&json, stdout, vm);
		kvmintro_json_begin_array(&json, "records");
		ret = kvmintro_printk_read(&layout, kvmintro_kernel_read, &memory,
					   kvmintro_dmesg_print_json, &json,
					   text, &stats);
		kvmintro_json_end_array(&json);
		ret = kvmintro_vm_json_end(&json) ?: ret;
	} else {
		ret = kvmintro_printk_read(&layout, kvmintro_kernel_read, &memory,
					   kvmintro_dmesg_print_plain, NULL,
					   text, &stats);
	}
	close(fd);
	if (ret)
		ret = kvmintro_dmesg_report(vm, ret, &memory, &stats);
out_free:
	free(mem);
	free(text);
	free(vmcoreinfo);
	return ret;
}
