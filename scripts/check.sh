#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh TEST...: the series checks, then the selftests in two emulators
# side by side, one core each: TEST... under QEMU (AMD SVM, kvm_amd), and
# under Bochs (Intel VT-x, kvm_intel) VMX_TESTS with APICv and
# VMX_TESTS_NOAPICV with APICv and unrestricted guest off (the Makefile's
# lists; CHECK_VMX=0 leaves Bochs out).  Result lines say where they ran:
# "vm-svm:", "vmx-apicv:", "vmx-noapicv:".
# Ends with "N passed, N failed, N skipped"; the whole log is build/check.log.
# A skip fails the run too (something could not run), unless ALLOW_SKIP=1;
# except the test points that the CPU cannot run, named in QEMU_EXPECTED_SKIPS
# (the VMX-only points on AMD) and VMX_EXPECTED_SKIPS (IPI virtualization,
# which no emulator has): those say "# expected here: why".
. "$(dirname "$0")/lib.sh"
need_tree
mkdir -p "$BUILD"
exec > >(tee "$BUILD/check.log") 2>&1

results=$BUILD/check.results
: >"$results"

# run_checks NAME SCRIPT: a script that prints "pass|fail NAME" lines.
run_checks() {
	local fails
	fails=$(grep -c '^fail ' "$results" || true)
	msg "$1"
	if ! "$TOP/scripts/$2" | tee -a "$results" &&
	   [ "$(grep -c '^fail ' "$results" || true)" = "$fails" ]; then
		echo "fail $1 # $2 stopped early: see above" >>"$results"
	fi
}
# vmx_boot 1|0 TEST...: the tests under Bochs, kvm_intel with APICv on|off.
vmx_boot() {
	local apicv=$1
	shift
	[ $# -gt 0 ] || return 0
	# At most 40 minutes a boot (VM_WALL): the run stays in CI's 90.
	EXPECTED_SKIPS=${VMX_EXPECTED_SKIPS-dsm.ipi_virtualization_off} APICV=$apicv \
		VM_WALL=${VM_WALL:-2400} "$TOP/scripts/vm-run-bochs.sh" "$@"
}

run_checks "series checks" check-series.sh
run_checks "documentation" check-docs.sh
run_checks "Kconfig and allmodconfig" check-kconfig.sh
run_checks "the newest 7.3.x base" check-newest-base.sh

msg "rebuilding the test kernel and the selftests; QEMU with qemu/*.patch"
if "$TOP/scripts/build-kernel.sh" && "$TOP/scripts/build-selftests.sh"; then
	# QEMU (unless QEMU=path) before the emulators start: its build
	# wants both cores.
	[ -n "${QEMU:-}" ] || QEMU=$("$TOP/scripts/build-qemu.sh" | tail -n 1) || QEMU=
	export QEMU
	# Two emulators side by side, one core each: Bochs with APICv in the
	# background, QEMU, then Bochs without APICv.
	vmx=
	if [ "${CHECK_VMX:-1}" = 1 ]; then
		rm -f "$BUILD"/vm-bochs-vmx-*.results
		if "$TOP/scripts/fetch-bochs.sh" >/dev/null; then
			msg "Bochs (VT-x, APICv on) in the background: $BUILD/check-vmx-apicv.log"
			# shellcheck disable=SC2086 # lists of tests
			vmx_boot 1 $VMX_TESTS >"$BUILD/check-vmx-apicv.log" 2>&1 &
			vmx=$!
		else
			echo "fail vmx # no Bochs: see above" >>"$results"
		fi
	fi
	if [ -n "$QEMU" ]; then
		msg "selftests in QEMU (AMD SVM)"
		EXPECTED_SKIPS=${QEMU_EXPECTED_SKIPS:-} "$TOP/scripts/vm-run.sh" "$@" || true
		grep -E '^(pass|fail|skip) ' "$BUILD/vm.results" | sed 's/^\(pass\|fail\|skip\) /\1 vm-svm: /' >>"$results"
	else
		echo "fail vm-svm # no QEMU: its build failed, see above" >>"$results"
	fi
	if [ -n "$vmx" ]; then
		msg "Bochs (VT-x, APICv off): $BUILD/check-vmx-noapicv.log"
		# shellcheck disable=SC2086 # lists of tests
		vmx_boot 0 $VMX_TESTS_NOAPICV >"$BUILD/check-vmx-noapicv.log" 2>&1 || true
		msg "waiting for Bochs with APICv (tail -f $BUILD/check-vmx-apicv.log)"
		wait $vmx || true
		for mode in vmx-apicv vmx-noapicv; do
			if [ -s "$BUILD/vm-bochs-$mode.results" ]; then
				grep -E '^(pass|fail|skip) ' "$BUILD/vm-bochs-$mode.results" >>"$results"
			else
				echo "fail $mode # vm-run-bochs.sh stopped early: see $BUILD/check-$mode.log" >>"$results"
			fi
		done
	fi
else
	echo "fail build of the test kernel or the selftests" >>"$results"
fi

echo
echo "Not part of make check (too long for it): make kut (kvm-unit-tests with"
echo "and without the series), make check-kvmtool (Linux split over two lkvm"
echo "processes), make bench, make fresh-check (this in a new Debian 12 root)."
echo
echo "Results:"
sed 's/^/  /' "$results" | grep -E '^  (pass|fail|skip) '
passed=$(grep -c '^pass ' "$results" || true)
failed=$(grep -c '^fail ' "$results" || true)
skipped=$(grep -c '^skip ' "$results" || true)
unexpected=$(grep '^skip ' "$results" | grep -vc ' # expected here: ' || true)
echo "$passed passed, $failed failed, $skipped skipped ($unexpected not expected on these CPUs)"
[ "$failed" = 0 ] && { [ "$unexpected" = 0 ] || [ "${ALLOW_SKIP:-}" = 1 ]; }
