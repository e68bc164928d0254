#!/usr/bin/env python3
"""the main flow from KEMI (app_jsdt, JavaScript): a JS ksr_request_route /
ksr_failure_route calling KSR.vostimer.vos_resend/vos_timeouts, KSR.tm.t_relay and
reading KSR.pv.get("$vos(reason)") gives the same timeline and reasons as t_kemi_lua
and the cfg test t_failover_chain_per_route: silent ("0.5,1,2": sends 0, 0.5, 1.5,
resend_exhausted at 3.5 s) -> 100 to the 2nd copy (backup values "0.5,0.5", Trying
1.5 s: sends at 3.5 and 4.0, CANCEL and trying_timeout at 5.5 s) -> answering. The
KEMI event callback (modparam event_callback) runs once per ended branch."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw1, gw2 = t.gateway("silent"), t.gateway("trying-after:2")
    gw3 = t.gateway("answer", ring=20)
    script = vc.render_script(t, "relay.js", "relay.js",
                              GWS=vc.py_gateways([gw1, gw2, gw3]),  # also a JS array
                              ROUTE_JS='KSR.vostimer.vos_resend("0.5,1,2");',
                              FAILOVER_JS='KSR.vostimer.vos_resend("0.5,0.5"); '
                                          'KSR.vostimer.vos_timeouts("", "1.5", "");')
    t.kamailio("kemi.cfg", vos={"timeout_invite": "0", "event_callback": "ksr_vostimer_event"},
               ENGINE="jsdt", KEMI_MODULE="app_jsdt.so", KEMI_MODNAME="app_jsdt",
               KEMI_SCRIPT=script)
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t0 = vc.first(gw1)
    t.expect_sends(gw1, [0, 0.5, 1.5])
    t.expect_times("gw2 INVITEs from the call's start", gw2.arrivals(), t0, [3.5, 4.0])
    t.expect_times("gw2's CANCEL from the call's start", gw2.arrivals("CANCEL"), t0, [5.5])
    t.expect_failover(gw1, gw3, 5.5)
    t.expect_failover_reason(gw2, "resend_exhausted", sends=3, stage="invite")
    t.expect_failover_reason(gw3, "trying_timeout", sends=2, stage="trying")
    got = [(f.get("gw"), f.get("reason"), f.get("schedule")) for f in vc.vostest(t, "failure")]
    t.check(got == [("gw1", "resend_exhausted", "0.5,1,2"),
                    ("gw2", "trying_timeout", "0.5,0.5")],
            "ksr_failure_route saw (gw, reason, schedule) %s" % got)
    engines = sorted(set(f.get("engine") for f in vc.vostest(t, "failure") + vc.vostest(t, "event")))
    t.check(engines == ["jsdt"], "VOSTEST lines come from the JS script: engines %s" % engines)
    errors = t.log_lines(r"ERROR: app_jsdt")
    t.check(not errors, "the JS script failed:\n  " + "\n  ".join(errors[:4]))
    ev = [(e.get("reason"), e.get("sends")) for e in vc.vostest(t, "event")]
    t.check(ev == [("resend_exhausted", "3"), ("trying_timeout", "2")],
            "ksr_vostimer_event calls (reason, sends): %s" % ev)


Test(__file__, timeout=25).run(scenario)
