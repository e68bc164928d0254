#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""counters after one call through six gateways, one per way a branch ends: silent
("0.5,1,2": 2 retransmissions, resend_exhausted), silent with timeout_invite 1 (1
retransmission, invite_timeout), 100-only (trying_timeout 1 s), 100+180
(ringing_timeout 1 s), 486 (reply), answering. stats.get_statistics vostimer: shows
retransmissions == the retransmissions the gateways saw (3), 7 branches (the six
INVITE branches and the caller's BYE), one of each reason, 0 setup_budget and 0 still
scheduled."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gws = [t.gateway(b) for b in ("silent", "silent", "trying", "ringing", "reject:486")]
    gws.append(t.gateway("answer", ring=20))
    t.kamailio(gws=gws, vos={"timeout_invite": "0"},
               route='vos_resend("0.5,1,2");', failover_route='vos_timeouts("1", "1", "1");')
    before = vc.vos_stats(t)
    t.check(before and not any(before.values()), "counters before any call: %s" % before)
    t.expect_sipp_ok(t.sipp("invite", final=200))
    vc.wait_idle(t)
    seen_retr = sum(max(0, len(g.arrivals()) - 1) for g in gws)
    t.check(seen_retr == 3, "the gateways saw %d retransmissions, 3 expected" % seen_retr)
    branches = len({(r["call_id"], r["branch"], r["method"]) for g in gws
                    for r in g.records("in") if r.get("status") is None
                    and r["method"] not in ("ACK", "CANCEL")})
    t.check(branches == 7, "the gateways saw %d client transactions, 7 expected" % branches)
    want = {"retransmissions": seen_retr, "branches": branches, "scheduled": 0,
            "resend_exhausted": 1, "invite_timeout": 1, "trying_timeout": 1,
            "ringing_timeout": 1, "setup_budget": 0, "reply": 1}
    got = vc.vos_stats(t)
    t.note("vostimer counters: %s" % got)
    vc.expect_counters(t, want, got)


Test(__file__, timeout=30).run(scenario)
