#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-newest-base.sh: the series applies with git am to the newest 7.3.x
# that Debian serves ($BASE_PKG in $BASE_SUITE, sid or experimental), which
# may be newer than the pinned base.  Prints "pass|fail NAME [why]".
. "$(dirname "$0")/lib.sh"

suites=("$BASE_SUITE" sid experimental)
lines=()
for s in "${suites[@]}"; do lines+=("deb $s"); done
private_apt "$CACHE/apt-newest" "${lines[@]}"

newest= suite=
while read -r v s; do
	if [ -z "$newest" ] || dpkg --compare-versions "$v" gt "$newest"; then
		newest=$v suite=$s
	fi
done < <(apt-cache madison "$BASE_PKG" | awk -F' *[|] *' '{ split($3, a, "[ /]"); print $2, a[2] }')
[ -n "$newest" ] || die "no suite serves $BASE_PKG any more: rebase the series and update base.conf"

if [ "$newest" = "$BASE_VERSION" ]; then
	what="$BASE_VERSION, the pinned base, newest in $(IFS=,; echo "${suites[*]}")"
	repo=$("$TOP/scripts/fetch-base.sh")
else
	what="$newest from $suite, newer than the pinned base"
	msg "fetching $BASE_PKG $newest from $suite"
	repo=$("$TOP/scripts/fetch-base.sh" "$newest" "$suite") || die "cannot fetch $BASE_PKG $newest"
fi

wt=$BUILD/newest-base
rm -rf "$wt"
git clone -q "$repo" "$wt"
git -C "$wt" config user.name "DSM check" && git -C "$wt" config user.email dsm-check@localhost
patches=$(ls "$TOP"/series/[0-9][0-9][0-9][0-9]-*.patch | grep -v /0000-cover-letter.patch)
if git -C "$wt" am -q $patches >"$BUILD/newest-base.log" 2>&1; then
	printf 'pass %s\n' "git am on the newest $BASE_PKG # $what; $(wc -w <<<"$patches") patches"
else
	printf 'fail %s\n' "git am on the newest $BASE_PKG # $what; see $BUILD/newest-base.log"
	sed 's/^/    /' "$BUILD/newest-base.log" | head -10
	exit 1
fi
