# SPDX-License-Identifier: GPL-2.0
# Common settings for the workbench scripts; sourced, not run.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/base.conf"

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/dsm-irq-forward
BUILD=$TOP/build
# The kernel tree: the work tree, or the user's own git tree (KSRC=...);
# DSM_TREE is for the scripts themselves (a worktree of it).
TREE=${DSM_TREE:-${KSRC:-$BUILD/linux}}
# Where the series starts in $TREE.
BASE_REF=${KSRC:+dsm-irq-forward-base}
BASE_REF=${BASE_REF:-base}
# Out-of-tree build directories; DSM_OBJ_VM is for the scripts themselves
# (bench.sh builds the test kernel without the option elsewhere).
OBJ_VM=${DSM_OBJ_VM:-$BUILD/obj-vm}
SELFTESTS=$BUILD/selftests
JOBS=${JOBS:-$(nproc)}

export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
# Hits across clones in other folders (CI): paths relative to the checkout.
export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
# Do not let the time of the day defeat ccache.
export KBUILD_BUILD_TIMESTAMP='2026-01-01'
export KBUILD_BUILD_USER=dsm KBUILD_BUILD_HOST=workbench

msg() { printf '>>> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# kmake OBJDIR ARGS...: make in the kernel tree with ccache.
kmake() {
	local obj=$1; shift
	make -C "$TREE" O="$obj" -j"$JOBS" CC="ccache gcc" "$@"
}

need_tree() {
	git -C "$TREE" rev-parse -q --verify "$BASE_REF" >/dev/null 2>&1 ||
		die "no kernel work tree at $TREE (run 'make tree')"
}

# logged LOG CMD...: run CMD with its output in LOG, printing progress every
# 30 seconds; on failure show the end of LOG.
logged() {
	local log=$1 pid rc=0 t=0; shift
	"$@" >"$log" 2>&1 &
	pid=$!
	while ! wait_for "$pid" 30; do
		t=$((t + 30))
		printf '    ... %d min %02d s, %d files compiled, last: %s\n' $((t / 60)) $((t % 60)) \
			"$(grep -c '^ *CC ' "$log")" "$(tail -n 1 "$log" | cut -c1-60)" >&2
	done
	wait "$pid" || rc=$?
	if [ $rc != 0 ]; then
		grep -E -m 20 'error|Error|ERROR' "$log" >&2 || tail -n 20 "$log" >&2
	fi
	return $rc
}

# wait_for PID SECONDS: true once PID has exited, false after SECONDS.
wait_for() {
	local i
	for ((i = 0; i < $2; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 1
	done
	return 1
}

# private_apt DIR "deb|deb-src SUITE"...: a private apt configuration in DIR
# that reads only those suites of $BASE_MIRROR, never touches the system's
# package lists and never installs anything; exports APT_CONFIG and runs
# apt-get update.
private_apt() {
	local apt=$1 line
	shift
	mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc/parts" "$apt/etc/prefs"
	for line; do
		echo "${line% *} [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $BASE_MIRROR ${line#* } main"
	done >"$apt/etc/sources.list"
	cat >"$apt/apt.conf" <<EOC
Dir::State::lists "$apt/lists";
Dir::Cache "$apt";
Dir::Cache::archives "$apt/archives";
Dir::Etc::sourcelist "$apt/etc/sources.list";
Dir::Etc::sourceparts "$apt/etc/parts";
Dir::Etc::preferencesparts "$apt/etc/prefs";
APT::Sandbox::User "root";
EOC
	export APT_CONFIG=$apt/apt.conf
	msg "reading the package lists of $(IFS=,; echo "$*") from $BASE_MIRROR"
	apt-get -q update >"$apt/update.log" 2>&1 ||
		die "cannot read $* from $BASE_MIRROR (see $apt/update.log): check the network or the mirror"
}
