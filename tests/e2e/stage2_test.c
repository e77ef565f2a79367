// SPDX-License-Identifier: GPL-2.0
/*
 * stage2: the NPT/EPT table KVM built, against what this process, as the
 * VMM, knows independently: the guest below touches chosen GPAs of a slot
 * on 4 KiB pages and of a THP-backed slot, then stops.  For each touched
 * GPA the stage-2 leaf's PFN must be the one /proc/self/pagemap gives for
 * its HVA (and gpa_hpa's); the THP slot must be mapped with 2M leaves, the
 * other with 4K ones, and a dirty-logged THP slot with 4K leaves on a 2M
 * host page (the two layers side by side); each entry must point at the next level's
 * table; untouched GPAs must stop at a non-present entry; the summary must
 * list the touched ranges with those sizes and nothing untouched.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvmintro_e2e.h"
#include "processor.h"

#define TIMEOUT_MS	10000

#define BASE_GPA	0x10000000ULL		/* 4 MiB on 4 KiB host pages */
#define THP_GPA		0x100000000ULL		/* 8 MiB, THP-backed */
#define LOG_GPA		0x200000000ULL		/* 2 MiB, THP, dirty logged */
/* 8 MiB on 4 KiB pages, every other page touched: 1024 runs of one leaf. */
#define LOOP_GPA	0x40000000ULL
#define LOOP_PAGES	1024

/* What the guest writes to, in this order; nothing else in these slots. */
static const uint64_t touched[] = {
	BASE_GPA, BASE_GPA + 0x1000, BASE_GPA + 0x5008, BASE_GPA + 0x200010,
	THP_GPA + 0x80, THP_GPA + 0x201000, THP_GPA + 0x3ff000,
	LOG_GPA + 0x1000,
};
/* Never touched by anyone. */
static const uint64_t untouched[] = {
	BASE_GPA + 0x2000, BASE_GPA + 0x300000, THP_GPA + 0x600000,
	LOG_GPA + 0x2000, LOOP_GPA + 0x1000,
};

/*
 * What a touched GPA must show: the stage-2 leaf size, and the VMM's page.
 * Under dirty logging KVM maps 4K at stage 2 even on a THP: huge in the
 * host, not in the table.
 */
static const char *want_size(uint64_t gpa)
{
	return gpa >= THP_GPA && gpa < LOG_GPA ? "2M" : "4K";
}

static const char *want_host(uint64_t gpa)
{
	return gpa >= THP_GPA ? "2M thp" : "4K base";
}

static const char *stage2_path(void)
{
	static char path[192];

	snprintf(path, sizeof(path), "%s/stage2", kvmintro_vm_path(getpid(), 0));
	return path;
}

static char *stage2_walk(uint64_t gpa)
{
	char request[32];

	snprintf(request, sizeof(request), "0x%" PRIx64 "\n", gpa);
	return kvmintro_vm_request("stage2", request);
}

/* The records of a walk of @gpa; the text too, in *@text, if @text. */
static struct kvmintro_record_list *stage2_walk_records(uint64_t gpa, char **text)
{
	char *reply = stage2_walk(gpa);

	TEST_ASSERT(reply, "read stage2: %s", strerror(errno));
	if (text)
		*text = strdup(reply);
	return kvmintro_records_parse(reply);
}

/*
 * Guest code written over the vcpu's payload: one "mov rax, gpa; mov
 * [rax], rax" per touched GPA (identity mapped), then a loop writing
 * every other page of the loop slot, then count once and halt.
 * A plain store, not a read-modify-write: a first read of untouched
 * anonymous memory maps the huge zero page, whose copy-on-write then gives
 * 4K pages, and the THP slot would hold no THP.
 */
static void load_toucher(struct kvm_vcpu *vcpu)
{
	uint8_t *code = addr_gpa2hva(vcpu->vm, vcpu->code_gpa), *p = code;
	unsigned int i;

	vcpu_guest_load(vcpu, GUEST_HALT);
	for (i = 0; i < ARRAY_SIZE(touched); i++) {
		*p++ = 0x48;			/* mov rax, imm64 */
		*p++ = 0xb8;
		memcpy(p, &touched[i], 8);
		p += 8;
		*p++ = 0x48;			/* mov [rax], rax */
		*p++ = 0x89;
		*p++ = 0x00;
	}
	/* mov rax, LOOP_GPA; mov ecx, LOOP_PAGES */
	*p++ = 0x48;
	*p++ = 0xb8;
	memcpy(p, &(uint64_t){ LOOP_GPA }, 8);
	p += 8;
	*p++ = 0xb9;
	memcpy(p, &(uint32_t){ LOOP_PAGES }, 4);
	p += 4;
	*p++ = 0x48;				/* 1: mov [rax], rax */
	*p++ = 0x89;
	*p++ = 0x00;
	*p++ = 0x48;				/* add rax, 0x2000 */
	*p++ = 0x05;
	memcpy(p, &(uint32_t){ 0x2000 }, 4);
	p += 4;
	*p++ = 0xff;				/* dec ecx */
	*p++ = 0xc9;
	*p++ = 0x75;				/* jnz 1b */
	*p++ = (uint8_t)-13;
	*p++ = 0x48;				/* inc qword [rdi]: done */
	*p++ = 0xff;
	*p++ = 0x07;
	*p++ = 0xfa;				/* cli */
	*p++ = 0xf4;				/* hlt */
	*p++ = 0xeb;				/* jmp hlt */
	*p++ = 0xfd;
	TEST_ASSERT(p - code <= VCPU_CODE_SIZE, "toucher too long");
}

static struct kvm_vm *vm_create_touched(struct kvm_vcpu **vcpup, bool run)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu;
	int i;

	vm_add_memslot(vm, VM_MEM_ANON, 0, 0, SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_ANON, 1, BASE_GPA, 2 * SZ_2M, 0);
	/* Base pages here, whatever the host's THP policy. */
	TEST_ASSERT(!madvise(addr_gpa2hva(vm, BASE_GPA), 2 * SZ_2M,
			     MADV_NOHUGEPAGE), "madvise");
	vm_add_memslot(vm, VM_MEM_THP, 2, THP_GPA, 4 * SZ_2M, 0);
	vm_add_memslot(vm, VM_MEM_THP, 3, LOG_GPA, SZ_2M,
		       KVM_MEM_LOG_DIRTY_PAGES);
	vm_add_memslot(vm, VM_MEM_ANON, 4, LOOP_GPA, 2 * LOOP_PAGES * 4096, 0);
	TEST_ASSERT(!madvise(addr_gpa2hva(vm, LOOP_GPA), 2 * LOOP_PAGES * 4096,
			     MADV_NOHUGEPAGE), "madvise");
	vm_guest_init(vm, VM_MODE_LONG);
	virt_identity_map_memslots(vm, SZ_2M);
	vcpu = vcpu_add(vm, 0);
	load_toucher(vcpu);
	if (run) {
		vcpu_thread_create(vcpu, NULL);
		vcpu_thread_go(vcpu);
		for (i = 0; i < TIMEOUT_MS && !vcpu_guest_counter(vcpu); i++)
			usleep(1000);
		TEST_ASSERT(vcpu_guest_counter(vcpu), "the guest did not finish");
		/* Out of KVM_RUN: the root stays, and nothing changes it. */
		vcpu_thread_stop(vcpu);
	}
	*vcpup = vcpu;
	return vm;
}

/* gpa_hpa's frame for @gpa: the record whose run holds it. */
static uint64_t gpa_hpa_pfn(uint64_t gpa)
{
	static struct kvmintro_gpa_hpa_line lines[8192];
	uint64_t found = 0;
	int n, i;

	n = kvmintro_gpa_hpa(kvmintro_vm_path(getpid(), 0), "gpa_hpa", lines,
			     8192);
	TEST_ASSERT(n >= 0, "read gpa_hpa: %s", strerror(-n));
	for (i = 0; i < n; i++) {
		if (strcmp(lines[i].kind, "none") && gpa >= lines[i].gpa &&
		    gpa < lines[i].gpa + lines[i].npages * 4096)
			found = lines[i].pfn + ((gpa - lines[i].gpa) >> 12);
	}
	return found;
}

/*
 * The walk's entries, the records without a kind that have a level: each
 * points at the next one's table.
 */
static unsigned int check_levels(const struct kvmintro_record_list *walk,
				  uint64_t root, unsigned int *last_level)
{
	uint64_t table, entry, next_table = root, level, want_level = 0;
	const struct kvmintro_record *r;
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < walk->count; i++) {
		r = kvmintro_records_at(walk, i);
		if (!kvmintro_record_is(r, NULL) || !kvmintro_field_has(r, "level"))
			continue;
		level = kvmintro_field_u64(r, "level");
		table = kvmintro_field_u64(r, "table");
		entry = kvmintro_field_u64(r, "entry");
		TEST_ASSERT(!n || level == want_level, "levels out of order at '%s'",
			    kvmintro_record_line(r));
		TEST_ASSERT(table == next_table,
			    "level %" PRIu64 " table 0x%" PRIx64 " is not the entry above's 0x%" PRIx64,
			    level, table, next_table);
		TEST_ASSERT(kvmintro_field_u64(r, "index") < 512, "index in '%s'",
			    kvmintro_record_line(r));
		next_table = entry & 0x000ffffffffff000ULL;
		want_level = level - 1;
		*last_level = level;
		n++;
	}
	return n;
}

/* A perm= value: the letters granted, in the order r, w, x, or "-". */
static bool perm_valid(const char *perm)
{
	static const char *const valid[] = {
		"-", "r", "w", "x", "rw", "rx", "wx", "rwx",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(valid); i++)
		if (!strcmp(perm, valid[i]))
			return true;
	return false;
}

static void check_touched(struct kvm_vm *vm, uint64_t gpa, uint64_t root,
			  unsigned int levels)
{
	uint64_t hva = (uint64_t)(uintptr_t)addr_gpa2hva(vm, gpa), pm, pfn;
	char *text, size[8], host_size[8], kind[16], perm[8], host[32];
	struct kvmintro_record_list *walk = stage2_walk_records(gpa, &text);
	const struct kvmintro_record *head, *leaf;
	const char *want = want_size(gpa);
	unsigned int n, last = 0;

	head = kvmintro_records_at(walk, 0);
	TEST_ASSERT(kvmintro_record_is(head, NULL) &&
		    kvmintro_field_u64(head, "gpa") == gpa &&
		    kvmintro_field_u64(head, "root") == root, "header:\n%s", text);
	leaf = kvmintro_records_find(walk, "leaf", 0);
	TEST_ASSERT(leaf && leaf == kvmintro_records_at(walk, walk->count - 1),
		    "gpa 0x%" PRIx64 " has no leaf, last:\n%s", gpa, text);
	n = check_levels(walk, root, &last);
	kvmintro_field_str(leaf, "size", size, sizeof(size));
	kvmintro_field_str(leaf, "host_size", host_size, sizeof(host_size));
	kvmintro_field_str(leaf, "kind", kind, sizeof(kind));
	kvmintro_field_str(leaf, "perm", perm, sizeof(perm));
	TEST_ASSERT_EQ(n, levels - last + 1);
	TEST_ASSERT_EQ((uint64_t)last, kvmintro_field_u64(leaf, "level"));
	TEST_ASSERT_EQ(kvmintro_field_u64(leaf, "gpa"), gpa);

	pm = kvmintro_pagemap_entry(hva);
	TEST_ASSERT(pm & KVMINTRO_PM_PRESENT, "the VMM's page of 0x%" PRIx64 " is absent", gpa);
	pfn = pm & KVMINTRO_PM_PFN_MASK;
	TEST_ASSERT(kvmintro_field_u64(leaf, "pfn") == pfn,
		    "gpa 0x%" PRIx64 ": stage2 pfn 0x%" PRIx64 ", pagemap 0x%" PRIx64 "\n%s",
		    gpa, kvmintro_field_u64(leaf, "pfn"), pfn, text);
	TEST_ASSERT_EQ(kvmintro_field_u64(leaf, "hpa"), (pfn << 12) | (gpa & 0xfff));
	TEST_ASSERT_EQ(gpa_hpa_pfn(gpa), pfn);
	TEST_ASSERT_EQ(kvmintro_field_u64(leaf, "hva"), hva);
	TEST_ASSERT(!kvmintro_field_has(leaf, "mismatch"), "mismatch:\n%s", text);
	/* The guest wrote there: KVM mapped it readable and writable. */
	TEST_ASSERT(perm_valid(perm) && !strncmp(perm, "rw", 2), "perm %s", perm);
	snprintf(host, sizeof(host), "%s %s", host_size, kind);
	TEST_ASSERT(!strcmp(host, want_host(gpa)),
		    "gpa 0x%" PRIx64 " backed by %s, want %s", gpa, host,
		    want_host(gpa));
	TEST_ASSERT(!strcmp(size, want),
		    "gpa 0x%" PRIx64 ": stage-2 leaf %s on a %s %s host page, want %s:\n%s",
		    gpa, size, host_size, kind, want, text);
	kvmintro_records_free(walk);
	free(text);
}

struct summary_run {
	uint64_t gpa, npages, leaves;
	char size[8], perm[8];
};

/*
 * The summary: a table record naming the root, then only run records, in
 * GPA order, none overlapping.
 */
static int read_summary(struct summary_run *runs, int max, uint64_t *root)
{
	struct kvmintro_record_list *summary = kvmintro_records_read(stage2_path());
	const struct kvmintro_record *table, *r;
	char memtype[8], mmu[8];
	int n = 0;
	size_t i;

	TEST_ASSERT(summary && summary->count, "read stage2: %s", strerror(errno));
	table = kvmintro_records_at(summary, 0);
	TEST_ASSERT(kvmintro_record_is(table, "table") &&
		    kvmintro_field_u64(table, "vcpu") == 0,
		    "summary starts '%s'", kvmintro_record_line(table));
	kvmintro_field_str(table, "mmu", mmu, sizeof(mmu));
	*root = kvmintro_field_u64(table, "root");
	for (i = 1; i < summary->count; i++) {
		struct summary_run *run = &runs[n];

		r = kvmintro_records_at(summary, i);
		TEST_ASSERT(kvmintro_record_is(r, "run"), "not a run: '%s'",
			    kvmintro_record_line(r));
		TEST_ASSERT(n < max, "too many runs");
		TEST_ASSERT(r->nr_fields == 6, "'%s' has %u fields",
			    kvmintro_record_line(r), r->nr_fields);
		run->gpa = kvmintro_field_u64(r, "gpa");
		run->npages = kvmintro_field_u64(r, "npages");
		run->leaves = kvmintro_field_u64(r, "leaves");
		kvmintro_field_str(r, "size", run->size, sizeof(run->size));
		kvmintro_field_str(r, "perm", run->perm, sizeof(run->perm));
		kvmintro_field_str(r, "memtype", memtype, sizeof(memtype));
		TEST_ASSERT(perm_valid(run->perm), "perm in '%s'",
			    kvmintro_record_line(r));
		/* A memory type on EPT only. */
		TEST_ASSERT(!strcmp(mmu, "npt") ? !strcmp(memtype, "-") :
			    strcmp(memtype, "-") != 0, "memtype in '%s'",
			    kvmintro_record_line(r));
		TEST_ASSERT(!n || run->gpa >= runs[n - 1].gpa + runs[n - 1].npages * 4096,
			    "runs overlap or out of order at '%s'",
			    kvmintro_record_line(r));
		n++;
	}
	kvmintro_records_free(summary);
	return n;
}

/* Print the summary, but for the loop slot's second run on. */
static void print_summary(void)
{
	char *text = kvmintro_read(stage2_path()), *line, *nl;
	unsigned int loop = 0;
	uint64_t gpa = 0;

	TEST_ASSERT(text, "read stage2");
	for (line = text; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		TEST_ASSERT(nl, "unterminated");
		*nl = '\0';
		if (!strncmp(line, "run gpa=", 8)) {
			gpa = strtoull(line + 8, NULL, 16);
			if (gpa >= LOOP_GPA && gpa < LOOP_GPA + 2 * LOOP_PAGES * 4096 &&
			    loop++)
				continue;
		}
		ksft_print_msg("%s\n", line);
		if (loop == 1 && !strncmp(line, "run gpa=", 8) && gpa == LOOP_GPA)
			ksft_print_msg("(%u runs of the loop slot left out)\n",
				       LOOP_PAGES - 1);
	}
	free(text);
}

static const struct summary_run *find_run(const struct summary_run *runs,
					  int n, uint64_t gpa)
{
	int i;

	for (i = 0; i < n; i++)
		if (gpa >= runs[i].gpa && gpa < runs[i].gpa + runs[i].npages * 4096)
			return &runs[i];
	return NULL;
}

static void test_stage2_walks(void)
{
	static struct summary_run runs[4096];
	const struct summary_run *run;
	const struct kvmintro_record *head, *leaf, *err;
	struct kvmintro_record_list *walk;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = vm_create_touched(&vcpu, true);
	uint64_t root, levels = 0, size;
	char *text, *again, mmu[8], reason[16];
	unsigned int i, last, loop_runs;
	int n, r;

	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(stage2_path(), true, TIMEOUT_MS), "no stage2 file");

	walk = stage2_walk_records(touched[0], &text);
	head = kvmintro_records_at(walk, 0);
	TEST_ASSERT(kvmintro_record_is(head, NULL), "walk:\n%s", text);
	kvmintro_field_str(head, "mmu", mmu, sizeof(mmu));
	levels = kvmintro_field_u64(head, "levels");
	root = kvmintro_field_u64(head, "root");
	TEST_ASSERT(!strcmp(mmu, "npt") || !strcmp(mmu, "ept"), "mmu=%s", mmu);
	TEST_ASSERT(levels == 4 || levels == 5, "levels=%" PRIu64, levels);
	ksft_print_msg("first walk:\n%s", text);
	kvmintro_records_free(walk);
	free(text);
	for (i = 0; i < ARRAY_SIZE(touched); i++)
		check_touched(vm, touched[i], root, levels);
	text = kvmintro_read(stage2_path());
	ksft_print_msg("dirty-logged THP:\n%s", text);
	free(text);

	/* Back to the summary: the same root, every touched range. */
	TEST_ASSERT(!kvmintro_write(stage2_path(), "summary\n"), "summary");
	n = read_summary(runs, ARRAY_SIZE(runs), &size);
	TEST_ASSERT_EQ(size, root);
	for (i = 0; i < ARRAY_SIZE(touched); i++) {
		run = find_run(runs, n, touched[i]);
		TEST_ASSERT(run, "touched 0x%" PRIx64 " in no summary run", touched[i]);
		TEST_ASSERT(!strcmp(run->size, want_size(touched[i])),
			    "touched 0x%" PRIx64 " in a run of %s leaves", touched[i], run->size);
		size = !strcmp(run->size, "2M") ? 512 : 1;
		TEST_ASSERT_EQ(run->npages, run->leaves * size);
	}
	for (i = 0; i < ARRAY_SIZE(untouched); i++)
		TEST_ASSERT(!find_run(runs, n, untouched[i]),
			    "untouched 0x%" PRIx64 " is in the summary", untouched[i]);
	/*
	 * The loop slot: one run a touched page, more entries and runs than
	 * one hold of the locks takes, so the summary yielded and went on.
	 */
	loop_runs = 0;
	for (i = 0; i < (unsigned int)n; i++) {
		if (runs[i].gpa < LOOP_GPA || runs[i].gpa >= LOOP_GPA + 2 * LOOP_PAGES * 4096)
			continue;
		TEST_ASSERT(runs[i].gpa == LOOP_GPA + loop_runs * 0x2000ULL &&
			    runs[i].npages == 1 && runs[i].leaves == 1 &&
			    !strcmp(runs[i].size, "4K"),
			    "loop run %u at 0x%" PRIx64 " of 0x%" PRIx64 " pages",
			    loop_runs, runs[i].gpa, runs[i].npages);
		loop_runs++;
	}
	TEST_ASSERT_EQ(loop_runs, LOOP_PAGES);
	/* Only the touched pages of the test slots, nothing more. */
	for (i = 0; i < (unsigned int)n; i++) {
		if (runs[i].gpa < BASE_GPA ||
		    (runs[i].gpa >= LOOP_GPA && runs[i].gpa < LOOP_GPA + 2 * LOOP_PAGES * 4096))
			continue;
		TEST_ASSERT((runs[i].gpa >= THP_GPA &&
			     runs[i].gpa + runs[i].npages * 4096 <= THP_GPA + 4 * SZ_2M) ||
			    runs[i].gpa == LOG_GPA + 0x1000 ||
			    runs[i].gpa + runs[i].npages * 4096 <= BASE_GPA + 2 * SZ_2M,
			    "run at 0x%" PRIx64 " outside the slots", runs[i].gpa);
	}
	ksft_print_msg("summary: %d runs, %u of them in the loop slot\n", n,
		       loop_runs);
	print_summary();

	/* Untouched: a non-present entry stops the walk, and says where. */
	for (i = 0; i < ARRAY_SIZE(untouched); i++) {
		walk = stage2_walk_records(untouched[i], &text);
		err = kvmintro_records_at(walk, walk->count - 1);
		TEST_ASSERT(!kvmintro_records_find(walk, "leaf", 0) &&
			    kvmintro_record_is(err, "err") &&
			    kvmintro_field_u64(err, "gpa") == untouched[i] &&
			    !strcmp(kvmintro_field_str(err, "reason", reason,
						       sizeof(reason)),
				    "not-present"),
			    "untouched 0x%" PRIx64 ":\n%s", untouched[i], text);
		if (!i)
			ksft_print_msg("untouched:\n%s", text);
		check_levels(walk, root, &last);
		TEST_ASSERT_EQ(kvmintro_field_u64(err, "level"), (uint64_t)last);
		/* Next to a touched 4K page: the page table is there, the entry not. */
		if (untouched[i] == BASE_GPA + 0x2000)
			TEST_ASSERT(last == 1, "level 1 stop:\n%s", text);
		kvmintro_records_free(walk);
		free(text);
	}
	/* Far away: the walk stops high up. */
	walk = stage2_walk_records(0x5000000000ULL, &text);
	check_levels(walk, root, &last);
	err = kvmintro_records_at(walk, walk->count - 1);
	TEST_ASSERT(kvmintro_record_is(err, "err") &&
		    (kvmintro_field_u64(err, "level") == 4 ||
		     kvmintro_field_u64(err, "level") == 3) &&
		    kvmintro_field_u64(err, "level") == last, "high stop:\n%s", text);
	kvmintro_records_free(walk);
	free(text);

	/* Garbage: EINVAL, the latest walks stay. */
	text = stage2_walk(touched[1]);
	{
		static const char *const bad[] = {
			"zzz", "0x", "gfn=", "0x1 junk", "summary 0x1", "-1",
			"0x10000000000000000",
		};

		static char many[8192];
		size_t len = 0;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			r = kvmintro_write(stage2_path(), bad[i]);
			TEST_ASSERT(r == -EINVAL, "'%s': %s", bad[i], strerror(-r));
		}
		/* Beyond the 52-bit guest physical range, as a frame. */
		r = kvmintro_write(stage2_path(), "gfn=0x10000000000");
		TEST_ASSERT(r == -EINVAL, "gfn beyond 52 bits: %s", strerror(-r));
		/* 65 addresses: one more than a write may ask. */
		for (i = 0; i < 65; i++)
			len += snprintf(many + len, sizeof(many) - len, "0x%x ", i << 12);
		r = kvmintro_write(stage2_path(), many);
		TEST_ASSERT(r == -EINVAL, "65 addresses: %s", strerror(-r));
		/* A write longer than a request may be. */
		memset(many, ' ', sizeof(many) - 1);
		many[0] = '1';
		r = kvmintro_write(stage2_path(), many);
		TEST_ASSERT(r == -EINVAL, "8 KiB of blanks: %s", strerror(-r));
	}
	again = kvmintro_read(stage2_path());
	TEST_ASSERT(again && !strcmp(text, again), "garbage changed the reply:\n%s", again);
	free(again);
	free(text);
	/* Several at once, and back to the summary. */
	r = kvmintro_write(stage2_path(), "0x10000000 gfn=0x100000\n");
	TEST_ASSERT(!r, "two GPAs: %s", strerror(-r));
	walk = kvmintro_records_read(stage2_path());
	TEST_ASSERT(walk, "read stage2: %s", strerror(errno));
	n = 0;
	for (i = 0; i < (unsigned int)walk->count; i++) {
		leaf = kvmintro_records_at(walk, i);
		if (!kvmintro_record_is(leaf, "leaf"))
			continue;
		TEST_ASSERT_EQ(kvmintro_field_u64(leaf, "gpa"),
			       n ? 0x100000000ULL : 0x10000000ULL);
		n++;
	}
	TEST_ASSERT(n == 2, "two walks, %d leaves", n);
	kvmintro_records_free(walk);
	TEST_ASSERT(!kvmintro_write(stage2_path(), "summary"), "summary");
	walk = kvmintro_records_read(stage2_path());
	TEST_ASSERT(walk && walk->count &&
		    kvmintro_record_is(kvmintro_records_at(walk, 0), "table"),
		    "back to summary");
	kvmintro_records_free(walk);
	vm_destroy(vm);
	kvmintro_unload();
}

/* Before any vcpu ran there is no root: said in one line. */
static void test_no_root(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = vm_create_touched(&vcpu, false);
	char *text;

	kvmintro_load();
	TEST_ASSERT(kvmintro_wait_path(stage2_path(), true, TIMEOUT_MS), "no stage2 file");
	text = kvmintro_read(stage2_path());
	TEST_ASSERT(text && !strcmp(text, "err reason=no-tdp-mmu why=no-root\n"),
		    "summary without a root: '%s'", text);
	free(text);
	text = stage2_walk(BASE_GPA);
	TEST_ASSERT(text && !strcmp(text, "err gpa=0x10000000 reason=no-tdp-mmu why=no-root\n"),
		    "walk without a root: '%s'", text);
	free(text);
	vm_destroy(vm);
	kvmintro_unload();
}

static const struct kvmintro_case cases[] = {
	{ "stage2: leaves of touched GPAs equal pagemap, 2M on THP, 4K on base pages; summary, stops, garbage",
	  test_stage2_walks },
	{ "stage2: before any vcpu ran, no root, said in one line",
	  test_no_root },
};

int main(void)
{
	kvmintro_main(cases, ARRAY_SIZE(cases));
}
