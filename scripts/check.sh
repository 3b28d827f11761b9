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
run_checks "series checks" check-series.sh
run_checks "documentation" check-docs.sh
run_checks "Kconfig and allmodconfig" check-kconfig.sh
run_checks "the newest 7.3.x base" check-newest-base.sh

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
