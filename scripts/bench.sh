#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh: the IPI round trip benchmark x86/dsm_irq_forward_bench in the test
# VM (QEMU TCG, nested kvm_amd), then what the option costs a VM that does not
# use it.
#  1. The test kernel (build/obj-vm) runs configurations a) to d) interleaved:
#     RUNS (default 12) runs of ROUND_TRIPS (default 1000) round trips each.
#  2. Configuration a) alone, OPTOUT_RUNS (default 9) runs per boot, in PAIRS
#     (default 4) pairs of boots: the test kernel, and the same kernel built
#     without the option (DSM=n, in build/obj-vm-nodsm), the order swapped
#     from one pair to the next; per pair, the ratio of the median round trips.
# The VMs are those of "make check" with "-icount shift=0,sleep=off": the
# guest's clock counts the instructions that its CPUs execute, 1 ns each, so
# that the load of the host does not change the results; ICOUNT=0 measures
# with the guest's ordinary clock, the host's time (spread of tens of %).
# PAIRS=0 skips part 2.  Writes build/bench.txt, the tables and their BENCH
# lines; the consoles and the per-run RUN lines are in build/bench/.  It boots
# its own VMs with their own files, so it can run beside "make check".
# BENCH_BIN=path runs that build of the program instead of the one "make
# selftests" installed.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/vm-lib.sh"

runs=${RUNS:-12} rounds=${ROUND_TRIPS:-1000}
pairs=${PAIRS:-4} optout_runs=${OPTOUT_RUNS:-9}
limit=${TIMEOUT:-3600}
icount=()
[ "${ICOUNT:-1}" = 0 ] || icount=(-icount "shift=0,sleep=off")
prog=x86/dsm_irq_forward_bench
dir=$BUILD/bench out=$BUILD/bench.txt nodsm=$BUILD/obj-vm-nodsm
bin=${BENCH_BIN:-$VM_KST/kvm/${prog##*/}}

[ -x "$bin" ] || die "no $bin: run 'make selftests' (is $prog in tools/testing/selftests/kvm/Makefile.kvm?)"
[ -f "$VM_KERNEL" ] || die "no test kernel at $VM_KERNEL: run 'make kernel'"
grep -q '^CONFIG_KVM_DSM_IRQ_FORWARD=y' "$OBJ_VM/.config" ||
	die "$OBJ_VM/.config lacks CONFIG_KVM_DSM_IRQ_FORWARD=y: run 'make kernel' (without DSM=n)"
# Debian's QEMU with the fixes in qemu/ (the benchmark fails on an
# interrupt delivered twice, which Debian's QEMU 7.2 does now and then)
qemu=${QEMU:-$("$TOP/scripts/build-qemu.sh" | tail -n 1)}

if [ "$pairs" != 0 ]; then
	msg "the test kernel without the option, for the opt-out cost: $nodsm"
	DSM_OBJ_VM=$nodsm DSM=n "$TOP/scripts/build-kernel.sh"
	! grep -q '^CONFIG_KVM_DSM_IRQ_FORWARD=' "$nodsm/.config" ||
		die "$nodsm/.config has CONFIG_KVM_DSM_IRQ_FORWARD"
fi

rev=$(git -C "$TREE" describe --always --dirty)
# Copies: a rebuild while this runs changes nothing.
rm -rf "$dir"
mkdir -p "$dir/kst/kvm"
cp "$VM_KERNEL" "$dir/bzImage-dsm"
[ "$pairs" = 0 ] || cp "$nodsm/arch/x86/boot/bzImage" "$dir/bzImage-nodsm"
cp "$bin" "$dir/kst/kvm/"
VM_KST=$dir/kst VM_KERNEL=$dir/bzImage-dsm
main_spec="$prog:-r:$runs:-p:$rounds"
optout_spec="$prog:-c:a:-r:$optout_runs:-p:$rounds"
vm_initramfs "$dir/main.cpio" "$main_spec"
main_append=$VM_APPEND
vm_initramfs "$dir/optout.cpio" "$optout_spec"
optout_append=$VM_APPEND

# boot NAME KERNEL CPIO APPEND SPEC: run SPEC in a VM; console in $dir/NAME.log.
boot() {
	local name=$1 kernel=$2 cpio=$3 append=$4 spec=$5 log=$dir/$1.log rc=0
	local results=$dir/$1.results
	msg "VM $name: $(tr : ' ' <<<"$spec") ($(basename "$kernel"))"
	timeout -s KILL $((limit + 300)) "$qemu" -accel tcg,thread=single "${icount[@]}" \
		-cpu max,la57=off -smp 2 -m 4G -nographic -no-reboot -kernel "$kernel" \
		-initrd "$cpio" -append "console=ttyS0 panic=-1 loglevel=5 $append dsm.timeout=$limit" \
		</dev/null >"$log" 2>&1 || rc=$?
	vm_results "$log" "$results" "" "$spec"
	vm_check_log "$log" "$results" "" "QEMU exited with $rc"
	grep -q 'kvm_amd' <<<"$VM_DMESG" ||
		echo "fail kvm_amd # kvm_amd did not initialize: no SVM in the emulated CPU?" >>"$results"
	if grep -q '^fail ' "$results"; then
		grep -E '^(fail|    )' "$results" >&2
		grep -A12 'Test Assertion Failure' "$log" >&2 || true
		die "the benchmark failed in VM $name: see $log"
	fi
}

start=$(date -u '+%F %H:%M UTC') load=$(cut -d' ' -f1-3 /proc/loadavg)
boot main "$dir/bzImage-dsm" "$dir/main.cpio" "$main_append" "$main_spec"
for ((i = 1; i <= pairs; i++)); do
	order="dsm nodsm"
	[ $((i % 2)) = 1 ] || order="nodsm dsm"
	for k in $order; do
		boot "optout-$i-$k" "$dir/bzImage-$k" "$dir/optout.cpio" "$optout_append" "$optout_spec"
	done
done

# The opt-out table: per pair, median round trip with / without the option.
optout() {
	awk -v pairs="$pairs" -v runs="$optout_runs" -v rounds="$rounds" '
	function sort(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) {
			t = a[i]
			for (j = i - 1; j >= 1 && a[j] > t; j--)
				a[j + 1] = a[j]
			a[j + 1] = t
		}
	}
	# Quantile p of the sorted a[1..n], interpolated linearly.
	function q(a, n, p,   h, lo) {
		h = (n - 1) * p + 1
		lo = int(h)
		return lo < n ? a[lo] + (h - lo) * (a[lo + 1] - a[lo]) : a[lo]
	}
	function dec(q1, q3) {
		return q3 - q1 >= 1 ? 0 : q3 - q1 >= 0.1 ? 1 : 2
	}
	FNR == 1 {
		n = split(FILENAME, part, /[-.\/]/)
		pair = part[n - 2]
		kernel = part[n - 1]
	}
	/^# RUN config=off / {
		for (f = 3; f <= NF; f++) {
			split($f, kv, "=")
			v[kv[1]] = kv[2]
		}
		key = pair SUBSEP kernel SUBSEP v["icr"]
		us[key, ++cnt[key]] = v["ns"] / v["round_trips"] / 1000
	}
	END {
		printf "Cost for a VM that did not opt in: a) with the option built in / without it\n"
		printf "%d pairs of boots of the two kernels, each %d runs of %d round trips; per pair,\n", pairs, runs, rounds
		printf "the ratio of the median round trips; median [Q1-Q3] over the pairs\n"
		printf "%-6s %-22s %-22s %-20s %s\n", "ICR", "with us [Q1-Q3]", "without us [Q1-Q3]", "ratio [Q1-Q3]", "per pair, with/without - 1"
		split("xapic x2apic", icrs, " ")
		split("xAPIC x2APIC", names, " ")
		for (i = 1; i <= 2; i++) {
			line = ""
			for (p = 1; p <= pairs; p++) {
				for (k = 1; k <= 2; k++) {
					kernel = k == 1 ? "dsm" : "nodsm"
					key = p SUBSEP kernel SUBSEP icrs[i]
					if (cnt[key] != runs) {
						printf "ERROR: pair %d, %s, %s: %d runs, expected %d\n", p, kernel, icrs[i], cnt[key], runs > "/dev/stderr"
						exit 1
					}
					delete a
					for (r = 1; r <= runs; r++)
						a[r] = us[key, r]
					sort(a, runs)
					med[k, p] = q(a, runs, 0.5)
				}
				ratio[p] = med[1, p] / med[2, p]
				d = (ratio[p] - 1) * 100
				line = line sprintf(" %+.1f%%", d > -0.05 && d < 0.05 ? 0 : d)
			}
			for (k = 1; k <= 2; k++) {
				delete a
				for (p = 1; p <= pairs; p++)
					a[p] = med[k, p]
				sort(a, pairs)
				m[k] = q(a, pairs, 0.5); l[k] = q(a, pairs, 0.25); h[k] = q(a, pairs, 0.75)
			}
			delete a
			for (p = 1; p <= pairs; p++)
				a[p] = ratio[p]
			sort(a, pairs)
			rm = q(a, pairs, 0.5); rl = q(a, pairs, 0.25); rh = q(a, pairs, 0.75)
			d1 = dec(l[1], h[1]); d2 = dec(l[2], h[2]); d = dec(rl, rh)
			printf "%-6s %-22s %-22s %-20s%s\n", names[i],
				sprintf("%.*f [%.*f-%.*f]", d1, m[1], d1, l[1], d1, h[1]),
				sprintf("%.*f [%.*f-%.*f]", d2, m[2], d2, l[2], d2, h[2]),
				sprintf("%.*f [%.*f-%.*f]", d, rm, d, rl, d, rh), line
			bench[i] = sprintf("BENCH config=optout icr=%s with_us=%.*f without_us=%.*f ratio_median=%.*f ratio_q1=%.*f ratio_q3=%.*f pairs=%d runs=%d round_trips=%d",
				icrs[i], d1, m[1], d2, m[2], d, rm, d, rl, d, rh, pairs, runs, rounds)
		}
		for (i = 1; i <= 2; i++)
			print bench[i]
	}' "$@"
}

{
	echo "# $start, $("$qemu" --version | head -1) with qemu/*.patch"
	echo "# host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs, load average $load at the start"
	echo "# guest: -accel tcg,thread=single${icount:+ ${icount[*]}} -cpu max,la57=off -smp 2, kvm_amd, nested guests"
	[ ${#icount[@]} = 0 ] || echo "# times: emulated instructions, 1 ns each (-icount shift=0): 1 us = 1000 instructions"
	echo "# kernels: the test kernel (KASAN, lockdep), $rev of $TREE at the start, with and without CONFIG_KVM_DSM_IRQ_FORWARD"
	sed -n 's/^# # //p' "$dir/main.log" | grep -v '^\(TAP\|KTAP\|1\.\.\|ok \|Totals\|Planned\)'
	sed -n 's/^# \(BENCH .*\)/\1/p' "$dir/main.log"
	if [ "$pairs" != 0 ]; then
		echo
		optout "$dir"/optout-*.log
	fi
} >"$dir/bench.txt.new"
grep -q '^BENCH config=off ' "$dir/bench.txt.new" || die "no BENCH lines in $dir/main.log"
[ "$pairs" = 0 ] || grep -q '^BENCH config=optout ' "$dir/bench.txt.new" || die "no opt-out BENCH lines"
mv "$dir/bench.txt.new" "$out"
cat "$out"
msg "benchmark: $out (per run: the RUN lines of $dir/*.log)"
