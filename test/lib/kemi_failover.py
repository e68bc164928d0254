# SPDX-License-Identifier: GPL-2.0-or-later
"""kemi_failover.py: VOS3000's gateway-switch rules asked from KEMI, one scenario for
every engine (test/e2e/t_kemi_failover_<engine>.py).

The KEMI script is test/e2e/cfg/relay.<ext> (vos_checks.KEMI_ENGINES) with GWS a
table of gateway lists keyed by the R-URI user, so each call of the scenario has
its own chain; ROUTE_<sfx> applies the call's rules inline from the request route
(KSR.vostimer.vos_switch_rules / vos_timeouts / vos_setup_budget, by $rU) and
FAILOVER_<sfx> is the script's vos_gate(): KSR.vostimer.vos_failover() before the
next gateway, logging "VOSTEST switch|noswitch gw=<next gateway> stop=$vos(stop)
attempts=$vos(attempts) engine=<engine>" and returning without a relay on "no".

Gateway names in the VOSTEST lines (gw1, gw2, ...) are positions in the call's own
list; the gateway processes (silent1-3, busy, ringing, early, backup) are shared
between calls, whose INVITEs are told apart by Call-ID.
"""
import re

import vos_checks as vc

# per call (R-URI user): the KSR.vostimer calls of its request route
RULES = [
    ("limit", [("vos_switch_rules", ("2", "", "", ""))]),
    ("busy", []),
    ("ringing", [("vos_timeouts", ("", "", "1"))]),
    ("early", [("vos_switch_rules", ("", "", "on", ""))]),
    ("budget", [("vos_setup_budget", ("1.2",))]),
    ("switch", [("vos_switch_rules", ("", "off", "", ""))]),
]

# engine: (if-by-user statement, line separator inside the route, failure gate)
SYNTAX = {
    "lua": ('if KSR.pv.get("$rU") == "%s" then %s end', "\n\t",
            "if not vos_gate() then return 1 end"),
    "python": ('if KSR.pv.get("$rU") == "%s": %s', "\n        ",
               "if not vos_gate(): return 1"),
    "jsdt": ('if (KSR.pv.get("$rU") == "%s") { %s }', "\n\t",
             "if (!vos_gate()) return 1;"),
}


def _call(fn, args, end):
    return "KSR.vostimer.%s(%s)%s" % (fn, ", ".join('"%s"' % a for a in args), end)


def route_text(engine):
    """The request route's per-user rules for that engine (one line per user)."""
    cond, sep, _ = SYNTAX[engine]
    end = ";" if engine == "jsdt" else ""
    lines = [cond % (user, "; ".join(_call(f, a, end) for f, a in calls))
             for user, calls in RULES if calls]
    return sep.join(lines)


def gateway_table(engine, chains):
    """{user: [gw, ...]} as the engine's literal: Lua table, Python dict, JS object."""
    if engine == "lua":
        return "{%s}" % ", ".join('["%s"] = %s' % (u, vc.lua_gateways(g))
                                  for u, g in chains.items())
    return "{%s}" % ", ".join('"%s": %s' % (u, vc.py_gateways(g)) for u, g in chains.items())


def _gate_lines(t, engine):
    """Every vos_gate() line so far, in order: (kind, gw, stop, attempts)."""
    out = []
    for l in t.log_lines(r"VOSTEST (no)?switch\b"):
        kind = "noswitch" if "VOSTEST noswitch" in l else "switch"
        d = dict(re.findall(r"(\w+)=(\S*)", l.split("VOSTEST", 1)[1]))
        t.check(d.get("engine") == engine, "a VOSTEST %s line not from the %s script: %s"
                % (kind, engine, l))
        out.append((kind, d.get("gw"), d.get("stop"), d.get("attempts")))
    return out


def _failures(t):
    return [(f.get("gw"), f.get("reason")) for f in vc.vostest(t, "failure")]


def kemi_failover(t, engine):
    """Six calls through one kamailio, default values resend_interval "0.5,0.5" and
    timeout_invite 0 (a silent gateway is given up 1 s after its first send), the
    rules otherwise VOS3000's defaults; the calls, in order (R-URI user: chain):

      limit   [silent s1, s2, s3], vos_switch_rules("2", "", "", ""): s1 sends at 0
              and 0.5, vos_failover() yes at 1.0 (attempts 1) -> s2 at 1.0 and 1.5,
              no at 2.0: stop=switch_limit attempts=2; s3 never asked; caller 408
              at 2.0 s.
      busy    [reject:486, answer]: no, stop=user_busy attempts=1; caller 486; the
              backup gets no INVITE of this call.
      ringing [ringing, answer], vos_timeouts("", "", "1"): 180, ringing_timeout and
              a CANCEL 1 s later; no, stop=ringing_reached attempts=1; caller 408.
      early   [early:480 (183 with SDP, 480 100 ms later), answer],
              vos_switch_rules("", "", "on", "") so that only the SDP rule can stop
              it: no, stop=early_media attempts=1; caller 480.
      budget  [silent s1, s2, s3], vos_setup_budget("1.2"): s1 sends at 0 and 0.5,
              yes at 1.0 (0.2 s of budget left) -> s2 once at 1.0, ended at 1.2 s
              with reason setup_budget; no, stop=setup_budget attempts=2; caller 408
              at 1.2 s; s3 never asked.
      switch  [reject:486, answer], vos_switch_rules("", "off", "", ""): the rules
              allow it: yes, $vos(stop) null, attempts=1 -> the backup answers; 200.

    Asserted: each call's INVITEs per gateway (by Call-ID), the caller's finals, the
    branch timelines (±15 ms) and the caller's 408 instants (±50 ms), the reasons
    failure_route saw, the vos_gate() lines in order (all from this engine), the
    module's "vos_failover: no, stop=<rule>" line once per rule, no ERROR line, and
    the exact counters: failover_allowed 3, every stop_* 1, stop_canceled 0."""
    script_name, sfx, _, mod, _ = vc.KEMI_ENGINES[engine]
    gate = SYNTAX[engine][2]
    s1, s2, s3 = (t.gateway("silent", name="silent%d" % i) for i in (1, 2, 3))
    busy, ring = t.gateway("reject:486", name="busy"), t.gateway("ringing", name="ringing")
    early = t.gateway("early:480", name="early", ring=100)
    backup = t.gateway("answer", name="backup", ring=20)
    chains = {"limit": [s1, s2, s3], "busy": [busy, backup], "ringing": [ring, backup],
              "early": [early, backup], "budget": [s1, s2, s3], "switch": [busy, backup]}
    script = vc.render_script(t, script_name, script_name,
                              GWS=gateway_table(engine, chains),
                              **{"ROUTE_" + sfx: route_text(engine), "FAILOVER_" + sfx: gate})
    t.kamailio("kemi.cfg", vos={"resend_interval": "0.5,0.5", "timeout_invite": "0"},
               ENGINE=engine, KEMI_MODULE=mod + ".so", KEMI_MODNAME=mod,
               KEMI_SCRIPT=script)

    state = {"gates": 0, "fails": 0}

    def call(user, final, gates, fails, invites):
        """One sipp call; its new vos_gate() lines, failure_route (gw, reason) and
        INVITEs per gateway {gw: n} (gateways not named: none) as expected."""
        res = t.sipp("invite", final=final, user=user, name="sipp-" + user)
        t.expect_sipp_ok(res)
        cids = vc.call_ids(res)
        t.require(len(cids) == 1, "%s: sipp sent Call-IDs %s, one expected" % (user, cids))
        cid = cids[0]
        finals = vc.caller_finals(res)
        got = [(l.split()[1], cseq) for _, d, l, cseq in t.sipp_messages(res)
               if d == "received" and re.match(r"SIP/2\.0 [2-6]\d\d", l)]
        want = [(str(final), "1 INVITE")] + ([("200", "2 BYE")] if final == 200 else [])
        t.check(got == want, "%s: caller's finals (code, CSeq) %s, expected %s"
                % (user, got, want))
        got = _gate_lines(t, engine)[state["gates"]:]
        state["gates"] += len(got)
        t.check(got == gates, "%s: vos_gate() decisions (kind, gw, stop, attempts) %s, "
                "expected %s" % (user, got, gates))
        got = _failures(t)[state["fails"]:]
        state["fails"] += len(got)
        t.check(got == fails, "%s: failure_route saw (gw, reason) %s, expected %s"
                % (user, got, fails))
        per_gw = {g.name: len(g.requests("INVITE", cid)) for g in t.gws}
        want = {g.name: invites.get(g, 0) for g in t.gws}
        t.check(per_gw == want, "%s: INVITEs of the call per gateway %s, expected %s"
                % (user, per_gw, want))
        return res, cid, finals

    null = "<null>"
    # limit: two silent gateways, the third not asked
    res, cid, finals = call("limit", 408,
                            [("switch", "gw2", null, "1"),
                             ("noswitch", "gw3", "switch_limit", "2")],
                            [("gw1", "resend_exhausted"), ("gw2", "resend_exhausted")],
                            {s1: 2, s2: 2})
    vc.expect_call(t, "limit", s1, s2, cid, [0, 0.5], 1.0)
    t.expect_times("limit: INVITE sends to %s" % s2.name, s2.arrivals("INVITE", cid),
                   vc.first(s1, "INVITE", cid), [1.0, 1.5])
    if finals:
        vc.expect_wall(t, "limit: the caller's 408", finals[0][1], vc.wall_of(s1, call_id=cid),
                       2.0)

    # busy: the 486 ends the call
    call("busy", 486, [("noswitch", "gw2", "user_busy", "1")], [("gw1", "reply")],
         {busy: 1})

    # ringing: ringing_timeout 1 s after the 180, no switch
    res, cid, finals = call("ringing", 408, [("noswitch", "gw2", "ringing_reached", "1")],
                            [("gw1", "ringing_timeout")], {ring: 1})
    r180 = vc.sent(ring, 180, call_id=cid)
    t.check(len(r180) == 1, "ringing: the gateway sent %d 180s, 1 expected" % len(r180))
    if r180:
        t.expect_times("ringing: CANCEL to %s from its 180" % ring.name,
                       ring.arrivals("CANCEL", cid), r180[0], [1.0])

    # early: 183 with SDP relayed, then 480: no switch
    res, cid, _ = call("early", 480, [("noswitch", "gw2", "early_media", "1")],
                       [("gw1", "reply")], {early: 1})
    got = [l for w, d, l in vc.caller_trace(res) if d == "in" and l.startswith("SIP/2.0 183")]
    t.check(len(got) == 1, "early: the caller got %d 183s, the early media expected" % len(got))

    # budget: one switch within the budget, then the budget ends the call
    res, cid, finals = call("budget", 408,
                            [("switch", "gw2", null, "1"),
                             ("noswitch", "gw3", "setup_budget", "2")],
                            [("gw1", "resend_exhausted"), ("gw2", "setup_budget")],
                            {s1: 2, s2: 1})
    vc.expect_call(t, "budget", s1, s2, cid, [0, 0.5], 1.0)
    if finals:
        vc.expect_wall(t, "budget: the caller's 408", finals[0][1],
                       vc.wall_of(s1, call_id=cid), 1.2)

    # switch: switch_stop_after_busy off, the backup answers
    res, cid, _ = call("switch", 200, [("switch", "gw2", null, "1")], [("gw1", "reply")],
                       {busy: 1, backup: 1})
    x = backup.requests("INVITE", cid)
    x = x[0].get("x", {}) if x else {}
    t.check(x.get("x-vos-reason") == "reply", "switch: the backup's INVITE carried "
            "X-VOS-Reason %r, 'reply' expected" % x.get("x-vos-reason"))

    for rule in ("switch_limit", "user_busy", "ringing_reached", "early_media",
                 "setup_budget"):
        vc.expect_log(t, r"vos_failover: no, stop=%s: " % rule, 1)
    errors = t.log_lines(r"ERROR: ")
    t.check(not errors, "kamailio logged errors:\n  %s" % "\n  ".join(errors[:4]))
    vc.wait_idle(t)
    want = {"failover_allowed": 3, "stop_switch_limit": 1, "stop_user_busy": 1,
            "stop_ringing_reached": 1, "stop_early_media": 1, "stop_setup_budget": 1,
            "stop_canceled": 0}
    vc.expect_counters(t, want)
