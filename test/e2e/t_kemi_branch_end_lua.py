#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""the branch-end event from KEMI (app_lua): with modparam branch_end_callback, the
Lua function runs once per INVITE branch with the event name vostimer:branch-end -
silent gw1 (resend_exhausted), gw2 with a 100 only (trying_timeout), gw3 answering
(answered, code 200, PDD and answer time set) - each with its gateway (host:port),
destination and Call-ID; event_callback is not set, so the timeout event never runs,
and the caller's BYE (not an INVITE) is no branch end."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw1, gw2 = t.gateway("silent"), t.gateway("trying-after:2")
    gw3 = t.gateway("answer", delay=30, ring=50)
    script = vc.render_script(t, "relay.lua", "relay.lua",
                              GWS=vc.lua_gateways([gw1, gw2, gw3]),
                              ROUTE_LUA='KSR.vostimer.vos_resend("0.5,1,2")',
                              FAILOVER_LUA='KSR.vostimer.vos_resend("0.5,0.5"); '
                              'KSR.vostimer.vos_timeouts("", "1.5", "")')
    t.kamailio("kemi.cfg", vos={"timeout_invite": "0",
                                "branch_end_callback": "ksr_vostimer_branch_end"},
               ENGINE="lua", KEMI_MODULE="app_lua.so", KEMI_MODNAME="app_lua",
               KEMI_SCRIPT=script)
    t.expect_sipp_ok(t.sipp("invite", final=200))
    vc.wait_idle(t)
    cid = gw1.requests()[0]["call_id"]
    got = [(e.get("evname"), e.get("gateway"), e.get("outcome"), e.get("code"),
            e.get("dst"), e.get("callid")) for e in vc.vostest(t, "branchend")]
    want = [("vostimer:branch-end", "127.0.0.1:%d" % g.port, outcome, code,
             "udp:127.0.0.1:%d" % g.port, cid)
            for g, outcome, code in ((gw1, "resend_exhausted", "<null>"),
                                     (gw2, "trying_timeout", "<null>"),
                                     (gw3, "answered", "200"))]
    t.check(got == want, "branch_end_callback calls:\n  %s\nexpected:\n  %s"
            % ("\n  ".join(map(str, got)), "\n  ".join(map(str, want))))
    ends = vc.vostest(t, "branchend")
    if len(ends) == 3:
        t.check(ends[0].get("pdd") == "<null>" and ends[1].get("pdd") == "<null>",
                "no 18x, yet a PDD: %s" % ends[:2])
        pdd, ans = ends[2].get("pdd", ""), ends[2].get("answer_time", "")
        t.check(pdd.isdigit() and 25 <= int(pdd) <= 60 and ans.isdigit()
                and 75 <= int(ans) <= 120,
                "gw3: pdd %s (~30 ms expected), answer_time %s (~80 ms)" % (pdd, ans))
    t.check(not vc.vostest(t, "event"), "the timeout event ran without event_callback")
    errors = t.log_lines(r"ERROR: app_lua")
    t.check(not errors, "the Lua script failed:\n  " + "\n  ".join(errors[:4]))


Test(__file__, timeout=30).run(scenario)
