#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""the caller gets exactly one final reply when vostimer ends a ringing branch and no
gateway is left: 100+180 gateway, timeout_ringing 1. The caller gets the 408 at 1 s
after the 180 and nothing more in the 1.5 s it stays after its ACK; the gateway's 487
(to kamailio's CANCEL) is taken and ACKed by tm. On Kamailio 6.1.4 this holds through
the tm block that the test configs share with etc/kamailio.cfg (reply_matching 0):
without it the core relays that 487 to the caller and nobody ACKs it."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    ringing = t.gateway("ringing")
    t.kamailio(gws=[ringing], vos={"timeout_ringing": "1"})
    res = t.sipp("invite", final=408, linger_ms=1500)
    t.expect_sipp_ok(res)
    ring = (vc.sent(ringing, 180) or [None])[0]
    vc.expect_at(t, "CANCEL after the 180", vc.first(ringing, "CANCEL"), ring, 1)
    finals = [c for c, _ in vc.caller_finals(res)]
    t.check(finals == [408], "caller's finals %s: exactly one 408 expected" % finals)
    sent487 = vc.sent(ringing, 487)
    t.check(len(sent487) >= 1, "the gateway sent no 487 to the CANCEL")
    acks = [r for r in ringing.records("in") if r.get("method") == "ACK"
            and r.get("status") is None]
    t.check(len(acks) == 1, "the gateway got %d ACK(s) for its 487, expected 1 (tm "
            "matched and absorbed it)" % len(acks))
    t.check(len(sent487) == 1, "the gateway sent its 487 %d times (no ACK came)"
            % len(sent487))
    late = t.log_lines(r"skipping late reply match")
    t.check(not late, "tm left a reply unmatched:\n  " + "\n  ".join(late[:3]))


Test(__file__, timeout=20).run(scenario)
