#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-kvmtool.sh: the kvmtool stage.  In the test VM, kvmtool (lkvm, with
# the patches in kvmtool/) boots an unmodified Linux guest (the base of the
# series, config/kvmtool-guest.config) whose vCPUs are split over two lkvm
# processes; every IPI between them is a KVM_EXIT_DSM_SEND_IRQ and a
# reinjection ioctl.  scripts/kvmtool-vm-test.sh does the work in the VM.
#
#   BOOTS=10 boots of each guest: x2APIC and xAPIC (nox2apic), 2 vCPUs on
#	2 nodes, 4 vCPUs on 2 nodes; ROUNDS=30 rounds of the IPI workload in
#	each boot (scripts/ipi-workload.c)
#   BOOTS3=3 boots of each guest on 3 nodes: 3 x2APIC vCPUs, one a node,
#	and 4 xAPIC vCPUs, node 1 with two of them
#   RUNS=3 runs of the workload (BENCH_ROUNDS=100 rounds) with all vCPUs in
#	one lkvm process, and split, for 2 and 4 vCPUs (x2APIC): the table
#
# Writes build/kvmtool.results ("pass|fail kvmtool: NAME # ..."), the table
# in build/kvmtool-bench.txt, the VM's console in build/kvmtool-vm.log.
. "$(dirname "$0")/lib.sh"
need_tree

boots=${BOOTS:-10} boots3=${BOOTS3:-3} rounds=${ROUNDS:-30} runs=${RUNS:-3} bench_rounds=${BENCH_ROUNDS:-100}
results=$BUILD/kvmtool.results table=$BUILD/kvmtool-bench.txt
extra=$BUILD/kvmtool-vm guest=$BUILD/kvmtool-guest

lkvm=$("$TOP/scripts/build-kvmtool.sh" | tail -n 1)
# The test VM runs on QEMU with the fixes in qemu/ (see qemu/README.md).
[ -n "${QEMU:-}" ] || QEMU=$("$TOP/scripts/build-qemu.sh" | tail -n 1)
export QEMU
"$TOP/scripts/build-guest.sh"

msg "the guest's initramfs: busybox, /init (kvmtool-guest-init.sh), ipi-workload"
rm -rf "$guest" "$extra"
mkdir -p "$guest"/{bin,dev,proc,sys,tmp} "$extra"/kvmtool "$extra"/kselftest/kvm/kvmtool
cp /bin/busybox "$guest/bin/"
ln -s busybox "$guest/bin/sh"
cp "$TOP/scripts/kvmtool-guest-init.sh" "$guest/init"
gcc -static -O2 -Wall -pthread -o "$guest/bin/ipi-workload" "$TOP/scripts/ipi-workload.c" ||
	die "cannot build scripts/ipi-workload.c (static glibc: apt-get install libc6-dev)"
(cd "$guest" && find . | cpio -o -H newc --quiet) >"$extra/kvmtool/guest.cpio"

# What the test VM gets besides its selftests: lkvm, the guest, the test
cp "$lkvm" "$extra/kvmtool/lkvm"
cp "$BUILD/obj-guest/arch/x86/boot/bzImage" "$extra/kvmtool/bzImage"
cp "$TOP/scripts/kvmtool-vm-test.sh" "$extra/kselftest/kvm/kvmtool/check"

# NAME:APIC:MAP (vm-init.sh splits the arguments of a test on ":")
guests=(x2apic-2-vcpus-2-nodes:x2apic:0-1
	xapic-2-vcpus-2-nodes:xapic:0-1
	x2apic-4-vcpus-2-nodes:x2apic:0-0-1-1
	xapic-4-vcpus-2-nodes:xapic:0-1-0-1)
guests3=(x2apic-3-vcpus-3-nodes:x2apic:0-1-2
	 xapic-4-vcpus-3-nodes:xapic:0-1-2-1)
tests=()
for g in "${guests[@]}"; do
	tests+=("kvmtool/check:boots:$g:$boots:$rounds")
done
[ "$boots3" = 0 ] || for g in "${guests3[@]}"; do
	tests+=("kvmtool/check:boots:$g:$boots3:$rounds")
done
[ "$runs" = 0 ] || tests+=("kvmtool/check:bench:bench-2-vcpus:x2apic:0-1:$runs:$bench_rounds"
			   "kvmtool/check:bench:bench-4-vcpus:x2apic:0-0-1-1:$runs:$bench_rounds")

# A 4-vCPU boot takes up to about 2 minutes on a busy machine.
most=$((boots > boots3 ? boots : boots3))
export TIMEOUT=${TIMEOUT:-$((300 + 150 * (most > 2 * runs ? most : 2 * runs)))}
msg "${#tests[@]} tests in the VM: $boots boots of 4 guests on 2 nodes, $boots3 of 2 on 3 nodes, $runs runs of 2 benchmarks (at most $TIMEOUT s each)"
rc=0
VM_EXTRA=$extra "$TOP/scripts/vm-run.sh" "${tests[@]}" || rc=$?
cp "$BUILD/vm.log" "$BUILD/kvmtool-vm.log"

# The results of the tests, then what vm-run.sh found about the VM itself
sed -n 's/^# RESULT \(pass\|fail\|skip\) kvmtool: /\1 kvmtool: /p' "$BUILD/kvmtool-vm.log" >"$results"
for t in "${tests[@]}"; do
	name=$(cut -d: -f3 <<<"$t")
	grep -q " kvmtool: $name #" "$results" ||
		echo "fail kvmtool: $name # no result: $(grep -F "$(tr : ' ' <<<"$t")" "$BUILD/vm.results" | head -n 1)" >>"$results"
done
grep -E '^(pass|fail|skip) ' "$BUILD/vm.results" | { grep -v ' kvmtool/check ' || true; } |
	sed 's/^\(pass\|fail\|skip\) /\1 kvmtool: test VM: /' >>"$results"
grep -q 'kvmtool: test VM: kernel-log' "$results" ||
	echo "pass kvmtool: test VM: kernel-log # no splat in the test kernel's log" >>"$results"

# The table: median (min-max) of the runs
{
	echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $("$QEMU" --version | head -n 1) with qemu/*.patch"
	echo "# the IPI workload ($bench_rounds rounds) in a kvmtool guest in the test VM, $runs runs each"
	printf '%-14s %-10s %10s %20s %8s %12s %10s\n' guest kvmtool median_ms '(min-max)' ratio DSM_exits exits/IPI
	sed -n 's/^# BENCH //p' "$BUILD/kvmtool-vm.log" | awk '
		function field(s, k,   i, n, a, kv) {
			n = split(s, a, " ")
			for (i = 1; i <= n; i++) { split(a[i], kv, "="); if (kv[1] == k) return kv[2] }
		}
		{ key = $1 " " $2; n[key]++; ms[key, n[key]] = field($0, "ms")
		  ex[key] += field($0, "exits"); cr[key] += field($0, "cross")
		  if (!(key in seen)) { seen[key]; order[++keys] = key } }
		END {
			for (k = 1; k <= keys; k++) {
				key = order[k]; m = n[key]
				for (i = 1; i <= m; i++) v[i] = ms[key, i]
				for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
				med = m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
				split(key, g, " ")
				if (g[2] == "one") base[g[1]] = med
				printf "%-14s %-10s %10.0f %20s %8.2f %12.0f %10s\n", g[1], g[2] == "one" ? "1 process" : "2 nodes", med,
					"(" v[1] "-" v[m] ")", base[g[1]] ? med / base[g[1]] : 0, ex[key] / m,
					cr[key] ? sprintf("%.3f", ex[key] / cr[key]) : "-"
			}
		}'
} >"$table"

msg "results in $results, the table in $table, the console in $BUILD/kvmtool-vm.log"
sed 's/^/    /' "$results" >&2
cat "$table" >&2
! grep -q '^fail ' "$results" && [ $rc = 0 ]
