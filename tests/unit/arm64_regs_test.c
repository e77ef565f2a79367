// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of arm64's register block: its text (lib/arm64/regs.c) and
 * its core notes (lib/arm64/elfcore.c with lib/elfcore.c): EM_AARCH64,
 * one NT_PRSTATUS per vcpu in arm64's struct elf_prstatus layout (pr_reg,
 * struct user_pt_regs, at byte 112; 392 bytes in all), no QEMU note.
 * The offsets are arm64's, written out here: the C library's
 * <sys/procfs.h> is the build machine's.
 */
#include <elf.h>
#include <stdlib.h>

#include "ksft.h"

#include "../../lib/arm64/regs.h"
#include "../../lib/elfcore.h"


static void check(const char *name, bool ok)
{
	ksft_test_result(ok, "%s", name);
}

static u64 u64_at(const u8 *p, size_t offset)
{
	u64 value;

	memcpy(&value, p + offset, sizeof(value));
	return value;
}

static u32 u32_at(const u8 *p, size_t offset)
{
	u32 value;

	memcpy(&value, p + offset, sizeof(value));
	return value;
}

static void fill_regs(struct kvmintro_regs *regs, unsigned int i)
{
	unsigned int r;

	memset(regs, 0, sizeof(*regs));
	for (r = 0; r < KVMINTRO_ARM64_NR_GPRS; r++)
		regs->x[r] = 0x1000 * (i + 1) + r;
	regs->sp = 0x5000 + i;
	regs->pc = 0xffff800080000000ULL + 4 * i;
	/* vcpu 0 at EL1h (SP_EL1 in use), vcpu 1 at EL0t (SP_EL0) */
	regs->pstate = i ? 0x0 : 0x3c5;
	regs->sp_el1 = 0xffff800082000000ULL + i;
	regs->elr_el1 = 0x400000 + i;
	regs->spsr_el1 = 0x20000000;
	for (r = 0; r < KVMINTRO_ARM64_NR_SYS_REGS; r++)
		regs->sys[r] = 0xa000 * (i + 1) + r;
}

static void check_text(const struct kvmintro_regs *regs)
{
	static const char *const expected[] = {
		"x0=0x1000", "x30=0x101e", "sp=0x5000",
		"pc=0xffff800080000000", "pstate=0x3c5",
		"sp_el1=0xffff800082000000", "elr_el1=0x400000",
		"spsr_el1=0x20000000", "sctlr_el1=0xa000",
		"ttbr0_el1=0xa001", "tpidr_el1=0xa009",
	};
	static const unsigned int lines[] = {
		0, 30, 31, 32, 33, 34, 35, 36, 37, 38, 46,
	};
	char buf[64];
	unsigned int i, n = 0;
	bool ok = true;
	int len;

	while ((len = kvmintro_format_regs_line(buf, sizeof(buf), regs, n)) > 0)
		n++;
	check("regs: 47 records (x0-x30, 6 core, 10 EL1 system registers)",
	      n == 47 && len == 0);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char want[64];

		/* Each record ends with its newline. */
		snprintf(want, sizeof(want), "%s\n", expected[i]);
		len = kvmintro_format_regs_line(buf, sizeof(buf), regs, lines[i]);
		if (len != (int)strlen(want) || strcmp(buf, want)) {
			printf("# line %u: %s", lines[i], len > 0 ? buf : "?\n");
			ok = false;
		}
	}
	check("regs: names and values in the file's order", ok);
	check("regs: -ENOSPC for a short buffer",
	      kvmintro_format_regs_line(buf, 4, regs, 0) == -ENOSPC);
}

int main(void)
{
	static struct kvmintro_elfcore_load loads[] = {
		{ .gpa = 0x40000000, .size = 0x200000 },
		{ .gpa = 0x80000000, .size = 0x100000 },
	};
	static const char state[] = "state=paused source=live\n";
	struct kvmintro_regs cpus[2];
	struct kvmintro_elfcore core = {
		.loads = loads, .nr_loads = 2, .cpus = cpus, .nr_cpus = 2,
		.state = state, .state_size = sizeof(state) - 1,
	};
	const Elf64_Ehdr *ehdr;
	const Elf64_Phdr *phdr;
	unsigned int i, prstatus = 0, others = 0;
	bool ok = true;
	u8 *buf, *note, *end;

	fill_regs(&cpus[0], 0);
	fill_regs(&cpus[1], 1);
	check_text(&cpus[0]);

	check("elfcore: layout", !kvmintro_elfcore_layout(&core));
	buf = calloc(1, core.headers_size);
	check("elfcore: headers written",
	      buf && !kvmintro_elfcore_write_headers(&core, buf,
						     core.headers_size));
	if (!buf)
		return 1;
	ehdr = (const Elf64_Ehdr *)buf;
	check("ehdr: ET_CORE, EM_AARCH64, 3 program headers",
	      ehdr->e_type == ET_CORE && ehdr->e_machine == EM_AARCH64 &&
	      ehdr->e_phnum == 3);
	phdr = (const Elf64_Phdr *)(buf + ehdr->e_phoff);
	check("phdr: PT_NOTE, then a PT_LOAD per run at its GPA",
	      phdr[0].p_type == PT_NOTE && phdr[1].p_type == PT_LOAD &&
	      phdr[1].p_paddr == 0x40000000 && phdr[2].p_paddr == 0x80000000 &&
	      phdr[2].p_filesz == 0x100000);

	note = buf + phdr[0].p_offset;
	end = note + phdr[0].p_filesz;
	i = 0;
	while (note < end) {
		u32 namesz = u32_at(note, 0), descsz = u32_at(note, 4);
		const u8 *desc = note + 12 + (namesz + 3) / 4 * 4;

		if (u32_at(note, 8) == NT_PRSTATUS &&
		    !memcmp(note + 12, "CORE", 5)) {
			const struct kvmintro_regs *r = &cpus[i];
			u64 sp = i ? r->sp : r->sp_el1;

			ok &= descsz == 392 && u32_at(desc, 32) == i + 1 &&
			      u64_at(desc, 112) == r->x[0] &&
			      u64_at(desc, 112 + 30 * 8) == r->x[30] &&
			      u64_at(desc, 112 + 31 * 8) == sp &&
			      u64_at(desc, 112 + 32 * 8) == r->pc &&
			      u64_at(desc, 112 + 33 * 8) == r->pstate;
			prstatus++;
			i++;
		} else if (memcmp(note + 12, "KVMINTRO", 9)) {
			others++;
		}
		note = (u8 *)desc + (descsz + 3) / 4 * 4;
	}
	check("notes: an NT_PRSTATUS per vcpu, arm64's layout, sp in use",
	      prstatus == 2 && ok);
	check("notes: no QEMU note", !others);
	free(buf);
	ksft_finished();
}
