#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kut.sh [TEST...]: the kvm-unit-tests stage.  Runs the APIC and IPI tests
# of kvm-unit-tests' x86/unittests.cfg (TEST..., default below) in the test
# VM with QEMU and KVM inside it (kut-vm.sh), on the test kernel (the series,
# CONFIG_KVM_DSM_IRQ_FORWARD=y: build/obj-vm) and on the base kernel without
# the series (build-base-kernel.sh), and compares: a test that fails with
# the series must fail the same way on the base, and then it is a failure
# of the emulator, listed with its reason below (or it fails the stage
# until someone finds the reason).  A test whose verdict is a failure runs
# once more on both kernels, and the second verdict counts (some checks
# depend on timing).  Writes build/kut.results:
#   pass kut: NAME # what passed (and how the base did)
#   skip kut: NAME # fails on both kernels: the reason
#   fail kut: NAME # a new failure, or one on both with no known reason
# and the consoles in build/kut/{patched,base}.log (the first run in
# {patched,base}-first.log when a test ran again).
. "$(dirname "$0")/lib.sh"
need_tree

# The tests of x86/unittests.cfg that touch the local APIC or send IPIs:
# the APIC itself (xAPIC, x2APIC: IPIs in every destination mode, NMIs,
# timer, APIC base and ID), the IOAPIC, IPIs between CPUs, TPR (CR8) and
# self-IPI exits, the TSC deadline timer, event injection with self-IPIs,
# the x2APIC MSRs, the APIC timer with #DB, SynIC and its timers (Hyper-V
# interrupts go through the local APIC), interrupt remapping to it.  Not
# here: the vmx tests (the emulated CPU is an AMD one, no VT-x), the svm
# tests (a third level of virtualization: hours under emulation), pmu
# (no PMU in the emulated CPU: kvm.enable_pmu=N) and i386-only tests.
# NAME:SECONDS sets a test's time limit (default KUT_TIMEOUT, 120 s): the
# tests that never end under emulation (see below) are cut short.  debug
# runs last: under QEMU's SVM emulation its hardware breakpoints outlive its
# VM (the next VM, hyperv_connections, took a #DB at the debug test's
# address, on either kernel).
[ $# != 0 ] || set -- xapic:240 x2apic:90 ioapic smptest smptest3 vmexit_ipi \
	vmexit_ipi_halt vmexit_mov_from_cr8 vmexit_mov_to_cr8 vmexit_tscdeadline:60 \
	vmexit_tscdeadline_immed eventinj msr msr64 hyperv_synic \
	hyperv_connections:180 hyperv_stimer hyperv_stimer_direct intel_iommu debug:60
tests=("$@")

# Failures on both kernels, and why: the emulator, not KVM or the series.
# Established by running the test on plain TCG (no KVM) where it can run.
nmi='the time limit: test_sti_nmi (30,000 NMIs) and test_multiple_nmi (100,000 NMI handshakes between the two vCPUs through memory) take hours when QEMU runs the vCPUs of the VM in turns (single-threaded TCG); the checks up to there are compared one by one, the NMI, timer, APIC ID and APIC base checks after them are not reached'
declare -A known=(
	[xapic]=$nmi
	[x2apic]=$nmi
	[vmexit_tscdeadline]="QEMU's SVM emulation gives the nested guest a TSC tens of billions of cycles ahead of the one KVM computes for it (kvm-unit-tests tsc_adjust: RDTSC right after writing 0 to IA32_TSC read 70229139825 here), so a TSC deadline 3000 cycles ahead fires tens of seconds later and the test's loop cannot end"
	[eventinj]="the 3 checks where INT \$33 faults while being delivered (#NP, #PF on the stack) and must be retried: not retried in the nested guest; the test passes on plain TCG, and QEMU's SVM has no NRIP save (kvm_amd nrips=0), which KVM needs to re-inject a software interrupt"
	[msr]="TCG's WRMSR takes a non-canonical FS_BASE without #GP (the same on plain TCG; KVM does not intercept FS_BASE on SVM), and the guest dies at the GS_BASE case after it (triple fault)"
	[msr64]="TCG's WRMSR takes a non-canonical FS_BASE without #GP (the same on plain TCG; KVM does not intercept FS_BASE on SVM), and the guest dies at the GS_BASE case after it (triple fault)"
	[debug]="plain TCG fails the same two single-step-over-STI checks and hangs at the same place (single-step over ICEBP with MOV SS blocking)"
)

start=$SECONDS
out=$BUILD/kut
mkdir -p "$out"
rm -f "$out"/*-first.* "$out"/first-*.verdict
"$TOP/scripts/fetch-kut.sh" >/dev/null
[ -f "$OBJ_VM/arch/x86/boot/bzImage" ] || die "no test kernel in $OBJ_VM: run 'make' first"
# Copies: a rebuild of a kernel while the VMs run changes nothing here.
cp "$OBJ_VM/arch/x86/boot/bzImage" "$out/bzImage-patched"
cp "$("$TOP/scripts/build-base-kernel.sh")" "$out/bzImage-base"

for k in patched base; do
	"$TOP/scripts/kut-vm.sh" "$out/bzImage-$k" "$out/$k" "${tests[@]}" 2>&1 | sed -u "s/^/[$k] /" >&2
done
tests=("${tests[@]%%:*}")

# checks K NAME: the report lines of test NAME on kernel K ("PASS: what",
# "FAIL: what", ...), numbers as N (counts and addresses differ from run to
# run under emulation), each what numbered by its occurrence.  QEMU's SVM
# emulation now and then delivers an interrupt twice (README, notes on the
# test VM), on both kernels: a logical-mode IPI check of apic.c that failed
# only because IPIs arrived twice ("Want N IPI(s) ... got M IPI(s)", M > N)
# is "DUP:", which compares as a pass; a lost IPI (M < N) stays a failure.
checks() {
	awk -v t="$2" '$0 ~ "^# " t ": qemu" { p = 1; next } /^KUT-RESULT / { p = 0 }
		!p || !/^# \[[0-9]+ s\] [A-Z]+: / { next }
		{ sub(/^# \[[0-9]+ s\] /, "") }
		/^FAIL: Want [0-9]+ IPI\(s\) .* got [0-9]+ IPI\(s\)$/ {
			if ($(NF - 1) + 0 > $3 + 0) { dup++; next }
			lost++ }
		/^FAIL: IPI to / && dup && !lost { sub(/^FAIL:/, "DUP:") }
		/^[A-Z]+: IPI to / { dup = lost = 0 }
		{ print }' "$out/$1.log" |
		sed -E 's/\b(0x)?[0-9a-f]*[0-9][0-9a-f]*\b/N/g' | awk '{ print $0 " #" ++n[$0] }'
}
# newly_failed NAME: the checks that fail with the series and pass on the
# base; a check the base run did not reach (a time limit) is not compared.
newly_failed() {
	awk 'NR == FNR { st = $1; sub(/^[A-Z]+: /, ""); base[$0] = st; next }
		$1 == "FAIL:" { w = $0; sub(/^FAIL: /, "", w); if (base[w] == "PASS:" || base[w] == "DUP:") print w }' \
		<(checks base "$1") <(checks patched "$1") | sed 's/ #[0-9]*$//'
}
# dups K NAME: how many IPIs test NAME saw twice on kernel K.
dups() {
	awk -v t="$2" '$0 ~ "^# " t ": qemu" { p = 1; next } /^KUT-RESULT / { p = 0 }
		p && sub(/^# \[[0-9]+ s\] FAIL: Want /, "") && / got [0-9]+ IPI\(s\)$/ && $(NF - 1) + 0 > $1 + 0 { n++ }
		END { print n + 0 }' "$out/$1.log"
}
status() { sed -n "s/^\([a-z]*\) $2 # .*/\1/p" "$out/$1.results" | head -n 1; }
why() { sed -n "s/^[a-z]* $2 # //p" "$out/$1.results" | head -n 1; }

# verdict NAME: the result line(s) of test NAME from the runs $out/patched
# and $out/base.
verdict() {
	local t=$1 p b new d
	p=$(status patched "$t") b=$(status base "$t")
	new=$(newly_failed "$t")
	if [ -n "$new" ]; then
		echo "fail kut: $t # $(why patched "$t"); checks that pass on the base fail:"
		sed 's/^/    /' <<<"$new"
	elif [ "$p" = pass ] || { [ "$p" = skip ] && [ "$b" = skip ]; }; then
		echo "$p kut: $t # $(why patched "$t")${b:+; base: $b}"
	elif [ "$b" = pass ]; then
		echo "fail kut: $t # $(why patched "$t"); passes on the base"
	elif [ -n "${known[$t]:-}" ]; then
		d=$(dups patched "$t")
		[ "$d" = 0 ] && d= || d=" ($d IPIs delivered twice by the emulator)"
		echo "skip kut: $t # fails on both kernels, the same way$d: ${known[$t]}"
	else
		echo "fail kut: $t # fails on both kernels, no known reason: $(why patched "$t"); base: $(why base "$t")"
	fi
}

results=$BUILD/kut.results
: >"$results"
retry=()
for t in "${tests[@]}"; do
	v=$(verdict "$t")
	if grep -q '^fail ' <<<"$v"; then
		retry+=("$t")
		printf '%s\n' "$v" >"$out/first-$t.verdict"
	else
		printf '%s\n' "$v" >>"$results"
	fi
done

# Some checks depend on timing (README) and fail now and then on either
# kernel on a busy host: a test that failed is run once more on both
# kernels, and only that second verdict counts; the line says so.
if [ ${#retry[@]} -gt 0 ]; then
	msg "running again on both kernels: ${retry[*]}"
	specs=()
	for spec in "$@"; do
		for t in "${retry[@]}"; do [ "${spec%%:*}" != "$t" ] || specs+=("$spec"); done
	done
	for k in patched base; do
		mv "$out/$k.log" "$out/$k-first.log"
		mv "$out/$k.results" "$out/$k-first.results"
		"$TOP/scripts/kut-vm.sh" "$out/bzImage-$k" "$out/$k" "${specs[@]}" 2>&1 | sed -u "s/^/[$k, again] /" >&2
	done
	for t in "${retry[@]}"; do
		first=$(sed '1s/^fail kut: [^ ]* # //; s/^    //' "$out/first-$t.verdict" | paste -sd ' ')
		verdict "$t" | sed "1s/\$/ (the first run failed: $(sed 's/[\/&]/\\&/g' <<<"$first"))/"
	done >>"$results"
fi
# The VM and its kernel log, with the series (each run of it).
for r in "$out/patched-first.results" "$out/patched.results"; do
	[ -f "$r" ] || continue
	grep -E '^fail (vm|kernel-log) ' "$r" | sed 's/^fail /fail kut: /' >>"$results" || true
	grep -A5 -E '^fail (vm|kernel-log) ' "$r" | grep '^    ' >>"$results" || true
done
t=$((SECONDS - start))
msg "kvm-unit-tests: ${#tests[@]} tests on two kernels in $((t / 60)) min $((t % 60)) s; $results"
cat "$results"
! grep -q '^fail ' "$results"
