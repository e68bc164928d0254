#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""late answer after the transaction is gone: 5 calls; the first gateway answers 200
(no provisional) 7 s after the INVITE and retransmits it until ACKed (RFC 3261: for up
to 32 s), the list "0.5" gives it up at 0.5 s, the backup answers at once and the
caller hangs up at 1.5 s. tm frees the transaction 5 s after the call completed
(wt_timer), before the 200 comes: tm alone (and the core) would forward it statelessly
to the caller - a second dialog nobody ACKs. vostimer keeps each branch it ended for
32 s: every caller gets exactly one dialog (the backup's), every late 200 is ACKed and
ended with a BYE, late_answers counts 5 and one log line per call says the transaction
had ended."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

CALLS = 5


def scenario(t):
    late = t.gateway("ok", delay=7000)
    backup = t.gateway("answer")
    t.kamailio(gws=[late, backup], route='vos_resend("0.5");')
    res = t.sipp("invite", calls=CALLS, rate=5, limit=CALLS, hold_ms=1500)
    t.expect_sipp_ok(res)
    # the late 200s come at 7 s; the callers' sipp is done by then: wait for them
    vc.wait_for(t, "the late gateway's 5 ACKs",
                lambda: len(late.requests("ACK")) >= CALLS and
                len(late.requests("BYE")) >= CALLS, 15)
    vc.wait_idle(t)
    won, lost = vc.expect_one_dialog_each(t, res, [late, backup], CALLS)
    t.check(won == CALLS and lost == CALLS,
            "%d 200s reached callers and %d were ended by the proxy; %d and %d expected"
            % (won, lost, CALLS, CALLS))
    vc.expect_log(t, r"late answer: 200 for call \S+ after its transaction ended", CALLS)
    st = vc.vos_stats(t)
    t.check(st.get("late_answers") == CALLS, "late_answers %s, %d expected"
            % (st.get("late_answers"), CALLS))


Test(__file__, timeout=60).run(scenario)
