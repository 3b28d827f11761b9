#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-run.sh [TEST[:ARG...]...]: boot the test kernel under QEMU (TCG, an emulated AMD
# CPU with SVM, 2 vCPUs) with an initramfs holding busybox and the selftests,
# run the tests, and check the guest kernel log.  No TEST: a shell.
# Writes build/vm.log (console) and build/vm.results (one line per result:
# "pass|fail|skip NAME [why]").  TIMEOUT=seconds per test (default 900).
. "$(dirname "$0")/lib.sh"

kernel=$OBJ_VM/arch/x86/boot/bzImage
kst=$OBJ_VM/kselftest/kselftest_install
limit=${TIMEOUT:-900}
[ -f "$kernel" ] || die "no test kernel at $kernel: run 'make' first"
[ -d "$kst/kvm" ] || die "no selftests in $kst: run 'make' first"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found: apt-get install qemu-system-x86"
[ -x /bin/busybox ] || die "/bin/busybox not found: apt-get install busybox-static"

root=$BUILD/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,kselftest/kvm}
cp /bin/busybox "$root/bin/"
ln -s busybox "$root/bin/sh"
cp "$TOP/scripts/vm-init.sh" "$root/init"
if [ $# = 0 ]; then
	cp -a "$kst/kvm/." "$root/kselftest/kvm/"
	append="dsm.shell=1"
else
	for spec in "$@"; do
		t=${spec%%:*}
		# kselftest-install puts all of them in kvm/, without the x86/.
		[ -x "$kst/kvm/${t##*/}" ] || die "selftest $t was not built (is it in tools/testing/selftests/kvm/Makefile.kvm?)"
		mkdir -p "$root/kselftest/kvm/$(dirname "$t")"
		cp "$kst/kvm/${t##*/}" "$root/kselftest/kvm/$t"
	done
	append="dsm.tests=$(IFS=,; echo "$*") dsm.timeout=$limit"
fi
(cd "$root" && find . | cpio -o -H newc --quiet) >"$BUILD/initramfs.cpio"

qemu=(qemu-system-x86_64 -accel tcg,thread=single -cpu max,la57=off -smp 2 -m 4G
	-nographic -no-reboot -kernel "$kernel" -initrd "$BUILD/initramfs.cpio"
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
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

: >"$results"
awk '/^(not )?ok [0-9]+ / {
	st = $1 == "ok" ? (/# SKIP/ ? "skip" : "pass") : "fail"
	sub(/^(not )?ok [0-9]+ /, ""); print st, $0 }' "$log" >>"$results"
for spec in "$@"; do
	name=$(tr : ' ' <<<"$spec")
	grep -qF -e "pass $name #" -e "fail $name #" -e "skip $name #" "$results" ||
		echo "fail $name # no result: the VM stopped before it ran" >>"$results"
done

dmesg=$(sed -n '/^=== dmesg ===$/,/^=== end of dmesg ===$/p' "$log")
if ! grep -q '^DSM-VM-DONE$' "$log"; then
	[ $rc = 137 ] && why="timed out after $total s" || why="QEMU exited with $rc"
	echo "fail vm # the VM did not finish ($why): see the end of $log" >>"$results"
	dmesg=$(cat "$log")
fi
# Any of these in the guest kernel log fails the run.
splat='WARNING:|BUG:|BUG |Oops|KASAN|UBSAN|Kernel panic|general protection fault|possible (recursive|circular) locking|INFO: task .* blocked|Call Trace:'
if grep -Eq "$splat" <<<"$dmesg"; then
	echo "fail kernel-log # the guest kernel log has a splat:" >>"$results"
	grep -E -m 5 "$splat" <<<"$dmesg" | sed 's/^/    /' >>"$results"
fi
if grep -q 'kvm_amd' <<<"$dmesg"; then
	grep -o 'kvm_amd: .*' <<<"$dmesg" | sed 's/^/# /' >&2
else
	echo "fail kvm_amd # kvm_amd did not initialize: no SVM in the emulated CPU?" >>"$results"
fi

grep -E '^(pass|fail|skip) ' "$results" | sed 's/^/    /' >&2
! grep -q '^fail ' "$results"
