/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for kvmintro's end-to-end tests: load and unload the module, read
 * and strictly parse its debugfs files.  The tests compare what they parse
 * with the truth the test VMM library holds.
 */
#ifndef KVMINTRO_E2E_H
#define KVMINTRO_E2E_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../../lib/record_list.h"
#include "test_util.h"

/*
 * The module's directory: $KVMINTRO_DEBUGFS, as for the CLI, else
 * /sys/kernel/debug/kvmintro.  The harness's lockdown passes set it to
 * /proc/kvmintro (Documentation/security.rst, "Lockdown").
 */
const char *kvmintro_root(void);
/* <root>/vms */
const char *kvmintro_vms_path(void);
/*
 * Whether an open file of the root holds the module (debugfs's do: rmmod
 * is refused until closed; /proc's do not: rmmod releases them).
 */
bool kvmintro_files_hold_module(void);
/* Whether the kernel is locked down (integrity or confidentiality). */
bool kvmintro_locked_down(void);

/* finit_module() of $KVMINTRO_KO with module parameters; 0 or -errno. */
int __kvmintro_load_params(const char *params);
int __kvmintro_load(void);
void kvmintro_load(void);
/* delete_module(), retried while briefly busy; 0 or -errno. */
int __kvmintro_unload(void);
void kvmintro_unload(void);
bool kvmintro_loaded(void);

/* Whole file as a NUL-terminated malloc()ed string; NULL and errno set. */
char *kvmintro_read(const char *path);
char *kvmintro_vm_request(const char *name, const char *request);
/* write() of @text in one call; 0 or -errno. */
int kvmintro_write(const char *path, const char *text);
/* Poll until @path exists (or is gone); false on timeout. */
bool kvmintro_wait_path(const char *path, bool exists, int timeout_ms);
/* "<root>/<pid>" for the @nth (0, 1, ...) VM of @pid, in a static buffer. */
const char *kvmintro_vm_path(pid_t pid, int nth);

struct kvmintro_vms_line {
	int pid;
	char dir[32];
	unsigned int vcpus, slots;
	uint64_t mem;
};
/* Parse the vms file; the number of lines, or -errno / -EBADMSG. */
int kvmintro_vms(struct kvmintro_vms_line *lines, int max);

struct kvmintro_memslots_line {
	unsigned int as, slot;
	uint64_t gpa, npages, size, hva;
	char flags[64];
};
/* Parse <vm path>/memslots; the number of slot lines, or -errno / -EBADMSG. */
int kvmintro_memslots(const char *vm_path,
		      struct kvmintro_memslots_line *lines, int max);

struct kvmintro_gpa_hpa_line {
	uint64_t gpa, npages, hva;
	uint64_t hpa, pfn;	/* 0 where kind is "none" */
	char host_size[8];	/* "4K", "2M", ...; "-" where kind is "none" */
	char kind[16];
};
/*
 * Parse <vm path>/<name>, "gpa_hpa" or "snapshot_gpa_hpa"; the number of
 * runs (at most @max), or -errno / -EBADMSG.
 */
int kvmintro_gpa_hpa(const char *vm_path, const char *name,
		     struct kvmintro_gpa_hpa_line *lines, int max);

struct kvmintro_vcpus_line {
	unsigned int vcpu, index;
	int tid;
	uint64_t runs;
};
int kvmintro_vcpus(const char *vm_path, struct kvmintro_vcpus_line *lines,
		   int max);

/*
 * Any file's records, read with lib/record_list.c (the CLI's reader), one
 * per line; a line that is not a record, or a comment, fails the test.
 */
struct kvmintro_record_list *kvmintro_records_parse(char *text);
/* The records of @path, or NULL with errno set if it cannot be read. */
struct kvmintro_record_list *kvmintro_records_read(const char *path);
void kvmintro_records_free(struct kvmintro_record_list *records);
/* Record @i (0 <= @i < count). */
const struct kvmintro_record *kvmintro_records_at(const struct kvmintro_record_list *records,
						  size_t i);
/* The first record of kind @kind (NULL: without one) from @from on, or NULL. */
const struct kvmintro_record *kvmintro_records_find(const struct kvmintro_record_list *records,
						    const char *kind, size_t from);
bool kvmintro_field_has(const struct kvmintro_record *record, const char *key);
/* Field @key, a hex or decimal number; asserts it is one. */
uint64_t kvmintro_field_u64(const struct kvmintro_record *record,
			    const char *key);
/*
 * Field @key as text: a word or "-" as written, a string decoded (the test
 * fails if it holds a NUL); asserts it is there and fits @size.
 */
const char *kvmintro_field_str(const struct kvmintro_record *record,
			       const char *key, char *buf, size_t size);
/* Print @record's line, for a failing test's message. */
const char *kvmintro_record_line(const struct kvmintro_record *record);

/*
 * Field "name=" of a file of one-field records (snapshot, regs), read with
 * lib/record.c's reader, which must take every line (one field each, no
 * key twice); false if absent or not a number (kv_u64), a word or "-"
 * (kv_str).
 */
bool kvmintro_kv_u64(const char *text, const char *name, uint64_t *value);
bool kvmintro_kv_str(const char *text, const char *name, char *value,
		     size_t size);

struct kvm_vcpu;
struct kvm_vm;

/* Wait until @vcpu's guest counter moves; assert after @timeout_ms. */
void kvmintro_wait_counter_moves(struct kvm_vcpu *vcpu, int timeout_ms);
/* /proc/self/pagemap entry of @hva; its frame; a /proc/vmstat counter. */
uint64_t kvmintro_rss_kb(void);
uint64_t kvmintro_present_pages(struct kvm_vm *vm);
uint64_t kvmintro_pagemap_entry(uint64_t hva);
uint64_t kvmintro_pagemap_pfn(uint64_t hva);
uint64_t kvmintro_vmstat(const char *name);
/* Make sure @count huge pages are reserved; false if they cannot be. */
bool kvmintro_reserve_hugepages(unsigned int count);

#define KVMINTRO_PM_PRESENT	(UINT64_C(1) << 63)
#define KVMINTRO_PM_PFN_MASK	((UINT64_C(1) << 55) - 1)

/* /proc/kpageflags of host frame @pfn (root only), and bits of it. */
uint64_t kvmintro_kpageflags(uint64_t pfn);
#define KVMINTRO_KPF_HUGE	17
#define KVMINTRO_KPF_THP	22
#define KVMINTRO_KPF_ZERO_PAGE	24

/*
 * Run @fn in a child process; report it as one TAP result named @name;
 * then unload kvmintro if it is loaded (unless @unload is false: cases that
 * share one load of the module).
 */
void __kvmintro_run_case(const char *name, void (*fn)(void), bool unload);
void kvmintro_run_case(const char *name, void (*fn)(void));

/* One case of a test: its TAP description and what it runs. */
struct kvmintro_case {
	const char *name;
	void (*fn)(void);
};

/*
 * main() of an end-to-end test: the TAP header, a skip outside the
 * harness (no KVMINTRO_KO), each of @cases through kvmintro_run_case(),
 * then the exit status of ksft_finished().
 */
void __noreturn kvmintro_main(const struct kvmintro_case *cases,
			      unsigned int nr);

/*
 * Lay the guest out in @vm's memslots (identity mapped) and add vcpu 0,
 * spinning, its thread created but not started (vcpu_thread_go()).
 */
struct kvm_vcpu *kvmintro_vm_add_spinner(struct kvm_vm *vm);
/* A VM with one spinning vcpu, here or in a child process. */
struct kvm_vm *kvmintro_vm_create_spinning(struct kvm_vcpu **vcpu);
/* The same with the vcpu's thread created but not started (vcpu_thread_go()). */
struct kvm_vm *kvmintro_vm_create_spin_ready(struct kvm_vcpu **vcpu);
/* A VM of @nr_vcpus GUEST_EXIT vcpus, an irqchip, none of them running. */
struct kvm_vm *kvmintro_vm_create_exiting(unsigned int nr_vcpus);
/* xorshift64: the tests' seeded pseudo-random numbers. */
uint64_t kvmintro_random(uint64_t *state);
/*
 * /sys/kernel/debug/kprobes/enabled, which every kprobe obeys: false if
 * the kernel is locked down, which refuses that debugfs file.
 */
bool kvmintro_kprobes_enable(bool on);
/* Wait until KVM's own debugfs has no VM of @pid: KVM freed it. */
void kvmintro_wait_kvm_frees_vm_of(pid_t pid);
pid_t kvmintro_spawn_vmm(void);
pid_t kvmintro_spawn_vmm_data(uint64_t data_bytes);

/*
 * Memslot churn: a thread of the VMM adds and removes @nr_slots slots of
 * 64 KiB each (ids 1.., at KVMINTRO_CHURN_GPA + id * 64 KiB, filled with
 * 0x5a) as fast as it can, as QEMU does on a smaller scale during boot and
 * device changes.  kvmintro_churn_readers() meanwhile reads every file
 * that walks guest memory, for @ms milliseconds, asserting each answers
 * as documented for a slot that may or may not be there.
 */
#define KVMINTRO_CHURN_GPA	0x10000000ULL
struct kvmintro_churn;
struct kvmintro_churn_stats {
	unsigned long slot_changes;
	unsigned long reads;
};
struct kvmintro_churn *kvmintro_churn_start(struct kvm_vm *vm,
					    unsigned int nr_slots);
unsigned long kvmintro_churn_stop(struct kvmintro_churn *churn);
void kvmintro_churn_readers(const char *vm_path, unsigned int ms,
			    struct kvmintro_churn_stats *stats);

#endif /* KVMINTRO_E2E_H */
