#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""event_route[vostimer:branch-timeout] runs once for each branch the module ends,
and not for a real reply: chain silent ("0.5,0.5": resend_exhausted at 1 s) ->
100-only (Trying stage 1 s: trying_timeout) -> 486 (reply) -> answering. Two events,
in order, with $vos(reason/stage/sends/elapsed/dst/callid) of the ended branch."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gws = [t.gateway("silent"), t.gateway("trying"), t.gateway("reject:486"),
           t.gateway("answer", ring=20)]
    t.kamailio(gws=gws, vos={"timeout_invite": "0", "timeout_trying": "1"},
               route='vos_resend("0.5,0.5");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_failover(gws[0], gws[1], 1.0)
    t.expect_failover(gws[0], gws[3], 2.0, tol_ms=30)
    ev = vc.vostest(t, "event")
    got = [(e.get("reason"), e.get("stage"), e.get("sends")) for e in ev]
    t.check(got == [("resend_exhausted", "invite", "2"), ("trying_timeout", "trying", "1")],
            "branch-timeout events (reason, stage, sends): %s" % got)
    dsts = [e.get("dst") for e in ev]
    want = ["udp:127.0.0.1:%d" % gws[0].port, "udp:127.0.0.1:%d" % gws[1].port]
    t.check(dsts == want, "$vos(dst) of the ended branches %s, expected %s" % (dsts, want))
    cids = set(e.get("callid") for e in ev)
    t.check(len(cids) == 1 and None not in cids and "" not in cids,
            "$vos(callid) should name the one call: %s" % cids)
    el = [int(e.get("elapsed") or -1) for e in ev]
    t.check(len(el) == 2 and all(abs(e - 1000) <= 20 for e in el),
            "elapsed of the ended branches %s ms, 1000 each expected" % el)
    fails = [f.get("reason") for f in vc.vostest(t, "failure")]
    t.check(fails == ["resend_exhausted", "trying_timeout", "reply"],
            "failure_route reasons %s" % fails)


Test(__file__, timeout=20).run(scenario)
