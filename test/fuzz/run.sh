#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs each libFuzzer target given (built by the Makefile here) for FUZZ_SECONDS
# (default 60) from its seed corpus corpus/<target>/ plus what earlier runs found
# (test/out/fuzz/<target>/corpus). Prints one line per target - seconds, runs,
# findings - and last "fuzz: N targets, R runs, F findings"; exit status 1 on any
# finding. A finding is a crash, a sanitizer report, a leak, a timeout (10 s for one
# input), running out of memory or a failed invariant; its input is kept as
# test/out/fuzz/<target>/<kind>-<hash> and the log as test/out/fuzz/<target>/log.
# Reproduce one: test/fuzz/<target> test/out/fuzz/<target>/crash-<hash>
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/../.." && pwd)/test/out/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-60}
total_runs=0 total_found=0 n=0

for t in "$@"; do
	t=$(basename "$t")
	dir=$OUT/$t
	mkdir -p "$dir/corpus"
	rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$dir"/slow-unit-*
	t0=$(date +%s)
	"$HERE/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/" \
		"$dir/corpus" "$HERE/corpus/$t" >"$dir/log" 2>&1
	st=$?
	secs=$(($(date +%s) - t0))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
	runs=${runs:-0}
	found=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
		-o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	if [ "$st" -ne 0 ] && [ "$found" -eq 0 ]; then found=1; fi
	echo "$t: $secs s, $runs runs, $found findings"
	if [ "$found" -ne 0 ]; then
		echo "  exit status $st; log: $dir/log"
		find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
			-o -name 'timeout-*' -o -name 'oom-*' \) -printf '  input: %p\n'
		grep -E 'ERROR|invariant failed|SUMMARY|#[0-9]+ ' "$dir/log" | head -n 12 | sed 's/^/  /'
	fi
	total_runs=$((total_runs + runs))
	total_found=$((total_found + found))
	n=$((n + 1))
done

echo "fuzz: $n targets, $total_runs runs, $total_found findings"
[ "$total_found" -eq 0 ]
