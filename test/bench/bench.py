#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench.py: the cost of vostimer against tm's own timers, and its send-time accuracy.

Every part runs kamailio twice on this machine, one run after the other, identical but
for the timer in charge (BENCH_IMPLS):

  vostimer  bench.cfg + vostimer with resend_interval "0.5,1,2,4,4,4"
            (sends at 0, 0.5, 1.5, 3.5, 7.5, 11.5 s, gives up at 15.5 s)
  tm        bench.cfg without vostimer: tm's retr_timer1 500 / retr_timer2 4000 /
            fr_timer 15500 - the same six instants

Each run starts a kamailio of its own (-m BENCH_SHM_MB, BENCH_CHILDREN UDP workers,
started in a process group of its own) and stops it afterwards. The parts
(BENCH_PARTS, default "idle answered silent shm"):

  idle      no calls. After BENCH_IDLE_SETTLE s, over BENCH_IDLE_SECS s: CPU = the
            sum of utime+stime (/proc/<pid>/stat) over every process in kamailio's
            process group; wakeups/s = the sum of voluntary_ctxt_switches +
            nonvoluntary_ctxt_switches (/proc/<pid>/task/*/status) over the same
            processes, divided by the seconds. No RPC during the window. The same
            CPU time from /proc/<pid>/task/*/schedstat (ns) gets a row of its own:
            stat's 10 ms ticks, rounded down per process, are too coarse here - when
            a run has under COARSE_TICKS (20) ticks, the stat row is marked "coarse"
            instead of pass/FAIL.
  answered  sipp (uac-answered.xml: INVITE, 200, ACK, BYE, 200) at BENCH_ANS_RATE cps
            for BENCH_ANS_SECS s through kamailio (record-routed; ACK and BYE
            in-dialog) to vsanswer.c, which answers INVITE and BYE with 200 at once.
            CPU per call = kamailio's CPU from just before sipp starts until every
            transaction is gone (tm.stats current 0, i.e. after tm's 5 s wait timer)
            / calls sipp created. With vostimer in BENCH_IMPLS the part runs once
            more as "vostimer-nofig": the same module with its per-gateway figures
            off (modparam gateway_max 0); the line under the goal table gives
            CPU per answered call with the figures on (every INVITE branch takes
            its gateway's entry lock at start and at end) and off, and the ratio
            (goal <= 1.05). BENCH_FIGURES=0 skips that run.
  silent    the send-time accuracy run: BENCH_CALLS calls at BENCH_RATE cps
            (uac.xml, -nr: sipp never retransmits) to the silent gateway vsrecv.c,
            all alive together (CALLS/RATE < 15.5 s). Per Call-ID, error_k =
            (arrival_k - arrival_0) - S_k for k = 1..5; the table gives p50 / p99 /
            max of |error_k|, branches, sends, peak branches scheduled at once. CPU
            per call as for answered (the window ends when the 408'd transactions
            have left tm's wait timer).
  shm       the silent run's shape at each of BENCH_SHM_LEVELS concurrent
            transactions ("1000 20000"): LEVEL calls at max(200, LEVEL/15) cps, so
            that all are alive at once. Shared memory per transaction = (core.shmmem
            real_used - idle real_used) / tm.stats current, the median over the
            plateau samples (current >= 98 % of its peak); idle real_used is read
            just before sipp starts. Also the accuracy figures and CPU per call at
            that scale. If the machine cannot place LEVEL calls within 15.5 s the
            peak stays lower: the table names the level reached.

Every run samples kamailio every 0.5 s over the bench's own binrpc ctl socket with the
same four commands in both runs (core.shmmem, tm.stats, stats.get_statistics
vostimer:, vostimer.timers - the last two fail quickly in the tm run), through one
kamcmd kept open, so that the RPC load on kamailio's ctl process is the same. The
host's UDP InErrors/RcvbufErrors are reported per load run (a dropped INVITE is a
branch that never exists).

The goal table (vostimer / tm): idle CPU <= 1.1, idle wakeups/s <= 1.1, answered CPU
per call <= 1.05, silent CPU per call <= 1.25, shared memory per transaction at each
level: vostimer's minus tm's <= +512 B, send error at the highest shm level (20000):
vostimer's p99 <= 1 ms and max <= 5 ms. It goes to stdout and BENCH_OUT/result.txt,
every raw figure to BENCH_OUT/result.json. The exit status is 0 when every part
measured something (a missed goal is not an error), 1 otherwise.

Environment (defaults in brackets):
  BENCH_PARTS ["idle answered silent shm"]   BENCH_IMPLS ["vostimer tm"]
  BENCH_CHILDREN [4]  BENCH_SHM_MB [1024]    BENCH_OUT [test/out/bench]
  BENCH_IDLE_SECS [30]  BENCH_IDLE_SETTLE [3]
  BENCH_ANS_RATE [400]  BENCH_ANS_SECS [20]
  BENCH_CALLS [2100]  BENCH_RATE [150]       (the silent part)
  BENCH_SHM_LEVELS ["1000 20000"]  BENCH_SHM_RATES [max(200, LEVEL/15) each; a list
                                   of the same length overrides]
  BENCH_FIGURES [1]  the answered part also runs vostimer with gateway_max 0
  BENCH_TIMER_FIFO  diagnostic: 1 runs the timer processes under SCHED_FIFO, to
                    separate CPU scheduling latency from the rest; off by default -
                    the default is what a stock deployment gets.
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


def env_int(name, default):
    return int(os.environ.get(name, str(default)))


PARTS = os.environ.get("BENCH_PARTS", "idle answered silent shm").split()
IMPLS = os.environ.get("BENCH_IMPLS", "vostimer tm").split()
CHILDREN = env_int("BENCH_CHILDREN", 4)
SHM_MB = env_int("BENCH_SHM_MB", 1024)
IDLE_SECS = float(os.environ.get("BENCH_IDLE_SECS", "30"))
IDLE_SETTLE = float(os.environ.get("BENCH_IDLE_SETTLE", "3"))
ANS_RATE = env_int("BENCH_ANS_RATE", 400)
ANS_SECS = float(os.environ.get("BENCH_ANS_SECS", "20"))
FIGURES = env_int("BENCH_FIGURES", 1)
CALLS = env_int("BENCH_CALLS", 2100)
RATE = env_int("BENCH_RATE", 150)
SHM_LEVELS = [int(x) for x in os.environ.get("BENCH_SHM_LEVELS", "1000 20000").split()]
_rates = os.environ.get("BENCH_SHM_RATES", "").split()
SHM_RATES = ([int(x) for x in _rates] if _rates else
             [max(200, int(math.ceil(lv / 15.0))) for lv in SHM_LEVELS])
if len(SHM_RATES) != len(SHM_LEVELS):
    sys.exit("bench: BENCH_SHM_RATES needs one rate per BENCH_SHM_LEVELS entry")
# diagnostic: run the timer processes under SCHED_FIFO (vostimer: its resend/expire
# processes; tm: the core timer processes) to tell scheduling latency from the rest
TIMER_FIFO = os.environ.get("BENCH_TIMER_FIFO", "") not in ("", "0")
FIFO_PROCS = {"vostimer": ("vostimer resend", "vostimer expire"),
              "vostimer-nofig": ("vostimer resend", "vostimer expire"),
              "tm": ("timer", "slow timer", "secondary timer")}
KNOWN_PARTS = ("idle", "answered", "silent", "shm")
SCHEDULE = "0.5,1,2,4,4,4"
INSTANTS_S = [0.0, 0.5, 1.5, 3.5, 7.5, 11.5]  # the sends; gives up at 15.5 s
GIVEUP_S = 15.5
WAIT_S = 5.0          # tm's wt_timer (default): a finished transaction lingers this long
SAMPLE_S = 0.5
CLK_TCK = os.sysconf("SC_CLK_TCK")
PLATEAU = 0.98        # shm plateau: samples with current >= 98 % of the peak
COARSE_TICKS = 20     # fewer stat ticks than this: a ratio of them is noise
# the goals, vostimer / tm
GOALS = {"idle_cpu": 1.1, "idle_wakeups": 1.1, "answered_cpu": 1.05,
         "silent_cpu": 1.25, "shm_extra_b": 512.0, "p99_ms": 1.0, "max_ms": 5.0,
         "figures_cpu": 1.05}

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


# ---- CPU and wakeups of kamailio's process group ----------------------------------------
def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def group_snapshot(pgid):
    """{pid: {ticks, run_ns, vcsw, ivcsw}} for every process whose process group is
    pgid: utime+stime from /proc/<pid>/stat (whole process, CLK_TCK ticks), and over
    all its threads the scheduler's run time from /proc/<pid>/task/*/schedstat (ns:
    the same CPU time, which stat splits and rounds down to ticks) and the context
    switches from /proc/<pid>/task/*/status."""
    snap = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        st = _read("/proc/%s/stat" % name)
        if st is None:
            continue
        f = st[st.rindex(")") + 2:].split()
        # after "pid (comm) ": state ppid pgrp session ... utime(14) stime(15)
        if int(f[2]) != pgid:
            continue
        row = {"ticks": int(f[11]) + int(f[12]), "run_ns": 0, "vcsw": 0, "ivcsw": 0}
        try:
            tasks = os.listdir("/proc/%s/task" % name)
        except OSError:
            tasks = [name]
        for t in tasks:
            ss = _read("/proc/%s/task/%s/schedstat" % (name, t))
            if ss:
                row["run_ns"] += int(ss.split()[0])
            s = _read("/proc/%s/task/%s/status" % (name, t)) or ""
            m = re.search(r"^voluntary_ctxt_switches:\s*(\d+)", s, re.M)
            n = re.search(r"^nonvoluntary_ctxt_switches:\s*(\d+)", s, re.M)
            row["vcsw"] += int(m.group(1)) if m else 0
            row["ivcsw"] += int(n.group(1)) if n else 0
        snap[int(name)] = row
    return snap


def group_delta(a, b, secs, names=None):
    """CPU and wakeups between two snapshots: processes in b (a process new in b counts
    from zero); processes that left are listed as lost."""
    keys = ("ticks", "run_ns", "vcsw", "ivcsw")
    tot = dict.fromkeys(keys, 0)
    per = []
    for pid, rb in b.items():
        ra = a.get(pid, dict.fromkeys(keys, 0))
        d = {k: rb[k] - ra[k] for k in keys}
        for k in keys:
            tot[k] += d[k]
        per.append({"pid": pid, "desc": (names or {}).get(pid, ""),
                    "cpu_s": d["ticks"] / CLK_TCK, "run_s": d["run_ns"] / 1e9,
                    "wakeups_per_s": (d["vcsw"] + d["ivcsw"]) / secs if secs else 0.0})
    per.sort(key=lambda r: -r["wakeups_per_s"])
    return {"secs": secs, "processes": len(b), "lost_processes": len(set(a) - set(b)),
            "cpu_s": tot["ticks"] / CLK_TCK, "run_s": tot["run_ns"] / 1e9,
            "voluntary": tot["vcsw"], "involuntary": tot["ivcsw"],
            "wakeups_per_s": (tot["vcsw"] + tot["ivcsw"]) / secs if secs else 0.0,
            "per_process": per}


def process_names(ctl):
    rc, out = rpc(ctl, "core.psx")
    return {int(p): d.strip() for p, d in
            re.findall(r"PID:\s*(\d+)\s*\n\s*DSC:\s*([^\n]+)", out)}


def udp_counters():
    """machine-wide UDP InErrors/RcvbufErrors (/proc/net/snmp): drops anywhere on the
    host, ours included"""
    s = _read("/proc/net/snmp") or ""
    rows = [l.split() for l in s.splitlines() if l.startswith("Udp:")]
    if len(rows) < 2:
        return {}
    return {k: int(v) for k, v in zip(rows[0][1:], rows[1][1:])
            if k in ("InErrors", "RcvbufErrors", "SndbufErrors")}


# ---- kamailio and the gateways ------------------------------------------------------------
def fresh_dir(name):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        p = os.path.join(d, f)
        if os.path.isfile(p) or os.path.islink(p):
            os.unlink(p)
    return d


def start_gateway(binary, d, name):
    port = free_port()
    out = os.path.join(d, "arrivals.txt" if name == "vsrecv" else name + ".json")
    gw = spawn(name, [binary, str(port), out], os.path.join(d, name + ".out"))
    deadline = time.monotonic() + 5
    while not udp_bound(port):
        if gw.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("%s did not start: see %s/%s.out" % (name, d, name))
        time.sleep(0.02)
    return gw, port, out


def start_kamailio(impl, d, gport):
    kport = free_port()
    ctl = os.path.join(d, "ctl.sock")
    vos = ""
    if impl.startswith("vostimer"):
        # timeout_invite 0: the INVITE stage is not cut short (VOS3000's default 10 s
        # would end the branch before the send at 11.5 s)
        vos = ('loadmodule "%s"\nmodparam("vostimer", "resend_interval", "%s")\n'
               'modparam("vostimer", "timeout_invite", "0")' % (VOSTIMER_SO, SCHEDULE))
        if impl == "vostimer-nofig":  # the per-gateway figures off
            vos += '\nmodparam("vostimer", "gateway_max", 0)'
    with open(os.path.join(HERE, "bench.cfg")) as f:
        cfg = f.read()
    for k, v in {"PORT": kport, "MPATH": MPATH, "CTL": ctl,
                 "GW": "127.0.0.1:%d" % gport, "CHILDREN": CHILDREN, "VOSTIMER": vos}.items():
        cfg = cfg.replace("@@%s@@" % k, str(v))
    cfgfile = os.path.join(d, "kamailio.cfg")
    with open(cfgfile, "w") as f:
        f.write(cfg)
    os.makedirs(os.path.join(d, "run"), exist_ok=True)
    kargv = [KAMAILIO, "-DD", "-E", "-f", cfgfile, "-L", MPATH, "-Y",
             os.path.join(d, "run"), "-P", os.path.join(d, "run", "kamailio.pid"),
             "-m", str(SHM_MB), "-M", "16"]
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
    names = process_names(ctl)
    if TIMER_FIFO:
        for pid, dsc in names.items():
            if dsc in FIFO_PROCS[impl]:
                subprocess.run(["chrt", "-f", "-p", "10", str(pid)], check=False)
                log("%s: %s (pid %s) under SCHED_FIFO 10" % (impl, dsc, pid))
    return kam, kport, ctl, names


def shm_real_used(ctl):
    rc, out = rpc(ctl, "core.shmmem")
    m = re.search(r"real_used:\s*(\d+)", out)
    return int(m.group(1)) if m else None


class Sampler:
    """every SAMPLE_S: real_used, tm's current transactions and vostimer's counters,
    the same four RPCs in both runs, through one kamcmd kept open for the run (its
    interactive mode, fed on stdin: no process started per sample)"""

    CMDS = ("core.shmmem", "tm.stats", "stats.get_statistics vostimer:",
            "vostimer.timers")

    def __init__(self, ctl, d):
        self.ctl = ctl
        self.samples = []
        self.done = threading.Event()
        self.th = threading.Thread(target=self.loop, daemon=True)
        self.kc = subprocess.Popen([KAMCMD, "-s", "unix:" + ctl], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   bufsize=0, preexec_fn=_pdeathsig)
        procs.append(("kamcmd", self.kc, False))
        self.n = 0

    def query(self):
        import select
        self.n += 1
        mark = "__bench_%d__" % self.n
        try:
            self.kc.stdin.write(("\n".join(self.CMDS) + "\ncore.echo %s\n" % mark).encode())
        except OSError:
            return ""
        buf, end = b"", ("\n%s\n" % mark).encode()
        deadline = time.monotonic() + 5
        while end not in buf:
            r, _, _ = select.select([self.kc.stdout], [], [],
                                    max(0.0, deadline - time.monotonic()))
            if not r:
                return buf.decode(errors="replace")
            chunk = os.read(self.kc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
        # a late answer to the previous query (it timed out) is not this one's
        prev = ("\n__bench_%d__\n" % (self.n - 1)).encode()
        if prev in buf:
            buf = buf[buf.rindex(prev) + len(prev):]
        return buf.decode(errors="replace")

    def loop(self):
        while not self.done.is_set():
            t = time.monotonic()
            row = {"t": t}
            out = self.query()
            for key, rx in (("real_used", r"real_used:\s*(\d+)"),
                            ("tm_current", r"\bcurrent:\s*(\d+)"),
                            ("scheduled", r"vostimer:scheduled\s*=\s*(-?\d+)"),
                            ("resend_entries", r"resend_entries:\s*(\d+)")):
                m = re.search(rx, out)
                if m:
                    row[key] = int(m.group(1))
            self.samples.append(row)
            self.done.wait(max(0.0, SAMPLE_S - (time.monotonic() - t)))

    def start(self):
        self.th.start()

    def stop(self):
        self.done.set()
        self.th.join(10)
        try:
            self.kc.stdin.close()
        except OSError:
            pass
        stop(self.kc)

    def last_current(self):
        for s in reversed(self.samples):
            if "tm_current" in s:
                return s["tm_current"]
        return None


def sipp_stats(path):
    """the last row of sipp's -trace_stat csv, by column name"""
    try:
        with open(path) as f:
            lines = [l.rstrip("\n") for l in f if l.strip()]
    except OSError:
        return {}
    if len(lines) < 2:
        return {}
    hdr = lines[0].rstrip(";").split(";")
    row = lines[-1].rstrip(";").split(";")
    out = {}
    for k in ("TotalCallCreated", "SuccessfulCall(C)", "FailedCall(C)",
              "Retransmissions(C)", "FailedCallRejected(C)", "FailedMaxUDPRetrans(C)",
              "FailedUnexpectedMessage(C)", "FailedRegexpDoesntMatch(C)",
              "FailedCmdNotSent(C)", "OutOfCallMsgs(C)", "DeadCallMsgs(C)",
              "CallRate(C)"):
        if k in hdr:
            v = row[hdr.index(k)] if hdr.index(k) < len(row) else ""
            try:
                out[k] = float(v) if "." in v else int(v)
            except ValueError:
                out[k] = v
    return out


# ---- one load run: kamailio + one gateway + sipp -------------------------------------------
def load_run(impl, label, gw_bin, scenario, calls, rate, sipp_nr, call_limit_s):
    d = fresh_dir(os.path.join(label, impl))
    gw, gport, gw_out = start_gateway(gw_bin, d, os.path.basename(gw_bin))
    kam, kport, ctl, names = start_kamailio(impl, d, gport)
    time.sleep(1.0)  # start-up allocations settle
    idle_used = shm_real_used(ctl)
    sampler = Sampler(ctl, d)
    sampler.start()
    sport = free_port()
    sargv = ["sipp", "127.0.0.1:%d" % kport, "-sf", os.path.join(HERE, scenario),
             "-t", "u1", "-i", "127.0.0.1", "-p", str(sport), "-m", str(calls),
             "-r", str(rate), "-rp", "1000", "-l", str(calls * 2), "-nostdin",
             "-max_socket", "4096", "-buff_size", str(4 << 20), "-trace_err",
             "-error_file", os.path.join(d, "sipp.err"), "-trace_stat", "-stf",
             os.path.join(d, "sipp.csv")] + (["-nr"] if sipp_nr else [])
    udp0 = udp_counters()
    load0 = loadavg()
    a = group_snapshot(kam.pid)
    t_start = time.monotonic()
    sipp = spawn("sipp", sargv, os.path.join(d, "sipp.out"), cwd=d)
    try:
        src = sipp.wait(calls / float(rate) + call_limit_s)
    except subprocess.TimeoutExpired:
        src = None
        stop(sipp)
    t_sipp = time.monotonic() - t_start
    # the window ends when every transaction has left tm (after its wait timer)
    deadline = time.monotonic() + WAIT_S + 10
    drained = False
    while time.monotonic() < deadline:
        time.sleep(SAMPLE_S / 2)
        cur = sampler.last_current()
        if cur == 0 and sampler.samples[-1]["t"] > t_start + t_sipp:
            drained = True
            break
    t_window = time.monotonic() - t_start
    b = group_snapshot(kam.pid)
    udp1 = udp_counters()
    sampler.stop()
    stop(kam, group=True)
    stop(gw)
    stop(sipp)
    with open(os.path.join(d, "samples.jsonl"), "w") as f:
        for s in sampler.samples:
            f.write(json.dumps(s) + "\n")
    cpu = group_delta(a, b, t_window, names)
    st = sipp_stats(os.path.join(d, "sipp.csv"))
    created = st.get("TotalCallCreated") or calls
    res = {"impl": impl, "run": label, "calls_asked": calls, "rate": rate,
           "sipp_rc": src, "sipp_secs": round(t_sipp, 1), "sipp": st,
           "calls": created, "drained": drained, "window_s": round(t_window, 2),
           "cpu_s": cpu["cpu_s"], "run_s": cpu["run_s"],
           "cpu_per_call_ms": 1000.0 * cpu["cpu_s"] / created if created else float("nan"),
           "run_per_call_ms": 1000.0 * cpu["run_s"] / created if created else float("nan"),
           "wakeups_per_s": cpu["wakeups_per_s"], "cpu": cpu,
           "udp_errors": {k: udp1.get(k, 0) - udp0.get(k, 0) for k in udp1},
           "idle_real_used": idle_used, "loadavg_start": load0}
    cur = [s["tm_current"] for s in sampler.samples if "tm_current" in s]
    res["peak_tm_current"] = max(cur or [0])
    res["peak_scheduled"] = max([s.get("scheduled", 0) for s in sampler.samples] or [0])
    res["peak_resend_entries"] = max([s.get("resend_entries", 0)
                                      for s in sampler.samples] or [0])
    res["shm"] = shm_plateau(sampler.samples, idle_used)
    return res, d, gw_out


def shm_plateau(samples, idle_used):
    rows = [s for s in samples if "tm_current" in s and "real_used" in s]
    if not rows or idle_used is None:
        return {}
    peak = max(s["tm_current"] for s in rows)
    if peak <= 0:
        return {"peak_current": 0}
    plat = [s for s in rows if s["tm_current"] >= PLATEAU * peak]
    per = sorted((s["real_used"] - idle_used) / float(s["tm_current"]) for s in plat)
    return {"peak_current": peak, "plateau_samples": len(plat),
            "plateau_secs": round(plat[-1]["t"] - plat[0]["t"], 2),
            "plateau_current_median": sorted(s["tm_current"] for s in plat)[len(plat) // 2],
            "bytes_per_txn": per[len(per) // 2],
            "bytes_per_txn_min": per[0], "bytes_per_txn_max": per[-1],
            "peak_real_used": max(s["real_used"] for s in rows),
            "idle_real_used": idle_used}


# ---- the parts ---------------------------------------------------------------------------
def part_idle(impl, _bins):
    d = fresh_dir(os.path.join("idle", impl))
    # a gateway port nobody listens on: no calls are placed
    kam, kport, ctl, names = start_kamailio(impl, d, free_port())
    time.sleep(IDLE_SETTLE)
    used0 = shm_real_used(ctl)
    load0 = loadavg()
    a = group_snapshot(kam.pid)
    t0 = time.monotonic()
    time.sleep(IDLE_SECS)
    b = group_snapshot(kam.pid)
    secs = time.monotonic() - t0
    used1 = shm_real_used(ctl)
    stop(kam, group=True)
    cpu = group_delta(a, b, secs, names)
    return {"impl": impl, "run": "idle", "secs": round(secs, 2), "cpu_s": cpu["cpu_s"],
            "run_s": cpu["run_s"], "wakeups_per_s": cpu["wakeups_per_s"], "cpu": cpu,
            "real_used_before": used0, "real_used_after": used1, "loadavg_start": load0}


def part_answered(impl, bins):
    calls = max(1, int(round(ANS_RATE * ANS_SECS)))
    res, d, gw_out = load_run(impl, "answered", bins["vsanswer"], "uac-answered.xml",
                              calls, ANS_RATE, False, 30)
    try:
        with open(gw_out) as f:
            res["gateway"] = json.loads(f.read())
    except (OSError, ValueError):
        res["gateway"] = {}
    return res


def part_silent(impl, bins, label="silent", calls=None, rate=None):
    calls = calls or CALLS
    rate = rate or RATE
    res, d, arrivals = load_run(impl, label, bins["vsrecv"], "uac.xml", calls, rate,
                                True, GIVEUP_S + 20)
    res.update(analyse(arrivals))
    return res


def part_shm(impl, bins):
    out = []
    for lv, rate in zip(SHM_LEVELS, SHM_RATES):
        log("  %s: shm level %d (%d calls at %d cps) ..." % (impl, lv, lv, rate))
        r = part_silent(impl, bins, "shm%d" % lv, lv, rate)
        r["level"] = lv
        out.append(r)
    return out


# ---- analysis ----------------------------------------------------------------------------
def pct(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    # nearest rank
    k = min(len(sorted_vals) - 1, max(0, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def analyse(path):
    per_call = {}
    other = 0
    try:
        f = open(path)
    except OSError:
        f = []
    for line in f:
        parts = line.split(" ", 3)
        if len(parts) < 4:
            continue
        mono, kts, method, cid = int(parts[0]), int(parts[1]), parts[2], parts[3].strip()
        if method != "INVITE":
            other += 1
            continue
        per_call.setdefault(cid, []).append((mono, kts))
    if f:
        f.close()
    want = len(INSTANTS_S)
    errs, errs_k = [], []
    by_k = {k: [] for k in range(1, want)}
    missing = extra = short_calls = long_calls = 0
    firsts = []
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
        firsts.append(m0)
        for k in range(1, min(n, want)):
            e = (arr[k][0] - m0) / 1e6 - INSTANTS_S[k] * 1000.0
            errs.append(e)
            by_k[k].append(e)
            if arr[k][1] and k0:
                errs_k.append((arr[k][1] - k0) / 1e6 - INSTANTS_S[k] * 1000.0)
    a = sorted(abs(e) for e in errs)
    ak = sorted(abs(e) for e in errs_k)
    # branches scheduled at once, from the gateway's side: first sends within 15.5 s
    firsts.sort()
    conc, j = 0, 0
    for i, t in enumerate(firsts):
        while firsts[j] <= t - GIVEUP_S * 1e9:
            j += 1
        conc = max(conc, i - j + 1)
    span = (firsts[-1] - firsts[0]) / 1e9 if len(firsts) > 1 else 0.0
    res = {"branches": len(per_call),
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
           "kernel_over_2ms": sum(1 for e in ak if e > 2.0),
           "peak_concurrent_branches": conc,
           "first_sends_span_s": round(span, 2),
           "placed_rate_cps": round((len(firsts) - 1) / span, 1) if span > 0 else 0.0}
    res["by_k"] = {}
    for k, v in by_k.items():
        s = sorted(abs(e) for e in v)
        res["by_k"]["S%g" % INSTANTS_S[k]] = {
            "n": len(v), "p50_ms": pct(s, 50), "p99_ms": pct(s, 99),
            "max_ms": s[-1] if s else float("nan"),
            "mean_signed_ms": sum(v) / len(v) if v else float("nan")}
    return res


# ---- the report ----------------------------------------------------------------------------
def fnum(v, fmt):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return fmt % v


def ratio_row(name, unit, fmt, v, t, goal, coarse=False):
    """coarse: the figures are too few clock ticks for a ratio to mean anything"""
    if v is None or t is None:
        return [name, fnum(v, fmt), fnum(t, fmt), "-", "<= %g" % goal, "n/a"]
    if t == 0:
        r = 1.0 if v == 0 else float("inf")
    else:
        r = v / float(t)
    return [name + unit, fmt % v, fmt % t, "%.2f" % r if r != float("inf") else "inf",
            "<= %g" % goal, "coarse" if coarse else ("pass" if r <= goal else "FAIL")]


def disturbed(r):
    """why a load run's figures are not what the calls alone cost, if they are not"""
    why = []
    st = r.get("sipp", {})
    if st.get("Retransmissions(C)"):
        why.append("%s sipp retransmissions" % st["Retransmissions(C)"])
    if st.get("FailedCall(C)"):
        why.append("%s failed calls" % st["FailedCall(C)"])
    if r.get("sipp_rc") != 0:
        why.append("sipp rc %s" % r.get("sipp_rc"))
    if not r.get("drained", True):
        why.append("transactions left at the end of the window")
    udp = r.get("udp_errors", {})
    if udp.get("InErrors") or udp.get("RcvbufErrors"):
        why.append("%d UDP receive errors on the host" % max(udp.get("InErrors", 0),
                                                             udp.get("RcvbufErrors", 0)))
    gw = r.get("gateway")
    if gw and gw.get("invites", 0) > r["calls"]:
        why.append("%d INVITEs re-sent to the gateway (no 200 within 0.5 s)"
                   % (gw["invites"] - r["calls"]))
    if r.get("missing_sends") or r.get("extra_sends"):
        why.append("%d sends missing, %d extra" % (r.get("missing_sends", 0),
                                                   r.get("extra_sends", 0)))
    return why


def goal_table(R):
    """R[part][impl] -> result (shm: a list per level); returns the table, its rows
    and the disturbance notes (a '*' on a row's mark points at them)"""
    def get(part, impl, key, level=None):
        r = R.get(part, {}).get(impl)
        if r is None:
            return None
        if level is not None:
            r = next((x for x in r if x["level"] == level), None)
            if r is None:
                return None
        return key(r) if callable(key) else r.get(key)

    rows = []
    # utime+stime of an idle kamailio is a few 10 ms ticks: no pass/fail below
    # COARSE_TICKS (the schedstat row below is the same time in ns)
    iv, it = get("idle", "vostimer", "cpu_s"), get("idle", "tm", "cpu_s")
    coarse = iv is not None and it is not None and \
        min(iv, it) * CLK_TCK < COARSE_TICKS
    rows.append(ratio_row("idle CPU over %gs, utime+stime" % IDLE_SECS, " (s)", "%.3f",
                          iv, it, GOALS["idle_cpu"], coarse))
    # the same CPU time from the scheduler's ns counter: stat's ticks are 10 ms
    rows.append(ratio_row("idle CPU over %gs, schedstat" % IDLE_SECS, " (s)", "%.3f",
                          get("idle", "vostimer", "run_s"), get("idle", "tm", "run_s"),
                          GOALS["idle_cpu"]))
    rows.append(ratio_row("idle wakeups", " (/s)", "%.1f",
                          get("idle", "vostimer", "wakeups_per_s"),
                          get("idle", "tm", "wakeups_per_s"), GOALS["idle_wakeups"]))
    rows.append(ratio_row("answered %d cps, CPU per call" % ANS_RATE, " (ms)", "%.3f",
                          get("answered", "vostimer", "cpu_per_call_ms"),
                          get("answered", "tm", "cpu_per_call_ms"), GOALS["answered_cpu"]))
    rows.append(ratio_row("silent %d calls, CPU per call" % CALLS, " (ms)", "%.3f",
                          get("silent", "vostimer", "cpu_per_call_ms"),
                          get("silent", "tm", "cpu_per_call_ms"), GOALS["silent_cpu"]))
    for lv in SHM_LEVELS:
        v = get("shm", "vostimer", lambda r: r["shm"].get("bytes_per_txn"), lv)
        t = get("shm", "tm", lambda r: r["shm"].get("bytes_per_txn"), lv)
        reached = [get("shm", i, lambda r: r["shm"].get("peak_current"), lv)
                   for i in ("vostimer", "tm")]
        reached = [x for x in reached if x is not None]
        name = "shm per txn at %d" % lv
        if reached and min(reached) < PLATEAU * lv:
            name += " (reached %s)" % "/".join(str(x) for x in reached)
        if v is None or t is None:
            rows.append([name + " (B)", fnum(v, "%.0f"), fnum(t, "%.0f"), "-",
                         "extra <= +%d B" % GOALS["shm_extra_b"], "n/a"])
        else:
            rows.append([name + " (B)", "%.0f" % v, "%.0f" % t, "%+.0f B" % (v - t),
                         "extra <= +%d B" % GOALS["shm_extra_b"],
                         "pass" if v - t <= GOALS["shm_extra_b"] else "FAIL"])
    if SHM_LEVELS:
        lv = max(SHM_LEVELS)
        conc = [get("shm", i, "peak_concurrent_branches", lv) for i in ("vostimer", "tm")]
        conc = [c for c in conc if c is not None]
        at = "at %d" % lv
        if conc and min(conc) < PLATEAU * lv:
            at += " (reached %s)" % "/".join(str(c) for c in conc)
        for key, goal in (("p99_ms", GOALS["p99_ms"]), ("max_ms", GOALS["max_ms"])):
            v = get("shm", "vostimer", key, lv)
            t = get("shm", "tm", key, lv)
            rows.append(["send error %s %s (ms)" % (key[:3], at), fnum(v, "%.3f"),
                         fnum(t, "%.3f"), "-", "vostimer <= %g ms" % goal,
                         "n/a" if v is None or math.isnan(v) else
                         ("pass" if v <= goal else "FAIL")])
    # a row whose runs were disturbed gets a '*' on its mark
    def runs(part, level=None):
        out = []
        for impl in ("vostimer", "tm"):
            r = R.get(part, {}).get(impl)
            if r is not None and level is not None:
                r = next((x for x in r if x["level"] == level), None)
            if r is not None:
                out.append(r)
        return out

    sources = [None, None, None, runs("answered"), runs("silent")] + \
        [runs("shm", lv) for lv in SHM_LEVELS] + \
        ([runs("shm", max(SHM_LEVELS))] * 2 if SHM_LEVELS else [])
    dnotes = []
    for row, src in zip(rows, sources):
        bad = [(r, disturbed(r)) for r in (src or [])]
        bad = [(r, w) for r, w in bad if w]
        if bad and row[5] != "n/a":
            row[5] += "*"
        for r, w in bad:
            n = "%s %s: %s" % (r["run"], r["impl"], ", ".join(w))
            if n not in dnotes:
                dnotes.append(n)
    hdr = ["figure", "vostimer", "tm", "vos/tm", "goal", "mark"]
    w = [max(len(str(r[i])) for r in rows + [hdr]) for i in range(len(hdr))]
    fmt = "  ".join("%%-%ds" % w[0] if i == 0 else "%%%ds" % w[i] for i in range(len(hdr)))
    lines = [fmt % tuple(hdr)] + [fmt % tuple(r) for r in rows]
    if dnotes:
        lines += ["* disturbed: " + dnotes[0]] + ["  " + n for n in dnotes[1:]]
        lines.append("  (its CPU includes that extra work, or calls are missing: "
                     "rerun on a quiet machine)")
    return "\n".join(lines), rows


def accuracy_table(runs):
    hdr = "%-10s %-9s %9s %7s %8s %8s %8s %9s %9s" % (
        "run", "impl", "branches", "sends", "p50_ms", "p99_ms", "max_ms",
        "peak_sched", "peak_conc")
    lines = [hdr]
    for r in runs:
        lines.append("%-10s %-9s %9d %7d %8.3f %8.3f %8.3f %9d %9d" % (
            r["run"], r["impl"], r["branches"], r["sends"], r["p50_ms"], r["p99_ms"],
            r["max_ms"], r["peak_scheduled"] if r["impl"] == "vostimer"
            else r["peak_tm_current"], r["peak_concurrent_branches"]))
    lines += ["", "the same errors from the kernel's receive stamps (SO_TIMESTAMPNS), "
              "without the gateway's own wake-up latency:",
              "%-10s %-9s %8s %8s %8s %10s %10s %8s" % ("run", "impl", "p50_ms", "p99_ms",
                                                       "max_ms", "missing", "extra", ">2ms")]
    for r in runs:
        lines.append("%-10s %-9s %8.3f %8.3f %8.3f %10d %10d %8d" % (
            r["run"], r["impl"], r["kernel_p50_ms"], r["kernel_p99_ms"],
            r["kernel_max_ms"], r["missing_sends"], r["extra_sends"],
            r["kernel_over_2ms"]))
    return "\n".join(lines)


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[:3]
    except OSError:
        return []


def git_state():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--",
                                "modules/vostimer"], capture_output=True, text=True,
                               timeout=5).stdout.strip()
        return head + (" (modules/vostimer modified)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


def cpu_by_desc(cpu):
    """kamailio's CPU in a window by kind of process, the UDP workers together"""
    by = {}
    for p in cpu["per_process"]:
        d = p["desc"] or str(p["pid"])
        if d.startswith("udp receiver"):
            d = "udp workers"
        elif d.startswith("main process"):
            d = "main"
        by[d] = by.get(d, 0.0) + p["run_s"]
    return ", ".join("%s %.2f s" % kv for kv in sorted(by.items(), key=lambda kv: -kv[1])
                     if kv[1] >= 0.005) or "-"


def notes_for(R):
    notes = []
    idle = R.get("idle", {})
    if idle and min(r["cpu_s"] for r in idle.values()) * CLK_TCK < COARSE_TICKS:
        notes.append("idle: utime+stime is %s ticks of %g ms (rounded down per process): "
                     "too few for a ratio (marked coarse); the schedstat row is the same "
                     "CPU time in ns"
                     % (" / ".join("%s %d" % (i, round(r["cpu_s"] * CLK_TCK))
                                   for i, r in idle.items()), 1000.0 / CLK_TCK))
    for impl in IMPLS:
        r = R.get("idle", {}).get(impl)
        if r:
            top = ", ".join("%s %.0f/s" % (p["desc"] or p["pid"], p["wakeups_per_s"])
                            for p in r["cpu"]["per_process"][:4])
            notes.append("idle %s (load %s): %d processes, CPU %.3f s (schedstat run time %.3f s), "
                         "%d voluntary + %d involuntary switches; most wakeups: %s"
                         % (impl, "/".join(r.get("loadavg_start", [])),
                            r["cpu"]["processes"], r["cpu_s"], r["run_s"],
                            r["cpu"]["voluntary"], r["cpu"]["involuntary"], top))
    for part in ("answered", "silent", "shm"):
        for impl in impls_of(part):
            rs = R.get(part, {}).get(impl)
            if rs is None:
                continue
            for r in (rs if isinstance(rs, list) else [rs]):
                st = r["sipp"]
                s = ("%s %s (load %s): %s calls created (asked %d at %d cps), %s ok, %s failed, "
                     "%s sipp retransmissions, sipp rc %s, %.1f s; kamailio CPU %.2f s "
                     "over %.1f s (%s), %.3f ms/call (schedstat %.3f ms/call); "
                     "peak tm transactions %d; UDP errors on the host %s"
                     % (r["run"], impl, "/".join(r.get("loadavg_start", [])), r["calls"],
                        r["calls_asked"], r["rate"],
                        st.get("SuccessfulCall(C)", "?"), st.get("FailedCall(C)", "?"),
                        st.get("Retransmissions(C)", "?"), r["sipp_rc"], r["sipp_secs"],
                        r["cpu_s"], r["window_s"],
                        "drained" if r["drained"] else "NOT drained",
                        r["cpu_per_call_ms"], r["run_per_call_ms"], r["peak_tm_current"],
                        r["udp_errors"]))
                s += "; CPU by process (schedstat): " + cpu_by_desc(r["cpu"])
                if "gateway" in r:
                    s += "; gateway %s" % r["gateway"]
                if "branches" in r:
                    s += ("; %d branches, mean signed error %+.3f ms, |error| > 2 ms: %d, "
                          "%d short of 6 sends (%d missing), %d over (%d extra), "
                          "first sends over %.1f s (%.0f cps), peak concurrent branches %d"
                          % (r["branches"], r["mean_signed_ms"], r["over_2ms"],
                             r["branches_short"], r["missing_sends"], r["branches_long"],
                             r["extra_sends"], r["first_sends_span_s"],
                             r["placed_rate_cps"], r["peak_concurrent_branches"]))
                if r["impl"] == "vostimer" and "branches" in r:
                    s += "; peak resend heap entries %d" % r["peak_resend_entries"]
                if r.get("shm"):
                    sh = r["shm"]
                    if "bytes_per_txn" in sh:
                        s += ("; shm: idle real_used %d, peak %d, %d plateau samples over "
                              "%.1f s at ~%d transactions, %.0f B/txn (%.0f..%.0f)"
                              % (sh["idle_real_used"], sh["peak_real_used"],
                                 sh["plateau_samples"], sh["plateau_secs"],
                                 sh["plateau_current_median"], sh["bytes_per_txn"],
                                 sh["bytes_per_txn_min"], sh["bytes_per_txn_max"]))
                notes.append(s)
    return notes


def impls_of(part):
    """the runs of a part: BENCH_IMPLS, and for answered vostimer with its
    per-gateway figures off too (BENCH_FIGURES)"""
    if part == "answered" and FIGURES and "vostimer" in IMPLS:
        return IMPLS + ["vostimer-nofig"]
    return IMPLS


def figures_line(R):
    """CPU per answered call with the per-gateway figures on and off"""
    on = R.get("answered", {}).get("vostimer", {}).get("cpu_per_call_ms")
    off = R.get("answered", {}).get("vostimer-nofig", {}).get("cpu_per_call_ms")
    if on is None or off is None:
        return None
    ratio = on / off if off else float("nan")
    mark = "pass" if ratio <= GOALS["figures_cpu"] else "FAIL"
    bad = [r for r in (R["answered"]["vostimer"], R["answered"]["vostimer-nofig"])
           if disturbed(r)]
    son = R["answered"]["vostimer"].get("run_per_call_ms")
    soff = R["answered"]["vostimer-nofig"].get("run_per_call_ms")
    return ("per-gateway figures, answered %d cps, CPU per call: on %.3f ms, off "
            "(gateway_max 0) %.3f ms, on/off %.3f (goal <= %g): %s%s; schedstat "
            "on %.3f ms, off %.3f ms, on/off %.3f"
            % (ANS_RATE, on, off, ratio, GOALS["figures_cpu"], mark,
               "*" if bad else "", son, soff, son / soff if soff else float("nan")))


def main():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    bad = [p for p in PARTS if p not in KNOWN_PARTS]
    if bad:
        sys.exit("bench: unknown part(s) %s (BENCH_PARTS: %s)" % (bad, " ".join(KNOWN_PARTS)))
    os.makedirs(OUT, exist_ok=True)
    t0 = time.monotonic()
    if "vostimer" in IMPLS and not os.path.exists(VOSTIMER_SO):
        sys.exit("bench: no module at %s (make module)" % VOSTIMER_SO)
    bins = {}
    for name in ("vsrecv", "vsanswer"):
        bins[name] = os.path.join(OUT, name)
        subprocess.run(["gcc", "-O2", "-Wall", "-o", bins[name],
                        os.path.join(HERE, name + ".c")], check=True)
    load = loadavg()
    commit = git_state()
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    log("parts: %s; impls: %s; %d UDP workers, -m %d; commit %s; %d CPUs, "
        "load average before: %s" % (" ".join(PARTS), " ".join(IMPLS), CHILDREN, SHM_MB,
                                     commit, os.cpu_count(), " ".join(load)))
    fns = {"idle": part_idle, "answered": part_answered, "silent": part_silent,
           "shm": part_shm}
    R = {}
    part_secs = {}
    failed = []
    try:
        for part in [p for p in KNOWN_PARTS if p in PARTS]:
            tp = time.monotonic()
            for impl in impls_of(part):
                log("%s: %s ... (load %s)" % (part, impl, " ".join(loadavg())))
                t = time.monotonic()
                try:
                    r = fns[part](impl, bins)
                except RuntimeError as e:
                    log("%s %s failed: %s" % (part, impl, e))
                    failed.append("%s %s: %s" % (part, impl, e))
                    stop_all()
                    continue
                R.setdefault(part, {})[impl] = r
                log("%s: %s done in %.1f s" % (part, impl, time.monotonic() - t))
            part_secs[part] = round(time.monotonic() - tp, 1)
    finally:
        stop_all()
    secs = time.monotonic() - t0
    gtab, grows = goal_table(R)
    acc = []
    for part in ("silent", "shm"):
        for impl in IMPLS:
            rs = R.get(part, {}).get(impl)
            if rs is not None:
                acc += rs if isinstance(rs, list) else [rs]
    acc.sort(key=lambda r: (r["run"] != "silent", r["run"], IMPLS.index(r["impl"])))
    text = ("== goals: vostimer / tm, one run of make bench ==\n" + gtab + "\n")
    fig = figures_line(R)
    if fig:
        text += fig + "\n"
    if acc:
        text += "\n== send-time accuracy (error = |(arrival_k - arrival_0) - S_k|, " \
                "k = 1..5, S = %s s) ==\n" % ",".join("%g" % s for s in INSTANTS_S[1:])
        text += accuracy_table(acc) + "\n"
    text += "\n== notes ==\n" + "\n".join("- " + n for n in notes_for(R) + failed) + "\n"
    text += ("\n(started %s, commit %s; parts %s, each %s; %d CPUs, load average before "
             "%s, after %s; bench took %.0f s)\n"
             % (started, commit, " ".join(PARTS),
                ", ".join("%s %.0f s" % kv for kv in part_secs.items()),
                os.cpu_count(), "/".join(load), "/".join(loadavg()), secs))
    print()
    print(text, flush=True)
    with open(os.path.join(OUT, "result.txt"), "w") as f:
        f.write(text)
    meta = {"started": started, "commit": commit, "cpus": os.cpu_count(),
            "loadavg_before": load, "loadavg_after": loadavg(), "secs": round(secs, 1),
            "part_secs": part_secs, "parts": PARTS, "impls": IMPLS, "children": CHILDREN,
            "shm_mb": SHM_MB, "idle_secs": IDLE_SECS, "ans_rate": ANS_RATE,
            "ans_secs": ANS_SECS, "calls": CALLS, "rate": RATE, "shm_levels": SHM_LEVELS,
            "shm_rates": SHM_RATES, "clk_tck": CLK_TCK, "goals": GOALS,
            "failed": failed}
    with open(os.path.join(OUT, "result.json"), "w") as f:
        json.dump({"meta": meta, "goal_table": grows, "results": R}, f, indent=1)
    ok = not failed
    s = R.get("silent", {})
    if any(r["branches"] < min(CALLS, 2000) for r in s.values()):
        log("silent: fewer branches reached the gateway than calls placed")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
