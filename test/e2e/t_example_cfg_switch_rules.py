#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""etc/kamailio.cfg, etc/dispatcher.list and etc/vostimer.profiles as shipped, with
the five calls of `make demo` that each end by one of VOS3000's gateway-switch rules,
placed at the same time (sets 2-6 of the list, ports rewritten): 2000 - three silent
'premium' gateways (limit 2): two tried, 408 at 8 s, stop=switch_limit; 3000 - 486:
no second gateway, the caller gets 486, stop=user_busy; 4000 - rings forever with
'standard' (switch_until_connect off): ringing_timeout at 5 s (demo stages), 408,
stop=ringing_reached; 5000 - 183 with SDP then 480: the caller gets the 480,
stop=early_media; 6000 - silent 'capped-setup' gateways (budget 6 s): the second is
ended by setup_budget at 6 s, stop=setup_budget. The backup that would have
answered never gets an INVITE, and each stop counter is 1."""
import os, re, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import ROOT, VOSTIMER_SO, Test
import vos_checks as vc
from demo import RULE_CALLS, dispatcher_list, rule_gateways

FINALS = {"switch_limit": 408, "user_busy": 486, "ringing_reached": 408,
          "early_media": 480, "setup_budget": 408}
# gateways that get the call: {number: [INVITE transactions per gateway]}
TRIED = {"2000": [1, 1, 0], "3000": [1, 0], "4000": [1, 0], "5000": [1, 0],
         "6000": [1, 1, 0]}
# caller's final, seconds after the first INVITE
AT = {"2000": 8.0, "3000": 0.0, "4000": 5.0, "5000": 2.0, "6000": 6.0}


def scenario(t):
    sets, ports = rule_gateways(t)
    t.kamailio_cfg(os.path.join(ROOT, "etc", "kamailio.cfg"), defines={
        "DS_LIST": dispatcher_list(t, ports), "VOSTIMER_SO": VOSTIMER_SO,
        "VOS_PROFILES": os.path.join(ROOT, "etc", "vostimer.profiles"), "DEMO": True})
    procs = [t.sipp("invite", final=FINALS[rule], wait=False, user=number,
                    name="sipp-" + number) for number, rule, _ in RULE_CALLS]
    for p, (number, rule, _), gws in zip(procs, RULE_CALLS, sets):
        res = t.wait_sipp(p, "sipp-" + number, 20)
        t.expect_sipp_ok(res)
        finals = vc.caller_finals(res)
        t.check([c for c, _ in finals] == [FINALS[rule]],
                "call %s: caller's finals %s, [%d] expected" % (number, finals,
                                                              FINALS[rule]))
        tried = [len({r["branch"] for r in g.requests()}) for g in gws]
        t.check(tried == TRIED[number], "call %s: INVITE transactions per gateway %s, "
                "%s expected" % (number, tried, TRIED[number]))
        if finals:
            vc.expect_wall(t, "call %s: the caller's %d" % (number, finals[0][0]),
                           finals[0][1], vc.wall_of(gws[0]), AT[number], tol_ms=100)
        cid = (vc.call_ids(res) or ["-"])[0]
        stop = t.log_lines(r"VOS %s: no failover .*stop=%s after" % (re.escape(cid), rule))
        t.check(len(stop) == 1, "call %s: kamailio.log has %d 'no failover ... stop=%s' "
                "lines, 1 expected" % (number, len(stop), rule))
    vc.wait_idle(t)
    want = {"stop_switch_limit": 1, "stop_user_busy": 1, "stop_ringing_reached": 1,
            "stop_early_media": 1, "stop_setup_budget": 1, "stop_canceled": 0,
            "failover_allowed": 2}
    vc.expect_counters(t, want)


Test(__file__, timeout=30).run(scenario)
