#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""dispatcher's OPTIONS keepalives (ds_ping_interval 2, ds_probing_mode 1,
ds_probing_threshold 1) to a silent gateway follow the profile named by modparam
local_profile ("keepalive": "0.3,0.3,0.3,0.5", timeout_invite 0): each probe is sent
at 0, 0.3, 0.6 and 0.9 s (+-15 ms) and no more, and its end at 1.4 s (the list
exhausted, a local 408 to dispatcher) marks the destination inactive: dispatcher.list
shows it active 1.2 s after the probe's first OPTIONS and inactive (IP) at 1.65 s. The
event route names the probe's Call-ID ($vos(callid) of a request tm sent itself). A
reload of a file without the local_profile is refused and the profiles stay."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

PROBING = ('modparam("dispatcher", "ds_ping_interval", 2)\n'
           'modparam("dispatcher", "ds_probing_mode", 1)\n'
           'modparam("dispatcher", "ds_probing_threshold", 1)')


def scenario(t):
    silent = t.gateway("silent", name="silent")
    prof = vc.profiles(t, keepalive={"resend_interval": "0.3,0.3,0.3,0.5",
                                     "timeout_invite": 0})
    vc.dispatcher_relay(t, [(silent, "")], modparams=PROBING,
                        vos={"profiles_file": prof, "local_profile": "keepalive"})
    first = vc.wait_for(t, "the first keepalive OPTIONS",
                        lambda: vc.first(silent, "OPTIONS"), 6)
    t.require(first, "no keepalive reached the gateway")
    vc.sleep_until(first + 1_200_000_000)
    before = vc.ds_flags(t, silent)
    vc.sleep_until(first + 1_650_000_000)
    after = vc.ds_flags(t, silent)
    t.check(before and before.startswith("A"), "1.2 s after the first OPTIONS (before the "
            "list's end at 1.4 s) the destination's flags are %r, active expected" % before)
    t.check(after == "IP", "1.65 s after the first OPTIONS (the list ended at 1.4 s) the "
            "destination's flags are %r, IP (inactive, probing) expected" % after)
    # the next probe, 2 s later, has the same schedule
    vc.wait_for(t, "the second probe's 4 OPTIONS",
                lambda: len(vc.calls(silent, "OPTIONS")) >= 2
                and len(vc.calls(silent, "OPTIONS")[1][1]) >= 4, 5)
    t.sleep(0.6)  # a fifth send would come by now
    probes = vc.calls(silent, "OPTIONS")
    for i, (cid, arr) in enumerate(probes[:2], 1):
        t.expect_times("probe %d: OPTIONS sends to %s" % (i, silent.name), arr, arr[0],
                       [0, 0.3, 0.6, 0.9])
    t.check(len(probes) >= 2, "%d probes seen, 2 expected" % len(probes))
    ends = [e for e in vc.vostest(t, "event") if e.get("reason") == "resend_exhausted"]
    t.check(len(ends) >= 1, "no vostimer event for the keepalive's end (resend_exhausted)")
    cids = [c for c, _ in probes]
    t.check(ends and all(e.get("callid") in cids for e in ends),
            "the events' callid %s are not the probes' Call-IDs %s"
            % ([e.get("callid") for e in ends], cids))
    # a reload that would drop the local_profile is refused; the profiles stay
    with open(prof, "w") as f:
        f.write('profiles = ( { name = "other"; } );\n')
    rc, out = t.rpc("vostimer.reload", check=False)
    t.check(out.startswith("error: 500") and 'no profile "keepalive" (local_profile)' in out
            and "profiles in force kept" in out,
            "reload without the local_profile: rc %s, %r; refused expected" % (rc, out))
    rc, out = t.rpc("vostimer.profile", "keepalive", check=False)
    t.check(rc == 0 and "0.3" in out, "after the refused reload: %r" % out)


Test(__file__, timeout=25).run(scenario)
