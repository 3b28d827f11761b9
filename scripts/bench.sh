#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh: boot the test VM and run the benchmark mode of
# x86/dsm_irq_forward_nodes_test: the IPI round trip vCPU0 <-> vCPU1 in one
# VM with the capability off, on with both vCPUs local, forwarded between two
# VMs of one process and between two processes.  Prints the table and keeps
# it in build/bench.txt, with one machine-readable BENCH line per figure.
# ROUND_TRIPS (per repetition, default 1000) and REPS (default 5) tune it.
. "$(dirname "$0")/lib.sh"

rounds=${ROUND_TRIPS:-1000}
reps=${REPS:-5}
out=$BUILD/bench.txt

msg "benchmark: $reps repetitions of $rounds IPI round trips per configuration"
TIMEOUT=${TIMEOUT:-3600} "$TOP/scripts/vm-run.sh" \
	"x86/dsm_irq_forward_nodes_test:-b:-i:$rounds:-r:$reps" ||
	die "the benchmark failed: see $BUILD/vm.results and $BUILD/vm.log"

{
	echo "# $(date -u '+%F %H:%M UTC'), $(qemu-system-x86_64 --version | head -1)"
	echo "# host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs"
	echo "# guest: -accel tcg,thread=single -cpu max -smp 2, kvm_amd, nested guests"
	sed -n 's/^# # //p' "$BUILD/vm.log" | grep -v '^\(TAP\|KTAP\|1\.\.\|ok \|Totals\)'
	sed -n 's/^# \(BENCH .*\)/\1/p' "$BUILD/vm.log"
} >"$out"
grep -q '^BENCH ' "$out" || die "no BENCH lines in $BUILD/vm.log"
cat "$out"
msg "benchmark: $out"
