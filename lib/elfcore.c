// SPDX-License-Identifier: GPL-2.0
/*
 * A VM as an ELF64 core file: the layout, the headers and the notes.
 *
 * The file is laid out as QEMU's dump-guest-memory lays out its dumps
 * without paging, which crash, gdb and makedumpfile read:
 *
 *   ELF header
 *   program headers: PT_NOTE, then one PT_LOAD per run of guest RAM
 *   the notes: an NT_PRSTATUS "CORE" note per vcpu, then, on x86, a
 *     "QEMU" CPU state note per vcpu, in vcpu index order (their layout
 *     is the architecture's: kvmintro_elfcore_arch), then the guest kernel's
 *     "VMCOREINFO" if the caller found it, then kvmintro's own "KVMINTRO"
 *     note, one record saying how the core was taken
 *   zeros up to the next page
 *   the PT_LOADs' bytes, one after the other, in the caller's order
 *
 * p_paddr is the guest physical address and p_vaddr 0: without the
 * guest's page tables there is no virtual address to give, and QEMU
 * writes 0 there too.  p_align is 0, as in kdump's and QEMU's dumps,
 * though the PT_LOADs' bytes start on pages (sparse files, mmap()):
 * crash reads the other combination as the netdump format.
 */
#include "elfcore.h"

static u64 kvmintro_elfcore_round_up(u64 value, u64 align)
{
	return (value + align - 1) / align * align;
}

static u64 kvmintro_elfcore_note_size(const char *name, u64 desc_size)
{
	return sizeof(struct kvmintro_elf64_nhdr) +
	       kvmintro_elfcore_round_up(strlen(name) + 1, 4) +
	       kvmintro_elfcore_round_up(desc_size, 4);
}

/**
 * kvmintro_elfcore_layout() - place the notes and PT_LOADs of a core file
 * @core:	@loads, @nr_loads, @nr_cpus in; the offsets and sizes out
 *
 * Return: 0, -E2BIG if there are more program headers than an ELF header
 * can count without section headers (0xffff), or -EINVAL if a PT_LOAD is
 * not page-aligned or the file would not fit in 63 bits.
 */
int kvmintro_elfcore_layout(struct kvmintro_elfcore *core)
{
	const struct kvmintro_elfcore_arch *arch = &kvmintro_elfcore_arch;
	u64 offset;
	unsigned int i;

	if (core->nr_loads + 1 >= 0xffff)
		return -E2BIG;
	if (arch->prstatus_size > KVMINTRO_ELFCORE_MAX_CPU_DESC ||
	    arch->cpu_state_size > KVMINTRO_ELFCORE_MAX_CPU_DESC)
		return -EINVAL;
	core->notes_size = (u64)core->nr_cpus *
		kvmintro_elfcore_note_size("CORE", arch->prstatus_size);
	if (arch->cpu_state_size)
		core->notes_size += (u64)core->nr_cpus *
			kvmintro_elfcore_note_size("QEMU",
						   arch->cpu_state_size);
	if (core->vmcoreinfo)
		core->notes_size += kvmintro_elfcore_note_size("VMCOREINFO",
							       core->vmcoreinfo_size);
	if (core->state)
		core->notes_size += kvmintro_elfcore_note_size("KVMINTRO",
							       core->state_size);
	core->headers_size = sizeof(struct kvmintro_elf64_ehdr) +
		(u64)(core->nr_loads + 1) * sizeof(struct kvmintro_elf64_phdr) +
		core->notes_size;
	core->data_offset = kvmintro_elfcore_round_up(core->headers_size,
						      KVMINTRO_ELFCORE_ALIGN);
	offset = core->data_offset;
	for (i = 0; i < core->nr_loads; i++) {
		struct kvmintro_elfcore_load *load = &core->loads[i];

		if ((load->gpa | load->size) % KVMINTRO_ELFCORE_ALIGN ||
		    load->size > (1ULL << 62) - offset)
			return -EINVAL;
		load->offset = offset;
		offset += load->size;
	}
	core->file_size = offset;
	return 0;
}

/* Write one note at @p; return the byte after it. */
static u8 *kvmintro_elfcore_put_note(u8 *p, const char *name, u32 type,
				     const void *desc, u32 desc_size)
{
	struct kvmintro_elf64_nhdr nhdr = {
		.n_namesz = strlen(name) + 1,
		.n_descsz = desc_size,
		.n_type = type,
	};
	u32 name_size = kvmintro_elfcore_round_up(nhdr.n_namesz, 4);

	memcpy(p, &nhdr, sizeof(nhdr));
	p += sizeof(nhdr);
	memset(p, 0, name_size);
	memcpy(p, name, nhdr.n_namesz);
	p += name_size;
	memcpy(p, desc, desc_size);
	memset(p + desc_size, 0, kvmintro_elfcore_round_up(desc_size, 4) -
				 desc_size);
	return p + kvmintro_elfcore_round_up(desc_size, 4);
}

/**
 * kvmintro_elfcore_write_headers() - write the headers and notes of a core
 * @core:	laid out by kvmintro_elfcore_layout()
 * @buf:	where to write them
 * @size:	its size, at least @core->headers_size
 *
 * Return: 0, or -ENOSPC if @buf is too small.
 */
int kvmintro_elfcore_write_headers(const struct kvmintro_elfcore *core,
				   void *buf, u64 size)
{
	struct kvmintro_elf64_ehdr ehdr = {
		.e_ident = { 0x7f, 'E', 'L', 'F',
			     2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */,
			     1 /* EV_CURRENT */, 0 /* ELFOSABI_NONE */ },
		.e_type = KVMINTRO_ELF_ET_CORE,
		.e_machine = kvmintro_elfcore_arch.machine,
		.e_version = 1,
		.e_phoff = sizeof(struct kvmintro_elf64_ehdr),
		.e_ehsize = sizeof(struct kvmintro_elf64_ehdr),
		.e_phentsize = sizeof(struct kvmintro_elf64_phdr),
		.e_phnum = core->nr_loads + 1,
	};
	const struct kvmintro_elfcore_arch *arch = &kvmintro_elfcore_arch;
	/* u64s: the architecture fills it as its struct, aligned. */
	u64 desc[KVMINTRO_ELFCORE_MAX_CPU_DESC / sizeof(u64)];
	struct kvmintro_elf64_phdr phdr;
	u8 *p = buf;
	unsigned int i;

	if (size < core->headers_size)
		return -ENOSPC;
	memcpy(p, &ehdr, sizeof(ehdr));
	p += sizeof(ehdr);

	memset(&phdr, 0, sizeof(phdr));
	phdr.p_type = KVMINTRO_ELF_PT_NOTE;
	phdr.p_offset = core->headers_size - core->notes_size;
	phdr.p_filesz = core->notes_size;
	phdr.p_memsz = core->notes_size;
	phdr.p_align = 4;
	memcpy(p, &phdr, sizeof(phdr));
	p += sizeof(phdr);

	for (i = 0; i < core->nr_loads; i++) {
		const struct kvmintro_elfcore_load *load = &core->loads[i];

		memset(&phdr, 0, sizeof(phdr));
		phdr.p_type = KVMINTRO_ELF_PT_LOAD;
		phdr.p_flags = KVMINTRO_ELF_PF_R | KVMINTRO_ELF_PF_X |
			       (load->read_only ? 0 : KVMINTRO_ELF_PF_W);
		phdr.p_offset = load->offset;
		phdr.p_paddr = load->gpa;
		phdr.p_filesz = load->size;
		phdr.p_memsz = load->size;
		/*
		 * 0, as Linux's kdump and QEMU write it, though the bytes are
		 * page-aligned: crash takes an ELF core whose first PT_LOAD
		 * has a page-aligned p_offset and a non-zero p_align for the
		 * old netdump format, and then neither reads VMCOREINFO's
		 * KERNELOFFSET nor relocates the kernel's symbols (KASLR).
		 */
		phdr.p_align = 0;
		memcpy(p, &phdr, sizeof(phdr));
		p += sizeof(phdr);
	}

	for (i = 0; i < core->nr_cpus; i++) {
		memset(desc, 0, arch->prstatus_size);
		arch->fill_prstatus(desc, core->cpus, i);
		p = kvmintro_elfcore_put_note(p, "CORE",
					      KVMINTRO_ELF_NT_PRSTATUS,
					      desc, arch->prstatus_size);
	}
	for (i = 0; arch->cpu_state_size && i < core->nr_cpus; i++) {
		memset(desc, 0, arch->cpu_state_size);
		arch->fill_cpu_state(desc, core->cpus, i);
		p = kvmintro_elfcore_put_note(p, "QEMU", KVMINTRO_ELF_NT_QEMU,
					      desc, arch->cpu_state_size);
	}
	if (core->vmcoreinfo)
		p = kvmintro_elfcore_put_note(p, "VMCOREINFO",
					      KVMINTRO_ELF_NT_VMCOREINFO,
					      core->vmcoreinfo,
					      core->vmcoreinfo_size);
	if (core->state)
		kvmintro_elfcore_put_note(p, "KVMINTRO",
					  KVMINTRO_ELF_NT_KVMINTRO_STATE,
					  core->state, core->state_size);
	return 0;
}

/*
 * The PT_LOAD whose bytes hold file offset @offset, or NULL if @offset is
 * in the headers, the padding after them, or past the end.
 */
const struct kvmintro_elfcore_load *
kvmintro_elfcore_find_load(const struct kvmintro_elfcore *core, u64 offset)
{
	unsigned int low = 0, high = core->nr_loads, mid;

	while (low < high) {
		mid = low + (high - low) / 2;
		if (offset < core->loads[mid].offset)
			high = mid;
		else if (offset - core->loads[mid].offset >= core->loads[mid].size)
			low = mid + 1;
		else
			return &core->loads[mid];
	}
	return NULL;
}

/**
 * kvmintro_elf_find_note() - a note of a core file, by its name
 * @notes: the contents of a PT_NOTE segment, read from an untrusted file
 * @size: their size
 * @name: the note's name, like "VMCOREINFO"
 * @desc: set to its descriptor, in @notes
 * @descsz: set to the descriptor's size
 *
 * Return: 0; -ENOENT if no note has @name; -EBADMSG if a note before it
 * runs past @size.
 */
int kvmintro_elf_find_note(const void *notes, u64 size, const char *name,
			   const void **desc, u32 *descsz)
{
	u64 name_len = strlen(name) + 1, at = 0, namesz, padded_descsz;
	struct kvmintro_elf64_nhdr nhdr;
	const char *bytes = notes;

	while (at + sizeof(nhdr) <= size) {
		memcpy(&nhdr, bytes + at, sizeof(nhdr));
		namesz = (nhdr.n_namesz + 3ULL) & ~3ULL;
		padded_descsz = (nhdr.n_descsz + 3ULL) & ~3ULL;
		at += sizeof(nhdr);
		if (namesz > size - at || padded_descsz > size - at - namesz)
			return -EBADMSG;
		if (nhdr.n_namesz == name_len &&
		    !memcmp(bytes + at, name, name_len)) {
			*desc = bytes + at + namesz;
			*descsz = nhdr.n_descsz;
			return 0;
		}
		at += namesz + padded_descsz;
	}
	return -ENOENT;
}
