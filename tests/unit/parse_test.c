// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/parse.c: what the snapshot, translate, gva and stage2 files
 * accept, and that everything else is -EINVAL.
 */
#include <stdio.h>
#include <string.h>

#include "ksft.h"

#include "../../lib/parse.h"


static void check(const char *name, bool ok)
{
	ksft_test_result(ok, "%s", name);
}

static int addresses(const char *text, u64 *gpas)
{
	return kvmintro_parse_addresses(text, strlen(text), gpas,
					KVMINTRO_TRANSLATE_MAX);
}

/* x86's override, and arm64's (introspect/arch/<arch>/gva.c). */
static const struct kvmintro_gva_override x86_overrides[] = {
	{ "cr3", KVMINTRO_GPA_BITS },
};
static const struct kvmintro_gva_override arm64_overrides[] = {
	{ "ttbr0", 64 }, { "ttbr1", 64 }, { "tcr", 64 },
};

static int gva(const char *text, struct kvmintro_gva_request *req)
{
	return kvmintro_parse_gva_request(text, strlen(text), x86_overrides, 1,
					  req);
}

static int gva_arm64(const char *text, struct kvmintro_gva_request *req)
{
	return kvmintro_parse_gva_request(text, strlen(text), arm64_overrides,
					  3, req);
}

int main(void)
{
	static const char *const bad_addresses[] = {
		"", " \n", "0x", "0xg", "gfn=", "gfn=0x10000000000000", "zzz",
		"18446744073709551616", "-1", "0x1,0x2", "gpa=",
	};
	static const char *const bad_gva[] = {
		"", "zzz", "0x1 0x2", "0x1 vcpu=", "0x1 vcpu=1 vcpu=1",
		"0x1 cr3=0xq", "vcpu=0", "0x1 foo=1", "0x1 cr3=1 cr3=2",
		"0x1000 vcpu=4294967296", "0x1000 vcpu=0x100000000",
		"0x1000 vcpu=18446744073709551615", "0x1000 cr3=0x10000000000000",
		"0x1000 cr3=18446744073709551615",
	};
	struct kvmintro_gva_request req;
	char many[KVMINTRO_TRANSLATE_INPUT_MAX];
	u64 gpas[KVMINTRO_TRANSLATE_MAX];
	bool all_bad = true;
	unsigned int i;

	check("snapshot: words with blanks around",
	      kvmintro_parse_snapshot_command(" pause\n", 7) == KVMINTRO_SNAPSHOT_PAUSE &&
	      kvmintro_parse_snapshot_command("resume", 6) == KVMINTRO_SNAPSHOT_RESUME &&
	      kvmintro_parse_snapshot_command("capture\n", 8) == KVMINTRO_SNAPSHOT_CAPTURE);
	check("snapshot: anything else",
	      kvmintro_parse_snapshot_command("pause\0x", 7) == -EINVAL &&
	      kvmintro_parse_snapshot_command("PAUSE", 5) == -EINVAL &&
	      kvmintro_parse_snapshot_command("", 0) == -EINVAL);

	check("translate: hex, decimal, gpa= and gfn=",
	      addresses(" 0x1234\n4660 gpa=0x10\tgfn=0x2 ", gpas) == 4 &&
	      gpas[0] == 0x1234 && gpas[1] == 4660 && gpas[2] == 0x10 &&
	      gpas[3] == 0x2000);
	for (i = 0; i < sizeof(bad_addresses) / sizeof(*bad_addresses); i++)
		all_bad &= addresses(bad_addresses[i], gpas) == -EINVAL;
	check("translate: garbage, empty, out of range", all_bad);
	for (i = 0; i <= KVMINTRO_TRANSLATE_MAX; i++)
		memcpy(many + i * 4, "0x1 ", 4);
	check("translate: 64 addresses, not 65",
	      kvmintro_parse_addresses(many, KVMINTRO_TRANSLATE_MAX * 4, gpas,
				       KVMINTRO_TRANSLATE_MAX) == KVMINTRO_TRANSLATE_MAX &&
	      kvmintro_parse_addresses(many, (KVMINTRO_TRANSLATE_MAX + 1) * 4,
				       gpas, KVMINTRO_TRANSLATE_MAX) == -EINVAL);

	check("gva: address alone", !gva("0xffffffff81000000\n", &req) &&
	      req.gva == 0xffffffff81000000ULL && !req.vcpu && !req.given);
	check("gva: the largest vcpu index, 32 bits",
	      !gva("0x1000 vcpu=4294967295", &req) && req.vcpu == 0xffffffffULL);
	check("gva: the largest cr3, 52 bits",
	      !gva("0x1000 cr3=0xffffffffff000", &req) &&
	      req.given == 1 && req.value[0] == 0xffffffffff000ULL);
	check("gva: options in any order",
	      !gva("cr3=0x2000 0x1234 vcpu=3", &req) && req.gva == 0x1234 &&
	      req.vcpu == 3 && req.given == 1 && req.value[0] == 0x2000);
	all_bad = true;
	for (i = 0; i < sizeof(bad_gva) / sizeof(*bad_gva); i++)
		all_bad &= gva(bad_gva[i], &req) == -EINVAL;
	check("gva: garbage, empty, repeated options", all_bad);
	check("gva: arm64's ttbr0, ttbr1, tcr, any 64 bits, any order",
	      !gva_arm64("tcr=0x5b5103510 0xffff000000001000 ttbr1=0xffff000040003000 vcpu=1 ttbr0=0x40004001",
			 &req) &&
	      req.gva == 0xffff000000001000ULL && req.vcpu == 1 &&
	      req.given == 7 && req.value[0] == 0x40004001 &&
	      req.value[1] == 0xffff000040003000ULL &&
	      req.value[2] == 0x5b5103510ULL);
	check("gva: arm64 refuses cr3, a repeated ttbr0, ttbr=",
	      gva_arm64("0x1 cr3=0x1000", &req) == -EINVAL &&
	      gva_arm64("0x1 ttbr0=1 ttbr0=2", &req) == -EINVAL &&
	      gva_arm64("0x1 ttbr=1", &req) == -EINVAL &&
	      gva_arm64("0x1 ttbr0=", &req) == -EINVAL);
	check("gva: x86 refuses arm64's keys",
	      gva("0x1 ttbr0=0x1000", &req) == -EINVAL &&
	      gva("0x1 tcr=0", &req) == -EINVAL);

	check("stage2: addresses as translate takes them",
	      kvmintro_parse_stage2_request("0x1000 gfn=0x2\n", 14, gpas,
					    KVMINTRO_TRANSLATE_MAX) == 2 &&
	      gpas[0] == 0x1000 && gpas[1] == 0x2000);
	check("stage2: summary", !kvmintro_parse_stage2_request("summary\n", 8,
						gpas, KVMINTRO_TRANSLATE_MAX) &&
	      !kvmintro_parse_stage2_request(" summary", 8, gpas,
					     KVMINTRO_TRANSLATE_MAX));
	all_bad = true;
	for (i = 0; i < sizeof(bad_addresses) / sizeof(*bad_addresses); i++)
		all_bad &= kvmintro_parse_stage2_request(bad_addresses[i],
				strlen(bad_addresses[i]), gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	all_bad &= kvmintro_parse_stage2_request("summary 0x1", 11, gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	all_bad &= kvmintro_parse_stage2_request("0x1 summary", 11, gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	all_bad &= kvmintro_parse_stage2_request("summaryx", 8, gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	all_bad &= kvmintro_parse_stage2_request("summary summary", 15, gpas,
				KVMINTRO_TRANSLATE_MAX) == -EINVAL;
	check("stage2: garbage, summary with anything else", all_bad);
	ksft_finished();
}
