#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The checks a reviewer runs on the series, on the commits base..HEAD of the
# kernel tree: checkpatch --strict on each patch; each prefix of the series
# builds arch/x86/kvm/ with W=1, option on and off, with no warning the base
# does not have, and as the KVM maintainers require (KVM_INTEL=m, KVM_AMD=m,
# KVM_WERROR=y; the option on); sparse on arch/x86/kvm/ adds no warning; the
# UAPI headers compile standalone, and the new structs have one layout for
# 64-bit, 32-bit and x32 userspace; the series leaves the tools/ copies of
# the UAPI headers to the tools maintainers' sync.  Prints one
# "pass|fail NAME [why]" line per check.
. "$(dirname "$0")/lib.sh"
need_tree

commits=$(git -C "$TREE" rev-list --reverse "$BASE_REF"..HEAD)
[ -n "$commits" ] || { msg "the series is empty: no series checks"; exit 0; }
bisect=$BUILD/bisect
obj_on=$BUILD/obj-on obj_off=$BUILD/obj-off
res() { printf '%s %s\n' "$@"; }
rc=0
fail() { res fail "$@"; rc=1; }

# 1. checkpatch (with Debian's python3, which has ply for spdxcheck.py).
# FILE_PATH_CHANGES only asks whether MAINTAINERS needs an
# update for new files: the KVM x86 entries already cover every path the
# series adds (see make send-prep / get_maintainer.pl).
for c in $commits; do
	name="checkpatch $(git -C "$TREE" log -1 --format=%s "$c")"
	out=$(git -C "$TREE" format-patch -1 --stdout "$c" |
		(cd "$TREE" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict --quiet --ignore FILE_PATH_CHANGES -) 2>&1) &&
		[ -z "$out" ] && res pass "$name" || { fail "$name"; printf '%s\n' "$out" | sed 's/^/    /'; }
done

# 2. Each prefix builds, with the option on and off, with no new W=1
# warning.  A separate worktree, so the work tree is left alone.
git -C "$TREE" worktree remove --force "$bisect" 2>/dev/null || rm -rf "$bisect"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$bisect" "$BASE_REF"
# warnings LOG: the compiler's warnings in LOG, without line numbers.
warnings() { { grep -E ': (warning|error):' "$1" || true; } | sed -E 's/:[0-9]+:[0-9]+:/:/' | sort -u; }
kvm_build() { # kvm_build OBJ LOG [MAKE ARGS]: W=1 build of arch/x86/kvm/
	local obj=$1 log=$2; shift 2
	make -C "$bisect" O="$obj" -j"$JOBS" CC="ccache gcc" W=1 "$@" arch/x86/kvm/ >"$log" 2>&1
}
configure() { # configure OBJ on|off|werror (on, KVM_INTEL=m KVM_AMD=m KVM_WERROR=y)
	local frags=("$TOP/config/vm.config" "$TOP/config/check.config")
	[ "$2" = off ] || frags+=("$TOP/config/dsm.config")
	[ "$2" != werror ] || frags+=("$TOP/config/kvm-werror.config")
	DSM_TREE=$bisect "$TOP/scripts/config.sh" "$1" allnoconfig "${frags[@]}"
}
msg "building arch/x86/kvm/ with W=1 at the base"
configure "$obj_off" off >"$BUILD/w1-base.log" 2>&1 || die "cannot configure the base (see $BUILD/w1-base.log)"
kvm_build "$obj_off" "$BUILD/w1-base.log" || die "the base does not build (see $BUILD/w1-base.log)"
warnings "$BUILD/w1-base.log" >"$BUILD/w1-base.warnings"
for c in $commits; do
	git -C "$bisect" checkout -q --detach "$c"
	subj=$(git -C "$TREE" log -1 --format=%s "$c")
	for opt in on off; do
		obj=$BUILD/obj-$opt log=$BUILD/w1-$opt.log
		msg "building arch/x86/kvm/ with W=1, option $opt: $subj"
		name="build W=1 option $opt: $subj"
		if ! configure "$obj" "$opt" >"$log" 2>&1 || ! kvm_build "$obj" "$log"; then
			fail "$name # see $log"; grep -E -m 5 'error' "$log" | sed 's/^/    /'
		elif new=$(warnings "$log" | comm -23 - "$BUILD/w1-base.warnings") && [ -n "$new" ]; then
			fail "$name # new warnings"; printf '%s\n' "$new" | sed 's/^/    /'
		else
			res pass "$name"
		fi
	done
	# The maintainers' build: any warning is an error (no W=1).
	log=$BUILD/werror-$(git -C "$TREE" rev-parse --short "$c").log
	msg "building arch/x86/kvm/ with KVM_INTEL=m KVM_AMD=m KVM_WERROR=y: $subj"
	name="build KVM_INTEL=m KVM_AMD=m KVM_WERROR=y option on: $subj"
	if configure "$BUILD/obj-werror" werror >"$log" 2>&1 &&
	   make -C "$bisect" O="$BUILD/obj-werror" -j"$JOBS" CC="ccache gcc" arch/x86/kvm/ >>"$log" 2>&1; then
		res pass "$name"
	else
		fail "$name # see $log"; grep -E -m 5 'error' "$log" | sed 's/^/    /'
	fi
done

# 3. sparse on arch/x86/kvm/ at the head, option on, against the base.
msg "sparse (C=2) on arch/x86/kvm/ at the head and at the base"
if ! sparse=$("$TOP/scripts/fetch-sparse.sh"); then
	fail "sparse arch/x86/kvm/ # no usable sparse (see above)"
elif [ "$(cd "$bisect" && sh scripts/checker-valid.sh "$sparse" -m64)" != 1 ]; then
	fail "sparse arch/x86/kvm/ # $sparse fails scripts/checker-valid.sh"
else
	kvm_build "$obj_on" "$BUILD/sparse-head.log" C=2 CHECK="$sparse" || true
	git -C "$bisect" checkout -q --detach "$BASE_REF"
	configure "$obj_off" off 2>/dev/null
	kvm_build "$obj_off" "$BUILD/sparse-base.log" C=2 CHECK="$sparse" || true
	checked=$(grep -c '^ *CHECK ' "$BUILD/sparse-head.log" || true)
	new=$(comm -23 <(warnings "$BUILD/sparse-head.log") <(warnings "$BUILD/sparse-base.log"))
	if [ "$checked" = 0 ]; then
		fail "sparse arch/x86/kvm/ # sparse checked no file (see $BUILD/sparse-head.log)"
	elif [ -n "$new" ]; then
		fail "sparse arch/x86/kvm/ # new warnings"; printf '%s\n' "$new" | sed 's/^/    /'
	else
		res pass "sparse arch/x86/kvm/ # $checked files"
	fi
fi

# 4. UAPI headers compile standalone (CONFIG_UAPI_HEADER_TEST), at the head.
git -C "$bisect" checkout -q --detach "$(git -C "$TREE" rev-parse HEAD)"
msg "UAPI header test at the head"
configure "$obj_on" on 2>/dev/null
if make -C "$bisect" O="$obj_on" -j"$JOBS" CC="ccache gcc" usr/ >"$BUILD/uapi.log" 2>&1; then
	res pass "uapi headers compile standalone"
else
	fail "uapi headers compile standalone # see $BUILD/uapi.log"
	grep -E -m 5 'error' "$BUILD/uapi.log" | sed 's/^/    /'
fi

# 5. One layout for every ABI: scripts/uapi-layout.c lists sizes, offsets
# and ioctl numbers; compiled to assembly (no libc needed) for each ABI.
layout() { gcc "$1" -S -o - -I "$obj_on/usr/include" "$TOP/scripts/uapi-layout.c" | awk '$1 == ".long" { print $2 }'; }
if ! l64=$(layout -m64) || [ -z "$l64" ]; then
	fail "uapi layout # scripts/uapi-layout.c does not compile against $obj_on/usr/include"
elif [ "$(layout -m32)" != "$l64" ] || [ "$(layout -mx32)" != "$l64" ]; then
	fail "uapi layout # -m64, -m32 and -mx32 differ:"
	diff <(echo "$l64") <(layout -m32) | sed 's/^/    /'
else
	res pass "uapi layout # structs, kvm_run offsets and ioctl numbers equal for -m64, -m32, -mx32 ($(wc -l <<<"$l64") values)"
fi

# 6. tools/include and tools/arch hold copies of UAPI headers for perf and
# friends; the tools maintainers sync them after the fact (perf's
# check-headers.sh reports the drift), KVM series do not touch them.  The
# selftests build against the installed headers (usr/include) instead.
touched=$(git -C "$TREE" diff --name-only "$BASE_REF" HEAD -- tools/include tools/arch)
if [ -n "$touched" ]; then
	fail "tools/ UAPI copies # the series touches them: $touched"
else
	res pass "tools/ UAPI copies left to the tools sync # the selftests use the installed headers"
fi
exit $rc
