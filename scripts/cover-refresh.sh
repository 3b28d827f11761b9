#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cover-refresh.sh OLD NEW: print the cover letter OLD (headers, subject and
# text, as written by hand) with the patch count of NEW's subject and the
# shortlog, diffstat and base-commit trailer that git format-patch
# generated in NEW.
set -euo pipefail
shortlog='/^[^ \t].* \([0-9]+\):$/'
count=$(sed -n 's/^Subject: \[PATCH 0\/\([0-9]*\)\].*/\1/p' "$2")
awk "$shortlog { exit } { print }" "$1" |
	sed "s/^Subject: \[PATCH 0\/[0-9]*\]/Subject: [PATCH 0\/$count]/"
awk "$shortlog { p = 1 } p { print }" "$2"
