#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a reload with a broken file keeps the profiles in force and says why: the file is
replaced by one with a syntax error (line 5), then by one with a bad schedule (line 5);
each vostimer.reload fails with "<file>:<line>: ..." and the log says so, vostimer.profile
still shows "0.5,0.5", and a call still fails over at 1 s (sends at 0, 0.5)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out

SYNTAX = """# broken on purpose
profiles = (
  {
    name = "route";
    resend_interval = = "1,1";
  }
);
"""
BAD_LIST = """# broken on purpose
profiles = (
  {
    name = "route";
    resend_interval = "1,,1";
  }
);
"""


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    prof = vc.profiles(t, route={"resend_interval": "0.5,0.5", "timeout_invite": 0})
    t.kamailio(gws=[silent, backup], vos={"profiles_file": prof},
               route='vos_profile("route");')
    for what, text, line in (("syntax error", SYNTAX, 5), ("bad list", BAD_LIST, 5)):
        vc.write_file(t, os.path.basename(prof), text)
        rc, out = vc.reload(t, check=False)
        t.check(out.startswith("error"), "vostimer.reload of a file with a %s did not fail: %s"
                % (what, out.strip()))
        t.check("%s:%d" % (prof, line) in out,
                "vostimer.reload (%s) does not name %s:%d: %s"
                % (what, prof, line, out.strip()))
        rc, shown = t.rpc("vostimer.profile", "route")
        route = rpc_out.kamcmd_struct(shown) or {}
        t.check(rpc_out.numbers(route.get("resend_interval")) == [0.5, 0.5],
                "after the failed reload (%s) profile route is: %s" % (what, shown.strip()))
    vc.expect_log(t, r"vostimer\.reload: .*%s:\d+" % prof, 2, "reload errors in the log")
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5])
    t.expect_failover(silent, backup, 1.0)


Test(__file__, timeout=20).run(scenario)
