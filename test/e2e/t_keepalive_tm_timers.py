#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""modparam local_profile "tm": requests tm creates itself (here dispatcher's OPTIONS
keepalives, ds_ping_interval 2, to a silent gateway) keep tm's own timers even though
the module's resend_interval is "0.3,0.3,0.3,0.5": a probe is sent at 0, 0.5, 1.5 and
3.5 s (T1 = 0.5 s doubling; +-80 ms: tm's 62.5 ms tick) and not ended at 1.4 s - the
destination is still active 2 s after the probe began (tm's own fr_timer is 30 s)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

PROBING = ('modparam("dispatcher", "ds_ping_interval", 2)\n'
           'modparam("dispatcher", "ds_probing_mode", 1)\n'
           'modparam("dispatcher", "ds_probing_threshold", 1)')


def scenario(t):
    silent = t.gateway("silent", name="silent")
    vc.dispatcher_relay(t, [(silent, "")], modparams=PROBING,
                        vos={"resend_interval": "0.3,0.3,0.3,0.5", "timeout_invite": "0",
                             "local_profile": "tm"})
    first = vc.wait_for(t, "the first keepalive OPTIONS",
                        lambda: vc.first(silent, "OPTIONS"), 6)
    t.require(first, "no keepalive reached the gateway")
    vc.sleep_until(first + 2_000_000_000)
    flags = vc.ds_flags(t, silent)
    t.check(flags and flags.startswith("A"), "2 s after the first OPTIONS the destination's "
            "flags are %r: still active expected (tm's timers, fr_timer 30 s)" % flags)
    vc.sleep_until(first + 3_800_000_000)
    probes = vc.calls(silent, "OPTIONS")
    t.require(probes, "no probe")
    t.expect_times("probe 1: OPTIONS sends to %s, tm's timing" % silent.name, probes[0][1],
                   probes[0][1][0], [0, 0.5, 1.5, 3.5], tol_ms=80)
    t.check(not [e for e in vc.vostest(t, "event")],
            "vostimer ended a branch: %s" % vc.vostest(t, "event"))


Test(__file__, timeout=25).run(scenario)
