#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fetch-kut.sh: build kvm-unit-tests at the pinned commit (base.conf:
# KUT_COMMIT) for x86_64, in the cache, and print the path of the build.
# The source is the snapshot in $KUT_VENDOR (default ../shared/vendor next
# to this checkout) when it is there and its sha256 matches KUT_SHA256,
# else a clone of $KUT_URL at that commit.
. "$(dirname "$0")/lib.sh"

short=${KUT_COMMIT:0:12}
dir=$CACHE/kvm-unit-tests-$short
if [ -f "$dir/.built" ]; then
	echo "$dir"
	exit 0
fi

vendor=${KUT_VENDOR:-$TOP/../shared/vendor}
tarball=$vendor/kvm-unit-tests-$short.tar.gz
rm -rf "$dir"
mkdir -p "$dir"
if [ -f "$tarball" ]; then
	sum=$(sha256sum "$tarball" | cut -d' ' -f1)
	[ "$sum" = "$KUT_SHA256" ] ||
		die "$tarball: sha256 $sum, base.conf pins $KUT_SHA256 (a damaged or different snapshot: remove it to clone upstream instead)"
	msg "kvm-unit-tests $short from $tarball"
	tar -xzf "$tarball" -C "$dir" --strip-components=1
else
	msg "kvm-unit-tests $short: no snapshot at $tarball, cloning $KUT_URL"
	git init -q "$dir"
	git -C "$dir" fetch -q --depth 1 "$KUT_URL" "$KUT_COMMIT" ||
		die "cannot fetch $KUT_COMMIT from $KUT_URL (no network? put the snapshot in $vendor, or set KUT_VENDOR)"
	git -C "$dir" checkout -q FETCH_HEAD
fi

msg "building kvm-unit-tests for x86_64 (15 s on 2 cores)"
(cd "$dir" && ./configure --arch=x86_64 && make -j"$JOBS") >"$CACHE/kvm-unit-tests-build.log" 2>&1 ||
	die "building kvm-unit-tests failed (see $CACHE/kvm-unit-tests-build.log)"
[ -f "$dir/x86/apic.flat" ] || die "kvm-unit-tests built no x86/apic.flat (see $CACHE/kvm-unit-tests-build.log)"
touch "$dir/.built"
echo "$dir"
