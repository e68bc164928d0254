#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end tests: real kamailio + vostimer, real SIP peers (test/lib/gw.py, sipp).
#   test/e2e/run.sh                 all of test/e2e/t_*.py (and t_*.sh)
#   test/e2e/run.sh t_foo t_bar     a subset (names with or without t_ / extension)
# Runs E2E_JOBS (4) tests at a time - each has its own ports and test/out/<name>/ -
# longest first (by the timeout each test declares), then the tests marked
# "# e2e: alone" (timing that load from parallel tests would disturb) one by one;
# prints "ok - name (secs)", "not ok - name" with its reason lines, or "skip - name (why)" for a test that does
# not apply to the Kamailio under test (exit status 77: counted neither way), then
# "e2e: N passed, M failed".
# Exit status: non-zero when a test failed. E2E_TIMEOUT caps any test (300 s).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT="$ROOT/test/out"
JOBS=${E2E_JOBS:-4}
CAP=${E2E_TIMEOUT:-300}
mkdir -p "$OUT"

tests=()
if [ $# -gt 0 ]; then
	for a in "$@"; do
		a=${a%.py}; a=${a%.sh}; a=${a##*/}; a=t_${a#t_}
		f=$(ls "$HERE/$a.py" "$HERE/$a.sh" 2>/dev/null | head -1)
		[ -n "$f" ] || { echo "not ok - $a"; echo "#   no test $HERE/$a.py or .sh"; echo "e2e: 0 passed, 1 failed"; exit 1; }
		tests+=("$f")
	done
else
	for f in "$HERE"/t_*.py "$HERE"/t_*.sh; do [ -e "$f" ] && tests+=("$f"); done
fi
# longest first: the timeout=N a test declares is a fair hint of how long it runs
mapfile -t tests < <(for f in "${tests[@]}"; do
	n=$(grep -oE 'timeout=[0-9]+' "$f" | tail -1 | cut -d= -f2)
	echo "${n:-60} $f"; done | sort -k1,1nr -k2 | cut -d' ' -f2-)

so=${VOSTIMER_SO:-$ROOT/modules/vostimer/vostimer.so}
[ -f "$so" ] || echo "# warning: no module at $so (make module): most tests will fail"

declare -A pid_of=() start_of=()
pass=0 fail=0 skipped=0
t_start=$(date +%s.%N)

finish() { # $1 = test file; prints its verdict
	local f=$1 name rc secs
	name=$(basename "${f%.*}")
	rc=$(cat "$OUT/$name/rc" 2>/dev/null || echo 99)
	secs=$(awk -v a="$(date +%s.%N)" -v b="${start_of[$f]}" 'BEGIN{print a-b}')
	secs=$(printf '%.1f' "$secs")
	if [ "$rc" = 0 ]; then
		echo "ok - $name (${secs}s)"
		pass=$((pass + 1))
	elif [ "$rc" = 77 ]; then # the test does not apply to this Kamailio
		echo "skip - $name ($(sed -n 's/^skipped: //p' "$OUT/$name/reasons.txt" 2>/dev/null))"
		skipped=$((skipped + 1))
	else
		echo "not ok - $name (${secs}s, rc $rc)"
		if [ -s "$OUT/$name/reasons.txt" ]; then
			sed 's/^/#   /' "$OUT/$name/reasons.txt"
		else
			tail -n 15 "$OUT/$name/test.log" | sed 's/^/#   /'
		fi
		# kept apart: the next run of the suite overwrites test/out/<name>/
		keep="failed/$name.$(date +%Y%m%d-%H%M%S)"
		mkdir -p "$OUT/failed" && cp -r "$OUT/$name" "$OUT/$keep" 2>/dev/null
		echo "#   logs: test/out/$name/ (kept in test/out/$keep/)"
		fail=$((fail + 1))
	fi
}

run_one() { # in the background: the test with its own cap; TERM is passed on to it
	local f=$1 name c rc
	name=$(basename "${f%.*}")
	case $f in
	*.py) timeout -k 10 "$CAP" python3 "$f" >"$OUT/$name/test.log" 2>&1 & ;;
	*) timeout -k 10 "$CAP" bash "$f" >"$OUT/$name/test.log" 2>&1 & ;;
	esac
	c=$!
	trap 'kill -TERM $c 2>/dev/null; wait $c; exit 143' TERM
	wait $c
	rc=$?
	echo $rc >"$OUT/$name/rc"
}

trap 'for p in "${pid_of[@]}"; do kill -TERM "$p" 2>/dev/null; done; wait; echo "e2e: interrupted, $pass passed, $((fail + ${#pid_of[@]})) failed"; exit 130' INT TERM

# A test whose timing suffers from its neighbours' CPU (one that says "# e2e: alone")
# runs after the others, by itself.
alone=() together=()
for f in "${tests[@]}"; do
	if grep -q '^# e2e: alone' "$f"; then alone+=("$f"); else together+=("$f"); fi
done

reap() { # wait until fewer than $1 tests run
	while [ "${#pid_of[@]}" -ge "$1" ]; do
		wait -n 2>/dev/null
		for g in "${!pid_of[@]}"; do
			kill -0 "${pid_of[$g]}" 2>/dev/null || { wait "${pid_of[$g]}" 2>/dev/null; finish "$g"; unset "pid_of[$g]"; }
		done
	done
}

start() {
	local f=$1 name
	name=$(basename "${f%.*}")
	rm -rf "${OUT:?}/$name"
	mkdir -p "$OUT/$name"
	start_of[$f]=$(date +%s.%N)
	run_one "$f" &
	pid_of[$f]=$!
}

for f in "${together[@]}"; do
	reap "$JOBS"
	start "$f"
done
reap 1
for f in "${alone[@]}"; do
	start "$f"
	reap 1
done

wall=$(awk -v a="$(date +%s.%N)" -v b="$t_start" 'BEGIN{printf "%.1f", a-b}')
echo "# e2e wall time ${wall}s"
[ "$skipped" -eq 0 ] || echo "# e2e: $skipped skipped (not counted)"
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
