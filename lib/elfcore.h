/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM as an ELF64 core file, the format of /proc/vmcore, /proc/kcore and
 * QEMU's dump-guest-memory: the ELF header, one PT_NOTE, one PT_LOAD per
 * run of guest RAM.  This builds the headers and notes from plain structs;
 * the caller supplies the memory behind each PT_LOAD.
 *
 * Little-endian, as the hosts the module runs on (x86-64, arm64).  What
 * depends on the architecture, e_machine and the vcpus' notes, is
 * kvmintro_elfcore_arch, defined by the one architecture's file linked
 * with this one: lib/elfcore_x86.c or lib/arm64/elfcore.c.
 */
#ifndef KVMINTRO_LIB_ELFCORE_H
#define KVMINTRO_LIB_ELFCORE_H

#include "portable.h"

/* The architecture's registers: lib/regs.h, lib/arm64/regs.h. */
struct kvmintro_regs;

/* Where guest memory starts in the file: a page after headers and notes. */
#define KVMINTRO_ELFCORE_ALIGN		4096

/*
 * What the readers of the file check, from the ELF specification, the
 * x86-64 psABI and Linux's elf_prstatus; named here, as <elf.h> and
 * <linux/elf.h> name them differently.
 */
#define KVMINTRO_ELF_ET_CORE		4
#define KVMINTRO_ELF_EM_X86_64		62
#define KVMINTRO_ELF_EM_AARCH64		183
#define KVMINTRO_ELF_PT_LOAD		1
#define KVMINTRO_ELF_PT_NOTE		4
#define KVMINTRO_ELF_PF_X		1
#define KVMINTRO_ELF_PF_W		2
#define KVMINTRO_ELF_PF_R		4
#define KVMINTRO_ELF_NT_PRSTATUS	1
/* QEMU's CPU state note: name "QEMU", type 0. */
#define KVMINTRO_ELF_NT_QEMU		0
/* Linux's vmcoreinfo note: name "VMCOREINFO", type 0. */
#define KVMINTRO_ELF_NT_VMCOREINFO	0
/*
 * kvmintro's own note, named "KVMINTRO": how the core was taken.  Type 0,
 * as QEMU's and VMCOREINFO's: readers that look at the type alone take 1
 * for NT_PRSTATUS, one more cpu.
 */
#define KVMINTRO_ELF_NT_KVMINTRO_STATE	0
#define KVMINTRO_QEMU_CPU_STATE_VERSION	1

struct kvmintro_elf64_ehdr {
	u8 e_ident[16];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};

struct kvmintro_elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};

struct kvmintro_elf64_nhdr {
	u32 n_namesz;
	u32 n_descsz;
	u32 n_type;
};

/*
 * The common head of every 64-bit struct elf_prstatus
 * (include/linux/elfcore.h) up to pr_reg: pr_info, pr_cursig, pr_sigpend,
 * pr_sighold, then pr_pid, then pr_ppid..pr_cstime, 112 bytes.
 */
#define KVMINTRO_ELF_PRSTATUS_HEAD						u8 pr_info_cursig_sigpend_sighold[32];					u32 pr_pid;								u8 pr_ppid_to_cstime[76]

/*
 * x86-64 struct user_regs_struct (arch/x86/include/asm/user_64.h), the
 * pr_reg of an NT_PRSTATUS note.
 */
struct kvmintro_elf_user_regs {
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10;
	u64 r9, r8, rax, rcx, rdx, rsi, rdi, orig_rax;
	u64 rip, cs, eflags;
	u64 rsp, ss;
	u64 fs_base, gs_base;
	u64 ds, es, fs, gs;
};

/*
 * x86-64 struct elf_prstatus (include/linux/elfcore.h), as kdump's
 * crash_save_cpu() writes it: only pr_pid and pr_reg are filled.
 */
struct kvmintro_elf_prstatus {
	KVMINTRO_ELF_PRSTATUS_HEAD;
	struct kvmintro_elf_user_regs pr_reg;
	u32 pr_fpvalid;
	u32 pad;
};

/* QEMU's QEMUCPUSegment (target/i386/arch_dump.c). */
struct kvmintro_qemu_cpu_segment {
	u32 selector;
	u32 limit;
	u32 flags;	/* descriptor bits 8-23, as QEMU's SegmentCache */
	u32 pad;
	u64 base;
};

/* QEMU's QEMUCPUState, version 1, with kernel_gs_base at the end. */
struct kvmintro_qemu_cpu_state {
	u32 version;
	u32 size;
	u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rip, rflags;
	struct kvmintro_qemu_cpu_segment cs, ds, es, fs, gs, ss;
	struct kvmintro_qemu_cpu_segment ldt, tr, gdt, idt;
	u64 cr[5];
	u64 kernel_gs_base;
};

/*
 * arm64 struct user_pt_regs (arch/arm64/include/uapi/asm/ptrace.h), the
 * pr_reg of an NT_PRSTATUS note (elf_gregset_t, 34 registers).
 */
struct kvmintro_elf_arm64_user_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
};

/* arm64 struct elf_prstatus, as kdump's crash_save_cpu() writes it. */
struct kvmintro_elf_arm64_prstatus {
	KVMINTRO_ELF_PRSTATUS_HEAD;
	struct kvmintro_elf_arm64_user_regs pr_reg;
	u32 pr_fpvalid;
	u32 pad;
};

/* The largest descriptor of a vcpu's note an architecture may write. */
#define KVMINTRO_ELFCORE_MAX_CPU_DESC	512

/**
 * struct kvmintro_elfcore_arch - what of a core depends on the architecture
 * @machine:	e_machine
 * @prstatus_size: the size of a vcpu's NT_PRSTATUS descriptor
 * @fill_prstatus: fill vcpu @index's NT_PRSTATUS descriptor, zeroed, of
 *		@cpus[@index]
 * @cpu_state_size: the size of a vcpu's "QEMU" CPU state descriptor, or 0
 *		for none (QEMU writes it on x86 only)
 * @fill_cpu_state: fill vcpu @index's "QEMU" descriptor, zeroed
 *
 * Both sizes are at most KVMINTRO_ELFCORE_MAX_CPU_DESC.
 */
struct kvmintro_elfcore_arch {
	u16 machine;
	u32 prstatus_size;
	void (*fill_prstatus)(void *desc, const struct kvmintro_regs *cpus,
			      unsigned int index);
	u32 cpu_state_size;
	void (*fill_cpu_state)(void *desc, const struct kvmintro_regs *cpus,
			       unsigned int index);
};

/* Defined by lib/elfcore_x86.c or lib/arm64/elfcore.c. */
extern const struct kvmintro_elfcore_arch kvmintro_elfcore_arch;

/**
 * struct kvmintro_elfcore_load - one PT_LOAD: a run of guest RAM
 * @gpa:	its guest physical address, page-aligned (p_paddr)
 * @size:	its length, a multiple of the page size
 * @read_only:	the guest cannot write it (a read-only memslot): no PF_W
 * @offset:	where its bytes are in the file; set by
 *		kvmintro_elfcore_layout()
 */
struct kvmintro_elfcore_load {
	u64 gpa;
	u64 size;
	bool read_only;
	u64 offset;
};

/**
 * struct kvmintro_elfcore - what a core file holds
 * @loads:	the PT_LOADs, in file order
 * @nr_loads:	how many
 * @cpus:	the registers of each vcpu, by vcpu index
 * @nr_cpus:	how many
 * @vmcoreinfo: the guest kernel's vmcoreinfo, or NULL: a "VMCOREINFO"
 *		note after the vcpus' notes
 * @vmcoreinfo_size: its size in bytes
 * @state:	one record (lib/record.h) saying how the core was taken, or
 *		NULL: a "KVMINTRO" note, the last
 * @state_size: its size in bytes, its newline included
 * @notes_size: bytes of the PT_NOTE; set by kvmintro_elfcore_layout()
 * @headers_size: bytes of the ELF header, program headers and notes;
 *		set by kvmintro_elfcore_layout()
 * @data_offset: where @loads[0] starts, @headers_size rounded up to
 *		KVMINTRO_ELFCORE_ALIGN; set by kvmintro_elfcore_layout()
 * @file_size:	the end of the last PT_LOAD; set by
 *		kvmintro_elfcore_layout()
 */
struct kvmintro_elfcore {
	struct kvmintro_elfcore_load *loads;
	unsigned int nr_loads;
	const struct kvmintro_regs *cpus;
	unsigned int nr_cpus;
	const void *vmcoreinfo;
	u32 vmcoreinfo_size;
	const char *state;
	u32 state_size;
	u64 notes_size;
	u64 headers_size;
	u64 data_offset;
	u64 file_size;
};

int kvmintro_elfcore_layout(struct kvmintro_elfcore *core);
int kvmintro_elfcore_write_headers(const struct kvmintro_elfcore *core,
				   void *buf, u64 size);
const struct kvmintro_elfcore_load *
kvmintro_elfcore_find_load(const struct kvmintro_elfcore *core, u64 offset);
int kvmintro_elf_find_note(const void *notes, u64 size, const char *name,
			   const void **desc, u32 *descsz);

#endif /* KVMINTRO_LIB_ELFCORE_H */
