# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Bash completion of kvmintro(8): its commands and options, and the VMs it
# can name (PIDs and directories, read from kvmintro's vms file; root only,
# as the file is).  tests/packaging checks it offers every command of
# 'kvmintro help'.

_kvmintro_commands="list memslots pause resume snapshot regs translate gva
	gpa-hpa stage2 read info dmesg dump scan help"

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

	local root=${KVMINTRO_DEBUGFS:-/sys/kernel/debug/kvmintro}
	local command='' i word nargs=0 options
	for ((i = 1; i < cword; i++)); do
		word=${words[i]}
		case $word in
		--debugfs) ((i + 1 < cword)) && root=${words[i + 1]}; ((i++)) ;;
		--debugfs=*) root=${word#*=} ;;
		--vcpu | --cr3 | --ttbr0 | --ttbr1 | --tcr | --max | -f | --file) ((i++)) ;;
		-*) ;;
		*)
			if [[ -z $command ]]; then
				command=$word
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
	--vcpu | --cr3 | --ttbr0 | --ttbr1 | --tcr | --max)
		return ;;
	esac

	options='--json --debugfs --help -h'
	case $command in
	regs) options+=' --vcpu' ;;
	gva) options+=' --vcpu --cr3 --ttbr0 --ttbr1 --tcr' ;;
	read) options+=' --raw' ;;
	dump) options+=' --live' ;;
	scan) options+=' -f --file --max' ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
		return
	fi

	case $command in
	'')
		mapfile -t COMPREPLY < <(compgen -W "$_kvmintro_commands" -- "$cur") ;;
	help)
		((nargs == 0)) &&
			mapfile -t COMPREPLY < <(compgen -W "$_kvmintro_commands" -- "$cur") ;;
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
