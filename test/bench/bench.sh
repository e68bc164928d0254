#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: the cost of vostimer against tm's own timers (idle CPU and wakeups, CPU
# per answered and per unanswered call, shared memory per transaction) and the
# send-time accuracy of its retransmissions, in one run, with a goal table.
# Runs test/bench/bench.py (see its header and doc/performance.md); the table goes to
# stdout and test/out/bench/result.txt, the raw figures to result.json. About 6 min.
# Not part of `make test`.
# Environment: BENCH_PARTS ("idle answered silent shm"), BENCH_IMPLS ("vostimer tm"),
# BENCH_CHILDREN (4), BENCH_SHM_MB (1024), BENCH_IDLE_SECS (30), BENCH_IDLE_SETTLE (3),
# BENCH_ANS_RATE (400), BENCH_ANS_SECS (20), BENCH_CALLS (2100), BENCH_RATE (150),
# BENCH_SHM_LEVELS ("1000 20000"), BENCH_SHM_RATES, BENCH_OUT, BENCH_TIMER_FIFO.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
for t in "${KAMAILIO_BIN:-kamailio}" sipp "${KAMCMD:-kamcmd}" gcc python3; do
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
