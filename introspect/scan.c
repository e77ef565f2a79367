// SPDX-License-Identifier: GPL-2.0
/*
 * The scan file: find patterns in guest physical memory.
 *
 *   printf 'str:Linux version\nhex:7f454c46\nmax=10\n' > scan
 *   cat scan
 *
 * The write returns when the scan is done.  Each write scans for all the
 * patterns written to the same open file so far: a shell writes a
 * multi-line printf one line per write(), and the last of those scans has
 * them all (a write holding only "max=" waits for a pattern).  Up to 4096
 * patterns, in at most KVMINTRO_SCAN_INPUT_MAX (4 MiB) of text through one
 * open file.  cat and dd write a long list in blocks, cut anywhere: a
 * write of a page or more that ends inside a line, where that part of the
 * line is not a pattern, waits for the rest of it (where it is one, as
 * "str:Linu", the write scans for it, and the next write for all).  Reading
 * gives one match record per match, in GPA order, then a summary record:
 *
 *   match gpa=0x1000000 hva=0x7f0001000000 hpa=0x1ad725000 index=0 pattern="str:Linux version"
 *   summary matches=1 bytes=268435456 truncated=no
 *
 * Guest pages are scanned where they lie in the host's direct map, a run of
 * physically consecutive pages at a time (a whole huge page at once); no
 * page is copied and none is faulted in: unbacked pages are holes the scan
 * steps over.  A match may straddle pages, huge pages and adjacent memslots.
 *
 * Memory per scan, whatever the patterns: the spec (1.2 MiB) and the
 * scanner (4.2 MiB, see lib/scan.h), the text written (up to 4 MiB, kept
 * per VM for the next write) and the results (up to 32 MiB).
 */
#include <linux/debugfs.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "../lib/record.h"
#include "../lib/scan.h"
#include "compat.h"
#include "guest_memory.h"
#include "kvmintro.h"
#include "reply.h"

static bool scan_simd = true;
module_param(scan_simd, bool, 0644);
MODULE_PARM_DESC(scan_simd,
		 "Search for one or two patterns with AVX2 where the CPU has it (default 1); 0 for the scalar search");

/* Most text one scan's results may take: about 300,000 matches. */
#define KVMINTRO_SCAN_TEXT_MAX		(32 << 20)
/*
 * Longest match record: three addresses, the index, and the name as a
 * string, where a byte may take four ("\xff").
 */
#define KVMINTRO_SCAN_LINE_MAX		(128 + 4 * KVMINTRO_SCAN_NAME_MAX)
/* Longest summary record, which always has room after the matches. */
#define KVMINTRO_SCAN_SUMMARY_MAX	96

/* A range of guest memory fed to the scanner, to locate a match's pages. */
struct kvmintro_scan_range {
	u64 gpa;
	u64 len;
	unsigned long hva;
	unsigned long pfn;
};

struct kvmintro_scan_ctx {
	struct kvmintro_scanner *scanner;
	struct kvmintro_guest_mem *mem;
	/* The last two ranges fed: a match starts in one of them. */
	struct kvmintro_scan_range range[2];
	u64 next_gpa;
	u64 bytes;
	bool truncated;
	char *text;
	size_t len, size;
};

static const struct kvmintro_scan_range *
kvmintro_scan_locate(const struct kvmintro_scan_ctx *ctx, u64 gpa)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (gpa - ctx->range[i].gpa < ctx->range[i].len)
			return &ctx->range[i];
	}
	return NULL;
}

static int kvmintro_scan_match(void *data, unsigned int pattern, u64 gpa)
{
	struct kvmintro_scan_ctx *ctx = data;
	const struct kvmintro_scan_range *range;
	struct kvmintro_record_writer writer;
	char name[KVMINTRO_SCAN_NAME_MAX];
	size_t name_len;
	u64 offset;
	char *bigger;
	int len;

	if (ctx->size - ctx->len <
	    KVMINTRO_SCAN_LINE_MAX + KVMINTRO_SCAN_SUMMARY_MAX) {
		if (ctx->size * 2 > KVMINTRO_SCAN_TEXT_MAX) {
			ctx->truncated = true;
			return KVMINTRO_SCAN_FULL;
		}
		bigger = kvmintro_kvrealloc(ctx->text, ctx->size, ctx->size * 2);
		if (!bigger)
			return -ENOMEM;
		ctx->text = bigger;
		ctx->size *= 2;
	}
	range = kvmintro_scan_locate(ctx, gpa);
	if (WARN_ON_ONCE(!range))
		return -EINVAL;
	offset = gpa - range->gpa;
	name_len = kvmintro_scan_pattern_name(name, &ctx->scanner->spec,
					      pattern);
	kvmintro_record_begin(&writer, ctx->text + ctx->len,
			      ctx->size - ctx->len, "match");
	kvmintro_record_hex(&writer, "gpa", gpa);
	kvmintro_record_hex(&writer, "hva", (u64)range->hva + offset);
	kvmintro_record_hex(&writer, "hpa",
			    ((u64)range->pfn << PAGE_SHIFT) + offset);
	kvmintro_record_u64(&writer, "index", pattern);
	kvmintro_record_string(&writer, "pattern", name, name_len);
	len = kvmintro_record_end(&writer);
	if (WARN_ON_ONCE(len < 0))
		return len;
	ctx->len += len;
	return 0;
}

static int kvmintro_scan_run(void *data, const struct kvmintro_guest_run *run)
{
	struct kvmintro_scan_ctx *ctx = data;
	u64 gpa = (u64)run->gfn << PAGE_SHIFT;
	u64 len = (u64)run->npages << PAGE_SHIFT;
	int r;

	/* The VMM exited: only this scan holds its memory now; stop. */
	if (atomic_read(&ctx->mem->mm->mm_users) <= 1)
		return -ESRCH;

	if (run->kind == KVMINTRO_PAGE_NONE || gpa != ctx->next_gpa) {
		r = kvmintro_scan_break(ctx->scanner, kvmintro_scan_match, ctx);
		if (r)
			return r;
	}
	if (run->kind == KVMINTRO_PAGE_NONE) {
		ctx->next_gpa = gpa + len;
		return 0;
	}
	ctx->range[0] = ctx->range[1];
	ctx->range[1] = (struct kvmintro_scan_range) {
		.gpa = gpa, .len = len, .hva = run->hva, .pfn = run->pfn,
	};
	ctx->next_gpa = gpa + len;
	ctx->bytes += len;
	/*
	 * The pages are physically consecutive and, on 64-bit hosts (x86-64,
	 * arm64), all of RAM is in the linear map: one contiguous range, no
	 * mapping to set up.
	 */
	return kvmintro_scan_feed(ctx->scanner, page_address(run->pages[0]),
				  len, gpa, kvmintro_scan_match, ctx);
}

/*
 * The summary record, last: kvmintro_scan_match() kept room for it.
 */
static int kvmintro_scan_summary(struct kvmintro_scan_ctx *ctx)
{
	struct kvmintro_record_writer writer;
	int len;

	kvmintro_record_begin(&writer, ctx->text + ctx->len,
			      ctx->size - ctx->len, "summary");
	kvmintro_record_u64(&writer, "matches", ctx->scanner->matches);
	kvmintro_record_u64(&writer, "bytes", ctx->bytes);
	kvmintro_record_word(&writer, "truncated",
			     ctx->truncated ? "yes" : "no");
	len = kvmintro_record_end(&writer);
	if (WARN_ON_ONCE(len < 0))
		return len;
	ctx->len += len;
	return 0;
}

/* Scan all of address space 0; the results text goes to @ctx. */
static int kvmintro_scan_vm(struct kvm *kvm, struct kvmintro_scan_ctx *ctx)
{
	struct kvmintro_guest_mem mem;
	int r;

	r = kvmintro_guest_mem_open(&mem, kvm);
	if (r)
		return r;
	ctx->mem = &mem;
	ctx->next_gpa = ~0ULL;
	r = kvmintro_guest_mem_walk_all(&mem, 0, kvmintro_scan_run, ctx);
	if (!r)
		r = kvmintro_scan_break(ctx->scanner, kvmintro_scan_match, ctx);
	kvmintro_guest_mem_close(&mem);
	if (r == KVMINTRO_SCAN_FULL) {
		ctx->truncated = true;
		r = 0;
	}
	if (!r)
		r = kvmintro_scan_summary(ctx);
	return r;
}

/* Is @request a "max=" line and blank lines, waiting for a pattern? */
static bool kvmintro_scan_only_max(const struct kvmintro_request *request)
{
	const char *line = request->text, *end = request->text + request->len;
	bool max = false;
	size_t len;

	for (; line < end; line += len + 1) {
		len = strcspn(line, "\n");
		if (len && strncmp(line, "max=", 4))
			return false;
		max |= len != 0;
	}
	return max;
}

/*
 * Is @request the start of a long write that cat or dd cut in blocks: a
 * write of a page or more (@count) ending inside a line, after lines that
 * parse (into @spec, scratch)?  Then the rest of the line is to come.
 */
static bool kvmintro_scan_cut_in_line(const struct kvmintro_request *request,
				      size_t count,
				      struct kvmintro_scan_spec *spec)
{
	size_t complete = request->len;

	if (count < PAGE_SIZE || request->text[request->len - 1] == '\n')
		return false;
	while (complete && request->text[complete - 1] != '\n')
		complete--;
	return complete && !kvmintro_scan_parse(spec, request->text, complete);
}

static ssize_t kvmintro_scan_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	struct kvmintro_scan_ctx ctx = { .size = PAGE_SIZE };
	struct kvmintro_request *request;
	struct kvmintro_scan_spec *spec;
	size_t old_len;
	struct kvm *kvm;
	int r;

	/* Everything written to this open file: a shell writes line by line. */
	request = kvmintro_request_append(&vm->scan, file, ubuf, count,
					  KVMINTRO_SCAN_INPUT_MAX, &old_len);
	if (IS_ERR(request))
		return PTR_ERR(request);
	spec = kvmalloc(sizeof(*spec), GFP_KERNEL);
	r = spec ? kvmintro_scan_parse(spec, request->text, request->len) :
		   -ENOMEM;
	if (r == -EINVAL && (kvmintro_scan_only_max(request) ||
			     kvmintro_scan_cut_in_line(request, count, spec))) {
		/* Only "max=" so far, or half a line: wait for the rest. */
		r = 0;
		goto out_free_spec;
	}
	if (r)
		goto out_free_spec;

	ctx.scanner = kvmalloc(sizeof(*ctx.scanner), GFP_KERNEL);
	ctx.text = kvmalloc(ctx.size, GFP_KERNEL);
	r = -ENOMEM;
	if (!ctx.scanner || !ctx.text)
		goto out_free;
	kvmintro_scan_force_scalar = !READ_ONCE(scan_simd);
	r = kvmintro_scan_init(ctx.scanner, spec);
	if (r)
		goto out_free;

	kvm = kvmintro_vm_access_kvm(vm);
	r = PTR_ERR_OR_ZERO(kvm);
	if (r)
		goto out_free;
	r = kvmintro_scan_vm(kvm, &ctx);
	kvm_put_kvm(kvm);
	if (r)
		goto out_free;

	mutex_lock(&vm->scan.lock);
	kvmintro_reply_set(&vm->scan, ctx.text, ctx.len);
	mutex_unlock(&vm->scan.lock);
	ctx.text = NULL;
out_free:
	kvfree(ctx.text);
	kvfree(ctx.scanner);
out_free_spec:
	kvfree(spec);
	if (r)
		kvmintro_request_undo(request, old_len);
	kvmintro_request_done(&vm->scan);
	return r ? r : count;
}

static ssize_t kvmintro_scan_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct kvmintro_vm *vm = file_inode(file)->i_private;
	int r = kvmintro_vm_check_access(vm);

	return r ? r : kvmintro_reply_read(&vm->scan, ubuf, count, ppos);
}

const struct file_operations kvmintro_scan_fops = {
	.owner = THIS_MODULE,
	.open = kvmintro_request_open,
	.read = kvmintro_scan_read,
	.write = kvmintro_scan_write,
	.llseek = default_llseek,
};
