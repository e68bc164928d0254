#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""demo.py (run by test/demo.sh, `make demo`): calls through etc/kamailio.cfg and
scripted gateways, and the timeline of what happened, read back from the gateways'
logs, kamailio's log and the callers' (sipp) logs, all on one clock. The main call
hunts through four gateways of dispatcher set 1 - silent, 100 only, ringing forever,
answering - and is answered by the fourth; at the same time five calls, one to each
of sets 2-6, are each ended by one of VOS3000's gateway-switch rules (vos_failover():
switch_limit, user_busy, ringing_reached, early_media, setup_budget). Takes about
45 s. Output in test/out/demo/."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, VOSTIMER_SO, Test  # noqa: E402
from gw import REASONS  # noqa: E402

import vos_checks as vc  # noqa: E402

ROLES = [("silent", "never answers"), ("trying", "100 Trying, then nothing"),
         ("ringing", "rings forever"), ("answer", "answers")]
# the rule calls: (number called, the rule that ends it, its gateways as
# (port in etc/dispatcher.list, name there, behaviour, what it does))
RULE_CALLS = [
    ("2000", "switch_limit", [(5081, "limit-gw1", "silent", "never answers"),
                              (5082, "limit-gw2", "silent", "never answers"),
                              (5083, "limit-gw3", "silent", "never answers")]),
    ("3000", "user_busy", [(5084, "busy-gw1", "reject:486", "486 Busy Here"),
                           (5085, "busy-gw2", "answer", "answers")]),
    ("4000", "ringing_reached", [(5086, "ring-gw1", "ringing", "rings forever"),
                                 (5087, "ring-gw2", "answer", "answers")]),
    ("5000", "early_media", [(5088, "sdp-gw1", "early:480",
                              "183 with SDP, 480 after 2 s"),
                             (5089, "sdp-gw2", "answer", "answers")]),
    ("6000", "setup_budget", [(5090, "budget-gw1", "silent", "never answers"),
                              (5091, "budget-gw2", "silent", "never answers"),
                              (5092, "budget-gw3", "silent", "never answers")]),
]
DEMO_PORTS = [5071, 5072, 5073, 5074]  # set 1, as written in etc/dispatcher.list


def dispatcher_list(t, ports):
    """etc/dispatcher.list with its demo ports replaced: ports {listed: gateway}."""
    with open(os.path.join(ROOT, "etc", "dispatcher.list")) as f:
        text = f.read()
    for port, gw in ports.items():
        text = text.replace("127.0.0.1:%d " % port, "127.0.0.1:%d " % gw.port)
    path = t.path("dispatcher.list")
    with open(path, "w") as f:
        f.write(text)
    return path


def rule_gateways(t):
    """Start the gateways of RULE_CALLS: ([[gateway, ...] per call], {listed port:
    gateway}) for dispatcher_list()."""
    sets, ports = [], {}
    for _, _, entries in RULE_CALLS:
        gws = [t.gateway(b, name=n, ring=2000 if b.startswith("early") else 20)
               for _, n, b, _ in entries]
        ports.update({p: g for (p, _, _, _), g in zip(entries, gws)})
        sets.append(gws)
    return sets, ports


def describe(r, gw):
    """One gateway log record as a timeline line."""
    if "status" in r:
        what = "%d %s" % (r["status"], REASONS.get(r["status"], ""))
        if r["method"] != "INVITE":
            what += " (%s)" % r["method"]
        return "%-30s <- %s" % (what, gw.name)
    return "%-30s -> %s" % (r["method"], gw.name)


def timeline(t, gws, sipp, call_id=None):
    """The call's events in order, t relative to its first INVITE (call_id: only
    that call's records and kamailio lines)."""
    events = []  # (wall, mono or None, text)
    origin = None
    for gw in gws:
        sends = {}
        for r in gw.records(None):
            if call_id and r.get("call_id") != call_id:
                continue
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
    rx = re.compile(r"VOS (\S+): (.*?) at (\d+\.\d+)(.*)")
    for line in t.kamailio_log():
        m = rx.search(line)
        if not m or (call_id and m.group(1) != call_id):
            continue
        if not any(w in m.group(2) for w in ("failed", "no gateway", "no failover")):
            continue
        kv = dict(re.findall(r"(\w+)=(\S+)", m.group(4)))
        text = "==> [kamailio] %s" % m.group(2)
        if "reason" in kv:
            text += ": %s (stage %s, %s send%s, %.3f s, local %s)" % (
                kv["reason"], kv.get("stage"), kv.get("sends"),
                "" if kv.get("sends") == "1" else "s",
                int(kv.get("elapsed", "0").rstrip("ms") or 0) / 1000.0, kv.get("code"))
        elif "stop" in kv:
            text += ": vos_failover() says no, stop=%s%s" % (kv["stop"], m.group(4).split(
                kv["stop"], 1)[1].rstrip())
        events.append((float(m.group(3)), None, text))
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
    ports = dict(zip(DEMO_PORTS, gws))
    rule_gws, rule_ports = rule_gateways(t)
    ports.update(rule_ports)
    dsl = dispatcher_list(t, ports)
    t.kamailio_cfg(os.path.join(ROOT, "etc", "kamailio.cfg"), defines={
        "DS_LIST": dsl, "VOS_PROFILES": os.path.join(ROOT, "etc", "vostimer.profiles"),
        "VOSTIMER_SO": VOSTIMER_SO, "DEMO": True})
    print()
    print("vostimer demo: calls through etc/kamailio.cfg (kamailio on 127.0.0.1:%d)"
          % t.port)
    print("main call: gateways tried in this order (dispatcher set 1, %s):" % dsl)
    for gw, (_, what) in zip(gws, ROLES):
        print("  %s  127.0.0.1:%-5d  %-8s %s" % (gw.name, gw.port, gw.behaviour, what))
    print("profiles: gw1 'standard' (the VOS3000 list 0.5,1,2,4,4,4,4,4,4,4, window 31.5 s);"
          "\n  gw2-gw4 'backup' (0.5,1,2,4,4,4, INVITE stage 4 s, switch_until_connect on),"
          "\n  Trying 3 s and Ringing 5 s for the demo")
    print("and at the same time one call per gateway-switch rule (sets 2-6).")
    print("placing the calls (takes about 40 s)...", flush=True)
    main = t.sipp("invite", final=200, hold_ms=1000, wait=False, name="sipp-invite")
    finals = {"switch_limit": 408, "user_busy": 486, "ringing_reached": 408,
              "early_media": 480, "setup_budget": 408}
    procs = [t.sipp("invite", final=finals[rule], wait=False, user=number,
                    name="sipp-" + number) for number, rule, _ in RULE_CALLS]
    res = t.wait_sipp(main, "sipp-invite", 90)
    rule_res = [t.wait_sipp(p, "sipp-" + number, 30)
                for p, (number, _, _) in zip(procs, RULE_CALLS)]
    t.sleep(0.3)
    t.expect_sipp_ok(res)
    print()
    print("main call, timeline (t = first INVITE to gw1; gateway instants on "
          "CLOCK_MONOTONIC):")
    cid = (vc.call_ids(res) or [None])[0]
    lines = timeline(t, gws, res, cid)
    for line in lines:
        print(line)
    fails = [l.split("failed: ")[1].split(" (")[0] for l in lines if "failed: " in l]
    answer = [m for m in (re.search(r"t\+\s*([\d.]+)\s+200 OK\s+<- (gw\d)", l)
                          for l in lines) if m]
    print()
    print("result: %s after %d failover%s (%s)" % (
        "answered at t+%s s by %s" % answer[0].groups() if answer else "not answered",
        len(fails), "" if len(fails) == 1 else "s", ", ".join(fails)))
    summary = []
    for (number, rule, entries), rgws, rr in zip(RULE_CALLS, rule_gws, rule_res):
        t.expect_sipp_ok(rr)
        print()
        print("call to %s (set %s): %s" % (number, number[0], ", ".join(
            "%s %s" % (n, what) for _, n, _, what in entries)))
        cid = (vc.call_ids(rr) or [None])[0]
        for line in timeline(t, rgws, rr, cid):
            print(line)
        stop = [l for l in t.log_lines(r"VOS %s: no failover" % re.escape(cid or "-"))]
        got = re.search(r"stop=(\w+) after (\d+)", stop[0]) if stop else None
        code = [c for c, _ in vc.caller_finals(rr)]
        summary.append((number, rule, got.group(1) if got else "(none)",
                        got.group(2) if got else "-", code))
        t.check(got is not None and got.group(1) == rule,
                "call to %s: stop=%s, %s expected" % (number, got and got.group(1), rule))
    print()
    print("gateway-switch rules, one call each:")
    print("  %-6s %-16s %-16s %-9s %s" % ("number", "expected", "$vos(stop)", "gateways",
                                          "caller's final"))
    for number, rule, got, n, code in summary:
        print("  %-6s %-16s %-16s %-9s %s" % (number, rule, got, n,
                                              ",".join(map(str, code)) or "-"))
    print()
    rc, stats = t.rpc("stats.get_statistics", "vostimer:", check=False)
    if rc == 0 and stats.strip():
        print("kamcmd stats.get_statistics vostimer:")
        for line in stats.strip().splitlines():
            print("  " + line.strip())
        print()
    print("logs: %s/ (kamailio.log, *.jsonl, sipp-*.msg)" % t.out)


if __name__ == "__main__":
    Test("demo", timeout=120, quiet=True).run(demo)
