#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a gateway that answers 486 within a millisecond: the worker that gets the 486 can
run failure_route before the sending worker's REQUEST_SENT callback has run. 200 calls
(50 cps): failure_route must see every branch with reason reply, stage done, 1 send -
never an unstarted branch (reason $null, 0 sends), which would make vos_failover()
ignore switch_stop_after_busy."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

CALLS = 200


def scenario(t):
    busy = t.gateway("reject:486")
    t.kamailio(gws=[busy])
    t.expect_sipp_ok(t.sipp("invite", final=486, calls=CALLS, rate=50, limit=CALLS))
    seen = [(f.get("reason"), f.get("stage"), f.get("sends")) for f in vc.vostest(t, "failure")]
    tally = {k: seen.count(k) for k in sorted(set(seen), key=str)}
    t.check(seen == [("reply", "done", "1")] * CALLS,
            "failure_route saw (reason, stage, sends) %s over %d calls; all "
            "('reply', 'done', '1') expected" % (tally, CALLS))


Test(__file__, timeout=30).run(scenario)
