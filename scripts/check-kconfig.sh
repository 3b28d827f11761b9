#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-kconfig.sh: CONFIG_KVM_DSM_IRQ_FORWARD is where a user looks for it
# and builds everywhere: its menuconfig location (as make helpnewconfig
# prints it) is the KVM menu, Virtualization, with the other KVM features
# (Hyper-V, Xen emulation) and depending on KVM; scripts/config can turn it on
# and it stays on after olddefconfig, and off without KVM; an allmodconfig
# kernel (KVM as modules, the option on, -Werror) builds arch/x86/kvm/.
# Prints "pass|fail NAME [why]".
. "$(dirname "$0")/lib.sh"
need_tree

res() { printf '%s %s\n' "$@"; }
rc=0
fail() { res fail "$@"; rc=1; }
obj=$BUILD/obj-kconfig
sym=KVM_DSM_IRQ_FORWARD
cfg() { "$TREE/scripts/config" --file "$obj/.config" "$@"; }
olddefconfig() { kmake "$obj" olddefconfig >>"$obj/kconfig.log" 2>&1; }

# The test kernel's configuration without the option, as the base had it.
msg "Kconfig: $sym in menuconfig, scripts/config and olddefconfig"
rm -rf "$obj" && mkdir -p "$obj"
"$TOP/scripts/config.sh" "$obj" allnoconfig "$TOP/config/vm.config" >"$obj/kconfig.log" 2>&1 ||
	die "cannot configure $obj (see $obj/kconfig.log)"
sed -i "/$sym/d; /CONFIG_KVM_HYPERV[= ]/d" "$obj/.config"
kmake "$obj" helpnewconfig >"$obj/help.txt" 2>>"$obj/kconfig.log"
help() { sed -n "/^Symbol: $1 /,/^-----/p" "$obj/help.txt"; }
# The menus above the entry: the Location lines but the entry's own.
parents() { help "$1" | sed -n '/^ *Location:/,/^$/p' | grep -- '->' | sed '$d'; }
where=$(help "$sym")
if grep -q '^ *Prompt: ' <<<"$where" && grep -q '^ *Depends on: .*KVM_X86 \[=y\]' <<<"$where" &&
	grep -q -- '-> Virtualization (VIRTUALIZATION' <<<"$(parents "$sym")" &&
	[ "$(parents "$sym")" = "$(parents KVM_HYPERV)" ]; then
	res pass "menuconfig: $sym is in the Virtualization (KVM) menu, next to KVM_HYPERV #$(grep '^ *Prompt: ' <<<"$where" | sed 's/^ *Prompt://')"
else
	fail "menuconfig: $sym is not in the Virtualization (KVM) menu next to KVM_HYPERV"
	printf '%s\n' "$where" | sed 's/^/    /'
fi

cfg --enable "$sym" && olddefconfig
if [ "$(cfg --state "$sym")" = y ]; then
	res pass "scripts/config --enable $sym survives olddefconfig"
else
	fail "scripts/config --enable $sym # olddefconfig turned it off (see $obj/kconfig.log)"
fi
cfg --disable KVM --disable KVM_X86 && olddefconfig
if [ "$(cfg --state "$sym")" = undef ]; then
	res pass "$sym goes away without KVM"
else
	fail "$sym is $(cfg --state "$sym") without KVM"
fi

# allmodconfig: every other option on too, KVM as modules, warnings are errors.
obj=$BUILD/obj-allmod
msg "allmodconfig build of arch/x86/kvm/ (a few minutes cold)"
mkdir -p "$obj"
if ! kmake "$obj" allmodconfig >"$BUILD/allmod.log" 2>&1; then
	fail "allmodconfig # see $BUILD/allmod.log"
elif [ "$(cfg --state "$sym")" != y ] || [ "$(cfg --state KVM)" != m ]; then
	fail "allmodconfig # expected $sym=y and KVM=m, got $(cfg --state "$sym") and $(cfg --state KVM)"
elif ! logged "$BUILD/allmod.log" kmake "$obj" arch/x86/kvm/; then
	fail "allmodconfig build of arch/x86/kvm/ # see $BUILD/allmod.log"
	grep -E -m 5 'error' "$BUILD/allmod.log" | sed 's/^/    /'
else
	res pass "allmodconfig build of arch/x86/kvm/ # KVM=m, $sym=y, CONFIG_WERROR=$(cfg --state WERROR)"
fi
exit $rc
