#!/usr/bin/env python3
"""bench.py: send-time accuracy of vostimer's retransmissions vs tm's own timers.

Two runs on this machine, one after the other, identical but for the timer in charge:

  vostimer  bench.cfg + vostimer with resend_interval "0.5,1,2,4,4,4"
            (sends at 0, 0.5, 1.5, 3.5, 7.5, 11.5 s, gives up at 15.5 s)
  tm        bench.cfg without vostimer: tm's retr_timer1 500 / retr_timer2 4000 /
            fr_timer 15500 - the same six instants

In each, sipp places CALLS calls at RATE cps (-nr: sipp never retransmits), so all of
them are alive together (CALLS/RATE < 15.5 s); kamailio relays each INVITE to one
silent gateway (vsrecv.c, a recvmmsg receiver that stamps CLOCK_MONOTONIC per
datagram). Per Call-ID, error_k = (arrival_k - arrival_0) - S_k for k = 1..5, so the
gateway's receive latency only enters as its jitter. The table gives p50 / p99 / max
of |error_k| over every retransmission of every branch, the number of branches and
sends, and the peak number of branches scheduled at once (vostimer:scheduled; for tm,
tm.stats "current" transactions), sampled over the bench's own binrpc ctl socket.

Environment: BENCH_CALLS (2100), BENCH_RATE (150), BENCH_CHILDREN (4), BENCH_IMPLS
("vostimer tm"), BENCH_OUT (test/out/bench), BENCH_TIMER_FIFO (diagnostic: 1 runs
the timer processes under SCHED_FIFO, to separate CPU scheduling latency from the
rest; off by default - the default is what a stock deployment gets).
"""
import json
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.environ.get("BENCH_OUT", os.path.join(ROOT, "test", "out", "bench"))
CALLS = int(os.environ.get("BENCH_CALLS", "2100"))
RATE = int(os.environ.get("BENCH_RATE", "150"))
CHILDREN = int(os.environ.get("BENCH_CHILDREN", "4"))
IMPLS = os.environ.get("BENCH_IMPLS", "vostimer tm").split()
# diagnostic: run the timer processes under SCHED_FIFO (vostimer: its resend/expire
# processes; tm: the core timer processes) to tell scheduling latency from the rest
TIMER_FIFO = os.environ.get("BENCH_TIMER_FIFO", "") not in ("", "0")
FIFO_PROCS = {"vostimer": ("vostimer resend", "vostimer expire"),
              "tm": ("timer", "slow timer", "secondary timer")}
SCHEDULE = "0.5,1,2,4,4,4"
INSTANTS_S = [0.0, 0.5, 1.5, 3.5, 7.5, 11.5]  # the sends; gives up at 15.5 s
GIVEUP_S = 15.5

procs = []   # (name, Popen, is_group)


def log(msg):
    print("bench: " + msg, flush=True)


# ---- ports: the test harness's own picker (same lock dir: never collides with tests)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import KAMAILIO, KAMCMD, MPATH, VOSTIMER_SO, free_port  # noqa: E402


def udp_bound(port):
    want = ":%04X" % port
    with open("/proc/net/udp") as f:
        return any(l.split()[1].endswith(want) for l in f.readlines()[1:])


# ---- processes ------------------------------------------------------------------------
def _pdeathsig():
    import ctypes
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)


def spawn(name, argv, out, group=False, **kw):
    f = open(out, "ab")
    p = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=group, preexec_fn=_pdeathsig, **kw)
    f.close()
    procs.append((name, p, group))
    return p


def stop(p, group=False, grace=5.0):
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM) if group else p.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL) if group else p.kill()
            except ProcessLookupError:
                pass
            p.wait(2)
    if group:  # children of the group outliving their leader
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for i, (_, q, _) in enumerate(procs):
        if q is p:
            del procs[i]
            break


def stop_all():
    for name, p, group in list(reversed(procs)):
        stop(p, group)


def on_signal(signum, _frame):
    log("signal %d: stopping" % signum)
    stop_all()
    sys.exit(128 + signum)


def rpc(ctl, *cmd):
    try:
        p = subprocess.run([KAMCMD, "-s", "unix:" + ctl] + list(cmd),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=5)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired:
        return -1, ""


# ---- one run ---------------------------------------------------------------------------
def run(impl, recv_bin):
    d = os.path.join(OUT, impl)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        p = os.path.join(d, f)
        if os.path.isfile(p) or os.path.islink(p):
            os.unlink(p)
    kport, gport, sport = free_port(), free_port(), free_port()
    ctl = os.path.join(d, "ctl.sock")
    arrivals = os.path.join(d, "arrivals.txt")

    # the silent gateway
    gw = spawn("vsrecv", [recv_bin, str(gport), arrivals], os.path.join(d, "vsrecv.out"))
    deadline = time.monotonic() + 5
    while not udp_bound(gport):
        if gw.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("vsrecv did not start: see %s/vsrecv.out" % d)
        time.sleep(0.02)

    # kamailio
    vos = ""
    if impl == "vostimer":
        # timeout_invite 0: the INVITE stage is not cut short (VOS3000's default 10 s
        # would end the branch before the send at 11.5 s)
        vos = ('loadmodule "%s"\nmodparam("vostimer", "resend_interval", "%s")\n'
               'modparam("vostimer", "timeout_invite", "0")' % (VOSTIMER_SO, SCHEDULE))
    with open(os.path.join(HERE, "bench.cfg")) as f:
        cfg = f.read()
    for k, v in {"PORT": kport, "MPATH": MPATH, "CTL": ctl, "GW": "127.0.0.1:%d" % gport,
                 "CHILDREN": CHILDREN, "VOSTIMER": vos}.items():
        cfg = cfg.replace("@@%s@@" % k, str(v))
    cfgfile = os.path.join(d, "kamailio.cfg")
    with open(cfgfile, "w") as f:
        f.write(cfg)
    os.makedirs(os.path.join(d, "run"), exist_ok=True)
    kargv = [KAMAILIO, "-DD", "-E", "-f", cfgfile, "-L", MPATH, "-Y",
             os.path.join(d, "run"), "-P", os.path.join(d, "run", "kamailio.pid"),
             "-m", "256", "-M", "16"]
    kam = spawn("kamailio", kargv, os.path.join(d, "kamailio.log"), group=True, cwd=d)
    deadline = time.monotonic() + 15
    while True:
        if kam.poll() is not None:
            raise RuntimeError("kamailio (%s) exited at start-up: see %s/kamailio.log"
                               % (impl, d))
        if udp_bound(kport) and os.path.exists(ctl) and rpc(ctl, "core.version")[0] == 0:
            break
        if time.monotonic() > deadline:
            raise RuntimeError("kamailio (%s) did not start: see %s/kamailio.log" % (impl, d))
        time.sleep(0.05)

    if TIMER_FIFO:
        rc, out = rpc(ctl, "core.psx")
        for pid, dsc in re.findall(r"PID:\s*(\d+)\s*\n\s*DSC:\s*([^\n]+)", out):
            if dsc.strip() in FIFO_PROCS[impl]:
                subprocess.run(["chrt", "-f", "-p", "10", pid], check=False)
                log("%s: %s (pid %s) under SCHED_FIFO 10" % (impl, dsc.strip(), pid))

    # sampler: peak scheduled branches (vostimer) / current transactions (tm)
    samples = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            t = time.monotonic()
            row = {"t": t}
            rc, out = rpc(ctl, "tm.stats")
            m = re.search(r"current:\s*(\d+)", out)
            if m:
                row["tm_current"] = int(m.group(1))
            if impl == "vostimer":
                rc, out = rpc(ctl, "stats.get_statistics", "vostimer:")
                m = re.search(r"vostimer:scheduled\s*=\s*(-?\d+)", out)
                if m:
                    row["scheduled"] = int(m.group(1))
                rc, out = rpc(ctl, "vostimer.timers")
                m = re.search(r"resend_entries:\s*(\d+)", out)
                if m:
                    row["resend_entries"] = int(m.group(1))
            samples.append(row)
            done.wait(max(0.0, 0.5 - (time.monotonic() - t)))

    th = threading.Thread(target=sample, daemon=True)
    th.start()

    # the caller
    sargv = ["sipp", "127.0.0.1:%d" % kport, "-sf", os.path.join(HERE, "uac.xml"),
             "-t", "u1", "-i", "127.0.0.1", "-p", str(sport), "-m", str(CALLS),
             "-r", str(RATE), "-rp", "1000", "-l", str(CALLS * 2), "-nr", "-nostdin",
             "-max_socket", "4096", "-trace_err", "-error_file",
             os.path.join(d, "sipp.err"), "-trace_stat", "-stf",
             os.path.join(d, "sipp.csv")]
    t_start = time.monotonic()
    sipp = spawn("sipp", sargv, os.path.join(d, "sipp.out"), cwd=d)
    limit = CALLS / RATE + GIVEUP_S + 20
    try:
        src = sipp.wait(limit)
    except subprocess.TimeoutExpired:
        src = None
        stop(sipp)
    t_sipp = time.monotonic() - t_start
    time.sleep(0.5)  # a late datagram, a last sample
    done.set()
    th.join(5)
    stop(kam, group=True)
    stop(gw)
    stop(sipp)
    with open(os.path.join(d, "samples.jsonl"), "w") as f:
        for s in samples:
            f.write(json.dumps(s) + "\n")
    res = analyse(impl, arrivals)
    res.update({"sipp_rc": src, "sipp_secs": round(t_sipp, 1)})
    res["peak_tm_current"] = max([s.get("tm_current", 0) for s in samples] or [0])
    if impl == "vostimer":
        res["peak_scheduled"] = max([s.get("scheduled", 0) for s in samples] or [0])
        res["peak_resend_entries"] = max([s.get("resend_entries", 0) for s in samples] or [0])
    else:
        res["peak_scheduled"] = res["peak_tm_current"]
    return res


# ---- analysis ----------------------------------------------------------------------------
def pct(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    # nearest rank
    k = min(len(sorted_vals) - 1, max(0, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def analyse(impl, path):
    per_call = {}
    other = 0
    with open(path) as f:
        for line in f:
            parts = line.split(" ", 3)
            if len(parts) < 4:
                continue
            mono, kts, method, cid = int(parts[0]), int(parts[1]), parts[2], parts[3].strip()
            if method != "INVITE":
                other += 1
                continue
            per_call.setdefault(cid, []).append((mono, kts))
    want = len(INSTANTS_S)
    errs, errs_k = [], []
    by_k = {k: [] for k in range(1, want)}
    missing = extra = short_calls = long_calls = 0
    for cid, arr in per_call.items():
        arr.sort()
        n = len(arr)
        if n < want:
            missing += want - n
            short_calls += 1
        elif n > want:
            extra += n - want
            long_calls += 1
        m0, k0 = arr[0]
        for k in range(1, min(n, want)):
            e = (arr[k][0] - m0) / 1e6 - INSTANTS_S[k] * 1000.0
            errs.append(e)
            by_k[k].append(e)
            if arr[k][1] and k0:
                errs_k.append((arr[k][1] - k0) / 1e6 - INSTANTS_S[k] * 1000.0)
    a = sorted(abs(e) for e in errs)
    ak = sorted(abs(e) for e in errs_k)
    res = {"impl": impl, "branches": len(per_call),
           "sends": sum(len(v) for v in per_call.values()),
           "retransmissions_measured": len(errs),
           "p50_ms": pct(a, 50), "p99_ms": pct(a, 99), "max_ms": a[-1] if a else float("nan"),
           "mean_signed_ms": sum(errs) / len(errs) if errs else float("nan"),
           "kernel_p50_ms": pct(ak, 50), "kernel_p99_ms": pct(ak, 99),
           "kernel_max_ms": ak[-1] if ak else float("nan"),
           "missing_sends": missing, "extra_sends": extra,
           "branches_short": short_calls, "branches_long": long_calls,
           "other_datagrams": other,
           "over_2ms": sum(1 for e in a if e > 2.0),
           "kernel_over_2ms": sum(1 for e in ak if e > 2.0)}
    res["by_k"] = {}
    for k, v in by_k.items():
        s = sorted(abs(e) for e in v)
        res["by_k"]["S%g" % INSTANTS_S[k]] = {
            "n": len(v), "p50_ms": pct(s, 50), "p99_ms": pct(s, 99),
            "max_ms": s[-1] if s else float("nan"),
            "mean_signed_ms": sum(v) / len(v) if v else float("nan")}
    return res


def table(results):
    hdr = "%-9s %9s %7s %8s %8s %8s %15s" % ("impl", "branches", "sends", "p50_ms",
                                              "p99_ms", "max_ms", "peak_scheduled")
    lines = [hdr]
    for r in results:
        lines.append("%-9s %9d %7d %8.3f %8.3f %8.3f %15d" % (
            r["impl"], r["branches"], r["sends"], r["p50_ms"], r["p99_ms"], r["max_ms"],
            r["peak_scheduled"]))
    lines += ["", "the same errors from the kernel's receive stamps (SO_TIMESTAMPNS), "
              "without the gateway's own wake-up latency:",
              "%-9s %8s %8s %8s %10s %10s %8s" % ("impl", "p50_ms", "p99_ms", "max_ms",
                                                  "missing", "extra", ">2ms")]
    for r in results:
        lines.append("%-9s %8.3f %8.3f %8.3f %10d %10d %8d" % (
            r["impl"], r["kernel_p50_ms"], r["kernel_p99_ms"], r["kernel_max_ms"],
            r["missing_sends"], r["extra_sends"], r["kernel_over_2ms"]))
    return "\n".join(lines)


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[:3]
    except OSError:
        return []


def main():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    os.makedirs(OUT, exist_ok=True)
    t0 = time.monotonic()
    if "vostimer" in IMPLS and not os.path.exists(VOSTIMER_SO):
        sys.exit("bench: no module at %s (make module)" % VOSTIMER_SO)
    recv_bin = os.path.join(OUT, "vsrecv")
    subprocess.run(["gcc", "-O2", "-Wall", "-o", recv_bin, os.path.join(HERE, "vsrecv.c")],
                   check=True)
    load = loadavg()
    log("%d calls at %d cps per run (%.1f s of calls, all alive together for %.1f s), "
        "schedule %s, %d UDP workers; load average before: %s"
        % (CALLS, RATE, CALLS / RATE, GIVEUP_S, SCHEDULE, CHILDREN, " ".join(load)))
    results = []
    try:
        for impl in IMPLS:
            log("run %s ..." % impl)
            t = time.monotonic()
            r = run(impl, recv_bin)
            r["run_secs"] = round(time.monotonic() - t, 1)
            results.append(r)
            log("run %s done in %.1f s: %d branches, %d sends (missing %d, extra %d), "
                "sipp rc %s" % (impl, r["run_secs"], r["branches"], r["sends"],
                                 r["missing_sends"], r["extra_sends"], r["sipp_rc"]))
    finally:
        stop_all()
    tab = table(results)
    secs = time.monotonic() - t0
    notes = []
    for r in results:
        notes.append("%s: %d retransmissions measured (5 per branch), mean signed error "
                     "%+.3f ms, |error| > 2 ms: %d; sends per branch: %d branches short "
                     "of 6 (%d sends missing), %d over 6 (%d extra); sipp rc %s"
                     % (r["impl"], r["retransmissions_measured"], r["mean_signed_ms"],
                        r["over_2ms"], r["branches_short"], r["missing_sends"],
                        r["branches_long"], r["extra_sends"], r["sipp_rc"]))
        if r["impl"] == "vostimer":
            notes.append("vostimer: peak resend heap entries %d, peak tm transactions %d"
                         % (r["peak_resend_entries"], r["peak_tm_current"]))
    for r in results:
        if r["impl"] == "vostimer":
            notes.append("goal p99 <= 2 ms: %s (vostimer p99 %.3f ms)"
                         % ("met" if r["p99_ms"] <= 2.0 else "MISSED", r["p99_ms"]))
    text = (tab + "\n\n" + "\n".join(notes) +
            "\n\n(error = |(arrival_k - arrival_0) - S_k| at the gateway, k = 1..5, "
            "S = %s s; %d calls at %d cps; %d CPUs, load average before %s, after %s; "
            "bench took %.0f s)\n"
            % (",".join("%g" % s for s in INSTANTS_S[1:]), CALLS, RATE, os.cpu_count(),
               "/".join(load), "/".join(loadavg()), secs))
    print()
    print(text, flush=True)
    with open(os.path.join(OUT, "result.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(OUT, "result.json"), "w") as f:
        json.dump(results, f, indent=1)
    ok = all(r["branches"] >= min(CALLS, 2000) for r in results)
    if not ok:
        log("fewer branches reached the gateway than calls placed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
