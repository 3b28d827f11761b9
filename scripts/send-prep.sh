#!/bin/bash
# send-prep.sh: prepare the series for the mailing list in build/send/:
# re-authored and signed off with your git identity (git config user.name
# and user.email) instead of the project's placeholder, with the cover
# letter and a base-commit trailer.  Prints the recipients from
# scripts/get_maintainer.pl and the git send-email command.  Sends nothing.
. "$(dirname "$0")/lib.sh"
need_tree

name=$(git -C "$TOP" config user.name || true)
email=$(git -C "$TOP" config user.email || true)
[ -n "$name" ] && [ -n "$email" ] ||
	die "who sends the series? git config --global user.name 'Your Name'; git config --global user.email you@example.org"
placeholder='GiantVM Developers <giantvm-dev@example.org>'
me="$name <$email>"
[ "$me" != "$placeholder" ] || die "your git identity is the project's placeholder: set your own"

patches=$(ls "$TOP"/series/[0-9][0-9][0-9][0-9]-*.patch | grep -v /0000-cover-letter.patch)
wt=$BUILD/send-tree out=$BUILD/send
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" "$BASE_REF"
export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
msg "applying the series as $me"
for p in $patches; do
	sed -e "s|^From: $placeholder\$|From: $me|" \
	    -e "s|^Signed-off-by: $placeholder\$|Signed-off-by: $me|" "$p" |
		git -C "$wt" am -q || die "git am of $(basename "$p") failed"
done
if git -C "$wt" log --format='%an <%ae>%n%b' "$BASE_REF"..HEAD | grep -qF "$placeholder"; then
	die "the placeholder identity is still in the series"
fi

rm -rf "$out"
git -C "$wt" format-patch -q --cover-letter --base="$BASE_REF" --thread=shallow -o "$out" "$BASE_REF"..HEAD
# The hand-written cover letter, with the Message-Id the patches reply to.
msgid=$(grep -m1 -i '^Message-Id:' "$out/0000-cover-letter.patch") || die "no Message-Id in the generated cover letter"
"$TOP/scripts/cover-refresh.sh" "$TOP/series/0000-cover-letter.patch" "$out/0000-cover-letter.patch" |
	sed -e "s|^From: $placeholder\$|From: $me|" -e "1a $msgid" >"$out/cover"
mv "$out/cover" "$out/0000-cover-letter.patch"

# To: the KVM maintainers and reviewers, Cc: everyone else and the lists
# (get_maintainer.pl's roles say which).
recipients=$(cd "$wt" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
	$(ls "$out"/*.patch | grep -v /0000-cover-letter.patch))
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
echo "scripts/get_maintainer.pl:"
sed 's/^/  /' <<<"$recipients"
echo
echo "Check it, then send it yourself (nothing was sent):"
echo "  git send-email ${to[*]} \\"
echo "    ${cc[*]} \\"
echo "    $out/*.patch"
