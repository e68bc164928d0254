#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a non-INVITE that gets a provisional and then nothing (doc/user-guide.md, "Non-INVITE
requests and RFC 3261's T2 rule"): OPTIONS to a gateway that answers 100 only, with
vos_resend("0.5,0.5,1") - the 100 stops the retransmissions (one send: a silent
gateway would get 0, 0.5, 1.0), but the give-up instant 2.0 s is kept, like Timer F:
the branch ends at 2.0 s with resend_exhausted and the caller gets a 408 then."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    trying = t.gateway("trying")
    t.kamailio(gws=[trying], route='vos_resend("0.5,0.5,1");')
    res = t.sipp("options", final=408)
    t.expect_sipp_ok(res)
    t.expect_sends(trying, [0], method="OPTIONS")
    t.check(vc.sent(trying, 100, "OPTIONS"), "the gateway sent no 100 to the OPTIONS")
    t.expect_count(trying, 0, "CANCEL")
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals %s, one 408 expected"
            % finals)
    if finals:
        vc.expect_wall(t, "408 to the caller after the OPTIONS", finals[0][1],
                       vc.wall_of(trying, "OPTIONS"), 2.0, tol_ms=15)
    fails = vc.vostest(t, "failure")
    got = [(f.get("reason"), f.get("code"), f.get("sends")) for f in fails]
    t.check(got == [("resend_exhausted", "408", "1")],
            "failure_route saw (reason, code, sends) %s; one resend_exhausted 408 after "
            "1 send expected" % got)
    el = int(fails[0].get("elapsed") or -1) if fails else -1
    t.check(abs(el - 2000) <= 15, "$vos(elapsed) %d ms, 2000 expected" % el)
    ev = vc.vostest(t, "event")
    t.check([(e.get("reason"), e.get("sends")) for e in ev] == [("resend_exhausted", "1")],
            "branch-timeout events %s, one resend_exhausted after 1 send expected" % ev)


Test(__file__, timeout=20).run(scenario)
