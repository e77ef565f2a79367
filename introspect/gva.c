// SPDX-License-Identifier: GPL-2.0
/*
 * The gva file: a guest virtual address taken down the whole chain.
 *
 *   echo '0xffffffff81000000 vcpu=0' > gva; cat gva
 *
 * walks the guest's own page tables with that vcpu's registers (live while
 * the VM is paused, else from the latest capture; the request may override
 * the table roots: cr3= on x86, ttbr0=, ttbr1=, tcr= on arm64), printing
 * every entry, then the GPA, its HVA, HPA, host page size and kind.  Table
 * entries are read from guest memory without faulting it in: a table page
 * the host has not backed reads as zeros.
 *
 * This file is the architecture-neutral part: the request, the registers,
 * guest memory, the records but those of the entries.  The walk and what
 * it reads are the architecture's (kvmintro_arch_gva_walk(),
 * introspect/arch/<arch>/gva.c).
 */
#include <linux/debugfs.h>
#include <linux/highmem.h>
#include <linux/slab.h>

#include "../lib/format.h"
#include "../lib/parse.h"
#include "../lib/record.h"
#include "guest_memory.h"
#include "kvmintro.h"
#include "reply.h"
#include "snapshot.h"
#include "text.h"

#define KVMINTRO_GVA_TEXT_MAX	2048

struct kvmintro_gva_read {
	struct kvmintro_guest_mem *mem;
	u64 gpa;
	unsigned int size;
	u64 value;
	struct kvmintro_guest_run run;	/* the page the GPA is in */
};

static int kvmintro_gva_read_run(void *data,
				 const struct kvmintro_guest_run *run)
{
	struct kvmintro_gva_read *rd = data;
	void *kaddr;

	rd->run = *run;
	rd->run.pages = NULL;
	rd->value = 0;
	if (run->kind == KVMINTRO_PAGE_NONE || !rd->size)
		return 0;
	kaddr = kmap_local_page(run->pages[0]);
	memcpy(&rd->value, kaddr + (rd->gpa & ~PAGE_MASK), rd->size);
	kunmap_local(kaddr);
	return 0;
}

/* Look @gpa up; read @size bytes there if @size.  -ENOENT: no memslot. */
static int kvmintro_gva_lookup(struct kvmintro_gva_read *rd, u64 gpa,
			       unsigned int size)
{
	const struct kvmintro_slot_copy *slot;

	slot = kvmintro_find_slot(rd->mem->slots, rd->mem->nr_slots, 0,
				  gpa >> PAGE_SHIFT);
	if (!slot)
		return -ENOENT;
	rd->gpa = gpa;
	rd->size = size;
	return kvmintro_guest_mem_walk(rd->mem, slot, gpa >> PAGE_SHIFT, 1,
				       kvmintro_gva_read_run, rd);
}

static int kvmintro_gva_read_entry(void *ctx, u64 gpa, unsigned int size,
				   u64 *value)
{
	struct kvmintro_gva_read *rd = ctx;
	int r = kvmintro_gva_lookup(rd, gpa, size);

	/* A table outside guest RAM: what the walk would find is not RAM. */
	if (r == -ENOENT)
		return -EFAULT;
	*value = rd->value;
	return r;
}

/* The host record: where the walk's GPA lies in the VMM and the host. */
static int kvmintro_gva_format_host(char *buf, size_t size,
				    const struct kvmintro_gva_walk *walk,
				    struct kvmintro_gva_read *rd)
{
	u64 offset = walk->gpa & ~PAGE_MASK;
	struct kvmintro_record_writer writer;
	int r;

	kvmintro_record_begin(&writer, buf, size, "host");
	r = kvmintro_gva_lookup(rd, walk->gpa, 0);
	if (r == -ENOENT) {
		kvmintro_record_word(&writer, "reason", "no-memslot");
		return kvmintro_record_end(&writer);
	}
	kvmintro_record_hex(&writer, "hva", (u64)rd->run.hva + offset);
	if (r || rd->run.kind == KVMINTRO_PAGE_NONE) {
		kvmintro_record_word(&writer, "reason", "not-backed");
		return kvmintro_record_end(&writer);
	}
	kvmintro_record_hex(&writer, "hpa",
			    ((u64)rd->run.pfn << PAGE_SHIFT) + offset);
	kvmintro_record_size_word(&writer, "host_size", rd->run.host_shift);
	kvmintro_record_word(&writer, "kind",
			     kvmintro_page_kind_name(rd->run.kind));
	return kvmintro_record_end(&writer);
}

/*
 * The records of a walk: the request, every entry read, then where it
 * stopped, or the GPA and the host record.
 */
static size_t kvmintro_gva_text(char *text, size_t size,
				const struct kvmintro_gva_request *req,
				const struct kvmintro_gva_walk *walk,
				struct kvmintro_gva_read *rd)
{
	struct kvmintro_record_writer writer;
	unsigned int i;
	size_t len;
	int step;

	kvmintro_record_begin(&writer, text, size, NULL);
	kvmintro_record_hex(&writer, "gva", req->gva);
	kvmintro_record_u64(&writer, "vcpu", req->vcpu);
	kvmintro_arch_gva_format_request(&writer, walk);
	len = kvmintro_text_written(kvmintro_record_end(&writer));
	for (i = 0;; i++) {
		step = kvmintro_arch_gva_format_step(text + len, size - len,
						     walk, i);
		if (!step)
			break;
		len += kvmintro_text_written(step);
	}
	if (!walk->mapped) {
		kvmintro_record_begin(&writer, text + len, size - len, "stop");
		if (walk->has_stop_level)
			kvmintro_record_s64(&writer, "level", walk->stop_level);
		kvmintro_record_word(&writer, "reason", walk->stop_reason);
		return len +
		       kvmintro_text_written(kvmintro_record_end(&writer));
	}
	kvmintro_record_begin(&writer, text + len, size - len, NULL);
	kvmintro_record_hex(&writer, "gpa", walk->gpa);
	kvmintro_record_size_word(&writer, "page_size", ilog2(walk->page_size));
	len += kvmintro_text_written(kvmintro_record_end(&writer));
	return len + kvmintro_text_written(kvmintro_gva_format_host(text + len,
			size - len, walk, rd));
}

static ssize_t kvmintro_gva_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	struct kvmintro_gva_request req;
	struct kvmintro_guest_mem mem;
	struct kvmintro_gva_read rd = { .mem = &mem };
	struct kvmintro_gva_walk *walk;
	struct kvmintro_regs *regs;
	char buf[KVMINTRO_GVA_REQUEST_MAX];
	struct kvm *kvm;
	char *text = NULL;
	size_t len;
	int r;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (kvmintro_parse_gva_request(buf, count, kvmintro_arch_gva_overrides,
				       kvmintro_arch_gva_nr_overrides, &req))
		return -EINVAL;

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	regs = kzalloc(sizeof(*regs), GFP_KERNEL);
	walk = kzalloc(sizeof(*walk), GFP_KERNEL);
	r = regs && walk ? mutex_lock_killable(&vm->pause.lock) : -ENOMEM;
	if (r)
		goto out_put_kvm;
	/* Live if paused, else captured; a vcpu the VM lacks is -EINVAL. */
	r = req.vcpu < atomic_read(&kvm->online_vcpus) ?
	    kvmintro_vm_read_vcpu_regs(vm, kvm, req.vcpu, regs) : -EINVAL;
	mutex_unlock(&vm->pause.lock);
	if (r)
		goto out_put_kvm;

	r = kvmintro_guest_mem_open(&mem, kvm);
	if (r)
		goto out_put_kvm;
	r = kvmintro_arch_gva_walk(regs, &req, kvmintro_gva_read_entry, &rd,
				   walk);
	if (!r) {
		text = kvmalloc(KVMINTRO_GVA_TEXT_MAX, GFP_KERNEL);
		r = text ? 0 : -ENOMEM;
	}
	if (!r)
		len = kvmintro_gva_text(text, KVMINTRO_GVA_TEXT_MAX, &req,
					walk, &rd);
	kvmintro_guest_mem_close(&mem);
	if (!r) {
		mutex_lock(&vm->gva.lock);
		kvmintro_reply_set(&vm->gva, text, len);
		mutex_unlock(&vm->gva.lock);
	}
out_put_kvm:
	kfree(walk);
	kfree(regs);
	kvm_put_kvm(kvm);
	return r ? r : count;
}

static ssize_t kvmintro_gva_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	int r = kvmintro_vm_check_access(vm);

	return r ? r : kvmintro_reply_read(&vm->gva, ubuf, count, ppos);
}

const struct file_operations kvmintro_gva_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = kvmintro_gva_read,
	.write = kvmintro_gva_write,
	.llseek = default_llseek,
};
