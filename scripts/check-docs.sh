#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-docs.sh: the documentation of the series builds without new warnings
# (make htmldocs SPHINXDIRS=virt/kvm, at the base and at the head, warnings
# compared without line numbers), and scripts/kernel-doc finds no new
# problem in the files the series touches.  Prints "pass|fail NAME [why]".
. "$(dirname "$0")/lib.sh"
need_tree
command -v sphinx-build >/dev/null || die "sphinx-build not found: apt-get install python3-sphinx"

wt=$BUILD/docs-tree
res() { printf '%s %s\n' "$@"; }
rc=0
fail() { res fail "$@"; rc=1; }
head=$(git -C "$TREE" rev-parse HEAD)
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" "$BASE_REF"

# doc_warnings LOG: Sphinx's and kernel-doc's warnings, without paths and
# line numbers, so that text moved by the series compares equal.
doc_warnings() {
	{ grep -E '(WARNING|ERROR|[Ww]arning):' "$1" || true; } |
		sed -E "s|$wt/||g; s|:[0-9]+([: ])|:N\1|g; s|line [0-9]+|line N|g" | sort -u
}
# Debian's python3, which has Sphinx (pyenv's may not).
htmldocs() { PATH=/usr/bin:$PATH make -C "$wt" O="$BUILD/obj-docs-$1" SPHINXDIRS=virt/kvm htmldocs; }

msg "make htmldocs SPHINXDIRS=virt/kvm at the base and at the head"
htmldocs base >"$BUILD/docs-base.log" 2>&1 || die "the base's documentation does not build (see $BUILD/docs-base.log)"
git -C "$wt" checkout -q --detach "$head"
if ! htmldocs head >"$BUILD/docs-head.log" 2>&1; then
	fail "htmldocs virt/kvm # the build failed, see $BUILD/docs-head.log"
elif new=$(comm -13 <(doc_warnings "$BUILD/docs-base.log") <(doc_warnings "$BUILD/docs-head.log")) && [ -n "$new" ]; then
	fail "htmldocs virt/kvm # new warnings"; printf '%s\n' "$new" | sed 's/^/    /'
elif [ ! -f "$BUILD/obj-docs-head/Documentation/output/virt/kvm/dsm-irq-forward.html" ]; then
	fail "htmldocs virt/kvm # no dsm-irq-forward.html in $BUILD/obj-docs-head"
else
	res pass "htmldocs virt/kvm # no new warning, output in $BUILD/obj-docs-head/Documentation/output"
fi

# kernel-doc -Wall on the C files the series touches, at the base and the head.
files=$(git -C "$wt" diff --name-only "$BASE_REF" HEAD -- '*.c' '*.h' | grep -v '^tools/' || true)
kdoc() { # kdoc LOG: kernel-doc on those of $files that exist in $wt
	local f existing=()
	for f in $files; do [ -f "$wt/$f" ] && existing+=("$f"); done
	: >"$1"
	[ ${#existing[@]} = 0 ] ||
		(cd "$wt" && PATH=/usr/bin:$PATH scripts/kernel-doc -none -Wall "${existing[@]}") >"$1" 2>&1 || true
}
kdoc "$BUILD/kdoc-head.log"
git -C "$wt" checkout -q --detach "$BASE_REF"
kdoc "$BUILD/kdoc-base.log"
if new=$(comm -13 <(doc_warnings "$BUILD/kdoc-base.log") <(doc_warnings "$BUILD/kdoc-head.log")) && [ -n "$new" ]; then
	fail "kernel-doc # new warnings"; printf '%s\n' "$new" | sed 's/^/    /'
else
	res pass "kernel-doc -Wall # $(wc -w <<<"$files") files, no new warning"
fi
exit $rc
