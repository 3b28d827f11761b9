#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# config.sh OBJDIR BASE FRAGMENT...: write OBJDIR/.config with the kernel's
# merge_config.sh onto BASE (allnoconfig, allmodconfig, ...), then check that
# every option the fragments ask for is set as asked (the last fragment that
# sets an option wins): Kconfig silently drops an option the tree does not
# have or whose dependencies are not met.
. "$(dirname "$0")/lib.sh"
need_tree
obj=$(realpath -m "$1") base=$2; shift 2
frags=()
for f; do frags+=("$(realpath "$f")"); done
set -- "${frags[@]}"
mkdir -p "$obj"

case $base in
all*config) ;;
*) die "config.sh: BASE must be an all*config target, not $base" ;;
esac
# merge_config.sh -m only merges the fragments (and reports overrides);
# "make allnoconfig KCONFIG_ALLCONFIG=..." then resolves the dependencies.
(cd "$TREE" && scripts/kconfig/merge_config.sh -m -O "$obj" "$@" >"$obj/merge_config.log" 2>&1) ||
	die "merge_config.sh failed (see $obj/merge_config.log)"
mv "$obj/.config" "$obj/fragments.config"
make -s -C "$TREE" O="$obj" KCONFIG_ALLCONFIG="$obj/fragments.config" "$base" >>"$obj/merge_config.log" 2>&1 ||
	die "Kconfig failed (see $obj/merge_config.log)"

bad=0
for frag in "$@"; do
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) opt=${line%%=*} want=$line ;;
		"# CONFIG_"*" is not set") opt=${line#\# } opt=${opt%% *} want=$line ;;
		*) continue ;;
		esac
		# Set otherwise by a later fragment: merge_config.sh keeps the last.
		grep -qxF "$want" "$obj/fragments.config" || continue
		got=$(grep -E "^(# )?$opt[= ]" "$obj/.config" || echo "# $opt is not set")
		if [ "$got" != "$want" ]; then
			printf 'ERROR: %s asks for "%s", the .config has "%s"\n' "${frag##*/}" "$want" "$got" >&2
			bad=1
		fi
	done <"$frag"
done
[ $bad = 0 ] || die "$obj/.config lacks options the fragments ask for (missing in $(git -C "$TREE" describe --always HEAD), or dependencies not met)"
msg "$obj/.config: $(grep -c '=y' "$obj/.config") options built in"
