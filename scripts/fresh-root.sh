#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fresh-root.sh: prove the README on a brand-new Debian 12.  Debootstraps a
# bookworm minbase root from the Debian mirror into build/fresh-root, clones
# the committed HEAD of this repository into it as /work/main (FRESH_REPO=
# another git repository; uncommitted changes are NOT in the clone), and
# runs there, as root, exactly the README's two commands: "make", then
# "make check".  Nothing is installed in the root but what debootstrap
# puts there, "make" itself (apt-get install make: the README's commands
# need it) and what scripts/deps.sh installs.  ../shared (DESIGN.md, the
# vendored snapshots) is bound read-only next to the clone, as here.
#
# Cold by default: a new root, empty caches, every package and the base
# downloaded, every object compiled.  FRESH_CACHE=1 binds this machine's
# ~/.cache/dsm-irq-forward and ~/.cache/ccache into the root (and keeps the
# downloaded .debs in build/fresh-cache) to make it fast.  FRESH_EXTRA="T..."
# runs "make T" there too, after "make check" (e.g. check-kvmtool);
# FRESH_CHECK=0 leaves "make check" out (to prove a later target alone).
#
# The mounts (/proc, /sys, /dev, the caches) are made in a mount namespace
# of the run's own: nothing outside sees them, they vanish when the run
# ends however it ends, and "rm -rf build" never walks into them; a trap
# also unmounts them in order.  Results: build/fresh-root.results, one
# "pass|fail fresh-root: STEP # time, ..." line per step; the log of the
# run is build/fresh-root.log.
. "$(dirname "$0")/lib.sh"

root=$BUILD/fresh-root
repo=${FRESH_REPO:-$TOP}
shared=$(realpath -m "$TOP/../shared")
results=$BUILD/fresh-root.results
debs=$BUILD/fresh-cache/debs
archives=$BUILD/fresh-cache/archives
host_ccache=$CCACHE_DIR

# step NAME CMD...: run CMD, time it, and write its result line.
step() {
	local name=$1 start=$SECONDS rc=0 t
	shift
	msg "fresh root: $name"
	"$@" || rc=$?
	t=$((SECONDS - start))
	t="$((t / 60)) min $((t % 60)) s"
	if [ $rc = 0 ]; then
		echo "pass fresh-root: $name # $t" >>"$results"
	else
		echo "fail fresh-root: $name # $t, exit code $rc" >>"$results"
	fi
	return $rc
}

# in_root CMD: run the shell command CMD in the root as a root login would
# (a clean environment, HOME=/root, Debian's PATH).
in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "$1"
}

if [ "${1:-}" = --in-namespace ]; then
	# In the private mount namespace.
	undo=()
	cleanup() { # unmount in the reverse order (a safety net: the namespace goes anyway)
		local i
		for ((i = ${#undo[@]} - 1; i >= 0; i--)); do umount -R -l "${undo[i]}" 2>/dev/null || true; done
	}
	trap cleanup EXIT
	bind() { # bind [-r] SRC DST
		local ro=
		[ "$1" != -r ] || { ro=1; shift; }
		mkdir -p "$2"
		mount --rbind "$1" "$2" && undo+=("$2")
		[ -z "$ro" ] || mount -o remount,bind,ro "$2"
	}
	mount -t proc proc "$root/proc" && undo+=("$root/proc")
	mount -t sysfs sysfs "$root/sys" && undo+=("$root/sys")
	bind /dev "$root/dev"
	[ ! -d "$shared" ] || bind -r "$shared" "$root/work/shared"
	if [ "${FRESH_CACHE:-}" = 1 ]; then
		mkdir -p "$CACHE" "$host_ccache" "$archives"
		bind "$CACHE" "$root/root/.cache/dsm-irq-forward"
		bind "$host_ccache" "$root/root/.cache/ccache"
		bind "$archives" "$root/var/cache/apt/archives"
	fi
	rc=0
	step "apt-get install make" in_root 'apt-get -q update && apt-get -q install -y make' || exit 1
	step "make" in_root 'cd /work/main && make' || exit 1
	if [ "${FRESH_CHECK:-1}" != 0 ]; then
		step "make check" in_root 'cd /work/main && make check' || rc=$?
	fi
	for t in ${FRESH_EXTRA:-}; do
		step "make $t" in_root "cd /work/main && make $t" || rc=$?
	done
	exit $rc
fi

[ "$(id -u)" = 0 ] || die "fresh-root.sh needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || die "debootstrap not found: apt-get install debootstrap"
command -v unshare >/dev/null || die "unshare not found: apt-get install util-linux"
git -C "$repo" rev-parse -q --verify HEAD >/dev/null || die "FRESH_REPO=$repo is not a git repository with a commit"

mkdir -p "$BUILD"
exec > >(tee "$BUILD/fresh-root.log") 2>&1
: >"$results"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
	warn "$repo has uncommitted changes: the fresh root tests its committed HEAD only"
fi
msg "fresh root: $(git -C "$repo" log -1 --format='%h %s' HEAD) of $repo, $([ "${FRESH_CACHE:-}" = 1 ] && echo "with this machine's caches" || echo cold)"

if [ -d "$root" ]; then
	# Nothing can be mounted there from this namespace, but make sure.
	! grep -q " $root/" /proc/self/mounts || die "something is mounted under $root: unmount it first"
	rm -rf --one-file-system "$root"
fi
opts=(--variant=minbase)
[ "${FRESH_CACHE:-}" != 1 ] || { mkdir -p "$debs"; opts+=(--cache-dir="$debs"); }
debootstrap_root() {
	debootstrap "${opts[@]}" bookworm "$root" "$BASE_MIRROR" >"$BUILD/fresh-debootstrap.log" 2>&1 ||
		{ tail -n 20 "$BUILD/fresh-debootstrap.log"; return 1; }
	# The suites of a default Debian 12 installation, and the host's DNS.
	cat >"$root/etc/apt/sources.list" <<-EOF
	deb $BASE_MIRROR bookworm main
	deb $BASE_MIRROR bookworm-updates main
	deb ${BASE_MIRROR%/debian}/debian-security bookworm-security main
	EOF
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	# A mirror that serves Release files past their Valid-Until (a frozen
	# snapshot) needs the host's setting; the root takes it, nothing else.
	if [ "$(apt-config dump Acquire::Check-Valid-Until --format '%v')" = false ]; then
		warn "this machine's apt does not check Valid-Until (its mirror serves expired Release files): the root does not either"
		echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99fresh-root-mirror"
	fi
}
step "debootstrap bookworm minbase ($BASE_MIRROR)" debootstrap_root || exit 1
git clone -q "$repo" "$root/work/main"
msg "cloned $(git -C "$root/work/main" log -1 --format=%h) into $root/work/main"

rc=0
unshare --mount --propagation private "$0" --in-namespace || rc=$?
echo
echo "Results (times on $(nproc) cores):"
sed 's/^/  /' "$results"
[ ! -f "$root/work/main/build/check.log" ] ||
	sed -n 's/^\([0-9]* passed, .*\)/  make check: \1/p' "$root/work/main/build/check.log" | tail -n 1
exit $rc
