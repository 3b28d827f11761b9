#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kut-vm.sh KERNEL OUT TEST[:SECONDS]...: boot KERNEL in the test VM (QEMU
# TCG, -cpu max: an emulated AMD CPU with SVM, as vm-run.sh boots it) and run
# the kvm-unit-tests TEST... (sections of x86/unittests.cfg) inside it,
# with the VM's qemu-system-x86_64 and -machine accel=kvm: nested, on the
# VM's kvm_amd.  The initramfs holds busybox, qemu-system-x86_64 with its
# shared libraries and the firmware it loads, and the tests.  Writes OUT.log
# (console) and OUT.results: "pass|fail|skip NAME # why" per test, then
# "fail vm|kernel-log ..." if the VM did not finish or its kernel log has a
# splat.  A test's time limit is SECONDS, else KUT_TIMEOUT (default 120; the
# limits in unittests.cfg are for hardware, emulation is far slower).
# KUT_APPEND adds to the VM kernel's command line (kvm.PARAM=..., say).
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/vm-lib.sh"

[ $# -ge 3 ] || die "usage: kut-vm.sh KERNEL OUT TEST[:SECONDS]..."
kernel=$1 out=$2
shift 2
limit=${KUT_TIMEOUT:-120}
[ -f "$kernel" ] || die "no kernel at $kernel"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found: apt-get install qemu-system-x86"
[ -x /bin/busybox ] || die "/bin/busybox not found: apt-get install busybox-static"
kut=$("$TOP/scripts/fetch-kut.sh")

# tests.sh: one "kut_run NAME SECONDS CHECK ARGS..." line per test, with the
# arguments kvm-unit-tests' runner gives QEMU after -kernel (scripts/
# common.bash): the file, -smp, -append test_args, qemu_params.  Like the
# runner, the VM's shell evaluates the line (quotes and backticks).
gen_tests() {
	awk -v want="$*" -v limit="$limit" '
	BEGIN { n = split(want, w, " ")
		for (i = 1; i <= n; i++) { split(w[i], a, ":"); secs[a[1]] = a[2] == "" ? limit : a[2] } }
	function flush() {
		if (!(name in secs)) return
		found[name] = 1
		if (arch != "" && arch != "x86_64") { printf "result \"skip %s # %s only\"\n", name, arch; return }
		printf "kut_run %s %d \"%s\" -kernel /kut/x86/%s -smp %s%s %s\n", name, secs[name], check, file,
			smp == "" ? 1 : smp, args == "" ? "" : " -append " args, params
	}
	/^\[.*\]$/ { flush(); name = substr($0, 2, length($0) - 2)
		file = smp = args = params = arch = check = ""; next }
	/^#/ { next }
	{ key = $0; sub(/ *=.*/, "", key); val = $0; sub(/^[^=]*= */, "", val) }
	key == "file" { file = val } key == "smp" { smp = val } key == "test_args" { args = val }
	key == "qemu_params" || key == "extra_params" { params = val
		if (val ~ /"""/) { print "multi-line qemu_params of " name " are not supported" > "/dev/stderr"; exit 1 } }
	key == "arch" { arch = val } key == "check" { check = val }
	END { flush(); for (t in secs) if (!(t in found)) print "no test " t " in unittests.cfg" > "/dev/stderr" }
	' "$kut/x86/unittests.cfg"
}

root=$out.initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,kut/x86}
gen_tests "$@" >"$root/kut/tests.sh" 2>"$out.gen.log" && [ ! -s "$out.gen.log" ] ||
	die "cannot generate the tests from $kut/x86/unittests.cfg: $(cat "$out.gen.log")"
cp /bin/busybox "$root/bin/"
ln -s busybox "$root/bin/sh"
cp "$TOP/scripts/kut-init.sh" "$root/init"
for f in $(awk '{ for (i = 1; i < NF; i++) if ($i == "-kernel") print $(i + 1) }' "$root/kut/tests.sh" | sort -u); do
	cp "$kut/x86/${f##*/}" "$root$f"
done
# QEMU, the shared libraries ldd names, and the firmware QEMU loads for
# these machines: SeaBIOS, and the option ROMs for -kernel (multiboot) and
# the TPR patching of the in-kernel APIC.
qemu=$(command -v qemu-system-x86_64)
for f in "$qemu" $(ldd "$qemu" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
done
for f in /usr/share/seabios/bios-256k.bin /usr/share/qemu/{multiboot_dma,linuxboot_dma,kvmvapic}.bin; do
	[ -f "$f" ] || die "$f not found: apt-get install qemu-system-x86 seabios"
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
done
(cd "$root" && find . | cpio -o -H newc --quiet) >"$out.cpio"

log=$out.log results=$out.results
n=$(grep -c '^kut_run ' "$root/kut/tests.sh" || true)
total=$(awk '$1 == "kut_run" { s += $3 } END { print s + 300 }' "$root/kut/tests.sh")
msg "kvm-unit-tests: booting $kernel for $n test(s), at most $total s; console in $log"
rc=0
timeout -s KILL "$total" qemu-system-x86_64 -accel tcg,thread=single -cpu max,la57=off -smp 2 -m 4G \
	-nographic -no-reboot -kernel "$kernel" -initrd "$out.cpio" \
	-append "console=ttyS0 panic=-1 loglevel=5 ${KUT_APPEND:-}" </dev/null >"$log" 2>&1 || rc=$?
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
rm -rf "$root" "$out.cpio" "$out.gen.log"

sed -n 's/^KUT-RESULT //p' "$log" >"$results"
for t in "${@%%:*}"; do
	grep -q "^[a-z]* $t #" "$results" || echo "fail $t # no result: the VM stopped before it ran" >>"$results"
done
[ $rc = 137 ] && why="timed out after $total s" || why="QEMU exited with $rc"
vm_check_log "$log" "$results" "" "$why"
cat "$results" >&2
