#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""the caller CANCELs at 2 s, between the sends at 1.5 and 3.5 s of "0.5,1,2,4" to a
silent gateway: no send after the CANCEL, the caller gets 200 for its CANCEL and a
487 for the INVITE at once: tm's cancel_b_method 0 ends a branch without a reply
at once (t_cancel_b_method_0/1/2 check each method against tm alone)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent = t.gateway("silent")
    t.kamailio(gws=[silent], route='vos_resend("0.5,1,2,4");',
               modparams='modparam("tm", "cancel_b_method", 0)')
    t.expect_sipp_ok(t.sipp("cancel", cancel_ms=2000))
    cancel_at = silent.arrivals()[0] + 2000 * 10**6 if silent.arrivals() else 0
    t.expect_sends(silent, [0, 0.5, 1.5])
    t.expect_none_after(silent, cancel_at)


Test(__file__, timeout=30).run(scenario)
