#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tm's fr_timer does not cut a vostimer branch (doc/user-guide.md, "How this sits with
tm's own timers"): tm fr_timer 2 s, timeout_invite 0, vos_resend("0.5,1,2,1") to a
silent gateway - sends at 0, 0.5, 1.5 and 3.5 s (past tm's 2 s), the branch gives up
at 4.5 s with resend_exhausted after 4 sends (not a tm timeout at 2 s), and the backup
gets the call then."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio(gws=[silent, backup], vos={"timeout_invite": "0"},
               modparams='modparam("tm", "fr_timer", 2000)',
               route='vos_resend("0.5,1,2,1");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1.5, 3.5])
    t.expect_failover(silent, backup, 4.5)
    t.expect_failover_reason(backup, "resend_exhausted", sends=4, stage="invite")
    fails = vc.vostest(t, "failure")
    got = [(f.get("reason"), f.get("code"), f.get("sends")) for f in fails]
    t.check(got == [("resend_exhausted", "408", "4")],
            "failure_route saw (reason, code, sends) %s; one resend_exhausted 408 after "
            "4 sends expected" % got)
    el = int(fails[0].get("elapsed") or -1) if fails else -1
    t.check(abs(el - 4500) <= 15, "$vos(elapsed) %d ms, 4500 expected" % el)
    ev = vc.vostest(t, "event")
    t.check([e.get("reason") for e in ev] == ["resend_exhausted"],
            "branch-timeout events %s, one resend_exhausted expected" % ev)


Test(__file__, timeout=20).run(scenario)
