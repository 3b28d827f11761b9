#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure (config/vm.config, debug.config, dsm.config; checked) and build
# the test VM kernel in build/obj-vm.  DSM=n leaves the series' option out.
. "$(dirname "$0")/lib.sh"
need_tree

frags=("$TOP/config/vm.config" "$TOP/config/debug.config")
[ "${DSM:-y}" = n ] || frags+=("$TOP/config/dsm.config")
# Before the series adds the option, only the VM config can be checked.
grep -q '^config KVM_DSM_IRQ_FORWARD$' "$TREE/arch/x86/kvm/Kconfig" ||
	{ frags=("$TOP/config/vm.config" "$TOP/config/debug.config"); warn "the tree has no KVM_DSM_IRQ_FORWARD yet: building without it"; }

"$TOP/scripts/config.sh" "$OBJ_VM" allnoconfig "${frags[@]}"
msg "building bzImage in $OBJ_VM ($JOBS jobs; a cold build takes a while, ccache makes the next fast)"
logged "$OBJ_VM/build.log" kmake "$OBJ_VM" bzImage ||
	die "kernel build failed (see $OBJ_VM/build.log)"
msg "kernel: $OBJ_VM/arch/x86/boot/bzImage"
