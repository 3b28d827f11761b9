#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-run.sh [TEST[:ARG...]...]: boot the test kernel under QEMU (TCG, an emulated AMD
# CPU with SVM, 2 vCPUs) with an initramfs holding busybox and the selftests,
# run the tests, and check the guest kernel log.  No TEST: a shell.
# Writes build/vm.log (console) and build/vm.results (one line per result:
# "pass|fail|skip NAME [why]").  TIMEOUT=seconds per test (default 900).
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/vm-lib.sh"

limit=${TIMEOUT:-900}
# Debian's QEMU with the fixes in qemu/ (scripts/build-qemu.sh builds it
# once into the cache); QEMU=path: another qemu-system-x86_64.
[ -n "${QEMU:-}" ] || QEMU=$("$TOP/scripts/build-qemu.sh" | tail -n 1)
command -v "$QEMU" >/dev/null || die "$QEMU not found"
vm_initramfs "$BUILD/initramfs.cpio" "$@"
append=$VM_APPEND
[ $# = 0 ] || append+=" dsm.timeout=$limit"

qemu=("$QEMU" -accel tcg,thread=single -cpu max,la57=off -smp 2 -m 4G
	-nographic -no-reboot -kernel "$VM_KERNEL" -initrd "$BUILD/initramfs.cpio"
	-append "console=ttyS0 panic=-1 loglevel=5 $append")
# Multi-threaded TCG of QEMU 7.2 now and then oopses the guest while it
# patches its own code: thread=single.  -cpu max has svm, npt and vgif;
# "qemu64,+svm" lacks what the x86-64-v2 selftests need.

if [ $# = 0 ]; then
	msg "booting the VM with a shell (Ctrl-A X quits QEMU)"
	exec "${qemu[@]}"
fi

log=$BUILD/vm.log results=$BUILD/vm.results
total=$(($# * limit + 300))
msg "booting the VM for $# test(s), at most $limit s each ($total s in all); console in $log"
rc=0
timeout -s KILL "$total" "${qemu[@]}" </dev/null >"$log" 2>&1 || rc=$?

vm_results "$log" "$results" "" "$@"
[ $rc = 137 ] && why="timed out after $total s" || why="QEMU exited with $rc"
vm_check_log "$log" "$results" "" "$why"
if grep -q 'kvm_amd' <<<"$VM_DMESG"; then
	grep -o 'kvm_amd: .*' <<<"$VM_DMESG" | sed 's/^/# /' >&2
else
	echo "fail kvm_amd # kvm_amd did not initialize: no SVM in the emulated CPU?" >>"$results"
fi

grep -E '^(pass|fail|skip) ' "$results" | sed 's/^/    /' >&2
! grep -q '^fail ' "$results"
