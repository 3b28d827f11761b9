#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build QEMU (qemu-system-x86_64, TCG only) from Debian's source package of
# the installed qemu-system-x86, with the project's fixes (qemu/*.patch),
# and keep it in the cache, keyed by the source version and a hash of the
# patches and the configure options.  Prints the path of the binary.  It
# uses the firmware of Debian's packages (qemu-system-data, seabios, ipxe).
# The kvmtool stage needs it: QEMU 7.2's SVM emulation delivers an injected
# interrupt twice now and then, which kills a Linux L2, and its VMRUN can
# lose a request for an interrupt of the L1's local APIC, which hangs it
# (qemu/README.md).
. "$(dirname "$0")/lib.sh"

conf=(--target-list=x86_64-softmmu --without-default-features --disable-docs
      --disable-tools --disable-guest-agent --disable-werror
      --firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu)

installed=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null) ||
	die "qemu-system-x86 is not installed: apt-get install qemu-system-x86"
shopt -s nullglob
patches=("$TOP"/qemu/*.patch)
shopt -u nullglob
key=$(cat "${patches[@]}" <(echo "${conf[*]}") | sha256sum | cut -c1-12)
dir=$CACHE/qemu-${installed/*:/}-$key
[ -x "$dir/qemu-system-x86_64" ] && { echo "$dir/qemu-system-x86_64"; exit 0; }

# One build at a time (make check and make bench can start side by side):
# the second waits, then finds the first one's binary.
mkdir -p "$CACHE"
exec 9>"$CACHE/qemu.lock"
if ! flock -n 9; then
	msg "waiting for another build of QEMU ($CACHE/qemu.lock)"
	flock 9
fi
[ -x "$dir/qemu-system-x86_64" ] && { echo "$dir/qemu-system-x86_64"; exit 0; }

for tool in meson ninja pkg-config dpkg-source; do
	command -v $tool >/dev/null || die "$tool not found (make deps installs what QEMU's build needs)"
done

# Debian 12's version, from the mirror's bookworm (and bookworm-updates)
apt=$CACHE/apt-qemu-src
private_apt "$apt" "deb-src bookworm" "deb-src bookworm-updates"
version=$installed
served=$(apt-cache showsrc qemu | sed -n 's/^Version: //p')
if ! grep -qxF "$version" <<<"$served"; then
	version=$(sort -V <<<"$served" | tail -n 1)
	[ -n "$version" ] || die "the mirror serves no source of qemu for bookworm"
	warn "the source of the installed QEMU ($installed) is no longer served; building $version"
fi
tmp=$(mktemp -d "$CACHE/qemu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
msg "downloading the source of qemu $version (about 120 MB)"
(cd "$tmp" && apt-get -q source --download-only "qemu=$version" >"$apt/download.log" 2>&1) ||
	die "download of the source of qemu $version failed (see $apt/download.log)"
(cd "$tmp" && dpkg-source -q -x ./*.dsc src >"$apt/extract.log" 2>&1) ||
	die "cannot unpack the source of qemu $version (see $apt/extract.log)"
src=$tmp/src

for p in "${patches[@]}"; do
	msg "applying qemu/${p##*/}"
	patch -d "$src" -p1 -s --no-backup-if-mismatch <"$p" ||
		die "qemu/${p##*/} does not apply to qemu $version"
done

log=$tmp/build.log
msg "configuring QEMU (log: $dir.log)"
mkdir "$tmp/build"
(cd "$tmp/build" && "$src/configure" "${conf[@]}") >"$log" 2>&1 || {
	tail -n 20 "$log" >&2
	cp "$log" "$dir.log"
	die "configure of QEMU failed (see $dir.log)"
}
total=$(ninja -C "$tmp/build" -n qemu-system-x86_64 2>/dev/null | grep -c '^\[') || true
msg "building qemu-system-x86_64 ($JOBS jobs; $total steps, about 10 minutes on one core)"
ninja -C "$tmp/build" -j"$JOBS" qemu-system-x86_64 >>"$log" 2>&1 &
pid=$!
t=0
while ! wait_for "$pid" 30; do
	t=$((t + 30))
	printf '    ... %d min %02d s, %s\n' $((t / 60)) $((t % 60)) \
		"$(tail -n 1 "$log" | grep -o '^\[[0-9]*/[0-9]*\]' || echo '?')" >&2
done
if ! wait "$pid"; then
	grep -E -m 20 'error|FAILED' "$log" >&2 || tail -n 20 "$log" >&2
	cp "$log" "$dir.log"
	die "building QEMU failed (see $dir.log)"
fi
cp "$log" "$dir.log"
rm -rf "$dir"
mkdir -p "$dir.tmp"
cp "$tmp/build/qemu-system-x86_64" "$dir.tmp/"
mv "$dir.tmp" "$dir"
msg "QEMU with the project's fixes: $dir/qemu-system-x86_64"
echo "$dir/qemu-system-x86_64"
