#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""the CANCEL of a branch vostimer ends is tm's own: 100+180 gateway, timeout_ringing 2,
and (Kamailio 6.0 and later) tm's headers_mode 1, under which tm builds the CANCEL from
the INVITE's headers and refuses arguments that are not a real cancel request. The
gateway gets exactly one CANCEL 2 s after its 180, with the INVITE's Via branch; tm
logs no error; the caller's only final is a 408. (A cancel_branch() called with the
5.6 argument list on 6.0 sent none: "cannot build CANCEL request".)"""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test, kamailio_version
import vos_checks as vc


def scenario(t):
    ringing = t.gateway("ringing")
    mp = 'modparam("tm", "headers_mode", 1)' if kamailio_version() >= (6, 0, 0) else ""
    t.kamailio(gws=[ringing], vos={"timeout_ringing": "2"}, modparams=mp)
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    ring = (vc.sent(ringing, 180) or [None])[0]
    vc.expect_at(t, "CANCEL after the 180", vc.first(ringing, "CANCEL"), ring, 2)
    t.expect_count(ringing, 1, "CANCEL")
    inv = ringing.requests("INVITE")
    can = ringing.requests("CANCEL")
    if inv and can:
        t.check(inv[0].get("branch") and inv[0]["branch"] == can[0].get("branch"),
                "CANCEL's Via branch %r differs from the INVITE's %r"
                % (can[0].get("branch"), inv[0].get("branch")))
    errs = t.log_lines(r"(ERROR|CRITICAL|BUG).*(tm|vostimer)")
    t.check(not errs, "errors in kamailio's log:\n  " + "\n  ".join(errs[:5]))
    finals = [c for c, _ in vc.caller_finals(res)]
    t.check(finals == [408], "caller's finals %s: one 408 expected" % finals)


Test(__file__, timeout=20).run(scenario)
