#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""VOS3000's gateway-switch rules from KEMI (Python, app_python3):
ksr_failure_route_failover asks KSR.vostimer.vos_failover() before each next gateway and
logs $vos(stop) and $vos(attempts). Six calls through one kamailio, each with its own
gateway chain and inline rules: five stop (switch_limit, user_busy, ringing_reached,
early_media, setup_budget) and one is allowed to switch to an answering backup.
kemi_failover.kemi_failover gives the timeline and every assertion, down to the
counters."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
from kemi_failover import kemi_failover

Test(__file__, timeout=30).run(lambda t: kemi_failover(t, "python"))
