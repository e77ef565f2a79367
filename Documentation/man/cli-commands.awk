#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-2.0
#
# Make the kvmintro CLI's command table (C) from Documentation/cli.rst, the
# one place the commands are described: "kvmintro help", its man page and
# this table all come from it.  POSIX awk (mawk does), so that the CLI
# builds wherever make and a C compiler are.
#
# usage: awk -f cli-commands.awk Documentation/cli.rst debugfs-tools/kvmintro.h >kvmintro-commands.h
#
# kvmintro.c includes what it writes: the tables kvmintro_options[] and
# kvmintro_commands[] and the text of "kvmintro help".
#
# Its "Options" section is an option list of the global options, each
# described by a line (its line in "kvmintro help") and paragraphs after;
# its "Errors and exit status" a table of the exit statuses, whose first
# words (up to a colon, comma or parenthesis) "kvmintro help" shows.
#
# Each subsection of cli.rst's "Commands" is one command:
#
#   ``kvmintro NAME ARGUMENTS``      the title: its name and usage, which
#                                    also says how many arguments it takes
#   ---------------------------
#
#   One sentence.                    its line in "kvmintro help"
#
#   A paragraph.                     the text of "kvmintro help NAME"
#
#   -o, --option VALUE  what it does    an option list (optional): its options,
#                                    a line each
#
#   Anything else.                   the man page's only
#
# A command's function is kvmintro_cmd_<NAME> ('-' as '_'), an option's
# number KVMINTRO_OPTION_<NAME> (its long name in capitals).  The command
# functions kvmintro.h declares must be those cli.rst describes, else this
# fails: no command without its documentation, nor the reverse.

function fail(message)
{
	printf "cli-commands.awk: %s:%d: %s\n", FILENAME, FNR, message > "/dev/stderr"
	failed = 1
	exit 1
}

# @text as the help prints it: no reStructuredText markup.
function plain(text)
{
	gsub(/``/, "", text)
	gsub(/:doc:`[a-z]+`/, "&.rst", text)
	gsub(/:doc:`/, "Documentation/", text)
	gsub(/`/, "", text)
	return text
}

# @text as the inside of a C string literal.
function c_string(text,    out, i, c)
{
	out = ""
	for (i = 1; i <= length(text); i++) {
		c = substr(text, i, 1)
		out = out (c == "\\" || c == "\"" ? "\\" : "") c
	}
	return out
}

# Print @text, lines ending in newlines, as C string literals on lines led
# by @indent.
function print_c_lines(text, indent,    lines, n, j)
{
	n = split(text, lines, "\n")
	for (j = 1; j < n; j++)
		printf "\n%s\"%s\\n\"", indent, c_string(lines[j])
}

# @text wrapped to lines of at most @width, each led by @indent; the first
# line led by @first instead.
function wrap(text, width, first, indent,    words, n, i, line, out)
{
	n = split(text, words, " ")
	line = first
	out = ""
	for (i = 1; i <= n; i++) {
		if (line != first && line != indent &&
		    length(line) + 1 + length(words[i]) > width) {
			out = out line "\n"
			line = indent
		}
		line = line (line == first || line == indent ? "" : " ") words[i]
	}
	return out line "\n"
}

# The end of a block: add it to the command being read.
function end_block()
{
	if (block == "")
		return
	if (state == "summary") {
		if (block !~ /^[A-Z][^.]*\.$/)
			fail(name ": the summary is one sentence, not '" block "'")
		summary[count] = block
		state = "description"
	} else if (state == "description") {
		description[count] = wrap(plain(block), 72, "", "")
		state = "options"
	} else if (state == "options" && option_spec != "") {
		end_option()
		state = "rest"
	} else {
		state = "rest"
	}
	block = ""
}

# Count the arguments of @usage ("PID|DIR GPA LEN [--raw]") into vm[@i]
# (it names a VM first: PID|DIR), min[@i] and max[@i] (-1: any number):
# WORD is one, [WORD] one more at most, WORD... or [WORD...] any number;
# [-OPTION ...] is none.
function count_arguments(i, usage,    word)
{
	vm[i] = usage ~ /^PID\|DIR( |$)/
	if (vm[i])
		usage = substr(usage, 8)
	min[i] = max[i] = 0
	while (match(usage, /^ *(\[[^]]*\]|[^ ]+)/)) {
		word = substr(usage, RSTART, RLENGTH)
		usage = substr(usage, RLENGTH + 1)
		sub(/^ */, "", word)
		if (word ~ /^\[-/)
			continue
		if (word !~ /^\[/)
			min[i]++
		if (max[i] >= 0)
			max[i] = word ~ /\.\.\./ ? -1 : max[i] + 1
	}
}

# The start of an option list's entry: "-o, --option VALUE  what it does".
function start_option()
{
	option_spec = $0
	sub(/   *.*/, "", option_spec)
	option_help = substr($0, length(option_spec) + 1)
	sub(/^ */, "", option_help)
}

# The end of an option list's entry: its help lines and its options.
function end_option(    specs, n, i, words, id, long, alias, indent)
{
	indent = sprintf("%19s", "")
	if (options[count] == "")
		description[count] = description[count] "\n"
	if (length(option_spec) > 16)
		description[count] = description[count] "  " option_spec "\n" \
			wrap(plain(option_help), 72, indent, indent)
	else
		description[count] = description[count] \
			wrap(plain(option_help), 72,
			     sprintf("  %-16s ", option_spec), indent)
	n = split(option_spec, specs, ", ")
	long = alias = ""
	for (i = 1; i <= n; i++) {
		split(specs[i], words, " ")
		if (words[1] ~ /^--[a-z0-9-]+$/) {
			long = words[1]
			id = toupper(substr(long, 3))
			gsub(/-/, "_", id)
			options[count] = options[count] \
				(options[count] == "" ? "" : count ? " |\n\t\t\t   " : " | ") \
				"KVMINTRO_OPTION(" id ")"
			if (!(id in option_name))
				option_ids[++nr_options] = id
			option_name[id] = long
			option_value[id] = words[2] != "" ? "true" : "false"
		} else if (words[1] ~ /^-[a-z]$/) {
			alias = words[1]
		} else {
			fail(name ": not an option: '" specs[i] "'")
		}
	}
	if (alias != "") {
		if (long == "")
			fail(name ": " alias " has no long name")
		option_alias[id] = alias
	}
	option_spec = option_help = ""
}

BEGIN {
	count = 0
	# An option list's entry: "-o, --option VALUE" and two blanks or none.
	OPTION = "^--?[a-z][a-z0-9-]*( [A-Z]+)?(, --?[a-z][a-z0-9-]*( [A-Z]+)?)*(  |$)"
}

FNR == 1 {
	file++
}

# kvmintro.h: the command functions.
file == 2 && /^int kvmintro_cmd_[a-z0-9_]+\(struct kvmintro \*kvmintro\);/ {
	function_name = $2
	sub(/\(.*/, "", function_name)
	declared[function_name] = 1
	next
}
file == 2 {
	next
}

# cli.rst: its sections, by their titles' underline.
{
	previous = line
	line = $0
}
/^===+$/ && previous != "" {
	if (option_spec != "")
		end_option()
	section = previous
	next
}

# The global options: command 0's.
section == "Options" && $0 ~ OPTION {
	if (option_spec != "")
		end_option()
	start_option()
	next
}
section == "Options" && /^  / && option_spec != "" {
	option_help = option_help " " substr($0, match($0, /[^ ]/))
	next
}
section == "Options" && /^$/ && option_spec != "" {
	end_option()
	next
}

section == "Errors and exit status" && /^[0-9]   *[a-z]/ {
	status = substr($0, match($0, /  *[a-z]/))
	sub(/^ */, "", status)
	sub(/[:,(].*/, "", status)
	sub(/ *$/, "", status)
	exit_statuses = exit_statuses (exit_statuses == "" ? "" : ", ") \
			substr($0, 1, 1) " " status
	next
}

section != "Commands" {
	next
}
/^---+$/ && previous ~ /^``kvmintro [a-z0-9-]+.*``$/ {
	end_block()
	if (count && state != "rest" && state != "options")
		fail(name ": needs a summary and a description")
	title = substr(previous, 12, length(previous) - 13)
	name = title
	sub(/ .*/, "", name)
	arguments[++count] = substr(title, length(name) + 2)
	names[count] = name
	state = "summary"
	block = ""
	next
}
/^$/ {
	end_block()
	next
}
state == "summary" || state == "description" {
	block = block (block == "" ? "" : " ") $0
	next
}
state == "options" && $0 ~ OPTION {
	if (option_spec != "")
		end_option()
	block = "option"
	start_option()
	next
}
state == "options" && /^  / && option_spec != "" {
	option_help = option_help " " substr($0, match($0, /[^ ]/))
	next
}
state == "options" {
	state = "rest"
}

END {
	if (failed)
		exit 1
	end_block()
	if (state == "summary" || state == "description")
		fail(name ": needs a summary and a description")
	if (!count)
		fail("no command in the Commands section")
	if (exit_statuses == "")
		fail("no exit status in the Errors and exit status section")
	print "/* SPDX-License-Identifier: GPL-2.0 */"
	print "/*"
	print " * The commands of kvmintro, for kvmintro.c, made from"
	print " * Documentation/cli.rst by Documentation/man/cli-commands.awk: edit"
	print " * those, not this."
	print " */"
	print ""
	print "static const struct kvmintro_option_name kvmintro_options[KVMINTRO_NR_OPTIONS] = {"
	for (i = 1; i <= nr_options; i++) {
		id = option_ids[i]
		printf "\t[KVMINTRO_OPTION_%s] = { \"%s\", %s, %s },\n", id,
		       option_name[id],
		       id in option_alias ? "\"" option_alias[id] "\"" : "NULL",
		       option_value[id]
	}
	print "};"
	print ""
	print "static const unsigned int kvmintro_global_options ="
	printf "\t%s;\n\n", options[0]
	sub(/^\n/, "", description[0])
	printf "static const char kvmintro_global_options_help[] ="
	print_c_lines("Options, before or after the command:\n" description[0], "\t")
	print ";\n"
	printf "static const char kvmintro_exit_status_help[] ="
	print_c_lines(wrap("Exit status: " exit_statuses ".", 72, "", ""), "\t")
	print ";\n"
	for (i = 1; i <= count; i++) {
		usage[i] = names[i] (arguments[i] == "" ? "" : " " arguments[i])
		if (length(usage[i]) > width)
			width = length(usage[i])
	}
	printf "static const char kvmintro_commands_help[] ="
	for (i = 1; i <= count; i++)
		print_c_lines(sprintf("  %-" width "s  %s\n", usage[i],
				      tolower(substr(summary[i], 1, 1)) \
				      substr(summary[i], 2, length(summary[i]) - 2)),
			      "\t")
	print ";\n"
	print "static const struct kvmintro_command kvmintro_commands[] = {"
	for (i = 1; i <= count; i++) {
		function_name = "kvmintro_cmd_" names[i]
		gsub(/-/, "_", function_name)
		if (!(function_name in declared)) {
			printf "cli-commands.awk: cli.rst describes the command %s, but kvmintro.h declares no %s()\n",
			       names[i], function_name > "/dev/stderr"
			exit 1
		}
		delete declared[function_name]
		print "\t{"
		printf "\t\t.name = \"%s\",\n", names[i]
		printf "\t\t.run = %s,\n", function_name
		printf "\t\t.arguments = \"%s\",\n", c_string(arguments[i])
		count_arguments(i, arguments[i])
		if (vm[i])
			printf "\t\t.vm = true,\n"
		printf "\t\t.min = %d,\n", min[i]
		printf "\t\t.max = %d,\n", max[i]
		if (options[i] != "")
			printf "\t\t.options = %s,\n", options[i]
		printf "\t\t.help ="
		print_c_lines("usage: kvmintro " usage[i] "\n\n" summary[i] "\n\n" \
			      description[i], "\t\t\t")
		print ",\n\t},"
	}
	print "};"
	for (function_name in declared) {
		printf "cli-commands.awk: kvmintro.h declares %s(), but cli.rst's Commands have no section on it\n",
		       function_name > "/dev/stderr"
		exit 1
	}
}
