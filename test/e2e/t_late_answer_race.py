#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""late answer, the 200 within milliseconds of the give-up instant: 300 calls (30
cps); the first gateway answers 200 (no provisional) 496-506 ms after the INVITE,
"0.5" gives it up at 0.5 s, the backup answers at once. Whichever side of the
instant each 200 falls, every caller gets exactly one dialog; every 200 is ACKed and
each one that did not reach the caller is ended with a BYE; late_answers counts
exactly those; some calls fall on each side (else the race was not run). No shared
memory is left behind: core.shmmem used/real_used within 16 KiB of a warm-up's
figures once tm holds no transaction."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

# e2e: alone - answers within milliseconds of the give-up instant: which of them are
# late depends on the workers keeping up

CALLS, WARMUP, TOL = 300, 10, 16384


def scenario(t):
    late = t.gateway("ok", delay=496, jitter=10)
    backup = t.gateway("answer")
    t.kamailio(gws=[late, backup], route='vos_resend("0.5");')
    res = t.sipp("invite", calls=WARMUP, rate=10, limit=WARMUP, hold_ms=600,
                 name="sipp-warmup")
    t.expect_sipp_ok(res)
    vc.wait_idle(t)
    before, st0 = vc.shmmem(t), vc.vos_stats(t)
    late_warm = {c for c, _ in vc.calls(late)}
    res = t.sipp("invite", calls=CALLS, rate=30, limit=CALLS, hold_ms=600)
    t.expect_sipp_ok(res)
    vc.wait_idle(t, 40)
    after, st = vc.shmmem(t), vc.vos_stats(t)
    # only the load's calls (the warm-up's are in the gateways' logs too)
    for gw in (late, backup):
        gw.records_all = gw.records
        gw.records = (lambda g: lambda d="in": [r for r in g.records_all(d)
                                                 if r["call_id"] not in late_warm])(gw)
    won, lost = vc.expect_one_dialog_each(t, res, [late, backup], CALLS)
    late_won = sum(1 for c, _ in vc.calls(late)
                   if vc.sent(late, 200, call_id=c) and not backup.requests("INVITE", c))
    t.note("the first gateway's 200 won %d calls, came late in %d; 200s that reached "
           "callers %d, ended by the proxy %d" % (late_won, CALLS - late_won, won, lost))
    t.check(won == CALLS, "%d 200s reached callers, %d expected" % (won, CALLS))
    t.check(0 < lost < CALLS and late_won > 0,
            "late 200s: %d of %d, the gateway's 200 won %d: no race on both sides of "
            "the instant" % (lost, CALLS, late_won))
    n = st.get("late_answers", 0) - st0.get("late_answers", 0)
    t.check(n == lost, "late_answers +%d, %d 200s ended by the proxy" % (n, lost))
    for key in ("used", "real_used"):
        d = after.get(key, 0) - before.get(key, 0)
        msg = "shm %s before %d, after %d calls %d: %+d bytes (tolerance %d)" % (
            key, before.get(key, 0), CALLS, after.get(key, 0), d, TOL)
        t.note(msg)
        t.check(abs(d) <= TOL, msg)


Test(__file__, timeout=120).run(scenario)
