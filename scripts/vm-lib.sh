# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # VM_* are for the scripts that source this
# The test VM's initramfs and the reading of its console log, shared by
# vm-run.sh (QEMU) and vm-run-bochs.sh; sourced after lib.sh.

VM_KERNEL=$OBJ_VM/arch/x86/boot/bzImage
VM_KST=$OBJ_VM/kselftest/kselftest_install

# vm_initramfs CPIO [TEST[:ARG...]...]: write an initramfs with busybox,
# /init (vm-init.sh) and the selftests TEST... (all of them, and a shell,
# without TEST) to CPIO, built in the folder CPIO without .cpio.  Sets
# VM_APPEND to the kernel command-line words that tell /init what to run.
vm_initramfs() {
	local cpio=$1 root=${1%.cpio} spec t
	shift
	[ -f "$VM_KERNEL" ] || die "no test kernel at $VM_KERNEL: run 'make' first"
	[ -d "$VM_KST/kvm" ] || die "no selftests in $VM_KST: run 'make' first"
	[ -x /bin/busybox ] || die "/bin/busybox not found: apt-get install busybox-static"
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,kselftest/kvm}
	cp /bin/busybox "$root/bin/"
	ln -s busybox "$root/bin/sh"
	cp "$TOP/scripts/vm-init.sh" "$root/init"
	# VM_EXTRA: a folder copied over the root; its executables in
	# kselftest/kvm/ are tests too (scripts/check-kvmtool.sh)
	[ -z "${VM_EXTRA:-}" ] || cp -a "$VM_EXTRA/." "$root/"
	if [ $# = 0 ]; then
		cp -a "$VM_KST/kvm/." "$root/kselftest/kvm/"
		VM_APPEND="dsm.shell=1"
	else
		for spec in "$@"; do
			t=${spec%%:*}
			[ -x "$root/kselftest/kvm/$t" ] && continue
			# kselftest-install puts all of them in kvm/, without the x86/.
			[ -x "$VM_KST/kvm/${t##*/}" ] || die "selftest $t was not built (is it in tools/testing/selftests/kvm/Makefile.kvm?)"
			mkdir -p "$root/kselftest/kvm/$(dirname "$t")"
			cp "$VM_KST/kvm/${t##*/}" "$root/kselftest/kvm/$t"
		done
		VM_APPEND="dsm.tests=$(IFS=,; echo "$*")"
	fi
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$cpio"
}

# vm_results LOG RESULTS PREFIX TEST...: the KTAP lines of the console log
# LOG as "pass|fail|skip PREFIXNAME # ..." lines in RESULTS (overwritten),
# a "skip PREFIXNAME: POINT # why" line for each point a test skipped, and
# a failure for each TEST without a result.  EXPECTED_SKIPS: the points
# this CPU cannot run (names, or NAME:POINT); their lines say "# expected
# here: why", and check.sh and check-vmx.sh count only the other skips
# against the run.
vm_results() {
	local log=$1 results=$2 prefix=$3 spec name
	shift 3
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	: >"$results"
	awk -v prefix="$prefix" -v expected=" ${EXPECTED_SKIPS:-} " '
	/^(not )?ok [0-9]+ / {
		st = $1 == "ok" ? (/# SKIP/ ? "skip" : "pass") : "fail"
		sub(/^(not )?ok [0-9]+ /, ""); print st, prefix $0 }
	/^SKIPPED-POINT / {
		sub(/^SKIPPED-POINT /, "")
		i = index($0, " # "); left = substr($0, 1, i - 1); why = substr($0, i + 3)
		test = left; sub(/: [^ ]*$/, "", test)
		point = left; sub(/^.*: /, "", point)
		if (index(expected, " " point " ") || index(expected, " " test ":" point " "))
			why = "expected here: " why
		print "skip", prefix test ": " point " # " why }' "$log" >>"$results"
	for spec in "$@"; do
		name=$prefix$(tr : ' ' <<<"$spec")
		grep -qF -e "pass $name #" -e "fail $name #" -e "skip $name #" "$results" ||
			echo "fail $name # no result: the VM stopped before it ran or finished it" >>"$results"
	done
}

# vm_check_log LOG RESULTS PREFIX WHY: fail PREFIXvm if the VM did not
# finish (WHY: why it stopped), and PREFIXkernel-log if the guest kernel
# log has a splat.  Sets VM_DMESG to the guest kernel log (the whole
# console log if the VM did not finish).
vm_check_log() {
	local log=$1 results=$2 prefix=$3 why=$4 splat
	VM_DMESG=$(sed -n '/^=== dmesg ===$/,/^=== end of dmesg ===$/p' "$log")
	if ! grep -q '^DSM-VM-DONE$' "$log"; then
		echo "fail ${prefix}vm # the VM did not finish ($why): see the end of $log" >>"$results"
		VM_DMESG=$(cat "$log")
	fi
	# Any of these in the guest kernel log fails the run.
	splat='WARNING:|BUG:|BUG |Oops|KASAN|UBSAN|Kernel panic|general protection fault|possible (recursive|circular) locking|INFO: task .* blocked|Call Trace:'
	if grep -Eq "$splat" <<<"$VM_DMESG"; then
		echo "fail ${prefix}kernel-log # the guest kernel log has a splat:" >>"$results"
		grep -E -m 5 "$splat" <<<"$VM_DMESG" | sed 's/^/    /' >>"$results"
	fi
}
