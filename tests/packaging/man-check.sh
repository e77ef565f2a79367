#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Check kvmintro's man pages: each renders without a warning, kvmintro(8)
# has every command and option 'kvmintro help' lists (and 'kvmintro help'
# every command of kvmintro(8)) and the exit status,
# kvmintro(4) every module parameter of the source and every section of
# Documentation/debugfs.rst.  Prints TAP lines.
# usage: man-check.sh KVMINTRO.8 KVMINTRO.4 KVMINTRO_BINARY SOURCE_DIR

set -uo pipefail
# shellcheck source=tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
page8=$1
page4=$2
kvmintro=$3
source=$4

render()
{
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$1"
}

for page in "$page8" "$page4"; do
	errors=$(render "$page" 2>&1 >/dev/null)
	[[ -z $errors ]]
	tap_ok $? "man --warnings -l ${page##*/} renders without a warning"
	[[ -n $errors ]] && head -n 10 <<<"$errors" | sed 's/^/#   /'
done
text8=$(render "$page8" 2>/dev/null)
text4=$(render "$page4" 2>/dev/null)

mapfile -t commands < <("$kvmintro" help | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9-]*\) .*/\1/p')
for command in "${commands[@]}"; do
	grep -qE "^   (.*, )?kvmintro $command( |,|$)" <<<"$text8"
	tap_ok $? "kvmintro(8) has a section on the command $command"
	for option in $("$kvmintro" help "$command" | grep -oE '(^|[ ,])--?[a-z][a-z0-9-]*' | tr -d ' ,' | sort -u); do
		grep -qe "$option" <<<"$text8"
		tap_ok $? "kvmintro(8) has $command's option $option"
	done
done
# And the reverse: the CLI has every command its page describes.
while read -r command; do
	printf '%s\n' "${commands[@]}" | grep -qx -- "$command"
	tap_ok $? "kvmintro(8)'s command $command is one of 'kvmintro help'"
done < <(sed -n '/^COMMANDS$/,/^[A-Z]/s/^   kvmintro \([a-z0-9-]*\).*/\1/p' <<<"$text8")
for section in SYNOPSIS DESCRIPTION OPTIONS COMMANDS "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
	grep -qx "$section" <<<"$text8"
	tap_ok $? "kvmintro(8) has $section"
done
for status in $("$kvmintro" help | sed -n '/^Exit status:/,$p' | grep -oE '\b[0-9]\b'); do
	sed -n '/^EXIT STATUS/,/^[A-Z]/p' <<<"$text8" | grep -qE "^ +$status +[a-z]"
	tap_ok $? "kvmintro(8) explains exit status $status"
done

params=$(grep -rhoE --include='*.c' 'module_param(_cb|_named)?\([a-z_]+' "$source"/introspect "$source"/hooks |
	sed 's/.*(//' | sort -u)
[[ -n $params ]]
tap_ok $? "the source has module parameters"
for param in $params; do
	[[ $param == kvmintro_* ]] && continue
	sed -n '/^PARAMETERS/,/^[A-Z]/p' <<<"$text4" | grep -qE "^ +$param "
	tap_ok $? "kvmintro(4) has the module parameter $param"
done
while read -r title; do
	grep -qx "   $title" <<<"$text4"
	tap_ok $? "kvmintro(4) has debugfs.rst's section \"$title\""
done < <(awk '/^=+$/ && p1 != "" && p1 !~ /^=+$/ && p2 !~ /^=+$/ { print p1 }
	{ p2 = p1; p1 = $0 }' "$source/Documentation/debugfs.rst")
for section in SYNOPSIS DESCRIPTION PARAMETERS FILES SECURITY "SEE ALSO"; do
	grep -qx "$section" <<<"$text4"
	tap_ok $? "kvmintro(4) has $section"
done
((tap_failed == 0))
