#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-debian-base.sh: the Debian base is an upstream release plus Debian's
# patches; check that none of those patches touches a file the series
# changes (base..HEAD of the kernel tree), and that Debian's repacking of the
# upstream tarball (Files-Excluded in debian/copyright) removes none of them,
# so the series applies to the upstream release as it is.  The patches come
# from the debian.tar.xz of Debian's linux source package of the base's
# version (named in the base commit), fetched with the private apt
# configuration and kept in the cache (DEBIAN_SRC_VERSION=... checks the
# patches of another version instead, named in the result).  Prints
# "pass|fail NAME # why"; the upstream release, e.g. v7.3.4, is in NAME.
. "$(dirname "$0")/lib.sh"
need_tree
[ -z "${KSRC:-}" ] || die "KSRC=$KSRC: not the Debian base, nothing to check"

# "Linux 7.3.4 from Debian linux-source-7.3 7.3.4-1~bpo13+1" (fetch-base.sh)
version=$(git -C "$TREE" log -1 --format=%s "$BASE_REF" | sed -n 's/^Linux .* from Debian [^ ]* //p')
[ -n "$version" ] || die "the base commit does not name its Debian version (not made by fetch-base.sh?)"
upstream=v$(git -C "$TREE" show "$BASE_REF:Makefile" |
	awk -F' *= *' '$1 ~ /^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)$/ { v[$1] = $2 }
	END { printf "%s.%s", v["VERSION"], v["PATCHLEVEL"]; if (v["SUBLEVEL"] != "" && v["SUBLEVEL"] != 0) printf ".%s", v["SUBLEVEL"]; print v["EXTRAVERSION"] }')

name="Debian base: $upstream with Debian's linux $version"
if [ -n "${DEBIAN_SRC_VERSION:-}" ] && [ "$DEBIAN_SRC_VERSION" != "$version" ]; then
	name="$name (checked with the patches of $DEBIAN_SRC_VERSION instead)"
	version=$DEBIAN_SRC_VERSION
fi
dir=$CACHE/debian-linux-$version
if [ ! -f "$dir/debian/patches/series" ]; then
	apt=$CACHE/apt-src-$BASE_SUITE
	private_apt "$apt" "deb-src $BASE_SUITE"
	uri=$(apt-get source --print-uris "linux=$version" 2>/dev/null | grep "\.debian\.tar\.xz' ") ||
		die "$BASE_SUITE does not list the source of linux $version (see $apt/update.log)"
	read -r url file _ hash <<<"$uri"
	msg "downloading $file"
	rm -rf "$dir" && mkdir -p "$dir"
	if ! /usr/lib/apt/apt-helper download-file "${url//\'/}" "$dir/$file" "$hash" >"$apt/download.log" 2>&1; then
		rm -rf "$dir"
		printf 'fail %s # not checked: %s\n' "$name" "$(grep -m1 -o '[0-9]\{3\} .*' "$apt/download.log" || echo "download failed") for $file (see $apt/download.log)"
		exit 1
	fi
	tar -xJf "$dir/$file" -C "$dir" debian/patches debian/copyright
fi

# The files each patch of debian/patches/series touches (-p1 paths).
touched() {
	sed 's/#.*//' "$dir/debian/patches/series" | while read -r p _; do
		[ -n "$p" ] || continue
		sed -n 's/^\(---\|+++\) \([^\t ]*\).*/\2/p' "$dir/debian/patches/$p" |
			grep -v '^/dev/null$' | cut -d/ -f2- | sed "s|^|$p |"
	done
}
patches=$(sed 's/#.*//' "$dir/debian/patches/series" | grep -c '[^[:space:]]' || true)
ours=$(git -C "$TREE" diff --name-only "$BASE_REF" HEAD)
[ -n "$ours" ] || die "the series is empty: nothing to compare"
both=$(touched | awk 'NR == FNR { ours[$0] = 1; next } $2 in ours' <(echo "$ours") -)
# Files-Excluded: globs of the upstream files Debian's tarball leaves out
# (the field and its continuation lines, which start with a space).
excluded=$(awk '/^Files-Excluded:/ { f = 1; sub(/^[^:]*:/, ""); print; next }
	f && /^ / { print; next } { f = 0 }' "$dir/debian/copyright")
gone=
for f in $ours; do
	for g in $excluded; do
		# shellcheck disable=SC2053 # $g is a glob
		if [[ $f == $g || $f == $g/* ]]; then gone+="$f ($g)"$'\n'; fi
	done
done

if [ -n "$both" ]; then
	printf 'fail %s # Debian patches touch files the series changes:\n' "$name"
	sed 's/^/    /' <<<"$both"
	exit 1
elif [ -n "$gone" ]; then
	printf 'fail %s # Debian leaves out files the series changes:\n' "$name"
	printf '%s' "$gone" | sed 's/^/    /'
	exit 1
fi
printf 'pass %s # none of its %d patches touches the %d files the series changes, none is left out of its tarball\n' \
	"$name" "$patches" "$(wc -l <<<"$ours")"
