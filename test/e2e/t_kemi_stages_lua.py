#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""the three new stage cases from KEMI (app_lua): three calls at once, each with its
own gateway and the answering backup, the timeouts set in ksr_request_route:
  sp    KSR.vostimer.vos_timeout("session_progress", "2"), 183 without SDP: CANCEL and
        failover 2 s after the 183, session_progress_timeout / session_progress
  sdp   KSR.vostimer.vos_timeout("session_progress_sdp", "3"), 183 with SDP: 3 s after
        the 183, session_progress_sdp_timeout / session_progress_sdp
  ring  KSR.vostimer.vos_timeouts5("", "", "3", "2", ""), 183 without SDP then 180 1 s
        later: the ringing timer starts at the 180, CANCEL and failover 3 s after it
        (4 s after the 183), ringing_timeout / ringing
Every call is answered by the backup; the counters count one of each reason."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = "\n\t".join([
    'if KSR.pv.get("$rU") == "sp" then KSR.vostimer.vos_timeout("session_progress", "2") end',
    'if KSR.pv.get("$rU") == "sdp" then '
    'KSR.vostimer.vos_timeout("session_progress_sdp", "3") end',
    'if KSR.pv.get("$rU") == "ring" then '
    'KSR.vostimer.vos_timeouts5("", "", "3", "2", "") end'])

# user: (behaviour, ring ms, reply the stage starts at, seconds after it, reason, stage)
CALLS = {
    "sp": ("progress:0", 20, 183, 2, "session_progress_timeout", "session_progress"),
    "sdp": ("early:0", 20, 183, 3, "session_progress_sdp_timeout", "session_progress_sdp"),
    "ring": ("progress-ring", 1000, 180, 3, "ringing_timeout", "ringing"),
}


def scenario(t):
    gws = {u: t.gateway(c[0], name="gw-" + u, ring=c[1]) for u, c in CALLS.items()}
    backup = t.gateway("answer", name="backup", ring=20)
    table = "{%s}" % ", ".join('["%s"] = %s' % (u, vc.lua_gateways([g, backup]))
                               for u, g in gws.items())
    script = vc.render_script(t, "relay.lua", "relay.lua", GWS=table, ROUTE_LUA=ROUTE,
                              FAILOVER_LUA="")
    t.kamailio("kemi.cfg", ENGINE="lua", KEMI_MODULE="app_lua.so", KEMI_MODNAME="app_lua",
               KEMI_SCRIPT=script)
    runs = {u: t.sipp("invite", final=200, user=u, name="sipp-" + u, wait=False)
            for u in CALLS}
    res = {u: t.wait_sipp(p, "sipp-" + u, 20) for u, p in runs.items()}
    fails = {f.get("ci"): f for f in vc.vostest(t, "failure")}
    for user, (_, _, code, secs, reason, stage) in CALLS.items():
        gw = gws[user]
        t.expect_sipp_ok(res[user])
        t.expect_sends(gw, [0])
        start = (vc.sent(gw, code) or [None])[0]
        t.expect_times("%s: CANCELs from the %d" % (user, code), gw.arrivals("CANCEL"),
                       start, [secs])
        cid = (vc.call_ids(res[user]) or ["?"])[0]
        vc.expect_at(t, "%s: failover to the backup from the %d" % (user, code),
                     vc.first(backup, "INVITE", cid), start, secs)
        f = fails.get(cid, {})
        t.check((f.get("reason"), f.get("stage"), f.get("engine")) == (reason, stage, "lua"),
                "%s: ksr_failure_route saw reason=%s stage=%s engine=%s; expected %s %s lua"
                % (user, f.get("reason"), f.get("stage"), f.get("engine"), reason, stage))
    p183, p180 = vc.sent(gws["ring"], 183), vc.sent(gws["ring"], 180)
    if p183 and p180:
        t.expect_times("ring: CANCELs from the 183 (none at 2 or 3 s)",
                       gws["ring"].arrivals("CANCEL"), p183[0], [4])
    t.check(len(fails) == 3, "ksr_failure_route ran for %d calls, 3 expected" % len(fails))
    errors = t.log_lines(r"ERROR: ")
    t.check(not errors, "kamailio logged errors:\n  %s" % "\n  ".join(errors[:4]))
    vc.wait_idle(t)
    vc.expect_counters(t, {"session_progress_timeout": 1, "session_progress_sdp_timeout": 1,
                           "ringing_timeout": 1, "trying_timeout": 0})


Test(__file__, timeout=25).run(scenario)
