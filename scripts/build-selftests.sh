#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the KVM selftests, statically linked so they run from the busybox
# initramfs, with the kernel's own kselftest-install target.
. "$(dirname "$0")/lib.sh"
need_tree
[ -f "$OBJ_VM/.config" ] || die "no kernel configured in $OBJ_VM: run 'make kernel' first"

msg "building the KVM selftests into $OBJ_VM/kselftest"
logged "$OBJ_VM/selftests.log" kmake "$OBJ_VM" kselftest-install TARGETS=kvm EXTRA_CFLAGS=-static ||
	die "selftests build failed (see $OBJ_VM/selftests.log)"
msg "selftests: $OBJ_VM/kselftest/kselftest_install/kvm"
