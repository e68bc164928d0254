#!/bin/bash
# make bench: send-time accuracy of vostimer's retransmissions vs tm's own timers.
# Runs test/bench/bench.py (see its header and doc/performance.md); the table goes to
# stdout and test/out/bench/result.txt. Not part of `make test`.
# Environment: BENCH_CALLS (2100), BENCH_RATE (150), BENCH_CHILDREN (4),
# BENCH_IMPLS ("vostimer tm").
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
for t in kamailio sipp kamcmd gcc python3; do
	command -v "$t" >/dev/null || { echo "bench: $t not found"; exit 1; }
done
pid=
cleanup() {
	# bench.py stops what it started on SIGTERM; only our own child is signalled here
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT
python3 "$HERE/bench.py" "$@" &
pid=$!
wait "$pid"
rc=$?
pid=
exit $rc
