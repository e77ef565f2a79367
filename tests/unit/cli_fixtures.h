/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debugfs files as the module writes them (the contract's examples and a
 * little more), shared by the unit tests, the end-to-end tests' fake trees
 * and the fuzzer's seeds.
 */
#ifndef CLI_FIXTURES_H
#define CLI_FIXTURES_H

#define FIXTURE_SNAPSHOT						\
	"state=paused\n"						\
	"pauses=3\n"							\
	"pause_latency_ns=674985\n"					\
	"generation=1\n"						\
	"captured=1795332144.297468151\n"				\
	"capture_pause_latency_ns=674985\n"				\
	"vcpus=2\n"

#define FIXTURE_SNAPSHOT_RUNNING					\
	"state=running\npauses=0\npause_latency_ns=0\ngeneration=0\n"

/* A regs file as the module writes it, one name=value a line. */
#define FIXTURE_REGS \
	"vcpu=1\n" "source=capture\n" "generation=1\n" \
	"rax=0x0\n" "rbx=0x11\n" "rcx=0x22\n" "rdx=0x33\n" \
	"rsi=0x44\n" "rdi=0x55\n" "rsp=0x66\n" "rbp=0x77\n" \
	"r8=0x88\n" "r9=0x99\n" "r10=0xaa\n" "r11=0xbb\n" \
	"r12=0xcc\n" "r13=0xdd\n" "r14=0xee\n" "r15=0xff\n" \
	"rip=0x401000\n" "rflags=0x246\n" "cr0=0x80050033\n" \
	"cr2=0x0\n" "cr3=0x101000\n" "cr4=0x20\n" \
	"cr8=0x0\n" "efer=0xd00\n" \
	"apic_base=0xfee00900\n" "fs_base=0x0\n" "gs_base=0x0\n" \
	"gdt.base=0x2000\n" "gdt.limit=0x1f\n" "idt.base=0x0\n" "idt.limit=0xfff\n" \
	"cs.selector=0x8\n" "cs.base=0x0\n" "cs.limit=0xffffffff\n" "cs.attributes=0xa09b\n" \
	"ds.selector=0x10\n" "ds.base=0x0\n" "ds.limit=0xffffffff\n" "ds.attributes=0xc093\n" \
	"es.selector=0x10\n" "es.base=0x0\n" "es.limit=0xffffffff\n" "es.attributes=0xc093\n" \
	"fs.selector=0x0\n" "fs.base=0x0\n" "fs.limit=0xffff\n" "fs.attributes=0x10000\n" \
	"gs.selector=0x0\n" "gs.base=0x0\n" "gs.limit=0xffff\n" "gs.attributes=0x10000\n" \
	"ss.selector=0x10\n" "ss.base=0x0\n" "ss.limit=0xffffffff\n" "ss.attributes=0xc093\n" \
	"tr.selector=0x18\n" "tr.base=0x1000\n" "tr.limit=0x67\n" "tr.attributes=0x8b\n" \
	"ldt.selector=0x0\n" "ldt.base=0x0\n" "ldt.limit=0xffff\n" "ldt.attributes=0x82\n" \
	"star=0x0\n" "lstar=0xffffffff81a00080\n" "cstar=0x0\n" "sfmask=0x0\n" \
	"sysenter_cs=0x0\n" "sysenter_esp=0x0\n" "sysenter_eip=0x0\n" \
	"kernel_gs_base=0x0\n" "pat=0x7040600070406\n" "tsc=unavailable\n"

#define FIXTURE_TRANSLATE						\
	"ok phys=0x1ad725234 kind=base gpa=0x1234 hva=0x7f5c2c001234 pfn=0x1ad725 size=4K\n" \
	"err gpa=0x5000000000 reason=no-memslot\n"			\
	"ok phys=0x5a400000 kind=thp gpa=0x200000 hva=0x7f5c2c200000 pfn=0x5a400 size=2M\n" \
	"err gpa=0x400000 reason=not-backed\n"

/* Walks of the "gva" file, from Documentation/debugfs.rst. */
#define FIXTURE_GVA_HEADER						\
	"gva=0xffffffff81000123 vcpu=0 mode=4-level cr3=0x2000\n"
#define FIXTURE_GVA_LEVELS						\
	"level=4 table=0x2000 entry_gpa=0x2ff8 entry=0x7003 present=1 writable=1 user=0 nx=0 large=0\n" \
	"level=3 table=0x7000 entry_gpa=0x7ff0 entry=0x8003 present=1 writable=1 user=0 nx=0 large=0\n" \
	"level=2 table=0x8000 entry_gpa=0x8040 entry=0x9003 present=1 writable=1 user=0 nx=0 large=0\n" \
	"level=1 table=0x9000 entry_gpa=0x9000 entry=0x200003 present=1 writable=1 user=0 nx=0 large=0\n"
#define FIXTURE_GVA_NOT_BACKED						\
	FIXTURE_GVA_HEADER FIXTURE_GVA_LEVELS				\
	"gpa=0x200123 page_size=4K\n"					\
	"host hva=0x7f3c60c00123 reason=not-backed\n"

#define FIXTURE_GVA_THP							\
	"gva=0x1234 vcpu=0 mode=4-level cr3=0x2000\n"			\
	"level=4 table=0x2000 entry_gpa=0x2000 entry=0x5023 present=1 writable=1 user=0 nx=0 large=0\n" \
	"level=3 table=0x5000 entry_gpa=0x5000 entry=0x6023 present=1 writable=1 user=0 nx=0 large=0\n" \
	"level=2 table=0x6000 entry_gpa=0x6000 entry=0xe3 present=1 writable=1 user=0 nx=0 large=1\n" \
	"gpa=0x1234 page_size=2M\n"					\
	"host hva=0x7f3c60a01234 hpa=0x3001234 host_size=2M kind=thp\n"

#define FIXTURE_GVA_STOP						\
	"gva=0x7f0000000000 vcpu=0 mode=4-level cr3=0x2000\n"		\
	"level=4 table=0x2000 entry_gpa=0x27f0 entry=0x0 present=0 writable=0 user=0 nx=0 large=0\n" \
	"stop level=4 reason=not-present\n"

/* arm64 walks (Documentation/debugfs.rst, "gva on arm64"). */
#define FIXTURE_ARM64_GVA_HEADER(gva)					\
	"gva=" gva " vcpu=0 mmu=on sctlr=0xc5107d tcr=0x2b5103519 "	\
	"ttbr0=0x40010000 ttbr1=0x40014000 ttbr=0 granule=4K va_bits=39\n" \
	"level=1 table=0x40010000 entry_gpa=0x40010000 entry=0x40012003 type=table ns_table=0 ap_table=0 uxn_table=0 pxn_table=0\n" \
	"level=2 table=0x40012000 entry_gpa=0x40012488 entry=0x40013003 type=table ns_table=0 ap_table=0 uxn_table=0 pxn_table=0\n"
#define FIXTURE_ARM64_GVA						\
	FIXTURE_ARM64_GVA_HEADER("0x12345678")				\
	"level=3 table=0x40013000 entry_gpa=0x40013a28 entry=0x80003703 type=page attr_index=0 ns=0 ap=0 sh=3 af=1 ng=0 dbm=0 contiguous=0 pxn=0 uxn=0\n" \
	"gpa=0x80003678 page_size=4K\n"					\
	"host hva=0xffffbd226678 hpa=0x40190678 host_size=4K kind=base\n"
#define FIXTURE_ARM64_GVA_STOP						\
	FIXTURE_ARM64_GVA_HEADER("0x12346000")				\
	"level=3 table=0x40013000 entry_gpa=0x40013a30 entry=0x0 type=invalid\n" \
	"stop level=3 reason=invalid\n"

#define FIXTURE_GPA_HPA							\
	"gpa=0x0 npages=0x1 hva=0x7f5c2c000000 hpa=0x1ad725000 pfn=0x1ad725 " \
	"host_size=4K kind=base\n"					\
	"gpa=0x1000 npages=0x1 hva=0x7f5c2c001000 hpa=0x2b000 pfn=0x2b " \
	"host_size=4K kind=zero\n"					\
	"gpa=0x200000 npages=0x200 hva=0x7f5c2c200000 hpa=0x5a400000 "	\
	"pfn=0x5a400 host_size=2M kind=thp\n"				\
	"gpa=0x400000 npages=0x10 hva=0x7f5c2c400000 hpa=- pfn=- "	\
	"host_size=- kind=none\n"					\
	"gpa=0x40000000 npages=0x40000 hva=0x7f0040000000 hpa=0x140000000 " \
	"pfn=0x140000 host_size=1G kind=hugetlb\n"

#define FIXTURE_SCAN							\
	"match gpa=0x1000000 hva=0x7f0001000000 hpa=0x1ad725000 index=0 pattern=\"str:Linux version\"\n" \
	"match gpa=0x2000010 hva=0x7f0002000010 hpa=0x1ad726010 index=1 pattern=\"hex:deadbeef\"\n" \
	"match gpa=0x3000000 hva=0x7f0003000000 hpa=- index=0 pattern=\"str:Linux version\"\n" \
	"summary matches=3 bytes=268435456 truncated=no\n"

/* The VM the fixtures belong to: VM 5678 of the end-to-end tests' tree. */
#define FIXTURE_VM							\
	{ .pid = 5678, .dir = "5678",					\
	  .line = "pid=5678 dir=\"5678\" vcpus=4 slots=2 mem=4294967296" }

/* What snapshot prints for FIXTURE_SNAPSHOT. */
#define FIXTURE_SNAPSHOT_TABLE \
	"VM                     5678 (PID 5678)\n" \
	"state                  paused\n" \
	"pauses                 3\n" \
	"pause latency          674.985 us\n" \
	"capture                generation 1\n" \
	"captured at            2026-11-22T07:22:24.297468151Z (1795332144.297468151)\n" \
	"capture pause latency  674.985 us\n" \
	"vcpus captured         2\n"

/*
 * An arm64 regs file as the module wrote it in L1 (tests/e2e/arm64/
 * spin_vm: known values in x2, x3, x19, x28, x30, the guest looping).
 */
#define FIXTURE_ARM64_REGS \
	"vcpu=0\n" "source=capture\n" "generation=2\n" \
	"x0=0x10fea60b7\n" "x1=0x40001000\n" "x2=0x2222222222222222\n" \
	"x3=0x3333333333333333\n" "x4=0x0\n" "x5=0x0\n" "x6=0x0\n" "x7=0x0\n" \
	"x8=0x0\n" "x9=0x0\n" "x10=0x0\n" "x11=0x0\n" "x12=0x0\n" "x13=0x0\n" \
	"x14=0x0\n" "x15=0x0\n" "x16=0x0\n" "x17=0x0\n" "x18=0x0\n" \
	"x19=0x1919191919191919\n" "x20=0x0\n" "x21=0x0\n" "x22=0x0\n" \
	"x23=0x0\n" "x24=0x0\n" "x25=0x0\n" "x26=0x0\n" "x27=0x0\n" \
	"x28=0x2828282828282828\n" "x29=0x0\n" "x30=0x3030303030303030\n" \
	"sp=0x40100000\n" "pc=0x40000004\n" "pstate=0x600003c5\n" \
	"sp_el1=0x40180000\n" "elr_el1=0xffff800012345678\n" "spsr_el1=0x0\n" \
	"sctlr_el1=0xc5107d\n" "ttbr0_el1=0x40010000\n" \
	"ttbr1_el1=0x40014000\n" "tcr_el1=0x2b5103519\n" "mair_el1=0xff\n" \
	"vbar_el1=0xffff800010000800\n" "esr_el1=0x0\n" "far_el1=0x0\n" \
	"contextidr_el1=0x4242\n" "tpidr_el1=0xffff0000deadb000\n"

/* What gva prints for FIXTURE_ARM64_GVA and FIXTURE_ARM64_GVA_STOP. */
#define FIXTURE_ARM64_GVA_TABLE \
	"GVA 0x12345678 on vcpu 0: TTBR0_EL1 0x40010000, 39-bit range, 4K granule, TCR_EL1 0x2b5103519\n" \
	"\n" \
	"LEVEL       TABLE   ENTRY GPA       ENTRY  TYPE   ATTR  AP  AF  PXN  UXN\n" \
	"    1  0x40010000  0x40010000  0x40012003  table     -   -  -   -    -\n" \
	"    2  0x40012000  0x40012488  0x40013003  table     -   -  -   -    -\n" \
	"    3  0x40013000  0x40013a28  0x80003703  page      0   0  AF  -    -\n" \
	"\n" \
	"       GPA  PAGE SIZE             HVA         HPA  HOST SIZE  KIND\n" \
	"0x80003678      4 KiB  0xffffbd226678  0x40190678      4 KiB  base\n"

#define FIXTURE_ARM64_GVA_STOP_TABLE \
	"GVA 0x12346000 on vcpu 0: TTBR0_EL1 0x40010000, 39-bit range, 4K granule, TCR_EL1 0x2b5103519\n" \
	"\n" \
	"LEVEL       TABLE   ENTRY GPA       ENTRY  TYPE     ATTR  AP  AF  PXN  UXN\n" \
	"    1  0x40010000  0x40010000  0x40012003  table       -   -  -   -    -\n" \
	"    2  0x40012000  0x40012488  0x40013003  table       -   -  -   -    -\n" \
	"    3  0x40013000  0x40013a30         0x0  invalid     -   -  -   -    -\n" \
	"\n" \
	"The walk stops at level 3: the descriptor is invalid.\n"

/* What regs prints for FIXTURE_ARM64_REGS. */
#define FIXTURE_ARM64_REGS_TABLE \
	"vcpu 0 (capture, generation 2)\n" \
	"\n" \
	"x0   0x000000010fea60b7  x1   0x0000000040001000  x2   0x2222222222222222  x3   0x3333333333333333\n" \
	"x4   0x0000000000000000  x5   0x0000000000000000  x6   0x0000000000000000  x7   0x0000000000000000\n" \
	"x8   0x0000000000000000  x9   0x0000000000000000  x10  0x0000000000000000  x11  0x0000000000000000\n" \
	"x12  0x0000000000000000  x13  0x0000000000000000  x14  0x0000000000000000  x15  0x0000000000000000\n" \
	"x16  0x0000000000000000  x17  0x0000000000000000  x18  0x0000000000000000  x19  0x1919191919191919\n" \
	"x20  0x0000000000000000  x21  0x0000000000000000  x22  0x0000000000000000  x23  0x0000000000000000\n" \
	"x24  0x0000000000000000  x25  0x0000000000000000  x26  0x0000000000000000  x27  0x0000000000000000\n" \
	"x28  0x2828282828282828  x29  0x0000000000000000  x30  0x3030303030303030  sp   0x0000000040100000\n" \
	"\n" \
	"pc        0x0000000040000004\n" \
	"pstate    0x00000000600003c5  Z C D A I F EL1h\n" \
	"sp_el1    0x0000000040180000\n" \
	"elr_el1   0xffff800012345678\n" \
	"spsr_el1  0x0000000000000000  EL0t\n" \
	"\n" \
	"sctlr_el1       0x0000000000c5107d  M C SA I\n" \
	"ttbr0_el1       0x0000000040010000\n" \
	"ttbr1_el1       0x0000000040014000\n" \
	"tcr_el1         0x00000002b5103519\n" \
	"mair_el1        0x00000000000000ff\n" \
	"vbar_el1        0xffff800010000800\n" \
	"esr_el1         0x0000000000000000\n" \
	"far_el1         0x0000000000000000\n" \
	"contextidr_el1  0x0000000000004242\n" \
	"tpidr_el1       0xffff0000deadb000\n"

/* What regs prints for FIXTURE_REGS (vcpu 1). */
#define FIXTURE_REGS_TABLE \
	"vcpu 1 (capture, generation 1)\n" \
	"\n" \
	"rax  0x0000000000000000  rbx  0x0000000000000011  rcx  0x0000000000000022  rdx  0x0000000000000033\n" \
	"rsi  0x0000000000000044  rdi  0x0000000000000055  rsp  0x0000000000000066  rbp  0x0000000000000077\n" \
	"r8   0x0000000000000088  r9   0x0000000000000099  r10  0x00000000000000aa  r11  0x00000000000000bb\n" \
	"r12  0x00000000000000cc  r13  0x00000000000000dd  r14  0x00000000000000ee  r15  0x00000000000000ff\n" \
	"\n" \
	"rip        0x0000000000401000\n" \
	"rflags     0x0000000000000246  PF ZF IF\n" \
	"cr0        0x0000000080050033  PE MP ET NE WP AM PG\n" \
	"cr2        0x0000000000000000\n" \
	"cr3        0x0000000000101000\n" \
	"cr4        0x0000000000000020  PAE\n" \
	"cr8        0x0000000000000000\n" \
	"efer       0x0000000000000d00  LME LMA NXE\n" \
	"apic_base  0x00000000fee00900\n" \
	"fs_base    0x0000000000000000\n" \
	"gs_base    0x0000000000000000\n" \
	"gdt        0x0000000000002000  limit 0x1f\n" \
	"idt        0x0000000000000000  limit 0xfff\n" \
	"\n" \
	"SEG  SELECTOR    BASE       LIMIT  ATTRIBUTES  TYPE  S  DPL  P  L  D/B  G  DESCRIPTION\n" \
	"cs     0x0008     0x0  0xffffffff      0xa09b   0xb  1    0  1  1    0  1  code, readable, accessed\n" \
	"ds     0x0010     0x0  0xffffffff      0xc093   0x3  1    0  1  0    1  1  data, writable, accessed\n" \
	"es     0x0010     0x0  0xffffffff      0xc093   0x3  1    0  1  0    1  1  data, writable, accessed\n" \
	"fs     0x0000     0x0      0xffff     0x10000   0x0  0    0  0  0    0  0  unusable\n" \
	"gs     0x0000     0x0      0xffff     0x10000   0x0  0    0  0  0    0  0  unusable\n" \
	"ss     0x0010     0x0  0xffffffff      0xc093   0x3  1    0  1  0    1  1  data, writable, accessed\n" \
	"tr     0x0018  0x1000        0x67        0x8b   0xb  0    0  1  0    0  0  TSS (busy)\n" \
	"ldt    0x0000     0x0      0xffff        0x82   0x2  0    0  1  0    0  0  LDT\n" \
	"\n" \
	"star          0x0000000000000000  lstar           0xffffffff81a00080\n" \
	"cstar         0x0000000000000000  sfmask          0x0000000000000000\n" \
	"sysenter_cs   0x0000000000000000  sysenter_esp    0x0000000000000000\n" \
	"sysenter_eip  0x0000000000000000  kernel_gs_base  0x0000000000000000\n" \
	"pat           0x0007040600070406  tsc             unavailable\n"

/* What translate prints for FIXTURE_TRANSLATE. */
#define FIXTURE_TRANSLATE_TABLE \
	"         GPA             HVA          HPA       PFN   SIZE  KIND\n" \
	"      0x1234  0x7f5c2c001234  0x1ad725234  0x1ad725  4 KiB  base\n" \
	"0x5000000000               -            -         -      -  error: no-memslot\n" \
	"    0x200000  0x7f5c2c200000   0x5a400000   0x5a400  2 MiB  thp\n" \
	"    0x400000               -            -         -      -  error: not-backed\n"

/* What scan prints for FIXTURE_SCAN. */
#define FIXTURE_SCAN_TABLE \
	"      GPA             HVA          HPA  PATTERN\n" \
	"0x1000000  0x7f0001000000  0x1ad725000  str:Linux version\n" \
	"0x2000010  0x7f0002000010  0x1ad726010  hex:deadbeef\n" \
	"0x3000000  0x7f0003000000            -  str:Linux version\n" \
	"\n" \
	"3 matches in 256 MiB (268435456 bytes) of guest memory.\n"

/* What gva prints for the walks above. */
#define FIXTURE_GVA_NOT_BACKED_TABLE					\
	"GVA 0xffffffff81000123 on vcpu 0: 4-level paging, CR3 0x2000\n" \
	"\n"								\
	"LEVEL   TABLE  ENTRY GPA     ENTRY  P  W  U  NX  L\n"			\
	"    4  0x2000     0x2ff8    0x7003  P  W  -  -   -\n"		\
	"    3  0x7000     0x7ff0    0x8003  P  W  -  -   -\n"		\
	"    2  0x8000     0x8040    0x9003  P  W  -  -   -\n"		\
	"    1  0x9000     0x9000  0x200003  P  W  -  -   -\n"		\
	"\n"								\
	"     GPA  PAGE SIZE             HVA  HPA  HOST SIZE  KIND\n"	\
	"0x200123      4 KiB  0x7f3c60c00123    -          -  error: not-backed\n"
#define FIXTURE_GVA_THP_TABLE						\
	"GVA 0x1234 on vcpu 0: 4-level paging, CR3 0x2000\n"		\
	"\n"								\
	"LEVEL   TABLE  ENTRY GPA   ENTRY  P  W  U  NX  L\n"			\
	"    4  0x2000     0x2000  0x5023  P  W  -  -   -\n"		\
	"    3  0x5000     0x5000  0x6023  P  W  -  -   -\n"		\
	"    2  0x6000     0x6000    0xe3  P  W  -  -   L\n"		\
	"\n"								\
	"   GPA  PAGE SIZE             HVA        HPA  HOST SIZE  KIND\n" \
	"0x1234      2 MiB  0x7f3c60a01234  0x3001234      2 MiB  thp\n"
#define FIXTURE_GVA_STOP_TABLE						\
	"GVA 0x7f0000000000 on vcpu 0: 4-level paging, CR3 0x2000\n"	\
	"\n"								\
	"LEVEL   TABLE  ENTRY GPA  ENTRY  P  W  U  NX  L\n"			\
	"    4  0x2000     0x27f0    0x0  -  -  -  -   -\n"		\
	"\n"								\
	"The walk stops at level 4: the entry is not present.\n"

#endif /* CLI_FIXTURES_H */
