#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""etc/kamailio.cfg as shipped, dispatcher round robin over three gateways - gwA
answers after a 180 (PDD 20-220 ms, answer 120-520 ms at random), gwB is busy (486),
gwS is silent ('backup': invite_timeout at 4 s, then the next gateway) - and 30
calls: vostimer.gateways counts exactly what each gateway's own log shows (tried,
answered, busy, invite_timeout, ASR), its post-dial delay and time to answer (p50,
p95, max) are within 5 ms of the gateway's, event_route[vostimer:branch-end] ran once
per branch, and Prometheus' /metrics (xhttp_prom, fed by that route) shows the same
numbers."""
import os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

REASONS = ("resend_exhausted", "invite_timeout", "trying_timeout",
           "session_progress_timeout", "session_progress_sdp_timeout",
           "ringing_timeout", "setup_budget")
TOL_MS = 5.0


def expected(truth):
    """The RPC's counters for a gateway, from its log."""
    want = {"tried": truth["tried"], "answered": truth["answered"],
            "busy": truth["busy"], "rejected": 0, "canceled": 0, "active": 0,
            "reply": truth["busy"]}
    for r in REASONS:
        want[r] = 0
    want["invite_timeout"] = truth["silent"]
    return want


def check_dist(t, gw, what, rpc, values):
    """The RPC's {n, p50, p95, max} of a distribution against the gateway's values."""
    n = int(rpc.get("n", -1))
    if not t.check(n == len(values), "%s %s: n=%d in the RPC, %d in the gateway's log"
                   % (gw, what, n, len(values))):
        return
    for q, pct in (("p50", 50), ("p95", 95), ("max", 100)):
        want = vc.nearest_rank(values, pct) if values else 0
        got = float(rpc.get(q, "nan"))
        t.check(abs(got - want) <= TOL_MS, "%s %s %s: %.1f ms in the RPC, %.1f ms in "
                "the gateway's log (+-%g)" % (gw, what, q, got, want, TOL_MS))
    t.note("%s %s: RPC %s, gateway p50 %.1f p95 %.1f max %.1f" % (
        gw, what, rpc, vc.nearest_rank(values, 50) or 0,
        vc.nearest_rank(values, 95) or 0, max(values) if values else 0))


def scenario(t):
    gws = [t.gateway("answer", name="gwA", delay=20, ring=100, jitter=200),
           t.gateway("reject:486", name="gwB"),
           t.gateway("silent", name="gwS")]
    t.example_cfg([(g, "vosprofile=backup") for g in gws],
                  defines={"DS_ALG": 4, "GW_MIN_ASR": 0})
    # the figures are taken by the SIP worker that gets each reply: at SCHED_FIFO
    # here, so that +-5 ms measures vostimer, not a loaded machine's scheduler
    t.workers_rt()
    res = t.sipp("invite-any", calls=30, rate=10, limit=30, timeout=60)
    t.expect_sipp_ok(res)
    vc.wait_idle(t)
    truth = {g.name: vc.gw_truth(g) for g in gws}
    t.require(all(truth[g]["tried"] > 0 for g in truth),
              "a gateway got no INVITE: %s" % {g: truth[g]["tried"] for g in truth})
    t.require(sum(truth[g]["tried"] for g in truth) >= 30,
              "the gateways got %d INVITE branches for 30 calls" %
              sum(truth[g]["tried"] for g in truth))

    top = vc.gateways(t)
    rc, out = t.rpc("vostimer.gateways")
    with open(t.path("gateways.txt"), "w") as f:
        f.write(out)
    t.note("kamcmd vostimer.gateways:\n" + out)
    t.check(top.get("gateways") == "3" and top.get("evicted") == "0",
            "vostimer.gateways: %s gateways, %s evicted (3, 0 expected)"
            % (top.get("gateways"), top.get("evicted")))
    for name, tr in truth.items():
        g = top["list"].get(name)
        if not t.check(g is not None, "vostimer.gateways lists no %s" % name):
            continue
        got = {k: int(g[k]) for k in expected(tr) if k in g}
        bad = vc.mismatches(got, expected(tr))
        t.check(not bad, "%s: %s" % (name, ", ".join(bad)))
        asr = tr["answered"] * 10000 // tr["tried"] / 100.0
        t.check(abs(float(g["asr"]) - asr) < 0.001,
                "%s: asr %s, %.2f expected" % (name, g["asr"], asr))
        check_dist(t, name, "pdd_ms", g["pdd_ms"], tr["pdd_ms"])
        check_dist(t, name, "answer_ms", g["answer_ms"], tr["answer_ms"])
    # one name, and an unknown one
    one = vc.gateways(t, "gwA")
    t.check(list(one["list"]) == ["gwA"], "vostimer.gateways gwA lists %s"
            % list(one["list"]))
    rc, out = t.rpc("vostimer.gateways", "nosuchgw", check=False)
    t.check("404" in out, "vostimer.gateways nosuchgw: %s (a 404 fault expected)"
            % out.strip())

    # one branch-end event per branch, with its gateway and outcome
    for name, tr in truth.items():
        ev = t.log_lines(r"branch to %s \(udp:127\.0\.0\.1:%d\) ended"
                         % (name, next(g.port for g in gws if g.name == name)))
        t.check(len(ev) == tr["tried"], "%d branch-end lines for %s, %d branches"
                % (len(ev), name, tr["tried"]))
        ok = [l for l in ev if "outcome=answered code=200" in l]
        t.check(len(ok) == tr["answered"], "%d answered branch-end lines for %s "
                "(%d expected)" % (len(ok), name, tr["answered"]))

    # Prometheus: the event route fed xhttp_prom the same numbers
    deadline = time.monotonic() + 5
    while True:
        prom = vc.prom_scrape(t)
        sums = {n: sum(v for (m, lb), v in prom.items()
                       if m == "kamailio_vostimer_gateway_branches"
                       and ("gateway", n) in lb) for n in truth}
        if all(sums[n] == truth[n]["tried"] for n in truth) \
                or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for name, tr in truth.items():
        g = top["list"].get(name, {})
        t.check(sums[name] == tr["tried"], "/metrics: %s branches %s, %d tried"
                % (name, sums[name], tr["tried"]))
        for outcome, field in (("answered", "answered"), ("busy", "busy"),
                               ("invite_timeout", "invite_timeout")):
            v = prom.get(("kamailio_vostimer_gateway_branches",
                          (("gateway", name), ("outcome", outcome))), 0)
            t.check(v == int(g.get(field, -1)), "/metrics: %s %s %s, RPC %s"
                    % (name, outcome, v, g.get(field)))
        v = prom.get(("kamailio_vostimer_gateway_asr_percent", (("gateway", name),)))
        t.check(v == int(float(g.get("asr", -1))), "/metrics: %s asr_percent %s, RPC "
                "asr %s" % (name, v, g.get("asr")))
        for metric, field in (("kamailio_vostimer_gateway_pdd_ms", "pdd_ms"),
                              ("kamailio_vostimer_gateway_answer_ms", "answer_ms")):
            d = g.get(field, {})
            for quant, q in (("0.5", "p50"), ("0.95", "p95"), ("1", "max")):
                v = prom.get((metric, (("gateway", name), ("quantile", quant))))
                want = float(d.get(q, -1)) if int(d.get("n", 0)) else None
                t.check(v == want, "/metrics: %s{gateway=%s, quantile=%s} %s, RPC %s"
                        % (metric, name, quant, v, want))


Test(__file__, timeout=90).run(scenario)
