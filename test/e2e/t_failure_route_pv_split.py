#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""failure_route's two views after vos_profile("other"): $vos(profile) and
$vos(schedule) still describe the branch that failed ("first", "0.5,0.5") while
$vos(next_profile) and $vos(next_schedule) describe what the next branch starts with
("other", "1,1"; before the call they were "first", "0.5,0.5"). The next branch does
start with it: silent gw1 sends at 0 and 0.5 s, silent gw2 from 1 s at 1 and 2 s, the
answering gw3 at 3 s; the second failure_route sees other / 1,1 for the failed gw2."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

FAILOVER = '''if ($avp(hop) == 2) {
		if (!vos_profile("other")) xlog("L_ERR", "VOSTEST bad vos_profile\\n");
		xlog("L_NOTICE", "VOSTEST split profile=$vos(profile) schedule=$vos(schedule) next_profile=$vos(next_profile) next_schedule=$vos(next_schedule) reason=$vos(reason)\\n");
	}'''


def scenario(t):
    gw1, gw2 = t.gateway("silent"), t.gateway("silent")
    gw3 = t.gateway("answer", ring=20)
    prof = vc.profiles(t, first={"resend_interval": "0.5,0.5", "timeout_invite": 0},
                       other={"resend_interval": "1,1", "timeout_invite": 0})
    t.kamailio(gws=[gw1, gw2, gw3], vos={"profiles_file": prof},
               route='vos_profile("first");', failover_route=FAILOVER)
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.check(not t.log_lines(r"VOSTEST bad"), "vos_profile() returned false")
    t.expect_sends(gw1, [0, 0.5])
    t.expect_failover(gw1, gw2, 1.0)
    t.expect_times("INVITEs to gw2 from gw1's first", gw2.arrivals(), vc.first(gw1),
                   [1.0, 2.0])
    t.expect_failover(gw1, gw3, 3.0)
    keys = ("profile", "schedule", "next_profile", "next_schedule", "reason")
    got = [tuple(s.get(k) for k in keys) for s in vc.vostest(t, "split")]
    want = [("first", "0.5,0.5", "other", "1,1", "resend_exhausted")]
    t.check(got == want, "after vos_profile(\"other\") failure_route saw (%s) %s, expected %s"
            % (", ".join(keys), got, want))
    got = [(f.get("gw"),) + tuple(f.get(k) for k in keys) for f in vc.vostest(t, "failure")]
    want = [("gw1", "first", "0.5,0.5", "first", "0.5,0.5", "resend_exhausted"),
            ("gw2", "other", "1,1", "other", "1,1", "resend_exhausted")]
    t.check(got == want, "failure_route on entry saw (gw, %s) %s, expected %s"
            % (", ".join(keys), got, want))


Test(__file__, timeout=20).run(scenario)
