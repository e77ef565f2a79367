# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Drive kvmintro's bash completion as bash would, in a non-interactive bash.
# usage: bash completion-check.bash COMPLETION_SCRIPT KVMINTRO_BINARY
# Prints TAP lines (tests/lib/tap.sh).

completion=$1
# shellcheck source=tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
kvmintro=$2
# The completion asks the kvmintro it completes for its commands and options.
PATH=$(dirname "$kvmintro"):$PATH

# Print what completing the words "$@" (the last one being completed) offers.
offers()
{
	local -a COMPREPLY=()
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	_kvmintro kvmintro "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}"
}

# As installed: bash-completion's library first, when there is one.
if [[ -r /usr/share/bash-completion/bash_completion ]]; then
	# shellcheck disable=SC1091
	. /usr/share/bash-completion/bash_completion
fi
# shellcheck disable=SC1090
. "$completion"
[[ $(complete -p kvmintro 2>/dev/null) == *"-F _kvmintro"* ]]
tap_ok $? "the script registers _kvmintro for kvmintro"

mapfile -t commands < <("$kvmintro" help | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9-]*\) .*/\1/p')
((${#commands[@]} >= 10))
tap_ok $? "'kvmintro help' lists commands (${#commands[@]})"
offered=$(offers kvmintro '')
for command in "${commands[@]}"; do
	grep -qx -- "$command" <<<"$offered"
	tap_ok $? "offers the command $command"
	[[ $(offers kvmintro help "${command:0:3}") == *"$command"* ]]
	tap_ok $? "offers $command after help"
	options=$("$kvmintro" help "$command" | grep -oE '(^|[ ,])--?[a-z][a-z0-9-]*' | tr -d ' ,' | sort -u)
	offered_options=$(offers kvmintro "$command" -)
	missing=$(comm -23 <(echo "$options") <(echo "$offered_options" | sort -u) | tr '\n' ' ')
	[[ -z $missing ]]
	tap_ok $? "offers every option of 'kvmintro help $command'${missing:+, not: $missing}"
done
for word in $(offers kvmintro ''); do
	printf '%s\n' "${commands[@]}" | grep -qx -- "$word"
	tap_ok $? "offers no command the CLI lacks: $word"
done

debugfs=$(mktemp -d)
trap 'rm -rf "$debugfs"' EXIT
printf 'pid=1234 dir=1234 vcpus=2 slots=3 mem=268435456\npid=1234 dir=1234-1 vcpus=1 slots=1 mem=2097152\npid=5678 dir=5678 vcpus=4 slots=2 mem=4294967296\n' >"$debugfs/vms"
export KVMINTRO_DEBUGFS=$debugfs
[[ $(offers kvmintro memslots '' | tr '\n' ' ') == '1234 1234-1 5678 ' ]]
tap_ok $? "offers the PIDs and directories of the VMs in vms"
[[ $(offers kvmintro regs 12 | tr '\n' ' ') == '1234 1234-1 ' ]]
tap_ok $? "completes a VM from its first digits"
unset KVMINTRO_DEBUGFS
[[ $(offers kvmintro --debugfs "$debugfs" scan '' | tr '\n' ' ') == '1234 1234-1 5678 ' ]]
tap_ok $? "reads the VMs of --debugfs DIR"
[[ -z $(offers kvmintro --debugfs /nonexistent stage2 '') ]]
tap_ok $? "offers no VM where there is no vms file"
[[ -z $(offers kvmintro list '') ]]
tap_ok $? "list takes no argument"
((tap_failed == 0))
