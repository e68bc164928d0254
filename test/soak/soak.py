#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""soak.py (make soak): a chaos run - SOAK_CALLS calls (20,000) at SOAK_RATE calls per
second through a real kamailio with vostimer, over gateways that stay silent, answer
after the branch was given up (with and without a provisional), say busy, ring for ever
or lose a quarter of their datagrams, with caller CANCELs, failover by failure_route and
vos_failover() on short schedules, and `vostimer.reload` every second alternating two
valid profile files. Not part of `make test`.

Call classes (the callee user, each its own sipp at its share of the rate, and its own
profile of the same name; soak.cfg routes each to its chain of gateways):
  sil     silent -> answer        "0.2,0.3" | "0.1,0.2,0.2": resend_exhausted at 0.5 s
  late    ok (200 at 0.4-0.8 s, no provisional) -> answer (200 after 200 ms of ringing)
          "0.5" | "0.25,0.25": given up at 0.5 s, so most 200s come late, some while
          the backup rings, some after it answered
  latep   ok with a 180 at once, 200 at 0.7-1.3 s, ignoring the CANCEL -> answer;
          ringing_timeout 1 s; until-connect on (file A: failover) | off (file B: the
          caller gets the 408)
  busy    486 -> answer; stop-after-busy on (A: the caller gets 486) | off (B: 200)
  ring    ringing for ever -> answer; ringing_timeout 1.5 | 2 s, until-connect off:
          vos_failover() says ringing_reached
  loss    answering gateway with 25 % loss -> answer; "0.2,0.3,0.5,1" | "0.25,0.25,0.5,1"
  cancel  silent -> ringing gateway with 25 % loss ("0.5,0.5,1,1,2" inline); the caller
          CANCELs after a random 100-2500 ms

Checks once the calls drained: core.shmmem used and real_used against a baseline taken
after a warm-up (both with the same profile file loaded), tm.stats current 0,
vostimer.timers both heaps empty and `scheduled` 0, every 200 a gateway sent ACKed and
- unless it is the dialog the caller got - BYEd, `late_answers` equal to those 200s, no
caller with 2xx of more than one dialog, every sipp call successful, every reload ok,
kamailio without crash or BUG line. Prints a summary ending "soak: PASS" or
"soak: FAIL (reasons)"; exit status 0 or 1. Output in test/out/soak/.

Environment: SOAK_CALLS (20000), SOAK_RATE (40 cps), SOAK_WARMUP (10 calls per class),
SOAK_SHM_TOL (bytes, 32768), SOAK_DRAIN (s to wait for the calls to drain, 120),
SOAK_MODPARAMS (cfg lines added to soak.cfg's, e.g. 'modparam("tm", "wt_timer", 32000)').
"""
import collections
import json
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import harness
from harness import Test
import vos_checks as vc
import rpc_out

HERE = os.path.dirname(os.path.abspath(__file__))
CALLS = int(os.environ.get("SOAK_CALLS", "20000"))
RATE = float(os.environ.get("SOAK_RATE", "40"))
WARMUP = int(os.environ.get("SOAK_WARMUP", "10"))
SHM_TOL = int(os.environ.get("SOAK_SHM_TOL", "32768"))
DRAIN = float(os.environ.get("SOAK_DRAIN", "120"))
MODPARAMS = os.environ.get("SOAK_MODPARAMS", "")

# class: (share of the calls, sipp scenario)
CLASSES = collections.OrderedDict([
    ("sil", (0.15, "uac_soak.xml")), ("late", (0.15, "uac_soak.xml")),
    ("latep", (0.10, "uac_soak.xml")), ("busy", (0.10, "uac_soak.xml")),
    ("ring", (0.10, "uac_soak.xml")), ("loss", (0.20, "uac_soak.xml")),
    ("cancel", (0.20, "uac_soak_cancel.xml"))])

# placeholder: (gw.py behaviour, harness.gateway() keywords)
GATEWAYS = collections.OrderedDict([
    ("SILENT", ("silent", {})),
    ("ANSWER", ("answer", {"ring": 200})),
    ("LATE", ("ok", {"delay": 400, "jitter": 400})),
    ("LATEP", ("ok", {"delay": 700, "jitter": 600,
                      "args": ["--provisional", "180", "--ignore-cancel"]})),
    ("BUSY", ("reject:486", {})),
    ("RINGING", ("ringing", {})),
    ("LOSSY", ("answer", {"ring": 100, "args": ["--loss", "25", "--seed", "16"]})),
    ("LOSSYRING", ("ringing", {"args": ["--loss", "25", "--seed", "61"]})),
])

# the two profile files the run alternates: the same classes, other values
PROFILES = {
    "A": {"sil": {"resend_interval": "0.2,0.3"},
          "late": {"resend_interval": "0.5"},
          "latep": {"timeout_ringing": 1, "switch_until_connect": True},
          "busy": {"switch_stop_after_busy": True},
          "ring": {"timeout_ringing": 1.5},
          "loss": {"resend_interval": "0.2,0.3,0.5,1", "timeout_ringing": 3,
                   "switch_until_connect": True},
          "cancel": {"resend_interval": "0.2,0.3", "timeout_ringing": 5}},
    "B": {"sil": {"resend_interval": "0.1,0.2,0.2"},
          "late": {"resend_interval": "0.25,0.25"},
          "latep": {"timeout_ringing": 1, "switch_until_connect": False},
          "busy": {"switch_stop_after_busy": False},
          "ring": {"timeout_ringing": 2},
          "loss": {"resend_interval": "0.25,0.25,0.5,1", "timeout_ringing": 3,
                   "switch_until_connect": True},
          "cancel": {"resend_interval": "0.1,0.4", "timeout_ringing": 5}},
}
DEFAULTS = {"timeout_invite": 0}  # in-dialog requests: the full default list (31.5 s)


class Soak(Test):
    """harness.Test whose end is the soak's summary and verdict line."""
    summary = []

    def _finish(self):
        with open(self.path("reasons.txt"), "w") as f:
            f.write("".join(r + "\n" for r in self.reasons))
        text = "\n".join(self.summary)
        if self.reasons:
            verdict = "soak: FAIL (%s)" % "; ".join(self.reasons[:3]
                                                    + (["..."] if len(self.reasons) > 3 else []))
        else:
            verdict = "soak: PASS"
        with open(self.path("summary.txt"), "w") as f:
            f.write(text + "\n" + verdict + "\n")
        print(text + "\n" + verdict, flush=True)
        os._exit(1 if self.reasons else 0)


# ---- profiles and reloads --------------------------------------------------------------
def write_profiles(t):
    for which, profs in PROFILES.items():
        vc.profiles(t, name="profiles-%s" % which, defaults=DEFAULTS, **profs)
    link = t.path("vostimer.profiles")
    point_to(t, link, "A")
    return link


def point_to(t, link, which):
    """Make the profiles file the link to version A or B, in one rename."""
    tmp = link + ".new"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(t.path("profiles-%s" % which), tmp)
    os.replace(tmp, link)


class Reloader(threading.Thread):
    """vostimer.reload every second, alternating the two files; counts the answers."""

    def __init__(self, t, link):
        super().__init__(daemon=True)
        self.t, self.link = t, link
        self.ok = self.bad = 0
        self.errors = []
        self.halt = threading.Event()
        self.which = "A"

    def run(self):
        while not self.halt.wait(1.0):
            self.which = "B" if self.which == "A" else "A"
            self.reload(self.which)

    def reload(self, which):
        point_to(self.t, self.link, which)
        try:
            _rc, out = self.t.rpc("vostimer.reload", check=False)
        except Exception as e:  # a kamcmd that hangs (10 s timeout) counts as a failure
            out = "%s: %s" % (type(e).__name__, e)
        if rpc_out.answered_ok(out):
            self.ok += 1
        else:
            self.bad += 1
            self.errors.append(out.strip()[:200])

    def stop(self):
        self.halt.set()
        self.join()


# ---- sipp ----------------------------------------------------------------------------
def start_sipp(t, cls, calls, rate, tag):
    """One sipp for a call class: calls at rate cps (sipp -r per 10 s, so that shares
    of the rate stay whole numbers), message trace kept for the dialog check."""
    name = "sipp-%s-%s" % (tag, cls)
    scen = os.path.join(HERE, CLASSES[cls][1])
    per10 = max(1, int(round(rate * 10)))
    argv = ["sipp", "127.0.0.1:%d" % t.port, "-sf", scen, "-s", cls, "-t", "u1",
            "-i", "127.0.0.1", "-p", str(harness.free_port()), "-m", str(calls),
            "-r", str(per10), "-rp", "10000", "-l", "2000", "-nostdin", "-nr",
            "-trace_msg", "-message_file", t.path(name + ".msg"),
            "-trace_err", "-error_file", t.path(name + ".err"),
            "-trace_stat", "-stf", t.path(name + ".csv")]
    return name, t.spawn(name, argv, t.path(name + ".out"), cwd=t.out)


def run_calls(t, per_class, rate, tag, timeout):
    """All classes at once, each at its share of rate; waits for every sipp."""
    procs = [start_sipp(t, cls, n, rate * CLASSES[cls][0], tag)
             for cls, n in per_class.items() if n > 0]
    results = {}
    deadline = time.monotonic() + timeout
    for name, p in procs:
        results[name] = t.wait_sipp(p, name, max(1.0, deadline - time.monotonic()))
    return results


def split_calls(total):
    """total calls shared by CLASSES' shares (the last class takes the rounding)."""
    out, left = collections.OrderedDict(), total
    names = list(CLASSES)
    for cls in names[:-1]:
        out[cls] = int(round(total * CLASSES[cls][0]))
        left -= out[cls]
    out[names[-1]] = left
    return out


def caller_view(path):
    """From a sipp message trace, streamed: {Call-ID: {"finals": [codes to the INVITE,
    in order], "tags": {To tags of its 2xx}}}."""
    calls = collections.defaultdict(lambda: {"finals": [], "tags": set()})
    block = []

    def flush():
        if len(block) < 3 or "received" not in block[0]:
            return
        m = re.match(r"SIP/2\.0 (\d{3})\b", block[1])
        if not m or int(m.group(1)) < 200:
            return
        hdr = {}
        for ln in block[2:]:
            name, _, val = ln.partition(":")
            hdr.setdefault(name.strip().lower(), val.strip())
        if not hdr.get("cseq", "").endswith("INVITE"):
            return
        call = calls[hdr.get("call-id", hdr.get("i", ""))]
        code = int(m.group(1))
        call["finals"].append(code)
        if code < 300:
            tag = re.search(r";\s*tag=([^;\s>]+)", hdr.get("to", hdr.get("t", "")))
            call["tags"].add(tag.group(1) if tag else "")

    try:
        with open(path, errors="replace") as f:
            for line in f:
                if line.startswith("----------") and re.match(r"^-{10,} \d{4}-", line):
                    flush()
                    block = []
                elif line.strip():
                    block.append(line.strip())
        flush()
    except OSError:
        pass
    return calls


# ---- gateways' logs ----------------------------------------------------------------------
def gateway_view(gw):
    """What one gateway's JSON lines say about each dialog it answered: its 200s to
    INVITEs by (Call-ID, To tag), and the ACKs and BYEs that reached its socket for them
    (a datagram --loss discarded counts: the sender did send it; processed: not lost)."""
    oks, acks, byes, byes_seen, lost = set(), set(), set(), set(), 0
    with open(gw.log, errors="replace") as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            key = (r.get("call_id"), r.get("totag"))
            lost += bool(r.get("lost"))
            if r["dir"] == "out":
                if r.get("status") == 200 and r.get("method") == "INVITE":
                    oks.add(key)
            elif r.get("status") is None and r["method"] == "ACK":
                acks.add(key)
            elif r.get("status") is None and r["method"] == "BYE":
                byes.add(key)
                if not r.get("lost"):
                    byes_seen.add(key)
    return {"oks": oks, "acks": acks, "byes": byes, "byes_seen": byes_seen, "lost": lost}


# ---- kamailio state ------------------------------------------------------------------------
def heaps(t):
    return {k: int(v) for k, v in re.findall(r"(\w+_entries):?\s*(\d+)",
                                              t.rpc("vostimer.timers", check=False)[1])}


def wait_drained(t, secs):
    """Until tm holds no transaction, both heaps are empty and the gateways have been
    quiet for 2 s (their retransmitted 2xx would open nothing, but keep kamailio busy);
    returns (drained, seconds waited)."""
    t0 = time.monotonic()
    quiet_since, sizes = None, None
    while time.monotonic() - t0 < secs:
        tm, hp = vc.tm_stats(t), heaps(t)
        now_sizes = [os.path.getsize(g.log) for g in t.gws if os.path.exists(g.log)]
        idle = tm.get("current", 1) == 0 and hp and not any(hp.values())
        if idle and now_sizes == sizes:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 2.0:
                return True, time.monotonic() - t0
        else:
            quiet_since = None
        sizes = now_sizes
        time.sleep(0.5)
    return False, time.monotonic() - t0


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# ---- the run ---------------------------------------------------------------------------------
def soak(t):
    S = t.summary
    t0 = time.monotonic()
    load0 = loadavg()
    gws = collections.OrderedDict()
    for ph, (beh, kw) in GATEWAYS.items():
        gws[ph] = t.gateway(beh, name=ph.lower(), **kw)
    link = write_profiles(t)
    t.kamailio(os.path.join(HERE, "soak.cfg"), vos={"profiles_file": link}, modparams=MODPARAMS,
               **{"GW_" + ph: g.uri() for ph, g in gws.items()})
    t.note("gateways: " + ", ".join("%s=%s :%d" % (g.name, g.behaviour, g.port)
                                    for g in gws.values()))
    # warm-up: every class's paths run once before the baseline
    warm = collections.OrderedDict((c, WARMUP) for c in CLASSES)
    res_w = run_calls(t, warm, max(5.0, RATE / 4), "warmup", 120)
    bad = [n for n, r in res_w.items() if r["rc"] != 0]
    t.require(not bad, "the warm-up failed (%s): see %s/<name>.err" % (", ".join(bad), t.out))
    ok, _ = wait_drained(t, 60)
    t.require(ok, "the warm-up did not drain in 60 s: tm.stats %s, timers %s"
              % (vc.tm_stats(t), heaps(t)))
    rel = Reloader(t, link)
    rel.reload("A")  # the baseline and the end are measured with file A loaded
    shm0, tm0 = vc.shmmem(t), vc.tm_stats(t)
    st0 = vc.vos_stats(t)
    t.note("baseline shm used %d real_used %d" % (shm0.get("used", 0), shm0.get("real_used", 0)))

    # the load
    per_class = split_calls(CALLS)
    t_load = time.monotonic()
    rel.start()
    res_l = run_calls(t, per_class, RATE, "load", CALLS / RATE * 3 + 300)
    rel.stop()
    load_secs = time.monotonic() - t_load
    load1 = loadavg()
    drained, drain_secs = wait_drained(t, DRAIN)
    rel.reload("A")
    time.sleep(0.5)
    shm1, tm1, hp1 = vc.shmmem(t), vc.tm_stats(t), heaps(t)
    st1 = vc.vos_stats(t)

    # ---- the caller's view
    results = dict(res_w)
    results.update(res_l)
    outcome = collections.OrderedDict((c, collections.Counter()) for c in CLASSES)
    two_dialogs, winners = [], {}
    sipp_bad = []
    for name, res in results.items():
        cls = name.split("-", 2)[2]
        counts = vc.sipp_counts(t, res)
        want = WARMUP if "-warmup-" in name else per_class[cls]
        if res["rc"] != 0 or counts.get("ok") != want or counts.get("failed"):
            errs = [l for l in res.get("err", "").splitlines() if l.strip()][-2:]
            sipp_bad.append("%s rc %s %s%s" % (name, res["rc"], counts,
                                               (": " + " | ".join(errs)) if errs else ""))
        view = caller_view(t.path(name + ".msg"))
        for cid, c in view.items():
            if "-load-" in name:
                outcome[cls][str(c["finals"][0]) if c["finals"] else "none"] += 1
            if len(c["tags"]) > 1:
                two_dialogs.append("%s %s: %s" % (cls, cid, sorted(c["tags"])))
            winners[cid] = c["tags"]
    t.check(not sipp_bad, "sipp calls failed: " + "; ".join(sipp_bad[:4]))
    t.check(not two_dialogs, "%d callers saw more than one dialog: %s"
            % (len(two_dialogs), "; ".join(two_dialogs[:4])))

    # ---- the gateways' view: every 200 ACKed, every one that lost BYEd
    g_rows, not_acked, not_byed, winner_no_bye = [], [], [], []
    lost_total = late_total = won_total = 0
    for g in gws.values():
        v = gateway_view(g)
        won = late = 0
        for cid, tag in v["oks"]:
            is_winner = tag in winners.get(cid, ())
            won, late = won + is_winner, late + (not is_winner)
            if (cid, tag) not in v["acks"]:
                not_acked.append("%s %s" % (g.name, cid))
            if not is_winner and (cid, tag) not in v["byes"]:
                not_byed.append("%s %s" % (g.name, cid))
            if is_winner and (cid, tag) not in v["byes"]:
                winner_no_bye.append("%s %s" % (g.name, cid))
        g_rows.append("  %-10s %-11s 200s %6d  won %6d  late %5d  datagrams lost %d"
                      % (g.name, g.behaviour, len(v["oks"]), won, late, v["lost"]))
        lost_total += v["lost"]
        late_total += late
        won_total += won
    t.check(not not_acked, "%d 200s never ACKed: %s" % (len(not_acked), "; ".join(not_acked[:4])))
    t.check(not not_byed, "%d late 200s never BYEd: %s" % (len(not_byed), "; ".join(not_byed[:4])))
    t.check(not winner_no_bye, "%d answered calls never ended by the caller's BYE: %s"
            % (len(winner_no_bye), "; ".join(winner_no_bye[:4])))
    late_answers = st1.get("late_answers", 0)
    t.check(late_answers == late_total,
            "late_answers %d, but %d 200s did not reach the caller" % (late_answers, late_total))

    # ---- kamailio's state after the drain
    t.check(drained, "not drained %ds after the load: tm.stats current %s, vostimer.timers %s"
            % (DRAIN, tm1.get("current"), hp1))
    t.check(tm1.get("current") == 0, "tm.stats current %s after the drain" % tm1.get("current"))
    t.check(hp1 and not any(hp1.values()), "vostimer.timers %s after the drain" % hp1)
    t.check(st1.get("scheduled") == 0, "vostimer scheduled %s after the drain" % st1.get("scheduled"))
    shm_rows = []
    for key in ("used", "real_used"):
        d = shm1.get(key, 0) - shm0.get(key, 0)
        shm_rows.append("%s %d -> %d (%+d bytes)" % (key, shm0.get(key, 0), shm1.get(key, 0), d))
        t.check(abs(d) <= SHM_TOL, "shm %s %+d bytes after the load (tolerance %d)"
                % (key, d, SHM_TOL))
    t.check(rel.bad == 0, "%d of %d reloads failed: %s" % (rel.bad, rel.ok + rel.bad,
                                                           "; ".join(rel.errors[:2])))
    t.cleanup()  # stop kamailio: its log is complete (done() checks it for crashes)
    errors = t.log_lines(r"\b(ERROR|CRITICAL|BUG):")
    late_lines = t.log_lines(r"late answer: ")

    # ---- the summary
    S.append("== soak summary: %d calls at %g cps (+%d warm-up), kamailio %s, vostimer %s"
             % (CALLS, RATE, WARMUP * len(CLASSES), ".".join(map(str, harness.kamailio_version())),
                os.path.relpath(harness.VOSTIMER_SO, harness.ROOT)))
    if MODPARAMS:
        S.append("SOAK_MODPARAMS: " + MODPARAMS)
    S.append("duration: %.0f s in all, load %.0f s, drain %.1f s; load average %s at the "
             "start, %s at the end of the load" % (time.monotonic() - t0, load_secs,
                                                   drain_secs, load0, load1))
    S.append("calls by outcome (first final the caller got, load only):")
    for cls, c in outcome.items():
        S.append("  %-7s %6d  %s" % (cls, sum(c.values()),
                                      "  ".join("%s:%d" % kv for kv in sorted(c.items()))))
    S.append("gateways (all calls, warm-up included):")
    S.extend(g_rows)
    S.append("200s: %d won the call, %d late (ACKed and BYEd by the proxy); late_answers "
             "counter %d, 'late answer' log lines %d" % (won_total, late_total, late_answers,
                                                        len(late_lines)))
    S.append("callers with more than one dialog: %d; 200s never ACKed: %d; late 200s never "
             "BYEd: %d" % (len(two_dialogs), len(not_acked), len(not_byed)))
    delta = {k: st1.get(k, 0) - st0.get(k, 0) for k in st1}
    S.append("vostimer counters during the load: " + ", ".join(
        "%s %d" % (k, v) for k, v in sorted(delta.items()) if v))
    S.append("tm.stats after the drain: current %s, total %s (during the load +%s), "
             "waiting %s" % (tm1.get("current"), tm1.get("total"),
                             tm1.get("total", 0) - tm0.get("total", 0), tm1.get("waiting")))
    S.append("vostimer.timers after the drain: %s; scheduled %s"
             % (", ".join("%s %d" % kv for kv in sorted(hp1.items())), st1.get("scheduled")))
    S.append("shm (after warm-up -> after drain, file A loaded both times, tolerance %d): %s"
             % (SHM_TOL, "; ".join(shm_rows)))
    S.append("reloads: %d ok, %d failed; datagrams the lossy gateways dropped: %d; "
             "kamailio ERROR lines: %d" % (rel.ok, rel.bad, lost_total, len(errors)))
    if errors:
        S.append("  first: " + errors[0][-200:])


if __name__ == "__main__":
    Soak(__file__, timeout=int(CALLS / RATE * 3 + 900)).run(soak)
