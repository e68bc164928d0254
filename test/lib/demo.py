#!/usr/bin/env python3
"""demo.py (run by test/demo.sh, `make demo`): one call through etc/kamailio.cfg and
four scripted gateways - silent, 100 only, ringing forever, answering - and the
timeline of what happened, read back from the gateways' logs, kamailio's log and the
caller's (sipp) log, all on one clock. Takes about 45 s. Output in test/out/demo/."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, VOSTIMER_SO, Test  # noqa: E402
from gw import REASONS  # noqa: E402

ROLES = [("silent", "never answers"), ("trying", "100 Trying, then nothing"),
         ("ringing", "rings forever"), ("answer", "answers")]
DEMO_PORTS = [5071, 5072, 5073, 5074]  # as written in etc/dispatcher.list


def dispatcher_list(t, gws):
    """etc/dispatcher.list with its ports 5071..5074 replaced by the gateways' ports."""
    with open(os.path.join(ROOT, "etc", "dispatcher.list")) as f:
        text = f.read()
    for port, gw in zip(DEMO_PORTS, gws):
        text = text.replace("127.0.0.1:%d " % port, "127.0.0.1:%d " % gw.port)
    path = t.path("dispatcher.list")
    with open(path, "w") as f:
        f.write(text)
    return path


def describe(r, gw):
    """One gateway log record as a timeline line."""
    if "status" in r:
        what = "%d %s" % (r["status"], REASONS.get(r["status"], ""))
        if r["method"] != "INVITE":
            what += " (%s)" % r["method"]
        return "%-30s <- %s" % (what, gw.name)
    return "%-30s -> %s" % (r["method"], gw.name)


def timeline(t, gws, sipp):
    events = []  # (wall, mono or None, text)
    origin = None
    for gw in gws:
        sends = {}
        for r in gw.records(None):
            text = describe(r, gw)
            if r["dir"] == "in" and r["method"] == "INVITE" and "status" not in r:
                n = sends.get(r["branch"], 0)
                sends[r["branch"]] = n + 1
                text += " (%s)" % gw.behaviour
                text += "   first send" if n == 0 else "   retransmission #%d" % n
            events.append((r["wall"], r["mono_ns"], text))
            if r["dir"] == "in" and r["method"] == "INVITE" and \
                    (origin is None or r["mono_ns"] < origin[1]):
                origin = (r["wall"], r["mono_ns"])
    rx = re.compile(r"VOS \S+: (.*?) at (\d+\.\d+)(.*)")
    for line in t.kamailio_log():
        m = rx.search(line)
        if not m or not ("failed" in m.group(1) or "no gateway" in m.group(1)):
            continue
        kv = dict(re.findall(r"(\w+)=(\S+)", m.group(3)))
        text = "==> [kamailio] %s" % m.group(1)
        if "reason" in kv:
            text += ": %s (stage %s, %s send%s, %.3f s, local %s)" % (
                kv["reason"], kv.get("stage"), kv.get("sends"),
                "" if kv.get("sends") == "1" else "s",
                int(kv.get("elapsed", "0").rstrip("ms") or 0) / 1000.0, kv.get("code"))
        events.append((float(m.group(2)), None, text))
    for wall, kind, first, cseq in t.sipp_messages(sipp):
        if kind == "received" and first.startswith("SIP/2.0") and cseq.endswith("INVITE") \
                and not first.startswith("SIP/2.0 100"):
            events.append((wall, None, "    [caller] got %s" % first[8:]))
    if origin is None:
        return []
    out = []
    for wall, mono, text in sorted(events, key=lambda e: (e[0], e[2])):
        rel = (mono - origin[1]) / 1e9 if mono is not None else wall - origin[0]
        out.append("  t+%7.3f  %s" % (rel, text))
    return out


def demo(t):
    t.require(os.path.exists(VOSTIMER_SO), "no module at %s: run make module" % VOSTIMER_SO)
    gws = [t.gateway(b, name="gw%d" % i) for i, (b, _) in enumerate(ROLES, 1)]
    dsl = dispatcher_list(t, gws)
    t.kamailio_cfg(os.path.join(ROOT, "etc", "kamailio.cfg"), defines={
        "DS_LIST": dsl, "VOS_PROFILES": os.path.join(ROOT, "etc", "vostimer.profiles"),
        "VOSTIMER_SO": VOSTIMER_SO, "DEMO": True})
    print()
    print("vostimer demo: one call through etc/kamailio.cfg (kamailio on 127.0.0.1:%d)"
          % t.port)
    print("gateways, tried in this order (dispatcher set 1, %s):" % dsl)
    for gw, (_, what) in zip(gws, ROLES):
        print("  %s  127.0.0.1:%-5d  %-8s %s" % (gw.name, gw.port, gw.behaviour, what))
    print("profiles: gw1 'standard' (the VOS3000 list 0.5,1,2,4,4,4,4,4,4,4, window 31.5 s);"
          "\n  gw2-gw4 'backup' (0.5,1,2,4,4,4, INVITE stage 4 s), Trying 3 s and Ringing"
          " 5 s for the demo")
    print("placing the call (takes about 40 s)...", flush=True)
    res = t.sipp("invite", final=200, hold_ms=1000)
    t.sleep(0.3)
    t.expect_sipp_ok(res)
    print()
    print("timeline (t = first INVITE to gw1; gateway instants on CLOCK_MONOTONIC):")
    lines = timeline(t, gws, res)
    for line in lines:
        print(line)
    fails = [l.split("failed: ")[1].split(" (")[0] for l in lines if "failed: " in l]
    answer = [m for m in (re.search(r"t\+\s*([\d.]+)\s+200 OK\s+<- (gw\d)", l)
                          for l in lines) if m]
    print()
    print("result: %s after %d failover%s (%s)" % (
        "answered at t+%s s by %s" % answer[0].groups() if answer else "not answered",
        len(fails), "" if len(fails) == 1 else "s", ", ".join(fails)))
    print()
    rc, stats = t.rpc("stats.get_statistics", "vostimer:", check=False)
    if rc == 0 and stats.strip():
        print("kamcmd stats.get_statistics vostimer:")
        for line in stats.strip().splitlines():
            print("  " + line.strip())
        print()
    print("logs: %s/ (kamailio.log, gw*.jsonl, sipp-invite.msg)" % t.out)


if __name__ == "__main__":
    Test("demo", timeout=120, quiet=True).run(demo)
