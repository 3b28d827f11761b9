#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvmtool-vm-test.sh: runs in the test VM (busybox): boots an unmodified Linux
# guest with kvmtool (lkvm), its vCPUs split over several lkvm processes
# ("nodes") that share its RAM; every IPI between nodes goes through
# KVM_EXIT_DSM_SEND_IRQ and the reinjection ioctls.  scripts/check-kvmtool.sh
# puts it in the initramfs as /kselftest/kvm/kvmtool/check, with lkvm, the
# guest kernel and its initramfs in /kvmtool.
#
#   check boots NAME APIC MAP BOOTS ROUNDS
#	BOOTS boots of the guest with the node map MAP (the node of each
#	vCPU, e.g. 0-0-1-1), APIC x2apic or xapic (nox2apic), each running
#	ROUNDS rounds of the IPI workload (scripts/ipi-workload.c).  A boot
#	passes if every vCPU comes online in the expected APIC mode, the
#	workload passes and sends rescheduling, function-call and
#	TLB-shootdown IPIs on every CPU, every node's counts of DSM exits and
#	reinjections are KVM's (binary stats), every lkvm exits 0, and the
#	guest kernel log has no splat; in the first boot, "lkvm debug --all
#	--dump" while the guest runs dumps every vCPU once, each by its node.
#   check bench NAME APIC MAP RUNS ROUNDS
#	RUNS times, alternately: the workload with all vCPUs in one lkvm
#	process, then split as MAP.  BENCH lines with the times and counts.
#
# Prints "RESULT pass|fail kvmtool: NAME # why" lines; exits 1 on a failure.
# The test VM runs on QEMU with qemu/*.patch (check-kvmtool.sh sees to it):
# on Debian's QEMU 7.2, about one boot in 10 to 25 dies of an interrupt
# delivered twice, and about one in 30 hangs on a lost interrupt request
# of the test VM's local APIC (qemu/README.md).
# (Maps use "-": vm-init.sh splits the arguments of a test on ":".)

dir=/kvmtool
out=/tmp/kvmtool
lkvm=$dir/lkvm
sock=/tmp/kvmtool-node
limit=${KVMTOOL_BOOT_LIMIT:-300}
splat='WARNING:|BUG:|BUG |Oops|KASAN|UBSAN|Kernel panic|general protection fault|possible (recursive|circular) locking|INFO: task .* blocked|Call Trace:'
export HOME=/tmp

# The CPUs that play ping-pong: each CPU of node 0 with a CPU of another
# node, in turn.  MAP: n,n,...
pairs() {
	echo "$1" | tr , '\n' | awk '
		{ node[NR - 1] = $1; if ($1) other[n++] = NR - 1 }
		END { for (c = 0; c < NR; c++)
			if (node[c] == 0 && n) { printf "%s%d:%d", sep, c, other[k++ % n]; sep = "," } }'
}

# watch_boot DIR PID: if PID (node 0's lkvm) still runs after KVMTOOL_WATCH
# seconds (default 120; a boot takes 10 to 40), print (and keep in DIR/hang)
# what every lkvm thread does, where every vCPU is, and the test VM's timer
# interrupts per CPU, once: a hang says where it is, even one that the time
# limit cannot end.
watch_boot() {
	w=0
	while [ "$w" -lt "${KVMTOOL_WATCH:-120}" ]; do
		sleep 1
		kill -0 "$2" 2>/dev/null || return 0
		w=$((w + 1))
	done
	{
		echo "=== a boot that runs for ${KVMTOOL_WATCH:-120} s: $(date +%s)"
		grep -E '^ *(LOC|RES|CAL):' /proc/interrupts
		for p in $(grep -l '^lkvm$' /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3); do
			for t in /proc/"$p"/task/*; do
				echo "lkvm $p thread ${t##*/} $(cut -d' ' -f3 "$t/stat") $(cat "$t/wchan" 2>/dev/null)"
				cat "$t/stack" 2>/dev/null | head -12 | sed 's/^/    /'
			done
		done
		echo "where each vCPU is (lkvm debug --all --dump):"
		timeout -s KILL 20 "$lkvm" debug --all --dump 2>&1 | grep -E '^ (Registers|rip|cr0)'
		sleep 5
		grep -E '^ *(LOC):' /proc/interrupts
	} 2>&1 | tee "$1/hang" | sed 's/^/HANG: /'
}

# dump_vcpus DIR PID: once the guest's /init runs, and while PID (node 0's
# lkvm) runs, "lkvm debug --all --dump": every node dumps the registers of
# the vCPUs it runs (a node must not signal its shadows, which have no
# thread) into DIR/dump.
dump_vcpus() {
	w=0
	until grep -q '^GUEST-UP' "$1/node0.log" 2>/dev/null; do
		kill -0 "$2" 2>/dev/null && [ "$w" -lt 600 ] || return 0
		sleep 0.2
		w=$((w + 1))
	done
	"$lkvm" debug --all --dump >"$1/dump" 2>&1
}

# boot DIR MAP APIC ROUNDS PAIRS: one boot, logs in DIR (node0.log is
# the guest's console, node0-lkvm.log what node 0's lkvm says: apart, so
# that its messages, such as a dump's warnings, never cut a guest line);
# sets rc0, rcs (the other nodes' exit codes), secs
boot() {
	bdir=$1 map=$2 apic=$3 rounds=$4 pairs=$5
	nodes=$(echo "$map" | tr , '\n' | sort -u | wc -l)
	# kvmtool adds tsc_early_khz= (no PIT, HPET or PM timer to calibrate
	# against) and its defaults.  tsc=reliable: every vCPU of every node
	# has the same TSC (kvmtool/0004), and the guest has no other clock to
	# check it against.  noxsave: kvmtool passes KVM_GET_SUPPORTED_CPUID's
	# leaf 0xD through, which in this nested setup (QEMU's emulated CPU) is
	# inconsistent; the guest then disables XSAVE with a warning, on a path
	# of 7.3.4 (fpu__init_disable_system_xstate()) that writes over
	# init_cred.  Checked: without noxsave the guest dies in its boot
	# (prepare_creds() from rest_init(), a NULL pointer in its credentials)
	# with one lkvm process and one vCPU too: the base kernel, not node mode.
	# loglevel=4 and 8250.nr_uarts=1 only keep the console short.
	params="loglevel=4 tsc=reliable noxsave 8250.nr_uarts=1 dsm.rounds=$rounds dsm.pairs=$pairs"
	[ "$apic" = xapic ] && params="$params nox2apic"
	mkdir -p "$bdir"
	rm -f "$sock".*
	start=$(date +%s)
	pids=
	n=1
	while [ "$n" -lt "$nodes" ]; do
		timeout -s KILL "$limit" "$lkvm" run --node "$n" --node-map "$map" \
			--node-socket "$sock" -m 256 \
			>"$bdir/node$n.log" 2>&1 </dev/null &
		pids="$pids $!"
		n=$((n + 1))
	done
	timeout -s KILL "$limit" "$lkvm" run --node 0 --node-map "$map" \
		--node-socket "$sock" -m 256 \
		--console serial -k "$dir/bzImage" -i "$dir/guest.cpio" -p "$params" \
		>"$bdir/node0.log" 2>"$bdir/node0-lkvm.log" </dev/null &
	pid0=$!
	watch_boot "$bdir" "$pid0" &
	watcher=$!
	dumper=
	if [ -n "${dump:-}" ]; then
		: >"$bdir/dump-wanted"
		dump_vcpus "$bdir" "$pid0" &
		dumper=$!
	fi
	wait "$pid0"
	rc0=$?
	wait "$watcher" $dumper
	rcs=
	for pid in $pids; do
		wait "$pid"
		rcs="$rcs $?"
	done
	secs=$(($(date +%s) - start))
	tr -d '\r' <"$bdir/node0.log" >"$bdir/console" && mv "$bdir/console" "$bdir/node0.log"
}

# check_boot DIR MAP APIC ROUNDS: prints why the boot failed, nothing if it
# passed.
check_boot() {
	bdir=$1 map=$2 apic=$3 rounds=$4
	log=$bdir/node0.log
	cpus=$(echo "$map" | tr , '\n' | wc -l)
	all="0-$((cpus - 1))"
	[ "$cpus" = 1 ] && all=0
	[ "$rc0" = 0 ] || echo "lkvm of node 0 exited with $rc0"
	n=1
	for rc in $rcs; do
		[ "$rc" = 0 ] || echo "lkvm of node $n exited with $rc"
		n=$((n + 1))
	done
	if [ -f "$bdir/dump-wanted" ]; then
		n=$(grep -c '^ Registers:' "$bdir/dump" 2>/dev/null)
		[ "${n:-0}" = "$cpus" ] ||
			echo "lkvm debug --all --dump dumped ${n:-0} of $cpus vCPUs: $(grep -v '^ ' "$bdir/dump" 2>/dev/null | head -n 2 | tr '\n' ' ')"
	fi
	grep -q "^GUEST-ONLINE $all of $all\$" "$log" ||
		echo "not every vCPU came online: $(grep '^GUEST-ONLINE' "$log" || echo 'no guest')"
	grep -q "^GUEST-APIC $apic\$" "$log" ||
		echo "the guest is not in $apic mode: $(grep '^GUEST-APIC' "$log")"
	if [ "$rounds" -gt 0 ]; then
		grep -q '^GUEST-WORKLOAD-RC 0$' "$log" || echo "the workload failed"
		for ipi in RES CAL TLB; do
			grep "^GUEST-IPIS $ipi " "$log" | awk -v n="$cpus" '
				{ for (i = 3; i < 3 + n; i++) if (!($i > 0)) bad = 1 }
				END { if (NR != 1 || bad) exit 1 }' ||
				echo "no $ipi IPIs on some CPU: $(grep "^GUEST-IPIS $ipi " "$log")"
		done
	fi
	# "node N: X DSM exits (KVM: X), Y reinjections (KVM: Y); ..."
	cat "$bdir"/node*.log |
		sed -n 's/.*node \([0-9]*\): \([0-9]*\) DSM exits (KVM: \([-0-9]*\)), \([0-9]*\) reinjections (KVM: \([-0-9]*\)).*/\1 \2 \3 \4 \5/p' |
		awk -v nodes="$(echo "$map" | tr , '\n' | sort -u | wc -l)" '
		$2 != $3 || $4 != $5 { print "node " $1 " counted " $2 " DSM exits and " $4 " reinjections, KVM " $3 " and " $5 }
		END { if (NR != nodes) print NR " of " nodes " nodes printed their counts" }'
	sed -n '/^=== guest dmesg ===$/,/^=== end of guest dmesg ===$/p' "$log" >"$bdir/dmesg"
	grep -q '^=== end of guest dmesg ===$' "$bdir/dmesg" || echo "the guest did not finish"
	grep -Eq "$splat" "$bdir/dmesg" && echo "the guest kernel log has a splat: $(grep -E -m 1 "$splat" "$bdir/dmesg")"
	grep -h -E 'Fatal|Error' "$bdir"/node*.log | head -3
}

# The sum over the nodes' count lines of the number before WORDS: sum DIR WORDS
sum() {
	cat "$1"/node*.log | grep 'Info: node [0-9]*: [0-9]* DSM exits' |
		sed -n "s/.* \([0-9][0-9]*\) $2.*/\1/p" | awk '{ s += $1 } END { print s + 0 }'
}

cmd_boots() {
	name=$1 apic=$2 map=$3 boots=$4 rounds=$5
	pairs=$(pairs "$map")
	passed=0 i=1 why=
	echo "kvmtool: $name: $boots boots, node map $map, $apic, workload $rounds rounds, pairs $pairs"
	while [ "$i" -le "$boots" ]; do
		bdir=$out/$name/boot$i
		# The first boot also dumps the vCPUs' registers (lkvm debug).
		dump=
		[ "$i" = 1 ] && dump=1
		boot "$bdir" "$map" "$apic" "$rounds" "$pairs"
		fails=$(check_boot "$bdir" "$map" "$apic" "$rounds")
		if [ -z "$fails" ]; then
			passed=$((passed + 1))
			echo "boot $i: pass in $secs s, guest up at $(sed -n 's/^GUEST-UP //p' "$bdir/node0.log"), workload $(sed -n 's/^GUEST-WORKLOAD-MS //p' "$bdir/node0.log") ms, $(sum "$bdir" "DSM exits") DSM exits, IPIs by CPU:$(sed -n 's/^GUEST-IPIS / /p' "$bdir/node0.log" | tr '\n' ',' | sed 's/,$//')"
		else
			echo "boot $i: FAIL in $secs s:"
			echo "$fails" | sed 's/^/    /'
			why=$(echo "$fails" | head -1)
			first=$(grep -E -n -m 1 "$splat" "$bdir/dmesg" | cut -d: -f1)
			if [ -n "$first" ]; then
				echo "--- the guest kernel log from its first splat:"
				tail -n +$((first > 10 ? first - 10 : 1)) "$bdir/dmesg" | head -n 50
			fi
			echo "--- node 0 (the guest's console), last lines:"
			tail -n 40 "$bdir/node0.log"
			for f in "$bdir"/node0-lkvm.log "$bdir"/node[1-9]*.log; do
				[ -f "$f" ] && { echo "--- $f:"; tail -n 10 "$f"; }
			done
			[ -f "$bdir/hang" ] && { echo "--- $bdir/hang:"; cat "$bdir/hang"; }
		fi
		i=$((i + 1))
	done

	# The key lines of the last boot that passed, for the report
	last='' i=$boots
	while [ -z "$last" ] && [ "$i" -ge 1 ]; do
		[ -z "$(check_boot "$out/$name/boot$i" "$map" "$apic" "$rounds" 2>/dev/null)" ] &&
			last=$out/$name/boot$i
		i=$((i - 1))
	done
	if [ -n "$last" ]; then
		echo "key lines of $last:"
		grep -h -E 'Info: node|x2apic enabled|Switched APIC routing|smp: Brought up|smpboot: Total|IO-APIC|NULL legacy PIC|tsc: Detected|^GUEST-' "$last"/node*.log |
			grep -v 'GUEST-UP' | sed 's/^/    /'
	fi

	if [ "$passed" = "$boots" ]; then
		echo "RESULT pass kvmtool: $name # $passed/$boots boots"
	else
		echo "RESULT fail kvmtool: $name # $passed/$boots boots; $why"
		return 1
	fi
}

cmd_bench() {
	name=$1 apic=$2 map=$3 runs=$4 rounds=$5
	one=$(echo "$map" | sed 's/[0-9][0-9]*/0/g')
	pairs=$(pairs "$map")
	i=1 fail=0
	echo "kvmtool: $name: $runs runs each of one process ($one) and split ($map), $apic, $rounds rounds, pairs $pairs"
	while [ "$i" -le "$runs" ]; do
		for m in "$one" "$map"; do
			if [ "$m" = "$one" ]; then what=one; else what="split"; fi
			bdir=$out/$name/$what$i
			boot "$bdir" "$m" "$apic" "$rounds" "$pairs"
			fails=$(check_boot "$bdir" "$m" "$apic" "$rounds")
			if [ -n "$fails" ]; then
				echo "$what run $i: FAIL:"
				echo "$fails" | sed 's/^/    /'
				echo "--- node 0 (the guest's console), last lines:"
				tail -n 60 "$bdir/node0.log"
				[ -f "$bdir/hang" ] && { echo "--- $bdir/hang:"; cat "$bdir/hang"; }
				fail=1
				continue
			fi
			echo "BENCH $name $what ms=$(sed -n 's/^GUEST-WORKLOAD-MS //p' "$bdir/node0.log") exits=$(sum "$bdir" "DSM exits") cross=$(sum "$bdir" "exits for IPIs to another node") reinjections=$(sum "$bdir" "reinjections") ipis=$(sed -n 's/^GUEST-IPIS //p' "$bdir/node0.log" | awk '{ for (i = 2; i <= NF; i++) s += $i } END { print s }')"
		done
		i=$((i + 1))
	done
	if [ "$fail" = 0 ]; then
		echo "RESULT pass kvmtool: $name # $runs runs each"
	else
		echo "RESULT fail kvmtool: $name # a run failed"
		return 1
	fi
}

[ -x "$lkvm" ] || { echo "RESULT fail kvmtool: setup # no $lkvm"; exit 1; }
[ -c /dev/kvm ] || { echo "RESULT fail kvmtool: setup # no /dev/kvm"; exit 1; }
cmd=$1
shift
# vm-init.sh splits on ":", and the maps use "-" for ","
set -- "$1" "$2" "$(echo "$3" | tr - ,)" "$4" "$5"
case $cmd in
boots) cmd_boots "$@" ;;
bench) cmd_bench "$@" ;;
*) echo "usage: $0 boots|bench NAME APIC MAP COUNT ROUNDS"; exit 2 ;;
esac
