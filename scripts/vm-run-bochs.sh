#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-run-bochs.sh TEST[:ARG...]...: boot the test kernel under Bochs (an
# emulated Intel Tiger Lake with VT-x, 2 CPUs, 2 GB), headless, from an
# isolinux ISO with the same initramfs as vm-run.sh; kvm_intel runs in it
# and the selftests' guests are nested.  Runs the tests, checks the guest
# kernel log and that kvm_intel initialized with APICv on (APICV=0: boots
# with kvm_intel.enable_apicv=0 and checks that it is off).
# Writes build/vm-bochs-MODE.log (console), build/vm-bochs-MODE.results
# ("pass|fail|skip MODE: NAME # ..."), MODE vmx-apicv or vmx-noapicv, and
# build/bochs/ (ISO, bochsrc, Bochs' own log).
# TIMEOUT: guest seconds per test (default 900; guest time runs about as
# fast as wall time here); VM_WALL: wall seconds for the whole boot
# (default 300 + TIMEOUT per test).  BOCHS_UNPATCHED=1: the snapshot
# without bochs/*.patch (see fetch-bochs.sh).
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/vm-lib.sh"

[ $# -gt 0 ] || die "usage: $0 TEST[:ARG...]...  (no shell mode under Bochs)"
for f in /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32; do
	[ -f "$f" ] || die "$f not found: apt-get install isolinux syslinux-common"
done
command -v xorriso >/dev/null || die "xorriso not found: apt-get install xorriso"

if [ "${APICV:-1}" = 0 ]; then
	# and no unrestricted guest: KVM emulates real mode with odd segments
	# (handle_invalid_guest_state(), dsm.emulated_real_mode)
	mode=vmx-noapicv apicv=N extra="kvm_intel.enable_apicv=0 kvm_intel.unrestricted_guest=0"
else
	mode=vmx-apicv apicv=Y extra=
fi
limit=${TIMEOUT:-900}
wall=${VM_WALL:-$((300 + limit * $#))}
# Bochs' TSC advances by one per instruction and the guest's timers by
# instruction count: the guest takes IPS as the TSC rate (tsc_early_khz).
# Bochs runs 1e8 to 2e8 instructions a second here: at 2e8 guest time
# passes about as fast as wall time, or slower.
ips=${BOCHS_IPS:-200000000}
out=$BUILD/bochs
log=$BUILD/vm-bochs-$mode.log results=$BUILD/vm-bochs-$mode.results
mkdir -p "$out"

# BOCHS_DIR=...: a Bochs of your own (its bin/bochs, share/bochs).
bochs_dir=${BOCHS_DIR:-$("$TOP/scripts/fetch-bochs.sh")}

vm_initramfs "$out/initramfs-$mode.cpio" "$@"
iso=$out/iso-$mode
rm -rf "$iso"
mkdir -p "$iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
cp "$VM_KERNEL" "$iso/bzImage"
cp "$out/initramfs-$mode.cpio" "$iso/initrd"
# Bochs emulates the serial line's baud rate (in guest time): 115200, not
# the kernel's default 9600, and /init prints only the kernel's warnings and
# worse at the end (the console showed them as they came, loglevel=5).
# clearcpuid=aperfmperf: Bochs sets the CPUID bit but has no such MSRs.
cat >"$iso/isolinux/isolinux.cfg" <<EOF
DEFAULT dsm
PROMPT 0
LABEL dsm
  KERNEL /bzImage
  APPEND initrd=/initrd console=ttyS0,115200 panic=-1 loglevel=5 tsc_early_khz=$((ips / 1000)) clearcpuid=aperfmperf $extra $VM_APPEND dsm.timeout=$limit dsm.dmesg_level=4
EOF
xorriso -as mkisofs -quiet -o "$out/$mode.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table "$iso" 2>"$out/xorriso.log" ||
	die "xorriso failed to make $out/$mode.iso (see $out/xorriso.log)"

cat >"$out/bochsrc-$mode" <<EOF
display_library: nogui
cpu: model=tigerlake, count=2, ips=$ips, reset_on_triple_fault=1
memory: guest=2048, host=2048
romimage: file=$bochs_dir/share/bochs/BIOS-bochs-latest
vgaromimage: file=$bochs_dir/share/bochs/VGABIOS-lgpl-latest.bin
pci: enabled=1, chipset=i440fx
ata0-master: type=cdrom, path="$out/$mode.iso", status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev="$log"
clock: sync=none, time0=utc
log: $out/bochs-$mode.out
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
EOF

msg "booting Bochs (kvm_intel, APICv $apicv) for $# test(s), at most $wall s; console in $log"
msg "kernel of $(date -r "$VM_KERNEL" '+%F %T'), selftests of $(date -r "$VM_KST/kvm" '+%F %T')"
rm -f "$log"
start=$(date +%s)
"$bochs_dir/bin/bochs" -q -f "$out/bochsrc-$mode" </dev/null >"$out/bochs-$mode.stdout" 2>&1 &
pid=$!
# Bochs does not stop at a reboot (QEMU: -no-reboot), and the test kernel
# has no ACPI power-off (no PCI: the DSDT does not load): stop it at the
# kernel's last words, "reboot: Restarting system" after /init's reboot -f.
why=
while kill -0 $pid 2>/dev/null; do
	if [ $(($(date +%s) - start)) -ge "$wall" ]; then
		why="timed out after $wall s"
	elif grep -q 'Kernel panic - not syncing' "$log" 2>/dev/null; then
		why="the guest kernel panicked"
		sleep 5	# the rest of the panic message
	elif grep -q '\] reboot: ' "$log" 2>/dev/null; then
		why="the guest halted"
	else
		sleep 1
		continue
	fi
	kill $pid 2>/dev/null
	break
done
rc=0
wait $pid || rc=$?
[ -n "$why" ] || why="Bochs exited with $rc (see $out/bochs-$mode.out)"
msg "Bochs ran $(($(date +%s) - start)) s"
[ -f "$log" ] || touch "$log"

vm_results "$log" "$results" "$mode: " "$@"
vm_check_log "$log" "$results" "$mode: " "$why"
params=$(grep -m 1 '^KVM-PARAMS kvm_intel:' "$log" || true)
if [ -z "$params" ]; then
	echo "fail $mode: kvm_intel # kvm_intel did not initialize: no VMX in the emulated CPU?" >>"$results"
	grep -E 'kvm_intel|kvm:' <<<"$VM_DMESG" | head -n 5 | sed 's/^/    /' >>"$results"
else
	grep -Eo ' (enable_apicv|enable_ipiv|ept|vpid|unrestricted_guest|flexpriority|enable_shadow_vmcs|pml)=[YN]' <<<"$params" |
		tr -d '\n' | sed 's/^/# kvm_intel:/; s/$/\n/' >&2
	grep -q " enable_apicv=$apicv" <<<"$params" ||
		echo "fail $mode: kvm_intel # enable_apicv is not $apicv: $(grep -Eo 'enable_apicv=.' <<<"$params")" >>"$results"
	if [ $apicv = N ]; then
		grep -q " unrestricted_guest=N" <<<"$params" ||
			echo "fail $mode: kvm_intel # unrestricted_guest is not N" >>"$results"
		! grep -q '^# # *RUN .*dsm.emulated_real_mode' "$log" ||
			grep -q 'KVM emulates this code' "$log" ||
			echo "fail $mode: dsm.emulated_real_mode # ran, but not in KVM's emulator" >>"$results"
	fi
fi

grep -E '^(pass|fail|skip) ' "$results" | sed 's/^/    /' >&2
! grep -q '^fail ' "$results"
