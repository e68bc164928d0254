#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a call through an answering gateway: INVITE -> 100/180/200 -> ACK, BYE -> 200;
the caller (sipp) completes, the gateway saw INVITE, ACK and BYE once each."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    gw = t.gateway("answer")
    t.kamailio("relay.cfg", gws=[gw])
    res = t.sipp("invite", final=200)
    t.expect_sipp_ok(res)
    t.sleep(0.2)
    for m in ("INVITE", "ACK", "BYE"):
        t.expect_count(gw, 1, m)


Test(__file__, timeout=30).run(scenario)
