#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cover-refresh.sh OLD NEW: print the cover letter OLD (headers, subject and
# text, as written by hand) with the subject prefix and patch count of NEW's
# subject ("[PATCH 0/7]", "[RFC PATCH v2 0/7]") and the shortlog, diffstat
# and base-commit trailer (if any) that git format-patch generated in NEW.
set -euo pipefail
shortlog='/^[^ \t].* \([0-9]+\):$/'
bracket=$(sed -n 's/^Subject: \(\[[^]]* 0*\/[0-9]*\]\).*/\1/p' "$2")
awk "$shortlog { exit } { print }" "$1" |
	sed "s|^Subject: \[[^]]* 0*/[0-9]*\]|Subject: $bracket|"
awk "$shortlog { p = 1 } p { print }" "$2"
