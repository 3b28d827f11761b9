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
mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc/parts" "$apt/etc/prefs"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $BASE_MIRROR $SPARSE_SRC_SUITE main" >"$apt/etc/sources.list"
cat >"$apt/apt.conf" <<EOC
Dir::State::lists "$apt/lists";
Dir::Cache "$apt";
Dir::Cache::archives "$apt/archives";
Dir::Etc::sourcelist "$apt/etc/sources.list";
Dir::Etc::sourceparts "$apt/etc/parts";
Dir::Etc::preferencesparts "$apt/etc/prefs";
APT::Sandbox::User "root";
EOC
export APT_CONFIG=$apt/apt.conf

msg "fetching the source of sparse $SPARSE_SRC_VERSION from $SPARSE_SRC_SUITE"
apt-get -q update >"$apt/update.log" 2>&1 ||
	die "cannot read $SPARSE_SRC_SUITE sources from $BASE_MIRROR (see $apt/update.log)"
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
