# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Bash completion of kvmintro(8): its commands and options, and the VMs it
# can name (PIDs and directories, read from kvmintro's vms file; root only,
# as the file is).  The commands and options are those 'kvmintro help'
# lists (made, as the man page, from Documentation/cli.rst), asked of the
# kvmintro being completed, so that they are not written here again.
# tests/packaging checks it offers every command and option of the help.

# Print the path of the kvmintro being completed, @1 as typed, or else
# where it is installed (/usr/sbin is not in a user's PATH on Debian).
_kvmintro_program()
{
	local program
	for program in "$1" /usr/sbin/kvmintro /usr/local/sbin/kvmintro; do
		type -P "$program" && return
	done
}

# Print the commands 'kvmintro help' lists; @1 is the kvmintro to ask.
_kvmintro_commands()
{
	"$1" help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9-]*\).*/\1/p'
}

# Print the options 'kvmintro help [COMMAND]' lists (@1 the kvmintro to
# ask, @2 the command or none: the global options), one a line, followed
# by " VALUE" for one that takes a value.
_kvmintro_options()
{
	local line spec value name
	while IFS= read -r line; do
		[[ $line == '  -'* ]] || continue
		spec=${line#  }
		spec=${spec%%  *}
		value=
		[[ $spec == *' '[A-Z]* ]] && value=' VALUE'
		for name in ${spec//,/ }; do
			[[ $name == -* ]] && printf '%s%s\n' "$name" "$value"
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
	local command='' i word nargs=0 name value options=() commands
	local -A takes_value=()
	kvmintro=$(_kvmintro_program "${words[0]}") || return
	commands=$(_kvmintro_commands "$kvmintro")
	# The global options, then the command's too once it is known.
	while read -r name value; do
		options+=("$name")
		[[ -n $value ]] && takes_value[$name]=1
	done < <(_kvmintro_options "$kvmintro")
	for ((i = 1; i < cword; i++)); do
		word=${words[i]}
		case $word in
		--debugfs) ((i + 1 < cword)) && root=${words[i + 1]}; ((i++)) ;;
		--debugfs=*) root=${word#*=} ;;
		-*) [[ -n ${takes_value[$word]:-} ]] && ((i++)) ;;
		*)
			if [[ -n $command ]]; then
				((nargs++))
				continue
			fi
			command=$word
			while read -r name value; do
				options+=("$name")
				[[ -n $value ]] && takes_value[$name]=1
			done < <(_kvmintro_options "$kvmintro" "$command" |
				 grep -vxF -f <(_kvmintro_options "$kvmintro")) ;;
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
