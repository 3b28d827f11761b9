#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-kvmtool.sh: build lkvm-static, kvmtool at the pinned commit
# (base.conf: KVMTOOL_COMMIT) with the project's patches (kvmtool/*.patch,
# applied with git am) and with the KVM UAPI headers of the patched kernel
# tree, in the cache; copy it to build/lkvm-static and print that path.
# The source is the snapshot in $KVMTOOL_VENDOR (default ../shared/vendor
# next to this checkout) when it is there and its sha256 matches
# KVMTOOL_SHA256, else a clone of $KVMTOOL_URL at that commit.  The cache
# entry is keyed by the commit, the patches and the headers.
. "$(dirname "$0")/lib.sh"
need_tree

short=${KVMTOOL_COMMIT:0:12}
patches=("$TOP"/kvmtool/*.patch)
[ -f "${patches[0]}" ] || die "no kvmtool patches in $TOP/kvmtool"

# The headers: kvmtool's copy of include/uapi/linux/kvm.h and of the x86
# asm/kvm.h, from the series as committed in the kernel tree.  A tree
# without the ABI the patches use (struct kvm_dsm_pending) keeps the copy
# that the first patch puts in kvmtool.
uapi=$BUILD/kvmtool-uapi
rm -rf "$uapi"
mkdir -p "$uapi"
git -C "$TREE" show HEAD:include/uapi/linux/kvm.h >"$uapi/kvm.h"
git -C "$TREE" show HEAD:arch/x86/include/uapi/asm/kvm.h >"$uapi/asm-kvm.h"
if ! grep -q 'struct kvm_dsm_pending' "$uapi/kvm.h"; then
	warn "the kernel tree at $(git -C "$TREE" describe --always HEAD) has not the DSM IRQ forwarding ABI that kvmtool uses: kvmtool keeps its own copy of the headers"
	rm -f "$uapi"/*
fi

key=$( (echo "$KVMTOOL_COMMIT"; cat "${patches[@]}" "$uapi"/* 2>/dev/null) | sha256sum | cut -c1-12)
dir=$CACHE/kvmtool-$short-$key
if [ ! -x "$dir/lkvm-static" ]; then
	vendor=${KVMTOOL_VENDOR:-$TOP/../shared/vendor}
	tarball=$vendor/kvmtool-$short.tar.gz
	rm -rf "$dir"
	mkdir -p "$dir"
	if [ -f "$tarball" ]; then
		sum=$(sha256sum "$tarball" | cut -d' ' -f1)
		[ "$sum" = "$KVMTOOL_SHA256" ] ||
			die "$tarball: sha256 $sum, base.conf pins $KVMTOOL_SHA256 (a damaged or different snapshot: remove it to clone upstream instead)"
		msg "kvmtool $short from $tarball"
		tar -xzf "$tarball" -C "$dir" --strip-components=1
		git -C "$dir" init -q
		git -C "$dir" add -A
		git -C "$dir" -c user.name=kvmtool -c user.email=kvmtool@localhost \
			commit -q -m "kvmtool $KVMTOOL_COMMIT (snapshot)"
	else
		msg "kvmtool $short: no snapshot at $tarball, cloning $KVMTOOL_URL"
		git init -q "$dir"
		git -C "$dir" fetch -q --depth 1 "$KVMTOOL_URL" "$KVMTOOL_COMMIT" ||
			die "cannot fetch $KVMTOOL_COMMIT from $KVMTOOL_URL (no network? put the snapshot in $vendor, or set KVMTOOL_VENDOR)"
		git -C "$dir" checkout -q FETCH_HEAD
	fi

	msg "applying ${#patches[@]} kvmtool patches"
	git -C "$dir" -c user.name=kvmtool -c user.email=kvmtool@localhost \
		am -q "${patches[@]}" >"$dir/am.log" 2>&1 ||
		die "the kvmtool patches do not apply (see $dir/am.log)"
	if [ -f "$uapi/kvm.h" ]; then
		msg "kvmtool's KVM headers from $(git -C "$TREE" describe --always HEAD)"
		cp "$uapi/kvm.h" "$dir/include/linux/kvm.h"
		cp "$uapi/asm-kvm.h" "$dir/x86/include/asm/kvm.h"
	fi

	msg "building lkvm-static (about 15 s)"
	nice -n 10 make -C "$dir" -j"$JOBS" lkvm-static >"$dir/build.log" 2>&1 ||
		{ grep -E -m 20 'error|Error' "$dir/build.log" >&2; die "building kvmtool failed (see $dir/build.log)"; }
fi

cp "$dir/lkvm-static" "$BUILD/lkvm-static"
msg "kvmtool: $BUILD/lkvm-static (from $dir)"
echo "$BUILD/lkvm-static"
