#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a branch vostimer ends answers the caller as tm's own fr_timer would: with tm's
reply_408_code (Kamailio 6.0 and later) set to 480, one silent gateway and
vos_resend("0.5,0.5"), the caller's only final is a 480 at 1.0 s and failure_route saw
480 with t_branch_timeout() true; on 5.6 (no such modparam) it is a 408."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test, kamailio_version
import vos_checks as vc


def scenario(t):
    has_param = kamailio_version() >= (6, 0, 0)
    code = 480 if has_param else 408
    t.note("kamailio %s: expecting %d" % (".".join(map(str, kamailio_version())), code))
    silent = t.gateway("silent")
    t.kamailio(gws=[silent], vos={"timeout_invite": "0"}, route='vos_resend("0.5,0.5");',
               modparams='modparam("tm", "reply_408_code", 480)' if has_param else "")
    res = t.sipp("invite", final=code)
    t.expect_sipp_ok(res)
    t.expect_sends(silent, [0, 0.5])
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [code],
            "caller's finals %s: exactly one %d expected" % ([c for c, _ in finals], code))
    fail = t.log_lines(r"VOSTEST failure")
    t.check(len(fail) == 1 and ("code=%d " % code) in fail[0]
            and "branch_timeout=1" in fail[0] and "reason=resend_exhausted" in fail[0],
            "failure_route lines %s: one with code=%d branch_timeout=1 "
            "reason=resend_exhausted expected" % (fail, code))


Test(__file__, timeout=20).run(scenario)
