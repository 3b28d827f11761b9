#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check for the Debian packages the workbench needs; install the missing
# ones with apt-get when run as root, else print the command to run.
. "$(dirname "$0")/lib.sh"

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves kmod cpio
	xz-utils git ccache python3 perl	# kernel build
	python3-ply python3-git			# checkpatch (spdxcheck.py)
	python3-sphinx python3-yaml		# make htmldocs (its parser_yaml extension)
	uuid-dev rsync				# KVM selftests (kselftest-install uses rsync)
	qemu-system-x86 busybox-static		# the test VM
	xorriso isolinux syslinux-common	# Bochs (VT-x stage) boots an ISO; Bochs is
						# built from source (build-essential)
	meson ninja-build pkgconf libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev
						# QEMU with the project's fixes (the
						# test VM), from Debian's source package
	b4					# sending the series
	debian-archive-keyring			# the private apt configuration (lib.sh)
	ca-certificates				# https: b4, kvm-unit-tests without a snapshot
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	die "missing Debian packages; install them with:
  sudo apt-get install ${missing[*]}"
fi
msg "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -q update >/dev/null || die "apt-get update failed: is a Debian mirror reachable?"
apt-get -q install -y --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install ${missing[*]} failed"
