#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the guest that kvmtool boots in the test VM (busybox), see
# scripts/kvmtool-vm-test.sh.  Kernel command line:
#   dsm.rounds=N         rounds of the IPI workload (0: none)
#   dsm.pairs=A:B,C:D    the CPUs that play pipe ping-pong (on different nodes)
# It prints GUEST-* lines for the test, the IRQ counts of /proc/interrupts
# before and after the workload, its kernel log, and resets the machine:
# kvmtool has no ACPI, "reboot -f" (reboot=k: the i8042) ends its session.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

# The console is node 0's: print from CPU 0, which node 0 runs (from any
# other CPU every character would be a port write forwarded to node 0).
taskset -p 1 $$ >/dev/null

rounds=0 pairs=
for arg in $(cat /proc/cmdline); do
	case $arg in
	dsm.rounds=*) rounds=${arg#dsm.rounds=} ;;
	dsm.pairs=*) pairs=$(echo "${arg#dsm.pairs=}" | tr , ' ') ;;
	esac
done

# One line per IPI counter: NAME count-on-CPU0 count-on-CPU1 ...
ipis() {
	awk '$1 == "RES:" || $1 == "CAL:" || $1 == "TLB:" {
		line = substr($1, 1, 3)
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) line = line " " $i
		print line }' /proc/interrupts
}

echo "GUEST-UP $(cut -d' ' -f1 /proc/uptime) s"
echo "GUEST-ONLINE $(cat /sys/devices/system/cpu/online) of $(cat /sys/devices/system/cpu/possible)"
echo "GUEST-APIC $(dmesg | grep -q 'x2apic enabled' && echo x2apic || echo xapic)"
if [ "$rounds" -gt 0 ]; then
	ipis >/tmp/before
	# shellcheck disable=SC2086 # $pairs: words
	/bin/ipi-workload "$rounds" $pairs >/tmp/workload 2>&1
	echo "GUEST-WORKLOAD-RC $?"
	sed 's/^/GUEST-/' /tmp/workload
	ipis >/tmp/after
	# The delta of each counter on each CPU
	awk 'NR == FNR { for (i = 2; i <= NF; i++) b[$1, i] = $i; next }
	     { line = "GUEST-IPIS " $1
	       for (i = 2; i <= NF; i++) line = line " " ($i - b[$1, i])
	       print line }' /tmp/before /tmp/after
fi
echo "=== guest dmesg ==="
dmesg
echo "=== end of guest dmesg ==="
reboot -f
