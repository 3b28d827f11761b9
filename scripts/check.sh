#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh TEST...: the series checks, then the selftests TEST... in the VM.
# Ends with "N passed, N failed, N skipped"; the whole log is build/check.log.
# A skipped selftest fails the run too (it could not run), unless ALLOW_SKIP=1.
. "$(dirname "$0")/lib.sh"
need_tree
mkdir -p "$BUILD"
exec > >(tee "$BUILD/check.log") 2>&1

results=$BUILD/check.results
: >"$results"

msg "series checks"
if ! "$TOP/scripts/check-series.sh" | tee -a "$results"; then
	grep -q '^fail ' "$results" ||
		echo "fail series checks # they stopped early: see above" >>"$results"
fi

msg "rebuilding the test kernel and the selftests"
if "$TOP/scripts/build-kernel.sh" && "$TOP/scripts/build-selftests.sh"; then
	msg "selftests in the VM"
	"$TOP/scripts/vm-run.sh" "$@" || true
	grep -E '^(pass|fail|skip) ' "$BUILD/vm.results" | sed 's/^\(pass\|fail\|skip\) /\1 vm: /' >>"$results"
else
	echo "fail build of the test kernel or the selftests" >>"$results"
fi

echo
echo "Results:"
sed 's/^/  /' "$results" | grep -E '^  (pass|fail|skip) '
passed=$(grep -c '^pass ' "$results" || true)
failed=$(grep -c '^fail ' "$results" || true)
skipped=$(grep -c '^skip ' "$results" || true)
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && { [ "$skipped" = 0 ] || [ "${ALLOW_SKIP:-}" = 1 ]; }
