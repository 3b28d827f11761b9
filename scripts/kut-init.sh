#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the kvm-unit-tests VM (busybox), written by scripts/kut-vm.sh.
# /kut/tests.sh, generated on the host from kvm-unit-tests' x86/unittests.cfg,
# calls kut_run once per test; each test runs as kvm-unit-tests' x86/run
# would run it, with qemu-system-x86_64 -machine accel=kvm: on this VM's KVM.
# Prints "KUT-RESULT pass|fail|skip NAME # why" per test.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
export PATH=/usr/bin:/bin:/usr/sbin:/sbin

result() { echo "KUT-RESULT $*"; }

# kut_run NAME SECONDS CHECK QEMU-ARGS...: one test.  CHECK is the test's
# "check =" line (PATH=VALUE...): the test is skipped unless each holds.
# The verdict follows kvm-unit-tests (scripts/runtime.bash, vmm.bash): the
# test leaves QEMU through isa-debug-exit with (status << 1) | 1, so 1 is a
# pass (unless QEMU printed an error), 77 a skip, anything else a failure.
kut_run() {
	name=$1 limit=$2 check=$3
	shift 3
	for c in $check; do
		if [ ! -f "${c%%=*}" ] || [ "$(cat "${c%%=*}")" != "${c#*=}" ]; then
			result "skip $name # ${c%%=*} is not ${c#*=}"
			return
		fi
	done
	if [ ! -c /dev/kvm ]; then
		result "fail $name # /dev/kvm is missing: KVM did not initialize"
		return
	fi
	echo "# $name: qemu-system-x86_64 $*"
	start=$(date +%s)
	(
		timeout -s KILL "$limit" qemu-system-x86_64 --no-reboot -nodefaults \
			-global kvm-pit.lost_tick_policy=discard \
			-device pc-testdev -device isa-debug-exit,iobase=0xf4,iosize=0x4 \
			-display none -serial stdio -device pci-testdev \
			-machine accel=kvm "$@" </dev/null 2>/tmp/err
		echo $? >/tmp/rc
	) | tr -d '\r' | tee /tmp/out | while IFS= read -r line; do
		echo "# [$(($(date +%s) - start)) s] $line"
	done
	sed 's/^/# stderr: /' /tmp/err
	rc=$(cat /tmp/rc) took="$(($(date +%s) - start)) s"
	summary=$(grep '^SUMMARY: ' /tmp/out | tail -n 1 | sed 's/^SUMMARY: //')
	errors=$(grep -vi warning /tmp/err | head -n 1)
	case $rc in
	1) if [ -n "$errors" ]; then
		result "fail $name # QEMU: $errors ($took)"
	   else
		result "pass $name # $summary ($took)"
	   fi ;;
	77) result "skip $name # $summary ($took)" ;;
	137) result "fail $name # timeout after $limit s: ${summary:-no summary}; last: $(grep -v '^$' /tmp/out | tail -n 1)" ;;
	0) result "fail $name # QEMU exited without the test's status: $(head -n 1 /tmp/err) ($took)" ;;
	*) result "fail $name # status $(((rc - 1) / 2)): ${summary:-no summary}${errors:+; QEMU: $errors} ($took)" ;;
	esac
}

echo "KUT-START $(uname -r)"
. /kut/tests.sh
echo "=== dmesg ==="
dmesg
echo "=== end of dmesg ==="
echo "DSM-VM-DONE"
# Let the console drain, then reboot: QEMU runs with -no-reboot, so it
# exits (poweroff would halt: the VM kernel finds no ACPI tables to power
# off with).
sleep 1
reboot -f
