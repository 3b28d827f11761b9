#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test VM (busybox).  Kernel command line:
#   dsm.tests=x86/a,x86/b  selftests to run, from /kselftest/kvm; arguments
#                          follow the name, with ':' for spaces (x86/a:-b)
#   dsm.timeout=SECONDS    time limit of each test
#   dsm.shell=1            a shell on the console instead
#   dsm.dmesg_level=N      print only the kernel messages of level 0 to N at
#                          the end (a slow serial console: Bochs)
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run

for arg in $(cat /proc/cmdline); do
	case $arg in
	dsm.tests=*) tests=$(echo "${arg#dsm.tests=}" | tr , ' ') ;;
	dsm.timeout=*) limit=${arg#dsm.timeout=} ;;
	dsm.shell=1) shell=1 ;;
	dsm.dmesg_level=*) dmesg_level=${arg#dsm.dmesg_level=} ;;
	esac
done

if [ -n "$shell" ]; then
	echo "Selftests are in /kselftest/kvm; 'reboot -f' leaves the VM."
	setsid cttyhack sh
	reboot -f
fi

# The parameters of the KVM vendor module in use (APICv, EPT, ...).
if [ -c /dev/kvm ]; then
	grep -qw vmx /proc/cpuinfo && m=kvm_intel || m=kvm_amd
	echo "KVM-PARAMS $m:" $(cd /sys/module/$m/parameters && grep -H . * 2>/dev/null | tr : =)
fi

set -- $tests
echo "KTAP version 1"
echo "1..$#"
n=0
for spec in "$@"; do
	n=$((n + 1))
	t=${spec%%:*}
	args=$(echo "${spec#"$t"}" | tr : ' ')
	name="$t$args"
	if [ ! -c /dev/kvm ]; then
		echo "not ok $n $name # /dev/kvm is missing: KVM did not initialize (no SVM/VMX in the emulated CPU?)"
		continue
	fi
	if [ ! -x "/kselftest/kvm/$t" ]; then
		echo "not ok $n $name # not in the initramfs (not built?)"
		continue
	fi
	echo "# $name"
	start=$(date +%s)
	(
		cd "/kselftest/kvm/$(dirname "$t")" &&
		# shellcheck disable=SC2086 # $args: words of the spec
		timeout -s KILL "${limit:-300}" "./$(basename "$t")" $args 2>&1
		echo $? >/tmp/rc
	) | tee /tmp/out | sed 's/^/# /'
	rc=$(cat /tmp/rc)
	# The points the test skipped, one line each: the host decides which
	# skips this CPU explains (vm_results in vm-lib.sh).
	grep '^ok [0-9]* .* # SKIP' /tmp/out | sed "s|^ok [0-9]* \([^ ]*\) # SKIP *|SKIPPED-POINT $name: \1 # |"
	took="$(($(date +%s) - start)) s"
	case $rc in
	0) echo "ok $n $name # $took" ;;
	4) echo "ok $n $name # SKIP ($took)" ;;
	137) echo "not ok $n $name # TIMEOUT after ${limit:-300} s" ;;
	*) echo "not ok $n $name # exit code $rc ($took)" ;;
	esac
done

echo "=== dmesg ==="
if [ -n "$dmesg_level" ]; then
	dmesg -r | sed -n "s/^<[0-$dmesg_level]>//p"
else
	dmesg
fi
echo "=== end of dmesg ==="
echo "DSM-VM-DONE"
# Let the console drain (Bochs emulates its baud rate), or the end of the
# log is lost; the reboot ends QEMU (-no-reboot), vm-run-bochs.sh ends Bochs.
sleep 1
reboot -f
