// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/elfcore.c: a core of three runs of guest RAM (one
 * read-only), two vcpus and a vmcoreinfo page, read back through the C
 * library's own <elf.h>, <sys/procfs.h> and <sys/user.h> structures, then
 * written to a file with the runs' bytes and parsed by readelf
 * (binutils), when it is installed.
 */
#include <elf.h>
#include <stdlib.h>
#include <sys/procfs.h>
#include <sys/user.h>
#include <unistd.h>

#include "ksft.h"

#include "../../lib/elfcore.h"
#include "../../lib/regs.h"

static void check(const char *name, bool ok)
{
	ksft_test_result(ok, "%s", name);
}

static struct kvmintro_elfcore_load loads[] = {
	{ .gpa = 0, .size = 0xa0000 },
	{ .gpa = 0x100000, .size = 0x300000 },
	{ .gpa = 0xfffc0000, .size = 0x40000, .read_only = true },
};

static struct kvmintro_regs cpus[2];
static char vmcoreinfo[4096] = "OSRELEASE=6.1.0-test\nPAGESIZE=4096\n";
static const char state[] = "state=running source=capture generation=3\n";

/* Every register of vcpu @i a value of its own. */
static void fill_regs(struct kvmintro_regs *regs, unsigned int i)
{
	unsigned int r;

	memset(regs, 0, sizeof(*regs));
	for (r = 0; r < KVMINTRO_NR_GPRS; r++)
		regs->gpr[r] = 0x1000 * (i + 1) + r;
	regs->rip = 0xffffffff81000000ULL + i;
	regs->rflags = 0x202;
	regs->cr0 = 0x80050033;
	regs->cr2 = 0xdead0000 + i;
	regs->cr3 = 0x1234000;
	regs->cr4 = 0x3606f0;
	for (r = 0; r < KVMINTRO_NR_SEGMENTS; r++) {
		regs->seg[r].selector = 0x10 + 8 * r;
		regs->seg[r].base = 0x7000000 * r + i;
		regs->seg[r].limit = 0xfffff;
		/* type 0xb, S, DPL 0, P, L, G: a 64-bit code segment */
		regs->seg[r].attributes = 0xb | 1 << 4 | 1 << 7 | 1 << 13 |
					  1 << 15;
	}
	regs->seg[KVMINTRO_SEG_LDT].attributes = 1 << 16;	/* unusable */
	regs->gdt_base = 0xfffffe0000001000ULL;
	regs->gdt_limit = 0x7f;
	regs->idt_base = 0xfffffe0000000000ULL;
	regs->idt_limit = 0xfff;
	regs->msr[KVMINTRO_MSR_KERNEL_GS_BASE] = 0xffff888000000000ULL + i;
	regs->msr_valid = 1u << KVMINTRO_MSR_KERNEL_GS_BASE;
}

static void check_ehdr(const Elf64_Ehdr *ehdr, const struct kvmintro_elfcore *core)
{
	check("ehdr: magic, class, data, version",
	      !memcmp(ehdr->e_ident, ELFMAG, SELFMAG) &&
	      ehdr->e_ident[EI_CLASS] == ELFCLASS64 &&
	      ehdr->e_ident[EI_DATA] == ELFDATA2LSB &&
	      ehdr->e_ident[EI_VERSION] == EV_CURRENT);
	check("ehdr: ET_CORE, EM_X86_64",
	      ehdr->e_type == ET_CORE && ehdr->e_machine == EM_X86_64 &&
	      ehdr->e_version == EV_CURRENT);
	check("ehdr: sizes and program header table",
	      ehdr->e_ehsize == sizeof(Elf64_Ehdr) &&
	      ehdr->e_phentsize == sizeof(Elf64_Phdr) &&
	      ehdr->e_phoff == sizeof(Elf64_Ehdr) &&
	      ehdr->e_phnum == core->nr_loads + 1 && ehdr->e_shnum == 0);
}

static void check_phdrs(const Elf64_Phdr *phdr, const struct kvmintro_elfcore *core)
{
	unsigned int i;
	bool ok = true;
	u64 end = core->data_offset;

	check("phdr 0: PT_NOTE after the program headers",
	      phdr[0].p_type == PT_NOTE &&
	      phdr[0].p_offset == sizeof(Elf64_Ehdr) +
				  (core->nr_loads + 1) * sizeof(Elf64_Phdr) &&
	      phdr[0].p_filesz == core->notes_size &&
	      phdr[0].p_offset + phdr[0].p_filesz == core->headers_size);
	for (i = 0; i < core->nr_loads; i++) {
		const Elf64_Phdr *p = &phdr[i + 1];

		ok &= p->p_type == PT_LOAD && p->p_paddr == loads[i].gpa &&
		      p->p_vaddr == 0 && p->p_filesz == loads[i].size &&
		      p->p_memsz == loads[i].size && p->p_offset == end &&
		      p->p_offset % 4096 == 0 && p->p_align == 0 &&
		      p->p_flags == (loads[i].read_only ? PF_R | PF_X :
						      PF_R | PF_W | PF_X);
		end += loads[i].size;
	}
	/* p_align 0: with a page-aligned p_offset, crash's netdump format. */
	check("phdrs: one PT_LOAD per run, page-aligned, back to back, p_align 0", ok);
	check("layout: file size is the end of the last PT_LOAD",
	      core->file_size == end);
}

static void check_prstatus(const struct elf_prstatus *prstatus, unsigned int i)
{
	struct user_regs_struct regs;

	memcpy(&regs, prstatus->pr_reg, sizeof(regs));
	check("NT_PRSTATUS: pr_pid is the vcpu index + 1",
	      prstatus->pr_pid == (pid_t)i + 1);
	check("NT_PRSTATUS: general registers in user_regs_struct order",
	      regs.rax == cpus[i].gpr[0] && regs.rbx == cpus[i].gpr[1] &&
	      regs.rcx == cpus[i].gpr[2] && regs.rdx == cpus[i].gpr[3] &&
	      regs.rsi == cpus[i].gpr[4] && regs.rdi == cpus[i].gpr[5] &&
	      regs.rsp == cpus[i].gpr[6] && regs.rbp == cpus[i].gpr[7] &&
	      regs.r8 == cpus[i].gpr[8] && regs.r15 == cpus[i].gpr[15] &&
	      regs.orig_rax == 0);
	check("NT_PRSTATUS: rip, eflags, selectors, fs and gs bases",
	      regs.rip == cpus[i].rip && regs.eflags == cpus[i].rflags &&
	      regs.cs == cpus[i].seg[KVMINTRO_SEG_CS].selector &&
	      regs.ss == cpus[i].seg[KVMINTRO_SEG_SS].selector &&
	      regs.gs == cpus[i].seg[KVMINTRO_SEG_GS].selector &&
	      regs.fs_base == cpus[i].seg[KVMINTRO_SEG_FS].base &&
	      regs.gs_base == cpus[i].seg[KVMINTRO_SEG_GS].base);
}

/* QEMUCPUState as QEMU's target/i386/arch_dump.c defines it, by offsets. */
static u64 u64_at(const u8 *desc, size_t offset)
{
	u64 value;

	memcpy(&value, desc + offset, 8);
	return value;
}

static u32 u32_at(const u8 *desc, size_t offset)
{
	u32 value;

	memcpy(&value, desc + offset, 4);
	return value;
}

static void check_qemu_note(const u8 *desc, u32 size, unsigned int i)
{
	/* version, size, 18 registers, 10 segments of 24 bytes, 5 crs, kgs */
	const size_t cs = 8 + 18 * 8, cr = cs + 10 * 24;

	check("QEMU note: version 1, size 440", size == 440 &&
	      u32_at(desc, 0) == 1 && u32_at(desc, 4) == 440);
	check("QEMU note: rax..r15, rip, rflags",
	      u64_at(desc, 8) == cpus[i].gpr[0] &&
	      u64_at(desc, 8 + 6 * 8) == cpus[i].gpr[6] &&
	      u64_at(desc, 8 + 15 * 8) == cpus[i].gpr[15] &&
	      u64_at(desc, 8 + 16 * 8) == cpus[i].rip &&
	      u64_at(desc, 8 + 17 * 8) == cpus[i].rflags);
	/* 0xb type, S, P at 15, L at 21, G at 23: the descriptor's high word */
	check("QEMU note: cs selector, limit, flags, base",
	      u32_at(desc, cs) == cpus[i].seg[KVMINTRO_SEG_CS].selector &&
	      u32_at(desc, cs + 4) == 0xfffff &&
	      u32_at(desc, cs + 8) == (0xbu << 8 | 1 << 12 | 1 << 15 |
				       1 << 21 | 1 << 23) &&
	      u64_at(desc, cs + 16) == cpus[i].seg[KVMINTRO_SEG_CS].base);
	check("QEMU note: ldt unusable is not present",
	      !(u32_at(desc, cs + 6 * 24 + 8) & 1 << 15));
	check("QEMU note: tr, gdt, idt in QEMU's order",
	      u32_at(desc, cs + 7 * 24) == cpus[i].seg[KVMINTRO_SEG_TR].selector &&
	      u64_at(desc, cs + 8 * 24 + 16) == cpus[i].gdt_base &&
	      u32_at(desc, cs + 8 * 24 + 4) == cpus[i].gdt_limit &&
	      u64_at(desc, cs + 9 * 24 + 16) == cpus[i].idt_base &&
	      u32_at(desc, cs + 9 * 24 + 4) == cpus[i].idt_limit);
	check("QEMU note: cr0, cr2, cr3, cr4, kernel_gs_base",
	      u64_at(desc, cr) == cpus[i].cr0 && u64_at(desc, cr + 8) == 0 &&
	      u64_at(desc, cr + 16) == cpus[i].cr2 &&
	      u64_at(desc, cr + 24) == cpus[i].cr3 &&
	      u64_at(desc, cr + 32) == cpus[i].cr4 &&
	      u64_at(desc, cr + 40) == cpus[i].msr[KVMINTRO_MSR_KERNEL_GS_BASE]);
}

static void check_notes(const u8 *notes, u64 size)
{
	unsigned int prstatus = 0, qemu = 0, info = 0, own = 0;
	u64 offset = 0;
	bool order = true;

	while (offset + sizeof(Elf64_Nhdr) <= size) {
		const Elf64_Nhdr *nhdr = (const void *)(notes + offset);
		const char *name = (const char *)(nhdr + 1);
		const u8 *desc = (const u8 *)name + ((nhdr->n_namesz + 3) & ~3u);

		if (nhdr->n_namesz == 5 && !memcmp(name, "CORE", 5) &&
		    nhdr->n_type == NT_PRSTATUS &&
		    nhdr->n_descsz == sizeof(struct elf_prstatus)) {
			struct elf_prstatus p;

			memcpy(&p, desc, sizeof(p));
			order &= !qemu;
			check_prstatus(&p, prstatus++);
		} else if (nhdr->n_namesz == 5 && !memcmp(name, "QEMU", 5) &&
			   nhdr->n_type == 0) {
			order &= !info;
			check_qemu_note(desc, nhdr->n_descsz, qemu++);
		} else if (nhdr->n_namesz == 11 && !memcmp(name, "VMCOREINFO", 11) &&
			   nhdr->n_type == 0) {
			check("VMCOREINFO note: the page as given",
			      nhdr->n_descsz == sizeof(vmcoreinfo) &&
			      !memcmp(desc, vmcoreinfo, sizeof(vmcoreinfo)));
			order &= !own;
			info++;
		} else if (nhdr->n_namesz == 9 && !memcmp(name, "KVMINTRO", 9) &&
			   nhdr->n_type == 0) {
			check("KVMINTRO note: the record as given, 42 bytes",
			      nhdr->n_descsz == 42 && !memcmp(desc, state, 42));
			own++;
		} else {
			check("notes: only CORE/NT_PRSTATUS, QEMU/0, VMCOREINFO/0, KVMINTRO/0",
			      false);
			return;
		}
		offset = desc + ((nhdr->n_descsz + 3) & ~3u) - notes;
	}
	check("notes: one NT_PRSTATUS and one QEMU note per vcpu, a VMCOREINFO, a KVMINTRO",
	      prstatus == 2 && qemu == 2 && info == 1 && own == 1 &&
	      offset == size);
	check("notes: every NT_PRSTATUS before the QEMU notes, then VMCOREINFO, KVMINTRO last",
	      order);
}

static void check_find_load(const struct kvmintro_elfcore *core)
{
	const struct kvmintro_elfcore_load *l1 = &core->loads[1];

	check("find_load: none in the headers or the padding",
	      !kvmintro_elfcore_find_load(core, 0) &&
	      !kvmintro_elfcore_find_load(core, core->data_offset - 1));
	check("find_load: first and last byte of each",
	      kvmintro_elfcore_find_load(core, core->data_offset) == &core->loads[0] &&
	      kvmintro_elfcore_find_load(core, l1->offset - 1) == &core->loads[0] &&
	      kvmintro_elfcore_find_load(core, l1->offset) == l1 &&
	      kvmintro_elfcore_find_load(core, l1->offset + l1->size - 1) == l1 &&
	      kvmintro_elfcore_find_load(core, core->file_size - 1) == &core->loads[2]);
	check("find_load: none past the end",
	      !kvmintro_elfcore_find_load(core, core->file_size) &&
	      !kvmintro_elfcore_find_load(core, ~0ULL));
}

/* The whole file, the runs' bytes a pattern of their GPA, through readelf. */
static void check_readelf(const struct kvmintro_elfcore *core, const u8 *headers)
{
	char path[] = "/tmp/elfcore_test.XXXXXX", command[256], line[512];
	unsigned int loads_seen = 0, prstatus = 0, qemu = 0, info = 0, own = 0;
	bool core_type = false, machine = false;
	FILE *out;
	u8 *file;
	int fd;

	if (system("readelf --version >/dev/null 2>&1")) {
		ksft_test_result_skip("no readelf", "readelf parses the core");
		return;
	}
	file = calloc(1, core->file_size);
	memcpy(file, headers, core->headers_size);
	for (u64 i = 0; i < core->nr_loads; i++)
		for (u64 b = 0; b < core->loads[i].size; b += 4096)
			memcpy(file + core->loads[i].offset + b, &(u64){ core->loads[i].gpa + b }, 8);
	fd = mkstemp(path);
	check("readelf: core written",
	      fd >= 0 && write(fd, file, core->file_size) == (ssize_t)core->file_size);
	close(fd);
	free(file);

	snprintf(command, sizeof(command), "readelf -h -l -n %s 2>&1", path);
	out = popen(command, "r");
	while (out && fgets(line, sizeof(line), out)) {
		core_type |= !!strstr(line, "CORE (Core file)");
		machine |= !!strstr(line, "X86-64");
		loads_seen += !!strstr(line, "  LOAD ");
		prstatus += !!strstr(line, "NT_PRSTATUS");
		qemu += !!strstr(line, "QEMU ");
		info += !!strstr(line, "VMCOREINFO ");
		own += !!strstr(line, "KVMINTRO ");
		if (strstr(line, "Warning") || strstr(line, "Error"))
			check(line, false);
	}
	check("readelf: ran", out && pclose(out) == 0);
	check("readelf: Type CORE, Machine X86-64", core_type && machine);
	check("readelf: 3 LOAD program headers", loads_seen == 3);
	check("readelf: 2 NT_PRSTATUS, 2 QEMU notes, a VMCOREINFO, a KVMINTRO",
	      prstatus == 2 && qemu == 2 && info == 1 && own == 1);
	unlink(path);
}

/* The notes written are found by name; a note cut short is refused. */
static void check_find_note(const void *notes, u64 size)
{
	const void *desc = NULL;
	u32 descsz = 0;

	check("find note: VMCOREINFO, its descriptor as given",
	      !kvmintro_elf_find_note(notes, size, "VMCOREINFO", &desc,
				      &descsz) &&
	      descsz == sizeof(vmcoreinfo) &&
	      !memcmp(desc, vmcoreinfo, sizeof(vmcoreinfo)));
	check("find note: KVMINTRO, the last",
	      !kvmintro_elf_find_note(notes, size, "KVMINTRO", &desc,
				      &descsz) &&
	      descsz == strlen(state) && !memcmp(desc, state, descsz));
	check("find note: a prefix of a name, or a longer name",
	      kvmintro_elf_find_note(notes, size, "VMCORE", &desc,
				     &descsz) == -ENOENT &&
	      kvmintro_elf_find_note(notes, size, "VMCOREINFOS", &desc,
				     &descsz) == -ENOENT);
	check("find note: notes cut short before it",
	      kvmintro_elf_find_note(notes, size - 4, "KVMINTRO", &desc,
				     &descsz) == -EBADMSG);
}

int main(void)
{
	struct kvmintro_elfcore core = {
		.loads = loads, .nr_loads = ARRAY_SIZE(loads),
		.cpus = cpus, .nr_cpus = ARRAY_SIZE(cpus),
		.vmcoreinfo = vmcoreinfo, .vmcoreinfo_size = sizeof(vmcoreinfo),
		.state = state, .state_size = sizeof(state) - 1,
	};
	struct kvmintro_elfcore_load odd = { .gpa = 0x1000, .size = 0x800 };
	struct kvmintro_elfcore bad = { .loads = &odd, .nr_loads = 1 };
	u8 *headers;

	fill_regs(&cpus[0], 0);
	fill_regs(&cpus[1], 1);

	check("structs: the sizes of <elf.h>, <sys/procfs.h>",
	      sizeof(struct kvmintro_elf64_ehdr) == sizeof(Elf64_Ehdr) &&
	      sizeof(struct kvmintro_elf64_phdr) == sizeof(Elf64_Phdr) &&
	      sizeof(struct kvmintro_elf64_nhdr) == sizeof(Elf64_Nhdr) &&
	      sizeof(struct kvmintro_elf_prstatus) == sizeof(struct elf_prstatus) &&
	      offsetof(struct kvmintro_elf_prstatus, pr_pid) ==
		      offsetof(struct elf_prstatus, pr_pid) &&
	      offsetof(struct kvmintro_elf_prstatus, pr_reg) ==
		      offsetof(struct elf_prstatus, pr_reg) &&
	      sizeof(struct kvmintro_elf_user_regs) == sizeof(struct user_regs_struct));

	check("layout: a run not page-aligned is refused",
	      kvmintro_elfcore_layout(&bad) == -EINVAL);
	check("layout", kvmintro_elfcore_layout(&core) == 0);
	/*
	 * Each note: a 12-byte header, its name and its descriptor each
	 * padded to 4 bytes.  CORE\0 (8) + elf_prstatus (336), QEMU\0 (8) +
	 * QEMUCPUState (440), twice; VMCOREINFO\0 (12) + 4096; KVMINTRO\0
	 * (12) + 42 padded to 44.
	 */
	check("layout: the notes' size, by the ELF rules by hand",
	      core.notes_size == 2 * (12 + 8 + 336) + 2 * (12 + 8 + 440) +
				 (12 + 12 + 4096) + (12 + 12 + 44));
	check("layout: data starts on the page after the notes",
	      core.data_offset == 8192 && core.headers_size <= 8192);

	headers = malloc(core.headers_size);
	check("write: too small a buffer is refused",
	      kvmintro_elfcore_write_headers(&core, headers,
					     core.headers_size - 1) == -ENOSPC);
	check("write", !kvmintro_elfcore_write_headers(&core, headers,
						       core.headers_size));
	check_ehdr((const Elf64_Ehdr *)headers, &core);
	check_phdrs((const Elf64_Phdr *)(headers + sizeof(Elf64_Ehdr)), &core);
	check_notes(headers + core.headers_size - core.notes_size, core.notes_size);
	check_find_load(&core);
	check_find_note(headers + core.headers_size - core.notes_size,
			core.notes_size);
	check_readelf(&core, headers);
	free(headers);
	ksft_finished();
}
