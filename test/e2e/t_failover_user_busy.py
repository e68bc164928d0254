#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vos_failover() and a busy gateway (SS_GATEWAY_SWITCH_STOP_AFTER_USER_BUSY): with
switch_stop_after_busy on (VOS3000's default) a 486 from the first gateway ends the
call: no second INVITE, the caller gets the 486, $vos(stop) is user_busy and
$vos(attempts) 1. A route whose profile turns the rule off ("keep-switching") fails
over to the backup, which answers; a route that turns it off inline with
vos_switch_rules("", "off", "", "") does the same."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = ('if ($rU == "keep") vos_profile("keep-switching");\n'
         '\tif ($rU == "inline") vos_switch_rules("", "off", "", "");')


def scenario(t):
    busy, backup = t.gateway("reject:486"), t.gateway("answer", ring=20)
    prof = vc.profiles(t, keep_switching={"switch_stop_after_busy": False})
    t.kamailio(gws=[busy, backup], vos={"profiles_file": prof}, route=ROUTE,
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=486, user="stop", name="sipp-stop")
    t.expect_sipp_ok(res)
    t.check([c for c, _ in vc.caller_finals(res)] == [486],
            "caller's finals %s, the 486 expected" % vc.caller_finals(res))
    t.expect_count(busy, 1)
    t.expect_count(backup, 0)
    got = [(n.get("stop"), n.get("attempts")) for n in vc.vostest(t, "noswitch")]
    t.check(got == [("user_busy", "1")], "vos_failover() said no with (stop, attempts) "
            "%s, [('user_busy', '1')] expected" % got)
    vc.expect_log(t, r"vos_failover: no, stop=user_busy: the gateway answered 486", 1)
    for user in ("keep", "inline"):
        t.expect_sipp_ok(t.sipp("invite", final=200, user=user, name="sipp-" + user))
    t.expect_count(busy, 3)
    t.expect_count(backup, 2)
    t.expect_failover_reason(backup, "reply", sends=1)
    got = [(n.get("gw"), n.get("attempts"), n.get("stop")) for n in vc.vostest(t, "switch")]
    t.check(got == [("gw2", "1", "<null>")] * 2,
            "vos_failover() allowed %s, twice (gw2, 1, <null>) expected" % got)
    t.check(len(vc.vostest(t, "noswitch")) == 1, "vos_failover() said no %d times, 1 "
            "expected" % len(vc.vostest(t, "noswitch")))
    vc.wait_idle(t)
    st = vc.vos_stats(t)
    t.check(st.get("stop_user_busy") == 1 and st.get("failover_allowed") == 2,
            "counters stop_user_busy=%s failover_allowed=%s, 1 and 2 expected"
            % (st.get("stop_user_busy"), st.get("failover_allowed")))


Test(__file__, timeout=20).run(scenario)
