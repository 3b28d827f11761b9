#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# (Re)create the kernel work tree: the base, tagged "base", and the series
# applied on top with git am, one commit per patch.  With KSRC=/path, apply
# the series on a new branch of the user's own git tree instead.
. "$(dirname "$0")/lib.sh"

# series_ids FILE...: the stable patch ids of the patches in FILE..., sorted.
series_ids() { cat "$@" 2>/dev/null | git patch-id --stable | cut -d' ' -f1 | sort; }

patches=$(ls "$TOP"/series/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v /0000-cover-letter.patch || true)

if [ -n "${KSRC:-}" ]; then
	git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1 || die "KSRC=$KSRC is not a git tree"
	[ -z "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ] || die "$KSRC has uncommitted changes"
	git -C "$KSRC" rev-parse -q --verify refs/heads/dsm-irq-forward >/dev/null &&
		die "$KSRC already has a branch dsm-irq-forward: delete it (and the tag $BASE_REF) to start again"
	msg "creating branch dsm-irq-forward at $(git -C "$KSRC" describe --always HEAD) in $KSRC"
	git -C "$KSRC" tag -f "$BASE_REF" HEAD >/dev/null
	git -C "$KSRC" checkout -q -b dsm-irq-forward
else
	if [ -d "$TREE/.git" ] && [ "${FORCE:-}" != 1 ] &&
	   [ "$(series_ids "$TOP"/series/[0-9]*.patch)" != "$(git -C "$TREE" format-patch --stdout base..HEAD | series_ids -)" ]; then
		die "$TREE has commits that differ from series/: 'make export' them first, or FORCE=1 to drop them"
	fi
	base=$("$TOP/scripts/fetch-base.sh")
	rm -rf "$TREE"
	msg "checking out the base into $TREE"
	git clone -q "$base" "$TREE"
	git -C "$TREE" config user.email >/dev/null ||
		git -C "$TREE" config user.email "$(git config user.email || echo dsm@localhost)"
	git -C "$TREE" config user.name >/dev/null ||
		git -C "$TREE" config user.name "$(git config user.name || echo 'DSM workbench')"
fi

[ -n "$patches" ] || { msg "the series is empty: $TREE is the base"; exit 0; }
msg "applying $(echo "$patches" | wc -l) patches"
# shellcheck disable=SC2086
if ! git -C "$TREE" am -q --whitespace=error-all $patches; then
	printf '\n' >&2
	git -C "$TREE" am --show-current-patch=diff >/dev/null 2>&1 &&
		patch=$(git -C "$TREE" log -1 --format=%s REBASE_HEAD 2>/dev/null || true)
	die "the series does not apply to $(git -C "$TREE" describe --always "$BASE_REF"): see the failed patch and hunk above${patch:+ ($patch)}; fix it in $TREE (git am --show-current-patch, then git am --continue or --abort)"
fi
msg "$TREE: $(git -C "$TREE" rev-list --count "$BASE_REF"..HEAD) commits on $BASE_REF"
