#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""parallel forking with per-branch values: tm runs branch_route for every branch
before it sends any, so values set there belong to that branch only. gw1 (the main
branch, $du set) gets "0.5,0.5,0.5": sends at 0, 0.5, 1.0 s, resend_exhausted at 1.5 s;
gw2 (the appended branch) gets "1,1": sends at 0, 1.0 s, resend_exhausted at 2.0 s -
not the last branch_route's values for both."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

COREX = 'loadmodule "corex.so"'


def scenario(t):
    gw1, gw2 = t.gateway("silent"), t.gateway("silent")
    t.kamailio("relay_branch.cfg", gws=[gw1], vos={"timeout_invite": "0"},
               modparams=COREX,
               route=('$du = $null; append_branch("sip:callee@127.0.0.1:%d;transport=udp"); '
                      '$du = "%s";' % (gw2.port, gw1.uri())),
               BRANCH_ROUTE='if ($du == $null) vos_resend("1,1"); else vos_resend("0.5,0.5,0.5");')
    t.expect_sipp_ok(t.sipp("invite", final=408))
    t.expect_sends(gw1, [0, 0.5, 1.0])
    t.expect_sends(gw2, [0, 1.0])
    ev = sorted((e.get("dst"), e.get("reason"), e.get("sends"), int(e.get("elapsed") or -1))
                for e in vc.vostest(t, "event"))
    t.check([(d, r, s) for d, r, s, _ in ev]
            == sorted([("udp:127.0.0.1:%d" % gw1.port, "resend_exhausted", "3"),
                       ("udp:127.0.0.1:%d" % gw2.port, "resend_exhausted", "2")]),
            "branch-timeout events (dst, reason, sends, elapsed) %s" % ev)
    el = {d: e for d, _, _, e in ev}
    t.check(abs(el.get("udp:127.0.0.1:%d" % gw1.port, -1) - 1500) <= 15
            and abs(el.get("udp:127.0.0.1:%d" % gw2.port, -1) - 2000) <= 15,
            "elapsed per branch %s, 1500 (gw1) and 2000 (gw2) expected" % el)


Test(__file__, timeout=20).run(scenario)
