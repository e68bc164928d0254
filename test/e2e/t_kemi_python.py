#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""the main flow from KEMI (app_python3, Python): ksr_request_route / ksr_failure_route calling
KSR.vostimer.vos_resend/vos_timeouts, KSR.tm.t_relay and reading KSR.pv.get("$vos(reason)")
give the same timeline and reasons as the cfg test t_failover_chain_per_route
(vos_checks.kemi_main_flow says which)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

Test(__file__, timeout=25).run(lambda t: vc.kemi_main_flow(t, "python"))
