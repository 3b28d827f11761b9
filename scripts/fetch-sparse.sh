#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build sparse from Debian's source package (base.conf: SPARSE_SRC_*), with
# a private apt configuration that only downloads the source, and keep the
# binary in the cache.  Prints its path.  Debian 12's sparse 0.6.4 is too
# old for the kernel: it fails scripts/checker-valid.sh.
. "$(dirname "$0")/lib.sh"

dir=$CACHE/sparse-$SPARSE_SRC_VERSION
if [ -x "$dir/sparse" ]; then
	echo "$dir/sparse"
	exit 0
fi

apt=$CACHE/apt-src
msg "fetching the source of sparse $SPARSE_SRC_VERSION from $SPARSE_SRC_SUITE"
private_apt "$apt" "deb-src $SPARSE_SRC_SUITE"
version=$SPARSE_SRC_VERSION
if ! apt-cache showsrc sparse | grep -qxF "Version: $version"; then
	version=$(apt-cache showsrc sparse | sed -n 's/^Version: //p' | sort -V | tail -n 1)
	[ -n "$version" ] || die "$SPARSE_SRC_SUITE serves no source of sparse"
	warn "sparse $SPARSE_SRC_VERSION is no longer served; using $version"
fi
tmp=$(mktemp -d "$CACHE/sparse.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get -q source --download-only "sparse=$version" >"$apt/download.log" 2>&1) ||
	die "download of the source of sparse $version failed (see $apt/download.log)"
tar -xzf "$tmp"/sparse_*.orig.tar.gz -C "$tmp"
msg "building sparse"
make -s -C "$tmp"/sparse-*/ -j"$JOBS" sparse >"$apt/build.log" 2>&1 ||
	die "building sparse failed (see $apt/build.log)"
mkdir -p "$dir"
cp "$tmp"/sparse-*/sparse "$dir/"
echo "$dir/sparse"
