#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write base..HEAD of the kernel tree back to series/ as git format-patch
# output, as "[RFC PATCH v2 n/m]" (SUBJECT_PREFIX).  The cover letter is
# kept: its text lives in series/ and only its diffstat is regenerated.  No
# base-commit: the Debian base is in no public tree (make send-prep says
# what the base is, or names the real one with KSRC).
. "$(dirname "$0")/lib.sh"
need_tree

n=$(git -C "$TREE" rev-list --count "$BASE_REF"..HEAD)
[ "$n" -gt 0 ] || die "no commits on $BASE_REF in $TREE: nothing to export"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	warn "$TREE has uncommitted changes: they are not exported"

cover=$TOP/series/0000-cover-letter.patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$TREE" format-patch -q --cover-letter --zero-commit --no-signature \
	--subject-prefix="${SUBJECT_PREFIX:-RFC PATCH v2}" -o "$tmp" "$BASE_REF"..HEAD

if [ -f "$cover" ]; then
	# Keep the cover letter's subject and text, refresh what git generates.
	"$TOP/scripts/cover-refresh.sh" "$cover" "$tmp/0000-cover-letter.patch" >"$tmp/cover"
	mv "$tmp/cover" "$tmp/0000-cover-letter.patch"
fi
rm -f "$TOP"/series/[0-9][0-9][0-9][0-9]-*.patch
cp "$tmp"/*.patch "$TOP/series/"
msg "exported $n patches and the cover letter to series/"
