#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: one call through etc/kamailio.cfg and four scripted gateways (silent,
# 100 only, ringing forever, answering), then the timeline of every send, failover
# and the final answer. About 45 s; everything it starts is stopped at the end.
# Logs in test/out/demo/. The logic is in test/lib/demo.py (shared test harness).
exec python3 "$(dirname "$0")/lib/demo.py" "$@"
