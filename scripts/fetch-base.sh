#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fetch-base.sh [VERSION SUITE]: fetch the pinned base (base.conf), or that
# version of $BASE_PKG from that suite, with a private apt configuration and
# keep it in the cache as a bare git repository whose only commit is tagged
# "base".  Prints the path of that repository.
. "$(dirname "$0")/lib.sh"

repo_for() { echo "$CACHE/base-$1.git"; }

want=${1:-$BASE_VERSION}
suite=${2:-$BASE_SUITE}
if [ -d "$(repo_for "$want")" ]; then
	repo_for "$want"
	exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: the base is fetched from Debian's archive (or set KSRC=/path/to/linux.git)"

apt=$CACHE/apt-$suite
private_apt "$apt" "deb $suite"

version=$want
if ! apt-cache madison "$BASE_PKG" | awk -F' *[|] *' '{print $2}' | grep -qxF "$want"; then
	[ "$want" = "$BASE_VERSION" ] || die "$suite does not serve $BASE_PKG $want"
	version=$(apt-cache madison "$BASE_PKG" | awk -F' *[|] *' 'NR == 1 {print $2}')
	[ -n "$version" ] || die "$suite no longer serves $BASE_PKG: update base.conf"
	warn "$BASE_PKG $BASE_VERSION is no longer served; using the newest one, $version (its checksum is not pinned)"
	if [ -d "$(repo_for "$version")" ]; then
		repo_for "$version"
		exit 0
	fi
fi

msg "downloading $BASE_PKG $version (about 170 MB)"
(cd "$apt/archives" && apt-get -q download "$BASE_PKG=$version" >"$apt/download.log" 2>&1) ||
	die "download of $BASE_PKG=$version failed (see $apt/download.log)"
deb=$(ls "$apt/archives/${BASE_PKG}_${version/*:/}_all.deb")

tmp=$(mktemp -d "$CACHE/extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tarball=usr/src/$BASE_PKG.tar.xz
msg "extracting $tarball"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./$tarball"
sum=$(sha256sum "$tmp/$tarball" | cut -d' ' -f1)
if [ "$version" = "$BASE_VERSION" ] && [ "$sum" != "$BASE_SHA256" ]; then
	rm -f "$deb"
	die "checksum mismatch for $tarball in $BASE_PKG $version: got $sum, base.conf pins $BASE_SHA256 (the download was removed; run again, or update base.conf if Debian rebuilt the package)"
fi
tar -xJf "$tmp/$tarball" -C "$tmp"

# Debian's .gitignore ignores every new top-level path (their repository
# holds only debian/): drop that stanza, or git would not see the files the
# series adds.  Nothing else differs from the tarball.
src=$tmp/$BASE_PKG
sed -i '/^# Debian packaging: ignore everything/,/^!\/debian\/$/d' "$src/.gitignore"
sed -i '$ { /^#$/d }' "$src/.gitignore"
sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$src/.gitignore"

# One commit with fixed identity and date, so every machine gets the same
# base commit id (it goes into the base-commit: trailer of the series).
msg "committing the base (this takes a minute)"
export GIT_AUTHOR_NAME="Debian kernel team" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_AUTHOR_DATE="$(date -u -r "$tmp/$tarball" +%s) +0000" GIT_COMMITTER_DATE
GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
git -C "$src" init -q
git -C "$src" add -f -A .
git -C "$src" commit -q -m "Linux $(make -s -C "$src" kernelversion) from Debian $BASE_PKG $version"
git -C "$src" tag base
git clone -q --bare "$src" "$(repo_for "$version").tmp"
mv "$(repo_for "$version").tmp" "$(repo_for "$version")"
repo_for "$version"
