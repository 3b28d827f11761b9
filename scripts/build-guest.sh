#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-guest.sh: build the guest kernel that kvmtool boots in the test VM:
# the base of the series, unmodified, checked out in a git worktree of the
# kernel tree (build/guest-linux, detached at the base; no branch is
# touched), configured with config/kvmtool-guest.config (checked) and built
# with ccache into build/obj-guest, at nice 10.
. "$(dirname "$0")/lib.sh"
need_tree

src=$BUILD/guest-linux
obj=$BUILD/obj-guest
base=$(git -C "$TREE" rev-parse "$BASE_REF^{commit}")

renice -n 10 $$ >/dev/null
if [ "$(git -C "$src" rev-parse HEAD 2>/dev/null)" != "$base" ] ||
   [ -n "$(git -C "$src" status --porcelain 2>/dev/null)" ]; then
	msg "guest kernel source: a worktree of $TREE at $BASE_REF in $src"
	rm -rf "$src"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$src" "$base" ||
		die "cannot add a worktree of $TREE in $src"
fi

DSM_TREE=$src "$TOP/scripts/config.sh" "$obj" allnoconfig "$TOP/config/kvmtool-guest.config"
TREE=$src
msg "building the guest bzImage in $obj ($JOBS jobs)"
logged "$obj/build.log" kmake "$obj" bzImage ||
	die "guest kernel build failed (see $obj/build.log)"
msg "guest kernel: $obj/arch/x86/boot/bzImage"
