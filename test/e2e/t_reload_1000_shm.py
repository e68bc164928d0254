#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""1,000 vostimer.reload leave shared memory flat: the profiles file (6 profiles,
alternating between two versions) is reloaded 1,000 times; core.shmmem used and
real_used after are within 4 KiB of before (after 10 warm-up reloads); every reload
answers "ok"."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out

TOL = 4096
N = 1000


def version(t, k):
    profs = {"p%d" % i: {"resend_interval": "0.5,%d" % (i + k + 1), "timeout_invite": i}
             for i in range(6)}
    return vc.profiles(t, defaults={"timeout_trying": 5 + k}, **profs)


def scenario(t):
    version(t, 0)
    t.kamailio(vos={"profiles_file": t.path("vostimer.profiles")})
    for k in range(10):
        version(t, k % 2)
        vc.reload(t)
    before = vc.shmmem(t)
    bad = 0
    for k in range(N):
        version(t, k % 2)
        rc, out = vc.reload(t, check=False)
        bad += not rpc_out.answered_ok(out)
    after = vc.shmmem(t)
    t.check(bad == 0, "%d of %d reloads did not answer ok" % (bad, N))
    vc.expect_log(t, r"vostimer\.reload: 7 profiles from", N + 10, "reloads done")
    for key in ("used", "real_used"):
        d = after.get(key, 0) - before.get(key, 0)
        msg = "shm %s before %s, after %d reloads %s: %+d bytes (tolerance %d)" % (
            key, before.get(key), N, after.get(key), d, TOL)
        t.note(msg)
        t.check(abs(d) <= TOL, msg)
    t.note("shm fragments before %s after %s" % (before.get("fragments"),
                                                 after.get("fragments")))


Test(__file__, timeout=90).run(scenario)
