#!/usr/bin/env python3
"""vos_may_switch() and a busy gateway: with switch_stop_after_busy (VOS3000's
default) a 486 ends the call - the caller gets the 486, the backup is never tried;
a route whose profile turns it off ("keep-switching") fails over to the backup and
connects."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = 'if ($rU == "keep") vos_profile("keep-switching");'


def scenario(t):
    busy, backup = t.gateway("reject:486"), t.gateway("answer", ring=20)
    prof = vc.profiles(t, keep_switching={"switch_stop_after_busy": False})
    t.kamailio(gws=[busy, backup], vos={"profiles_file": prof}, route=ROUTE,
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=486, user="stop", name="sipp-stop")
    t.expect_sipp_ok(res)
    t.check([c for c, _ in vc.caller_finals(res)] == [486],
            "caller's finals %s, the 486 expected" % vc.caller_finals(res))
    t.expect_count(backup, 0)
    vc.expect_log(t, r"vos_may_switch: no - switch_stop_after_busy", 1)
    t.expect_sipp_ok(t.sipp("invite", final=200, user="keep", name="sipp-keep"))
    t.expect_count(busy, 2)
    t.expect_count(backup, 1)
    t.expect_failover_reason(backup, "reply", sends=1)
    t.check(len(vc.vostest(t, "noswitch")) == 1, "vos_may_switch() said no %d times, 1 "
            "expected" % len(vc.vostest(t, "noswitch")))


Test(__file__, timeout=20).run(scenario)
