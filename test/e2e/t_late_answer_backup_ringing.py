#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""late answer, the backup still ringing: 10 calls; the first gateway answers 200 (no
provisional) 800 ms after the INVITE, "0.5" gives it up at 0.5 s, the backup rings
and answers 1.5 s after its 180. tm alone would discard the late 200 ("status
rewrite by UAS") and leave it unACKed and open at the gateway; with late_answer "bye"
the proxy ACKs it and sends one BYE at once, the caller sees only the backup's
dialog; the first gateway ignores the first ACK (as if lost) and retransmits its 200
at +0.5 s: that copy is ACKed again, without a second BYE or log line. Then the
same with late_answer "relay": tm's own behaviour, no ACK and no BYE from the proxy,
late_answers 0."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

# e2e: alone - the ACK and BYE are timed from the late 200: a SIP worker starved by
# parallel tests sends them late

CALLS = 10


def scenario(t):
    late = t.gateway("ok", delay=800, args=["--ack-ignore", "1"])
    backup = t.gateway("answer", ring=1500)
    t.kamailio(gws=[late, backup], route='vos_resend("0.5");')
    res = t.sipp("invite", calls=CALLS, rate=5, limit=CALLS, hold_ms=1000)
    t.expect_sipp_ok(res)
    vc.wait_idle(t)
    won, lost = vc.expect_one_dialog_each(t, res, [late, backup], CALLS)
    t.check((won, lost) == (CALLS, CALLS), "%d 200s reached callers, %d ended by the "
            "proxy; %d and %d expected" % (won, lost, CALLS, CALLS))
    bad = []
    for cid, _ in vc.calls(late):
        oks = vc.sent(late, 200, call_id=cid)
        acks = late.arrivals("ACK", cid)
        byes = late.arrivals("BYE", cid)
        # the 200, its retransmission 0.5 s later; an ACK within 20 ms of each
        ok_acked = len(oks) == 2 and len(acks) == 2 and all(
            0 <= a - o < 20e6 for o, a in zip(oks, acks))
        if not ok_acked or len(byes) != 1 or not 0 <= byes[0] - oks[0] < 20e6:
            bad.append("%s: 200 at %s, ACK at %s, BYE at %s (ms)" % (cid, *[
                [round((x - oks[0]) / 1e6, 1) for x in xs] if oks else xs
                for xs in (oks, acks, byes)]))
    t.check(not bad, "%d calls without 200/ACK, 200/ACK, one BYE:\n  %s"
            % (len(bad), "\n  ".join(bad[:5])))
    vc.expect_log(t, r"late answer: 200 for call \S+ from gateway udp:127\.0\.0\.1:%d "
                  % late.port, CALLS)
    st = vc.vos_stats(t)
    t.check(st.get("late_answers") == CALLS, "late_answers %s, %d expected"
            % (st.get("late_answers"), CALLS))
    t.check(not t.log_lines("status rewrite by UAS"), "tm saw a late 200 (status "
            "rewrite by UAS)")

    # late_answer "relay": tm alone - it discards the late 200, nobody ACKs it
    t.stop_kamailio()
    late2 = t.gateway("ok", name="gw3", delay=800)
    backup2 = t.gateway("answer", name="gw4", ring=1500)
    t.kamailio(gws=[late2, backup2], route='vos_resend("0.5");',
               vos={"late_answer": "relay"})
    res = t.sipp("invite", calls=2, rate=5, limit=2, hold_ms=1000, name="sipp-relay")
    t.expect_sipp_ok(res)
    t.sleep(1.0)
    t.check(not late2.requests("ACK") and not late2.requests("BYE"),
            "late_answer relay: the late gateway got %d ACK, %d BYE (tm alone sends none)"
            % (len(late2.requests("ACK")), len(late2.requests("BYE"))))
    t.check(vc.vos_stats(t).get("late_answers") == 0, "late_answers not 0 with relay")
    vc.expect_log(t, r"status rewrite by UAS: stored: 408, received: 200", None,
                  "tm's own discard of the late 200")


Test(__file__, timeout=90).run(scenario)
