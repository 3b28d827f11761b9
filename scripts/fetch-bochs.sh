#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the pinned Bochs snapshot with the project's patches (bochs/*.patch)
# and keep it in the cache, keyed by the snapshot commit and a hash of the
# patches and the configure options.  Prints the install directory (the
# emulator is bin/bochs, the BIOS images are in share/bochs).
# Debian 12's Bochs 2.7 has no VMX posted interrupts, so KVM would turn
# APICv off; the snapshot is newer (see ../shared/vendor/README.md).
# BOCHS_UNPATCHED=1 builds the snapshot without the patches (to show the
# bugs they fix), in a directory of its own.
. "$(dirname "$0")/lib.sh"

BOCHS_COMMIT=783b58fd6d9bae598a07c59719122322fa0edce6
BOCHS_URL=https://github.com/bochs-emu/Bochs
# sha256 of the snapshot (git archive of the bochs/ folder, gzip -n), as in
# the vendor README.
BOCHS_SHA256=35badab447fd3999de635696f814f712b0bae18341c9bf585472c3df0a3aa992
VENDOR=${VENDOR:-$TOP/../shared/vendor}
tarball=$VENDOR/bochs-${BOCHS_COMMIT:0:12}.tar.gz

# VMX level 2 (APIC virtualization, posted interrupts, EPT, VPID, shadow
# VMCS); AVX, EVEX and CET for "cpu: model=tigerlake".  No plugins, no
# debugger, no GUI.  No show-ips: its SIGALRM handler logs from signal
# context and can deadlock Bochs.
conf=(--with-nogui --enable-smp --enable-x86-64 --enable-cpu-level=6
	--enable-vmx=2 --enable-avx --enable-evex --enable-cet
	--enable-all-optimizations --enable-pci --disable-show-ips
	--disable-plugins --disable-debugger --disable-docbook)
# As upstream's release build (.conf.gh-build-test): a faster emulator.
flags="-O3 -fomit-frame-pointer -pipe"

patches=()
if [ "${BOCHS_UNPATCHED:-}" != 1 ]; then
	shopt -s nullglob
	patches=("$TOP"/bochs/*.patch)
	shopt -u nullglob
fi
key=$(cat ${patches[@]+"${patches[@]}"} <(echo "${conf[*]} $flags") | sha256sum | cut -c1-12)
dir=$CACHE/bochs-${BOCHS_COMMIT:0:12}-$key
[ "${BOCHS_UNPATCHED:-}" = 1 ] && dir+=-unpatched
if [ -x "$dir/bin/bochs" ]; then
	echo "$dir"
	exit 0
fi

for tool in g++ make; do
	command -v $tool >/dev/null || die "$tool not found: apt-get install build-essential"
done
mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/bochs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -f "$tarball" ]; then
	msg "Bochs ${BOCHS_COMMIT:0:12}: $tarball"
	echo "$BOCHS_SHA256  $tarball" | sha256sum -c --quiet - >&2 ||
		die "$tarball does not match its sha256 $BOCHS_SHA256: a bad copy?"
	tar -xzf "$tarball" -C "$tmp"
	src=$tmp/bochs-${BOCHS_COMMIT:0:12}
else
	msg "no $tarball: cloning $BOCHS_URL at ${BOCHS_COMMIT:0:12}"
	src=$tmp/git
	git init -q "$src"
	git -C "$src" fetch -q --depth 1 "$BOCHS_URL" "$BOCHS_COMMIT" ||
		die "cannot fetch $BOCHS_COMMIT from $BOCHS_URL (no network?); put the snapshot in $VENDOR"
	git -C "$src" checkout -q FETCH_HEAD
fi
[ -x "$src/bochs/configure" ] || die "no bochs/configure in the Bochs source"

# The patches are against the upstream repository: paths bochs/...
for p in ${patches[@]+"${patches[@]}"}; do
	msg "applying bochs/${p##*/}"
	git -C "$src" apply -p1 --whitespace=nowarn "$p" ||
		die "bochs/${p##*/} does not apply to Bochs ${BOCHS_COMMIT:0:12}"
done

log=$tmp/build.log
msg "configuring Bochs (log: $dir.log)"
(cd "$src/bochs" && CFLAGS=$flags CXXFLAGS=$flags ./configure --prefix="$dir" "${conf[@]}") >"$log" 2>&1 || {
	tail -n 20 "$log" >&2
	cp "$log" "$dir.log"
	die "configure of Bochs failed (see $dir.log; build-essential installed?)"
}

msg "building Bochs ($JOBS jobs; about 4 minutes on one core, about 430 files)"
make -C "$src/bochs" -j"$JOBS" >>"$log" 2>&1 &
pid=$!
t=0
while ! wait_for "$pid" 30; do
	t=$((t + 30))
	printf '    ... %d min %02d s, %d files compiled\n' $((t / 60)) $((t % 60)) \
		"$(find "$src/bochs" -name '*.o' | wc -l)" >&2
done
if ! wait "$pid"; then
	grep -E -m 20 'error|Error' "$log" >&2 || tail -n 20 "$log" >&2
	cp "$log" "$dir.log"
	die "building Bochs failed (see $dir.log)"
fi
make -C "$src/bochs" install_bin install_share DESTDIR="$tmp/inst" >>"$log" 2>&1 || {
	cp "$log" "$dir.log"
	die "installing Bochs failed (see $dir.log)"
}
cp "$log" "$dir.log"
rm -rf "$dir"
mv "$tmp/inst$dir" "$dir"
msg "Bochs: $dir/bin/bochs"
echo "$dir"
