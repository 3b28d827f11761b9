#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-base-kernel.sh: the test VM kernel without the series, to compare
# with: a git worktree of the kernel tree at the base ($BASE_REF) in
# build/base-tree, configured as the test kernel (config/vm.config and
# debug.config; no dsm.config) and built in build/obj-base.  A few minutes
# with ccache; nothing to do if it is up to date.  Prints the bzImage.
. "$(dirname "$0")/lib.sh"
need_tree

wt=$BUILD/base-tree obj=$BUILD/obj-base
base=$(git -C "$TREE" rev-parse "$BASE_REF^{commit}")
# Keep the worktree while it is at the base: its files keep their times,
# so make rebuilds nothing.
if [ "$(git -C "$wt" rev-parse HEAD 2>/dev/null)" != "$base" ]; then
	git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$wt" "$base"
fi
DSM_TREE=$wt "$TOP/scripts/config.sh" "$obj" allnoconfig "$TOP/config/vm.config" "$TOP/config/debug.config" >&2
msg "building the base kernel ($(git -C "$wt" describe --always HEAD), no series) in $obj"
logged "$obj/build.log" make -C "$wt" O="$obj" -j"$JOBS" CC="ccache gcc" bzImage ||
	die "the base kernel does not build (see $obj/build.log)"
echo "$obj/arch/x86/boot/bzImage"
