#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""parallel forking: request_route appends a second branch (append_branch) and t_relay
sends the INVITE to two gateways at once, vos_resend("0.5,0.5,1").
1. both silent: each gets its own sends at 0, 0.5, 1.0 s; both branches end with
   resend_exhausted at 2.0 s (two branch-timeout events, one per destination),
   failure_route runs once, the caller gets a 408 at 2.0 s.
2. gw1 silent, gw2 answers after 700 ms (100, 180, 200 20 ms later): both get their
   sends at 0 and 0.5 s, gw1 nothing after gw2's 200 (the transaction completed: the
   unanswered branch is not retransmitted any more, not CANCELed - it never answered,
   and never ends with a vostimer reason: no event, no failure_route, and the
   `scheduled` counter - branches vostimer drives right now - is back to 0 at 2.5 s);
   the call completes."""
import os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

# append_branch() is corex's; relay.cfg does not load it (MODPARAMS is top-level text)
COREX = 'loadmodule "corex.so"'


def fork_route(gw1, gw2):
    """request_route text: a second branch to gw2 ($du cleared so that append_branch
    does not copy gw1's), then gw1 back as the main branch's $du."""
    return ('$du = $null; append_branch("sip:callee@127.0.0.1:%d;transport=udp"); '
            '$du = "%s"; vos_resend("0.5,0.5,1");' % (gw2.port, gw1.uri()))


def both_silent(t):
    gw1, gw2 = t.gateway("silent"), t.gateway("silent")
    t.kamailio(gws=[gw1], vos={"timeout_invite": "0"}, modparams=COREX,
               route=fork_route(gw1, gw2))
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t0 = vc.first(gw1)
    t.expect_sends(gw1, [0, 0.5, 1.0])
    t.expect_sends(gw2, [0, 0.5, 1.0])
    vc.expect_at(t, "gw2's first INVITE, from gw1's", vc.first(gw2), t0, 0)
    t.check(len({r["branch"] for r in gw1.requests() + gw2.requests()}) == 2,
            "the two gateways should see two client branches (Via branch params)")
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals %s, one 408 expected" % finals)
    if finals:
        vc.expect_wall(t, "408 to the caller", finals[0][1], vc.wall_of(gw1), 2.0,
                       tol_ms=15)
    ev = vc.vostest(t, "event")
    got = sorted((e.get("reason"), e.get("sends"), e.get("dst")) for e in ev)
    want = sorted(("resend_exhausted", "3", "udp:127.0.0.1:%d" % g.port) for g in (gw1, gw2))
    t.check(got == want, "branch-timeout events (reason, sends, dst) %s, expected %s"
            % (got, want))
    el = [int(e.get("elapsed") or -1) for e in ev]
    t.check(len(el) == 2 and all(abs(e - 2000) <= 15 for e in el),
            "elapsed of the two branches %s ms, 2000 each expected" % el)
    fails = vc.vostest(t, "failure")
    t.check(len(fails) == 1, "failure_route ran %d times, once expected: %s"
            % (len(fails), fails))
    t.check(fails and fails[0].get("code") == "408"
            and fails[0].get("reason") == "resend_exhausted",
            "failure_route saw %s, code 408 reason resend_exhausted expected" % fails[:1])
    t.expect_count(gw1, 0, "CANCEL")
    t.expect_count(gw2, 0, "CANCEL")


def one_answers(t):
    gw1, gw2 = t.gateway("silent"), t.gateway("answer", delay=700, ring=20)
    t.kamailio(gws=[gw1], vos={"timeout_invite": "0"}, modparams=COREX,
               route=fork_route(gw1, gw2))
    res = t.sipp("invite", final=200)
    t.expect_sipp_ok(res)
    t0 = vc.first(gw1)
    ok_at = (vc.sent(gw2, 200) or [None])[0]
    vc.expect_at(t, "gw2's 200, from gw1's first INVITE", ok_at, t0, 0.72)
    # past gw1's would-be send at 1.0 s and give-up at 2.0 s
    if t0 is not None:
        wait = t0 / 1e9 + 2.5 - time.monotonic()
        if wait > 0:
            time.sleep(wait)
    t.expect_sends(gw1, [0, 0.5])
    if ok_at is not None:
        t.expect_none_after(gw1, ok_at + 15 * 10**6, what="gw2's 200 (+15 ms)")
    t.expect_sends(gw2, [0, 0.5])  # its 100 comes at 0.7 s
    t.expect_count(gw2, 1, "ACK")
    t.expect_count(gw2, 1, "BYE")
    ev = t.log_lines(r"VOSTEST event")
    t.check(not ev, "branch-timeout event(s) after the 200:\n  %s" % "\n  ".join(ev))
    fails = t.log_lines(r"VOSTEST failure")
    t.check(not fails, "failure_route ran on an answered call:\n  %s" % "\n  ".join(fails))
    st = vc.vos_stats(t)
    t.check(st.get("resend_exhausted") == 0 and st.get("retransmissions") == 2,
            "counters 2.5 s after the start: resend_exhausted=%s retransmissions=%s "
            "(0 and 2 expected: the 0.5 s sends)" % (st.get("resend_exhausted"),
                                                    st.get("retransmissions")))
    # user-guide 6: `scheduled` = branches vostimer drives right now; 1.4: the
    # transaction completing stops everything vostimer does for gw1's branch
    t.check(st.get("scheduled") == 0,
            "counter scheduled=%s 2.5 s after the start, 1.8 s after the 200 completed "
            "the transaction (0 expected: gw1's branch is no longer driven)"
            % st.get("scheduled"))


def scenario(t):
    both_silent(t)
    t.stop_kamailio()
    t.check_kamailio_health()
    # the second kamailio logs to a fresh kamailio.log
    os.rename(t.path("kamailio.log"), t.path("kamailio-both-silent.log"))
    one_answers(t)


Test(__file__, timeout=30).run(scenario)
