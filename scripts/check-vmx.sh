#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-vmx.sh "TEST..." "TEST...": the VT-x stage.  Builds Bochs (cached)
# and boots the test kernel under it twice: kvm_intel with APICv running
# the first list, then with kvm_intel.enable_apicv=0 running the second.
# Needs the test kernel and the selftests ('make').  Writes
# build/vm-bochs.results (both boots, "pass|fail|skip vmx-apicv: NAME # ..."
# and "... vmx-noapicv: ..."), the console logs build/vm-bochs-*.log, and
# prints one line per result and "N passed, N failed, N skipped".  Fails
# if anything failed or skipped (unless ALLOW_SKIP=1), but for the points
# named in VMX_EXPECTED_SKIPS (default: dsm.ipi_virtualization_off, since no
# emulator implements IPI virtualization), which say "# expected here".
. "$(dirname "$0")/lib.sh"
[ $# = 2 ] || die "usage: $0 \"APICV_TESTS...\" \"NOAPICV_TESTS...\""

results=$BUILD/vm-bochs.results
mkdir -p "$BUILD"
: >"$results"
start=$(date +%s)
"$TOP/scripts/fetch-bochs.sh" >/dev/null
for apicv in 1 0; do
	[ $apicv = 1 ] && tests=$1 mode=vmx-apicv || tests=$2 mode=vmx-noapicv
	[ -n "$tests" ] || continue
	rm -f "$BUILD/vm-bochs-$mode.results"
	# shellcheck disable=SC2086 # a list of tests
	EXPECTED_SKIPS=${VMX_EXPECTED_SKIPS-dsm.ipi_virtualization_off} \
		APICV=$apicv "$TOP/scripts/vm-run-bochs.sh" $tests || true
	if [ -f "$BUILD/vm-bochs-$mode.results" ]; then
		grep -E '^(pass|fail|skip) ' "$BUILD/vm-bochs-$mode.results" >>"$results" || true
	else
		echo "fail $mode: vm # vm-run-bochs.sh stopped early: see above" >>"$results"
	fi
done

echo
echo "Results (Bochs, emulated VT-x, $(($(date +%s) - start)) s):"
sed 's/^/  /' "$results" | grep -E '^  (pass|fail|skip) '
passed=$(grep -c '^pass ' "$results" || true)
failed=$(grep -c '^fail ' "$results" || true)
skipped=$(grep -c '^skip ' "$results" || true)
unexpected=$(grep '^skip ' "$results" | grep -vc ' # expected here: ' || true)
echo "$passed passed, $failed failed, $skipped skipped ($unexpected not expected on this CPU)"
[ "$failed" = 0 ] && { [ "$unexpected" = 0 ] || [ "${ALLOW_SKIP:-}" = 1 ]; }
