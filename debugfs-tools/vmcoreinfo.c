// SPDX-License-Identifier: GPL-2.0
/*
 * A Linux guest's VMCOREINFO: what its kernel says of itself for dump
 * readers (release, KASLR offset, symbols, structure offsets), read from
 * the VMCOREINFO note of the VM's core file.  The note is the guest's page
 * as it is: guest data, parsed here, in user space, and bounds-checked as
 * such.  kvmintro info shows it (builtin-info.c loads it for info and
 * dmesg); kvmintro dmesg finds the guest's log through it.
 */
#include "kvmintro.h"

#include <ctype.h>

#include "../lib/elfcore.h"

/* The most of the core's headers and notes read: far more than vcpus need. */
#define KVMINTRO_VMCOREINFO_HEADERS_MAX	(16u << 20)

/**
 * kvmintro_vmcoreinfo_read_core() - the VMCOREINFO note of a core file
 * @fd: the core file, open
 * @text: set to the note, copied and NUL-terminated (the caller frees
 *	it), or NULL if the core has none
 *
 * Return: 0 or -errno (-EBADMSG: not a core file kvmintro wrote).
 */
int kvmintro_vmcoreinfo_read_core(int fd, char **text)
{
	static const char name[] = "VMCOREINFO";
	struct kvmintro_elf64_ehdr ehdr;
	struct kvmintro_elf64_phdr phdr;
	struct kvmintro_elf64_nhdr nhdr;
	uint64_t at, namesz, descsz;
	unsigned int i;
	char *notes;
	int ret;

	*text = NULL;
	ret = kvmintro_pread_all(fd, &ehdr, sizeof(ehdr), 0);
	if (ret)
		return ret == -EIO ? -EBADMSG : ret;	/* shorter than one */
	if (memcmp(ehdr.e_ident, "\177ELF\2\1", 6) ||
	    ehdr.e_type != KVMINTRO_ELF_ET_CORE ||
	    ehdr.e_phentsize != sizeof(phdr))
		return -EBADMSG;
	for (i = 0; i < ehdr.e_phnum; i++) {
		ret = kvmintro_pread_all(fd, &phdr, sizeof(phdr), ehdr.e_phoff +
					 (uint64_t)i * sizeof(phdr));
		if (ret)
			return ret;
		if (phdr.p_type == KVMINTRO_ELF_PT_NOTE)
			break;
	}
	if (i == ehdr.e_phnum)
		return 0;
	if (phdr.p_filesz > KVMINTRO_VMCOREINFO_HEADERS_MAX)
		return -EBADMSG;
	notes = malloc(phdr.p_filesz + 1);
	if (!notes)
		return -ENOMEM;
	ret = kvmintro_pread_all(fd, notes, phdr.p_filesz, phdr.p_offset);
	for (at = 0; !ret && at + sizeof(nhdr) <= phdr.p_filesz;) {
		memcpy(&nhdr, notes + at, sizeof(nhdr));
		namesz = (nhdr.n_namesz + 3ull) & ~3ull;
		descsz = (nhdr.n_descsz + 3ull) & ~3ull;
		at += sizeof(nhdr);
		if (namesz > phdr.p_filesz - at ||
		    descsz > phdr.p_filesz - at - namesz) {
			ret = -EBADMSG;
			break;
		}
		if (nhdr.n_namesz == sizeof(name) &&
		    !memcmp(notes + at, name, sizeof(name))) {
			*text = strndup(notes + at + namesz, nhdr.n_descsz);
			if (!*text)
				ret = -ENOMEM;
			break;
		}
		at += namesz + descsz;
	}
	free(notes);
	return ret;
}

/* The end of the line at @line: its newline, or the end of the text. */
const char *kvmintro_vmcoreinfo_line_end(const char *line)
{
	const char *newline = strchr(line, '\n');

	return newline ? newline : line + strlen(line);
}

/* The value of "@key=" in vmcoreinfo @text, up to its newline, or NULL. */
char *kvmintro_vmcoreinfo_value(const char *text, const char *key)
{
	size_t length = strlen(key);
	const char *line, *end;

	for (line = text; *line; line = end + (*end == '\n')) {
		end = kvmintro_vmcoreinfo_line_end(line);
		if ((size_t)(end - line) > length && line[length] == '=' &&
		    !memcmp(line, key, length))
			return strndup(line + length + 1, end - line - length - 1);
	}
	return NULL;
}

/**
 * kvmintro_vmcoreinfo_number() - a number of the guest's VMCOREINFO
 * @text: the VMCOREINFO
 * @key: its key, like "OFFSET(prb_desc.state_var)"
 * @base: 16 for SYMBOL() and KERNELOFFSET (hex without 0x), 10 for
 *	OFFSET(), SIZE() and NUMBER() (NUMBER() may be negative)
 * @value: set to the number
 *
 * Return: whether @key is there with a whole number of that base.
 */
bool kvmintro_vmcoreinfo_number(const char *text, const char *key, int base,
				uint64_t *value)
{
	char *string = kvmintro_vmcoreinfo_value(text, key);
	const char *digits = string;
	bool negative, ok;
	char *end;

	if (!string)
		return false;
	negative = base == 10 && *digits == '-';
	digits += negative;
	ok = isxdigit((unsigned char)*digits) &&
	     (base == 16 || isdigit((unsigned char)*digits));
	if (ok) {
		errno = 0;
		*value = strtoull(digits, &end, base);
		ok = !errno && !*end;
		if (negative)
			*value = -*value;
	}
	free(string);
	return ok;
}
