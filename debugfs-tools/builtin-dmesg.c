// SPDX-License-Identifier: GPL-2.0
/*
 * kvmintro dmesg PID|DIR: the guest Linux kernel's log, read live from
 * guest memory with what its VMCOREINFO says (printk.c reads the ring),
 * printed as dmesg prints it: "[seconds.micros] text", a line each.
 *
 * Guest kernel addresses are translated through the guest's own page
 * tables, from init_top_pgt (the kernel's page-table root, at a physical
 * address VMCOREINFO gives), with lib/pagewalk.c; the bytes come from the
 * VM's mem file.  Nothing runs in the guest, no vcpu is paused, and all of
 * this parsing of guest data happens here, in user space.
 */
#include "kvmintro.h"

#include "../lib/pagewalk.h"

/* __START_KERNEL_map: where x86-64 maps the kernel image. */
#define KVMINTRO_DMESG_START_KERNEL_MAP	0xffffffff80000000ull

/**
 * struct kvmintro_dmesg_memory - guest kernel memory, read through the
 *	guest's page tables and the VM's mem file
 * @fd: the mem file
 * @mode: 4- or 5-level paging
 * @cr3: the physical address of init_top_pgt
 * @page_gva: the guest page the last walk found, if @page_size
 * @page_gpa: where it is in guest physical memory
 * @page_size: its size, 0 if no walk yet
 * @fault_gva: the address that could not be read, for messages
 * @faulted: a read failed
 */
struct kvmintro_dmesg_memory {
	int fd;
	enum kvmintro_paging_mode mode;
	uint64_t cr3;
	uint64_t page_gva, page_gpa, page_size;
	uint64_t fault_gva;
	bool faulted;
};

static int kvmintro_dmesg_read_entry(void *context, u64 gpa,
				     unsigned int size, u64 *value)
{
	struct kvmintro_dmesg_memory *memory = context;

	*value = 0;
	return kvmintro_pread_all(memory->fd, value, size, gpa);
}

/* kvmintro_printk_read_fn: @size bytes at guest virtual @gva. */
static int kvmintro_dmesg_read(void *context, uint64_t gva, void *buf,
			       size_t size)
{
	struct kvmintro_dmesg_memory *memory = context;
	struct kvmintro_walk walk;
	uint64_t offset, chunk;
	int ret;

	while (size) {
		if (!memory->page_size || gva < memory->page_gva ||
		    gva - memory->page_gva >= memory->page_size) {
			ret = kvmintro_walk_gva(memory->mode, memory->cr3, 0, gva,
						kvmintro_dmesg_read_entry,
						memory, &walk);
			if (!ret && !walk.present)
				ret = -EFAULT;
			if (ret)
				goto out_fault;
			memory->page_size = walk.page_size;
			memory->page_gva = gva & ~(walk.page_size - 1);
			memory->page_gpa = walk.gpa & ~(walk.page_size - 1);
		}
		offset = gva - memory->page_gva;
		chunk = memory->page_size - offset;
		if (chunk > size)
			chunk = size;
		ret = kvmintro_pread_all(memory->fd, buf, chunk,
					   memory->page_gpa + offset);
		if (ret)
			goto out_fault;
		buf = (char *)buf + chunk;
		size -= chunk;
		gva += chunk;
	}
	return 0;

out_fault:
	memory->fault_gva = gva;
	memory->faulted = true;
	return ret;
}

/*
 * Where the guest kernel's page tables are: init_top_pgt's physical
 * address (__pa_symbol(): the symbol minus __START_KERNEL_map plus
 * phys_base) and the paging mode.  On failure say why and return -errno.
 */
static int kvmintro_dmesg_page_tables(const struct kvmintro_vm *vm,
				      const char *vmcoreinfo,
				      struct kvmintro_dmesg_memory *memory)
{
	uint64_t pgt, phys_base, l5 = 0;

	if (!kvmintro_vmcoreinfo_number(vmcoreinfo, "SYMBOL(init_top_pgt)", 16,
					&pgt) ||
	    !kvmintro_vmcoreinfo_number(vmcoreinfo, "NUMBER(phys_base)", 10,
					&phys_base) ||
	    pgt < KVMINTRO_DMESG_START_KERNEL_MAP) {
		kvmintro_error("VM %s: the guest's VMCOREINFO gives no SYMBOL(init_top_pgt) and NUMBER(phys_base): not an x86-64 Linux kernel kvmintro reads",
			       vm->dir);
		return -ENOENT;
	}
	kvmintro_vmcoreinfo_number(vmcoreinfo, "NUMBER(pgtable_l5_enabled)", 10,
				   &l5);
	memory->mode = l5 ? KVMINTRO_PAGING_5LEVEL : KVMINTRO_PAGING_4LEVEL;
	memory->cr3 = pgt - KVMINTRO_DMESG_START_KERNEL_MAP + phys_base;
	return 0;
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
				 const struct kvmintro_dmesg_memory *memory,
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
	struct kvmintro_dmesg_memory memory = { .fd = -1 };
	struct kvmintro_printk_layout layout;
	struct kvmintro_printk_stats stats;
	char *mem = NULL;
	struct kvmintro_json json;
	const struct kvmintro_vm *vm = &kvmintro->vm;
	const char *missing;
	char *vmcoreinfo;
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
	ret = kvmintro_dmesg_page_tables(vm, vmcoreinfo, &memory);
	if (ret)
		goto out_free;
	memory.fd = kvmintro_debugfs_open(kvmintro->debugfs_root, vm->dir, "mem",
					  NULL, &mem);
	if (memory.fd < 0) {
		ret = memory.fd;
		goto out_release;
	}
	if (kvmintro->json) {
		kvmintro_vm_json_begin(&json, stdout, vm);
		kvmintro_json_begin_array(&json, "records");
		ret = kvmintro_printk_read(&layout, kvmintro_dmesg_read, &memory,
					   kvmintro_dmesg_print_json, &json,
					   &stats);
		kvmintro_json_end_array(&json);
		ret = kvmintro_vm_json_end(&json) ?: ret;
	} else {
		ret = kvmintro_printk_read(&layout, kvmintro_dmesg_read, &memory,
					   kvmintro_dmesg_print_plain, NULL,
					   &stats);
	}
	close(memory.fd);
	if (ret)
		ret = kvmintro_dmesg_report(vm, ret, &memory, &stats);
out_release:
	free(mem);
out_free:
	free(vmcoreinfo);
	return ret;
}
