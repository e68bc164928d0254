#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vos_profile($var(p)) with the name from a pseudo-variable: from an htable entry
set over RPC (htable prof, key = the callee: "fast" -> "0.5,0.5", failover at 1 s)
and from a header (X-Profile: slow-gw -> "1,1,1", failover at 3 s); a name that is
no profile (X-Profile: nope) is refused and the call keeps the route's values."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

MODPARAMS = 'loadmodule "htable.so"\nmodparam("htable", "htable", "prof=>size=4;")'
ROUTE = r'''
	vos_resend("2");
	if (is_present_hf("X-Profile")) $var(p) = $hdr(X-Profile);
	else $var(p) = $sht(prof=>$rU);
	if (!vos_profile($var(p))) xlog("L_NOTICE", "VOSTEST refused profile=$var(p)\n");
'''


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    prof = vc.profiles(t, fast_failover={"resend_interval": "0.5,0.5", "timeout_invite": 0},
                       slow_gw={"resend_interval": "1,1,1", "timeout_invite": 0})
    t.kamailio(gws=[silent, backup], vos={"profiles_file": prof, "timeout_invite": "0"},
               modparams=MODPARAMS, route=ROUTE)
    t.rpc("htable.sets", "prof", "alice", "fast-failover")
    runs = [t.sipp("invite", user="alice", name="sipp-htable", wait=False),
            t.sipp("invite", user="bob", headers="X-Profile: slow-gw", name="sipp-header",
                   wait=False),
            t.sipp("invite", user="carol", headers="X-Profile: nope", name="sipp-nope",
                   wait=False)]
    res = [t.wait_sipp(p, n, 20) for p, n in zip(runs, ("sipp-htable", "sipp-header",
                                                        "sipp-nope"))]
    for r in res:
        t.expect_sipp_ok(r)
    cids = [(vc.call_ids(r) or ["?"])[0] for r in res]
    vc.expect_call(t, "from the htable", silent, backup, cids[0], [0, 0.5], 1.0)
    vc.expect_call(t, "from the header", silent, backup, cids[1], [0, 1, 2], 3.0)
    vc.expect_call(t, "no such profile", silent, backup, cids[2], [0], 2.0)
    t.check([r.get("profile") for r in vc.vostest(t, "refused")] == ["nope"],
            "refused names: %s (only nope expected)" % vc.vostest(t, "refused"))
    vc.expect_log(t, r'vos_profile\("nope"\)', 1)


Test(__file__, timeout=20).run(scenario)
