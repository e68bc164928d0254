#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""stop codes (VOS3000's stopswitchsipcodes): vos_failover() is false with
$vos(stop) stop_code when the failed branch's real final reply is in the list. Four
calls, the first gateway answering 503 (tm's remap_503_500 off, so the caller sees
it) unless said otherwise, the second answering:
  inline   vos_stop_codes("503"): no second INVITE, caller 503, stop=stop_code
           attempts=1, $vos(code) 503
  profile  vos_profile("stop-503") with switch_stop_codes = "404,503": the same
  r480     vos_stop_codes("503") and a gateway answering 480: not in the list, the
           call fails over and is answered
  none     no stop codes (the default): the 503 fails over too
Counters stop_code 2, failover_allowed 2."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = '''if ($rU == "inline") vos_stop_codes("503");
	if ($rU == "profile") vos_profile("stop-503");
	if ($rU == "r480") {
		vos_stop_codes("503");
		$du = "%s";
		$avp(gw) = "gw480";
	}'''


def scenario(t):
    r503, ans = t.gateway("reject:503"), t.gateway("answer", ring=20)
    r480 = t.gateway("reject:480", name="gw480")
    prof = vc.profiles(t, stop_503={"switch_stop_codes": "404,503"})
    t.kamailio(gws=[r503, ans], vos={"profiles_file": prof},
               modparams='modparam("tm", "remap_503_500", 0)',
               route=ROUTE % r480.uri(), failover_route=vc.NOSWITCH)
    cids = {}
    for user, final in (("inline", 503), ("profile", 503), ("r480", 200), ("none", 200)):
        res = t.sipp("invite", final=final, user=user, name="sipp-" + user)
        t.expect_sipp_ok(res)
        got = [c for c, _ in vc.caller_finals(res)]
        want = [final] if final != 200 else [200, 200]  # 200 to the INVITE and the BYE
        t.check(got == want, "%s: the caller's finals %s, %s expected" % (user, got, want))
        cids[user] = (vc.call_ids(res) or ["?"])[0]
    n = {u: (len(r503.requests("INVITE", c)), len(r480.requests("INVITE", c)),
             len(ans.requests("INVITE", c))) for u, c in cids.items()}
    want = {"inline": (1, 0, 0), "profile": (1, 0, 0), "r480": (0, 1, 1), "none": (1, 0, 1)}
    t.check(n == want, "INVITEs per call (503 gw, 480 gw, answering) %s, expected %s"
            % (n, want))
    got = [(f.get("gw"), f.get("code"), f.get("reason"), f.get("vcode"))
           for f in vc.vostest(t, "failure")]
    want = [("gw1", "503", "reply", "503")] * 2 + [("gw480", "480", "reply", "480"),
                                                   ("gw1", "503", "reply", "503")]
    t.check(got == want, "failure_route saw (gw, code, reason, $vos(code)) %s, expected %s"
            % (got, want))
    got = [(d.get("stop"), d.get("attempts")) for d in vc.vostest(t, "noswitch")]
    t.check(got == [("stop_code", "1")] * 2, "vos_failover() said no with (stop, attempts) "
            "%s, twice ('stop_code', '1') expected" % got)
    got = [(d.get("gw"), d.get("stop")) for d in vc.vostest(t, "switch")]
    t.check(got == [("gw2", "<null>")] * 2, "vos_failover() allowed %s, twice (gw2, "
            "<null>) expected (480 not in the list; no list)" % got)
    vc.expect_log(t, r"vos_failover: no, stop=stop_code\b", 2)
    vc.wait_idle(t)
    vc.expect_counters(t, {"stop_code": 2, "failover_allowed": 2, "stop_user_busy": 0})


Test(__file__, timeout=20).run(scenario)
