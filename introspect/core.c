// SPDX-License-Identifier: GPL-2.0
/*
 * The core file: the VM's memory as an ELF64 core file, as /proc/kcore is
 * the host's, for crash, gdb, drgn and makedumpfile (lib/elfcore.c has the
 * layout).
 *
 * One PT_LOAD per memslot of address space 0, KVM's internal slots left
 * out, in GPA order; adjacent slots are not merged, so the PT_LOADs are the
 * memslots.  The headers and the notes (each vcpu's registers, as the
 * regs file has them: live while the VM is paused, else from the latest
 * capture) are made when the file is opened and kept with the open file;
 * an open with neither fails with ENODATA, as regs does.  The memory is
 * read at each read(), with the mem file's code: from the page that backs
 * each guest page, zeros for a page not backed, nothing faulted in.  Bytes
 * of a slot removed since the open fail the read with EIO.
 *
 * When a page of guest RAM starts with "OSRELEASE=", the first such in GPA
 * order is taken for the guest Linux kernel's vmcoreinfo page and copied,
 * as it is, into a "VMCOREINFO" note: that memcmp() is all the module
 * reads of guest data; crash and makedumpfile parse it in user space.
 * Finding it reads the first bytes of every backed guest page at each
 * open.
 *
 * A last note, "KVMINTRO", is one record saying how the core was taken:
 * "state=paused source=live" (memory of one instant, registers read from
 * the paused vcpus), or "state=running source=capture generation=N"
 * (memory read live, registers of capture N), as at the open.
 *
 * The file's size is the end of the last PT_LOAD, as of its last open.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../lib/elfcore.h"
#include "../lib/record.h"
#include "guest_memory.h"
#include "kvmintro.h"
#include "snapshot.h"

/**
 * struct kvmintro_core - an open core file
 * @elf:	its layout
 * @headers:	the ELF header, program headers and notes: @elf.headers_size
 * @vmcoreinfo:	a copy of the guest's vmcoreinfo page, or NULL
 * @state:	the "KVMINTRO" note: state= and source= as the snapshot and
 *		regs files say them, and the capture's generation= when the
 *		registers come from it
 * @loads:	the PT_LOADs, @elf.loads
 */
struct kvmintro_core {
	struct kvmintro_elfcore elf;
	void *headers;
	void *vmcoreinfo;
	char state[80];
	struct kvmintro_elfcore_load loads[];
};

/*
 * Every vcpu's registers, by vcpu index, kvmalloc()ed into @cpus, and
 * where they come from in @core->state.
 */
static int kvmintro_core_read_regs(struct kvmintro_vm *vm, struct kvm *kvm,
				   struct kvmintro_core *core,
				   struct kvmintro_regs **cpus,
				   unsigned int *nr_cpus)
{
	struct kvmintro_record_writer writer;
	struct kvmintro_regs *regs = NULL;
	unsigned int index, nr;
	int r, len;

	r = mutex_lock_killable(&vm->pause.lock);
	if (r)
		return r;
	if (vm->pause.paused)
		nr = atomic_read(&kvm->online_vcpus);
	else if (vm->pause.snapshot)
		nr = vm->pause.snapshot->nr_vcpus;
	else
		nr = 0;
	r = -ENODATA;
	if (!vm->pause.paused && !vm->pause.snapshot)
		goto out_unlock;
	r = -ENOMEM;
	regs = kvmalloc_array(max(nr, 1U), sizeof(*regs),
			      GFP_KERNEL | __GFP_ZERO);
	if (!regs)
		goto out_unlock;
	r = 0;
	for (index = 0; index < nr && !r; index++)
		r = kvmintro_vm_read_vcpu_regs(vm, kvm, index, &regs[index]);
	kvmintro_record_begin(&writer, core->state, sizeof(core->state), NULL);
	kvmintro_record_word(&writer, "state",
			     vm->pause.paused ? "paused" : "running");
	kvmintro_record_word(&writer, "source",
			     vm->pause.paused ? "live" : "capture");
	if (!vm->pause.paused)
		kvmintro_record_u64(&writer, "generation",
				    vm->pause.snapshot->generation);
	len = kvmintro_record_end(&writer);
	if (WARN_ON_ONCE(len < 0))
		r = len;
	core->elf.state = core->state;
	core->elf.state_size = len;
out_unlock:
	mutex_unlock(&vm->pause.lock);
	if (r) {
		kvfree(regs);
		return r;
	}
	*cpus = regs;
	*nr_cpus = nr;
	return 0;
}

/* The PT_LOADs: memslots of address space 0 but KVM's own, in GPA order. */
static struct kvmintro_core *kvmintro_core_alloc(struct kvm *kvm)
{
	struct kvmintro_elfcore_load *load;
	struct kvmintro_slot_copy *slots;
	struct kvmintro_core *core;
	int i, n;

	n = kvmintro_copy_memslots(kvm, &slots);
	if (n < 0)
		return ERR_PTR(n);
	core = kvzalloc(struct_size(core, loads, n), GFP_KERNEL);
	if (!core) {
		kvmintro_free_memslots(slots, n);
		return ERR_PTR(-ENOMEM);
	}
	core->elf.loads = core->loads;
	for (i = 0; i < n; i++) {
		if (slots[i].as_id || slots[i].id >= KVM_USER_MEM_SLOTS)
			continue;
		load = &core->loads[core->elf.nr_loads++];
		load->gpa = (u64)slots[i].base_gfn << PAGE_SHIFT;
		load->size = (u64)slots[i].npages << PAGE_SHIFT;
		load->read_only = slots[i].flags & KVM_MEM_READONLY;
	}
	kvmintro_free_memslots(slots, n);
	return core;
}

#define KVMINTRO_VMCOREINFO_START	"OSRELEASE="

/* Stop at the first backed page that starts as a vmcoreinfo page does. */
static int kvmintro_core_find_vmcoreinfo_run(void *ctx,
					     const struct kvmintro_guest_run *run)
{
	void **copy = ctx;
	unsigned long i;
	void *kaddr;
	bool found;

	if (run->kind == KVMINTRO_PAGE_NONE || run->kind == KVMINTRO_PAGE_ZERO)
		return 0;
	for (i = 0; i < run->npages; i++) {
		kaddr = kmap_local_page(run->pages[i]);
		found = !memcmp(kaddr, KVMINTRO_VMCOREINFO_START,
				sizeof(KVMINTRO_VMCOREINFO_START) - 1);
		if (found)
			*copy = kmemdup(kaddr, PAGE_SIZE, GFP_KERNEL);
		kunmap_local(kaddr);
		if (found)
			return *copy ? 1 : -ENOMEM;
	}
	return 0;
}

/*
 * The guest kernel's vmcoreinfo page, copied, or NULL if no page of guest
 * RAM (address space 0) starts with "OSRELEASE=".
 */
static void *kvmintro_core_find_vmcoreinfo(struct kvm *kvm)
{
	struct kvmintro_guest_mem mem;
	void *copy = NULL;
	int r;

	r = kvmintro_guest_mem_open(&mem, kvm);
	if (r)
		return ERR_PTR(r);
	r = kvmintro_guest_mem_walk_all(&mem, 0,
					kvmintro_core_find_vmcoreinfo_run,
					&copy);
	kvmintro_guest_mem_close(&mem);
	if (r < 0)
		return ERR_PTR(r);
	return copy;
}

static void kvmintro_core_free(struct kvmintro_core *core)
{
	kfree(core->vmcoreinfo);
	kvfree(core->headers);
	kvfree(core);
}

static int kvmintro_core_open(struct inode *inode, struct file *file)
{
	struct kvmintro_vm *vm = inode->i_private;
	struct kvmintro_regs *cpus = NULL;
	struct kvmintro_core *core;
	struct kvm *kvm;
	int r;

	kvm = kvmintro_vm_access_kvm(vm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	core = kvmintro_core_alloc(kvm);
	if (IS_ERR(core)) {
		r = PTR_ERR(core);
		goto out_put_kvm;
	}
	r = kvmintro_core_read_regs(vm, kvm, core, &cpus, &core->elf.nr_cpus);
	if (r)
		goto out_free_core;
	core->elf.cpus = cpus;
	core->vmcoreinfo = kvmintro_core_find_vmcoreinfo(kvm);
	if (IS_ERR(core->vmcoreinfo)) {
		r = PTR_ERR(core->vmcoreinfo);
		core->vmcoreinfo = NULL;
		goto out_free_cpus;
	}
	core->elf.vmcoreinfo = core->vmcoreinfo;
	core->elf.vmcoreinfo_size = core->vmcoreinfo ? PAGE_SIZE : 0;
	r = kvmintro_elfcore_layout(&core->elf);
	if (r)
		goto out_free_cpus;
	r = -ENOMEM;
	core->headers = kvmalloc(core->elf.headers_size, GFP_KERNEL);
	if (!core->headers)
		goto out_free_cpus;
	r = kvmintro_elfcore_write_headers(&core->elf, core->headers,
					   core->elf.headers_size);
	if (WARN_ON_ONCE(r))
		goto out_free_cpus;
	kvfree(cpus);
	core->elf.cpus = NULL;
	kvm_put_kvm(kvm);
	i_size_write(inode, core->elf.file_size);
	file->private_data = core;
	return 0;

out_free_cpus:
	kvfree(cpus);
out_free_core:
	kvmintro_core_free(core);
out_put_kvm:
	kvm_put_kvm(kvm);
	return r;
}

static int kvmintro_core_release(struct inode *inode, struct file *file)
{
	kvmintro_core_free(file->private_data);
	return 0;
}

/*
 * Copy [@pos, @pos + @count) of guest memory at the file offsets of
 * PT_LOAD @load: the VM's memory is opened on the first call of a read.
 */
static ssize_t kvmintro_core_read_load(struct kvmintro_vm *vm,
				       struct kvm **kvm,
				       struct kvmintro_guest_mem *mem,
				       const struct kvmintro_elfcore_load *load,
				       char __user *ubuf, u64 pos, u64 count)
{
	int r;

	if (!*kvm) {
		*kvm = kvmintro_vm_access_kvm(vm);
		if (IS_ERR(*kvm)) {
			r = PTR_ERR(*kvm);
			*kvm = NULL;
			return r;
		}
		r = kvmintro_guest_mem_open(mem, *kvm);
		if (r) {
			kvm_put_kvm(*kvm);
			*kvm = NULL;
			return r;
		}
	}
	return kvmintro_guest_mem_read(mem, ubuf, load->gpa + (pos - load->offset),
				       count);
}

static ssize_t kvmintro_core_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	struct kvmintro_core *core = file->private_data;
	const struct kvmintro_elfcore *elf = &core->elf;
	const struct kvmintro_elfcore_load *load;
	struct kvmintro_guest_mem mem;
	struct kvm *kvm = NULL;
	u64 pos = *ppos, end, chunk;
	ssize_t r = 0;

	if (*ppos < 0)
		return -EINVAL;
	if (pos >= elf->file_size || !count)
		return 0;
	end = pos + min_t(u64, count, elf->file_size - pos);
	while (pos < end) {
		if (pos < elf->headers_size) {
			chunk = min(end, elf->headers_size) - pos;
			if (copy_to_user(ubuf, core->headers + pos, chunk)) {
				r = -EFAULT;
				break;
			}
		} else if (pos < elf->data_offset) {
			chunk = min(end, elf->data_offset) - pos;
			if (clear_user(ubuf, chunk)) {
				r = -EFAULT;
				break;
			}
		} else {
			load = kvmintro_elfcore_find_load(elf, pos);
			if (WARN_ON_ONCE(!load)) {
				r = -EIO;
				break;
			}
			chunk = min(end, load->offset + load->size) - pos;
			r = kvmintro_core_read_load(vm, &kvm, &mem, load, ubuf,
						    pos, chunk);
			if (r <= 0)
				break;
			if ((u64)r < chunk) {
				pos += r;
				break;
			}
			r = 0;
		}
		pos += chunk;
		ubuf += chunk;
	}
	if (kvm) {
		kvmintro_guest_mem_close(&mem);
		kvm_put_kvm(kvm);
	}
	if (pos == (u64)*ppos)
		return r;
	count = pos - *ppos;
	*ppos = pos;
	return count;
}

const struct file_operations kvmintro_core_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_core_open,
	.release = kvmintro_core_release,
	.read = kvmintro_core_read,
	.llseek = default_llseek,
};
