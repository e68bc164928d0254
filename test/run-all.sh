#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every test of vostimer: unit (test/unit, make), the same unit tests under ASan and
# UBSan (unit-asan, make asan), cli (test/cli/test_vos2kam.sh, when present) and
# end-to-end (test/e2e/run.sh). Each suite prints its own tally line
# "<suite>: N passed, M failed"; this prints their sum, "N passed, M failed", and
# exits non-zero when any suite failed or gave no tally.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
total_pass=0 total_fail=0 rc=0

suite() { # $1 = name, rest = command; tees its output, adds its tally
	local name=$1 out st line
	shift
	echo "== $name: $*"
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	st=${PIPESTATUS[0]}
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
	rm -f "$out"
	if [ -z "$line" ]; then
		echo "$name: no tally line (exit status $st): counted as 1 failure"
		total_fail=$((total_fail + 1))
		rc=1
		return
	fi
	set -- $line
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $4))
	if [ "$st" -ne 0 ] || [ "$4" -ne 0 ]; then rc=1; fi
}

suite unit make -s -C test/unit
suite unit-asan make -s -j"$(nproc)" -C test/unit asan
if [ -x test/cli/test_vos2kam.sh ]; then
	suite cli test/cli/test_vos2kam.sh
elif [ -f test/cli/test_vos2kam.sh ]; then
	suite cli bash test/cli/test_vos2kam.sh
fi
suite e2e test/e2e/run.sh "$@"

echo "$total_pass passed, $total_fail failed"
exit $rc
