#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""late answer, the backup already answered: 20 calls; the first gateway answers 200
(no provisional) 800 ms after the INVITE, the list "0.5" gives it up at 0.5 s and the
call fails over to a backup that answers at once. tm alone would relay the late 200
after completion (two dialogs at the caller); with late_answer "bye" (the default)
every caller gets exactly one dialog, the backup's, and the proxy ACKs each late 200
and ends it with a BYE within 20 ms; late_answers counts 20 and one log line per call
names the call and the gateway."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

# e2e: alone - the ACK and BYE are timed from the late 200 within 20 ms: a SIP worker
# starved by parallel tests sends them late

CALLS = 20


def scenario(t):
    late = t.gateway("ok", delay=800)
    backup = t.gateway("answer")
    t.kamailio(gws=[late, backup], route='vos_resend("0.5");')
    res = t.sipp("invite", calls=CALLS, rate=10, limit=CALLS, hold_ms=1500)
    t.expect_sipp_ok(res)
    vc.wait_idle(t)
    won, lost = vc.expect_one_dialog_each(t, res, [late, backup], CALLS)
    t.check(won == CALLS and lost == CALLS,
            "%d 200s reached callers and %d were ended by the proxy; %d and %d expected"
            % (won, lost, CALLS, CALLS))
    slow = []
    for cid, _ in vc.calls(late):
        ok = (vc.sent(late, 200, call_id=cid) or [None])[0]
        ack, bye = vc.first(late, "ACK", cid), vc.first(late, "BYE", cid)
        if None in (ok, ack, bye) or max(ack, bye) - ok > 20e6:
            slow.append("%s: ACK %s, BYE %s ms after the 200" % (cid, *[
                "-" if x is None or ok is None else "%.1f" % ((x - ok) / 1e6)
                for x in (ack, bye)]))
    t.check(not slow, "%d late 200s without ACK and BYE within 20 ms:\n  %s"
            % (len(slow), "\n  ".join(slow[:5])))
    t.check(not backup.requests("BYE") or len(backup.requests("BYE")) == CALLS,
            "the backup got %d BYEs (the callers' %d)" % (len(backup.requests("BYE")), CALLS))
    vc.expect_log(t, r"late answer: 200 for call \S+ from gateway udp:127\.0\.0\.1:%d "
                  r"\(branch 0 ended: resend_exhausted\)" % late.port, CALLS)
    st = vc.vos_stats(t)
    t.check(st.get("late_answers") == CALLS, "late_answers %s, %d expected"
            % (st.get("late_answers"), CALLS))


Test(__file__, timeout=60).run(scenario)
