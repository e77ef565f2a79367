# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Bash completion of kvmintro(8): its commands and options, and the VMs it
# can name (PIDs and directories, read from kvmintro's vms file; root only,
# as the file is).  The commands and options are those 'kvmintro help'
# lists (made, as the man page, from Documentation/cli.rst), asked of the
# kvmintro being completed, so that they are not written here again.
# tests/packaging checks it offers every command and option of the help.

# Add the options 'kvmintro help [COMMAND]' lists to the caller's options,
# and those that take a value to its takes_value: @1 is the kvmintro to
# ask, @2 the command (none: the global options).
_kvmintro_learn_options()
{
	local line spec name
	while IFS= read -r line; do
		[[ $line == '  -'* ]] || continue
		spec=${line#  }
		spec=${spec%%  *}
		for name in ${spec//,/ }; do
			[[ $name == -* ]] || continue
			options+=("$name")
			[[ $spec == *' '[A-Z]* ]] && takes_value[$name]=1
		done
	done < <("$1" help ${2:+"$2"} 2>/dev/null)
}

# Print the PIDs and directories of the VMs in the vms file of @1.
_kvmintro_vms()
{
	local root=$1 line token
	[[ -r $root/vms ]] || return 0
	while read -r line; do
		for token in $line; do
			case $token in
			pid=* | dir=*) printf '%s\n' "${token#*=}" ;;
			esac
		done
	done <"$root/vms" 2>/dev/null | sort -u
}

_kvmintro()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local kvmintro root=${KVMINTRO_DEBUGFS:-/sys/kernel/debug/kvmintro}
	local command='' i word nargs=0 options=() commands
	local -A takes_value=()
	# The kvmintro typed, or the installed one (/usr/sbin is not in a
	# user's PATH on Debian): its help has the commands and options.
	kvmintro=$(type -P "${words[0]}" /usr/sbin/kvmintro /usr/local/sbin/kvmintro | head -n 1)
	[[ -n $kvmintro ]] || return
	commands=$("$kvmintro" help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9-]*\).*/\1/p')
	_kvmintro_learn_options "$kvmintro"
	for ((i = 1; i < cword; i++)); do
		word=${words[i]}
		case $word in
		--debugfs) ((i + 1 < cword)) && root=${words[i + 1]}; ((i++)) ;;
		--debugfs=*) root=${word#*=} ;;
		-*) [[ -n ${takes_value[$word]:-} ]] && ((i++)) ;;
		*)
			if [[ -z $command ]]; then
				command=$word
				_kvmintro_learn_options "$kvmintro" "$command"
			else
				((nargs++))
			fi ;;
		esac
	done

	case $prev in
	--debugfs)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return ;;
	-f | --file)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	esac
	[[ $prev == -* && -n ${takes_value[$prev]:-} ]] && return

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "${options[*]}" -- "$cur")
		return
	fi

	case $command in
	'')
		mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur") ;;
	help)
		((nargs == 0)) &&
			mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur") ;;
	list) ;;
	dump)
		# The VM, then the file to write.
		if ((nargs == 0)); then
			mapfile -t COMPREPLY < <(compgen -W "$(_kvmintro_vms "$root")" -- "$cur")
		elif ((nargs == 1)); then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi ;;
	*)
		((nargs == 0)) &&
			mapfile -t COMPREPLY < <(compgen -W "$(_kvmintro_vms "$root")" -- "$cur") ;;
	esac
}
complete -F _kvmintro kvmintro
