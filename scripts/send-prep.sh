#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# send-prep.sh: prepare the series for the mailing list in build/send/, as
# "[RFC PATCH v2 n/m]" (SUBJECT_PREFIX, REROLL): re-authored and signed off
# with your git identity (git config user.name and user.email) instead of
# the project's placeholder, with the cover letter.  Prints the recipients
# from scripts/get_maintainer.pl and the git send-email command.  Sends
# nothing.
#
# The base.  With KSRC (your clone of kvm-x86/next, or of a mainline tag),
# the series goes onto the commit tagged dsm-irq-forward-base by
# "make tree" (onto KSRC's HEAD if there is no such tag), and the cover
# letter ends with that commit as "base-commit:".  The Debian base is a
# commit of no public tree: no base-commit: trailer then; the base is named
# as the upstream release plus Debian's patches, after
# check-debian-base.sh has checked that none of those touches the files the
# series changes.  Either way the sentence that says what the base is goes
# to build/send/base.txt, and replaces a line "%BASE%" of the cover letter.
. "$(dirname "$0")/lib.sh"

prefix=${SUBJECT_PREFIX:-RFC PATCH}
reroll=${REROLL:-2}
name=$(git -C "$TOP" config user.name || true)
email=$(git -C "$TOP" config user.email || true)
[ -n "$name" ] && [ -n "$email" ] ||
	die "who sends the series? git config --global user.name 'Your Name'; git config --global user.email you@example.org"
placeholder='GiantVM Developers <giantvm-dev@example.org>'
me="$name <$email>"
[ "$me" != "$placeholder" ] || die "your git identity is the project's placeholder: set your own"

base=$BASE_REF
if [ -n "${KSRC:-}" ] && ! git -C "$KSRC" rev-parse -q --verify "$BASE_REF^{commit}" >/dev/null; then
	git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1 || die "KSRC=$KSRC is not a git tree"
	base=$(git -C "$KSRC" rev-parse HEAD)
	msg "$KSRC has no tag $BASE_REF ('make tree'): the series goes onto its HEAD, $(git -C "$KSRC" describe --tags --always HEAD)"
else
	need_tree
fi

patches=$(ls "$TOP"/series/[0-9][0-9][0-9][0-9]-*.patch | grep -v /0000-cover-letter.patch)
wt=$BUILD/send-tree out=$BUILD/send
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" "$base"
export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
msg "applying the series as $me onto $(git -C "$wt" describe --tags --always HEAD)"
for p in $patches; do
	sed -e "s|^From: $placeholder\$|From: $me|" \
	    -e "s|^Signed-off-by: $placeholder\$|Signed-off-by: $me|" "$p" |
		git -C "$wt" am -q ||
		die "git am of $(basename "$p") failed on $(git -C "$wt" describe --tags --always "$base"): rebase the series there first (KSRC=... make tree)"
done
if git -C "$wt" log --format='%an <%ae>%n%b' "$base"..HEAD | grep -qF "$placeholder"; then
	die "the placeholder identity is still in the series"
fi

# What the base is, in one sentence for the cover letter.
if [ -n "${KSRC:-}" ]; then
	basearg=(--base="$base")
	statement="The series is based on $(git -C "$wt" describe --tags --always "$base") (base-commit below)."
else
	basearg=(--no-base)
	msg "checking Debian's patches against the files the series changes"
	check=$(DSM_TREE=$wt "$TOP/scripts/check-debian-base.sh") || true
	echo "$check"
	release=$(sed -n "s/^[a-z]* Debian base: \(v[^ ]*\) with Debian's linux \([^ ]*\).*/\1/p" <<<"$check" | head -n 1)
	version=$(sed -n "s/^[a-z]* Debian base: v[^ ]* with Debian's linux \([^ ]*\).*/\1/p" <<<"$check" | head -n 1)
	[ -n "$release" ] || die "check-debian-base.sh did not name the base (see above)"
	statement="The series is based on Linux $release with Debian's patches (the source of Debian's linux $version). That tree is in no public repository, so there is no base-commit: trailer."
	# Only a check of the base's own Debian version backs the claim.
	if grep -q '^pass ' <<<"$check" && ! grep -q ' instead) ' <<<"$check"; then
		statement+=" None of Debian's patches touches a file the series changes: the series applies to $release as is."
	else
		warn "the patches of Debian's linux $version were not checked against the series (see above): the base sentence does not claim that they leave its files alone"
	fi
fi

rm -rf "$out"
git -C "$wt" format-patch -q --cover-letter "${basearg[@]}" --subject-prefix="$prefix" -v "$reroll" \
	--thread=shallow -o "$out" "$base"..HEAD
echo "$statement" | fmt -w 72 >"$out/base.txt"
# The hand-written cover letter, with the Message-Id the patches reply to.
cover=$(ls "$out"/*0000-cover-letter.patch)
msgid=$(grep -m1 -i '^Message-Id:' "$cover") || die "no Message-Id in the generated cover letter"
"$TOP/scripts/cover-refresh.sh" "$TOP/series/0000-cover-letter.patch" "$cover" |
	sed -e "s|^From: $placeholder\$|From: $me|" -e "1a $msgid" |
	awk -v f="$out/base.txt" '$0 == "%BASE%" { while ((getline l < f) > 0) print l; next } { print }' >"$out/cover"
mv "$out/cover" "$cover"
if [ -z "${KSRC:-}" ] && grep -l '^base-commit:' "$out"/*.patch; then
	die "a base-commit: trailer names the Debian base commit (above), which no public tree has"
fi

# To: the KVM maintainers and reviewers, Cc: everyone else and the lists
# (get_maintainer.pl's roles say which).
recipients=$(cd "$wt" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
	$(ls "$out"/*.patch | grep -v 0000-cover-letter.patch))
to=() cc=()
while IFS= read -r line; do
	addr=${line%% (*}
	case $line in
	*"list"*) cc+=("--cc='$addr'") ;;
	*KVM*) to+=("--to='$addr'") ;;
	*) cc+=("--cc='$addr'") ;;
	esac
done <<<"$recipients"

echo
echo "The series, as $me: $out"
ls "$out" | sed 's/^/  /'
echo
# The subjects, unfolded (git format-patch folds long header lines).
awk '/^Subject:/ { s = $0; while ((getline l) > 0 && l ~ /^[ \t]/) s = s l; print "  " s }' "$out"/*.patch
echo
echo "The base ($out/base.txt; a line \"%BASE%\" in the cover letter becomes it):"
sed 's/^/  /' "$out/base.txt"
grep -h '^base-commit:' "$cover" | sed 's/^/  /' || echo "  (no base-commit: trailer)"
echo
echo "scripts/get_maintainer.pl:"
sed 's/^/  /' <<<"$recipients"
echo
echo "Check it, then send it yourself (nothing was sent):"
echo "  git send-email ${to[*]} \\"
echo "    ${cc[*]} \\"
echo "    $out/*.patch"
