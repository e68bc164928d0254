#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kamailio starts with vostimer loaded: core.modules lists it, no vostimer error in
the log, and kamailio keeps running."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test, VOSTIMER_SO


def scenario(t):
    t.require(os.path.exists(VOSTIMER_SO), "no module at %s (run make module)" % VOSTIMER_SO)
    t.kamailio("relay.cfg")
    rc, out = t.rpc("core.modules")
    t.check("vostimer" in out.split(), "kamcmd core.modules does not list vostimer:\n" + out)
    errs = t.log_lines(r"(ERROR|CRITICAL|ALERT).*vostimer")
    t.check(not errs, "vostimer errors at start-up:\n" + "\n".join(errs))
    t.check(t.kam.alive(), "kamailio died after start-up:\n" + t.log_tail())


Test(__file__, timeout=30).run(scenario)
