// SPDX-License-Identifier: GPL-2.0
/*
 * testvmm - a VMM for kvmintro's end-to-end tests.
 *
 * Creates the VMs described on the command line, prints the truth about
 * them (one fact per line, key=value) for the test to compare with what
 * kvmintro reports, prints `ready` and runs the vcpus until SIGTERM,
 * SIGINT, `quit` or EOF on stdin.  See usage() for the options and the
 * output format.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"

#define TESTVMM_MAX_VMS		16
#define TESTVMM_MAX_MAPS	16

struct slot_spec {
	uint16_t as;
	int id;			/* -1: first free id in the address space */
	uint64_t gpa;
	uint64_t size;
	enum vm_mem_backing backing;
	uint32_t flags;
};

struct map_spec {
	uint64_t gva;
	uint64_t gpa;
	uint64_t size;
	uint64_t page_size;
};

/* One --vm and the options that followed it. */
struct vm_spec {
	struct slot_spec slots[VM_MAX_MEMSLOTS];
	unsigned int nr_slots;
	struct map_spec maps[TESTVMM_MAX_MAPS];
	unsigned int nr_maps;
	unsigned int nr_vcpus;		/* 0: from --vcpu-ids, else 1 */
	uint32_t ids[GUEST_MAX_VCPUS];
	unsigned int nr_ids;
	enum vm_guest_kind kinds[GUEST_MAX_VCPUS];
	unsigned int nr_kinds;
	enum vm_guest_mode mode;
	uint64_t page_size;
	bool irqchip;

	struct kvm_vm *vm;
};

static struct vm_spec vm_specs[TESTVMM_MAX_VMS];
static unsigned int nr_vm_specs;

static bool opt_hold;
static bool opt_stats;
static bool opt_no_stdin;
static unsigned int opt_timeout;

/* Written by a vcpu thread whose guest loop failed; read by main. */
static int error_pipe[2] = { -1, -1 };

static void usage(FILE *out)
{
	fprintf(out,
"usage: testvmm [--vm [VM OPTIONS]]... [--hold] [--stats] [--no-stdin]\n"
"               [--timeout SECONDS]\n"
"\n"
"VM options apply to the VM started by the last --vm (one is implied if\n"
"they come first):\n"
"  --slot KEY=VAL,...   add a memslot; keys: gpa, size (K/M/G suffixes),\n"
"                       as (address space, 1 = SMM), slot (id, default\n"
"                       first free), backing=anon|anon_shared|shared|\n"
"                       hugetlb|thp|hugetlb_1g|guest_memfd (6.18+)|\n"
"                       hugetlb_memfd|shared_thp|file_private,\n"
"                       flags=readonly+dirty_log\n"
"                       default when none: gpa=0,size=2M,backing=anon\n"
"  --vcpus N            number of vcpus (default 1)\n"
"  --vcpu-ids ID,...    KVM vcpu ids (default 0..N-1)\n"
"  --guest KIND,...     spin|exit|halt|idle|regs for vcpu 0, 1, ...; the\n"
"                       last one repeats (default spin)\n"
"  --mode real|long     guest CPU mode (default long)\n"
"  --page-size 4K|2M|1G page size of the long-mode identity map of every\n"
"                       address space 0 memslot (default 2M)\n"
"  --map gva=,gpa=,size=,page=  extra guest virtual mapping (long mode)\n"
"  --irqchip            in-kernel irqchip (implied by a halt guest)\n"
"\n"
"Process options:\n"
"  --hold       set up and print everything, print `held`, and run the\n"
"               vcpus only when a line arrives on stdin\n"
"  --stats      print per-vcpu stats lines on exit\n"
"  --no-stdin   ignore stdin (a backgrounded shell job reads /dev/null)\n"
"  --timeout S  exit by itself after S seconds\n"
"\n"
"stdout, one line per fact, flushed:\n"
"  vm index=0 pid=P fd=F mode=long irqchip=0 cr3=0x2000\n"
"  slot vm=0 as=0 slot=0 gpa=0x0 size=0x200000 hva=0x7f.. flags=0x0 backing=anon\n"
"  map vm=0 gva=0x0 gpa=0x0 size=0x200000 page=0x200000\n"
"  vcpu vm=0 index=0 id=0 tid=T guest=spin counter_gpa=0x1000 fd=F code_gpa=0x0\n"
"  held                          (--hold only)\n"
"  ready\n"
"  stats vm=0 vcpu=0 id=0 runs=N eintr=N io_exits=N hlt_exits=N counter=N\n"
"  exit reason=signal|stdin-eof|quit|timeout|error\n"
"stdin commands: `stats` prints stats lines now, `quit` exits.\n"
"Exit status: 0 after a clean stop, 4 when a requirement is missing (e.g.\n"
"huge pages), 1 on any error, 2 on bad usage.\n");
}

static void __printf(1, 2) __noreturn
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "testvmm: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see testvmm --help)\n");
	exit(2);
}

/* A truth line: whole lines, flushed, so a reader never sees half. */
static void __printf(1, 2) truth(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static struct vm_spec *vm_spec_new(void)
{
	struct vm_spec *spec;

	if (nr_vm_specs == TESTVMM_MAX_VMS)
		usage_error("at most %d VMs", TESTVMM_MAX_VMS);
	spec = &vm_specs[nr_vm_specs++];
	spec->mode = VM_MODE_LONG;
	spec->page_size = SZ_2M;
	return spec;
}

static struct vm_spec *vm_spec_current(void)
{
	return nr_vm_specs ? &vm_specs[nr_vm_specs - 1] : vm_spec_new();
}

static uint64_t parse_size_or_die(const char *what, const char *str)
{
	uint64_t val;

	if (parse_size(str, &val))
		usage_error("%s: bad number '%s'", what, str);
	return val;
}

static uint32_t parse_slot_flags(const char *str)
{
	char *copy = strdup(str), *save = NULL, *tok;
	uint32_t flags = 0;
	uint64_t val;

	for (tok = strtok_r(copy, "+|", &save); tok;
	     tok = strtok_r(NULL, "+|", &save)) {
		if (!strcmp(tok, "readonly"))
			flags |= KVM_MEM_READONLY;
		else if (!strcmp(tok, "dirty_log"))
			flags |= KVM_MEM_LOG_DIRTY_PAGES;
		else if (!strcmp(tok, "none") || !strcmp(tok, "-"))
			;
		else if (!parse_size(tok, &val))
			flags |= val;
		else
			usage_error("slot flags: unknown '%s'", tok);
	}
	free(copy);
	return flags;
}

/* Split "k=v,k=v" in place and call @fn for each pair. */
static void parse_kv_list(char *str, const char *what,
			  void (*fn)(void *obj, const char *k, const char *v),
			  void *obj)
{
	char *save = NULL, *tok, *eq;

	for (tok = strtok_r(str, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			usage_error("%s: expected key=value, got '%s'", what,
				    tok);
		*eq = '\0';
		fn(obj, tok, eq + 1);
	}
}

static void slot_spec_set(void *obj, const char *key, const char *val)
{
	struct slot_spec *s = obj;
	int backing;

	if (!strcmp(key, "gpa")) {
		s->gpa = parse_size_or_die("slot gpa", val);
	} else if (!strcmp(key, "size")) {
		s->size = parse_size_or_die("slot size", val);
	} else if (!strcmp(key, "as")) {
		s->as = parse_size_or_die("slot as", val);
	} else if (!strcmp(key, "slot") || !strcmp(key, "id")) {
		s->id = parse_size_or_die("slot id", val);
	} else if (!strcmp(key, "backing")) {
		backing = vm_mem_backing_parse(val);
		if (backing < 0)
			usage_error("slot backing: unknown '%s'", val);
		s->backing = backing;
	} else if (!strcmp(key, "flags")) {
		s->flags = parse_slot_flags(val);
	} else {
		usage_error("slot: unknown key '%s'", key);
	}
}

static void map_spec_set(void *obj, const char *key, const char *val)
{
	struct map_spec *m = obj;

	if (!strcmp(key, "gva"))
		m->gva = parse_size_or_die("map gva", val);
	else if (!strcmp(key, "gpa"))
		m->gpa = parse_size_or_die("map gpa", val);
	else if (!strcmp(key, "size"))
		m->size = parse_size_or_die("map size", val);
	else if (!strcmp(key, "page"))
		m->page_size = parse_size_or_die("map page", val);
	else
		usage_error("map: unknown key '%s'", key);
}

static void parse_slot(struct vm_spec *spec, char *arg)
{
	struct slot_spec *s;

	if (spec->nr_slots == VM_MAX_MEMSLOTS)
		usage_error("at most %d slots per VM", VM_MAX_MEMSLOTS);
	s = &spec->slots[spec->nr_slots++];
	s->id = -1;
	s->size = SZ_2M;
	s->backing = VM_MEM_ANON;
	parse_kv_list(arg, "--slot", slot_spec_set, s);
}

static void parse_map(struct vm_spec *spec, char *arg)
{
	struct map_spec *m;

	if (spec->nr_maps == TESTVMM_MAX_MAPS)
		usage_error("at most %d maps per VM", TESTVMM_MAX_MAPS);
	m = &spec->maps[spec->nr_maps++];
	m->page_size = SZ_4K;
	parse_kv_list(arg, "--map", map_spec_set, m);
	if (!m->size)
		usage_error("--map needs size=");
}

static void parse_guest_kinds(struct vm_spec *spec, char *arg)
{
	char *save = NULL, *tok;
	int kind;

	spec->nr_kinds = 0;
	for (tok = strtok_r(arg, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		kind = vm_guest_kind_parse(tok);
		if (kind < 0)
			usage_error("--guest: unknown kind '%s'", tok);
		if (spec->nr_kinds == GUEST_MAX_VCPUS)
			usage_error("--guest: too many kinds");
		spec->kinds[spec->nr_kinds++] = kind;
	}
}

static void parse_vcpu_ids(struct vm_spec *spec, char *arg)
{
	char *save = NULL, *tok;

	spec->nr_ids = 0;
	for (tok = strtok_r(arg, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (spec->nr_ids == GUEST_MAX_VCPUS)
			usage_error("--vcpu-ids: at most %d", GUEST_MAX_VCPUS);
		spec->ids[spec->nr_ids++] =
			parse_size_or_die("--vcpu-ids", tok);
	}
}

enum {
	OPT_VM = 256, OPT_SLOT, OPT_VCPUS, OPT_VCPU_IDS, OPT_GUEST, OPT_MODE,
	OPT_PAGE_SIZE, OPT_MAP, OPT_IRQCHIP, OPT_HOLD, OPT_STATS,
	OPT_NO_STDIN, OPT_TIMEOUT, OPT_HELP,
};

static const struct option long_options[] = {
	{ "vm",		no_argument,		NULL, OPT_VM },
	{ "slot",	required_argument,	NULL, OPT_SLOT },
	{ "vcpus",	required_argument,	NULL, OPT_VCPUS },
	{ "vcpu-ids",	required_argument,	NULL, OPT_VCPU_IDS },
	{ "guest",	required_argument,	NULL, OPT_GUEST },
	{ "mode",	required_argument,	NULL, OPT_MODE },
	{ "page-size",	required_argument,	NULL, OPT_PAGE_SIZE },
	{ "map",	required_argument,	NULL, OPT_MAP },
	{ "irqchip",	no_argument,		NULL, OPT_IRQCHIP },
	{ "hold",	no_argument,		NULL, OPT_HOLD },
	{ "stats",	no_argument,		NULL, OPT_STATS },
	{ "no-stdin",	no_argument,		NULL, OPT_NO_STDIN },
	{ "timeout",	required_argument,	NULL, OPT_TIMEOUT },
	{ "help",	no_argument,		NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void parse_args(int argc, char **argv)
{
	struct vm_spec *spec;
	unsigned int i;
	uint64_t val;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_VM:
			vm_spec_new();
			break;
		case OPT_SLOT:
			parse_slot(vm_spec_current(), optarg);
			break;
		case OPT_VCPUS:
			val = parse_size_or_die("--vcpus", optarg);
			if (!val || val > GUEST_MAX_VCPUS)
				usage_error("--vcpus: 1..%d", GUEST_MAX_VCPUS);
			vm_spec_current()->nr_vcpus = val;
			break;
		case OPT_VCPU_IDS:
			parse_vcpu_ids(vm_spec_current(), optarg);
			break;
		case OPT_GUEST:
			parse_guest_kinds(vm_spec_current(), optarg);
			break;
		case OPT_MODE:
			spec = vm_spec_current();
			if (!strcmp(optarg, "real"))
				spec->mode = VM_MODE_REAL;
			else if (!strcmp(optarg, "long"))
				spec->mode = VM_MODE_LONG;
			else
				usage_error("--mode: real or long");
			break;
		case OPT_PAGE_SIZE:
			val = parse_size_or_die("--page-size", optarg);
			if (val != SZ_4K && val != SZ_2M && val != SZ_1G)
				usage_error("--page-size: 4K, 2M or 1G");
			vm_spec_current()->page_size = val;
			break;
		case OPT_MAP:
			parse_map(vm_spec_current(), optarg);
			break;
		case OPT_IRQCHIP:
			vm_spec_current()->irqchip = true;
			break;
		case OPT_HOLD:
			opt_hold = true;
			break;
		case OPT_STATS:
			opt_stats = true;
			break;
		case OPT_NO_STDIN:
			opt_no_stdin = true;
			break;
		case OPT_TIMEOUT:
			opt_timeout = parse_size_or_die("--timeout", optarg);
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (opt_hold && opt_no_stdin)
		usage_error("--hold waits for a line on stdin: drop --no-stdin");

	if (!nr_vm_specs)
		vm_spec_new();
	for (i = 0; i < nr_vm_specs; i++) {
		spec = &vm_specs[i];
		if (!spec->nr_slots) {
			char def[] = "gpa=0,size=2M,backing=anon";

			parse_slot(spec, def);
		}
		if (spec->nr_ids && spec->nr_vcpus &&
		    spec->nr_ids != spec->nr_vcpus)
			usage_error("VM %u: --vcpus and --vcpu-ids disagree", i);
		if (!spec->nr_vcpus)
			spec->nr_vcpus = spec->nr_ids ? spec->nr_ids : 1;
		if (!spec->nr_kinds)
			spec->kinds[spec->nr_kinds++] = GUEST_SPIN;
		if (spec->mode == VM_MODE_REAL && spec->nr_maps)
			usage_error("VM %u: --map needs --mode long", i);
	}
}

static enum vm_guest_kind vm_spec_kind(struct vm_spec *spec, unsigned int i)
{
	return spec->kinds[i < spec->nr_kinds ? i : spec->nr_kinds - 1];
}

static void vcpu_thread_error(struct kvm_vcpu *vcpu)
{
	ssize_t n;

	/* Main prints vcpu->error; a pointer is all it needs. */
	n = write(error_pipe[1], &vcpu, sizeof(vcpu));
	(void)n;
}

static void vm_spec_setup(struct vm_spec *spec)
{
	struct kvm_vm *vm;
	unsigned int i;
	bool irqchip = spec->irqchip;

	vm = vm_create();
	spec->vm = vm;

	/* A halted vcpu must sit in the kernel, not bounce to us. */
	for (i = 0; i < spec->nr_vcpus; i++)
		if (vm_spec_kind(spec, i) == GUEST_HALT)
			irqchip = true;
	if (irqchip)
		vm_create_irqchip(vm);

	for (i = 0; i < spec->nr_slots; i++) {
		struct slot_spec *s = &spec->slots[i];
		uint32_t id = s->id >= 0 ? (uint32_t)s->id
					 : vm_memslot_free_id(vm, s->as);

		vm_add_memslot(vm, s->backing, (uint32_t)s->as << 16 | id,
			       s->gpa, s->size, s->flags);
	}

	vm_guest_init(vm, spec->mode);
	if (spec->mode == VM_MODE_LONG) {
		virt_identity_map_memslots(vm, spec->page_size);
		for (i = 0; i < spec->nr_maps; i++) {
			struct map_spec *m = &spec->maps[i];

			virt_map(vm, m->gva, m->gpa, m->size, m->page_size);
		}
	}

	for (i = 0; i < spec->nr_vcpus; i++) {
		uint32_t id = spec->nr_ids ? spec->ids[i] : i;
		struct kvm_vcpu *vcpu = vcpu_add(vm, id);

		vcpu_guest_load(vcpu, vm_spec_kind(spec, i));
	}
}

static void print_map(unsigned int index, uint64_t gva, uint64_t gpa,
		      uint64_t size, uint64_t page_size)
{
	truth("map vm=%u gva=0x%lx gpa=0x%lx size=0x%lx page=0x%lx",
	      index, gva, gpa, size, page_size);
}

static void vm_spec_print(unsigned int index, struct vm_spec *spec)
{
	struct kvm_vm *vm = spec->vm;
	unsigned int i;

	truth("vm index=%u pid=%d fd=%d mode=%s irqchip=%d cr3=0x%lx",
	      index, getpid(), vm->fd, vm_guest_mode_name(vm->mode),
	      vm->has_irqchip, vm->pgd);

	for (i = 0; i < vm->nr_memslots; i++) {
		struct vm_memslot *ms = &vm->memslots[i];
		struct kvm_userspace_memory_region *r = &ms->region;

		truth("slot vm=%u as=%u slot=%u gpa=0x%llx size=0x%llx hva=0x%llx flags=0x%x backing=%s",
		      index, r->slot >> 16, r->slot & 0xffff,
		      r->guest_phys_addr, r->memory_size, r->userspace_addr,
		      r->flags, vm_mem_backing_name(ms->backing));
	}

	if (vm->mode == VM_MODE_LONG) {
		/* What virt_identity_map_memslots() mapped, then --map. */
		for (i = 0; i < vm->nr_memslots; i++) {
			uint64_t start, size;

			if (memslot_identity_range(vm, i, spec->page_size,
						   &start, &size))
				print_map(index, start, start, size,
					  spec->page_size);
		}
		for (i = 0; i < spec->nr_maps; i++) {
			struct map_spec *m = &spec->maps[i];

			print_map(index, m->gva, m->gpa, m->size, m->page_size);
		}
	}

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct kvm_vcpu *vcpu = vm->vcpus[i];

		if (vcpu->guest != GUEST_IDLE)
			vcpu_thread_create(vcpu, vcpu_thread_error);
		truth("vcpu vm=%u index=%u id=%u tid=%d guest=%s counter_gpa=0x%lx fd=%d code_gpa=0x%lx",
		      index, vcpu->index, vcpu->id, vcpu->tid,
		      vm_guest_kind_name(vcpu->guest), vcpu->counter_gpa,
		      vcpu->fd, vcpu->code_gpa);
	}
}

static void print_stats(void)
{
	unsigned int i, j;

	for (i = 0; i < nr_vm_specs; i++) {
		struct kvm_vm *vm = vm_specs[i].vm;

		for (j = 0; j < vm->nr_vcpus; j++) {
			struct kvm_vcpu *vcpu = vm->vcpus[j];
			struct vcpu_stats st;

			vcpu_stats_read(vcpu, &st);
			truth("stats vm=%u vcpu=%u id=%u runs=%lu eintr=%lu io_exits=%lu hlt_exits=%lu counter=%lu",
			      i, j, vcpu->id, st.runs, st.eintr, st.io_exits,
			      st.hlt_exits, vcpu_guest_counter(vcpu));
		}
	}
}

/* Find VM and vcpu index of @vcpu for the error line. */
static void report_vcpu_error(struct kvm_vcpu *vcpu)
{
	unsigned int i;

	for (i = 0; i < nr_vm_specs; i++)
		if (vm_specs[i].vm == vcpu->vm)
			break;
	truth("error vm=%u vcpu=%u %s", i, vcpu->index, vcpu->error);
	fprintf(stderr, "testvmm: %s\n", vcpu->error);
}

enum wait_result {
	WAIT_LINE,	/* a line arrived on stdin (in @line) */
	WAIT_EOF,
	WAIT_SIGNAL,
	WAIT_ERROR,	/* a vcpu thread failed */
	WAIT_TIMEOUT,
};

/*
 * Wait for the next event: a stdin line, EOF, SIGTERM/SIGINT, a vcpu
 * error or the --timeout deadline (0 = none).
 */
static enum wait_result wait_event(int sfd, uint64_t deadline_ns,
				   char *line, size_t size)
{
	static char buf[4096];
	static size_t len;
	struct pollfd fds[3];
	char *nl;
	int timeout_ms, nfds;
	ssize_t n;

	for (;;) {
		nl = memchr(buf, '\n', len);
		if (nl) {
			size_t l = nl - buf;

			snprintf(line, size, "%.*s", (int)l, buf);
			memmove(buf, nl + 1, len - l - 1);
			len -= l + 1;
			return WAIT_LINE;
		}
		if (len == sizeof(buf))
			len = 0;	/* an absurd line: drop it */

		fds[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = error_pipe[0], .events = POLLIN };
		fds[2] = (struct pollfd){ .fd = 0, .events = POLLIN };
		nfds = opt_no_stdin ? 2 : 3;

		timeout_ms = -1;
		if (deadline_ns) {
			uint64_t now = clock_ns();

			if (now >= deadline_ns)
				return WAIT_TIMEOUT;
			timeout_ms = (deadline_ns - now) / 1000000 + 1;
		}
		if (poll(fds, nfds, timeout_ms) < 0) {
			TEST_ASSERT(errno == EINTR, "poll");
			continue;
		}
		if (fds[0].revents)
			return WAIT_SIGNAL;
		if (fds[1].revents)
			return WAIT_ERROR;
		if (nfds > 2 && fds[2].revents) {
			n = read(0, buf + len, sizeof(buf) - len);
			if (n <= 0)
				return WAIT_EOF;
			len += n;
		}
	}
}

int main(int argc, char **argv)
{
	const char *reason = NULL;
	uint64_t deadline = 0;
	int sfd, status = 0;
	unsigned int i, j;
	char line[256];
	sigset_t sigs;

	parse_args(argc, argv);

	/*
	 * Take SIGTERM/SIGINT through a signalfd in the main thread only:
	 * the mask is inherited by the vcpu threads created below.  A
	 * reader that goes away must not kill us before cleanup either.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	TEST_ASSERT(sfd >= 0, "signalfd");
	signal(SIGPIPE, SIG_IGN);
	TEST_ASSERT(!pipe2(error_pipe, O_CLOEXEC), "pipe2");

	for (i = 0; i < nr_vm_specs; i++)
		vm_spec_setup(&vm_specs[i]);
	for (i = 0; i < nr_vm_specs; i++)
		vm_spec_print(i, &vm_specs[i]);
	if (opt_timeout)
		deadline = clock_ns() + opt_timeout * 1000000000ULL;

	if (opt_hold) {
		truth("held");
		switch (wait_event(sfd, deadline, line, sizeof(line))) {
		case WAIT_LINE:
			break;
		case WAIT_EOF:
			reason = "stdin-eof";
			break;
		case WAIT_SIGNAL:
			reason = "signal";
			break;
		case WAIT_TIMEOUT:
			reason = "timeout";
			break;
		case WAIT_ERROR:
			reason = "error";
			break;
		}
	}

	if (!reason) {
		for (i = 0; i < nr_vm_specs; i++)
			for (j = 0; j < vm_specs[i].vm->nr_vcpus; j++)
				vcpu_thread_go(vm_specs[i].vm->vcpus[j]);
		truth("ready");
	}

	while (!reason) {
		switch (wait_event(sfd, deadline, line, sizeof(line))) {
		case WAIT_LINE:
			if (!strcmp(line, "stats"))
				print_stats();
			else if (!strcmp(line, "quit"))
				reason = "quit";
			else if (line[0])
				truth("unknown-command %s", line);
			break;
		case WAIT_EOF:
			reason = "stdin-eof";
			break;
		case WAIT_SIGNAL:
			reason = "signal";
			break;
		case WAIT_TIMEOUT:
			reason = "timeout";
			break;
		case WAIT_ERROR:
			reason = "error";
			break;
		}
	}

	if (!strcmp(reason, "error")) {
		struct kvm_vcpu *vcpu;

		status = 1;
		while (read(error_pipe[0], &vcpu, sizeof(vcpu)) ==
		       sizeof(vcpu)) {
			report_vcpu_error(vcpu);
			/* Don't block on an empty pipe after the last one. */
			fcntl(error_pipe[0], F_SETFL, O_NONBLOCK);
		}
	}

	/* Stop every vcpu first so the stats are final. */
	for (i = 0; i < nr_vm_specs; i++)
		for (j = 0; j < vm_specs[i].vm->nr_vcpus; j++)
			vcpu_thread_stop(vm_specs[i].vm->vcpus[j]);
	if (opt_stats)
		print_stats();
	for (i = 0; i < nr_vm_specs; i++)
		vm_destroy(vm_specs[i].vm);
	truth("exit reason=%s", reason);
	return status;
}
